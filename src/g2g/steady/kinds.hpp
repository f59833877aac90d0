// Every element kind of the steady-state solver, declared once (the contract is in
// element_kind.hpp). Each kind's functions live in its own file, kind_<name>.cpp.
//
// Adding a kind: declare its model side (model/element_kinds.hpp, which also gives its
// ElementType), declare it here and add it to SteadyKinds, write kind_<name>.cpp, and its tests
// (tests/unit/steady/test_element_kinds.cpp checks every kind's Jacobian against finite
// differences). docs/architecture.md lists the files.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <tuple>

#include "g2g/steady/element_kind.hpp"

namespace g2g::steady {

struct LoadKind {
  static constexpr KindInfo info{ElementType::load, false};
  static std::size_t count(const model::ModelSpec& model) { return model.loads.size(); }
  static const std::string& id(const model::ModelSpec& model, std::size_t i) {
    return model.loads[i].id;
  }
  static void stamp(const model::ModelSpec& model, NetworkBuilder& builder);
  static void contribute(const Network& network, const State& state, Contribution& contribution);
  static bool contributes(const Network& network);
  static void output(OutputContext& context, std::span<ElementResult> results);
};

struct StorageKind {
  static constexpr KindInfo info{ElementType::storage};
  static std::size_t count(const model::ModelSpec& model) { return model.storage.size(); }
  static const std::string& id(const model::ModelSpec& model, std::size_t i) {
    return model.storage[i].id;
  }
  static void stamp(const model::ModelSpec& model, NetworkBuilder& builder);
  static void output(OutputContext& context, std::span<ElementResult> results);
};

struct ConverterKind {
  static constexpr KindInfo info{ElementType::converter, true, ViolationKind::overload, true};
  static std::size_t count(const model::ModelSpec& model) { return model.converters.size(); }
  static const std::string& id(const model::ModelSpec& model, std::size_t i) {
    return model.converters[i].id;
  }
  static void stamp(const model::ModelSpec& model, NetworkBuilder& builder);
  static void contribute(const Network& network, const State& state, Contribution& contribution);
  static bool contributes(const Network& network);
  static void mark_balance(OutputContext& context);
  static void output(OutputContext& context, std::span<ElementResult> results);
  static void close_balance(OutputContext& context, std::span<ElementResult> results);
};

struct LineKind {
  static constexpr KindInfo info{ElementType::line, true, ViolationKind::ampacity};
  static std::size_t count(const model::ModelSpec& model) { return model.lines.size(); }
  static const std::string& id(const model::ModelSpec& model, std::size_t i) {
    return model.lines[i].id;
  }
  static void stamp(const model::ModelSpec& model, NetworkBuilder& builder);
  static void output(OutputContext& context, std::span<ElementResult> results);
};

struct TransformerKind {
  static constexpr KindInfo info{ElementType::transformer};
  static std::size_t count(const model::ModelSpec& model) { return model.transformers.size(); }
  static const std::string& id(const model::ModelSpec& model, std::size_t i) {
    return model.transformers[i].id;
  }
  static void stamp(const model::ModelSpec& model, NetworkBuilder& builder);
  static void output(OutputContext& context, std::span<ElementResult> results);
};

struct SourceKind {
  static constexpr KindInfo info{ElementType::source};
  static std::size_t count(const model::ModelSpec& model) { return model.sources.size(); }
  static const std::string& id(const model::ModelSpec& model, std::size_t i) {
    return model.sources[i].id;
  }
  static void stamp(const model::ModelSpec& model, NetworkBuilder& builder);
  static void mark_balance(OutputContext& context);
  static void output(OutputContext& context, std::span<ElementResult> results);
  static void close_balance(OutputContext& context, std::span<ElementResult> results);
};

// Shunt capacitor and reactor banks: a constant admittance to ground in the admittance matrix.
struct ShuntKind {
  static constexpr KindInfo info{ElementType::shunt, false};
  static std::size_t count(const model::ModelSpec& model) { return model.shunts.size(); }
  static const std::string& id(const model::ModelSpec& model, std::size_t i) {
    return model.shunts[i].id;
  }
  static void stamp(const model::ModelSpec& model, NetworkBuilder& builder);
  static void output(OutputContext& context, std::span<ElementResult> results);
};

// Closed switches join buses into one node (topology::analyse); their flows follow from the
// injections of the buses they join, once every other element's are known.
struct SwitchKind {
  static constexpr KindInfo info{ElementType::switch_};
  static std::size_t count(const model::ModelSpec& model) { return model.switches.size(); }
  static const std::string& id(const model::ModelSpec& model, std::size_t i) {
    return model.switches[i].id;
  }
  static void stamp(const model::ModelSpec& model, NetworkBuilder& builder);
  static void output(OutputContext& context, std::span<ElementResult> results);
  static void close_balance(OutputContext& context, std::span<ElementResult> results);
};

// The kinds in the order every phase visits them. The order is part of the answer where sums
// meet (a node's injections are summed in this order) and where one kind's results need
// another's: a voltage-setting AC converter's reactive output is known before the slack source
// that closes the same node's balance, and switch flows need every injection.
using SteadyKinds = std::tuple<LoadKind, StorageKind, ConverterKind, LineKind, TransformerKind,
                               ShuntKind, SourceKind, SwitchKind>;

// Calls f.template operator()<K>() for every kind K, in SteadyKinds order.
template <typename F>
void for_each_kind(F&& f) {
  [&]<typename... K>(std::tuple<K...>*) {
    static_assert((SteadyElementKind<K> && ...), "a kind must meet the element contract");
    (f.template operator()<K>(), ...);
  }(static_cast<SteadyKinds*>(nullptr));
}

}  // namespace g2g::steady

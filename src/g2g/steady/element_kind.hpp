// The element contract of the steady-state solver: what one kind of element (line, converter,
// load, ...) does in each phase, declared once per kind, so that `assemble`, the network
// equations and `make_results` are loops over kinds and a new kind is one more file.
//
// A kind K is a struct of static functions (no virtual call per element: each function loops over
// all elements of its kind, which keeps the hot loops as tight as before):
//
//   static constexpr KindInfo info;                      its type, name and rating behaviour
//   static std::size_t count(const model::ModelSpec&);  how many elements of this kind
//   static const std::string& id(const model::ModelSpec&, std::size_t);  element i's id
//   static void stamp(const model::ModelSpec&, NetworkBuilder&);
//       its contribution to the network, SI -> per unit: branches of the admittance matrix,
//       fixed injections, or state-dependent terms kept for `contribute`.
//   static void contribute(const Network&, const State&, Contribution&);          (optional)
//       its state-dependent terms of the residual F(x) and of dF/dx (voltage-dependent loads,
//       converters). Terms that only the admittance matrix carries need no `contribute`.
//   static bool contributes(const Network&);                         (with `contribute`)
//       whether `contribute` has any term in this network: when no kind has, the equations take
//       the specified injections straight from the network's arrays.
//   static void mark_balance(OutputContext&);                                    (optional)
//       the nodes whose power balance it closes in the results (a slack source, a converter
//       that sets an AC voltage).
//   static void output(OutputContext&, std::span<ElementResult>);
//       its results, per unit -> SI, from the state: flows, losses, currents, loading.
//   static void close_balance(OutputContext&, std::span<ElementResult>);        (optional)
//       what follows from a node's balance once every other flow is known.
//
// The kinds and the order of each phase are listed once, in steady/kinds.hpp.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "g2g/model/spec.hpp"
#include "g2g/steady/results.hpp"

namespace g2g::steady {

struct Network;
struct State;
class NetworkBuilder;
struct Contribution;
struct OutputContext;

struct KindInfo {
  ElementType type = ElementType::load;
  // Whether results are scanned for loading above 100 % (loads have no rating: their many
  // results are not scanned), and which violation a loading above 100 % is.
  bool rated = true;
  ViolationKind over_rating = ViolationKind::overload;
  // Whether `stamp` writes only what belongs to this kind (its KindStamps, and for converters
  // Network::converters), starting afresh, and nothing other kinds write to (injections, loads,
  // branches): then a value-only update that changed none of its elements keeps its stamps
  // (restamp in network.hpp). Its stamp is the costliest (a loss curve per converter).
  bool own_stamps = false;
};

template <typename K>
concept SteadyElementKind = requires(const model::ModelSpec& model, NetworkBuilder& builder,
                                     OutputContext& context, std::span<ElementResult> results) {
  { K::info } -> std::convertible_to<KindInfo>;
  { K::count(model) } -> std::convertible_to<std::size_t>;
  { K::id(model, std::size_t{}) } -> std::convertible_to<const std::string&>;
  K::stamp(model, builder);
  K::output(context, results);
};

template <typename K>
concept ContributesToResidual = requires(const Network& network, const State& state,
                                         Contribution& contribution) {
  K::contribute(network, state, contribution);
  { K::contributes(network) } -> std::convertible_to<bool>;
};

template <typename K>
concept MarksBalance = requires(OutputContext& context) {
  K::mark_balance(context);
};

template <typename K>
concept ClosesBalance = requires(OutputContext& context, std::span<ElementResult> results) {
  K::close_balance(context, results);
};

}  // namespace g2g::steady

// Every element kind of a model, declared once: its kind, its ports, its name and label, its
// model-file sections (and so its schema keys), and the functions that read, check and write it.
// The builder, the validator, the YAML writer, template expansion, results labels and the
// single-line diagram are loops over ModelKinds; the steady-state solver's side of the same
// contract is steady/kinds.hpp.
//
// A kind K is a struct of static members:
//
//   using Element;                                   its struct in spec.hpp
//   static constexpr ElementKind kind;               its entry below
//   static constexpr std::string_view name;          "source", "line", ... (results' `type`)
//   static std::vector<Element>& elements(ModelSpec&);   (and a const overload)
//   template <typename E> static auto ports(E& e);   std::array of pointers to its BusIndex
//                                                    members, in port order (from/input first)
//   static std::string_view label(const Element&);   what kind of K it is ("utility", "cable",
//                                                    "rectifier", "zip"), or empty
//   static void sections(std::vector<detail::SectionInfo>&);   its `type:` values and keys
//   static void read(detail::Builder&, detail::Fields&, std::string_view type, detail::Scope&,
//                    ModelSpec&);                    one element from its map in a model file
//   static void check(detail::Checker&, const Element&);      model-level checks (validate.cpp)
//   static void write(detail::Writer&, const Element&);       one line of write_yaml
//
// Adding a kind: its struct in spec.hpp and a vector in ModelSpec, its entry in ElementKind and
// ModelKinds below, its functions in model/kind_<name>.cpp, its steady-state functions in
// steady/kind_<name>.cpp (declared in steady/kinds.hpp), docs and tests. docs/architecture.md
// lists the files.
#pragma once

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "g2g/model/spec.hpp"

namespace g2g::model {

// Element kinds in ModelKinds order (results keep this order too).
enum class ElementKind : std::uint8_t {
  source,
  line,
  transformer,
  switch_,  // NOLINT(readability-identifier-naming): "switch" is a keyword
  converter,
  load,
  storage,
  shunt,
};

namespace detail {
class Builder;
class Fields;
class Scope;
struct SectionInfo;
class Checker;
class Writer;
}  // namespace detail

template <typename K>
concept ModelElementKind = requires(ModelSpec& model, const ModelSpec& const_model,
                                    typename K::Element& element,
                                    std::vector<detail::SectionInfo>& sections) {
  { K::kind } -> std::convertible_to<ElementKind>;
  { K::name } -> std::convertible_to<std::string_view>;
  { K::elements(model) } -> std::same_as<std::vector<typename K::Element>&>;
  { K::elements(const_model) } -> std::same_as<const std::vector<typename K::Element>&>;
  { K::ports(element)[0] } -> std::same_as<BusIndex*&>;
  { K::label(element) } -> std::convertible_to<std::string_view>;
  K::sections(sections);
};

// The members every kind declares in the same form (its list in ModelSpec and the functions
// defined in its .cpp files); what differs between kinds is written out in each struct.
#define G2G_MODEL_KIND_COMMON(ElementType, kind_value, member)                              \
  using Element = ElementType;                                                              \
  static constexpr ElementKind kind = ElementKind::kind_value;                              \
  static std::vector<Element>& elements(ModelSpec& model) {                                 \
    return model.member;                                                                    \
  }                                                                                         \
  static const std::vector<Element>& elements(const ModelSpec& model) {                     \
    return model.member;                                                                    \
  }                                                                                         \
  static void sections(std::vector<detail::SectionInfo>& out);                              \
  static void read(detail::Builder& builder, detail::Fields& fields, std::string_view type, \
                   detail::Scope& scope, ModelSpec& out);                                   \
  static void check(detail::Checker& checker, const Element& element);                      \
  static void write(detail::Writer& writer, const Element& element)

struct SourceElements {
  G2G_MODEL_KIND_COMMON(Source, source, sources);
  static constexpr std::string_view name = "source";
  template <typename E>
  static auto ports(E& e) {
    return std::array{&e.bus};
  }
  static std::string_view label(const Element& e) { return model::name(e.type); }
};

struct LineElements {
  G2G_MODEL_KIND_COMMON(Line, line, lines);
  static constexpr std::string_view name = "line";
  template <typename E>
  static auto ports(E& e) {
    return std::array{&e.from, &e.to};
  }
  static std::string_view label(const Element& e) { return model::name(e.type); }
};

struct TransformerElements {
  G2G_MODEL_KIND_COMMON(Transformer, transformer, transformers);
  static constexpr std::string_view name = "transformer";
  template <typename E>
  static auto ports(E& e) {
    return std::array{&e.hv, &e.lv};
  }
  static std::string_view label(const Element&) { return {}; }
};

struct SwitchElements {
  G2G_MODEL_KIND_COMMON(Switch, switch_, switches);
  static constexpr std::string_view name = "switch";
  template <typename E>
  static auto ports(E& e) {
    return std::array{&e.from, &e.to};
  }
  static std::string_view label(const Element&) { return {}; }
};

struct ConverterElements {
  G2G_MODEL_KIND_COMMON(Converter, converter, converters);
  static constexpr std::string_view name = "converter";
  template <typename E>
  static auto ports(E& e) {
    return std::array{&e.input, &e.output};
  }
  static std::string_view label(const Element& e) { return model::name(e.type); }
};

struct LoadElements {
  G2G_MODEL_KIND_COMMON(Load, load, loads);
  static constexpr std::string_view name = "load";
  template <typename E>
  static auto ports(E& e) {
    return std::array{&e.bus};
  }
  static std::string_view label(const Element& e) { return model::name(e.model); }
};

struct StorageElements {
  G2G_MODEL_KIND_COMMON(Storage, storage, storage);
  static constexpr std::string_view name = "storage";
  template <typename E>
  static auto ports(E& e) {
    return std::array{&e.bus};
  }
  static std::string_view label(const Element&) { return {}; }
};

struct ShuntElements {
  G2G_MODEL_KIND_COMMON(Shunt, shunt, shunts);
  static constexpr std::string_view name = "shunt";
  template <typename E>
  static auto ports(E& e) {
    return std::array{&e.bus};
  }
  static std::string_view label(const Element& e) {
    return e.q_rated_var >= 0.0 ? "capacitor" : "reactor";
  }
};

#undef G2G_MODEL_KIND_COMMON

// The kinds, in ElementKind order: the order of a model file's components when written, of
// results, and of every loop over kinds.
using ModelKinds = std::tuple<SourceElements, LineElements, TransformerElements, SwitchElements,
                              ConverterElements, LoadElements, StorageElements, ShuntElements>;

inline constexpr std::size_t model_kind_count = std::tuple_size_v<ModelKinds>;

// A set of element kinds, indexed by ElementKind: e.g. the kinds a value-only change reached.
using ElementKindSet = std::bitset<model_kind_count>;

namespace detail {
template <typename... K, std::size_t... I>
constexpr bool kinds_in_order(std::tuple<K...>*, std::index_sequence<I...>) {
  return ((static_cast<std::size_t>(K::kind) == I) && ...);
}
}  // namespace detail

// Calls f.template operator()<K>() for every kind K, in ModelKinds order.
template <typename F>
constexpr void for_each_model_kind(F&& f) {
  [&]<typename... K>(std::tuple<K...>*) {
    static_assert((ModelElementKind<K> && ...), "a kind must meet the element contract");
    static_assert(detail::kinds_in_order(static_cast<ModelKinds*>(nullptr),
                                         std::make_index_sequence<sizeof...(K)>{}),
                  "ModelKinds must list the kinds in ElementKind order");
    (f.template operator()<K>(), ...);
  }(static_cast<ModelKinds*>(nullptr));
}

// The kind's name ("source", "line", ...) as results and reports spell it.
[[nodiscard]] std::string_view element_kind_name(ElementKind kind) noexcept;

// Elements of every kind together.
[[nodiscard]] std::size_t element_count(const ModelSpec& model) noexcept;

// Calls f(BusIndex&) (or f(const BusIndex&)) for every port of every element.
template <typename Model, typename F>
void for_each_port(Model& model, F&& f) {
  for_each_model_kind([&]<typename K>() {
    for (auto& element : K::elements(model))
      for (auto* port : K::ports(element)) f(*port);
  });
}

// Id, label and the buses of element `index` of `kind`, for results and reports; nullptr when
// the index is out of range.
struct ElementIdentity {
  const std::string* id = nullptr;
  std::string_view label;  // K::label
  const Where* where = nullptr;
  std::int32_t origin = no_origin;
  bool in_service = true;
  BusIndex first_bus = no_bus;   // the first port (a one-port's bus; from, hv, input)
  BusIndex second_bus = no_bus;  // the second port of a two-port, else no_bus
};
[[nodiscard]] bool identify(const ModelSpec& model, ElementKind kind, std::size_t index,
                            ElementIdentity& out);

}  // namespace g2g::model

// Internals of the model builder, shared by builder.cpp (sections, templates, the model),
// builder_values.cpp (reading values) and builder_components.cpp (component kinds). Not part of
// any interface: include builder.hpp instead.
#pragma once

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "g2g/model/builder.hpp"

namespace g2g::model::detail {

inline constexpr std::uint32_t absent = std::numeric_limits<std::uint32_t>::max();
inline constexpr int max_template_depth = 64;
// Typo suggestions for bus ids scan every id; stop offering them after this many so that a file
// with thousands of dangling references still loads quickly.
inline constexpr int max_bus_suggestions = 50;

constexpr BusIndex encode_ref(std::size_t index) {
  return -static_cast<BusIndex>(index) - 2;
}
constexpr std::size_t decode_ref(BusIndex encoded) {
  return static_cast<std::size_t>(-(encoded + 2));
}

// Calls f(BusIndex&) for every bus reference of every component.
template <typename F>
void for_each_bus_ref(ModelSpec& m, F&& f) {
  for_each_port(m, f);
}

template <typename T>
void append_moved(std::vector<T>& to, std::vector<T>& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
  from.clear();
}

// Element counts, saturating so that absurd counts cannot overflow.
struct Counts {
  std::uint64_t buses = 0;
  std::array<std::uint64_t, model_kind_count> elements{};  // by ElementKind

  static std::uint64_t add(std::uint64_t a, std::uint64_t b) {
    return a > max_model_elements * 4 || b > max_model_elements * 4 ? max_model_elements * 4
                                                                    : a + b;
  }
  void add_scaled(const Counts& o, std::uint64_t n) {
    auto scaled = [n](std::uint64_t v) {
      if (v != 0 && n > max_model_elements * 4 / v) return max_model_elements * 4;
      return v * n;
    };
    buses = add(buses, scaled(o.buses));
    for (std::size_t k = 0; k < elements.size(); ++k)
      elements[k] = add(elements[k], scaled(o.elements[k]));
  }
  [[nodiscard]] std::uint64_t total() const {
    std::uint64_t t = buses;
    for (const auto v : elements) t = add(t, v);
    return t;
  }
  static Counts of(const ModelSpec& m) {
    Counts counts;
    counts.buses = m.buses.size();
    for_each_model_kind([&]<typename K>() {
      counts.elements[static_cast<std::size_t>(K::kind)] = K::elements(m).size();
    });
    return counts;
  }
};

// Bus id -> index, open addressing over the model's own bus list: no allocation per id, and one
// probe for most look-ups (a large model resolves hundreds of thousands of references).
class BusIds {
 public:
  explicit BusIds(const std::vector<Bus>& buses) : buses_(buses) {}

  // Adds bus `index`; false if its id is already taken.
  bool add(BusIndex index) {
    if ((count_ + 1) * 2 > slots_.size()) grow();
    return insert(static_cast<std::uint32_t>(index));
  }
  [[nodiscard]] BusIndex find(std::string_view id) const {
    if (slots_.empty()) return no_bus;
    const std::size_t mask = slots_.size() - 1;
    const std::uint32_t h = hash(id);
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.index_plus_one == 0) return no_bus;
      if (slot.hash == h && buses_[slot.index_plus_one - 1].id == id)
        return static_cast<BusIndex>(slot.index_plus_one - 1);
    }
  }
  void reserve(std::size_t n) {
    while (slots_.size() < 2 * n) grow();
  }

 private:
  struct Slot {
    std::uint32_t hash = 0;
    std::uint32_t index_plus_one = 0;  // 0: empty
  };
  static std::uint32_t hash(std::string_view id) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a
    for (const char c : id) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return static_cast<std::uint32_t>(h ^ (h >> 32));
  }
  bool insert(std::uint32_t index) {
    const std::size_t mask = slots_.size() - 1;
    const std::string_view id = buses_[index].id;
    const std::uint32_t h = hash(id);
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.index_plus_one == 0) {
        slot = {h, index + 1};
        ++count_;
        return true;
      }
      if (slot.hash == h && buses_[slot.index_plus_one - 1].id == id) return false;
    }
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
    count_ = 0;
    for (const Slot& slot : old)
      if (slot.index_plus_one != 0) insert(slot.index_plus_one - 1);
  }

  const std::vector<Bus>& buses_;
  std::vector<Slot> slots_;
  std::size_t count_ = 0;
};

struct Connection {
  std::string_view port;
  BusIndex bus = no_bus;  // encoded in the scope the instance is written in
  std::uint32_t key_node = 0;
};

struct TemplateProto;

struct InstanceProto {
  std::string template_name;
  std::uint32_t node = 0;           // the instance map
  std::uint32_t template_node = 0;  // its `template` value
  std::string id;
  std::int64_t count = 1;
  bool indexed = false;  // count given: ids carry [i]
  std::vector<Connection> connect;
  // Linked after every template is read:
  TemplateProto* target = nullptr;
  std::vector<BusIndex> bindings;  // per port of target, encoded in the writing scope
};

struct TemplateProto {
  std::string name;
  std::uint32_t node = 0;
  std::vector<std::string> ports;
  ModelSpec body;  // buses with local ids; components with local bus references
  std::vector<InstanceProto> instances;
  // Analysis state: 0 unvisited, 1 on the stack, 2 done.
  int state = 0;
  bool bad = false;  // part of a cycle or too deep: never expanded
  Counts counts;     // everything one copy creates
};

// Ranges a value is checked against (core/fields.hpp).
using core::Check;

class Builder;

// How bus names resolve where an element is written.
class Scope {
 public:
  virtual ~Scope() = default;
  virtual BusIndex resolve(std::uint32_t node, std::string_view name) = 0;
  [[nodiscard]] virtual std::string_view context() const = 0;  // " in template 'x'" or ""
};

// Top level: references are resolved after expansion (they may name generated buses), so each
// becomes a numbered deferred reference.
class TopScope : public Scope {
 public:
  struct Ref {
    std::string_view name;
    std::uint32_t node;
  };
  BusIndex resolve(std::uint32_t node, std::string_view name) override {
    refs.push_back({name, node});
    return encode_ref(refs.size() - 1);
  }
  [[nodiscard]] std::string_view context() const override { return {}; }
  std::vector<Ref> refs;
};

// The tail of a long top-level component list, read by a second thread (Builder::build): its
// components, the origins they name, their deferred bus references (numbered from 0 in this
// part) and their diagnostics.
struct TopPart {
  ModelSpec spec;
  std::vector<TopScope::Ref> refs;
  core::DiagnosticList diagnostics;
};

// The entries of one map, checked against its section: unknown and repeated keys are reported
// once, here, and each getter then finds its key's node directly.
class Fields {
 public:
  Fields(Builder& builder, std::uint32_t map, const SectionInfo& section, std::string_view kind,
         std::string_view context);

  [[nodiscard]] std::uint32_t find(std::string_view name) const { return slots_[index_of(name)]; }
  [[nodiscard]] bool has(std::string_view name) const { return find(name) != absent; }
  [[nodiscard]] bool knows(std::string_view name) const {
    return section_.index_of(name) < section_.keys.size();
  }
  [[nodiscard]] const KeyInfo& info(std::string_view name) const {
    return section_.keys[index_of(name)];
  }
  [[nodiscard]] std::uint32_t map() const { return map_; }
  // "cable 'c1' in template 'rack'": built only when a message needs it.
  [[nodiscard]] std::string what() const {
    if (id_.empty()) return fmt::format("{}{}", kind_, context_);
    return fmt::format("{} '{}'{}", kind_, id_, context_);
  }
  void set_id(std::string_view id) { id_ = id; }
  // Reads `node` as the value of `name` (a key of this section), whether or not the map has it:
  // an element edit (Document::edited).
  void replace(std::string_view name, std::uint32_t node) { slots_[index_of(name)] = node; }
  // The value (a string) in this map whose text holds "`key`:" after a space or line break:
  // a quote left open there swallowed the key (absent when none).
  [[nodiscard]] std::uint32_t swallowing(std::string_view key,
                                         const std::vector<Node>& nodes) const;

 private:
  [[nodiscard]] std::size_t index_of(std::string_view name) const;

  const SectionInfo& section_;
  std::uint32_t map_;
  std::string_view kind_;
  std::string_view context_;
  std::string_view id_;
  std::array<std::uint32_t, max_section_keys> slots_;
};

class Builder {
 public:
  Builder(const Document& document, core::DiagnosticList& diagnostics,
          std::uint64_t memory_limit_bytes = 0)
      : doc_(document),
        nodes_(document.nodes),
        diagnostics_(diagnostics),
        memory_limit_bytes_(memory_limit_bytes) {}

  ModelSpec build();
  // Reads the component map at node `n` once more, as build() read it, into `out`: its values
  // only, each bus reference given an index of its own (no bus of any model) and no template
  // expanded. For patching the values of a model already built (model::ModelSource, source.cpp).
  void read_component_alone(std::uint32_t n, bool in_template, ModelSpec& out);

  // ---- diagnostics ----
  void error_at(std::uint32_t node, std::string message, std::string fix = {}) {
    if (doc_.is_reported(node)) return;
    diagnostics_.error(doc_.location(nodes_[node]), std::move(message), std::move(fix));
  }
  void error_at_key(std::uint32_t node, std::string message, std::string fix = {}) {
    diagnostics_.error(doc_.key_location(nodes_[node]), std::move(message), std::move(fix));
  }
  [[nodiscard]] std::size_t error_count() const { return diagnostics_.error_count(); }
  [[nodiscard]] const Node& node(std::uint32_t index) const { return nodes_[index]; }
  [[nodiscard]] const Document& document() const { return doc_; }

  // ---- values ----
  std::optional<std::string_view> text(const Fields& f, std::string_view key);
  std::optional<double> quantity(const Fields& f, std::string_view key, Check check = Check::none);
  std::optional<double> percent(const Fields& f, std::string_view key, Check check);
  std::optional<std::int64_t> integer(const Fields& f, std::string_view key, std::int64_t min);
  std::optional<bool> boolean(const Fields& f, std::string_view key);
  std::optional<std::size_t> choice(const Fields& f, std::string_view key);
  BusIndex bus(const Fields& f, std::string_view key, Scope& scope);
  std::optional<std::vector<EfficiencyPoint>> efficiency(const Fields& f, std::string_view key);
  std::optional<std::array<double, 3>> zip(const Fields& f, std::string_view key);
  // A `rated` key: a percentage is a fraction of the rated value ("120 %": {1.2, of_rated}),
  // anything else a quantity of the key's dimension in SI; positive either way.
  std::optional<CurrentLimit> rated(const Fields& f, std::string_view key);
  // An `ocv` key: at least two [soc, voltage] points, soc rising in [0, 1], voltage positive and
  // not falling.
  std::optional<std::vector<OcvPoint>> ocv(const Fields& f, std::string_view key);
  // An `rc_pair` map {resistance, capacitance}, both positive.
  std::optional<RcPair> rc_pair(const Fields& f, std::string_view key);
  // A breaker's `trip` map (schema section "trip"): the keys its kind needs, each in its range.
  std::optional<Trip> trip(const Fields& f, std::string_view key);
  // An explicit 'origin' key, added to (or found in) the model's origins. Inside a template it is
  // checked but dropped: expanding the template gives every element its instance's origin.
  std::int32_t origin(const Fields& f);
  // `origin`'s index in the model's origins, adding it if it is not there yet.
  std::int32_t add_origin(Origin origin);
  // Where node `n` was written, without the file (ModelSpec::source_file).
  [[nodiscard]] Where where_of(std::uint32_t n);

  // Suggestion of a close bus id, limited in number (see max_bus_suggestions).
  std::string suggest_bus(std::string_view name, std::span<const std::string> local_names);

  // ---- what every element kind's reader (K::read, element_kinds.hpp) uses ----
  // The id of the component being read ("" when it has none: already reported).
  [[nodiscard]] const std::string& current_id() const noexcept { return current_id_; }
  // Where it was written, its origin and in_service.
  template <typename T>
  void read_common(Fields& f, T& element) {
    element.where = where_of(f.map());
    element.origin = origin(f);
    if constexpr (requires { element.in_service; }) {
      if (auto v = boolean(f, "in_service")) element.in_service = *v;
    }
  }
  // `redundancy:` of a converter or transformer with `modules` units making up its rating.
  Redundancy redundancy(Fields& f, int modules);
  // reactive_power, or power_factor applied to `p_w`; 0 when neither is given.
  std::optional<double> reactive_power(Fields& f, double p_w);

 private:
  // A present key's node, or absent (reporting a missing required key).
  std::uint32_t value_node(const Fields& f, std::string_view key);
  std::optional<double> number(std::uint32_t n, core::Dimension dimension, const Fields& f,
                               std::string_view key, Check check);
  bool check_range(std::uint32_t n, double value, Check check, const Fields& f,
                   std::string_view key);
  std::optional<std::string_view> scalar_text(std::uint32_t n, const Fields& f,
                                              std::string_view key);

  // Sections.
  void read_solver(std::uint32_t n, SolverOptions& solver);
  // `local_names`: inside a template, collects the ids of the buses read. `broken` collects the
  // ids of buses left out for an error, so that references to them are not reported again.
  void read_buses(std::uint32_t list, std::vector<Bus>& out, std::string_view context,
                  std::vector<std::string>* local_names, std::vector<std::string>& broken);
  void read_components(Children items, Scope& scope, ModelSpec& out, bool local);
  void read_component(std::uint32_t n, Scope& scope, ModelSpec& out);
  void read_instances(std::uint32_t list, Scope& scope, std::vector<InstanceProto>& out);
  void read_templates(std::uint32_t map);
  void read_template(std::uint32_t n, std::string_view name);

  // Templates and instances.
  void link_instances(std::vector<InstanceProto>& instances, std::string_view context);
  void analyse(TemplateProto& t, int depth);
  void expand(const TemplateProto& t, const std::string& prefix, std::span<const BusIndex> ports,
              ModelSpec& out);

  // Top-level bus ids.
  BusIndex find_bus(std::string_view name);
  // Reading the top-level components on two threads (build()).
  [[nodiscard]] std::uint32_t tail_start(std::uint32_t buses, std::uint32_t components) const;
  void join_tail(TopPart part, std::size_t shift, ModelSpec& out);
  // Reserves room for the components in `items` by their types, so that the lists of a large
  // model are not copied as they grow.
  void reserve_components(Children items, ModelSpec& out);

  const Document& doc_;
  const std::vector<Node>& nodes_;
  core::DiagnosticList& diagnostics_;
  std::uint64_t memory_limit_bytes_ = 0;  // 0: none
  std::unordered_map<std::string, std::pair<double, double>> unit_cache_;
  std::vector<TemplateProto> templates_;
  std::unordered_map<std::string_view, std::size_t> template_index_;
  ModelSpec* spec_ = nullptr;
  std::optional<BusIds> bus_ids_;  // over spec_->buses
  std::size_t top_buses_ = 0;
  std::size_t mapped_buses_ = 0;  // spec_->buses[0, mapped_buses_) are in bus_ids_
  int suggestions_left_ = max_bus_suggestions;
  std::string current_id_;        // id of the component being read
  bool in_template_ = false;      // reading a template body
  std::size_t where_cursor_ = 0;  // see Document::where
  // Explicit origins already in spec_->origins, keyed by template name '\0' instance path.
  std::unordered_map<std::string, std::int32_t> origin_ids_;
};

// The time-domain keys of a kind (builder_dynamics.cpp; docs/dynamic.md, "Model keys for
// simulation"): read with their ranges, and a key that makes no sense beside the others (a
// voltage loop's bandwidth on a power-controlled converter) reported where it is written.
void read_source_dynamics(Builder& b, Fields& f, Source& s);
void read_converter_dynamics(Builder& b, Fields& f, Converter& c);
void read_storage_dynamics(Builder& b, Fields& f, Storage& s);

// Shared helpers.
std::string_view type_name(NodeType type);
std::string example_of(const KeyInfo& info);
inline bool is_list(const Builder& b, std::uint32_t n) {
  return b.node(n).type == NodeType::seq;
}

}  // namespace g2g::model::detail

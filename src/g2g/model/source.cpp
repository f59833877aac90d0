// A model file read once, built or patched for each set of parameter values (source.hpp).
//
// Parameters are substituted in the document tree before the builder reads it, and only scalars
// written with a '$' change. So the scalars a new set of values changes are found by resolving
// the parameters again on the tree as read (small: templates are not expanded yet) and comparing
// those scalars with their last resolution. A changed scalar that is a number of a component
// (its map is in a `components:` list, at the top level or in a template) is patched by reading
// that component again through the builder, and copying its values into every element built
// from it: a template's copies keep their component's place in the file (Where), so the place
// finds them all.
#include "g2g/model/source.hpp"

#include <algorithm>
#include <utility>

#include "g2g/model/builder.hpp"
#include "g2g/model/builder_impl.hpp"
#include "g2g/model/parameters.hpp"

namespace g2g::model {

using detail::Document;
using detail::Node;
using detail::NodeType;

namespace detail {
namespace {

// Bus references of a component read alone: each gets an index of its own, so that no check
// comparing two ports mistakes them for one bus. The element's real ports are kept from the
// model being patched.
class DetachedScope final : public Scope {
 public:
  BusIndex resolve(std::uint32_t, std::string_view) override { return next_++; }
  [[nodiscard]] std::string_view context() const override { return {}; }

 private:
  BusIndex next_ = 0;
};

}  // namespace

void Builder::read_component_alone(std::uint32_t n, bool in_template, ModelSpec& out) {
  DetachedScope scope;
  spec_ = &out;
  in_template_ = in_template;
  read_component(n, scope, out);
  in_template_ = false;
  spec_ = nullptr;
}

}  // namespace detail

namespace {

std::uint64_t place_key(Where where) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(where.line)) << 32) |
         static_cast<std::uint32_t>(where.column);
}

// The value kinds a patch may re-read: numbers that change neither the network's shape nor any
// name. (A zip list or an efficiency list is nested, so its scalars are not direct values of the
// component and are never patched.)
bool numeric(detail::ValueKind kind) {
  using detail::ValueKind;
  return kind == ValueKind::quantity || kind == ValueKind::percent || kind == ValueKind::setpoint ||
         kind == ValueKind::efficiency || kind == ValueKind::integer;
}

}  // namespace

struct ModelSource::State {
  // Where a scalar that holds a parameter reference is written.
  struct Site {
    std::uint32_t component = 0;  // the component map it is a value of
    bool in_template = false;
    bool patchable = false;  // a number of a component that patch_values may re-read
  };
  struct Resolved {
    NodeType type = NodeType::null;
    std::string text;
  };

  State(std::string file_name, std::string_view text, Document::Positions positions)
      : document(std::move(file_name), text, positions) {}

  Document document;
  std::vector<Node> written;  // the tree as read, before any parameter is resolved
  Document::Checkpoint read_checkpoint;
  core::DiagnosticList tree_problems;
  std::vector<std::uint32_t> references;  // nodes whose written text holds a '$'
  std::vector<Site> sites;                // per reference
  std::vector<Resolved> resolved;         // per reference, as last built or patched
  // Per element kind: an element's place in the file -> its indices in the built model.
  std::array<std::unordered_map<std::uint64_t, std::vector<std::uint32_t>>, model_kind_count>
      elements_at;
  bool indexed = false;
  // The expressions of the last resolution: a scenario re-evaluates only those whose
  // parameters it changes.
  detail::ExpressionMemo expressions;

  // The tree as read, its parameters resolved with `overrides`.
  std::vector<Parameter> resolve(std::span<const ParameterOverride> overrides,
                                 core::DiagnosticList& diagnostics) {
    document.rewind(read_checkpoint);
    document.nodes = written;
    return detail::resolve_parameters(document, overrides, diagnostics, &expressions);
  }

  void remember_resolved() {
    for (std::size_t r = 0; r < references.size(); ++r) {
      const Node& node = document.nodes[references[r]];
      resolved[r].type = node.type;
      resolved[r].text.assign(node.str());
    }
  }

  void find_references();
  void index_elements(const ModelSpec& spec);
};

// Finds the scalars with a '$' and, for each, the component it is a number of (if any).
void ModelSource::State::find_references() {
  // The document's own nodes (as read, here): Document::where finds a node's place by its address.
  const std::vector<Node>& nodes = document.nodes;
  if (nodes.empty() || nodes[0].type != NodeType::map) return;
  std::vector<std::uint32_t> parent(nodes.size(), 0);
  for (std::uint32_t n = 0; n < nodes.size(); ++n)
    if (nodes[n].is_container())
      for (const std::uint32_t c : detail::Children(document, n)) parent[c] = n;
  auto key_is = [&](std::uint32_t n, std::string_view key) { return nodes[n].key_str() == key; };
  // Component maps: entries of a `components` list of the top level or of a template.
  auto in_template = [&](std::uint32_t list) {
    const std::uint32_t t = parent[list];
    return t != 0 && nodes[t].type == NodeType::map && parent[t] != 0 &&
           key_is(parent[t], "templates") && parent[parent[t]] == 0;
  };
  auto is_component = [&](std::uint32_t map) {
    if (map == 0 || nodes[map].type != NodeType::map) return false;
    const std::uint32_t list = parent[map];
    if (list == 0 || nodes[list].type != NodeType::seq || !key_is(list, "components")) return false;
    return parent[list] == 0 || in_template(list);
  };
  auto has_dollar = [](const Node& node) {
    return node.type == NodeType::string && node.str().find('$') != std::string_view::npos;
  };
  // Elements are found by their component's place, so two component maps at one place could not
  // be told apart: such places are left to build(). (None arise from YAML or JSON as read today:
  // the copy a YAML alias makes takes the alias's place.)
  std::unordered_map<std::uint64_t, int> places;
  std::size_t cursor = 0;
  for (std::uint32_t n = 1; n < nodes.size(); ++n)
    if (is_component(n)) ++places[place_key(document.where(nodes[n], cursor))];

  for (std::uint32_t n = 1; n < nodes.size(); ++n) {
    if (!has_dollar(nodes[n])) continue;
    references.push_back(n);
    Site site;
    const std::uint32_t map = parent[n];
    if (is_component(map)) {
      site.component = map;
      site.in_template = in_template(parent[map]);
      const detail::SectionInfo* section = nullptr;
      bool type_written = false;
      for (const std::uint32_t c : detail::Children(document, map)) {
        if (!key_is(c, "type")) continue;
        type_written = !has_dollar(nodes[c]) && nodes[c].type == NodeType::string;
        if (type_written) section = detail::find_section(nodes[c].str());
      }
      if (section != nullptr && section->component) {
        const std::size_t k = section->index_of(nodes[n].key_str());
        std::size_t at = 0;
        site.patchable = k < section->keys.size() && numeric(section->keys[k].kind) &&
                         places[place_key(document.where(nodes[map], at))] == 1;
      }
    }
    sites.push_back(site);
  }
  resolved.resize(references.size());
}

void ModelSource::State::index_elements(const ModelSpec& spec) {
  for_each_model_kind([&]<typename K>() {
    auto& at = elements_at[static_cast<std::size_t>(K::kind)];
    at.clear();
    const auto& elements = K::elements(spec);
    for (std::size_t i = 0; i < elements.size(); ++i)
      at[place_key(elements[i].where)].push_back(static_cast<std::uint32_t>(i));
  });
  indexed = true;
}

ModelSource::ModelSource(std::string_view text, SourceFormat format, const std::string& file_name)
    : state_(std::make_unique<State>(file_name, text,
                                     format == SourceFormat::yaml ? Document::Positions::lines
                                                                  : Document::Positions::offsets)) {
  if (format == SourceFormat::yaml)
    detail::read_yaml_tree(text, state_->document, state_->tree_problems);
  else
    detail::read_json_tree(text, state_->document);
  state_->written = state_->document.nodes;
  state_->read_checkpoint = state_->document.checkpoint();
  state_->find_references();
}

ModelSource::~ModelSource() = default;
ModelSource::ModelSource(ModelSource&&) noexcept = default;
ModelSource& ModelSource::operator=(ModelSource&&) noexcept = default;

ParsedModel ModelSource::build(const LoadOptions& options) {
  State& s = *state_;
  core::DiagnosticList diagnostics = s.tree_problems;
  auto parameters = s.resolve(options.parameters, diagnostics);
  s.remember_resolved();
  ModelSpec model = detail::build_model(s.document, diagnostics, options.memory_limit_bytes);
  model.parameters = std::move(parameters);
  s.indexed = false;
  return {std::move(model), std::move(diagnostics)};
}

bool ModelSource::Patched::any() const noexcept {
  return std::any_of(indices.begin(), indices.end(), [](const auto& i) { return !i.empty(); });
}

bool ModelSource::Patched::only(ElementKind kind) const noexcept {
  for (std::size_t k = 0; k < indices.size(); ++k)
    if (!indices[k].empty() && k != static_cast<std::size_t>(kind)) return false;
  return true;
}

std::optional<ModelSource::Patched> ModelSource::patch_values(
    std::span<const ParameterOverride> overrides, ModelSpec& spec) {
  State& s = *state_;
  core::DiagnosticList diagnostics;
  std::vector<Parameter> parameters = s.resolve(overrides, diagnostics);
  if (!diagnostics.items().empty()) return std::nullopt;
  std::vector<std::uint32_t> components;
  std::vector<bool> in_template;
  for (std::size_t r = 0; r < s.references.size(); ++r) {
    const Node& node = s.document.nodes[s.references[r]];
    if (node.type == s.resolved[r].type && node.str() == s.resolved[r].text) continue;
    if (!s.sites[r].patchable) return std::nullopt;
    if (std::find(components.begin(), components.end(), s.sites[r].component) == components.end()) {
      components.push_back(s.sites[r].component);
      in_template.push_back(s.sites[r].in_template);
    }
  }
  if (!s.indexed) s.index_elements(spec);

  // Every changed component read again, and checked to make the same kinds of element as
  // before, before anything is changed.
  struct Reread {
    ModelSpec values;
    Where place;
  };
  std::vector<Reread> rereads;
  rereads.reserve(components.size());
  for (std::size_t c = 0; c < components.size(); ++c) {
    Reread& reread = rereads.emplace_back();
    detail::Builder builder(s.document, diagnostics);
    builder.read_component_alone(components[c], in_template[c], reread.values);
    if (!diagnostics.items().empty()) return std::nullopt;
    std::size_t cursor = 0;
    reread.place = s.document.where(s.document.nodes[components[c]], cursor);
    bool built_anywhere = false, same_kinds = true;
    for_each_model_kind([&]<typename K>() {
      const std::size_t read = K::elements(reread.values).size();
      const auto& at = s.elements_at[static_cast<std::size_t>(K::kind)];
      const bool built = at.find(place_key(reread.place)) != at.end();
      built_anywhere = built_anywhere || built;
      same_kinds = same_kinds && read <= 1 && (read == 1) == built;
    });
    // A template that no instance stamps has built nothing to patch.
    if (built_anywhere && !same_kinds) return std::nullopt;
  }

  Patched patched;
  for (Reread& reread : rereads) {
    for_each_model_kind([&]<typename K>() {
      auto& read = K::elements(reread.values);
      const auto& at = s.elements_at[static_cast<std::size_t>(K::kind)];
      const auto found = at.find(place_key(reread.place));
      if (read.empty() || found == at.end()) return;
      auto& indices = patched.indices[static_cast<std::size_t>(K::kind)];
      indices.insert(indices.end(), found->second.begin(), found->second.end());
      for (const std::uint32_t i : found->second) {
        auto& element = K::elements(spec)[i];
        typename K::Element values = read.front();
        // What expansion and bus resolution gave the element stays; the rest is re-read.
        values.id = std::move(element.id);
        const auto from = K::ports(element);
        const auto to = K::ports(values);
        for (std::size_t p = 0; p < from.size(); ++p) *to[p] = *from[p];
        values.where = element.where;
        values.origin = element.origin;
        element = std::move(values);
      }
    });
  }
  spec.parameters = std::move(parameters);
  s.remember_resolved();
  return patched;
}

}  // namespace g2g::model

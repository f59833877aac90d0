// The model-file builder shared by the YAML and JSON loaders.
//
// Each loader turns its text into a `Document`: a light tree of maps, sequences and scalars that
// keeps every scalar's text as written and where it was written. `build_model` then reads the
// grid2gpu schema from that tree, so both formats accept exactly the same models and report
// problems the same way. The schema itself (every key of every section, with its kind, unit,
// default and meaning) is one table, `schema_sections()`, which the builder reads, the JSON
// Schema in docs/model.schema.json is generated from, and the key tables in docs/model-format.md
// are checked against.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/fields.hpp"
#include "g2g/core/units.hpp"
#include "g2g/model/element_kinds.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::model::detail {

// ---- Document tree ------------------------------------------------------------------------

enum class NodeType : std::uint8_t { null, boolean, number, string, map, seq };

// Nodes are stored in pre-order: a container's children follow it and `end` is the index just
// past its subtree, so the next sibling of child c is at nodes[c].end. A map entry is its value
// node carrying the key. Text points into buffers the loader keeps alive while building.
struct Node {
  const char* text = nullptr;  // scalar as written; numbers and booleans unconverted
  const char* key = nullptr;   // key when this node is a map entry's value
  std::uint32_t text_size = 0;
  std::uint32_t end = 0;
  std::uint32_t count = 0;     // children of a map or sequence
  std::uint16_t key_size = 0;  // keys are short; a longer one is cut (and then unknown)
  NodeType type = NodeType::null;
  bool boolean = false;

  // Clamps a key's length to what key_size holds.
  static std::uint16_t key_length(std::size_t size) noexcept {
    return static_cast<std::uint16_t>(size < 65535 ? size : 65535);
  }

  [[nodiscard]] std::string_view str() const noexcept { return {text, text_size}; }
  [[nodiscard]] std::string_view key_str() const noexcept { return {key, key_size}; }
  [[nodiscard]] bool is_container() const noexcept {
    return type == NodeType::map || type == NodeType::seq;
  }
};

class Document {
 public:
  enum class Positions : std::uint8_t {
    lines,    // `positions` holds each node's line and column (YAML)
    offsets,  // `offsets` holds where each value starts in the text (JSON); lines and columns
              // are worked out when asked for, and a key's place from its value's
  };
  Document(std::string file, std::string_view source, Positions positions);

  // Where a node and its key were written (Positions::lines), kept beside the nodes so that
  // JSON's much larger trees do not carry them.
  struct Position {
    std::uint32_t line = 0;  // 1-based
    std::uint32_t key_line = 0;
    std::uint16_t column = 0;  // 1-based, saturating
    std::uint16_t key_column = 0;
  };

  std::vector<Node> nodes;             // nodes[0] is the root once built
  std::vector<Position> positions;     // per node (Positions::lines)
  std::vector<std::uint32_t> offsets;  // per node (Positions::offsets): byte offset of its value
  // Element edits (model/edits.hpp): the builder reads `node` as the value of `key` of the
  // component map `map`. Their nodes lie past the root's subtree. Sorted by map.
  struct EditedValue {
    std::uint32_t map = 0;
    std::string_view key;  // the schema's own spelling (static storage)
    std::uint32_t node = 0;
  };
  std::vector<EditedValue> edited;

  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] core::SourceLocation location(const Node& node) const;
  [[nodiscard]] core::SourceLocation key_location(const Node& node) const;
  [[nodiscard]] core::SourceLocation offset_location(std::size_t offset) const;
  // "components[12].length": the keys and sequence indices from the root down to node `index`
  // (empty for the root or a node outside the tree). Filled into the locations of a JSON
  // document (Positions::offsets), whose text may be one machine-made line.
  [[nodiscard]] std::string path_of(std::size_t index) const;
  // Line and column of a node without the file name. The builder asks this for every element,
  // mostly in document order: `cursor` (the caller's, starting at 0) remembers the last answer
  // so that the next one is found from there. Safe to call from several threads, each with its
  // own cursor.
  [[nodiscard]] Where where(const Node& node, std::size_t& cursor) const;
  // Copies `text` into storage that lives as long as the document (for text a parser does not
  // keep, such as a parameter's value substituted into a node).
  const char* keep(std::string_view text);

  // Nodes whose problem was already reported by an earlier pass (a parameter reference that
  // did not resolve), so the builder does not report the same value again. Marked in
  // increasing node order.
  void mark_reported(std::uint32_t node) { reported_.push_back(node); }
  [[nodiscard]] bool is_reported(std::uint32_t node) const noexcept {
    return !reported_.empty() && std::binary_search(reported_.begin(), reported_.end(), node);
  }

  // What keep() and mark_reported() have added up to now, to return to with rewind(): a
  // document read once has its parameters resolved again for each set of values
  // (model::ModelSource). Text kept after the checkpoint is freed; nodes must not point to it.
  struct Checkpoint {
    std::size_t chunks = 0;
    std::size_t chunk_size = 0;
    std::size_t chunk_used = 0;
    std::size_t reported = 0;
  };
  [[nodiscard]] Checkpoint checkpoint() const noexcept {
    return {storage_.size(), storage_size_, storage_used_, reported_.size()};
  }
  void rewind(const Checkpoint& to) {
    storage_.resize(to.chunks);
    storage_size_ = to.chunk_size;
    storage_used_ = to.chunk_used;
    reported_.resize(to.reported);
  }

 private:
  [[nodiscard]] Where offset_where(std::size_t offset, std::size_t& cursor) const;
  [[nodiscard]] std::size_t key_offset(std::size_t value_offset) const;

  std::string file_;
  std::string_view source_;
  Positions positions_;
  std::vector<std::unique_ptr<char[]>> storage_;
  std::size_t storage_size_ = 0;
  std::size_t storage_used_ = 0;
  std::vector<std::uint32_t> reported_;
  std::vector<std::uint32_t> line_starts_;  // Positions::offsets: where each line starts
};

// Iterates the children of container `index`.
class Children {
 public:
  class Iterator {
   public:
    Iterator(const std::vector<Node>* nodes, std::uint32_t at) : nodes_(nodes), at_(at) {}
    std::uint32_t operator*() const noexcept { return at_; }
    Iterator& operator++() noexcept {
      at_ = (*nodes_)[at_].end;
      return *this;
    }
    bool operator!=(const Iterator& other) const noexcept { return at_ != other.at_; }

   private:
    const std::vector<Node>* nodes_;
    std::uint32_t at_;
  };
  Children(const Document& document, std::uint32_t index)
      : nodes_(&document.nodes), begin_(index + 1), end_(document.nodes[index].end) {}
  // The children of one container from node `first` (one of them) up to node `end` (the next
  // one, or the container's end).
  Children(const Document& document, std::uint32_t first, std::uint32_t end)
      : nodes_(&document.nodes), begin_(first), end_(end) {}
  [[nodiscard]] Iterator begin() const { return {nodes_, begin_}; }
  [[nodiscard]] Iterator end() const { return {nodes_, end_}; }

 private:
  const std::vector<Node>* nodes_;
  std::uint32_t begin_;
  std::uint32_t end_;
};

// Deepest nesting either loader accepts; deeper documents get one diagnostic, not a stack
// overflow.
inline constexpr int max_document_depth = 128;

// How a plain (unquoted) YAML scalar is typed, the same way JSON types its tokens, so the builder
// sees `800` as a number and `800 V` as a string in both formats.
NodeType classify_plain_scalar(std::string_view text) noexcept;

// ---- Building -----------------------------------------------------------------------------

// Reads the model in `document` (root at nodes[0]). Problems go to `diagnostics`; the model is
// complete only when none of them is an error. Elements that had an error are left out.
// `memory_limit_bytes` (0: none) bounds the memory the expanded model would need to be checked
// and solved, estimated before expanding (bytes_per_element_estimate).
ModelSpec build_model(const Document& document, core::DiagnosticList& diagnostics,
                      std::uint64_t memory_limit_bytes = 0);

// Largest number of buses plus components a model may expand to, checked before expanding.
inline constexpr std::uint64_t max_model_elements = 20'000'000;
// Memory a model takes per bus or component to be read, checked and solved, for the estimate
// made before templates are expanded: `grid2gpu solve` of a 1e6-bus DC network (1.9e6
// components) peaked at 1.72 GB resident (docs/model-format.md, "How large a model may be").
inline constexpr std::uint64_t bytes_per_element_estimate = 600;

// Runs validate_model; returns when no error was found (the warnings appended to `warnings`
// when given), else throws core::ModelError with every diagnostic (the builder's and
// validation's) in file order.
void finish_model(const ModelSpec& model, core::DiagnosticList diagnostics,
                  core::DiagnosticList* warnings = nullptr);

// Reactance per metre a line gets when none is given (see docs/model-format.md).
double default_reactance_per_m(LineType type) noexcept;

// ---- Schema table -------------------------------------------------------------------------

enum class ValueKind : std::uint8_t {
  text,      // a name or label
  version,   // the format version, an integer
  quantity,  // a number with a unit of `dimension`; a bare number is SI
  percent,   // a ratio written as "6 %" or 0.06; stored as percent
  setpoint,  // per unit of the bus nominal voltage, or a voltage with a unit
  integer,
  boolean,
  choice,       // one of `choices`
  bus,          // the id of a bus (or a template port)
  efficiency,   // a ratio, or a list of [load_fraction, efficiency] pairs
  zip,          // [z, i, p] fractions
  rated,        // a quantity of `dimension`, or a percentage of the element's rated value
  ocv,          // a list of [state_of_charge, voltage] points
  names,        // a list of names
  section,      // a nested map with its own keys (solver, origin)
  connections,  // a map of port name -> bus id
  list,         // a list of maps (buses, components, instances)
  templates,    // a map of template name -> template
  parameters,   // a map of parameter name -> value (resolved before building: parameters.hpp)
};

struct KeyInfo {
  std::string_view name;
  ValueKind kind = ValueKind::text;
  core::Dimension dimension = core::Dimension::dimensionless;
  bool required = false;
  std::string_view default_text;  // what an absent optional key means (documentation)
  std::string_view description;
  std::vector<std::string_view> choices;  // ValueKind::choice
  std::string_view section;               // ValueKind::section / list: the section it holds
};

// The most keys a section may have (the builder keeps one slot per key on the stack); a
// converter has 29.
inline constexpr std::size_t max_section_keys = 40;

// One kind of map in a model file: the top level, solver, bus, template, instance, origin, or a
// component type (then `component` is true and `name` is the value of its `type` key).
struct SectionInfo {
  std::string_view name;
  std::string_view description;
  bool component = false;
  std::vector<KeyInfo> keys;

  // Index of the key called `key` in `keys`, or keys.size(). Hashed: the builder asks this for
  // every key of every element.
  [[nodiscard]] std::size_t index_of(std::string_view key) const noexcept;
  void build_index();
  std::array<std::uint8_t, 64> index{};  // hash -> key index + 1; 0 none; 255 look linearly

  // A component section's kind and the function that reads one element of it (K::read).
  using ReadFn = void (*)(Builder&, Fields&, std::string_view, Scope&, ModelSpec&);
  ReadFn read = nullptr;
  ElementKind element_kind = ElementKind::source;
};

// Every section, top level first, then the component types in documentation order.
const std::vector<SectionInfo>& schema_sections();
const SectionInfo* find_section(std::string_view name);
// Component `type` values the loader accepts, in documentation order.
std::vector<std::string_view> component_type_names();

// The JSON Schema (draft 2020-12) of the format, generated from the table above.
std::string model_json_schema();
// Markdown tables of every key, generated from the table above, for docs/model-format.md.
std::string model_key_tables();

// ---- Small helpers shared by the loaders and the writer -----------------------------------

// Typo suggestions, one implementation for every configuration reader (core/fields.hpp).
using core::closest_match;
using core::did_you_mean;

}  // namespace g2g::model::detail

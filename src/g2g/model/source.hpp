// A model file read once and built many times with different parameter values: the scenarios of
// a sweep. Reading the text (YAML or JSON) into its document tree is done once; each build
// resolves the parameters on a fresh copy of the small pre-expansion tree, then builds as
// parse_yaml / parse_json do. When new values change only numbers of components (a cable's
// length, an efficiency), patch_values() re-reads just the components those numbers are written
// in, through the builder's own field parsing, and copies the result into every element stamped
// from them. api::ModelTemplate is the interface; docs/api.md, "Scenarios".
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/element_kinds.hpp"
#include "g2g/model/loader.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::model {

namespace detail {
class Document;

// The document trees of the loaders, without building: YAML (parse_yaml's first step; problems
// found in the tree go to `diagnostics`) and JSON (the text must be followed by json_padding
// readable bytes, and outlive the document, whose nodes point into it). Both throw
// core::ModelError on a syntax error.
void read_yaml_tree(std::string_view text, Document& document, core::DiagnosticList& diagnostics);
void read_json_tree(std::string_view text, Document& document);
}  // namespace detail

enum class SourceFormat : std::uint8_t { yaml, json };

class ModelSource {
 public:
  // Reads the tree of `text`; throws core::ModelError on a syntax error (every build would). The
  // text must outlive the source; JSON text must be followed by json_padding readable bytes.
  ModelSource(std::string_view text, SourceFormat format, const std::string& file_name);
  ~ModelSource();
  ModelSource(ModelSource&&) noexcept;
  ModelSource& operator=(ModelSource&&) noexcept;
  ModelSource(const ModelSource&) = delete;
  ModelSource& operator=(const ModelSource&) = delete;

  // What parse_yaml / parse_json make of the text with these options, bit for bit.
  ParsedModel build(const LoadOptions& options);

  // The elements a patch changed: per element kind, their indices in the model.
  struct Patched {
    std::array<std::vector<std::uint32_t>, model_kind_count> indices;
    [[nodiscard]] bool changed(ElementKind kind) const noexcept {
      return !indices[static_cast<std::size_t>(kind)].empty();
    }
    [[nodiscard]] bool any() const noexcept;
    // Nothing but elements of `kind` changed (or nothing at all).
    [[nodiscard]] bool only(ElementKind kind) const noexcept;
  };

  // Turns `spec` into what build() would make with `overrides`, when they change only numbers
  // written in components (a quantity, a percentage, a set-point, an efficiency or a whole
  // number such as `modules`). `spec` must be the model of the last build() or patch_values()
  // that succeeded, and have passed validation; converters with a `design:` that were patched
  // have an empty efficiency again (the caller resolves designs, as after build()). Returns
  // nullopt, leaving `spec` as it was, when the change reaches anything else (a count, an id, a
  // bus, a choice, a bus or the solver section), when a re-read value has any problem (build()
  // reports it where it was written), or when two components share a place in the file (so that
  // their elements cannot be told apart).
  std::optional<Patched> patch_values(std::span<const ParameterOverride> overrides,
                                      ModelSpec& spec);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace g2g::model

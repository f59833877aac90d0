// Model files -> ModelSpec. YAML is the human format; JSON (same schema) is the fast format for
// machine-generated networks. Both go through one builder, so they accept exactly the same models.
// See docs/model-format.md.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::model {

// Each throws core::ModelError carrying every problem found (file, line, column, fix), never
// only the first. `file_name` is used in diagnostics and stored in ModelSpec::source_file.
ModelSpec load_yaml(std::string_view text, const std::string& file_name);
ModelSpec load_json(std::string_view text, const std::string& file_name);

// A change to one element, written as the model file would write it: the element's `id`, one key
// of its type and the value's text ("98.5 %", "2 MW"). The builder reads the value in place of
// the file's, through the same key table, units and range checks (docs/model-format.md,
// "Element edits"). Only elements written in the top-level component list can be edited.
struct ElementEdit {
  std::string id;
  std::string key;
  std::string value;
};

// What a caller can change about a model while loading it.
struct LoadOptions {
  // Replace the written value of these parameters (each must be declared under `parameters:`).
  std::vector<ParameterOverride> parameters;
  // Bytes that may be read (whatever they hold) in memory after the end of the text. With at
  // least json_padding, load_json parses a large file where it lies instead of copying it first;
  // e.g. a std::string's capacity() - size().
  std::size_t readable_after_text = 0;
  // The memory the expanded model may need (detail::bytes_per_element_estimate per bus or
  // component, estimated before templates are expanded); 0: no limit but the element count.
  std::uint64_t memory_limit_bytes = 0;
  // Applied in order (a later edit of the same key wins), after the parameters.
  std::vector<ElementEdit> edits;
};
// What load_json needs after the text to read it in place (see LoadOptions).
inline constexpr std::size_t json_padding = 64;
ModelSpec load_yaml(std::string_view text, const std::string& file_name,
                    const LoadOptions& options);
ModelSpec load_json(std::string_view text, const std::string& file_name,
                    const LoadOptions& options);

// A model as read, before validation: what the builder made of the file and the problems it
// found (an element with an error is left out). For a caller that validates in one place
// (api::validate); load_yaml and load_json are these followed by validate_model.
struct ParsedModel {
  ModelSpec spec;
  core::DiagnosticList diagnostics;
};
ParsedModel parse_yaml(std::string_view text, const std::string& file_name,
                       const LoadOptions& options = {});
ParsedModel parse_json(std::string_view text, const std::string& file_name,
                       const LoadOptions& options = {});

// Runs validate_model on a parsed model; returns the model when no error was found, or throws
// core::ModelError with every diagnostic (the builder's and validation's) in file order, each
// once. Warnings are appended to `warnings` when given.
ModelSpec validated(ParsedModel parsed, core::DiagnosticList* warnings = nullptr);
// The same check on a model that stays where it is (`diagnostics`: the builder's); returns when
// there is no error.
void check_parsed(const ModelSpec& spec, core::DiagnosticList diagnostics,
                  core::DiagnosticList* warnings = nullptr);

// Writes a model back as YAML that load_yaml reads to an equal ModelSpec (templates expanded).
std::string write_yaml(const ModelSpec& model);

}  // namespace g2g::model

// Model parameters: named quantities declared once under `parameters:` and referred to from any
// value as `$name` (the parameter's text, unit and all, so the field's unit check still applies)
// or `$(expression)` (arithmetic over parameters in SI units, evaluated by muparser). Overrides
// given by the caller (`--set name=value`) replace a parameter's written value. This runs on the
// document tree before the builder reads it, so templates and instances see resolved values.
// See docs/model-format.md, "Parameters".
#pragma once

#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/builder.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::model::detail {

// The expressions one resolution evaluated, each with the values of the names it reads, kept
// for the next resolution of the same document (a sweep's scenarios, model::ModelSource): an
// expression whose names all have the same values again takes its value from here instead of
// from muparser, which would compute the same number. So do parameters' quantities ("30 m")
// read before, and names muparser took as variables. Only the last resolution's are kept.
class ExpressionMemo {
 public:
  // The value kept under `key` (expression_key), if any; a hit is kept for the next resolution.
  [[nodiscard]] std::optional<double> find(const std::string& key);
  void add(std::string key, double value);
  // Ends a resolution: what it found or added is what the next one may find.
  void next_resolution();

 private:
  std::unordered_map<std::string, double> last_;  // the last resolution's
  std::unordered_map<std::string, double> this_;  // this one's so far
};

// Resolves the `parameters:` section of `document` (root at nodes[0]) in the order written,
// applies `overrides`, then rewrites every `$name` / `$(expression)` scalar of the document in
// place. Problems go to `diagnostics`. Returns the parameters with their final values. With a
// `memo`, expressions evaluated by the last resolution with it are not evaluated again when
// their names have the same values (the result is the same).
std::vector<Parameter> resolve_parameters(Document& document,
                                          std::span<const ParameterOverride> overrides,
                                          core::DiagnosticList& diagnostics,
                                          ExpressionMemo* memo = nullptr);

}  // namespace g2g::model::detail

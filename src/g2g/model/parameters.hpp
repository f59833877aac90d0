// Model parameters: named quantities declared once under `parameters:` and referred to from any
// value as `$name` (the parameter's text, unit and all, so the field's unit check still applies)
// or `$(expression)` (arithmetic over parameters in SI units, evaluated by muparser). Overrides
// given by the caller (`--set name=value`) replace a parameter's written value. This runs on the
// document tree before the builder reads it, so templates and instances see resolved values.
// See docs/model-format.md, "Parameters".
#pragma once

#include <span>
#include <vector>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/builder.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::model::detail {

// Resolves the `parameters:` section of `document` (root at nodes[0]) in the order written,
// applies `overrides`, then rewrites every `$name` / `$(expression)` scalar of the document in
// place. Problems go to `diagnostics`. Returns the parameters with their final values.
std::vector<Parameter> resolve_parameters(Document& document,
                                          std::span<const ParameterOverride> overrides,
                                          core::DiagnosticList& diagnostics);

}  // namespace g2g::model::detail

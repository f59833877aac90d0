// Checks on a ModelSpec that need no graph: value ranges, bus kinds at each port, ratings,
// efficiency curves. Topology checks (islands without a source) live in topology/.
#pragma once

#include <cstdint>
#include <span>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/element_kinds.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::model {

// The longest id a bus or component may have (after template expansion), in bytes: ids are
// printed in tables, diagnostics and reports.
inline constexpr std::size_t max_id_bytes = 512;
// The longest model name, in bytes (it heads tables and reports).
inline constexpr std::size_t max_name_bytes = 1000;

// Returns every problem found; an empty error count means the model may be solved.
core::DiagnosticList validate_model(const ModelSpec& model);

// The checks validate_model makes of each element, made of the elements of `kind` at `indices`
// only, in that order. Nothing else validate_model checks (the model's own fields, the buses,
// the ids) depends on an element's values, and no element's check reads another element: so
// after a change of values only (model::ModelSource::patch_values) these are the only results
// that can differ.
core::DiagnosticList validate_elements(const ModelSpec& model, ElementKind kind,
                                       std::span<const std::uint32_t> indices);

}  // namespace g2g::model

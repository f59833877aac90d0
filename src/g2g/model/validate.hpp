// Checks on a ModelSpec that need no graph: value ranges, bus kinds at each port, ratings,
// efficiency curves. Topology checks (islands without a source) live in topology/.
#pragma once

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::model {

// The longest id a bus or component may have (after template expansion), in bytes: ids are
// printed in tables, diagnostics and reports.
inline constexpr std::size_t max_id_bytes = 512;
// The longest model name, in bytes (it heads tables and reports).
inline constexpr std::size_t max_name_bytes = 1000;

// Returns every problem found; an empty error count means the model may be solved.
core::DiagnosticList validate_model(const ModelSpec& model);

}  // namespace g2g::model

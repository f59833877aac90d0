// Electrical islands: groups of buses joined by lines, transformers and closed switches.
// Converters separate islands (each island has its own voltage reference).
#pragma once

#include <cstdint>
#include <vector>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::topology {

struct Islands {
  std::vector<std::int32_t> island_of_bus;  // per ModelSpec bus
  std::int32_t count = 0;
};

// Finds islands (in-service branches only; open switches separate).
Islands find_islands(const model::ModelSpec& model);

// Islands with no voltage reference (slack source or voltage-controlled converter output), or
// with more than one; each diagnostic names the island's buses and the fix.
core::DiagnosticList check_topology(const model::ModelSpec& model);

}  // namespace g2g::topology

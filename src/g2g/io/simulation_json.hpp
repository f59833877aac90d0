// The summary of a time-domain run as JSON: the machine-readable output of `grid2gpu simulate
// --json`. Every field is documented in docs/results-format.md, "Simulation summary"; change both
// together.
#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

#include "g2g/dynamic/simulation_result.hpp"

namespace g2g::io {

// The value of the document's "grid2gpu_simulation" key; bumped when a field changes meaning or
// disappears (adding a field does not bump it).
inline constexpr int simulation_format_version = 1;

// The document. SI units in the key names (peak_w, time_s); a quantity the run does not have
// (no ramp in a run shorter than the window, a load that never restarted) and any non-finite
// number are null.
[[nodiscard]] nlohmann::json simulation_json(const dynamic::SimulationSummary& summary);

// simulation_json written to `path` completely or not at all (write_file_atomic), indented by two
// spaces. Throws FileError.
void write_simulation_json(const std::filesystem::path& path,
                           const dynamic::SimulationSummary& summary);

}  // namespace g2g::io

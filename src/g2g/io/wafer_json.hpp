// The result of `grid2gpu wafer --json` (fab::WaferStudy). Fields: docs/fab.md § JSON output;
// change both together.
#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

#include "g2g/fab/wafer_study.hpp"

namespace g2g::io {

// The value of the document's "grid2gpu_wafer" key; bumped when a field changes meaning.
inline constexpr int wafer_format_version = 1;

// SI units in the key names (diameter_m, stress_pa, d0_per_m2); a quantity the SPEC does not
// ask for (no cost, no stated yield) and any non-finite number are null.
[[nodiscard]] nlohmann::json wafer_json(const fab::WaferStudy& study);

// wafer_json written completely or not at all (write_file_atomic). Throws FileError.
void write_wafer_json(const std::filesystem::path& path, const fab::WaferStudy& study);

}  // namespace g2g::io

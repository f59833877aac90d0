// Steady-state results as JSON: the complete, machine-readable output of `grid2gpu solve --json`.
// The format is documented field by field in docs/results-format.md; change both together.
#pragma once

#include <filesystem>
#include <string>

#include "g2g/model/spec.hpp"
#include "g2g/steady/results.hpp"

namespace g2g::io {

// Version of the results format; bumped when a field changes meaning or disappears (adding a
// field does not bump it).
inline constexpr int results_format_version = 1;

// The whole results document. Numbers are written in their shortest round-trip form, so parsing
// gives back the exact doubles; NaN and infinities (not representable in JSON) become null.
// Throws std::out_of_range if `result` refers to elements `model` does not have.
std::string format_results_json(const model::ModelSpec& model, const steady::SolveResult& result);

// format_results_json written atomically to `path` (see write_file_atomic).
void write_results_json(const std::filesystem::path& path, const model::ModelSpec& model,
                        const steady::SolveResult& result);

}  // namespace g2g::io

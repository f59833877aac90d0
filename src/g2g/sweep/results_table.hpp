// A finished sweep's results.csv as the report reads it (study::SweepTable): each row's
// architecture, parameter values and outputs, which outputs the page draws (the end-to-end
// efficiency, the copper, the claim columns) and each column's unit. docs/sweep.md, "Report".
#pragma once

#include <filesystem>
#include <string_view>

#include "g2g/study/sweep_summary.hpp"
#include "g2g/sweep/plan.hpp"

namespace g2g::sweep {

// The unit of an output column as its name spells it: "_w" W, "_kg" kg, "_m" m; empty for a
// ratio, a count or a verdict.
std::string output_unit(std::string_view name);

// DIR/results.csv of `plan`, typed. Throws io::FileError when it cannot be read, InvalidInput
// when its header is not the plan's (another sweep's results) or a number does not read.
study::SweepTable results_table(const std::filesystem::path& dir, const Plan& plan);

}  // namespace g2g::sweep

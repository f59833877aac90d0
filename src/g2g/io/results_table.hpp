// Steady-state results as text for a terminal: every bus and element for small models, a summary
// (totals, extreme voltages, most loaded elements, violations) for large ones, where a full table
// would scroll thousands of lines past the part that matters.
#pragma once

#include <cstddef>
#include <string>

#include "g2g/model/spec.hpp"
#include "g2g/steady/results.hpp"

namespace g2g::io {

struct TableOptions {
  // Above either count the summary is printed instead of the full tables.
  std::size_t full_max_buses = 50;
  std::size_t full_max_elements = 200;
  std::size_t extreme_buses = 5;    // summary: this many lowest and highest v_pu buses
  std::size_t top_loaded = 10;      // summary: most loaded elements
  std::size_t max_violations = 20;  // summary: violations listed (all are counted)
  // Appended to the summary to say where the full results are ("use --json FILE ...").
  std::string full_results_hint;
};

std::string format_results_table(const model::ModelSpec& model, const steady::SolveResult& result,
                                 const TableOptions& options = {});

// Engineering notation with an SI prefix and 4 significant digits ("1.234 MW", "800 V", "0 W").
std::string format_engineering(double value, std::string_view unit);

}  // namespace g2g::io

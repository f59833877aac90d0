// Sizing results as text: a terminal table, JSON and CSV (strings; io::write_file_atomic writes
// them). Formats in docs/sizing.md.
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "g2g/model/spec.hpp"
#include "g2g/sizing/conductor_power.hpp"
#include "g2g/sizing/sizing.hpp"

namespace g2g::sizing {

struct ReportOptions {
  std::size_t max_rows = 60;    // rows listed in the terminal table; the rest are summarised
  bool group_instances = true;  // lines of one template element that print alike share a row
};

// The options used, a row per cable/busbar (element, current, size, ampacity, loading, drop,
// mass, status), notes for lines not sized, and totals. Template instances that print alike
// share a row, "x N" (ReportOptions::group_instances; off: every line).
[[nodiscard]] std::string format_sizing_table(const model::ModelSpec& model,
                                              const IterativeSizing& result,
                                              const SizingOptions& options,
                                              const ReportOptions& report = {});
// {"options", "passes", "stable", "totals", "lines": [...]}; SI units, names with units. Line
// ids come from result.sizing.sized_model, notes quote result.sizing.options.
[[nodiscard]] std::string sizing_json(const IterativeSizing& result, const SizingOptions& options);
// One row per line, header first; SI units except cross-sections in mm2. Ids and notes as above.
[[nodiscard]] std::string sizing_csv(const IterativeSizing& result);

// The power one conductor carries at each architecture, with ratios to 415 V AC.
[[nodiscard]] std::string format_conductor_power_table(std::span<const ConductorPower> rows);

}  // namespace g2g::sizing

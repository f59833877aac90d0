// Steady-state results as CSV, one table per file, for spreadsheets and pandas. Columns are the
// JSON fields of the same name (docs/results-format.md); SI units, numbers round-trip exactly.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "g2g/model/spec.hpp"
#include "g2g/steady/results.hpp"

namespace g2g::io {

std::string format_buses_csv(const model::ModelSpec& model, const steady::SolveResult& result);
std::string format_elements_csv(const model::ModelSpec& model, const steady::SolveResult& result);
// Long format: category,name,value (category is "total", "loss_by_type" or "loss_by_stage").
std::string format_totals_csv(const steady::SolveResult& result);
// The rows of totals.csv (category, name, value) in order, for another writer of the same table
// (the Python module's DataFrame).
void for_each_total(const steady::Totals& totals,
                    const std::function<void(std::string_view, std::string_view, double)>& row);
std::string format_violations_csv(const steady::SolveResult& result);

// Writes buses.csv, elements.csv, totals.csv and violations.csv into `dir` (created if missing).
// Each file is written atomically; the set is not (a failure part-way leaves the earlier files
// updated and the later ones untouched). Every document is formatted before the first write, so a
// formatting error writes nothing.
void write_results_csv(const std::filesystem::path& dir, const model::ModelSpec& model,
                       const steady::SolveResult& result);

}  // namespace g2g::io

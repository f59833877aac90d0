#include "g2g/sweep/results_table.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

#include "g2g/core/error.hpp"
#include "g2g/io/files.hpp"
#include "g2g/sweep/parts.hpp"

namespace g2g::sweep {

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() > suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// A results.csv number: empty is NaN (no value), anything else must read whole.
double number(const std::string& field, const std::string& file, std::size_t line,
              std::string_view column) {
  if (field.empty()) return std::numeric_limits<double>::quiet_NaN();
  double value = 0.0;
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (error != std::errc() || end != field.data() + field.size())
    throw InvalidInput(
        std::string(column),
        fmt::format("{}: line {}: {} '{}' is not a number", file, line, column, field),
        "run the sweep again, or --resume it, to write the file anew");
  return value;
}

}  // namespace

std::string output_unit(std::string_view name) {
  if (ends_with(name, "_w")) return "W";
  if (ends_with(name, "_kg")) return "kg";
  if (ends_with(name, "_m")) return "m";
  return {};
}

study::SweepTable results_table(const std::filesystem::path& dir, const Plan& plan) {
  const std::filesystem::path path = dir / "results.csv";
  const std::string file = path.string();
  const auto rows = read_csv(io::read_text_file(path), file);
  const std::vector<std::string> columns = result_columns(plan);
  if (rows.empty() || rows.front() != columns)
    throw InvalidInput("results.csv", fmt::format("{}: its header is not this sweep's", file),
                       "run the sweep into this directory again");

  study::SweepTable table;
  table.name = plan.spec().name;
  switch (plan.spec().combine) {
    case Combine::grid:
      table.combine = study::SweepCombine::grid;
      break;
    case Combine::zip:
      table.combine = study::SweepCombine::zip;
      break;
    case Combine::monte_carlo:
      table.combine = study::SweepCombine::monte_carlo;
      break;
  }
  for (std::size_t a = 0; a < plan.architecture_count(); ++a)
    table.architectures.push_back(std::filesystem::path(plan.model_name(a)).stem().string());
  for (const auto& p : plan.spec().parameters)
    table.parameters.push_back({p.name, std::string(core::si_symbol(p.dimension))});
  const auto& outputs = plan.output_names();
  for (std::size_t o = 0; o < outputs.size(); ++o) {
    table.outputs.push_back({outputs[o], output_unit(outputs[o])});
    if (outputs[o] == "end_to_end_efficiency") table.efficiency = o;
    if (outputs[o] == "copper_kg") table.copper = o;
    if (outputs[o].starts_with("claim_")) table.claims.push_back(o);
  }

  // index, id, architecture, parameters, outputs, error_kind, error_message, error_location
  const std::size_t first_value = 3;
  const std::size_t first_output = first_value + table.parameters.size();
  const std::size_t error_kind = first_output + outputs.size();
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.size() != columns.size())
      throw InvalidInput(
          "results.csv",
          fmt::format("{}: line {} has {} fields of {}", file, r + 1, row.size(), columns.size()),
          "run the sweep into this directory again");
    study::SweepScenario s;
    const double architecture = number(row[2], file, r + 1, "architecture");
    if (!(architecture >= 0.0) || architecture >= static_cast<double>(table.architectures.size()))
      throw InvalidInput("architecture",
                         fmt::format("{}: line {}: architecture {} is not one of the sweep's {}",
                                     file, r + 1, row[2], table.architectures.size()),
                         "run the sweep into this directory again");
    s.architecture = static_cast<std::size_t>(architecture);
    for (std::size_t p = 0; p < table.parameters.size(); ++p)
      s.values.push_back(number(row[first_value + p], file, r + 1, columns[first_value + p]));
    for (std::size_t o = 0; o < outputs.size(); ++o)
      s.outputs.push_back(number(row[first_output + o], file, r + 1, columns[first_output + o]));
    s.failed = !row[error_kind].empty();
    table.scenarios.push_back(std::move(s));
  }
  return table;
}

}  // namespace g2g::sweep

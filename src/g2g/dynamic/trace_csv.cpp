// read_utilisation_csv (profile.hpp): a measured utilisation or power trace, every problem at
// file:line:column with its fix (core::ModelError), as the data tables are read.
#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string_view>
#include <utility>
#include <vector>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/fields.hpp"
#include "g2g/dynamic/profile.hpp"

namespace g2g::dynamic {
namespace {

struct Cell {
  std::string_view text;
  int column = 1;  // 1-based
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return s;
}

std::vector<Cell> cells_of(std::string_view line) {
  std::vector<Cell> cells;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
    const std::string_view raw = line.substr(start, end - start);
    const std::string_view text = trim(raw);
    const std::size_t lead = text.empty() ? 0 : static_cast<std::size_t>(text.data() - raw.data());
    cells.push_back({text, static_cast<int>(start + lead + 1)});
    if (comma == std::string_view::npos) return cells;
    start = comma + 1;
  }
}

std::optional<double> parse_number(std::string_view text) {
  double value = 0.0;
  const char* last = text.data() + text.size();
  const auto [end, error] = std::from_chars(text.data(), last, value);
  if (error != std::errc() || end != last || !std::isfinite(value)) return std::nullopt;
  return value;
}

enum class ValueColumn { utilisation, power };

// A recorded-signals header cell "NAME [UNIT]" split into its name and unit ("" for "NAME").
std::pair<std::string_view, std::string_view> name_and_unit(std::string_view cell) {
  const std::size_t open = cell.rfind(" [");
  if (open == std::string_view::npos || cell.back() != ']') return {cell, {}};
  return {cell.substr(0, open), cell.substr(open + 2, cell.size() - open - 3)};
}

}  // namespace

PiecewiseLinear read_utilisation_csv(std::string_view text, std::string_view file_name,
                                     std::optional<double> rated_power_w, std::string_view column) {
  core::DiagnosticList diagnostics;
  const std::string file(file_name);
  auto error = [&](int line, int column, std::string message, std::string fix) {
    diagnostics.error({file, line, column}, std::move(message), std::move(fix));
  };
  constexpr std::array<std::string_view, 3> known_columns{"time_s", "utilisation", "power_w"};

  std::optional<ValueColumn> value_column;
  std::size_t value_index = 1;    // the value's cell in each row
  std::size_t columns_count = 2;  // cells per row
  bool header_seen = false;
  std::vector<Breakpoint> points;
  int line_number = 0;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string_view content = trim(line);
    if (content.empty() || content.front() == '#') continue;
    const std::vector<Cell> cells = cells_of(line);

    if (!header_seen && !column.empty()) {
      header_seen = true;
      columns_count = cells.size();
      if (cells[0].text != "t_s" && cells[0].text != "time_s")
        error(line_number, cells[0].column,
              fmt::format("the first column is '{}', not 't_s' (the time of a grid2gpu simulate "
                          "CSV)",
                          cells[0].text),
              "name a CSV written by grid2gpu simulate --csv, or leave out `column:` for a "
              "time_s,utilisation or time_s,power_w trace");
      std::vector<std::string_view> names;
      for (std::size_t k = 1; k < cells.size(); ++k) {
        const auto [name, unit] = name_and_unit(cells[k].text);
        names.push_back(name);
        if (name != column) continue;
        value_index = k;
        if (unit == "W") {
          value_column = ValueColumn::power;
          if (!rated_power_w || !(*rated_power_w > 0.0) || !std::isfinite(*rated_power_w))
            error(line_number, cells[k].column,
                  fmt::format("column '{}' is a power: it needs a rated power to become a "
                              "utilisation",
                              column),
                  "give rated_power (greater than zero) beside column:");
        } else if (unit.empty()) {
          value_column = ValueColumn::utilisation;
        } else {
          error(line_number, cells[k].column,
                fmt::format("column '{}' is in {}, not a power (W) or a utilisation", column, unit),
                "record the element's power (.p) or a gpu_rack's utilisation (.u)");
        }
        break;
      }
      if (!value_column && !diagnostics.has_errors())
        error(line_number, 1, fmt::format("no column '{}' in the header", column),
              core::did_you_mean(column, names,
                                 "record it with grid2gpu simulate --record, or name a column "
                                 "of this file"));
      if (diagnostics.has_errors()) break;
      continue;
    }
    if (!header_seen) {
      header_seen = true;
      if (cells.size() != 2) {
        error(line_number, 1, fmt::format("the header has {} columns, a trace has 2", cells.size()),
              "write the header 'time_s,utilisation' or 'time_s,power_w'");
        break;
      }
      if (cells[0].text != "time_s") {
        error(line_number, cells[0].column,
              fmt::format("the first column is '{}', not 'time_s'", cells[0].text),
              core::did_you_mean(cells[0].text, known_columns, "name it 'time_s' (seconds)"));
      }
      if (cells[1].text == "utilisation") {
        value_column = ValueColumn::utilisation;
      } else if (cells[1].text == "power_w") {
        value_column = ValueColumn::power;
        if (!rated_power_w || !(*rated_power_w > 0.0) || !std::isfinite(*rated_power_w)) {
          error(line_number, cells[1].column,
                "a power trace needs the rack's rated power to become a utilisation",
                "give the rack's rated power (greater than zero), or write utilisation in [0, 1]");
        }
      } else {
        error(
            line_number, cells[1].column,
            fmt::format("the second column is '{}', not 'utilisation' or 'power_w'", cells[1].text),
            core::did_you_mean(cells[1].text, known_columns,
                               "name it 'utilisation' (0 to 1) or 'power_w' (watts)"));
      }
      continue;
    }

    if (cells.size() != columns_count) {
      error(line_number, 1, fmt::format("{} cells, the header has {}", cells.size(), columns_count),
            columns_count == 2 ? "give each row a time and a value"
                               : "give each row a cell per column of the header");
      continue;
    }
    const Cell& value_cell = cells[value_index];
    const std::optional<double> t_s = parse_number(cells[0].text);
    const std::optional<double> value = parse_number(value_cell.text);
    if (!t_s) {
      error(line_number, cells[0].column, fmt::format("'{}' is not a number", cells[0].text),
            "write the time in seconds as a plain number");
    }
    if (!value) {
      error(line_number, value_cell.column, fmt::format("'{}' is not a number", value_cell.text),
            "write a plain number");
    }
    if (!t_s || !value) continue;
    if (!points.empty() && !(*t_s > points.back().t_s)) {
      error(line_number, cells[0].column,
            fmt::format("time {} s does not increase (the row before has {} s)", *t_s,
                        points.back().t_s),
            "sort the rows by time and remove repeated times");
      continue;
    }
    double utilisation = *value;
    if (value_column == ValueColumn::power && rated_power_w && *rated_power_w > 0.0) {
      if (*value < 0.0 || *value > *rated_power_w) {
        error(line_number, value_cell.column,
              fmt::format("power {} W is outside [0, {}] W (the rated power)", *value,
                          *rated_power_w),
              "check the units (watts) and the rated power");
        continue;
      }
      utilisation = *value / *rated_power_w;
    } else if (value_column == ValueColumn::utilisation && (*value < 0.0 || *value > 1.0)) {
      error(line_number, value_cell.column, fmt::format("utilisation {} is outside [0, 1]", *value),
            "write utilisation as a fraction (0.85, not 85)");
      continue;
    }
    points.push_back({*t_s, utilisation});
  }
  if (!header_seen) {
    error(0, 0, "the trace is empty", "write a header 'time_s,utilisation' and at least two rows");
  } else if (points.size() < 2 && !diagnostics.has_errors()) {
    error(line_number, 1,
          fmt::format("the trace has {} row(s), it needs at least 2", points.size()),
          "add rows: a trace is interpolated between them");
  }
  if (diagnostics.has_errors()) throw core::ModelError(std::move(diagnostics));
  return PiecewiseLinear(std::move(points));
}

}  // namespace g2g::dynamic

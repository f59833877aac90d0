// data/protection/*.csv: a header row naming the columns (any order), then one part per row.
// The last column, `source`, takes the rest of the row, so a citation may hold commas.
#include "g2g/model/protection_parts.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "g2g/core/fields.hpp"

namespace g2g::model {

namespace {

constexpr std::array<std::string_view, 11> columns{"part",
                                                   "kind",
                                                   "manufacturer",
                                                   "rated_current_a",
                                                   "rated_voltage_dc_v",
                                                   "pre_arcing_i2t_a2s",
                                                   "clearing_i2t_a2s",
                                                   "clearing_i2t_voltage_v",
                                                   "breaking_capacity_dc_a",
                                                   "time_constant_max_s",
                                                   "source"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// The cells of a row; the last `count`-th cell takes the rest of the line.
std::vector<std::string_view> cells(std::string_view row, std::size_t count) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < count) {
    const auto comma = row.find(',');
    if (comma == std::string_view::npos) break;
    out.push_back(trim(row.substr(0, comma)));
    row.remove_prefix(comma + 1);
  }
  out.push_back(trim(row));
  return out;
}

std::optional<double> number(std::string_view cell) {
  double v = 0.0;
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  if (ec != std::errc() || end != cell.data() + cell.size() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

}  // namespace

std::vector<ProtectionPart> parse_protection_parts(std::string_view text, std::string_view file,
                                                   core::DiagnosticList& problems) {
  std::vector<ProtectionPart> parts;
  std::array<std::size_t, columns.size()> index{};  // column -> cell
  std::size_t header_cells = 0;                     // the header's columns, ours and any others
  bool have_header = false;
  int line_no = 0;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    const std::string_view row = trim(text.substr(0, eol));
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    ++line_no;
    if (row.empty() || row.front() == '#') continue;
    const core::SourceLocation where{std::string(file), line_no, 1};
    if (!have_header) {
      const auto names = cells(row, 64);
      bool ok = true;
      for (std::size_t c = 0; c < columns.size(); ++c) {
        const auto it = std::find(names.begin(), names.end(), columns[c]);
        if (it == names.end()) {
          problems.error(where, fmt::format("part file has no column '{}'", columns[c]),
                         "add it to the header row (data/protection/README.md)");
          ok = false;
        }
        index[c] = static_cast<std::size_t>(it - names.begin());
      }
      if (!ok) return parts;
      if (index.back() + 1 != names.size()) {
        problems.error(where, "part file: 'source' must be the last column",
                       "move it last: it takes the rest of each row");
        return parts;
      }
      header_cells = names.size();
      have_header = true;
      continue;
    }
    const auto row_cells = cells(row, header_cells);
    if (row_cells.size() != header_cells) {
      problems.error(
          where,
          fmt::format("part row has {} cells, the header {}", row_cells.size(), columns.size()),
          "give every column, an empty cell where the catalogue gives no value");
      continue;
    }
    const auto cell = [&](std::size_t c) { return row_cells[index[c]]; };
    ProtectionPart p;
    p.part = std::string(cell(0));
    p.manufacturer = std::string(cell(2));
    p.source = std::string(cell(10));
    p.file = std::string(file);
    p.line = line_no;
    bool ok = true;
    if (p.part.empty()) {
      problems.error(where, "part row has no part number", "give the catalogue number");
      ok = false;
    }
    if (cell(1) != "fuse") {
      problems.error(where, fmt::format("part '{}': kind '{}' is not read", p.part, cell(1)),
                     "only fuses have part files so far (kind: fuse)");
      ok = false;
    }
    if (p.source.empty()) {
      problems.error(where, fmt::format("part '{}' has no source", p.part),
                     "cite the datasheet or catalogue page the values were read from");
      ok = false;
    }
    // Required, positive: ratings and I2t. Optional, positive: breaking capacity and L/R.
    const auto value = [&](std::size_t c, bool required) -> std::optional<double> {
      if (cell(c).empty()) {
        if (required) {
          problems.error(where, fmt::format("part '{}' has no {}", p.part, columns[c]),
                         "give the catalogue's value");
          ok = false;
        }
        return std::nullopt;
      }
      const auto v = number(cell(c));
      if (!v || !(*v > 0.0)) {
        problems.error(
            where,
            fmt::format("part '{}': {} '{}' is not a positive number", p.part, columns[c], cell(c)),
            "write the value in the column's SI unit, without a unit");
        ok = false;
        return std::nullopt;
      }
      return v;
    };
    p.rated_current_a = value(3, true).value_or(0.0);
    p.rated_voltage_dc_v = value(4, true).value_or(0.0);
    p.pre_arcing_i2t_a2s = value(5, true).value_or(0.0);
    p.clearing_i2t_a2s = value(6, true).value_or(0.0);
    p.clearing_i2t_voltage_v = value(7, true).value_or(0.0);
    p.breaking_capacity_dc_a = value(8, false);
    p.time_constant_max_s = value(9, false);
    if (ok && p.clearing_i2t_a2s < p.pre_arcing_i2t_a2s) {
      problems.error(
          where,
          fmt::format("part '{}': clearing I2t {} A2s is below its pre-arcing I2t {} A2s", p.part,
                      p.clearing_i2t_a2s, p.pre_arcing_i2t_a2s),
          "clearing I2t is pre-arcing plus arcing I2t: check the catalogue values");
      ok = false;
    }
    const bool repeated = std::any_of(parts.begin(), parts.end(),
                                      [&](const ProtectionPart& q) { return q.part == p.part; });
    if (repeated) {
      problems.error(where, fmt::format("part '{}' is listed twice", p.part),
                     "keep one row per catalogue number");
      ok = false;
    }
    if (ok) parts.push_back(std::move(p));
  }
  if (!have_header)
    problems.error({std::string(file), 0, 0}, "part file has no header row",
                   "start with the column names (data/protection/README.md)");
  return parts;
}

const std::vector<ProtectionPart>& protection_parts() {
  static const std::vector<ProtectionPart> all = [] {
    std::vector<ProtectionPart> out;
    core::DiagnosticList ignored;  // the unit tests read the same files and require no problem
    for (const auto& f : embedded_protection_files()) {
      auto parts = parse_protection_parts(f.text, f.name, ignored);
      for (auto& p : parts)
        if (std::none_of(out.begin(), out.end(),
                         [&](const ProtectionPart& q) { return q.part == p.part; }))
          out.push_back(std::move(p));
    }
    return out;
  }();
  return all;
}

const ProtectionPart* find_protection_part(std::string_view part) {
  for (const auto& p : protection_parts())
    if (p.part == part) return &p;
  return nullptr;
}

std::string protection_part_hint(std::string_view part) {
  std::vector<std::string_view> names;
  for (const auto& p : protection_parts()) names.push_back(p.part);
  return core::did_you_mean(
      part, names, fmt::format("the parts in data/protection are: {}", core::join_names(names)));
}

}  // namespace g2g::model

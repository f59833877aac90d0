#include "g2g/sizing/report.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "g2g/core/units.hpp"

namespace g2g::sizing {

namespace {

// Renders rows under a header, each column as wide as its widest cell; the first column is
// left-aligned, the others right-aligned.
void render(std::string& out, const std::vector<std::string>& header,
            const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size() && c < width.size(); ++c)
      width[c] = std::max(width[c], row[c].size());
  auto emit = [&](const std::vector<std::string>& row) {
    for (std::size_t c = 0; c < header.size(); ++c) {
      const std::string& cell = c < row.size() ? row[c] : std::string();
      const std::size_t pad = width[c] - std::min(width[c], cell.size());
      out += "  ";
      if (c == 0) {
        out += cell;
        if (c + 1 < header.size()) out.append(pad, ' ');
      } else {
        out.append(pad, ' ');
        out += cell;
      }
    }
    out += '\n';
  };
  emit(header);
  for (const auto& row : rows) emit(row);
}

std::string quantity(double value, core::Dimension dimension) {
  return core::format_quantity(value, dimension, 4);
}

std::string kg(double mass_kg) {
  return mass_kg >= 100.0 ? fmt::format("{:.0f} kg", mass_kg) : fmt::format("{:.3g} kg", mass_kg);
}

std::string_view kind_name(model::BusKind kind) {
  return kind == model::BusKind::dc ? "dc" : "ac";
}

std::string_view material_name(model::Material material) {
  return material == model::Material::copper ? "copper" : "aluminium";
}

std::string options_line(const SizingOptions& o) {
  return fmt::format(
      "method {}, {}, ambient {:g} °C, {} grouped circuit{} ({}), max drop {:g} %, up to {} "
      "runs, prefer {}; AC neutral {}, AC PE {}, DC PE {}, busbars {}{}, DC busbars rated from "
      "the DIN 43671 {} column",
      name(o.method), name(o.insulation), o.ambient_c, o.grouped_circuits,
      o.grouped_circuits == 1 ? "" : "s", name(arrangement_for(o)), o.max_voltage_drop_pct,
      o.max_parallel_runs, name(o.preference), name(o.ac_neutral), name(o.ac_pe), name(o.dc_pe),
      name(o.busbar_finish), o.busbar_pe ? " with PE bar" : "",
      o.dc_busbar_rating == DcBusbarRating::dc_column ? "DC" : "AC");
}

// Lines that print alike: one row per template element (origin template and the id with every
// instance index written [*], the row's label) and printed result.
struct LineGroup {
  std::string label;
  std::vector<std::string> cells;
  std::size_t count = 0;
};

std::string wildcard_indices(std::string_view id) {
  std::string out;
  out.reserve(id.size());
  for (std::size_t i = 0; i < id.size(); ++i) {
    out += id[i];
    if (id[i] != '[') continue;
    std::size_t j = i + 1;
    while (j < id.size() && id[j] >= '0' && id[j] <= '9') ++j;
    if (j > i + 1 && j < id.size() && id[j] == ']') {
      out += '*';
      i = j - 1;
    }
  }
  return out;
}

// The id of a sized line: LineSizing keeps only the line's index into the model.
const std::string& line_id(const model::ModelSpec& model, const LineSizing& l) {
  return model.lines.at(static_cast<std::size_t>(l.line)).id;
}

template <typename Cells>
std::vector<LineGroup> group_lines(const model::ModelSpec& model,
                                   const std::vector<LineSizing>& lines, bool group,
                                   const Cells& cells) {
  std::vector<LineGroup> groups;
  std::map<std::pair<std::string, std::vector<std::string>>, std::size_t> index;
  for (const LineSizing& l : lines) {
    std::vector<std::string> row = cells(l);
    const model::Origin* origin =
        group && l.line >= 0 && static_cast<std::size_t>(l.line) < model.lines.size()
            ? model::origin_of(model, model.lines[static_cast<std::size_t>(l.line)].origin)
            : nullptr;
    if (origin == nullptr) {  // not from a template (or --full): a row of its own
      groups.push_back({line_id(model, l), std::move(row), 1});
      continue;
    }
    // The template and the id with its instance indices as [*]: the element inside its template,
    // reached by the same path (instances placed elsewhere get rows of their own).
    std::string label = wildcard_indices(line_id(model, l));
    auto key = std::make_pair(fmt::format("{}\n{}", origin->template_name, label), row);
    const auto [it, added] = index.try_emplace(std::move(key), groups.size());
    if (added) groups.push_back({std::move(label), std::move(row), 0});
    ++groups[it->second].count;
  }
  return groups;
}

}  // namespace

std::string format_sizing_table(const model::ModelSpec& model, const IterativeSizing& result,
                                const SizingOptions& options, const ReportOptions& report) {
  std::string out;
  const SizingResult& sizing = result.sizing;
  out += fmt::format(
      "Model: {}{}\n", model.name,
      model.source_file.empty() ? std::string() : fmt::format(" ({})", model.source_file));
  out += fmt::format("Sizing: {}\n", options_line(options));
  out += fmt::format("Solved and sized {} time{}: {}\n\n", result.passes,
                     result.passes == 1 ? "" : "s",
                     result.stable ? "stable (the last pass kept the sizes it was solved with)"
                                   : "NOT stable (sizes still changing; raise --passes)");

  // DC busbars rated from the DC column show their AC-column rating beside it.
  const bool ac_bound_column =
      std::any_of(sizing.lines.begin(), sizing.lines.end(), [](const LineSizing& l) {
        return l.status == LineStatus::sized && l.ampacity_ac_bound_a != l.ampacity_a;
      });
  // Every cell but the element's id, as printed.
  auto cells = [&](const LineSizing& l) {
    const bool bound = l.status == LineStatus::sized && l.ampacity_ac_bound_a != l.ampacity_a;
    std::vector<std::string> row = {
        fmt::format("{} {}", model::name(l.type), kind_name(l.kind)),
        quantity(l.nominal_voltage_v, core::Dimension::voltage),
        quantity(l.current_a, core::Dimension::current),
        size_label(l),
        l.ampacity_a > 0.0 ? quantity(l.ampacity_a, core::Dimension::current) : "-",
        !bound                        ? "-"
        : l.ampacity_ac_bound_a > 0.0 ? quantity(l.ampacity_ac_bound_a, core::Dimension::current)
                                      : "n/a",
        l.ampacity_a > 0.0 ? fmt::format("{:.1f} %", l.loading_pct) : "-",
        fmt::format("{:.2f} %", l.voltage_drop_pct),
        std::to_string(l.conductors.current_carrying + l.conductors.neutral + l.conductors.pe),
        kg(l.mass_kg),
        std::string(name(l.status)),
    };
    if (!ac_bound_column) row.erase(row.begin() + 5);
    return row;
  };
  std::vector<std::string> header = {"element",    "lines",    "type",    "voltage", "current",
                                     "size",       "ampacity", "AC col.", "loading", "drop",
                                     "conductors", "mass",     "status"};
  if (!ac_bound_column) header.erase(header.begin() + 7);

  const std::vector<LineGroup> groups = group_lines(model, sizing.lines, report.group_instances,
                                                    [&](const LineSizing& l) { return cells(l); });
  const bool grouped = groups.size() < sizing.lines.size();
  if (!grouped) header.erase(header.begin() + 1);  // no "lines" column when every row is one
  std::vector<std::vector<std::string>> rows;
  const std::size_t shown = std::min(groups.size(), report.max_rows);
  for (std::size_t g = 0; g < shown; ++g) {
    std::vector<std::string> row = groups[g].cells;
    if (grouped) row.insert(row.begin(), fmt::format("x {}", groups[g].count));
    row.insert(row.begin(), groups[g].label);
    rows.push_back(std::move(row));
  }
  out += !grouped ? fmt::format("Lines ({})\n", sizing.lines.size())
                  : fmt::format(
                        "Lines ({} in {} row{}: lines of a template that print alike share "
                        "one row, with one line's values; --full lists each)\n",
                        sizing.lines.size(), groups.size(), groups.size() == 1 ? "" : "s");
  render(out, header, rows);
  if (ac_bound_column) {
    out += fmt::format(
        "  AC col.: the same bars rated from DIN 43671's AC column, for DC busbars rated from its "
        "DC column\n");
  }
  if (shown < groups.size()) {
    std::size_t more = 0;
    for (std::size_t g = shown; g < groups.size(); ++g) more += groups[g].count;
    const std::size_t left = groups.size() - shown;
    out += fmt::format(
        "  ... {} more row{} ({} line{}; --full prints them, --json or --csv has "
        "every line)\n",
        left, left == 1 ? "" : "s", more, more == 1 ? "" : "s");
  }

  // Lines left as modelled, with why; grouped the same way.
  std::vector<LineSizing> not_sized;
  for (const LineSizing& l : sizing.lines)
    if (l.status != LineStatus::sized) not_sized.push_back(l);
  const std::vector<LineGroup> notes = group_lines(
      model, not_sized, report.group_instances,
      [&](const LineSizing& l) { return std::vector<std::string>{note(l, sizing.options)}; });
  if (!notes.empty()) out += "\nNot sized\n";
  for (std::size_t g = 0; g < notes.size() && g < report.max_rows; ++g) {
    out += notes[g].count > 1
               ? fmt::format("  {} (x {}): {}\n", notes[g].label, notes[g].count, notes[g].cells[0])
               : fmt::format("  {}: {}\n", notes[g].label, notes[g].cells[0]);
  }
  if (notes.size() > report.max_rows)
    out += fmt::format("  ... {} more\n", notes.size() - report.max_rows);

  const SizingTotals& t = sizing.totals;
  out += "\nTotals\n";
  render(out, {"quantity", "value"},
         {
             {"copper", kg(t.copper_kg)},
             {"  of which not sized", kg(t.copper_kg_not_sized)},
             {"aluminium", kg(t.aluminium_kg)},
             {"lines sized", std::to_string(t.sized)},
             {"nothing fits", std::to_string(t.no_fit)},
             {"not sized", std::to_string(t.not_sized)},
         });
  return out;
}

std::string sizing_json(const IterativeSizing& result, const SizingOptions& o) {
  using nlohmann::json;
  json options = {
      {"method", name(o.method)},
      {"insulation", name(o.insulation)},
      {"ambient_c", o.ambient_c},
      {"grouped_circuits", o.grouped_circuits},
      {"arrangement", name(arrangement_for(o))},
      {"max_voltage_drop_pct", o.max_voltage_drop_pct},
      {"max_parallel_runs", o.max_parallel_runs},
      {"max_cable_cross_section_m2", o.max_cable_cross_section_m2},
      {"preference", name(o.preference)},
      {"ac_neutral", name(o.ac_neutral)},
      {"ac_pe", name(o.ac_pe)},
      {"dc_pe", name(o.dc_pe)},
      {"busbar_finish", name(o.busbar_finish)},
      {"busbar_pe", o.busbar_pe},
      {"dc_busbar_rating", name(o.dc_busbar_rating)},
  };
  const SizingTotals& t = result.sizing.totals;
  json totals = {
      {"copper_kg", t.copper_kg},
      {"aluminium_kg", t.aluminium_kg},
      {"copper_kg_not_sized", t.copper_kg_not_sized},
      {"sized", t.sized},
      {"no_fit", t.no_fit},
      {"not_sized", t.not_sized},
  };
  json lines = json::array();
  for (const LineSizing& l : result.sizing.lines) {
    lines.push_back({
        {"id", line_id(result.sizing.sized_model, l)},
        {"status", name(l.status)},
        {"note", note(l, result.sizing.options)},
        {"type", model::name(l.type)},
        {"kind", kind_name(l.kind)},
        {"material", material_name(l.material)},
        {"nominal_voltage_v", l.nominal_voltage_v},
        {"length_m", l.length_m},
        {"current_a", l.current_a},
        {"power_factor", l.power_factor},
        {"cross_section_m2", l.cross_section_m2},
        {"conductors_per_pole", l.conductors_per_pole},
        {"parallel_runs", l.parallel_runs},
        {"size", size_label(l)},
        {"table_ampacity_a", l.table_ampacity_a},
        {"derating_factor", l.derating_factor},
        {"ampacity_a", l.ampacity_a},
        {"ampacity_ac_bound_a", l.ampacity_ac_bound_a},
        {"loading_pct", l.loading_pct},
        {"voltage_drop_v", l.voltage_drop_v},
        {"voltage_drop_pct", l.voltage_drop_pct},
        {"current_carrying_conductors", l.conductors.current_carrying},
        {"neutral_conductors", l.conductors.neutral},
        {"neutral_cross_section_m2", l.conductors.neutral_cross_section_m2},
        {"pe_conductors", l.conductors.pe},
        {"pe_cross_section_m2", l.conductors.pe_cross_section_m2},
        {"mass_kg", l.mass_kg},
    });
  }
  const json doc = {
      {"options", options}, {"passes", result.passes}, {"stable", result.stable},
      {"totals", totals},   {"lines", lines},
  };
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

namespace {

// RFC 4180 quoting for ids that contain a comma, quote or line break.
std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

std::string sizing_csv(const IterativeSizing& result) {
  std::string out =
      "id,status,type,kind,material,nominal_voltage_v,length_m,current_a,cross_section_mm2,"
      "conductors_per_pole,parallel_runs,table_ampacity_a,derating_factor,ampacity_a,"
      "ampacity_ac_bound_a,loading_pct,voltage_drop_v,voltage_drop_pct,current_carrying_conductors,"
      "neutral_conductors,neutral_cross_section_mm2,pe_conductors,pe_cross_section_mm2,mass_kg,"
      "note\n";
  for (const LineSizing& l : result.sizing.lines) {
    out += fmt::format(
        "{},{},{},{},{},{:g},{:g},{:.6g},{:g},{},{},{:g},{:.6g},{:.6g},{:.6g},{:.4g},{:.6g},{:.4g},"
        "{},{},{:g},{},{:g},{:.6g},{}\n",
        csv_field(line_id(result.sizing.sized_model, l)), name(l.status), model::name(l.type),
        kind_name(l.kind), material_name(l.material), l.nominal_voltage_v, l.length_m, l.current_a,
        l.cross_section_m2 * 1e6, l.conductors_per_pole, l.parallel_runs, l.table_ampacity_a,
        l.derating_factor, l.ampacity_a, l.ampacity_ac_bound_a, l.loading_pct, l.voltage_drop_v,
        l.voltage_drop_pct, l.conductors.current_carrying, l.conductors.neutral,
        l.conductors.neutral_cross_section_m2 * 1e6, l.conductors.pe,
        l.conductors.pe_cross_section_m2 * 1e6, l.mass_kg,
        csv_field(note(l, result.sizing.options)));
  }
  return out;
}

std::string format_conductor_power_table(std::span<const ConductorPower> rows) {
  const ConductorPower* reference = nullptr;
  for (const auto& row : rows)
    if (row.architecture == Architecture::ac_415v) reference = &row;
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : rows) {
    const int wires = row.conductors.current_carrying + row.conductors.neutral + row.conductors.pe;
    cells.push_back({
        std::string(row.label),
        fmt::format("{} + {} N + {} PE", row.conductors.current_carrying, row.conductors.neutral,
                    row.conductors.pe),
        std::to_string(wires),
        quantity(row.ampacity_a, core::Dimension::current),
        quantity(row.power_w, core::Dimension::active_power),
        quantity(row.power_per_current_carrying_conductor_w, core::Dimension::active_power),
        reference ? fmt::format("{:.2f}", row.power_per_current_carrying_conductor_w /
                                              reference->power_per_current_carrying_conductor_w)
                  : "-",
        fmt::format("{:.3g} kg/m", row.mass_kg_per_m),
        fmt::format("{:.3g} kW per kg/m", row.power_per_mass_w_m_per_kg / 1e3),
        reference ? fmt::format("{:.2f}", row.power_per_mass_w_m_per_kg /
                                              reference->power_per_mass_w_m_per_kg)
                  : "-",
    });
  }
  std::string out;
  render(out,
         {"architecture", "conductors", "wires", "ampacity", "power", "per conductor", "x 415 V",
          "copper", "power per copper", "x 415 V"},
         cells);
  return out;
}

}  // namespace g2g::sizing

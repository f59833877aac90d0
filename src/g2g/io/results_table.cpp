#include "g2g/io/results_table.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <numeric>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "g2g/io/result_labels.hpp"

namespace g2g::io {

namespace {

enum class Align { left, right };

struct Column {
  std::string_view header;
  Align align = Align::right;
};

// Renders rows under a header with each column as wide as its widest cell. Two leading spaces
// indent the table under its section title. Plain ASCII, so byte width equals display width.
void render_table(std::string& out, const std::vector<Column>& columns,
                  const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) width[c] = columns[c].header.size();
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < columns.size() && c < row.size(); ++c)
      width[c] = std::max(width[c], row[c].size());
  }
  auto emit = [&](std::size_t c, std::string_view cell) {
    out += "  ";
    const std::size_t pad = width[c] - std::min(width[c], cell.size());
    const bool last = c + 1 == columns.size();
    if (columns[c].align == Align::right) out.append(pad, ' ');
    out += cell;
    if (columns[c].align == Align::left && !last) out.append(pad, ' ');
  };
  for (std::size_t c = 0; c < columns.size(); ++c) emit(c, columns[c].header);
  out += '\n';
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < columns.size(); ++c) emit(c, c < row.size() ? row[c] : "");
    out += '\n';
  }
}

std::string fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  return fmt::format("{:.{}f}", value, decimals);
}

std::string percent(double fraction_or_pct, bool is_fraction, int decimals = 2) {
  const double pct = is_fraction ? fraction_or_pct * 100.0 : fraction_or_pct;
  if (!std::isfinite(pct)) return "n/a";
  return fmt::format("{:.{}f} %", pct, decimals);
}

const model::Bus& bus_spec(const model::ModelSpec& model, const steady::BusResult& bus) {
  if (bus.bus < 0 || static_cast<std::size_t>(bus.bus) >= model.buses.size()) {
    throw std::out_of_range(
        fmt::format("result refers to bus #{} but the model has {}", bus.bus, model.buses.size()));
  }
  return model.buses[static_cast<std::size_t>(bus.bus)];
}

const std::vector<Column> bus_columns{
    {"bus", Align::left}, {"kind", Align::left}, {"voltage"}, {"angle"}, {"v_pu"}};

std::vector<std::string> bus_row(const model::ModelSpec& model, const steady::BusResult& bus) {
  const model::Bus& spec = bus_spec(model, bus);
  if (!bus.energised)
    return {spec.id, std::string(bus_kind_name(spec.kind)), "de-energised", "", ""};
  return {spec.id, std::string(bus_kind_name(spec.kind)), format_engineering(bus.voltage_v, "V"),
          spec.kind == model::BusKind::ac ? fixed(bus.angle_deg, 2) + " deg" : std::string("-"),
          fixed(bus.v_pu, 4)};
}

const std::vector<Column> element_columns{{"element", Align::left},
                                          {"type", Align::left},
                                          {"P in"},
                                          {"P out"},
                                          {"loss"},
                                          {"current"},
                                          {"loading"}};

std::vector<std::string> element_row(const model::ModelSpec& model,
                                     const steady::ElementResult& element) {
  const ElementLabel label = element_label(model, element);
  std::string type(label.type);
  if (!label.subtype.empty()) {
    type += fmt::format(" ({})", label.subtype);
  } else if (!label.kind.empty()) {
    type += fmt::format(" ({})", label.kind);
  }
  // Loading is 0 for unrated elements; show a dash rather than a misleading "0.0 %".
  std::string loading = element.loading_pct > 0.0 ? percent(element.loading_pct, false, 1) : "-";
  return {std::string(label.id),
          std::move(type),
          format_engineering(element.p_in_w, "W"),
          format_engineering(element.p_out_w, "W"),
          format_engineering(element.loss_w, "W"),
          format_engineering(element.current_a, "A"),
          std::move(loading)};
}

void write_header(std::string& out, const model::ModelSpec& model,
                  const steady::SolveResult& result) {
  const std::string name = model.name.empty() ? std::string("(unnamed model)") : model.name;
  out += fmt::format("Model: {}", name);
  if (!model.source_file.empty()) out += fmt::format(" ({})", model.source_file);
  out += '\n';
  const auto& stats = result.stats;
  out += fmt::format("{} in {} iteration{}, max mismatch {:.3g} pu, {:.3g} ms{}\n",
                     result.converged ? "Solved" : "NOT converged", stats.iterations,
                     stats.iterations == 1 ? "" : "s", stats.max_mismatch_pu,
                     stats.solve_seconds * 1e3, stats.used_fallback ? " (needed damping)" : "");
  out += fmt::format("{} buses, {} elements\n", result.buses.size(), result.elements.size());
}

void write_loss_groups(std::string& out, std::string_view title,
                       const std::vector<steady::LossGroup>& groups, double total_loss_w) {
  if (groups.empty()) return;
  out += fmt::format("\nLoss by {}\n", title);
  std::vector<std::vector<std::string>> rows;
  for (const auto& group : groups) {
    const double share = total_loss_w != 0.0 ? group.loss_w / total_loss_w : NAN;
    rows.push_back({group.name, format_engineering(group.loss_w, "W"), percent(share, true, 1)});
  }
  render_table(out, {{title, Align::left}, {"loss"}, {"share"}}, rows);
}

void write_totals(std::string& out, const steady::SolveResult& result) {
  const auto& totals = result.totals;
  const double loss_share = totals.source_w != 0.0 ? totals.loss_w / totals.source_w : NAN;
  out += "\nTotals\n";
  render_table(out, {{"quantity", Align::left}, {"value"}},
               {{"source", format_engineering(totals.source_w, "W")},
                {"load", format_engineering(totals.load_w, "W")},
                {"loss", fmt::format("{} ({} of source)", format_engineering(totals.loss_w, "W"),
                                     percent(loss_share, true))},
                {"efficiency", percent(totals.efficiency, true, 3)}});
  write_loss_groups(out, "type", totals.loss_by_type, totals.loss_w);
  write_loss_groups(out, "stage", totals.loss_by_stage, totals.loss_w);
}

std::string violation_value(const steady::Violation& violation) {
  const std::string_view unit = steady::violation_unit(violation.kind);
  if (unit == "pu") return fmt::format("{:.4f} pu", violation.value);
  if (unit == "pct") return percent(violation.value, false, 1);
  return format_engineering(violation.value, unit);
}

std::string violation_limit(const steady::Violation& violation) {
  const std::string_view unit = steady::violation_unit(violation.kind);
  if (unit == "pu") return fmt::format("{:.4f} pu", violation.limit);
  if (unit == "pct") return percent(violation.limit, false, 1);
  return format_engineering(violation.limit, unit);
}

void write_violations(std::string& out, const steady::SolveResult& result, std::size_t limit) {
  const auto& violations = result.violations;
  if (violations.empty()) {
    out += "\nViolations: none\n";
    return;
  }
  out += fmt::format("\nViolations ({})\n", violations.size());
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < violations.size() && i < limit; ++i) {
    const auto& v = violations[i];
    rows.push_back({std::string(steady::violation_kind_name(v.kind)), v.element_id,
                    violation_value(v), violation_limit(v)});
  }
  render_table(out, {{"kind", Align::left}, {"at", Align::left}, {"value"}, {"limit"}}, rows);
  if (violations.size() > limit)
    out += fmt::format("  ... and {} more\n", violations.size() - limit);
}

void write_full(std::string& out, const model::ModelSpec& model,
                const steady::SolveResult& result) {
  out += fmt::format("\nBuses ({})\n", result.buses.size());
  std::vector<std::vector<std::string>> rows;
  rows.reserve(result.buses.size());
  for (const auto& bus : result.buses) rows.push_back(bus_row(model, bus));
  render_table(out, bus_columns, rows);

  out += fmt::format("\nElements ({})\n", result.elements.size());
  rows.clear();
  for (const auto& element : result.elements) rows.push_back(element_row(model, element));
  render_table(out, element_columns, rows);
}

void write_summary(std::string& out, const model::ModelSpec& model,
                   const steady::SolveResult& result, const TableOptions& options) {
  // Extreme voltages over energised buses only: a de-energised bus (0 V) is reported as such,
  // not as the "lowest voltage".
  std::vector<std::size_t> order;
  order.reserve(result.buses.size());
  for (std::size_t i = 0; i < result.buses.size(); ++i) {
    if (result.buses[i].energised && std::isfinite(result.buses[i].v_pu)) order.push_back(i);
  }
  const std::size_t de_energised = static_cast<std::size_t>(std::count_if(
      result.buses.begin(), result.buses.end(), [](const auto& b) { return !b.energised; }));
  const std::size_t n = std::min(options.extreme_buses, order.size());
  // Ties (identical racks) are broken by bus order so the output is the same on every run.
  auto by_v_pu = [&](std::size_t a, std::size_t b) {
    const double va = result.buses[a].v_pu;
    const double vb = result.buses[b].v_pu;
    return va < vb || (va == vb && a < b);
  };
  std::vector<std::vector<std::string>> rows;

  // Lowest first, then highest in descending order; a small model may share buses between both.
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(),
                    by_v_pu);
  out += fmt::format("\nLowest voltages ({} of {} buses)\n", n, result.buses.size());
  for (std::size_t i = 0; i < n; ++i) rows.push_back(bus_row(model, result.buses[order[i]]));
  render_table(out, bus_columns, rows);

  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(),
                    [&](std::size_t a, std::size_t b) {
                      const double va = result.buses[a].v_pu;
                      const double vb = result.buses[b].v_pu;
                      return va > vb || (va == vb && a < b);
                    });
  out += fmt::format("\nHighest voltages ({} of {} buses)\n", n, result.buses.size());
  rows.clear();
  for (std::size_t i = 0; i < n; ++i) rows.push_back(bus_row(model, result.buses[order[i]]));
  render_table(out, bus_columns, rows);
  if (de_energised > 0) out += fmt::format("  ({} buses are de-energised)\n", de_energised);

  std::vector<std::size_t> loaded;
  for (std::size_t i = 0; i < result.elements.size(); ++i) {
    if (result.elements[i].loading_pct > 0.0) loaded.push_back(i);
  }
  const std::size_t m = std::min(options.top_loaded, loaded.size());
  std::partial_sort(loaded.begin(), loaded.begin() + static_cast<std::ptrdiff_t>(m), loaded.end(),
                    [&](std::size_t a, std::size_t b) {
                      const double la = result.elements[a].loading_pct;
                      const double lb = result.elements[b].loading_pct;
                      return la > lb || (la == lb && a < b);
                    });
  out += fmt::format("\nMost loaded elements ({} of {} rated)\n", m, loaded.size());
  rows.clear();
  for (std::size_t i = 0; i < m; ++i)
    rows.push_back(element_row(model, result.elements[loaded[i]]));
  if (rows.empty()) {
    out += "  (no element has a rating)\n";
  } else {
    render_table(out, element_columns, rows);
  }
}

}  // namespace

std::string format_engineering(double value, std::string_view unit) {
  if (!std::isfinite(value)) return "n/a";
  const double magnitude = std::fabs(value);
  // Below a micro-unit a value is numerical noise for every quantity shown here.
  if (magnitude < 0.5e-6) return fmt::format("0 {}", unit);
  struct Prefix {
    std::string_view symbol;
    double factor;
  };
  constexpr std::array<Prefix, 7> prefixes{Prefix{"T", 1e12}, Prefix{"G", 1e9}, Prefix{"M", 1e6},
                                           Prefix{"k", 1e3},  Prefix{"", 1.0},  Prefix{"m", 1e-3},
                                           Prefix{"u", 1e-6}};
  for (const auto& p : prefixes) {
    // 999.96 rounds to "1000" at 4 digits; promote it to the next prefix instead.
    if (magnitude >= p.factor * (1.0 - 5e-5) || p.symbol == "u") {
      return fmt::format("{:.4g} {}{}", value / p.factor, p.symbol, unit);
    }
  }
  return fmt::format("{:.4g} {}", value, unit);
}

std::string format_results_table(const model::ModelSpec& model, const steady::SolveResult& result,
                                 const TableOptions& options) {
  std::string out;
  write_header(out, model, result);
  const bool full = result.buses.size() <= options.full_max_buses &&
                    result.elements.size() <= options.full_max_elements;
  if (full) {
    write_full(out, model, result);
    write_totals(out, result);
    write_violations(out, result, result.violations.size());
  } else {
    write_totals(out, result);
    write_summary(out, model, result, options);
    write_violations(out, result, options.max_violations);
    out += fmt::format("\nSummary only: the model has {} buses and {} elements.",
                       result.buses.size(), result.elements.size());
    if (!options.full_results_hint.empty()) out += fmt::format(" {}", options.full_results_hint);
    out += '\n';
  }
  return out;
}

}  // namespace g2g::io

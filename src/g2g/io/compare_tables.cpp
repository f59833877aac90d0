#include "g2g/io/compare_tables.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace g2g::io {
namespace {

std::string mw(double w) {
  return fmt::format("{:.2f} MW", w / 1e6);
}
std::string pct(double f) {
  return fmt::format("{:.2f} %", 100.0 * f);
}

// Rows of cells as an aligned text table: the first column left, the others right.
std::string text_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()), 0);
    for (std::size_t col = 0; col < row.size(); ++col)
      width[col] = std::max(width[col], row[col].size());
  }
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t col = 0; col < row.size(); ++col)
      out += col == 0 ? fmt::format("  {:<{}}", row[col], width[col])
                      : fmt::format("  {:>{}}", row[col], width[col]);
    out += '\n';
  }
  return out;
}

}  // namespace

// The comparison on the terminal: the default scenario's figures, their range over every
// scenario, then the claims.
std::string compare_summary_table(const study::Comparison& c,
                                  const study::CompareOptions& options) {
  const auto& all = c.runs.at(c.default_run).architectures;
  std::vector<std::string> header{"quantity"};
  for (const auto& a : all) header.push_back(a.id);
  using Architecture = study::ArchitectureResult;
  std::vector<std::vector<std::string>> rows{header};
  auto add = [&](std::string name, auto cell) {
    std::vector<std::string> row{std::move(name)};
    for (std::size_t i = 0; i < all.size(); ++i) row.push_back(cell(all[i], all[0]));
    rows.push_back(std::move(row));
  };
  const std::string boundary =
      options.include_point_of_load ? "grid to GPU core" : "grid to VRM input";
  auto points = [](double v) { return fmt::format("{:+.2f} pt", 100.0 * v); };
  auto change = [](double v) { return fmt::format("{:+.1f} %", 100.0 * v); };
  auto gain = [](const Architecture& a, const Architecture& b) {
    return a.annual.efficiency - b.annual.efficiency;
  };
  auto input_change = [](const Architecture& a, const Architecture& b) {
    return a.annual.input_mwh / b.annual.input_mwh - 1.0;
  };
  auto loss_change = [](const Architecture& a, const Architecture& b) {
    return a.annual.loss_mwh / b.annual.loss_mwh - 1.0;
  };
  add("IT load", [](const Architecture& a, const Architecture&) { return mw(a.design.it_load_w); });
  add("grid input, design point",
      [](const Architecture& a, const Architecture&) { return mw(a.design.source_w); });
  add(fmt::format("efficiency ({}), design point", boundary),
      [](const Architecture& a, const Architecture&) { return pct(a.design.efficiency); });
  add(fmt::format("efficiency ({}), year", boundary),
      [](const Architecture& a, const Architecture&) { return pct(a.annual.efficiency); });
  add("  vs baseline, year",
      [&](const Architecture& a, const Architecture& b) { return points(gain(a, b)); });
  add("  grid input vs baseline, year",
      [&](const Architecture& a, const Architecture& b) { return change(input_change(a, b)); });
  add("loss, design point",
      [](const Architecture& a, const Architecture&) { return mw(a.design.loss_w); });
  add("  conversion",
      [](const Architecture& a, const Architecture&) { return mw(a.design.conversion_loss_w); });
  add("  distribution",
      [](const Architecture& a, const Architecture&) { return mw(a.design.distribution_loss_w); });
  add("  loss vs baseline, year",
      [&](const Architecture& a, const Architecture& b) { return change(loss_change(a, b)); });
  add("boxes in series / power conversions", [](const Architecture& a, const Architecture&) {
    return fmt::format("{} / {}", a.boxes_in_series, a.power_conversions);
  });
  add("energy lost a year", [](const Architecture& a, const Architecture&) {
    return fmt::format("{:.0f} MWh", a.annual.loss_mwh);
  });
  add(fmt::format("  its cost ({} {:g}/MWh)", options.currency, options.tariff_per_mwh),
      [&](const Architecture& a, const Architecture&) {
        return fmt::format("{:.2f} M{}", a.annual.loss_cost / 1e6, options.currency);
      });
  if (options.cooling.overhead_kw_per_kw > 0.0)
    add(fmt::format("  cooling it ({:g} kW/kW)", options.cooling.overhead_kw_per_kw),
        [](const Architecture& a, const Architecture&) {
          return fmt::format("{:.0f} MWh", a.annual.cooling_mwh);
        });
  add("copper", [](const Architecture& a, const Architecture&) {
    return fmt::format("{:.1f} t", a.copper_kg / 1e3);
  });
  add("  vs baseline", [](const Architecture& a, const Architecture& b) {
    return b.copper_kg > 0.0 ? fmt::format("{:+.1f} %", 100.0 * (a.copper_kg / b.copper_kg - 1.0))
                             : std::string("-");
  });
  // Availability (docs/reliability.md): "no data" rather than a number while an element type of
  // the chain has none.
  auto no_data = [](const Architecture& a) {
    return a.availability.computed ? std::string("no data") : std::string("-");
  };
  add("availability, one GPU's path", [&](const Architecture& a, const Architecture&) {
    return a.availability.complete()
               ? fmt::format("{:.4f} %", 100.0 * a.availability.path_availability)
               : no_data(a);
  });
  add("  unserved energy a year", [&](const Architecture& a, const Architecture&) {
    return a.availability.complete()
               ? fmt::format("{:.1f} MWh", a.availability.unserved_mwh_per_year)
               : no_data(a);
  });
  add("  largest contributor", [&](const Architecture& a, const Architecture&) {
    return a.availability.complete() ? a.availability.largest_stage : no_data(a);
  });
  add("violations", [](const Architecture& a, const Architecture&) {
    return std::to_string(a.result.violations.size());
  });
  std::string out =
      fmt::format("Under the default assumption sets '{}':\n", c.runs[c.default_run].scenario);
  out += text_table(rows);

  // The same figures as ranges over every scenario.
  std::vector<std::vector<std::string>> ranges{header};
  auto add_range = [&](std::string name, auto value, auto format) {
    std::vector<std::string> row{std::move(name)};
    for (std::size_t i = 0; i < all.size(); ++i) {
      double lo = std::numeric_limits<double>::infinity(), hi = -lo;
      for (const auto& run : c.runs) {
        const double v = value(run.architectures[i], run.architectures[0]);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      row.push_back(std::fabs(hi - lo) <= 1e-12 * std::max(1.0, std::fabs(hi))
                        ? format(lo)
                        : fmt::format("{} to {}", format(lo), format(hi)));
    }
    ranges.push_back(std::move(row));
  };
  add_range(
      fmt::format("efficiency ({}), year", boundary),
      [](const Architecture& a, const Architecture&) { return a.annual.efficiency; }, pct);
  add_range("  vs baseline", gain, points);
  add_range("  grid input vs baseline", input_change, change);
  add_range("  loss vs baseline", loss_change, change);
  add_range(
      "copper vs baseline",
      [](const Architecture& a, const Architecture& b) {
        return b.copper_kg > 0.0 ? a.copper_kg / b.copper_kg - 1.0 : 0.0;
      },
      change);
  out += fmt::format("\nRange over the {} assumption-set combinations:", c.runs.size());
  for (const auto& run : c.runs) out += fmt::format(" [{}]", run.scenario);
  out += "\n" + text_table(ranges);

  if (!c.claims.empty() && c.dc) {
    out += fmt::format("\nClaims ({} against {}), over every assumption set\n", all[*c.dc].id,
                       all[0].id);
    for (const auto& cl : c.claims)
      out += fmt::format("  ({}) {}: published {}, computed {} -> {}\n", cl.spec.id, cl.spec.text,
                         cl.published, cl.computed, study::verdict_name(cl.verdict));
  }
  return out;
}

std::string assumption_sets_text(const std::vector<study::AssumptionSet>& sets) {
  std::string out;
  for (const auto& s : sets) {
    out += fmt::format("{} ({} side): {}\n", s.name, study::name(s.side), s.title);
    if (!s.description.empty()) out += fmt::format("  {}\n", s.description);
    for (const auto& r : s.converters)
      out += fmt::format(
          "  - {}: {} [{}: {}]\n", r.role,
          r.as_modelled ? std::string("as modelled")
          : !r.efficiency.empty()
              ? fmt::format("curve of {} points", r.efficiency.size())
              : fmt::format("{}{}", r.peak ? fmt::format("peak {:g} %", 100 * *r.peak) : "",
                            r.loss_factor ? fmt::format(" losses x {:.3g}", *r.loss_factor) : ""),
          study::name(r.provenance.kind), r.provenance.source);
    if (s.transformer)
      out += fmt::format(
          "  - transformer: no-load {:g} %, load {:g} % [{}: {}]\n",
          100 * s.transformer->no_load_loss_fraction, 100 * s.transformer->load_loss_fraction,
          study::name(s.transformer->provenance.kind), s.transformer->provenance.source);
    for (const auto& p : s.parameters)
      out += fmt::format("  - parameter {} = {} [{}: {}]\n", p.name, p.value,
                         study::name(p.provenance.kind), p.provenance.source);
  }
  return out;
}

}  // namespace g2g::io

// The sections of the page about each architecture's chain: Sankey diagrams (drawn by
// report.js), loss waterfalls with the stage tables, conductors and violations.
#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

#include "g2g/report/format.hpp"
#include "g2g/report/html_common.hpp"
#include "g2g/steady/results.hpp"

namespace g2g::report::page {

namespace {

using detail::format_grouped;
using detail::format_percent;
using detail::format_power;
using detail::format_significant;

// "48 units at 47 %": the installed units of a conversion stage with redundancy and the load of
// one unit; empty without spare units.
std::string units_text(const study::Stage& stage) {
  if (stage.kind != study::StageKind::conversion || stage.installed_units <= stage.count) return {};
  return fmt::format("{} units at {}", format_grouped(stage.installed_units, 0),
                     format_percent(stage.unit_load_fraction, 0));
}

void stage_table(std::string& out, const Architecture& a) {
  const auto& stages = a.r->stages;
  if (stages.empty()) {
    out += "<p class=\"note\">No stages listed.</p>\n";
    return;
  }
  out +=
      "<div class=\"scroll\"><table class=\"data stages\">\n<thead><tr><th>#</th><th>Stage</th>"
      "<th>Kind</th><th class=\"num\">Voltage in → out</th><th class=\"num\">Elements</th>"
      "<th class=\"num\">P in</th><th class=\"num\">P out</th><th class=\"num\">Loss</th>"
      "<th class=\"num\">Loss % of stage input</th><th class=\"num\">Efficiency</th></tr>"
      "</thead>\n<tbody>\n";
  double loss_sum_w = 0.0;
  for (std::size_t k = 0; k < stages.size(); ++k) {
    const study::Stage& s = stages[k];
    const std::string kin = upper_ascii(std::string(model::name(s.bus_kind_in)));
    const std::string kout = upper_ascii(std::string(model::name(s.bus_kind_out)));
    auto level = [](double v, const std::string& kind) {
      return fmt::format("{} {}", detail::format_nominal_voltage(v), kind);
    };
    const std::string volts =
        s.voltage_in_v != s.voltage_out_v || kin != kout
            ? fmt::format("{} → {}", level(s.voltage_in_v, kin), level(s.voltage_out_v, kout))
            : level(s.voltage_in_v, kin);
    // A stage carrying nothing has no loss fraction; the results write 0 for it.
    const std::string loss_pct =
        s.p_in_w != 0.0 ? format_percent(s.loss_w / s.p_in_w, 2) : format_percent(0.0, 2);
    loss_sum_w += s.loss_w;
    const std::string_view kind = study::stage_kind_name(s.kind);
    const std::string units = units_text(s);
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td><span class=\"kind kind-{}\">{}</span></td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td></tr>\n",
        k + 1, esc(s.name), kind, esc(kind), esc(volts), s.count,
        units.empty() ? std::string()
                      : fmt::format("<div class=\"small units\">{}</div>", esc(units)),
        esc(power(if_finite(s.p_in_w))), esc(power(if_finite(s.p_out_w))),
        esc(power(if_finite(s.loss_w))), esc(loss_pct),
        esc(percent(if_finite(s.p_in_w > 0.0 ? s.p_out_w / s.p_in_w : 0.0))));
  }
  const study::Figures& t = a.r->design;
  out += fmt::format(
      "</tbody>\n<tfoot><tr><th></th><th colspan=\"4\">Whole chain (model totals)</th>"
      "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
      "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
      esc(power(if_finite(t.source_w))), esc(power(if_finite(t.delivered_w))),
      esc(power(if_finite(t.loss_w))),
      esc(t.source_w != 0.0 ? format_percent(t.loss_w / t.source_w, 2) : std::string(dash)),
      esc(percent(if_finite(t.efficiency))));
  out += fmt::format(
      "<tr><th></th><th colspan=\"6\" class=\"small\">Sum of the stage losses above</th>"
      "<td class=\"num small\">{}</td><td colspan=\"2\"></td></tr>\n",
      esc(format_power(loss_sum_w, 4)));
  out += "</tfoot>\n</table></div>\n";
}

}  // namespace

void append_flows(std::string& out, const std::vector<Architecture>& archs) {
  out += "<section id=\"flows\">\n<h2>Power flow from the grid to the GPUs</h2>\n";
  out +=
      "<p class=\"note\">Sankey diagrams: band widths are proportional to power; at every "
      "stage the loss branches off downwards (red). Figures are in the stage tables below.</p>\n";
  for (std::size_t i = 0; i < archs.size(); ++i) {
    out += fmt::format(
        "<figure class=\"chart sankey-figure\"><figcaption>{}</figcaption><div "
        "class=\"sankey-box\"><svg class=\"sankey\" id=\"sankey-{}\" data-arch=\"{}\" "
        "role=\"img\" aria-label=\"Sankey diagram of {}\"></svg></div></figure>\n",
        esc(archs[i].name), i, i, esc(archs[i].name));
  }
  out += "</section>\n";
}

void append_losses(std::string& out, const std::vector<Architecture>& archs) {
  out += "<section id=\"losses\">\n<h2>Losses, stage by stage</h2>\n";
  out +=
      "<p class=\"note\">Waterfalls: from the power drawn from the grid (left), each stage's "
      "loss (red) down to the power delivered (right). The vertical axis does not start at "
      "zero, so that the losses are visible; its start is given on the axis.</p>\n";
  for (std::size_t i = 0; i < archs.size(); ++i) {
    out += fmt::format("<h3>{}</h3>\n", esc(archs[i].name));
    out += fmt::format(
        "<figure class=\"chart\"><div class=\"chart-scroll\"><div class=\"canvas-box\"><canvas "
        "id=\"waterfall-{}\" class=\"waterfall\" data-arch=\"{}\" role=\"img\" "
        "aria-label=\"Loss waterfall of {}\"></canvas></div></div></figure>\n",
        i, i, esc(archs[i].name));
    stage_table(out, archs[i]);
  }
  out += "</section>\n";
}

void append_conductors(std::string& out, const std::vector<Architecture>& archs) {
  out += "<section id=\"conductors\">\n<h2>Conductors</h2>\n";
  out +=
      "<figure class=\"chart\"><figcaption>Copper mass by conductor level</figcaption>"
      "<div class=\"chart-scroll\"><div class=\"canvas-box short\"><canvas id=\"copper-chart\" "
      "class=\"copper\" role=\"img\" aria-label=\"Copper mass by architecture\"></canvas>"
      "</div></div></figure>\n";
  for (const auto& a : archs) {
    out += fmt::format("<h3>{}</h3>\n", esc(a.name));
    const auto& levels = a.r->conductor_levels;
    out +=
        "<div class=\"scroll\"><table class=\"data\">\n<thead><tr><th>Level</th><th>Kind</th><th "
        "class=\"num\">"
        "Voltage</th><th class=\"num\">Lines</th><th class=\"num\">Largest current</th>"
        "<th>Its conductor</th><th class=\"num\">Cross-section</th><th class=\"num\">"
        "Copper</th><th class=\"num\">Aluminium</th><th class=\"num\">Loss</th></tr>"
        "</thead>\n<tbody>\n";
    double loss_sum_w = 0.0;
    for (const auto& l : levels) {
      std::string conductor = l.typical_size;
      if (l.typical_runs > 1)
        conductor = fmt::format("{} × {}", format_significant(l.typical_runs, 3), conductor);
      loss_sum_w += l.loss_w;
      const double section_mm2 = l.typical_cross_section_m2 * 1e6;
      out += fmt::format(
          "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}"
          "</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
          esc(l.name), esc(upper_ascii(std::string(model::name(l.kind)))),
          esc(voltage(if_finite(l.voltage_v))), l.lines,
          esc(grouped(if_finite(l.max_current_a), "A")), esc(conductor),
          esc(std::isfinite(section_mm2)
                  ? fmt::format("{} mm²", detail::format_trimmed(section_mm2, 4))
                  : std::string(dash)),
          esc(grouped(if_finite(l.copper_kg), "kg")), esc(grouped(if_finite(l.aluminium_kg), "kg")),
          esc(power(if_finite(l.loss_w))));
    }
    if (levels.empty())
      out += "<tr><td colspan=\"10\" class=\"note\">No conductor levels listed.</td></tr>\n";
    out += fmt::format(
        "</tbody>\n<tfoot><tr><th colspan=\"7\">Total</th><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr></tfoot>\n</table></div>\n",
        esc(grouped(if_finite(a.r->copper_kg), "kg")),
        esc(grouped(if_finite(a.r->aluminium_kg), "kg")),
        levels.empty() ? std::string(dash) : esc(format_power(loss_sum_w, 4)));
  }
  out += "</section>\n";
}

void append_violations(std::string& out, const std::vector<Architecture>& archs) {
  out += "<section id=\"violations\">\n<h2>Violations</h2>\n";
  for (const auto& a : archs) {
    const auto& list = a.r->result.violations;
    out += fmt::format("<h3>{}</h3>\n", esc(a.name));
    if (list.empty()) {
      out += "<p class=\"ok\">No voltage, loading or ampacity limit is violated.</p>\n";
      continue;
    }
    out +=
        "<div class=\"scroll\"><table "
        "class=\"data\">\n<thead><tr><th>Kind</th><th>Element</th><th class=\"num\">"
        "Value</th><th class=\"num\">Limit</th></tr></thead>\n<tbody>\n";
    for (const auto& v : list) {
      const std::string_view unit = steady::violation_unit(v.kind);
      const std::string_view symbol = unit == "pct" ? std::string_view("%") : unit;
      auto with_unit = [&](double x) {
        if (!std::isfinite(x)) return std::string(dash);
        return symbol.empty() ? detail::format_trimmed(x, 4)
                              : fmt::format("{} {}", detail::format_trimmed(x, 4), symbol);
      };
      out += fmt::format(
          "<tr><td>{}</td><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}"
          "</td></tr>\n",
          esc(humanise(steady::violation_kind_name(v.kind))), esc(v.element_id),
          esc(with_unit(v.value)), esc(with_unit(v.limit)));
    }
    out += "</tbody>\n</table></div>\n";
  }
  out += "</section>\n";
}

}  // namespace g2g::report::page

// The sections of the page about each architecture's chain: Sankey diagrams (drawn by
// report.js), loss waterfalls with the stage tables, conductors and violations.
#include <fmt/format.h>

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

// Symbol of a violation's value and limit, from the unit the results give its kind
// (steady::violation_unit).
std::string_view violation_symbol(std::string_view kind) {
  const auto known = steady::violation_kind_from_name(kind);
  if (!known) return "";
  const std::string_view unit = steady::violation_unit(*known);
  return unit == "pct" ? std::string_view("%") : unit;
}

// "48 units at 47 %": the installed units of a conversion stage with redundancy and the load of
// one unit; empty without spare units.
std::string units_text(const Json& stage) {
  const auto count = number(stage, "count");
  const auto installed = number(stage, "installed_units");
  if (text(stage, "kind") != "conversion" || !count || !installed || *installed <= *count)
    return {};
  const auto load = number(stage, "unit_load_fraction");
  return fmt::format("{} units{}", format_grouped(*installed, 0),
                     load ? fmt::format(" at {}", format_percent(*load, 0)) : std::string());
}

void stage_table(std::string& out, const Architecture& a) {
  const auto& stages = array(*a.j, "stages");
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
  double loss_sum = 0.0;
  bool have_loss = false;
  for (std::size_t k = 0; k < stages.size(); ++k) {
    const Json& s = stages[k];
    const auto p_in = number(s, "p_in_w");
    const auto loss = number(s, "loss_w");
    const auto vin = number(s, "voltage_in_v");
    const auto vout = number(s, "voltage_out_v");
    const std::string kin = upper_ascii(text(s, "bus_kind_in"));
    const std::string kout = upper_ascii(text(s, "bus_kind_out"));
    auto level = [](double v, const std::string& kind) {
      return kind.empty() ? detail::format_nominal_voltage(v)
                          : fmt::format("{} {}", detail::format_nominal_voltage(v), kind);
    };
    std::string volts = std::string(dash);
    if (vin && vout && (*vin != *vout || kin != kout))
      volts = fmt::format("{} → {}", level(*vin, kin), level(*vout, kout));
    else if (vin || vout)
      volts = level(vin ? *vin : *vout, vin ? kin : kout);
    std::string loss_pct = std::string(dash);
    if (loss && p_in && *p_in != 0.0)
      loss_pct = format_percent(*loss / *p_in, 2);
    else if (auto lp = number(s, "loss_pct"))
      loss_pct = fmt::format("{:.2f} %", *lp);
    if (loss) {
      loss_sum += *loss;
      have_loss = true;
    }
    const std::string kind = text(s, "kind");
    const std::string units = units_text(s);
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td><span class=\"kind kind-{}\">{}</span></td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td></tr>\n",
        k + 1, esc(text(s, "name")), kind == "conversion" ? "conversion" : "distribution",
        esc(kind.empty() ? std::string(dash) : kind), esc(volts), esc(text(s, "count", dash)),
        units.empty() ? std::string()
                      : fmt::format("<div class=\"small units\">{}</div>", esc(units)),
        esc(power(p_in)), esc(power(number(s, "p_out_w"))), esc(power(loss)), esc(loss_pct),
        esc(percent(number(s, "efficiency"))));
  }
  const Json& t = object(*a.j, "totals");
  const auto source = number(t, "source_w");
  const auto total_loss = number(t, "loss_w");
  out += fmt::format(
      "</tbody>\n<tfoot><tr><th></th><th colspan=\"4\">Whole chain (model totals)</th>"
      "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
      "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
      esc(power(source)), esc(power(number(t, "load_w"))), esc(power(total_loss)),
      esc(total_loss && source && *source != 0.0 ? format_percent(*total_loss / *source, 2)
                                                 : std::string(dash)),
      esc(percent(number(t, "efficiency"))));
  if (have_loss)
    out += fmt::format(
        "<tr><th></th><th colspan=\"6\" class=\"small\">Sum of the stage losses above</th>"
        "<td class=\"num small\">{}</td><td colspan=\"2\"></td></tr>\n",
        esc(format_power(loss_sum, 4)));
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
    const auto& levels = array(*a.j, "conductor_levels");
    out +=
        "<div class=\"scroll\"><table class=\"data\">\n<thead><tr><th>Level</th><th>Kind</th><th "
        "class=\"num\">"
        "Voltage</th><th class=\"num\">Lines</th><th class=\"num\">Largest current</th>"
        "<th>Its conductor</th><th class=\"num\">Cross-section</th><th class=\"num\">"
        "Copper</th><th class=\"num\">Aluminium</th><th class=\"num\">Loss</th></tr>"
        "</thead>\n<tbody>\n";
    double loss_sum = 0.0;
    for (const auto& l : levels) {
      const auto section = number(l, "cross_section_mm2");
      const auto runs = number(l, "runs");
      std::string conductor = text(l, "size", dash);
      if (runs && *runs > 1)
        conductor = fmt::format("{} × {}", format_significant(*runs, 3), conductor);
      if (auto loss = number(l, "loss_w")) loss_sum += *loss;
      out += fmt::format(
          "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}"
          "</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
          esc(text(l, "name")), esc(upper_ascii(text(l, "kind", dash))),
          esc(voltage(number(l, "voltage_v"))), esc(text(l, "lines", dash)),
          esc(grouped(number(l, "current_a"), "A")), esc(conductor),
          esc(section ? fmt::format("{} mm²", detail::format_trimmed(*section, 4))
                      : std::string(dash)),
          esc(grouped(number(l, "copper_kg"), "kg")), esc(grouped(number(l, "aluminium_kg"), "kg")),
          esc(power(number(l, "loss_w"))));
    }
    if (levels.empty())
      out += "<tr><td colspan=\"10\" class=\"note\">No conductor levels listed.</td></tr>\n";
    out += fmt::format(
        "</tbody>\n<tfoot><tr><th colspan=\"7\">Total</th><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr></tfoot>\n</table></div>\n",
        esc(grouped(number(*a.j, "copper_kg"), "kg")),
        esc(grouped(number(*a.j, "aluminium_kg"), "kg")),
        levels.empty() ? std::string(dash) : esc(format_power(loss_sum, 4)));
  }
  out += "</section>\n";
}

void append_violations(std::string& out, const std::vector<Architecture>& archs) {
  out += "<section id=\"violations\">\n<h2>Violations</h2>\n";
  for (const auto& a : archs) {
    const auto& list = array(*a.j, "violations");
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
      const std::string kind = text(v, "kind");
      const std::string_view unit = violation_symbol(kind);
      auto with_unit = [&](std::string_view key) {
        const auto x = number(v, key);
        if (!x) return text(v, key, dash);
        return unit.empty() ? detail::format_trimmed(*x, 4)
                            : fmt::format("{} {}", detail::format_trimmed(*x, 4), unit);
      };
      out += fmt::format(
          "<tr><td>{}</td><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}"
          "</td></tr>\n",
          esc(humanise(kind)), esc(text(v, "element")), esc(with_unit("value")),
          esc(with_unit("limit")));
    }
    out += "</tbody>\n</table></div>\n";
  }
  out += "</section>\n";
}

}  // namespace g2g::report::page

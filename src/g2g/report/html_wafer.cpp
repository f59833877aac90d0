// The wafer page (`grid2gpu wafer --html`): fab::WaferStudy as tables in the report's frame, with
// one inline SVG chart (yield against the mean defects per die, per model). docs/fab.md.
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "g2g/report/html_common.hpp"
#include "g2g/report/report.hpp"

namespace g2g::report {
namespace {

using page::esc;

std::string fixed(double v, int decimals) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : std::string("—");
}

// Yield against A D0 (log axis, 0.01 to 10) for every model, the SPEC's point marked.
std::string yield_chart(const fab::WaferStudy& s) {
  constexpr double w = 640, h = 320, left = 56, bottom = 40, top = 16, right = 16;
  const double pw = w - left - right, ph = h - top - bottom;
  const auto x_of = [&](double ad) { return left + pw * (std::log10(ad) + 2.0) / 3.0; };
  const auto y_of = [&](double y) { return top + ph * (1.0 - y); };
  constexpr const char* colours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"};
  std::string out = fmt::format(
      "<svg viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"yield "
      "against mean defects per die\">\n",
      w, h, w, h);
  out += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" "
      "stroke=\"#999\"/>\n",
      left, top, pw, ph);
  for (double ad : {0.01, 0.1, 1.0, 10.0})
    out += fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" "
        "text-anchor=\"middle\">{:g}</text>\n",
        x_of(ad), h - bottom + 16, ad);
  for (double y : {0.0, 0.25, 0.5, 0.75, 1.0})
    out += fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" "
        "text-anchor=\"end\">{:g} %</text>\n",
        left - 6, y_of(y) + 4, 100 * y);
  out += fmt::format(
      "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"12\" "
      "text-anchor=\"middle\">mean killer defects per die, A·D0</text>\n",
      left + pw / 2, h - 6);
  int k = 0;
  for (fab::YieldModel model : fab::every_yield_model) {
    std::string points;
    for (int i = 0; i <= 120; ++i) {
      const double ad = std::pow(10.0, -2.0 + 3.0 * i / 120.0);
      const double y = fab::die_yield(model, ad, 1.0, s.spec.alpha);
      points += fmt::format("{:.1f},{:.1f} ", x_of(ad), y_of(y));
    }
    out += fmt::format(
        "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" "
        "points=\"{}\"/>\n",
        colours[k], points);
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" fill=\"{}\">{}</text>\n",
                       left + pw - 130, top + 16 + 14 * k, colours[k], esc(fab::name(model)));
    ++k;
  }
  const double ad = s.spec.d0_per_m2 * s.spec.die.area_m2();
  if (ad > 0.01 && ad < 10.0)
    out += fmt::format(
        "<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" "
        "stroke=\"#555\" stroke-dasharray=\"4 3\"/>\n",
        x_of(ad), top, top + ph);
  out += "</svg>\n";
  return out;
}

}  // namespace

std::string render_wafer_html(const fab::WaferStudy& s) {
  const fab::WaferSpec& spec = s.spec;
  std::string out;
  const std::string title =
      spec.name.empty() ? std::string("Wafer") : fmt::format("Wafer: {}", spec.name);
  page::append_page_head(out, title);
  out += fmt::format(
      "<header><h1>{}</h1><p>Die {:g} × {:g} mm, scribe {:g} µm, edge exclusion "
      "{:g} mm. Method and sources: docs/fab.md.</p></header>\n<main>\n",
      esc(title), spec.die.width_m * 1e3, spec.die.height_m * 1e3, spec.die.scribe_m * 1e6,
      spec.wafer.edge_exclusion_m * 1e3);

  out +=
      "<section><h2>Gross die per wafer</h2>\n<table><thead><tr><th>diameter</th>"
      "<th>formula π d²/4A − π d/√(2A)</th><th>exact, best offset</th><th>die-centred</th>"
      "<th>corner-centred</th><th>formula against exact</th></tr></thead><tbody>\n";
  for (const auto& r : s.die_counts)
    out += fmt::format(
        "<tr><td>{:g} mm</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{} %</td></tr>\n",
        r.diameter_m * 1e3, fixed(r.formula, 1), r.exact.best, r.exact.die_centred,
        r.exact.corner_centred,
        r.exact.best > 0 ? fixed(100.0 * (r.formula / r.exact.best - 1.0), 2) : "—");
  out += "</tbody></table></section>\n";

  if (spec.has_yield) {
    out += fmt::format(
        "<section><h2>Yield and cost per good die</h2><p>D0 = {:g} /cm², die area "
        "{:g} cm², A·D0 = {:.4g}, clustering α = {:g}.</p>\n",
        spec.d0_per_m2 * 1e-4, spec.die.area_m2() * 1e4, spec.d0_per_m2 * spec.die.area_m2(),
        spec.alpha);
    out +=
        "<table><thead><tr><th>model</th><th>yield</th><th>good die</th><th>cost per good "
        "die</th><th>D0 for the stated yield (/cm²)</th><th>yield of a 2× die at that "
        "D0</th></tr></thead><tbody>\n";
    for (const auto& r : s.yields)
      out += fmt::format(
          "<tr><td>{}</td><td>{} %</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
          esc(fab::name(r.model)), fixed(100 * r.yield, 2), fixed(r.good_die, 0),
          spec.wafer_cost > 0 ? fmt::format("{:.4g} {}", r.cost_per_good_die, esc(spec.currency))
                              : "—",
          spec.stated_yield > 0 ? fmt::format("{:.4g}", r.d0_for_stated_per_m2 * 1e-4) : "—",
          spec.stated_yield > 0 ? fixed(100 * r.yield_double_area_at_stated_d0, 2) + " %" : "—");
    out += "</tbody></table>\n";
    if (spec.wafer_cost > 0)
      out += fmt::format("<p>Wafer cost {:g} {}: {}</p>\n", spec.wafer_cost, esc(spec.currency),
                         page::linked(spec.cost_source));
    if (spec.stated_yield > 0)
      out += fmt::format("<p>Stated yield {:g} %: {}</p>\n", 100 * spec.stated_yield,
                         page::linked(spec.stated_yield_source));
    out += yield_chart(s);
    out += "</section>\n";
  }

  if (s.has_stack) {
    const fab::StackResult& r = s.stack;
    out += fmt::format(
        "<section><h2>Thermal-mismatch stress and bow</h2><p>Cooled from {:g} °C "
        "to {:g} °C. Bow over {:g} mm: {} µm (multilayer), {} µm (Stoney); "
        "positive: film side convex.</p>\n",
        spec.stack.t_growth_c, spec.stack.t_room_c, spec.wafer.diameter_m * 1e3,
        fixed(r.bow_m * 1e6, 1), fixed(r.bow_stoney_m * 1e6, 1));
    out +=
        "<table><thead><tr><th>layer</th><th>thickness</th><th>biaxial modulus</th>"
        "<th>α at room</th><th>free strain</th><th>mean stress</th><th>growth strain that alone "
        "flattens the wafer</th></tr></thead><tbody>\n";
    for (const auto& l : r.layers)
      out += fmt::format(
          "<tr><td>{}</td><td>{:.4g} µm</td><td>{:.1f} GPa</td><td>{:.3f}×10⁻⁶/K"
          "</td><td>{:.3e}</td><td>{:.1f} MPa</td><td>{}</td></tr>\n",
          esc(l.label), l.thickness_m * 1e6, l.biaxial_modulus_pa * 1e-9, l.cte_at_room_per_k * 1e6,
          l.free_strain, l.mean_stress_pa * 1e-6,
          std::isfinite(l.flattening_growth_strain)
              ? fmt::format("{:+.3e} ({:+.0f} MPa)", l.flattening_growth_strain,
                            l.flattening_growth_stress_pa * 1e-6)
              : std::string("—"));
    out += "</tbody></table>\n";
    if (spec.stack.non_uniformity_k > 0)
      out += fmt::format(
          "<p>Growth temperature −/+ {:g} K: bow {:.3f} / {:.3f} µm, top-layer "
          "stress {:.2f} / {:.2f} MPa.</p>\n",
          spec.stack.non_uniformity_k, r.bow_minus_m * 1e6, r.bow_plus_m * 1e6,
          r.top_stress_minus_pa * 1e-6, r.top_stress_plus_pa * 1e-6);
    out +=
        "<table><thead><tr><th>diameter</th><th>substrate</th><th>bow, multilayer</th>"
        "<th>bow, Stoney</th></tr></thead><tbody>\n";
    for (const auto& b : r.bow_table)
      out += fmt::format("<tr><td>{:g} mm</td><td>{:g} µm</td><td>{} µm</td><td>{} µm</td></tr>\n",
                         b.diameter_m * 1e3, b.substrate_thickness_m * 1e6, fixed(b.bow_m * 1e6, 1),
                         fixed(b.bow_stoney_m * 1e6, 1));
    out += "</tbody></table></section>\n";
  }
  if (s.has_cte_claim) {
    const fab::CteClaim& c = s.cte_claim;
    out += fmt::format(
        "<section><h2>Claim: GaN/Si expansion mismatch “nearly 3×”</h2><p>α(GaN, "
        "a-axis)/α(Si): {:.2f} at room temperature, {:.2f} at growth temperature, "
        "{:.2f} for the means over the cool-down, at most {:.2f}: <b>{}</b>.</p>"
        "</section>\n",
        c.ratio_at_room, c.ratio_at_growth, c.ratio_mean, c.ratio_max,
        c.nearly_3x ? "supported" : "not supported");
  }
  out += "</main>\n<footer>\n";
  page::append_page_tail(out, "g2g-wafer-data", nlohmann::json::object(), "");
  return out;
}

}  // namespace g2g::report

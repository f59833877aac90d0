// The qualification page (`grid2gpu qualify PLAN --html`): per stress, its bounds in a table and
// its operating-characteristic curve as an inline SVG chart (P(accept) against the true defect
// fraction), with the LTPD at the consumer's risk and the producer's point at 1 - producer's risk
// marked. docs/reliability.md.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "g2g/report/html_common.hpp"
#include "g2g/report/report.hpp"

namespace g2g::report {
namespace {

using page::esc;

std::string pct(double fraction) {
  return std::isfinite(fraction) ? fmt::format("{:.3g} %", 100.0 * fraction) : std::string("—");
}

// P(accept) of the whole plan (solid) and of one lot (dashed, when there are several) against
// the defect fraction over the curve's range, with the LTPD and the producer's point marked.
std::string oc_chart(const reliability::StressResult& r, int lots, double consumer_risk,
                     double producer_risk) {
  constexpr double w = 640, h = 320, left = 56, bottom = 40, top = 16, right = 16;
  const double pw = w - left - right, ph = h - top - bottom;
  double p_max = 0.0;
  for (const auto& p : r.oc_curve) p_max = std::max(p_max, p.defect_fraction);
  if (!(p_max > 0.0)) return "<p class=\"note\">No OC curve.</p>\n";
  const auto x_of = [&](double p) { return left + pw * p / p_max; };
  const auto y_of = [&](double y) { return top + ph * (1.0 - y); };
  std::string out = fmt::format(
      "<svg viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"OC curve "
      "of {}\">\n",
      w, h, w, h, esc(r.name));
  out += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#999\"/>\n", left,
      top, pw, ph);
  for (int i = 0; i <= 4; ++i) {
    const double p = p_max * i / 4.0;
    out += fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"middle\">{}</text>\n",
        x_of(p), h - bottom + 16, esc(pct(p)));
  }
  for (double y : {0.0, 0.25, 0.5, 0.75, 1.0})
    out += fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"end\">{:g} %</text>\n",
        left - 6, y_of(y) + 4, 100 * y);
  out += fmt::format(
      "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"12\" text-anchor=\"middle\">true defect "
      "fraction of the lot</text>\n",
      left + pw / 2, h - 6);
  std::string all, lot;
  for (const auto& p : r.oc_curve) {
    all += fmt::format("{:.1f},{:.1f} ", x_of(p.defect_fraction), y_of(p.accept_all));
    lot += fmt::format("{:.1f},{:.1f} ", x_of(p.defect_fraction), y_of(p.accept_lot));
  }
  if (lots > 1)
    out += fmt::format(
        "<polyline fill=\"none\" stroke=\"#6d9eeb\" stroke-width=\"1.5\" "
        "stroke-dasharray=\"5 3\" points=\"{}\"/>\n",
        lot);
  out += fmt::format(
      "<polyline fill=\"none\" stroke=\"#1f4e79\" stroke-width=\"2\" points=\"{}\"/>\n", all);
  // A marked point: dotted guides to both axes and a label.
  auto mark = [&](double p, double y, const std::string& label, const char* colour) {
    if (!(p >= 0.0 && p <= p_max)) return;
    out += fmt::format(
        "<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\" stroke=\"{3}\" "
        "stroke-dasharray=\"3 3\"/>\n<line x1=\"{4:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" "
        "y2=\"{1:.1f}\" stroke=\"{3}\" stroke-dasharray=\"3 3\"/>\n<circle cx=\"{0:.1f}\" "
        "cy=\"{1:.1f}\" r=\"4\" fill=\"{3}\"/>\n<text x=\"{5:.1f}\" y=\"{6:.1f}\" font-size=\"11\" "
        "fill=\"{3}\">{7}</text>\n",
        x_of(p), y_of(y), top + ph, colour, left, x_of(p) + 6, y_of(y) - 6, esc(label));
  };
  mark(r.ltpd, consumer_risk,
       fmt::format("LTPD {} (consumer's risk {})", pct(r.ltpd), pct(consumer_risk)), "#c5221f");
  mark(r.producer_point, 1.0 - producer_risk,
       fmt::format("{} accepted {} of the time (producer's risk {})", pct(r.producer_point),
                   pct(1.0 - producer_risk), pct(producer_risk)),
       "#2e7d32");
  out += fmt::format(
      "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" fill=\"#1f4e79\">P(accept), the whole "
      "plan</text>\n",
      left + pw - 190, top + 16);
  if (lots > 1)
    out += fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" fill=\"#6d9eeb\">P(accept), one "
        "lot</text>\n",
        left + pw - 190, top + 30);
  out += "</svg>\n";
  return out;
}

}  // namespace

std::string render_qualify_html(const reliability::QualificationPlan& plan,
                                const reliability::QualificationResult& result) {
  std::string out;
  const std::string title = plan.name.empty() ? std::string("Qualification plan")
                                              : fmt::format("Qualification: {}", plan.name);
  page::append_page_head(out, title);
  out += fmt::format(
      "<header><h1>{}</h1><p>Bounds at {} confidence; LTPD at {} consumer's risk, producer's "
      "point at {} producer's risk. Method and sources: docs/reliability.md.</p></header>\n"
      "<main>\n",
      esc(title), pct(plan.confidence), pct(plan.consumer_risk), pct(plan.producer_risk));
  out +=
      "<section><h2>Stresses</h2>\n<table><thead><tr><th>stress</th><th>test</th><th>units "
      "(c per lot)</th><th>failures</th><th>AF</th><th>field years per unit</th><th>FIT ≤</th>"
      "<th>MTTF ≥ (years)</th><th>OC model</th><th>LTPD</th><th>producer's point</th></tr>"
      "</thead><tbody>\n";
  for (std::size_t i = 0; i < result.stresses.size(); ++i) {
    const auto& s = plan.stresses[i];
    const auto& r = result.stresses[i];
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{} × {} ({})</td><td>{}{}</td><td>{:.4g}</td>"
        "<td>{:.3g}</td><td>{:.4g}</td><td>{:.4g}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
        esc(r.name), esc(reliability::stress_kind_name(r.kind)), s.lots, s.samples, s.accept,
        r.failures, r.failures_observed ? "" : " (worst pass)", r.acceleration_factor,
        r.field_hours_per_unit / reliability::hours_per_year, r.fit_upper,
        r.mttf_lower_h / reliability::hours_per_year, esc(r.oc_model), esc(pct(r.ltpd)),
        esc(pct(r.producer_point)));
  }
  out += "</tbody></table></section>\n";
  for (std::size_t i = 0; i < result.stresses.size(); ++i) {
    const auto& s = plan.stresses[i];
    const auto& r = result.stresses[i];
    out += fmt::format("<section><h2>OC curve: {}</h2>\n", esc(r.name));
    out += oc_chart(r, s.lots, plan.consumer_risk, plan.producer_risk);
    if (!r.findings.empty()) {
      out += "<ul>\n";
      for (const auto& f : r.findings) out += fmt::format("<li>{}</li>\n", esc(f));
      out += "</ul>\n";
    }
    out += "</section>\n";
  }
  out += "</main>\n<footer>\n";
  page::append_page_tail(out, "g2g-qualify-data", nlohmann::json::object(), "");
  return out;
}

}  // namespace g2g::report

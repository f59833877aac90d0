// The availability section of the comparison page: one GPU's path availability, the expected
// unserved energy and the stage that contributes most, per architecture (a bar chart drawn by
// report.js from the embedded document, and a table per architecture). An architecture whose
// chain has an element type without data shows "no data", never a number.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "g2g/report/format.hpp"
#include "g2g/report/html_common.hpp"

namespace g2g::report::page {
namespace {

std::string availability_text(double a) {
  // Enough digits to tell 99.98 % from 99.998 %: four after the point.
  return fmt::format("{:.4f} %", 100.0 * a);
}

std::string mwh_text(double mwh) {
  return fmt::format("{} MWh", detail::format_significant(mwh, 3));
}

}  // namespace

void append_availability(std::string& out, const std::vector<Architecture>& archs) {
  out += "<section id=\"availability\">\n<h2>Availability</h2>\n";
  out +=
      "<p class=\"note\">Each element of a stage is a k-out-of-n group of its units (k: the "
      "modules its rating needs, n: its installed units; a cable, busbar or breaker is 1-of-1), "
      "with failure rates and repair times per element type from "
      "<code>data/reliability/failure_rates.yaml</code> (most are tagged assumptions) and the "
      "Markov closed form. An element that is down loses its share of the load; one GPU's path is "
      "one element per stage in series. The utility supply, storage and path-based redundancy "
      "(A/B feeds) are not modelled. The same data and rule apply to every architecture.</p>\n";
  // The chart only when there is something to draw (a document without availability has none).
  if (std::any_of(archs.begin(), archs.end(),
                  [](const Architecture& a) { return a.r->availability.complete(); }))
    out +=
        "<figure class=\"chart\"><figcaption>Expected unserved IT energy per year</figcaption>"
        "<div class=\"chart-scroll\"><div class=\"canvas-box short\"><canvas "
        "id=\"availability-chart\" role=\"img\" aria-label=\"Unserved energy by "
        "architecture\"></canvas></div></div></figure>\n";

  out +=
      "<div class=\"scroll\"><table class=\"data\">\n<thead><tr><th>Architecture</th><th "
      "class=\"num\">One GPU's path</th><th class=\"num\">Unserved energy a year</th><th>Largest "
      "contributor</th></tr></thead>\n<tbody>\n";
  for (const auto& a : archs) {
    const study::ArchitectureAvailability& av = a.r->availability;
    if (!av.computed) {
      out += fmt::format("<tr><td>{}</td><td colspan=\"3\" class=\"note\">not computed</td></tr>\n",
                         esc(a.name));
    } else if (!av.complete()) {
      std::string missing;
      for (const auto& t : av.no_data) missing += (missing.empty() ? "" : ", ") + t;
      out += fmt::format(
          "<tr><td>{}</td><td class=\"num\">no data</td><td class=\"num\">no data</td>"
          "<td class=\"note\">no data for {}</td></tr>\n",
          esc(a.name), esc(missing));
    } else {
      out += fmt::format(
          "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
          esc(a.name), esc(availability_text(av.path_availability)),
          esc(mwh_text(av.unserved_mwh_per_year)), esc(av.largest_stage));
    }
  }
  out += "</tbody>\n</table></div>\n";

  for (const auto& a : archs) {
    const study::ArchitectureAvailability& av = a.r->availability;
    if (!av.computed || av.stages.empty()) continue;
    out += fmt::format("<h3>{}</h3>\n", esc(a.name));
    out +=
        "<div class=\"scroll\"><table class=\"data\">\n<thead><tr><th>Stage</th><th>Data</th>"
        "<th class=\"num\">Elements</th><th class=\"num\">k of n (first)</th><th class=\"num\">"
        "Unit FIT</th><th class=\"num\">MTTR</th><th class=\"num\">Unavailability</th><th "
        "class=\"num\">Unserved a year</th></tr></thead>\n<tbody>\n";
    for (const auto& s : av.stages) {
      if (!s.has_data) {
        out += fmt::format(
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td colspan=\"5\" "
            "class=\"note\">no data</td></tr>\n",
            esc(s.stage), esc(s.element_type), s.elements);
        continue;
      }
      out += fmt::format(
          "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{} of {}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td></tr>\n",
          esc(s.stage), esc(s.element_type), s.elements, s.unit.k, s.unit.n,
          esc(detail::format_significant(s.unit.failure_rate_per_h * 1e9, 3)),
          esc(s.unit.repair_rate_per_h > 0.0
                  ? fmt::format("{} h",
                                detail::format_significant(1.0 / s.unit.repair_rate_per_h, 3))
                  : std::string(dash)),
          esc(detail::format_significant(s.unavailability, 3)),
          esc(mwh_text(s.unserved_mwh_per_year)));
    }
    out += "</tbody>\n</table></div>\n";
  }
  out += "</section>\n";
}

}  // namespace g2g::report::page

#include "g2g/report/converter_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "g2g/report/report.hpp"

namespace g2g::report {
namespace {

// Plot frame in SVG user units.
struct Frame {
  double x0, y0, width, height;  // plotting area
  double x_min, x_max, y_min, y_max;
  [[nodiscard]] double x(double v) const { return x0 + (v - x_min) / (x_max - x_min) * width; }
  [[nodiscard]] double y(double v) const {
    return y0 + height - (v - y_min) / (y_max - y_min) * height;
  }
};

// A "nice" tick step for a span: 1, 2 or 5 times a power of ten, about `ticks` ticks.
double tick_step(double span, int ticks) {
  const double raw = span / ticks;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * power) return m * power;
  return 10.0 * power;
}

void axes(std::string& svg, const Frame& f, const std::string& x_label, const std::string& y_label,
          double x_scale, double y_scale) {
  svg += fmt::format(
      R"svg(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="none" stroke="#9aa0a6"/>)svg",
      f.x0, f.y0, f.width, f.height);
  const double xs = tick_step(f.x_max - f.x_min, 8);
  for (double v = std::ceil(f.x_min / xs) * xs; v <= f.x_max + 1e-12; v += xs)
    svg += fmt::format(
        R"svg(<line x1="{0:.1f}" x2="{0:.1f}" y1="{1:.1f}" y2="{2:.1f}" stroke="#e8eaed"/>)svg"
        R"svg(<text x="{0:.1f}" y="{3:.1f}" text-anchor="middle" font-size="11">{4:g}</text>)svg",
        f.x(v), f.y0, f.y0 + f.height, f.y0 + f.height + 14, v * x_scale);
  const double ys = tick_step(f.y_max - f.y_min, 6);
  for (double v = std::ceil(f.y_min / ys) * ys; v <= f.y_max + 1e-12; v += ys)
    svg += fmt::format(
        R"svg(<line x1="{0:.1f}" x2="{1:.1f}" y1="{2:.1f}" y2="{2:.1f}" stroke="#e8eaed"/>)svg"
        R"svg(<text x="{3:.1f}" y="{4:.1f}" text-anchor="end" font-size="11">{5:g}</text>)svg",
        f.x0, f.x0 + f.width, f.y(v), f.x0 - 4, f.y(v) + 4, std::round(v * y_scale * 1e3) / 1e3);
  svg += fmt::format(
      R"svg(<text x="{:.1f}" y="{:.1f}" text-anchor="middle" font-size="12">{}</text>)svg",
      f.x0 + f.width / 2, f.y0 + f.height + 32, html_escape(x_label));
  svg += fmt::format(
      R"svg(<text transform="translate({:.1f},{:.1f}) rotate(-90)" text-anchor="middle" font-size="12">{}</text>)svg",
      f.x0 - 42, f.y0 + f.height / 2, html_escape(y_label));
}

constexpr std::array<const char*, 8> palette = {"#1f4e79", "#b3541e", "#2e7d32", "#7b1fa2",
                                                "#00838f", "#c5221f", "#e8a33d", "#5f6368"};

}  // namespace

std::string efficiency_map_svg(const converters::ConverterDesign& design,
                               const converters::EfficiencyMap& map, double nominal_v_in_v) {
  const std::size_t loads = map.load_fractions.size();
  const std::size_t rows = map.v_in_v.size();
  double eff_min = 1.0, eff_max = 0.0;
  for (const auto& p : map.points)
    if (std::isfinite(p.efficiency)) {
      eff_min = std::min(eff_min, p.efficiency);
      eff_max = std::max(eff_max, p.efficiency);
    }
  if (eff_min > eff_max) eff_min = 0.0, eff_max = 1.0;
  const double margin = std::max(0.002, 0.08 * (eff_max - eff_min));
  const double x_max =
      loads > 0 ? *std::max_element(map.load_fractions.begin(), map.load_fractions.end()) : 1.0;

  std::string svg = fmt::format(
      R"svg(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 980 420" width="980" height="420" font-family="sans-serif">)svg"
      R"svg(<text x="20" y="22" font-size="15" font-weight="bold">{}: {} at {:g} kHz</text>)svg",
      html_escape(design.name), html_escape(std::string(converters::name(design.topology))),
      design.f_sw_hz / 1e3);

  // Left: efficiency over load, one curve per input voltage.
  const Frame left{70,
                   40,
                   380,
                   300,
                   0.0,
                   x_max,
                   std::max(0.0, eff_min - margin),
                   std::min(1.0, eff_max + margin)};
  axes(svg, left, "load (% of rating)", "efficiency (%)", 100.0, 100.0);
  for (std::size_t r = 0; r < rows; ++r) {
    std::string path;
    for (std::size_t c = 0; c < loads; ++c) {
      const auto& p = map.points[r * loads + c];
      if (!std::isfinite(p.efficiency)) continue;
      path += fmt::format("{}{:.1f},{:.1f}", path.empty() ? "M" : " L",
                          left.x(map.load_fractions[c]), left.y(p.efficiency));
    }
    const char* colour = palette[r % palette.size()];
    svg += fmt::format(R"svg(<path d="{}" fill="none" stroke="{}" stroke-width="2"/>)svg", path,
                       colour);
    svg += fmt::format(
        R"svg(<text x="{:.1f}" y="{:.1f}" font-size="11" fill="{}">V_in {:g} V</text>)svg",
        left.x0 + 8, left.y0 + 14 + 14.0 * static_cast<double>(r), colour, map.v_in_v[r]);
  }

  // Right: loss breakdown over load at the input voltage closest to nominal.
  std::size_t row = 0;
  for (std::size_t r = 1; r < rows; ++r)
    if (std::fabs(map.v_in_v[r] - nominal_v_in_v) < std::fabs(map.v_in_v[row] - nominal_v_in_v))
      row = r;
  struct Part {
    const char* name;
    double converters::LossBreakdown::*field;
  };
  const std::array<Part, 8> parts = {{{"conduction", &converters::LossBreakdown::conduction_w},
                                      {"switching", &converters::LossBreakdown::switching_w},
                                      {"dead time", &converters::LossBreakdown::dead_time_w},
                                      {"gate", &converters::LossBreakdown::gate_w},
                                      {"core", &converters::LossBreakdown::core_w},
                                      {"winding", &converters::LossBreakdown::winding_w},
                                      {"capacitor", &converters::LossBreakdown::capacitor_w},
                                      {"other", &converters::LossBreakdown::other_w}}};
  double loss_max = 0.0;
  for (std::size_t c = 0; c < loads && rows > 0; ++c) {
    const auto& p = map.points[row * loads + c];
    if (std::isfinite(p.efficiency)) loss_max = std::max(loss_max, p.loss.total_w());
  }
  if (loss_max <= 0.0) loss_max = 1.0;
  const Frame right{560, 40, 300, 300, 0.0, x_max, 0.0, loss_max * 1.05};
  axes(svg, right, "load (% of rating)",
       fmt::format("loss (W) at V_in {:g} V", rows ? map.v_in_v[row] : 0.0), 100.0, 1.0);
  std::vector<double> below(loads, 0.0);
  for (std::size_t k = 0; k < parts.size(); ++k) {
    std::string upper, lower;
    bool any = false;
    for (std::size_t c = 0; c < loads && rows > 0; ++c) {
      const auto& p = map.points[row * loads + c];
      if (!std::isfinite(p.efficiency)) continue;
      const double value = p.loss.*(parts[k].field);
      any = any || value > 0.0;
      upper += fmt::format("{}{:.1f},{:.1f}", upper.empty() ? "M" : " L",
                           right.x(map.load_fractions[c]), right.y(below[c] + value));
      // The lower edge is drawn back from right to left to close the band.
      lower.insert(
          0, fmt::format(" L{:.1f},{:.1f}", right.x(map.load_fractions[c]), right.y(below[c])));
      below[c] += value;
    }
    if (!any) continue;
    const char* colour = palette[k % palette.size()];
    svg += fmt::format(R"svg(<path d="{}{} Z" fill="{}" fill-opacity="0.75" stroke="none"/>)svg",
                       upper, lower, colour);
    svg += fmt::format(R"svg(<rect x="878" y="{:.1f}" width="10" height="10" fill="{}"/>)svg"
                       R"svg(<text x="894" y="{:.1f}" font-size="11">{}</text>)svg",
                       44.0 + 16.0 * static_cast<double>(k), colour,
                       53.0 + 16.0 * static_cast<double>(k), parts[k].name);
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace g2g::report

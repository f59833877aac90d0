#include "g2g/study/comparison_summary.hpp"

#include <fmt/format.h>

namespace g2g::study {
namespace {

struct MetricInfo {
  FigureMetric metric;
  std::string_view name;
  std::string_view unit;
  double (*value)(const ArchitectureResult&);
};

constexpr std::array<MetricInfo, figure_metric_count> metric_table = {{
    {FigureMetric::efficiency, "efficiency", "",
     [](const ArchitectureResult& a) { return a.design.efficiency; }},
    {FigureMetric::efficiency_to_core, "efficiency_to_core", "",
     [](const ArchitectureResult& a) { return a.design.efficiency_to_core; }},
    {FigureMetric::load_w, "load_w", "W",
     [](const ArchitectureResult& a) { return a.design.delivered_w; }},
    {FigureMetric::it_load_w, "it_load_w", "W",
     [](const ArchitectureResult& a) { return a.design.it_load_w; }},
    {FigureMetric::point_of_load_loss_w, "point_of_load_loss_w", "W",
     [](const ArchitectureResult& a) { return a.design.point_of_load_loss_w; }},
    {FigureMetric::cooling_w, "cooling_w", "W",
     [](const ArchitectureResult& a) { return a.design.cooling_w; }},
    {FigureMetric::aluminium_kg, "aluminium_kg", "kg",
     [](const ArchitectureResult& a) { return a.aluminium_kg; }},
    {FigureMetric::annual_efficiency, "annual_efficiency", "",
     [](const ArchitectureResult& a) { return a.annual.efficiency; }},
    {FigureMetric::source_w, "source_w", "W",
     [](const ArchitectureResult& a) { return a.design.source_w; }},
    {FigureMetric::loss_w, "loss_w", "W",
     [](const ArchitectureResult& a) { return a.design.loss_w; }},
    {FigureMetric::conversion_loss_w, "conversion_loss_w", "W",
     [](const ArchitectureResult& a) { return a.design.conversion_loss_w; }},
    {FigureMetric::distribution_loss_w, "distribution_loss_w", "W",
     [](const ArchitectureResult& a) { return a.design.distribution_loss_w; }},
    {FigureMetric::annual_input_mwh, "annual_input_mwh", "MWh",
     [](const ArchitectureResult& a) { return a.annual.input_mwh; }},
    {FigureMetric::annual_loss_mwh, "annual_loss_mwh", "MWh",
     [](const ArchitectureResult& a) { return a.annual.loss_mwh; }},
    {FigureMetric::annual_loss_cost, "annual_loss_cost", "currency",
     [](const ArchitectureResult& a) { return a.annual.loss_cost; }},
    {FigureMetric::annual_cooling_mwh, "annual_cooling_mwh", "MWh",
     [](const ArchitectureResult& a) { return a.annual.cooling_mwh; }},
    {FigureMetric::copper_kg, "copper_kg", "kg",
     [](const ArchitectureResult& a) { return a.copper_kg; }},
    {FigureMetric::boxes_in_series, "boxes_in_series", "",
     [](const ArchitectureResult& a) { return static_cast<double>(a.boxes_in_series); }},
    {FigureMetric::power_conversions, "power_conversions", "",
     [](const ArchitectureResult& a) { return static_cast<double>(a.power_conversions); }},
}};

const MetricInfo& info(FigureMetric metric) noexcept {
  return metric_table[static_cast<std::size_t>(metric)];
}

std::string percent(double fraction) {
  return fmt::format("{:g} %", 100.0 * fraction);
}

std::string curve_text(const std::vector<model::EfficiencyPoint>& curve) {
  std::string out;
  for (const auto& p : curve)
    out += fmt::format("{}{:g} % at {:g} %", out.empty() ? "" : ", ", 100.0 * p.efficiency,
                       100.0 * p.load_fraction);
  return out;
}

// A converter rule as one line: its curve, or the peak and loss factor a shape is scaled to,
// then its power factor and standby loss.
std::string rule_text(const ConverterRule& r) {
  std::string value;
  if (!r.efficiency.empty()) value = curve_text(r.efficiency);
  if (r.peak) value = fmt::format("peak {}", percent(*r.peak));
  if (r.loss_factor)
    value += fmt::format("{}losses x {:.3g}", value.empty() ? "" : ", ", *r.loss_factor);
  if ((r.peak || r.loss_factor) && !r.shape.empty())
    value += fmt::format(" (shape: {})", curve_text(r.shape));
  else if (r.peak || r.loss_factor)
    value += " (shape: the model's own curve)";
  if (r.as_modelled) value = "as modelled";
  if (r.power_factor) value += fmt::format("; power factor {:g}", *r.power_factor);
  if (r.standby_loss_fraction)
    value += fmt::format("; standby loss {} of the rating", percent(*r.standby_loss_fraction));
  return value;
}

}  // namespace

std::string_view name(FigureMetric metric) noexcept {
  return info(metric).name;
}

std::optional<FigureMetric> parse_figure_metric(std::string_view text) noexcept {
  for (const auto& m : metric_table)
    if (m.name == text) return m.metric;
  return std::nullopt;
}

std::string_view figure_unit(FigureMetric metric) noexcept {
  return info(metric).unit;
}

double figure_value(FigureMetric metric, const ArchitectureResult& a) noexcept {
  return info(metric).value(a);
}

AssumptionSetSummary summarise(const AssumptionSet& s) {
  AssumptionSetSummary out{s.name, s.title, s.side, s.description, s.file, {}};
  for (const auto& r : s.converters)
    out.values.push_back(
        {r.role, fmt::format("{} efficiency", r.role), rule_text(r), r.provenance, r.shape_source});
  if (s.transformer)
    out.values.push_back({"transformer",
                          "transformer losses",
                          fmt::format("no-load {}, load {} of the rating",
                                      percent(s.transformer->no_load_loss_fraction),
                                      percent(s.transformer->load_loss_fraction)),
                          s.transformer->provenance,
                          {}});
  for (const auto& p : s.parameters)
    out.values.push_back({"parameter", p.name, p.value, p.provenance, {}});
  return out;
}

ScenarioFigures scenario_figures(const ArchitectureResult& a) {
  return {a.id,
          a.design.efficiency,
          a.annual.efficiency,
          a.design.source_w,
          a.design.delivered_w,
          a.design.loss_w,
          a.design.conversion_loss_w,
          a.design.distribution_loss_w,
          a.annual.input_mwh,
          a.annual.loss_mwh,
          a.annual.loss_cost,
          a.annual.cooling_mwh,
          a.copper_kg};
}

double scenario_value(const ScenarioFigures& f, FigureMetric metric) noexcept {
  switch (metric) {
    case FigureMetric::efficiency:
      return f.efficiency;
    case FigureMetric::annual_efficiency:
      return f.annual_efficiency;
    case FigureMetric::source_w:
      return f.source_w;
    case FigureMetric::load_w:
      return f.load_w;
    case FigureMetric::loss_w:
      return f.loss_w;
    case FigureMetric::conversion_loss_w:
      return f.conversion_loss_w;
    case FigureMetric::distribution_loss_w:
      return f.distribution_loss_w;
    case FigureMetric::annual_input_mwh:
      return f.annual_input_mwh;
    case FigureMetric::annual_loss_mwh:
      return f.annual_loss_mwh;
    case FigureMetric::annual_loss_cost:
      return f.annual_loss_cost;
    case FigureMetric::annual_cooling_mwh:
      return f.annual_cooling_mwh;
    case FigureMetric::copper_kg:
      return f.copper_kg;
    default:
      return not_stated;
  }
}

const DifferenceEntry* Difference::find(std::string_view id) const {
  for (const auto& e : architectures)
    if (e.id == id) return &e;
  return nullptr;
}

std::optional<Range> delivered_range(const ComparisonSummary& summary, std::string_view id,
                                     std::string_view baseline) {
  return scenario_range(summary, id, baseline,
                        [](const ScenarioFigures& mine, const ScenarioFigures&) {
                          return mine.source_w - mine.loss_w;
                        });
}

std::optional<Range> reduction_range(const ComparisonSummary& summary, std::string_view id,
                                     std::string_view baseline, FigureMetric metric) {
  return scenario_range(summary, id, baseline,
                        [&](const ScenarioFigures& mine, const ScenarioFigures& base) {
                          const double b = scenario_value(base, metric);
                          return b == 0.0 ? not_stated : 1.0 - scenario_value(mine, metric) / b;
                        });
}

}  // namespace g2g::study

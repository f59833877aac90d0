#include "g2g/sweep/outputs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <set>

#include "g2g/core/error.hpp"
#include "g2g/core/fields.hpp"
#include "g2g/study/claims.hpp"
#include "g2g/study/verdict.hpp"

namespace g2g::sweep {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// What a metric reads: the architecture's result, the baseline's at the same values (null on
// the baseline's own row) and the options the scenario ran with.
struct Context {
  const study::ArchitectureResult& result;
  const study::ArchitectureResult* baseline;
  const study::CompareOptions& options;
};

struct Metric {
  OutputInfo info;
  std::function<double(const Context&)> value;
  bool needs_baseline = false;
};

// The largest excess of a violation over its limit, as a fraction of the limit (0.05: 5 % past
// it); a limit of zero counts the value itself. 0 when nothing is violated.
double worst_violation(const steady::SolveResult& result) {
  double worst = 0.0;
  for (const auto& v : result.violations) {
    const double excess = std::abs(v.value - v.limit);
    worst = std::max(worst, v.limit != 0.0 ? excess / std::abs(v.limit) : std::abs(v.value));
  }
  return worst;
}

// The labels a stage can have (study::chain_stages): every line type, "transformer", and every
// converter type and subtype, each once.
std::vector<std::string> stage_labels() {
  std::vector<std::string> labels;
  auto add = [&](std::string_view label) {
    if (!label.empty() && std::find(labels.begin(), labels.end(), label) == labels.end())
      labels.emplace_back(label);
  };
  for (auto t = 0; t <= static_cast<int>(model::LineType::breaker); ++t)
    add(model::name(static_cast<model::LineType>(t)));
  add("transformer");
  for (auto t = 0; t <= static_cast<int>(model::ConverterType::ups); ++t)
    add(model::name(static_cast<model::ConverterType>(t)));
  for (auto t = 1; t <= static_cast<int>(model::ConverterSubtype::battery_converter); ++t)
    add(model::name(static_cast<model::ConverterSubtype>(t)));
  return labels;
}

std::vector<Metric> make_catalogue() {
  std::vector<Metric> m;
  auto design = [&](std::string name, std::string description, double study::Figures::*field) {
    m.push_back({{std::move(name), std::move(description)},
                 [field](const Context& c) { return c.result.design.*field; }});
  };
  design("end_to_end_efficiency", "delivered_w / source_w at the design point",
         &study::Figures::efficiency);
  design("source_w", "power from the grid (and discharging storage)", &study::Figures::source_w);
  design("delivered_w", "power at the end-to-end boundary (VRM inputs, or the GPUs)",
         &study::Figures::delivered_w);
  design("it_load_w", "GPU / load power", &study::Figures::it_load_w);
  design("loss_w", "source_w - delivered_w", &study::Figures::loss_w);
  design("conversion_loss_w", "loss in converters and transformers",
         &study::Figures::conversion_loss_w);
  design("distribution_loss_w", "loss in cables, busbars and lines",
         &study::Figures::distribution_loss_w);
  design("point_of_load_loss_w", "the GPU voltage regulators' loss",
         &study::Figures::point_of_load_loss_w);
  design("cooling_w", "cooling power for loss_w (options: cooling_kw_per_kw; default 0)",
         &study::Figures::cooling_w);
  for (const std::string& label : stage_labels()) {
    m.push_back(
        {{fmt::format("stage_loss_{}_w", label),
          fmt::format("loss of the stages of '{}' elements (0 when there are none)", label)},
         [label](const Context& c) {
           double loss_w = 0.0;
           for (const auto& s : c.result.stages)
             if (s.label == label) loss_w += s.loss_w;
           return loss_w;
         }});
  }
  m.push_back({{"copper_kg", "copper of every conductor"},
               [](const Context& c) { return c.result.copper_kg; }});
  m.push_back({{"aluminium_kg", "aluminium of every conductor"},
               [](const Context& c) { return c.result.aluminium_kg; }});
  m.push_back({{"boxes_in_series", "conversion stages from the grid to the boundary"},
               [](const Context& c) { return static_cast<double>(c.result.boxes_in_series); }});
  m.push_back({{"power_conversions", "power conversions inside those boxes"},
               [](const Context& c) { return static_cast<double>(c.result.power_conversions); }});
  m.push_back(
      {{"violations", "number of limit violations (voltage, loading, ampacity)"},
       [](const Context& c) { return static_cast<double>(c.result.result.violations.size()); }});
  m.push_back({{"worst_violation",
                "largest excess of a violation over its limit, as a fraction of the limit; 0 "
                "when none"},
               [](const Context& c) { return worst_violation(c.result.result); }});
  m.push_back({{"iterations", "Newton iterations of the (last) solve"}, [](const Context& c) {
                 return static_cast<double>(c.result.result.stats.iterations);
               }});
  m.push_back({{"max_mismatch_pu", "largest power mismatch left, per unit"},
               [](const Context& c) { return c.result.result.stats.max_mismatch_pu; }});
  m.push_back({{"annual_loss_mwh", "loss over a year (hours_per_year at the design point)"},
               [](const Context& c) { return c.result.annual.loss_mwh; }});
  m.push_back({{"annual_loss_cost", "annual loss x tariff_per_mwh"},
               [](const Context& c) { return c.result.annual.loss_cost; }});
  m.push_back({{"annual_efficiency", "delivered / input energy over the year"},
               [](const Context& c) { return c.result.annual.efficiency; }});
  for (const auto& claim : study::default_claims()) {
    if (claim.metric == study::Metric::rack_current_ratio ||
        claim.metric == study::Metric::rack_busbar_copper_54v_kg ||
        claim.metric == study::Metric::storage_peak_reduction)
      continue;  // no figure from a pair of architectures
    m.push_back({{fmt::format("claim_{}", claim.id),
                  fmt::format("1 when claim {} ({}) holds against the baseline, 0 when it is "
                              "overstated, empty on the baseline's row",
                              claim.id, study::name(claim.metric))},
                 [claim](const Context& c) {
                   if (c.baseline == nullptr) return nan;
                   const auto v =
                       study::pair_metric_value(claim.metric, *c.baseline, c.result, c.options);
                   if (!v || !std::isfinite(*v)) return nan;
                   switch (study::judge(claim.form, claim.published, claim.tolerance, {*v, *v})) {
                     case study::Verdict::consistent:
                     case study::Verdict::understated:
                       return 1.0;
                     case study::Verdict::overstated:
                       return 0.0;
                     case study::Verdict::not_applicable:
                       return nan;
                   }
                   return nan;
                 },
                 true});
  }
  return m;
}

const std::vector<Metric>& catalogue() {
  static const std::vector<Metric> metrics = make_catalogue();
  return metrics;
}

}  // namespace

const std::vector<OutputInfo>& output_catalogue() {
  static const std::vector<OutputInfo> infos = [] {
    std::vector<OutputInfo> out;
    for (const auto& m : catalogue()) out.push_back(m.info);
    return out;
  }();
  return infos;
}

std::vector<std::string> default_outputs() {
  return {"end_to_end_efficiency", "source_w",   "loss_w",          "conversion_loss_w",
          "distribution_loss_w",   "copper_kg",  "boxes_in_series", "violations",
          "worst_violation",       "iterations", "annual_loss_cost"};
}

std::vector<std::string> claim_outputs() {
  std::vector<std::string> names;
  for (const auto& m : catalogue())
    if (m.needs_baseline) names.push_back(m.info.name);
  return names;
}

OutputTable::OutputTable(std::span<const std::string> names) : names_(names.begin(), names.end()) {
  const auto& metrics = catalogue();
  for (const std::string& name : names_) {
    const auto it = std::find_if(metrics.begin(), metrics.end(),
                                 [&](const Metric& m) { return m.info.name == name; });
    if (it == metrics.end()) {
      std::vector<std::string> known;
      known.reserve(metrics.size());
      for (const auto& m : metrics) known.push_back(m.info.name);
      const std::string near = core::closest_match(name, known);
      throw InvalidInput("outputs", fmt::format("unknown sweep output '{}'", name),
                         near.empty() ? std::string("docs/sweep.md lists the outputs")
                                      : fmt::format("did you mean '{}'?", near));
    }
    metric_.push_back(static_cast<std::size_t>(it - metrics.begin()));
    needs_baseline_ = needs_baseline_ || it->needs_baseline;
  }
}

std::vector<double> OutputTable::measure(const study::ArchitectureResult& result,
                                         const study::ArchitectureResult* baseline,
                                         const study::CompareOptions& options) const {
  const Context context{result, baseline, options};
  std::vector<double> values;
  values.reserve(metric_.size());
  for (const std::size_t m : metric_) values.push_back(catalogue()[m].value(context));
  return values;
}

}  // namespace g2g::sweep

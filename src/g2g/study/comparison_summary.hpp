// The comparison-wide results of a comparison, typed: what a comparison document says beyond
// each architecture's own results (study::ArchitectureResult). study::summarise computes them
// from a comparison as run, once; study::comparison_json writes them and study::
// comparison_from_json reads them back (comparison.hpp), so the report lays out these structs,
// never the JSON. docs/compare.md ("The comparison JSON").
//
// Read from a document, a field it leaves out is empty: an empty string, nullopt, or NaN for a
// number (the report shows a dash for each).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "g2g/study/assumptions.hpp"
#include "g2g/study/claims.hpp"
#include "g2g/study/compare.hpp"
#include "g2g/study/verdict.hpp"

namespace g2g::study {

inline constexpr double not_stated = std::numeric_limits<double>::quiet_NaN();

// ---- Headline figures ------------------------------------------------------------------------

// The figures of an architecture that a comparison ranges over its scenarios and differences
// against the baseline, in the order the document lists them.
enum class FigureMetric : std::uint8_t {
  efficiency,
  efficiency_to_core,
  load_w,
  it_load_w,
  point_of_load_loss_w,
  cooling_w,
  aluminium_kg,
  annual_efficiency,
  source_w,
  loss_w,
  conversion_loss_w,
  distribution_loss_w,
  annual_input_mwh,
  annual_loss_mwh,
  annual_loss_cost,
  annual_cooling_mwh,
  copper_kg,
  boxes_in_series,
  power_conversions,
};
inline constexpr std::size_t figure_metric_count = 19;
inline constexpr std::array<FigureMetric, figure_metric_count> all_figure_metrics = {
    FigureMetric::efficiency,
    FigureMetric::efficiency_to_core,
    FigureMetric::load_w,
    FigureMetric::it_load_w,
    FigureMetric::point_of_load_loss_w,
    FigureMetric::cooling_w,
    FigureMetric::aluminium_kg,
    FigureMetric::annual_efficiency,
    FigureMetric::source_w,
    FigureMetric::loss_w,
    FigureMetric::conversion_loss_w,
    FigureMetric::distribution_loss_w,
    FigureMetric::annual_input_mwh,
    FigureMetric::annual_loss_mwh,
    FigureMetric::annual_loss_cost,
    FigureMetric::annual_cooling_mwh,
    FigureMetric::copper_kg,
    FigureMetric::boxes_in_series,
    FigureMetric::power_conversions,
};
// Its key in the document: "efficiency", "source_w", ...
[[nodiscard]] std::string_view name(FigureMetric metric) noexcept;
[[nodiscard]] std::optional<FigureMetric> parse_figure_metric(std::string_view text) noexcept;
// "" (a fraction or a count), "W", "kg", "MWh" or "currency".
[[nodiscard]] std::string_view figure_unit(FigureMetric metric) noexcept;
// Its value for one architecture as run.
[[nodiscard]] double figure_value(FigureMetric metric, const ArchitectureResult& a) noexcept;

// ---- Provenance and the comparison's own assumptions ----------------------------------------

// Where a comparison document came from: the program and the command that ran it.
struct RunProvenance {
  std::string program = "grid2gpu";
  std::string version;
  std::string commit;
  std::string date;     // UTC, ISO 8601
  std::string command;  // the command line as typed
  std::string study;    // the study file; empty when models were named on the command line
};

// The conductor-sizing conditions of the comparison (CompareOptions::sizing), with the enums
// spelt as sizing::name spells them.
struct SizingConditions {
  std::string method;
  double ambient_c = not_stated;
  std::optional<int> grouped_circuits;
  double max_voltage_drop_pct = not_stated;
  std::optional<int> max_parallel_runs;
  std::string ac_neutral;
  std::string ac_pe;
  std::string dc_pe;
  std::string arrangement;
  std::string dc_busbar_rating;
};

// The options a comparison ran with (CompareOptions), as its document states them.
struct StatedAssumptions {
  std::optional<double> tariff_per_mwh;
  std::string currency;
  std::optional<Provenance> tariff_source;
  std::optional<double> hours_per_year;
  std::optional<bool> include_point_of_load;
  std::string boundary;  // "grid to GPU regulator (VRM) input"
  std::optional<bool> conductors_sized;
  std::string baseline;  // the baseline architecture's id
  std::optional<double> it_load_tolerance;
  std::optional<bool> normalised;
  std::optional<SizingConditions> sizing;
  std::optional<UtilisationProfile> utilisation_profile;
  std::optional<CoolingOptions> cooling;
  // Members this version does not know (a newer document), by key, as text.
  std::vector<std::pair<std::string, std::string>> other;
};

// One value an assumption set sets, with its source.
struct AssumptionValue {
  std::string role;   // a converter role, "transformer" or "parameter"
  std::string what;   // "ups efficiency", a parameter's name
  std::string value;  // as the report shows it: "peak 96.5 % (shape: the model's own curve)"
  Provenance provenance;
  std::string shape_source;  // where a scaled curve's shape comes from
};

// An assumption set as a comparison used it (AssumptionSet, each rule as text).
struct AssumptionSetSummary {
  std::string name;
  std::string title;
  Side side = Side::common;
  std::string description;
  std::string file;
  std::vector<AssumptionValue> values;
};
[[nodiscard]] AssumptionSetSummary summarise(const AssumptionSet& set);

// ---- Scenarios, ranges and differences ------------------------------------------------------

// One architecture's headline figures in one scenario.
struct ScenarioFigures {
  std::string id;
  double efficiency = not_stated;
  double annual_efficiency = not_stated;
  double source_w = not_stated;
  double load_w = not_stated;
  double loss_w = not_stated;
  double conversion_loss_w = not_stated;
  double distribution_loss_w = not_stated;
  double annual_input_mwh = not_stated;
  double annual_loss_mwh = not_stated;
  double annual_loss_cost = not_stated;
  double annual_cooling_mwh = not_stated;
  double copper_kg = not_stated;
};
[[nodiscard]] ScenarioFigures scenario_figures(const ArchitectureResult& a);
// `metric` of one scenario's figures; NaN for a metric scenarios do not list.
[[nodiscard]] double scenario_value(const ScenarioFigures& figures, FigureMetric metric) noexcept;

struct ScenarioSummary {
  std::string name;               // "ac-modern + dc-conservative"
  std::vector<std::string> sets;  // the names of its assumption sets
  bool is_default = false;
  std::vector<ScenarioFigures> architectures;
};

// What the comparison adds to one architecture's results: its IT load as read and the factor
// its loads were scaled by, and the range of each headline figure over every scenario (either
// end NaN when a scenario has no figure).
struct ArchitectureSummary {
  double it_load_as_read_w = not_stated;
  double it_scale = not_stated;  // 1 = not scaled
  std::array<std::optional<Range>, figure_metric_count> ranges;
  [[nodiscard]] const std::optional<Range>& range(FigureMetric metric) const {
    return ranges[static_cast<std::size_t>(metric)];
  }
};

// One architecture against the baseline, for one metric.
struct DifferenceEntry {
  std::string id;
  double value = not_stated;       // in the default scenario
  double abs = not_stated;         // value - baseline
  double rel = not_stated;         // (value - baseline) / baseline; NaN when the baseline is 0
  std::optional<Range> abs_range;  // of abs over every scenario
  std::optional<Range> rel_range;  // of rel; nullopt when the baseline is 0 in a scenario
};

struct Difference {
  FigureMetric metric = FigureMetric::efficiency;
  double baseline = not_stated;                // the baseline's value in the default scenario
  std::vector<DifferenceEntry> architectures;  // every architecture but the baseline
  [[nodiscard]] const DifferenceEntry* find(std::string_view id) const;
};

// The two architectures the claims compare.
struct ClaimsPair {
  std::string baseline;  // ids
  std::string dc;
};

// ---- The whole ------------------------------------------------------------------------------

struct ComparisonSummary {
  std::optional<int> format;  // "grid2gpu_compare"
  std::optional<RunProvenance> provenance;
  StatedAssumptions assumptions;
  std::vector<AssumptionSetSummary> assumption_sets;
  std::vector<ScenarioSummary> scenarios;
  std::string default_scenario;  // its name
  // One per architecture, in the order of the architectures' results.
  std::vector<ArchitectureSummary> architectures;
  std::vector<Difference> differences;
  std::optional<ClaimsPair> claims_pair;
  std::vector<Claim> claims;
};

// The range over every scenario of `figure(mine, baseline's)` for architecture `id` against
// architecture `baseline`, skipping scenarios without both or with a figure that is not finite;
// nullopt when none is left.
template <typename Figure>
std::optional<Range> scenario_range(const ComparisonSummary& summary, std::string_view id,
                                    std::string_view baseline, Figure&& figure) {
  std::optional<Range> out;
  for (const auto& s : summary.scenarios) {
    const ScenarioFigures* mine = nullptr;
    const ScenarioFigures* base = nullptr;
    for (const auto& a : s.architectures) {
      if (a.id == id) mine = &a;
      if (a.id == baseline) base = &a;
    }
    if (mine == nullptr || base == nullptr) continue;
    const double v = figure(*mine, *base);
    if (!std::isfinite(v)) continue;
    out = out ? Range{std::min(out->low, v), std::max(out->high, v)} : Range{v, v};
  }
  return out;
}

// Power delivered at the boundary (grid input less losses) over every scenario that lists the
// baseline too, as every range against it does.
[[nodiscard]] std::optional<Range> delivered_range(const ComparisonSummary& summary,
                                                   std::string_view id, std::string_view baseline);
// 1 - figure / the baseline's figure over every scenario (a reduction; negative for an
// increase), for a metric the scenarios list (scenario_value).
[[nodiscard]] std::optional<Range> reduction_range(const ComparisonSummary& summary,
                                                   std::string_view id, std::string_view baseline,
                                                   FigureMetric metric);

}  // namespace g2g::study

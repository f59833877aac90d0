// The results of a design sweep, typed, and what its report shows of them: efficiency and copper
// against each swept parameter per architecture, the distribution of each over a Monte Carlo
// sweep (histogram, ECDF, percentiles), and the share of scenarios in which each claim holds.
// The sweep layer (src/g2g/sweep) fills a SweepTable from its rows; summarise_sweep reduces it
// once, here, so that the page's tables and its charts show the same numbers (docs/sweep.md,
// "Report"). No I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "g2g/study/comparison.hpp"

namespace g2g::study {

enum class SweepCombine : std::uint8_t { grid, zip, monte_carlo };

struct SweepParameter {
  std::string name;  // the models' parameter name
  std::string unit;  // SI symbol of its values ("W", "m"), empty for a ratio or a count
};

struct SweepOutput {
  std::string name;  // the metric's column name ("end_to_end_efficiency", "copper_kg")
  std::string unit;  // "W", "kg"; empty for a ratio or a count
};

// One scenario: an architecture under one value of each parameter.
struct SweepScenario {
  std::size_t architecture = 0;  // index into SweepTable::architectures
  std::vector<double> values;    // one per parameter, SI
  std::vector<double> outputs;   // one per output; NaN where there is none (a failed scenario)
  bool failed = false;
};

struct SweepTable {
  std::string name;
  SweepCombine combine = SweepCombine::grid;
  std::vector<std::string> architectures;  // the baseline first
  std::vector<SweepParameter> parameters;
  std::vector<SweepOutput> outputs;
  std::vector<SweepScenario> scenarios;
  // The outputs the page draws, as indices into `outputs` (nullopt: not in the sweep).
  std::optional<std::size_t> efficiency;
  std::optional<std::size_t> copper;
  // Claim verdicts: 1 holds, 0 does not, NaN not applicable (e.g. the baseline's own rows).
  std::vector<std::size_t> claims;
};

// ---- What the page shows ---------------------------------------------------------------------

// Minimum, mean and maximum of a metric over the scenarios that share one value of a swept
// parameter (the other parameters vary among them).
struct SweepPoint {
  double x = 0.0;
  double min = 0.0;
  double mean = 0.0;
  double max = 0.0;
  std::size_t count = 0;
};

// One metric against one swept parameter for one architecture. A parameter with at most
// `max_distinct_values` distinct values (a list, a range; `max_distinct_sampled` in a Monte
// Carlo sweep, so that a list crossed with the draws keeps its points) is reduced to points;
// one with more is shown as its scenarios (at most `max_scatter_points`, every k-th in index
// order).
struct SweepSeries {
  std::size_t architecture = 0;
  std::vector<SweepPoint> points;
  std::vector<std::pair<double, double>> scatter;
};

struct SweepDependence {
  std::size_t parameter = 0;
  std::size_t output = 0;
  bool sampled = false;  // shown as a scatter
  std::vector<SweepSeries> series;
};

// The distribution of one metric over an architecture's scenarios.
struct SweepDistribution {
  std::size_t architecture = 0;
  std::size_t output = 0;
  std::size_t count = 0;  // scenarios with a value
  double mean = 0.0;
  double p05 = 0.0;
  double p50 = 0.0;
  double p95 = 0.0;
  double min = 0.0;
  double max = 0.0;
  double bin_low = 0.0;  // histogram bins of equal width from bin_low
  double bin_width = 0.0;
  std::vector<std::size_t> bins;
  // The ECDF at up to `max_ecdf_points` sorted values: (value, fraction of scenarios <= value).
  std::vector<std::pair<double, double>> ecdf;
};

struct SweepClaimShare {
  std::size_t output = 0;  // the claim's column
  std::size_t architecture = 0;
  std::size_t holds = 0;
  std::size_t applicable = 0;  // scenarios with a verdict
};

struct SweepSummaryOptions {
  std::size_t max_distinct_values = 200;
  std::size_t max_distinct_sampled = 20;  // in a Monte Carlo sweep
  std::size_t max_scatter_points = 2000;
  std::size_t histogram_bins = 30;
  std::size_t max_ecdf_points = 400;
};

struct SweepSummary {
  std::string name;
  SweepCombine combine = SweepCombine::grid;
  std::vector<std::string> architectures;
  std::vector<SweepParameter> parameters;
  std::vector<SweepOutput> outputs;
  std::size_t scenarios = 0;
  std::vector<std::size_t> failed;  // per architecture
  std::vector<SweepDependence> dependences;
  std::vector<SweepDistribution> distributions;  // Monte Carlo sweeps only
  std::vector<SweepClaimShare> claims;
  std::optional<RunProvenance> provenance;
};

// Reduces the table to what the page shows. Throws InvalidInput when a scenario's values or
// outputs do not match the table's columns, or an index is out of range.
SweepSummary summarise_sweep(const SweepTable& table, const SweepSummaryOptions& options = {});

// The summary as the page's scripts read it (#g2g-sweep-data; docs/report.md, "Sweeps").
nlohmann::json sweep_summary_json(const SweepSummary& summary);

// "grid", "zip", "monte_carlo".
std::string_view to_string(SweepCombine combine) noexcept;

}  // namespace g2g::study

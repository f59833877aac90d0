// study::summarise_sweep: the points, distributions and claim shares a sweep's page shows,
// checked against values worked out by hand (and numpy's default percentile for the quantiles).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "g2g/core/error.hpp"
#include "g2g/study/sweep_summary.hpp"

namespace g2g::study {
namespace {

constexpr double none = std::numeric_limits<double>::quiet_NaN();

// Two architectures over a 2 x 3 grid of (length_m, power_w): efficiency = 0.9 + 0.01 * (power
// index) - 0.001 * (length index) for A, 0.01 higher for B; B's claim holds when power > 1.
SweepTable grid_table() {
  SweepTable t;
  t.name = "grid";
  t.architectures = {"A", "B"};
  t.parameters = {{"length", "m"}, {"power", "W"}};
  t.outputs = {{"end_to_end_efficiency", ""}, {"copper_kg", "kg"}, {"claim_x", ""}};
  t.efficiency = 0;
  t.copper = 1;
  t.claims = {2};
  for (int l = 0; l < 2; ++l)
    for (int p = 0; p < 3; ++p)
      for (std::size_t a = 0; a < 2; ++a) {
        const double eff = 0.9 + 0.01 * p - 0.001 * l + 0.01 * static_cast<double>(a);
        const double claim = a == 0 ? none : (p > 1 ? 1.0 : 0.0);
        t.scenarios.push_back({a, {10.0 * (l + 1), 1.0 * p}, {eff, 100.0 + l, claim}, false});
      }
  return t;
}

TEST(SweepSummary, PointsAreTheMeanMinAndMaxOverTheOtherParameters) {
  const SweepSummary s = summarise_sweep(grid_table());
  EXPECT_EQ(s.scenarios, 12u);
  ASSERT_EQ(s.dependences.size(), 4u);  // 2 parameters x (efficiency, copper)
  const SweepDependence& eff_vs_power = s.dependences[2];
  EXPECT_EQ(eff_vs_power.parameter, 1u);
  EXPECT_EQ(eff_vs_power.output, 0u);
  EXPECT_FALSE(eff_vs_power.sampled);
  ASSERT_EQ(eff_vs_power.series.size(), 2u);
  const auto& a = eff_vs_power.series[0].points;
  ASSERT_EQ(a.size(), 3u);
  EXPECT_DOUBLE_EQ(a[2].x, 2.0);
  EXPECT_EQ(a[2].count, 2u);
  EXPECT_DOUBLE_EQ(a[2].min, 0.919);
  EXPECT_DOUBLE_EQ(a[2].max, 0.92);
  EXPECT_NEAR(a[2].mean, 0.9195, 1e-15);
  EXPECT_DOUBLE_EQ(eff_vs_power.series[1].points[0].max, 0.91);
  EXPECT_TRUE(s.distributions.empty());  // a grid, not Monte Carlo
}

TEST(SweepSummary, ClaimSharesCountOnlyScenariosWhereTheClaimApplies) {
  const SweepSummary s = summarise_sweep(grid_table());
  ASSERT_EQ(s.claims.size(), 1u);  // A (the baseline) has no verdicts
  EXPECT_EQ(s.claims[0].architecture, 1u);
  EXPECT_EQ(s.claims[0].applicable, 6u);
  EXPECT_EQ(s.claims[0].holds, 2u);
}

TEST(SweepSummary, FailedScenariosAreCountedAndLeftOutOfTheFigures) {
  SweepTable t = grid_table();
  t.scenarios[0].failed = true;
  t.scenarios[0].outputs = {none, none, none};
  const SweepSummary s = summarise_sweep(t);
  EXPECT_EQ(s.failed, (std::vector<std::size_t>{1, 0}));
  EXPECT_EQ(s.dependences[0].series[0].points[0].count, 2u);  // of 3 at length 10 m
}

TEST(SweepSummary, MonteCarloGivesPercentilesHistogramAndEcdf) {
  SweepTable t;
  t.combine = SweepCombine::monte_carlo;
  t.architectures = {"A"};
  t.parameters = {{"x", ""}};
  t.outputs = {{"end_to_end_efficiency", ""}};
  t.efficiency = 0;
  // 1..100 in a shuffled order: the summary must not depend on the order.
  for (int i = 0; i < 100; ++i) {
    const double v = static_cast<double>((i * 37) % 100 + 1);
    t.scenarios.push_back({0, {v}, {v}, false});
  }
  SweepSummaryOptions options;
  options.histogram_bins = 10;
  options.max_ecdf_points = 20;
  const SweepSummary s = summarise_sweep(t, options);
  ASSERT_EQ(s.distributions.size(), 1u);
  const SweepDistribution& d = s.distributions[0];
  EXPECT_EQ(d.count, 100u);
  EXPECT_DOUBLE_EQ(d.mean, 50.5);
  // numpy.percentile(range(1, 101), [5, 50, 95]) = 5.95, 50.5, 95.05
  EXPECT_NEAR(d.p05, 5.95, 1e-12);
  EXPECT_NEAR(d.p50, 50.5, 1e-12);
  EXPECT_NEAR(d.p95, 95.05, 1e-12);
  EXPECT_EQ(d.bins, (std::vector<std::size_t>(10, 10)));
  EXPECT_DOUBLE_EQ(d.bin_low, 1.0);
  EXPECT_DOUBLE_EQ(d.bin_width, 9.9);
  ASSERT_EQ(d.ecdf.size(), 20u);
  EXPECT_DOUBLE_EQ(d.ecdf[0].first, 5.0);
  EXPECT_DOUBLE_EQ(d.ecdf[0].second, 0.05);
  EXPECT_DOUBLE_EQ(d.ecdf.back().second, 1.0);
  EXPECT_TRUE(s.dependences[0].sampled);
  EXPECT_EQ(s.dependences[0].series[0].scatter.size(), 100u);
}

TEST(SweepSummary, ConstantMetricFallsInOneBin) {
  SweepTable t;
  t.combine = SweepCombine::monte_carlo;
  t.architectures = {"A"};
  t.parameters = {{"x", ""}};
  t.outputs = {{"copper_kg", "kg"}};
  t.copper = 0;
  for (int i = 0; i < 5; ++i) t.scenarios.push_back({0, {1.0 * i}, {7.0}, false});
  const SweepSummary s = summarise_sweep(t);
  ASSERT_EQ(s.distributions.size(), 1u);
  EXPECT_EQ(s.distributions[0].bins[0], 5u);
  EXPECT_DOUBLE_EQ(s.distributions[0].p95, 7.0);
}

TEST(SweepSummary, RefusesRowsThatDoNotMatchTheColumns) {
  SweepTable t = grid_table();
  t.scenarios[3].values.pop_back();
  EXPECT_THROW(summarise_sweep(t), InvalidInput);
  t = grid_table();
  t.scenarios[0].architecture = 2;
  EXPECT_THROW(summarise_sweep(t), InvalidInput);
  t = grid_table();
  t.claims = {7};
  EXPECT_THROW(summarise_sweep(t), InvalidInput);
}

TEST(SweepSummary, JsonCarriesEveryChartsData) {
  const auto j = sweep_summary_json(summarise_sweep(grid_table()));
  EXPECT_EQ(j["combine"], "grid");
  EXPECT_EQ(j["dependences"].size(), 4u);
  EXPECT_EQ(j["dependences"][2]["series"][0]["points"][2][3], 0.92);
  EXPECT_EQ(j["claims"][0]["holds"], 2);
  EXPECT_EQ(j["outputs"][1]["unit"], "kg");
}

}  // namespace
}  // namespace g2g::study

// Grid-power metrics against closed forms: a pure tone puts >= 99 % of its AC energy in its band,
// two tones split as their squared amplitudes, a triangle wave's largest ramps equal its slope,
// peak and minimum are exact, and non-uniform sampling of one piecewise-linear signal gives the
// same metrics as uniform sampling.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "g2g/core/error.hpp"
#include "g2g/dynamic/metrics.hpp"
#include "g2g/dynamic/profile.hpp"  // uniform_open

namespace g2g::dynamic {
namespace {

MetricsOptions options(double window_s = 1.0) {
  MetricsOptions o;
  o.ramp_window_s = window_s;
  return o;
}

// Integrator-like steps: 0.5-1.5 ms, random but seeded.
std::vector<double> uneven_times(double t_end_s, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::vector<double> t{0.0};
  while (t.back() < t_end_s) t.push_back(t.back() + 5e-4 + 1e-3 * uniform_open(engine()));
  t.back() = t_end_s;
  return t;
}

PowerMetrics tones(const std::vector<std::pair<double, double>>& hz_and_amplitude_w,
                   double duration_s) {
  const std::vector<double> t = uneven_times(duration_s, 3);
  std::vector<double> p;
  for (const double ti : t) {
    double value = 1e6;  // a 1 MW mean: the AC part is what counts
    for (const auto& [hz, amplitude_w] : hz_and_amplitude_w) {
      value += amplitude_w * std::sin(2.0 * std::numbers::pi * hz * ti);
    }
    p.push_back(value);
  }
  return power_metrics(t, p, options());
}

TEST(Metrics, APureToneLandsInItsBand) {
  const std::vector<std::pair<double, std::size_t>> cases{{0.4, 0}, {1.7, 1}, {4.0, 2}, {12.0, 3}};
  for (const auto& [hz, band] : cases) {
    const PowerMetrics m = tones({{hz, 5e4}}, 40.0);
    ASSERT_EQ(m.bands.size(), 4U);
    EXPECT_GE(m.bands[band].share, 0.99) << hz << " Hz";
    EXPECT_NEAR(m.peak_w, 1.05e6, 1e6 * 1e-6) << hz;
  }
}

TEST(Metrics, TwoTonesSplitAsTheirSquaredAmplitudes) {
  const PowerMetrics m = tones({{0.5, 2e4}, {10.0, 1e4}}, 40.0);
  EXPECT_NEAR(m.bands[0].share, 0.8, 0.002);
  EXPECT_NEAR(m.bands[3].share, 0.2, 0.002);  // box averages: sinc²(10/400) = 0.998
  EXPECT_LT(m.bands[1].share + m.bands[2].share, 0.01);
}

TEST(Metrics, MaskLimitsAreChecked) {
  MetricsOptions o = options();
  o.bands[3].max_share = 0.2;
  const std::vector<double> t = uneven_times(20.0, 5);
  std::vector<double> p;
  p.reserve(t.size());
  for (const double ti : t) p.push_back(1e6 + 1e4 * std::sin(2.0 * std::numbers::pi * 9.0 * ti));
  const PowerMetrics m = power_metrics(t, p, o);
  EXPECT_FALSE(m.bands[3].within_limit);
  EXPECT_FALSE(m.mask_met);
  EXPECT_TRUE(m.bands[0].within_limit);
}

// Triangle 0 -> A -> 0 with period T (A = 1 MW, T = 4 s): slopes ±2A/T = ±0.5 MW/s.
std::pair<std::vector<double>, std::vector<double>> triangle(double step_s, bool uneven) {
  std::vector<double> t;
  std::vector<double> p;
  std::mt19937_64 engine(11);
  for (int k = 0; k <= 10; ++k) {  // 5 periods: corners every 2 s
    t.push_back(2.0 * k);
    p.push_back(k % 2 == 0 ? 0.0 : 1e6);
    if (k == 10) break;
    for (double s = step_s; s < 2.0 - 1e-9; s += step_s) {
      const double offset = uneven ? s + 0.4 * step_s * (uniform_open(engine()) - 0.5) : s;
      const double fraction = offset / 2.0;
      t.push_back(2.0 * k + offset);
      p.push_back(k % 2 == 0 ? 1e6 * fraction : 1e6 * (1.0 - fraction));
    }
  }
  return {t, p};
}

TEST(Metrics, TriangleRampsEqualTheClosedForm) {
  const auto [t, p] = triangle(0.01, false);
  PowerMetrics m = power_metrics(t, p, options(0.5));  // w <= T/2: the slope itself
  ASSERT_TRUE(m.largest_ramp_up && m.largest_ramp_down);
  EXPECT_NEAR(m.largest_ramp_up->rate_w_per_s, 0.5e6, 1e-6);
  EXPECT_NEAR(m.largest_ramp_down->rate_w_per_s, -0.5e6, 1e-6);
  m = power_metrics(t, p, options(2.0));  // w = T/2: still the slope
  EXPECT_NEAR(m.largest_ramp_up->rate_w_per_s, 0.5e6, 1e-6);
  m = power_metrics(t, p, options(4.0));  // w = T: P(t + T) = P(t)
  EXPECT_NEAR(m.largest_ramp_up->rate_w_per_s, 0.0, 1e-6);
  EXPECT_NEAR(m.largest_ramp_down->rate_w_per_s, 0.0, 1e-6);
  m = power_metrics(t, p, options(3.0));  // w = 3T/4: max of P(t+3)-P(t) is A/2 (t = 0, 3)
  EXPECT_NEAR(m.largest_ramp_up->rate_w_per_s, 0.5e6 / 3.0, 1e-6);
}

TEST(Metrics, AJumpRampsItsSizeOverTheWindow) {
  // Two samples at one time (an event): 0 -> 1 MW at t = 5 s.
  const std::vector<double> t{0.0, 5.0, 5.0, 10.0};
  const std::vector<double> p{0.0, 0.0, 1e6, 1e6};
  const PowerMetrics m = power_metrics(t, p, options(0.1));
  EXPECT_NEAR(m.largest_ramp_up->rate_w_per_s, 1e7, 1e-3);
  EXPECT_NEAR(m.largest_ramp_down->rate_w_per_s, 0.0, 1e-9);
}

TEST(Metrics, ARunShorterThanTheWindowHasNoRamp) {
  const std::vector<double> t{0.0, 0.5, 0.9};
  const std::vector<double> p{1.0, 3.0, 2.0};
  const PowerMetrics m = power_metrics(t, p, options(1.0));
  EXPECT_FALSE(m.largest_ramp_up.has_value());
  EXPECT_FALSE(m.largest_ramp_down.has_value());
  EXPECT_EQ(m.resampled_points, 360U);  // the spectrum needs no window: 0.9 s at 400 Hz
}

TEST(Metrics, PeakMinimumAndRangeAreExact) {
  const std::vector<double> t{0.0, 0.3, 0.31, 2.0, 2.5, 4.0};
  const std::vector<double> p{5e5, 7.25e5, 3.5e5, 7.25e5, 1.0e5, 2e5};
  const PowerMetrics m = power_metrics(t, p, options());
  EXPECT_EQ(m.peak_w, 7.25e5);
  EXPECT_EQ(m.peak_time_s, 0.3);  // the first time it is reached
  EXPECT_EQ(m.min_w, 1.0e5);
  EXPECT_EQ(m.min_time_s, 2.5);
  EXPECT_EQ(m.range_w, 6.25e5);
  EXPECT_DOUBLE_EQ(m.range_percent_of_peak, 100.0 * 6.25 / 7.25);
  EXPECT_EQ(m.samples, 6U);
}

TEST(Metrics, NonUniformSamplingOfOneSignalGivesTheSameMetrics) {
  const auto [tu, pu] = triangle(0.01, false);
  const auto [tn, pn] = triangle(0.01, true);
  ASSERT_NE(tu, tn);
  for (const double w : {0.25, 1.0, 3.0}) {
    const PowerMetrics a = power_metrics(tu, pu, options(w));
    const PowerMetrics b = power_metrics(tn, pn, options(w));
    EXPECT_NEAR(a.largest_ramp_up->rate_w_per_s, b.largest_ramp_up->rate_w_per_s, 1e-6);
    EXPECT_NEAR(a.largest_ramp_down->rate_w_per_s, b.largest_ramp_down->rate_w_per_s, 1e-6);
    EXPECT_NEAR(a.mean_w, b.mean_w, 1e-6);
    ASSERT_EQ(a.bands.size(), b.bands.size());
    for (std::size_t i = 0; i < a.bands.size(); ++i) {
      EXPECT_NEAR(a.bands[i].share, b.bands[i].share, 1e-9) << i;
    }
    EXPECT_EQ(a.resampled_points, b.resampled_points);
  }
}

TEST(Metrics, SpectrumMemoryIsTheResampledSignalOnly) {
  const auto [t, p] = triangle(0.01, false);
  const PowerMetrics m = power_metrics(t, p, options());
  EXPECT_DOUBLE_EQ(m.resample_rate_hz, 400.0);  // 20 × 20 Hz
  EXPECT_EQ(m.resampled_points, 8000U);         // 20 s at 400 Hz
}

// The averaged demand against closed forms: a ramp P = a t has the window mean a (t - w/2), largest
// at the end; a square wave's mean over whole periods is its duty-weighted level wherever the
// window starts; a jump (two samples at one time) and uneven steps change none of it.
TEST(Metrics, AveragedDemandIsTheLargestWindowMean) {
  MetricsOptions o = options();
  o.demand_window_s = 4.0;
  const std::vector<double> tr = uneven_times(10.0, 5);
  std::vector<double> pr;
  pr.reserve(tr.size());
  for (const double t : tr) pr.push_back(1e5 * t);
  PowerMetrics m = power_metrics(tr, pr, o);
  ASSERT_TRUE(m.peak_demand_w.has_value());
  EXPECT_NEAR(*m.peak_demand_w, 1e5 * (10.0 - 2.0), 1e-6);

  // 1 s period, 50 % duty between 0.2 and 1 MW with 5 ms edges, jumps at the edges of a step.
  std::vector<double> t{0.0}, p{2e5};
  for (int k = 0; k < 20; ++k) {
    const double t0 = k;
    for (const auto& [dt, v] : std::vector<std::pair<double, double>>{{0.5, 1e6},
                                                                      {0.505, 2e5},
                                                                      {0.8, 2e5},
                                                                      {0.8, 3e5},
                                                                      {0.8, 2e5},
                                                                      {1.0, 2e5},
                                                                      {1.005, 1e6}})
      if (t0 + dt <= 20.0) {
        t.push_back(t0 + dt);
        p.push_back(v);
      }
  }
  // The 0.8 s spike (a jump up and down at one time) has no width: no energy.
  m = power_metrics(t, p, o);
  ASSERT_TRUE(m.peak_demand_w.has_value());
  // Each period: 1 MW and 0.2 MW for 0.495 s each, two 5 ms edges at their mean, 0.6 MW.
  const double period_energy_j = 1e6 * 0.495 + 2e5 * 0.495 + 2.0 * 0.6e6 * 0.005;
  EXPECT_NEAR(*m.peak_demand_w, period_energy_j, 1e-6 * period_energy_j);
  // A run shorter than the window, or no window: none.
  o.demand_window_s = 30.0;
  EXPECT_FALSE(power_metrics(t, p, o).peak_demand_w.has_value());
  EXPECT_FALSE(power_metrics(t, p, options()).peak_demand_w.has_value());
  o.demand_window_s = 0.0;
  EXPECT_THROW(PowerMetricsAccumulator{o}, InvalidInput);
}

TEST(Metrics, RejectsBadInput) {
  EXPECT_THROW(PowerMetricsAccumulator(MetricsOptions{}), InvalidInput);  // no window
  PowerMetricsAccumulator a(options());
  a.add(1.0, 5.0);
  EXPECT_THROW(a.add(0.5, 5.0), InvalidInput);
  EXPECT_THROW((void)a.result(), InvalidInput);
  MetricsOptions o = options();
  o.bands = {{2.0, 1.0, {}}};
  EXPECT_THROW(PowerMetricsAccumulator{o}, InvalidInput);
}

}  // namespace
}  // namespace g2g::dynamic

// Rainflow counting on a hand-counted sequence, its turning points (plateaus, monotone runs), the
// residue's half cycles, the heating times kept from the sample times, the count invariant on a
// long random sequence (which a quadratic implementation would not finish), and bad input.
#include <gtest/gtest.h>

#include <cstddef>
#include <random>
#include <vector>

#include "g2g/core/error.hpp"
#include "g2g/reliability/rainflow.hpp"

namespace g2g::reliability {
namespace {

std::vector<double> times_of(std::size_t n) {
  std::vector<double> t(n);
  for (std::size_t i = 0; i < n; ++i) t[i] = static_cast<double>(i);
  return t;
}

TEST(Rainflow, HandCountedSequence) {
  // 0, 10, 2, 8, 4, 6, 0 at t = 0..6 s. By hand with the four-point rule: 4-6 closes when 0
  // arrives (range 2), then 2-8 (range 6); the residue 0, 10, 0 gives two half cycles of 10.
  const std::vector<double> v{0, 10, 2, 8, 4, 6, 0};
  const auto cycles = rainflow(times_of(v.size()), v);
  ASSERT_EQ(cycles.size(), 4u);
  EXPECT_DOUBLE_EQ(cycles[0].range, 2.0);
  EXPECT_DOUBLE_EQ(cycles[0].mean, 5.0);
  EXPECT_DOUBLE_EQ(cycles[0].max, 6.0);
  EXPECT_DOUBLE_EQ(cycles[0].count, 1.0);
  EXPECT_DOUBLE_EQ(cycles[0].heating_time_s, 1.0);  // valley 4 at 4 s, peak 6 at 5 s
  EXPECT_DOUBLE_EQ(cycles[1].range, 6.0);
  EXPECT_DOUBLE_EQ(cycles[1].min, 2.0);
  EXPECT_DOUBLE_EQ(cycles[1].count, 1.0);
  EXPECT_DOUBLE_EQ(cycles[1].heating_time_s, 1.0);  // valley 2 at 2 s, peak 8 at 3 s
  EXPECT_DOUBLE_EQ(cycles[2].range, 10.0);
  EXPECT_DOUBLE_EQ(cycles[2].count, 0.5);
  EXPECT_DOUBLE_EQ(cycles[2].heating_time_s, 1.0);  // 0 at 0 s up to 10 at 1 s
  EXPECT_DOUBLE_EQ(cycles[3].range, 10.0);
  EXPECT_DOUBLE_EQ(cycles[3].count, 0.5);
  EXPECT_DOUBLE_EQ(cycles[3].heating_time_s, 5.0);  // 10 at 1 s down to 0 at 6 s
}

TEST(Rainflow, TurningPointsDropMonotoneRunsAndKeepAPlateausFirstSample) {
  const std::vector<double> t{0, 1, 2, 3, 4, 5, 6, 7};
  const std::vector<double> v{1, 2, 3, 3, 3, 1, 1, 2};
  const auto points = turning_points(t, v);
  ASSERT_EQ(points.size(), 4u);
  EXPECT_DOUBLE_EQ(points[0].value, 1.0);
  EXPECT_DOUBLE_EQ(points[1].value, 3.0);
  EXPECT_DOUBLE_EQ(points[1].t_s, 2.0);  // the peak was reached at 2 s
  EXPECT_DOUBLE_EQ(points[2].value, 1.0);
  EXPECT_DOUBLE_EQ(points[2].t_s, 5.0);
  EXPECT_DOUBLE_EQ(points[3].value, 2.0);
}

TEST(Rainflow, ConstantAndMonotoneSequences) {
  const std::vector<double> flat{5, 5, 5};
  EXPECT_TRUE(rainflow(times_of(3), flat).empty());
  const std::vector<double> rise{1, 2, 4};
  const auto cycles = rainflow(times_of(3), rise);
  ASSERT_EQ(cycles.size(), 1u);  // one residual half cycle from 1 to 4
  EXPECT_DOUBLE_EQ(cycles[0].range, 3.0);
  EXPECT_DOUBLE_EQ(cycles[0].count, 0.5);
  EXPECT_TRUE(rainflow(std::vector<double>{}, std::vector<double>{}).empty());
}

TEST(Rainflow, RepeatedSwingCountsOneCyclePerPeriod) {
  // A square-ish swing between 40 and 70: every period closes one cycle of 30 K; only the ends
  // are half cycles.
  std::vector<double> v;
  for (int k = 0; k < 100; ++k) {
    v.push_back(40.0);
    v.push_back(70.0);
  }
  v.push_back(40.0);
  double full = 0.0, half = 0.0;
  for (const auto& c : rainflow(times_of(v.size()), v)) {
    EXPECT_DOUBLE_EQ(c.range, 30.0);
    (c.count == 1.0 ? full : half) += c.count;
  }
  EXPECT_DOUBLE_EQ(full + half, 100.0);
  EXPECT_LE(half, 1.0);
}

TEST(Rainflow, EveryRangeIsCountedOnceOnALongRandomSequence) {
  // Each closed cycle takes two turning points with two half ranges, each residual half cycle
  // one range: 2 x (sum of counts) = turning points - 1. Half a million samples finish in a
  // fraction of a second only if the counting is linear.
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0.0, 1.0);
  const std::size_t n = 500'000;
  std::vector<double> v(n);
  for (auto& x : v) x = noise(rng);
  const auto t = times_of(n);
  const auto points = turning_points(t, v);
  const auto cycles = rainflow(t, v);
  double counts = 0.0;
  for (const auto& c : cycles) counts += c.count;
  EXPECT_DOUBLE_EQ(2.0 * counts, static_cast<double>(points.size() - 1));
}

TEST(Rainflow, UnsortedTimesOrMismatchedSizesAreInvalidInput) {
  const std::vector<double> v{1, 2, 1};
  const std::vector<double> t{0, 2, 1};
  try {
    (void)rainflow(t, v);
    FAIL() << "unsorted times accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_input);
    EXPECT_NE(std::string(e.what()).find("sample 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)rainflow(times_of(2), v), Error);
}

}  // namespace
}  // namespace g2g::reliability

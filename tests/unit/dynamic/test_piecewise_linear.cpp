// The piecewise-linear function under profiles and smoothing: values and left limits at jumps,
// exact integrals against hand-computed areas, edges, clipping, and min/max with the crossing
// inserted where the operands meet.
#include <gtest/gtest.h>

#include "g2g/core/error.hpp"
#include "g2g/dynamic/piecewise_linear.hpp"

namespace g2g::dynamic {
namespace {

// 0 at t = 0, rising to 2 at t = 1, a jump down to 1 at t = 1, flat to t = 3.
PiecewiseLinear ramp_then_jump() {
  return PiecewiseLinear({{0, 0}, {1, 2}, {1, 1}, {3, 1}});
}

TEST(PiecewiseLinear, ValueIsRightContinuousAndLeftLimitIsTheFirstOfAJump) {
  const PiecewiseLinear f = ramp_then_jump();
  EXPECT_DOUBLE_EQ(f.value(0.5), 1.0);
  EXPECT_DOUBLE_EQ(f.value(1.0), 1.0);
  EXPECT_DOUBLE_EQ(f.left_value(1.0), 2.0);
  EXPECT_DOUBLE_EQ(f.left_value(0.5), 1.0);
  EXPECT_DOUBLE_EQ(f.value(-5.0), 0.0);  // holds the end values outside
  EXPECT_DOUBLE_EQ(f.value(10.0), 1.0);
  EXPECT_DOUBLE_EQ(f.right_slope(0.2), 2.0);
  EXPECT_DOUBLE_EQ(f.right_slope(1.0), 0.0);
}

TEST(PiecewiseLinear, IntegralIsExactAcrossRampsJumpsAndTheEnds) {
  const PiecewiseLinear f = ramp_then_jump();
  EXPECT_DOUBLE_EQ(f.integral(0.0, 1.0), 1.0);  // triangle 1 × 2 / 2
  EXPECT_DOUBLE_EQ(f.integral(0.0, 3.0), 3.0);  // + 2 × 1
  EXPECT_DOUBLE_EQ(f.integral(0.5, 2.0), 0.75 + 1.0);
  EXPECT_DOUBLE_EQ(f.integral(-1.0, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(f.integral(3.0, 5.0), 2.0);
  EXPECT_DOUBLE_EQ(f.integral(2.0, 0.5), -1.75);
}

TEST(PiecewiseLinear, EdgesAreTheDistinctBreakpointTimes) {
  const PiecewiseLinear f = ramp_then_jump();
  EXPECT_EQ(f.edges(0.0, 3.0), (std::vector<double>{0.0, 1.0, 3.0}));
  EXPECT_EQ(f.edges(0.5, 2.0), (std::vector<double>{1.0}));
}

TEST(PiecewiseLinear, ClippedKeepsTheValuesAtBothEnds) {
  const PiecewiseLinear g = ramp_then_jump().clipped(0.5, 2.0);
  ASSERT_EQ(g.points().size(), 4U);
  EXPECT_DOUBLE_EQ(g.points().front().value, 1.0);
  EXPECT_DOUBLE_EQ(g.value(1.0), 1.0);
  EXPECT_DOUBLE_EQ(g.left_value(1.0), 2.0);
  EXPECT_DOUBLE_EQ(g.t_end_s(), 2.0);
}

TEST(PiecewiseLinear, MinInsertsTheCrossingAndStaysExact) {
  const PiecewiseLinear rising({{0, 0}, {2, 2}});
  const PiecewiseLinear level = PiecewiseLinear::constant(0.5, 0, 2);
  const PiecewiseLinear m = pointwise_min(rising, level);
  EXPECT_DOUBLE_EQ(m.value(0.25), 0.25);
  EXPECT_DOUBLE_EQ(m.value(0.5), 0.5);
  EXPECT_DOUBLE_EQ(m.value(1.5), 0.5);
  EXPECT_EQ(m.edges(0, 2), (std::vector<double>{0.0, 0.5, 2.0}));
  // max(0, a - b) of the same: the triangle-free area ∫_{0.5}^{2} (t - 0.5) dt = 1.125.
  EXPECT_DOUBLE_EQ(positive_difference(rising, level).integral(0, 2), 1.125);
  EXPECT_DOUBLE_EQ(pointwise_max(rising, level).integral(0, 2), 0.25 + 1.875);
}

TEST(PiecewiseLinear, ProductWithStepsKeepsJumpsAndRefusesTwoRamps) {
  const PiecewiseLinear ramp({{0, 0}, {4, 4}});
  const PiecewiseLinear steps({{0, 1}, {1, 1}, {1, 0.5}, {2, 0.5}, {2, 1}, {4, 1}});
  const PiecewiseLinear p = multiply_by_steps(ramp, steps);
  EXPECT_DOUBLE_EQ(p.value(1.5), 0.75);
  EXPECT_DOUBLE_EQ(p.left_value(1.0), 1.0);
  EXPECT_DOUBLE_EQ(p.value(1.0), 0.5);
  EXPECT_DOUBLE_EQ(p.value(3.0), 3.0);
  EXPECT_THROW((void)multiply_by_steps(ramp, ramp), Error);
}

TEST(PiecewiseLinear, RejectsDecreasingTimesAndTripleJumps) {
  EXPECT_THROW(PiecewiseLinear({{1, 0}, {0, 1}}), InvalidInput);
  EXPECT_THROW(PiecewiseLinear({{0, 0}, {1, 1}, {1, 2}, {1, 3}}), InvalidInput);
}

}  // namespace
}  // namespace g2g::dynamic

namespace g2g::dynamic {
namespace {

// The cursor search gives value(t) exactly, jumps included, whatever order the times come in:
// forward by small steps (an integrator), backward (a rejected step), and far jumps.
TEST(PiecewiseLinear, ValueFromACursorEqualsTheSearch) {
  const PiecewiseLinear f(
      {{0.0, 1.0}, {1.0, 2.0}, {1.0, 5.0}, {2.0, 4.0}, {3.0, 4.0}, {3.5, -1.0}, {7.0, 0.5}});
  std::size_t cursor = 0;
  std::vector<double> times;
  for (int k = -10; k <= 90; ++k) times.push_back(0.1 * k);   // forward, from before the start
  for (int k = 80; k >= 0; k -= 3) times.push_back(0.1 * k);  // backward
  for (double t : {6.9, 0.2, 3.5, 1.0, 0.999, 8.0, -1.0, 1.0}) times.push_back(t);  // jumps
  for (double t : times) EXPECT_EQ(f.value(t, cursor), f.value(t)) << "t = " << t;
}

}  // namespace
}  // namespace g2g::dynamic

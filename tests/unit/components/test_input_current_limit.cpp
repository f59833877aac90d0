// A converter's input current limit: the loss curve's inverse, the default limit, the output
// current bound with its Jacobian against differences, and the input current at the limit.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

#include "g2g/components/input_current_limit.hpp"
#include "unit/components/stamp_check.hpp"

namespace g2g::components {
namespace {

// A 150 kW converter: 90 % at 10 %, 96 % at 50 %, 94 % at full load, 200 W standby.
EfficiencyCurveLoss curved_loss() {
  return {{{0.1, 0.90}, {0.5, 0.96}, {1.0, 0.94}}, 150e3, 200.0};
}

TEST(InputCurrentLimit, OutputForInputInvertsThePowerBalance) {
  const EfficiencyCurveLoss loss = curved_loss();
  const double no_load_w = loss.at(0.0).loss_w;
  ASSERT_GT(no_load_w, 0.0);
  EXPECT_EQ(output_for_input(loss, 0.5 * no_load_w).p_out_w, 0.0);
  for (const double p_in_w : {1.01 * no_load_w, 5e3, 16.7e3, 60e3, 78.1e3, 150e3, 200e3}) {
    const OutputForInput o = output_for_input(loss, p_in_w);
    EXPECT_NEAR(o.p_out_w + loss.at(o.p_out_w).loss_w, p_in_w, 1e-12 * p_in_w) << p_in_w;
    EXPECT_LT(o.p_out_w, p_in_w);
    const double h = 1e-3;
    const double slope_fd =
        (output_for_input(loss, p_in_w + h).p_out_w - output_for_input(loss, p_in_w - h).p_out_w) /
        (2.0 * h);
    EXPECT_NEAR(o.dp_out_dp_in, slope_fd, 1e-6) << p_in_w;
  }
}

TEST(InputCurrentLimit, OutputForInputIsExactAtTheCurvesPoints) {
  // Where p + loss(p) is found from the top of a rising curve: at each point's input power,
  // that point's output power, on either segment that meets there.
  const EfficiencyCurveLoss loss = curved_loss();
  for (const double p_w : {15e3, 75e3, 150e3}) {
    const double p_in_w = p_w + loss.at(p_w).loss_w;
    EXPECT_NEAR(output_for_input(loss, p_in_w).p_out_w, p_w, 1e-12 * p_w) << p_w;
  }
}

TEST(InputCurrentLimit, OutputForInputTakesTheFirstSegmentThatReachesTheInput) {
  // 50 % at 10 kW, 99 % at 12 kW, 95 % at 100 kW: p + loss(p) is 20 kW at 10 kW out and falls
  // to 12.1 kW at 12 kW out, so an input of 15 kW is reached on the first segment (no-load loss
  // 10 kW, input rising one for one), at 5 kW out, and again further up the curve.
  const EfficiencyCurveLoss loss({{0.10, 0.50}, {0.12, 0.99}, {1.0, 0.95}}, 100e3);
  ASSERT_DOUBLE_EQ(loss.at(0.0).loss_w, 10e3);
  const OutputForInput o = output_for_input(loss, 15e3);
  EXPECT_NEAR(o.p_out_w, 5e3, 1e-9);
  EXPECT_DOUBLE_EQ(o.dp_out_dp_in, 1.0);
}

TEST(InputCurrentLimit, DefaultLimitIsTheOutputLimitSeenAtTheInput) {
  // One efficiency point: the loss is proportional, p_in = p_out / eta, so the limit is
  // i_max v_out / (eta v_in) exactly.
  const EfficiencyCurveLoss loss({{1.0, 0.98}}, 150e3);
  const double i_max_a = 1.5 * 150e3 / 54.0;
  EXPECT_NEAR(input_current_limit_a(loss, i_max_a, 54.0, 800.0), i_max_a * 54.0 / (0.98 * 800.0),
              1e-12 * i_max_a);
}

TEST(InputCurrentLimit, BoundHoldsTheInputAtItsLimit) {
  const EfficiencyCurveLoss loss = curved_loss();
  const double i_in_max_a = 290.0, i_max_a = 4000.0;
  // At nominal input the bound is above i_max at 54 V (the output limit binds first).
  EXPECT_EQ(input_current_bound(loss, i_in_max_a, i_max_a, 800.0, 54.0).i_a, i_max_a);
  // At 200 V in, 50 V out: p_out_max = g^-1(200 V * 290 A) and the converter draws 290 A.
  const CurrentBound b = input_current_bound(loss, i_in_max_a, i_max_a, 200.0, 50.0);
  ASSERT_LT(b.i_a, i_max_a);
  const double p_out_w = b.i_a * 50.0;
  EXPECT_NEAR(p_out_w + loss.at(p_out_w).loss_w, 200.0 * i_in_max_a, 1e-9 * p_out_w);
  const InputCurrent at = input_current(loss, i_in_max_a, p_out_w, 200.0);
  EXPECT_NEAR(at.i_a, i_in_max_a, 1e-9 * i_in_max_a);
  // No limit: P / v, however large.
  EXPECT_NEAR(input_current(loss, 0.0, p_out_w, 20.0).i_a,
              (p_out_w + loss.at(p_out_w).loss_w) / 20.0, 1e-9);
  // A dead input draws at most the limit.
  EXPECT_EQ(input_current(loss, i_in_max_a, 1e3, 0.0).i_a, i_in_max_a);
  // Below the limit, the derivatives of P / v.
  const double v_in = 790.0, p_w = 100e3, h = 1e-3;
  const InputCurrent below = input_current(loss, i_in_max_a, p_w, v_in);
  EXPECT_NEAR(below.di_dv_in,
              (input_current(loss, i_in_max_a, p_w, v_in + h).i_a -
               input_current(loss, i_in_max_a, p_w, v_in - h).i_a) /
                  (2.0 * h),
              1e-7);
  EXPECT_NEAR(below.di_dp_out,
              (input_current(loss, i_in_max_a, p_w + h, v_in).i_a -
               input_current(loss, i_in_max_a, p_w - h, v_in).i_a) /
                  (2.0 * h),
              1e-9);
}

TEST(InputCurrentLimit, LoopJacobiansWithTheInputBound) {
  const EfficiencyCurveLoss loss = curved_loss();
  const PiGains g = pi_voltage_gains(20e-3, 1e3, 1.0);
  const double i_max_a = 4000.0, i_in_max_a = 290.0;
  for (const double droop_ohm : {0.0, 1e-3}) {
    const PiVoltageLoop loop = pi_voltage_loop(g, 54.0, i_max_a, droop_ohm);
    auto stamp_of = [&](const std::array<double, 3>& x) {
      return pi_voltage_loop_stamp(loop, input_current_bound(loss, i_in_max_a, i_max_a, x[2], x[0]),
                                   x);
    };
    // x = [v_out, z, v_in]: unlimited, at the input bound (input sagging), at i_max (output
    // sagging, input at nominal), and with the bound below a current already at i_max.
    const std::vector<std::array<double, 3>> points{
        {54.0, 2400.0, 800.0}, {50.0, 3000.0, 200.0}, {30.0, 3800.0, 800.0}, {50.0, 9000.0, 150.0}};
    for (const auto& x : points)
      checks::expect_jacobians_match_differences<3>(stamp_of, x, "pi+in");
    const auto at_bound = pi_loop_current(
        loop, 50.0, 3000.0, input_current_bound(loss, i_in_max_a, i_max_a, 200.0, 50.0));
    EXPECT_TRUE(at_bound.c.limited);
    EXPECT_GT(at_bound.di_dv_in, 0.0);
    // The root function changes sign where the bound starts to hold.
    const auto bound_at = [&](double v_in) {
      return input_current_bound(loss, i_in_max_a, i_max_a, v_in, 50.0);
    };
    const double i_u = pi_loop_current(loop, 50.0, 3000.0).i_unlimited_a;
    EXPECT_LT(input_limit_root(loop, i_u, bound_at(800.0), 50.0), 0.0);
    EXPECT_GT(input_limit_root(loop, i_u, bound_at(200.0), 50.0), 0.0);
  }
}

}  // namespace
}  // namespace g2g::components

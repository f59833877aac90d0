// devices::solve_junction and loss_with_cooling (docs/devices.md, "Thermal coupling").
#include <gtest/gtest.h>

#include "g2g/devices/library.hpp"
#include "g2g/devices/thermal.hpp"

namespace g2g::devices {
namespace {

// P(T) = P0 + a (T - 25): T = (T_amb + R (P0 - 25 a)) / (1 - R a) when R a < 1.
TEST(Thermal, LinearLossMatchesTheClosedForm) {
  for (const double a : {0.0, 0.05, 0.5, 1.5}) {
    const double p0 = 20.0, r = 0.6, t_amb = 40.0;
    const ThermalPoint point =
        solve_junction([&](double t) { return p0 + a * (t - 25.0); }, r, t_amb, 175.0);
    const double expected = (t_amb + r * (p0 - 25.0 * a)) / (1.0 - r * a);
    ASSERT_TRUE(point.converged) << a;
    EXPECT_FALSE(point.runaway);
    EXPECT_NEAR(point.t_j_c, expected, 1e-6) << a;
    EXPECT_NEAR(point.loss_w, p0 + a * (expected - 25.0), 1e-6);
    EXPECT_EQ(point.over_limit, expected > 175.0);
    EXPECT_LT(point.iterations, 20);
  }
}

TEST(Thermal, RunawayWhenTheLossOutgrowsTheCooling) {
  // R a > 1: every degree adds more than a degree.
  const ThermalPoint point =
      solve_junction([](double t) { return 20.0 + 2.0 * (t - 25.0); }, 0.6, 40.0, 150.0);
  EXPECT_TRUE(point.runaway);
  EXPECT_FALSE(point.converged);
  EXPECT_TRUE(point.over_limit);
}

TEST(Thermal, LossWithCoolingIsSelfConsistent) {
  const Device& d = *find_device(default_devices(), "GS66508P");
  SwitchStress s;
  s.f_sw_hz = 100e3;
  s.i_rms_a = 10.0;
  s.v_block_v = 400.0;
  s.i_on_a = s.i_off_a = 10.0;
  s = with_partner(s, d);
  const Cooling cooling{50.0, 1.0};
  const LossAtTemperature at = loss_with_cooling(d, s, GateDrive{}, cooling);
  ASSERT_TRUE(at.thermal.converged);
  // T_j = T_amb + P_heat R_th, and the breakdown is the loss at that T_j.
  EXPECT_NEAR(at.thermal.t_j_c, 50.0 + at.thermal.loss_w * (d.r_th_jc_k_per_w + 1.0), 1e-5);
  EXPECT_NEAR(at.loss.conduction_w, 100.0 * r_ds_on_ohm(d, at.thermal.t_j_c), 1e-9);
  EXPECT_GT(at.thermal.t_j_c, 50.0);
  // Worse cooling: hotter, more loss; far worse: runaway.
  const LossAtTemperature hot = loss_with_cooling(d, s, GateDrive{}, Cooling{50.0, 4.0});
  EXPECT_GT(hot.thermal.t_j_c, at.thermal.t_j_c);
  EXPECT_GT(hot.loss.total_w(), at.loss.total_w());
  s.i_rms_a = 40.0;
  EXPECT_TRUE(loss_with_cooling(d, s, GateDrive{}, Cooling{50.0, 20.0}).thermal.runaway);
}

}  // namespace
}  // namespace g2g::devices

// Protection device equations (components/protection.hpp): the clamp characteristic, the
// stamp's Jacobians against central differences in every state and integral kind, and the
// closed forms the validation uses, checked by integrating the clamp phase numerically.
#include <gtest/gtest.h>

#include <cmath>

#include "g2g/components/protection.hpp"
#include "unit/components/stamp_check.hpp"

namespace g2g::components {
namespace {

TEST(Protection, ClampIsLeakageBelowItsKneeAndItsVoltageAbove) {
  const Clamp c{1200.0, 1e6, 0.0};
  EXPECT_DOUBLE_EQ(clamp_knee_a(c), 1.2e-3);
  EXPECT_DOUBLE_EQ(clamp_voltage(c, 1e-3).v, 1000.0);
  EXPECT_DOUBLE_EQ(clamp_voltage(c, 500.0).v, 1200.0);
  EXPECT_DOUBLE_EQ(clamp_voltage(c, -500.0).v, -1200.0);
  EXPECT_DOUBLE_EQ(clamp_voltage(c, 500.0).dv_di, 0.0);
  // With a dynamic resistance: the MOV in parallel with the leakage above V_c.
  const Clamp mov{1200.0, 1e6, 0.01};
  const double r_par = 1e6 * 0.01 / (1e6 + 0.01);
  EXPECT_NEAR(clamp_voltage(mov, 1000.0).v, 1200.0 + r_par * (1000.0 - 1.2e-3), 1e-9);
  // Continuous at the knee.
  const double knee = clamp_knee_a(mov);
  EXPECT_NEAR(clamp_voltage(mov, knee * (1 + 1e-12)).v, clamp_voltage(mov, knee).v, 1e-6);
}

TEST(Protection, StampJacobiansMatchDifferences) {
  for (const auto integral : {ProtectionIntegral::let_through, ProtectionIntegral::melting,
                              ProtectionIntegral::thermal}) {
    ProtectionElement p;
    p.r_on_ohm = 2e-4;
    p.l_h = 1e-6;
    p.clamp = {1200.0, 1e6, 0.02};
    p.integral = integral;
    p.reference_a = 400.0;
    p.tau_s = 30.0;
    for (const bool open : {false, true})
      for (const double i : {-2500.0, -1e-4, 3e-4, 750.0, 2500.0}) {
        const std::array<double, 5> x{800.0, 799.5, i, 3.0, 0.4};
        checks::expect_jacobians_match_differences<5>(
            [&](const std::array<double, 5>& v) { return protection_stamp(p, open, v); }, x,
            "protection");
      }
  }
}

TEST(Protection, ClosedIsItsOnResistanceAndDissipatesNothingIntoTheClamp) {
  ProtectionElement p;
  p.r_on_ohm = 1e-3;
  p.l_h = 2e-6;
  const auto s = protection_stamp(p, false, {800.0, 799.0, 1000.0, 0.0, 0.0});
  EXPECT_DOUBLE_EQ(s.f[2], 0.0);  // 1 mohm x 1 kA = 1 V
  EXPECT_DOUBLE_EQ(s.f[3], 0.0);
  EXPECT_DOUBLE_EQ(s.f[4], -1e6);  // let-through: i^2
}

TEST(Protection, ThermalReplicaTripTimeIsItsCurve) {
  // At 2 x pickup from cold: tau ln(4/3).
  EXPECT_DOUBLE_EQ(thermal_trip_time_s(60.0, 2.0), 60.0 * std::log(4.0 / 3.0));
  EXPECT_TRUE(std::isinf(thermal_trip_time_s(60.0, 1.0)));
  // The replica's state reaches 1 at that time: a = k^2 (1 - e^{-t/tau}).
  const double t = thermal_trip_time_s(60.0, 3.0);
  EXPECT_NEAR(9.0 * (1.0 - std::exp(-t / 60.0)), 1.0, 1e-12);
}

TEST(Protection, ClampEnergyClosedFormsAgreeWithQuadrature) {
  // Integrate L di/dt = V - V_c - R i by small explicit steps; E = V_c * integral of i.
  for (const double r : {0.0, 0.02}) {
    const double l = 5e-6, v = 800.0, vc = 1200.0, i0 = 3000.0;
    double i = i0, e = 0.0, t = 0.0;
    const double dt = 1e-11;
    while (i > 0.0) {
      const double di = (v - vc - r * i) / l;
      const double i_next = i + di * dt;
      if (i_next <= 0.0) {  // the last partial step
        const double h = i / -di;
        e += vc * 0.5 * i * h;
        t += h;
        break;
      }
      e += vc * 0.5 * (i + i_next) * dt;
      i = i_next;
      t += dt;
    }
    EXPECT_NEAR(e, clamp_energy_closed_form_j(l, r, v, vc, i0), 1e-6 * e) << r;
    EXPECT_NEAR(t, clamp_time_closed_form_s(l, r, v, vc, i0), 1e-6 * t) << r;
  }
  EXPECT_DOUBLE_EQ(clamp_energy_closed_form_j(1e-6, 0.0, 800.0, 1200.0, 1000.0),
                   0.5 * 1e-6 * 1e6 * 1200.0 / 400.0);
}

}  // namespace
}  // namespace g2g::components

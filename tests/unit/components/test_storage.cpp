// Battery: OCV(SOC) interpolation, Jacobians against differences (with and without the RC
// pair), and the closed-form round-trip efficiency against an integration of a constant-power
// charge and discharge through the battery's own equations.
#include <gtest/gtest.h>

#include <cmath>

#include "g2g/components/storage.hpp"
#include "g2g/core/error.hpp"
#include "unit/components/constant_power_cycle.hpp"
#include "unit/components/stamp_check.hpp"

namespace g2g::components {
namespace {

// A made-up 14s LFP-like module table (shape only; the tests need a sloped, kinked curve).
OcvTable module_ocv() {
  return OcvTable({{0.0, 40.0}, {0.1, 44.8}, {0.9, 46.9}, {1.0, 49.0}});
}

TEST(Storage, OcvInterpolatesAndExtendsEndSegments) {
  const OcvTable ocv = module_ocv();
  EXPECT_DOUBLE_EQ(ocv.at(0.1).ocv_v, 44.8);
  EXPECT_NEAR(ocv.at(0.5).ocv_v, 44.8 + 0.4 / 0.8 * 2.1, 1e-12);
  EXPECT_NEAR(ocv.at(0.5).docv_dsoc_v, 2.1 / 0.8, 1e-12);
  EXPECT_NEAR(ocv.at(0.1).docv_dsoc_v, 2.1 / 0.8, 1e-12);  // at a point: the segment above
  EXPECT_NEAR(ocv.at(-0.05).ocv_v, 40.0 - 0.05 * 48.0, 1e-12);
  EXPECT_NEAR(ocv.at(1.05).ocv_v, 49.0 + 0.05 * 21.0, 1e-12);
  EXPECT_DOUBLE_EQ(OcvTable({{0.5, 48.0}}).at(0.9).ocv_v, 48.0);
}

// The mean OCV over [0.2, 0.9] of 700 V / 780 V / 820 V at 0 / 0.5 / 1, by hand: 732 -> 780 V
// over 0.3 and 780 -> 812 V over 0.4, so (756 * 0.3 + 796 * 0.4) / 0.7 = 778.857... V.
TEST(Storage, OcvMeanBetweenIsTheCurvesAverage) {
  const OcvTable ocv({{0.0, 700.0}, {0.5, 780.0}, {1.0, 820.0}});
  EXPECT_NEAR(ocv.mean_between(0.2, 0.9), (756.0 * 0.3 + 796.0 * 0.4) / 0.7, 1e-9);
  EXPECT_NEAR(ocv.mean_between(0.6, 0.8), 0.5 * (788.0 + 804.0), 1e-9);  // within one segment
  EXPECT_NEAR(ocv.mean_between(0.4, 0.4), 764.0, 1e-9);  // an empty window: the OCV there
}

TEST(Storage, OcvTableRejectsUnsortedSoc) {
  try {
    (void)OcvTable({{0.0, 40.0}, {0.5, 45.0}, {0.5, 46.0}});
    FAIL() << "no error";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.subject(), "ocv");
    EXPECT_NE(std::string(e.what()).find("point 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)OcvTable({}), InvalidInput);
}

TEST(Storage, BatteryJacobians) {
  const OcvTable ocv = module_ocv();
  const Battery battery{100.0, 0.012, 0.008, 2500.0};
  for (const double soc : {0.05, 0.5, 0.95})  // each segment, away from the kinks
    checks::expect_jacobians_match_differences<4>(
        [&](const std::array<double, 4>& x) { return battery_stamp(battery, ocv, x); },
        {46.0, 0.2, soc, -35.0}, "battery");
  checks::expect_jacobians_match_differences<5>(
      [&](const std::array<double, 5>& x) { return battery_rc_stamp(battery, ocv, x); },
      {46.0, 0.2, 0.5, 0.3, 35.0}, "battery_rc");
}

// SOC' = -i / (3600 Ah): 100 A out of 100 Ah empties 1/36 of the battery in 100 s.
TEST(Storage, SocRateIsAmpHours) {
  const Battery battery{100.0, 0.01};
  const auto s = battery_stamp(battery, module_ocv(), {45.0, 0.0, 0.5, 100.0});
  EXPECT_NEAR(-s.f[2] / s.dq_dx[2][2] * 100.0, -1.0 / 36.0, 1e-15);
}

// Constant terminal power P: the current solves the terminal row with v_p - v_n = P / i
// (discharge, i > 0) or -P / i (charge, i < 0); SOC' = -F_soc. The battery charges at P for
// 30 min from SOC 0.5, then discharges at P until SOC is back at 0.5.
double battery_cycle_efficiency(const Battery& battery, const OcvTable& ocv, double p_w) {
  auto rate = [&](double sign) {
    return [&, sign](double soc) {
      auto terminal_row = [&](double i) {
        return battery_stamp(battery, ocv, {sign * p_w / i, 0.0, soc, i}).f[3];
      };
      const double i = checks::newton_1d(terminal_row, sign * p_w / ocv.at(soc).ocv_v);
      return -battery_stamp(battery, ocv, {sign * p_w / i, 0.0, soc, i}).f[2];
    };
  };
  const double step_s = 1.0, charge_s = 1800.0;
  double soc = 0.5;
  for (double t = 0.0; t < charge_s - 0.5 * step_s; t += step_s)
    soc = checks::rk4_step(rate(-1.0), soc, step_s);
  const double discharge_s = checks::time_to_reach(rate(1.0), soc, 0.5, step_s);
  return p_w * discharge_s / (p_w * charge_s);
}

TEST(Storage, BatteryRoundTripMatchesIntegration) {
  const Battery battery{100.0, 0.025};
  const OcvTable flat({{0.0, 48.0}, {1.0, 48.0}});
  for (const double p_w : {1e3, 5e3, 15e3}) {
    const double closed = battery_round_trip_efficiency(48.0, battery.r_internal_ohm, p_w);
    const double numeric = battery_cycle_efficiency(battery, flat, p_w);
    EXPECT_NEAR(closed, numeric, 1e-6 * numeric) << p_w << " W";
  }
  // By hand at 5 kW: i_c = 99.056 A, i_d = 110.530 A, eta = i_c / i_d = 0.89620.
  const double a = 4.0 * 0.025 * 5e3;
  const double i_c = (-48.0 + std::sqrt(48.0 * 48.0 + a)) / (2.0 * 0.025);
  const double i_d = (48.0 - std::sqrt(48.0 * 48.0 - a)) / (2.0 * 0.025);
  EXPECT_NEAR(battery_round_trip_efficiency(48.0, 0.025, 5e3), i_c / i_d, 1e-14);
  EXPECT_NEAR(battery_round_trip_efficiency(48.0, 0.025, 5e3), 0.89620, 1e-5);
  // Beyond E^2 / 4R = 23.04 kW the battery cannot deliver P.
  EXPECT_EQ(battery_round_trip_efficiency(48.0, 0.025, 24e3), 0.0);
}

}  // namespace
}  // namespace g2g::components

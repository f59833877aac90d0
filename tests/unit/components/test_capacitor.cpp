// The series R-C branch (bus and DC-link capacitance with ESR, the supercapacitor): Jacobians
// against differences, and the closed-form round-trip efficiency against an integration of a
// constant-power charge and discharge through the branch's own equations.
#include <gtest/gtest.h>

#include <cmath>

#include "g2g/components/capacitor.hpp"
#include "unit/components/constant_power_cycle.hpp"
#include "unit/components/stamp_check.hpp"

namespace g2g::components {
namespace {

TEST(Capacitor, SeriesRcJacobians) {
  for (const double esr : {0.0, 2.5e-3}) {
    const SeriesRc rc{4.7e-3, esr};
    checks::expect_jacobians_match_differences<4>(
        [&](const std::array<double, 4>& x) { return series_rc_stamp(rc, x); },
        {801.0, 0.5, 799.0, 12.0}, "series_rc");
  }
}

// The reduced branch is the full one with its Ohm row solved for i.
TEST(Capacitor, EsrCapacitorIsTheSeriesRcWithItsCurrentEliminated) {
  const SeriesRc rc{4.7e-3, 2.5e-3};
  checks::expect_jacobians_match_differences<3>(
      [&](const std::array<double, 3>& x) { return esr_capacitor_stamp(rc, x); },
      {801.0, 0.5, 799.0}, "esr_capacitor");
  const double i = (801.0 - 0.5 - 799.0) / rc.esr_ohm;
  const auto full = series_rc_stamp(rc, {801.0, 0.5, 799.0, i});
  const auto reduced = esr_capacitor_stamp(rc, {801.0, 0.5, 799.0});
  EXPECT_NEAR(full.f[3], 0.0, 1e-9);
  for (std::size_t r = 0; r < 3; ++r) EXPECT_NEAR(reduced.f[r], full.f[r], 1e-9);
  EXPECT_DOUBLE_EQ(reduced.q[2], full.q[2]);
}

TEST(Capacitor, SeriesRcRowsAreKclAndOhm) {
  const SeriesRc rc{1e-3, 0.01};
  const auto s = series_rc_stamp(rc, {800.0, 0.0, 799.0, 100.0});
  EXPECT_DOUBLE_EQ(s.f[0], 100.0);  // current leaving p
  EXPECT_DOUBLE_EQ(s.f[1], -100.0);
  EXPECT_DOUBLE_EQ(s.q[2], 1e-3 * 799.0);
  EXPECT_NEAR(s.f[3], 0.01 * 100.0 + 799.0 - 800.0, 1e-12);  // ESR drop 1 V: consistent
  EXPECT_DOUBLE_EQ(series_rc_energy_j(rc, 800.0), 0.5 * 1e-3 * 800.0 * 800.0);
}

// Constant terminal power P through the ESR: the branch current i solves its Ohm row with
// v_p = P / i (charging, i > 0) or v_p = -P / i (discharging, i < 0); C dv_c/dt = i (row v_c).
double supercap_cycle_efficiency(const Supercapacitor& cap, double p_w, double v_min_v,
                                 double v_max_v) {
  auto current = [&](double v_c, double sign) {
    auto ohm_row = [&](double i) {
      return series_rc_stamp(cap, {sign * p_w / i, 0.0, v_c, i}).f[3];
    };
    return checks::newton_1d(ohm_row, sign * p_w / v_c);
  };
  auto rate = [&](double sign) {
    return [&, sign](double v_c) {
      const double i = current(v_c, sign);
      const auto s = series_rc_stamp(cap, {sign * p_w / i, 0.0, v_c, i});
      return -s.f[2] / s.dq_dx[2][2];  // dQ/dt = -F
    };
  };
  const double step_s = 1e-3;
  const double charge_s = checks::time_to_reach(rate(1.0), v_min_v, v_max_v, step_s);
  const double discharge_s = checks::time_to_reach(rate(-1.0), v_max_v, v_min_v, step_s);
  return p_w * discharge_s / (p_w * charge_s);
}

// A 63 F, 18 mOhm bank cycled between 24 and 48 V at 2 and 5 kW (5 kW: 15 % of P lost in the
// ESR at 24 V).
TEST(Capacitor, SupercapacitorRoundTripMatchesIntegration) {
  const Supercapacitor cap{63.0, 18e-3};
  for (const double p_w : {2e3, 5e3}) {
    const double closed = supercapacitor_round_trip_efficiency(cap.esr_ohm, p_w, 24.0, 48.0);
    const double numeric = supercap_cycle_efficiency(cap, p_w, 24.0, 48.0);
    EXPECT_NEAR(closed, numeric, 1e-6 * numeric) << p_w << " W";
    EXPECT_LT(closed, 1.0);
    EXPECT_GT(closed, 0.8);
  }
  // No resistance, no loss; beyond the power the bank can give at v_min, no cycle.
  EXPECT_DOUBLE_EQ(supercapacitor_round_trip_efficiency(0.0, 1e4, 24.0, 48.0), 1.0);
  EXPECT_EQ(supercapacitor_round_trip_efficiency(0.1, 2e3, 24.0, 48.0), 0.0);  // 4RP > 24^2
}

}  // namespace
}  // namespace g2g::components

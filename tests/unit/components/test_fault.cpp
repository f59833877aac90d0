// The fault branches' Jacobians against differences, in both states, and their equations at
// points whose answer is known.
#include <gtest/gtest.h>

#include <array>

#include "g2g/components/fault.hpp"
#include "unit/components/stamp_check.hpp"

namespace g2g::components {
namespace {

TEST(Fault, BusFaultJacobians) {
  for (const bool active : {false, true})
    for (const double r_ohm : {0.0, 0.01})
      checks::expect_jacobians_match_differences<2>(
          [&](const std::array<double, 2>& x) { return bus_fault_stamp(r_ohm, active, x); },
          {790.0, 1200.0}, active ? "bus fault, active" : "bus fault, inactive");
}

// Active: v = R i_f; inactive: no current.
TEST(Fault, BusFaultHoldsOhmsLawWhileActive) {
  const auto on = bus_fault_stamp(0.01, true, {20.0, 2000.0});
  EXPECT_NEAR(on.f[1], 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(on.f[0], 2000.0);
  const auto off = bus_fault_stamp(0.01, false, {800.0, 0.0});
  EXPECT_DOUBLE_EQ(off.f[0], 0.0);
  EXPECT_DOUBLE_EQ(off.f[1], 0.0);
}

TEST(Fault, LineFaultJacobians) {
  const auto [a, b] = split_loop({0.02, 10e-6}, 0.3);
  for (const bool active : {false, true})
    for (const double r_ohm : {0.0, 0.01})
      checks::expect_jacobians_match_differences<5>(
          // a and b named: clang 14 (clang-tidy's) cannot capture structured bindings implicitly.
          [&, &a = a, &b = b](const std::array<double, 5>& x) {
            return line_fault_stamp(a, b, r_ohm, active, x);
          },
          {800.0, 795.0, 798.0, 410.0, 150.0},
          active ? "line fault, active" : "line fault, inactive");
}

// Inactive, the two parts in series are the whole line: with i_f = 0 and steady currents the
// loops add up to R i = v_from - v_to, and the fault point sits on the resistive divider.
TEST(Fault, InactiveLineFaultIsTheWholeLine) {
  const RlLoop line{0.02, 10e-6};
  const auto [a, b] = split_loop(line, 0.25);
  EXPECT_DOUBLE_EQ(a.r_ohm + b.r_ohm, line.r_ohm);
  EXPECT_DOUBLE_EQ(a.l_h + b.l_h, line.l_h);
  const double i = 200.0;  // (800 - 796) / 0.02
  const double v_f = 800.0 - a.r_ohm * i;
  const auto s = line_fault_stamp(a, b, 0.01, false, {800.0, 796.0, v_f, i, 0.0});
  for (std::size_t r = 2; r < 5; ++r) EXPECT_NEAR(s.f[r], 0.0, 1e-12) << r;
  EXPECT_DOUBLE_EQ(s.f[0], -s.f[1]);
}

// Inactive, v_f's row is the two loops combined with i_f' = 0: whatever the point, L_b times a's
// loop minus L_a times b's, at i_a' = i_b', is (L_a + L_b) times v_f's row.
TEST(Fault, InactiveFaultRowHoldsTheFaultCurrentConstant) {
  const auto [a, b] = split_loop({0.03, 12e-6}, 0.4);
  const std::array<double, 5> x{810.0, 790.0, 805.0, 300.0, 0.0};
  const auto s = line_fault_stamp(a, b, 0.0, false, x);
  const double di_dt = 1e4;  // the same in both parts
  const double loop_a = s.f[3] + a.l_h * di_dt;
  const double loop_b = s.f[4] + b.l_h * di_dt;
  EXPECT_NEAR(b.l_h * loop_a - a.l_h * loop_b, (a.l_h + b.l_h) * s.f[2], 1e-15);
}

// An ideal interruption conserves the flux and dissipates what the difference in currents held.
TEST(Fault, InterruptionConservesFlux) {
  const RlLoop a{0.01, 3e-6}, b{0.01, 7e-6};
  const double i_a = 5000.0, i_f = 6000.0;  // part b carries -1000 A
  const auto cut = interrupt_line_fault(a, b, i_a, i_f);
  EXPECT_NEAR(cut.i_a, (3e-6 * 5000.0 + 7e-6 * -1000.0) / 10e-6, 1e-9);
  const double before = 0.5 * 3e-6 * i_a * i_a + 0.5 * 7e-6 * 1000.0 * 1000.0;
  const double after = 0.5 * 10e-6 * cut.i_a * cut.i_a;
  EXPECT_NEAR(before - after, cut.energy_j, 1e-9 * before);
}

}  // namespace
}  // namespace g2g::components

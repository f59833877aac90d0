// dynamic::small_signal against closed forms, and the constant-power-load stability boundary
// (issue 14): source V, series R–L, capacitor C, a load of P (i = P / v). Linearised at the
// operating voltage v0 (G = P / v0², the load's negative incremental conductance):
//   A = [[-R/L, -1/L], [1/C, G/C]],  stable iff  L/(R C) < v0²/P  and  R < v0²/P.
// 2 % inside and outside the first condition, the simulated oscillation after a small kick
// decays and grows as the eigenvalues say, and small_signal finds those eigenvalues.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <string>
#include <vector>

#include "g2g/dynamic/ida.hpp"
#include "g2g/dynamic/small_signal.hpp"
#include "unit/dynamic/circuits.hpp"

namespace g2g::dynamic {
namespace {

using fixtures::DenseDae;
using fixtures::SeriesRlc;

// Unknowns i_l (differential), v_c (differential), i_load (algebraic):
//   L i_l' + R i_l + v_c - V = 0,   C v_c' - i_l + i_load = 0,   i_load - P / v_c = 0.
class ConstantPowerLoad : public DenseDae {
 public:
  static constexpr double v_source = 800.0;
  static constexpr double r_ohm = 0.5;
  static constexpr double l_h = 1e-3;
  static constexpr double p_w = 100e3;
  double c_f;

  explicit ConstantPowerLoad(double capacitance_f)
      : DenseDae({{"i_l", true}, {"v_c", true}, {"i_load", false}}), c_f(capacitance_f) {}

  // The upper root of v0² - V v0 + P R = 0 (the normal operating point).
  static double v0() {
    return 0.5 * (v_source + std::sqrt(v_source * v_source - 4.0 * p_w * r_ohm));
  }
  // C on the boundary L / (R C) = v0² / P.
  static double boundary_c_f() { return l_h * p_w / (r_ohm * v0() * v0()); }
  // The eigenvalue of the 2 x 2 linearisation with Im >= 0.
  [[nodiscard]] std::complex<double> eigenvalue() const {
    const double g = p_w / (v0() * v0());
    const double trace = -r_ohm / l_h + g / c_f;
    const double determinant = (1.0 - r_ohm * g) / (l_h * c_f);
    return std::sqrt(std::complex<double>(trace * trace / 4.0 - determinant, 0.0)) + trace / 2.0;
  }

  void residual(double, std::span<const double> y, std::span<const double> yp,
                std::span<double> out) override {
    if (y[1] <= 0.0) throw OutsideDomain("a constant-power load at v <= 0");
    out[0] = l_h * yp[0] + r_ohm * y[0] + y[1] - v_source;
    out[1] = c_f * yp[1] - y[0] + y[2];
    out[2] = y[2] - p_w / y[1];
  }

 protected:
  void dense_jacobian(double, std::span<const double> y, std::span<const double>, double cj,
                      std::vector<std::vector<double>>& j) override {
    j = {{r_ohm + cj * l_h, 1.0, 0.0}, {-1.0, cj * c_f, 1.0}, {0.0, p_w / (y[1] * y[1]), 1.0}};
  }
};

// Simulates 0.5 s after a 1 V kick of v_c; returns the amplitude of v_c - v0 over [0.05, 0.1] s
// and over [0.45, 0.5] s, and the oscillation frequency from the zero crossings in between. A
// decaying swing peaks at each window's start, a growing one at its end: 0.4 s apart either way
// (to within a period, 4 ms), so the ratio is e^{0.4 Re λ}.
struct Swing {
  double early_amplitude_v = 0.0;
  double late_amplitude_v = 0.0;
  double frequency_hz = 0.0;
};

Swing simulate_kick(ConstantPowerLoad& circuit) {
  const double v0 = ConstantPowerLoad::v0();
  const double i0 = ConstantPowerLoad::p_w / v0;
  const std::vector<double> y0 = {i0, v0 + 1.0, i0};
  const std::vector<double> yp0 = {0.0, 0.0, 0.0};
  // The local error is controlled relative to v_c (731 V), not to the 1 V swing: at rtol 1e-6
  // BDF's numerical damping of the decaying swing reaches -0.38 /s beside Re λ = -5 /s (a ratio
  // 0.116 for 0.135 over 0.4 s); at 1e-8 it is within the 5 % asserted below.
  IntegratorOptions options;
  options.relative_tolerance = 1e-8;
  options.absolute_tolerance = 1e-8;
  Integrator integrator(circuit, 0.0, y0, yp0, options);
  integrator.initial_conditions(1e-5);
  Swing swing;
  double previous = 1.0;
  double first_crossing_s = -1.0;
  double last_crossing_s = -1.0;
  int crossings = 0;
  integrator.advance_to(0.5, [&](const Step& step) {
    const double deviation = step.y[1] - v0;
    if (step.t_s >= 0.05 && step.t_s <= 0.1)
      swing.early_amplitude_v = std::max(swing.early_amplitude_v, std::abs(deviation));
    if (step.t_s >= 0.45)
      swing.late_amplitude_v = std::max(swing.late_amplitude_v, std::abs(deviation));
    if (step.t_s > 0.1 && step.t_s < 0.45 && (deviation > 0.0) != (previous > 0.0)) {
      // the crossing by linear interpolation within the step is not needed at 1 % over ~100 periods
      if (first_crossing_s < 0.0) first_crossing_s = step.t_s;
      last_crossing_s = step.t_s;
      ++crossings;
    }
    previous = deviation;
    return true;
  });
  swing.frequency_hz = (crossings - 1) / 2.0 / (last_crossing_s - first_crossing_s);
  return swing;
}

TEST(SmallSignal, ConstantPowerLoadTwoPercentInsideDecays) {
  ConstantPowerLoad circuit(ConstantPowerLoad::boundary_c_f() / 0.98);  // L/(RC) = 0.98 v0²/P
  ASSERT_LT(ConstantPowerLoad::r_ohm,
            ConstantPowerLoad::v0() * ConstantPowerLoad::v0() / ConstantPowerLoad::p_w);
  const std::complex<double> lambda = circuit.eigenvalue();
  ASSERT_LT(lambda.real(), 0.0);

  const Swing swing = simulate_kick(circuit);
  EXPECT_LT(swing.late_amplitude_v, 0.5 * swing.early_amplitude_v);
  // The decay over 0.4 s as the eigenvalue says (e^{-5 · 0.4} = 0.135), within 5 %.
  EXPECT_NEAR(swing.late_amplitude_v / swing.early_amplitude_v, std::exp(lambda.real() * 0.4),
              0.05 * std::exp(lambda.real() * 0.4));
  EXPECT_NEAR(swing.frequency_hz, lambda.imag() / (2.0 * std::numbers::pi),
              0.01 * lambda.imag() / (2.0 * std::numbers::pi));

  const double v0 = ConstantPowerLoad::v0();
  const double i0 = ConstantPowerLoad::p_w / v0;
  const std::vector<double> y = {i0, v0, i0};
  const std::vector<double> yp = {0.0, 0.0, 0.0};
  const SmallSignalResult result = small_signal(circuit, 0.0, y, yp);
  EXPECT_EQ(result.states, 2);
  EXPECT_EQ(result.algebraic, 1);
  ASSERT_EQ(result.modes.size(), 1U);  // one complex pair, reported once
  const Mode& mode = result.modes.front();
  EXPECT_LT(mode.eigenvalue_per_s.real(), 0.0);
  EXPECT_NEAR(mode.eigenvalue_per_s.real(), lambda.real(), 1e-6 * std::abs(lambda));
  EXPECT_NEAR(mode.frequency_hz, lambda.imag() / (2.0 * std::numbers::pi),
              0.01 * lambda.imag() / (2.0 * std::numbers::pi));
  EXPECT_NEAR(mode.damping_ratio, -lambda.real() / std::abs(lambda), 1e-9);
  EXPECT_FALSE(mode.unstable);
  EXPECT_TRUE(mode.poorly_damped);  // ζ ≈ 0.003 < 5 %
  EXPECT_FALSE(result.any_unstable);
  EXPECT_TRUE(result.any_poorly_damped);
  ASSERT_EQ(mode.participants.size(), 2U);
  double total = 0.0;
  for (const auto& p : mode.participants) {
    total += p.factor;
    EXPECT_TRUE(p.name == "circuit.i_l" || p.name == "circuit.v_c") << p.name;
  }
  EXPECT_NEAR(total, 1.0, 1e-12);
}

TEST(SmallSignal, ConstantPowerLoadTwoPercentOutsideGrows) {
  ConstantPowerLoad circuit(ConstantPowerLoad::boundary_c_f() / 1.02);  // L/(RC) = 1.02 v0²/P
  const std::complex<double> lambda = circuit.eigenvalue();
  ASSERT_GT(lambda.real(), 0.0);

  const Swing swing = simulate_kick(circuit);
  EXPECT_GT(swing.late_amplitude_v, 2.0 * swing.early_amplitude_v);
  EXPECT_NEAR(swing.late_amplitude_v / swing.early_amplitude_v, std::exp(lambda.real() * 0.4),
              0.05 * std::exp(lambda.real() * 0.4));
  EXPECT_NEAR(swing.frequency_hz, lambda.imag() / (2.0 * std::numbers::pi),
              0.01 * lambda.imag() / (2.0 * std::numbers::pi));

  const double v0 = ConstantPowerLoad::v0();
  const double i0 = ConstantPowerLoad::p_w / v0;
  const std::vector<double> y = {i0, v0, i0};
  const std::vector<double> yp = {0.0, 0.0, 0.0};
  const SmallSignalResult result = small_signal(circuit, 0.0, y, yp);
  ASSERT_EQ(result.modes.size(), 1U);
  const Mode& mode = result.modes.front();
  EXPECT_GT(mode.eigenvalue_per_s.real(), 0.0);
  EXPECT_NEAR(mode.eigenvalue_per_s.real(), lambda.real(), 1e-6 * std::abs(lambda));
  EXPECT_NEAR(mode.frequency_hz, lambda.imag() / (2.0 * std::numbers::pi),
              0.01 * lambda.imag() / (2.0 * std::numbers::pi));
  EXPECT_LT(mode.damping_ratio, 0.0);
  EXPECT_TRUE(mode.unstable);
  EXPECT_TRUE(result.any_unstable);
}

TEST(SmallSignal, SeriesRlcModesMatchClosedForm) {
  // Underdamped: λ = -R/(2L) ± j sqrt(1/(LC) - (R/(2L))²), ζ = R/2 sqrt(C/L).
  SeriesRlc under(100.0, 1.0, 1e-3, 100e-6);
  const std::vector<double> y = {0.0, 100.0};
  const std::vector<double> yp = {0.0, 0.0};
  const SmallSignalResult result = small_signal(under, 0.0, y, yp);
  ASSERT_EQ(result.modes.size(), 1U);
  const double alpha = 1.0 / (2.0 * 1e-3);
  const double omega_d = std::sqrt(1.0 / (1e-3 * 100e-6) - alpha * alpha);
  EXPECT_NEAR(result.modes[0].eigenvalue_per_s.real(), -alpha, 1e-9 * alpha);
  EXPECT_NEAR(result.modes[0].frequency_hz, omega_d / (2.0 * std::numbers::pi), 1e-9 * omega_d);
  EXPECT_NEAR(result.modes[0].damping_ratio, 0.5 * std::sqrt(100e-6 / 1e-3), 1e-12);
  EXPECT_FALSE(result.modes[0].poorly_damped);  // ζ = 0.158

  // Overdamped: two real modes, ζ = 1 each, sorted; no oscillation flagged.
  SeriesRlc over(100.0, 10.0, 1e-3, 100e-6);
  const SmallSignalResult real_modes = small_signal(over, 0.0, y, yp);
  ASSERT_EQ(real_modes.modes.size(), 2U);
  for (const auto& mode : real_modes.modes) {
    EXPECT_DOUBLE_EQ(mode.frequency_hz, 0.0);
    EXPECT_DOUBLE_EQ(mode.damping_ratio, 1.0);
    EXPECT_FALSE(mode.poorly_damped);
  }
  const double root = std::sqrt(5000.0 * 5000.0 - 1e7);
  std::vector<double> reals = {real_modes.modes[0].eigenvalue_per_s.real(),
                               real_modes.modes[1].eigenvalue_per_s.real()};
  std::sort(reals.begin(), reals.end());
  EXPECT_NEAR(reals[0], -5000.0 - root, 1e-9 * 1e4);
  EXPECT_NEAR(reals[1], -5000.0 + root, 1e-9 * 1e4);
}

// The third row carries a derivative but its unknown is declared algebraic.
class MislabelledDae : public DenseDae {
 public:
  MislabelledDae() : DenseDae({{"x", true}, {"z", false}}) {}
  void residual(double, std::span<const double> y, std::span<const double> yp,
                std::span<double> out) override {
    out[0] = yp[0] + y[0];
    out[1] = yp[1] + y[1];
  }

 protected:
  void dense_jacobian(double, std::span<const double>, std::span<const double>, double cj,
                      std::vector<std::vector<double>>& j) override {
    j = {{cj + 1.0, 0.0}, {0.0, cj + 1.0}};
  }
};

TEST(SmallSignal, MislabelledUnknownNamed) {
  MislabelledDae system;
  const std::vector<double> zero = {0.0, 0.0};
  try {
    (void)small_signal(system, 0.0, zero, zero);
    FAIL();
  } catch (const LinearisationError& e) {
    EXPECT_EQ(e.unknown(), "circuit.z");
    EXPECT_EQ(e.kind(), ErrorKind::integration);
  }
}

}  // namespace
}  // namespace g2g::dynamic

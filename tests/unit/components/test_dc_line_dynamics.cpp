// Loop inductance of DC cables and busbars against the BICC handbook formula, Grover's
// rectangle GMD and a numerical GMD integration; the R-L loop's Jacobians against differences.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "g2g/components/dc_line_dynamics.hpp"
#include "unit/components/stamp_check.hpp"

namespace g2g::components {
namespace {

constexpr double m_per_mm = 1e-3;

// The loader's default reactances (0.08 mOhm/m cable, 0.15 mOhm/m busbar, per conductor at
// 50 Hz), two conductors in the loop.
TEST(DcLineDynamics, DefaultLoopInductanceFollowsTheDefaultReactance) {
  const double omega = 2.0 * std::numbers::pi * 50.0;
  EXPECT_NEAR(default_loop_inductance_h_per_m(model::LineType::cable), 2.0 * 0.08e-3 / omega,
              1e-18);
  EXPECT_NEAR(default_loop_inductance_h_per_m(model::LineType::cable), 0.5093e-6, 0.0001e-6);
  EXPECT_NEAR(default_loop_inductance_h_per_m(model::LineType::busbar), 0.9549e-6, 0.0001e-6);
  EXPECT_EQ(default_loop_inductance_h_per_m(model::LineType::overhead),
            default_loop_inductance_h_per_m(model::LineType::cable));
}

// BICC Electric Cables Handbook: L = K + 0.2 ln(2S/d) mH/km per conductor, K = 0.0500 for a
// solid conductor; the loop has two. 240 mm2 (d = 17.48 mm) at S = 20.88 mm.
TEST(DcLineDynamics, RoundPairMatchesTheBiccHandbook) {
  const double d = std::sqrt(4.0 * 240e-6 / std::numbers::pi);
  const double s = d + 2.0 * 1.7 * m_per_mm;
  const double bicc_mh_per_km = 0.0500 + 0.2 * std::log(2.0 * s / d);
  EXPECT_NEAR(round_pair_loop_inductance_h_per_m(d / 2.0, s), 2.0 * bicc_mh_per_km * 1e-6,
              1e-6 * 2.0 * bicc_mh_per_km * 1e-6);
  // Stranded (61 wires and over, K = 0.0514) differs from solid by 3 %, a bound on the model.
  const double stranded = 2.0 * (0.0514 + 0.2 * std::log(2.0 * s / d)) * 1e-6;
  EXPECT_NEAR(round_pair_loop_inductance_h_per_m(d / 2.0, s), stranded, 0.03 * stranded);
  // 0.448 uH/m, near the 0.509 uH/m cable default (docs/algorithms/dae.md).
  EXPECT_NEAR(round_pair_loop_inductance_h_per_m(d / 2.0, s), 0.4483e-6, 0.0001e-6);
}

// ln(GMD) between a w x t rectangle and its copy moved by (dx, dy), as the mean of ln(distance)
// over nx x ny midpoint grids in each. For the self GMD (no move) the second grid is offset by a
// quarter cell so that no two points coincide (the log singularity is integrable).
double log_gmd(double w, double t, double dx, double dy, int nx, int ny) {
  const bool self = dx == 0.0 && dy == 0.0;
  const double ox = self ? 0.25 : 0.5, oy = self ? 0.75 : 0.5;
  double sum = 0.0;
  for (int a = 0; a < nx; ++a)
    for (int b = 0; b < ny; ++b) {
      const double x1 = (a + 0.5) / nx * w, y1 = (b + 0.5) / ny * t;
      for (int c = 0; c < nx; ++c)
        for (int d = 0; d < ny; ++d) {
          const double x2 = dx + (c + ox) / nx * w, y2 = dy + (d + oy) / ny * t;
          sum += 0.5 * std::log((x1 - x2) * (x1 - x2) + (y1 - y2) * (y1 - y2));
        }
    }
  return sum / (static_cast<double>(nx) * ny * nx * ny);
}

// Loop inductance of two identical bars: (mu0 / pi) (ln GMD_mutual - ln GMD_self), numerically.
double numeric_bar_pair_h_per_m(double w, double t, double dx, double dy, int nx, int ny) {
  return mu0_h_per_m / std::numbers::pi *
         (log_gmd(w, t, dx, dy, nx, ny) - log_gmd(w, t, 0.0, 0.0, nx, ny));
}

// Grover's self GMD of a rectangle, 0.2235 (w + t), against the numerical one.
TEST(DcLineDynamics, RectangleSelfGmd) {
  const double w = 100 * m_per_mm, t = 10 * m_per_mm;
  EXPECT_NEAR(0.2235 * (w + t), std::exp(log_gmd(w, t, 0.0, 0.0, 60, 12)),
              0.001 * 0.2235 * (w + t));
}

// Two 100 x 10 mm bars side by side, centre spacing 200 and 300 mm (2 and 3 widths): taking the
// mutual GMD as the centre spacing puts the formula 1.1 % and 0.4 % above the 2-D value.
TEST(DcLineDynamics, BusbarPairMatchesNumericalGmd) {
  const struct {
    double spacing_m, tolerance;
  } cases[] = {{200 * m_per_mm, 0.015}, {300 * m_per_mm, 0.005}};
  for (const auto& c : cases) {
    const double formula =
        busbar_pair_loop_inductance_h_per_m(100 * m_per_mm, 10 * m_per_mm, c.spacing_m);
    const double numeric =
        numeric_bar_pair_h_per_m(100 * m_per_mm, 10 * m_per_mm, c.spacing_m, 0.0, 60, 12);
    EXPECT_NEAR(formula, numeric, c.tolerance * numeric) << "spacing " << c.spacing_m;
    EXPECT_GT(formula, numeric);
  }
}

// Laminated pair: 200 mm wide, 3 mm thick, 2 mm gap, stacked (w = 40 (s + t)). Neglecting the
// edge fringing puts the formula 5.3 % above the 2-D value here.
TEST(DcLineDynamics, LaminatedBusbarMatchesNumericalGmd) {
  const double w = 200 * m_per_mm, t = 3 * m_per_mm, gap = 2 * m_per_mm;
  const double formula = laminated_busbar_loop_inductance_h_per_m(w, t, gap);
  EXPECT_NEAR(formula, mu0_h_per_m * (gap + 2.0 * t / 3.0) / w, 1e-20);
  const double numeric = numeric_bar_pair_h_per_m(w, t, 0.0, t + gap, 200, 8);
  EXPECT_NEAR(formula, numeric, 0.06 * numeric);
  EXPECT_GT(formula, numeric);  // fringing only lowers it
  RecordProperty("laminated_formula_over_2d", std::to_string(formula / numeric));
}

TEST(DcLineDynamics, RlLoopJacobians) {
  const RlLoop loop{0.012, 5.1e-6};
  checks::expect_jacobians_match_differences<3>(
      [&](const std::array<double, 3>& x) { return rl_loop_stamp(loop, x); }, {800.0, 795.0, 410.0},
      "rl_loop");
}

// At steady state (di/dt = 0) the loop is Ohm's law: F(i) = 0 at i = dv / R.
TEST(DcLineDynamics, RlLoopSteadyStateIsOhmsLaw) {
  const RlLoop loop{0.02, 1e-6};
  const auto s = rl_loop_stamp(loop, {800.0, 796.0, 4.0 / 0.02});
  EXPECT_NEAR(s.f[2], 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(s.f[0], -s.f[1]);
  EXPECT_DOUBLE_EQ(rl_loop_energy_j(loop, 200.0), 0.5 * 1e-6 * 200.0 * 200.0);
}

}  // namespace
}  // namespace g2g::components

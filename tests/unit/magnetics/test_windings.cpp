// Winding AC resistance (Dowell) and Fourier harmonics against series and limits derived here.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "g2g/magnetics/magnetics.hpp"

namespace g2g::magnetics {
namespace {

constexpr double rho_cu_20c = 1.7241e-8;  // IEC 60287-1-1 Table 1 (annealed copper, 20 °C)
constexpr double mu0 = 4e-7 * std::numbers::pi;

// The frequency at which a layer of thickness h has Δ = h/δ = delta.
double f_for_delta(double h_m, double delta) {
  const double skin_m = h_m / delta;
  return rho_cu_20c / (std::numbers::pi * mu0 * skin_m * skin_m);
}

TEST(Windings, SkinDepthOfCopper) {
  // δ = sqrt(ρ / (π f μ0)): 0.209 mm at 100 kHz, 2.09 mm at 1 kHz (textbook values ~0.21 mm).
  EXPECT_NEAR(skin_depth_m(rho_cu_20c, 100e3), 0.20898e-3, 0.00002e-3);
  EXPECT_NEAR(skin_depth_m(rho_cu_20c, 1e3) / skin_depth_m(rho_cu_20c, 100e3), 10.0, 1e-9);
}

TEST(Windings, DowellTendsToOneAtLowFrequency) {
  const double h_m = 0.1e-3;
  EXPECT_EQ(dowell_factor(h_m, 5, rho_cu_20c, 0.0), 1.0);
  // At 1 Hz, δ = 66 mm, Δ = 1.5e-3 and F_R - 1 = (5·25 - 1) Δ⁴ / 45 ≈ 1.4e-11.
  EXPECT_NEAR(dowell_factor(h_m, 5, rho_cu_20c, 1.0), 1.0, 1e-10);
  // Low-frequency series F_R = 1 + (5m² - 1) Δ⁴ / 45 (expansion of Dowell's expression), on
  // both sides of the library's switch from the series to the full formula (Δ = 0.01).
  for (const int layers : {1, 3, 10}) {
    for (const double delta : {0.005, 0.02, 0.1}) {
      const double expected = 1.0 + (5.0 * layers * layers - 1.0) * std::pow(delta, 4) / 45.0;
      const double excess = expected - 1.0;
      const double f_r = dowell_factor(h_m, layers, rho_cu_20c, f_for_delta(h_m, delta));
      // The next term is O(Δ⁸ m⁴); relative to the Δ⁴ excess it is below 1e-2 here, except
      // where cancellation in the full formula limits precision to ~1e-16 / excess.
      EXPECT_NEAR(f_r - 1.0, excess, 1e-2 * excess + 1e-14) << layers << " " << delta;
    }
  }
}

TEST(Windings, DowellHighFrequencyAsymptote) {
  // Δ ≫ 1: F_R → Δ (2m² + 1) / 3.
  const double h_m = 1e-3;
  for (const int layers : {1, 2, 6}) {
    for (const double delta : {25.0, 60.0}) {
      const double f_r = dowell_factor(h_m, layers, rho_cu_20c, f_for_delta(h_m, delta));
      EXPECT_NEAR(f_r / (delta * (2.0 * layers * layers + 1.0) / 3.0), 1.0, 1e-9);
    }
  }
}

TEST(Windings, DowellEqualsTheAverageOfPerLayerLosses) {
  // Erickson & Maksimović, Fundamentals of Power Electronics (2nd ed., §13.4): the loss of layer
  // m relative to its DC loss is φ [G1 (2m² - 2m + 1) - 4 m (m - 1) G2] with
  // G1 = (sinh 2φ + sin 2φ) / (cosh 2φ - cos 2φ) and
  // G2 = (sinh φ cos φ + cosh φ sin φ) / (cosh 2φ - cos 2φ). Averaged over M layers this must be
  // Dowell's F_R: an independent algebraic route (different functions, same physics).
  const double h_m = 0.2e-3;
  for (const int layers : {1, 2, 4, 8}) {
    for (const double phi : {0.3, 1.0, 2.0, 5.0}) {
      const double g1 =
          (std::sinh(2 * phi) + std::sin(2 * phi)) / (std::cosh(2 * phi) - std::cos(2 * phi));
      const double g2 = (std::sinh(phi) * std::cos(phi) + std::cosh(phi) * std::sin(phi)) /
                        (std::cosh(2 * phi) - std::cos(2 * phi));
      double sum = 0.0;
      for (int m = 1; m <= layers; ++m) {
        sum += phi * (g1 * (2.0 * m * m - 2.0 * m + 1.0) - 4.0 * m * (m - 1.0) * g2);
      }
      const double expected = sum / layers;
      const double f_r = dowell_factor(h_m, layers, rho_cu_20c, f_for_delta(h_m, phi));
      EXPECT_NEAR(f_r, expected, 1e-9 * expected) << layers << " layers, phi " << phi;
    }
  }
}

TEST(Windings, PorosityScalesDelta) {
  // Δ = (h/δ) √η: porosity 0.25 at frequency f equals porosity 1 at f/4 (δ ∝ 1/√f).
  const double h_m = 0.3e-3;
  EXPECT_NEAR(dowell_factor(h_m, 4, rho_cu_20c, 400e3, 0.25),
              dowell_factor(h_m, 4, rho_cu_20c, 100e3, 1.0), 1e-12);
  const DowellLayer layer = round_wire_layer(1e-3, 10, 20e-3);
  EXPECT_NEAR(layer.h_m, 1e-3 * std::sqrt(std::numbers::pi) / 2.0, 1e-15);
  EXPECT_NEAR(layer.porosity, 10 * layer.h_m / 20e-3, 1e-15);
}

TEST(Harmonics, SquareWaveSeries) {
  // ±A square wave: odd harmonics of RMS 4A / (nπ √2), even ones zero.
  const double amplitude_a = 10.0;
  const double period_s = 1e-5;
  const std::vector<FluxPoint> square = {{0.0, amplitude_a},
                                         {period_s / 2, amplitude_a},
                                         {period_s / 2, -amplitude_a},
                                         {period_s, -amplitude_a}};
  const auto rms = harmonic_rms_a(square, period_s, 25);
  ASSERT_EQ(rms.size(), 25u);
  for (int n = 1; n <= 25; ++n) {
    const double expected =
        n % 2 == 1 ? 4.0 * amplitude_a / (n * std::numbers::pi * std::numbers::sqrt2) : 0.0;
    EXPECT_NEAR(rms[n - 1], expected, 1e-9 * amplitude_a) << "n = " << n;
  }
}

TEST(Harmonics, TriangleSeriesAndParseval) {
  // ±A triangle: odd harmonics of amplitude 8A / (π² n²). Sum of squares → A²/3 (Parseval).
  const double amplitude_a = 3.0;
  const double period_s = 2e-6;
  const auto triangle = triangle_flux(period_s, 2.0 * amplitude_a);
  const auto rms = harmonic_rms_a(triangle, period_s, 199);
  double sum_squares = 0.0;
  for (int n = 1; n <= 199; ++n) {
    const double peak =
        n % 2 == 1 ? 8.0 * amplitude_a / (std::numbers::pi * std::numbers::pi * n * n) : 0.0;
    EXPECT_NEAR(rms[n - 1], peak / std::numbers::sqrt2, 1e-9 * amplitude_a) << "n = " << n;
    sum_squares += rms[n - 1] * rms[n - 1];
  }
  // The tail beyond n = 199 holds < 1e-8 of the power.
  EXPECT_NEAR(sum_squares, amplitude_a * amplitude_a / 3.0, 1e-7 * amplitude_a * amplitude_a);
}

TEST(Harmonics, TimeShiftChangesNoMagnitude) {
  const std::vector<FluxPoint> a = {{0.0, 0.0}, {2e-6, 5.0}, {3e-6, 5.0}, {7e-6, -1.0}};
  std::vector<FluxPoint> b = a;
  for (FluxPoint& point : b) point.t_s += 1.3e-6;
  const auto rms_a = harmonic_rms_a(a, 10e-6, 10);
  const auto rms_b = harmonic_rms_a(b, 10e-6, 10);
  for (std::size_t n = 0; n < rms_a.size(); ++n) EXPECT_NEAR(rms_a[n], rms_b[n], 1e-12);
}

TEST(Windings, LossSumsHarmonicsWithDowell) {
  const double r_dc_ohm = 0.01;
  const std::vector<double> harmonics = {5.0, 0.0, 1.0};
  // At 0.01 Hz (Δ ≤ 1.3e-3 up to the third harmonic, F_R - 1 < 1e-11): loss = R_dc (I_dc² + Σ
  // I_n²).
  EXPECT_NEAR(winding_loss_w(r_dc_ohm, 2.0, harmonics, 0.01, 0.5e-3, 4, rho_cu_20c),
              r_dc_ohm * (4.0 + 25.0 + 1.0), 1e-11);
  // At 100 kHz each harmonic carries its own factor.
  const double f_hz = 100e3;
  const double expected = r_dc_ohm * (4.0 + 25.0 * dowell_factor(0.5e-3, 4, rho_cu_20c, f_hz) +
                                      1.0 * dowell_factor(0.5e-3, 4, rho_cu_20c, 3 * f_hz));
  EXPECT_NEAR(winding_loss_w(r_dc_ohm, 2.0, harmonics, f_hz, 0.5e-3, 4, rho_cu_20c), expected,
              1e-12 * expected);
}

TEST(Capacitors, EsrLoss) {
  EXPECT_DOUBLE_EQ(capacitor_loss_w(12.0, 2e-3), 0.288);
}

}  // namespace
}  // namespace g2g::magnetics

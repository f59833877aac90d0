// The utility's Thevenin impedance against hand calculations, and the frequency model's
// Jacobians and steady state.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>

#include "g2g/components/utility_source.hpp"
#include "g2g/core/error.hpp"
#include "unit/components/stamp_check.hpp"

namespace g2g::components {
namespace {

// 500 MVA at 34.5 kV, X/R = 10, 60 Hz, 100 MVA base, by hand:
// |Z| = 34500^2 / 500e6 = 2.38050 ohm; R = 2.38050 / sqrt(101) = 0.2368686 ohm;
// X = 2.368686 ohm; L = 2.368686 / (2 pi 60) = 6.283135 mH; z_pu = 100 / 500 = 0.2, so
// r_pu = 0.2 / sqrt(101) = 0.0199007, x_pu = 0.199007.
TEST(UtilitySource, TheveninMatchesHandCalculation) {
  const TheveninImpedance z = thevenin_impedance(500e6, 10.0, 34.5e3, 60.0, 100e6);
  EXPECT_NEAR(z.r_ohm, 0.2368686, 1e-7);
  EXPECT_NEAR(z.x_ohm, 2.368686, 1e-6);
  EXPECT_NEAR(z.l_h, 6.283135e-3, 1e-9);
  EXPECT_NEAR(z.r_pu, 0.0199007, 1e-7);
  EXPECT_NEAR(z.x_pu, 0.199007, 1e-6);
  EXPECT_NEAR(std::hypot(z.r_ohm, z.x_ohm), 34.5e3 * 34.5e3 / 500e6, 1e-12);
  // X/R = 0: purely resistive.
  const TheveninImpedance r = thevenin_impedance(1e9, 0.0, 13.8e3, 50.0, 100e6);
  EXPECT_NEAR(r.r_ohm, 13.8e3 * 13.8e3 / 1e9, 1e-12);
  EXPECT_EQ(r.x_ohm, 0.0);
}

TEST(UtilitySource, TheveninRejectsNonPositiveData) {
  try {
    (void)thevenin_impedance(0.0, 10.0, 34.5e3, 60.0, 100e6);
    FAIL() << "no error";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.subject(), "short_circuit_power");
  }
  EXPECT_THROW((void)thevenin_impedance(500e6, -1.0, 34.5e3, 60.0, 100e6), InvalidInput);
}

TEST(UtilitySource, FrequencyModelJacobians) {
  const FrequencyModel model{4.0, 0.05, 0.5, 1.0};
  checks::expect_jacobians_match_differences<2>(
      [&](const std::array<double, 2>& x) { return frequency_model_stamp(model, 0.1, x).stamp; },
      {-0.003, 0.05}, "frequency model");
  const auto s = frequency_model_stamp(model, 0.1, {0.0, 0.0});
  const auto s2 = frequency_model_stamp(model, 0.1 + 1e-6, {0.0, 0.0});
  EXPECT_NEAR((s2.stamp.f[0] - s.stamp.f[0]) / 1e-6, s.df_ddp_e[0], 1e-9);
  EXPECT_NEAR((s2.stamp.f[1] - s.stamp.f[1]) / 1e-6, s.df_ddp_e[1], 1e-9);
}

// A 0.1 pu load step: the frequency settles at -0.1 / (D + 1/R) = -0.1 / 21 pu.
TEST(UtilitySource, FrequencyModelSettlesAtDroopDeviation) {
  const FrequencyModel model{4.0, 0.05, 0.5, 1.0};
  std::array<double, 2> x{0.0, 0.0};
  const double h = 1e-3;
  for (int k = 0; k < 60000; ++k) {
    const auto s = frequency_model_stamp(model, 0.1, x).stamp;
    for (int j = 0; j < 2; ++j) x[j] -= h * s.f[j] / s.dq_dx[j][j];
  }
  EXPECT_NEAR(x[0], -0.1 / 21.0, 1e-9);
  EXPECT_NEAR(x[1], 0.1 * 20.0 / 21.0, 1e-9);
}

// The Thevenin source's stamp: its Jacobian against central differences, and the EMF that
// delivers a given power at a given terminal voltage, checked by the power it then delivers and
// by hand: S = 0.5 + 0.1j pu at V = 1 pu through z = 0.01 + 0.1j gives
// E = 1 + (0.01 + 0.1j)(0.5 - 0.1j) = 1.015 + 0.049j.
TEST(UtilitySource, TheveninSourceStampAndEmf) {
  const std::complex<double> z{0.01, 0.1};
  const std::complex<double> e = thevenin_emf_pu(z, {1.0, 0.0}, {0.5, 0.1});
  EXPECT_NEAR(e.real(), 1.015, 1e-15);
  EXPECT_NEAR(e.imag(), 0.049, 1e-15);
  const TheveninSource source{e, z};
  const std::complex<double> s = thevenin_power_pu(source, 0.0, 1.0);
  EXPECT_NEAR(s.real(), 0.5, 1e-14);
  EXPECT_NEAR(s.imag(), 0.1, 1e-14);
  // The stamp's rows are the node's balances: minus the delivered power.
  const auto at_rest = thevenin_source_stamp(source, {0.0, 1.0});
  EXPECT_NEAR(at_rest.f[0], -0.5, 1e-14);
  EXPECT_NEAR(at_rest.f[1], -0.1, 1e-14);
  checks::expect_jacobians_match_differences<2>(
      [&](const std::array<double, 2>& x) { return thevenin_source_stamp(source, x); },
      {-0.05, 0.97}, "Thevenin source");
}

}  // namespace
}  // namespace g2g::components

// src/g2g/fab against results no one here wrote: Timoshenko's bimetal curvature (1925) for the
// two-layer plate, Hopcroft et al.'s (111) biaxial modulus of silicon (229 GPa, 2010), and Yim &
// Paff's measured mean expansion of silicon over 20-800 C (3.6e-6 /K, 1974) for Okada &
// Tokumaru's fit. docs/validation.md § Wafer manufacturing.
#include <gtest/gtest.h>

#include <cmath>

#include "g2g/fab/bow.hpp"
#include "g2g/fab/materials.hpp"

namespace g2g::fab {
namespace {

// S. Timoshenko, "Analysis of bi-metal thermostats", J. Opt. Soc. Am. 11, 233 (1925):
// 1/rho = 6 (1 + m)^2 de / (h (3 (1 + m)^2 + (1 + m n)(m^2 + 1/(m n)))), m = h1/h2, n = E1/E2,
// h = h1 + h2 (here with biaxial moduli, the plate form of the same balance).
double timoshenko_curvature(double h1, double e1, double h2, double e2, double mismatch) {
  const double m = h1 / h2, n = e1 / e2, h = h1 + h2;
  return 6.0 * (1.0 + m) * (1.0 + m) * mismatch /
         (h * (3.0 * (1.0 + m) * (1.0 + m) + (1.0 + m * n) * (m * m + 1.0 / (m * n))));
}

TEST(FabValidation, BilayerAgainstTimoshenko) {
  // Layer 1 (bottom) shrinks less than layer 2 (top): the top is concave, kappa < 0, and
  // Timoshenko's magnitude uses de = (free strain of 1) - (free strain of 2).
  for (double ratio : {1e-3, 0.1, 0.5, 1.0, 3.0}) {
    const double h1 = 1e-3, h2 = ratio * h1, m1 = 229e9, m2 = 478e9, de = 1.5e-3;
    const LayerMechanics layers[] = {{h1, m1, 0.0}, {h2, m2, -de}};
    const double k = solve_multilayer(layers).curvature_per_m;
    EXPECT_NEAR(-k / timoshenko_curvature(h1, m1, h2, m2, de), 1.0, 1e-10) << ratio;
  }
}

TEST(FabValidation, SiliconBiaxialModulusMatchesHopcroft) {
  const Material* si = find_material(default_materials(), "si");
  ASSERT_NE(si, nullptr);
  EXPECT_NEAR(si->biaxial_modulus_pa / 1e9, 229.0, 0.5);
}

TEST(FabValidation, SiliconMeanExpansionMatchesYimAndPaff) {
  const Material* si = find_material(default_materials(), "si");
  ASSERT_NE(si, nullptr);
  // Two independent measurements: the fit's mean is 3.81e-6 /K (measured, docs/validation.md),
  // 5.7 % above Yim & Paff's 3.6e-6. The bound is the sources' own spread, not a fit: Okada &
  // Tokumaru give +-0.2e-6 /K for their points about the fit, Yim & Paff quote two digits
  // (+-0.05e-6).
  const double mean_per_k = thermal_strain(si->cte, 20.0, 800.0) / 780.0;
  EXPECT_NEAR(mean_per_k, 3.6e-6, 0.25e-6);
}

}  // namespace
}  // namespace g2g::fab

// src/g2g/fab: yield identities, gross die (formula and exact count), the multilayer against
// Stoney and at matched CTE, and the wafer SPEC's located diagnostics.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>

#include "g2g/core/error.hpp"
#include "g2g/fab/bow.hpp"
#include "g2g/fab/die_count.hpp"
#include "g2g/fab/materials.hpp"
#include "g2g/fab/wafer_spec.hpp"
#include "g2g/fab/wafer_study.hpp"
#include "g2g/fab/yield.hpp"

namespace g2g::fab {
namespace {

// At small x = A D0 every model is 1 - x to first order; Poisson's second-order term is x^2/2,
// Murphy's 7x^2/12 (((1 - e^-x)/x)^2 = (1 - x/2 + x^2/6)^2 + O(x^3)).
TEST(FabYield, PoissonAndMurphyAtSmallDefectCounts) {
  for (double x : {1e-3, 1e-2, 3e-2}) {
    EXPECT_NEAR(yield_poisson(x), 1.0 - x + x * x / 2.0, x * x * x);
    EXPECT_NEAR(yield_murphy(x), 1.0 - x + 7.0 * x * x / 12.0, x * x * x);
    EXPECT_NEAR(yield_seeds(x), 1.0 - x + x * x, x * x * x);
  }
  EXPECT_DOUBLE_EQ(yield_murphy(0.0), 1.0);
  // Murphy lies between Poisson (pessimistic) and Seeds at every x.
  for (double x : {0.1, 1.0, 5.0}) {
    EXPECT_GT(yield_murphy(x), yield_poisson(x));
    EXPECT_LT(yield_murphy(x), yield_seeds(x));
  }
}

TEST(FabYield, NegativeBinomialLimits) {
  for (double x : {0.05, 0.5, 2.0}) {
    EXPECT_NEAR(yield_negative_binomial(x, 1.0), yield_seeds(x), 1e-15);
    EXPECT_NEAR(yield_negative_binomial(x, 1e9), yield_poisson(x), 1e-8);
  }
}

TEST(FabYield, InverseRecoversTheDefectDensity) {
  const double area_m2 = 10e-6;  // 10 mm2
  for (YieldModel m : every_yield_model) {
    for (double y : {0.5, 0.88, 0.99}) {
      const double d0 = defect_density_for_yield(m, y, area_m2, 2.0);
      EXPECT_NEAR(die_yield(m, d0, area_m2, 2.0), y, 1e-12) << name(m);
    }
    EXPECT_TRUE(std::isnan(defect_density_for_yield(m, 1.0, area_m2, 2.0)));
    EXPECT_TRUE(std::isnan(defect_density_for_yield(m, 0.0, area_m2, 2.0)));
  }
  EXPECT_NEAR(defect_density_for_yield(YieldModel::poisson, 0.88, 1e-4, 2.0),
              -std::log(0.88) / 1e-4, 1e-9);
  EXPECT_DOUBLE_EQ(cost_per_good_die(1000.0, 100.0, 0.5), 20.0);
}

// Hennessy & Patterson's worked example (300 mm wafer, square dies of 1.5 cm and 1.0 cm):
// 270 and 640 dies by the formula.
TEST(FabDieCount, PublishedFormulaCase) {
  const WaferGeometry wafer{0.300, 0.0};
  EXPECT_NEAR(gross_die_formula(wafer, {0.015, 0.015, 0.0}), 270.0, 0.5);
  EXPECT_NEAR(gross_die_formula(wafer, {0.010, 0.010, 0.0}), 640.0, 0.5);
}

// Unit dies in a circle of radius just over sqrt(2): four dies meeting at the centre fit (their
// far corners are at sqrt(2)); a die centred on the wafer leaves room for no neighbour.
TEST(FabDieCount, ExactCountOfAHandCountedCase) {
  const WaferGeometry wafer{2.0 * std::numbers::sqrt2 * (1.0 + 1e-9), 0.0};
  const DieGeometry die{1.0, 1.0, 0.0};
  const DieCount c = count_dies_best(wafer, die, 16);
  EXPECT_EQ(c.corner_centred, 4);
  EXPECT_EQ(c.die_centred, 1);
  EXPECT_EQ(c.best, 4);
  EXPECT_EQ(
      count_dies(WaferGeometry{2.0 * std::numbers::sqrt2 * (1.0 - 1e-6), 0.0}, die, {0.0, 0.0}), 0);
}

TEST(FabDieCount, ExactAgainstFormulaAndArea) {
  const WaferGeometry wafer{0.200, 0.003};
  const DieGeometry die{0.004, 0.0025, 80e-6};
  const DieCount c = count_dies_best(wafer, die, 32);
  const double circle_m2 = std::numbers::pi * 0.25 * std::pow(wafer.usable_diameter_m(), 2);
  EXPECT_LE(static_cast<double>(c.best) * die.area_m2(), circle_m2);
  EXPECT_GE(c.best, c.die_centred);
  EXPECT_GE(c.best, c.corner_centred);
  // The formula is an estimate: within 3 % of the exact count for a die this small.
  EXPECT_NEAR(gross_die_formula(wafer, die) / static_cast<double>(c.best), 1.0, 0.03);
  // Edge exclusion only removes dies.
  EXPECT_LT(c.best, count_dies_best({0.200, 0.0}, die, 32).best);
}

// A 20 um die on a 300 mm wafer: the offset search shrinks to stay fast and says so.
TEST(FabDieCount, TinyDieSearchIsBounded) {
  const DieCount c = count_dies_best({0.300, 0.0}, {20e-6, 20e-6, 0.0}, 64);
  EXPECT_LT(c.offsets_searched, 64 * 64 + 2);
  EXPECT_GE(c.offsets_searched, 3);
  const double area = std::numbers::pi * 0.25 * 0.300 * 0.300 / (20e-6 * 20e-6);
  EXPECT_NEAR(static_cast<double>(c.best) / area, 1.0, 1e-3);
}

// Stoney is the thin-film limit of the multilayer: the relative difference is of order
// 4 (M_f h_f)/(M_s h_s).
TEST(FabBow, MultilayerReducesToStoney) {
  const double m_s = 229e9, m_f = 478e9, h_s = 1e-3, mismatch = 2e-3;
  for (double h_f : {1e-8, 1e-7, 1e-6}) {
    const LayerMechanics layers[] = {{h_s, m_s, 0.0}, {h_f, m_f, -mismatch}};
    const MultilayerResult r = solve_multilayer(layers);
    const double sigma_f = m_f * mismatch;  // on a rigid substrate
    const double k_stoney = stoney_curvature(sigma_f, h_f, m_s, h_s);
    const double ratio = m_f * h_f / (m_s * h_s);
    EXPECT_NEAR(r.curvature_per_m / k_stoney, 1.0, 8.0 * ratio) << h_f;
    EXPECT_NEAR(r.mean_stress_pa[1] / sigma_f, 1.0, 8.0 * ratio) << h_f;
    EXPECT_LT(r.curvature_per_m, 0.0);  // tensile film on top: film side concave
  }
}

TEST(FabBow, MatchedExpansionGivesNoBow) {
  Cte si;
  si.form = Cte::Form::okada_tokumaru_si;
  const double e = thermal_strain(si, 1050.0, 25.0);
  const LayerMechanics layers[] = {{1e-3, 229e9, e}, {2e-6, 478e9, e}, {1e-6, 300e9, e}};
  const MultilayerResult r = solve_multilayer(layers);
  EXPECT_NEAR(r.curvature_per_m, 0.0, 1e-12);
  for (double s : r.mean_stress_pa) EXPECT_NEAR(s, 0.0, 1e-3);
}

// Force balance: the stresses through the thickness integrate to zero, and so does their moment.
TEST(FabBow, MultilayerIsInEquilibrium) {
  const LayerMechanics layers[] = {
      {1e-3, 229e9, -4e-3}, {0.2e-6, 470e9, -5.4e-3}, {2e-6, 478e9, -5.7e-3}};
  const MultilayerResult r = solve_multilayer(layers);
  double force = 0.0;
  for (std::size_t i = 0; i < 3; ++i) force += r.mean_stress_pa[i] * layers[i].thickness_m;
  EXPECT_NEAR(force, 0.0, 1e-9 * std::abs(r.mean_stress_pa[2] * layers[2].thickness_m));
}

TEST(FabBow, ThermalStrainOfSilicon) {
  Cte si;
  si.form = Cte::Form::okada_tokumaru_si;
  // The integral matches a fine midpoint sum of alpha(T).
  double sum = 0.0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) sum += cte_at(si, 25.0 + (1025.0 * (i + 0.5)) / n) * 1025.0 / n;
  EXPECT_NEAR(thermal_strain(si, 25.0, 1050.0), sum, 1e-12);
  EXPECT_NEAR(biaxial_modulus_hexagonal(390, 145, 106, 398), 478.54, 0.01);
}

TEST(FabMaterials, CompiledInLibrary) {
  const auto& m = default_materials();
  for (const char* n : {"si", "gan", "aln", "algan"}) EXPECT_NE(find_material(m, n), nullptr) << n;
  const auto algan = layer_constants(m, *find_material(m, "algan"), 0.5);
  ASSERT_TRUE(algan.has_value());
  EXPECT_NEAR(algan->cte.alpha_per_k, 0.5 * (5.59e-6 + 5.3e-6), 1e-15);
}

constexpr const char* good_spec = R"(name: t
wafer: {diameter: 200 mm, edge_exclusion: 3 mm}
die: {width: 4 mm, height: 2.5 mm, scribe: 80 um}
yield: {defect_density: 0.1 /cm2, alpha: 2, stated_yield: 88 %}
stack:
  growth_temperature: 1050 C
  room_temperature: 25 C
  non_uniformity: 0.5 K
  substrate: {material: si, thickness: 1 mm}
  layers: [{material: algan, al_fraction: 25 %, thickness: 1 um}, {material: gan, thickness: 2 um}]
)";

TEST(FabSpec, ReadsUnitsAndEvaluates) {
  const WaferSpec s = parse_wafer_spec(good_spec, "w.yaml", default_materials());
  EXPECT_DOUBLE_EQ(s.die.scribe_m, 80e-6);
  EXPECT_NEAR(s.d0_per_m2, 1000.0, 1e-9);
  EXPECT_NEAR(s.stack.non_uniformity_k, 0.5, 1e-12);
  EXPECT_NEAR(s.stack.layers[0].al_fraction, 0.25, 1e-15);
  const WaferStudy w = evaluate_wafer(s, default_materials());
  ASSERT_EQ(w.yields.size(), 4u);
  EXPECT_TRUE(w.has_stack);
  EXPECT_LT(w.stack.bow_m, 0.0);
  EXPECT_TRUE(w.has_cte_claim);
}

// The reported flattening growth strain, put back into the SPEC, gives a flat wafer.
TEST(FabSpec, FlatteningGrowthStrainFlattens) {
  WaferSpec s = parse_wafer_spec(good_spec, "w.yaml", default_materials());
  const WaferStudy w = evaluate_wafer(s, default_materials());
  ASSERT_EQ(w.stack.layers.size(), 3u);
  const double strain = w.stack.layers[1].flattening_growth_strain;
  EXPECT_LT(strain, 0.0);  // the buffer must be grown in compression
  s.stack.layers[0].growth_strain += strain;
  const WaferStudy flat = evaluate_wafer(s, default_materials());
  EXPECT_NEAR(flat.stack.bow_m, 0.0, 1e-9 * std::abs(w.stack.bow_m) + 1e-12);
}

std::string errors_of(const std::string& yaml) {
  try {
    (void)parse_wafer_spec(yaml, "bad.yaml", default_materials());
  } catch (const core::ModelError& e) {
    return e.diagnostics().to_string();
  }
  return "no error";
}

TEST(FabSpec, BadInputIsLocated) {
  std::string spec = good_spec;
  // Every problem at once: die larger than the wafer, negative D0, yield 100 %, unknown material.
  spec.replace(spec.find("width: 4 mm"), 11, "width: 300 mm");
  spec.replace(spec.find("0.1 /cm2"), 8, "-0.1 /cm2");
  spec.replace(spec.find("88 %"), 4, "100 %");
  spec.replace(spec.find("material: gan"), 13, "material: gna");
  const std::string all = errors_of(spec);
  EXPECT_NE(all.find("bad.yaml:3:"), std::string::npos) << all;
  EXPECT_NE(all.find("larger than the wafer"), std::string::npos) << all;
  EXPECT_NE(all.find("bad.yaml:4:"), std::string::npos) << all;
  EXPECT_NE(all.find("must not be negative"), std::string::npos) << all;
  EXPECT_NE(all.find("strictly between 0 and 100 %"), std::string::npos) << all;
  EXPECT_NE(all.find("bad.yaml:10:"), std::string::npos) << all;
  EXPECT_NE(all.find("did you mean 'gan'"), std::string::npos) << all;
  EXPECT_NE(all.find("stack: layer 2 'gna'"), std::string::npos) << all;
  // Okada & Tokumaru's silicon fit is not extrapolated past 1500 K.
  spec = good_spec;
  spec.replace(spec.find("1050 C"), 6, "1300 C");
  EXPECT_NE(errors_of(spec).find("CTE fit valid from"), std::string::npos);
  EXPECT_NE(errors_of("wafer: {diameter: 200 mm, edge_exclusion: 3 mm}\ndie: {width: 4 mm, "
                      "height: 2 mm, scribe: 0 mm}\nyield: {defect_density: 0.1, alpha: 2}\n")
                .find("no '/area' unit"),
            std::string::npos);
  EXPECT_NE(errors_of(std::string(good_spec) + "colour: red\n").find("unknown key 'colour'"),
            std::string::npos);
  // An alloy needs its composition.
  spec = good_spec;
  spec.replace(spec.find("al_fraction: 25 %, "), 19, "");
  EXPECT_NE(errors_of(spec).find("needs its composition"), std::string::npos);
}

}  // namespace
}  // namespace g2g::fab

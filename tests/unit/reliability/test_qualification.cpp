// The qualification planner's pieces against closed forms: the chi-squared bound with no failure
// is -ln(1 - CL) / T, accept-on-zero accepts with (1 - p)^n, LTPD of n = 231 at 10 % is
// 1 - 0.1^(1/231), the OC curve of lots in series is the lot's to the power of the lots, and the
// hypergeometric curve tends to the binomial one for a large lot.
#include <gtest/gtest.h>

#include <cmath>

#include "g2g/reliability/acceleration.hpp"
#include "g2g/reliability/qualification.hpp"
#include "g2g/reliability/sampling.hpp"

namespace g2g::reliability {
namespace {

TEST(Sampling, ZeroFailureRateBoundIsMinusLogOfOneMinusConfidence) {
  for (const double cl : {0.6, 0.9, 0.95}) {
    const double t_h = 231.0 * 1000.0 * 77.6;
    EXPECT_NEAR(failure_rate_upper_per_h(0, t_h, cl), -std::log(1.0 - cl) / t_h, 1e-12 / t_h);
  }
}

TEST(Sampling, ChiSquaredBoundGrowsWithEachFailure) {
  // chi2(0.6; 4) / 2 = 2.022 (tabulated 4.045 / 2 in the Freescale note the docs cite).
  EXPECT_NEAR(failure_rate_upper_per_h(1, 1.0, 0.6), 4.045 / 2.0, 1e-3);
  EXPECT_LT(failure_rate_upper_per_h(1, 1e6, 0.6), failure_rate_upper_per_h(2, 1e6, 0.6));
}

TEST(Sampling, AcceptOnZeroIsOneMinusPToTheN) {
  for (const double p : {0.001, 0.01, 0.05})
    EXPECT_NEAR(accept_probability_binomial(231, 0, p), std::pow(1.0 - p, 231), 1e-12);
  // c = 1: (1-p)^n + n p (1-p)^(n-1).
  const double p = 0.02;
  EXPECT_NEAR(accept_probability_binomial(50, 1, p),
              std::pow(1 - p, 50) + 50 * p * std::pow(1 - p, 49), 1e-12);
}

TEST(Sampling, LtpdOf231UnitsIsOnePercent) {
  const double ltpd = defect_fraction_at(231, 0, 1, 0.10);
  EXPECT_NEAR(ltpd, 1.0 - std::pow(0.1, 1.0 / 231.0), 1e-12);
  EXPECT_NEAR(ltpd, 0.0099, 0.0001);
  // Three lots of 77 with accept 0 each are the same plan.
  EXPECT_NEAR(defect_fraction_at(77, 0, 3, 0.10), ltpd, 1e-12);
}

TEST(Sampling, DefectFractionAtInvertsTheOcCurve) {
  for (const int c : {0, 1, 3}) {
    const double p = defect_fraction_at(116, c, 2, 0.95);
    EXPECT_NEAR(std::pow(accept_probability_binomial(116, c, p), 2), 0.95, 1e-9) << c;
  }
}

TEST(Sampling, HypergeometricTendsToBinomialForLargeLots) {
  const double p = 0.02;
  const std::int64_t lot = 1'000'000;
  EXPECT_NEAR(accept_probability_hypergeometric(lot, static_cast<std::int64_t>(p * lot), 45, 1),
              accept_probability_binomial(45, 1, p), 1e-4);
  // A small lot: drawing 45 of 50 with 6 defectives always finds at least one.
  EXPECT_EQ(accept_probability_hypergeometric(50, 6, 45, 0), 0.0);
  // 0 defectives in 50 taken from a lot of 200 with 2 defectives: C(198,50)/C(200,50).
  EXPECT_NEAR(accept_probability_hypergeometric(200, 2, 50, 0), (150.0 * 149.0) / (200.0 * 199.0),
              1e-12);
}

TEST(Sampling, SuccessRunBound) {
  EXPECT_NEAR(failure_probability_upper(231, 0, 0.9), 1.0 - std::pow(0.1, 1.0 / 231.0), 1e-12);
}

TEST(Acceleration, ClosedForms) {
  EXPECT_DOUBLE_EQ(arrhenius_factor(0.7, 125.0, 125.0), 1.0);
  const double inv = 1.0 / (55 + 273.15) - 1.0 / (125 + 273.15);
  EXPECT_NEAR(arrhenius_factor(0.7, 55, 125), std::exp(0.7 / boltzmann_ev_per_k * inv), 1e-9);
  EXPECT_NEAR(peck_factor(0.79, 2.66, 55, 0.6, 85, 0.85),
              std::pow(0.85 / 0.6, 2.66) * arrhenius_factor(0.79, 55, 85), 1e-9);
  EXPECT_NEAR(coffin_manson_factor(2.0, 40.0, 190.0), std::pow(190.0 / 40.0, 2.0), 1e-12);
}

QualificationPlan htol_plan() {
  QualificationPlan plan;
  plan.confidence = 0.6;
  plan.use.temperature_c = 55.0;
  StressPlan s;
  s.name = "HTOL";
  s.kind = StressKind::life;
  s.temperature_c = 125.0;
  s.test_time_s = 1000.0 * 3600.0;
  s.samples = 77;
  s.lots = 3;
  s.accept = 0;
  s.activation_energy_ev = {0.7, "test", "test"};
  plan.stresses.push_back(s);
  return plan;
}

TEST(Qualification, ZeroFailureFitIsTheClosedForm) {
  const auto plan = htol_plan();
  const auto r = evaluate_stress(plan.stresses[0], plan);
  const double af = arrhenius_factor(0.7, 55, 125);
  EXPECT_DOUBLE_EQ(r.acceleration_factor, af);
  EXPECT_EQ(r.units, 231);
  EXPECT_EQ(r.failures, 0);
  EXPECT_NEAR(r.fit_upper, -std::log(0.4) / (231.0 * 1000.0 * af) * 1e9, 1e-9);
  EXPECT_NEAR(r.mttf_lower_h * r.failure_rate_upper_per_h, 1.0, 1e-12);
  EXPECT_NEAR(r.field_hours_per_unit, 1000.0 * af, 1e-9);
  EXPECT_NEAR(r.ltpd, 1.0 - std::pow(0.1, 1.0 / 231.0), 1e-12);
  EXPECT_EQ(r.oc_model, "binomial");
  ASSERT_FALSE(r.oc_curve.empty());
  EXPECT_DOUBLE_EQ(r.oc_curve.front().accept_all, 1.0);
  for (const auto& p : r.oc_curve)
    EXPECT_NEAR(p.accept_all, std::pow(1.0 - p.defect_fraction, 231), 1e-12);
}

TEST(Qualification, WorstPassingResultUsesTheAcceptNumber) {
  auto plan = htol_plan();
  plan.stresses[0].accept = 1;
  const auto worst = evaluate_stress(plan.stresses[0], plan);
  EXPECT_EQ(worst.failures, 3);  // one per lot
  EXPECT_FALSE(worst.failures_observed);
  plan.stresses[0].failures = 0;
  const auto clean = evaluate_stress(plan.stresses[0], plan);
  EXPECT_TRUE(clean.failures_observed);
  EXPECT_LT(clean.fit_upper, worst.fit_upper);
}

TEST(Qualification, CyclingFieldTimeUsesCyclesPerYear) {
  QualificationPlan plan;
  plan.confidence = 0.6;
  plan.use.temperature_swing_k = 40.0;
  plan.use.cycles_per_year = 1000.0;
  StressPlan s;
  s.kind = StressKind::cycling;
  s.temperature_low_c = -40.0;
  s.temperature_high_c = 150.0;
  s.cycles = 1000.0;
  s.samples = 77;
  s.lots = 3;
  s.coffin_manson_exponent = {2.0, "test", "test"};
  const auto r = evaluate_stress(s, plan);
  const double af = std::pow(190.0 / 40.0, 2.0);
  EXPECT_NEAR(r.acceleration_factor, af, 1e-12);
  EXPECT_NEAR(r.field_hours_per_unit / hours_per_year, 1000.0 * af / 1000.0, 1e-9);
}

TEST(Qualification, SmallLotUsesHypergeometric) {
  auto plan = htol_plan();
  plan.stresses[0].samples = 45;
  plan.stresses[0].lots = 1;
  plan.stresses[0].lot_size = 200;
  const auto r = evaluate_stress(plan.stresses[0], plan);
  EXPECT_EQ(r.oc_model, "hypergeometric");
  // Sampling without replacement finds defectives sooner: a lower LTPD than the binomial 4.99 %.
  EXPECT_LT(r.ltpd, defect_fraction_at(45, 0, 1, 0.1));
  // The LTPD is a whole number of defectives in the lot, accepted at most 10 % of the time.
  const auto d = static_cast<std::int64_t>(std::llround(r.ltpd * 200));
  EXPECT_LE(accept_probability_hypergeometric(200, d, 45, 0), 0.1);
  EXPECT_GT(accept_probability_hypergeometric(200, d - 1, 45, 0), 0.1);
}

}  // namespace
}  // namespace g2g::reliability

// Reliability against references no one here wrote (docs/validation.md, "Reliability"):
// - chi-squared values of the failure-rate bound against the table of Freescale's MMA1250D
//   reliability note (60 % and 90 % confidence, 0-3 failures);
// - the Arrhenius factor against the table of an AOS reliability report (Ea 0.7 eV, 150 C
//   stress, 55-130 C use);
// - MIL-PRF-38535 Group C's two options: 45(0) for 1,000 h and 22(0) for 2,000 h;
// - LTPD of 231 units accept-on-zero at 90 % confidence: 1 - 0.1^(1/231), about 0.99 %;
// - a seeded Monte Carlo of failures and repairs against the Markov closed form for series,
//   1-of-2 and 2-of-3 systems, within 3 standard errors.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

#include "g2g/reliability/acceleration.hpp"
#include "g2g/reliability/availability.hpp"
#include "g2g/reliability/qualification.hpp"
#include "g2g/reliability/sampling.hpp"

namespace g2g::reliability {
namespace {

// Freescale MMA1250D data sheet, "Chi-Square Table" (https://pdf.ic37.com/MOTOROLA/
// MMA1250D_datasheet_13449691/MMA1250D_10.html): chi2(CL; 2r + 2), r = 0..3.
TEST(ReliabilityValidation, ChiSquaredTable) {
  const std::array<double, 4> at60{1.833, 4.045, 6.211, 8.351};
  const std::array<double, 4> at90{4.605, 7.779, 10.645, 13.362};
  for (int r = 0; r < 4; ++r) {
    // The bound with T = 0.5 h is chi2 itself; the table has 4 significant digits.
    EXPECT_NEAR(failure_rate_upper_per_h(r, 0.5, 0.6), at60[r], 6e-4 * at60[r]) << r;
    EXPECT_NEAR(failure_rate_upper_per_h(r, 0.5, 0.9), at90[r], 6e-4 * at90[r]) << r;
  }
}

// AOS AO4915 reliability report, section IV "Acceleration Factor ratio list"
// (https://datasheetbank.com/ko/datasheet-html/281943/AOSMD/5page/AO4915L.html): Ea = 0.7 eV,
// stress 150 C, k = 8.617164e-5 eV/K, K = C + 273.16. Its values have 2-3 digits and some are
// truncated (87.8 printed 87, 32.6 printed 32): agreement within 2 %.
TEST(ReliabilityValidation, ArrheniusAgainstPublishedTable) {
  const std::array<std::pair<double, double>, 6> table{
      {{55, 258}, {70, 87}, {85, 32}, {100, 13}, {115, 5.64}, {130, 2.59}}};
  for (const auto& [use_c, af] : table)
    EXPECT_NEAR(arrhenius_factor(0.7, use_c, 150.0), af, 0.02 * af) << use_c;
}

StressPlan life(std::int64_t samples, double hours) {
  StressPlan s;
  s.kind = StressKind::life;
  s.temperature_c = 125.0;
  s.test_time_s = hours * 3600.0;
  s.samples = samples;
  s.lots = 1;
  s.activation_energy_ev = {0.7, "test", "test"};
  return s;
}

// MIL-PRF-38535K Table IV: 45(0) for 1,000 h at 125 C, or 22(0) for 2,000 h "to attain 44,000
// device hours". Same device-hours within 2 %, so nearly the same FIT bound; but half the units
// doubles the LTPD (4.99 % against 9.94 %).
TEST(ReliabilityValidation, MilPrf38535GroupCOptions) {
  QualificationPlan plan;
  plan.confidence = 0.6;
  plan.use.temperature_c = 55.0;
  const auto a = evaluate_stress(life(45, 1000.0), plan);
  const auto b = evaluate_stress(life(22, 2000.0), plan);
  EXPECT_NEAR(b.fit_upper / a.fit_upper, 45000.0 / 44000.0, 1e-12);
  EXPECT_NEAR(a.ltpd, 1.0 - std::pow(0.1, 1.0 / 45.0), 1e-12);
  EXPECT_NEAR(b.ltpd, 1.0 - std::pow(0.1, 1.0 / 22.0), 1e-12);
  EXPECT_NEAR(a.ltpd, 0.0499, 0.0001);
  EXPECT_NEAR(b.ltpd, 0.0994, 0.0001);
}

TEST(ReliabilityValidation, Ltpd231) {
  EXPECT_NEAR(defect_fraction_at(231, 0, 1, 0.1), 0.0099, 0.00005);
}

// Failure rate 0.01 /h and repair rate 0.1 /h per unit (a unit is down 9.1 % of the time), so
// that 200 histories of 2e5 h see thousands of system outages.
struct McCase {
  const char* name;
  std::vector<KOutOfN> stages;
};

TEST(ReliabilityValidation, MonteCarloAgainstMarkov) {
  const double l = 0.01, m = 0.1;
  const std::vector<McCase> cases{
      {"series of 3", {{1, 1, l, m}, {1, 1, 0.5 * l, m}, {1, 1, 2 * l, 2 * m}}},
      {"1-of-2", {{2, 1, l, m}}},
      {"2-of-3", {{3, 2, l, m}}},
      {"1-of-2, one crew", {{2, 1, l, m, 1}}},
  };
  std::uint64_t seed = 20260101;
  for (const auto& c : cases) {
    const double closed = 1.0 - series(c.stages).availability;
    const auto mc = simulate_unavailability(c.stages, {seed++, 200, 2e5});
    EXPECT_LT(std::abs(mc.unavailability - closed), 3.0 * mc.standard_error)
        << c.name << ": Monte Carlo " << mc.unavailability << " +- " << mc.standard_error
        << ", Markov " << closed;
    // The check has teeth: the standard error is a small part of the value.
    EXPECT_LT(mc.standard_error, 0.05 * closed) << c.name;
    RecordProperty(c.name, testing::PrintToString(mc.unavailability) + " +- " +
                               testing::PrintToString(mc.standard_error) + " vs " +
                               testing::PrintToString(closed));
  }
}

}  // namespace
}  // namespace g2g::reliability

// Rainflow counting and power-cycling laws against published worked examples (docs/validation.md,
// "Lifetime"):
// - ASTM E1049-85 (reapproved 2011), Fig. 6 / Table 4 (rainflow counting): the load history
//   -2, 1, -3, 5, -1, 3, -4, 4, -2 counts 0.5 cycle of range 3, 1.5 of 4, 0.5 of 6, 1.0 of 8 and
//   0.5 of 9. The standard is not free; its example is reproduced, with those counts, by the
//   test suite of the `rainflow` Python package (github.com/iamlikeme/rainflow,
//   tests/test_rainflow.py: "Load series and corresponding cycle counts from ASTM E1049-85") and
//   by qats (github.com/dnvgl/qats, test/test_rainflow.py), which also lists each cycle's mean.
// - Norris-Landzberg / Coffin-Manson part for SnPb solder: TI's worked example,
//   (180 K / 50 K)^1.9 = 11.4 (e2e.ti.com thread 730473 on SPRABY2).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <vector>

#include "g2g/reliability/damage.hpp"
#include "g2g/reliability/rainflow.hpp"

namespace g2g::reliability {
namespace {

TEST(RainflowValidation, AstmE1049Example) {
  const std::vector<double> load{-2, 1, -3, 5, -1, 3, -4, 4, -2};
  std::vector<double> t(load.size());
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = static_cast<double>(i);
  std::map<double, double> counts;                      // range -> cycles
  std::map<std::pair<double, double>, double> by_mean;  // (range, mean) -> cycles
  for (const auto& c : rainflow(t, load)) {
    counts[c.range] += c.count;
    by_mean[{c.range, c.mean}] += c.count;
  }
  const std::map<double, double> astm{{3, 0.5}, {4, 1.5}, {6, 0.5}, {8, 1.0}, {9, 0.5}};
  EXPECT_EQ(counts, astm);
  // The means, as qats lists them: range 4 is a full cycle about 1 (-1 to 3) and a half about -1;
  // range 8 two halves about 1 (-3 to 5) and 0 (-4 to 4).
  const std::map<std::pair<double, double>, double> means{
      {{3, -0.5}, 0.5}, {{4, -1.0}, 0.5}, {{4, 1.0}, 1.0}, {{6, 1.0}, 0.5},
      {{8, 0.0}, 0.5},  {{8, 1.0}, 0.5},  {{9, 0.5}, 0.5}};
  EXPECT_EQ(by_mean, means);
}

TEST(RainflowValidation, TiCoffinMansonFactorForSnPb) {
  const CyclingLaw& law = power_cycling_family("snpb-solder").law;
  const double field = coffin_manson_cycles(1.0, law.swing_exponent, 50.0);
  const double test = coffin_manson_cycles(1.0, law.swing_exponent, 180.0);
  EXPECT_NEAR(field / test, 11.4, 0.05);
}

}  // namespace
}  // namespace g2g::reliability

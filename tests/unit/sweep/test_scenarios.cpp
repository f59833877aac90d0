// The scenario generator: grid and zip order and counts, Monte Carlo draws reproducible from a
// seed and equal to the documented formula over std::mt19937_64's outputs, quantiles against
// closed forms, ids stable, overrides round-trip exact.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include <fmt/format.h>

#include "g2g/core/units.hpp"
#include "g2g/sweep/scenarios.hpp"

namespace g2g::sweep {
namespace {

SweptParameter list(std::string name, std::vector<double> values) {
  SweptParameter p;
  p.name = std::move(name);
  p.values = std::move(values);
  return p;
}

SweptParameter drawn(std::string name, Distribution d) {
  SweptParameter p;
  p.name = std::move(name);
  p.distribution = d;
  return p;
}

TEST(SweepScenarios, GridIsTheProductWithTheFirstParameterSlowest) {
  SweepSpec s;
  s.parameters = {list("a", {1, 2}), list("b", {10, 20, 30})};
  const auto rows = value_combinations(s);
  ASSERT_EQ(rows.size(), 6U);
  EXPECT_EQ(rows[0], (std::vector<double>{1, 10}));
  EXPECT_EQ(rows[1], (std::vector<double>{1, 20}));
  EXPECT_EQ(rows[2], (std::vector<double>{1, 30}));
  EXPECT_EQ(rows[3], (std::vector<double>{2, 10}));
  EXPECT_EQ(rows[5], (std::vector<double>{2, 30}));
}

TEST(SweepScenarios, ZipPairsTheIthValues) {
  SweepSpec s;
  s.combine = Combine::zip;
  s.parameters = {list("a", {1, 2, 3}), list("b", {10, 20, 30})};
  const auto rows = value_combinations(s);
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[1], (std::vector<double>{2, 20}));
}

// The standard fixes mt19937_64's output: the 10000th of a default-constructed engine
// ([rand.predef]), so the draws below are the same with every standard library.
TEST(SweepScenarios, MersenneTwisterIsTheStandardOne) {
  std::mt19937_64 engine;
  engine.discard(9999);
  EXPECT_EQ(engine(), 9981545732273789042ULL);
}

TEST(SweepScenarios, UniformDrawsAreTheTop52BitsOfEachOutputPlusAHalf) {
  SweepSpec s;
  s.combine = Combine::monte_carlo;
  s.samples = 5;
  s.seed = 5489;  // std::mt19937_64's default seed
  Distribution unit;
  unit.kind = DistributionKind::uniform;
  unit.min = 0.0;
  unit.max = 1.0;
  s.parameters = {drawn("u", unit)};
  const auto rows = value_combinations(s);
  std::mt19937_64 engine;  // default seed 5489
  ASSERT_EQ(rows.size(), 5U);
  for (const auto& row : rows) {
    const std::uint64_t x = engine();
    EXPECT_EQ(row[0], (static_cast<double>(x >> 12) + 0.5) / 4503599627370496.0);
  }
  EXPECT_EQ(uniform_open(0), 0x1p-53);
  EXPECT_EQ(uniform_open(~std::uint64_t{0}), 1.0 - 0x1p-53);
}

TEST(SweepScenarios, MonteCarloIsReproducibleForASeedAndCrossedWithLists) {
  SweepSpec s;
  s.combine = Combine::monte_carlo;
  s.samples = 50;
  s.seed = 42;
  Distribution normal;
  normal.kind = DistributionKind::normal;
  normal.mean = 100.0;
  normal.sd = 5.0;
  s.parameters = {list("a", {1, 2}), drawn("x", normal)};
  const auto first = value_combinations(s);
  const auto again = value_combinations(s);
  ASSERT_EQ(first.size(), 100U);  // 2 list values x 50 draws
  EXPECT_EQ(first, again);
  // The same draws for each list value (common random numbers).
  for (std::size_t d = 0; d < 50; ++d) {
    EXPECT_EQ(first[d][0], 1.0);
    EXPECT_EQ(first[50 + d][0], 2.0);
    EXPECT_EQ(first[d][1], first[50 + d][1]);
  }
  s.seed = 43;
  const auto other = value_combinations(s);
  EXPECT_NE(first[0][1], other[0][1]);
  double mean = 0.0;
  for (std::size_t d = 0; d < 50; ++d) mean += first[d][1] / 50.0;
  EXPECT_NEAR(mean, 100.0, 3.0);  // 5 sd / sqrt(50) = 0.7: four standard errors
}

TEST(SweepScenarios, QuantilesMatchClosedForms) {
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-15);
  EXPECT_NEAR(normal_quantile(0.5), 0.0, 1e-16);
  EXPECT_NEAR(normal_quantile(0.025), -1.959963984540054, 1e-15);
  EXPECT_NEAR(normal_quantile(0.8413447460685429), 1.0, 1e-12);  // Phi(1)

  Distribution d;
  d.kind = DistributionKind::uniform;
  d.min = 10.0;
  d.max = 30.0;
  EXPECT_EQ(quantile(d, 0.25), 15.0);
  d.kind = DistributionKind::normal;
  d.mean = 100.0;
  d.sd = 10.0;
  EXPECT_NEAR(quantile(d, 0.975), 100.0 + 19.59963984540054, 1e-12);
  d.kind = DistributionKind::lognormal;
  d.median = 30.0;
  d.sigma_log = 0.3;
  EXPECT_NEAR(quantile(d, 0.5), 30.0, 1e-12);
  EXPECT_NEAR(quantile(d, 0.975), 30.0 * std::exp(0.3 * 1.959963984540054), 1e-12);
  d.kind = DistributionKind::triangular;
  d.min = 0.0;
  d.mode = 2.0;
  d.max = 10.0;
  // F(x) = x^2 / 20 below the mode, 1 - (10 - x)^2 / 80 above it.
  EXPECT_NEAR(quantile(d, 0.2), 2.0, 1e-12);
  EXPECT_NEAR(quantile(d, 0.05), 1.0, 1e-12);
  EXPECT_NEAR(quantile(d, 1.0 - 25.0 / 80.0), 5.0, 1e-12);
}

TEST(SweepScenarios, IdsAreFnv1aOfModelAndValues) {
  // FNV-1a 64 test vectors (Fowler, Noll, Vo: the empty string and "a").
  EXPECT_EQ(fnv1a(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a("a"), 0xaf63dc4c8601ec8cULL);
  const std::vector<std::string> names{"rack_power"};
  const std::vector<double> values{130e3};
  const std::string id = scenario_id("model text", names, values);
  EXPECT_EQ(id.size(), 16U);
  EXPECT_EQ(id, fmt::format("{:016x}", fnv1a("\nrack_power=130000", fnv1a("model text"))));
  EXPECT_EQ(id, scenario_id("model text", names, values));
  const std::vector<double> next{130e3 + 1e-9};
  EXPECT_NE(id, scenario_id("model text", names, next));
  EXPECT_NE(id, scenario_id("model text ", names, values));
}

TEST(SweepScenarios, OverridesRoundTripExactly) {
  for (const double v : {0.1, 130e3, 1.5e6, 1.0 / 3.0, 2.5e-7}) {
    const std::string text = override_text(v, core::Dimension::active_power);
    const auto parsed = core::parse_quantity(text, core::Dimension::active_power);
    ASSERT_TRUE(parsed.ok) << text;
    EXPECT_EQ(parsed.value, v) << text;
  }
  EXPECT_EQ(override_text(130e3, core::Dimension::active_power), "130000 W");
  EXPECT_EQ(override_text(0.5, core::Dimension::dimensionless), "0.5");
}

}  // namespace
}  // namespace g2g::sweep

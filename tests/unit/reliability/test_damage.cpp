// The power-cycling laws against their closed forms: Coffin-Manson's ratio (dT1/dT2)^-n,
// Norris-Landzberg's Arrhenius term in T_max, each CIPS 2008 factor on its own, Miner's sum and
// the lifetime it gives, and the package families of data/reliability/power_cycling.yaml.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/core/error.hpp"
#include "g2g/reliability/damage.hpp"

namespace g2g::reliability {
namespace {

TEST(Damage, CoffinMansonRatioIsSwingRatioToTheMinusN) {
  for (const double n : {1.9, 2.0, 5.0}) {
    const double ratio = coffin_manson_cycles(1.0, n, 20.0) / coffin_manson_cycles(1.0, n, 60.0);
    EXPECT_NEAR(ratio, std::pow(20.0 / 60.0, -n), 1e-12 * ratio);
  }
  EXPECT_TRUE(std::isinf(coffin_manson_cycles(1.0, 2.0, 0.0)));
}

TEST(Damage, NorrisLandzbergArrheniusTermInTmax) {
  const double hot = norris_landzberg_cycles(1.0, 1.9, 1414.0, 0.0, 50.0, 125.0, 1.0);
  const double cool = norris_landzberg_cycles(1.0, 1.9, 1414.0, 0.0, 50.0, 75.0, 1.0);
  EXPECT_NEAR(cool / hot, std::exp(1414.0 * (1.0 / 348.15 - 1.0 / 398.15)), 1e-12);
  // The frequency term: N ∝ f^m.
  const double slow = norris_landzberg_cycles(1.0, 1.9, 1414.0, 1.0 / 3.0, 50.0, 75.0, 0.01);
  const double fast = norris_landzberg_cycles(1.0, 1.9, 1414.0, 1.0 / 3.0, 50.0, 75.0, 0.08);
  EXPECT_NEAR(fast / slow, 2.0, 1e-12);
}

CyclingLaw cips_law() {
  CyclingLaw law;
  law.model = CyclingModel::cips2008;
  law.scale = 1e10;
  law.absolute = true;
  law.beta[0] = -4.0;
  law.beta[1] = 1200.0;
  law.beta[2] = -0.5;
  law.beta[3] = -0.7;
  law.beta[4] = -0.8;
  law.beta[5] = -0.5;
  law.current_per_wire_a = 10.0;
  law.voltage_class = 12.0;
  law.wire_diameter_um = 300.0;
  return law;
}

TEST(Damage, Cips2008EachFactorOnItsOwn) {
  const CyclingLaw law = cips_law();
  const double base = cips2008_cycles(law, 50.0, 40.0, 2.0);
  // The full product, written out.
  EXPECT_NEAR(base,
              1e10 * std::pow(50.0, -4.0) * std::exp(1200.0 / 313.0) * std::pow(2.0, -0.5) *
                  std::pow(10.0, -0.7) * std::pow(12.0, -0.8) * std::pow(300.0, -0.5),
              1e-12 * base);
  EXPECT_NEAR(cips2008_cycles(law, 100.0, 40.0, 2.0) / base, std::pow(2.0, -4.0), 1e-12);
  EXPECT_NEAR(cips2008_cycles(law, 50.0, 40.0, 8.0) / base, std::pow(4.0, -0.5), 1e-12);
  EXPECT_NEAR(cips2008_cycles(law, 50.0, 80.0, 2.0) / base,
              std::exp(1200.0 / 353.0 - 1200.0 / 313.0), 1e-12);
  // The dispatcher takes T_min and the heating time from the cycle.
  const RainflowCycle c{50.0, 65.0, 90.0, 40.0, 1.0, 2.0};
  EXPECT_DOUBLE_EQ(cycles_to_failure(law, c), base);
}

TEST(Damage, MinerSumsCountOverCyclesToFailure) {
  CyclingLaw law;
  law.scale = 1e9;
  law.swing_exponent = 2.0;
  // 100 cycles of 30 K and a half cycle of 60 K in a 1000 s profile.
  std::vector<RainflowCycle> cycles(100, RainflowCycle{30.0, 55.0, 70.0, 40.0, 1.0, 5.0});
  cycles.push_back({60.0, 70.0, 100.0, 40.0, 0.5, 500.0});
  const double n30 = 1e9 / 900.0, n60 = 1e9 / 3600.0;
  const MinerResult r = miner(law, cycles, 1000.0);
  EXPECT_NEAR(r.damage, 100.0 / n30 + 0.5 / n60, 1e-15);
  EXPECT_NEAR(r.lifetime_s, 1000.0 / r.damage, 1e-6);
  ASSERT_EQ(r.damage_per_cycle.size(), cycles.size());
  EXPECT_NEAR(r.damage_per_cycle.back(), 0.5 / n60, 1e-18);
  // A profile without swing never wears out.
  const std::vector<RainflowCycle> none{{0.0, 50.0, 50.0, 50.0, 0.5, 1.0}};
  EXPECT_TRUE(std::isinf(miner(law, none, 10.0).lifetime_s));
}

TEST(Damage, EveryFamilyIsSourcedTaggedAndPhysical) {
  const std::set<std::string> tags{"standard", "measurement", "vendor claim", "assumption"};
  ASSERT_FALSE(power_cycling_families().empty());
  for (const CyclingFamily& f : power_cycling_families()) {
    SCOPED_TRACE(f.name);
    EXPECT_TRUE(tags.count(f.tag)) << f.tag;
    EXPECT_GT(f.source.size(), 40u);
    EXPECT_GT(f.law.scale, 0.0);
    if (f.law.model != CyclingModel::cips2008) {
      EXPECT_GT(f.law.swing_exponent, 0.0);
    }
    // No family claims an absolute scale it has no source for.
    if (!f.law.absolute) {
      EXPECT_EQ(f.law.scale, 1.0);
    }
  }
  EXPECT_FALSE(power_cycling_family("gan-chip-scale").law.absolute);
  EXPECT_NEAR(power_cycling_family("snpb-solder").law.swing_exponent, 1.9, 0.0);
}

// A CIPS 2008 family as power_cycling.yaml would give it (illustrative values, the same as
// cips_law()'s), then with one key missing.
std::string cips_family(std::string_view drop = {}) {
  std::string text =
      "grid2gpu_reliability_data: 1\n"
      "families:\n"
      "  - name: test-module\n"
      "    description: a test\n"
      "    model: cips2008\n"
      "    absolute: true\n"
      "    scale: 1e10\n"
      "    beta: [-4.0, 1200, -0.5, -0.7, -0.8, -0.5]\n"
      "    current_per_wire_a: 10\n"
      "    voltage_class_v: 12\n"
      "    wire_diameter_um: 300\n"
      "    tag: assumption\n"
      "    source: a test\n";
  if (!drop.empty()) {
    const auto at = text.find(std::string("    ") + std::string(drop) + ":");
    text.erase(at, text.find('\n', at) + 1 - at);
  }
  return text;
}

TEST(Damage, Cips2008FamilyIsReadWithEveryInputOrRefused) {
  const std::vector<CyclingFamily> read = read_cycling_families(cips_family());
  ASSERT_EQ(read.size(), 1u);
  const CyclingLaw expected = cips_law();
  for (int i = 0; i < 6; ++i) EXPECT_EQ(read[0].law.beta[i], expected.beta[i]) << i;
  EXPECT_EQ(cips2008_cycles(read[0].law, 50.0, 40.0, 2.0),
            cips2008_cycles(expected, 50.0, 40.0, 2.0));
  // Without any one input the law would evaluate with a zero in it: refused, naming the key.
  for (const char* key : {"beta", "current_per_wire_a", "voltage_class_v", "wire_diameter_um"}) {
    try {
      (void)read_cycling_families(cips_family(key));
      ADD_FAILURE() << key;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  }
  // Five exponents, or CIPS keys under another model: refused too.
  std::string five = cips_family();
  five.replace(five.find(", -0.5]"), 7, "]");
  EXPECT_THROW((void)read_cycling_families(five), Error);
  std::string other = cips_family();
  other.replace(other.find("model: cips2008"), 15, "model: coffin_manson");
  EXPECT_THROW((void)read_cycling_families(other), Error);
}

TEST(Damage, UnknownFamilyNamesTheKnownOnes) {
  try {
    (void)power_cycling_family("gan-wlcsp");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_input);
    EXPECT_NE(std::string(e.what()).find("gan-chip-scale"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace g2g::reliability

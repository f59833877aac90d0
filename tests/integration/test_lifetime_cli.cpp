// `grid2gpu lifetime STUDY [--json OUT]`: the headline study runs; per period the floor narrows
// the junction swing and cuts the damage, and burns energy that the case without it does not; the
// damage of the reference case is 1 by definition; every histogram's damage shares sum to 1. A
// bad study exits 2 with its problems located.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace g2g::test {
namespace {

namespace fs = std::filesystem;

TEST(LifetimeCli, RackConverterUnderSwingsWithAndWithoutTheFloor) {
  const fs::path out = scratch_dir("lifetime-cli") / "lifetime.json";
  const fs::path study = source_dir() / "examples" / "lifetime" / "rack-800v-swings.yaml";
  const auto r = grid2gpu(fmt::format("lifetime '{}' --json '{}'", study.string(), out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("relative"), std::string::npos) << r.output;
  std::ifstream in(out);
  const auto json = nlohmann::json::parse(in);
  const auto& cases = json.at("cases");
  ASSERT_EQ(cases.size(), 10u);
  for (std::size_t k = 0; k + 1 < cases.size(); k += 2) {
    const auto& bare = cases.at(k);
    const auto& floor = cases.at(k + 1);
    SCOPED_TRACE(bare.at("name").get<std::string>());
    EXPECT_FALSE(bare.at("floor").get<bool>());
    EXPECT_TRUE(floor.at("floor").get<bool>());
    EXPECT_EQ(bare.at("floor_burn_mwh_per_year_per_rack").get<double>(), 0.0);
    EXPECT_GT(floor.at("floor_burn_mwh_per_year_per_rack").get<double>(), 0.0);
    for (std::size_t p = 0; p < bare.at("positions").size(); ++p) {
      const auto& a = bare.at("positions").at(p);
      const auto& b = floor.at("positions").at(p);
      EXPECT_FALSE(a.at("absolute").get<bool>());  // GaN: no published law
      EXPECT_LT(b.at("largest_swing_k").get<double>(), a.at("largest_swing_k").get<double>());
      EXPECT_LT(b.at("relative_damage").get<double>(), a.at("relative_damage").get<double>());
      double share = 0.0;
      for (const auto& bin : a.at("histogram")) share += bin.at("damage_share").get<double>();
      EXPECT_NEAR(share, 1.0, 1e-9);
    }
  }
  for (const auto& p : cases.at(0).at("positions"))
    EXPECT_DOUBLE_EQ(p.at("relative_damage").get<double>(), 1.0);
}

TEST(LifetimeCli, BadStudyExitsTwoLocated) {
  const fs::path dir = scratch_dir("lifetime-cli-bad");
  const fs::path study = dir / "bad.yaml";
  std::ofstream(study) << "grid2gpu_lifetime: 1\nconverter: x.yaml\nrack_power: -5 kW\n"
                          "converters_per_rack: 12\nduration: 10 s\ntime_step: 1 s\n"
                          "training: {duty: 0.6, high: 1, low: 0.2, rise: 0 s, fall: 0 s}\n"
                          "periods: [1 s]\npackage_families: {GS66516B: gan-discret}\n";
  const auto r = grid2gpu(fmt::format("lifetime '{}'", study.string()));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:3:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("does not resolve"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("gan-discrete"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace g2g::test

// `grid2gpu wafer SPEC`: the shipped example writes JSON and HTML whose numbers agree with the
// closed forms; a bad SPEC exits 2 with every problem located.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace g2g::test {
namespace {

namespace fs = std::filesystem;

TEST(WaferCli, ExampleWritesJsonAndHtml) {
  const fs::path dir = scratch_dir("wafer-cli");
  const fs::path json_path = dir / "w.json";
  const fs::path html_path = dir / "w.html";
  const auto r = grid2gpu(fmt::format("wafer '{}' --json '{}' --html '{}'",
                                      example_path("wafer/gan-on-si-200mm.yaml").string(),
                                      json_path.string(), html_path.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::ifstream in(json_path);
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j.at("grid2gpu_wafer"), 1);
  const auto& counts = j.at("gross_die");
  ASSERT_EQ(counts.size(), 3u);
  for (const auto& c : counts) {
    EXPECT_GE(c.at("exact_best").get<long>(), c.at("exact_die_centred").get<long>());
    EXPECT_NEAR(c.at("formula").get<double>() / c.at("exact_best").get<double>(), 1.0, 0.03);
  }
  // Poisson's inverse is closed form: D0 = -ln(Y) / A.
  const double area_m2 = j.at("die").at("area_m2").get<double>();
  const auto& poisson = j.at("yield").at("models").at(0);
  EXPECT_EQ(poisson.at("model"), "poisson");
  EXPECT_NEAR(poisson.at("d0_for_stated_yield_per_m2").get<double>(), -std::log(0.88) / area_m2,
              1e-6);
  EXPECT_LT(j.at("stack").at("bow_m").get<double>(), 0.0);
  EXPECT_FALSE(j.at("cte_claim").at("nearly_3x").get<bool>());
  std::ifstream html(html_path);
  const std::string page((std::istreambuf_iterator<char>(html)), std::istreambuf_iterator<char>());
  EXPECT_NE(page.find("Gross die per wafer"), std::string::npos);
}

TEST(WaferCli, BadSpecExitsTwoWithLocations) {
  const fs::path spec = scratch_dir("wafer-cli") / "bad.yaml";
  std::ofstream(spec) << "wafer: {diameter: 200 mm, edge_exclusion: 3 mm}\n"
                         "die: {width: 250 mm, height: 2 mm, scribe: 80 um}\n"
                         "yield: {defect_density: -1 /cm2, alpha: 2, stated_yield: 1.5}\n";
  const auto r = grid2gpu(fmt::format("wafer '{}'", spec.string()));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:2:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:3:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("larger than the wafer"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("strictly between 0 and 100 %"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace g2g::test

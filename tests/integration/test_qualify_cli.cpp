// `grid2gpu qualify PLAN [--json OUT]`: the shipped examples run and their JSON carries the
// closed forms (LTPD of 231 units, zero-failure FIT); an impossible plan exits 2 with every
// problem located.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace g2g::test {
namespace {

namespace fs = std::filesystem;

TEST(QualifyCli, JesdStylePlan) {
  const fs::path out = scratch_dir("qualify-cli") / "qual.json";
  const fs::path plan = example_path("qualification/jesd47-style-gan.yaml");
  const auto r = grid2gpu(fmt::format("qualify '{}' --json '{}'", plan.string(), out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("HTOL"), std::string::npos) << r.output;
  std::ifstream in(out);
  const auto json = nlohmann::json::parse(in);
  const auto& htol = json.at("stresses").at(0);
  EXPECT_EQ(htol.at("units"), 231);
  EXPECT_NEAR(htol.at("ltpd").get<double>(), 1.0 - std::pow(0.1, 1.0 / 231.0), 1e-12);
  const double af = htol.at("acceleration_factor").get<double>();
  EXPECT_NEAR(htol.at("fit_upper").get<double>(), -std::log(0.4) / (231.0 * 1000.0 * af) * 1e9,
              1e-9);
  EXPECT_EQ(htol.at("acceleration_model").at("activation_energy_ev").at("tag"), "vendor claim");
  EXPECT_EQ(json.at("stresses").at(3).at("oc_model"), "hypergeometric");
  EXPECT_FALSE(htol.at("oc_curve").empty());
}

// --html: one OC curve chart per stress, with the LTPD and the producer's point marked.
TEST(QualifyCli, HtmlDrawsAnOcCurvePerStress) {
  const fs::path out = scratch_dir("qualify-cli-html") / "qual.html";
  const fs::path plan = example_path("qualification/jesd47-style-gan.yaml");
  const auto r = grid2gpu(fmt::format("qualify '{}' --html '{}'", plan.string(), out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::ifstream in(out);
  const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t charts = 0;
  for (auto at = html.find("aria-label=\"OC curve"); at != std::string::npos;
       at = html.find("aria-label=\"OC curve", at + 1))
    ++charts;
  EXPECT_EQ(charts, 4u);  // the plan's four stresses
  // The 3 x 77 (0) plan's LTPD, 1 - 0.1^(1/231) = 0.992 %, is marked at the consumer's risk.
  // (the apostrophe escaped as the page escapes every text)
  EXPECT_NE(html.find("LTPD 0.992 % (consumer&#39;s risk 10 %)"), std::string::npos);
  EXPECT_NE(html.find("producer&#39;s risk 5 %"), std::string::npos);
}

TEST(QualifyCli, GroupCExampleRuns) {
  const fs::path plan = example_path("qualification/mil-prf-38535-group-c.yaml");
  const auto r = grid2gpu(fmt::format("qualify '{}'", plan.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
}

TEST(QualifyCli, ImpossiblePlanExitsTwoWithEveryProblem) {
  const fs::path dir = scratch_dir("qualify-cli-bad");
  const fs::path plan = dir / "bad.yaml";
  std::ofstream(plan) << R"(grid2gpu_qualification: 1
confidence: 1
use: {temperature: 55 C}
stresses:
  - {name: a, test: life, temperature: 125 C, hours: -5 h, samples: 0, lots: 1, accept: 0}
  - {name: b, test: life, temperature: 125 C, hours: 5 h, samples: 4, lots: 1, accept: 9}
)";
  const auto r = grid2gpu(fmt::format("qualify '{}'", plan.string()));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  for (const char* needle : {"bad.yaml:2:13: error: confidence must be strictly between 0 and 1",
                             "hours must be greater than zero", "samples must be at least 1",
                             "accept number 9 is not below the 4 samples"})
    EXPECT_NE(r.output.find(needle), std::string::npos) << needle << "\n" << r.output;
}

}  // namespace
}  // namespace g2g::test

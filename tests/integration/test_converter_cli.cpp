// `grid2gpu converter SPEC.yaml`: the operating point, the map files, and exit codes.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "support/test_support.hpp"

namespace g2g::test {
namespace {

namespace fs = std::filesystem;

TEST(ConverterCli, PointMapSvgAndCsv) {
  const fs::path dir = scratch_dir("converter-cli");
  const fs::path spec = example_path("converters/cpes-3kw-llc-400v-48v.yaml");
  const auto r =
      grid2gpu(fmt::format("converter '{}' --map --load-steps 5 --svg '{}' --csv '{}'",
                           spec.string(), (dir / "m.svg").string(), (dir / "m.csv").string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Loss breakdown"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Efficiency map"), std::string::npos) << r.output;
  const std::string svg = read_text(dir / "m.svg");
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  // 3 input voltages x 5 load points, plus the header line.
  const std::string csv = read_text(dir / "m.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 16);
}

// Double the on-resistance of the LLC's rectifier part in a user library of the same name: the
// user part replaces the built-in one, and the loss goes up.
TEST(ConverterCli, UserPartsReplaceBuiltInOnes) {
  const fs::path parts = source_dir() / "tests" / "cases" / "user-parts";
  const fs::path spec = example_path("converters/cpes-3kw-llc-400v-48v.yaml");
  const auto built_in = grid2gpu(fmt::format("converter '{}'", spec.string()));
  const auto mine =
      grid2gpu(fmt::format("converter '{}' --devices '{}'", spec.string(), parts.string()));
  ASSERT_EQ(built_in.exit_code, 0) << built_in.output;
  ASSERT_EQ(mine.exit_code, 0) << mine.output;
  auto efficiency = [](const std::string& out) {
    const auto at = out.find("efficiency ");
    return at == std::string::npos ? 0.0 : std::stod(out.substr(at + 11));
  };
  EXPECT_GT(efficiency(built_in.output), efficiency(mine.output)) << built_in.output << mine.output;
}

// The device claims from the CLI: every claim with its two-sided verdict and a range.
TEST(ConverterCli, DeviceClaimsAgainstASiliconPart) {
  const auto spec = example_path("converters/claims-buck-48v-12v.yaml");
  const auto r =
      grid2gpu(fmt::format("converter '{}' --claims-against BSC040N10NS5", spec.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* text : {"10x faster", "50 % lower loss", "70 % smaller", " to "})
    EXPECT_NE(r.output.find(text), std::string::npos) << text << "\n" << r.output;
  EXPECT_EQ(r.output.find("holds"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("-> overstated"), std::string::npos) << r.output;
  const auto bad = grid2gpu(fmt::format("converter '{}' --claims-against NO-PART", spec.string()));
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
}

TEST(ConverterCli, BadSpecAndUnknownPartExitTwo) {
  const fs::path dir = scratch_dir("converter-cli-bad");
  std::ofstream(dir / "bad.yaml") << "converter:\n  name: x\n  topology: buk\n";
  auto r = grid2gpu(fmt::format("converter '{}'", (dir / "bad.yaml").string()));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:3:"), std::string::npos) << r.output;
  r = grid2gpu(fmt::format("converter '{}'", (dir / "missing.yaml").string()));
  EXPECT_EQ(r.exit_code, 2) << r.output;
}

// A chain SPEC prints its stages with their losses; a SPEC naming a file outside its directory
// exits 2 at the path's file:line:col with the fix.
TEST(ConverterCli, ChainPrintsItsStagesAndEscapesAreRefused) {
  const fs::path spec = example_path("converters/psu-ac-54v-5k5.yaml");
  const auto r =
      grid2gpu(fmt::format("converter '{}' --map --load-steps 4 --v-in-span 0", spec.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Chain: rack PSU"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("pfc-230v-400v-5k6-gan.yaml"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("llc-400v-54v-5k5-gan.yaml"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Efficiency map"), std::string::npos) << r.output;

  const fs::path dir = scratch_dir("converter-cli-escape");
  std::ofstream(dir / "chain.yaml") << "chain:\n  stages:\n    - design: ../../etc/passwd\n";
  const auto refused = grid2gpu(fmt::format("converter '{}'", (dir / "chain.yaml").string()));
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("chain.yaml:3:15: error: stage design '../../etc/passwd' leaves"),
            std::string::npos)
      << refused.output;
}

}  // namespace
}  // namespace g2g::test

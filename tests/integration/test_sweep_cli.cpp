// `grid2gpu sweep` end to end: the shipped examples (rows and columns), a sweep with failing
// scenarios, --jobs 1 and 2 byte-identical, a resume after losing parts byte-identical, and the
// exit codes of a bad sweep file and of an output directory with parts but no --resume.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "support/test_support.hpp"

namespace g2g::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string field; std::getline(in, field, ',');) out.push_back(field);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

TEST(SweepCli, RackPowerExampleHasARowPerScenarioAndTheDocumentedColumns) {
  const fs::path dir = scratch_dir("sweep-rack-power");
  const auto r = grid2gpu(fmt::format("sweep {} --out {} --jobs 2 -q",
                                      quoted_example("sweep-rack-power.yaml"), quoted(dir)));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("276 scenarios"), std::string::npos) << r.output;
  const auto rows = lines(read_text(dir / "results.csv"));
  ASSERT_EQ(rows.size(), 277U);  // header + 138 rack powers x 2 architectures
  const auto header = fields(rows[0]);
  const std::vector<std::string> first{"index", "id", "architecture", "rack_power_w",
                                       "end_to_end_efficiency"};
  EXPECT_TRUE(std::equal(first.begin(), first.end(), header.begin())) << rows[0];
  EXPECT_EQ(header.back(), "error_location");
  EXPECT_NE(std::find(header.begin(), header.end(), "claim_b"), header.end());
  const auto last = fields(rows.back());
  EXPECT_EQ(last[0], "275");
  EXPECT_EQ(last[2], "1");
  EXPECT_EQ(last[3], "1500000");
  EXPECT_EQ(lines(read_text(dir / "timing.csv")).size(), 277U);
  // 800 V DC beats the AC baseline end to end at every rack power of the sweep.
  for (std::size_t i = 1; i + 1 < rows.size(); i += 2)
    EXPECT_GT(std::stod(fields(rows[i + 1])[4]), std::stod(fields(rows[i])[4])) << rows[i];
}

TEST(SweepCli, MonteCarloExampleRunsItsDrawsForEachRackPower) {
  const fs::path dir = scratch_dir("sweep-monte-carlo");
  const auto r = grid2gpu(
      fmt::format("sweep {} --out {} -q", quoted_example("sweep-monte-carlo.yaml"), quoted(dir)));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto rows = lines(read_text(dir / "results.csv"));
  ASSERT_EQ(rows.size(), 801U);  // 2 rack powers x 200 draws x 2 architectures
  const auto header = fields(rows[0]);
  EXPECT_EQ(header[4], "mv_cable_length_m");
  EXPECT_EQ(header[5], "feeder_length_m");
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto f = fields(rows[i]);
    const double length_m = std::stod(f[4]);
    EXPECT_GE(length_m, 50.0);  // triangular from 50 m to 600 m
    EXPECT_LE(length_m, 600.0);
    EXPECT_TRUE(f[f.size() - 3].empty()) << rows[i];  // no error
  }
}

TEST(SweepCli, FailingScenariosAreRowsAndTheSweepGoesOn) {
  const fs::path dir = scratch_dir("sweep-failing");
  const fs::path sweep = dir / "failing.yaml";
  // The model stays in examples/ (its design: files are beside it), allowed by --allow-path.
  const fs::path examples = source_dir() / "examples";
  std::ofstream(sweep) << fmt::format(
      "grid2gpu_sweep: 1\nmodels: ['{}']\n"
      "parameters: {{feeder_length: [30 m, -1 m, 200 km]}}\noutputs: [loss_w]\n",
      (examples / "legacy-415vac.yaml").string());
  const auto r = grid2gpu(fmt::format("sweep {} --out {} --allow-path {} -q", quoted(sweep),
                                      quoted(dir / "out"), quoted(examples)));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("2 failed"), std::string::npos) << r.output;
  const auto rows = lines(read_text(dir / "out" / "results.csv"));
  ASSERT_EQ(rows.size(), 4U);
  EXPECT_EQ(fields(rows[1]).size(), 8U);
  EXPECT_FALSE(fields(rows[1])[4].empty());  // 30 m: loss_w
  EXPECT_NE(rows[2].find(",invalid input,"), std::string::npos) << rows[2];
  EXPECT_NE(rows[2].find("legacy-415vac.yaml:"), std::string::npos) << rows[2];
  EXPECT_NE(rows[3].find(",no solution,"), std::string::npos) << rows[3];
}

TEST(SweepCli, JobsAndResumeGiveByteIdenticalResults) {
  const fs::path one = scratch_dir("sweep-jobs-one");
  const fs::path two = scratch_dir("sweep-jobs-two");
  ASSERT_EQ(grid2gpu(fmt::format("sweep {} --out {} --jobs 1 -q",
                                 quoted_example("sweep-rack-power.yaml"), quoted(one)))
                .exit_code,
            0);
  ASSERT_EQ(grid2gpu(fmt::format("sweep {} --out {} --jobs 2 -q",
                                 quoted_example("sweep-rack-power.yaml"), quoted(two)))
                .exit_code,
            0);
  const std::string expected = read_text(one / "results.csv");
  EXPECT_EQ(read_text(two / "results.csv"), expected);

  // Lose every other part and the merged files, as a stop part-way would, then resume.
  std::vector<fs::path> parts;
  for (const auto& entry : fs::directory_iterator(two / "parts")) parts.push_back(entry.path());
  std::sort(parts.begin(), parts.end());
  ASSERT_GE(parts.size(), 2U);
  for (std::size_t i = 0; i < parts.size(); i += 2) fs::remove(parts[i]);
  fs::remove(two / "results.csv");
  fs::remove(two / "timing.csv");
  const auto again = grid2gpu(
      fmt::format("sweep {} --out {} -q", quoted_example("sweep-rack-power.yaml"), quoted(two)));
  EXPECT_EQ(again.exit_code, 2) << again.output;  // parts there, no --resume
  EXPECT_NE(again.output.find("--resume"), std::string::npos) << again.output;
  const auto resumed = grid2gpu(fmt::format("sweep {} --out {} --resume -q",
                                            quoted_example("sweep-rack-power.yaml"), quoted(two)));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("resumed"), std::string::npos) << resumed.output;
  EXPECT_EQ(read_text(two / "results.csv"), expected);
}

TEST(SweepCli, ABadSweepFileIsExitTwoWithItsPlace) {
  const fs::path dir = scratch_dir("sweep-bad");
  const fs::path examples = source_dir() / "examples";
  std::ofstream(dir / "bad.yaml") << fmt::format(
      "grid2gpu_sweep: 1\nmodels: ['{}']\nparameters: {{rack_pwer: [1 MW]}}\n",
      (examples / "800vdc-sst.yaml").string());
  const auto r = grid2gpu(fmt::format("sweep {} --out {} --allow-path {}", quoted(dir / "bad.yaml"),
                                      quoted(dir / "out"), quoted(examples)));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:3:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("did you mean 'rack_power'?"), std::string::npos) << r.output;
  const auto outside =
      grid2gpu(fmt::format("sweep {} --out {}", quoted(dir / "missing.yaml"), quoted(dir / "out")));
  EXPECT_EQ(outside.exit_code, 2) << outside.output;
}

// A SPEC file a base model's converter names (`design:`) is an input too: an output given its
// path is refused before anything runs, and the file is left as it was.
TEST(SweepCli, AnOutputAtAnInputsPathIsRefusedAndTheInputKept) {
  const fs::path dir = scratch_dir("sweep-output-is-input");
  const fs::path examples = source_dir() / "examples";
  fs::copy_file(examples / "54vdc-busway.yaml", dir / "54vdc-busway.yaml",
                fs::copy_options::overwrite_existing);
  fs::copy(examples / "converters", dir / "converters",
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  std::ofstream(dir / "sweep.yaml")
      << "grid2gpu_sweep: 1\nmodels: [54vdc-busway.yaml]\nparameters: {rack_power: [125 kW]}\n";
  const fs::path spec = dir / "converters" / "bus-54v-13v5-epc9149.yaml";
  const std::string before = read_text(spec);
  ASSERT_FALSE(before.empty());
  const auto r = grid2gpu(fmt::format("sweep {} --out {} --html {}", quoted(dir / "sweep.yaml"),
                                      quoted(dir / "out"), quoted(spec)));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("it is an input of this run"), std::string::npos) << r.output;
  EXPECT_EQ(read_text(spec), before);
  EXPECT_FALSE(fs::exists(dir / "out" / "results.csv"));
}

}  // namespace
}  // namespace g2g::test

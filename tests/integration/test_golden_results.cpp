// Every shipped example's results, number by number, against the results recorded in
// tests/data/golden/ before a refactoring: a change of structure must not change an answer.
//
// A deliberate change of results (a model or data fix) re-records them:
//   G2G_UPDATE_GOLDEN=1 ctest --preset release -R GoldenResults
// and the diff of tests/data/golden/ goes into the same commit, where a reviewer sees it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "support/test_support.hpp"

namespace g2g::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Relative tolerance of a number; the absolute floor keeps values that are zero up to rounding
// (a loss of 1e-13 W) from failing on the last bit.
constexpr double relative_tolerance = 1e-12;
constexpr double absolute_floor = 1e-12;

struct GoldenCase {
  std::string name;       // tests/data/golden/<name>.json
  std::string arguments;  // CLI arguments, run from the source directory; {json} is the output
};

// gtest prints a parameter by its name, not its bytes.
// NOLINTNEXTLINE(readability-identifier-naming): gtest finds PrintTo by this name
void PrintTo(const GoldenCase& golden, std::ostream* out) {
  *out << golden.name;
}

std::vector<GoldenCase> golden_cases() {
  return {
      {"study-100mw", "compare examples/study-100mw.yaml --json {json}"},
      {"study-1mw-racks", "compare examples/study-1mw-racks.yaml --json {json}"},
      {"800vdc-gpu-hall", "solve examples/800vdc-gpu-hall.yaml --json {json} --quiet"},
      {"legacy-415vac-small", "solve examples/legacy-415vac-small.yaml --json {json} --quiet"},
      {"physics-48v-rack-shelf",
       "solve examples/physics-48v-rack-shelf.yaml --json {json} --quiet"},
  };
}

// Keys whose values describe the run, not the result (date, commit, command line).
bool describes_run(const std::string& key) {
  return key == "provenance" || key == "solve_seconds";
}

// Collects every difference between `expected` and `actual` below `where` (a JSON pointer).
void compare(const json& expected, const json& actual, const std::string& where,
             std::vector<std::string>& differences) {
  if (differences.size() > 20) return;  // enough to see what moved
  if (expected.is_number() && actual.is_number()) {
    const double e = expected.get<double>();
    const double a = actual.get<double>();
    const double allowed = relative_tolerance * std::max(std::abs(e), std::abs(a)) + absolute_floor;
    if (!(std::abs(e - a) <= allowed) && !(std::isnan(e) && std::isnan(a)))
      differences.push_back(fmt::format("{}: {:.17g} -> {:.17g}", where, e, a));
    return;
  }
  if (expected.type() != actual.type()) {
    differences.push_back(fmt::format("{}: {} -> {}", where, expected.dump(), actual.dump()));
    return;
  }
  if (expected.is_object()) {
    for (const auto& [key, value] : expected.items()) {
      if (describes_run(key)) continue;
      if (!actual.contains(key))
        differences.push_back(fmt::format("{}/{}: missing", where, key));
      else
        compare(value, actual[key], fmt::format("{}/{}", where, key), differences);
    }
    for (const auto& [key, value] : actual.items())
      if (!expected.contains(key) && !describes_run(key))
        differences.push_back(fmt::format("{}/{}: new", where, key));
    return;
  }
  if (expected.is_array()) {
    if (expected.size() != actual.size()) {
      differences.push_back(
          fmt::format("{}: {} entries -> {}", where, expected.size(), actual.size()));
      return;
    }
    for (std::size_t i = 0; i < expected.size(); ++i)
      compare(expected[i], actual[i], fmt::format("{}/{}", where, i), differences);
    return;
  }
  if (expected != actual)
    differences.push_back(fmt::format("{}: {} -> {}", where, expected.dump(), actual.dump()));
}

class GoldenResults : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenResults, SameNumbersAsRecorded) {
  const auto& golden = GetParam();
  const fs::path output = scratch_dir("golden-" + golden.name) / "result.json";
  const std::string arguments = fmt::format(fmt::runtime(golden.arguments),
                                            fmt::arg("json", fmt::format("'{}'", output.string())));
  const auto run = run_command(
      fmt::format("cd '{}' && '{}' {}", source_dir().string(), cli_path().string(), arguments));
  ASSERT_EQ(run.exit_code, 0) << run.output;

  const fs::path recorded = source_dir() / "tests" / "data" / "golden" / (golden.name + ".json");
  if (std::getenv("G2G_UPDATE_GOLDEN") != nullptr) {
    auto document = read_json(output);
    document.erase("provenance");
    if (document.contains("solver")) document["solver"].erase("solve_seconds");
    std::ofstream(recorded) << document.dump(1) << '\n';
    GTEST_SKIP() << "recorded " << recorded;
  }
  ASSERT_TRUE(fs::exists(recorded))
      << recorded << " is missing: record it with G2G_UPDATE_GOLDEN=1 (see the file's header)";

  std::vector<std::string> differences;
  compare(read_json(recorded), read_json(output), "", differences);
  std::string listing;
  for (const auto& difference : differences) listing += "\n  " + difference;
  EXPECT_TRUE(differences.empty()) << golden.name << " differs from " << recorded << ":" << listing;
}

INSTANTIATE_TEST_SUITE_P(ShippedExamples, GoldenResults, ::testing::ValuesIn(golden_cases()),
                         [](const auto& info) {
                           std::string name = info.param.name;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// The comparison itself must be able to fail: a number moved by 1e-9 relative is reported.
TEST(GoldenComparison, ReportsAMovedNumberAndAMissingKey) {
  const json expected = {{"a", 1.0}, {"b", {{"c", 2.0}, {"d", "text"}}}, {"provenance", 1}};
  json actual = expected;
  actual["b"]["c"] = 2.0 * (1.0 + 1e-9);
  actual["b"].erase("d");
  actual["provenance"] = 2;  // ignored
  std::vector<std::string> differences;
  compare(expected, actual, "", differences);
  ASSERT_EQ(differences.size(), 2U);
  EXPECT_NE(differences[0].find("/b/c"), std::string::npos);
  EXPECT_NE(differences[1].find("/b/d: missing"), std::string::npos);

  differences.clear();
  actual = expected;
  actual["b"]["c"] = 2.0 * (1.0 + 1e-14);  // rounding: accepted
  compare(expected, actual, "", differences);
  EXPECT_TRUE(differences.empty());
}

}  // namespace
}  // namespace g2g::test

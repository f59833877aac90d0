// `grid2gpu size` end to end: the shipped examples, the JSON/CSV/sized-model outputs and their
// agreement, re-sizing a sized model, and exit codes for bad arguments.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "support/test_support.hpp"

namespace g2g::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

TEST(SizingCli, LegacyExampleWritesConsistentJsonCsvAndSizedModel) {
  const fs::path dir = scratch_dir("size-legacy");
  const fs::path json_path = dir / "sizing.json";
  const fs::path csv_path = dir / "sizing.csv";
  const fs::path sized = dir / "sized.yaml";
  const auto r = grid2gpu(fmt::format("size {} --json {} --csv {} -o {}",
                                      quoted_example("legacy-415vac-small.yaml"), quoted(json_path),
                                      quoted(csv_path), quoted(sized)));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Totals"), std::string::npos) << r.output;
  // The four rack feeders size alike: one row (their ids are in the JSON and CSV).
  EXPECT_NE(r.output.find("rack[*]/feeder    x 4"), std::string::npos) << r.output;

  const json doc = json::parse(read_text(json_path));
  EXPECT_TRUE(doc.at("stable").get<bool>());
  const auto& lines = doc.at("lines");
  ASSERT_EQ(lines.size(), 4u);
  double copper = 0.0;
  for (const auto& line : lines) {
    EXPECT_EQ(line.at("status"), "sized");
    EXPECT_LE(line.at("current_a").get<double>(), line.at("ampacity_a").get<double>());
    EXPECT_LE(line.at("voltage_drop_pct").get<double>(), 3.0);
    // Three-phase with full neutral and PE: 3 + 1 + 1 conductors.
    EXPECT_EQ(line.at("current_carrying_conductors"), 3);
    EXPECT_EQ(line.at("neutral_conductors"), 1);
    EXPECT_EQ(line.at("pe_conductors"), 1);
    const double area = 4 * line.at("cross_section_m2").get<double>() +
                        line.at("pe_cross_section_m2").get<double>();
    EXPECT_NEAR(line.at("mass_kg").get<double>(), area * line.at("length_m").get<double>() * 8940.0,
                1e-9);
    copper += line.at("mass_kg").get<double>();
  }
  EXPECT_NEAR(doc.at("totals").at("copper_kg").get<double>(), copper, 1e-9);

  // The CSV has a header and one row per line.
  const std::string csv = read_text(csv_path);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);

  // The sized model solves, and sizing it again keeps every size in one pass.
  const auto solved = grid2gpu(fmt::format("solve -q {}", quoted(sized)));
  EXPECT_EQ(solved.exit_code, 0) << solved.output;
  const fs::path again = dir / "again.json";
  const auto resized = grid2gpu(fmt::format("size -q {} --json {}", quoted(sized), quoted(again)));
  ASSERT_EQ(resized.exit_code, 0) << resized.output;
  const json redo = json::parse(read_text(again));
  EXPECT_EQ(redo.at("passes"), 1);
  EXPECT_TRUE(redo.at("stable").get<bool>());
  for (std::size_t i = 0; i < lines.size(); ++i)
    EXPECT_EQ(redo.at("lines")[i].at("cross_section_m2"), lines[i].at("cross_section_m2"));
}

TEST(SizingCli, DcHallSizesBusbarsAndLeavesTheMvCable) {
  const fs::path dir = scratch_dir("size-hall");
  const fs::path json_path = dir / "hall.json";
  const auto r = grid2gpu(fmt::format("size -q {} --ambient 35C --json {}",
                                      quoted_example("800vdc-gpu-hall.yaml"), quoted(json_path)));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json doc = json::parse(read_text(json_path));
  int busbars = 0;
  for (const auto& line : doc.at("lines")) {
    if (line.at("id") == "mv_feeder") {
      EXPECT_EQ(line.at("status"), "not_sized");  // 13.8 kV: outside the LV tables
      continue;
    }
    EXPECT_EQ(line.at("type"), "busbar");
    EXPECT_EQ(line.at("status"), "sized") << line.at("note");
    EXPECT_EQ(line.at("current_carrying_conductors").get<int>(),
              2 * line.at("conductors_per_pole").get<int>() * line.at("parallel_runs").get<int>());
    EXPECT_LE(line.at("loading_pct").get<double>(), 100.0);
    // DC busbars: the DIN 43671 DC rating, with the AC-column rating of the same bars beside it.
    EXPECT_GT(line.at("ampacity_ac_bound_a").get<double>(), 0.0);
    EXPECT_NE(line.at("ampacity_ac_bound_a").get<double>(), line.at("ampacity_a").get<double>());
    ++busbars;
  }
  EXPECT_EQ(busbars, 36);
  EXPECT_EQ(doc.at("options").at("dc_busbar_rating"), "dc_column");

  // The AC column as a sensitivity: every busbar rated (and sized) from it.
  const fs::path ac_path = dir / "hall-ac.json";
  const auto ac = grid2gpu(fmt::format("size {} --ambient 35C --dc-busbar-rating ac --json {}",
                                       quoted_example("800vdc-gpu-hall.yaml"), quoted(ac_path)));
  ASSERT_EQ(ac.exit_code, 0) << ac.output;
  EXPECT_EQ(ac.output.find("AC col."), std::string::npos) << ac.output;  // nothing differs
  const json ac_doc = json::parse(read_text(ac_path));  // the loop below reads into it
  for (const auto& line : ac_doc.at("lines")) {
    if (line.at("status") != "sized") continue;
    EXPECT_EQ(line.at("ampacity_ac_bound_a").get<double>(), line.at("ampacity_a").get<double>());
  }
  EXPECT_NE(grid2gpu(fmt::format("size {}", quoted_example("800vdc-gpu-hall.yaml")))
                .output.find("AC col."),
            std::string::npos);
  EXPECT_GT(doc.at("totals").at("copper_kg").get<double>(),
            doc.at("totals").at("copper_kg_not_sized").get<double>());
}

// A 100 MW hall (50 blocks x 16 racks, 1700 lines) prints a row per template element whose
// lines size alike; --full prints every line.
TEST(SizingCli, LargeModelGroupsTemplateInstances) {
  const auto r = grid2gpu(fmt::format("size {}", quoted_example("legacy-415vac.yaml")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Lines (1700 in "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("block[*]/rack[*]/feeder"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(" x 800 "), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("block[7]/"), std::string::npos) << r.output;
  EXPECT_LT(std::count(r.output.begin(), r.output.end(), '\n'), 40) << r.output;

  const auto full = grid2gpu(fmt::format("size {} --full", quoted_example("legacy-415vac.yaml")));
  ASSERT_EQ(full.exit_code, 0) << full.output;
  EXPECT_NE(full.output.find("Lines (1700)"), std::string::npos);
  EXPECT_NE(full.output.find("block[50]/rack[16]/feeder"), std::string::npos);
  EXPECT_EQ(full.output.find("[*]"), std::string::npos);
}

TEST(SizingCli, ConductorOptionPrintsPowerPerArchitecture) {
  const auto r = grid2gpu(
      fmt::format("size {} --conductor 240mm2", quoted_example("legacy-415vac-small.yaml")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Power per conductor"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("800 V DC"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("+/-400 V DC"), std::string::npos) << r.output;
}

TEST(SizingCli, BadArgumentsExitTwoAndWriteNothing) {
  const fs::path dir = scratch_dir("size-bad");
  const std::string model = quoted_example("legacy-415vac-small.yaml");
  const std::string out = quoted(dir / "out.json");
  const std::vector<std::string> cases = {
      fmt::format("size {} --method Z --json {}", model, out),
      fmt::format("size {} --ambient 30 --json {}", model, out),   // temperature needs a unit
      fmt::format("size {} --ambient 95C --json {}", model, out),  // beyond the XLPE table
      fmt::format("size {} --max-drop 300% --json {}", model, out),
      fmt::format("size {} --conductor 241mm2 --json {}", model, out),  // not a table size
      fmt::format("size {} -o sized.json", model),                      // the model is YAML
      fmt::format("size {} --tables /nonexistent", model),
      fmt::format("size {} --dc-busbar-rating both --json {}", model, out),
      fmt::format("size {}", quoted(dir / "missing.yaml")),
  };
  for (const std::string& args : cases) {
    const auto r = grid2gpu(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
    EXPECT_EQ(r.output.find("internal error"), std::string::npos) << args << "\n" << r.output;
  }
  EXPECT_FALSE(fs::exists(dir / "out.json"));
}

}  // namespace
}  // namespace g2g::test

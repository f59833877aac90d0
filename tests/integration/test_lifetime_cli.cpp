// `grid2gpu lifetime STUDY [--json OUT] [--html OUT]`: the headline study runs under its three
// heatsink sets; per period the floor narrows the junction swing and cuts the damage, and burns
// energy that the case without it does not; the damage of the reference case is 1 by definition;
// every histogram's damage shares sum to 1; the report holds its charts and their data. A bad
// study, or a bad Foster term in a part the SPEC reaches, exits 2 located; a failing run writes
// no output.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace g2g::test {
namespace {

namespace fs = std::filesystem;

// `text` with every `from` replaced by `to`.
std::string replaced_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

TEST(LifetimeCli, RackConverterUnderSwingsWithAndWithoutTheFloor) {
  const fs::path dir = scratch_dir("lifetime-cli");
  const fs::path out = dir / "lifetime.json";
  const fs::path html = dir / "lifetime.html";
  const fs::path study = example_path("lifetime-rack-800v-swings.yaml");
  const auto r = grid2gpu(fmt::format("lifetime '{}' --json '{}' --html '{}'", study.string(),
                                      out.string(), html.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("relative"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("range over the 3 heatsink sets"), std::string::npos) << r.output;
  std::ifstream in(out);
  const auto json = nlohmann::json::parse(in);
  const auto& cases = json.at("cases");
  // 3 heatsink sets x (5 periods + 1 profile) x (without, with the floor).
  ASSERT_EQ(json.at("heatsinks").size(), 3u);
  ASSERT_EQ(cases.size(), 36u);
  for (std::size_t k = 0; k + 1 < cases.size(); k += 2) {
    const auto& bare = cases.at(k);
    const auto& floor = cases.at(k + 1);
    SCOPED_TRACE(bare.at("name").get<std::string>() + ", " +
                 bare.at("heatsink").get<std::string>());
    EXPECT_EQ(bare.at("heatsink"), floor.at("heatsink"));
    EXPECT_FALSE(bare.at("floor").get<bool>());
    EXPECT_TRUE(floor.at("floor").get<bool>());
    EXPECT_EQ(bare.at("floor_burn_mwh_per_year_per_rack").get<double>(), 0.0);
    EXPECT_GT(floor.at("floor_burn_mwh_per_year_per_rack").get<double>(), 0.0);
    for (std::size_t p = 0; p < bare.at("positions").size(); ++p) {
      const auto& a = bare.at("positions").at(p);
      const auto& b = floor.at("positions").at(p);
      EXPECT_FALSE(a.at("absolute").get<bool>());  // GaN: no published law
      // A checkpoint pause from the floor's level is a deeper drop: only the training swings
      // are narrowed, but the floor removes far more cycles than it deepens.
      if (bare.contains("period_s")) {
        EXPECT_LT(b.at("largest_swing_k").get<double>(), a.at("largest_swing_k").get<double>());
      }
      EXPECT_LT(b.at("relative_damage").get<double>(), a.at("relative_damage").get<double>());
      double share = 0.0;
      for (const auto& bin : a.at("histogram")) share += bin.at("damage_share").get<double>();
      EXPECT_NEAR(share, 1.0, 1e-9);
    }
  }
  for (const auto& p : cases.at(0).at("positions"))
    EXPECT_DOUBLE_EQ(p.at("relative_damage").get<double>(), 1.0);
  // The floor burns the same energy under every heatsink set; a slower sink wears less at 0.1 s.
  EXPECT_EQ(cases.at(1).at("floor_burn_mwh_per_year_per_rack"),
            cases.at(12 + 1).at("floor_burn_mwh_per_year_per_rack"));
  EXPECT_LT(cases.at(12).at("positions").at(0).at("relative_damage").get<double>(), 0.1);
  EXPECT_EQ(cases.at(10).at("profile"), "1 s + checkpoint");

  // The report: every chart's canvas and the data they are drawn from.
  std::ifstream page_in(html);
  const std::string page((std::istreambuf_iterator<char>(page_in)),
                         std::istreambuf_iterator<char>());
  EXPECT_NE(page.find("id=\"g2g-lifetime-data\""), std::string::npos);
  EXPECT_NE(page.find("\"grid2gpu_lifetime\":1"), std::string::npos);
  EXPECT_NE(page.find("\"damage_share\""), std::string::npos);
  EXPECT_NE(page.find("id=\"lifetime-summary-1\""), std::string::npos);
  EXPECT_NE(page.find("id=\"lifetime-energy\""), std::string::npos);
  EXPECT_NE(page.find("id=\"lifetime-case-35-1\""), std::string::npos);
  EXPECT_NE(page.find("air sink 60 s"), std::string::npos);
}

// A run that fails writes neither output: here a device of the design has no package family,
// found only when the first case runs.
TEST(LifetimeCli, FailingRunWritesNothing) {
  const fs::path dir = scratch_dir("lifetime-cli-fails");
  std::ifstream in(example_path("lifetime-rack-800v-swings.yaml"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = text.find("  EPC2218: gan-chip-scale");
  ASSERT_NE(at, std::string::npos);
  text.erase(at, text.find('\n', at) - at);
  // The SPEC and the scenario stay in examples/, named by absolute path and allowed.
  const fs::path examples = source_dir() / "examples";
  text = replaced_all(text, "converter: converters/",
                      "converter: " + (examples / "converters").string() + "/");
  std::ofstream(dir / "study.yaml") << replaced_all(
      text, "scenario: scenarios/", "scenario: " + (examples / "scenarios").string() + "/");
  const auto r = grid2gpu(fmt::format("lifetime '{}' --json '{}' --html '{}' --allow-path '{}'",
                                      (dir / "study.yaml").string(), (dir / "out.json").string(),
                                      (dir / "out.html").string(), examples.string()));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("package_families has no entry for EPC2218"), std::string::npos)
      << r.output;
  EXPECT_FALSE(fs::exists(dir / "out.json"));
  EXPECT_FALSE(fs::exists(dir / "out.html"));
}

// A negative Foster term in a part file that the study reaches through its converter SPEC's
// device_library: exit 2 at the part file's line, for `lifetime` and for `converter`.
TEST(LifetimeCli, BadFosterTermInAPartOfTheSpecIsLocated) {
  const fs::path dir = scratch_dir("lifetime-cli-foster");
  fs::create_directories(dir / "converters" / "parts");
  std::ifstream devices_in(source_dir() / "data" / "devices" / "gan_650v.yaml");
  const std::string devices((std::istreambuf_iterator<char>(devices_in)),
                            std::istreambuf_iterator<char>());
  const auto from = devices.find("  - name: GS66516B");
  const auto to = devices.find("  - name: ", from + 1);
  ASSERT_NE(from, std::string::npos);
  std::string part = "parts:\n" + devices.substr(from, to - from);
  const std::string r_th = "    r_th_jc: \"0.3 K/W\"\n";
  const auto after = part.find(r_th);
  ASSERT_NE(after, std::string::npos);
  part.insert(
      after + r_th.size(),
      "    z_th_jc: [{r: \"-0.1 K/W\", tau: \"1 ms\"}, {r: \"0.4 K/W\", tau: \"20 ms\"}]\n");
  const auto line = 1 + std::count(part.begin(), part.begin() + static_cast<long>(after), '\n') + 1;
  std::ofstream(dir / "converters" / "parts" / "gs.yaml") << part;
  std::ifstream llc_in(example_path("converters/llc-400v-54v-5k5-gan.yaml"));
  std::ofstream(dir / "converters" / "llc.yaml") << "device_library: parts\n" << llc_in.rdbuf();
  std::ifstream rack_in(example_path("converters/rack-800v-54v-isop-llc.yaml"));
  const std::string rack((std::istreambuf_iterator<char>(rack_in)),
                         std::istreambuf_iterator<char>());
  std::ofstream(dir / "converters" / "rack.yaml")
      << replaced_all(rack, "design: llc-400v-54v-5k5-gan.yaml", "design: llc.yaml");
  std::ofstream(dir / "study.yaml")
      << "grid2gpu_lifetime: 1\nconverter: converters/rack.yaml\nrack_power: 130 kW\n"
         "converters_per_rack: 12\nwarm_up: 1 s\nduration: 4 s\ntime_step: 5 ms\n"
         "training: {duty: 0.6, high: 1, low: 0.2, rise: 10 ms, fall: 10 ms}\n"
         "periods: [1 s]\npackage_families: {GS66516B: gan-discrete, EPC2218: gan-chip-scale}\n";
  const std::string located = fmt::format("gs.yaml:{}:", line);
  for (const std::string& command :
       {fmt::format("lifetime '{}'", (dir / "study.yaml").string()),
        fmt::format("converter '{}'", (dir / "converters" / "rack.yaml").string())}) {
    const auto r = grid2gpu(command);
    EXPECT_EQ(r.exit_code, 2) << command << "\n" << r.output;
    EXPECT_NE(r.output.find(located), std::string::npos) << located << "\n" << r.output;
    EXPECT_NE(r.output.find("z_th_jc"), std::string::npos) << r.output;
  }
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

// The converter power a time-domain run records is a lifetime profile: simulate writes the rack
// converter's power to CSV, a scenario names that column (rated_power = the study's rack_power),
// and the study's recorded case carries exactly that power: its mean over the counted span is
// the trapezoidal mean of the recorded samples.
TEST(LifetimeCli, PowerRecordedBySimulateIsAProfile) {
  const fs::path dir = scratch_dir("lifetime-cli-recorded");
  const fs::path examples = source_dir() / "examples";
  const std::string column = "row[1]/rack[1]/dcdc800.p";
  write_text(dir / "swings.yaml",
             "grid2gpu_scenario: 1\nduration: 6 s\n"
             "solver: {relative_tolerance: 1e-4, max_step: 10 ms}\n"
             "profiles:\n  - loads: \"row[*]/rack[*]/gpus\"\n"
             "    training: {period: 1 s, duty: 0.6, high: 1.0, low: 0.2, rise: 10 ms, "
             "fall: 10 ms}\n"
             "metrics: {ramp_window: 1 s}\n"
             "record: {signals: [\"" +
                 column + "\"], every: 5 ms}\n");
  const auto simulated = grid2gpu(
      fmt::format("simulate {} --scenario {} --csv {}", quoted(examples / "800vdc-gpu-hall.yaml"),
                  quoted(dir / "swings.yaml"), quoted(dir / "run.csv")));
  ASSERT_EQ(simulated.exit_code, 0) << simulated.output;
  write_text(dir / "recorded.yaml",
             "grid2gpu_scenario: 1\nduration: 6 s\nprofiles:\n"
             "  - loads: \"row[*]/rack[*]/gpus\"\n"
             "    trace: {file: run.csv, column: \"" +
                 column +
                 "\", rated_power: 150 kW}\n"
                 "metrics: {ramp_window: 1 s}\n");
  write_text(dir / "study.yaml",
             "grid2gpu_lifetime: 1\nconverter: " +
                 (examples / "converters" / "rack-800v-54v-isop-llc.yaml").string() +
                 "\nrack_power: 150 kW\nconverters_per_rack: 12\nwarm_up: 1 s\nduration: 4 s\n"
                 "time_step: 5 ms\n"
                 "training: {duty: 0.6, high: 1.0, low: 0.2, rise: 10 ms, fall: 10 ms}\n"
                 "periods: [1 s]\nprofiles: [{name: recorded, scenario: recorded.yaml}]\n"
                 "package_families: {GS66516B: gan-discrete, EPC2218: gan-chip-scale}\n");
  const auto r =
      grid2gpu(fmt::format("lifetime {} --json {} --allow-path {}", quoted(dir / "study.yaml"),
                           quoted(dir / "l.json"), quoted(examples / "converters")));
  ASSERT_EQ(r.exit_code, 0) << r.output;

  // The recorded samples' trapezoidal mean over [1 s, 5 s].
  std::istringstream csv(read_text(dir / "run.csv"));
  std::string line;
  std::getline(csv, line);
  ASSERT_EQ(line, "t_s," + column + " [W]");
  double area = 0.0, t_before = 0.0, p_before = 0.0;
  bool first = true;
  while (std::getline(csv, line)) {
    const double t = std::stod(line.substr(0, line.find(',')));
    const double p = std::stod(line.substr(line.find(',') + 1));
    if (!first && t_before >= 1.0 - 1e-9 && t <= 5.0 + 1e-9)
      area += 0.5 * (p + p_before) * (t - t_before);
    first = false;
    t_before = t;
    p_before = p;
  }
  const auto doc = nlohmann::json::parse(read_text(dir / "l.json"));
  const nlohmann::json* recorded = nullptr;
  for (const auto& c : doc.at("cases"))
    if (c.at("name") == "recorded") recorded = &c;
  ASSERT_NE(recorded, nullptr) << doc.dump(1);
  EXPECT_NEAR(recorded->at("rack_mean_power_w").get<double>(), area / 4.0, 1e-9 * area / 4.0);
  // The recorded swing (about 27 to 133 kW per rack) is a real load cycle for the switches.
  for (const auto& p : recorded->at("positions"))
    EXPECT_GT(p.at("largest_swing_k").get<double>(), 1.0) << p.dump();
}

}  // namespace
}  // namespace g2g::test

// `grid2gpu fault` on the shipped hall. By IEC 61660-1: the JSON's total is the sum of its
// partial peaks, each capacitor's peak follows its own R-L-C path, what the method leaves out is
// listed. In time: one row per DC bus, each with a result or the reason it has none, and the
// single-bus row equal to the sweep's. An unknown bus, an AC bus and a missing resistance exit 2
// with their fix and location.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace g2g::test {
namespace {

namespace fs = std::filesystem;

fs::path hall_model() {
  return example_path("800vdc-gpu-hall.yaml");
}

TEST(FaultCli, CapacitorSourcesAtTheMainBus) {
  const fs::path out = scratch_dir("fault-cli") / "fault.json";
  const auto r = grid2gpu(fmt::format("fault '{}' --bus dc800 --method iec61660 --json '{}'",
                                      hall_model().string(), out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("not covered by this calculation"), std::string::npos) << r.output;
  std::ifstream in(out);
  const auto json = nlohmann::json::parse(in);
  EXPECT_EQ(json.at("bus"), "dc800");
  EXPECT_EQ(json.at("method"), "iec61660");
  const auto& sources = json.at("sources");
  ASSERT_FALSE(sources.empty());
  double sum_a = 0.0;
  for (const auto& s : sources) {
    const double i_p_a = s.at("i_p_a").get<double>();
    EXPECT_GT(i_p_a, 0.0);
    // The peak cannot exceed E / R of its own path (the L = 0 bound of the same discharge).
    const double r_ohm = s.at("esr_ohm").get<double>() + s.at("path_r_ohm").get<double>();
    EXPECT_LE(i_p_a, s.at("e_v").get<double>() / r_ohm * (1.0 + 1e-12));
    sum_a += i_p_a;
  }
  EXPECT_NEAR(json.at("total").at("sum_of_peaks_a").get<double>(), sum_a, 1e-9 * sum_a);
  EXPECT_FALSE(json.at("method_limits").empty());
}

TEST(FaultCli, UnknownBusSaysWhichWasMeant) {
  const auto r =
      grid2gpu(fmt::format("fault '{}' --bus dc80 --resistance 10mohm", hall_model().string()));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("dc800"), std::string::npos) << r.output;
}

TEST(FaultCli, AcBusIsRefusedAtItsLine) {
  const auto r =
      grid2gpu(fmt::format("fault '{}' --bus mv --resistance 10mohm", hall_model().string()));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("800vdc-gpu-hall.yaml:"), std::string::npos) << r.output;
}

TEST(FaultCli, TimeDomainNeedsAResistance) {
  const auto r = grid2gpu(fmt::format("fault '{}' --bus dc800", hall_model().string()));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--resistance"), std::string::npos) << r.output;
}

// On the hall cut to one row of two racks: the main bus, the row's busway, and each rack's 54 V
// bus, tray bus and 12 V bus. (The whole hall's 101 DC buses took 143 s under the sanitizers;
// these 8 take 0.8 s.)
TEST(FaultCli, EveryDcBusInTimeOneRowEach) {
  const fs::path dir = scratch_dir("fault-cli-sweep");
  const fs::path model = dir / "hall.yaml";
  write_text(model, replaced(replaced(read_text(hall_model()), "count: 8,", "count: 2,"),
                             "count: 4,", "count: 1,"));
  const auto sweep =
      grid2gpu(fmt::format("fault '{}' --all-buses dc --resistance 10mohm --clear 1ms --after 2ms "
                           "--json '{}'",
                           model.string(), (dir / "all.json").string()));
  ASSERT_EQ(sweep.exit_code, 0) << sweep.output;
  std::ifstream in(dir / "all.json");
  const auto json = nlohmann::json::parse(in);
  const auto& rows = json.at("time").at("locations");
  ASSERT_EQ(rows.size(), 8u) << sweep.output;
  std::size_t with_result = 0;
  for (const auto& row : rows) {
    // A row has its figures or the reason it has none, never neither.
    EXPECT_NE(row.contains("peak_a"), row.contains("error")) << row.dump();
    if (!row.contains("peak_a")) continue;
    ++with_result;
    EXPECT_GT(row.at("peak_a").get<double>(), 0.0) << row.dump();
    EXPECT_GT(row.at("fault_energy_j").get<double>(), 0.0) << row.dump();
  }
  EXPECT_GT(with_result, 0u) << sweep.output;
  // The first row with a result, alone: the same figures.
  for (const auto& row : rows) {
    if (!row.contains("peak_a")) continue;
    const std::string bus = row.at("bus");
    const auto one = grid2gpu(
        fmt::format("fault '{}' --bus '{}' --resistance 10mohm --clear 1ms --after 2ms --json '{}'",
                    model.string(), bus, (dir / "one.json").string()));
    ASSERT_EQ(one.exit_code, 0) << one.output;
    std::ifstream one_in(dir / "one.json");
    const auto single = nlohmann::json::parse(one_in).at("time").at("locations").at(0);
    EXPECT_EQ(single.at("bus"), bus);
    EXPECT_DOUBLE_EQ(single.at("peak_a").get<double>(), row.at("peak_a").get<double>());
    break;
  }
}

// The buses of one template, with the racks aggregated by a base scenario: one row per row of
// the hall, each with its figures; a pattern matching no DC bus exits 2.
TEST(FaultCli, TheBusesOfOneTemplateWithAggregatedRacks) {
  const fs::path dir = scratch_dir("fault-cli-template");
  std::ofstream(dir / "base.yaml") << "grid2gpu_scenario: 1\nname: aggregated\nduration: 10 ms\n"
                                      "aggregate: phase_groups\nmetrics: {ramp_window: 1 ms}\n";
  const auto r = grid2gpu(fmt::format(
      "fault '{}' --buses 'row[*]/rack[1]/bus12' --resistance 10mohm --after 5ms --scenario '{}' "
      "--json '{}'",
      hall_model().string(), (dir / "base.yaml").string(), (dir / "rows.json").string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::ifstream in(dir / "rows.json");
  const auto rows = nlohmann::json::parse(in).at("time").at("locations");
  ASSERT_EQ(rows.size(), 4u);  // the hall's four rows
  for (const auto& row : rows) {
    ASSERT_TRUE(row.contains("peak_a")) << row.dump();
    EXPECT_NE(row.at("aggregation").get<std::string>().find("lumped"), std::string::npos);
    // Identical rows: the same fault current wherever the faulted rack is.
    EXPECT_NEAR(row.at("peak_a").get<double>(), rows.at(0).at("peak_a").get<double>(),
                1e-3 * rows.at(0).at("peak_a").get<double>());
  }
  const auto none = grid2gpu(
      fmt::format("fault '{}' --buses 'nothing[*]' --resistance 10mohm", hall_model().string()));
  EXPECT_EQ(none.exit_code, 2) << none.output;
  EXPECT_NE(none.output.find("matches no DC bus"), std::string::npos) << none.output;
}

}  // namespace
}  // namespace g2g::test

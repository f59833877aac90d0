// Faults through `grid2gpu simulate`: the busway fault of the shipped hall (its summary row, the
// ride-through of the racks, the recorded fault current) and the exit code and location of a
// fault the simulation refuses. docs/dynamic.md, "Faults".
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "support/test_support.hpp"

namespace g2g::test {
namespace {

namespace fs = std::filesystem;

TEST(SimulateFaultCli, BuswayFaultSummaryAndRideThrough) {
  const fs::path dir = scratch_dir("simulate-busway-fault");
  const auto r = grid2gpu(fmt::format(
      "simulate {} --scenario {} --out {} -q", quoted(example_path("800vdc-gpu-hall.yaml")),
      quoted(example_path("scenarios/busway-fault.yaml")), quoted(dir)));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("fault busway1"), std::string::npos) << r.output;
  const auto summary = nlohmann::json::parse(read_text(dir / "summary.json"));
  ASSERT_EQ(summary.at("faults").size(), 1U);
  const auto& f = summary.at("faults")[0];
  EXPECT_EQ(f.at("id"), "busway1");
  const double peak_a = f.at("peak_a").get<double>();
  const double peak_t_s = f.at("peak_t_s").get<double>();
  // Far above the row's 1.4 kA of load, below 800 V over the fault's 10 mohm alone.
  EXPECT_GT(peak_a, 5e3);
  EXPECT_LT(peak_a, 800.0 / 0.010);
  EXPECT_GE(peak_t_s, 0.020);
  EXPECT_LE(peak_t_s, 0.021 + 1e-9);
  // Extinguished at 21 ms: the current is gone then.
  EXPECT_NEAR(f.at("clearing_s").get<double>(), 0.001, 1e-6);
  // I2t at most the peak squared over the millisecond it flowed.
  const double i2t = f.at("i2t_a2s").get<double>();
  EXPECT_GT(i2t, 0.0);
  EXPECT_LE(i2t, peak_a * peak_a * 0.001 * (1.0 + 1e-6));
  // The energy into the fault: R I2t while it burns, and at its extinction what the busway's
  // two parts' inductances held apart, L_a L_b / (L_a + L_b) i_f^2 / 2 (components/fault.hpp);
  // the 30 m busway's default loop inductance is 0.955 uH/m, split 0.9 / 0.1 at the fault.
  const double fault_j = f.at("energy_j").at("fault").get<double>();
  const double l_h = 30.0 * 0.955e-6;
  EXPECT_GT(fault_j, 0.010 * i2t);
  EXPECT_LT(fault_j - 0.010 * i2t, 0.5 * 0.09 * l_h * peak_a * peak_a);
  EXPECT_GT(fault_j - 0.010 * i2t, 0.5 * 0.09 * l_h * 0.5 * peak_a * peak_a);
  EXPECT_GT(f.at("energy_j").at("lines").get<double>(), 0.0);
  EXPECT_GT(f.at("energy_j").at("esr").get<double>(), 0.0);
  // The faulted row's busway dips deepest; each dip is within [0, 1].
  double deepest = 0.0;
  std::string deepest_bus;
  for (const auto& d : f.at("dips")) {
    const double depth = d.at("depth").get<double>();
    EXPECT_GE(depth, 0.0);
    EXPECT_LE(depth, 1.0);
    if (depth > deepest) {
      deepest = depth;
      deepest_bus = d.at("bus").get<std::string>();
    }
  }
  EXPECT_EQ(deepest_bus.rfind("row[1]/", 0), 0U) << deepest_bus;
  // The racks of row 1 turn off (their links hold 1.9 ms down to 600 V at rated power, but
  // their bus falls below 600 V within the fault); the other rows ride through.
  std::size_t row1_off = 0, others_off = 0;
  for (const auto& rt : f.at("ride_through")) {
    // The 800 V stages; the 54 V IBCs drop with them (their own links hold 13 J, 94 us).
    if (rt.at("element").get<std::string>().find("/dcdc800") == std::string::npos) continue;
    const bool row1 = rt.at("element").get<std::string>().rfind("row[1]/", 0) == 0;
    if (!rt.at("rode_through").get<bool>()) ++(row1 ? row1_off : others_off);
    // 280 J down to 600 V at 150 kW is 1.9 ms, more than the 1 ms the fault burns; row 1's
    // racks turn off all the same: the fault drags their bus below 600 V, not their load.
    EXPECT_TRUE(rt.at("hold_up_covers_clearing").get<bool>());
  }
  EXPECT_EQ(row1_off, 8U);
  EXPECT_EQ(others_off, 0U);
  // The fault current is a recorded signal: zero before inception, at most the peak.
  std::ifstream csv(dir / "waveforms.csv");
  std::string line;
  std::getline(csv, line);
  EXPECT_NE(line.find("busway1.i [A]"), std::string::npos) << line;
  double largest_a = 0.0, before_a = 0.0;
  while (std::getline(csv, line)) {
    const double t = std::stod(line);
    const double i = std::stod(line.substr(line.find(',') + 1));
    (t < 0.02 ? before_a : largest_a) = std::max(t < 0.02 ? before_a : largest_a, std::fabs(i));
  }
  EXPECT_LT(before_a, 1e-6 * peak_a);
  EXPECT_LE(largest_a, peak_a * (1.0 + 1e-9));
  EXPECT_GT(largest_a, 0.9 * peak_a);
}

TEST(SimulateFaultCli, RefusedFaultsAreLocatedAndExitTwo) {
  const fs::path dir = scratch_dir("simulate-bad-fault");
  const std::string head =
      "grid2gpu_scenario: 1\nduration: 10 ms\nmetrics: {ramp_window: 1 ms}\nfaults:\n";
  struct Bad {
    std::string item, message;
  };
  const Bad cases[] = {
      {"  - {id: f, bus: dc800, resistance: 10 mohm, time: 1 ms, kind: pole_to_ground}\n",
       "bad.yaml:5:64: error: fault: pole_to_ground faults are not modelled"},
      {"  - {id: f, bus: \"row[1]/buswy\", resistance: 10 mohm, time: 1 ms}\n",
       "did you mean 'row[1]/busway'?"},
      {"  - {id: f, bus: dc800, resistance: 0 ohm, time: 1 ms}\n",
       "bad.yaml:5:5: error: fault 'f': a bolted fault (0 ohm) at bus 'dc800'"},
  };
  for (const Bad& bad : cases) {
    SCOPED_TRACE(bad.item);
    std::ofstream(dir / "bad.yaml") << head + bad.item;
    const auto r = grid2gpu(fmt::format("simulate {} --scenario {} -q",
                                        quoted(example_path("800vdc-gpu-hall.yaml")),
                                        quoted(dir / "bad.yaml")));
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find(bad.message), std::string::npos) << r.output;
  }
}

// The scenario's text with `aggregate: phase_groups` and without its recording (the recorded
// signals name instances that aggregation lumps away).
std::string aggregated(const fs::path& scenario) {
  std::string text = read_text(scenario);
  text = text.substr(0, text.find("\nrecord:") + 1);
  const auto name = text.find("\nname:");
  return text.insert(text.find('\n', name + 1) + 1, "aggregate: phase_groups\n");
}

nlohmann::json summary_of(const fs::path& model, const fs::path& scenario, const fs::path& json) {
  const auto r = grid2gpu(fmt::format("simulate {} --scenario {} --json {} -q", quoted(model),
                                      quoted(scenario), quoted(json)));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::ifstream in(json);
  return nlohmann::json::parse(in);
}

// A fault keeps its instance (and the row holding it) apart from the identical ones it would
// lump with; the rest lump as before, and the fault's figures match full detail. The row's
// racks still lump among themselves: exact for identical racks on one bus, so the peaks agree
// to the integrator's tolerance.
TEST(SimulateFaultCli, AggregatedRunsKeepTheFaultedInstanceApart) {
  const fs::path dir = scratch_dir("simulate-fault-aggregated");
  {
    const fs::path lumped = dir / "busway-lumped.yaml";
    std::ofstream(lumped) << aggregated(example_path("scenarios/busway-fault.yaml"));
    const auto full = summary_of(example_path("800vdc-gpu-hall.yaml"),
                                 example_path("scenarios/busway-fault.yaml"), dir / "full.json");
    const auto small = summary_of(example_path("800vdc-gpu-hall.yaml"), lumped, dir / "small.json");
    EXPECT_NE(small.at("aggregation").get<std::string>().find("lumped"), std::string::npos);
    EXPECT_LT(small.at("unknowns").get<double>(), full.at("unknowns").get<double>());
    const double peak = full.at("faults").at(0).at("peak_a").get<double>();
    EXPECT_NEAR(small.at("faults").at(0).at("peak_a").get<double>(), peak, 2e-3 * peak);
  }
  {
    const fs::path lumped = dir / "feeder-lumped.yaml";
    std::ofstream(lumped) << aggregated(example_path("scenarios/rack-feeder-fault.yaml"));
    const auto full = summary_of(example_path("800vdc-gpu-hall-sscb.yaml"),
                                 example_path("scenarios/rack-feeder-fault.yaml"), dir / "f.json");
    const auto small =
        summary_of(example_path("800vdc-gpu-hall-sscb.yaml"), lumped, dir / "s.json");
    ASSERT_FALSE(full.at("selectivity").empty());
    ASSERT_FALSE(small.at("selectivity").empty());
    EXPECT_EQ(small.at("selectivity").at(0).at("cleared_by"),
              full.at("selectivity").at(0).at("cleared_by"));
    const double peak = full.at("faults").at(0).at("peak_a").get<double>();
    EXPECT_NEAR(small.at("faults").at(0).at("peak_a").get<double>(), peak, 2e-3 * peak);
  }
}

}  // namespace
}  // namespace g2g::test

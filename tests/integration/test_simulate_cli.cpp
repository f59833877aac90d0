// `grid2gpu simulate` end to end on the shipped hall and training scenario: the summary JSON, the
// recorded signals on their grid, the report page; four phase groups a quarter period apart
// cancel the swings' fundamental, one synchronized group does not; and the exit codes of a
// scenario error and of a model without the time-domain data it needs.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace g2g::test {
namespace {

namespace fs = std::filesystem;

// The share of the grid power's AC energy in the 1-2.5 Hz band.
double band_share(const nlohmann::json& summary, double low_hz) {
  for (const auto& band : summary.at("grid_power").at("spectrum").at("bands"))
    if (band.at("low_hz").get<double>() == low_hz) return band.at("share").get<double>();
  ADD_FAILURE() << "no band from " << low_hz << " Hz";
  return -1.0;
}

TEST(SimulateCli, TrainingSwingsWriteSummarySignalsAndPage) {
  const fs::path dir = scratch_dir("simulate-training");
  const auto r = grid2gpu(fmt::format("simulate {} --scenario {} --out {} --html {} -q",
                                      quoted(example_path("800vdc-gpu-hall.yaml")),
                                      quoted(example_path("scenarios/training-swings.yaml")),
                                      quoted(dir), quoted(dir / "report.html")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto summary = nlohmann::json::parse(read_text(dir / "summary.json"));
  const double peak_w = summary.at("grid_power").at("peak_w").get<double>();
  const double min_w = summary.at("grid_power").at("min_w").get<double>();
  // 32 racks of 130 kW between 30 % and full utilisation, plus losses and the battery's charge:
  // never all at full (the groups are out of phase) nor all low, and swinging by over 0.5 MW.
  EXPECT_LT(peak_w, 32 * 130e3 + 0.4e6);
  EXPECT_GT(min_w, 32 * 0.3 * 130e3);
  EXPECT_GT(peak_w - min_w, 0.5e6);
  // Four row groups a quarter period apart: the 1 Hz fundamental cancels in the sum.
  EXPECT_LT(band_share(summary, 1.0), 0.01);
  // The signals: 60 s every 1 ms, both ends included; the grid power column never above the
  // peak found at the integrator's steps (the grid is interpolated between them).
  std::ifstream csv(dir / "waveforms.csv");
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line.rfind("t_s,utility.p [W],dc800.v [V]", 0), 0U) << line;
  std::size_t rows = 0;
  double largest_w = 0.0;
  while (std::getline(csv, line)) {
    ++rows;
    largest_w = std::max(largest_w, std::stod(line.substr(line.find(',') + 1)));
  }
  EXPECT_EQ(rows, 60001U);
  EXPECT_LE(largest_w, peak_w * (1.0 + 1e-9));
  EXPECT_GT(largest_w, 0.99 * peak_w);
  const std::string page = read_text(dir / "report.html");
  EXPECT_NE(page.find("Training swings"), std::string::npos);
}

TEST(SimulateCli, SynchronizedRacksKeepTheFundamental) {
  const fs::path dir = scratch_dir("simulate-synchronized");
  const std::string scenario =
      replaced(replaced(read_text(example_path("scenarios/training-swings.yaml")),
                        "phase_groups: {by: \"row[*]\", count: 4, spread: 1 s}", ""),
               "duration: 60 s", "duration: 20 s");
  write_text(dir / "synchronized.yaml", scenario);
  const auto r = grid2gpu(fmt::format("simulate {} --scenario {} --json {} -q",
                                      quoted(example_path("800vdc-gpu-hall.yaml")),
                                      quoted(dir / "synchronized.yaml"), quoted(dir / "s.json")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto summary = nlohmann::json::parse(read_text(dir / "s.json"));
  EXPECT_GT(band_share(summary, 1.0), 0.5);
}

TEST(SimulateCli, ScenarioErrorsAreLocatedAndExitTwo) {
  const fs::path dir = scratch_dir("simulate-bad-scenario");
  write_text(dir / "bad.yaml", replaced(read_text(example_path("scenarios/training-swings.yaml")),
                                        "ramp_window: 1 s", "ramp_windw: 1 s"));
  const auto r =
      grid2gpu(fmt::format("simulate {} --scenario {} -q",
                           quoted(example_path("800vdc-gpu-hall.yaml")), quoted(dir / "bad.yaml")));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ramp_window"), std::string::npos) << r.output;
}

TEST(SimulateCli, MissingTimeDomainDataIsListedAndExitsTwo) {
  const fs::path dir = scratch_dir("simulate-missing-data");
  write_text(dir / "hall.yaml", replaced(read_text(example_path("800vdc-gpu-hall.yaml")),
                                         "voltage_bandwidth: 5 kHz,", ""));
  const auto r = grid2gpu(fmt::format("simulate {} --scenario {} -q", quoted(dir / "hall.yaml"),
                                      quoted(example_path("scenarios/training-swings.yaml"))));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("hall.yaml:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("'row[1]/rack[1]/ibc' needs `voltage_bandwidth`"), std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace g2g::test

namespace g2g::test {
namespace {

// 130 MW racks: the power flow at t = 0 has no solution, and simulate says so as solve does.
TEST(SimulateCli, NoPowerFlowAtTheStartExitsThree) {
  const fs::path dir = scratch_dir("simulate-no-power-flow");
  write_text(dir / "hall.yaml", replaced(read_text(example_path("800vdc-gpu-hall.yaml")),
                                         "it_power: 130 kW", "it_power: 130 MW"));
  const auto r = grid2gpu(fmt::format("simulate {} --scenario {} -q", quoted(dir / "hall.yaml"),
                                      quoted(example_path("scenarios/training-swings.yaml"))));
  EXPECT_EQ(r.exit_code, 3) << r.output;
}

// With the rack busbar's default inductance (0.955 uH/m instead of the laminated 0.11 uH/m)
// and no undervoltage lockout on the 54 V IBCs, the synchronized end of the checkpoint pause
// collapses the racks' 54 V tray buses: the IBCs hold their input current at its limit and
// the GPUs behind them draw constant power. The integration fails, exit 4, and the message
// names the SUNDIALS function and the rack buses.
TEST(SimulateCli, CollapsingTrayBusesExitFour) {
  const fs::path dir = scratch_dir("simulate-collapse");
  write_text(dir / "hall.yaml",
             replaced(replaced(read_text(example_path("800vdc-gpu-hall.yaml")),
                               ", inductance_per_length: 0.11 uH/m", ""),
                      ", undervoltage_off: 40 V, undervoltage_on: 44 V,\n         "
                      "restart_delay: 100 ms}",
                      "}"));
  const auto r = grid2gpu(fmt::format("simulate {} --scenario {} -q", quoted(dir / "hall.yaml"),
                                      quoted(example_path("scenarios/checkpoint.yaml"))));
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("IDASolve failed"), std::string::npos) << r.output;
  EXPECT_TRUE(r.output.find("tray54") != std::string::npos ||
              r.output.find("bus12") != std::string::npos)
      << r.output;
}

// Ride-through: the synchronized job start (5 ms) on a hall whose SST is weakened (10 mF, a
// 50 Hz loop) dips the 800 V bus below the rack converters' 600 V turn-off. The JSON lists
// every rack that dropped, when, and when it came back, and each rack converter's hold-up
// against ORv3 HPR: its 2 mF link holds 280 J down to 600 V, 1.87 ms at 150 kW (meets 60 J,
// not 20 ms).
TEST(SimulateCli, RideThroughListsDroppedLoadsAndHoldUp) {
  const fs::path dir = scratch_dir("simulate-ride-through");
  write_text(dir / "hall.yaml", replaced(read_text(example_path("800vdc-gpu-hall.yaml")),
                                         "output_capacitance: 100 mF, voltage_bandwidth: 200 Hz",
                                         "output_capacitance: 10 mF, voltage_bandwidth: 50 Hz"));
  const auto r = grid2gpu(fmt::format("simulate {} --scenario {} --json {} --html {} -q",
                                      quoted(dir / "hall.yaml"),
                                      quoted(example_path("scenarios/job-start-dip.yaml")),
                                      quoted(dir / "s.json"), quoted(dir / "report.html")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto summary = nlohmann::json::parse(read_text(dir / "s.json"));
  const auto& dropped = summary.at("dropped_loads");
  ASSERT_FALSE(dropped.empty()) << summary.dump(1);
  for (const auto& d : dropped) {
    EXPECT_NE(d.at("element").get<std::string>().find("/gpus"), std::string::npos);
    EXPECT_GT(d.at("off_s").get<double>(), 1.0);  // after the step at 1 s
    if (!d.at("on_s").is_null()) {                // back after at least restart_delay
      EXPECT_GT(d.at("off_duration_s").get<double>(), 0.1 - 1e-9);
    }
  }
  const auto& hold_up = summary.at("hold_up");
  ASSERT_EQ(hold_up.size(), 64u);  // the 800 V stages and the 54 V IBCs
  std::size_t turned_off = 0, stages = 0;
  for (const auto& h : hold_up) {
    if (h.at("element").get<std::string>().find("/dcdc800") == std::string::npos) continue;
    ++stages;
    EXPECT_NEAR(h.at("energy_j").get<double>(),
                0.5 * 2e-3 * (std::pow(h.at("v_start_v").get<double>(), 2) - 600.0 * 600.0), 1e-6);
    EXPECT_NEAR(h.at("hold_up_s").get<double>(), h.at("energy_j").get<double>() / 150e3, 1e-12);
    EXPECT_FALSE(h.at("orv3_hpr").at("meets_time").get<bool>());
    EXPECT_TRUE(h.at("orv3_hpr").at("meets_energy").get<bool>());
    if (!h.at("off_s").is_null()) {
      ++turned_off;
      EXPECT_GT(h.at("held_s").get<double>(), 0.0);
    }
  }
  EXPECT_EQ(stages, 32u);
  EXPECT_GT(turned_off, 0u);
  const std::string html = read_text(dir / "report.html");
  EXPECT_NE(html.find("dropped</strong>"), std::string::npos);
  EXPECT_NE(html.find("Hold-up of the converters"), std::string::npos);
}

}  // namespace
}  // namespace g2g::test

namespace g2g::test {
namespace {

// Storage smoothing on the hall: the battery, on a 100 kW/s ramp-limited grid reference, takes
// the synchronized swings' steps; the grid's largest 1 s ramp stays near the reference's limit
// (the swings' own ramps, with the 60 % power floor, are 0.24 MW/s), and the battery's summary
// and state of charge are in the JSON and the CSV.
// A battery backup unit (examples/54v-rack-bbu.yaml, scenarios/bbu-outage.yaml): the shelf's AC
// input is lost at 0.1 s; the 54 V bus (1.277 F, 30 kW) falls to the 48.5 V trigger after
// C (54^2 - 48.5^2) / (2 P) = 12.0 ms; the BBU's command is above its 33 kW limit until the bus
// is back near 50 V, so its 200 Hz loop carries 90 % of the 30 kW after -tau ln(1 - 27/33) =
// 1.357 ms: within ORv3 HPR's 4 ms. No load drops; the BBU hands the rack back after 0.5 s.
TEST(SimulateCli, BatteryBackupUnitCarriesTheRackThroughAnOutage) {
  const fs::path dir = scratch_dir("simulate-bbu");
  const auto r = grid2gpu(fmt::format("simulate {} --scenario {} --json {} --html {} -q",
                                      quoted(example_path("54v-rack-bbu.yaml")),
                                      quoted(example_path("scenarios/bbu-outage.yaml")),
                                      quoted(dir / "s.json"), quoted(dir / "report.html")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("within ORv3 HPR's 4 ms"), std::string::npos) << r.output;
  const auto summary = nlohmann::json::parse(read_text(dir / "s.json"));
  EXPECT_TRUE(summary.at("dropped_loads").empty()) << summary.dump(1);
  ASSERT_EQ(summary.at("backup").size(), 1u);
  const auto& b = summary.at("backup")[0];
  EXPECT_EQ(b.at("element"), "bbu");
  const double c_f = 1.277;
  const double fall_s = c_f * (54.0 * 54.0 - 48.5 * 48.5) / (2.0 * 30e3);
  EXPECT_NEAR(b.at("trigger_s").get<double>() - 0.1, fall_s, 1e-3 * fall_s);
  const double tau_s = 1.0 / (2.0 * std::numbers::pi * 200.0);
  const double carry_s = -tau_s * std::log(1.0 - 0.9 * 30.0 / 33.0);
  EXPECT_NEAR(b.at("time_to_carry_s").get<double>(), carry_s, 1e-2 * carry_s);
  EXPECT_TRUE(b.at("orv3_hpr").at("meets_start").get<bool>());
  EXPECT_GT(b.at("release_s").get<double>(), 0.5);
  EXPECT_LT(b.at("release_s").get<double>(), 0.6);
  const std::string html = read_text(dir / "report.html");
  EXPECT_NE(html.find("Battery backup units"), std::string::npos);
}

TEST(SimulateCli, StorageSmoothingHoldsTheGridRamp) {
  const fs::path dir = scratch_dir("simulate-storage");
  write_text(dir / "smoothing.yaml",
             replaced(replaced(read_text(example_path("scenarios/storage-smoothing.yaml")),
                               "grid_ramp_limit: 1 MW/s", "grid_ramp_limit: 100 kW/s"),
                      "duration: 120 s", "duration: 40 s"));
  const auto r = grid2gpu(fmt::format("simulate {} --scenario {} --out {} -q",
                                      quoted(example_path("800vdc-gpu-hall.yaml")),
                                      quoted(dir / "smoothing.yaml"), quoted(dir)));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto summary = nlohmann::json::parse(read_text(dir / "summary.json"));
  const auto& ramp = summary.at("grid_power").at("largest_ramp_up");
  EXPECT_LT(ramp.at("rate_w_per_s").get<double>(), 0.12e6) << ramp;
  const auto& storage = summary.at("storage").at(0);
  EXPECT_EQ(storage.at("element"), "bess");
  EXPECT_GT(storage.at("charged_j").get<double>(), 1e6);
  EXPECT_GT(storage.at("loss_j").get<double>(), 0.0);
  EXPECT_GT(storage.at("soc_max").get<double>(), storage.at("soc_min").get<double>());
  std::ifstream csv(dir / "waveforms.csv");
  std::string header;
  std::getline(csv, header);
  EXPECT_NE(header.find("bess.soc"), std::string::npos) << header;
  EXPECT_NE(header.find("bess.p [W]"), std::string::npos) << header;
}

// --size-storage on the example's 30 % peak cut, one period, shortened: it finds a power and an
// energy that meet the limit (the sized run's peak at most 70 % of the baseline's), reports them
// per rack, and writes the study as JSON; without a limit it is bad input (exit 2).
TEST(SimulateCli, SizeStorageFindsTheSmallestStorageForThePeakCut) {
  const fs::path dir = scratch_dir("simulate-size-storage");
  write_text(dir / "sizing.yaml", replaced(read_text(example_path("scenarios/storage-sizing.yaml")),
                                           "duration: 300 s", "duration: 120 s"));
  const auto r =
      grid2gpu(fmt::format("simulate {} --scenario {} --size-storage --periods 2s --json {} -q",
                           quoted(example_path("800vdc-gpu-hall.yaml")),
                           quoted(dir / "sizing.yaml"), quoted(dir / "s.json")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto study = nlohmann::json::parse(read_text(dir / "s.json"));
  EXPECT_EQ(study.at("racks"), 32);
  const auto& point = study.at("points").at(0);
  EXPECT_EQ(point.at("period_s"), 2.0);
  ASSERT_TRUE(point.at("feasible").get<bool>()) << point;
  EXPECT_LE(point.at("sized_peak_w").get<double>(),
            0.7 * point.at("baseline_peak_w").get<double>() * (1.0 + 1e-9));
  EXPECT_GT(point.at("power_w").get<double>(), 0.0);
  EXPECT_GT(point.at("usable_energy_j").get<double>(), 0.0);
  EXPECT_NEAR(point.at("power_per_rack_w").get<double>() * 32.0, point.at("power_w").get<double>(),
              1e-6 * point.at("power_w").get<double>());
  for (const auto& limit : point.at("limits")) EXPECT_TRUE(limit.at("met").get<bool>()) << limit;

  write_text(dir / "no-limits.yaml",
             replaced(read_text(dir / "sizing.yaml"), "limits: {peak_reduction: 30 %}", ""));
  const auto bad = grid2gpu(fmt::format("simulate {} --scenario {} --size-storage -q",
                                        quoted(example_path("800vdc-gpu-hall.yaml")),
                                        quoted(dir / "no-limits.yaml")));
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("no grid limit"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace g2g::test

namespace g2g::test {
namespace {

// A fault behind one rack's SSCB (examples/800vdc-gpu-hall-sscb.yaml,
// scenarios/rack-feeder-fault.yaml): the rack's breaker clears it alone, the row's stays closed,
// the faulted rack's converter turns off on its undervoltage; and a trip setting out of range
// is a located error, exit 2.
TEST(SimulateCli, RackFeederFaultIsClearedByTheRackBreakerAlone) {
  const fs::path dir = scratch_dir("simulate-sscb");
  const auto r = grid2gpu(fmt::format(
      "simulate {} --scenario {} --json {}", quoted(example_path("800vdc-gpu-hall-sscb.yaml")),
      quoted(example_path("scenarios/rack-feeder-fault.yaml")), quoted(dir / "s.json")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("selectivity        row[1]/rack[1]/rack_sscb cleared"), std::string::npos)
      << r.output;
  const auto summary = nlohmann::json::parse(read_text(dir / "s.json"));
  ASSERT_EQ(summary.at("selectivity").size(), 1u) << summary.at("selectivity").dump(1);
  const auto& row = summary.at("selectivity")[0];
  EXPECT_EQ(row.at("cleared_by"), "row[1]/rack[1]/rack_sscb");
  EXPECT_TRUE(row.at("selective").get<bool>());
  EXPECT_TRUE(row.at("also_tripped").empty());
  // It opens after its 2 us delay and its MOV takes the current to zero within microseconds.
  EXPECT_GT(row.at("clearing_time_s").get<double>(), 2e-6);
  EXPECT_LT(row.at("clearing_time_s").get<double>(), 50e-6);
  EXPECT_GT(row.at("clamp_energy_j").get<double>(), 0.0);
  EXPECT_EQ(row.at("converters_off"), nlohmann::json::array({"row[1]/rack[1]/dcdc800"}));
  for (const auto& p : summary.at("protection"))
    EXPECT_EQ(p.at("open_s").is_null(), p.at("element") != "row[1]/rack[1]/rack_sscb") << p.dump();

  // Every breaker of the hall is fed also by the facility battery: none is bounded by converter
  // limits alone.
  ASSERT_EQ(summary.at("converter_limits").size(), summary.at("protection").size());
  for (const auto& c : summary.at("converter_limits")) {
    EXPECT_FALSE(c.at("never_tripped").get<bool>()) << c.dump();
    EXPECT_NE(c.at("unlimited").get<std::string>().find("storage"), std::string::npos) << c.dump();
  }

  // A clamp voltage below the bus voltage: the device could never interrupt.
  write_text(dir / "bad.yaml", replaced(read_text(example_path("800vdc-gpu-hall-sscb.yaml")),
                                        "pickup: 6 kA, delay: 5 us, clamp_voltage: 1.2 kV",
                                        "pickup: 6 kA, delay: 5 us, clamp_voltage: 700 V"));
  const auto bad = grid2gpu(fmt::format("simulate {} --scenario {}", quoted(dir / "bad.yaml"),
                                        quoted(example_path("scenarios/rack-feeder-fault.yaml"))));
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("bad.yaml:"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find("clamp_voltage 700 V is not above its bus's 800 V"), std::string::npos)
      << bad.output;
}

// A converter limited to 300 A feeds a 200 A breaker, a 500 A breaker and a 250 A fuse: the
// summary JSON, the printed lines and the report page flag the 500 A breaker alone as never
// tripped by the converter (dynamic::converter_limit_rows).
TEST(SimulateCli, ConverterLimitsReachTheSummaryAndThePage) {
  const fs::path dir = scratch_dir("simulate-converter-limits");
  write_text(dir / "feeder.yaml", R"(grid2gpu: 1
name: converter-limited feeder
buses:
  - {id: src, kind: dc, voltage: 800 V}
  - {id: a, kind: dc, voltage: 400 V}
  - {id: x, kind: dc, voltage: 400 V, capacitance: 1 mF}
  - {id: y, kind: dc, voltage: 400 V, capacitance: 1 mF}
  - {id: z, kind: dc, voltage: 400 V, capacitance: 1 mF}
components:
  - {id: feed, type: dc_source, bus: src}
  - {id: psu, type: dcdc, input: src, output: a, rating: 100 kW, efficiency: 98 %,
     output_capacitance: 10 mF, voltage_bandwidth: 500 Hz, damping: 1.0, current_limit: 300 A}
  - {id: low, type: breaker, from: a, to: x, on_resistance: 1 mohm,
     trip: {kind: solid_state, pickup: 200 A, delay: 2 us, clamp_voltage: 700 V, inductance: 1 uH}}
  - {id: high, type: breaker, from: a, to: y, on_resistance: 1 mohm,
     trip: {kind: solid_state, pickup: 500 A, delay: 2 us, clamp_voltage: 700 V, inductance: 1 uH}}
  - {id: fuse, type: breaker, from: a, to: z, on_resistance: 1 mohm,
     trip: {kind: fuse, rated_current: 250 A, pre_arcing_i2t: 20000 A2s, clearing_i2t: 50000 A2s,
            clamp_voltage: 700 V, inductance: 1 uH}}
  - {id: lx, type: load, bus: x, power: 10 kW}
  - {id: ly, type: load, bus: y, power: 10 kW}
  - {id: lz, type: load, bus: z, power: 10 kW}
)");
  write_text(dir / "steady.yaml",
             "grid2gpu_scenario: 1\nname: steady\nduration: 5 ms\nmetrics: {ramp_window: 1 ms}\n");
  const auto r = grid2gpu(fmt::format("simulate {} --scenario {} --json {} --html {}",
                                      quoted(dir / "feeder.yaml"), quoted(dir / "steady.yaml"),
                                      quoted(dir / "s.json"), quoted(dir / "s.html")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("converter limits   high trips above 500 A, its converters give at "
                          "most 300 A (psu 300 A): NEVER tripped"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("2 device(s) within their converters' limits, 0 fed also without"),
            std::string::npos)
      << r.output;
  const auto limits = nlohmann::json::parse(read_text(dir / "s.json")).at("converter_limits");
  ASSERT_EQ(limits.size(), 3u) << limits.dump(1);
  for (const auto& c : limits) {
    EXPECT_EQ(c.at("converters"),
              nlohmann::json::parse(R"([{"id": "psu", "current_limit_a": 300.0}])"))
        << c.dump();
    EXPECT_DOUBLE_EQ(c.at("limit_a").get<double>(), 300.0);
    EXPECT_TRUE(c.at("unlimited").is_null()) << c.dump();
    EXPECT_EQ(c.at("never_tripped").get<bool>(), c.at("device") == "high") << c.dump();
  }
  const std::string page = read_text(dir / "s.html");
  EXPECT_NE(page.find("<strong>1 never tripped</strong>"), std::string::npos);
  EXPECT_NE(page.find("<tr><th><code>high</code></th><td class=\"num\">500 A</td><td>psu (300 A)"
                      "</td><td class=\"num\">300 A</td></tr>"),
            std::string::npos);
}

}  // namespace
}  // namespace g2g::test

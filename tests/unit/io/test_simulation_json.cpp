// The simulation summary JSON: every field written reads back as given (through the text, to
// the exact double), absent quantities and non-finite numbers are null, and the file is written
// atomically.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "g2g/io/files.hpp"
#include "g2g/io/simulation_json.hpp"
#include "support/test_support.hpp"
#include "unit/io/simulation_fixture.hpp"

namespace g2g::io {
namespace {

using nlohmann::json;

// Every number in `j` is finite (a NaN or infinity would have been written as null).
void expect_only_finite_numbers(const json& j, const std::string& where = "") {
  if (j.is_number_float()) {
    EXPECT_TRUE(std::isfinite(j.get<double>())) << where;
  }
  if (j.is_structured())
    for (auto it = j.begin(); it != j.end(); ++it)
      expect_only_finite_numbers(*it, where + "/" + (j.is_object() ? it.key() : std::string("#")));
}

TEST(SimulationJson, EveryFieldReadsBackThroughTheText) {
  const dynamic::SimulationSummary s = test::simulation_fixture();
  const json j = json::parse(simulation_json(s).dump());
  expect_only_finite_numbers(j);

  EXPECT_EQ(j.at("grid2gpu_simulation"), simulation_format_version);
  EXPECT_EQ(j.at("model"), s.model_name);
  EXPECT_EQ(j.at("scenario"), s.scenario_name);
  EXPECT_EQ(j.at("aggregation"), s.aggregation);
  EXPECT_EQ(j.at("t_end_s").get<double>(), s.t_end_s);
  EXPECT_EQ(j.at("unknowns"), s.unknowns);

  const json& g = j.at("grid_power");
  EXPECT_EQ(g.at("samples"), s.grid_power.samples);
  EXPECT_EQ(g.at("peak_w").get<double>(), s.grid_power.peak_w);  // exact, not approximately
  EXPECT_EQ(g.at("peak_time_s").get<double>(), s.grid_power.peak_time_s);
  EXPECT_EQ(g.at("min_time_s").get<double>(), s.grid_power.min_time_s);
  EXPECT_EQ(g.at("range_percent_of_peak").get<double>(), s.grid_power.range_percent_of_peak);
  EXPECT_EQ(g.at("largest_ramp_up").at("rate_w_per_s").get<double>(), 21.7e6);
  EXPECT_EQ(g.at("largest_ramp_up").at("start_s").get<double>(), 3.125);
  EXPECT_TRUE(g.at("largest_ramp_down").is_null());
  const json& bands = g.at("spectrum").at("bands");
  ASSERT_EQ(bands.size(), 4u);
  EXPECT_TRUE(bands[0].at("max_share").is_null());
  EXPECT_EQ(bands[1].at("low_hz").get<double>(), 1.0);
  EXPECT_EQ(bands[1].at("high_hz").get<double>(), 2.5);
  EXPECT_EQ(bands[1].at("max_share").get<double>(), 0.2);
  EXPECT_EQ(bands[1].at("share").get<double>(), 0.62);
  EXPECT_FALSE(bands[1].at("within_limit").get<bool>());
  EXPECT_FALSE(g.at("spectrum").at("mask_met").get<bool>());

  ASSERT_EQ(j.at("limits").size(), 3u);
  EXPECT_EQ(j.at("limits")[1].at("limit"), "ramp_up");
  EXPECT_EQ(j.at("limits")[1].at("unit"), "W/s");
  EXPECT_EQ(j.at("limits")[1].at("limit_value").get<double>(), 10e6);
  EXPECT_FALSE(j.at("limits")[1].at("met").get<bool>());

  EXPECT_EQ(j.at("lowest_voltage").at("bus"), "row[2]/rack<5>&bus");
  EXPECT_EQ(j.at("lowest_voltage").at("v_pu").get<double>(), 0.912);
  EXPECT_EQ(j.at("lowest_voltage").at("time_s").get<double>(), 7.25);

  const json& dropped = j.at("dropped_loads");
  ASSERT_EQ(dropped.size(), 2u);
  EXPECT_EQ(dropped[0].at("on_s").get<double>(), 7.273);
  EXPECT_EQ(dropped[0].at("off_duration_s").get<double>(), 7.273 - 7.251);
  EXPECT_TRUE(dropped[1].at("on_s").is_null());  // still off at the end
  EXPECT_EQ(dropped[1].at("off_duration_s").get<double>(), 60.0 - 9.5);

  const json& hold_up = j.at("hold_up");
  ASSERT_EQ(hold_up.size(), 2u);
  EXPECT_EQ(hold_up[0].at("energy_j").get<double>(), 280.0);
  EXPECT_EQ(hold_up[0].at("orv3_hpr").at("hold_up_s").get<double>(), 0.020);
  EXPECT_EQ(hold_up[0].at("orv3_hpr").at("energy_j").get<double>(), 60.0);
  EXPECT_FALSE(hold_up[0].at("orv3_hpr").at("meets_time").get<bool>());
  EXPECT_TRUE(hold_up[0].at("orv3_hpr").at("meets_energy").get<bool>());
  EXPECT_TRUE(hold_up[0].at("held_s").is_null());  // it never turned off
  EXPECT_NEAR(hold_up[1].at("held_s").get<double>(), 7.251 - 7.2495, 1e-12);

  const json& storage = j.at("storage").at(0);
  EXPECT_EQ(storage.at("element"), "bbu <1>");
  for (const char* key :
       {"charged_j", "discharged_j", "soc_min", "soc_max", "soc_begin", "soc_end", "loss_j"})
    EXPECT_TRUE(storage.at(key).is_number()) << key;
  EXPECT_EQ(storage.at("soc_min").get<double>(), 0.45);

  EXPECT_EQ(j.at("smoothing_energy").at("total_j").get<double>(), 2.5e8 + 1.5e5);
  EXPECT_TRUE(j.at("max_frequency_deviation_hz").is_null());  // NaN in, null out
  EXPECT_EQ(j.at("least_damped_modes")[0].at("damping_ratio").get<double>(), 0.031);
  EXPECT_EQ(j.at("least_damped_modes")[0].at("participants")[1], "hall/dc<bus>");
  EXPECT_EQ(j.at("warnings").size(), 1u);
  EXPECT_EQ(j.at("integrator").at("steps"), 91'234);
  EXPECT_EQ(j.at("integrator").at("initial_conditions"), 241);
  EXPECT_EQ(j.at("integrator").at("wall_time_s").get<double>(), 4.75);
}

TEST(SimulationJson, NoLowestVoltageIsNull) {
  dynamic::SimulationSummary s = test::simulation_fixture();
  s.lowest_voltage.reset();
  s.grid_power.peak_w = INFINITY;
  const json j = simulation_json(s);
  EXPECT_TRUE(j.at("lowest_voltage").is_null());
  EXPECT_TRUE(j.at("grid_power").at("peak_w").is_null());
}

// A battery backup unit's row: its take-over against ORv3 HPR's 4 ms, null where it never
// turned on.
TEST(SimulationJson, BackupRowsReadBackWithTheirVerdict) {
  dynamic::SimulationSummary s = test::simulation_fixture();
  dynamic::BackupCheck took_over;
  took_over.element = "rack/bbu";
  took_over.bus = "rack/bus54";
  took_over.trigger_v = 48.5;
  took_over.set_voltage_v = 51.0;
  took_over.bandwidth_hz = 200.0;
  took_over.trigger_s = 0.111998;
  took_over.carry_s = 0.111998 + 0.001357;
  took_over.release_s = 0.5018;
  took_over.energy_j = 11770.0;
  took_over.lowest_v = 48.21;
  took_over.lowest_t_s = 0.1139;
  dynamic::BackupCheck idle;
  idle.element = "rack2/bbu";
  idle.lowest_v = 53.9;
  s.backup = {took_over, idle};
  const json j = json::parse(simulation_json(s).dump());
  const json& b = j.at("backup");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].at("element"), "rack/bbu");
  EXPECT_EQ(b[0].at("trigger_v").get<double>(), 48.5);
  EXPECT_EQ(b[0].at("carry_s").get<double>(), 0.111998 + 0.001357);
  EXPECT_EQ(b[0].at("time_to_carry_s").get<double>(), (0.111998 + 0.001357) - 0.111998);
  EXPECT_EQ(b[0].at("orv3_hpr").at("start_s").get<double>(), 0.004);
  EXPECT_EQ(b[0].at("orv3_hpr").at("carry_share").get<double>(), 0.9);
  EXPECT_TRUE(b[0].at("orv3_hpr").at("meets_start").get<bool>());
  EXPECT_TRUE(b[1].at("trigger_s").is_null());
  EXPECT_TRUE(b[1].at("time_to_carry_s").is_null());
  EXPECT_TRUE(b[1].at("orv3_hpr").at("meets_start").is_null());
}

TEST(SimulationJson, WrittenAtomicallyAndParses) {
  const auto path = test::scratch_dir("io-simulation-json") / "summary.json";
  write_simulation_json(path, test::simulation_fixture());
  const json j = json::parse(read_text_file(path));
  EXPECT_EQ(j.at("aggregation"), "phase_groups: 1,000 racks as 8 groups");
}

}  // namespace
}  // namespace g2g::io

// The scenario file reader: every key with its unit into the plain structs; every problem at once,
// at its key or value, with its fix; the JSON Schema generated from the same key tables.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/error.hpp"
#include "g2g/dynamic/scenario.hpp"
#include "support/test_support.hpp"

namespace g2g::dynamic {
namespace {

// Traces by name; any other name is a file that cannot be read.
TraceReader traces(std::map<std::string, std::string> files) {
  return [files = std::move(files)](std::string_view path) -> std::string {
    const auto it = files.find(std::string(path));
    if (it == files.end())
      throw InvalidInput("trace", fmt::format("no file '{}'", path), "check the name");
    return it->second;
  };
}

Scenario parse(const std::string& text, const TraceReader& reader = traces({})) {
  return parse_scenario(text, "dir/s.yaml", reader);
}

std::vector<core::Diagnostic> errors(const std::string& text,
                                     const TraceReader& reader = traces({})) {
  try {
    (void)parse(text, reader);
  } catch (const core::ModelError& e) {
    return e.diagnostics().items();
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return {};
}

const core::Diagnostic* find(const std::vector<core::Diagnostic>& list, const std::string& text) {
  for (const auto& d : list)
    if (d.message.find(text) != std::string::npos || d.fix.find(text) != std::string::npos)
      return &d;
  return nullptr;
}

constexpr const char* minimal =
    "grid2gpu_scenario: 1\nduration: 10 s\nmetrics: {ramp_window: 1 s}\n";

TEST(ScenarioFile, ReadsEveryKeyInSi) {
  const Scenario s = parse(R"(grid2gpu_scenario: 1
name: swings
duration: 1 min
solver: {relative_tolerance: 1e-5, absolute_tolerance: 1e-7, max_step: 10 ms, initial_step: 1 us}
aggregate: phase_groups
profiles:
  - loads: "row[*]/rack[*]/gpus"
    training: {period: 2 s, duty: 0.7, high: 1.0, low: 0.3, rise: 5 ms, fall: 4 ms,
               jitter: normal, jitter_sd: 2 ms}
    checkpoints: {first: 30 s, interval: 600 s, duration: 20 s, level: 10 %}
    dips: {rate: 6 /min, depth: 0.5, duration: 50 ms}
    job: {start: 0 s, start_ramp: 10 s, stop: 50 s, stop_ramp: 5 s}
    phase: 100 ms
    seed: 42
    phase_groups: {by: "row[*]", count: 4, spread: 1 s}
smoothing:
  - loads: [a, b]
    gpus_per_rack: 72
    rated_power: 1.4 kW
    power_floor: 60 %
    ramp_up: 100 W/s
    ramp_down: 0.2 kW/s
    ramp_down_hysteresis: 200 ms
    secondary_floor: 0 W
storage:
  - {elements: bess, control: grid_smoothing, grid_time_constant: 2 s, bandwidth: 10 Hz,
     soc_target: 50 %, soc_restore_time: 2 min}
  - {elements: "ups[*]", control: voltage_support, droop: 2 %}
metrics: {ramp_window: 500 ms, resample_factor: 10,
          bands: [{low: 0 Hz, high: 1 Hz}, {low: 1 Hz, high: 2.5 Hz, max_share: 20 %}]}
limits: {peak: 4 MW, ramp: 2 MW/s}
record: {signals: [dc800.v, "row[*]/rack[0]/gpus.p", bess.soc], every: 1 ms}
)");
  EXPECT_EQ(s.file, "dir/s.yaml");
  EXPECT_EQ(s.name, "swings");
  EXPECT_DOUBLE_EQ(s.duration_s, 60.0);
  EXPECT_DOUBLE_EQ(s.solver.relative_tolerance, 1e-5);
  ASSERT_TRUE(s.solver.absolute_tolerance);
  EXPECT_DOUBLE_EQ(*s.solver.absolute_tolerance, 1e-7);
  EXPECT_DOUBLE_EQ(s.solver.max_step_s, 10e-3);
  EXPECT_DOUBLE_EQ(s.solver.initial_step_s, 1e-6);
  EXPECT_EQ(s.aggregate, Aggregation::phase_groups);

  ASSERT_EQ(s.profiles.size(), 1U);
  const ProfileAssignment& p = s.profiles[0];
  ASSERT_EQ(p.loads.size(), 1U);
  EXPECT_EQ(p.loads[0].text, "row[*]/rack[*]/gpus");
  EXPECT_EQ(p.loads[0].where.line, 7);
  const auto& t = std::get<TrainingSteps>(p.profile.pattern);
  EXPECT_DOUBLE_EQ(t.period_s, 2.0);
  EXPECT_DOUBLE_EQ(t.duty, 0.7);
  EXPECT_DOUBLE_EQ(t.low, 0.3);
  EXPECT_DOUBLE_EQ(t.rise_s, 5e-3);
  EXPECT_DOUBLE_EQ(t.fall_s, 4e-3);
  EXPECT_EQ(t.jitter, Jitter::normal);
  EXPECT_DOUBLE_EQ(t.jitter_sd_s, 2e-3);
  ASSERT_TRUE(p.profile.checkpoints);
  EXPECT_DOUBLE_EQ(p.profile.checkpoints->level, 0.1);
  ASSERT_TRUE(p.profile.dips);
  EXPECT_DOUBLE_EQ(p.profile.dips->rate_per_s, 0.1);
  ASSERT_TRUE(p.profile.job && p.profile.job->stop_s);
  EXPECT_DOUBLE_EQ(*p.profile.job->stop_s, 50.0);
  EXPECT_DOUBLE_EQ(p.profile.job->stop_ramp_s, 5.0);
  EXPECT_DOUBLE_EQ(p.profile.phase_s, 0.1);
  EXPECT_EQ(p.profile.seed, 42U);
  ASSERT_TRUE(p.phase_groups);
  EXPECT_EQ(p.phase_groups->by.text, "row[*]");
  EXPECT_EQ(p.phase_groups->count, 4);
  EXPECT_DOUBLE_EQ(p.phase_groups->spread_s, 1.0);

  ASSERT_EQ(s.smoothing.size(), 1U);
  EXPECT_EQ(s.smoothing[0].loads.size(), 2U);
  EXPECT_EQ(s.smoothing[0].gpus_per_rack, 72);
  const SmoothingSettings& g = s.smoothing[0].per_gpu;
  EXPECT_DOUBLE_EQ(g.rated_power_w, 1400.0);
  EXPECT_DOUBLE_EQ(g.power_floor_percent, 60.0);
  EXPECT_DOUBLE_EQ(g.ramp_up_w_per_s, 100.0);
  EXPECT_DOUBLE_EQ(g.ramp_down_w_per_s, 200.0);
  EXPECT_DOUBLE_EQ(g.ramp_down_hysteresis_ms, 200.0);
  EXPECT_DOUBLE_EQ(g.secondary_floor_w, 0.0);

  ASSERT_EQ(s.storage.size(), 2U);
  EXPECT_EQ(s.storage[0].control, StorageControlMode::grid_smoothing);
  EXPECT_FALSE(s.storage[0].grid_ramp_limit_w_per_s);
  EXPECT_DOUBLE_EQ(s.storage[0].grid_time_constant_s.value(), 2.0);
  EXPECT_DOUBLE_EQ(s.storage[0].soc_target.value(), 0.5);
  EXPECT_DOUBLE_EQ(s.storage[0].soc_restore_time_s.value(), 120.0);
  EXPECT_DOUBLE_EQ(s.storage[0].bandwidth_hz.value(), 10.0);
  EXPECT_EQ(s.storage[1].control, StorageControlMode::voltage_support);
  EXPECT_DOUBLE_EQ(s.storage[1].droop_pu.value(), 0.02);

  EXPECT_DOUBLE_EQ(s.metrics.ramp_window_s, 0.5);
  EXPECT_DOUBLE_EQ(s.metrics.resample_factor, 10.0);
  ASSERT_EQ(s.metrics.bands.size(), 2U);
  EXPECT_FALSE(s.metrics.bands[0].max_share);
  EXPECT_DOUBLE_EQ(s.metrics.bands[1].high_hz, 2.5);
  EXPECT_DOUBLE_EQ(s.metrics.bands[1].max_share.value(), 0.2);
  EXPECT_DOUBLE_EQ(s.limits.peak_w.value(), 4e6);
  EXPECT_DOUBLE_EQ(s.limits.ramp_w_per_s.value(), 2e6);

  ASSERT_TRUE(s.record);
  EXPECT_DOUBLE_EQ(s.record->every_s, 1e-3);
  ASSERT_EQ(s.record->signals.size(), 3U);
  EXPECT_EQ(s.record->signals[1].element.text, "row[*]/rack[0]/gpus");
  EXPECT_EQ(s.record->signals[1].quantity, SignalQuantity::p);
  EXPECT_EQ(s.record->signals[2].quantity, SignalQuantity::soc);
  EXPECT_TRUE(s.warnings.empty());
}

TEST(ScenarioFile, ReadsABackupUnitAndAnInputLoss) {
  const Scenario s = parse(std::string(minimal) + R"(storage:
  - {elements: bbu, control: voltage_support, droop: 2 %, trigger: 48.5 V, set_voltage: 51 V,
     bandwidth: 200 Hz}
input_loss:
  - {converters: ["rack[*]/psu", shelf], at: 100 ms, duration: 0.4 s}
)");
  ASSERT_EQ(s.storage.size(), 1U);
  EXPECT_EQ(s.storage[0].control, StorageControlMode::voltage_support);
  EXPECT_EQ(s.storage[0].trigger_v, 48.5);
  EXPECT_EQ(s.storage[0].set_voltage_v, 51.0);
  EXPECT_EQ(s.storage[0].bandwidth_hz, 200.0);
  ASSERT_EQ(s.input_loss.size(), 1U);
  ASSERT_EQ(s.input_loss[0].converters.size(), 2U);
  EXPECT_EQ(s.input_loss[0].converters[0].text, "rack[*]/psu");
  EXPECT_DOUBLE_EQ(s.input_loss[0].at_s, 0.1);
  EXPECT_DOUBLE_EQ(s.input_loss[0].duration_s, 0.4);
}

TEST(ScenarioFile, DocumentedDefaults) {
  const Scenario s = parse(minimal);
  EXPECT_DOUBLE_EQ(s.solver.relative_tolerance, 1e-4);
  EXPECT_FALSE(s.solver.absolute_tolerance);
  EXPECT_EQ(s.solver.max_step_s, 0.0);  // IDA's own: unlimited
  EXPECT_EQ(s.solver.initial_step_s, 0.0);
  EXPECT_EQ(s.aggregate, Aggregation::none);
  EXPECT_TRUE(s.profiles.empty());
  EXPECT_FALSE(s.record);
  ASSERT_EQ(s.metrics.bands.size(), default_bands().size());
  EXPECT_DOUBLE_EQ(s.metrics.bands.back().high_hz, 20.0);
}

TEST(ScenarioFile, ReadsATraceRelativeToTheScenario) {
  std::string asked;
  const TraceReader reader = [&](std::string_view path) {
    asked = path;
    return std::string("time_s,power_w\n0,65000\n10,130000\n");
  };
  const Scenario s = parse(std::string(minimal) + R"(profiles:
  - loads: gpus
    trace: {file: traces/rack.csv, rated_power: 130 kW}
)",
                           reader);
  EXPECT_EQ(asked, "traces/rack.csv");
  const auto& trace = std::get<MeasuredTrace>(s.profiles[0].profile.pattern);
  EXPECT_EQ(trace.source, "dir/traces/rack.csv");
  EXPECT_DOUBLE_EQ(trace.utilisation.value(0.0), 0.5);
  EXPECT_DOUBLE_EQ(trace.utilisation.value(5.0), 0.75);
}

TEST(ScenarioFile, ATracesOwnErrorsAreAtItsLines) {
  const auto list = errors(std::string(minimal) + R"(profiles:
  - loads: gpus
    trace: {file: t.csv}
)",
                           traces({{"t.csv", "time_s,utilisation\n0,0.5\n1,1.5\n"}}));
  ASSERT_FALSE(list.empty());
  EXPECT_EQ(list[0].where.file, "dir/t.csv");
  EXPECT_EQ(list[0].where.line, 3);
}

TEST(ScenarioFile, APeriodOutsideProductionPracticeIsAWarning) {
  const Scenario s = parse(std::string(minimal) + R"(profiles:
  - loads: gpus
    training: {period: 30 s, duty: 0.5, high: 1, low: 0.2, rise: 0 s, fall: 0 s}
)");
  ASSERT_EQ(s.warnings.size(), 1U);
  EXPECT_EQ(s.warnings[0].severity, core::Severity::warning);
  EXPECT_NE(s.warnings[0].message.find("outside 0.1-10 s"), std::string::npos);
  EXPECT_EQ(s.warnings[0].where.line, 6);
  EXPECT_DOUBLE_EQ(std::get<TrainingSteps>(s.profiles[0].profile.pattern).period_s, 30.0);
}

TEST(ScenarioFile, ALooseToleranceIsAWarning) {
  const Scenario s = parse(std::string(minimal) + "solver: {relative_tolerance: 1e-2}\n");
  ASSERT_EQ(s.warnings.size(), 1U);
  EXPECT_NE(s.warnings[0].message.find("above 1e-3"), std::string::npos);
  EXPECT_EQ(s.warnings[0].where.line, 4);
  EXPECT_DOUBLE_EQ(s.solver.relative_tolerance, 1e-2);
}

struct BadCase {
  const char* what;
  std::string text;
  std::string message;  // in the message or the fix of a diagnostic
  int line;
  int column;
  std::string fix;  // in that diagnostic's fix ("" to skip)
};

std::string profile_with(const std::string& body) {
  return std::string(minimal) + "profiles:\n  - loads: gpus\n" + body;
}

TEST(ScenarioFile, EveryBadInputIsLocatedWithItsFix) {
  const std::vector<BadCase> cases{
      {"unknown top key", std::string(minimal) + "duraton: 5 s\n", "unknown key 'duraton'", 4, 1,
       "did you mean 'duration'?"},
      {"unknown training key",
       profile_with("    training: {period: 1 s, duty: 0.5, high: 1, low: 0, rise: 0 s, fall: "
                    "0 s, jiter: normal}\n"),
       "unknown key 'jiter'", 6, 79, "did you mean 'jitter'?"},
      {"missing unit", "grid2gpu_scenario: 1\nduration: 60\nmetrics: {ramp_window: 1 s}\n",
       "duration '60' has no unit", 2, 11, "duration: 60 s"},
      {"wrong dimension", "grid2gpu_scenario: 1\nduration: 60 kW\nmetrics: {ramp_window: 1 s}\n",
       "duration", 2, 11, "a time"},
      {"missing required key", "grid2gpu_scenario: 1\nmetrics: {ramp_window: 1 s}\n", "'duration'",
       1, 1, "add 'duration: 60 s'"},
      {"duty out of range",
       profile_with(
           "    training: {period: 1 s, duty: 1.5, high: 1, low: 0, rise: 0 s, fall: 0 s}\n"),
       "duty", 6, 35, ""},
      {"duty at 1 (open interval, from check_profile_spec)",
       profile_with(
           "    training: {period: 1 s, duty: 1, high: 1, low: 0, rise: 0 s, fall: 0 s}\n"),
       "profile: training.duty must be", 6, 35, "give training.duty a value"},
      {"low above high (placed at low)",
       profile_with(
           "    training: {period: 1 s, duty: 0.5, high: 0.3, low: 0.6, rise: 0 s, fall: 0 s}\n"),
       "training.low (0.6) exceeds", 6, 56, "swap them"},
      {"two patterns",
       profile_with("    constant: 0.5\n    training: {period: 1 s, duty: 0.5, high: 1, low: 0, "
                    "rise: 0 s, fall: 0 s}\n"),
       "more than one utilisation pattern", 5, 5, "exactly one of constant, training or trace"},
      {"trace escaping the folder", profile_with("    trace: {file: ../secret.csv}\n"),
       "leaves the scenario file's folder", 6, 19, "docs/security.md"},
      {"absolute trace path", profile_with("    trace: {file: /etc/passwd}\n"), "is absolute", 6,
       19, ""},
      {"trace that cannot be read", profile_with("    trace: {file: missing.csv}\n"),
       "no file 'missing.csv'", 6, 19, "check the name"},
      {"both ramp limit and time constant",
       std::string(minimal) +
           "storage:\n  - {elements: bess, control: grid_smoothing, grid_ramp_limit: 1 MW/s,\n"
           "     grid_time_constant: 2 s, soc_target: 50 %, soc_restore_time: 120 s}\n",
       "not both", 6, 26, "either"},
      {"grid smoothing without a reference",
       std::string(minimal) +
           "storage:\n  - {elements: bess, control: grid_smoothing, soc_target: 50 %, "
           "soc_restore_time: 120 s}\n",
       "needs the grid reference", 5, 5, "grid_ramp_limit"},
      {"droop on grid smoothing",
       std::string(minimal) +
           "storage:\n  - {elements: bess, control: grid_smoothing, grid_ramp_limit: 1 MW/s, "
           "soc_target: 0.5, soc_restore_time: 1 s, droop: 2 %}\n",
       "takes no 'droop'", 5, 119, ""},
      {"a backup unit without its set voltage",
       std::string(minimal) +
           "storage:\n  - {elements: bbu, control: voltage_support, droop: 2 %, trigger: 48.5 V, "
           "bandwidth: 200 Hz}\n",
       "'set_voltage'", 5, 5, "set_voltage: 50 V"},
      {"a backup unit's set voltage below its trigger",
       std::string(minimal) +
           "storage:\n  - {elements: bbu, control: voltage_support, droop: 2 %, trigger: 48.5 V,\n"
           "     set_voltage: 48 V, bandwidth: 200 Hz}\n",
       "set_voltage 48 V is not above trigger 48.5 V", 6, 19, "ORv3 HPR"},
      {"a bandwidth on plain droop",
       std::string(minimal) + "storage:\n  - {elements: bess, control: voltage_support, droop: 2 "
                              "%, bandwidth: 10 Hz}\n",
       "takes no 'bandwidth'", 5, 71, "other control mode"},
      {"input loss without a duration",
       std::string(minimal) + "input_loss:\n  - {converters: psu, at: 1 s}\n", "'duration'", 5, 5,
       "duration: 100 ms"},
      {"input loss with aggregation",
       std::string(minimal) +
           "aggregate: phase_groups\ninput_loss:\n  - {converters: psu, at: 1 s, duration: 1 s}\n",
       "input_loss is not simulated with aggregate", 6, 3, "remove"},
      {"unknown control", std::string(minimal) + "storage:\n  - {elements: bess, control: droop}\n",
       "'droop' is not one of", 5, 31, ""},
      {"jitter without sd",
       profile_with("    training: {period: 1 s, duty: 0.5, high: 1, low: 0, rise: 0 s, fall: 0 s, "
                    "jitter: normal}\n"),
       "needs its standard deviation", 6, 15, "jitter_sd"},
      {"stop without stop_ramp",
       profile_with("    constant: 1\n    job: {start: 0 s, start_ramp: 1 s, stop: 5 s}\n"),
       "'stop' and 'stop_ramp' go together", 7, 10, ""},
      {"bad signal quantity", std::string(minimal) + "record: {signals: [dc800.vv], every: 1 ms}\n",
       "unknown quantity 'vv'", 4, 20, ""},
      {"signal without a quantity",
       std::string(minimal) + "record: {signals: [dc800], every: 1 ms}\n",
       "is not '<element or pattern>.<quantity>'", 4, 20, ""},
      {"a resample factor the accumulator refuses",
       "grid2gpu_scenario: 1\nduration: 10 s\nmetrics: {ramp_window: 1 s, resample_factor: 1}\n",
       "metrics: resample_factor", 3, 46, ""},
      {"a period far from practice (a wrong unit)",
       profile_with(
           "    training: {period: 1 us, duty: 0.5, high: 1, low: 0, rise: 0 s, fall: 0 s}\n"),
       "about 4e+07 breakpoints", 5, 5, "check the units"},
      {"not version 1", "grid2gpu_scenario: 2\nduration: 1 s\nmetrics: {ramp_window: 1 s}\n",
       "not a scenario file of format 1", 1, 20, ""},
      {"not YAML", "grid2gpu_scenario: [1\n", "", 0, 0, ""},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.what);
    const auto list = errors(c.text);
    if (c.message.empty()) {
      EXPECT_FALSE(list.empty());
      continue;
    }
    const core::Diagnostic* d = find(list, c.message);
    ASSERT_NE(d, nullptr) << [&] {
      std::string all;
      for (const auto& e : list) all += e.message + " (fix: " + e.fix + ")\n";
      return all;
    }();
    EXPECT_EQ(d->where.file, "dir/s.yaml");
    EXPECT_EQ(d->where.line, c.line) << d->message;
    EXPECT_EQ(d->where.column, c.column) << d->message;
    if (!c.fix.empty()) {
      EXPECT_NE(d->fix.find(c.fix), std::string::npos) << d->fix;
    }
  }
}

TEST(ScenarioFile, ReadsFaults) {
  const Scenario s = parse(std::string(minimal) + R"(faults:
  - {id: f1, bus: "row[1]/busway", resistance: 10 mohm, time: 20 ms, clear: 35 ms}
  - {id: f2, line: "row[2]/busway_feed", at: 0.3, resistance: 0, time: 1 s,
     kind: pole_to_pole, dip_threshold: 80 %}
)");
  ASSERT_EQ(s.faults.size(), 2U);
  const Fault& f1 = s.faults[0];
  EXPECT_EQ(f1.id, "f1");
  ASSERT_TRUE(f1.bus);
  EXPECT_EQ(f1.bus->text, "row[1]/busway");
  EXPECT_FALSE(f1.line);
  EXPECT_DOUBLE_EQ(f1.resistance_ohm, 0.01);
  EXPECT_DOUBLE_EQ(f1.time_s, 0.02);
  ASSERT_TRUE(f1.clear_s);
  EXPECT_DOUBLE_EQ(*f1.clear_s, 0.035);
  EXPECT_DOUBLE_EQ(f1.dip_threshold, 0.9);  // IEC 61000-4-30's, by default
  const Fault& f2 = s.faults[1];
  ASSERT_TRUE(f2.line);
  EXPECT_EQ(f2.line->text, "row[2]/busway_feed");
  EXPECT_DOUBLE_EQ(f2.at, 0.3);
  EXPECT_DOUBLE_EQ(f2.resistance_ohm, 0.0);  // bolted
  EXPECT_FALSE(f2.clear_s);
  EXPECT_DOUBLE_EQ(f2.dip_threshold, 0.8);
}

TEST(ScenarioFile, EveryBadFaultIsLocatedWithItsFix) {
  const std::string faults = std::string(minimal) + "faults:\n";
  const std::vector<BadCase> cases{
      {"pole to ground",
       faults + "  - {id: f, bus: b, resistance: 1 mohm, time: 1 s, kind: pole_to_ground}\n",
       "pole_to_ground faults are not modelled", 5, 58, "pole_to_pole"},
      {"a fraction beyond the line",
       faults + "  - {id: f, line: l, at: 1.5, resistance: 1 mohm, time: 1 s}\n", "at must be", 5,
       26, ""},
      {"a negative resistance", faults + "  - {id: f, bus: b, resistance: -1 mohm, time: 1 s}\n",
       "resistance must not be negative", 5, 33, ""},
      {"cleared before its inception",
       faults + "  - {id: f, bus: b, resistance: 1 mohm, time: 2 s, clear: 1 s}\n",
       "clear 1 s is not after its inception at 2 s", 5, 59, "after `time`"},
      {"at a bus and on a line",
       faults + "  - {id: f, bus: b, line: l, at: 0.5, resistance: 1 mohm, time: 1 s}\n",
       "at a bus or on a line, not both", 5, 27, ""},
      {"nowhere", faults + "  - {id: f, resistance: 1 mohm, time: 1 s}\n",
       "neither `bus` nor `line`", 5, 5, "line: <DC line id>"},
      {"a line without its place", faults + "  - {id: f, line: l, resistance: 1 mohm, time: 1 s}\n",
       "needs its place `at`", 5, 5, "at: 0.5"},
      {"a resistance without its unit", faults + "  - {id: f, bus: b, resistance: 5, time: 1 s}\n",
       "resistance '5' has no unit", 5, 33, "10 mohm"},
      {"after the run", faults + "  - {id: f, bus: b, resistance: 1 mohm, time: 20 s}\n",
       "not within the 10 s run", 5, 47, ""},
      {"twice the same id",
       faults + "  - {id: f, bus: b, resistance: 1 mohm, time: 1 s}\n"
                "  - {id: f, bus: c, resistance: 1 mohm, time: 1 s}\n",
       "id 'f' is given twice", 6, 10, ""},
      {"a pattern", faults + "  - {id: f, bus: \"row[*]/busway\", resistance: 1 mohm, time: 1 s}\n",
       "names one bus, not a pattern", 5, 18, ""},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.what);
    const auto list = errors(c.text);
    const core::Diagnostic* d = find(list, c.message);
    ASSERT_NE(d, nullptr) << [&] {
      std::string all;
      for (const auto& e : list) all += e.message + " (fix: " + e.fix + ")\n";
      return all;
    }();
    EXPECT_EQ(d->where.file, "dir/s.yaml");
    EXPECT_EQ(d->where.line, c.line) << d->message;
    EXPECT_EQ(d->where.column, c.column) << d->message;
    if (!c.fix.empty()) {
      EXPECT_NE(d->fix.find(c.fix), std::string::npos) << d->fix;
    }
  }
}

TEST(ScenarioFile, ReportsEveryProblemAtOnce) {
  const auto list = errors(R"(grid2gpu_scenario: 1
duration: -1 s
aggregate: groups
profiles:
  - loads: gpus
    constant: 2
smoothing:
  - {loads: gpus, gpus_per_rack: 0, rated_power: 1 kW, power_floor: 60 %, ramp_up: 1 W/s,
     ramp_down: 1 W/s, ramp_down_hysteresis: 0 s}
metrics: {}
)");
  EXPECT_NE(find(list, "duration must be greater than zero"), nullptr);
  EXPECT_NE(find(list, "aggregate 'groups' is not one of"), nullptr);
  EXPECT_NE(find(list, "constant"), nullptr);
  EXPECT_NE(find(list, "gpus_per_rack must be at least 1"), nullptr);
  EXPECT_NE(find(list, "'secondary_floor'"), nullptr);
  EXPECT_NE(find(list, "'ramp_window'"), nullptr);
  EXPECT_GE(list.size(), 6U);
}

// Found by fuzz_scenario_loader: placing the first of two profile problems rewrote the profile's
// node in the tree (a yaml-cpp Node assignment), and the second one threw YAML::BadSubscript.
TEST(ScenarioFile, SeveralProfileProblemsAreEachAtTheirKey) {
  const auto list = errors(profile_with(
      "    training: {period: 1 s, duty: 0.7, high: 0.0, low: 0.3, rise: 5 ms, fall: 5 ms}\n"
      "    checkpoints: {first: 2 s, interval: 1 s, duration: 1.5 s, level: 0.1}\n"
      "    phase: 1 s\n"));
  const core::Diagnostic* low = find(list, "training.low (0.3) exceeds");
  ASSERT_NE(low, nullptr);
  EXPECT_EQ(low->where.line, 6);
  EXPECT_EQ(low->where.column, 56);
  const core::Diagnostic* pause = find(list, "checkpoints.duration (1.5 s) is not shorter");
  ASSERT_NE(pause, nullptr);
  EXPECT_EQ(pause->where.line, 7);
  EXPECT_EQ(pause->where.column, 56);
}

TEST(ScenarioFile, SignalsAreSplitAtTheLastDot) {
  std::string problem;
  const auto s = parse_signal("row[1]/rack[2]/gpus.u", {}, problem);
  ASSERT_TRUE(s) << problem;
  EXPECT_EQ(s->element.text, "row[1]/rack[2]/gpus");
  EXPECT_EQ(s->quantity, SignalQuantity::u);
  EXPECT_FALSE(parse_signal(".v", {}, problem));
  EXPECT_FALSE(parse_signal("bess.", {}, problem));
  EXPECT_FALSE(parse_signal("bess.sco", {}, problem));
  EXPECT_NE(problem.find("did you mean 'soc'?"), std::string::npos) << problem;
}

TEST(ScenarioFile, SchemaIsUpToDate) {
  const auto path = g2g::test::source_dir() / "docs" / "scenario.schema.json";
  if (std::getenv("G2G_UPDATE_SCHEMA") != nullptr) std::ofstream(path) << scenario_schema_json();
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), scenario_schema_json())
      << "docs/scenario.schema.json is out of date: run the unit tests with G2G_UPDATE_SCHEMA=1";
  const auto schema = nlohmann::json::parse(text.str());
  EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
  std::set<std::string> top;
  for (const auto& [k, v] : schema["properties"].items()) top.insert(k);
  EXPECT_EQ(top, (std::set<std::string>{"grid2gpu_scenario", "name", "duration", "solver",
                                        "aggregate", "profiles", "smoothing", "storage",
                                        "input_loss", "faults", "metrics", "limits", "record"}));
  EXPECT_EQ(schema["required"],
            nlohmann::json::array({"grid2gpu_scenario", "duration", "metrics"}));
  EXPECT_EQ(schema["$defs"]["storage"]["properties"]["control"]["enum"],
            nlohmann::json::array({"grid_smoothing", "voltage_support"}));
}

}  // namespace
}  // namespace g2g::dynamic

// A scenario placed on a model: patterns, phase groups by template instance, smoothing scaled to
// the rack, storage controls, signals; the shipped examples against the hall they name.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "g2g/core/diagnostics.hpp"
#include "g2g/dynamic/scenario.hpp"
#include "g2g/model/loader.hpp"
#include "support/test_support.hpp"

namespace g2g::dynamic {
namespace {

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// examples/800vdc-gpu-hall.yaml: 4 rows x 8 racks, a gpu_rack load "row[r]/rack[k]/gpus" each
// (instances count from 1), one storage element "bess".
const model::ModelSpec& hall() {
  static const model::ModelSpec model = [] {
    const auto path = g2g::test::example_path("800vdc-gpu-hall.yaml");
    return model::load_yaml(read(path), path.string());
  }();
  return model;
}

std::size_t load_index(const model::ModelSpec& m, std::string_view id) {
  for (std::size_t k = 0; k < m.loads.size(); ++k)
    if (m.loads[k].id == id) return k;
  ADD_FAILURE() << "no load " << id;
  return 0;
}

const TraceReader no_traces = [](std::string_view path) -> std::string {
  throw InvalidInput("trace", fmt::format("no file '{}'", path));
};

Scenario scenario(const std::string& body) {
  return parse_scenario(
      "grid2gpu_scenario: 1\nduration: 10 s\nmetrics: {ramp_window: 1 s}\n" + body, "s.yaml",
      no_traces);
}

std::vector<core::Diagnostic> resolve_errors(const std::string& body) {
  const Scenario s = scenario(body);
  try {
    (void)resolve(s, hall());
  } catch (const core::ModelError& e) {
    return e.diagnostics().items();
  }
  ADD_FAILURE() << "no error for:\n" << body;
  return {};
}

TEST(ScenarioPatterns, StarStaysWithinASegmentAndBracketsAreLiteral) {
  EXPECT_TRUE(matches_pattern("row[*]/rack[*]/gpus", "row[2]/rack[15]/gpus"));
  EXPECT_TRUE(matches_pattern("row[2]/rack[5]/gpus", "row[2]/rack[5]/gpus"));
  EXPECT_FALSE(matches_pattern("row[*]/rack[*]/gpus", "row[2]/rack[5]/gpus2"));
  EXPECT_FALSE(matches_pattern("row[*]", "row[2]/rack[5]"));  // '*' never crosses '/'
  EXPECT_FALSE(matches_pattern("*", "a/b"));
  EXPECT_TRUE(matches_pattern("*/*", "a/b"));
  EXPECT_TRUE(matches_pattern("row[1*]/*/gpus", "row[12]/rack[0]/gpus"));
  EXPECT_FALSE(matches_pattern("row[1]", "row1"));  // '[' is literal, not a character class
  EXPECT_TRUE(matches_pattern("*a*b*", "xaybz"));
  EXPECT_FALSE(matches_pattern("*a*b", "xaybz"));
  EXPECT_TRUE(matches_pattern("**", ""));
  EXPECT_FALSE(matches_pattern("", "a"));
}

TEST(ScenarioResolve, PhaseGroupsByRowInTheModelsOrder) {
  const Scenario s = scenario(R"(profiles:
  - loads: "row[*]/rack[*]/gpus"
    training: {period: 1 s, duty: 0.5, high: 1, low: 0.2, rise: 0 s, fall: 0 s}
    phase: 0.25 s
    phase_groups: {by: "row[*]", count: 3, spread: 0.9 s}
)");
  const ResolvedScenario r = resolve(s, hall());
  ASSERT_EQ(r.load_profiles.size(), hall().loads.size());
  std::size_t profiled = 0;
  for (const auto& p : r.load_profiles) profiled += p ? 1 : 0;
  EXPECT_EQ(profiled, 32U);
  // Rows 1, 2, 3, 4 are instances 0-3 in the model's order: groups 0, 1, 2, 0 with phases
  // g * 0.9 s / 3 (the profile's own 0.25 s is added by make_profile, not here).
  for (int row = 1; row <= 4; ++row) {
    for (int rack : {1, 8}) {
      const auto& p =
          r.load_profiles[load_index(hall(), fmt::format("row[{}]/rack[{}]/gpus", row, rack))];
      ASSERT_TRUE(p);
      const std::size_t group = static_cast<std::size_t>((row - 1) % 3);
      EXPECT_EQ(p->profile, 0U);
      EXPECT_EQ(p->group_index, group);
      EXPECT_EQ(p->group.stream, group);
      EXPECT_DOUBLE_EQ(p->group.phase_s, 0.3 * static_cast<double>(group));
    }
  }
}

TEST(ScenarioResolve, WithoutPhaseGroupsEveryLoadIsItsOwnStream) {
  const Scenario s = scenario(R"(profiles:
  - loads: ["row[1]/rack[*]/gpus", "row[1]/rack[2]/gpus"]
    constant: 0.5
)");
  const ResolvedScenario r = resolve(s, hall());
  std::size_t profiled = 0;
  for (std::size_t k = 0; k < r.load_profiles.size(); ++k) {
    if (!r.load_profiles[k]) continue;
    ++profiled;
    EXPECT_EQ(r.load_profiles[k]->group.stream, k);
    EXPECT_EQ(r.load_profiles[k]->group.phase_s, 0.0);
    EXPECT_FALSE(r.load_profiles[k]->group_index);
  }
  EXPECT_EQ(profiled, 8U);  // rack[2] named twice in one list counts once
}

TEST(ScenarioResolve, SmoothingIsScaledFromOneGpuToTheRack) {
  const Scenario s = scenario(R"(smoothing:
  - loads: "row[2]/rack[*]/gpus"
    gpus_per_rack: 72
    rated_power: 1.4 kW
    power_floor: 60 %
    ramp_up: 100 W/s
    ramp_down: 50 W/s
    ramp_down_hysteresis: 200 ms
    secondary_floor: 100 W
)");
  const ResolvedScenario r = resolve(s, hall());
  const auto& rack = r.load_smoothing[load_index(hall(), "row[2]/rack[3]/gpus")];
  ASSERT_TRUE(rack);
  EXPECT_DOUBLE_EQ(rack->rated_power_w, 72 * 1400.0);
  EXPECT_DOUBLE_EQ(rack->ramp_up_w_per_s, 72 * 100.0);
  EXPECT_DOUBLE_EQ(rack->ramp_down_w_per_s, 72 * 50.0);
  EXPECT_DOUBLE_EQ(rack->secondary_floor_w, 72 * 100.0);
  EXPECT_DOUBLE_EQ(rack->power_floor_percent, 60.0);  // a share: not scaled
  EXPECT_DOUBLE_EQ(rack->ramp_down_hysteresis_ms, 200.0);
  EXPECT_NO_THROW(check_smoothing_settings(*rack));
  EXPECT_FALSE(r.load_smoothing[load_index(hall(), "row[1]/rack[3]/gpus")]);
}

TEST(ScenarioResolve, StorageControlPerElement) {
  const Scenario s = scenario(R"(storage:
  - {elements: bess, control: voltage_support, droop: 2 %}
)");
  const ResolvedScenario r = resolve(s, hall());
  ASSERT_EQ(r.storage_control.size(), 1U);
  EXPECT_EQ(r.storage_control[0], 0U);
}

struct ResolveCase {
  const char* what;
  std::string body;
  std::string message;
  int line;
  int column;
  std::string fix;
};

TEST(ScenarioResolve, EveryProblemIsAtTheScenariosKey) {
  const std::vector<ResolveCase> cases{
      {"a pattern matching nothing",
       "profiles:\n  - {loads: \"row[*]/rack[*]/gpu\", constant: 1}\n", "matches no load", 5, 13,
       "did you mean 'row[*]/rack[*]/gpus'?"},
      {"a profile on another kind", "profiles:\n  - {loads: dc800, constant: 1}\n",
       "names bus 'dc800', not a gpu_rack load", 5, 13, ""},
      {"smoothing on a storage element",
       "smoothing:\n  - {loads: bess, gpus_per_rack: 1, rated_power: 1 kW, power_floor: 0 %, "
       "ramp_up: 1 W/s, ramp_down: 1 W/s, ramp_down_hysteresis: 0 s, secondary_floor: 0 W}\n",
       "names storage 'bess'", 5, 13, ""},
      {"storage naming a load",
       "storage:\n  - {elements: \"row[1]/rack[1]/gpus\", control: "
       "voltage_support, droop: 2 %}\n",
       "not a storage", 5, 16, ""},
      {"a load in two profiles",
       "profiles:\n  - {loads: \"row[1]/rack[*]/gpus\", constant: 1}\n  - {loads: "
       "\"row[*]/rack[1]/gpus\", constant: 0.5}\n",
       "load 'row[1]/rack[1]/gpus' is given two profiles", 6, 13, ""},
      {"phase groups by no instance",
       "profiles:\n  - {loads: \"row[*]/rack[*]/gpus\", constant: 1, phase_groups: {by: "
       "\"hall[*]\", count: 2, spread: 1 s}}\n",
       "is in no template instance that 'hall[*]' matches", 5, 68, "by: \"row[*]/rack[*]\""},
      {"a signal naming nothing", "record: {signals: [dc80.v], every: 1 ms}\n", "matches no bus", 4,
       20, "did you mean 'dc800'?"},
      {"utilisation of a bus", "record: {signals: [dc800.u], every: 1 ms}\n",
       "names bus 'dc800', not a gpu_rack load", 4, 20, ""},
  };
  for (const ResolveCase& c : cases) {
    SCOPED_TRACE(c.what);
    const auto list = resolve_errors(c.body);
    const core::Diagnostic* d = nullptr;
    for (const auto& e : list)
      if (e.message.find(c.message) != std::string::npos) d = &e;
    ASSERT_NE(d, nullptr) << [&] {
      std::string all;
      for (const auto& e : list) all += e.message + " (fix: " + e.fix + ")\n";
      return all;
    }();
    EXPECT_EQ(d->where.file, "s.yaml");
    EXPECT_EQ(d->where.line, c.line) << d->message;
    EXPECT_EQ(d->where.column, c.column) << d->message;
    if (!c.fix.empty()) {
      EXPECT_NE(d->fix.find(c.fix), std::string::npos) << d->fix;
    }
  }
}

TEST(ScenarioResolve, FaultsAreOnOneDcBusOrLine) {
  const Scenario s = scenario(
      "faults:\n"
      "  - {id: a, bus: \"row[2]/busway\", resistance: 1 mohm, time: 1 s}\n"
      "  - {id: b, line: \"row[3]/busway_feed\", at: 0.25, resistance: 1 mohm, time: 1 s}\n"
      "  - {id: c, line: \"row[3]/busway_feed\", at: 1, resistance: 1 mohm, time: 1 s}\n");
  const ResolvedScenario r = resolve(s, hall());
  ASSERT_EQ(r.fault_places.size(), 3U);
  const auto bus_id = [](std::size_t b) { return hall().buses[b].id; };
  ASSERT_TRUE(r.fault_places[0].bus);
  EXPECT_EQ(bus_id(*r.fault_places[0].bus), "row[2]/busway");
  ASSERT_TRUE(r.fault_places[1].line);
  EXPECT_EQ(hall().lines[*r.fault_places[1].line].id, "row[3]/busway_feed");
  EXPECT_DOUBLE_EQ(r.fault_places[1].at, 0.25);
  // At the line's `to` end: at that bus.
  ASSERT_TRUE(r.fault_places[2].bus);
  EXPECT_EQ(bus_id(*r.fault_places[2].bus), "row[3]/busway");
}

TEST(ScenarioResolve, EveryBadFaultPlaceIsAtItsKey) {
  const std::vector<ResolveCase> cases{
      {"an unknown bus",
       "faults:\n  - {id: f, bus: \"row[1]/buswy\", resistance: 1 mohm, "
       "time: 1 s}\n",
       "the model has no bus 'row[1]/buswy'", 5, 18, "did you mean 'row[1]/busway'?"},
      {"an unknown line",
       "faults:\n  - {id: f, line: mv_feedr, at: 0.5, resistance: 1 mohm, "
       "time: 1 s}\n",
       "the model has no line 'mv_feedr'", 5, 19, "did you mean 'mv_feeder'?"},
      {"an AC bus", "faults:\n  - {id: f, bus: mv, resistance: 1 mohm, time: 1 s}\n",
       "bus 'mv' is an AC bus", 5, 18, "DC bus"},
      {"an AC line",
       "faults:\n  - {id: f, line: mv_feeder, at: 0.5, resistance: 1 mohm, "
       "time: 1 s}\n",
       "line 'mv_feeder' is on the AC side", 5, 19, "DC line"},
  };
  for (const ResolveCase& c : cases) {
    SCOPED_TRACE(c.what);
    const auto list = resolve_errors(c.body);
    const core::Diagnostic* d = nullptr;
    for (const auto& e : list)
      if (e.message.find(c.message) != std::string::npos) d = &e;
    ASSERT_NE(d, nullptr) << [&] {
      std::string all;
      for (const auto& e : list) all += e.message + " (fix: " + e.fix + ")\n";
      return all;
    }();
    EXPECT_EQ(d->where.line, c.line) << d->message;
    EXPECT_EQ(d->where.column, c.column) << d->message;
    EXPECT_NE(d->fix.find(c.fix), std::string::npos) << d->fix;
  }
}

TEST(ScenarioResolve, AConstantLoadCannotFollowAProfile) {
  const auto path = g2g::test::example_path("physics-48v-rack-shelf.yaml");
  const model::ModelSpec model = model::load_yaml(read(path), path.string());
  std::string other;
  for (const auto& load : model.loads)
    if (load.model != model::LoadModel::gpu_rack) other = load.id;
  ASSERT_FALSE(other.empty()) << "the example has no load that is not a gpu_rack";
  const Scenario s = scenario("profiles:\n  - {loads: \"" + other + "\", constant: 1}\n");
  try {
    (void)resolve(s, model);
    FAIL() << "expected a ModelError";
  } catch (const core::ModelError& e) {
    const auto& d = e.diagnostics().items().at(0);
    EXPECT_NE(d.message.find("only gpu_rack loads can be given a profile"), std::string::npos)
        << d.message;
    EXPECT_EQ(d.where.line, 5);
  }
}

TEST(ScenarioExamples, EveryExampleLoadsAndResolvesAgainstTheHall) {
  const auto dir = g2g::test::source_dir() / "examples" / "scenarios";
  std::vector<std::filesystem::path> files;
  // bbu-outage.yaml is for examples/54v-rack-bbu.yaml (the next test), rack-feeder-fault.yaml
  // for examples/800vdc-gpu-hall-sscb.yaml
  // (SimulateCli.RackFeederFaultIsClearedByTheRackBreakerAlone).
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".yaml" && entry.path().filename() != "bbu-outage.yaml" &&
        entry.path().filename() != "rack-feeder-fault.yaml")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 8U);
  const TraceReader beside = [&](std::string_view path) { return read(dir / path); };
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    Scenario s;
    try {
      s = parse_scenario(read(file), file.string(), beside);
    } catch (const core::ModelError& e) {
      FAIL() << e.diagnostics().to_string();
    }
    EXPECT_TRUE(s.warnings.empty());
    EXPECT_FALSE(s.name.empty());
    EXPECT_FALSE(s.profiles.empty());
    ResolvedScenario r;
    try {
      r = resolve(s, hall());
    } catch (const core::ModelError& e) {
      FAIL() << e.diagnostics().to_string();
    }
    std::size_t profiled = 0;
    for (const auto& p : r.load_profiles) profiled += p ? 1 : 0;
    EXPECT_EQ(profiled, 32U);  // every rack of the hall
    // Each profile builds over the run, so the examples are complete for make_profile too.
    for (std::size_t k = 0; k < r.load_profiles.size(); k += 9) {
      if (!r.load_profiles[k]) continue;
      EXPECT_NO_THROW((void)make_profile(s.profiles[r.load_profiles[k]->profile].profile, 0.0,
                                         s.duration_s, r.load_profiles[k]->group));
    }
  }
}

TEST(ScenarioExamples, BbuOutageResolvesAgainstItsRack) {
  const auto dir = g2g::test::source_dir() / "examples";
  const auto model_path = dir / "54v-rack-bbu.yaml";
  const model::ModelSpec rack = model::load_yaml(read(model_path), model_path.string());
  const auto file = dir / "scenarios" / "bbu-outage.yaml";
  const TraceReader none = [](std::string_view) -> std::string { return {}; };
  Scenario s;
  ResolvedScenario r;
  try {
    s = parse_scenario(read(file), file.string(), none);
    r = resolve(s, rack);
  } catch (const core::ModelError& e) {
    FAIL() << e.diagnostics().to_string();
  }
  ASSERT_EQ(s.storage.size(), 1U);
  EXPECT_EQ(s.storage[0].trigger_v, 48.5);
  EXPECT_EQ(s.storage[0].set_voltage_v, 51.0);
  EXPECT_EQ(s.storage[0].bandwidth_hz, 200.0);
  ASSERT_EQ(s.input_loss.size(), 1U);
  EXPECT_DOUBLE_EQ(s.input_loss[0].at_s, 0.1);
  EXPECT_DOUBLE_EQ(s.input_loss[0].duration_s, 0.4);
  ASSERT_EQ(r.input_loss_converters.size(), 1U);
  ASSERT_EQ(r.input_loss_converters[0].size(), 1U);
  EXPECT_EQ(rack.converters[r.input_loss_converters[0][0]].id, "shelf");
}

}  // namespace
}  // namespace g2g::dynamic

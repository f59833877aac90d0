// api::simulate is what `grid2gpu simulate` runs: on the example hall its summary equals the
// CLI's JSON (wall times aside) and the signals it keeps are the CSV's rows; the recording
// options and a scenario given as text are checked with the messages the shells show.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "g2g/api/simulate.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/core/error.hpp"
#include "g2g/io/files.hpp"
#include "g2g/io/simulation_json.hpp"
#include "support/test_support.hpp"

namespace g2g::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json without_wall_times(json summary) {
  summary["integrator"].erase("wall_time_s");
  return summary;
}

std::vector<std::string> lines_of(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A sink that only counts, to see that keeping the signals still feeds the caller's sink.
class CountingSink final : public dynamic::SignalSink {
 public:
  void begin(std::span<const std::string> columns) override { columns_ = columns.size(); }
  void row(double, std::span<const double>) override { ++rows_; }
  std::size_t columns_ = 0;
  std::size_t rows_ = 0;
};

const fs::path hall = example_path("800vdc-gpu-hall.yaml");
const fs::path job_start = example_path("scenarios/job-start-dip.yaml");

TEST(ApiSimulate, SummaryEqualsTheCliJsonAndKeepsTheCsvRows) {
  const fs::path dir = scratch_dir("api-simulate");
  const auto cli =
      run_command(fmt::format("'{}' simulate '{}' --scenario '{}' --json '{}' --csv "
                              "'{}' -q",
                              cli_path().string(), hall.string(), job_start.string(),
                              (dir / "s.json").string(), (dir / "w.csv").string()));
  ASSERT_EQ(cli.exit_code, 0) << cli.output;

  const api::ValidatedModel model = api::load_model(hall);
  CountingSink counted;
  api::SimulateOptions options;
  options.keep_signals = true;
  options.sink = &counted;
  const api::SimulateResult result = api::simulate(model, api::load_scenario(job_start), options);
  EXPECT_EQ(without_wall_times(io::simulation_json(result.run.summary)),
            without_wall_times(json::parse(io::read_text_file(dir / "s.json"))));

  ASSERT_TRUE(result.signals.has_value());
  const api::RecordedSignals& kept = *result.signals;
  const auto csv = lines_of(dir / "w.csv");
  ASSERT_EQ(csv.size(), kept.t_s.size() + 1);  // the header, then a row per output time
  EXPECT_EQ(csv.front(), "t_s," + fmt::format("{}", fmt::join(kept.columns, ",")));
  EXPECT_EQ(kept.values.size(), kept.t_s.size() * kept.columns.size());
  EXPECT_EQ(counted.columns_, kept.columns.size());
  EXPECT_EQ(counted.rows_, kept.t_s.size());
  EXPECT_DOUBLE_EQ(kept.t_s.back(), 2.0);
  // The CSV's last row, first signal (the 800 V bus): the number kept, to the digit (the CSV
  // writes the shortest text that reads back the same double).
  const std::string& last = csv.back();
  EXPECT_EQ(std::stod(last.substr(last.find(',') + 1)),
            kept.values[(kept.t_s.size() - 1) * kept.columns.size()])
      << last;
}

TEST(ApiSimulate, RecordingOptionsAreCheckedUnderTheCallersNames) {
  dynamic::Scenario scenario = api::load_scenario(example_path("scenarios/storage-sizing.yaml"));
  ASSERT_FALSE(scenario.record.has_value());  // records nothing
  api::SimulateOptions options;
  options.every = "1 ms";
  try {
    api::apply_recording(scenario, options);
    FAIL() << "an output step with nothing to record";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.subject(), "every");
    EXPECT_STREQ(e.what(), "every: there is no signal to record: give record too");
  }
  options.names = {"--record", "--every"};
  options.record = {"dc800.v"};
  options.every = "1 V";
  try {
    api::apply_recording(scenario, options);
    FAIL() << "a step that is not a time";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.subject(), "--every");
    EXPECT_EQ(std::string(e.what()).rfind("--every: 1 V: ", 0), 0u) << e.what();
  }
  options.every.clear();
  try {
    api::apply_recording(scenario, options);
    FAIL() << "signals without an output step";
  } catch (const InvalidInput& e) {
    EXPECT_STREQ(e.what(), "--every: the output step must be given and above 0 s");
  }
  options.every = "5 ms";
  options.record = {"dc800.v", "nope"};
  try {
    api::apply_recording(scenario, options);
    FAIL() << "a signal that is not one";
  } catch (const core::ModelError& e) {
    ASSERT_EQ(e.diagnostics().items().size(), 1u);
    EXPECT_EQ(e.diagnostics().items()[0].where.file, "--record");
  }
  options.record = {"dc800.v"};
  api::apply_recording(scenario, options);
  ASSERT_TRUE(scenario.record.has_value());
  EXPECT_EQ(scenario.record->signals.size(), 1u);
  EXPECT_DOUBLE_EQ(scenario.record->every_s, 0.005);
}

// Text has no folder: a trace it names is refused at its `file:` key unless a folder is given,
// and then only inside it.
TEST(ApiSimulate, ScenarioTextReadsTracesOnlyFromItsFolder) {
  const fs::path dir = scratch_dir("api-simulate-text");
  {
    std::ofstream out(dir / "trace.csv");
    out << "time_s,utilisation\n0,0.5\n2,1\n";
  }
  const std::string text = R"(grid2gpu_scenario: 1
name: traced
duration: 2 s
profiles:
  - loads: "row[*]/rack[*]/gpus"
    trace: {file: trace.csv}
metrics: {ramp_window: 100 ms}
)";
  try {
    (void)api::load_scenario_text(text, "traced.yaml");
    FAIL() << "a trace without a folder";
  } catch (const core::ModelError& e) {
    const auto& d = e.diagnostics().items().at(0);
    EXPECT_EQ(d.where.file, "traced.yaml");
    EXPECT_EQ(d.where.line, 6);
    EXPECT_NE(d.message.find("no folder for its traces"), std::string::npos) << d.message;
  }
  const dynamic::Scenario read = api::load_scenario_text(text, "traced.yaml", dir);
  const api::SimulateResult run = api::simulate(api::load_model(hall), read);
  EXPECT_GT(run.run.summary.grid_power.peak_time_s, 1.9);  // the trace rises to the end
  EXPECT_FALSE(run.signals.has_value());
  try {
    (void)api::load_scenario_text(
        std::string(text).replace(text.find("trace.csv"), 9, "../trace.csv"), "traced.yaml",
        dir / "sub");
    FAIL() << "a trace outside the folder";
  } catch (const core::ModelError& e) {
    EXPECT_EQ(e.diagnostics().items().at(0).where.line, 6);
  }
}

}  // namespace
}  // namespace g2g::test

// A time-domain run through the API: a ValidatedModel and a scenario (a file, or text) with the
// caller's recording in, the summary, the envelopes and (when asked) the recorded signals out.
// Everything `grid2gpu simulate` decides lives here or below (dynamic::simulate): how a
// scenario and its traces are read (confined to its folder, docs/security.md), how --record and
// --every replace the scenario's recording, and the storage sizing study. A shell parses its
// options, calls this, and prints or writes the result (io/simulation_json, io/waveform_csv,
// report::render_simulation_html). docs/api.md, docs/dynamic.md.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/api/model.hpp"
#include "g2g/dynamic/scenario.hpp"
#include "g2g/dynamic/simulate.hpp"
#include "g2g/dynamic/storage_sizing.hpp"

namespace g2g::api {

// A scenario file (grid2gpu_scenario: 1) and the measured traces it names, each resolved against
// the scenario's folder and refused outside it or the `allowed` folders (the CLI's --allow-path).
// Throws io::FileError when the file cannot be read, core::ModelError with every problem.
[[nodiscard]] dynamic::Scenario load_scenario(const std::filesystem::path& path,
                                              std::span<const std::filesystem::path> allowed = {});

// A scenario from text: `name` names it in messages; its traces resolve in `trace_dir` under
// the same rules (none: a trace is an error at its `file:` key).
[[nodiscard]] dynamic::Scenario load_scenario_text(
    std::string_view text, const std::string& name,
    const std::optional<std::filesystem::path>& trace_dir = std::nullopt,
    std::span<const std::filesystem::path> allowed = {});

// How a shell names the recording options in messages: the defaults are SimulateOptions' field
// names; the CLI gives its option names.
struct SimulateNames {
  std::string record = "record";
  std::string every = "every";
};

struct SimulateOptions {
  // Signals to record, replacing the scenario's: "ELEMENT.v|p|i|u|f", patterns allowed
  // ("row[*]/rack[0]/gpus.p"). Empty: the scenario's own.
  std::vector<std::string> record;
  // Output step of the recorded signals, replacing the scenario's: "1 ms", or a number in
  // seconds (core::parse_quantity). Empty: the scenario's.
  std::string every;
  // Keep the recorded signals in SimulateResult::signals (rows x columns doubles in memory).
  bool keep_signals = false;
  // Also stream them here (the CLI's CSV writer); may be null.
  dynamic::SignalSink* sink = nullptr;
  // After every integrator step; false cancels the run (the summary says so).
  std::function<bool(double t_s)> progress;
  SimulateNames names;
};

// The recorded signals on the output grid, as the CSV holds them.
struct RecordedSignals {
  std::vector<std::string> columns;  // each signal's name with its unit ("grid_power_w")
  std::vector<double> t_s;
  std::vector<double> values;  // row-major: values[row * columns.size() + column]
};

struct SimulateResult {
  dynamic::SimulationRun run;              // summary, envelopes, cancelled
  std::optional<RecordedSignals> signals;  // keep_signals with a scenario that records
};

// The scenario's recording with `options`' replacements, checked: throws core::ModelError for a
// signal that is not one (located at names.record), g2g::InvalidInput (subject names.every) for
// an output step with nothing to record, one that is not a time, or one not above 0 s.
void apply_recording(dynamic::Scenario& scenario, const SimulateOptions& options);

// apply_recording, then dynamic::simulate. Throws what they throw: core::ModelError (a scenario
// the model cannot run, each at its location), steady::NonConvergenceError (no power flow at
// t = 0), dynamic::IntegrationError.
[[nodiscard]] SimulateResult simulate(const ValidatedModel& model, dynamic::Scenario scenario,
                                      const SimulateOptions& options = {});

// The smallest grid-smoothing storage that meets the scenario's grid limits (dynamic/
// storage_sizing.hpp): the study `grid2gpu simulate --size-storage` runs.
[[nodiscard]] dynamic::SizingResult size_storage(const ValidatedModel& model,
                                                 const dynamic::Scenario& scenario,
                                                 const dynamic::SizingOptions& options = {},
                                                 const dynamic::SizingProgress& progress = {});

}  // namespace g2g::api

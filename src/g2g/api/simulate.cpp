#include "g2g/api/simulate.hpp"

#include <utility>

#include <fmt/format.h>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/error.hpp"
#include "g2g/core/units.hpp"
#include "g2g/io/scenario_files.hpp"

namespace g2g::api {

namespace {

// Keeps the recorded signals and passes them on to the caller's sink, if any.
class KeepingSink final : public dynamic::SignalSink {
 public:
  KeepingSink(RecordedSignals& kept, dynamic::SignalSink* next) : kept_(kept), next_(next) {}
  void begin(std::span<const std::string> columns) override {
    kept_.columns.assign(columns.begin(), columns.end());
    if (next_) next_->begin(columns);
  }
  void row(double t_s, std::span<const double> values) override {
    kept_.t_s.push_back(t_s);
    kept_.values.insert(kept_.values.end(), values.begin(), values.end());
    if (next_) next_->row(t_s, values);
  }

 private:
  RecordedSignals& kept_;
  dynamic::SignalSink* next_;
};

}  // namespace

dynamic::Scenario load_scenario(const std::filesystem::path& path,
                                std::span<const std::filesystem::path> allowed) {
  return io::read_scenario(path, allowed);
}

dynamic::Scenario load_scenario_text(std::string_view text, const std::string& name,
                                     const std::optional<std::filesystem::path>& trace_dir,
                                     std::span<const std::filesystem::path> allowed) {
  return io::read_scenario_text(text, name, trace_dir, allowed);
}

void apply_recording(dynamic::Scenario& scenario, const SimulateOptions& options) {
  const SimulateNames& names = options.names;
  if (!options.record.empty()) {
    dynamic::Recording recording;
    recording.every_s = scenario.record ? scenario.record->every_s : 0.0;
    core::DiagnosticList problems;
    const core::SourceLocation where{names.record, 0, 0};
    for (const auto& text : options.record) {
      std::string problem;
      if (auto signal = dynamic::parse_signal(text, where, problem))
        recording.signals.push_back(std::move(*signal));
      else
        problems.error(where, problem);
    }
    if (problems.has_errors()) throw core::ModelError(std::move(problems));
    scenario.record = std::move(recording);
  }
  if (!options.every.empty()) {
    if (!scenario.record)
      throw InvalidInput(names.every, fmt::format("{}: there is no signal to record: give {} too",
                                                  names.every, names.record));
    const core::ParsedQuantity every = core::parse_quantity(options.every, core::Dimension::time);
    if (!every.ok)
      throw InvalidInput(names.every,
                         fmt::format("{}: {}: {}", names.every, options.every, every.error.message),
                         every.error.fix);
    scenario.record->every_s = every.value;
  }
  // Signals given without a recording in the scenario have no output step until `every` is.
  if (scenario.record && !(scenario.record->every_s > 0.0))
    throw InvalidInput(names.every,
                       fmt::format("{}: the output step must be given and above 0 s", names.every));
}

SimulateResult simulate(const ValidatedModel& model, dynamic::Scenario scenario,
                        const SimulateOptions& options) {
  apply_recording(scenario, options);
  SimulateResult result;
  std::optional<KeepingSink> keeping;
  dynamic::SimulationCallbacks callbacks;
  callbacks.progress = options.progress;
  callbacks.sink = options.sink;
  if (options.keep_signals && scenario.record) {
    result.signals.emplace();
    keeping.emplace(*result.signals, options.sink);
    callbacks.sink = &*keeping;
  }
  result.run = dynamic::simulate(model.spec(), scenario, callbacks);
  return result;
}

dynamic::SizingResult size_storage(const ValidatedModel& model, const dynamic::Scenario& scenario,
                                   const dynamic::SizingOptions& options,
                                   const dynamic::SizingProgress& progress) {
  return dynamic::size_storage(model.spec(), scenario, options, progress);
}

}  // namespace g2g::api

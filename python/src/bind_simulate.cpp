// grid2gpu.simulate, size_storage and fault: api::load_scenario(_text), api::simulate,
// api::size_storage and api::fault_at_bus, the same calls `grid2gpu simulate` and `grid2gpu
// fault` make, so the module and the CLI cannot
// disagree. The run holds no GIL; every 50 ms
// its progress callback takes the GIL to run Python's signal handlers, and on KeyboardInterrupt
// cancels the run and raises it once the run has unwound.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

#include "bindings.hpp"
#include "g2g/api/fault_study.hpp"
#include "g2g/api/simulate.hpp"
#include "g2g/io/simulation_json.hpp"
#include "g2g/io/storage_sizing_json.hpp"
#ifdef G2G_PYTHON_WITH_REPORT
#include "g2g/report/report.hpp"
#endif

namespace g2g::python {

namespace {

namespace fs = std::filesystem;

using SimulationHolder = std::shared_ptr<api::SimulateResult>;

// Time between two looks at Python's pending signals during a run.
constexpr auto signal_check_interval = std::chrono::milliseconds(50);

// Called from a run's callbacks on the calling thread (its GIL released): at most every 50 ms
// takes the GIL and runs Python's signal handlers; false (cancel) once one raised.
class SignalWatch {
 public:
  bool keep_going() {
    const auto now = std::chrono::steady_clock::now();
    if (now < next_check_) return true;
    next_check_ = now + signal_check_interval;
    const py::gil_scoped_acquire locked;
    if (PyErr_CheckSignals() == 0) return true;
    interrupted_.emplace();  // takes the pending exception (KeyboardInterrupt)
    return false;
  }
  // Raises what a signal handler raised, once the run has unwound.
  void rethrow() {
    if (interrupted_) throw std::move(*interrupted_);
  }

 private:
  std::chrono::steady_clock::time_point next_check_ =
      std::chrono::steady_clock::now() + signal_check_interval;
  std::optional<py::error_already_set> interrupted_;
};

// The scenario from its file or its text, as api::load_scenario(_text) read it, without the GIL.
dynamic::Scenario read_scenario(const std::optional<fs::path>& path,
                                const std::optional<std::string>& text,
                                const std::optional<std::string>& name,
                                const std::optional<fs::path>& base_dir,
                                const std::vector<fs::path>& allowed_paths) {
  if (path.has_value() == text.has_value())
    throw InvalidInput("scenario", "give a scenario path or its text, not both",
                       "e.g. simulate(model, \"examples/scenarios/job-start-dip.yaml\")");
  const py::gil_scoped_release unlocked;
  return path
             ? api::load_scenario(*path, allowed_paths)
             : api::load_scenario_text(*text, name.value_or("<scenario>"), base_dir, allowed_paths);
}

SimulationHolder run(const api::ValidatedModel& model, dynamic::Scenario scenario,
                     api::SimulateOptions options) {
  SignalWatch watch;
  options.progress = [&](double) { return watch.keep_going(); };
  auto result = std::make_shared<api::SimulateResult>();
  {
    const py::gil_scoped_release unlocked;
    *result = api::simulate(model, std::move(scenario), options);
  }
  watch.rethrow();
  return result;
}

// The recorded signals as columns for grid2gpu._frames.frame: t_s, then one per signal.
py::dict signal_columns(const api::RecordedSignals& signals) {
  const std::size_t rows = signals.t_s.size();
  const std::size_t width = signals.columns.size();
  py::dict out;
  py::array_t<double> t_s(static_cast<py::ssize_t>(rows));
  std::copy(signals.t_s.begin(), signals.t_s.end(), t_s.mutable_data());
  out["t_s"] = t_s;
  for (std::size_t c = 0; c < width; ++c) {
    py::array_t<double> column(static_cast<py::ssize_t>(rows));
    double* values = column.mutable_data();
    for (std::size_t r = 0; r < rows; ++r) values[r] = signals.values[r * width + c];
    out[py::str(signals.columns[c])] = column;
  }
  return out;
}

}  // namespace

void register_simulate(py::module_& m) {
  py::class_<api::SimulateResult, SimulationHolder>(
      m, "SimulationResult",
      "A time-domain run (api::SimulateResult): its summary as `grid2gpu simulate --json` "
      "writes it, and the recorded signals when the scenario (or `record`) names some.")
      .def(
          "summary",
          [](const api::SimulateResult& r) {
            return py::module_::import("json").attr("loads")(
                io::simulation_json(r.run.summary).dump());
          },
          "The summary JSON (docs/results-format.md, \"Simulation summary\") as a dict.")
      .def(
          "signals",
          [](const api::SimulateResult& r) -> std::optional<py::dict> {
            if (!r.signals) return std::nullopt;
            return signal_columns(*r.signals);
          },
          "The recorded signals as columns (t_s, then each signal with its unit, as the CSV of "
          "`grid2gpu simulate --csv`), or None when nothing was recorded.")
      .def_property_readonly(
          "cancelled", [](const api::SimulateResult& r) { return r.run.cancelled; },
          "Whether the run was cancelled before the scenario's end.")
      .def(
          "html",
          [](const api::SimulateResult& r) -> std::string {
#ifdef G2G_PYTHON_WITH_REPORT
            const py::gil_scoped_release unlocked;
            return report::render_simulation_html(r.run.summary, r.run.envelopes);
#else
            (void)r;
            throw InvalidInput("report", "this grid2gpu was built without the report layer",
                               "configure with -DG2G_BUILD_REPORT=ON (the release preset)");
#endif
          },
          "The report page of the run (as `grid2gpu simulate --html` writes it).");

  m.def(
      "simulate",
      [](const py::object& model, std::optional<fs::path> scenario_path,
         std::optional<std::string> text, std::optional<std::string> name,
         std::optional<fs::path> base_dir, const std::vector<fs::path>& allowed_paths,
         std::vector<std::string> record, const py::object& every, bool keep_signals) {
        const std::shared_ptr<const api::ValidatedModel> validated = validated_model(model);
        api::SimulateOptions options;
        options.record = std::move(record);
        if (!every.is_none()) options.every = value_text(every, "every");
        options.keep_signals = keep_signals;
        dynamic::Scenario scenario =
            read_scenario(scenario_path, text, name, base_dir, allowed_paths);
        return run(*validated, std::move(scenario), std::move(options));
      },
      py::arg("model"), py::arg("scenario_path") = py::none(), py::arg("text") = py::none(),
      py::arg("name") = py::none(), py::arg("base_dir") = py::none(),
      py::arg("allowed_paths") = std::vector<fs::path>{},
      py::arg("record") = std::vector<std::string>{}, py::arg("every") = py::none(),
      py::arg("keep_signals") = true,
      "Simulates a Model in time under a scenario (api::simulate): a scenario file (its traces "
      "resolve beside it or in allowed_paths), or its text (traces in base_dir, none without "
      "it). `record` replaces the scenario's signals, `every` its output step. Ctrl-C cancels "
      "the run and raises KeyboardInterrupt.");

  m.def(
      "size_storage",
      [](const py::object& model, std::optional<fs::path> scenario_path,
         std::optional<std::string> text, std::optional<std::string> name,
         std::optional<fs::path> base_dir, const std::vector<fs::path>& allowed_paths,
         const py::list& periods) {
        const std::shared_ptr<const api::ValidatedModel> validated = validated_model(model);
        dynamic::SizingOptions options;
        for (const py::handle period : periods)
          options.periods_s.push_back(quantity(period, core::Dimension::time, "periods"));
        const dynamic::Scenario scenario =
            read_scenario(scenario_path, text, name, base_dir, allowed_paths);
        SignalWatch watch;
        dynamic::SizingResult result;
        {
          const py::gil_scoped_release unlocked;
          result = api::size_storage(*validated, scenario, options,
                                     [&](std::size_t, double) { return watch.keep_going(); });
        }
        watch.rethrow();
        return py::module_::import("json").attr("loads")(io::storage_sizing_json(result).dump());
      },
      py::arg("model"), py::arg("scenario_path") = py::none(), py::arg("text") = py::none(),
      py::arg("name") = py::none(), py::arg("base_dir") = py::none(),
      py::arg("allowed_paths") = std::vector<fs::path>{}, py::arg("periods") = py::list(),
      "The smallest grid-smoothing storage that meets the scenario's grid limits "
      "(api::size_storage), per training period (none: the scenario as written), as the dict "
      "of `grid2gpu simulate --size-storage --json`. Ctrl-C cancels and raises "
      "KeyboardInterrupt.");

  m.def(
      "fault",
      [](const py::object& model, const py::object& resistance, const std::string& bus,
         const std::string& buses, bool all_buses, const py::object& time, const py::object& after,
         const py::object& clear, std::optional<fs::path> scenario_path,
         std::optional<std::string> text, std::optional<std::string> name,
         std::optional<fs::path> base_dir, const std::vector<fs::path>& allowed_paths) {
        const std::shared_ptr<const api::ValidatedModel> validated = validated_model(model);
        api::FaultStudyOptions options;
        options.resistance_ohm = quantity(resistance, core::Dimension::resistance, "resistance");
        if (!time.is_none()) options.inception_s = quantity(time, core::Dimension::time, "time");
        if (!after.is_none()) options.after_s = quantity(after, core::Dimension::time, "after");
        if (!clear.is_none())
          options.clear_after_s = quantity(clear, core::Dimension::time, "clear");
        api::check_fault_options(options);
        const std::vector<std::string> locations =
            api::fault_locations(*validated, bus, buses, all_buses);
        const dynamic::Scenario base =
            scenario_path || text
                ? read_scenario(scenario_path, text, name, base_dir, allowed_paths)
                : api::steady_scenario(*validated);
        nlohmann::json rows = nlohmann::json::array();
        {
          const py::gil_scoped_release unlocked;
          for (const auto& location : locations)
            rows.push_back(
                api::fault_location_json(api::fault_at_bus(*validated, base, location, options)));
        }
        return py::module_::import("json").attr("loads")(rows.dump());
      },
      py::arg("model"), py::arg("resistance"), py::arg("bus") = std::string(),
      py::arg("buses") = std::string(), py::arg("all_buses") = false, py::arg("time") = py::none(),
      py::arg("after") = py::none(), py::arg("clear") = py::none(),
      py::arg("scenario_path") = py::none(), py::arg("text") = py::none(),
      py::arg("name") = py::none(), py::arg("base_dir") = py::none(),
      py::arg("allowed_paths") = std::vector<fs::path>{},
      "Pole-to-pole faults in time (api::fault_at_bus): at `bus`, at the DC buses matching "
      "`buses`, or at every DC bus (`all_buses`), each through `resistance` from `time` (1 ms) "
      "for `after` (100 ms), extinguished `clear` after inception if given, on a scenario's "
      "loads, storage, solver and aggregation (none: steady loads). A list of rows, one per "
      "location, as `grid2gpu fault --json` writes them under time.locations.");
}

}  // namespace g2g::python

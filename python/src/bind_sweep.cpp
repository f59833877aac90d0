// Sweeps from Python (docs/python.md, "Sweeps"; docs/sweep.md): the plan, the evaluation of a
// batch of scenarios into rows of numbers, the part files, their merge, the local back-end and
// the sweep page. grid2gpu/sweep.py drives them, locally or on a Dask cluster: a Dask task
// carries the plan's texts and its scenarios' values (plain Python data), a worker rebuilds the
// Plan from them and returns plain rows, so no C++ object is ever pickled.
#include <pybind11/functional.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <thread>

#include "bindings.hpp"
#include "g2g/io/files.hpp"
#include "g2g/sweep/evaluate.hpp"
#include "g2g/sweep/local.hpp"
#include "g2g/sweep/parts.hpp"
#include "g2g/sweep/plan.hpp"
#include "g2g/sweep/results_table.hpp"
#ifdef G2G_PYTHON_WITH_REPORT
#include "g2g/report/report.hpp"
#endif

namespace g2g::python {

namespace {

namespace fs = std::filesystem;
using PlanPtr = std::shared_ptr<const sweep::Plan>;

// (index, id, architecture, combination, values): a scenario as a task carries it.
using ScenarioTuple =
    std::tuple<std::size_t, std::string, std::size_t, std::size_t, std::vector<double>>;
// (index, id, outputs, error_kind, error_message, error_location, seconds): a row as a task
// returns it. NaN outputs cross as float('nan').
using RowTuple = std::tuple<std::size_t, std::string, std::vector<double>, std::string, std::string,
                            std::string, double>;

py::dict source_dict(const sweep::PlanSource& s) {
  py::dict d;
  d["sweep_text"] = s.sweep_text;
  d["sweep_name"] = s.sweep_name;
  d["base_dir"] = s.base_dir.string();
  py::list models;
  for (const auto& [name, text] : s.model_texts) models.append(py::make_tuple(name, text));
  d["models"] = models;
  py::list allowed;
  for (const auto& p : s.allowed_paths) allowed.append(p.string());
  d["allowed_paths"] = allowed;
  return d;
}

sweep::PlanSource source_from(const py::dict& d) {
  sweep::PlanSource s;
  s.sweep_text = d["sweep_text"].cast<std::string>();
  s.sweep_name = d["sweep_name"].cast<std::string>();
  s.base_dir = d["base_dir"].cast<std::string>();
  for (const auto& item : d["models"].cast<py::list>()) {
    const auto pair = item.cast<std::pair<std::string, std::string>>();
    s.model_texts.push_back(pair);
  }
  if (d.contains("allowed_paths"))
    for (const auto& p : d["allowed_paths"].cast<std::vector<std::string>>())
      s.allowed_paths.emplace_back(p);
  return s;
}

ScenarioTuple to_tuple(const sweep::Scenario& s) {
  return {s.index, s.id, s.architecture, s.combination, s.values};
}

sweep::Scenario from_tuple(const ScenarioTuple& t) {
  sweep::Scenario s;
  s.index = std::get<0>(t);
  s.id = std::get<1>(t);
  s.architecture = std::get<2>(t);
  s.combination = std::get<3>(t);
  s.values = std::get<4>(t);
  return s;
}

RowTuple to_tuple(const sweep::Row& r) {
  return {r.index, r.id, r.outputs, r.error_kind, r.error_message, r.error_location, r.seconds};
}

sweep::Row from_tuple(const RowTuple& t) {
  sweep::Row r;
  r.index = std::get<0>(t);
  r.id = std::get<1>(t);
  r.outputs = std::get<2>(t);
  r.error_kind = std::get<3>(t);
  r.error_message = std::get<4>(t);
  r.error_location = std::get<5>(t);
  r.seconds = std::get<6>(t);
  return r;
}

py::dict summary_dict(const sweep::Summary& s) {
  py::dict d;
  d["scenarios"] = s.scenarios;
  d["run"] = s.run;
  d["skipped"] = s.skipped;
  d["failed"] = s.failed;
  d["batches"] = s.batches;
  d["threads"] = s.threads;
  d["wall_seconds"] = s.wall_seconds;
  d["scenario_seconds"] = s.scenario_seconds;
  d["complete"] = s.complete;
  return d;
}

}  // namespace

void register_sweep(py::module_& m) {
  py::class_<sweep::Plan, std::shared_ptr<sweep::Plan>>(
      m, "SweepPlan",
      "A sweep made concrete: the sweep file with its base models' texts, checked once, and "
      "its table of scenarios (docs/sweep.md).")
      .def_static(
          "from_file",
          [](const fs::path& path, const std::vector<fs::path>& allowed_paths) {
            py::gil_scoped_release release;
            return std::make_shared<sweep::Plan>(sweep::read_plan_source(path, allowed_paths));
          },
          py::arg("path"), py::arg("allowed_paths") = std::vector<fs::path>{},
          "Reads a sweep file and the model files it names (confined to its directory or "
          "`allowed_paths`) and checks them.")
      .def_static(
          "from_text",
          [](const std::string& text, const fs::path& base_dir, const std::string& name,
             const std::vector<fs::path>& allowed_paths) {
            py::gil_scoped_release release;
            return std::make_shared<sweep::Plan>(
                sweep::read_plan_source(text, name, base_dir, allowed_paths));
          },
          py::arg("text"), py::arg("base_dir"), py::arg("name") = "<text>",
          py::arg("allowed_paths") = std::vector<fs::path>{},
          "The plan of a sweep given as YAML or JSON text, its model files read from `base_dir` "
          "(confined to it or `allowed_paths`).")
      .def_static(
          "from_source",
          [](const py::dict& source) {
            sweep::PlanSource s = source_from(source);
            py::gil_scoped_release release;
            return std::make_shared<sweep::Plan>(std::move(s));
          },
          py::arg("source"),
          "The plan of `source()`'s dict: what a Dask worker rebuilds from a task.")
      .def(
          "source", [](const sweep::Plan& p) { return source_dict(p.source()); },
          "Everything the plan is made from, as plain text: sweep_text, sweep_name, base_dir, "
          "models [(name, text)], allowed_paths.")
      .def_property_readonly(
          "scenario_count", [](const sweep::Plan& p) { return p.scenarios().size(); },
          "Scenarios of the sweep: value combinations x architectures.")
      .def_property_readonly("architecture_count", &sweep::Plan::architecture_count,
                             "The base models (architectures); the first is the baseline.")
      .def_property_readonly("parameter_names", &sweep::Plan::parameter_names,
                             "The swept parameters, in the file's order.")
      .def_property_readonly("parameter_columns", &sweep::Plan::parameter_columns,
                             "Their results.csv columns, with the SI unit (rack_power_w).")
      .def_property_readonly(
          "output_names", [](const sweep::Plan& p) { return p.output_names(); },
          "The outputs of each row (docs/sweep.md, \"Outputs\").")
      .def_property_readonly(
          "columns", [](const sweep::Plan& p) { return sweep::result_columns(p); },
          "results.csv's header.")
      .def(
          "scenarios",
          [](const sweep::Plan& p, const std::vector<std::size_t>& indices) {
            std::vector<ScenarioTuple> out;
            out.reserve(indices.size());
            for (const std::size_t i : indices) out.push_back(to_tuple(p.scenarios().at(i)));
            return out;
          },
          py::arg("indices"),
          "The scenarios at `indices` as (index, id, architecture, combination, values).")
      .def(
          "batches",
          [](const sweep::Plan& p, const std::set<std::string>& done, double scenario_seconds,
             double target_seconds) {
            return sweep::batches(p, done, scenario_seconds, target_seconds);
          },
          py::arg("done"), py::arg("scenario_seconds"), py::arg("target_seconds") = 0.2,
          "Scenario indices per batch, those in `done` left out, cut at value combinations once "
          "a batch holds about `target_seconds` of work at `scenario_seconds` each.");

  m.def(
      "sweep_evaluate",
      [](const sweep::Plan& plan, const std::vector<ScenarioTuple>& scenarios) {
        std::vector<sweep::Scenario> batch;
        batch.reserve(scenarios.size());
        for (const auto& t : scenarios) batch.push_back(from_tuple(t));
        std::vector<sweep::Row> rows;
        {
          py::gil_scoped_release release;
          rows = sweep::Evaluator(plan).run(batch);
        }
        std::vector<RowTuple> out;
        out.reserve(rows.size());
        for (const auto& r : rows) out.push_back(to_tuple(r));
        return out;
      },
      py::arg("plan"), py::arg("scenarios"),
      "Evaluates scenarios (as SweepPlan.scenarios gives them) into rows (index, id, outputs, "
      "error_kind, error_message, error_location, seconds). A failing scenario is a row with "
      "its error; the others are unaffected.");
  m.def(
      "sweep_write_part",
      [](const fs::path& dir, std::size_t part_number, const sweep::Plan& plan,
         const std::vector<RowTuple>& rows) {
        std::vector<sweep::Row> typed;
        typed.reserve(rows.size());
        for (const auto& t : rows) typed.push_back(from_tuple(t));
        py::gil_scoped_release release;
        sweep::write_part(dir, part_number, plan, typed);
      },
      py::arg("dir"), py::arg("part_number"), py::arg("plan"), py::arg("rows"),
      "Writes DIR/parts/part-NNNNNN.csv atomically.");
  m.def(
      "sweep_last_part_number", [](const fs::path& dir) { return sweep::last_part_number(dir); },
      py::arg("dir"), "The largest part number in DIR/parts, or None.");
  m.def(
      "sweep_prepare_output",
      [](const fs::path& dir, const sweep::Plan& plan, bool resume) {
        py::gil_scoped_release release;
        return sweep::prepare_output(dir, plan, resume);
      },
      py::arg("dir"), py::arg("plan"), py::arg("resume"),
      "Gets DIR ready for a run (its outputs are none of the plan's inputs; DIR/parts holds no "
      "part unless `resume`) and returns the ids DIR/parts holds rows of.");
  m.def(
      "sweep_merge",
      [](const fs::path& dir, const sweep::Plan& plan) {
        py::gil_scoped_release release;
        sweep::merge(dir, plan);
      },
      py::arg("dir"), py::arg("plan"),
      "Merges DIR/parts into DIR/results.csv and DIR/timing.csv, atomically.");
  m.def(
      "sweep_run_local",
      [](const sweep::Plan& plan, const fs::path& dir, unsigned jobs, bool resume,
         const std::function<void(std::size_t, std::size_t)>& progress) {
        std::atomic<bool> cancel = false;
        sweep::LocalOptions options;
        options.jobs = jobs;
        options.resume = resume;
        options.cancel = &cancel;
        if (progress)
          options.progress = [&](const sweep::Progress& p) {
            py::gil_scoped_acquire acquire;  // called from the thread that writes the parts
            progress(p.done, p.total);
          };
        // The sweep runs on its own thread while this one, the interpreter's, looks for Ctrl-C
        // every 100 ms (Python handles signals on its main thread only): a pending
        // KeyboardInterrupt stops the sweep cleanly (finished parts stay; resume continues).
        sweep::Summary summary;
        std::exception_ptr failure;
        std::atomic<bool> finished = false;
        std::thread runner([&] {
          try {
            summary = sweep::run_local(plan, dir, options);
          } catch (...) {
            failure = std::current_exception();
          }
          finished = true;
        });
        bool interrupted = false;
        while (!finished) {
          {
            py::gil_scoped_release release;
            for (int i = 0; i < 20 && !finished; ++i)
              std::this_thread::sleep_for(std::chrono::milliseconds(5));
          }
          if (!interrupted && PyErr_CheckSignals() != 0) {
            interrupted = true;  // the KeyboardInterrupt stays pending until we re-raise it
            cancel = true;
          }
        }
        {
          py::gil_scoped_release release;
          runner.join();
        }
        if (interrupted) throw py::error_already_set();
        if (failure) std::rethrow_exception(failure);
        return summary_dict(summary);
      },
      py::arg("plan"), py::arg("dir"), py::arg("jobs") = 0, py::arg("resume") = false,
      py::arg("progress") = nullptr,
      "Runs the sweep on this machine's threads (0: every core) into DIR and merges it; "
      "`progress(done, total)` after each batch.");
#ifdef G2G_PYTHON_WITH_REPORT
  m.def(
      "sweep_write_html",
      [](const fs::path& dir, const sweep::Plan& plan, const fs::path& path) {
        py::gil_scoped_release release;
        io::check_output_is_not_input(path, plan.input_paths());
        io::write_file_atomic(path, report::render_sweep_html(
                                        study::summarise_sweep(sweep::results_table(dir, plan))));
      },
      py::arg("dir"), py::arg("plan"), py::arg("path"),
      "Writes the sweep page (docs/report.md, \"Sweeps\") of DIR/results.csv to `path`, "
      "completely or not at all; `path` may not be one of the sweep's inputs.");
#endif
  m.def(
      "sweep_check_output",
      [](const sweep::Plan& plan, const fs::path& path) {
        io::check_output_is_not_input(path, plan.input_paths());
      },
      py::arg("plan"), py::arg("path"),
      "Raises FileError when `path` is one of the sweep's inputs (its sweep file, models or their "
      "SPEC files): checked before a run, so that a bad output path costs no scenarios.");
}

}  // namespace g2g::python

// grid2gpu.compare: api::compare, run on a thread of its own so that the calling thread can
// watch for Ctrl-C. Python runs signal handlers only on the main thread, and only while it holds
// the GIL; the comparison's workers cannot see them. So the caller waits with the GIL released,
// checks PyErr_CheckSignals every 50 ms, and on KeyboardInterrupt sets a flag that the
// comparison's progress callback turns into an exception, which unwinds the run.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <future>
#include <memory>

#include <nlohmann/json.hpp>

#include "bindings.hpp"
#include "g2g/api/compare.hpp"

namespace g2g::python {

namespace {

// Thrown from the progress callback once the caller was interrupted.
struct Cancelled : std::exception {
  [[nodiscard]] const char* what() const noexcept override { return "cancelled"; }
};

using CompareHolder = std::shared_ptr<api::CompareResult>;

// Runs `request` to its end, or until a signal handler raises (KeyboardInterrupt): then the run
// is cancelled and the Python exception is raised once it has unwound.
CompareHolder run(api::CompareRequest request, const py::object& progress) {
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  request.progress = [cancelled, progress](const std::string& line) {
    if (cancelled->load()) throw Cancelled();
    if (!progress.is_none()) {
      const py::gil_scoped_acquire locked;
      progress(line);
    }
  };
  request.names.given_on = "the call";
  std::future<api::CompareResult> running;
  {
    const py::gil_scoped_release unlocked;
    running = std::async(std::launch::async,
                         [request = std::move(request)] { return api::compare(request); });
  }
  std::exception_ptr interrupted;
  for (;;) {
    std::future_status status;
    {
      const py::gil_scoped_release unlocked;
      status = running.wait_for(std::chrono::milliseconds(50));
    }
    if (status == std::future_status::ready) break;
    if (!interrupted && PyErr_CheckSignals() != 0) {
      interrupted = std::make_exception_ptr(py::error_already_set());
      cancelled->store(true);
    }
  }
  try {
    auto result = std::make_shared<api::CompareResult>(running.get());
    if (interrupted) std::rethrow_exception(interrupted);  // finished before it saw the flag
    return result;
  } catch (const Cancelled&) {
    std::rethrow_exception(interrupted);
  } catch (...) {
    if (interrupted) std::rethrow_exception(interrupted);
    throw;
  }
}

}  // namespace

void register_compare(py::module_& m) {
  py::class_<api::CompareResult, CompareHolder>(
      m, "CompareResult",
      "A comparison of architectures (api::CompareResult): the document of `grid2gpu compare "
      "--json` and what report.html() lays out.")
      .def(
          "document",
          [](const api::CompareResult& r) {
            return py::module_::import("json").attr("loads")(r.document().dump());
          },
          "The comparison JSON (docs/compare.md) as a dict.")
      .def_property_readonly(
          "architectures",
          [](const api::CompareResult& r) {
            std::vector<std::string> out;
            if (!r.comparison.runs.empty())
              for (const auto& a : r.comparison.runs.front().architectures) out.push_back(a.id);
            return out;
          },
          "The architectures' ids, the baseline first.")
      .def_property_readonly(
          "run_count", [](const api::CompareResult& r) { return r.comparison.runs.size(); },
          "Scenarios run (one per combination of assumption sets).");

  m.def(
      "compare",
      [](const py::list& inputs, std::optional<py::dict> set, std::vector<std::string> assumptions,
         std::optional<double> tariff_per_mwh, std::optional<double> hours_per_year,
         std::optional<double> cooling_kw_per_kw, std::optional<double> it_load_tolerance,
         bool check_claims, bool size_conductors, bool normalise_it_load,
         bool include_point_of_load, unsigned threads, const py::object& progress,
         std::optional<std::filesystem::path> scenario) {
        api::CompareRequest request;
        for (const py::handle item : inputs) {
          if (auto text = model_text(item))
            request.models.push_back(std::move(*text));
          else
            request.inputs.push_back(item.cast<std::filesystem::path>());
        }
        if (set)
          for (const auto& [name, value] : *set) {
            const auto text = py::str(name).cast<std::string>();
            request.parameters.push_back({text, value_text(value, text)});
          }
        request.assumptions = std::move(assumptions);
        request.tariff_per_mwh = tariff_per_mwh;
        request.hours_per_year = hours_per_year;
        request.cooling_kw_per_kw = cooling_kw_per_kw;
        request.it_load_tolerance = it_load_tolerance;
        request.check_claims = check_claims;
        request.size_conductors = size_conductors;
        request.normalise_it_load = normalise_it_load;
        request.include_point_of_load = include_point_of_load;
        request.threads = threads;
        if (scenario) request.scenario_file = std::move(*scenario);
        request.program = "grid2gpu (Python)";
        return run(std::move(request), progress);
      },
      py::arg("inputs"), py::arg("set") = py::none(),
      py::arg("assumptions") = std::vector<std::string>{}, py::arg("tariff_per_mwh") = py::none(),
      py::arg("hours_per_year") = py::none(), py::arg("cooling_kw_per_kw") = py::none(),
      py::arg("it_load_tolerance") = py::none(), py::arg("check_claims") = true,
      py::arg("size_conductors") = true, py::arg("normalise_it_load") = false,
      py::arg("include_point_of_load") = false, py::arg("threads") = 0,
      py::arg("progress") = py::none(), py::arg("scenario") = py::none(),
      "Compares architectures (api::compare): one study file, two or more model files, or two "
      "or more Model objects (read again from their text with their overrides and edits); the "
      "first is the baseline. `scenario` (a scenario file with a grid_smoothing storage item) "
      "gives the rack-storage claim its figures, over the study's `scenario:`. Ctrl-C cancels "
      "the run and raises KeyboardInterrupt.");
}

}  // namespace g2g::python

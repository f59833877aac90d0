#include "g2g/api/storage_claim.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <thread>
#include <utility>

#include "g2g/core/diagnostics.hpp"
#include "g2g/dynamic/storage_sizing.hpp"

namespace g2g::api {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
// The diagnostics an n/a row quotes: enough to locate the problem, short enough for a table.
constexpr std::size_t quoted_diagnostics = 3;

// One training period: the reduction as modelled, and the storage sized for `target`.
study::StoragePeakCase period_case(const model::ModelSpec& model, const dynamic::Scenario& scenario,
                                   const dynamic::Scenario& sizing_scenario, double period_s,
                                   std::size_t racks) {
  study::StoragePeakCase out;
  out.name = fmt::format("{:g} s period", period_s);
  const dynamic::PeakReduction r = dynamic::peak_reduction(model, scenario, period_s);
  out.instantaneous = r.instantaneous();
  out.averaged = r.averaged();
  out.averaged_window_s = r.demand_window_s;
  out.idle_peak_w = r.idle_peak_w;
  out.storage_peak_w = r.storage_peak_w;
  dynamic::SizingOptions options;
  options.periods_s = {period_s};
  const dynamic::SizingResult sized = dynamic::size_storage(model, sizing_scenario, options);
  out.sized_energy_per_rack_j = nan;
  out.sized_power_per_rack_w = nan;
  const double racks_n = racks > 0 ? static_cast<double>(racks) : 1.0;
  if (!sized.points.empty()) {
    const dynamic::SizingPoint& p = sized.points.front();
    if (p.baseline_meets) {
      out.sizing_note = "the swing meets the reduction without storage control";
    } else if (!p.feasible) {
      out.sizing_note =
          fmt::format("not reached even at {:g} x the model's storage power", p.power_scale);
    } else {
      out.sized_energy_per_rack_j = p.usable_energy_j / racks_n;
      out.sized_power_per_rack_w = p.power_w / racks_n;
    }
  }
  return out;
}

std::string first_lines(const core::DiagnosticList& diagnostics) {
  std::string out;
  std::size_t n = 0;
  for (const auto& d : diagnostics.items()) {
    if (d.severity != core::Severity::error) continue;
    if (n++ == quoted_diagnostics) {
      out += " ...";
      break;
    }
    out += fmt::format("{}{}", out.empty() ? "" : " ", core::format_diagnostic(d));
  }
  return out;
}

}  // namespace

study::StoragePeak storage_peak(dynamic::Scenario scenario) {
  return [scenario = std::move(scenario)](const model::ModelSpec& model, double target,
                                          unsigned threads) {
    study::StoragePeakFigures out;
    // Sized for the claim's reduction alone: the scenario's other limits (peak, ramp, band
    // masks) would size for something the claim does not say.
    dynamic::Scenario sizing_scenario = scenario;
    sizing_scenario.limits = {};
    sizing_scenario.limits.peak_reduction = target;
    for (auto& band : sizing_scenario.metrics.bands) band.max_share.reset();
    try {
      const dynamic::ResolvedScenario resolved = dynamic::resolve(scenario, model);
      const auto smoothing = std::find_if(
          scenario.storage.begin(), scenario.storage.end(),
          [](const auto& a) { return a.control == dynamic::StorageControlMode::grid_smoothing; });
      if (smoothing == scenario.storage.end()) {
        out.unavailable = fmt::format(
            "{}: the scenario has no grid_smoothing storage item, so it gives no storage "
            "figure; add one under `storage:` (e.g. examples/scenarios/storage-sizing.yaml).",
            scenario.file);
        return out;
      }
      const auto item = static_cast<std::size_t>(smoothing - scenario.storage.begin());
      std::vector<std::string> elements;
      for (const auto& load : model.loads)
        if (load.in_service && load.model == model::LoadModel::gpu_rack) ++out.racks;
      const double racks_n = out.racks > 0 ? static_cast<double>(out.racks) : 1.0;
      for (std::size_t k = 0; k < model.storage.size(); ++k) {
        if (resolved.storage_control[k] != item) continue;
        const model::Storage& s = model.storage[k];
        elements.push_back(s.id);
        out.energy_per_rack_j += dynamic::usable_energy_j(model, s) / racks_n;
        out.power_per_rack_w += s.max_power_w.value_or(s.rating_w) / racks_n;
      }
      out.assumptions = {
          fmt::format("the time-domain scenario '{}' ({}) on {}, {:g} s long, at training "
                      "periods of 1 s and 10 s (production practice: 1-10 s)",
                      scenario.name, scenario.file, model.name, scenario.duration_s),
          fmt::format("grid-smoothing storage: {} ({} GPU racks); the peaks with it idle (no "
                      "control, 0 W) and smoothing",
                      fmt::join(elements, ", "), out.racks),
          fmt::format("break-even: the storage scaled (power, then energy, by bisection within "
                      "2 %) until the instantaneous peak is {:g} % below the idle run's",
                      100.0 * target)};

      const std::size_t n = std::size(storage_claim_periods_s);
      out.cases.resize(n);
      std::vector<std::exception_ptr> failures(n);
      auto run = [&](std::size_t i) {
        try {
          out.cases[i] =
              period_case(model, scenario, sizing_scenario, storage_claim_periods_s[i], out.racks);
        } catch (...) {
          failures[i] = std::current_exception();
        }
      };
      // Each run builds its own DAE and integrator: the periods are independent.
      if (threads > 1) {
        std::vector<std::thread> pool;
        for (std::size_t i = 1; i < n; ++i) pool.emplace_back(run, i);
        run(0);
        for (auto& t : pool) t.join();
      } else {
        for (std::size_t i = 0; i < n; ++i) run(i);
      }
      for (const auto& f : failures)
        if (f) std::rethrow_exception(f);
    } catch (const core::ModelError& e) {
      // The rest of the comparison stands; this row says why it has no figure.
      out.cases.clear();
      out.unavailable = fmt::format("The scenario cannot run on the 800 V DC architecture {}: {}",
                                    model.name, first_lines(e.diagnostics()));
    }
    return out;
  };
}

}  // namespace g2g::api

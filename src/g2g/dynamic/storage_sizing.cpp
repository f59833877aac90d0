#include "g2g/dynamic/storage_sizing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <variant>

#include "g2g/components/storage.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/dynamic/aggregate.hpp"
#include "g2g/dynamic/simulate.hpp"

namespace g2g::dynamic {

namespace {

bool all_met(const std::vector<GridLimitCheck>& checks) {
  return std::all_of(checks.begin(), checks.end(), [](const GridLimitCheck& c) { return c.met; });
}

// Power by k_power and energy by k_energy: k_power strings in parallel (power and current
// limits times k_power, resistances over it, the capacity with them) whose cells hold
// k_energy / k_power times the charge. The storage's schedule (its power-flow set-point) is
// zero in every run of the study, the baseline's included: what is sized is the storage that
// smooths, compared with none.
void scale_storage(model::Storage& s, double k_power, double k_energy) {
  const double energy_j = s.energy_j;
  scale_in_parallel(s, k_power);
  const double charge = k_energy / k_power;
  if (s.capacity_c) s.capacity_c = *s.capacity_c * charge;
  if (s.capacitance_f) s.capacitance_f = *s.capacitance_f * charge;
  s.energy_j = energy_j * k_energy;
  s.p_set_w = 0.0;
  s.q_set_var = 0.0;
}

// The scenario with every `training` profile's period set to `period_s` (none: as written).
Scenario at_period(const Scenario& scenario, std::optional<double> period_s) {
  Scenario out = scenario;
  out.record.reset();
  if (period_s)
    for (auto& assignment : out.profiles)
      if (auto* steps = std::get_if<TrainingSteps>(&assignment.profile.pattern))
        steps->period_s = *period_s;
  return out;
}

}  // namespace

double PeakReduction::instantaneous() const noexcept {
  return idle_peak_w > 0.0 ? 1.0 - storage_peak_w / idle_peak_w
                           : std::numeric_limits<double>::quiet_NaN();
}

double PeakReduction::averaged() const noexcept {
  return idle_demand_w > 0.0 ? 1.0 - storage_demand_w / idle_demand_w
                             : std::numeric_limits<double>::quiet_NaN();
}

double demand_window_s(double duration_s, std::optional<double> period_s) {
  constexpr double billing_window_s = 900.0;
  if (duration_s >= 2.0 * billing_window_s) return billing_window_s;
  const double half_s = 0.5 * duration_s;
  if (!period_s || !(*period_s > 0.0) || *period_s > half_s) return half_s;
  return std::floor(half_s / *period_s) * *period_s;
}

PeakReduction peak_reduction(const model::ModelSpec& model, const Scenario& scenario,
                             std::optional<double> period_s) {
  const auto smoothing = std::find_if(
      scenario.storage.begin(), scenario.storage.end(),
      [](const StorageAssignment& a) { return a.control == StorageControlMode::grid_smoothing; });
  if (smoothing == scenario.storage.end()) {
    core::DiagnosticList problems;
    problems.error({scenario.file, 1, 1}, "the scenario has no grid_smoothing storage item",
                   "add one under `storage:` naming the storage whose peak reduction to measure");
    throw core::ModelError(std::move(problems));
  }
  const ResolvedScenario resolved = resolve(scenario, model);
  const auto item = static_cast<std::size_t>(smoothing - scenario.storage.begin());
  // Both runs with the smoothed storage's schedule at zero, as in size_storage.
  model::ModelSpec zeroed = model;
  for (std::size_t k = 0; k < model.storage.size(); ++k)
    if (resolved.storage_control[k] == item) {
      zeroed.storage[k].p_set_w = 0.0;
      zeroed.storage[k].q_set_var = 0.0;
    }
  PeakReduction out;
  out.period_s = period_s;
  out.demand_window_s = demand_window_s(scenario.duration_s, period_s);
  Scenario with_storage = at_period(scenario, period_s);
  with_storage.metrics.demand_window_s = out.demand_window_s;
  Scenario idle = with_storage;
  idle.storage.clear();
  const SimulationSummary idle_run = simulate(zeroed, idle).summary;
  const SimulationSummary storage_run = simulate(zeroed, with_storage).summary;
  out.idle_peak_w = idle_run.grid_power.peak_w;
  out.storage_peak_w = storage_run.grid_power.peak_w;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  out.idle_demand_w = idle_run.grid_power.peak_demand_w.value_or(nan);
  out.storage_demand_w = storage_run.grid_power.peak_demand_w.value_or(nan);
  return out;
}

double usable_energy_j(const model::ModelSpec& model, const model::Storage& s) {
  switch (s.technology) {
    case model::StorageTechnology::unset:
      return 0.0;
    case model::StorageTechnology::battery: {
      // The charge in the window times the mean OCV over it.
      if (!s.capacity_c || s.ocv.size() < 2) return 0.0;
      return *s.capacity_c * (s.soc_max - s.soc_min) *
             components::ocv_table(s).mean_between(s.soc_min, s.soc_max);
    }
    case model::StorageTechnology::supercapacitor: {
      if (!s.capacitance_f || s.bus < 0) return 0.0;
      const double v_rated = model.buses[static_cast<std::size_t>(s.bus)].nominal_voltage_v;
      // SOC = (v / v_rated)^2: the energy is linear in SOC.
      return 0.5 * *s.capacitance_f * v_rated * v_rated * (s.soc_max - s.soc_min);
    }
  }
  return 0.0;
}

SizingResult size_storage(const model::ModelSpec& model, const Scenario& scenario,
                          const SizingOptions& options, const SizingProgress& progress) {
  core::DiagnosticList problems;
  const core::SourceLocation file_start{scenario.file, 1, 1};
  const GridLimits& limits = scenario.limits;
  const bool any_mask = std::any_of(scenario.metrics.bands.begin(), scenario.metrics.bands.end(),
                                    [](const FrequencyBand& b) { return b.max_share.has_value(); });
  if (!limits.peak_w && !limits.ramp_w_per_s && !limits.peak_reduction && !any_mask)
    problems.error(file_start, "--size-storage: the scenario states no grid limit to size for",
                   "give `limits: {peak: 4 MW, ramp: 1 MW/s}`, `peak_reduction: 30 %` or a band "
                   "`max_share`");
  const auto smoothing = std::find_if(
      scenario.storage.begin(), scenario.storage.end(),
      [](const StorageAssignment& a) { return a.control == StorageControlMode::grid_smoothing; });
  if (smoothing == scenario.storage.end())
    problems.error(file_start, "--size-storage: the scenario has no grid_smoothing storage item",
                   "add one under `storage:` naming the storage to size");
  if (!(options.precision > 0.0) || !(options.min_scale > 0.0) ||
      !(options.max_scale > options.min_scale))
    problems.error(file_start, "--size-storage: the bisection's precision or range is not valid",
                   "use a positive precision and 0 < min_scale < max_scale");
  if (problems.has_errors()) throw core::ModelError(std::move(problems));

  SizingResult result;
  for (const auto& load : model.loads)
    if (load.in_service && load.model == model::LoadModel::gpu_rack) ++result.racks;
  const ResolvedScenario resolved = resolve(scenario, model);
  const auto item = static_cast<std::size_t>(smoothing - scenario.storage.begin());
  std::vector<std::size_t> sized;
  for (std::size_t k = 0; k < model.storage.size(); ++k)
    if (resolved.storage_control[k] == item) {
      sized.push_back(k);
      result.storage.push_back(model.storage[k].id);
    }

  std::vector<std::optional<double>> periods;
  for (const double p : options.periods_s) periods.emplace_back(p);
  if (periods.empty()) periods.emplace_back();

  for (std::size_t point = 0; point < periods.size(); ++point) {
    SizingPoint out;
    out.period_s = periods[point];
    const Scenario base = at_period(scenario, out.period_s);
    const auto cancelled = [&](double k) { return progress && !progress(point, k); };

    // The baseline: no storage control (the storage at its set-point).
    if (cancelled(0.0)) return result;
    Scenario held = base;
    held.storage.clear();
    model::ModelSpec idle = model;
    for (const std::size_t s : sized) {
      idle.storage[s].p_set_w = 0.0;
      idle.storage[s].q_set_var = 0.0;
    }
    const SimulationRun baseline = simulate(idle, held);
    ++out.runs;
    out.baseline_peak_w = baseline.summary.grid_power.peak_w;
    Scenario sized_scenario = base;
    if (limits.peak_reduction) {
      const double peak_w = (1.0 - *limits.peak_reduction) * out.baseline_peak_w;
      sized_scenario.limits.peak_w = std::min(limits.peak_w.value_or(peak_w), peak_w);
    }
    sized_scenario.limits.peak_reduction.reset();
    // The baseline against the same limits (its own peak is no reduction of itself): when it
    // meets them, no storage control is needed.
    out.baseline_meets =
        all_met(baseline.summary.limits) && !(limits.peak_reduction.value_or(0.0) > 0.0);
    if (out.baseline_meets) {
      out.feasible = true;
      out.limits = baseline.summary.limits;
      out.sized_peak_w = out.baseline_peak_w;
      result.points.push_back(std::move(out));
      continue;
    }

    // One trial at (k_power, k_energy); what the sized run gave is kept by `record`.
    const auto trial = [&](double k_power, double k_energy) {
      model::ModelSpec scaled = model;
      for (const std::size_t s : sized) scale_storage(scaled.storage[s], k_power, k_energy);
      ++out.runs;
      return simulate(scaled, sized_scenario).summary;
    };
    const auto record = [&](double k_power, double k_energy, const SimulationSummary& run) {
      out.power_scale = k_power;
      out.energy_scale = k_energy;
      out.limits = run.limits;
      out.sized_peak_w = run.grid_power.peak_w;
      out.usable_energy_j = 0.0;
      out.power_w = 0.0;
      out.cycled_energy_j = 0.0;
      for (const std::size_t s : sized) {
        model::Storage scaled = model.storage[s];
        scale_storage(scaled, k_power, k_energy);
        const double energy_j = usable_energy_j(model, scaled);
        out.usable_energy_j += energy_j;
        out.power_w += scaled.max_power_w.value_or(scaled.rating_w);
        const auto summary =
            std::find_if(run.storage.begin(), run.storage.end(),
                         [&](const StorageSummary& x) { return x.element == scaled.id; });
        if (summary != run.storage.end())
          out.cycled_energy_j +=
              (summary->soc_max - summary->soc_min) / (scaled.soc_max - scaled.soc_min) * energy_j;
      }
    };
    // The smallest k in [min, max] for which meets(k) holds, bracketed from `start` by doubling
    // or halving, then bisected geometrically to the precision; 0 when none does.
    bool stopped = false;
    const auto smallest = [&](double start, const auto& meets) {
      double lo = 0.0;
      double hi = 0.0;
      if (meets(start)) {
        hi = start;
        for (double k = start / 2.0; k >= options.min_scale; k /= 2.0) {
          if (meets(k)) {
            hi = k;
            continue;
          }
          lo = k;
          break;
        }
      } else {
        lo = start;
        for (double k = start * 2.0; k <= options.max_scale; k *= 2.0) {
          if (meets(k)) {
            hi = k;
            break;
          }
          lo = k;
        }
      }
      if (hi > 0.0 && lo > 0.0)
        while (hi / lo - 1.0 > options.precision) {
          const double k = std::sqrt(lo * hi);
          (meets(k) ? hi : lo) = k;
        }
      return hi;
    };
    // Power first, with energy to spare (the energy scaled with the power and then some: the
    // state of charge never limits), then the energy at that power.
    constexpr double spare = 64.0;
    const double k_power = smallest(1.0, [&](double k) {
      if (stopped || (stopped = cancelled(k))) return true;
      const SimulationSummary run = trial(k, k * spare);
      const bool meets = all_met(run.limits);
      if (meets) record(k, k * spare, run);
      return meets;
    });
    if (stopped) return result;
    out.feasible = k_power > 0.0;
    if (out.feasible) {
      const double k_energy = smallest(k_power, [&](double k) {
        if (stopped || (stopped = cancelled(k))) return true;
        const SimulationSummary run = trial(k_power, k);
        const bool meets = all_met(run.limits);
        if (meets) record(k_power, k, run);
        return meets;
      });
      if (stopped) return result;
      out.feasible = k_energy > 0.0;
    } else {
      record(options.max_scale, options.max_scale * spare,
             trial(options.max_scale, options.max_scale * spare));
    }
    result.points.push_back(std::move(out));
  }
  return result;
}

}  // namespace g2g::dynamic

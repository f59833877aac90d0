// The storage sizing study (`grid2gpu simulate --size-storage`, docs/dynamic.md § Storage
// sizing): the smallest power and energy of a scenario's grid-smoothing storage that meet every
// grid limit the scenario states (peak, peak reduction, ramp, the bands' mask), each found by
// bisection with a full simulation per trial; optionally swept over the training period. Power
// is scaled as strings in parallel (power and current limits times k_power, resistances over
// it), energy as the charge those strings hold (times k_energy). The sized storage's schedule,
// its power-flow set-point, is zero in every run, the baseline's included (the baseline is the
// hall without it). Power is sized first, with energy to spare; then the energy at that power.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "g2g/dynamic/scenario.hpp"
#include "g2g/dynamic/simulation_result.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::dynamic {

struct SizingOptions {
  // Training periods to size for (every `training` profile's period set to each in turn);
  // empty: the scenario as written.
  std::vector<double> periods_s;
  // The bisection stops when the bracket's ends are within this ratio (upper / lower - 1).
  double precision = 0.02;
  // The range of scales searched, around the model's own size (1).
  double min_scale = 1.0 / 1024.0;
  double max_scale = 1024.0;
};

struct SizingPoint {
  std::optional<double> period_s;  // none: the scenario's own profile
  double baseline_peak_w = 0.0;    // the run with the sized storage idle (no control, 0 W)
  bool baseline_meets = false;     // the limits hold without storage control
  bool feasible = false;           // some scale within the range meets the limits
  // The smallest scales found that meet them, of the model's storage (1: as given).
  double power_scale = 0.0;
  double energy_scale = 0.0;
  // Of the sized storage (all its elements): energy between its SOC bounds, its power limit,
  // and the energy it actually cycled in the sized run (its SOC range times its energy).
  double usable_energy_j = 0.0;
  double power_w = 0.0;
  double cycled_energy_j = 0.0;
  std::vector<GridLimitCheck> limits;  // of the sized run (or of the largest tried)
  double sized_peak_w = 0.0;
  int runs = 0;  // simulations for this point, the baseline included
};

struct SizingResult {
  std::vector<std::string> storage;  // the grid-smoothing elements sized
  std::size_t racks = 0;             // gpu_rack loads in service, for per-rack figures
  std::vector<SizingPoint> points;
};

// Called before each simulation with the point's index and the trial's k (0 for the
// baseline); false cancels the study (the result then holds the points finished).
using SizingProgress = std::function<bool(std::size_t point, double scale)>;

// `model` must have passed validation. Throws core::ModelError when the scenario has no grid
// limit or no grid-smoothing storage item (at the scenario's location), and whatever simulate
// throws for a trial it cannot run.
[[nodiscard]] SizingResult size_storage(const model::ModelSpec& model, const Scenario& scenario,
                                        const SizingOptions& options = {},
                                        const SizingProgress& progress = {});

// What a scenario's grid-smoothing storage does to the peak grid demand, as modelled: one run
// with it idle (no control, 0 W, as size_storage's baseline) and one with it smoothing, at the
// training period `period_s` (none: the scenario's). Two readings of "peak": the instantaneous
// peak of every integrator step, and the peak of the demand averaged over demand_window_s.
struct PeakReduction {
  std::optional<double> period_s;
  double idle_peak_w = 0.0;
  double storage_peak_w = 0.0;
  double demand_window_s = 0.0;
  double idle_demand_w = 0.0;                           // the largest window mean, storage idle
  double storage_demand_w = 0.0;                        // and smoothing
  [[nodiscard]] double instantaneous() const noexcept;  // 1 - storage / idle peak
  [[nodiscard]] double averaged() const noexcept;       // the same of the averaged demand
};

// The averaging window for a run of `duration_s`: the 15-min demand utilities bill when the run
// lasts at least 30 min (a window clear of the job's start), else the whole training periods
// that fit in the run's second half (a whole number of cycles of the swing: the mean of a
// periodic demand does not depend on the phase), or that half without a period.
[[nodiscard]] double demand_window_s(double duration_s, std::optional<double> period_s);

// Throws core::ModelError when the scenario has no grid-smoothing storage item, and whatever
// simulate throws.
[[nodiscard]] PeakReduction peak_reduction(const model::ModelSpec& model, const Scenario& scenario,
                                           std::optional<double> period_s = std::nullopt);

// The usable energy of a storage element between its SOC bounds, in J: a battery's charge times
// its OCV integrated over the window, a supercapacitor's C (v_max^2 - v_min^2) / 2 with
// SOC = (v / v_rated)^2 at its bus's nominal voltage; 0 without a technology.
[[nodiscard]] double usable_energy_j(const model::ModelSpec& model, const model::Storage& storage);

}  // namespace g2g::dynamic

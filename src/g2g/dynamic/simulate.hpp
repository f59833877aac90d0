// A scenario run on a model, end to end: the loads' power functions from the scenario's
// profiles and smoothing, the power flow at t = 0 with the loads at their starting power, the
// network DAE from it, the small-signal check, IDA to the end with a stop at every profile edge,
// and what the run gives: the summary (at every step and event), the recorded signals on the
// output grid (streamed to a sink), and their envelopes for plots. The library never prints:
// progress goes to a callback that may cancel. docs/dynamic.md § Simulation.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "g2g/dynamic/envelope.hpp"
#include "g2g/dynamic/network_dae.hpp"
#include "g2g/dynamic/scenario.hpp"
#include "g2g/dynamic/simulation_result.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::dynamic {

// The small-signal check runs on systems of up to this many states (dense eigenvalues: about
// 2,000 states is where it stops taking seconds; issue 14 asks for "up to about 2,000").
inline constexpr std::int64_t small_signal_max_states = 2000;

// The loads' power functions for a scenario on a model: each profiled rack's utilisation(t)
// turned into power by the rack formula and, with smoothing, into the power it draws. Racks
// that would get the same function share one (the same profile, phase and random stream, rack
// rating and smoothing). floor_burn_energy_j sums every rack's.
struct LoadDrives {
  LoadPowers powers;
  double floor_burn_energy_j = 0.0;
};
[[nodiscard]] LoadDrives load_drives(const Scenario& scenario, const ResolvedScenario& resolved,
                                     const model::ModelSpec& model);

// Receives the recorded signals on the output grid: their names (with units) once, then one row
// per grid time, values in that order. Rows are interpolated linearly between integrator steps.
class SignalSink {
 public:
  virtual ~SignalSink() = default;
  virtual void begin(std::span<const std::string> columns) = 0;
  virtual void row(double t_s, std::span<const double> values) = 0;
};

struct SimulationCallbacks {
  // Called after every integrator step with its time; false cancels the run there (the summary
  // then covers the run so far and says so).
  std::function<bool(double t_s)> progress;
  SignalSink* sink = nullptr;  // none: the recorded signals go to the envelopes only
};

struct SimulationRun {
  SimulationSummary summary;
  // Grid power, then every recorded signal, then (with a utility that has `inertia`) its
  // frequency deviation.
  std::vector<Envelope> envelopes;
  bool cancelled = false;
};

// `model` must have passed validation (api::ValidatedModel). Throws core::ModelError for a
// scenario or model the simulation cannot run (missing dynamic data, a feature not simulated
// yet), each at its location; steady::NonConvergenceError when the power flow at t = 0 has no
// solution; IntegrationError when IDA fails.
[[nodiscard]] SimulationRun simulate(const model::ModelSpec& model, const Scenario& scenario,
                                     const SimulationCallbacks& callbacks = {});

}  // namespace g2g::dynamic

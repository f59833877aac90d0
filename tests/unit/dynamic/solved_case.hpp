// A model read from YAML text with its power flow solved: where every network-DAE test starts
// (t = 0 is the power flow). dae() builds the DAE at that solution.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "g2g/api/model.hpp"
#include "g2g/dynamic/ida.hpp"
#include "g2g/dynamic/network_dae.hpp"
#include "g2g/steady/solver.hpp"

namespace g2g::dynamic::fixtures {

struct SolvedCase {
  api::ValidatedModel model;
  steady::Solver solver;

  explicit SolvedCase(const std::string& text)
      : model(api::load_model_text(text, api::ModelFormat::yaml, "case.yaml")),
        solver(model.spec()) {
    (void)solver.solve();
  }
  [[nodiscard]] NetworkDae dae(LoadPowers loads = {}, std::vector<StorageGroup> storage = {}) {
    return NetworkDae(model.spec(), solver.network(), solver.state(), std::move(loads),
                      std::move(storage));
  }
  // The index of load `id` in the model.
  [[nodiscard]] std::size_t load(const std::string& id) const {
    const auto& loads = model.spec().loads;
    return static_cast<std::size_t>(
        std::find_if(loads.begin(), loads.end(), [&](const auto& l) { return l.id == id; }) -
        loads.begin());
  }
};

// Integrator options at `rtol`, with the DAE's own absolute tolerances; `event_horizon_s` is the
// restart horizon after an event, `max_steps` 0 is IDA's default.
inline IntegratorOptions integrator_options(const NetworkDae& dae, double rtol,
                                            double event_horizon_s, long max_steps) {
  IntegratorOptions options;
  options.relative_tolerance = rtol;
  options.absolute_tolerances = dae.absolute_tolerances(rtol);
  options.max_steps = max_steps;
  options.event_horizon_s = event_horizon_s;
  return options;
}

}  // namespace g2g::dynamic::fixtures

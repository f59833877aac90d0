// Sweep summaries for the sweep page's tests: a grid over two parameters with a claim, and a
// Monte Carlo sweep. Values follow simple formulas so that the page's tables can be checked.
#pragma once

#include <cmath>
#include <limits>

#include "g2g/study/sweep_summary.hpp"

namespace g2g::report::testing {

inline study::SweepTable sweep_grid_table() {
  constexpr double none = std::numeric_limits<double>::quiet_NaN();
  study::SweepTable t;
  t.name = "rack power <sweep> & feeders";
  t.architectures = {"legacy-415vac", "800vdc-sst"};
  t.parameters = {{"rack_power", "W"}, {"feeder_length", "m"}};
  t.outputs = {{"end_to_end_efficiency", ""}, {"copper_kg", "kg"}, {"claim_lower_losses", ""}};
  t.efficiency = 0;
  t.copper = 1;
  t.claims = {2};
  for (const double power_w : {130e3, 500e3, 1.5e6})
    for (const double length_m : {20.0, 40.0})
      for (std::size_t a = 0; a < 2; ++a) {
        const double eff = (a == 0 ? 0.88 : 0.93) - 1e-8 * power_w * (length_m / 20.0);
        const double claim = a == 0 ? none : (power_w > 200e3 ? 1.0 : 0.0);
        t.scenarios.push_back(
            {a, {power_w, length_m}, {eff, (a == 0 ? 5e4 : 2e4) * power_w / 1e6, claim}, false});
      }
  return t;
}

inline study::SweepTable sweep_monte_carlo_table() {
  study::SweepTable t;
  t.name = "tolerances";
  t.combine = study::SweepCombine::monte_carlo;
  t.architectures = {"legacy-415vac", "800vdc-sst"};
  t.parameters = {{"vrm_efficiency", ""}};
  t.outputs = {{"end_to_end_efficiency", ""}, {"copper_kg", "kg"}};
  t.efficiency = 0;
  t.copper = 1;
  for (int i = 0; i < 500; ++i) {
    const double u = (static_cast<double>((i * 7919) % 500) + 0.5) / 500.0;
    for (std::size_t a = 0; a < 2; ++a)
      t.scenarios.push_back(
          {a, {0.88 + 0.04 * u}, {(a == 0 ? 0.87 : 0.92) + 0.02 * u * u, 1e4 * (1.0 + u)}, false});
  }
  return t;
}

}  // namespace g2g::report::testing

// Steady-state availability of repairable systems (docs/reliability.md, "Availability"): a stage
// of n identical units that works while at least k of them do (k-out-of-n, with repair), and a
// series of stages. The closed form is the steady state of the birth-death Markov chain over the
// number of failed units (failure rate (n - i) lambda, repair rate min(i, crews) mu); a seeded
// Monte Carlo of failures and repairs checks it. Exponential lifetimes and repairs throughout.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace g2g::reliability {

struct KOutOfN {
  int n = 1;                        // units in the stage
  int k = 1;                        // units needed
  double failure_rate_per_h = 0.0;  // per unit (FIT / 1e9)
  double repair_rate_per_h = 0.0;   // per crew: 1 / MTTR
  int repair_crews = 0;             // units repaired at once; 0: every failed unit at once
};

struct StageAvailability {
  double availability = 0.0;
  double failure_frequency_per_h = 0.0;  // stage failures (up -> down transitions) per hour
  double mean_down_time_h = 0.0;         // per stage failure
};

// The steady state of one k-out-of-n stage. Requires 1 <= k <= n, positive rates.
[[nodiscard]] StageAvailability k_out_of_n(const KOutOfN& stage);

// A series of independent stages: up while every stage is. The failure frequency is the sum over
// stages of each one's frequency times the others' availability.
[[nodiscard]] StageAvailability series(std::span<const KOutOfN> stages);

// Energy not served in a year when the whole load is lost while the system is down: (1 - A)
// x load x 8766 h, in watt-hours.
[[nodiscard]] double unserved_energy_wh_per_year(double availability, double load_w);

struct MonteCarloOptions {
  std::uint64_t seed = 1;
  int replications = 200;  // independent histories
  double horizon_h = 1e6;  // simulated time of each
};

struct MonteCarloEstimate {
  double unavailability = 0.0;          // mean over replications
  double standard_error = 0.0;          // of that mean
  std::vector<double> per_replication;  // each history's down-time fraction
};

// Simulates failures and repairs of the series of k-out-of-n stages, event by event, starting
// with every unit up; each replication's down-time fraction over the horizon. Deterministic for
// a seed on every platform (its own exponential draws from a 64-bit Mersenne Twister).
[[nodiscard]] MonteCarloEstimate simulate_unavailability(std::span<const KOutOfN> stages,
                                                         const MonteCarloOptions& options);

}  // namespace g2g::reliability

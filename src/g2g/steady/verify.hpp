// The a-posteriori check of a solution (docs/steady.md, "Checking a solution"): whatever the
// Newton solver concluded, the results it hands on must balance at every bus, conserve energy
// as a whole and hold no non-finite value. It reads only the SI results and the model's ports,
// so it checks the network equations, the solver and the output of every element kind
// independently of how they computed them.
#pragma once

#include <optional>
#include <string>

#include "g2g/model/spec.hpp"
#include "g2g/steady/results.hpp"

namespace g2g::steady {

struct SolutionCheck {
  std::string what;                     // which check failed, with its figures
  model::BusIndex bus = model::no_bus;  // the bus where it failed worst, if any
};

// Relative tolerance of the balances, on the power flowing through the bus (or the whole
// network): rounding of the results, far below any real imbalance.
inline constexpr double balance_relative_tolerance = 1e-9;

// Empty when `result` passes; else the first failed check. A bus may be out of balance by 10
// times the model's solver tolerance on its base power, plus the relative tolerance above.
std::optional<SolutionCheck> check_solution(const model::ModelSpec& model,
                                            const SolveResult& result);

}  // namespace g2g::steady

// Hybrid AC/DC steady-state power flow: full Newton-Raphson over every AC and DC bus and every
// converter coupling them, with a sparse direct solver (KLU).
#pragma once

#include <stdexcept>
#include <string>

#include "g2g/core/error.hpp"
#include "g2g/model/spec.hpp"
#include "g2g/steady/results.hpp"

namespace g2g::steady {

// Thrown when no operating point can be found (beyond maximum loadability, or diverging).
// Names the part of the network that collapsed.
class NonConvergenceError : public Error {
 public:
  NonConvergenceError(std::string message, std::string worst_bus_id, int iterations,
                      double max_mismatch_pu);
  [[nodiscard]] const std::string& worst_bus_id() const noexcept { return worst_bus_id_; }
  [[nodiscard]] int iterations() const noexcept { return iterations_; }
  [[nodiscard]] double max_mismatch_pu() const noexcept { return max_mismatch_pu_; }

 private:
  std::string worst_bus_id_;
  int iterations_;
  double max_mismatch_pu_;
};

// Solves the model. The model must have passed validation (model::validate). Throws
// NonConvergenceError when the case has no solution; never prints.
SolveResult solve(const model::ModelSpec& model);

}  // namespace g2g::steady

// Hybrid AC/DC steady-state power flow: full Newton-Raphson over every AC and DC bus and every
// converter coupling them, with a sparse direct solver (KLU).
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "g2g/core/error.hpp"
#include "g2g/model/spec.hpp"
#include "g2g/steady/equations.hpp"
#include "g2g/steady/network.hpp"
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

class NewtonSolver;

// A solver kept for one network structure: the network, the numbering of its unknowns, the
// Jacobian's pattern, ordering and symbolic factorisation, and the last solution. Each solve()
// after the first starts from the last solution (warm start); update() takes a model with the
// same structure and new values (loads, generation, set-points, impedances: a sweep point or a
// time step) without redoing any of the structural work. The model must have passed validation
// (api::ValidatedModel) and must outlive the solver.
class Solver {
 public:
  explicit Solver(const model::ModelSpec& model);
  ~Solver();
  Solver(const Solver&) = delete;
  Solver& operator=(const Solver&) = delete;

  // Solves; throws NonConvergenceError when the case has no solution.
  SolveResult solve();
  // Replaces the model by `model` when it has the same structure (same nodes, roles, branches,
  // active elements and converter controls) and returns true; returns false, changing nothing,
  // when it does not (build a new Solver then).
  bool update(const model::ModelSpec& model);
  // Replaces the model by `model` when it differs from the present one only in its loads' values
  // (power, reactive power, load model): the same loads on the same buses, in service alike, and
  // the same number of every other element. Only the loads are stamped again (no topology, no
  // admittance matrix), so the other elements must equal the present model's: that is not
  // checked (use update() when anything else changed). Returns false, changing nothing, when the
  // loads or counts differ.
  bool update_loads(const model::ModelSpec& model);
  // Replaces the model by `model`, which differs from the present one only in values of the
  // elements of the kinds in `changed` (model::ModelSource::patch_values: the network's shape is
  // the same): the elements are stamped again, without the topology analysis, and converters'
  // loss curves are rebuilt only when converters changed (steady::restamp). Throws
  // std::logic_error when the shape differs after all.
  void update_values(const model::ModelSpec& model, const model::ElementKindSet& changed);
  // Makes the next solve() start as a new Solver's first one does (the flat or linearised start,
  // factors and pivots chosen afresh) while keeping the network's numbering, pattern and
  // analysis: its result is bit for bit that of steady::solve(model), whatever was solved
  // before. For sweeps whose rows must not depend on the order of their scenarios.
  void restart();

  [[nodiscard]] const Network& network() const noexcept { return network_; }
  [[nodiscard]] const State& state() const noexcept { return state_; }

 private:
  friend SolveResult solve(const model::ModelSpec& model);
  // The Newton iterations, continuation included; fills stats_ and state_.
  void run();

  const model::ModelSpec* model_;
  Network network_;
  std::unique_ptr<NewtonSolver> newton_;
  State state_;
  SolveStats stats_;
  bool converged_ = false;
  bool flat_ = true;  // state_ is a flat start (no solution yet): a radial network starts linear
};

// Solves the model once. The model must have passed validation (model::validate). Throws
// NonConvergenceError when the case has no solution; never prints.
SolveResult solve(const model::ModelSpec& model);

}  // namespace g2g::steady

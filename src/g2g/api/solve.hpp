// Solving and sizing a ValidatedModel: the API's thin layer over steady/ and sizing/, so that a
// shell (the CLI, the Python module) cannot hand a solver an unchecked model. docs/api.md.
#pragma once

#include "g2g/api/model.hpp"
#include "g2g/sizing/sizing.hpp"
#include "g2g/steady/results.hpp"
#include "g2g/steady/solver.hpp"

namespace g2g::api {

// One steady-state solve. Throws steady::NonConvergenceError (kind no_solution) when the case
// has no operating point.
steady::SolveResult solve(const ValidatedModel& model);

// A solver that keeps its network, ordering and symbolic factorisation between solves, and
// starts each solve from the last solution: for sweeps and time steps over one structure. The
// ValidatedModel it was made or last updated with must outlive it.
class Solver {
 public:
  explicit Solver(const ValidatedModel& model) : solver_(model.spec()) {}
  steady::SolveResult solve() { return solver_.solve(); }
  // Takes a model of the same structure (new loads, set-points, impedances); false when the
  // structure differs (build a new Solver then). `model` must outlive the solver.
  bool update(const ValidatedModel& model) { return solver_.update(model.spec()); }
  // Takes a model that differs only in its loads' values, stamping the loads alone: the cheap
  // re-solve with new injections (steady::Solver::update_loads says what must stay equal).
  bool update_loads(const ValidatedModel& model) { return solver_.update_loads(model.spec()); }
  // Takes the model a value-only ModelTemplate::expand() made in place (last_was_values_only()),
  // stamping again only what changed (ModelTemplate::last_changed_kinds()): the cheapest update
  // for values of cables, converters or sources. steady::Solver::update_values.
  void update_values(const ValidatedModel& model, const model::ElementKindSet& changed) {
    solver_.update_values(model.spec(), changed);
  }
  // The next solve() gives bit for bit what api::solve(model) gives, keeping the structural
  // work: for rows that must not depend on what was solved before. steady::Solver::restart.
  void restart() { solver_.restart(); }

 private:
  steady::Solver solver_;
};

// Sizes every low-voltage cable and busbar (docs/sizing.md), re-solving until the sizes settle.
// Throws g2g::InvalidInput for options outside the tables.
sizing::IterativeSizing size(const ValidatedModel& model, const sizing::Tables& tables,
                             const sizing::SizingOptions& options, int passes);

}  // namespace g2g::api

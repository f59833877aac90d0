#include "g2g/steady/newton.hpp"

#include <algorithm>
#include <cmath>

namespace g2g::steady {

NewtonSolver::NewtonSolver(const Network& network)
    : equations_(network), step_(static_cast<std::size_t>(equations_.size()), 0.0) {
  // A radial network's Jacobian factorizes without fill by the tree LU; otherwise KLU with
  // leaves-first or AMD, chosen from symbolic fill estimates (SparseLu's choose_ordering).
  const auto& pattern = equations_.jacobian_pattern();
  if (pattern.size == 0) return;
  tree_ = TreeLu::make(pattern);
  if (!tree_) lu_ = std::make_unique<SparseLu>(pattern);
}

bool NewtonSolver::factor() {
  if (!lu_) {
    if (tree_->factor(equations_.jacobian_values())) return true;
    // A block that needs pivoting (or a singular matrix, which KLU then names): KLU from here on.
    lu_ = std::make_unique<SparseLu>(equations_.jacobian_pattern());
  }
  return lu_->factor(equations_.jacobian_values());
}

NewtonSolver::~NewtonSolver() = default;

NewtonOutcome NewtonSolver::run(State& state, const NewtonOptions& options) {
  NewtonOutcome outcome;
  std::int32_t worst = -1;
  outcome.max_mismatch_pu = equations_.evaluate(state, options.load_scale, true, worst);
  outcome.worst_node = worst;
  if (equations_.size() == 0) {
    outcome.converged = true;
    return outcome;
  }
  auto norm2 = [&] {
    double sum = 0.0;
    for (const double f : equations_.residual()) sum += f * f;
    return sum;
  };
  double merit = norm2();
  State& trial = trial_;  // kept across runs: its memory is reused
  while (true) {
    if (outcome.max_mismatch_pu <= options.tolerance_pu) {
      outcome.converged = true;
      return outcome;
    }
    if (outcome.iterations >= options.max_iterations) return outcome;
    if (!factor()) {
      outcome.singular = true;
      // Map the singular column back to its node.
      const auto node = equations_.node_of_column(lu_->singular_column());
      if (node >= 0) outcome.worst_node = node;
      return outcome;
    }
    const auto& mismatch = equations_.residual();
    for (std::size_t r = 0; r < step_.size(); ++r) step_[r] = -mismatch[r];
    // The pattern holds the Jacobian's transpose.
    if (lu_)
      lu_->solve_transposed(step_);
    else
      tree_->solve_transposed(step_);
    ++outcome.iterations;

    // Backtracking: halve the step until the squared mismatch falls and voltages stay positive.
    double alpha = 1.0;
    bool accepted = false;
    for (int trial_count = 0; trial_count < 12; ++trial_count, alpha *= 0.5) {
      equations_.apply_step(state, step_, alpha, trial);
      if (std::any_of(trial.v_pu.begin(), trial.v_pu.end(), [](double v) { return !(v > 0.0); }))
        continue;
      const double max_abs = equations_.evaluate(trial, options.load_scale, true, worst);
      const double trial_merit = norm2();
      if (std::isfinite(trial_merit) && (trial_merit < merit || max_abs <= options.tolerance_pu)) {
        std::swap(state, trial);
        merit = trial_merit;
        outcome.max_mismatch_pu = max_abs;
        outcome.worst_node = worst;
        accepted = true;
        break;
      }
    }
    if (!accepted) {
      // Leave the mismatch of the unchanged state in place for the caller's diagnosis.
      outcome.max_mismatch_pu = equations_.evaluate(state, options.load_scale, true, worst);
      outcome.worst_node = worst;
      return outcome;
    }
  }
}

}  // namespace g2g::steady

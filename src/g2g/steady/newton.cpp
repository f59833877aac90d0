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

bool NewtonSolver::chord_worthwhile() const noexcept {
  if (!lu_) return false;
  const double flops = lu_->factor_flops();
  const double entries = lu_->factor_nonzeros() + static_cast<double>(nonzeros());
  return flops > chord_min_flops && flops > chord_flops_per_entry * entries;
}

// Chord steps: where one factorization costs as much as dozens of solves with its factors and
// evaluations of F (the far-tie networks of docs/benchmarks.md: about 150 flops per entry), a
// step may reuse the factors of an earlier Jacobian of the same run. It is still a descent step
// judged by the true mismatch F, and convergence is still declared on F alone, so a stale
// Jacobian can cost steps but never a false convergence. The next step factorizes afresh unless
// the last chord or Newton step took the full step and cut ||F|| by chord_contraction or more; a
// chord step the line search rejects is retried as a Newton step from the same point. Elsewhere
// (and with options.chord false) every step is a Newton step, exactly as before.
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
  State trial = state;
  bool chord = false;            // the factors of this run may serve the next step
  bool jacobian_current = true;  // jacobian_values() are those at `state`
  while (true) {
    if (outcome.max_mismatch_pu <= options.tolerance_pu) {
      outcome.converged = true;
      return outcome;
    }
    if (outcome.iterations >= options.max_iterations) return outcome;
    const bool chord_step = chord;
    if (!chord_step) {
      if (!jacobian_current)
        outcome.max_mismatch_pu = equations_.evaluate(state, options.load_scale, true, worst);
      jacobian_current = true;
      if (!factor()) {
        outcome.singular = true;
        // Map the singular column back to its node.
        const auto node = equations_.node_of_column(lu_->singular_column());
        if (node >= 0) outcome.worst_node = node;
        return outcome;
      }
      ++outcome.factorizations;
    }
    // Line-search points need the Jacobian only when the next step factorizes it.
    const bool chord_allowed = options.chord && chord_worthwhile();
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
      const double max_abs = equations_.evaluate(trial, options.load_scale, !chord_allowed, worst);
      const double trial_merit = norm2();
      if (std::isfinite(trial_merit) && (trial_merit < merit || max_abs <= options.tolerance_pu)) {
        std::swap(state, trial);
        chord = chord_allowed && trial_count == 0 &&
                trial_merit <= chord_contraction * chord_contraction * merit;
        merit = trial_merit;
        outcome.max_mismatch_pu = max_abs;
        outcome.worst_node = worst;
        accepted = true;
        break;
      }
    }
    jacobian_current = !chord_allowed;
    if (!accepted) {
      // Leave the mismatch of the unchanged state in place for the caller's diagnosis, or for a
      // Newton step from it when the rejected step was a chord step.
      outcome.max_mismatch_pu = equations_.evaluate(state, options.load_scale, true, worst);
      outcome.worst_node = worst;
      if (!chord_step) return outcome;
      chord = false;
      jacobian_current = true;
    }
  }
}

}  // namespace g2g::steady

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
  if (!tree_) {
    lu_ = std::make_unique<SparseLu>(pattern);
    prepare_symmetric();
  }
}

void NewtonSolver::prepare_symmetric() {
  // Only where leaves-first fills in (a cheap order means a cheap factorization), and only over
  // DC nodes, whose rows J(i, j) = V_i G_ij (j != i) become symmetric divided by V_i.
  const auto& pattern = equations_.jacobian_pattern();
  if (lu_->ordering() == Ordering::reverse_given ||
      lu_->estimated_factor_nonzeros() <= ldl_min_fill * static_cast<double>(pattern.row.size()))
    return;
  const auto n = static_cast<std::size_t>(pattern.size);
  const auto& nodes = equations_.network().nodes;
  auto column_node = equations_.column_nodes();
  for (const auto node : column_node)
    if (node < 0 || nodes[static_cast<std::size_t>(node)].kind != model::BusKind::dc) return;
  // The transpose of every entry. Entry (r, c) sits in column c, its transpose (c, r) in column
  // r. Visited column by column, the entries of row r come in increasing column order, so where
  // column r holds its diagonal and then its other rows in increasing order (as the equations
  // write them), the k-th of them is the transpose of the k-th: one pass, a cursor per column.
  // Entries out of that order are found by scanning their column.
  const auto& start = pattern.column_start;
  const auto& row = pattern.row;
  mirror_.assign(row.size(), -1);
  {
    std::vector<std::int32_t> next(start.begin(), start.end() - 1);
    for (std::size_t c = 0; c < n; ++c)
      for (auto p = start[c]; p < start[c + 1]; ++p) {
        const auto r = static_cast<std::size_t>(row[static_cast<std::size_t>(p)]);
        if (r == c) {
          mirror_[static_cast<std::size_t>(p)] = p;
          continue;
        }
        auto& at = next[r];
        const auto end = start[r + 1];
        if (at < end && row[static_cast<std::size_t>(at)] == static_cast<std::int32_t>(r)) ++at;
        if (at < end && row[static_cast<std::size_t>(at)] == static_cast<std::int32_t>(c))
          mirror_[static_cast<std::size_t>(p)] = at++;
      }
  }
  for (std::size_t c = 0; c < n; ++c)
    for (auto p = start[c]; p < start[c + 1]; ++p) {
      if (mirror_[static_cast<std::size_t>(p)] >= 0) continue;
      const auto r = static_cast<std::size_t>(row[static_cast<std::size_t>(p)]);
      for (auto q = start[r]; q < start[r + 1]; ++q)
        if (row[static_cast<std::size_t>(q)] == static_cast<std::int32_t>(c))
          mirror_[static_cast<std::size_t>(p)] = q;
      if (mirror_[static_cast<std::size_t>(p)] < 0) {
        mirror_.clear();
        return;  // an unsymmetric pattern
      }
    }
  auto ldl = std::make_unique<SparseLdl>(pattern, lu_->column_order());
  const double entries = ldl->factor_nonzeros() + static_cast<double>(pattern.row.size());
  if (ldl->flops() > chord_min_flops && ldl->flops() > chord_flops_per_entry * entries) {
    ldl_ = std::move(ldl);
    scaled_.resize(pattern.row.size());
    row_scale_.resize(n);
    column_node_ = std::move(column_node);
  } else {
    mirror_.clear();
  }
}

bool NewtonSolver::factor_symmetric(const State& state) {
  const auto& pattern = equations_.jacobian_pattern();
  const auto& values = equations_.jacobian_values();
  const auto n = static_cast<std::size_t>(pattern.size);
  for (std::size_t c = 0; c < n; ++c)
    row_scale_[c] = 1.0 / state.v_pu[static_cast<std::size_t>(column_node_[c])];
  // Column c of the pattern holds row c of J.
  for (std::size_t c = 0; c < n; ++c)
    for (auto p = pattern.column_start[c]; p < pattern.column_start[c + 1]; ++p)
      scaled_[static_cast<std::size_t>(p)] = values[static_cast<std::size_t>(p)] * row_scale_[c];
  bool symmetric = true;
  for (std::size_t p = 0; p < scaled_.size() && symmetric; ++p) {
    const double a = scaled_[p];
    const double b = scaled_[static_cast<std::size_t>(mirror_[p])];
    symmetric = std::abs(a - b) <= 1e-10 * (std::abs(a) + std::abs(b));
  }
  if (symmetric && ldl_->factor(scaled_)) return true;
  ldl_.reset();  // its memory too: KLU's factors take over
  ldl_dropped_ = true;
  return false;
}

void NewtonSolver::restart() {
  ldl_factored_ = false;
  // With a tree LU, KLU exists only because a tree factorization failed in an earlier run.
  if (tree_) lu_.reset();
  if (!lu_) return;
  lu_->forget_numeric();
  if (ldl_dropped_) {
    ldl_dropped_ = false;
    prepare_symmetric();
  }
}

bool NewtonSolver::factor(const State& state) {
  ldl_factored_ = false;
  if (!lu_) {
    if (tree_->factor(equations_.jacobian_values())) return true;
    // A block that needs pivoting (or a singular matrix, which KLU then names): KLU from here on.
    lu_ = std::make_unique<SparseLu>(equations_.jacobian_pattern());
  }
  if (ldl_ && factor_symmetric(state)) {
    ldl_factored_ = true;
    return true;
  }
  return lu_->factor(equations_.jacobian_values());
}

void NewtonSolver::solve(std::vector<double>& rhs) {
  if (ldl_factored_) {
    // J x = b is (D⁻¹ J) x = D⁻¹ b, D⁻¹ J symmetric.
    for (std::size_t r = 0; r < rhs.size(); ++r) rhs[r] *= row_scale_[r];
    ldl_->solve(rhs);
  } else if (lu_) {
    lu_->solve_transposed(rhs);  // the pattern holds the Jacobian's transpose
  } else {
    tree_->solve_transposed(rhs);
  }
}

NewtonSolver::~NewtonSolver() = default;

bool NewtonSolver::chord_worthwhile() const noexcept {
  if (ldl_) return true;  // made only when worthwhile (prepare_symmetric)
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
  State& trial = trial_;         // kept across runs: its memory is reused
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
      if (!factor(state)) {
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
    solve(step_);
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

// Full Newton-Raphson on the hybrid AC/DC network's equations (equations.hpp), with a sparse LU
// (KLU) whose ordering and symbolic analysis are kept across iterations, or, when the Jacobian
// is a tree of 2x2 node blocks (a radial AC network of PQ nodes), the tree LU (tree_lu.hpp),
// which needs neither. Derivation: docs/algorithms/newton-hybrid.md.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "g2g/steady/equations.hpp"
#include "g2g/steady/network.hpp"
#include "g2g/steady/sparse_lu.hpp"
#include "g2g/steady/tree_lu.hpp"

namespace g2g::steady {

struct NewtonOptions {
  double tolerance_pu = 1e-10;
  int max_iterations = 30;
  double load_scale = 1.0;  // loads (and power-controlled converter set-points) times this
};

struct NewtonOutcome {
  bool converged = false;
  bool singular = false;
  int iterations = 0;
  double max_mismatch_pu = 0.0;  // beyond each node's rounding floor
  std::int32_t worst_node = -1;  // node with the largest mismatch (or singular column)
};

class NewtonSolver {
 public:
  explicit NewtonSolver(const Network& network);
  ~NewtonSolver();
  NewtonSolver(const NewtonSolver&) = delete;
  NewtonSolver& operator=(const NewtonSolver&) = delete;

  // Iterates from `state` (updated in place) with a backtracking line search.
  NewtonOutcome run(State& state, const NewtonOptions& options);
  // After the network's values changed, its structure kept (NetworkEquations::refresh).
  void refresh() { equations_.refresh(); }
  // The rectangular voltages of the AC nodes at the state the last run() returned (it ends with
  // an evaluation there), for make_results; take_voltages() leaves the solver unusable.
  [[nodiscard]] const std::vector<Complex>& voltages() const noexcept {
    return equations_.voltages();
  }
  [[nodiscard]] std::vector<Complex> take_voltages() noexcept { return equations_.take_voltages(); }

  [[nodiscard]] std::int32_t unknowns() const noexcept { return equations_.size(); }
  [[nodiscard]] double factor_nonzeros() const noexcept {
    if (lu_) return lu_->factor_nonzeros();
    return tree_ ? tree_->factor_nonzeros() : 0.0;
  }
  // Whether the factorizations so far took the tree LU (no KLU made).
  [[nodiscard]] bool radial() const noexcept { return tree_ != nullptr && !lu_; }
  [[nodiscard]] std::int32_t nonzeros() const noexcept {
    return static_cast<std::int32_t>(equations_.jacobian_pattern().row.size());
  }
  // The ordering the LU factorization uses (chosen before any factorization) and the pattern
  // it was chosen for: the transpose of the Jacobian. The tree LU eliminates last first.
  [[nodiscard]] Ordering ordering() const noexcept {
    return lu_ ? lu_->ordering() : Ordering::reverse_given;
  }
  [[nodiscard]] const CscPattern& jacobian_pattern() const noexcept {
    return equations_.jacobian_pattern();
  }

 private:
  NetworkEquations equations_;
  // Factorizes the present Jacobian with the tree LU or KLU (made on first need: when the
  // pattern is no tree, or a tree block needs pivoting); false when singular.
  bool factor();

  std::vector<double> step_;  // Newton step, reused across iterations
  State trial_;               // the line search's trial state, likewise
  std::unique_ptr<TreeLu> tree_;
  std::unique_ptr<SparseLu> lu_;
};

}  // namespace g2g::steady

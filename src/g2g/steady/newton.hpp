// Full Newton-Raphson on the hybrid AC/DC network's equations (equations.hpp), with a sparse LU
// (KLU) whose ordering and symbolic analysis are kept across iterations, or, when the Jacobian
// is a tree of 2x2 node blocks (a radial AC network of PQ nodes), the tree LU (tree_lu.hpp),
// which needs neither. When a factorization costs far more than a solve with its factors (ties
// between far-apart buses), steps reuse the last factors (chord steps) while they contract the
// mismatch well. Derivation: docs/algorithms/newton-hybrid.md.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "g2g/steady/equations.hpp"
#include "g2g/steady/network.hpp"
#include "g2g/steady/sparse_ldl.hpp"
#include "g2g/steady/sparse_lu.hpp"
#include "g2g/steady/tree_lu.hpp"

namespace g2g::steady {

// When a factorization takes more floating-point operations than this, and more than
// chord_flops_per_entry times the entries of the Jacobian and its factors together (what a step
// reading them costs), the Newton solver takes chord steps (NewtonSolver::run), and factorizes a
// Jacobian that is symmetric once its rows are divided by their node's voltage (a DC network)
// by LDL' instead of LU. Radial and near-radial networks, and every shipped example, stay far
// below both. The count is CHOLMOD's for an LDL' (known from its analysis, before factorizing),
// KLU's for an LU (known after the first factorization).
constexpr double chord_min_flops = 5e6;
constexpr double chord_flops_per_entry = 20.0;
// The LDL' is tried only where the ordering's estimated fill (nnz(L) + nnz(U)) is over this many
// times the Jacobian's entries: its own analysis costs about a tenth of a factorization, which
// pays off only where the factorization's arithmetic, not its memory traffic, dominates (2,000
// far ties on 1e5 buses: 2.9; on 1e6 buses: 1.5, where KLU with chord steps is faster).
constexpr double ldl_min_fill = 2.0;
// A chord step is followed by another only when it took the full step and reduced the mismatch's
// 2-norm at least this much; otherwise the next step factorizes a fresh Jacobian.
constexpr double chord_contraction = 0.1;

struct NewtonOptions {
  double tolerance_pu = 1e-10;
  int max_iterations = 30;
  double load_scale = 1.0;  // loads (and power-controlled converter set-points) times this
  // Whether chord steps are allowed where the factorization is expensive (see above); false:
  // every step factorizes the Jacobian at its starting point.
  bool chord = true;
};

struct NewtonOutcome {
  bool converged = false;
  bool singular = false;
  int iterations = 0;            // steps taken (chord steps included)
  int factorizations = 0;        // Jacobians factorized
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
  // Forgets what earlier runs left behind (numeric factors and their pivots, the choice of KLU
  // over the tree LU, an LDL' given up), keeping the pattern's analysis: the next run() computes
  // bit for bit what a new NewtonSolver of this network would.
  void restart();
  // The rectangular voltages of the AC nodes at the state the last run() returned (it ends with
  // an evaluation there), for make_results; take_voltages() leaves the solver unusable.
  [[nodiscard]] const std::vector<Complex>& voltages() const noexcept {
    return equations_.voltages();
  }
  [[nodiscard]] std::vector<Complex> take_voltages() noexcept { return equations_.take_voltages(); }

  [[nodiscard]] std::int32_t unknowns() const noexcept { return equations_.size(); }
  // nnz(L) + nnz(U), diagonals in both (for an LDL', twice nnz(L)).
  [[nodiscard]] double factor_nonzeros() const noexcept {
    if (ldl_factored_) return 2.0 * ldl_->factor_nonzeros();
    if (lu_) return lu_->factor_nonzeros();
    return tree_ ? tree_->factor_nonzeros() : 0.0;
  }
  // Whether the last factorization was the symmetric LDL'.
  [[nodiscard]] bool symmetric() const noexcept { return ldl_factored_; }
  // Whether the factorizations so far took the tree LU (no KLU made).
  [[nodiscard]] bool radial() const noexcept { return tree_ != nullptr && !lu_; }
  // Whether the factorization is expensive enough for chord steps (known after the first KLU
  // factorization; false before it and with the tree LU).
  [[nodiscard]] bool chord_worthwhile() const noexcept;
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
  // Factorizes the Jacobian at `state` with the tree LU, the LDL' or KLU (made on first need:
  // when the pattern is no tree, or a tree block needs pivoting); false when singular.
  bool factor(const State& state);
  // Makes ldl_ when the factorization is expensive and the pattern symmetric over DC nodes.
  void prepare_symmetric();
  // The LDL' of the row-scaled Jacobian; false (and ldl_ dropped, until restart() makes it again)
  // when the scaled values are not symmetric or a pivot is too small.
  bool factor_symmetric(const State& state);
  // Solves J step = rhs with the last factors.
  void solve(std::vector<double>& rhs);

  std::vector<double> step_;  // Newton step, reused across iterations
  State trial_;               // the line search's trial state, likewise
  std::unique_ptr<TreeLu> tree_;
  std::unique_ptr<SparseLu> lu_;
  std::unique_ptr<SparseLdl> ldl_;
  std::vector<std::int32_t> mirror_;       // per Jacobian entry, the position of its transpose
  std::vector<double> scaled_;             // the row-scaled Jacobian given to the LDL'
  std::vector<double> row_scale_;          // per equation, 1 / its node's voltage
  std::vector<std::int32_t> column_node_;  // per equation, its node
  bool ldl_factored_ = false;
  bool ldl_dropped_ = false;  // factor_symmetric failed: LU until restart()
};

}  // namespace g2g::steady

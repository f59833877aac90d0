// KLU's factors of one matrix copied into plain arrays (klu_extract), refactored with the same
// pivots and used for solves by loops that make KLU's floating-point operations in KLU's order:
// the same bits as klu_refactor (unscaled, as SparseLu calls it), klu_rcond, klu_solve and
// klu_tsolve. What it saves is KLU's bookkeeping per column (each column's indices and values
// packed behind a pointer and a length, the permutations and the off-diagonal blocks in passes
// of their own), a third of a solve on a few dozen unknowns: a time-domain run of a lumped model
// solves such a system hundreds of thousands of times (docs/benchmarks.md, "The lumped hall's
// linear solves, and the residual's walk").
#pragma once

#include <klu.h>

#include <cstdint>
#include <span>
#include <vector>

#include "g2g/steady/sparse_lu.hpp"

namespace g2g::steady {

// A factorization as klu_extract gives it (its argument names in comments): the rows and
// columns of L, U and F are in the permuted order; row_scale is 1 where KLU did not scale.
struct KluFactors {
  std::int32_t size = 0;
  std::vector<int> l_start, l_row;  // Lp, Li: unit diagonal first in each column
  std::vector<double> l_value;      // Lx
  std::vector<int> u_start, u_row;  // Up, Ui: the diagonal last in each column
  std::vector<double> u_value;      // Ux
  std::vector<int> f_start, f_row;  // Fp, Fi: the entries off the diagonal blocks
  std::vector<double> f_value;      // Fx
  std::vector<int> row_order;       // P: row_order[k], the row pivoted k-th
  std::vector<int> column_order;    // Q
  std::vector<double> row_scale;    // Rs, in pivot order
  std::vector<int> block_start;     // R: blocks' first columns, then size
};

// The factors of KLU's numeric object, copied out (klu_extract). Throws std::runtime_error when
// KLU refuses.
[[nodiscard]] KluFactors copy_factors(klu_symbolic& symbolic, klu_numeric& numeric,
                                      klu_common& common);

class FlatLu {
 public:
  // The matrix's pattern (the one KLU factored, kept by the caller) and its factors. Throws
  // std::invalid_argument when they do not fit together.
  FlatLu(const CscPattern& pattern, const KluFactors& factors);

  // The matrix with these values (the pattern's layout), with the same pivots; unscaled, as
  // klu_refactor with scale < 0. Returns false at a zero pivot (the factors are then unusable
  // until a refactor succeeds).
  bool refactor(std::span<const double> values);
  // min |U_kk| / max |U_kk|, as klu_rcond: 0 with a zero or NaN pivot.
  [[nodiscard]] double reciprocal_condition() const noexcept;
  // A x = b and Aᵀ x = b, in place.
  void solve(std::span<double> rhs);
  void solve_transposed(std::span<double> rhs);

 private:
  std::int32_t size_ = 0;
  std::vector<int> row_order_, column_order_, block_start_;
  std::vector<double> row_scale_;  // empty: unscaled (after a refactor)
  // L without its diagonal; per permuted column k, F's entries then U's without the diagonal
  // (fu_start_[k] to u_start_[k], then to fu_start_[k + 1]), each in KLU's order, so that the
  // transposed solve reads row k of both in one run; U's diagonal apart.
  std::vector<int> l_start_, l_row_, fu_start_, u_start_, fu_row_;
  std::vector<double> l_value_, fu_value_, u_diagonal_;
  // Where each matrix entry goes in a refactor, column by permuted column, in the pattern's
  // order: scatter_target_ >= 0 a row of the work vector (its pivot row), else the F entry
  // -1 - scatter_target_.
  std::vector<int> scatter_start_, scatter_source_, scatter_target_;
  std::vector<double> work_;
};

}  // namespace g2g::steady

// Owning wrapper of KLU (SuiteSparse) for a square sparse matrix in compressed-column form.
// The ordering is chosen when it is made, KLU's symbolic analysis at the first factorization
// (a caller may take only the order: NewtonSolver's LDL'); later factorizations reuse it, and a
// refactorization reuses the pivot order while it stays numerically sound.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace g2g::steady {

struct CscPattern {
  std::int32_t size = 0;
  std::vector<std::int32_t> column_start;  // size + 1
  std::vector<std::int32_t> row;
};

// How the columns are ordered before factorization.
enum class Ordering : std::uint8_t {
  amd,              // approximate minimum degree: the general choice, good for meshed networks
  reverse_given,    // eliminate the last row/column first: no fill on a tree numbered root-first
  leaves_then_amd,  // nodes with one neighbour left first (no fill), then paths of nodes with
                    // two, along their length, then AMD on the rest
};

// nnz(L) + nnz(U), each with its diagonal (as KLU counts them), of the factors of a matrix with
// this pattern eliminated last column first with diagonal pivots: the Cholesky pattern of
// A + Aᵀ, found from its elimination tree without any arithmetic. Work and result stop growing
// past `limit`: the result is then some value above it.
[[nodiscard]] std::int64_t reverse_order_factor_nonzeros(const CscPattern& pattern,
                                                         std::int64_t limit);

class SparseLu {
 public:
  // Chooses the ordering from symbolic estimates, before any numeric factorization (the rule
  // and why: choose_ordering in sparse_lu.cpp).
  explicit SparseLu(const CscPattern& pattern);
  SparseLu(const CscPattern& pattern, Ordering ordering);
  ~SparseLu();
  SparseLu(const SparseLu&) = delete;
  SparseLu& operator=(const SparseLu&) = delete;

  // Factorizes the matrix with these values (same layout as the pattern). Returns false when
  // the matrix is singular; singular_column() then names the column.
  bool factor(std::span<const double> values);
  // Solves A x = b in place.
  void solve(std::span<double> rhs);
  // Solves A^T x = b in place: for a caller that holds its matrix by rows, whose compressed
  // rows are the compressed columns of the transpose.
  void solve_transposed(std::span<double> rhs);
  [[nodiscard]] std::int32_t singular_column() const noexcept { return singular_column_; }
  [[nodiscard]] Ordering ordering() const noexcept;
  // The elimination order the analysis fixed: element k is the column eliminated k-th (KLU's
  // fill-reducing column permutation; pivoting may reorder the rows, not the columns).
  [[nodiscard]] std::vector<int> column_order() const;
  // nnz(L) + nnz(U) that the symbolic analysis expects with diagonal pivots, before factoring.
  [[nodiscard]] double estimated_factor_nonzeros() const noexcept;
  // Entries in L and U after the last factorization (fill-in diagnostics).
  [[nodiscard]] double factor_nonzeros() const noexcept;
  // Floating-point operations of the first full (pivoting) factorization, as KLU counts them; a
  // refactorization with its pivots takes the same. 0 before any factorization.
  [[nodiscard]] double factor_flops() const noexcept;
  // From the next full factorization on, copies KLU's factors into plain arrays after each one
  // and refactors and solves with those (FlatLu): the same results to the bit, and a third
  // less time per solve on a small system refactored and solved many times (a time-domain
  // run); a full factorization takes a copy of the factors more.
  void use_flat_factors() noexcept;
  // Drops the numeric factors (and the flop count): the next factor() chooses its pivots afresh,
  // exactly as the first one of a new SparseLu on this pattern would. The analysis is kept.
  void forget_numeric() noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::int32_t singular_column_ = -1;
};

}  // namespace g2g::steady

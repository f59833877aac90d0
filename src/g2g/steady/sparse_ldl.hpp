// Owning wrapper of CHOLMOD's simplicial LDL' (SuiteSparse) for a symmetric sparse matrix in a
// given elimination order, without pivoting. The Newton solver takes it instead of KLU's LU for
// a Jacobian that is symmetric once its rows are scaled (DC networks) when the factorization is
// expensive: half the arithmetic of an LU, and no pivot search (docs/algorithms/newton-hybrid.md).
// The leading columns of the order with at most one neighbour later in it (leaves peeled first)
// are eliminated here, without fill; CHOLMOD gets the rest (the core), permuted once into the
// order, so that it neither permutes nor transposes it at each factorization.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "g2g/steady/sparse_lu.hpp"

namespace g2g::steady {

class SparseLdl {
 public:
  // Analyses `pattern` (compressed columns, symmetric) for elimination in `order` (order[k]: the
  // column eliminated k-th).
  SparseLdl(const CscPattern& pattern, std::span<const int> order);
  ~SparseLdl();
  SparseLdl(const SparseLdl&) = delete;
  SparseLdl& operator=(const SparseLdl&) = delete;

  // Floating-point operations of a factorization, from the analysis (CHOLMOD's count).
  [[nodiscard]] double flops() const noexcept;
  // nnz(L), its diagonal included, from the analysis.
  [[nodiscard]] double factor_nonzeros() const noexcept;

  // Factorizes the symmetric matrix whose entries are `values` (in the pattern's layout; of an
  // entry and its transpose, whichever is above the diagonal once permuted is read, so both must
  // hold the same value). Returns false when a pivot is zero, not finite, or below
  // pivot_tolerance times its diagonal entry: without pivoting the factors are then not to be
  // trusted, and the caller takes an LU instead.
  bool factor(std::span<const double> values);
  // Solves A x = b in place with the last factors.
  void solve(std::vector<double>& rhs);

  static constexpr double pivot_tolerance = 1e-8;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace g2g::steady

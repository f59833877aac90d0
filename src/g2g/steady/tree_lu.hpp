// LU of a matrix whose 2x2 blocks form a tree numbered root-first: the Newton Jacobian of a
// radial AC network of PQ nodes (each node's angle and magnitude unknowns are one block, and a
// line couples a node to its parent). Eliminating the blocks last-first (leaves first) fills in
// nothing, so the factorization is a backward sweep that folds each block into its parent's
// diagonal block and the solve is a backward then a forward sweep: no ordering, no symbolic
// analysis, no pivot search, no general sparse machinery. Each 2x2 diagonal block is inverted
// explicitly (full pivoting within the block). SparseLu (KLU) is the general path.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "g2g/steady/sparse_lu.hpp"

namespace g2g::steady {

class TreeLu {
 public:
  // The structure of `pattern` (compressed, by rows or columns) when it is a tree of 2x2 blocks,
  // block b = unknowns 2b and 2b + 1, in which every block has at most one neighbour of lower
  // index (its parent) and both rows of a block hold the same columns; null otherwise.
  [[nodiscard]] static std::unique_ptr<TreeLu> make(const CscPattern& pattern);

  // Factorizes the matrix with these values (in the pattern's layout). Returns false when a
  // diagonal block, once its subtree is folded in, is singular or too ill-conditioned to invert
  // without pivoting across blocks: the caller then uses SparseLu.
  bool factor(const std::vector<double>& values);
  // Solves A^T x = b in place, A being the matrix the pattern holds by compressed columns (as
  // SparseLu::solve_transposed: the Newton solver holds its Jacobian by rows).
  void solve_transposed(std::vector<double>& rhs);
  // The first column of the block that failed the last factor (-1 when none did).
  [[nodiscard]] std::int32_t singular_column() const noexcept { return singular_column_; }
  // Entries of the factors, L and U with their diagonals, as SparseLu counts them: the pattern
  // itself (no fill) plus the diagonal once more.
  [[nodiscard]] double factor_nonzeros() const noexcept { return factor_nonzeros_; }

 private:
  TreeLu() = default;
  using Block = std::array<double, 4>;  // row major: (0,0) (0,1) (1,0) (1,1)
  using Positions = std::array<std::int32_t, 4>;

  std::vector<std::int32_t> parent_;  // per block, -1 for a root
  // Positions in the values of each block's diagonal block, of the block coupling it to its
  // parent (its rows, the parent's columns) and of the parent's rows in its columns.
  std::vector<Positions> diagonal_at_, up_at_, down_at_;
  // Factors, per block b with parent p: the inverse of b's diagonal block after folding in its
  // subtree, L = A(p, b) inv, and W = inv A(b, p).
  std::vector<Block> inverse_, lower_, upper_;
  std::int32_t singular_column_ = -1;
  double factor_nonzeros_ = 0.0;
};

}  // namespace g2g::steady

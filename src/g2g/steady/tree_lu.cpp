#include "g2g/steady/tree_lu.hpp"

#include <algorithm>
#include <cmath>

#include "g2g/steady/network.hpp"  // prefetch

namespace g2g::steady {

namespace {

// Below this |det| relative to the product of the row norms, a diagonal block is left to KLU's
// pivoting: eliminating without pivoting across blocks is only sound for well-conditioned blocks
// (a PQ node's block is dominated by its lines' admittances: far from this).
constexpr double min_relative_det = 1e-12;

}  // namespace

std::unique_ptr<TreeLu> TreeLu::make(const CscPattern& pattern) {
  const std::int32_t size = pattern.size;
  if (size < 2 || size % 2 != 0) return nullptr;
  const auto blocks = static_cast<std::size_t>(size / 2);
  const auto& start = pattern.column_start;
  const auto& index = pattern.row;
  std::unique_ptr<TreeLu> lu(new TreeLu());
  // Each block's parent: its one neighbour of lower index.
  lu->parent_.assign(blocks, -1);
  for (std::size_t b = 0; b < blocks; ++b) {
    for (std::size_t r = 2 * b; r < 2 * b + 2; ++r) {
      for (auto k = start[r]; k < start[r + 1]; ++k) {
        const std::int32_t c = index[static_cast<std::size_t>(k)] / 2;
        if (static_cast<std::size_t>(c) >= b) continue;
        auto& parent = lu->parent_[b];
        if (parent >= 0 && parent != c) return nullptr;  // two lower neighbours: not a tree
        parent = c;
      }
    }
  }
  // Every entry in a diagonal block, a block's rows in its parent's columns, or a parent's rows
  // in a child's columns; each such block complete and no entry twice.
  constexpr Positions none{-1, -1, -1, -1};
  lu->diagonal_at_.assign(blocks, none);
  lu->up_at_.assign(blocks, none);
  lu->down_at_.assign(blocks, none);
  for (std::size_t b = 0; b < blocks; ++b) {
    for (std::size_t r = 2 * b; r < 2 * b + 2; ++r) {
      for (auto k = start[r]; k < start[r + 1]; ++k) {
        const std::int32_t column = index[static_cast<std::size_t>(k)];
        const auto c = static_cast<std::size_t>(column / 2);
        const auto slot = 2 * (r - 2 * b) + static_cast<std::size_t>(column % 2);
        std::int32_t* at = nullptr;
        if (c == b)
          at = &lu->diagonal_at_[b][slot];
        else if (c < b)
          at = &lu->up_at_[b][slot];
        else if (lu->parent_[c] == static_cast<std::int32_t>(b))
          at = &lu->down_at_[c][slot];
        if (at == nullptr || *at >= 0) return nullptr;
        *at = k;
      }
    }
  }
  auto complete = [](const Positions& p) {
    return std::all_of(p.begin(), p.end(), [](std::int32_t k) { return k >= 0; });
  };
  for (std::size_t b = 0; b < blocks; ++b) {
    if (!complete(lu->diagonal_at_[b])) return nullptr;
    if (lu->parent_[b] >= 0 && !(complete(lu->up_at_[b]) && complete(lu->down_at_[b])))
      return nullptr;
  }
  lu->inverse_.resize(blocks);
  lu->lower_.resize(blocks);
  lu->upper_.resize(blocks);
  lu->factor_nonzeros_ = static_cast<double>(index.size()) + static_cast<double>(size);
  return lu;
}

bool TreeLu::factor(const std::vector<double>& values) {
  singular_column_ = -1;
  const std::size_t blocks = parent_.size();
  auto gather = [&values](const Positions& at) {
    return Block{values[static_cast<std::size_t>(at[0])], values[static_cast<std::size_t>(at[1])],
                 values[static_cast<std::size_t>(at[2])], values[static_cast<std::size_t>(at[3])]};
  };
  // inverse_ holds each diagonal block, then (leaves first) the block with its subtree folded
  // in, then that block's inverse.
  for (std::size_t b = 0; b < blocks; ++b) inverse_[b] = gather(diagonal_at_[b]);
  for (std::size_t b = blocks; b-- > 0;) {
    // The parent's block and rows lie anywhere in arrays larger than the cache.
    if (b >= prefetch_distance) {
      const std::int32_t ahead = parent_[b - prefetch_distance];
      if (ahead >= 0) {
        prefetch(&inverse_[static_cast<std::size_t>(ahead)]);
        prefetch(&values[static_cast<std::size_t>(down_at_[b - prefetch_distance][0])]);
        prefetch(&values[static_cast<std::size_t>(down_at_[b - prefetch_distance][2])]);
      }
    }
    Block& s = inverse_[b];
    const double det = s[0] * s[3] - s[1] * s[2];
    const double scale = (std::abs(s[0]) + std::abs(s[1])) * (std::abs(s[2]) + std::abs(s[3]));
    if (!std::isfinite(det) || !(std::abs(det) > min_relative_det * scale)) {
      singular_column_ = static_cast<std::int32_t>(2 * b);
      return false;
    }
    s = Block{s[3] / det, -s[1] / det, -s[2] / det, s[0] / det};
    const std::int32_t p = parent_[b];
    if (p < 0) continue;
    const Block up = gather(up_at_[b]);      // A(b, p)
    const Block down = gather(down_at_[b]);  // A(p, b)
    Block& l = lower_[b];                    // A(p, b) inv
    l = Block{down[0] * s[0] + down[1] * s[2], down[0] * s[1] + down[1] * s[3],
              down[2] * s[0] + down[3] * s[2], down[2] * s[1] + down[3] * s[3]};
    upper_[b] = Block{s[0] * up[0] + s[1] * up[2], s[0] * up[1] + s[1] * up[3],
                      s[2] * up[0] + s[3] * up[2], s[2] * up[1] + s[3] * up[3]};
    Block& sp = inverse_[static_cast<std::size_t>(p)];  // parent: minus A(p, b) inv A(b, p)
    sp[0] -= l[0] * up[0] + l[1] * up[2];
    sp[1] -= l[0] * up[1] + l[1] * up[3];
    sp[2] -= l[2] * up[0] + l[3] * up[2];
    sp[3] -= l[2] * up[1] + l[3] * up[3];
  }
  return true;
}

void TreeLu::solve_transposed(std::vector<double>& rhs) {
  const std::size_t blocks = parent_.size();
  // Leaves first: fold each block's right-hand side into its parent's.
  for (std::size_t b = blocks; b-- > 0;) {
    if (b >= prefetch_distance && parent_[b - prefetch_distance] >= 0)
      prefetch(&rhs[2 * static_cast<std::size_t>(parent_[b - prefetch_distance])]);
    const std::int32_t p = parent_[b];
    if (p < 0) continue;
    const Block& l = lower_[b];
    const double r0 = rhs[2 * b];
    const double r1 = rhs[2 * b + 1];
    rhs[2 * static_cast<std::size_t>(p)] -= l[0] * r0 + l[1] * r1;
    rhs[2 * static_cast<std::size_t>(p) + 1] -= l[2] * r0 + l[3] * r1;
  }
  // Root first: x_b = inv r_b - W x_parent.
  for (std::size_t b = 0; b < blocks; ++b) {
    if (b + prefetch_distance < blocks && parent_[b + prefetch_distance] >= 0)
      prefetch(&rhs[2 * static_cast<std::size_t>(parent_[b + prefetch_distance])]);
    const Block& s = inverse_[b];
    const double r0 = rhs[2 * b];
    const double r1 = rhs[2 * b + 1];
    double x0 = s[0] * r0 + s[1] * r1;
    double x1 = s[2] * r0 + s[3] * r1;
    const std::int32_t p = parent_[b];
    if (p >= 0) {
      const Block& w = upper_[b];
      const double xp0 = rhs[2 * static_cast<std::size_t>(p)];
      const double xp1 = rhs[2 * static_cast<std::size_t>(p) + 1];
      x0 -= w[0] * xp0 + w[1] * xp1;
      x1 -= w[2] * xp0 + w[3] * xp1;
    }
    rhs[2 * b] = x0;
    rhs[2 * b + 1] = x1;
  }
}

}  // namespace g2g::steady

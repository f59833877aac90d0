#include "g2g/steady/flat_lu.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>

namespace g2g::steady {

namespace {

std::size_t at(int index) {
  return static_cast<std::size_t>(index);
}

void require(bool condition, const char* what) {
  if (!condition) throw std::invalid_argument(std::string("FlatLu: ") + what);
}

// A compressed-column triangle without the diagonal entry KLU puts first (L) or last (U) in
// each column; that entry's values go to `diagonal` when given.
void strip_diagonal(std::int32_t n, const std::vector<int>& start, const std::vector<int>& row,
                    const std::vector<double>& value, bool diagonal_first,
                    std::vector<int>& out_start, std::vector<int>& out_row,
                    std::vector<double>& out_value, std::vector<double>* diagonal) {
  require(start.size() == at(n) + 1 && start.front() == 0 && row.size() == at(start.back()) &&
              value.size() == row.size(),
          "a triangle's arrays do not fit together");
  out_start.assign(1, 0);
  out_row.clear();
  out_value.clear();
  if (diagonal != nullptr) diagonal->assign(at(n), 0.0);
  for (int k = 0; k < n; ++k) {
    const int first = start[at(k)];
    const int end = start[at(k) + 1];
    require(first < end, "a triangle's column has no diagonal entry");
    const int diagonal_entry = diagonal_first ? first : end - 1;
    require(row[at(diagonal_entry)] == k, "a triangle's diagonal entry is out of place");
    if (diagonal != nullptr) (*diagonal)[at(k)] = value[at(diagonal_entry)];
    for (int p = first; p < end; ++p) {
      if (p == diagonal_entry) continue;
      require(row[at(p)] >= 0 && row[at(p)] < n, "a triangle's row is out of range");
      out_row.push_back(row[at(p)]);
      out_value.push_back(value[at(p)]);
    }
    out_start.push_back(static_cast<int>(out_row.size()));
  }
}

bool is_permutation(const std::vector<int>& order, std::int32_t n) {
  if (order.size() != at(n)) return false;
  std::vector<char> seen(at(n), 0);
  for (const int i : order) {
    if (i < 0 || i >= n || seen[at(i)] != 0) return false;
    seen[at(i)] = 1;
  }
  return true;
}

}  // namespace

KluFactors copy_factors(klu_symbolic& symbolic, klu_numeric& numeric, klu_common& common) {
  KluFactors f;
  const auto n = at(symbolic.n);
  f.size = symbolic.n;
  f.l_start.resize(n + 1);
  f.l_row.resize(at(numeric.lnz));
  f.l_value.resize(f.l_row.size());
  f.u_start.resize(n + 1);
  f.u_row.resize(at(numeric.unz));
  f.u_value.resize(f.u_row.size());
  f.f_start.resize(n + 1);
  f.f_row.resize(at(numeric.nzoff));
  f.f_value.resize(f.f_row.size());
  f.row_order.resize(n);
  f.column_order.resize(n);
  f.row_scale.resize(n);
  f.block_start.resize(at(symbolic.nblocks) + 1);
  if (klu_extract(&numeric, &symbolic, f.l_start.data(), f.l_row.data(), f.l_value.data(),
                  f.u_start.data(), f.u_row.data(), f.u_value.data(), f.f_start.data(),
                  f.f_row.data(), f.f_value.data(), f.row_order.data(), f.column_order.data(),
                  f.row_scale.data(), f.block_start.data(), &common) != 1)
    throw std::runtime_error("klu_extract failed (status " + std::to_string(common.status) + ")");
  return f;
}

FlatLu::FlatLu(const CscPattern& pattern, const KluFactors& factors)
    : size_(factors.size),
      row_order_(factors.row_order),
      column_order_(factors.column_order),
      block_start_(factors.block_start),
      work_(at(factors.size), 0.0) {
  const std::int32_t n = size_;
  require(n >= 0 && pattern.size == n, "the pattern and the factors differ in size");
  require(is_permutation(row_order_, n) && is_permutation(column_order_, n),
          "a permutation is not one");
  require(block_start_.size() >= 1 && block_start_.front() == 0 && block_start_.back() == n &&
              std::is_sorted(block_start_.begin(), block_start_.end()),
          "the block boundaries do not cover the matrix");
  require(factors.row_scale.size() == at(n), "the row scale has the wrong size");
  const auto& f_start = factors.f_start;
  require(f_start.size() == at(n) + 1 && f_start.front() == 0 &&
              factors.f_row.size() == at(f_start.back()) &&
              factors.f_value.size() == factors.f_row.size(),
          "the off-diagonal blocks' arrays do not fit together");
  strip_diagonal(n, factors.l_start, factors.l_row, factors.l_value, true, l_start_, l_row_,
                 l_value_, nullptr);
  std::vector<int> u_start;
  std::vector<int> u_row;
  std::vector<double> u_value;
  strip_diagonal(n, factors.u_start, factors.u_row, factors.u_value, false, u_start, u_row, u_value,
                 &u_diagonal_);
  // F and U side by side, column by column; F's entries keep their order among themselves
  // (klu_refactor fills them in that order).
  std::vector<int> f_entry_at(factors.f_row.size());
  fu_start_.assign(1, 0);
  for (int k = 0; k < n; ++k) {
    for (int p = f_start[at(k)]; p < f_start[at(k) + 1]; ++p) {
      require(factors.f_row[at(p)] >= 0 && factors.f_row[at(p)] < n,
              "an off-diagonal block's row is out of range");
      f_entry_at[at(p)] = static_cast<int>(fu_row_.size());
      fu_row_.push_back(factors.f_row[at(p)]);
      fu_value_.push_back(factors.f_value[at(p)]);
    }
    u_start_.push_back(static_cast<int>(fu_row_.size()));
    for (int p = u_start[at(k)]; p < u_start[at(k) + 1]; ++p) {
      fu_row_.push_back(u_row[at(p)]);
      fu_value_.push_back(u_value[at(p)]);
    }
    fu_start_.push_back(static_cast<int>(fu_row_.size()));
  }
  // Dividing by a scale of 1 changes no bit: KLU's "not scaled" is kept as such all the same.
  if (std::any_of(factors.row_scale.begin(), factors.row_scale.end(),
                  [](double s) { return s != 1.0; }))
    row_scale_ = factors.row_scale;

  // The refactor's scatter, as klu_refactor walks the matrix: block by block, the permuted
  // columns in turn, each column's entries in the pattern's order; an entry above its block is
  // the next entry of F.
  std::vector<int> pivot_of_row(at(n));
  for (int k = 0; k < n; ++k) pivot_of_row[at(row_order_[at(k)])] = k;
  scatter_start_.assign(1, 0);
  int next_off = 0;
  for (std::size_t block = 0; block + 1 < block_start_.size(); ++block) {
    const int k1 = block_start_[block];
    for (int k = k1; k < block_start_[block + 1]; ++k) {
      const int column = column_order_[at(k)];
      for (int p = pattern.column_start[at(column)]; p < pattern.column_start[at(column) + 1];
           ++p) {
        const int pivot_row = pivot_of_row[at(pattern.row[at(p)])];
        if (pivot_row < k1)
          require(next_off < static_cast<int>(f_entry_at.size()),
                  "the off-diagonal blocks do not match the pattern");
        scatter_source_.push_back(p);
        scatter_target_.push_back(pivot_row < k1 ? -1 - f_entry_at[at(next_off++)] : pivot_row);
      }
      scatter_start_.push_back(static_cast<int>(scatter_source_.size()));
    }
  }
  require(next_off == static_cast<int>(f_entry_at.size()),
          "the off-diagonal blocks do not match the pattern");
}

bool FlatLu::refactor(std::span<const double> values) {
  double* x = work_.data();
  std::fill(work_.begin(), work_.end(), 0.0);
  for (int k = 0; k < size_; ++k) {
    for (int e = scatter_start_[at(k)]; e < scatter_start_[at(k) + 1]; ++e) {
      const int target = scatter_target_[at(e)];
      const double value = values[at(scatter_source_[at(e)])];
      if (target >= 0)
        x[target] = value;
      else
        fu_value_[at(-1 - target)] = value;
    }
    // Column k of U, in the order KLU found it, each entry then eliminated from the column.
    for (int up = u_start_[at(k)]; up < fu_start_[at(k) + 1]; ++up) {
      const int j = fu_row_[at(up)];
      const double ujk = x[j];
      x[j] = 0.0;
      fu_value_[at(up)] = ujk;
      for (int p = l_start_[at(j)]; p < l_start_[at(j) + 1]; ++p)
        x[l_row_[at(p)]] -= l_value_[at(p)] * ujk;
    }
    const double ukk = x[k];
    x[k] = 0.0;
    if (ukk == 0.0) return false;
    u_diagonal_[at(k)] = ukk;
    for (int p = l_start_[at(k)]; p < l_start_[at(k) + 1]; ++p) {
      const int i = l_row_[at(p)];
      l_value_[at(p)] = x[i] / ukk;
      x[i] = 0.0;
    }
  }
  row_scale_.clear();
  return true;
}

double FlatLu::reciprocal_condition() const noexcept {
  if (size_ == 0) return 1.0;
  double low = std::fabs(u_diagonal_.front());
  double high = low;
  for (const double d : u_diagonal_) {
    const double magnitude = std::fabs(d);
    if (std::isnan(magnitude)) return 0.0;
    low = std::min(low, magnitude);
    high = std::max(high, magnitude);
  }
  return high > 0.0 ? low / high : 0.0;
}

void FlatLu::solve(std::span<double> rhs) {
  double* x = work_.data();
  double* b = rhs.data();
  for (int k = 0; k < size_; ++k)
    x[k] = row_scale_.empty() ? b[row_order_[at(k)]] : b[row_order_[at(k)]] / row_scale_[at(k)];
  for (auto block = static_cast<std::ptrdiff_t>(block_start_.size()) - 2; block >= 0; --block) {
    const int k1 = block_start_[static_cast<std::size_t>(block)];
    const int k2 = block_start_[static_cast<std::size_t>(block) + 1];
    for (int k = k1; k < k2; ++k) {  // L
      const double xk = x[k];
      for (int p = l_start_[at(k)]; p < l_start_[at(k) + 1]; ++p)
        x[l_row_[at(p)]] -= l_value_[at(p)] * xk;
    }
    for (int k = k2 - 1; k >= k1; --k) {  // U
      const double xk = x[k] / u_diagonal_[at(k)];
      x[k] = xk;
      for (int p = u_start_[at(k)]; p < fu_start_[at(k) + 1]; ++p)
        x[fu_row_[at(p)]] -= fu_value_[at(p)] * xk;
    }
    if (block > 0) {  // the block's columns of F, into the blocks before it
      for (int k = k1; k < k2; ++k) {
        const double xk = x[k];
        for (int p = fu_start_[at(k)]; p < u_start_[at(k)]; ++p)
          x[fu_row_[at(p)]] -= fu_value_[at(p)] * xk;
      }
    }
  }
  for (int k = 0; k < size_; ++k) b[column_order_[at(k)]] = x[k];
}

void FlatLu::solve_transposed(std::span<double> rhs) {
  double* x = work_.data();
  double* b = rhs.data();
  if (block_start_.size() == 2) {
    // One block (no block triangular form): b is read only in the first pass, so each x[k] is
    // stored to b as soon as the second pass has made it final, instead of in a pass of its own.
    const int n = size_;
    const int* column_order = column_order_.data();
    const int* fu_start = fu_start_.data();
    const int* fu_row = fu_row_.data();
    const double* fu_value = fu_value_.data();
    const double* u_diagonal = u_diagonal_.data();
    for (int k = 0; k < n; ++k) {  // Uᵀ
      double xk = b[column_order[k]];
      for (int p = fu_start[k], end = fu_start[k + 1]; p < end; ++p)
        xk -= fu_value[p] * x[fu_row[p]];
      x[k] = xk / u_diagonal[k];
    }
    const int* l_start = l_start_.data();
    const int* l_row = l_row_.data();
    const double* l_value = l_value_.data();
    const int* row_order = row_order_.data();
    // Two loops, scaled or not: with the test inside one loop (g++ -O3 does not hoist it) the
    // lumped hall's 120 s took 1 % more instructions (6.276 against 6.212 x 10^9).
    if (row_scale_.empty()) {
      for (int k = n - 1; k >= 0; --k) {  // Lᵀ
        double xk = x[k];
        for (int p = l_start[k], end = l_start[k + 1]; p < end; ++p) xk -= l_value[p] * x[l_row[p]];
        x[k] = xk;
        b[row_order[k]] = xk;
      }
    } else {
      for (int k = n - 1; k >= 0; --k) {
        double xk = x[k];
        for (int p = l_start[k], end = l_start[k + 1]; p < end; ++p) xk -= l_value[p] * x[l_row[p]];
        x[k] = xk;
        b[row_order[k]] = xk / row_scale_[at(k)];
      }
    }
    return;
  }
  for (std::size_t block = 0; block + 1 < block_start_.size(); ++block) {
    const int k1 = block_start_[block];
    const int k2 = block_start_[block + 1];
    // Row k of Fᵀ then of Uᵀ, from b permuted (b is written only at the end): the values they
    // read are final (earlier blocks, earlier rows), so the order of operations on x[k] is
    // KLU's (F's block first, then Uᵀ).
    for (int k = k1; k < k2; ++k) {
      double xk = b[column_order_[at(k)]];
      for (int p = fu_start_[at(k)]; p < fu_start_[at(k) + 1]; ++p)
        xk -= fu_value_[at(p)] * x[fu_row_[at(p)]];
      x[k] = xk / u_diagonal_[at(k)];
    }
    for (int k = k2 - 1; k >= k1; --k) {  // Lᵀ
      double xk = x[k];
      for (int p = l_start_[at(k)]; p < l_start_[at(k) + 1]; ++p)
        xk -= l_value_[at(p)] * x[l_row_[at(p)]];
      x[k] = xk;
    }
  }
  for (int k = 0; k < size_; ++k)
    b[row_order_[at(k)]] = row_scale_.empty() ? x[k] : x[k] / row_scale_[at(k)];
}

}  // namespace g2g::steady

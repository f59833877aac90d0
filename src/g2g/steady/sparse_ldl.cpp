#include "g2g/steady/sparse_ldl.hpp"

#include <cholmod.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace g2g::steady {

struct SparseLdl::Impl {
  cholmod_common common{};
  cholmod_sparse* matrix = nullptr;  // upper triangle of P A Pᵀ, columns sorted
  cholmod_factor* factors = nullptr;
  cholmod_dense* solution = nullptr;  // workspaces of cholmod_solve2, kept across solves
  cholmod_dense* work_y = nullptr;
  cholmod_dense* work_e = nullptr;
  std::vector<int> order;              // order[k]: the pattern's column eliminated k-th
  std::vector<std::int32_t> source;    // per entry of `matrix`, its position in the pattern
  std::vector<std::int32_t> diagonal;  // per column of `matrix`, the position of its diagonal
  std::vector<double> permuted;        // a right-hand side in elimination order

  Impl() {
    cholmod_start(&common);
    // Simplicial LDL' (no BLAS, no threads) of a matrix already in elimination order: the
    // natural ordering of an upper triangle is the one form cholmod_factorize reads as it is,
    // without transposing or permuting it first (cholmod_factorize.c). Not postordered: on
    // the far-tie networks the given order factorizes as fast without.
    common.supernodal = CHOLMOD_SIMPLICIAL;
    common.final_ll = 0;
    common.nmethods = 1;
    common.method[0].ordering = CHOLMOD_NATURAL;
    common.postorder = 0;
    common.print = 0;
    common.error_handler = nullptr;
  }
  ~Impl() {
    cholmod_free_dense(&solution, &common);
    cholmod_free_dense(&work_y, &common);
    cholmod_free_dense(&work_e, &common);
    cholmod_free_factor(&factors, &common);
    cholmod_free_sparse(&matrix, &common);
    cholmod_finish(&common);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void check(const char* function) const {
    if (common.status < CHOLMOD_OK)
      throw std::runtime_error(std::string(function) + " failed (status " +
                               std::to_string(common.status) + ")");
  }
};

SparseLdl::SparseLdl(const CscPattern& pattern, std::span<const int> order)
    : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  const auto n = static_cast<std::size_t>(pattern.size);
  m.order.assign(order.begin(), order.end());
  std::vector<std::int32_t> position(n);  // inverse of the order
  for (std::size_t k = 0; k < n; ++k) position[static_cast<std::size_t>(order[k])] = k;
  // Entry (r, c) of the pattern is entry (position[r], position[c]) of P A Pᵀ; the upper
  // triangle of P A Pᵀ holds column k's entries from rows position[r] <= k. Column k of P A Pᵀ
  // is column order[k] of A renumbered, so it is built column by column, each sorted by row
  // (a node's few neighbours: insertion sort).
  const auto& start = pattern.column_start;
  const auto& row = pattern.row;
  std::size_t upper = 0;
  for (std::size_t c = 0; c < n; ++c)
    for (auto p = start[c]; p < start[c + 1]; ++p)
      if (position[static_cast<std::size_t>(row[static_cast<std::size_t>(p)])] <= position[c])
        ++upper;
  m.matrix = cholmod_allocate_sparse(n, n, upper, 1, 1, 1, CHOLMOD_REAL, &m.common);
  m.check("cholmod_allocate_sparse");
  auto* column_start = static_cast<int*>(m.matrix->p);
  auto* row_index = static_cast<int*>(m.matrix->i);
  m.source.resize(upper);
  m.diagonal.assign(n, -1);
  std::size_t q = 0;
  for (std::size_t k = 0; k < n; ++k) {
    column_start[k] = static_cast<int>(q);
    const auto c = static_cast<std::size_t>(order[k]);
    for (auto p = start[c]; p < start[c + 1]; ++p) {
      const auto i = position[static_cast<std::size_t>(row[static_cast<std::size_t>(p)])];
      if (static_cast<std::size_t>(i) > k) continue;
      auto at = q++;
      for (; at > static_cast<std::size_t>(column_start[k]) && row_index[at - 1] > i; --at) {
        row_index[at] = row_index[at - 1];
        m.source[at] = m.source[at - 1];
      }
      row_index[at] = i;
      m.source[at] = p;
    }
    if (q > static_cast<std::size_t>(column_start[k]) &&
        static_cast<std::size_t>(row_index[q - 1]) == k)
      m.diagonal[k] = m.source[q - 1];
  }
  column_start[n] = static_cast<int>(q);
  m.permuted.resize(n);
  m.factors = cholmod_analyze(m.matrix, &m.common);
  if (m.factors == nullptr) m.check("cholmod_analyze");
  if (m.factors->ordering != CHOLMOD_NATURAL)
    throw std::runtime_error("cholmod_analyze did not keep the given order");
}

SparseLdl::~SparseLdl() = default;

double SparseLdl::flops() const noexcept {
  return impl_->common.fl;
}

double SparseLdl::factor_nonzeros() const noexcept {
  return impl_->common.lnz;
}

bool SparseLdl::factor(std::span<const double> values) {
  auto& m = *impl_;
  auto* x = static_cast<double*>(m.matrix->x);
  for (std::size_t q = 0; q < m.source.size(); ++q)
    x[q] = values[static_cast<std::size_t>(m.source[q])];
  cholmod_factorize(m.matrix, m.factors, &m.common);
  m.check("cholmod_factorize");
  if (m.common.status != CHOLMOD_OK) return false;  // a zero pivot
  // Each column of L starts with its diagonal, which holds D.
  const auto* lp = static_cast<const int*>(m.factors->p);
  const auto* lx = static_cast<const double*>(m.factors->x);
  for (std::size_t k = 0; k < m.factors->n; ++k) {
    const double pivot = lx[lp[k]];
    const auto at = m.diagonal[k];
    const double diagonal = at >= 0 ? std::abs(values[static_cast<std::size_t>(at)]) : 0.0;
    if (!std::isfinite(pivot) || !(std::abs(pivot) > pivot_tolerance * diagonal)) return false;
  }
  return true;
}

void SparseLdl::solve(std::vector<double>& rhs) {
  auto& m = *impl_;
  const auto n = m.permuted.size();
  for (std::size_t k = 0; k < n; ++k) m.permuted[k] = rhs[static_cast<std::size_t>(m.order[k])];
  cholmod_dense b{};
  b.nrow = n;
  b.ncol = 1;
  b.nzmax = n;
  b.d = n;
  b.x = m.permuted.data();
  b.xtype = CHOLMOD_REAL;
  b.dtype = CHOLMOD_DOUBLE;
  if (cholmod_solve2(CHOLMOD_A, m.factors, &b, nullptr, &m.solution, nullptr, &m.work_y, &m.work_e,
                     &m.common) == 0)
    m.check("cholmod_solve2");
  const auto* x = static_cast<const double*>(m.solution->x);
  for (std::size_t k = 0; k < n; ++k) rhs[static_cast<std::size_t>(m.order[k])] = x[k];
}

}  // namespace g2g::steady

#include "g2g/steady/sparse_ldl.hpp"

#include <cholmod.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace g2g::steady {

struct SparseLdl::Impl {
  cholmod_common common{};
  cholmod_sparse* core = nullptr;  // upper triangle of the core of P A Pᵀ, rows sorted
  cholmod_factor* factors = nullptr;
  cholmod_dense* solution = nullptr;  // workspaces of cholmod_solve2, kept across solves
  cholmod_dense* work_y = nullptr;
  cholmod_dense* work_e = nullptr;
  std::vector<int> order;  // order[k]: the pattern's column eliminated k-th
  // The leading columns of the order that have at most one neighbour later in it (the leaves
  // peeled first): per column, its later neighbour (-1: none) and the pattern's positions of
  // its diagonal and of its entry in that neighbour's row (-1: none).
  std::size_t peeled = 0;
  std::vector<std::int32_t> parent;
  std::vector<std::int32_t> diagonal_source;
  std::vector<std::int32_t> parent_source;
  std::vector<double> pivot;       // D of the peeled columns
  std::vector<double> multiplier;  // their one entry of L below the diagonal
  std::vector<double> update;      // per column, what the peeled columns take off its diagonal
  std::vector<std::int32_t> core_source;    // per entry of `core`: its pattern position, or -1
  std::vector<std::int32_t> core_diagonal;  // per core column: its diagonal's entry in `core`
  std::vector<double> permuted;             // a right-hand side in elimination order
  double peeled_flops = 0.0;

  Impl() {
    cholmod_start(&common);
    // Simplicial LDL' (no BLAS, no threads) of a matrix already in elimination order: the
    // natural ordering of an upper triangle is the one form cholmod_factorize reads as it is,
    // without transposing or permuting it first (cholmod_factorize.c). Not postordered: the
    // far-tie networks factorize as fast without.
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
    cholmod_free_sparse(&core, &common);
    cholmod_finish(&common);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void check(const char* function) const {
    if (common.status < CHOLMOD_OK)
      throw std::runtime_error(std::string(function) + " failed (status " +
                               std::to_string(common.status) + ")");
  }

  [[nodiscard]] std::size_t core_size() const noexcept { return order.size() - peeled; }
};

SparseLdl::SparseLdl(const CscPattern& pattern, std::span<const int> order)
    : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  const auto n = static_cast<std::size_t>(pattern.size);
  const auto& start = pattern.column_start;
  const auto& row = pattern.row;
  m.order.assign(order.begin(), order.end());
  std::vector<std::int32_t> position(n);  // inverse of the order
  for (std::size_t k = 0; k < n; ++k)
    position[static_cast<std::size_t>(order[k])] = static_cast<std::int32_t>(k);

  // The peeled columns: eliminating one with at most one later neighbour only takes something
  // off that neighbour's diagonal (no fill), so they are factorized here, and CHOLMOD gets the
  // rest (a third of the network with far ties) with those updates on its diagonal.
  m.parent.reserve(n);
  for (; m.peeled < n; ++m.peeled) {
    const auto c = static_cast<std::size_t>(order[m.peeled]);
    std::int32_t later = -1;
    std::int32_t later_source = -1;
    std::int32_t diagonal_source = -1;
    bool more = false;
    for (auto p = start[c]; p < start[c + 1]; ++p) {
      const auto i = position[static_cast<std::size_t>(row[static_cast<std::size_t>(p)])];
      if (static_cast<std::size_t>(i) == m.peeled) {
        diagonal_source = p;
      } else if (static_cast<std::size_t>(i) > m.peeled) {
        more = later >= 0;
        later = i;
        later_source = p;
      }
    }
    if (more) break;
    m.parent.push_back(later);
    m.parent_source.push_back(later_source);
    m.diagonal_source.push_back(diagonal_source);
    m.peeled_flops += later >= 0 ? 4.0 : 1.0;  // as CHOLMOD counts a column of 2 or 1 entries
  }
  m.pivot.resize(m.peeled);
  m.multiplier.resize(m.peeled);
  m.update.resize(n);
  m.permuted.resize(n);

  // The core: entry (r, c) of the pattern is entry (position[r], position[c]) of P A Pᵀ, and
  // column k of its upper triangle holds column order[k]'s rows with position[r] <= k; each
  // column sorted by row (a node's few neighbours: insertion sort), its diagonal last (made
  // if the pattern has none, for the peeled columns' updates).
  const auto core_size = m.core_size();
  if (core_size == 0) return;
  std::size_t upper = 0;
  for (auto k = m.peeled; k < n; ++k) {
    const auto c = static_cast<std::size_t>(order[k]);
    for (auto p = start[c]; p < start[c + 1]; ++p) {
      const auto i = static_cast<std::size_t>(
          position[static_cast<std::size_t>(row[static_cast<std::size_t>(p)])]);
      if (i >= m.peeled && i < k) ++upper;
    }
  }
  upper += core_size;
  m.core = cholmod_allocate_sparse(core_size, core_size, upper, 1, 1, 1, CHOLMOD_REAL, &m.common);
  m.check("cholmod_allocate_sparse");
  auto* column_start = static_cast<int*>(m.core->p);
  auto* row_index = static_cast<int*>(m.core->i);
  m.core_source.resize(upper);
  m.core_diagonal.resize(core_size);
  std::size_t q = 0;
  for (std::size_t j = 0; j < core_size; ++j) {
    column_start[j] = static_cast<int>(q);
    const auto c = static_cast<std::size_t>(order[m.peeled + j]);
    std::int32_t diagonal_source = -1;
    for (auto p = start[c]; p < start[c + 1]; ++p) {
      const auto i = static_cast<std::size_t>(
          position[static_cast<std::size_t>(row[static_cast<std::size_t>(p)])]);
      if (i == m.peeled + j) diagonal_source = p;
      if (i < m.peeled || i >= m.peeled + j) continue;
      const auto r = static_cast<int>(i - m.peeled);
      auto at = q++;
      for (; at > static_cast<std::size_t>(column_start[j]) && row_index[at - 1] > r; --at) {
        row_index[at] = row_index[at - 1];
        m.core_source[at] = m.core_source[at - 1];
      }
      row_index[at] = r;
      m.core_source[at] = p;
    }
    m.core_diagonal[j] = static_cast<std::int32_t>(q);
    row_index[q] = static_cast<int>(j);
    m.core_source[q++] = diagonal_source;
  }
  column_start[core_size] = static_cast<int>(q);
  m.factors = cholmod_analyze(m.core, &m.common);
  if (m.factors == nullptr) m.check("cholmod_analyze");
  if (m.factors->ordering != CHOLMOD_NATURAL)
    throw std::runtime_error("cholmod_analyze did not keep the given order");
}

SparseLdl::~SparseLdl() = default;

double SparseLdl::flops() const noexcept {
  return (impl_->core != nullptr ? impl_->common.fl : 0.0) + impl_->peeled_flops;
}

double SparseLdl::factor_nonzeros() const noexcept {
  const auto& m = *impl_;
  double peeled = 0.0;
  for (const auto later : m.parent) peeled += later >= 0 ? 2.0 : 1.0;
  return (m.core != nullptr ? m.common.lnz : 0.0) + peeled;
}

bool SparseLdl::factor(std::span<const double> values) {
  auto& m = *impl_;
  auto value_at = [&](std::int32_t source) {
    return source >= 0 ? values[static_cast<std::size_t>(source)] : 0.0;
  };
  auto acceptable = [](double pivot, double diagonal) {
    return std::isfinite(pivot) && std::abs(pivot) > pivot_tolerance * std::abs(diagonal);
  };
  std::fill(m.update.begin(), m.update.end(), 0.0);
  for (std::size_t k = 0; k < m.peeled; ++k) {
    const double diagonal = value_at(m.diagonal_source[k]);
    const double pivot = diagonal - m.update[k];
    if (!acceptable(pivot, diagonal)) return false;
    m.pivot[k] = pivot;
    const auto later = m.parent[k];
    if (later < 0) continue;
    const double below = value_at(m.parent_source[k]);
    m.multiplier[k] = below / pivot;
    m.update[static_cast<std::size_t>(later)] += below * m.multiplier[k];
  }
  if (m.core == nullptr) return true;
  auto* x = static_cast<double*>(m.core->x);
  for (std::size_t q = 0; q < m.core_source.size(); ++q) x[q] = value_at(m.core_source[q]);
  for (std::size_t j = 0; j < m.core_diagonal.size(); ++j)
    x[m.core_diagonal[j]] -= m.update[m.peeled + j];
  cholmod_factorize(m.core, m.factors, &m.common);
  m.check("cholmod_factorize");
  if (m.common.status != CHOLMOD_OK) return false;  // a zero pivot
  // Each column of L starts with its diagonal, which holds D; checked against the diagonal
  // entry of A, before the updates.
  const auto* lp = static_cast<const int*>(m.factors->p);
  const auto* lx = static_cast<const double*>(m.factors->x);
  for (std::size_t j = 0; j < m.factors->n; ++j)
    if (!acceptable(lx[lp[j]],
                    value_at(m.core_source[static_cast<std::size_t>(m.core_diagonal[j])])))
      return false;
  return true;
}

void SparseLdl::solve(std::vector<double>& rhs) {
  auto& m = *impl_;
  const auto n = m.permuted.size();
  auto& b = m.permuted;
  for (std::size_t k = 0; k < n; ++k) b[k] = rhs[static_cast<std::size_t>(m.order[k])];
  // L D Lᵀ x = b with L = [L₁ 0; L₂ L_c]: forward through the peeled columns (their updates
  // reach the core's rows too), the core by CHOLMOD, then back through the peeled columns.
  for (std::size_t k = 0; k < m.peeled; ++k)
    if (m.parent[k] >= 0) b[static_cast<std::size_t>(m.parent[k])] -= m.multiplier[k] * b[k];
  if (m.core != nullptr) {
    const auto core_size = m.core_size();
    cholmod_dense core_rhs{};
    core_rhs.nrow = core_size;
    core_rhs.ncol = 1;
    core_rhs.nzmax = core_size;
    core_rhs.d = core_size;
    core_rhs.x = b.data() + m.peeled;
    core_rhs.xtype = CHOLMOD_REAL;
    core_rhs.dtype = CHOLMOD_DOUBLE;
    if (cholmod_solve2(CHOLMOD_A, m.factors, &core_rhs, nullptr, &m.solution, nullptr, &m.work_y,
                       &m.work_e, &m.common) == 0)
      m.check("cholmod_solve2");
    const auto* x = static_cast<const double*>(m.solution->x);
    std::copy(x, x + core_size, b.begin() + static_cast<std::ptrdiff_t>(m.peeled));
  }
  for (auto k = m.peeled; k-- > 0;) {
    b[k] /= m.pivot[k];
    if (m.parent[k] >= 0) b[k] -= m.multiplier[k] * b[static_cast<std::size_t>(m.parent[k])];
  }
  for (std::size_t k = 0; k < n; ++k) rhs[static_cast<std::size_t>(m.order[k])] = b[k];
}

}  // namespace g2g::steady

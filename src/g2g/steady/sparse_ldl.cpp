#include "g2g/steady/sparse_ldl.hpp"

#include <cholmod.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace g2g::steady {

struct SparseLdl::Impl {
  const CscPattern& pattern;
  cholmod_common common{};
  cholmod_sparse* matrix = nullptr;
  cholmod_factor* factors = nullptr;
  cholmod_dense* solution = nullptr;  // workspaces of cholmod_solve2, kept across solves
  cholmod_dense* work_y = nullptr;
  cholmod_dense* work_e = nullptr;
  std::vector<std::int32_t> diagonal_at;  // per column, position of its diagonal entry

  explicit Impl(const CscPattern& p) : pattern(p) {
    cholmod_start(&common);
    // Simplicial LDL' (no BLAS, no threads), in the order given, postordered for memory locality.
    common.supernodal = CHOLMOD_SIMPLICIAL;
    common.final_ll = 0;
    common.nmethods = 1;
    common.method[0].ordering = CHOLMOD_GIVEN;
    common.postorder = 1;
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
    : impl_(std::make_unique<Impl>(pattern)) {
  auto& m = *impl_;
  const auto n = static_cast<std::size_t>(pattern.size);
  // Lower triangle stored (stype -1): CHOLMOD reads only entries on and below the diagonal.
  m.matrix = cholmod_allocate_sparse(n, n, pattern.row.size(), 0, 1, -1, CHOLMOD_REAL, &m.common);
  m.check("cholmod_allocate_sparse");
  std::copy(pattern.column_start.begin(), pattern.column_start.end(),
            static_cast<int*>(m.matrix->p));
  std::copy(pattern.row.begin(), pattern.row.end(), static_cast<int*>(m.matrix->i));
  m.diagonal_at.assign(n, -1);
  for (std::size_t c = 0; c < n; ++c)
    for (auto p = pattern.column_start[c]; p < pattern.column_start[c + 1]; ++p)
      if (pattern.row[static_cast<std::size_t>(p)] == static_cast<std::int32_t>(c))
        m.diagonal_at[c] = p;
  std::vector<int> permutation(order.begin(), order.end());
  m.factors = cholmod_analyze_p(m.matrix, permutation.data(), nullptr, 0, &m.common);
  if (m.factors == nullptr) m.check("cholmod_analyze_p");
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
  std::copy(values.begin(), values.end(), static_cast<double*>(m.matrix->x));
  cholmod_factorize(m.matrix, m.factors, &m.common);
  m.check("cholmod_factorize");
  if (m.common.status != CHOLMOD_OK) return false;  // a zero pivot
  // Each column of L starts with its diagonal, which holds D.
  const auto* lp = static_cast<const int*>(m.factors->p);
  const auto* lx = static_cast<const double*>(m.factors->x);
  const auto* perm = static_cast<const int*>(m.factors->Perm);
  for (std::size_t k = 0; k < m.factors->n; ++k) {
    const double pivot = lx[lp[k]];
    const auto at = m.diagonal_at[static_cast<std::size_t>(perm[k])];
    const double diagonal = at >= 0 ? std::abs(values[static_cast<std::size_t>(at)]) : 0.0;
    if (!std::isfinite(pivot) || !(std::abs(pivot) > pivot_tolerance * diagonal)) return false;
  }
  return true;
}

void SparseLdl::solve(std::vector<double>& rhs) {
  auto& m = *impl_;
  cholmod_dense b{};
  b.nrow = rhs.size();
  b.ncol = 1;
  b.nzmax = rhs.size();
  b.d = rhs.size();
  b.x = rhs.data();
  b.xtype = CHOLMOD_REAL;
  b.dtype = CHOLMOD_DOUBLE;
  if (cholmod_solve2(CHOLMOD_A, m.factors, &b, nullptr, &m.solution, nullptr, &m.work_y, &m.work_e,
                     &m.common) == 0)
    m.check("cholmod_solve2");
  const auto* x = static_cast<const double*>(m.solution->x);
  std::copy(x, x + rhs.size(), rhs.begin());
}

}  // namespace g2g::steady

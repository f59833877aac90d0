#include "g2g/steady/sparse_lu.hpp"

#include <klu.h>

#include <stdexcept>
#include <string>

namespace g2g::steady {

struct SparseLu::Impl {
  const CscPattern& pattern;
  klu_common common{};
  klu_symbolic* symbolic = nullptr;
  klu_numeric* numeric = nullptr;
  int factor_scale = 2;  // KLU's row scaling for a full factorization (its default)

  Impl(const CscPattern& p, Ordering ordering) : pattern(p) {
    klu_defaults(&common);
    // The network matrix is irreducible: the block triangular form finds one block and its
    // maximum transversal costs time for nothing.
    common.btf = 0;
    factor_scale = common.scale;
    // Indices are 32-bit ints matching KLU's int interface.
    auto* ap = const_cast<int*>(p.column_start.data());
    auto* ai = const_cast<int*>(p.row.data());
    if (ordering == Ordering::reverse_given) {
      std::vector<int> order(static_cast<std::size_t>(p.size));
      for (int i = 0; i < p.size; ++i) order[static_cast<std::size_t>(i)] = p.size - 1 - i;
      symbolic = klu_analyze_given(p.size, ap, ai, order.data(), order.data(), &common);
    } else {
      symbolic = klu_analyze(p.size, ap, ai, &common);
    }
    if (symbolic == nullptr)
      throw std::runtime_error("klu_analyze failed (status " + std::to_string(common.status) + ")");
  }
  ~Impl() {
    if (numeric != nullptr) klu_free_numeric(&numeric, &common);
    if (symbolic != nullptr) klu_free_symbolic(&symbolic, &common);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
};

SparseLu::SparseLu(const CscPattern& pattern, Ordering ordering)
    : impl_(std::make_unique<Impl>(pattern, ordering)) {}
SparseLu::~SparseLu() = default;

bool SparseLu::factor(const std::vector<double>& values) {
  auto& m = *impl_;
  auto* ap = const_cast<int*>(m.pattern.column_start.data());
  auto* ai = const_cast<int*>(m.pattern.row.data());
  auto* ax = const_cast<double*>(values.data());
  if (m.numeric != nullptr) {
    // Same pivot order as last time; fall back to a fresh factorization if it became poor.
    // Row scaling only guides the choice of pivots, which a refactorization does not make, so
    // it is skipped there, and with it the check of the (unchanged) pattern: -1, not 0, which
    // would still check it.
    m.common.scale = -1;
    const bool refactored = klu_refactor(ap, ai, ax, m.symbolic, m.numeric, &m.common) == 1 &&
                            klu_rcond(m.symbolic, m.numeric, &m.common) == 1 &&
                            m.common.rcond > 1e-12;
    m.common.scale = m.factor_scale;
    if (refactored) return true;
    klu_free_numeric(&m.numeric, &m.common);
  }
  m.numeric = klu_factor(ap, ai, ax, m.symbolic, &m.common);
  if (m.numeric == nullptr || m.common.status == KLU_SINGULAR) {
    singular_column_ = m.common.singular_col < m.pattern.size
                           ? static_cast<std::int32_t>(m.common.singular_col)
                           : -1;
    if (m.numeric != nullptr) klu_free_numeric(&m.numeric, &m.common);
    return false;
  }
  return true;
}

double SparseLu::factor_nonzeros() const noexcept {
  return impl_->numeric != nullptr ? static_cast<double>(impl_->numeric->lnz + impl_->numeric->unz)
                                   : 0.0;
}

void SparseLu::solve(std::vector<double>& rhs) {
  auto& m = *impl_;
  if (klu_solve(m.symbolic, m.numeric, m.pattern.size, 1, rhs.data(), &m.common) != 1)
    throw std::runtime_error("klu_solve failed (status " + std::to_string(m.common.status) + ")");
}

void SparseLu::solve_transposed(std::vector<double>& rhs) {
  auto& m = *impl_;
  if (klu_tsolve(m.symbolic, m.numeric, m.pattern.size, 1, rhs.data(), &m.common) != 1)
    throw std::runtime_error("klu_tsolve failed (status " + std::to_string(m.common.status) + ")");
}

}  // namespace g2g::steady

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

  explicit Impl(const CscPattern& p) : pattern(p) {
    klu_defaults(&common);
    common.btf = 0;
    // Indices are 32-bit ints matching KLU's int interface.
    symbolic = klu_analyze(p.size, const_cast<int*>(p.column_start.data()),
                           const_cast<int*>(p.row.data()), &common);
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

SparseLu::SparseLu(const CscPattern& pattern) : impl_(std::make_unique<Impl>(pattern)) {}
SparseLu::~SparseLu() = default;

bool SparseLu::factor(const std::vector<double>& values) {
  auto& m = *impl_;
  auto* ap = const_cast<int*>(m.pattern.column_start.data());
  auto* ai = const_cast<int*>(m.pattern.row.data());
  auto* ax = const_cast<double*>(values.data());
  if (m.numeric != nullptr) {
    // Same pivot order as last time; fall back to a fresh factorization if it became poor.
    if (klu_refactor(ap, ai, ax, m.symbolic, m.numeric, &m.common) == 1 &&
        klu_rcond(m.symbolic, m.numeric, &m.common) == 1 && m.common.rcond > 1e-12)
      return true;
    klu_free_numeric(&m.numeric, &m.common);
  }
  m.numeric = klu_factor(ap, ai, ax, m.symbolic, &m.common);
  if (m.numeric == nullptr || m.common.status == KLU_SINGULAR) {
    singular_column_ = m.common.singular_col < m.pattern.size ? static_cast<std::int32_t>(m.common.singular_col) : -1;
    if (m.numeric != nullptr) klu_free_numeric(&m.numeric, &m.common);
    return false;
  }
  return true;
}

void SparseLu::solve(std::vector<double>& rhs) {
  auto& m = *impl_;
  if (klu_solve(m.symbolic, m.numeric, m.pattern.size, 1, rhs.data(), &m.common) != 1)
    throw std::runtime_error("klu_solve failed (status " + std::to_string(m.common.status) + ")");
}

}  // namespace g2g::steady

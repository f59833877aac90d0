#include "g2g/steady/sparse_lu.hpp"

#include <klu.h>

#include <limits>
#include <stdexcept>
#include <string>

namespace g2g::steady {

namespace {

// Fill of the leaves-first order that is kept without trying AMD, relative to the least any
// ordering can have. See choose_ordering.
constexpr double leaves_first_fill_accepted = 1.5;

}  // namespace

std::int64_t reverse_order_factor_nonzeros(const CscPattern& pattern, std::int64_t limit) {
  // Columns are eliminated from the last to the first, so "earlier" means a higher index. For
  // each column c, in that order, row c of the Cholesky factor holds every earlier column on
  // the elimination-tree paths from c's earlier neighbours (in A or Aᵀ) up to c; each path is
  // walked until it meets a node already counted for c, so the work is the count itself.
  const auto n = static_cast<std::size_t>(pattern.size);
  const auto& start = pattern.column_start;
  const auto& row = pattern.row;
  std::vector<std::int32_t> parent(n, -1);  // elimination tree; -1 for a root so far
  std::vector<std::int32_t> mark(n, -1);    // mark[k] == c: k counted in row c already
  // Entries (r, o) of A with r < o, met in column o and needed when row r comes: linked lists.
  std::vector<std::int32_t> deferred_head(n, -1);
  std::vector<std::int32_t> deferred_next;
  std::vector<std::int32_t> deferred_column;
  deferred_next.reserve(row.size() / 2 + 1);
  deferred_column.reserve(row.size() / 2 + 1);
  std::int64_t strictly_lower = 0;
  for (auto c = static_cast<std::int32_t>(n); c-- > 0;) {
    const auto cu = static_cast<std::size_t>(c);
    mark[cu] = c;  // a walk that reaches c stops there
    auto walk_from = [&](std::int32_t k) {
      while (mark[static_cast<std::size_t>(k)] != c) {
        auto& up = parent[static_cast<std::size_t>(k)];
        mark[static_cast<std::size_t>(k)] = c;
        ++strictly_lower;
        if (up < 0) {
          up = c;
          break;
        }
        k = up;
      }
    };
    for (auto p = start[cu]; p < start[cu + 1]; ++p) {
      const auto r = row[static_cast<std::size_t>(p)];
      if (r > c) {
        walk_from(r);
      } else if (r < c) {
        deferred_column.push_back(c);
        deferred_next.push_back(deferred_head[static_cast<std::size_t>(r)]);
        deferred_head[static_cast<std::size_t>(r)] =
            static_cast<std::int32_t>(deferred_column.size() - 1);
      }
    }
    for (auto e = deferred_head[cu]; e >= 0; e = deferred_next[static_cast<std::size_t>(e)])
      walk_from(deferred_column[static_cast<std::size_t>(e)]);
    if (2 * (strictly_lower + static_cast<std::int64_t>(n)) > limit) break;
  }
  return 2 * (strictly_lower + static_cast<std::int64_t>(n));
}

struct SparseLu::Impl {
  const CscPattern& pattern;
  klu_common common{};
  klu_symbolic* symbolic = nullptr;
  klu_numeric* numeric = nullptr;
  int factor_scale = 2;  // KLU's row scaling for a full factorization (its default)
  Ordering ordering = Ordering::amd;
  double estimated_nonzeros = 0.0;

  explicit Impl(const CscPattern& p) : pattern(p) {
    klu_defaults(&common);
    // The network matrix is irreducible: the block triangular form finds one block and its
    // maximum transversal costs time for nothing.
    common.btf = 0;
    factor_scale = common.scale;
  }
  ~Impl() {
    if (numeric != nullptr) klu_free_numeric(&numeric, &common);
    if (symbolic != nullptr) klu_free_symbolic(&symbolic, &common);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void analyse(Ordering chosen) {
    if (symbolic != nullptr) klu_free_symbolic(&symbolic, &common);
    // Indices are 32-bit ints matching KLU's int interface.
    auto* ap = const_cast<int*>(pattern.column_start.data());
    auto* ai = const_cast<int*>(pattern.row.data());
    if (chosen == Ordering::reverse_given) {
      std::vector<int> order(static_cast<std::size_t>(pattern.size));
      for (int i = 0; i < pattern.size; ++i)
        order[static_cast<std::size_t>(i)] = pattern.size - 1 - i;
      symbolic = klu_analyze_given(pattern.size, ap, ai, order.data(), order.data(), &common);
    } else {
      symbolic = klu_analyze(pattern.size, ap, ai, &common);
    }
    if (symbolic == nullptr)
      throw std::runtime_error("klu_analyze failed (status " + std::to_string(common.status) + ")");
    ordering = chosen;
    // KLU estimates the fill of its own (AMD) ordering; it leaves a given one's unestimated.
    if (chosen == Ordering::amd) estimated_nonzeros = symbolic->lnz + symbolic->unz;
  }

  // The ordering rule, in one place. Nodes are numbered breadth-first (topology::analyse), so
  // on a near-radial network eliminating the last column first takes the leaves first: almost
  // no fill, and an order that costs nothing to find, where AMD costs a pass of its own. Loops
  // between far-apart buses make the same order fill in badly (20x the matrix with 2,000 far
  // ties on 1e5 buses), which used to show only after a full numeric factorization. So its fill
  // is counted symbolically first, in time proportional to the count. It is kept when it is
  // within 1.5x of the least any ordering can give (the matrix itself, its diagonal in both L
  // and U), hence never worse than 1.5x AMD's, without running AMD; otherwise AMD runs and the
  // smaller estimated fill wins, the leaves-first count being cut off at AMD's estimate.
  void choose_ordering() {
    const auto least = static_cast<std::int64_t>(pattern.row.size()) + pattern.size;
    const auto accepted =
        static_cast<std::int64_t>(leaves_first_fill_accepted * static_cast<double>(least));
    const auto leaves_first = reverse_order_factor_nonzeros(pattern, accepted);
    if (leaves_first <= accepted) {
      analyse(Ordering::reverse_given);
      estimated_nonzeros = static_cast<double>(leaves_first);
      return;
    }
    analyse(Ordering::amd);
    const auto amd = static_cast<std::int64_t>(estimated_nonzeros);
    if (amd <= accepted) return;  // below what leaves-first was already found to exceed
    const auto leaves_first_full = reverse_order_factor_nonzeros(pattern, amd);
    if (leaves_first_full < amd) {
      analyse(Ordering::reverse_given);
      estimated_nonzeros = static_cast<double>(leaves_first_full);
    }
  }
};

SparseLu::SparseLu(const CscPattern& pattern) : impl_(std::make_unique<Impl>(pattern)) {
  impl_->choose_ordering();
}

SparseLu::SparseLu(const CscPattern& pattern, Ordering ordering)
    : impl_(std::make_unique<Impl>(pattern)) {
  impl_->analyse(ordering);
  if (ordering == Ordering::reverse_given)
    impl_->estimated_nonzeros = static_cast<double>(
        reverse_order_factor_nonzeros(pattern, std::numeric_limits<std::int64_t>::max()));
}
SparseLu::~SparseLu() = default;

Ordering SparseLu::ordering() const noexcept {
  return impl_->ordering;
}

double SparseLu::estimated_factor_nonzeros() const noexcept {
  return impl_->estimated_nonzeros;
}

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

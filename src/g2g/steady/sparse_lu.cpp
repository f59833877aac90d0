#include "g2g/steady/sparse_lu.hpp"

#include <amd.h>
#include <klu.h>

#include <array>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "g2g/steady/flat_lu.hpp"

namespace g2g::steady {

namespace {

// Fill of the leaves-first order that is kept without trying AMD, relative to the least any
// ordering can have. See choose_ordering.
constexpr double leaves_first_fill_accepted = 1.5;

}  // namespace

namespace {

// The count of reverse_order_factor_nonzeros, resumable: count(limit) goes on from where the
// last call stopped, so raising the limit costs only the columns not yet counted.
class ReverseOrderCount {
 public:
  explicit ReverseOrderCount(const CscPattern& pattern)
      : pattern_(pattern),
        node_(static_cast<std::size_t>(pattern.size)),
        deferred_head_(static_cast<std::size_t>(pattern.size), -1),
        deferred_(std::make_unique_for_overwrite<Deferred[]>(pattern.row.size())),
        next_column_(pattern.size) {}

  // Columns are eliminated from the last to the first, so "earlier" means a higher index. For
  // each column c, in that order, row c of the Cholesky factor holds every earlier column on
  // the elimination-tree paths from c's earlier neighbours (in A or Aᵀ) up to c; each path is
  // walked until it meets a node already counted for c, so the work is the count itself.
  // Flat arrays of small records: this runs on every solve, and radial networks must not pay
  // for it more than a pass over the pattern.
  std::int64_t count(std::int64_t limit) {
    const auto n = static_cast<std::int64_t>(pattern_.size);
    const std::int32_t* start = pattern_.column_start.data();
    const std::int32_t* row = pattern_.row.data();
    while (next_column_ > 0 && 2 * (strictly_lower_ + n) <= limit) {
      const auto c = --next_column_;
      node_[static_cast<std::size_t>(c)].mark = c;  // a walk that reaches c stops there
      auto walk_from = [&](std::int32_t k) {
        while (node_[static_cast<std::size_t>(k)].mark != c) {
          auto& at = node_[static_cast<std::size_t>(k)];
          at.mark = c;
          ++strictly_lower_;
          if (at.parent < 0) {
            at.parent = c;
            break;
          }
          k = at.parent;
        }
      };
      for (auto p = start[c]; p < start[c + 1]; ++p) {
        const auto r = row[p];
        if (r > c) {
          walk_from(r);
        } else if (r < c) {
          auto& head = deferred_head_[static_cast<std::size_t>(r)];
          deferred_[static_cast<std::size_t>(deferred_count_)] = {c, head};
          head = deferred_count_++;
        }
      }
      for (auto e = deferred_head_[static_cast<std::size_t>(c)]; e >= 0;
           e = deferred_[static_cast<std::size_t>(e)].next)
        walk_from(deferred_[static_cast<std::size_t>(e)].column);
    }
    return 2 * (strictly_lower_ + n);
  }

 private:
  struct Node {
    std::int32_t parent = -1;  // in the elimination tree; -1 for a root so far
    std::int32_t mark = -1;    // mark == c: counted in row c already
  };
  // Entries (r, c) of A with r < c, met in column c and needed when row r comes: one linked
  // list per row r, in an array with room for every entry.
  struct Deferred {
    std::int32_t column;
    std::int32_t next;
  };
  const CscPattern& pattern_;
  std::vector<Node> node_;
  std::vector<std::int32_t> deferred_head_;
  std::unique_ptr<Deferred[]> deferred_;
  std::int32_t deferred_count_ = 0;
  std::int32_t next_column_;  // columns from here down are not counted yet
  std::int64_t strictly_lower_ = 0;
};

}  // namespace

std::int64_t reverse_order_factor_nonzeros(const CscPattern& pattern, std::int64_t limit) {
  return ReverseOrderCount(pattern).count(limit);
}

namespace {

struct GivenOrder {
  std::vector<int> order;  // order[k]: the column eliminated k-th (KLU's P and Q)
  double estimated_nonzeros = 0.0;
};

// Leaves peeled off first, then the paths of the 2-core of the graph of A + Aᵀ eliminated along
// their length, then AMD on what is left. Eliminating a node with at most one neighbour left
// fills nothing, and a tree with ties loses most of its nodes that way: the core is about a
// third of the network with far ties (35,691 of 99,999 nodes with 2,000 of them on 1e5 buses),
// and most of it lies on paths between tie ends (22,325), whose nodes have two neighbours each
// and shrink a path to one edge. AMD, which takes all of these first too, orders the 13,366
// nodes left: about the fill of AMD on the whole (928,386 entries against 925,492 there) for
// much less work.
GivenOrder leaves_then_amd_order(const CscPattern& pattern) {
  const auto n = static_cast<std::size_t>(pattern.size);
  const auto& start = pattern.column_start;
  const auto& row = pattern.row;
  // Neighbours in A + Aᵀ, without the diagonal and without duplicates.
  std::vector<std::int32_t> adjacency_start(n + 1, 0);
  for (std::size_t c = 0; c < n; ++c)
    for (auto p = start[c]; p < start[c + 1]; ++p) {
      const auto r = static_cast<std::size_t>(row[static_cast<std::size_t>(p)]);
      if (r == c) continue;
      ++adjacency_start[c + 1];
      ++adjacency_start[r + 1];
    }
  for (std::size_t c = 0; c < n; ++c) adjacency_start[c + 1] += adjacency_start[c];
  std::vector<std::int32_t> adjacency(static_cast<std::size_t>(adjacency_start[n]));
  {
    std::vector<std::int32_t> next(adjacency_start.begin(), adjacency_start.end() - 1);
    for (std::size_t c = 0; c < n; ++c)
      for (auto p = start[c]; p < start[c + 1]; ++p) {
        const auto r = static_cast<std::size_t>(row[static_cast<std::size_t>(p)]);
        if (r == c) continue;
        adjacency[static_cast<std::size_t>(next[c]++)] = static_cast<std::int32_t>(r);
        adjacency[static_cast<std::size_t>(next[r]++)] = static_cast<std::int32_t>(c);
      }
  }
  std::vector<std::int32_t> degree(n, 0);
  {
    std::vector<std::int32_t> seen(n, -1);
    std::int32_t kept = 0;
    for (std::size_t c = 0; c < n; ++c) {
      const auto begin = adjacency_start[c];
      adjacency_start[c] = kept;
      seen[c] = static_cast<std::int32_t>(c);
      for (auto p = begin; p < adjacency_start[c + 1]; ++p) {
        const auto j = adjacency[static_cast<std::size_t>(p)];
        if (seen[static_cast<std::size_t>(j)] == static_cast<std::int32_t>(c)) continue;
        seen[static_cast<std::size_t>(j)] = static_cast<std::int32_t>(c);
        adjacency[static_cast<std::size_t>(kept++)] = j;
      }
      degree[c] = kept - adjacency_start[c];
    }
    adjacency_start[n] = kept;
  }

  GivenOrder result;
  result.order.reserve(n);
  // Peeled last index first, as leaves-first does, so the peeled columns keep its memory
  // locality in the factorization; a node that becomes a leaf after the sweep has passed it
  // is peeled at once.
  std::vector<std::uint8_t> peeled(n, 0);
  std::vector<std::size_t> cascade;
  std::int64_t strictly_lower = 0;
  std::size_t position = n;
  auto peel = [&](std::size_t c) {
    peeled[c] = 1;
    result.order.push_back(static_cast<int>(c));
    strictly_lower += degree[c];  // 0 or 1 neighbour left: its one entry of L, no fill
    for (auto p = adjacency_start[c]; p < adjacency_start[c + 1]; ++p) {
      const auto j = static_cast<std::size_t>(adjacency[static_cast<std::size_t>(p)]);
      if (peeled[j] != 0) continue;
      if (--degree[j] <= 1 && j > position) cascade.push_back(j);
    }
  };
  while (position-- > 0) {
    if (peeled[position] != 0 || degree[position] > 1) continue;
    peel(position);
    while (!cascade.empty()) {
      const auto j = cascade.back();
      cascade.pop_back();
      if (peeled[j] == 0) peel(j);
    }
  }

  // Chains: a core node with two core neighbours lies on a path between nodes of three or more
  // (or on a cycle of such nodes alone). Eliminated along the path from one end u, each takes
  // two entries of L (u and the next node) and leaves the edge u-next, so the path shrinks to
  // one edge u-v; the last node of a path back to u, and of a cycle, takes one. AMD would take
  // them first as well (least degree), but orders a graph a third the size once they are gone.
  auto core_neighbour = [&](std::size_t c, std::size_t other) {
    for (auto p = adjacency_start[c]; p < adjacency_start[c + 1]; ++p) {
      const auto j = static_cast<std::size_t>(adjacency[static_cast<std::size_t>(p)]);
      if (peeled[j] == 0 && j != other) return j;
    }
    return c;  // none
  };
  auto on_chain = [&](std::size_t c) { return peeled[c] == 0 && degree[c] == 2; };
  std::vector<std::pair<std::int32_t, std::int32_t>> shortcuts;  // edges u-v left by chains
  auto eliminate_chain = [&](std::size_t end, std::size_t first) {
    auto previous = end;
    auto at = first;
    while (at != end && on_chain(at)) {
      const auto next = core_neighbour(at, previous);
      peeled[at] = 1;
      result.order.push_back(static_cast<int>(at));
      strictly_lower += next == end ? 1 : 2;
      previous = at;
      at = next;
    }
    if (at != end) shortcuts.emplace_back(static_cast<std::int32_t>(end), at);
  };
  for (std::size_t u = 0; u < n; ++u) {
    if (peeled[u] != 0 || degree[u] == 2) continue;
    for (auto p = adjacency_start[u]; p < adjacency_start[u + 1]; ++p) {
      const auto x = static_cast<std::size_t>(adjacency[static_cast<std::size_t>(p)]);
      if (on_chain(x)) eliminate_chain(u, x);
    }
  }
  for (std::size_t u = 0; u < n; ++u) {
    if (!on_chain(u)) continue;
    eliminate_chain(u, core_neighbour(u, u));  // a cycle: around it, then u
    peeled[u] = 1;
    result.order.push_back(static_cast<int>(u));
  }

  // The core left, renumbered, for AMD.
  std::vector<std::int32_t> core_index(n, -1);
  std::vector<int> core_node;
  for (std::size_t c = 0; c < n; ++c)
    if (peeled[c] == 0) {
      core_index[c] = static_cast<std::int32_t>(core_node.size());
      core_node.push_back(static_cast<int>(c));
    }
  if (!core_node.empty()) {
    std::vector<int> shortcut_count(core_node.size() + 1, 0);
    for (const auto& [u, v] : shortcuts) {
      ++shortcut_count[static_cast<std::size_t>(core_index[static_cast<std::size_t>(u)])];
      ++shortcut_count[static_cast<std::size_t>(core_index[static_cast<std::size_t>(v)])];
    }
    std::vector<int> core_start(1, 0);
    for (std::size_t k = 0; k < core_node.size(); ++k) {
      const auto c = static_cast<std::size_t>(core_node[k]);
      int entries = shortcut_count[k];
      for (auto p = adjacency_start[c]; p < adjacency_start[c + 1]; ++p)
        if (core_index[static_cast<std::size_t>(adjacency[static_cast<std::size_t>(p)])] >= 0)
          ++entries;
      core_start.push_back(core_start.back() + entries);
    }
    std::vector<int> core_row(static_cast<std::size_t>(core_start.back()));
    std::vector<int> next(core_start.begin(), core_start.end() - 1);
    for (std::size_t k = 0; k < core_node.size(); ++k) {
      const auto c = static_cast<std::size_t>(core_node[k]);
      for (auto p = adjacency_start[c]; p < adjacency_start[c + 1]; ++p) {
        const auto j = core_index[static_cast<std::size_t>(adjacency[static_cast<std::size_t>(p)])];
        if (j >= 0) core_row[static_cast<std::size_t>(next[k]++)] = j;
      }
    }
    // A shortcut may repeat an edge (AMD takes duplicates: its result is then "jumbled", not
    // wrong).
    for (const auto& [u, v] : shortcuts) {
      const auto iu = core_index[static_cast<std::size_t>(u)];
      const auto iv = core_index[static_cast<std::size_t>(v)];
      core_row[static_cast<std::size_t>(next[static_cast<std::size_t>(iu)]++)] = iv;
      core_row[static_cast<std::size_t>(next[static_cast<std::size_t>(iv)]++)] = iu;
    }
    const auto m = static_cast<int>(core_node.size());
    std::vector<int> core_order(core_node.size());
    std::array<double, AMD_INFO> info{};
    if (amd_order(m, core_start.data(), core_row.data(), core_order.data(), nullptr, info.data()) <
        AMD_OK)
      throw std::runtime_error("amd_order failed");
    strictly_lower += static_cast<std::int64_t>(info[AMD_LNZ]);
    for (const int k : core_order) result.order.push_back(core_node[static_cast<std::size_t>(k)]);
  }
  result.estimated_nonzeros = 2.0 * static_cast<double>(strictly_lower + pattern.size);
  return result;
}

}  // namespace

struct SparseLu::Impl {
  const CscPattern& pattern;
  klu_common common{};
  klu_symbolic* symbolic = nullptr;
  klu_numeric* numeric = nullptr;
  int factor_scale = 2;       // KLU's row scaling for a full factorization (its default)
  double factor_flops = 0.0;  // of the first full factorization (klu_flops)
  Ordering ordering = Ordering::amd;
  std::vector<int> given_order;  // for a given ordering: order[k], the column eliminated k-th
  double estimated_nonzeros = 0.0;
  bool keep_flat = false;
  std::unique_ptr<FlatLu> flat;  // with keep_flat, the factors of `numeric` and their refactors

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

  // Chooses the elimination order. A given order (leaves-first, or leaves then AMD) is only
  // recorded: KLU's symbolic analysis waits for the first factorization (analyse_symbolic), so
  // that a caller that factorizes by other means in this order (NewtonSolver's LDL') never pays
  // for it. KLU's own AMD orders in its analysis, which is then made at once.
  void analyse(Ordering chosen) {
    if (symbolic != nullptr) klu_free_symbolic(&symbolic, &common);
    given_order.clear();
    if (chosen == Ordering::reverse_given) {
      given_order.resize(static_cast<std::size_t>(pattern.size));
      for (int i = 0; i < pattern.size; ++i)
        given_order[static_cast<std::size_t>(i)] = pattern.size - 1 - i;
    } else if (chosen == Ordering::leaves_then_amd) {
      auto given = leaves_then_amd_order(pattern);
      given_order = std::move(given.order);
      estimated_nonzeros = given.estimated_nonzeros;
    }
    ordering = chosen;
    if (chosen == Ordering::amd) {
      analyse_symbolic();
      // KLU estimates the fill of its own (AMD) ordering; it leaves a given one's unestimated.
      estimated_nonzeros = symbolic->lnz + symbolic->unz;
    }
  }

  void analyse_symbolic() {
    // Indices are 32-bit ints matching KLU's int interface.
    auto* ap = const_cast<int*>(pattern.column_start.data());
    auto* ai = const_cast<int*>(pattern.row.data());
    if (ordering == Ordering::amd) {
      symbolic = klu_analyze(pattern.size, ap, ai, &common);
    } else {
      // KLU's P and Q are not const, but it only reads them.
      symbolic =
          klu_analyze_given(pattern.size, ap, ai, given_order.data(), given_order.data(), &common);
    }
    if (symbolic == nullptr)
      throw std::runtime_error("klu_analyze failed (status " + std::to_string(common.status) + ")");
  }

  // The ordering rule, in one place. Nodes are numbered breadth-first (topology::analyse), so
  // on a near-radial network eliminating the last column first takes the leaves first: almost
  // no fill, and an order that costs nothing to find, where AMD costs a pass of its own. Loops
  // between far-apart buses make the same order fill in badly (25x the matrix with 2,000 far
  // ties on 1e5 buses: docs/benchmarks.md), which used to show only after a full numeric
  // factorization. So its fill is counted symbolically first, in time proportional to the count. It
  // is kept when it is within 1.5x of the least any ordering can give (the matrix itself, its
  // diagonal in both L and U), hence never worse than 1.5x AMD's, without running AMD. Otherwise
  // AMD orders what is left after the leaves and paths (leaves_then_amd_order), and the smaller
  // estimated fill wins (the leaves-first count resumed up to AMD's estimate). Both counts are
  // exact with diagonal pivots (tests/unit/steady/test_ordering.cpp).
  void choose_ordering() {
    const auto least = static_cast<std::int64_t>(pattern.row.size()) + pattern.size;
    const auto accepted =
        static_cast<std::int64_t>(leaves_first_fill_accepted * static_cast<double>(least));
    ReverseOrderCount leaves_first_count(pattern);
    const auto leaves_first = leaves_first_count.count(accepted);
    if (leaves_first <= accepted) {
      analyse(Ordering::reverse_given);
      estimated_nonzeros = static_cast<double>(leaves_first);
      return;
    }
    analyse(Ordering::leaves_then_amd);
    const auto amd = static_cast<std::int64_t>(estimated_nonzeros);
    if (amd <= accepted) return;  // below what leaves-first was already found to exceed
    const auto leaves_first_full = leaves_first_count.count(amd);  // on from where it stopped
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

std::vector<int> SparseLu::column_order() const {
  const auto& m = *impl_;
  if (m.symbolic == nullptr) return m.given_order;
  return {m.symbolic->Q, m.symbolic->Q + m.pattern.size};
}

double SparseLu::estimated_factor_nonzeros() const noexcept {
  return impl_->estimated_nonzeros;
}

bool SparseLu::factor(std::span<const double> values) {
  auto& m = *impl_;
  auto* ap = const_cast<int*>(m.pattern.column_start.data());
  auto* ai = const_cast<int*>(m.pattern.row.data());
  auto* ax = const_cast<double*>(values.data());
  if (m.symbolic == nullptr) m.analyse_symbolic();
  if (m.numeric != nullptr) {
    // Same pivot order as last time; fall back to a fresh factorization if it became poor.
    // Row scaling only guides the choice of pivots, which a refactorization does not make, so
    // it is skipped there, and with it the check of the (unchanged) pattern: -1, not 0, which
    // would still check it.
    constexpr double poor_rcond = 1e-12;
    bool refactored = false;
    if (m.flat != nullptr) {
      refactored = m.flat->refactor(values) && m.flat->reciprocal_condition() > poor_rcond;
    } else {
      m.common.scale = -1;
      refactored = klu_refactor(ap, ai, ax, m.symbolic, m.numeric, &m.common) == 1 &&
                   klu_rcond(m.symbolic, m.numeric, &m.common) == 1 && m.common.rcond > poor_rcond;
      m.common.scale = m.factor_scale;
    }
    if (refactored) return true;
    m.flat.reset();
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
  // Counted once (a pass over U's entries): a later full factorization pivots much the same.
  if (m.factor_flops == 0.0 && klu_flops(m.symbolic, m.numeric, &m.common) == 1)
    m.factor_flops = m.common.flops;
  if (m.keep_flat)
    m.flat = std::make_unique<FlatLu>(m.pattern, copy_factors(*m.symbolic, *m.numeric, m.common));
  return true;
}

void SparseLu::use_flat_factors() noexcept {
  impl_->keep_flat = true;
}

void SparseLu::forget_numeric() noexcept {
  auto& m = *impl_;
  m.flat.reset();
  if (m.numeric != nullptr) klu_free_numeric(&m.numeric, &m.common);
  m.factor_flops = 0.0;
  singular_column_ = -1;
}

double SparseLu::factor_flops() const noexcept {
  return impl_->factor_flops;
}

double SparseLu::factor_nonzeros() const noexcept {
  return impl_->numeric != nullptr ? static_cast<double>(impl_->numeric->lnz + impl_->numeric->unz)
                                   : 0.0;
}

void SparseLu::solve(std::span<double> rhs) {
  auto& m = *impl_;
  if (m.flat != nullptr) {
    m.flat->solve(rhs);
    return;
  }
  if (klu_solve(m.symbolic, m.numeric, m.pattern.size, 1, rhs.data(), &m.common) != 1)
    throw std::runtime_error("klu_solve failed (status " + std::to_string(m.common.status) + ")");
}

void SparseLu::solve_transposed(std::span<double> rhs) {
  auto& m = *impl_;
  if (m.flat != nullptr) {
    m.flat->solve_transposed(rhs);
    return;
  }
  if (klu_tsolve(m.symbolic, m.numeric, m.pattern.size, 1, rhs.data(), &m.common) != 1)
    throw std::runtime_error("klu_tsolve failed (status " + std::to_string(m.common.status) + ")");
}

}  // namespace g2g::steady

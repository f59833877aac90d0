// The LU ordering is chosen from symbolic fill before any numeric factorization: leaves-first on
// near-radial networks, AMD where far-apart ties make leaves-first fill in. Assertions are on
// fill counts (nnz(L) + nnz(U), diagonals in both, as KLU counts them).
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "g2g/steady/network.hpp"
#include "g2g/steady/newton.hpp"
#include "g2g/steady/sparse_lu.hpp"
#include "g2g/synth/networks.hpp"

namespace g2g::steady {
namespace {

constexpr auto no_limit = std::numeric_limits<std::int64_t>::max();

// Diagonal 1 + the column's entry count, -1 elsewhere: strictly diagonally dominant by columns,
// so KLU pivots on the diagonal and its fill is the symbolic one.
std::vector<double> diagonally_dominant(const CscPattern& pattern) {
  std::vector<double> values(pattern.row.size(), -1.0);
  for (std::int32_t c = 0; c < pattern.size; ++c) {
    const auto begin = pattern.column_start[static_cast<std::size_t>(c)];
    const auto end = pattern.column_start[static_cast<std::size_t>(c) + 1];
    for (auto k = begin; k < end; ++k)
      if (pattern.row[static_cast<std::size_t>(k)] == c)
        values[static_cast<std::size_t>(k)] = 1.0 + (end - begin);
  }
  return values;
}

double factored_nonzeros(const CscPattern& pattern, Ordering ordering) {
  SparseLu lu(pattern, ordering);
  EXPECT_TRUE(lu.factor(diagonally_dominant(pattern)));
  return lu.factor_nonzeros();
}

// An n x n pattern from (row, column) pairs; every diagonal entry is added.
CscPattern pattern_of(std::int32_t n,
                      const std::vector<std::pair<std::int32_t, std::int32_t>>& off) {
  CscPattern p;
  p.size = n;
  p.column_start.push_back(0);
  for (std::int32_t c = 0; c < n; ++c) {
    p.row.push_back(c);
    for (const auto& [r, col] : off)
      if (col == c) p.row.push_back(r);
    p.column_start.push_back(static_cast<std::int32_t>(p.row.size()));
  }
  return p;
}

TEST(Ordering, ReverseOrderFillOfArrowPatterns) {
  constexpr std::int32_t n = 6;
  std::vector<std::pair<std::int32_t, std::int32_t>> hub_first;
  std::vector<std::pair<std::int32_t, std::int32_t>> hub_last;
  std::vector<std::pair<std::int32_t, std::int32_t>> hub_first_row_only;
  for (std::int32_t k = 1; k < n; ++k) {
    hub_first.emplace_back(0, k);
    hub_first.emplace_back(k, 0);
    hub_last.emplace_back(n - 1, k - 1);
    hub_last.emplace_back(k - 1, n - 1);
    hub_first_row_only.emplace_back(0, k);  // structurally unsymmetric: A + Aᵀ is the arrow
  }
  // Hub eliminated last: no fill, L and U are the matrix (6 + 2 * 5 entries) plus a diagonal.
  EXPECT_EQ(reverse_order_factor_nonzeros(pattern_of(n, hub_first), no_limit), 16 + n);
  EXPECT_EQ(reverse_order_factor_nonzeros(pattern_of(n, hub_first_row_only), no_limit), 16 + n);
  // Hub eliminated first: L and U are full, n (n + 1) / 2 entries each.
  EXPECT_EQ(reverse_order_factor_nonzeros(pattern_of(n, hub_last), no_limit), n * (n + 1));
  // Past the limit the count stops, above it.
  const auto cut = reverse_order_factor_nonzeros(pattern_of(n, hub_last), 30);
  EXPECT_GT(cut, 30);
  EXPECT_LE(cut, n * (n + 1));
  // KLU agrees with the count on both.
  EXPECT_EQ(factored_nonzeros(pattern_of(n, hub_first), Ordering::reverse_given), 16 + n);
  EXPECT_EQ(factored_nonzeros(pattern_of(n, hub_last), Ordering::reverse_given), n * (n + 1));
  // Leaves peeled first: every arrow is a tree, so all of it is peeled without fill.
  for (const auto& arrow : {hub_first, hub_last, hub_first_row_only}) {
    SparseLu lu(pattern_of(n, arrow), Ordering::leaves_then_amd);
    EXPECT_EQ(lu.estimated_factor_nonzeros(), 16 + n);
  }
}

TEST(Ordering, LeavesThenAmdOnARingWithATail) {
  // A ring 0-1-2-3-4-5-0 (nothing to peel: AMD orders it, one fill entry per node eliminated
  // with two neighbours left, 2 (n - 2) + 1 = 9 in L) and a tail 6-7 on node 3 (peeled, 2 more).
  std::vector<std::pair<std::int32_t, std::int32_t>> edges;
  edges.reserve(8);
  for (std::int32_t k = 0; k < 6; ++k) edges.emplace_back(k, (k + 1) % 6);
  edges.emplace_back(3, 6);
  edges.emplace_back(6, 7);
  std::vector<std::pair<std::int32_t, std::int32_t>> both;
  for (const auto& [a, b] : edges) {
    both.emplace_back(a, b);
    both.emplace_back(b, a);
  }
  const auto pattern = pattern_of(8, both);
  SparseLu lu(pattern, Ordering::leaves_then_amd);
  EXPECT_EQ(lu.estimated_factor_nonzeros(), 2 * (8 + 9 + 2));
  ASSERT_TRUE(lu.factor(diagonally_dominant(pattern)));
  EXPECT_EQ(lu.factor_nonzeros(), 2 * (8 + 9 + 2));
}

TEST(Ordering, LeavesThenAmdContractsChains) {
  // Three paths between hubs 0 and 1 (through 2-3, 4, and 5-6-7) and a loop 0-8-9-0. Eliminated
  // before AMD, each path node takes two entries of L, the loop's last node one: 15; AMD then
  // orders the hubs, now joined by one edge (1 entry).
  const std::vector<std::pair<std::int32_t, std::int32_t>> edges{{0, 2}, {2, 3}, {3, 1}, {0, 4},
                                                                 {4, 1}, {0, 5}, {5, 6}, {6, 7},
                                                                 {7, 1}, {0, 8}, {8, 9}, {9, 0}};
  std::vector<std::pair<std::int32_t, std::int32_t>> both;
  for (const auto& [a, b] : edges) {
    both.emplace_back(a, b);
    both.emplace_back(b, a);
  }
  const auto pattern = pattern_of(10, both);
  SparseLu lu(pattern, Ordering::leaves_then_amd);
  EXPECT_EQ(lu.estimated_factor_nonzeros(), 2 * (10 + 15 + 1));
  ASSERT_TRUE(lu.factor(diagonally_dominant(pattern)));
  EXPECT_EQ(lu.factor_nonzeros(), 2 * (10 + 15 + 1));
}

model::ModelSpec dc_network(std::int64_t buses, double local_ties, std::int64_t far_ties) {
  synth::DcNetworkParams params;
  params.bus_count = buses;
  params.mesh_tie_fraction = local_ties;
  params.far_tie_count = far_ties;
  params.seed = 7;
  return synth::random_dc_network(params);
}

TEST(Ordering, SymbolicEstimatesMatchKluFillWithDiagonalPivots) {
  const auto model = dc_network(3000, 0.1, 60);
  const Network network = assemble(model);
  const NewtonSolver newton(network);
  const auto& pattern = newton.jacobian_pattern();
  const auto values = diagonally_dominant(pattern);
  // Leaves-first: our own count, exact.
  SparseLu leaves_first(pattern, Ordering::reverse_given);
  ASSERT_TRUE(leaves_first.factor(values));
  EXPECT_EQ(leaves_first.estimated_factor_nonzeros(), leaves_first.factor_nonzeros());
  // AMD, on the whole or on the core left after peeling the leaves: AMD's own count, which may
  // be a little high (supervariables it merges on the way).
  for (const auto ordering : {Ordering::amd, Ordering::leaves_then_amd}) {
    SparseLu amd(pattern, ordering);
    ASSERT_TRUE(amd.factor(values));
    EXPECT_GE(amd.estimated_factor_nonzeros(), amd.factor_nonzeros());
    EXPECT_LE(amd.estimated_factor_nonzeros(), 1.01 * amd.factor_nonzeros());
  }
}

TEST(Ordering, FarTiesGetAnOrderingNearAmdsFill) {
  // 2e4 buses with local ties, and 400 ties between random buses anywhere in the tree.
  const auto model = dc_network(20000, 0.1, 400);
  const Network network = assemble(model);
  NewtonSolver newton(network);
  const auto& pattern = newton.jacobian_pattern();
  const double amd_fill = factored_nonzeros(pattern, Ordering::amd);
  const double leaves_first_fill = factored_nonzeros(pattern, Ordering::reverse_given);
  // The network does have the cliff: leaves-first fills in far beyond AMD.
  EXPECT_GT(leaves_first_fill, 2.5 * amd_fill);

  // Chosen before any factorization: AMD on the core left after peeling the leaves.
  EXPECT_EQ(newton.ordering(), Ordering::leaves_then_amd);
  auto state = flat_start(network);
  const auto outcome = newton.run(state, NewtonOptions{});
  ASSERT_TRUE(outcome.converged);
  EXPECT_LE(newton.factor_nonzeros(), 1.5 * amd_fill);
}

TEST(Ordering, RadialNetworksKeepLeavesFirst) {
  // A tree: leaves-first is fill-free, L and U hold the matrix and a second diagonal.
  {
    const auto model = dc_network(20000, 0.0, 0);
    const Network network = assemble(model);
    NewtonSolver newton(network);
    EXPECT_EQ(newton.ordering(), Ordering::reverse_given);
    auto state = flat_start(network);
    ASSERT_TRUE(newton.run(state, NewtonOptions{}).converged);
    EXPECT_EQ(newton.factor_nonzeros(), newton.nonzeros() + newton.unknowns());
  }
  // The standard network (local ties): leaves-first, with no more fill than AMD's.
  {
    const auto model = dc_network(20000, 0.1, 0);
    const Network network = assemble(model);
    NewtonSolver newton(network);
    EXPECT_EQ(newton.ordering(), Ordering::reverse_given);
    auto state = flat_start(network);
    ASSERT_TRUE(newton.run(state, NewtonOptions{}).converged);
    EXPECT_LE(newton.factor_nonzeros(),
              factored_nonzeros(newton.jacobian_pattern(), Ordering::amd));
  }
  // Hybrid AC/DC (converters make the pattern unsymmetric): leaves-first too.
  {
    synth::HybridNetworkParams params;
    params.bus_count = 20000;
    const auto model = synth::random_hybrid_network(params);
    const Network network = assemble(model);
    NewtonSolver newton(network);
    EXPECT_EQ(newton.ordering(), Ordering::reverse_given);
    auto state = flat_start(network);
    ASSERT_TRUE(newton.run(state, NewtonOptions{}).converged);
    EXPECT_LE(newton.factor_nonzeros(),
              1.05 * factored_nonzeros(newton.jacobian_pattern(), Ordering::amd));
  }
}

}  // namespace
}  // namespace g2g::steady

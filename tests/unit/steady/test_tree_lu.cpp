// The radial numeric path: the tree LU (tree_lu.hpp) against KLU on random trees of 2x2 blocks,
// its refusal of patterns that are no tree, and the Newton solver's use of it with the
// linearised start on radial AC networks (same solution as the flat-start Newton).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "g2g/steady/network.hpp"
#include "g2g/steady/newton.hpp"
#include "g2g/steady/solver.hpp"
#include "g2g/steady/sparse_lu.hpp"
#include "g2g/steady/tree_lu.hpp"
#include "g2g/synth/networks.hpp"

namespace g2g::steady {
namespace {

// A pattern (compressed, one list per outer index) of `blocks` 2x2 blocks: every diagonal block
// and both off-diagonal blocks of each (child, parent) pair, columns sorted.
CscPattern block_pattern(const std::vector<std::int32_t>& parent,
                         const std::vector<std::pair<std::int32_t, std::int32_t>>& extra = {}) {
  const auto blocks = parent.size();
  std::vector<std::vector<std::int32_t>> neighbours(blocks);
  for (std::size_t b = 0; b < blocks; ++b) {
    neighbours[b].push_back(static_cast<std::int32_t>(b));
    if (parent[b] >= 0) {
      neighbours[b].push_back(parent[b]);
      neighbours[static_cast<std::size_t>(parent[b])].push_back(static_cast<std::int32_t>(b));
    }
  }
  for (const auto& [a, b] : extra) {
    neighbours[static_cast<std::size_t>(a)].push_back(b);
    neighbours[static_cast<std::size_t>(b)].push_back(a);
  }
  CscPattern pattern;
  pattern.size = static_cast<std::int32_t>(2 * blocks);
  pattern.column_start.push_back(0);
  for (std::size_t r = 0; r < 2 * blocks; ++r) {
    auto& list = neighbours[r / 2];
    std::sort(list.begin(), list.end());
    for (const auto c : list) {
      pattern.row.push_back(2 * c);
      pattern.row.push_back(2 * c + 1);
    }
    pattern.column_start.push_back(static_cast<std::int32_t>(pattern.row.size()));
  }
  return pattern;
}

// Random values, diagonal blocks made dominant so that KLU and the tree LU both pivot soundly.
std::vector<double> random_values(const CscPattern& pattern, std::mt19937_64& engine) {
  std::uniform_real_distribution<double> draw(-1.0, 1.0);
  std::vector<double> values(pattern.row.size());
  for (std::int32_t c = 0; c < pattern.size; ++c) {
    const auto begin = pattern.column_start[static_cast<std::size_t>(c)];
    const auto end = pattern.column_start[static_cast<std::size_t>(c) + 1];
    for (auto k = begin; k < end; ++k) {
      const auto r = pattern.row[static_cast<std::size_t>(k)];
      values[static_cast<std::size_t>(k)] = draw(engine) + (r == c ? 2.0 * (end - begin) : 0.0);
    }
  }
  return values;
}

TEST(TreeLu, AgreesWithKluOnRandomTrees) {
  std::mt19937_64 engine(7);
  for (const int blocks : {1, 2, 5, 40, 1000}) {
    std::vector<std::int32_t> parent(static_cast<std::size_t>(blocks), -1);
    for (int b = 1; b < blocks; ++b)
      parent[static_cast<std::size_t>(b)] = static_cast<std::int32_t>(engine() % b);
    if (blocks > 3) parent[3] = -1;  // a forest: a second root
    const CscPattern pattern = block_pattern(parent);
    auto tree = TreeLu::make(pattern);
    ASSERT_NE(tree, nullptr) << blocks << " blocks";
    SparseLu klu(pattern);
    const auto values = random_values(pattern, engine);
    ASSERT_TRUE(tree->factor(values));
    ASSERT_TRUE(klu.factor(values));
    std::vector<double> rhs(static_cast<std::size_t>(pattern.size));
    std::uniform_real_distribution<double> draw(-1.0, 1.0);
    for (auto& x : rhs) x = draw(engine);
    std::vector<double> by_tree = rhs;
    std::vector<double> by_klu = rhs;
    tree->solve_transposed(by_tree);
    klu.solve_transposed(by_klu);
    for (std::size_t i = 0; i < rhs.size(); ++i)
      EXPECT_NEAR(by_tree[i], by_klu[i], 1e-12 * (1.0 + std::abs(by_klu[i]))) << i;
    EXPECT_EQ(tree->factor_nonzeros(), static_cast<double>(pattern.row.size() + rhs.size()));
  }
}

TEST(TreeLu, RefusesPatternsThatAreNoTree) {
  // A loop: block 3 has two lower neighbours.
  EXPECT_EQ(TreeLu::make(block_pattern({-1, 0, 1, 2}, {{3, 0}})), nullptr);
  // An odd size cannot be 2x2 blocks.
  CscPattern odd;
  odd.size = 3;
  odd.column_start = {0, 1, 2, 3};
  odd.row = {0, 1, 2};
  EXPECT_EQ(TreeLu::make(odd), nullptr);
  // A block whose two rows hold different columns (a scalar unknown between blocks).
  CscPattern ragged = block_pattern({-1, 0});
  ragged.row.erase(ragged.row.begin() + 6);  // row 1 loses the (1, 2) entry
  for (std::size_t r = 2; r < ragged.column_start.size(); ++r) --ragged.column_start[r];
  EXPECT_EQ(TreeLu::make(ragged), nullptr);
}

TEST(TreeLu, ReportsASingularBlock) {
  const CscPattern pattern = block_pattern({-1, 0, 1});
  std::mt19937_64 engine(3);
  auto values = random_values(pattern, engine);
  // Block 2 (a leaf): rows 4 and 5 made equal, so its diagonal block is singular.
  const auto row4 = static_cast<std::size_t>(pattern.column_start[4]);
  const auto row5 = static_cast<std::size_t>(pattern.column_start[5]);
  for (std::size_t k = 0; k < 4; ++k) values[row5 + k] = values[row4 + k];
  auto tree = TreeLu::make(pattern);
  ASSERT_NE(tree, nullptr);
  EXPECT_FALSE(tree->factor(values));
  EXPECT_EQ(tree->singular_column(), 4);
}

model::ModelSpec ac_radial(std::int64_t buses, std::uint64_t seed) {
  synth::AcRadialParams params;
  params.bus_count = buses;
  params.seed = seed;
  return synth::random_ac_radial_network(params);
}

TEST(RadialNewton, TakesTheTreeLuOnRadialAcAndKluOnHybrid) {
  const auto radial = ac_radial(500, 1);
  const Network network = assemble(radial);
  NewtonSolver newton(network);
  EXPECT_TRUE(newton.radial());
  // The hybrid network has DC islands and converters: KLU.
  synth::HybridNetworkParams hybrid;
  hybrid.bus_count = 200;
  const auto meshed = synth::random_hybrid_network(hybrid);
  const Network other = assemble(meshed);
  NewtonSolver general(other);
  EXPECT_FALSE(general.radial());
}

// The linearised start (Solver) and a flat start (NewtonSolver alone) reach the same voltages;
// the linearised one in no more iterations.
TEST(RadialNewton, LinearisedStartConvergesToTheFlatStartSolution) {
  for (const std::uint64_t seed : {1, 2, 3}) {
    const auto model = ac_radial(2000, seed);
    const SolveResult linear = solve(model);
    ASSERT_TRUE(linear.converged);

    const Network network = assemble(model);
    NewtonSolver newton(network);
    State state = flat_start(network);
    NewtonOptions options;
    options.tolerance_pu = model.solver.tolerance_pu;
    const NewtonOutcome flat = newton.run(state, options);
    ASSERT_TRUE(flat.converged);
    EXPECT_LE(linear.stats.iterations, flat.iterations) << "seed " << seed;
    for (std::size_t b = 0; b < model.buses.size(); ++b) {
      const auto node = static_cast<std::size_t>(network.topology.nodes.node_of_bus[b]);
      EXPECT_NEAR(linear.buses[b].v_pu, state.v_pu[node], 1e-9) << "bus " << b;
      EXPECT_NEAR(linear.buses[b].angle_deg * std::acos(-1.0) / 180.0, state.angle_rad[node], 1e-9)
          << "bus " << b;
    }
  }
}

}  // namespace
}  // namespace g2g::steady

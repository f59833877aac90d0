#include "g2g/api/model.hpp"
#include "g2g/synth/networks.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "g2g/io/files.hpp"

namespace g2g::synth {
namespace {

using model::BusIndex;

// Minimal union-find, so these tests do not lean on topology/ to check the generator.
class Components {
 public:
  explicit Components(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  std::size_t find(std::size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void join(std::size_t a, std::size_t b) { parent_[find(a)] = find(b); }

 private:
  std::vector<std::size_t> parent_;
};

// Number of voltage references (slack sources, voltage-controlled converter outputs) per island,
// keyed by the island's representative bus; islands are joined by lines and transformers.
std::vector<int> references_per_island(const model::ModelSpec& m, std::size_t& island_count) {
  Components islands(m.buses.size());
  for (const auto& line : m.lines)
    islands.join(static_cast<std::size_t>(line.from), static_cast<std::size_t>(line.to));
  for (const auto& tr : m.transformers)
    islands.join(static_cast<std::size_t>(tr.hv), static_cast<std::size_t>(tr.lv));
  std::vector<int> refs(m.buses.size(), 0);
  for (const auto& source : m.sources)
    if (source.type != model::SourceType::generator)
      ++refs[islands.find(static_cast<std::size_t>(source.bus))];
  for (const auto& conv : m.converters)
    if (conv.control == model::ConverterControl::voltage)
      ++refs[islands.find(static_cast<std::size_t>(conv.output))];
  std::vector<int> per_island;
  for (std::size_t b = 0; b < m.buses.size(); ++b)
    if (islands.find(b) == b) per_island.push_back(refs[b]);
  island_count = per_island.size();
  return per_island;
}

void expect_valid(const model::ModelSpec& m) {
  const auto diagnostics = api::check(m);
  EXPECT_FALSE(diagnostics.has_errors()) << diagnostics.to_string();
  std::size_t island_count = 0;
  for (const int refs : references_per_island(m, island_count)) EXPECT_EQ(refs, 1);
}

TEST(RandomDcNetwork, HasTheRequestedShape) {
  DcNetworkParams params;
  params.bus_count = 2000;
  params.mesh_tie_fraction = 0.1;
  params.seed = 42;
  const auto m = random_dc_network(params);
  ASSERT_EQ(m.buses.size(), 2000U);
  EXPECT_EQ(m.buses[0].id, "b0");
  EXPECT_EQ(m.buses[1999].id, "b1999");
  ASSERT_EQ(m.sources.size(), 1U);
  EXPECT_EQ(m.sources[0].type, model::SourceType::dc_source);
  EXPECT_EQ(m.sources[0].bus, 0);
  EXPECT_EQ(m.lines.size(), 1999U + 200U);  // spanning tree + round(0.1 * 1999) ties
  for (const auto& line : m.lines) {
    ASSERT_TRUE(line.r_ohm.has_value()) << line.id;
    EXPECT_GT(*line.r_ohm, 0.0) << line.id;
    EXPECT_NE(line.from, line.to) << line.id;
  }
  std::set<model::LoadModel> models;
  for (const auto& load : m.loads) {
    models.insert(load.model);
    EXPECT_GE(load.p_w, 0.5 * params.load_per_bus_w);
    EXPECT_LE(load.p_w, 1.5 * params.load_per_bus_w);
  }
  EXPECT_EQ(models.size(), 3U);  // constant power, current and impedance all present
  std::size_t island_count = 0;
  (void)references_per_island(m, island_count);
  EXPECT_EQ(island_count, 1U);
  expect_valid(m);
}

TEST(RandomDcNetwork, IsDeterministicPerSeed) {
  DcNetworkParams params;
  params.bus_count = 500;
  params.seed = 7;
  const auto a = random_dc_network(params);
  const auto b = random_dc_network(params);
  params.seed = 8;
  const auto c = random_dc_network(params);
  ASSERT_EQ(a.lines.size(), b.lines.size());
  for (std::size_t i = 0; i < a.lines.size(); ++i) {
    EXPECT_EQ(a.lines[i].from, b.lines[i].from);
    EXPECT_EQ(a.lines[i].to, b.lines[i].to);
    EXPECT_EQ(*a.lines[i].r_ohm, *b.lines[i].r_ohm);
  }
  ASSERT_EQ(a.loads.size(), b.loads.size());
  for (std::size_t i = 0; i < a.loads.size(); ++i) EXPECT_EQ(a.loads[i].p_w, b.loads[i].p_w);
  bool differs = a.loads.size() != c.loads.size();
  for (std::size_t i = 0; !differs && i < a.lines.size(); ++i)
    differs = a.lines[i].from != c.lines[i].from || *a.lines[i].r_ohm != *c.lines[i].r_ohm;
  EXPECT_TRUE(differs);
}

TEST(RandomDcNetwork, FanoutShapeBoundsTheDepth) {
  DcNetworkParams params;
  params.bus_count = 585;  // 1 + 8 + 64 + 512: three full levels under the slack
  params.shape = TreeShape::fanout;
  params.fanout = 8;
  params.mesh_tie_fraction = 0.0;
  const auto m = random_dc_network(params);
  ASSERT_EQ(m.lines.size(), 584U);
  for (const auto& line : m.lines) EXPECT_EQ(line.from, (line.to - 1) / 8);
  expect_valid(m);
}

TEST(RandomDcNetwork, RejectsTooFewBuses) {
  DcNetworkParams params;
  params.bus_count = 1;
  EXPECT_THROW((void)random_dc_network(params), std::invalid_argument);
}

TEST(RandomHybridNetwork, HasExactBusCountAndOneReferencePerIsland) {
  for (const std::int64_t n : {16, 17, 19, 100, 1001, 12345}) {
    HybridNetworkParams params;
    params.bus_count = n;
    params.seed = static_cast<std::uint64_t>(n);
    const auto m = random_hybrid_network(params);
    ASSERT_EQ(static_cast<std::int64_t>(m.buses.size()), n);
    EXPECT_EQ(m.buses.back().id, "b" + std::to_string(n - 1));
    ASSERT_EQ(m.sources.size(), 1U);
    EXPECT_EQ(m.sources[0].type, model::SourceType::utility);
    EXPECT_FALSE(m.transformers.empty());
    bool has_rectifier = false;
    for (const auto& conv : m.converters) {
      has_rectifier |= conv.type == model::ConverterType::rectifier;
      EXPECT_GT(conv.rating_w, 0.0);
      EXPECT_FALSE(conv.efficiency.empty());
      const auto& in = m.buses[static_cast<std::size_t>(conv.input)];
      const auto& out = m.buses[static_cast<std::size_t>(conv.output)];
      EXPECT_EQ(out.kind, model::BusKind::dc);
      EXPECT_EQ(in.kind, conv.type == model::ConverterType::rectifier ? model::BusKind::ac
                                                                      : model::BusKind::dc);
    }
    EXPECT_TRUE(has_rectifier);
    for (const auto& line : m.lines) {
      ASSERT_TRUE(line.r_ohm.has_value());
      const bool ac = m.buses[static_cast<std::size_t>(line.from)].kind == model::BusKind::ac;
      EXPECT_EQ(line.x_ohm.has_value(), ac) << line.id;
    }
    expect_valid(m);
  }
}

TEST(RandomHybridNetwork, BuildsALargeCaseWithOneReferencePerIsland) {
  // Not a timing test (that is bench/): a large case builds and stays consistent.
  HybridNetworkParams params;
  params.bus_count = 100000;
  const auto m = random_hybrid_network(params);
  EXPECT_EQ(m.buses.size(), 100000U);
  std::size_t island_count = 0;
  const auto refs = references_per_island(m, island_count);
  EXPECT_EQ(island_count, m.converters.size() + 1);
  for (const int r : refs) ASSERT_EQ(r, 1);
}

}  // namespace
}  // namespace g2g::synth

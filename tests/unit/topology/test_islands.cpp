// Nodes, islands, references and the topology diagnostics.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "g2g/topology/islands.hpp"

namespace g2g::topology {
namespace {

using model::BusKind;

model::BusIndex add_bus(model::ModelSpec& m, const std::string& id, BusKind kind = BusKind::dc) {
  model::Bus bus;
  bus.id = id;
  bus.kind = kind;
  bus.nominal_voltage_v = 800.0;
  m.buses.push_back(bus);
  return static_cast<model::BusIndex>(m.buses.size() - 1);
}

void add_line(model::ModelSpec& m, model::BusIndex a, model::BusIndex b) {
  model::Line line;
  line.id = fmt::format("l{}", m.lines.size());
  line.from = a;
  line.to = b;
  line.r_ohm = 0.01;
  m.lines.push_back(line);
}

void add_source(model::ModelSpec& m, model::BusIndex bus) {
  model::Source source;
  source.id = fmt::format("s{}", m.sources.size());
  source.type = model::SourceType::dc_source;
  source.bus = bus;
  m.sources.push_back(source);
}

void add_load(model::ModelSpec& m, model::BusIndex bus) {
  model::Load load;
  load.id = fmt::format("d{}", m.loads.size());
  load.bus = bus;
  load.p_w = 1e3;
  m.loads.push_back(load);
}

TEST(Topology, SwitchesMergeNodesAndConvertersSeparateIslands) {
  model::ModelSpec m;
  const auto a = add_bus(m, "a");
  const auto b = add_bus(m, "b");
  const auto c = add_bus(m, "c");
  const auto d = add_bus(m, "d");
  add_source(m, a);
  add_line(m, a, b);
  model::Switch sw;
  sw.id = "brk";
  sw.from = b;
  sw.to = c;
  m.switches.push_back(sw);
  model::Converter conv;
  conv.id = "dcdc";
  conv.input = c;
  conv.output = d;
  conv.rating_w = 1e4;
  conv.efficiency = {{1.0, 0.98}};
  m.converters.push_back(conv);
  add_load(m, d);

  const Topology topo = analyse(m);
  EXPECT_EQ(topo.nodes.count, 3);  // b and c are one node
  EXPECT_EQ(topo.nodes.node_of_bus[1], topo.nodes.node_of_bus[2]);
  // Every node's representative bus maps back to that node, after renumbering.
  for (std::int32_t n = 0; n < topo.nodes.count; ++n)
    EXPECT_EQ(topo.nodes.node_of_bus[static_cast<std::size_t>(
                  topo.nodes.bus_of_node[static_cast<std::size_t>(n)])],
              n);
  EXPECT_EQ(topo.islands.count, 2);
  const auto island_of_d =
      topo.islands.island_of_node[static_cast<std::size_t>(topo.nodes.node_of_bus[3])];
  EXPECT_EQ(topo.reference_of_island[static_cast<std::size_t>(island_of_d)].kind,
            Reference::Kind::converter);
  EXPECT_FALSE(check_topology(m).has_errors());

  // Opening the switch leaves the converter's input without a source.
  m.switches[0].closed = false;
  const auto diagnostics = check_topology(m);
  ASSERT_EQ(diagnostics.error_count(), 1u);
  EXPECT_NE(diagnostics.items()[0].message.find("'dcdc' is in an island with no source"),
            std::string::npos)
      << diagnostics.to_string();
}

TEST(Topology, TwoReferencesInOneIslandAreAnError) {
  model::ModelSpec m;
  const auto a = add_bus(m, "a");
  const auto b = add_bus(m, "b");
  add_source(m, a);
  add_source(m, b);
  add_line(m, a, b);
  add_load(m, b);
  const auto diagnostics = check_topology(m);
  ASSERT_EQ(diagnostics.error_count(), 1u);
  EXPECT_NE(diagnostics.items()[0].message.find("both set the voltage"), std::string::npos);
}

TEST(Topology, UnfedIslandNamesAFewBusesAndCountsTheRest) {
  model::ModelSpec m;
  const auto root = add_bus(m, "root");
  add_source(m, root);
  model::BusIndex previous = add_bus(m, "far0");
  for (int i = 1; i < 10; ++i) {
    const auto bus = add_bus(m, fmt::format("far{}", i));
    add_line(m, previous, bus);
    previous = bus;
  }
  add_load(m, previous);
  const auto diagnostics = check_topology(m);
  ASSERT_EQ(diagnostics.error_count(), 1u);
  EXPECT_NE(diagnostics.items()[0].message.find("far0, far1, far2, far3 and 6 more"),
            std::string::npos)
      << diagnostics.to_string();
}

}  // namespace
}  // namespace g2g::topology

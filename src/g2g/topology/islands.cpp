#include "g2g/topology/islands.hpp"

#include <fmt/format.h>

#include "g2g/topology/union_find.hpp"

namespace g2g::topology {

namespace {
bool valid(model::BusIndex bus, const model::ModelSpec& model) {
  return bus >= 0 && static_cast<std::size_t>(bus) < model.buses.size();
}

bool is_slack(const model::Source& source) {
  return source.in_service && source.type != model::SourceType::generator;
}

bool is_voltage_reference(const model::Converter& converter) {
  return converter.in_service && converter.control == model::ConverterControl::voltage;
}
}  // namespace

Nodes find_nodes(const model::ModelSpec& model) {
  UnionFind sets(model.buses.size());
  for (const auto& sw : model.switches)
    if (sw.closed && valid(sw.from, model) && valid(sw.to, model)) sets.unite(sw.from, sw.to);
  Nodes nodes;
  nodes.node_of_bus = sets.labels(nodes.count);
  nodes.bus_of_node.assign(static_cast<std::size_t>(nodes.count), model::no_bus);
  for (std::size_t bus = 0; bus < model.buses.size(); ++bus) {
    auto& representative = nodes.bus_of_node[static_cast<std::size_t>(nodes.node_of_bus[bus])];
    if (representative == model::no_bus) representative = static_cast<model::BusIndex>(bus);
  }
  return nodes;
}

Islands find_islands(const model::ModelSpec& model, const Nodes& nodes) {
  UnionFind sets(static_cast<std::size_t>(nodes.count));
  auto join = [&](model::BusIndex a, model::BusIndex b) {
    if (valid(a, model) && valid(b, model))
      sets.unite(nodes.node_of_bus[static_cast<std::size_t>(a)],
                 nodes.node_of_bus[static_cast<std::size_t>(b)]);
  };
  for (const auto& line : model.lines)
    if (line.in_service) join(line.from, line.to);
  for (const auto& transformer : model.transformers)
    if (transformer.in_service) join(transformer.hv, transformer.lv);
  Islands islands;
  islands.island_of_node = sets.labels(islands.count);
  return islands;
}

namespace {
// The island of a bus, through its node.
std::int32_t island_of(const Topology& topo, model::BusIndex bus) {
  return topo.islands.island_of_node[static_cast<std::size_t>(
      topo.nodes.node_of_bus[static_cast<std::size_t>(bus)])];
}

// Visits every voltage reference with its island.
template <typename Visit>
void for_each_reference(const model::ModelSpec& model, const Topology& topo, Visit&& visit) {
  for (std::size_t i = 0; i < model.sources.size(); ++i) {
    const auto& source = model.sources[i];
    if (is_slack(source) && valid(source.bus, model))
      visit(island_of(topo, source.bus),
            Reference{Reference::Kind::source, static_cast<std::int32_t>(i)});
  }
  for (std::size_t i = 0; i < model.converters.size(); ++i) {
    const auto& converter = model.converters[i];
    if (is_voltage_reference(converter) && valid(converter.output, model))
      visit(island_of(topo, converter.output),
            Reference{Reference::Kind::converter, static_cast<std::int32_t>(i)});
  }
}
}  // namespace

namespace {
// Renumbers nodes in breadth-first order over branches and converters, so that neighbours in the
// network are neighbours in memory: the solver's sweeps over the admittance matrix then walk
// memory nearly in order, whatever order the buses were written in.
void renumber_breadth_first(const model::ModelSpec& model, Nodes& nodes) {
  const auto count = static_cast<std::size_t>(nodes.count);
  std::vector<std::int32_t> degree(count + 1, 0);
  std::vector<std::pair<std::int32_t, std::int32_t>> edges;
  edges.reserve(model.lines.size() + model.transformers.size() + model.converters.size());
  auto edge = [&](model::BusIndex a, model::BusIndex b) {
    if (!valid(a, model) || !valid(b, model)) return;
    const auto na = nodes.node_of_bus[static_cast<std::size_t>(a)];
    const auto nb = nodes.node_of_bus[static_cast<std::size_t>(b)];
    if (na == nb) return;
    edges.emplace_back(na, nb);
    ++degree[static_cast<std::size_t>(na) + 1];
    ++degree[static_cast<std::size_t>(nb) + 1];
  };
  for (const auto& line : model.lines) edge(line.from, line.to);
  for (const auto& transformer : model.transformers) edge(transformer.hv, transformer.lv);
  for (const auto& converter : model.converters) edge(converter.input, converter.output);
  for (std::size_t i = 0; i < count; ++i) degree[i + 1] += degree[i];
  std::vector<std::int32_t> adjacent(2 * edges.size());
  std::vector<std::int32_t> fill(degree.begin(), degree.end() - 1);
  for (const auto& [a, b] : edges) {
    adjacent[static_cast<std::size_t>(fill[static_cast<std::size_t>(a)]++)] = b;
    adjacent[static_cast<std::size_t>(fill[static_cast<std::size_t>(b)]++)] = a;
  }
  std::vector<std::int32_t> new_label(count, -1);
  std::vector<std::int32_t> order;
  order.reserve(count);
  for (std::size_t root = 0; root < count; ++root) {
    if (new_label[root] >= 0) continue;
    new_label[root] = static_cast<std::int32_t>(order.size());
    order.push_back(static_cast<std::int32_t>(root));
    for (std::size_t head = order.size() - 1; head < order.size(); ++head) {
      const auto node = static_cast<std::size_t>(order[head]);
      for (auto k = degree[node]; k < degree[node + 1]; ++k) {
        const auto next = static_cast<std::size_t>(adjacent[static_cast<std::size_t>(k)]);
        if (new_label[next] >= 0) continue;
        new_label[next] = static_cast<std::int32_t>(order.size());
        order.push_back(static_cast<std::int32_t>(next));
      }
    }
  }
  for (auto& node : nodes.node_of_bus) node = new_label[static_cast<std::size_t>(node)];
  std::vector<model::BusIndex> bus_of_node(count);
  for (std::size_t old = 0; old < count; ++old)
    bus_of_node[static_cast<std::size_t>(new_label[old])] = nodes.bus_of_node[old];
  nodes.bus_of_node = std::move(bus_of_node);
}
}  // namespace

Topology analyse(const model::ModelSpec& model) {
  Topology topo;
  topo.nodes = find_nodes(model);
  renumber_breadth_first(model, topo.nodes);
  topo.islands = find_islands(model, topo.nodes);
  const auto island_count = static_cast<std::size_t>(topo.islands.count);
  topo.reference_of_island.assign(island_count, Reference{});
  for_each_reference(model, topo, [&](std::int32_t island, Reference reference) {
    auto& slot = topo.reference_of_island[static_cast<std::size_t>(island)];
    if (slot.kind == Reference::Kind::none) slot = reference;
  });
  topo.island_energised.resize(island_count);
  for (std::size_t i = 0; i < island_count; ++i)
    topo.island_energised[i] = topo.reference_of_island[i].kind != Reference::Kind::none;
  return topo;
}

core::DiagnosticList check_topology(const model::ModelSpec& model) {
  core::DiagnosticList diagnostics;
  // Switches join buses into one node: both ends must be alike.
  for (const auto& sw : model.switches) {
    if (!valid(sw.from, model) || !valid(sw.to, model)) continue;
    const auto& a = model.buses[static_cast<std::size_t>(sw.from)];
    const auto& b = model.buses[static_cast<std::size_t>(sw.to)];
    if (a.kind != b.kind || a.nominal_voltage_v != b.nominal_voltage_v)
      diagnostics.error(model::location(model, sw.where),
                        fmt::format("switch '{}' joins bus '{}' and bus '{}' of different kind or "
                                    "nominal voltage",
                                    sw.id, a.id, b.id),
                        "a switch joins buses of the same system; use a converter or transformer");
  }

  const Topology topo = analyse(model);
  const auto island_count = static_cast<std::size_t>(topo.islands.count);

  // Second and further references in one island.
  std::vector<Reference> first(island_count);
  auto describe = [&](const Reference& r) {
    return r.kind == Reference::Kind::source
               ? fmt::format("source '{}'", model.sources[static_cast<std::size_t>(r.index)].id)
               : fmt::format("converter '{}'",
                             model.converters[static_cast<std::size_t>(r.index)].id);
  };
  auto where = [&](const Reference& r) {
    return r.kind == Reference::Kind::source
               ? model.sources[static_cast<std::size_t>(r.index)].where
               : model.converters[static_cast<std::size_t>(r.index)].where;
  };
  for_each_reference(model, topo, [&](std::int32_t island, Reference reference) {
    auto& slot = first[static_cast<std::size_t>(island)];
    if (slot.kind == Reference::Kind::none) {
      slot = reference;
      return;
    }
    diagnostics.error(model::location(model, where(reference)),
                      fmt::format("{} and {} both set the voltage of the same island",
                                  describe(slot), describe(reference)),
                      "keep one voltage reference per island: make other sources 'generator's, "
                      "or set the other converters to 'control: power'");
  });

  // What needs a supplied island: loads, storage, generators, converter inputs.
  std::vector<int> demand(island_count, 0);
  std::vector<model::Where> demand_where(island_count);
  std::vector<std::string> demand_id(island_count);
  auto needs_supply = [&](model::BusIndex bus, const std::string& id, model::Where at) {
    if (!valid(bus, model)) return;
    const auto island = static_cast<std::size_t>(island_of(topo, bus));
    if (demand[island]++ == 0) {
      demand_where[island] = at;
      demand_id[island] = id;
    }
  };
  for (const auto& load : model.loads)
    if (load.in_service) needs_supply(load.bus, load.id, load.where);
  for (const auto& storage : model.storage)
    if (storage.in_service) needs_supply(storage.bus, storage.id, storage.where);
  for (const auto& source : model.sources)
    if (source.in_service && source.type == model::SourceType::generator)
      needs_supply(source.bus, source.id, source.where);
  for (const auto& converter : model.converters)
    if (converter.in_service) needs_supply(converter.input, converter.id, converter.where);

  // Name a few buses of each island without a source, so it can be found (one pass over buses).
  auto unsupplied = [&](std::size_t island) {
    return !topo.island_energised[island] && demand[island] > 0;
  };
  std::vector<std::string> bus_list(island_count);
  std::vector<int> bus_total(island_count, 0);
  for (std::size_t bus = 0; bus < model.buses.size(); ++bus) {
    const auto island =
        static_cast<std::size_t>(island_of(topo, static_cast<model::BusIndex>(bus)));
    if (!unsupplied(island)) continue;
    if (bus_total[island]++ < 4)
      bus_list[island] += (bus_list[island].empty() ? "" : ", ") + model.buses[bus].id;
  }
  for (std::size_t island = 0; island < island_count; ++island) {
    if (!unsupplied(island)) continue;
    std::string buses = bus_list[island];
    if (bus_total[island] > 4) buses += fmt::format(" and {} more", bus_total[island] - 4);
    diagnostics.error(
        model::location(model, demand_where[island]),
        fmt::format("'{}' is in an island with no source (buses {}): nothing sets its "
                    "voltage",
                    demand_id[island], buses),
        "connect the island to the network, or add a 'utility' / 'dc_source', or a "
        "converter with 'control: voltage' feeding one of its buses");
  }
  return diagnostics;
}

}  // namespace g2g::topology

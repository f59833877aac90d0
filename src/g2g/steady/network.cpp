#include "g2g/steady/network.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace g2g::steady {

namespace {

components::BranchBases bases_between(const Network& network, std::int32_t from_node,
                                      std::int32_t to_node) {
  return {network.base_power_va, network.nodes[static_cast<std::size_t>(from_node)].base_voltage_v,
          network.nodes[static_cast<std::size_t>(to_node)].base_voltage_v};
}

bool alive(const Network& network, std::int32_t node) {
  return network.nodes[static_cast<std::size_t>(node)].role != NodeRole::dead;
}

double reactive_per_active(double power_factor) {
  if (power_factor >= 1.0 || power_factor <= 0.0) return 0.0;
  return std::tan(std::acos(power_factor));
}

struct Triplet {
  std::int32_t row;
  std::int32_t col;
  Complex value;
};

AdmittanceMatrix build_admittance(std::size_t node_count, std::vector<Triplet>& entries) {
  for (std::size_t i = 0; i < node_count; ++i)
    entries.push_back({static_cast<std::int32_t>(i), static_cast<std::int32_t>(i), Complex{}});
  // Counting sort by row, then sort each (short) row by column and merge duplicates.
  std::vector<std::int32_t> count(node_count + 1, 0);
  for (const auto& e : entries) ++count[static_cast<std::size_t>(e.row) + 1];
  for (std::size_t i = 0; i < node_count; ++i) count[i + 1] += count[i];
  std::vector<std::pair<std::int32_t, Complex>> by_row(entries.size());
  std::vector<std::int32_t> fill(count.begin(), count.end() - 1);
  for (const auto& e : entries)
    by_row[static_cast<std::size_t>(fill[static_cast<std::size_t>(e.row)]++)] = {e.col, e.value};

  AdmittanceMatrix y;
  y.row_start.assign(node_count + 1, 0);
  y.diagonal.assign(node_count, -1);
  y.column.reserve(entries.size());
  y.value.reserve(entries.size());
  for (std::size_t row = 0; row < node_count; ++row) {
    auto first = by_row.begin() + count[row];
    auto last = by_row.begin() + count[row + 1];
    std::sort(first, last, [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto it = first; it != last; ++it) {
      if (!y.column.empty() && static_cast<std::int32_t>(y.column.size()) > y.row_start[row] &&
          y.column.back() == it->first) {
        y.value.back() += it->second;
        continue;
      }
      if (it->first == static_cast<std::int32_t>(row))
        y.diagonal[row] = static_cast<std::int32_t>(y.column.size());
      y.column.push_back(it->first);
      y.value.push_back(it->second);
    }
    y.row_start[row + 1] = static_cast<std::int32_t>(y.column.size());
  }
  return y;
}

void add_branch(std::vector<Triplet>& entries, std::int32_t from, std::int32_t to,
                const components::BranchAdmittance& y) {
  entries.push_back({from, from, y.y_ff});
  entries.push_back({from, to, y.y_ft});
  entries.push_back({to, from, y.y_tf});
  entries.push_back({to, to, y.y_tt});
}

}  // namespace

components::BranchAdmittance line_model(const model::ModelSpec& model, const Network& network,
                                        const model::Line& line) {
  const auto from = node_of(network, line.from);
  const auto to = node_of(network, line.to);
  return components::line_admittance(line, model.buses[static_cast<std::size_t>(line.from)].kind,
                                     bases_between(network, from, to));
}

components::BranchAdmittance transformer_model(const model::ModelSpec& /*model*/,
                                               const Network& network,
                                               const model::Transformer& transformer) {
  return components::transformer_admittance(
      transformer,
      bases_between(network, node_of(network, transformer.hv), node_of(network, transformer.lv)));
}

Network assemble(const model::ModelSpec& model) {
  Network network;
  network.base_power_va = model.solver.base_power_va;
  network.topology = topology::analyse(model);
  const auto& topo = network.topology;
  const auto node_count = static_cast<std::size_t>(topo.nodes.count);

  // Roles and set-points.
  network.nodes.resize(node_count);
  for (std::size_t n = 0; n < node_count; ++n) {
    const auto& bus = model.buses[static_cast<std::size_t>(topo.nodes.bus_of_node[n])];
    auto& node = network.nodes[n];
    node.bus = topo.nodes.bus_of_node[n];
    node.kind = bus.kind;
    node.base_voltage_v = bus.nominal_voltage_v;
    const bool energised = topo.island_energised[static_cast<std::size_t>(topo.islands.island_of_node[n])];
    node.role = !energised ? NodeRole::dead
                           : (bus.kind == model::BusKind::ac ? NodeRole::pq : NodeRole::dc);
  }
  for (std::size_t island = 0; island < topo.reference_of_island.size(); ++island) {
    const auto& reference = topo.reference_of_island[island];
    if (reference.kind == topology::Reference::Kind::source) {
      const auto& source = model.sources[static_cast<std::size_t>(reference.index)];
      auto& node = network.nodes[static_cast<std::size_t>(node_of(network, source.bus))];
      node.role = NodeRole::slack;
      node.v_set_pu = source.v_set_pu;
      node.angle_set_rad = source.angle_deg * std::numbers::pi / 180.0;
    } else if (reference.kind == topology::Reference::Kind::converter) {
      const auto& converter = model.converters[static_cast<std::size_t>(reference.index)];
      auto& node = network.nodes[static_cast<std::size_t>(node_of(network, converter.output))];
      node.role = NodeRole::converter_slack;
      node.v_set_pu = converter.v_set_pu;
      node.converter = reference.index;
    }
  }

  // Fixed injections: generators, storage, constant-power loads.
  network.p_fixed_pu.assign(node_count, 0.0);
  network.q_fixed_pu.assign(node_count, 0.0);
  network.p_load_pu.assign(node_count, 0.0);
  network.q_load_pu.assign(node_count, 0.0);
  const double s_base = network.base_power_va;
  for (const auto& source : model.sources) {
    if (!source.in_service || source.type != model::SourceType::generator) continue;
    const auto n = static_cast<std::size_t>(node_of(network, source.bus));
    if (network.nodes[n].role == NodeRole::dead) continue;
    network.p_fixed_pu[n] += source.p_set_w / s_base;
    if (network.nodes[n].role == NodeRole::pq) {
      network.nodes[n].role = NodeRole::pv;
      network.nodes[n].v_set_pu = source.v_set_pu;
    }
  }
  for (const auto& storage : model.storage) {
    if (!storage.in_service) continue;
    const auto n = static_cast<std::size_t>(node_of(network, storage.bus));
    network.p_fixed_pu[n] += storage.p_set_w / s_base;
    network.q_fixed_pu[n] += storage.q_set_var / s_base;
  }
  for (const auto& load : model.loads) {
    if (!load.in_service) continue;
    const auto n = node_of(network, load.bus);
    if (!alive(network, n)) continue;
    const double p_pu = model::nominal_load_power_w(load) / s_base;
    const double q_pu = load.q_var / s_base;
    const components::ZipFractions zip = components::zip_fractions(load);
    if (zip.z == 0.0 && zip.i == 0.0) {  // constant power: no voltage dependence to track
      network.p_load_pu[static_cast<std::size_t>(n)] += p_pu;
      network.q_load_pu[static_cast<std::size_t>(n)] += q_pu;
    } else {
      network.loads.push_back({n, p_pu, q_pu, zip});
    }
  }

  // Converters.
  network.converters.reserve(model.converters.size());
  network.converter_active.assign(model.converters.size(), false);
  for (std::size_t c = 0; c < model.converters.size(); ++c) {
    const auto& converter = model.converters[c];
    const auto in = node_of(network, converter.input);
    const auto out = node_of(network, converter.output);
    const bool voltage_control = converter.control == model::ConverterControl::voltage;
    ConverterLink link{in,
                       out,
                       voltage_control,
                       converter.p_set_w / s_base,
                       model.buses[static_cast<std::size_t>(converter.output)].kind == model::BusKind::ac
                           ? reactive_per_active(converter.output_power_factor)
                           : 0.0,
                       model.buses[static_cast<std::size_t>(converter.input)].kind == model::BusKind::ac
                           ? reactive_per_active(converter.input_power_factor)
                           : 0.0,
                       components::EfficiencyCurveLoss(converter.efficiency, converter.rating_w)};
    network.converter_active[c] = converter.in_service && alive(network, in) && alive(network, out);
    network.converters.push_back(std::move(link));
  }

  // Admittance matrix.
  std::vector<Triplet> entries;
  entries.reserve(4 * (model.lines.size() + model.transformers.size()));
  for (const auto& line : model.lines) {
    if (!line.in_service) continue;
    const auto from = node_of(network, line.from);
    const auto to = node_of(network, line.to);
    if (!alive(network, from) || from == to) continue;
    add_branch(entries, from, to, line_model(model, network, line));
  }
  for (const auto& transformer : model.transformers) {
    if (!transformer.in_service) continue;
    const auto from = node_of(network, transformer.hv);
    const auto to = node_of(network, transformer.lv);
    if (!alive(network, from) || from == to) continue;
    add_branch(entries, from, to, transformer_model(model, network, transformer));
  }
  network.y = build_admittance(node_count, entries);
  return network;
}

}  // namespace g2g::steady

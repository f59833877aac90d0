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

struct BranchEnds {
  std::int32_t from;
  std::int32_t to;
};

// Nodal admittance matrix from the branches' two-port admittances, in compressed rows with the
// diagonal first in each row; parallel branches merge into one entry.
AdmittanceMatrix build_admittance(std::size_t node_count, const std::vector<BranchEnds>& ends,
                                  const std::vector<const components::BranchAdmittance*>& values) {
  AdmittanceMatrix y;
  y.row_start.assign(node_count + 1, 0);
  for (std::size_t i = 0; i < node_count; ++i) y.row_start[i + 1] = 1;  // the diagonal
  for (const auto& e : ends) {
    ++y.row_start[static_cast<std::size_t>(e.from) + 1];
    ++y.row_start[static_cast<std::size_t>(e.to) + 1];
  }
  for (std::size_t i = 0; i < node_count; ++i) y.row_start[i + 1] += y.row_start[i];
  const auto total = static_cast<std::size_t>(y.row_start[node_count]);
  y.column.resize(total);
  y.value.assign(total, Complex{});
  y.diagonal.resize(node_count);
  std::vector<std::int32_t> fill(node_count);
  for (std::size_t i = 0; i < node_count; ++i) {
    const auto first = y.row_start[i];
    y.diagonal[i] = first;
    y.column[static_cast<std::size_t>(first)] = static_cast<std::int32_t>(i);
    fill[i] = first + 1;
  }
  for (std::size_t b = 0; b < ends.size(); ++b) {
    if (b + prefetch_distance < ends.size()) {
      // Both ends' rows are written; they lie anywhere in arrays larger than the cache.
      for (const auto end : {ends[b + prefetch_distance].from, ends[b + prefetch_distance].to}) {
        const auto first = static_cast<std::size_t>(y.row_start[static_cast<std::size_t>(end)]);
        prefetch(&y.value[first]);
        prefetch(&y.column[first]);
        prefetch(&fill[static_cast<std::size_t>(end)]);
      }
    }
    const auto from = static_cast<std::size_t>(ends[b].from);
    const auto to = static_cast<std::size_t>(ends[b].to);
    const auto& yb = *values[b];
    y.value[static_cast<std::size_t>(y.diagonal[from])] += yb.y_ff;
    y.value[static_cast<std::size_t>(y.diagonal[to])] += yb.y_tt;
    const auto ft = static_cast<std::size_t>(fill[from]++);
    y.column[ft] = ends[b].to;
    y.value[ft] = yb.y_ft;
    const auto tf = static_cast<std::size_t>(fill[to]++);
    y.column[tf] = ends[b].from;
    y.value[tf] = yb.y_tf;
  }
  // Sort each (short) row's off-diagonal entries by column, merge parallel branches, compact.
  std::int32_t write = 0;
  for (std::size_t i = 0; i < node_count; ++i) {
    const auto first = y.row_start[i];
    const auto last = y.row_start[i + 1];
    for (auto a = first + 2; a < last; ++a)  // insertion sort after the diagonal
      for (auto b = a; b > first + 1 && y.column[static_cast<std::size_t>(b - 1)] >
                                            y.column[static_cast<std::size_t>(b)];
           --b) {
        std::swap(y.column[static_cast<std::size_t>(b - 1)], y.column[static_cast<std::size_t>(b)]);
        std::swap(y.value[static_cast<std::size_t>(b - 1)], y.value[static_cast<std::size_t>(b)]);
      }
    y.row_start[i] = write;
    y.diagonal[i] = write;
    for (auto k = first; k < last; ++k) {
      const auto col = y.column[static_cast<std::size_t>(k)];
      if (k > first + 1 && col == y.column[static_cast<std::size_t>(write - 1)]) {
        y.value[static_cast<std::size_t>(write - 1)] += y.value[static_cast<std::size_t>(k)];
        continue;
      }
      y.column[static_cast<std::size_t>(write)] = col;
      y.value[static_cast<std::size_t>(write)] = y.value[static_cast<std::size_t>(k)];
      ++write;
    }
  }
  y.row_start[node_count] = write;
  y.column.resize(static_cast<std::size_t>(write));
  y.value.resize(static_cast<std::size_t>(write));
  return y;
}

}  // namespace

Network assemble(const model::ModelSpec& model) {
  Network network;
  network.base_power_va = model.solver.base_power_va;
  network.topology = topology::analyse(model);
  const auto& topo = network.topology;
  const auto node_count = static_cast<std::size_t>(topo.nodes.count);

  // Roles and set-points. Buses are read in model order (nodes are numbered breadth-first, so
  // reading them node by node would jump through the bus array).
  network.nodes.resize(node_count);
  for (std::size_t b = 0; b < model.buses.size(); ++b) {
    const auto n = static_cast<std::size_t>(topo.nodes.node_of_bus[b]);
    if (topo.nodes.bus_of_node[n] != static_cast<model::BusIndex>(b)) continue;
    const auto& bus = model.buses[b];
    auto& node = network.nodes[n];
    node.bus = static_cast<model::BusIndex>(b);
    node.kind = bus.kind;
    node.base_voltage_v = bus.nominal_voltage_v;
  }
  // Whether each node is energised, compact (1 byte a node) for the element loops below, which
  // reach nodes in no particular order.
  std::vector<std::uint8_t> node_alive(node_count);
  for (std::size_t n = 0; n < node_count; ++n) {
    auto& node = network.nodes[n];
    const bool energised =
        topo.island_energised[static_cast<std::size_t>(topo.islands.island_of_node[n])];
    node.role = !energised ? NodeRole::dead
                           : (node.kind == model::BusKind::ac ? NodeRole::pq : NodeRole::dc);
    node_alive[n] = energised ? 1 : 0;
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
  for (std::size_t l = 0; l < model.loads.size(); ++l) {
    if (l + prefetch_distance < model.loads.size()) {
      const auto ahead =
          static_cast<std::size_t>(node_of(network, model.loads[l + prefetch_distance].bus));
      prefetch(&network.p_load_pu[ahead]);
      prefetch(&network.q_load_pu[ahead]);
    }
    const auto& load = model.loads[l];
    if (!load.in_service) continue;
    const auto n = node_of(network, load.bus);
    if (node_alive[static_cast<std::size_t>(n)] == 0) continue;
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

  // Voltage-dependent loads in node order, so that every Newton evaluation walks them along the
  // node arrays instead of jumping about. A stable counting sort: one node's loads keep their
  // order, and so their sum its rounding.
  {
    std::vector<std::int32_t> first(node_count + 1, 0);
    for (const auto& load : network.loads) ++first[static_cast<std::size_t>(load.node) + 1];
    for (std::size_t n = 0; n < node_count; ++n) first[n + 1] += first[n];
    std::vector<NodeLoad> sorted(network.loads.size());
    for (const auto& load : network.loads)
      sorted[static_cast<std::size_t>(first[static_cast<std::size_t>(load.node)]++)] = load;
    network.loads = std::move(sorted);
  }

  // Converters.
  network.converters.reserve(model.converters.size());
  network.converter_active.assign(model.converters.size(), false);
  for (std::size_t c = 0; c < model.converters.size(); ++c) {
    const auto& converter = model.converters[c];
    const auto in = node_of(network, converter.input);
    const auto out = node_of(network, converter.output);
    const bool voltage_control = converter.control == model::ConverterControl::voltage;
    ConverterLink link{
        in,
        out,
        voltage_control,
        converter.p_set_w / s_base,
        model.buses[static_cast<std::size_t>(converter.output)].kind == model::BusKind::ac
            ? reactive_per_active(converter.output_power_factor)
            : 0.0,
        model.buses[static_cast<std::size_t>(converter.input)].kind == model::BusKind::ac
            ? reactive_per_active(converter.input_power_factor)
            : 0.0,
        components::EfficiencyCurveLoss(converter.efficiency, model::installed_rating_w(converter),
                                        converter.standby_loss_w)};
    network.converter_active[c] = converter.in_service && alive(network, in) && alive(network, out);
    network.converters.push_back(std::move(link));
  }

  // Branches and the admittance matrix.
  std::vector<BranchEnds> ends;
  std::vector<const components::BranchAdmittance*> branch_values;
  ends.reserve(model.lines.size() + model.transformers.size());
  branch_values.reserve(ends.capacity());
  network.line_admittance.assign(model.lines.size(), {});
  network.line_active.assign(model.lines.size(), false);
  for (std::size_t i = 0; i < model.lines.size(); ++i) {
    if (i + prefetch_distance < model.lines.size()) {
      const auto& ahead = model.lines[i + prefetch_distance];
      prefetch(&model.buses[static_cast<std::size_t>(ahead.from)]);
      prefetch(&model.buses[static_cast<std::size_t>(ahead.to)]);
    }
    const auto& line = model.lines[i];
    const auto from = node_of(network, line.from);
    const auto to = node_of(network, line.to);
    if (!line.in_service || node_alive[static_cast<std::size_t>(from)] == 0 || from == to) continue;
    // Kind and base voltages from the buses (a node's are its buses': switches join buses of one
    // kind and nominal voltage), which come in line order, not from the nodes, which do not.
    const auto& from_bus = model.buses[static_cast<std::size_t>(line.from)];
    const auto& to_bus = model.buses[static_cast<std::size_t>(line.to)];
    network.line_admittance[i] =
        components::line_admittance(line, from_bus.kind,
                                    {network.base_power_va, from_bus.nominal_voltage_v,
                                     to_bus.nominal_voltage_v, model.frequency_hz});
    network.line_active[i] = true;
    ends.push_back({from, to});
    branch_values.push_back(&network.line_admittance[i]);
  }
  network.transformer_admittance.assign(model.transformers.size(), {});
  network.transformer_active.assign(model.transformers.size(), false);
  for (std::size_t i = 0; i < model.transformers.size(); ++i) {
    const auto& transformer = model.transformers[i];
    const auto from = node_of(network, transformer.hv);
    const auto to = node_of(network, transformer.lv);
    if (!transformer.in_service || !alive(network, from) || from == to) continue;
    network.transformer_admittance[i] =
        components::transformer_admittance(transformer, bases_between(network, from, to));
    network.transformer_active[i] = true;
    ends.push_back({from, to});
    branch_values.push_back(&network.transformer_admittance[i]);
  }
  network.y = build_admittance(node_count, ends, branch_values);
  return network;
}

}  // namespace g2g::steady

#include "g2g/steady/network.hpp"

#include "g2g/steady/kinds.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace g2g::steady {

namespace {

// Nodal admittance matrix from the branches' two-port admittances, in compressed rows with the
// diagonal first in each row; parallel branches merge into one entry.
template <typename Ends>
AdmittanceMatrix build_admittance(std::size_t node_count, const std::vector<Ends>& ends,
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

// Each island's voltage reference, found by the topology (a source or a converter): its node's
// role and set-point.
void set_references(const model::ModelSpec& model, Network& network) {
  const auto& topo = network.topology;
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
}

}  // namespace

NetworkBuilder::NetworkBuilder(const model::ModelSpec& model, Network& network)
    : network_(network) {
  const auto node_count = network.nodes.size();
  node_alive_.resize(node_count);
  for (std::size_t n = 0; n < node_count; ++n)
    node_alive_[n] = network.nodes[n].role != NodeRole::dead ? 1 : 0;
  branch_capacity_ = model.lines.size() + model.transformers.size();
}

void NetworkBuilder::add_branch(std::int32_t from, std::int32_t to,
                                const components::BranchAdmittance* admittance) {
  // Reserved on the first branch, not up front: a builder that stamps loads alone
  // (Solver::update_loads) allocates nothing for branches.
  if (ends_.empty()) {
    ends_.reserve(branch_capacity_);
    branch_values_.reserve(branch_capacity_);
  }
  ends_.push_back({from, to});
  branch_values_.push_back(admittance);
}

void NetworkBuilder::finish() {
  network_.y = build_admittance(network_.nodes.size(), ends_, branch_values_);
  // After the branches, so that a model without shunts sums its diagonal as before.
  for (const auto& shunt : shunts_)
    network_.y.value[static_cast<std::size_t>(
        network_.y.diagonal[static_cast<std::size_t>(shunt.node)])] += shunt.admittance_pu;
}

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
  for (std::size_t n = 0; n < node_count; ++n) {
    auto& node = network.nodes[n];
    const bool energised =
        topo.island_energised[static_cast<std::size_t>(topo.islands.island_of_node[n])];
    node.role = !energised ? NodeRole::dead
                           : (node.kind == model::BusKind::ac ? NodeRole::pq : NodeRole::dc);
  }
  set_references(model, network);
  network.p_fixed_pu.assign(node_count, 0.0);
  network.q_fixed_pu.assign(node_count, 0.0);
  network.p_load_pu.assign(node_count, 0.0);
  network.q_load_pu.assign(node_count, 0.0);
  NetworkBuilder builder(model, network);
  for_each_kind([&]<typename Kind>() {
    builder.stamps(Kind::info.type).active.assign(Kind::count(model), false);
    Kind::stamp(model, builder);
  });
  builder.finish();
  return network;
}

void restamp(const model::ModelSpec& model, Network& network,
             const model::ElementKindSet& changed) {
  std::array<std::vector<bool>, element_type_count> active_before;
  for (std::size_t t = 0; t < active_before.size(); ++t)
    active_before[t] = network.stamps[t].active;
  const AdmittanceMatrix y_before = std::move(network.y);
  set_references(model, network);
  std::fill(network.p_fixed_pu.begin(), network.p_fixed_pu.end(), 0.0);
  std::fill(network.q_fixed_pu.begin(), network.q_fixed_pu.end(), 0.0);
  std::fill(network.p_load_pu.begin(), network.p_load_pu.end(), 0.0);
  std::fill(network.q_load_pu.begin(), network.q_load_pu.end(), 0.0);
  network.loads.clear();
  NetworkBuilder builder(model, network);
  for_each_kind([&]<typename Kind>() {
    if (Kind::info.own_stamps && !changed.test(static_cast<std::size_t>(Kind::info.type))) return;
    builder.stamps(Kind::info.type).active.assign(Kind::count(model), false);
    Kind::stamp(model, builder);
  });
  builder.finish();
  bool same = network.y.row_start == y_before.row_start && network.y.column == y_before.column;
  for (std::size_t t = 0; t < network.stamps.size() && same; ++t)
    same = network.stamps[t].active == active_before[t];
  if (!same)
    throw std::logic_error("steady::restamp: the model's shape differs from the network's");
}

}  // namespace g2g::steady

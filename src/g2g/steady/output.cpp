#include "g2g/steady/output.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <map>
#include <numbers>
#include <span>

#include "g2g/steady/kinds.hpp"
#include "g2g/steady/output_context.hpp"

namespace g2g::steady {

namespace {

constexpr double sqrt3 = 1.7320508075688772;

// Voltage levels of all nodes: few distinct ones, met in runs, so a look at the last one and a
// short scan find almost every node's level; a map takes over for models with many levels.
class LevelIndex {
 public:
  std::int32_t of(std::vector<Level>& levels, model::BusKind kind, double nominal_voltage_v) {
    if (last_ >= 0 && same(levels[static_cast<std::size_t>(last_)], kind, nominal_voltage_v))
      return last_;
    if (levels.size() <= short_scan) {
      for (std::size_t l = 0; l < levels.size(); ++l)
        if (same(levels[l], kind, nominal_voltage_v)) return last_ = static_cast<std::int32_t>(l);
    } else {
      const auto it = many_.find({kind, nominal_voltage_v});
      if (it != many_.end()) return last_ = it->second;
    }
    last_ = static_cast<std::int32_t>(levels.size());
    levels.push_back({kind, nominal_voltage_v});
    if (levels.size() > short_scan) {
      if (many_.empty())
        for (std::size_t l = 0; l < levels.size(); ++l)
          many_[{levels[l].kind, levels[l].nominal_voltage_v}] = static_cast<std::int32_t>(l);
      else
        many_[{kind, nominal_voltage_v}] = last_;
    }
    return last_;
  }

 private:
  static constexpr std::size_t short_scan = 16;
  static bool same(const Level& level, model::BusKind kind, double nominal_voltage_v) {
    return level.kind == kind && level.nominal_voltage_v == nominal_voltage_v;
  }
  std::int32_t last_ = -1;
  std::map<std::pair<model::BusKind, double>, std::int32_t> many_;
};

std::vector<LossGroup> sorted_groups(const std::map<std::string, double>& groups) {
  std::vector<LossGroup> out;
  out.reserve(groups.size());
  for (const auto& [name, loss] : groups) out.push_back({name, loss});
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.loss_w > b.loss_w; });
  return out;
}

// A node's state as the buses' results need it (make_results).
struct NodeAt {
  Complex voltage_pu;  // rectangular
  double v_pu = 0.0;
  double angle_rad = 0.0;  // 0 for DC
  std::int32_t balance = -1;
  bool energised = false;
};

}  // namespace

void OutputContext::needs_balance(model::BusIndex bus) {
  const auto n = node_of(network, bus);
  auto& slot = balance_of_node[static_cast<std::size_t>(n)];
  if (slot >= 0 || network.nodes[static_cast<std::size_t>(n)].role == NodeRole::dead) return;
  slot = static_cast<std::int32_t>(balance_node.size());
  balance_node.push_back(n);
}

double OutputContext::terminal_current_a(const BusAt& at, Complex s_pu) const {
  if (at.level < 0) return 0.0;
  const Level& level = levels[static_cast<std::size_t>(at.level)];
  const double v_v = at.v_pu * level.nominal_voltage_v;
  if (v_v <= 0.0) return 0.0;
  // |S| as sqrt(P^2 + Q^2), not std::abs (hypot), which takes several times as long and guards
  // against overflow that per-unit powers never come near; the two differ in the last bit at most.
  const double s_va = std::sqrt(std::norm(s_pu)) * s_base;
  return level.kind == model::BusKind::ac ? s_va / (sqrt3 * v_v)
                                          : std::fabs(s_pu.real()) * s_base / v_v;
}

std::int32_t branch_flows(OutputContext& ctx, ElementResult& r, model::BusIndex from,
                          model::BusIndex to, const components::BranchAdmittance& y) {
  const auto& at_from = ctx.bus_at(from);
  const auto& at_to = ctx.bus_at(to);
  const Complex v_from = at_from.voltage_pu;
  const Complex v_to = at_to.voltage_pu;
  const Complex i_from = y.y_ff * v_from + y.y_ft * v_to;
  const Complex i_to = y.y_tf * v_from + y.y_tt * v_to;
  const Complex s_from = v_from * std::conj(i_from);
  const Complex s_to = v_to * std::conj(i_to);
  r.p_in_w = s_from.real() * ctx.s_base;
  r.q_in_var = s_from.imag() * ctx.s_base;
  r.p_out_w = -s_to.real() * ctx.s_base;
  r.q_out_var = -s_to.imag() * ctx.s_base;
  r.loss_w = r.p_in_w - r.p_out_w;
  r.current_a = ctx.terminal_current_a(at_from, s_from);
  r.current_out_a = ctx.terminal_current_a(at_to, s_to);
  ctx.inject(from, at_from, -s_from, false);
  ctx.inject(to, at_to, -s_to, false);
  return at_from.level;
}

SolveResult make_results(const model::ModelSpec& model, const Network& network, const State& state,
                         std::span<const Complex> ac_voltage_pu) {
  SolveResult result;
  OutputContext ctx(model, network, state, result);
  const std::size_t node_count = network.nodes.size();

  // Nodes whose balance a source or converter closes: only there are the set injections of the
  // other elements needed.
  ctx.balance_of_node.assign(node_count, -1);
  for_each_kind([&]<typename Kind>() {
    if constexpr (MarksBalance<Kind>) Kind::mark_balance(ctx);
  });
  ctx.known_injection.assign(ctx.balance_node.size(), Complex{});
  // Per-bus injections are needed only to find the flows through closed switches.
  if (!model.switches.empty()) ctx.bus_injection.assign(model.buses.size(), Complex{});

  // What the buses need of their nodes, packed per node in one pass in node order, so that the
  // bus loop below (in model order, which is not node order: nodes are numbered breadth-first)
  // gathers one record per bus instead of reading four arrays at scattered places.
  std::vector<NodeAt> node_at(node_count);
  for (std::size_t n = 0; n < node_count; ++n) {
    auto& at = node_at[n];
    const Node& node = network.nodes[n];
    at.energised = node.role != NodeRole::dead;
    if (!at.energised) continue;
    at.v_pu = state.v_pu[n];
    at.balance = ctx.balance_of_node[n];
    if (node.kind == model::BusKind::ac) {
      at.angle_rad = state.angle_rad[n];
      at.voltage_pu = ac_voltage_pu.empty() ? std::polar(at.v_pu, at.angle_rad) : ac_voltage_pu[n];
    } else {
      at.voltage_pu = Complex(at.v_pu, 0.0);
    }
  }
  // Buses: their results, and what the elements need of them.
  result.buses.resize(model.buses.size());
  ctx.buses.resize(model.buses.size());
  LevelIndex level_index;
  std::vector<Violation> bus_violations;
  for (std::size_t b = 0; b < model.buses.size(); ++b) {
    if (b + prefetch_distance < model.buses.size()) {
      const NodeAt* ahead = &node_at[static_cast<std::size_t>(
          node_of(network, static_cast<model::BusIndex>(b + prefetch_distance)))];
      prefetch(ahead);
      prefetch(reinterpret_cast<const char*>(ahead) + sizeof(NodeAt) - 1);
    }
    const auto& bus = model.buses[b];
    const NodeAt& node =
        node_at[static_cast<std::size_t>(node_of(network, static_cast<model::BusIndex>(b)))];
    auto& at = ctx.buses[b];
    auto& r = result.buses[b];
    r.bus = static_cast<model::BusIndex>(b);
    r.energised = node.energised;
    if (!r.energised) continue;  // v_pu, voltage_v and angle_deg stay 0
    at.v_pu = node.v_pu;
    at.voltage_pu = node.voltage_pu;
    at.balance = node.balance;
    at.level = level_index.of(ctx.levels, bus.kind, bus.nominal_voltage_v);
    r.v_pu = node.v_pu;
    r.voltage_v = node.v_pu * bus.nominal_voltage_v;
    r.angle_deg = node.angle_rad * 180.0 / std::numbers::pi;
    // Voltage violations here, while the bus is at hand; they follow the elements' own in the
    // results (appended at the end).
    if (r.v_pu < bus.v_min_pu)
      bus_violations.push_back({ViolationKind::under_voltage, bus.id, r.v_pu, bus.v_min_pu});
    if (r.v_pu > bus.v_max_pu)
      bus_violations.push_back({ViolationKind::over_voltage, bus.id, r.v_pu, bus.v_max_pu});
  }
  node_at = {};

  // Every element's result goes straight to its place: grouped by ElementType (sources, lines,
  // transformers, switches, converters, loads, storage), each group in model order.
  std::array<std::size_t, element_type_count> count_of_type{};
  for_each_kind([&]<typename Kind>() {
    count_of_type[static_cast<std::size_t>(Kind::info.type)] = Kind::count(model);
  });
  std::array<std::size_t, element_type_count + 1> first_of_type{};
  for (std::size_t t = 0; t < element_type_count; ++t)
    first_of_type[t + 1] = first_of_type[t] + count_of_type[t];
  result.elements.resize(first_of_type[element_type_count]);
  auto results_of = [&](ElementType type) {
    const auto t = static_cast<std::size_t>(type);
    return std::span<ElementResult>(result.elements.data() + first_of_type[t], count_of_type[t]);
  };

  // Flows that follow from the state, then the network injection at the nodes whose balance a
  // source or converter closes, then what those close.
  for_each_kind([&]<typename Kind>() { Kind::output(ctx, results_of(Kind::info.type)); });
  auto node_voltage = [&](std::size_t n) {
    return network.nodes[n].kind == model::BusKind::ac
               ? std::polar(state.v_pu[n], state.angle_rad[n])
               : Complex(state.v_pu[n], 0.0);
  };
  ctx.network_injection.resize(ctx.balance_node.size());
  for (std::size_t slot = 0; slot < ctx.balance_node.size(); ++slot) {
    const auto i = static_cast<std::size_t>(ctx.balance_node[slot]);
    Complex current{};
    for (auto k = network.y.row_start[i]; k < network.y.row_start[i + 1]; ++k)
      current +=
          network.y.value[static_cast<std::size_t>(k)] *
          node_voltage(static_cast<std::size_t>(network.y.column[static_cast<std::size_t>(k)]));
    ctx.network_injection[slot] = node_voltage(i) * std::conj(current);
  }
  for_each_kind([&]<typename Kind>() {
    if constexpr (ClosesBalance<Kind>) Kind::close_balance(ctx, results_of(Kind::info.type));
  });

  // Violations: voltages (found in the bus loop), then ratings, by ElementType; the loss total is
  // summed in the same pass over the elements, in their order.
  result.violations.insert(result.violations.end(), std::make_move_iterator(bus_violations.begin()),
                           std::make_move_iterator(bus_violations.end()));
  using IdOf = const std::string& (*)(const model::ModelSpec&, std::size_t);
  std::array<IdOf, element_type_count> id_of{};
  std::array<KindInfo, element_type_count> info_of{};
  for_each_kind([&]<typename Kind>() {
    id_of[static_cast<std::size_t>(Kind::info.type)] = &Kind::id;
    info_of[static_cast<std::size_t>(Kind::info.type)] = Kind::info;
  });
  auto& totals = result.totals;
  for (std::size_t t = 0; t < element_type_count; ++t) {
    const auto results = results_of(static_cast<ElementType>(t));
    if (!info_of[t].rated) {  // loads have no rating: their many results are not scanned
      for (const auto& r : results) totals.loss_w += r.loss_w;
      continue;
    }
    for (const auto& r : results) {
      totals.loss_w += r.loss_w;
      if (r.loading_pct <= 100.0) continue;
      result.violations.push_back({info_of[t].over_rating,
                                   id_of[t](model, static_cast<std::size_t>(r.index)),
                                   r.loading_pct, 100.0});
    }
  }
  totals.efficiency = totals.source_w != 0.0 ? totals.load_w / totals.source_w : 0.0;
  totals.balance_error_w = totals.source_w - totals.load_w - totals.loss_w;
  totals.loss_by_type = sorted_groups(ctx.loss_by_type);
  totals.loss_by_stage = sorted_groups(ctx.loss_by_stage);
  return result;
}

}  // namespace g2g::steady

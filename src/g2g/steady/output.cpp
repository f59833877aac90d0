#include "g2g/steady/output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <span>
#include <tuple>

#include "g2g/core/units.hpp"

namespace g2g::steady {

namespace {

constexpr double sqrt3 = 1.7320508075688772;

struct Context {
  const model::ModelSpec& model;
  const Network& network;
  const State& state;
  double s_base;
  std::vector<Complex> voltage;          // per node, pu
  std::vector<Complex> known_injection;  // per node: what elements with a set power inject, pu
  std::vector<Complex> bus_injection;    // per bus: all element injections, pu (for switches)
};

std::size_t node_index(const Context& ctx, model::BusIndex bus) {
  return static_cast<std::size_t>(node_of(ctx.network, bus));
}

bool energised(const Context& ctx, model::BusIndex bus) {
  return ctx.network.nodes[node_index(ctx, bus)].role != NodeRole::dead;
}

// Magnitude of the terminal current in A for a complex power (pu) at a bus.
double terminal_current_a(const Context& ctx, model::BusIndex bus, Complex s_pu) {
  const auto& node = ctx.network.nodes[node_index(ctx, bus)];
  const double v_v = ctx.state.v_pu[node_index(ctx, bus)] * node.base_voltage_v;
  if (v_v <= 0.0) return 0.0;
  const double s_va = std::abs(s_pu) * ctx.s_base;
  return node.kind == model::BusKind::ac ? s_va / (sqrt3 * v_v)
                                         : std::fabs(s_pu.real()) * ctx.s_base / v_v;
}

void inject(Context& ctx, model::BusIndex bus, Complex s_pu, bool known) {
  if (!ctx.bus_injection.empty()) ctx.bus_injection[static_cast<std::size_t>(bus)] += s_pu;
  if (known) ctx.known_injection[node_index(ctx, bus)] += s_pu;
}

double loading_pct(double value, double rating) {
  return rating > 0.0 ? 100.0 * value / rating : 0.0;
}

// Lines are grouped into stages by system, voltage level and kind ("dc 800 V busbar"); the
// name is formatted once per stage, not once per line.
using LineStageKey = std::tuple<model::BusKind, double, model::LineType>;

std::string line_stage_name(const LineStageKey& key);

std::string line_stage_name(const LineStageKey& key) {
  const auto [kind, voltage_v, type] = key;
  return fmt::format("{} {} {}", model::name(kind),
                     core::format_quantity(voltage_v, core::Dimension::voltage), model::name(type));
}

std::vector<LossGroup> sorted_groups(const std::map<std::string, double>& groups) {
  std::vector<LossGroup> out;
  out.reserve(groups.size());
  for (const auto& [name, loss] : groups) out.push_back({name, loss});
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.loss_w > b.loss_w; });
  return out;
}

// Flows through closed switches follow from the injections of the buses they join: along a
// spanning tree of each group of switched buses, an edge carries its subtree's net injection.
void switch_flows(const Context& ctx, std::span<ElementResult> out) {
  const auto& model = ctx.model;
  const std::size_t bus_count = model.buses.size();
  std::vector<std::vector<std::pair<std::int32_t, std::int32_t>>> adjacent;  // (switch, other bus)
  std::vector<std::int32_t> slot(bus_count, -1);
  std::vector<model::BusIndex> bus_of_slot;
  auto slot_of = [&](model::BusIndex bus) {
    auto& s = slot[static_cast<std::size_t>(bus)];
    if (s < 0) {
      s = static_cast<std::int32_t>(adjacent.size());
      adjacent.emplace_back();
      bus_of_slot.push_back(bus);
    }
    return s;
  };
  for (std::size_t w = 0; w < model.switches.size(); ++w) {
    const auto& sw = model.switches[w];
    if (!sw.closed || sw.from == sw.to) continue;
    const auto a = slot_of(sw.from);
    const auto b = slot_of(sw.to);
    adjacent[static_cast<std::size_t>(a)].emplace_back(static_cast<std::int32_t>(w), sw.to);
    adjacent[static_cast<std::size_t>(b)].emplace_back(static_cast<std::int32_t>(w), sw.from);
  }
  std::vector<bool> visited(adjacent.size(), false);
  std::vector<std::int32_t> order;
  std::vector<std::int32_t> parent_switch(adjacent.size(), -1);
  std::vector<std::int32_t> parent_slot(adjacent.size(), -1);
  std::vector<Complex> subtree(adjacent.size());
  for (std::size_t root = 0; root < adjacent.size(); ++root) {
    if (visited[root]) continue;
    order.clear();
    order.push_back(static_cast<std::int32_t>(root));
    visited[root] = true;
    for (std::size_t head = 0; head < order.size(); ++head) {
      const auto s = static_cast<std::size_t>(order[head]);
      subtree[s] = ctx.bus_injection[static_cast<std::size_t>(bus_of_slot[s])];
      for (const auto& [sw, other] : adjacent[s]) {
        const auto t = static_cast<std::size_t>(slot[static_cast<std::size_t>(other)]);
        if (visited[t]) continue;
        visited[t] = true;
        parent_switch[t] = sw;
        parent_slot[t] = static_cast<std::int32_t>(s);
        order.push_back(static_cast<std::int32_t>(t));
      }
    }
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      const auto s = static_cast<std::size_t>(*it);
      if (parent_switch[s] < 0) continue;
      subtree[static_cast<std::size_t>(parent_slot[s])] += subtree[s];
      const auto& sw = model.switches[static_cast<std::size_t>(parent_switch[s])];
      // Power leaving the child's subtree towards its parent.
      const Complex toward_parent = subtree[s];
      const bool child_is_from = sw.from == bus_of_slot[s];
      const Complex s_in = child_is_from ? toward_parent : -toward_parent;
      auto& r = out[static_cast<std::size_t>(parent_switch[s])];
      r.p_in_w = r.p_out_w = s_in.real() * ctx.s_base;
      r.q_in_var = r.q_out_var = s_in.imag() * ctx.s_base;
      r.current_a = r.current_out_a = terminal_current_a(ctx, sw.from, s_in);
      r.loading_pct = loading_pct(r.current_a, sw.rating_a);
    }
  }
}

}  // namespace

SolveResult make_results(const model::ModelSpec& model, const Network& network,
                         const State& state) {
  SolveResult result;
  Context ctx{model, network, state, network.base_power_va, {}, {}, {}};
  const std::size_t node_count = network.nodes.size();
  ctx.voltage.resize(node_count);
  for (std::size_t i = 0; i < node_count; ++i)
    ctx.voltage[i] = std::polar(state.v_pu[i], state.angle_rad[i]);
  ctx.known_injection.assign(node_count, Complex{});
  // Per-bus injections are needed only to find the flows through closed switches.
  if (!model.switches.empty()) ctx.bus_injection.assign(model.buses.size(), Complex{});
  const double s_base = ctx.s_base;

  // Buses.
  result.buses.resize(model.buses.size());
  for (std::size_t b = 0; b < model.buses.size(); ++b) {
    const auto n = node_index(ctx, static_cast<model::BusIndex>(b));
    auto& r = result.buses[b];
    r.bus = static_cast<model::BusIndex>(b);
    r.energised = network.nodes[n].role != NodeRole::dead;
    r.v_pu = r.energised ? state.v_pu[n] : 0.0;
    r.voltage_v = r.v_pu * model.buses[b].nominal_voltage_v;
    r.angle_deg = r.energised && model.buses[b].kind == model::BusKind::ac
                      ? state.angle_rad[n] * 180.0 / std::numbers::pi
                      : 0.0;
  }

  std::map<std::string, double> by_type;
  std::map<std::string, double> by_stage;
  auto& elements = result.elements;
  // Every element's result goes straight to its place: sources, lines, transformers, switches,
  // converters, loads, storage, each group in model order.
  elements.resize(model.sources.size() + model.lines.size() + model.transformers.size() +
                  model.switches.size() + model.converters.size() + model.loads.size() +
                  model.storage.size());
  std::size_t offset = 0;
  auto group = [&](std::size_t count) {
    const std::span<ElementResult> span(elements.data() + offset, count);
    offset += count;
    return span;
  };
  const auto source_results = group(model.sources.size());
  const auto line_results = group(model.lines.size());
  const auto transformer_results = group(model.transformers.size());
  const auto switch_results = group(model.switches.size());
  const auto converter_results = group(model.converters.size());
  const auto load_results = group(model.loads.size());
  const auto storage_results = group(model.storage.size());

  // Loads (first, so the sources' shares can be computed from what is known).
  for (std::size_t i = 0; i < model.loads.size(); ++i) {
    const auto& load = model.loads[i];
    auto& r = load_results[i];
    r.type = ElementType::load;
    r.index = static_cast<std::int32_t>(i);
    if (!load.in_service || !energised(ctx, load.bus)) continue;
    const auto n = node_index(ctx, load.bus);
    const double f = components::zip_scale(components::zip_fractions(load), state.v_pu[n]).factor;
    const Complex s_pu = Complex(model::nominal_load_power_w(load), load.q_var) * f / s_base;
    r.p_in_w = s_pu.real() * s_base;
    r.q_in_var = s_pu.imag() * s_base;
    r.current_a = terminal_current_a(ctx, load.bus, s_pu);
    inject(ctx, load.bus, -s_pu, true);
    result.totals.load_w += r.p_in_w;
  }

  // Storage.
  for (std::size_t i = 0; i < model.storage.size(); ++i) {
    const auto& storage = model.storage[i];
    auto& r = storage_results[i];
    r.type = ElementType::storage;
    r.index = static_cast<std::int32_t>(i);
    if (!storage.in_service || !energised(ctx, storage.bus)) continue;
    const Complex s_pu = Complex(storage.p_set_w, storage.q_set_var) / s_base;
    if (storage.p_set_w >= 0.0) {
      r.p_out_w = storage.p_set_w;
      r.q_out_var = storage.q_set_var;
      result.totals.source_w += storage.p_set_w;
    } else {
      r.p_in_w = -storage.p_set_w;
      r.q_in_var = -storage.q_set_var;
      result.totals.load_w += -storage.p_set_w;
    }
    r.current_a = terminal_current_a(ctx, storage.bus, s_pu);
    r.loading_pct = loading_pct(std::fabs(storage.p_set_w), storage.rating_w);
    inject(ctx, storage.bus, s_pu, true);
  }

  // Converters.
  std::vector<bool> converter_q_solved(model.converters.size(), false);
  for (std::size_t i = 0; i < model.converters.size(); ++i) {
    const auto& converter = model.converters[i];
    auto& r = converter_results[i];
    r.type = ElementType::converter;
    r.index = static_cast<std::int32_t>(i);
    if (!network.converter_active[i]) continue;
    const auto& link = network.converters[i];
    const bool solved = network.nodes[static_cast<std::size_t>(link.output_node)].converter ==
                        static_cast<std::int32_t>(i);
    const double p_out = solved ? state.converter_p_pu[i] : link.p_set_pu;
    const double p_in = p_out + link.loss.at(p_out * s_base).loss_w / s_base;
    const Complex s_in(p_in, link.q_in_per_p * p_in);
    const bool ac_output =
        model.buses[static_cast<std::size_t>(converter.output)].kind == model::BusKind::ac;
    converter_q_solved[i] = solved && ac_output;
    const Complex s_out(p_out, solved ? 0.0 : link.q_out_per_p * p_out);
    r.p_in_w = s_in.real() * s_base;
    r.q_in_var = s_in.imag() * s_base;
    r.p_out_w = s_out.real() * s_base;
    r.q_out_var = s_out.imag() * s_base;
    r.loss_w = r.p_in_w - r.p_out_w;
    r.current_a = terminal_current_a(ctx, converter.input, s_in);
    r.current_out_a = terminal_current_a(ctx, converter.output, s_out);
    r.loading_pct = loading_pct(std::fabs(r.p_out_w), converter.rating_w);
    inject(ctx, converter.input, -s_in, true);
    // The reactive output of a voltage-setting AC converter follows from its node's balance.
    inject(ctx, converter.output, s_out, !converter_q_solved[i]);
    if (converter_q_solved[i])
      ctx.known_injection[node_index(ctx, converter.output)] += Complex(p_out, 0.0);
    const std::string type_name(model::name(converter.type));
    by_type[type_name] += r.loss_w;
    by_stage[converter.subtype.empty() ? type_name : converter.subtype] += r.loss_w;
  }

  // Lines and transformers.
  auto branch_result = [&](ElementType type, std::int32_t index, model::BusIndex from,
                           model::BusIndex to, const components::BranchAdmittance& y) {
    ElementResult r;
    r.type = type;
    r.index = index;
    const auto f = node_index(ctx, from);
    const auto t = node_index(ctx, to);
    const Complex i_from = y.y_ff * ctx.voltage[f] + y.y_ft * ctx.voltage[t];
    const Complex i_to = y.y_tf * ctx.voltage[f] + y.y_tt * ctx.voltage[t];
    const Complex s_from = ctx.voltage[f] * std::conj(i_from);
    const Complex s_to = ctx.voltage[t] * std::conj(i_to);
    r.p_in_w = s_from.real() * s_base;
    r.q_in_var = s_from.imag() * s_base;
    r.p_out_w = -s_to.real() * s_base;
    r.q_out_var = -s_to.imag() * s_base;
    r.loss_w = r.p_in_w - r.p_out_w;
    r.current_a = terminal_current_a(ctx, from, s_from);
    r.current_out_a = terminal_current_a(ctx, to, s_to);
    inject(ctx, from, -s_from, false);
    inject(ctx, to, -s_to, false);
    return r;
  };
  std::map<LineStageKey, double> line_stage_loss;
  std::array<double, 3> line_type_loss{};
  for (std::size_t i = 0; i < model.lines.size(); ++i) {
    const auto& line = model.lines[i];
    auto& r = line_results[i];
    r.type = ElementType::line;
    r.index = static_cast<std::int32_t>(i);
    if (!network.line_active[i]) continue;
    r = branch_result(ElementType::line, r.index, line.from, line.to, network.line_admittance[i]);
    r.loading_pct = loading_pct(std::max(r.current_a, r.current_out_a), line.ampacity_a);
    line_type_loss[static_cast<std::size_t>(line.type)] += r.loss_w;
    const auto& from_bus = model.buses[static_cast<std::size_t>(line.from)];
    line_stage_loss[{from_bus.kind, from_bus.nominal_voltage_v, line.type}] += r.loss_w;
  }
  for (std::size_t type = 0; type < line_type_loss.size(); ++type)
    if (line_type_loss[type] != 0.0)
      by_type[std::string(model::name(static_cast<model::LineType>(type)))] += line_type_loss[type];
  for (const auto& [key, loss] : line_stage_loss) by_stage[line_stage_name(key)] += loss;
  std::map<std::pair<double, double>, double> transformer_stage_loss;  // by (HV, LV) nominal
  for (std::size_t i = 0; i < model.transformers.size(); ++i) {
    const auto& transformer = model.transformers[i];
    auto& r = transformer_results[i];
    r.type = ElementType::transformer;
    r.index = static_cast<std::int32_t>(i);
    if (!network.transformer_active[i]) continue;
    r = branch_result(ElementType::transformer, r.index, transformer.hv, transformer.lv,
                      network.transformer_admittance[i]);
    const double s_max_va =
        std::max(std::hypot(r.p_in_w, r.q_in_var), std::hypot(r.p_out_w, r.q_out_var));
    r.loading_pct = loading_pct(s_max_va, transformer.rating_va);
    transformer_stage_loss[{
        model.buses[static_cast<std::size_t>(transformer.hv)].nominal_voltage_v,
        model.buses[static_cast<std::size_t>(transformer.lv)].nominal_voltage_v}] += r.loss_w;
  }
  for (const auto& [key, loss] : transformer_stage_loss) {
    by_type["transformer"] += loss;
    by_stage[fmt::format("transformer {}/{}",
                         core::format_quantity(key.first, core::Dimension::voltage),
                         core::format_quantity(key.second, core::Dimension::voltage))] += loss;
  }

  // Network injection at every node: S = V conj(Y V).
  std::vector<Complex> s_net(node_count);
  for (std::size_t i = 0; i < node_count; ++i) {
    Complex current{};
    for (auto k = network.y.row_start[i]; k < network.y.row_start[i + 1]; ++k)
      current +=
          network.y.value[static_cast<std::size_t>(k)] *
          ctx.voltage[static_cast<std::size_t>(network.y.column[static_cast<std::size_t>(k)])];
    s_net[i] = ctx.voltage[i] * std::conj(current);
  }
  // Reactive output of voltage-setting AC converters: what their node needs beyond the rest.
  for (std::size_t i = 0; i < model.converters.size(); ++i) {
    if (!converter_q_solved[i]) continue;
    const auto& converter = model.converters[i];
    const auto n = node_index(ctx, converter.output);
    const double q_pu = s_net[n].imag() - ctx.known_injection[n].imag();
    converter_results[i].q_out_var = q_pu * s_base;
    converter_results[i].current_out_a =
        terminal_current_a(ctx, converter.output, Complex(state.converter_p_pu[i], q_pu));
    inject(ctx, converter.output, Complex(0.0, q_pu), false);
    ctx.known_injection[n] += Complex(0.0, q_pu);
  }

  // Sources: generators deliver their set P; slack sources and generator Q close each node's
  // balance.
  std::vector<int> generators_at_node(node_count, 0);
  for (const auto& source : model.sources)
    if (source.in_service && source.type == model::SourceType::generator &&
        energised(ctx, source.bus))
      ++generators_at_node[node_index(ctx, source.bus)];
  for (std::size_t i = 0; i < model.sources.size(); ++i) {
    const auto& source = model.sources[i];
    if (source.in_service && source.type == model::SourceType::generator &&
        energised(ctx, source.bus))
      ctx.known_injection[node_index(ctx, source.bus)] += Complex(source.p_set_w / s_base, 0.0);
  }
  for (std::size_t i = 0; i < model.sources.size(); ++i) {
    const auto& source = model.sources[i];
    auto& r = source_results[i];
    r.type = ElementType::source;
    r.index = static_cast<std::int32_t>(i);
    if (!source.in_service || !energised(ctx, source.bus)) continue;
    const auto n = node_index(ctx, source.bus);
    const auto role = network.nodes[n].role;
    Complex s_pu;
    if (source.type == model::SourceType::generator) {
      // Generators at a node share the reactive power it needs equally; at a slack node the
      // slack source takes it all.
      const double q_pu = role == NodeRole::pv ? (s_net[n].imag() - ctx.known_injection[n].imag()) /
                                                     generators_at_node[n]
                                               : 0.0;
      s_pu = Complex(source.p_set_w / s_base, q_pu);
    } else {
      s_pu = s_net[n] - ctx.known_injection[n];
    }
    r.p_out_w = s_pu.real() * s_base;
    r.q_out_var = s_pu.imag() * s_base;
    r.current_a = r.current_out_a = terminal_current_a(ctx, source.bus, s_pu);
    r.loading_pct = loading_pct(std::abs(s_pu) * s_base, source.rating_va);
    inject(ctx, source.bus, s_pu, false);
    result.totals.source_w += r.p_out_w;
    if (source.type == model::SourceType::generator &&
        (r.q_out_var < source.q_min_var || r.q_out_var > source.q_max_var))
      result.violations.push_back(
          {ViolationKind::reactive_limit, source.id, r.q_out_var,
           r.q_out_var < source.q_min_var ? source.q_min_var : source.q_max_var});
  }

  for (std::size_t i = 0; i < model.switches.size(); ++i) {
    switch_results[i].type = ElementType::switch_;
    switch_results[i].index = static_cast<std::int32_t>(i);
  }
  switch_flows(ctx, switch_results);

  // Totals.
  auto& totals = result.totals;
  for (const auto& r : elements)
    if (r.type == ElementType::line || r.type == ElementType::transformer ||
        r.type == ElementType::converter)
      totals.loss_w += r.loss_w;
  totals.efficiency = totals.source_w != 0.0 ? totals.load_w / totals.source_w : 0.0;
  totals.balance_error_w = totals.source_w - totals.load_w - totals.loss_w;
  totals.loss_by_type = sorted_groups(by_type);
  totals.loss_by_stage = sorted_groups(by_stage);

  // Violations.
  for (std::size_t b = 0; b < model.buses.size(); ++b) {
    const auto& bus = model.buses[b];
    const auto& r = result.buses[b];
    if (!r.energised) continue;
    if (r.v_pu < bus.v_min_pu)
      result.violations.push_back({ViolationKind::under_voltage, bus.id, r.v_pu, bus.v_min_pu});
    if (r.v_pu > bus.v_max_pu)
      result.violations.push_back({ViolationKind::over_voltage, bus.id, r.v_pu, bus.v_max_pu});
  }
  for (const auto& r : elements) {
    if (r.loading_pct <= 100.0) continue;
    const auto i = static_cast<std::size_t>(r.index);
    switch (r.type) {
      case ElementType::line:
        result.violations.push_back(
            {ViolationKind::ampacity, model.lines[i].id, r.loading_pct, 100.0});
        break;
      case ElementType::transformer:
        result.violations.push_back(
            {ViolationKind::overload, model.transformers[i].id, r.loading_pct, 100.0});
        break;
      case ElementType::converter:
        result.violations.push_back(
            {ViolationKind::overload, model.converters[i].id, r.loading_pct, 100.0});
        break;
      case ElementType::source:
        result.violations.push_back(
            {ViolationKind::overload, model.sources[i].id, r.loading_pct, 100.0});
        break;
      case ElementType::switch_:
        result.violations.push_back(
            {ViolationKind::overload, model.switches[i].id, r.loading_pct, 100.0});
        break;
      case ElementType::storage:
        result.violations.push_back(
            {ViolationKind::overload, model.storage[i].id, r.loading_pct, 100.0});
        break;
      case ElementType::load:
        break;
    }
  }
  return result;
}

}  // namespace g2g::steady

#include "g2g/steady/output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numbers>
#include <span>
#include <string_view>
#include <tuple>

#include "g2g/core/units.hpp"

namespace g2g::steady {

namespace {

constexpr double sqrt3 = 1.7320508075688772;

// A voltage level: the system and nominal voltage shared by every bus of a node. Loss stages
// of lines and transformers are named after it.
struct Level {
  model::BusKind kind;
  double nominal_voltage_v;
};

// What the element loops need of a bus's node, packed in 32 bytes so that each element end costs
// one cache line. Kept per bus, in model order, not per node: elements tend to come in the order
// of their buses (a load after its bus, a line after its far end), while nodes are numbered
// breadth-first, so at 1e6 buses this turns most of the elements' lookups from misses into a
// stream.
struct BusAt {
  Complex voltage_pu;         // rectangular
  double v_pu = 0.0;          // magnitude, exactly as solved
  std::int32_t balance = -1;  // slot of a node whose balance a source or converter closes
  std::int32_t level = -1;    // index into Context::levels; -1 when not energised
};

struct Context {
  const model::ModelSpec& model;
  const Network& network;
  const State& state;
  double s_base;
  std::vector<Level> levels;
  std::vector<BusAt> buses;
  // Per balance slot: what elements with a set power inject there (pu), and the node.
  std::vector<Complex> known_injection;
  std::vector<std::int32_t> balance_node;
  std::vector<Complex> bus_injection;  // per bus: all element injections, pu (for switches)
};

const BusAt& bus_at(const Context& ctx, model::BusIndex bus) {
  return ctx.buses[static_cast<std::size_t>(bus)];
}

// Magnitude of the terminal current in A for a complex power (pu) at a bus.
double terminal_current_a(const Context& ctx, const BusAt& at, Complex s_pu) {
  if (at.level < 0) return 0.0;
  const Level& level = ctx.levels[static_cast<std::size_t>(at.level)];
  const double v_v = at.v_pu * level.nominal_voltage_v;
  if (v_v <= 0.0) return 0.0;
  const double s_va = std::abs(s_pu) * ctx.s_base;
  return level.kind == model::BusKind::ac ? s_va / (sqrt3 * v_v)
                                          : std::fabs(s_pu.real()) * ctx.s_base / v_v;
}

// Records an element's injection: per bus when switch flows are wanted, and, when the element's
// power is set (`known`), at a node whose balance a source or converter closes.
void inject(Context& ctx, model::BusIndex bus, const BusAt& at, Complex s_pu, bool known) {
  if (!ctx.bus_injection.empty()) ctx.bus_injection[static_cast<std::size_t>(bus)] += s_pu;
  if (known && at.balance >= 0) ctx.known_injection[static_cast<std::size_t>(at.balance)] += s_pu;
}

double loading_pct(double value, double rating) {
  return rating > 0.0 ? 100.0 * value / rating : 0.0;
}

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

// Lines are grouped into stages by system, voltage level and kind ("dc 800 V busbar"); the
// name is formatted once per stage, not once per line.
using LineStageKey = std::tuple<model::BusKind, double, model::LineType>;

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
      r.current_a = r.current_out_a = terminal_current_a(ctx, bus_at(ctx, sw.from), s_in);
      r.loading_pct = loading_pct(r.current_a, sw.rating_a);
    }
  }
}

// Whether a converter's output power is solved (it sets its island's voltage).
bool converter_solved(const Network& network, std::size_t converter) {
  return network.nodes[static_cast<std::size_t>(network.converters[converter].output_node)]
             .converter == static_cast<std::int32_t>(converter);
}

bool energised_generator(const model::Source& source, const BusAt& at) {
  return source.in_service && source.type == model::SourceType::generator && at.level >= 0;
}

}  // namespace

SolveResult make_results(const model::ModelSpec& model, const Network& network,
                         const State& state) {
  SolveResult result;
  Context ctx{model, network, state, network.base_power_va, {}, {}, {}, {}, {}};
  const std::size_t node_count = network.nodes.size();
  const double s_base = ctx.s_base;

  // Nodes whose balance a source or converter closes: only there are the set injections of the
  // other elements needed.
  std::vector<std::int32_t> balance_of_node(node_count, -1);
  auto needs_balance = [&](model::BusIndex bus) {
    const auto n = node_of(network, bus);
    auto& slot = balance_of_node[static_cast<std::size_t>(n)];
    if (slot >= 0 || network.nodes[static_cast<std::size_t>(n)].role == NodeRole::dead) return;
    slot = static_cast<std::int32_t>(ctx.balance_node.size());
    ctx.balance_node.push_back(n);
  };
  for (const auto& source : model.sources)
    if (source.in_service) needs_balance(source.bus);
  std::vector<bool> converter_q_solved(model.converters.size(), false);
  for (std::size_t i = 0; i < model.converters.size(); ++i) {
    const auto& converter = model.converters[i];
    // The reactive output of a voltage-setting AC converter follows from its node's balance.
    converter_q_solved[i] =
        network.converter_active[i] && converter_solved(network, i) &&
        model.buses[static_cast<std::size_t>(converter.output)].kind == model::BusKind::ac;
    if (converter_q_solved[i]) needs_balance(converter.output);
  }
  ctx.known_injection.assign(ctx.balance_node.size(), Complex{});
  // Per-bus injections are needed only to find the flows through closed switches.
  if (!model.switches.empty()) ctx.bus_injection.assign(model.buses.size(), Complex{});

  // Buses: their results, and what the elements need of them. One read of each bus's node.
  std::vector<bool> node_energised(node_count);
  for (std::size_t n = 0; n < node_count; ++n)
    node_energised[n] = network.nodes[n].role != NodeRole::dead;
  result.buses.resize(model.buses.size());
  ctx.buses.resize(model.buses.size());
  LevelIndex level_index;
  for (std::size_t b = 0; b < model.buses.size(); ++b) {
    if (b + prefetch_distance < model.buses.size())
      prefetch(&state.v_pu[static_cast<std::size_t>(
          node_of(network, static_cast<model::BusIndex>(b + prefetch_distance)))]);
    const auto& bus = model.buses[b];
    const auto n = static_cast<std::size_t>(node_of(network, static_cast<model::BusIndex>(b)));
    auto& at = ctx.buses[b];
    auto& r = result.buses[b];
    r.bus = static_cast<model::BusIndex>(b);
    r.energised = node_energised[n];
    if (!r.energised) continue;  // v_pu, voltage_v and angle_deg stay 0
    const double v_pu = state.v_pu[n];
    const double angle_rad = bus.kind == model::BusKind::ac ? state.angle_rad[n] : 0.0;
    at.v_pu = v_pu;
    at.voltage_pu =
        bus.kind == model::BusKind::ac ? std::polar(v_pu, angle_rad) : Complex(v_pu, 0.0);
    at.balance = balance_of_node[n];
    at.level = level_index.of(ctx.levels, bus.kind, bus.nominal_voltage_v);
    r.v_pu = v_pu;
    r.voltage_v = v_pu * bus.nominal_voltage_v;
    r.angle_deg = angle_rad * 180.0 / std::numbers::pi;
  }

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
    if (!load.in_service) continue;
    const auto& at = bus_at(ctx, load.bus);
    if (at.level < 0) continue;
    const double f = components::zip_scale(components::zip_fractions(load), at.v_pu).factor;
    const Complex s_pu = Complex(model::nominal_load_power_w(load), load.q_var) * f / s_base;
    r.p_in_w = s_pu.real() * s_base;
    r.q_in_var = s_pu.imag() * s_base;
    r.current_a = terminal_current_a(ctx, at, s_pu);
    inject(ctx, load.bus, at, -s_pu, true);
    result.totals.load_w += r.p_in_w;
  }

  // Storage.
  for (std::size_t i = 0; i < model.storage.size(); ++i) {
    const auto& storage = model.storage[i];
    auto& r = storage_results[i];
    r.type = ElementType::storage;
    r.index = static_cast<std::int32_t>(i);
    if (!storage.in_service) continue;
    const auto& at = bus_at(ctx, storage.bus);
    if (at.level < 0) continue;
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
    r.current_a = terminal_current_a(ctx, at, s_pu);
    r.loading_pct = loading_pct(std::fabs(storage.p_set_w), storage.rating_w);
    inject(ctx, storage.bus, at, s_pu, true);
  }

  // Converters. Losses are summed per type and per stage label here and named once at the end;
  // labels come in runs, so the last one is checked before the map.
  constexpr std::size_t converter_type_count = 4;
  std::array<double, converter_type_count> converter_type_loss{};
  std::array<bool, converter_type_count> converter_type_seen{};
  std::map<std::string_view, double> converter_stage_loss;
  std::string_view last_stage;
  double* last_stage_loss = nullptr;
  for (std::size_t i = 0; i < model.converters.size(); ++i) {
    const auto& converter = model.converters[i];
    auto& r = converter_results[i];
    r.type = ElementType::converter;
    r.index = static_cast<std::int32_t>(i);
    if (!network.converter_active[i]) continue;
    const auto& link = network.converters[i];
    const bool solved = converter_solved(network, i);
    const double p_out = solved ? state.converter_p_pu[i] : link.p_set_pu;
    const double p_in = p_out + link.loss.at(p_out * s_base).loss_w / s_base;
    const Complex s_in(p_in, link.q_in_per_p * p_in);
    const Complex s_out(p_out, solved ? 0.0 : link.q_out_per_p * p_out);
    const auto& at_in = bus_at(ctx, converter.input);
    const auto& at_out = bus_at(ctx, converter.output);
    r.p_in_w = s_in.real() * s_base;
    r.q_in_var = s_in.imag() * s_base;
    r.p_out_w = s_out.real() * s_base;
    r.q_out_var = s_out.imag() * s_base;
    r.loss_w = r.p_in_w - r.p_out_w;
    r.current_a = terminal_current_a(ctx, at_in, s_in);
    r.current_out_a = terminal_current_a(ctx, at_out, s_out);
    r.loading_pct = loading_pct(std::fabs(r.p_out_w), converter.rating_w);
    inject(ctx, converter.input, at_in, -s_in, true);
    // The reactive output of a voltage-setting AC converter follows from its node's balance.
    inject(ctx, converter.output, at_out, s_out, !converter_q_solved[i]);
    if (converter_q_solved[i] && at_out.balance >= 0)
      ctx.known_injection[static_cast<std::size_t>(at_out.balance)] += Complex(p_out, 0.0);
    const auto type = static_cast<std::size_t>(converter.type);
    converter_type_loss[type] += r.loss_w;
    converter_type_seen[type] = true;
    const std::string_view stage = converter.subtype.empty() ? model::name(converter.type)
                                                             : std::string_view(converter.subtype);
    if (last_stage_loss == nullptr || stage != last_stage) {
      last_stage = stage;
      last_stage_loss = &converter_stage_loss[stage];
    }
    *last_stage_loss += r.loss_w;
  }
  std::map<std::string, double> by_type;
  std::map<std::string, double> by_stage;
  for (std::size_t type = 0; type < converter_type_count; ++type)
    if (converter_type_seen[type])
      by_type[std::string(model::name(static_cast<model::ConverterType>(type)))] +=
          converter_type_loss[type];
  for (const auto& [stage, loss] : converter_stage_loss) by_stage[std::string(stage)] += loss;

  // Lines and transformers.
  auto branch_result = [&](ElementResult& r, model::BusIndex from, model::BusIndex to,
                           const components::BranchAdmittance& y) {
    const auto& at_from = bus_at(ctx, from);
    const auto& at_to = bus_at(ctx, to);
    const Complex v_from = at_from.voltage_pu;
    const Complex v_to = at_to.voltage_pu;
    const Complex i_from = y.y_ff * v_from + y.y_ft * v_to;
    const Complex i_to = y.y_tf * v_from + y.y_tt * v_to;
    const Complex s_from = v_from * std::conj(i_from);
    const Complex s_to = v_to * std::conj(i_to);
    r.p_in_w = s_from.real() * s_base;
    r.q_in_var = s_from.imag() * s_base;
    r.p_out_w = -s_to.real() * s_base;
    r.q_out_var = -s_to.imag() * s_base;
    r.loss_w = r.p_in_w - r.p_out_w;
    r.current_a = terminal_current_a(ctx, at_from, s_from);
    r.current_out_a = terminal_current_a(ctx, at_to, s_to);
    inject(ctx, from, at_from, -s_from, false);
    inject(ctx, to, at_to, -s_to, false);
    return at_from.level;
  };
  constexpr std::size_t line_type_count = 4;  // model::LineType values
  std::array<double, line_type_count> line_type_loss{};
  // Per (level of the from node, line type); a line's stage is its from bus's level.
  std::vector<double> line_level_loss(ctx.levels.size() * line_type_count, 0.0);
  std::vector<bool> line_level_used(line_level_loss.size(), false);
  for (std::size_t i = 0; i < model.lines.size(); ++i) {
    if (i + prefetch_distance < model.lines.size())
      prefetch(&ctx.buses[static_cast<std::size_t>(model.lines[i + prefetch_distance].from)]);
    const auto& line = model.lines[i];
    auto& r = line_results[i];
    r.type = ElementType::line;
    r.index = static_cast<std::int32_t>(i);
    if (!network.line_active[i]) continue;
    const auto level = branch_result(r, line.from, line.to, network.line_admittance[i]);
    r.loading_pct = loading_pct(std::max(r.current_a, r.current_out_a), line.ampacity_a);
    const auto type = static_cast<std::size_t>(line.type);
    line_type_loss[type] += r.loss_w;
    const auto slot = static_cast<std::size_t>(level) * line_type_count + type;
    line_level_loss[slot] += r.loss_w;
    line_level_used[slot] = true;
  }
  for (std::size_t type = 0; type < line_type_count; ++type)
    if (line_type_loss[type] != 0.0)
      by_type[std::string(model::name(static_cast<model::LineType>(type)))] += line_type_loss[type];
  std::map<LineStageKey, double> line_stage_loss;
  for (std::size_t slot = 0; slot < line_level_loss.size(); ++slot) {
    if (!line_level_used[slot]) continue;
    const auto& level = ctx.levels[slot / line_type_count];
    line_stage_loss[{level.kind, level.nominal_voltage_v,
                     static_cast<model::LineType>(slot % line_type_count)}] = line_level_loss[slot];
  }
  for (const auto& [key, loss] : line_stage_loss) by_stage[line_stage_name(key)] += loss;
  std::map<std::pair<double, double>, double> transformer_stage_loss;  // by (HV, LV) nominal
  for (std::size_t i = 0; i < model.transformers.size(); ++i) {
    const auto& transformer = model.transformers[i];
    auto& r = transformer_results[i];
    r.type = ElementType::transformer;
    r.index = static_cast<std::int32_t>(i);
    if (!network.transformer_active[i]) continue;
    branch_result(r, transformer.hv, transformer.lv, network.transformer_admittance[i]);
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

  // Network injection S = V conj(Y V), at the nodes whose balance a source or converter closes.
  auto node_voltage = [&](std::size_t n) {
    return network.nodes[n].kind == model::BusKind::ac
               ? std::polar(state.v_pu[n], state.angle_rad[n])
               : Complex(state.v_pu[n], 0.0);
  };
  std::vector<Complex> s_net(ctx.balance_node.size());
  for (std::size_t slot = 0; slot < s_net.size(); ++slot) {
    const auto i = static_cast<std::size_t>(ctx.balance_node[slot]);
    Complex current{};
    for (auto k = network.y.row_start[i]; k < network.y.row_start[i + 1]; ++k)
      current +=
          network.y.value[static_cast<std::size_t>(k)] *
          node_voltage(static_cast<std::size_t>(network.y.column[static_cast<std::size_t>(k)]));
    s_net[slot] = node_voltage(i) * std::conj(current);
  }
  // Reactive output of voltage-setting AC converters: what their node needs beyond the rest.
  for (std::size_t i = 0; i < model.converters.size(); ++i) {
    if (!converter_q_solved[i]) continue;
    const auto& converter = model.converters[i];
    const auto& at = bus_at(ctx, converter.output);
    const auto slot = static_cast<std::size_t>(at.balance);
    const double q_pu = s_net[slot].imag() - ctx.known_injection[slot].imag();
    converter_results[i].q_out_var = q_pu * s_base;
    converter_results[i].current_out_a =
        terminal_current_a(ctx, at, Complex(state.converter_p_pu[i], q_pu));
    inject(ctx, converter.output, at, Complex(0.0, q_pu), false);
    ctx.known_injection[slot] += Complex(0.0, q_pu);
  }

  // Sources: generators deliver their set P; slack sources and generator Q close each node's
  // balance.
  std::vector<int> generators_at_node(ctx.balance_node.size(), 0);
  for (const auto& source : model.sources) {
    const auto& at = bus_at(ctx, source.bus);
    if (energised_generator(source, at)) ++generators_at_node[static_cast<std::size_t>(at.balance)];
  }
  for (const auto& source : model.sources) {
    const auto& at = bus_at(ctx, source.bus);
    if (energised_generator(source, at))
      ctx.known_injection[static_cast<std::size_t>(at.balance)] +=
          Complex(source.p_set_w / s_base, 0.0);
  }
  for (std::size_t i = 0; i < model.sources.size(); ++i) {
    const auto& source = model.sources[i];
    auto& r = source_results[i];
    r.type = ElementType::source;
    r.index = static_cast<std::int32_t>(i);
    if (!source.in_service) continue;
    const auto& at = bus_at(ctx, source.bus);
    if (at.level < 0) continue;
    const auto slot = static_cast<std::size_t>(at.balance);
    const auto role = network.nodes[static_cast<std::size_t>(node_of(network, source.bus))].role;
    Complex s_pu;
    if (source.type == model::SourceType::generator) {
      // Generators at a node share the reactive power it needs equally; at a slack node the
      // slack source takes it all.
      const double q_pu =
          role == NodeRole::pv
              ? (s_net[slot].imag() - ctx.known_injection[slot].imag()) / generators_at_node[slot]
              : 0.0;
      s_pu = Complex(source.p_set_w / s_base, q_pu);
    } else {
      s_pu = s_net[slot] - ctx.known_injection[slot];
    }
    r.p_out_w = s_pu.real() * s_base;
    r.q_out_var = s_pu.imag() * s_base;
    r.current_a = r.current_out_a = terminal_current_a(ctx, at, s_pu);
    r.loading_pct = loading_pct(std::abs(s_pu) * s_base, source.rating_va);
    inject(ctx, source.bus, at, s_pu, false);
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
  for (const auto branches : {line_results, transformer_results, converter_results})
    for (const auto& r : branches) totals.loss_w += r.loss_w;
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
  // Loads have no rating, so their (many) results are not scanned.
  for (const auto rated : {source_results, line_results, transformer_results, switch_results,
                           converter_results, storage_results}) {
    for (const auto& r : rated) {
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
  }
  return result;
}

}  // namespace g2g::steady

// Switches: closed, they join buses into one node (topology::analyse) and add nothing to the
// equations; their flows follow from the injections of the buses they join.
#include <utility>
#include <vector>

#include "g2g/steady/kinds.hpp"
#include "g2g/steady/output_context.hpp"

namespace g2g::steady {

namespace {

// Flows through closed switches follow from the injections of the buses they join: along a
// spanning tree of each group of switched buses, an edge carries its subtree's net injection.
void switch_flows(const OutputContext& ctx, std::span<ElementResult> out) {
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
      r.current_a = r.current_out_a = ctx.terminal_current_a(ctx.bus_at(sw.from), s_in);
      r.loading_pct = loading_pct(r.current_a, sw.rating_a);
    }
  }
}

}  // namespace

void SwitchKind::stamp(const model::ModelSpec& model, NetworkBuilder& builder) {
  auto& active = builder.stamps(info.type).active;
  for (std::size_t i = 0; i < model.switches.size(); ++i)
    active[i] = model.switches[i].closed && model.switches[i].from != model.switches[i].to;
}

void SwitchKind::output(OutputContext& /*ctx*/, std::span<ElementResult> results) {
  for (std::size_t i = 0; i < results.size(); ++i) {
    results[i].type = info.type;
    results[i].index = static_cast<std::int32_t>(i);
  }
}

void SwitchKind::close_balance(OutputContext& ctx, std::span<ElementResult> results) {
  switch_flows(ctx, results);
}

}  // namespace g2g::steady

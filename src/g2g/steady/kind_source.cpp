// Sources: a slack source (grid connection) sets its island's voltage and closes its node's
// balance; a generator delivers a set active power and, at a PV node, the reactive power its
// node needs.
#include <cmath>

#include "g2g/steady/kinds.hpp"
#include "g2g/steady/output_context.hpp"

namespace g2g::steady {

namespace {

bool energised_generator(const model::Source& source, const BusAt& at) {
  return source.in_service && source.type == model::SourceType::generator && at.level >= 0;
}

}  // namespace

void SourceKind::stamp(const model::ModelSpec& model, NetworkBuilder& builder) {
  // The slack role of a source that references its island is set from the topology
  // (steady::assemble); generators fix P, and |V| where no slack does.
  Network& network = builder.network();
  auto& active = builder.stamps(info.type).active;
  const double s_base = builder.base_power_va();
  for (std::size_t i = 0; i < model.sources.size(); ++i) {
    const auto& source = model.sources[i];
    if (!source.in_service) continue;
    const auto n = static_cast<std::size_t>(builder.node_of(source.bus));
    active[i] = network.nodes[n].role != NodeRole::dead;
    if (source.type != model::SourceType::generator || !active[i]) continue;
    network.p_fixed_pu[n] += source.p_set_w / s_base;
    if (network.nodes[n].role == NodeRole::pq) {
      network.nodes[n].role = NodeRole::pv;
      network.nodes[n].v_set_pu = source.v_set_pu;
    }
  }
}

void SourceKind::mark_balance(OutputContext& ctx) {
  for (const auto& source : ctx.model.sources)
    if (source.in_service) ctx.needs_balance(source.bus);
}

void SourceKind::output(OutputContext& /*ctx*/, std::span<ElementResult> /*results*/) {
  // Everything a source delivers follows from its node's balance: close_balance.
}

void SourceKind::close_balance(OutputContext& ctx, std::span<ElementResult> results) {
  const auto& model = ctx.model;
  const double s_base = ctx.s_base;
  // Generators deliver their set P; slack sources and generator Q close each node's balance.
  std::vector<int> generators_at_node(ctx.balance_node.size(), 0);
  for (const auto& source : model.sources) {
    const auto& at = ctx.bus_at(source.bus);
    if (energised_generator(source, at)) ++generators_at_node[static_cast<std::size_t>(at.balance)];
  }
  for (const auto& source : model.sources) {
    const auto& at = ctx.bus_at(source.bus);
    if (energised_generator(source, at))
      ctx.known_injection[static_cast<std::size_t>(at.balance)] +=
          Complex(source.p_set_w / s_base, 0.0);
  }
  for (std::size_t i = 0; i < model.sources.size(); ++i) {
    const auto& source = model.sources[i];
    auto& r = results[i];
    r.type = info.type;
    r.index = static_cast<std::int32_t>(i);
    if (!source.in_service) continue;
    const auto& at = ctx.bus_at(source.bus);
    if (at.level < 0) continue;
    const auto slot = static_cast<std::size_t>(at.balance);
    const auto role =
        ctx.network.nodes[static_cast<std::size_t>(node_of(ctx.network, source.bus))].role;
    const Complex s_net = ctx.network_injection[slot];
    Complex s_pu;
    if (source.type == model::SourceType::generator) {
      // Generators at a node share the reactive power it needs equally; at a slack node the
      // slack source takes it all.
      const double q_pu = role == NodeRole::pv ? (s_net.imag() - ctx.known_injection[slot].imag()) /
                                                     generators_at_node[slot]
                                               : 0.0;
      s_pu = Complex(source.p_set_w / s_base, q_pu);
    } else {
      s_pu = s_net - ctx.known_injection[slot];
    }
    r.p_out_w = s_pu.real() * s_base;
    r.q_out_var = s_pu.imag() * s_base;
    r.current_a = r.current_out_a = ctx.terminal_current_a(at, s_pu);
    r.loading_pct = loading_pct(std::abs(s_pu) * s_base, source.rating_va);
    ctx.inject(source.bus, at, s_pu, false);
    ctx.result.totals.source_w += r.p_out_w;
    if (source.type == model::SourceType::generator &&
        (r.q_out_var < source.q_min_var || r.q_out_var > source.q_max_var))
      ctx.result.violations.push_back(
          {ViolationKind::reactive_limit, source.id, r.q_out_var,
           r.q_out_var < source.q_min_var ? source.q_min_var : source.q_max_var});
  }
}

}  // namespace g2g::steady

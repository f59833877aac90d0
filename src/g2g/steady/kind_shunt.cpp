// Shunt banks: a constant admittance to ground, y = (P_loss + j Q) / V_rated^2, so that the bank
// draws P_loss and supplies Q at its rated voltage and both scale with V^2. The admittance
// matrix carries it, as it carries a line's charging, so it needs no `contribute`.
#include <cmath>

#include "g2g/steady/kinds.hpp"
#include "g2g/steady/output_context.hpp"

namespace g2g::steady {

namespace {

// Per unit on the system base and the node's base voltage.
Complex shunt_admittance_pu(const model::Shunt& shunt, double base_voltage_v, double s_base_va) {
  const double rated_pu =
      shunt.rated_voltage_v > 0.0 ? shunt.rated_voltage_v / base_voltage_v : 1.0;
  return Complex(shunt.loss_w, shunt.q_rated_var) / s_base_va / (rated_pu * rated_pu);
}

}  // namespace

void ShuntKind::stamp(const model::ModelSpec& model, NetworkBuilder& builder) {
  auto& active = builder.stamps(info.type).active;
  for (std::size_t i = 0; i < model.shunts.size(); ++i) {
    const auto& shunt = model.shunts[i];
    if (!shunt.in_service) continue;
    const auto n = builder.node_of(shunt.bus);
    if (!builder.alive(n)) continue;
    active[i] = true;
    const double base_v = builder.network().nodes[static_cast<std::size_t>(n)].base_voltage_v;
    builder.add_shunt(n, shunt_admittance_pu(shunt, base_v, builder.base_power_va()));
  }
}

void ShuntKind::output(OutputContext& ctx, std::span<ElementResult> results) {
  const auto& model = ctx.model;
  const auto& stamps = ctx.network.stamps_of(info.type);
  for (std::size_t i = 0; i < model.shunts.size(); ++i) {
    const auto& shunt = model.shunts[i];
    auto& r = results[i];
    r.type = info.type;
    r.index = static_cast<std::int32_t>(i);
    if (!stamps.active[i]) continue;
    const auto& at = ctx.bus_at(shunt.bus);
    const auto n = ctx.network.topology.nodes.node_of_bus[static_cast<std::size_t>(shunt.bus)];
    const double base_v = ctx.network.nodes[static_cast<std::size_t>(n)].base_voltage_v;
    // Drawn: V conj(y V) = |V|^2 conj(y); a capacitor draws negative reactive power.
    const Complex s_pu =
        at.v_pu * at.v_pu * std::conj(shunt_admittance_pu(shunt, base_v, ctx.s_base));
    r.p_in_w = s_pu.real() * ctx.s_base;
    r.q_in_var = s_pu.imag() * ctx.s_base;
    r.loss_w = r.p_in_w;  // all of it is dissipated
    r.current_a = ctx.terminal_current_a(at, s_pu);
    ctx.inject(shunt.bus, at, -s_pu, false);  // in the admittance matrix: not a set injection
    if (r.loss_w != 0.0) ctx.loss_by_type["shunt"] += r.loss_w;
  }
}

}  // namespace g2g::steady

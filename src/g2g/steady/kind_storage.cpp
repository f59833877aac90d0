// Storage: a set active and reactive power at a bus, positive when discharging.
#include <cmath>

#include "g2g/steady/kinds.hpp"
#include "g2g/steady/output_context.hpp"

namespace g2g::steady {

void StorageKind::stamp(const model::ModelSpec& model, NetworkBuilder& builder) {
  Network& network = builder.network();
  auto& active = builder.stamps(info.type).active;
  const double s_base = builder.base_power_va();
  for (std::size_t i = 0; i < model.storage.size(); ++i) {
    const auto& storage = model.storage[i];
    if (!storage.in_service) continue;
    const auto n = builder.node_of(storage.bus);
    active[i] = builder.alive(n);
    network.p_fixed_pu[static_cast<std::size_t>(n)] += storage.p_set_w / s_base;
    network.q_fixed_pu[static_cast<std::size_t>(n)] += storage.q_set_var / s_base;
  }
}

void StorageKind::output(OutputContext& ctx, std::span<ElementResult> results) {
  const auto& model = ctx.model;
  for (std::size_t i = 0; i < model.storage.size(); ++i) {
    const auto& storage = model.storage[i];
    auto& r = results[i];
    r.type = info.type;
    r.index = static_cast<std::int32_t>(i);
    if (!storage.in_service) continue;
    const auto& at = ctx.bus_at(storage.bus);
    if (at.level < 0) continue;
    const Complex s_pu = Complex(storage.p_set_w, storage.q_set_var) / ctx.s_base;
    if (storage.p_set_w >= 0.0) {
      r.p_out_w = storage.p_set_w;
      r.q_out_var = storage.q_set_var;
      ctx.result.totals.source_w += storage.p_set_w;
    } else {
      r.p_in_w = -storage.p_set_w;
      r.q_in_var = -storage.q_set_var;
      ctx.result.totals.load_w += -storage.p_set_w;
    }
    r.current_a = ctx.terminal_current_a(at, s_pu);
    r.loading_pct = loading_pct(std::fabs(storage.p_set_w), storage.rating_w);
    ctx.inject(storage.bus, at, s_pu, true);
  }
}

}  // namespace g2g::steady

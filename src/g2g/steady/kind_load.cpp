// Loads: constant power, or ZIP (constant impedance, current and power fractions), drawn at a bus.
#include "g2g/components/load.hpp"
#include "g2g/steady/kinds.hpp"
#include "g2g/steady/output_context.hpp"

namespace g2g::steady {

void LoadKind::stamp(const model::ModelSpec& model, NetworkBuilder& builder) {
  Network& network = builder.network();
  auto& active = builder.stamps(info.type).active;
  const double s_base = builder.base_power_va();
  for (std::size_t l = 0; l < model.loads.size(); ++l) {
    if (l + prefetch_distance < model.loads.size()) {
      const auto ahead =
          static_cast<std::size_t>(builder.node_of(model.loads[l + prefetch_distance].bus));
      prefetch(&network.p_load_pu[ahead]);
      prefetch(&network.q_load_pu[ahead]);
    }
    const auto& load = model.loads[l];
    if (!load.in_service) continue;
    const auto n = builder.node_of(load.bus);
    if (!builder.alive(n)) continue;
    active[l] = true;
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

  // Voltage-dependent loads in node order, so that every evaluation walks them along the node
  // arrays instead of jumping about. A stable counting sort: one node's loads keep their order,
  // and so their sum its rounding.
  if (network.loads.empty()) return;  // constant-power loads only
  const std::size_t node_count = network.nodes.size();
  std::vector<std::int32_t> first(node_count + 1, 0);
  for (const auto& load : network.loads) ++first[static_cast<std::size_t>(load.node) + 1];
  for (std::size_t n = 0; n < node_count; ++n) first[n + 1] += first[n];
  std::vector<NodeLoad> sorted(network.loads.size());
  for (const auto& load : network.loads)
    sorted[static_cast<std::size_t>(first[static_cast<std::size_t>(load.node)]++)] = load;
  network.loads = std::move(sorted);
}

// Constant-power loads are in the network's load arrays; only voltage-dependent ones are here.
bool LoadKind::contributes(const Network& network) {
  return !network.loads.empty();
}

void LoadKind::contribute(const Network& network, const State& state, Contribution& c) {
  for (const auto& load : network.loads) {
    const auto i = static_cast<std::size_t>(load.node);
    const components::VoltageScale f = components::zip_scale(load.zip, state.v_pu[i]);
    c.p_spec[i] -= c.load_scale * load.p_pu * f.factor;
    c.q_spec[i] -= c.load_scale * load.q_pu * f.factor;
    c.dp_dv[i] += c.load_scale * load.p_pu * f.dfactor_dv;
    c.dq_dv[i] += c.load_scale * load.q_pu * f.dfactor_dv;
  }
}

void LoadKind::output(OutputContext& ctx, std::span<ElementResult> results) {
  const auto& model = ctx.model;
  for (std::size_t i = 0; i < model.loads.size(); ++i) {
    const auto& load = model.loads[i];
    auto& r = results[i];
    r.type = info.type;
    r.index = static_cast<std::int32_t>(i);
    if (!load.in_service) continue;
    const auto& at = ctx.bus_at(load.bus);
    if (at.level < 0) continue;
    const double f = components::zip_scale(components::zip_fractions(load), at.v_pu).factor;
    const Complex s_pu = Complex(model::nominal_load_power_w(load), load.q_var) * f / ctx.s_base;
    r.p_in_w = s_pu.real() * ctx.s_base;
    r.q_in_var = s_pu.imag() * ctx.s_base;
    r.current_a = ctx.terminal_current_a(at, s_pu);
    ctx.inject(load.bus, at, -s_pu, true);
    ctx.result.totals.load_w += r.p_in_w;
  }
}

}  // namespace g2g::steady

// Transformers: an ideal tap and a series impedance (components/branch.hpp), `redundancy`
// units in parallel.
#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "g2g/components/branch.hpp"
#include "g2g/core/units.hpp"
#include "g2g/steady/kinds.hpp"
#include "g2g/steady/output_context.hpp"

namespace g2g::steady {

void TransformerKind::stamp(const model::ModelSpec& model, NetworkBuilder& builder) {
  auto& stamps = builder.stamps(info.type);
  const Network& network = builder.network();
  stamps.admittance.assign(model.transformers.size(), {});
  for (std::size_t i = 0; i < model.transformers.size(); ++i) {
    const auto& transformer = model.transformers[i];
    const auto from = builder.node_of(transformer.hv);
    const auto to = builder.node_of(transformer.lv);
    if (!transformer.in_service || !builder.alive(from) || from == to) continue;
    const components::BranchBases bases{
        network.base_power_va, network.nodes[static_cast<std::size_t>(from)].base_voltage_v,
        network.nodes[static_cast<std::size_t>(to)].base_voltage_v};
    stamps.admittance[i] = components::transformer_admittance(transformer, bases);
    stamps.active[i] = true;
    builder.add_branch(from, to, &stamps.admittance[i]);
  }
}

void TransformerKind::output(OutputContext& ctx, std::span<ElementResult> results) {
  const auto& model = ctx.model;
  const auto& stamps = ctx.network.stamps_of(info.type);
  std::map<std::pair<double, double>, double> transformer_stage_loss;  // by (HV, LV) nominal
  for (std::size_t i = 0; i < model.transformers.size(); ++i) {
    const auto& transformer = model.transformers[i];
    auto& r = results[i];
    r.type = info.type;
    r.index = static_cast<std::int32_t>(i);
    if (!stamps.active[i]) continue;
    branch_flows(ctx, r, transformer.hv, transformer.lv, stamps.admittance[i]);
    const double s_max_va =
        std::max(std::hypot(r.p_in_w, r.q_in_var), std::hypot(r.p_out_w, r.q_out_var));
    r.loading_pct = loading_pct(s_max_va, transformer.rating_va);
    transformer_stage_loss[{
        model.buses[static_cast<std::size_t>(transformer.hv)].nominal_voltage_v,
        model.buses[static_cast<std::size_t>(transformer.lv)].nominal_voltage_v}] += r.loss_w;
  }
  for (const auto& [key, loss] : transformer_stage_loss) {
    ctx.loss_by_type["transformer"] += loss;
    ctx.loss_by_stage[fmt::format(
        "transformer {}/{}", core::format_quantity(key.first, core::Dimension::voltage),
        core::format_quantity(key.second, core::Dimension::voltage))] += loss;
  }
}

}  // namespace g2g::steady

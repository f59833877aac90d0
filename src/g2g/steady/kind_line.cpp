// Lines (cables, busbars, overhead lines, breakers with an on-resistance): pi-model branches of
// the admittance matrix (components/branch.hpp).
#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "g2g/components/branch.hpp"
#include "g2g/core/units.hpp"
#include "g2g/steady/kinds.hpp"
#include "g2g/steady/output_context.hpp"

namespace g2g::steady {

namespace {

// Lines are grouped into stages by system, voltage level and kind ("dc 800 V busbar"); the
// name is formatted once per stage, not once per line.
using LineStageKey = std::tuple<model::BusKind, double, model::LineType>;

std::string line_stage_name(const LineStageKey& key) {
  const auto [kind, voltage_v, type] = key;
  return fmt::format("{} {} {}", model::name(kind),
                     core::format_quantity(voltage_v, core::Dimension::voltage), model::name(type));
}

}  // namespace

void LineKind::stamp(const model::ModelSpec& model, NetworkBuilder& builder) {
  auto& stamps = builder.stamps(info.type);
  stamps.admittance.assign(model.lines.size(), {});
  for (std::size_t i = 0; i < model.lines.size(); ++i) {
    if (i + prefetch_distance < model.lines.size()) {
      const auto& ahead = model.lines[i + prefetch_distance];
      prefetch(&model.buses[static_cast<std::size_t>(ahead.from)]);
      prefetch(&model.buses[static_cast<std::size_t>(ahead.to)]);
    }
    const auto& line = model.lines[i];
    const auto from = builder.node_of(line.from);
    const auto to = builder.node_of(line.to);
    if (!line.in_service || !builder.alive(from) || from == to) continue;
    // Kind and base voltages from the buses (a node's are its buses': switches join buses of one
    // kind and nominal voltage), which come in line order, not from the nodes, which do not.
    const auto& from_bus = model.buses[static_cast<std::size_t>(line.from)];
    const auto& to_bus = model.buses[static_cast<std::size_t>(line.to)];
    stamps.admittance[i] =
        components::line_admittance(line, from_bus.kind,
                                    {builder.base_power_va(), from_bus.nominal_voltage_v,
                                     to_bus.nominal_voltage_v, model.frequency_hz});
    stamps.active[i] = true;
    builder.add_branch(from, to, &stamps.admittance[i]);
  }
}

void LineKind::output(OutputContext& ctx, std::span<ElementResult> results) {
  const auto& model = ctx.model;
  const auto& stamps = ctx.network.stamps_of(info.type);
  constexpr std::size_t line_type_count = 4;  // model::LineType values
  std::array<double, line_type_count> line_type_loss{};
  // Per (level of the from node, line type); a line's stage is its from bus's level.
  std::vector<double> line_level_loss(ctx.levels.size() * line_type_count, 0.0);
  std::vector<bool> line_level_used(line_level_loss.size(), false);
  for (std::size_t i = 0; i < model.lines.size(); ++i) {
    if (i + prefetch_distance < model.lines.size())
      prefetch(&ctx.buses[static_cast<std::size_t>(model.lines[i + prefetch_distance].from)]);
    const auto& line = model.lines[i];
    auto& r = results[i];
    r.type = info.type;
    r.index = static_cast<std::int32_t>(i);
    if (!stamps.active[i]) continue;
    const auto level = branch_flows(ctx, r, line.from, line.to, stamps.admittance[i]);
    r.loading_pct = loading_pct(std::max(r.current_a, r.current_out_a), line.ampacity_a);
    const auto type = static_cast<std::size_t>(line.type);
    line_type_loss[type] += r.loss_w;
    const auto slot = static_cast<std::size_t>(level) * line_type_count + type;
    line_level_loss[slot] += r.loss_w;
    line_level_used[slot] = true;
  }
  for (std::size_t type = 0; type < line_type_count; ++type)
    if (line_type_loss[type] != 0.0)
      ctx.loss_by_type[std::string(model::name(static_cast<model::LineType>(type)))] +=
          line_type_loss[type];
  std::map<LineStageKey, double> line_stage_loss;
  for (std::size_t slot = 0; slot < line_level_loss.size(); ++slot) {
    if (!line_level_used[slot]) continue;
    const auto& level = ctx.levels[slot / line_type_count];
    line_stage_loss[{level.kind, level.nominal_voltage_v,
                     static_cast<model::LineType>(slot % line_type_count)}] = line_level_loss[slot];
  }
  for (const auto& [key, loss] : line_stage_loss) ctx.loss_by_stage[line_stage_name(key)] += loss;
}

}  // namespace g2g::steady

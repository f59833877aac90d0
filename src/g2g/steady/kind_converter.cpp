// Converters: a power transfer between two buses (AC or DC on either side) with a loss from its
// efficiency curve; either it sets its output island's voltage (its output power is then an
// unknown of the network equations) or it delivers a set power.
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string_view>

#include "g2g/components/converter_loss.hpp"
#include "g2g/steady/kinds.hpp"
#include "g2g/steady/output_context.hpp"

namespace g2g::steady {

namespace {

double reactive_per_active(double power_factor) {
  if (power_factor >= 1.0 || power_factor <= 0.0) return 0.0;
  return std::tan(std::acos(power_factor));
}

// The reactive output of a voltage-setting AC converter follows from its node's balance.
bool reactive_output_solved(const OutputContext& ctx, std::size_t i) {
  const auto& converter = ctx.model.converters[i];
  return ctx.network.active(ElementType::converter, i) && converter_solved(ctx.network, i) &&
         ctx.model.buses[static_cast<std::size_t>(converter.output)].kind == model::BusKind::ac;
}

}  // namespace

void ConverterKind::stamp(const model::ModelSpec& model, NetworkBuilder& builder) {
  Network& network = builder.network();
  auto& active = builder.stamps(info.type).active;
  const double s_base = builder.base_power_va();
  network.converters.clear();  // own_stamps: a restamp starts afresh
  network.converters.reserve(model.converters.size());
  for (std::size_t c = 0; c < model.converters.size(); ++c) {
    const auto& converter = model.converters[c];
    const auto in = builder.node_of(converter.input);
    const auto out = builder.node_of(converter.output);
    const bool voltage_control = converter.control == model::ConverterControl::voltage;
    ConverterLink link{
        in,
        out,
        voltage_control,
        converter.p_set_w / s_base,
        model.buses[static_cast<std::size_t>(converter.output)].kind == model::BusKind::ac
            ? reactive_per_active(converter.output_power_factor)
            : 0.0,
        model.buses[static_cast<std::size_t>(converter.input)].kind == model::BusKind::ac
            ? reactive_per_active(converter.input_power_factor)
            : 0.0,
        components::EfficiencyCurveLoss(converter.efficiency, model::installed_rating_w(converter),
                                        converter.standby_loss_w)};
    active[c] = converter.in_service && builder.alive(in) && builder.alive(out);
    network.converters.push_back(std::move(link));
  }
}

bool ConverterKind::contributes(const Network& network) {
  const auto& active = network.stamps_of(info.type).active;
  return std::find(active.begin(), active.end(), true) != active.end();
}

void ConverterKind::contribute(const Network& network, const State& state, Contribution& c) {
  const double s_base = network.base_power_va;
  const auto& active = network.stamps_of(info.type).active;
  for (std::size_t k = 0; k < network.converters.size(); ++k) {
    if (!active[k]) continue;
    const auto& link = network.converters[k];
    const bool solved = c.converter_column[k] >= 0;
    const double p_out = solved ? state.converter_p_pu[k] : link.p_set_pu;
    const components::LossAt loss = link.loss.at(p_out * s_base);
    const double p_in = p_out + loss.loss_w / s_base;
    const auto in = static_cast<std::size_t>(link.input_node);
    const auto out = static_cast<std::size_t>(link.output_node);
    c.p_spec[in] -= p_in;
    c.q_spec[in] -= link.q_in_per_p * p_in;
    c.p_spec[out] += p_out;
    if (!solved) c.q_spec[out] += link.q_out_per_p * p_out;
    if (c.with_jacobian && solved) {
      const auto& pos = c.converter_position[k];
      const double dpin = 1.0 + loss.dloss_dp;
      if (pos[0] >= 0) c.jacobian[static_cast<std::size_t>(pos[0])] = dpin;
      if (pos[1] >= 0) c.jacobian[static_cast<std::size_t>(pos[1])] = link.q_in_per_p * dpin;
      // dF_P,out/dp = -1; input and output in one node share the entry.
      if (pos[2] >= 0)
        c.jacobian[static_cast<std::size_t>(pos[2])] = (pos[2] == pos[0] ? dpin : 0.0) - 1.0;
    }
  }
}

void ConverterKind::mark_balance(OutputContext& ctx) {
  for (std::size_t i = 0; i < ctx.model.converters.size(); ++i)
    if (reactive_output_solved(ctx, i)) ctx.needs_balance(ctx.model.converters[i].output);
}

void ConverterKind::output(OutputContext& ctx, std::span<ElementResult> results) {
  const auto& model = ctx.model;
  const auto& network = ctx.network;
  const auto& state = ctx.state;
  const double s_base = ctx.s_base;
  // Losses are summed per type and per stage label here and named once at the end; labels come
  // in runs, so the last one is checked before the map.
  constexpr std::size_t converter_type_count = 4;
  std::array<double, converter_type_count> converter_type_loss{};
  std::array<bool, converter_type_count> converter_type_seen{};
  std::map<std::string_view, double> converter_stage_loss;
  std::string_view last_stage;
  double* last_stage_loss = nullptr;
  for (std::size_t i = 0; i < model.converters.size(); ++i) {
    const auto& converter = model.converters[i];
    auto& r = results[i];
    r.type = info.type;
    r.index = static_cast<std::int32_t>(i);
    if (!network.active(info.type, i)) continue;
    const auto& link = network.converters[i];
    const bool solved = converter_solved(network, i);
    const bool q_solved = reactive_output_solved(ctx, i);
    const double p_out = solved ? state.converter_p_pu[i] : link.p_set_pu;
    const double p_in = p_out + link.loss.at(p_out * s_base).loss_w / s_base;
    const Complex s_in(p_in, link.q_in_per_p * p_in);
    const Complex s_out(p_out, solved ? 0.0 : link.q_out_per_p * p_out);
    const auto& at_in = ctx.bus_at(converter.input);
    const auto& at_out = ctx.bus_at(converter.output);
    r.p_in_w = s_in.real() * s_base;
    r.q_in_var = s_in.imag() * s_base;
    r.p_out_w = s_out.real() * s_base;
    r.q_out_var = s_out.imag() * s_base;
    r.loss_w = r.p_in_w - r.p_out_w;
    r.current_a = ctx.terminal_current_a(at_in, s_in);
    r.current_out_a = ctx.terminal_current_a(at_out, s_out);
    r.loading_pct = loading_pct(std::fabs(r.p_out_w), converter.rating_w);
    ctx.inject(converter.input, at_in, -s_in, true);
    ctx.inject(converter.output, at_out, s_out, !q_solved);
    if (q_solved && at_out.balance >= 0)
      ctx.known_injection[static_cast<std::size_t>(at_out.balance)] += Complex(p_out, 0.0);
    const auto type = static_cast<std::size_t>(converter.type);
    converter_type_loss[type] += r.loss_w;
    converter_type_seen[type] = true;
    const std::string_view stage = converter.subtype == model::ConverterSubtype::none
                                       ? model::name(converter.type)
                                       : model::name(converter.subtype);
    if (last_stage_loss == nullptr || stage != last_stage) {
      last_stage = stage;
      last_stage_loss = &converter_stage_loss[stage];
    }
    *last_stage_loss += r.loss_w;
  }
  for (std::size_t type = 0; type < converter_type_count; ++type)
    if (converter_type_seen[type])
      ctx.loss_by_type[std::string(model::name(static_cast<model::ConverterType>(type)))] +=
          converter_type_loss[type];
  for (const auto& [stage, loss] : converter_stage_loss)
    ctx.loss_by_stage[std::string(stage)] += loss;
}

void ConverterKind::close_balance(OutputContext& ctx, std::span<ElementResult> results) {
  // Reactive output of voltage-setting AC converters: what their node needs beyond the rest.
  for (std::size_t i = 0; i < ctx.model.converters.size(); ++i) {
    if (!reactive_output_solved(ctx, i)) continue;
    const auto& converter = ctx.model.converters[i];
    const auto& at = ctx.bus_at(converter.output);
    const auto slot = static_cast<std::size_t>(at.balance);
    const double q_pu = ctx.network_injection[slot].imag() - ctx.known_injection[slot].imag();
    results[i].q_out_var = q_pu * ctx.s_base;
    results[i].current_out_a =
        ctx.terminal_current_a(at, Complex(ctx.state.converter_p_pu[i], q_pu));
    ctx.inject(converter.output, at, Complex(0.0, q_pu), false);
    ctx.known_injection[slot] += Complex(0.0, q_pu);
  }
}

}  // namespace g2g::steady

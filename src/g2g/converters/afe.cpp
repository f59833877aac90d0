// Three-phase active front end (boost rectifier) at unity power factor: two-level, or three-level
// T-type (outer switches to the DC rails, a back-to-back inner pair to the DC midpoint), with
// space-vector modulation as min-max zero-sequence injection (docs/converters.md § Active front
// end).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <span>

#include "g2g/converters/converter.hpp"
#include "g2g/converters/detail.hpp"
#include "g2g/converters/line_cycle.hpp"
#include "g2g/converters/pfc_waveforms.hpp"

namespace g2g::converters {
namespace {

// The fraction `share` of a line-cycle accumulation (a device switching in one half period
// only, or in both with two roles).
void add_share(detail::LineCycleSwitch& into, const detail::LineCycleSwitch& from,
               double share) noexcept {
  into.f_sw_hz = std::max(into.f_sw_hz, from.f_sw_hz);
  into.v_block_v = std::max(into.v_block_v, from.v_block_v);
  into.loss.turn_on_w += share * from.loss.turn_on_w;
  into.loss.turn_off_w += share * from.loss.turn_off_w;
  into.loss.oss_w += share * from.loss.oss_w;
  into.loss.reverse_recovery_w += share * from.loss.reverse_recovery_w;
  into.loss.dead_time_w += share * from.loss.dead_time_w;
  into.loss.gate_w += share * from.loss.gate_w;
  into.i_on_max_a = std::max(into.i_on_max_a, from.i_on_max_a);
  into.i_off_max_a = std::max(into.i_off_max_a, from.i_off_max_a);
  into.hard_on_seen = into.hard_on_seen || from.hard_on_seen;
}

void check_rating(ConverterResult& result, std::string_view position, const devices::Device& d,
                  double v_block_v) {
  if (d.v_ds_max_v > 0.0 && v_block_v > d.v_ds_max_v)
    result.warnings.push_back(fmt::format("{} ({}): blocks {:.0f} V, above its {:.0f} V rating",
                                          position, d.name, v_block_v, d.v_ds_max_v));
}

ConverterResult evaluate_at(const ConverterDesign& design, const OperatingPoint& point,
                            double p_in_w, const devices::Device& outer,
                            const devices::Device& inner, const magnetics::CoreMaterial* material,
                            int points) {
  const bool three_level = design.topology == Topology::afe_3level;
  const double f = design.f_sw_hz;
  const double v_dc = point.v_out_v;
  const double v_step = three_level ? 0.5 * v_dc : v_dc;
  const int p = design.parallel;
  const int p_inner = detail::secondary_parallel(design);
  const waveforms::AfeWaveforms w = waveforms::afe_waveforms(
      point.v_in_v, v_dc, p_in_w, point.p_out_w, three_level, waveforms::Modulation::space_vector,
      design.inductor.inductance_h, f, points);

  ConverterResult result = detail::start_result(point, 2);
  detail::LineCycleSwitch active;  // over the half period of positive current
  detail::LineCycleSwitch passive;
  const std::span<const waveforms::BoostCell> cells =
      std::span(w.cells).first(static_cast<std::size_t>(w.points));
  const double weight = 1.0 / w.points;
  // 2-level: active = bottom switch, passive = top (both the same part). 3-level: active = the
  // inner pair's switching device, passive = the outer top switch, at V_dc/2.
  const devices::Device& act = three_level ? inner : outer;
  const int p_act = three_level ? p_inner : p;
  // Per device of each position (the two positions may have different parallel counts).
  const detail::CellContext active_context(v_step, act, outer, f, design.t_dead_s, p_act);
  const detail::CellContext passive_context(v_step, act, outer, f, design.t_dead_s, p);
  for (const waveforms::BoostCell& cell : cells) {
    const detail::CellStresses sa = active_context.at(cell);
    const detail::CellStresses sp = p_act == p ? sa : passive_context.at(cell);
    detail::accumulate(active, act, sa.active, design.gate, weight);
    detail::accumulate(passive, outer, sp.passive, design.gate, weight);
  }

  if (three_level) {
    // Outer switches (6): each the synchronous rectifier of its half period (P-O or N-O), off in
    // the other. Inner devices (6): each switches (active) in one half period and stays on in
    // the other; both carry the midpoint current in both halves.
    detail::LineCycleSwitch outer_device;
    add_share(outer_device, passive, 0.5);
    outer_device.v_block_v = v_dc;  // blocks the whole link when the leg is at the other rail
    outer_device.ms_a2 = w.i_rms_outer_a * w.i_rms_outer_a / (double(p) * p);
    detail::LineCycleSwitch inner_device;
    add_share(inner_device, active, 0.5);
    inner_device.ms_a2 = w.i_rms_inner_a * w.i_rms_inner_a / (double(p_inner) * p_inner);
    detail::add_line_cycle_switch(result, design, "outer switch", outer, 6 * p, outer_device);
    detail::add_line_cycle_switch(result, design, "inner switch", inner, 6 * p_inner, inner_device);
    check_rating(result, "outer switch", outer, v_dc);
    check_rating(result, "inner switch", inner, 0.5 * v_dc);
  } else {
    detail::LineCycleSwitch device;
    add_share(device, active, 0.5);
    add_share(device, passive, 0.5);
    device.ms_a2 = w.i_rms_outer_a * w.i_rms_outer_a / (double(p) * p);
    detail::add_line_cycle_switch(result, design, "leg switch", outer, 6 * p, device);
    check_rating(result, "leg switch", outer, v_dc);
  }
  result.zvs_all = !active.hard_on_seen;

  const detail::InductorLoss inductor = detail::inductor_loss(
      design, material, cells, v_step, w.i_phase_rms_a, w.ripple_harmonic_rms_a);
  result.loss.core_w = 3.0 * inductor.core_w;
  result.loss.winding_w = 3.0 * inductor.winding_w;
  // 3-level: each half of the split link carries i_cap_rms through half the bank's ESR.
  result.loss.capacitor_w = magnetics::capacitor_loss_w(w.i_cap_rms_a, design.capacitor_esr_ohm);
  result.magnetics_volume_m3 = 3.0 * design.inductor.core_volume_m3;
  detail::warn_if_inductor_saturates(result, design, material, w.i_peak_max_a);
  detail::finish(result, design);
  return result;
}

}  // namespace

ConverterResult evaluate_afe(const ConverterDesign& design, const Library& library,
                             const OperatingPoint& point) {
  detail::check_design_and_point(design, point);
  if (design.phases != 1)
    throw DesignError(design.name, "phases",
                      fmt::format("design '{}': {} with phases = {}", design.name,
                                  name(design.topology), design.phases),
                      "phases: 1; devices in parallel go in 'parallel'/'secondary_parallel', "
                      "interleaved legs are not modelled");
  detail::require_inductance(design, design.inductor.inductance_h, "inductor.inductance",
                             "give the boost inductance per phase");
  // Linear modulation with the min-max zero sequence: V_dc >= sqrt(2) V_LL.
  const double v_dc_min = std::sqrt(2.0) * point.v_in_v;
  if (!(point.v_out_v >= v_dc_min))
    throw DesignError(design.name, "v_out",
                      fmt::format("design '{}': {:g} V DC is below the {:.0f} V a {:g} V "
                                  "line-to-line three-phase boost rectifier needs (sqrt(2) V_LL, "
                                  "space-vector modulation)",
                                  design.name, point.v_out_v, v_dc_min, point.v_in_v),
                      "a higher DC-link voltage or a lower line voltage");
  const devices::Device& outer =
      detail::require_device(design, library, design.primary_device, "primary_device");
  const devices::Device& inner = detail::secondary_device(design, library);
  const magnetics::CoreMaterial* material =
      detail::material_of(design, library, design.inductor, "inductor");
  // P_in = P_out + losses sets the line current: coarse first pass, then the full one (pfc.cpp).
  const ConverterResult first = evaluate_at(design, point, point.p_out_w, outer, inner, material,
                                            waveforms::coarse_line_cycle_points);
  return evaluate_at(design, point, first.p_in_w, outer, inner, material,
                     waveforms::line_cycle_points);
}

}  // namespace g2g::converters

// Bridgeless totem-pole PFC, continuous conduction, single phase, `phases` interleaved fast legs
// sharing one line-frequency (slow) leg (docs/converters.md § Totem-pole PFC).
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

// Each fast-leg device is the active switch for one half line cycle and the synchronous
// rectifier for the other; the halves are mirror images, so its average is half of each.
detail::LineCycleSwitch half_and_half(const detail::LineCycleSwitch& a,
                                      const detail::LineCycleSwitch& b) noexcept {
  detail::LineCycleSwitch s;
  s.f_sw_hz = std::max(a.f_sw_hz, b.f_sw_hz);
  s.v_block_v = std::max(a.v_block_v, b.v_block_v);
  s.loss.turn_on_w = 0.5 * (a.loss.turn_on_w + b.loss.turn_on_w);
  s.loss.turn_off_w = 0.5 * (a.loss.turn_off_w + b.loss.turn_off_w);
  s.loss.oss_w = 0.5 * (a.loss.oss_w + b.loss.oss_w);
  s.loss.reverse_recovery_w = 0.5 * (a.loss.reverse_recovery_w + b.loss.reverse_recovery_w);
  s.loss.dead_time_w = 0.5 * (a.loss.dead_time_w + b.loss.dead_time_w);
  s.loss.gate_w = 0.5 * (a.loss.gate_w + b.loss.gate_w);
  s.i_on_max_a = std::max(a.i_on_max_a, b.i_on_max_a);
  s.i_off_max_a = std::max(a.i_off_max_a, b.i_off_max_a);
  s.hard_on_seen = a.hard_on_seen || b.hard_on_seen;
  return s;
}

void check_rating(ConverterResult& result, std::string_view position, const devices::Device& d,
                  double v_block_v) {
  if (d.v_ds_max_v > 0.0 && v_block_v > d.v_ds_max_v)
    result.warnings.push_back(fmt::format("{} ({}): blocks {:.0f} V, above its {:.0f} V rating",
                                          position, d.name, v_block_v, d.v_ds_max_v));
}

ConverterResult evaluate_at(const ConverterDesign& design, const OperatingPoint& point,
                            double p_in_w, const devices::Device& fast, const devices::Device& slow,
                            const magnetics::CoreMaterial* material, int points) {
  const double f = design.f_sw_hz;
  const double v_dc = point.v_out_v;
  const int p = design.parallel;
  const int p_slow = detail::secondary_parallel(design);
  const waveforms::PfcWaveforms w =
      waveforms::pfc_waveforms(point.v_in_v, v_dc, p_in_w, point.p_out_w, design.phases,
                               design.inductor.inductance_h, f, points);

  ConverterResult result = detail::start_result(point, 2);
  // Fast leg: the line-cycle samples of the cell through the device model.
  detail::LineCycleSwitch active;
  detail::LineCycleSwitch passive;
  const std::span<const waveforms::BoostCell> cells =
      std::span(w.cells).first(static_cast<std::size_t>(w.points));
  const double weight = 1.0 / w.points;
  const detail::CellContext context(v_dc, fast, fast, f, design.t_dead_s, p);
  for (const waveforms::BoostCell& cell : cells) {
    const detail::CellStresses s = context.at(cell);
    detail::accumulate(active, fast, s.active, design.gate, weight);
    detail::accumulate(passive, fast, s.passive, design.gate, weight);
  }
  detail::LineCycleSwitch fast_device = half_and_half(active, passive);
  fast_device.ms_a2 = w.i_rms_fast_device_a * w.i_rms_fast_device_a / (double(p) * p);
  detail::add_line_cycle_switch(result, design, "fast leg", fast, 2 * design.phases * p,
                                fast_device);
  check_rating(result, "fast leg", fast, v_dc);
  // Slow leg: line-frequency rectifier, each device conducting the whole line current for one
  // half cycle (channel on); its two transitions per line period at zero voltage and current
  // are not counted.
  detail::LineCycleSwitch slow_device;
  slow_device.v_block_v = v_dc;
  slow_device.ms_a2 = w.i_rms_slow_device_a * w.i_rms_slow_device_a / (double(p_slow) * p_slow);
  detail::add_line_cycle_switch(result, design, "slow leg", slow, 2 * p_slow, slow_device);
  check_rating(result, "slow leg", slow, v_dc);
  // A fully soft-switched design (TCM-like ripple): every active turn-on at zero voltage.
  result.zvs_all = !active.hard_on_seen;

  const detail::InductorLoss inductor = detail::inductor_loss(
      design, material, cells, v_dc, w.i_phase_rms_a, w.ripple_harmonic_rms_a);
  const double phases = design.phases;
  result.loss.core_w = phases * inductor.core_w;
  result.loss.winding_w = phases * inductor.winding_w;
  result.loss.capacitor_w = magnetics::capacitor_loss_w(w.i_cap_rms_a, design.capacitor_esr_ohm);
  result.magnetics_volume_m3 = phases * design.inductor.core_volume_m3;
  detail::warn_if_inductor_saturates(result, design, material, w.i_peak_max_a);
  detail::finish(result, design);
  return result;
}

}  // namespace

ConverterResult evaluate_totem_pole_pfc(const ConverterDesign& design, const Library& library,
                                        const OperatingPoint& point) {
  detail::check_design_and_point(design, point);
  const double v_peak = std::sqrt(2.0) * point.v_in_v;
  if (!(point.v_out_v > v_peak))
    throw DesignError(design.name, "v_out",
                      fmt::format("design '{}': a boost PFC cannot deliver {:g} V DC from a {:g} "
                                  "V RMS line (peak {:.0f} V)",
                                  design.name, point.v_out_v, point.v_in_v, v_peak),
                      "a DC-link voltage above the line peak");
  detail::require_inductance(design, design.inductor.inductance_h, "inductor.inductance",
                             "give the boost inductance per phase");
  const devices::Device& fast =
      detail::require_device(design, library, design.primary_device, "primary_device");
  const devices::Device& slow = detail::secondary_device(design, library);
  const magnetics::CoreMaterial* material =
      detail::material_of(design, library, design.inductor, "inductor");

  // The line current carries the input power, P_out + losses: a coarse first pass estimates the
  // losses, the full pass runs at P_in = P_out + that estimate (its loss then differs from a
  // converged one by about the loss fraction times the estimate's error: < 10^-4 of P).
  const ConverterResult first = evaluate_at(design, point, point.p_out_w, fast, slow, material,
                                            waveforms::coarse_line_cycle_points);
  return evaluate_at(design, point, first.p_in_w, fast, slow, material,
                     waveforms::line_cycle_points);
}

}  // namespace g2g::converters

// Line-cycle averaging of device and inductor losses for pfc.cpp and afe.cpp (line_cycle.hpp).
#include "g2g/converters/line_cycle.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "g2g/converters/detail.hpp"
#include "g2g/devices/thermal.hpp"

namespace g2g::converters::detail {

CellContext::CellContext(double v_step_v, const devices::Device& active,
                         const devices::Device& passive, double f_sw_hz, double t_dead_s,
                         int parallel) noexcept
    : t_dead_s_(t_dead_s), parallel_(std::max(parallel, 1)) {
  active_.v_block_v = v_step_v;
  active_ = devices::with_partner(active_, passive);
  active_.f_sw_hz = f_sw_hz;
  passive_.v_block_v = v_step_v;
  passive_ = devices::with_partner(passive_, active);
  passive_.f_sw_hz = f_sw_hz;
  // devices::zvs_check and residual_dead_time_s: the swing moves 2 Q_OSS(v).
  zvs_charge_active_c_ = devices::zvs_check(active, v_step_v, 1.0, 0.0).charge_needed_c;
  zvs_charge_passive_c_ = 2.0 * devices::q_oss_c(passive, v_step_v);
}

CellStresses CellContext::at(const waveforms::BoostCell& cell) const noexcept {
  const double peak = cell.i_peak_a / parallel_;
  const double valley = cell.i_valley_a / parallel_;
  CellStresses s{active_, passive_};

  devices::SwitchStress& a = s.active;
  a.i_off_a = std::max(0.0, peak);
  // zvs_check: the valley current swings the node within the dead time.
  if (valley < 0.0 && t_dead_s_ > 0.0 && zvs_charge_active_c_ / -valley <= t_dead_s_) {
    a.zvs_on = true;
    a.t_dead_s = std::max(0.0, t_dead_s_ - zvs_charge_active_c_ / -valley);
    a.i_dead_a = -valley;
  } else {
    a.i_on_a = std::max(0.0, valley);
  }
  // The partner's reverse conduction carried the current in the dead time only when the valley
  // is positive; otherwise there is no charge to recover.
  if (!(valley > 0.0 && t_dead_s_ > 0.0)) a.partner_q_rr_c = 0.0;

  devices::SwitchStress& q = s.passive;
  q.zvs_on = peak > 0.0;
  q.i_off_a = std::max(0.0, -valley);
  const double t1 =
      peak > 0.0 && t_dead_s_ > 0.0 ? std::max(0.0, t_dead_s_ - zvs_charge_passive_c_ / peak) : 0.0;
  const double t2 = valley > 0.0 ? t_dead_s_ : 0.0;
  q.t_dead_s = t1 + t2;
  q.i_dead_a = q.t_dead_s > 0.0 ? (t1 * peak + t2 * valley) / q.t_dead_s : 0.0;
  return s;
}

void accumulate(LineCycleSwitch& into, const devices::Device& device,
                const devices::SwitchStress& stress, const devices::GateDrive& gate,
                double weight) noexcept {
  devices::SwitchStress s = stress;
  s.i_rms_a = 0.0;  // conduction is added at T_j from the line-cycle mean square
  const devices::DeviceLoss l = devices::device_loss(device, s, gate, 25.0);
  into.f_sw_hz = std::max(into.f_sw_hz, s.f_sw_hz);
  into.v_block_v = std::max(into.v_block_v, s.v_block_v);
  into.loss.turn_on_w += weight * l.turn_on_w;
  into.loss.turn_off_w += weight * l.turn_off_w;
  into.loss.oss_w += weight * l.oss_w;
  into.loss.reverse_recovery_w += weight * l.reverse_recovery_w;
  into.loss.dead_time_w += weight * l.dead_time_w;
  into.loss.gate_w += weight * l.gate_w;
  into.i_off_max_a = std::max(into.i_off_max_a, s.i_off_a);
  if (!s.zvs_on && s.f_sw_hz > 0.0) {
    into.hard_on_seen = true;
    into.i_on_max_a = std::max(into.i_on_max_a, s.i_on_a);
  }
}

void add_line_cycle_switch(ConverterResult& result, const ConverterDesign& design,
                           std::string_view position, const devices::Device& device, int count,
                           const LineCycleSwitch& averaged) {
  const double r_th = device.r_th_jc_k_per_w + design.cooling.r_th_ca_k_per_w;
  // As devices::loss_with_cooling: only the internal gate resistance's share of the gate-drive
  // energy heats the die.
  const double r_g_total = device.r_g_internal_ohm + design.gate.r_g_ext_ohm;
  const double gate_share = r_g_total > 0.0 ? device.r_g_internal_ohm / r_g_total : 0.0;
  const double fixed_w =
      averaged.loss.switching_w() + averaged.loss.dead_time_w + averaged.loss.gate_w * gate_share;
  const double ms = averaged.ms_a2;
  const devices::Device* d = &device;
  const devices::ThermalPoint thermal = devices::solve_junction(
      [d, ms, fixed_w](double t_j_c) { return ms * devices::r_ds_on_ohm(*d, t_j_c) + fixed_w; },
      r_th, design.cooling.t_ambient_c, device.t_j_max_c);

  SwitchReport& report = result.switches.emplace_back();
  report.position = position;
  report.device = device.name;
  report.count = count;
  report.stress.f_sw_hz = averaged.f_sw_hz;
  report.stress.i_rms_a = std::sqrt(ms);
  report.stress.v_block_v = averaged.v_block_v;
  report.stress.i_on_a = averaged.i_on_max_a;
  report.stress.i_off_a = averaged.i_off_max_a;
  report.stress.zvs_on = !averaged.hard_on_seen;
  report.loss = averaged.loss;
  report.loss.conduction_w = ms * devices::r_ds_on_ohm(device, thermal.t_j_c);
  report.thermal = thermal;
  report.zvs = report.stress.zvs_on;
  const double n = count;
  result.loss.conduction_w += n * report.loss.conduction_w;
  result.loss.switching_w += n * report.loss.switching_w();
  result.loss.dead_time_w += n * report.loss.dead_time_w;
  result.loss.gate_w += n * report.loss.gate_w;
  if (!thermal.converged || thermal.runaway || thermal.over_limit) {
    result.thermal_ok = false;
    result.warnings.push_back(fmt::format("{} ({}): junction at {:.0f} °C, limit {:.0f} °C{}",
                                          position, device.name, thermal.t_j_c, device.t_j_max_c,
                                          thermal.runaway ? " (thermal runaway)" : ""));
  }
}

InductorLoss inductor_loss(const ConverterDesign& design, const magnetics::CoreMaterial* material,
                           std::span<const waveforms::BoostCell> cells, double v_step_v,
                           double i_line_rms_a,
                           std::span<const double> ripple_harmonic_rms_a) noexcept {
  InductorLoss loss;
  const MagneticSpec& part = design.inductor;
  const double period = 1.0 / design.f_sw_hz;
  if (material != nullptr && part.core_volume_m3 > 0.0 && part.core_area_m2 > 0.0 &&
      !cells.empty()) {
    // Flux swing of each period: dB = V_sw delta T / (N A_e) (= L dI / (N A_e)); iGSE of the
    // asymmetric triangle, averaged over the samples (minor loops of the line-frequency loop,
    // the DC bias effect on the coefficients not modelled).
    const double n_ae = std::max(1, part.turns) * part.core_area_m2;
    // Every second sample (the swing is smooth over the line cycle) when there are enough.
    const std::size_t stride = cells.size() >= 16 ? 2 : 1;
    double sum_w = 0.0;
    std::size_t used = 0;
    for (std::size_t k = stride / 2; k < cells.size(); k += stride) {
      const waveforms::BoostCell& c = cells[k];
      ++used;
      const double d = c.active_duty;
      if (!(d > 0.0 && d < 1.0)) continue;
      const double db = v_step_v * d * (1.0 - d) * period / n_ae;
      const std::array<magnetics::FluxPoint, 2> flux{magnetics::FluxPoint{0.0, -0.5 * db},
                                                     magnetics::FluxPoint{d * period, 0.5 * db}};
      sum_w += core_loss_w(material, part, flux, period);
    }
    loss.core_w = sum_w / static_cast<double>(used);
  }
  // The line-frequency current enters as "DC" (Dowell's factor at 50/60 Hz is 1 for any
  // practical winding); the ripple harmonics at k f_sw.
  loss.winding_w =
      winding_loss_w(part, part.r_dc_ohm, i_line_rms_a, ripple_harmonic_rms_a, design.f_sw_hz);
  return loss;
}

void warn_if_inductor_saturates(ConverterResult& result, const ConverterDesign& design,
                                const magnetics::CoreMaterial* material, double i_peak_a) {
  if (material == nullptr || material->b_sat_t <= 0.0 || design.inductor.core_area_m2 <= 0.0)
    return;
  const double b_peak = design.inductor.inductance_h * i_peak_a /
                        (std::max(1, design.inductor.turns) * design.inductor.core_area_m2);
  if (b_peak > material->b_sat_t)
    result.warnings.push_back(fmt::format("inductor: peak flux {:.3f} T above saturation {:.3f} T",
                                          b_peak, material->b_sat_t));
}

}  // namespace g2g::converters::detail

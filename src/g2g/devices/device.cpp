// The device loss model of docs/devices.md. Every function here is noexcept and allocation-free:
// converters call device_loss inside the thermal fixed point, inside power-flow iterations.
#include "g2g/devices/device.hpp"

#include <algorithm>
#include <cmath>

namespace g2g::devices {
namespace {

constexpr double kelvin_offset = 273.15;
constexpr double t_ref_k = 298.15;  // 25 °C, where the datasheet R_DS(on) is given

// Charge of Q_GS above the threshold (the part of the gate charge that moves the channel current
// from 0 to the load current). C_GS is taken linear from 0 V to the plateau, so the fraction is
// (V_pl - V_th) / V_pl; a part without Q_GS gets half of it per the usual Q_GS ~ Q_GD ratio.
double q_gs_above_threshold_c(const Device& device) noexcept {
  const double q_gs = device.q_gs_c > 0.0 ? device.q_gs_c : device.q_gd_c;
  if (device.v_plateau_v <= 0.0 || device.v_plateau_v <= device.v_th_v) return 0.0;
  return q_gs * (device.v_plateau_v - device.v_th_v) / device.v_plateau_v;
}

double gate_resistance_ohm(const Device& device, const GateDrive& gate) noexcept {
  // A zero total resistance would make the intervals vanish; 1 mΩ keeps them finite and is far
  // below any real gate loop.
  return std::max(device.r_g_internal_ohm + gate.r_g_ext_ohm, 1e-3);
}

// Extra series "resistance" the channel's C_OSS current adds to the gate loop during the Miller
// interval (docs/devices.md, "C_OSS current through the channel"): with the plateau set by the
// load current (V_pl = V_th + I / g_m), a C_OSS current I_c = (Q_oss,tot / Q_GD) I_g moves the
// gate by (V_pl - V_th) I_c / I, which is a voltage proportional to I_g.
double miller_coupling_ohm(const Device& device, double q_oss_total_c, double i_a) noexcept {
  if (i_a <= 0.0 || device.q_gd_c <= 0.0) return 0.0;
  return std::max(device.v_plateau_v - device.v_th_v, 0.0) * q_oss_total_c / (device.q_gd_c * i_a);
}

// The partner's stored energy at v_v: given by the converter, or, when not given (< 0), the same
// C_OSS shape as this device scaled to the partner's charge (exact for a symmetric half-bridge).
double partner_e_oss_j(const Device& device, const SwitchStress& stress) noexcept {
  if (stress.partner_e_oss_j >= 0.0) return stress.partner_e_oss_j;
  const double q_own = q_oss_c(device, stress.v_block_v);
  if (q_own <= 0.0) return 0.0;
  return e_oss_j(device, stress.v_block_v) * stress.partner_q_oss_c / q_own;
}

// Turn-off channel energy with C_OSS snubbing (docs/devices.md). `q_total_c` is the charge the
// switching node must move (own C_OSS charged, partner's discharged), `e_cap_j` the energy the
// load current delivers into those capacitances instead of the channel.
double turn_off_energy_j(const Device& device, double v_v, double i_a, const GateDrive& gate,
                         double q_total_c, double e_cap_j) noexcept {
  if (i_a <= 0.0 || v_v <= 0.0) return 0.0;
  const double r_g = gate_resistance_ohm(device, gate);
  const double v_off = device.v_gs_off_v;
  const double v_th = device.v_th_v;
  const double v_pl = std::max(device.v_plateau_v, v_th);
  const double q_gs2 = q_gs_above_threshold_c(device);
  const double c_eq_f = q_total_c > 0.0 ? q_total_c / v_v : 0.0;  // charge-equivalent C

  // Channel current falling over t while the diverted current charges c_eq linearly in time:
  // v(t) = di t^2 / (2 C t) until the node reaches v_v (then clamped by the partner).
  const auto snubbed_fall = [&](double i_start_a, double i_end_a, double t_s) noexcept {
    const double di = i_start_a - i_end_a;
    if (t_s <= 0.0 || di <= 0.0) return std::pair{0.0, 0.0};
    if (c_eq_f <= 0.0) return std::pair{0.5 * v_v * (i_start_a + i_end_a) * t_s, v_v};
    const double t_x = std::sqrt(2.0 * c_eq_f * v_v * t_s / di);  // node reaches v_v
    const double t_end = std::min(t_x, t_s);
    // ∫0^t_end v(t) i_ch(t) dt with i_ch = i_start - di t / t_s, v = di t^2 / (2 C t_s).
    const double k = di / (2.0 * c_eq_f * t_s);
    double energy =
        k * (i_start_a * std::pow(t_end, 3) / 3.0 - di / t_s * std::pow(t_end, 4) / 4.0);
    double v_end = k * t_end * t_end;
    if (t_x < t_s) {  // rest of the fall at the clamped voltage
      const double i_x = i_start_a - di * t_x / t_s;
      energy += 0.5 * v_v * (i_x + i_end_a) * (t_s - t_x);
      v_end = v_v;
    }
    return std::pair{energy, v_end};
  };

  const double i_g_th_a = std::max(v_th - v_off, 1e-6) / r_g;  // gate current at threshold
  const double i_g_fall_a = std::max(0.5 * (v_pl + v_th) - v_off, 1e-6) / r_g;
  // Capacitance-limited: the load current cannot charge the node as fast as the Miller interval
  // at threshold-level gate current would move it, so the channel closes before the voltage has
  // risen (criterion I < (Q_oss,tot / Q_GD) (V_th - V_gs,off) / R_g).
  const double i_critical_a = device.q_gd_c > 0.0 ? q_total_c / device.q_gd_c * i_g_th_a : 0.0;
  if (i_a <= i_critical_a) {
    // The node's dv/dt (about I / (2 C_eq) on average over the fall) feeds C_GD current back
    // into the gate and slows its discharge: net gate current I_g - C_GD dv/dt.
    const double c_gd_f = device.q_gd_c / v_v;
    const double i_g_net_a =
        c_eq_f > 0.0 ? std::max(i_g_fall_a - 0.5 * c_gd_f * i_a / c_eq_f, 1e-3 * i_g_fall_a)
                     : i_g_fall_a;
    return snubbed_fall(i_a, 0.0, q_gs2 / i_g_net_a).first;
  }

  // Miller interval: the gate current and the channel current i_m solve the plateau together.
  const double r_c = miller_coupling_ohm(device, q_total_c, i_a);
  const double i_g_a = std::max(v_pl - v_off, 1e-6) / (r_g + r_c);
  const double v_m = v_off + i_g_a * r_g;  // gate voltage during the Miller interval
  const double i_m_a = v_pl > v_th ? i_a * (v_m - v_th) / (v_pl - v_th) : i_a;
  // 1) gate from V_pl to v_m: channel current I -> i_m, node starts to rise.
  const double frac1 = v_pl > v_th ? (v_pl - v_m) / (v_pl - v_th) : 0.0;
  const double i_g1_a = std::max(0.5 * (v_pl + v_m) - v_off, 1e-6) / r_g;
  const auto [e1_j, v1_v] = snubbed_fall(i_a, i_m_a, q_gs2 * frac1 / i_g1_a);
  // 2) Miller: the rest of the swing (v1 -> V) at the gate-set dv/dt; the channel carries I minus
  // the capacitance current. The capacitances take the exact ∫ v dQ (e_cap_j) over the whole
  // swing, of which the part above v1 is taken as for a linear capacitance.
  const double x1 = std::clamp(v1_v / v_v, 0.0, 1.0);
  const double t_rv_s = device.q_gd_c * (1.0 - x1) / i_g_a;
  const double e2_j = std::max(0.5 * (v_v + v1_v) * i_a * t_rv_s - e_cap_j * (1.0 - x1 * x1), 0.0);
  // 3) gate from v_m to V_th at the clamped voltage: channel current i_m -> 0.
  const double frac3 = v_pl > v_th ? (v_m - v_th) / (v_pl - v_th) : 1.0;
  const double i_g3_a = std::max(0.5 * (v_m + v_th) - v_off, 1e-6) / r_g;
  const double e3_j = 0.5 * v_v * i_m_a * q_gs2 * frac3 / i_g3_a;
  return e1_j + e2_j + e3_j;
}

// V-I overlap of the turn-on voltage fall (docs/devices.md, "turn-on voltage fall"). The C_OSS
// current through the channel lifts the plateau by dV = r_c I_g (miller_coupling_ohm), and the
// gate must first charge C_iss by dV (interval A, the node starting to move while dv/dt builds up
// linearly to its Miller value) before the rest of the swing runs at the Miller dv/dt
// (interval B). Without C_OSS (r_c = 0) this is ½ V I Q_GD R_g / (V_on - V_pl).
double voltage_fall_overlap_j(const Device& device, double v_v, double i_a, double r_g,
                              double r_c) noexcept {
  const double v_drive =
      std::max(device.v_gs_on_v - std::max(device.v_plateau_v, device.v_th_v), 1e-6);
  const double i_g_b = v_drive / (r_g + r_c);  // gate current on the lifted plateau
  if (device.q_gd_c <= 0.0) return 0.0;
  const double dvdt = i_g_b * v_v / device.q_gd_c;  // C_GD = Q_GD / V (charge-equivalent)
  const double dv_gate = r_c * i_g_b;               // plateau lift
  const double c_iss_f =
      device.v_plateau_v > 0.0
          ? (device.q_gs_c > 0.0 ? device.q_gs_c : device.q_gd_c) / device.v_plateau_v
          : 0.0;
  // Interval A: charge C_iss dV plus the Miller charge of the part of the swing it covers; the
  // mean gate current less half the Miller current leaves (V_on - V_pl) / (2 R_g) for C_iss.
  double t_a = 2.0 * r_g * c_iss_f * dv_gate / v_drive;
  double dv_a = 0.5 * dvdt * t_a;
  if (dv_a > v_v) {  // the whole swing happens while the plateau is still rising
    t_a = std::sqrt(2.0 * v_v * t_a / dvdt);
    dv_a = v_v;
  }
  const double e_a = i_a * (v_v * t_a - dvdt * t_a * t_a / 6.0);
  const double v_rest = v_v - dv_a;
  const double e_b = 0.5 * v_rest * i_a * v_rest / dvdt;
  return e_a + e_b;
}

}  // namespace

std::string_view name(Technology technology) noexcept {
  switch (technology) {
    case Technology::gan_hemt:
      return "gan_hemt";
    case Technology::gan_cascode:
      return "gan_cascode";
    case Technology::sic_mosfet:
      return "sic_mosfet";
    case Technology::si_superjunction:
      return "si_superjunction";
    case Technology::si_lv_mosfet:
      return "si_lv_mosfet";
  }
  return "unknown";
}

double r_ds_on_ohm(const Device& device, double t_j_c) noexcept {
  const double ratio = (t_j_c + kelvin_offset) / t_ref_k;
  return device.r_ds_on_25c_ohm * std::pow(std::max(ratio, 0.0), device.r_ds_on_exponent);
}

double q_oss_c(const Device& device, double v_v) noexcept {
  const auto& points = device.oss;
  if (points.empty() || v_v <= 0.0) return 0.0;
  const OssPoint& first = points.front();
  if (v_v <= first.v_v) return first.q_oss_c * v_v / first.v_v;
  for (std::size_t k = 1; k < points.size(); ++k) {
    if (v_v <= points[k].v_v) {
      const OssPoint& a = points[k - 1];
      const OssPoint& b = points[k];
      return a.q_oss_c + (b.q_oss_c - a.q_oss_c) * (v_v - a.v_v) / (b.v_v - a.v_v);
    }
  }
  // Above the last point: the last segment's incremental capacitance (through the origin when
  // there is one point), the conservative choice for a C_OSS that keeps falling with V.
  const OssPoint& last = points.back();
  const double c_inc_f = points.size() > 1 ? (last.q_oss_c - points[points.size() - 2].q_oss_c) /
                                                 (last.v_v - points[points.size() - 2].v_v)
                                           : last.q_oss_c / last.v_v;
  return last.q_oss_c + c_inc_f * (v_v - last.v_v);
}

double e_oss_j(const Device& device, double v_v) noexcept {
  const auto& points = device.oss;
  if (points.empty() || v_v <= 0.0) return 0.0;
  const OssPoint& first = points.front();
  if (v_v <= first.v_v) {
    const double x = v_v / first.v_v;
    return first.e_oss_j * x * x;
  }
  for (std::size_t k = 1; k < points.size(); ++k) {
    if (v_v <= points[k].v_v) {
      const OssPoint& a = points[k - 1];
      const OssPoint& b = points[k];
      return a.e_oss_j + (b.e_oss_j - a.e_oss_j) * (v_v - a.v_v) / (b.v_v - a.v_v);
    }
  }
  // Above the last point, consistent with q_oss_c: E grows by ∫ v C dv with the same C.
  const OssPoint& last = points.back();
  const double c_inc_f = points.size() > 1 ? (last.q_oss_c - points[points.size() - 2].q_oss_c) /
                                                 (last.v_v - points[points.size() - 2].v_v)
                                           : last.q_oss_c / last.v_v;
  return last.e_oss_j + 0.5 * c_inc_f * (v_v * v_v - last.v_v * last.v_v);
}

SwitchingTimes switching_times(const Device& device, double v_v, double i_a,
                               const GateDrive& gate) noexcept {
  SwitchingTimes times;
  const double r_g = gate_resistance_ohm(device, gate);
  const double v_on = device.v_gs_on_v;
  const double v_off = device.v_gs_off_v;
  const double v_th = device.v_th_v;
  const double v_pl = std::max(device.v_plateau_v, v_th);
  const double q_gs2 = q_gs_above_threshold_c(device);
  // Symmetric half-bridge: the node moves this device's and an identical partner's charge.
  const double r_c = miller_coupling_ohm(device, 2.0 * q_oss_c(device, v_v), i_a);
  times.t_rise_i_s = q_gs2 * r_g / std::max(v_on - 0.5 * (v_th + v_pl), 1e-6);
  times.t_fall_v_s = device.q_gd_c * (r_g + r_c) / std::max(v_on - v_pl, 1e-6);
  times.t_rise_v_s = device.q_gd_c * (r_g + r_c) / std::max(v_pl - v_off, 1e-6);
  times.t_fall_i_s = q_gs2 * r_g / std::max(0.5 * (v_th + v_pl) - v_off, 1e-6);
  return times;
}

SwitchStress with_partner(SwitchStress stress, const Device& partner) noexcept {
  stress.partner_q_oss_c = q_oss_c(partner, stress.v_block_v);
  stress.partner_e_oss_j = e_oss_j(partner, stress.v_block_v);
  stress.partner_q_rr_c = partner.q_rr_c;
  return stress;
}

ZvsCheck zvs_check(const Device& device, double v_v, double i_available_a,
                   double t_dead_s) noexcept {
  ZvsCheck check;
  check.charge_needed_c = 2.0 * q_oss_c(device, v_v);
  // Energy the resonant or magnetising inductance must deliver to swing a symmetric half-bridge
  // through v_v: V Q_OSS (charge-based, not 2 E_OSS; docs/devices.md).
  check.energy_needed_j = v_v * q_oss_c(device, v_v);
  if (i_available_a <= 0.0) {
    check.time_needed_s = check.charge_needed_c > 0.0 ? HUGE_VAL : 0.0;
    check.achieved = check.charge_needed_c <= 0.0;
    return check;
  }
  check.time_needed_s = check.charge_needed_c / i_available_a;
  check.achieved = check.time_needed_s <= t_dead_s;
  return check;
}

DeviceLoss device_loss(const Device& device, const SwitchStress& stress, const GateDrive& gate,
                       double t_j_c) noexcept {
  DeviceLoss loss;
  const double f = stress.f_sw_hz;
  const double v = std::max(stress.v_block_v, 0.0);
  loss.conduction_w = stress.i_rms_a * stress.i_rms_a * r_ds_on_ohm(device, t_j_c);

  const double q_own_c = q_oss_c(device, v);
  const double e_own_j = e_oss_j(device, v);
  const double q_partner_c = std::max(stress.partner_q_oss_c, 0.0);
  const double e_partner_j = std::min(partner_e_oss_j(device, stress), q_partner_c * v);
  const double q_total_c = q_own_c + q_partner_c;
  // Energy that moves between the load current and the two C_OSS when the node swings through v:
  // own ∫ v dQ plus the partner's V Q - E (docs/devices.md, "energy accounting").
  const double e_cap_j = e_own_j + (v * q_partner_c - e_partner_j);

  if (!stress.zvs_on && v > 0.0) {
    const double i_on = std::max(stress.i_on_a, 0.0);
    if (i_on > 0.0) {
      const double r_g = gate_resistance_ohm(device, gate);
      const double v_pl = std::max(device.v_plateau_v, device.v_th_v);
      const double r_c = miller_coupling_ohm(device, q_total_c, i_on);
      const double t_ri_s = q_gs_above_threshold_c(device) * r_g /
                            std::max(device.v_gs_on_v - 0.5 * (device.v_th_v + v_pl), 1e-6);
      loss.turn_on_w =
          (0.5 * v * i_on * t_ri_s + voltage_fall_overlap_j(device, v, i_on, r_g, r_c)) * f;
      loss.reverse_recovery_w = std::max(stress.partner_q_rr_c, 0.0) * v * f;
    }
    loss.oss_w = e_cap_j * f;
  }
  loss.turn_off_w =
      turn_off_energy_j(device, v, std::max(stress.i_off_a, 0.0), gate, q_total_c, e_cap_j) * f;
  loss.dead_time_w = device.v_sd_v * std::max(stress.i_dead_a, 0.0) * stress.t_dead_s * f;
  loss.gate_w = device.q_g_c * (device.v_gs_on_v - device.v_gs_off_v) * f;
  return loss;
}

}  // namespace g2g::devices

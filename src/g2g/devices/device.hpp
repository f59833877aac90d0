// Power semiconductor devices (GaN HEMT, SiC MOSFET, Si superjunction and low-voltage MOSFET):
// datasheet parameters in SI units and the one loss model every converter uses. Pure functions
// over plain structs, no I/O: the part library is parsed from data/devices/ by library.hpp.
// Equations, sources and assumptions: docs/devices.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace g2g::devices {

enum class Technology : std::uint8_t {
  gan_hemt,     // enhancement-mode GaN: no body diode, Q_rr = 0, reverse conduction at ~V_th +
                // V_gs,off
  gan_cascode,  // depletion GaN + LV Si MOSFET: Q_rr of the Si part
  sic_mosfet,
  si_superjunction,  // 500-650 V
  si_lv_mosfet,      // 80-100 V trench
};
std::string_view name(Technology technology) noexcept;

// One output-charge point: charge and stored energy of C_OSS charged from 0 to v_v.
struct OssPoint {
  double v_v = 0.0;
  double q_oss_c = 0.0;
  double e_oss_j = 0.0;
};

// One term of a Foster thermal network (junction to case): R_i in parallel with C_i = tau_i / R_i,
// the terms in series. Z_th(t) = sum R_i (1 - e^(-t / tau_i)) after a loss step. Datasheets print
// the table (r_i, tau_i) beside the transient thermal impedance curve.
struct FosterTerm {
  double r_k_per_w = 0.0;
  double tau_s = 0.0;
};

// Datasheet parameters of one switch (one package), typical values at 25 °C unless stated.
struct Device {
  std::string name;  // part number, the key models refer to
  std::string maker;
  Technology technology = Technology::si_lv_mosfet;
  std::string package;
  double v_ds_max_v = 0.0;
  double i_d_max_a = 0.0;        // continuous at 25 °C case (0 = not given)
  double r_ds_on_25c_ohm = 0.0;  // typical, at the rated gate drive
  // R_DS(on)(T) = R25 * ((T + 273.15) / 298.15)^r_ds_on_exponent, fitted to the datasheet's
  // hot/25 °C ratio (GaN ~2.2-2.6 at 150 °C, SiC ~1.3-1.5, Si ~2.3-2.6).
  double r_ds_on_exponent = 0.0;
  double q_g_c = 0.0;        // total gate charge at v_gs_on_v
  double q_gs_c = 0.0;       // gate-source charge (to the plateau); 0 = not given
  double q_gd_c = 0.0;       // gate-drain (Miller) charge
  double v_gs_on_v = 0.0;    // gate drive high level
  double v_gs_off_v = 0.0;   // gate drive low level (negative for SiC often)
  double v_th_v = 0.0;       // gate threshold
  double v_plateau_v = 0.0;  // Miller plateau
  double r_g_internal_ohm = 0.0;
  std::vector<OssPoint> oss;  // ascending v_v, at least one point; interpolated in V
  double q_rr_c = 0.0;        // reverse-recovery charge (0 for e-mode GaN)
  double q_rr_test_v = 0.0;   // conditions of q_rr_c, for the record
  double v_sd_v = 0.0;        // third-quadrant drop (body diode, or GaN reverse conduction)
  double r_th_jc_k_per_w = 0.0;
  // Transient junction-to-case impedance (datasheet Foster table); its R sum within 1 % of
  // r_th_jc_k_per_w (the reader checks). Empty when the datasheet gives only R_th(j-c): the
  // junction-to-case path is then static (docs/devices.md, "Transient thermal model").
  std::vector<FosterTerm> z_th_jc;
  double t_j_max_c = 150.0;
  std::string source;                    // where each number came from
  std::vector<std::string> assumptions;  // every field not read from the source, and why
};

// R_DS(on) at junction temperature t_j_c.
double r_ds_on_ohm(const Device& device, double t_j_c) noexcept;
// Q_OSS(V) and E_OSS(V), interpolated between the datasheet points (charge linear through the
// origin below the first point, energy quadratic).
double q_oss_c(const Device& device, double v_v) noexcept;
double e_oss_j(const Device& device, double v_v) noexcept;

// What a converter asks of one switch position over one switching period.
struct SwitchStress {
  double f_sw_hz = 0.0;
  double i_rms_a = 0.0;    // channel current, RMS over the period
  double v_block_v = 0.0;  // voltage the switch blocks when off (switching voltage)
  double i_on_a = 0.0;     // drain current just after turn-on (hard switching), >= 0
  double i_off_a = 0.0;    // drain current at turn-off, >= 0
  bool zvs_on = false;     // turn-on at zero voltage (C_OSS discharged by the load current)
  double t_dead_s = 0.0;   // dead time per period in third-quadrant conduction (both edges)
  double i_dead_a = 0.0;   // mean magnitude of the current during the dead time
  // Hard turn-on also charges the complementary switch's C_OSS and recovers its diode: the
  // converter sets these from the partner device (0 when there is none).
  double partner_q_oss_c = 0.0;
  double partner_q_rr_c = 0.0;
  // Partner's E_OSS at v_block_v (with_partner sets it). < 0 = not given: the partner is taken to
  // have this device's C_OSS shape scaled to partner_q_oss_c (exact for identical parts).
  double partner_e_oss_j = -1.0;
};

// `stress` with the partner fields set from `partner` at stress.v_block_v.
SwitchStress with_partner(SwitchStress stress, const Device& partner) noexcept;

struct GateDrive {
  double r_g_ext_ohm = 2.0;  // external gate resistance
};

// Loss of one switch position, by mechanism (W).
struct DeviceLoss {
  double conduction_w = 0.0;  // I_rms^2 R_DS(on)(T_j)
  double turn_on_w = 0.0;     // V-I overlap at hard turn-on (charge-based switching intervals)
  double turn_off_w = 0.0;    // V-I overlap at turn-off
  double oss_w = 0.0;         // E_OSS dissipated at hard turn-on (own + partner charge)
  double reverse_recovery_w = 0.0;  // partner's Q_rr at hard turn-on
  double dead_time_w = 0.0;         // third-quadrant conduction during dead time
  double gate_w = 0.0;              // Q_G V_drive f (dissipated in the driver and gate resistors)
  [[nodiscard]] double switching_w() const noexcept {
    return turn_on_w + turn_off_w + oss_w + reverse_recovery_w;
  }
  [[nodiscard]] double total_w() const noexcept {
    return conduction_w + switching_w() + dead_time_w + gate_w;
  }
};

// The loss model (docs/devices.md): conduction at T_j; hard-switching turn-on and turn-off
// from the charge-based switching-interval model (gate current through R_g during Q_GS/Q_GD);
// E_OSS and the partner's Q_OSS/Q_RR at hard turn-on; nothing of that at ZVS turn-on; dead-time
// third-quadrant conduction; gate-drive energy. noexcept, no allocation: it runs inside
// power-flow iterations.
DeviceLoss device_loss(const Device& device, const SwitchStress& stress, const GateDrive& gate,
                       double t_j_c) noexcept;

// Switching-transition times of the charge-based model, for reports and the ngspice check.
struct SwitchingTimes {
  double t_rise_i_s = 0.0;  // turn-on current rise (Q_GS above V_th)
  double t_fall_v_s = 0.0;  // turn-on voltage fall (Q_GD at the plateau)
  double t_rise_v_s = 0.0;  // turn-off voltage rise
  double t_fall_i_s = 0.0;  // turn-off current fall
};
SwitchingTimes switching_times(const Device& device, double v_v, double i_a,
                               const GateDrive& gate) noexcept;

// Zero-voltage switching check: can `i_available_a` (resonant or magnetising current at the
// switching instant) swing the half-bridge node through v_v within t_dead_s, charging one
// C_OSS and discharging the other? Both charge (time) and energy are checked.
struct ZvsCheck {
  bool achieved = false;
  double charge_needed_c = 0.0;  // 2 Q_OSS(v_v)
  double time_needed_s = 0.0;    // charge / current
  // Energy the resonant/magnetising inductance must deliver for the swing, V Q_OSS(V) (the
  // charge-based figure, not 2 E_OSS): compare with ½ L I² where L is known (the converter).
  double energy_needed_j = 0.0;
};
ZvsCheck zvs_check(const Device& device, double v_v, double i_available_a,
                   double t_dead_s) noexcept;

}  // namespace g2g::devices

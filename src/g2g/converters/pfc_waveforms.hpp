// The topology equations of the AC->DC converters (pfc.cpp, afe.cpp): line-cycle samples of the
// switching-period quantities of a bridgeless totem-pole PFC and of one leg of a three-phase
// two-level or three-level (T-type) active front end at unity power factor. No device, material
// or loss here. Equations and sources: docs/converters.md § Totem-pole PFC, § Active front end.
//
// Both topologies are built of the same commutation cell: an inductor carrying a current of
// magnitude i (locally constant over a switching period) between an "active" switch, whose on
// time makes |i| rise, and a "passive" (synchronous-rectifier) switch, whose on time makes it
// fall, the two switching a voltage step V_sw. Per period the active switch conducts a fraction
// delta and the ripple is dI = V_sw delta (1 - delta) / (L f) (volt-second balance, [EM] ch. 2).
#pragma once

#include <array>
#include <cstddef>

namespace g2g::converters::waveforms {

// Samples per quarter of the line (fundamental) period, at the midpoints of equal steps. The
// quantities of both topologies have quarter-wave symmetry, so these 32 points integrate the
// half line cycle as 64 midpoints would. Callers may ask for fewer (a coarse first pass).
inline constexpr int line_cycle_points = 32;
// Samples of the first pass that only estimates the losses (and so the input current).
inline constexpr int coarse_line_cycle_points = 8;
// The ripple spectrum (winding loss only, smooth over the line cycle) is taken at every
// `ripple_spectrum_stride`-th sample of a full-resolution evaluation.
inline constexpr int ripple_spectrum_stride = 4;
// Harmonics of the switching-frequency ripple kept for the winding loss.
inline constexpr int ripple_harmonics = 15;

// One switching period of the commutation cell.
struct BoostCell {
  double active_duty = 0.0;   // delta, fraction of the period the active switch conducts
  double i_a = 0.0;           // local average of the current magnitude (>= 0)
  double ripple_pp_a = 0.0;   // V_sw delta (1 - delta) / (L f)
  double i_peak_a = 0.0;      // i + dI/2: active switch turn-off current
  double i_valley_a = 0.0;    // i - dI/2: active switch turn-on current (< 0: the ripple reverses
                              // the current, the node can swing to the active switch: ZVS)
  double ms_active_a2 = 0.0;  // mean square over the period of the active switch's current
  double ms_passive_a2 = 0.0;
};
BoostCell boost_cell(double v_step_v, double active_duty, double i_a, double inductance_h,
                     double f_sw_hz) noexcept;

// Line-cycle average of the squared harmonic amplitudes of the ripple (an asymmetric triangle of
// peak-to-peak dI rising for delta T): harmonic k has RMS dI |sin(pi k delta)| /
// (sqrt(2) pi^2 k^2 delta (1 - delta)). Adds weight * (RMS_k)^2 to sum_sq[k-1].
void add_ripple_harmonics_sq(double ripple_pp_a, double active_duty, double weight,
                             std::array<double, ripple_harmonics>& sum_sq) noexcept;

// ---- Bridgeless totem-pole PFC, CCM, `phases` interleaved fast legs sharing one slow leg ----
struct PfcWaveforms {
  int points = 0;              // samples used (the first `points` of theta_rad and cells)
  double v_peak_v = 0.0;       // sqrt(2) V_ac
  double i_ac_rms_a = 0.0;     // total line current, P_in / V_ac (unity power factor)
  double i_out_a = 0.0;        // P_out / V_dc
  double i_phase_rms_a = 0.0;  // line-frequency RMS per interleaved phase
  // Per phase, over the half line cycle in which a fast-leg device is the active switch (the
  // other half it is the synchronous rectifier; the two halves are mirror images):
  double i_rms_active_a = 0.0;       // RMS of the active-switch current over the half line cycle
  double i_rms_passive_a = 0.0;      // RMS of the synchronous-rectifier current
  double i_rms_fast_device_a = 0.0;  // each fast-leg device over the whole line cycle
  double i_rms_slow_device_a = 0.0;  // each slow-leg device: I_ac / sqrt(2)
  double ripple_ms_a2 = 0.0;         // line-cycle mean of dI^2 / 12 per phase
  double ripple_pp_max_a = 0.0;
  double i_peak_max_a = 0.0;  // largest inductor current (peak of line + half ripple)
  std::array<double, ripple_harmonics> ripple_harmonic_rms_a{};  // per phase, line-cycle RMS
  double i_cap_rms_a = 0.0;     // DC-link capacitor: twice-line + switching frequency
  double i_cap_lf_rms_a = 0.0;  // twice-line part alone, I_o / sqrt(2)
  std::array<double, line_cycle_points> theta_rad{};  // sample angles over (0, pi/2)
  std::array<BoostCell, line_cycle_points> cells{};   // per phase
};
// v_ac_rms_v: line voltage RMS; p_in_w: AC power drawn (sets the current); p_out_w: DC power
// (sets I_o). Requires v_dc_v > sqrt(2) v_ac_rms_v (checked by the caller).
PfcWaveforms pfc_waveforms(double v_ac_rms_v, double v_dc_v, double p_in_w, double p_out_w,
                           int phases, double inductance_h, double f_sw_hz,
                           int points = line_cycle_points) noexcept;

// ---- Three-phase active front end at unity power factor, one leg ----
enum class Modulation : unsigned char {
  sinusoidal,    // SPWM: phase reference m sin(theta), V_dc >= 2 sqrt(2/3) V_LL
  space_vector,  // SVPWM as min-max zero-sequence injection, V_dc >= sqrt(2) V_LL
};
struct AfeWaveforms {
  int points = 0;  // samples used (the first `points` of theta_rad and cells)
  bool three_level = false;
  double v_phase_peak_v = 0.0;    // sqrt(2/3) V_LL
  double modulation_index = 0.0;  // v_phase_peak / (V_dc / 2)
  double max_reference = 0.0;     // largest |u| (phase reference over V_dc/2, with zero sequence);
                                  // > 1 = overmodulation (not reachable)
  double i_phase_rms_a = 0.0;     // P_in / (sqrt(3) V_LL)
  double i_out_a = 0.0;
  // Switch-position RMS currents over the fundamental period (each device, one leg):
  // 2-level: both devices the same; 3-level T-type: outer (to the DC rails) and inner (the
  // back-to-back pair to the midpoint; both devices of the pair carry the inner current).
  double i_rms_outer_a = 0.0;
  double i_rms_inner_a = 0.0;
  double ripple_ms_a2 = 0.0;  // line-cycle mean of dI^2 / 12
  double ripple_pp_max_a = 0.0;
  double i_peak_max_a = 0.0;
  std::array<double, ripple_harmonics> ripple_harmonic_rms_a{};
  double i_cap_rms_a = 0.0;  // DC-link capacitor (3-level: each half of the split link)
  std::array<double, line_cycle_points> theta_rad{};
  // Per sample over the quarter period (0, pi/2) of positive current (current into the leg),
  // where the reference has the current's sign (unity power factor, the boost inductor's
  // fundamental drop neglected): 2-level, the bottom switch is active (V_sw = V_dc, delta =
  // (1 - u)/2); 3-level T-type, the leg switches P-O, the inner pair is active (V_sw = V_dc/2,
  // delta = 1 - u) and the outer top switch is the synchronous rectifier.
  std::array<BoostCell, line_cycle_points> cells{};
};
AfeWaveforms afe_waveforms(double v_ll_rms_v, double v_dc_v, double p_in_w, double p_out_w,
                           bool three_level, Modulation modulation, double inductance_h,
                           double f_sw_hz, int points = line_cycle_points) noexcept;

// Phase reference over V_dc/2 for a unit modulation index at angle theta (phase a at theta,
// b and c lagging 120° and 240°), with the modulation's zero sequence.
double phase_reference(double modulation_index, double theta_rad, Modulation modulation) noexcept;

}  // namespace g2g::converters::waveforms

// The topology equations of converters/: currents, voltages and flux of each topology in steady
// state, as pure functions of the operating point and the design's circuit values. No device,
// material or loss here: buck.cpp, llc.cpp and dab.cpp turn these stresses into losses. Kept
// apart so that the circuit analysis is unit-tested on its own. Equations and their sources:
// docs/converters.md.
#pragma once

#include <array>
#include <cstddef>
#include <span>

namespace g2g::converters::waveforms {

// A vertex of a continuous piecewise-linear periodic current (or flux) waveform.
struct Vertex {
  double t_s = 0.0;
  double value = 0.0;
};

// RMS of the harmonics k = 1..out.size() of a continuous piecewise-linear periodic waveform given
// by its vertices over one period (the last vertex joins the first at t = period). Closed form:
// c_k = -1/(k^2 w^2 T) sum_i (s_i - s_{i-1}) e^{-j k w t_i}, s_i the slope after vertex i;
// harmonic RMS = sqrt(2) |c_k|. No allocation.
void pwl_harmonic_rms(std::span<const Vertex> vertices, double period_s,
                      std::span<double> out) noexcept;
// Mean and RMS of the same waveform (exact, segment by segment).
double pwl_mean(std::span<const Vertex> vertices, double period_s) noexcept;
double pwl_rms(std::span<const Vertex> vertices, double period_s) noexcept;

// Ripple of N interleaved phases relative to one phase's peak-to-peak ripple, at duty d
// (Chang & Knights 1995): K = N (d - m/N)((m+1)/N - d) / (d (1 - d)), m = floor(N d).
double interleaving_ripple_factor(int phases, double duty) noexcept;

// ---- Synchronous buck, one phase of `phases`, continuous conduction (or forced CCM) ----
struct BuckWaveforms {
  double duty = 0.0;
  double i_phase_a = 0.0;        // average inductor current per phase
  double ripple_pp_a = 0.0;      // inductor ripple peak-to-peak
  double i_peak_a = 0.0;         // I + dI/2, control switch turn-off current
  double i_valley_a = 0.0;       // I - dI/2, control switch turn-on current (< 0: ZVS possible)
  double i_rms_control_a = 0.0;  // I sqrt(D (1 + r^2/12)), r = dI / I
  double i_rms_sync_a = 0.0;     // I sqrt((1 - D)(1 + r^2/12))
  double i_rms_inductor_a = 0.0;
  double i_rms_output_cap_a = 0.0;  // all phases interleaved: K dI / sqrt(12)
  double flux_swing_t = 0.0;        // inductor core dB peak-to-peak
};
// duty is V_out/V_in corrected for the resistive drops (Erickson & Maksimovic ch. 3):
// D = (V_out + I (R_sync + R_L)) / (V_in - I (R_control - R_sync)).
BuckWaveforms buck_waveforms(double v_in_v, double v_out_v, double p_out_w, int phases,
                             double inductance_h, double f_sw_hz, double r_control_ohm,
                             double r_sync_ohm, double r_inductor_ohm, int turns,
                             double core_area_m2) noexcept;

// ---- LLC at resonance (the "DC transformer") ----
struct LlcWaveforms {
  double v_bridge_v = 0.0;  // amplitude of the square bridge voltage (V_in or V_in/2)
  double gain = 0.0;        // n V_out / v_bridge (1 at resonance)
  double i_out_a = 0.0;
  double i_mag_peak_a = 0.0;      // I_m = n V_out / (4 L_m f)
  double i_load_pri_rms_a = 0.0;  // pi I_o / (2 sqrt(2) n)
  double i_pri_rms_a = 0.0;       // sqrt(i_load^2 + I_m^2 / 3)
  double i_switch_rms_a = 0.0;    // primary switch: i_pri / sqrt(2)
  double i_off_a = 0.0;           // primary turn-off current = I_m
  double i_sec_rms_a = 0.0;       // transformer secondary (ac): pi I_o / (2 sqrt(2))
  double i_sr_rms_a = 0.0;        // each synchronous rectifier: pi I_o / 4
  double v_sr_block_v = 0.0;      // 2 V_out centre-tapped, V_out full bridge
  double i_out_cap_rms_a = 0.0;   // I_o sqrt(pi^2/8 - 1)
  double flux_swing_t = 0.0;      // transformer dB peak-to-peak = n V_out / (2 f N A_e)
  double i_pri_peak_a = 0.0;      // sqrt(2) i_load + I_m (upper bound)
};
LlcWaveforms llc_waveforms(double v_in_v, double v_out_v, double p_out_w, bool full_bridge,
                           bool secondary_full_bridge, double turns_ratio,
                           double magnetising_inductance_h, double f_sw_hz, int turns,
                           double core_area_m2) noexcept;

// ---- Dual active bridge, single phase shift ----
struct DabWaveforms {
  bool feasible = false;  // P below the maximum at phi = pi/2
  double p_max_w = 0.0;   // V1 V2' / (8 f L)
  double phi_rad = 0.0;   // phase shift of bridge 2 behind bridge 1
  double v1_v = 0.0;      // primary bridge square-wave amplitude
  double v2_ref_v = 0.0;  // secondary amplitude referred to the primary, n V_2
  double i_0_a = 0.0;     // inductor current at the primary edge (theta = 0), <= 0 for ZVS
  double i_phi_a = 0.0;   // inductor current at the secondary edge (theta = phi), >= 0 for ZVS
  double i_rms_a = 0.0;   // inductor (= transformer primary) RMS
  double i_out_a = 0.0;
  double i_out_cap_rms_a = 0.0;     // sqrt((n i_rms)^2 - I_o^2)
  double flux_swing_t = 0.0;        // transformer dB peak-to-peak = V2' / (2 f N A_e)
  std::array<Vertex, 4> current{};  // inductor current vertices over one period
};
// P = V1 V2' phi (pi - phi) / (2 pi^2 f L), solved for phi in [0, pi/2].
DabWaveforms dab_waveforms(double v_in_v, double v_out_v, double p_out_w, bool full_bridge,
                           double turns_ratio, double inductance_h, double f_sw_hz, int turns,
                           double core_area_m2) noexcept;

}  // namespace g2g::converters::waveforms

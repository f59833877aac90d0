// Topology equations (docs/converters.md): pure circuit analysis, no losses.
#include "g2g/converters/waveforms.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

namespace g2g::converters::waveforms {
namespace {

constexpr double pi = std::numbers::pi;

double safe_div(double a, double b) noexcept {
  return b != 0.0 ? a / b : 0.0;
}

// Vertex i's time and value, with the waveform extended periodically past the last vertex.
Vertex wrapped(std::span<const Vertex> v, std::size_t i, double period_s) noexcept {
  const std::size_t n = v.size();
  if (i < n) return v[i];
  return {v[i - n].t_s + period_s, v[i - n].value};
}

double slope_after(std::span<const Vertex> v, std::size_t i, double period_s) noexcept {
  const Vertex a = wrapped(v, i, period_s);
  const Vertex b = wrapped(v, i + 1, period_s);
  return safe_div(b.value - a.value, b.t_s - a.t_s);
}

}  // namespace

void pwl_harmonic_rms(std::span<const Vertex> vertices, double period_s,
                      std::span<double> out) noexcept {
  std::fill(out.begin(), out.end(), 0.0);
  const std::size_t n = vertices.size();
  if (n < 2 || period_s <= 0.0) return;
  const double w = 2.0 * pi / period_s;
  for (std::size_t k = 1; k <= out.size(); ++k) {
    std::complex<double> sum{0.0, 0.0};
    for (std::size_t i = 0; i < n; ++i) {
      const double s_before = slope_after(vertices, i == 0 ? n - 1 : i - 1, period_s);
      const double s_after = slope_after(vertices, i, period_s);
      const double angle = -static_cast<double>(k) * w * vertices[i].t_s;
      sum += (s_after - s_before) * std::complex<double>(std::cos(angle), std::sin(angle));
    }
    const double kw = static_cast<double>(k) * w;
    const double c_k = std::abs(sum) / (kw * kw * period_s);
    out[k - 1] = std::numbers::sqrt2 * c_k;
  }
}

double pwl_mean(std::span<const Vertex> vertices, double period_s) noexcept {
  if (vertices.empty() || period_s <= 0.0) return 0.0;
  double area = 0.0;
  for (std::size_t i = 0; i < vertices.size(); ++i) {
    const Vertex a = wrapped(vertices, i, period_s);
    const Vertex b = wrapped(vertices, i + 1, period_s);
    area += 0.5 * (a.value + b.value) * (b.t_s - a.t_s);
  }
  return area / period_s;
}

double pwl_rms(std::span<const Vertex> vertices, double period_s) noexcept {
  if (vertices.empty() || period_s <= 0.0) return 0.0;
  double sum = 0.0;
  for (std::size_t i = 0; i < vertices.size(); ++i) {
    const Vertex a = wrapped(vertices, i, period_s);
    const Vertex b = wrapped(vertices, i + 1, period_s);
    sum += (a.value * a.value + a.value * b.value + b.value * b.value) / 3.0 * (b.t_s - a.t_s);
  }
  return std::sqrt(std::max(0.0, sum / period_s));
}

double interleaving_ripple_factor(int phases, double duty) noexcept {
  if (phases <= 1) return 1.0;
  if (duty <= 0.0 || duty >= 1.0) return 0.0;
  const double n = phases;
  const double m = std::floor(n * duty);
  return n * (duty - m / n) * ((m + 1.0) / n - duty) / (duty * (1.0 - duty));
}

BuckWaveforms buck_waveforms(double v_in_v, double v_out_v, double p_out_w, int phases,
                             double inductance_h, double f_sw_hz, double r_control_ohm,
                             double r_sync_ohm, double r_inductor_ohm, int turns,
                             double core_area_m2) noexcept {
  BuckWaveforms w;
  const int n_ph = std::max(1, phases);
  w.i_phase_a = safe_div(p_out_w, v_out_v * n_ph);
  const double i = w.i_phase_a;
  w.duty = safe_div(v_out_v + i * (r_sync_ohm + r_inductor_ohm),
                    v_in_v - i * (r_control_ohm - r_sync_ohm));
  w.duty = std::clamp(w.duty, 0.0, 1.0);
  // Volt-seconds on L during the on-time: (V_in - V_out) D T.
  w.ripple_pp_a = safe_div((v_in_v - v_out_v) * w.duty, inductance_h * f_sw_hz);
  w.i_peak_a = i + 0.5 * w.ripple_pp_a;
  w.i_valley_a = i - 0.5 * w.ripple_pp_a;
  // RMS of a trapezoid of mean I and ripple dI over a fraction x of the period:
  // I^2 x (1 + r^2/12) with r = dI/I, written without dividing by I (valid at I = 0).
  const double sq = i * i + w.ripple_pp_a * w.ripple_pp_a / 12.0;
  w.i_rms_control_a = std::sqrt(w.duty * sq);
  w.i_rms_sync_a = std::sqrt((1.0 - w.duty) * sq);
  w.i_rms_inductor_a = std::sqrt(sq);
  w.i_rms_output_cap_a = interleaving_ripple_factor(n_ph, w.duty) * w.ripple_pp_a / std::sqrt(12.0);
  w.flux_swing_t =
      safe_div((v_in_v - v_out_v) * w.duty, f_sw_hz * std::max(1, turns) * core_area_m2);
  return w;
}

LlcWaveforms llc_waveforms(double v_in_v, double v_out_v, double p_out_w, bool full_bridge,
                           bool secondary_full_bridge, double turns_ratio,
                           double magnetising_inductance_h, double f_sw_hz, int turns,
                           double core_area_m2) noexcept {
  LlcWaveforms w;
  const double n = turns_ratio;
  w.v_bridge_v = full_bridge ? v_in_v : 0.5 * v_in_v;
  const double v_m = n * v_out_v;  // magnetising voltage: the output reflected, both half periods
  w.gain = safe_div(v_m, w.v_bridge_v);
  w.i_out_a = safe_div(p_out_w, v_out_v);
  // L_m sees +-n V_out for half a period each: dI_m = n V_out T/2 / L_m = 2 I_m.
  w.i_mag_peak_a = safe_div(v_m, 4.0 * magnetising_inductance_h * f_sw_hz);
  // The rectified secondary current is a half sine per half period averaging I_o: peak pi I_o/2.
  const double i_sec_peak = 0.5 * pi * w.i_out_a;
  w.i_sec_rms_a = i_sec_peak / std::numbers::sqrt2;
  w.i_load_pri_rms_a = safe_div(w.i_sec_rms_a, n);
  // Sine (load) and triangle (magnetising) are orthogonal over the period at resonance.
  w.i_pri_rms_a =
      std::sqrt(w.i_load_pri_rms_a * w.i_load_pri_rms_a + w.i_mag_peak_a * w.i_mag_peak_a / 3.0);
  w.i_switch_rms_a = w.i_pri_rms_a / std::numbers::sqrt2;
  w.i_off_a = w.i_mag_peak_a;
  w.i_pri_peak_a = std::numbers::sqrt2 * w.i_load_pri_rms_a + w.i_mag_peak_a;
  w.i_sr_rms_a = 0.5 * i_sec_peak;  // a half sine every other half period: I_pk / 2
  w.v_sr_block_v = secondary_full_bridge ? v_out_v : 2.0 * v_out_v;
  w.i_out_cap_rms_a = w.i_out_a * std::sqrt(pi * pi / 8.0 - 1.0);
  w.flux_swing_t = safe_div(v_m, 2.0 * f_sw_hz * std::max(1, turns) * core_area_m2);
  return w;
}

DabWaveforms dab_waveforms(double v_in_v, double v_out_v, double p_out_w, bool full_bridge,
                           double turns_ratio, double inductance_h, double f_sw_hz, int turns,
                           double core_area_m2) noexcept {
  DabWaveforms w;
  w.v1_v = full_bridge ? v_in_v : 0.5 * v_in_v;
  w.v2_ref_v = turns_ratio * (full_bridge ? v_out_v : 0.5 * v_out_v);
  w.i_out_a = safe_div(p_out_w, v_out_v);
  const double v1 = w.v1_v;
  const double v2 = w.v2_ref_v;
  const double wl = 2.0 * pi * f_sw_hz * inductance_h;
  w.p_max_w = safe_div(v1 * v2, 8.0 * f_sw_hz * inductance_h);
  // phi (pi - phi) = 2 pi^2 f L P / (V1 V2') = k  ->  phi = (pi - sqrt(pi^2 - 4k)) / 2.
  const double k = safe_div(2.0 * pi * pi * f_sw_hz * inductance_h * p_out_w, v1 * v2);
  const double disc = pi * pi - 4.0 * k;
  w.feasible = disc >= 0.0 && wl > 0.0 && v1 > 0.0 && v2 > 0.0;
  w.phi_rad = 0.5 * (pi - std::sqrt(std::max(0.0, disc)));
  const double phi = w.phi_rad;
  const double d = safe_div(v2, v1);
  // Half-period analysis (theta = w t): v_L = V1 + V2' on [0, phi], V1 - V2' on [phi, pi], and
  // i(pi) = -i(0).
  w.i_0_a = -safe_div(v1 * ((1.0 - d) * pi + 2.0 * d * phi), 2.0 * wl);
  w.i_phi_a = safe_div(v1 * (2.0 * phi - (1.0 - d) * pi), 2.0 * wl);
  const double period = 1.0 / f_sw_hz;
  const double t_phi = phi / (2.0 * pi) * period;
  w.current = {Vertex{0.0, w.i_0_a}, Vertex{t_phi, w.i_phi_a}, Vertex{0.5 * period, -w.i_0_a},
               Vertex{0.5 * period + t_phi, -w.i_phi_a}};
  w.i_rms_a = pwl_rms(w.current, period);
  // The secondary bridge's DC-side current is the transformer secondary current rectified, of
  // RMS n i_rms; the output capacitor carries its AC part (full bridge; half bridges likewise
  // approximated).
  const double i_sec_rms = turns_ratio * w.i_rms_a;
  w.i_out_cap_rms_a = std::sqrt(std::max(0.0, i_sec_rms * i_sec_rms - w.i_out_a * w.i_out_a));
  w.flux_swing_t = safe_div(v2, 2.0 * f_sw_hz * std::max(1, turns) * core_area_m2);
  return w;
}

}  // namespace g2g::converters::waveforms

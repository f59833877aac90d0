// Line-cycle waveforms of the totem-pole PFC and the three-phase active front end
// (docs/converters.md § Totem-pole PFC, § Active front end). No allocation: fixed-size arrays.
#include "g2g/converters/pfc_waveforms.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace g2g::converters::waveforms {
namespace {

constexpr double pi = std::numbers::pi;
constexpr double two_pi_3 = 2.0 * pi / 3.0;

// Midpoint of step k of n over (0, span).
double midpoint(int k, int n, double span) noexcept {
  return (k + 0.5) * span / n;
}

int clamp_points(int points) noexcept {
  return std::clamp(points, 1, line_cycle_points);
}

// Stride of the ripple-spectrum samples: every sample of a coarse evaluation, every
// ripple_spectrum_stride-th of a full one.
int spectrum_stride(int points) noexcept {
  return std::max(1, ripple_spectrum_stride * points / line_cycle_points);
}

// The reference of the three phases at theta, theta - 120°, theta + 120° from one sine and
// cosine.
std::array<double, 3> three_sines(double theta_rad) noexcept {
  const double s = std::sin(theta_rad);
  const double c = std::cos(theta_rad);
  const double h = std::sqrt(3.0) / 2.0;
  return {s, -0.5 * s - h * c, -0.5 * s + h * c};
}

double reference_from(double modulation_index, const std::array<double, 3>& abc,
                      Modulation modulation) noexcept {
  if (modulation == Modulation::sinusoidal) return modulation_index * abc[0];
  const double zero_sequence =
      -0.5 * (std::max({abc[0], abc[1], abc[2]}) + std::min({abc[0], abc[1], abc[2]}));
  return modulation_index * (abc[0] + zero_sequence);
}

// Variance over a switching period of the sum of n equal pulse trains (height h, duty d), evenly
// phase-shifted by T/n: with x = n d - floor(n d), the sum is floor(n d) + 1 pulses high for the
// fraction x of the time and floor(n d) otherwise, so the variance is h^2 x (1 - x).
double interleaved_pulse_variance(double h, double d, int n) noexcept {
  const double nd = n * std::clamp(d, 0.0, 1.0);
  const double x = nd - std::floor(nd);
  return h * h * x * (1.0 - x);
}

}  // namespace

BoostCell boost_cell(double v_step_v, double active_duty, double i_a, double inductance_h,
                     double f_sw_hz) noexcept {
  BoostCell c;
  c.active_duty = std::clamp(active_duty, 0.0, 1.0);
  c.i_a = std::max(i_a, 0.0);
  const double lf = inductance_h * f_sw_hz;
  c.ripple_pp_a = lf > 0.0 ? v_step_v * c.active_duty * (1.0 - c.active_duty) / lf : 0.0;
  c.i_peak_a = c.i_a + 0.5 * c.ripple_pp_a;
  c.i_valley_a = c.i_a - 0.5 * c.ripple_pp_a;
  // Each switch carries a linear segment from valley to peak (or back) over its conduction time:
  // mean square i^2 + dI^2/12 over that time.
  const double ms = c.i_a * c.i_a + c.ripple_pp_a * c.ripple_pp_a / 12.0;
  c.ms_active_a2 = c.active_duty * ms;
  c.ms_passive_a2 = (1.0 - c.active_duty) * ms;
  return c;
}

void add_ripple_harmonics_sq(double ripple_pp_a, double active_duty, double weight,
                             std::array<double, ripple_harmonics>& sum_sq) noexcept {
  const double d = active_duty;
  if (!(ripple_pp_a > 0.0) || !(d > 0.0) || !(d < 1.0)) return;
  // |c_k| = dI |sin(pi k d)| / (2 pi^2 k^2 d (1 - d)) (Fourier series of the piecewise-linear
  // triangle, waveforms.hpp pwl_harmonic_rms); RMS = sqrt(2) |c_k|. sin(pi k d) by the Chebyshev
  // recurrence s_k = 2 cos(pi d) s_{k-1} - s_{k-2}: one sin and one cos per call.
  const double scale = ripple_pp_a / (2.0 * pi * pi * d * (1.0 - d));
  const double c1 = std::cos(pi * d);
  double s_prev = 0.0;
  double s = std::sin(pi * d);
  for (int k = 1; k <= ripple_harmonics; ++k) {
    const double rms = std::sqrt(2.0) * scale * std::abs(s) / (static_cast<double>(k) * k);
    sum_sq[k - 1] += weight * rms * rms;
    const double s_next = 2.0 * c1 * s - s_prev;
    s_prev = s;
    s = s_next;
  }
}

PfcWaveforms pfc_waveforms(double v_ac_rms_v, double v_dc_v, double p_in_w, double p_out_w,
                           int phases, double inductance_h, double f_sw_hz, int points) noexcept {
  PfcWaveforms w;
  w.points = clamp_points(points);
  const int stride = spectrum_stride(w.points);
  const int n = std::max(phases, 1);
  w.v_peak_v = std::sqrt(2.0) * v_ac_rms_v;
  w.i_ac_rms_a = v_ac_rms_v > 0.0 ? p_in_w / v_ac_rms_v : 0.0;
  w.i_out_a = v_dc_v > 0.0 ? p_out_w / v_dc_v : 0.0;
  w.i_phase_rms_a = w.i_ac_rms_a / n;
  const double i_total_peak = std::sqrt(2.0) * w.i_ac_rms_a;
  const double weight = 1.0 / w.points;
  double ms_active = 0.0;
  double ms_passive = 0.0;
  double rect_mean = 0.0;  // line-cycle mean of the rectified (DC-side) current
  double rect_ms = 0.0;    // line-cycle mean of its mean square per switching period
  std::array<double, ripple_harmonics> harmonics_sq{};
  for (int k = 0; k < w.points; ++k) {
    const double theta = midpoint(k, w.points, 0.5 * pi);
    const double s = std::sin(theta);
    const double v = w.v_peak_v * s;
    const double i_total = i_total_peak * s;
    // Boost duty ([EM] ch. 21): the active switch conducts 1 - |v|/V_dc.
    const BoostCell c = boost_cell(v_dc_v, 1.0 - v / v_dc_v, i_total / n, inductance_h, f_sw_hz);
    w.theta_rad[static_cast<std::size_t>(k)] = theta;
    w.cells[static_cast<std::size_t>(k)] = c;
    ms_active += weight * c.ms_active_a2;
    ms_passive += weight * c.ms_passive_a2;
    const double ripple_ms = c.ripple_pp_a * c.ripple_pp_a / 12.0;
    w.ripple_ms_a2 += weight * ripple_ms;
    w.ripple_pp_max_a = std::max(w.ripple_pp_max_a, c.ripple_pp_a);
    w.i_peak_max_a = std::max(w.i_peak_max_a, c.i_peak_a);
    if (k % stride == stride / 2)
      add_ripple_harmonics_sq(c.ripple_pp_a, c.active_duty, weight * stride, harmonics_sq);
    // DC-side current of the n interleaved synchronous rectifiers: pulses of c.i_a for the
    // fraction 1 - delta of each phase's period (mean square of the sum: mean^2 + interleaved
    // variance), plus each phase's own ripple within its pulses (taken uncorrelated).
    const double d_r = 1.0 - c.active_duty;
    const double mean = n * d_r * c.i_a;
    rect_mean += weight * mean;
    rect_ms +=
        weight * (mean * mean + interleaved_pulse_variance(c.i_a, d_r, n) + n * d_r * ripple_ms);
  }
  w.i_rms_active_a = std::sqrt(ms_active);
  w.i_rms_passive_a = std::sqrt(ms_passive);
  w.i_rms_fast_device_a = std::sqrt(0.5 * (ms_active + ms_passive));
  w.i_rms_slow_device_a = w.i_ac_rms_a / std::sqrt(2.0);
  for (int k = 0; k < ripple_harmonics; ++k)
    w.ripple_harmonic_rms_a[static_cast<std::size_t>(k)] =
        std::sqrt(harmonics_sq[static_cast<std::size_t>(k)]);
  w.i_cap_rms_a = std::sqrt(std::max(rect_ms - rect_mean * rect_mean, 0.0));
  w.i_cap_lf_rms_a = rect_mean / std::sqrt(2.0);
  return w;
}

double phase_reference(double modulation_index, double theta_rad, Modulation modulation) noexcept {
  if (modulation == Modulation::sinusoidal) return modulation_index * std::sin(theta_rad);
  return reference_from(modulation_index, three_sines(theta_rad), modulation);
}

AfeWaveforms afe_waveforms(double v_ll_rms_v, double v_dc_v, double p_in_w, double p_out_w,
                           bool three_level, Modulation modulation, double inductance_h,
                           double f_sw_hz, int points) noexcept {
  AfeWaveforms w;
  w.points = clamp_points(points);
  const int stride = spectrum_stride(w.points);
  w.three_level = three_level;
  w.v_phase_peak_v = std::sqrt(2.0 / 3.0) * v_ll_rms_v;
  w.modulation_index = v_dc_v > 0.0 ? w.v_phase_peak_v / (0.5 * v_dc_v) : 0.0;
  // Peak of the reference: m (SPWM); m sqrt(3)/2 with the min-max zero sequence (reached at
  // 60° from the phase's zero crossing).
  w.max_reference = modulation == Modulation::sinusoidal
                        ? w.modulation_index
                        : w.modulation_index * std::sqrt(3.0) / 2.0;
  w.i_phase_rms_a = v_ll_rms_v > 0.0 ? p_in_w / (std::sqrt(3.0) * v_ll_rms_v) : 0.0;
  w.i_out_a = v_dc_v > 0.0 ? p_out_w / v_dc_v : 0.0;
  const double i_peak = std::sqrt(2.0) * w.i_phase_rms_a;
  const double v_step = three_level ? 0.5 * v_dc_v : v_dc_v;
  const double weight = 1.0 / w.points;
  double ms_active = 0.0;
  double ms_passive = 0.0;
  std::array<double, ripple_harmonics> harmonics_sq{};
  for (int k = 0; k < w.points; ++k) {
    const double theta = midpoint(k, w.points, 0.5 * pi);
    const std::array<double, 3> abc = three_sines(theta);
    const double u = std::clamp(reference_from(w.modulation_index, abc, modulation), -1.0, 1.0);
    // 2-level: top switch duty (1 + u)/2, the bottom (active for i > 0) conducts (1 - u)/2.
    // 3-level: the leg is at P for u and at the midpoint O (inner pair, active) for 1 - u.
    const double delta = three_level ? 1.0 - u : 0.5 * (1.0 - u);
    const BoostCell c = boost_cell(v_step, delta, i_peak * abc[0], inductance_h, f_sw_hz);
    w.theta_rad[static_cast<std::size_t>(k)] = theta;
    w.cells[static_cast<std::size_t>(k)] = c;
    ms_active += weight * c.ms_active_a2;
    ms_passive += weight * c.ms_passive_a2;
    w.ripple_ms_a2 += weight * c.ripple_pp_a * c.ripple_pp_a / 12.0;
    w.ripple_pp_max_a = std::max(w.ripple_pp_max_a, c.ripple_pp_a);
    w.i_peak_max_a = std::max(w.i_peak_max_a, c.i_peak_a);
    if (k % stride == stride / 2)
      add_ripple_harmonics_sq(c.ripple_pp_a, c.active_duty, weight * stride, harmonics_sq);
  }
  if (three_level) {
    w.i_rms_outer_a = std::sqrt(0.5 * ms_passive);  // conducts (state P) in one half period only
    w.i_rms_inner_a = std::sqrt(ms_active);         // both inner devices, both half periods
  } else {
    w.i_rms_outer_a = std::sqrt(0.5 * (ms_active + ms_passive));
    w.i_rms_inner_a = w.i_rms_outer_a;
  }
  for (int k = 0; k < ripple_harmonics; ++k)
    w.ripple_harmonic_rms_a[static_cast<std::size_t>(k)] =
        std::sqrt(harmonics_sq[static_cast<std::size_t>(k)]);

  // DC-link (3-level: upper half) capacitor: the current into the P rail is sum_x s_x i_x, s_x the
  // leg's P-state switching function. With centre-aligned pulses of widths d_x in every period
  // the overlap of pulses x and y is min(d_x, d_y), so its mean square per period is
  // sum_x sum_y i_x i_y min(d_x, d_y); the capacitor takes what differs from the line-cycle mean.
  // The ripple within the pulses is neglected. Sampled over one third of the period (the
  // phases repeat under relabelling).
  double mean_p = 0.0;
  double ms_p = 0.0;
  for (int k = 0; k < w.points; ++k) {
    const double theta = midpoint(k, w.points, two_pi_3);
    const std::array<double, 3> abc = three_sines(theta);
    // Phase x's own reference: the same zero sequence, its own sine first.
    std::array<double, 3> i{};
    std::array<double, 3> d{};
    for (std::size_t x = 0; x < 3; ++x) {
      const std::array<double, 3> own{abc[x], abc[(x + 1) % 3], abc[(x + 2) % 3]};
      const double u = std::clamp(reference_from(w.modulation_index, own, modulation), -1.0, 1.0);
      i[x] = i_peak * abc[x];
      d[x] = three_level ? std::max(u, 0.0) : 0.5 * (1.0 + u);
    }
    double mean = 0.0;
    double ms = 0.0;
    for (std::size_t x = 0; x < 3; ++x) {
      mean += d[x] * i[x];
      for (std::size_t y = 0; y < 3; ++y) ms += i[x] * i[y] * std::min(d[x], d[y]);
    }
    mean_p += weight * mean;
    ms_p += weight * ms;
  }
  w.i_cap_rms_a = std::sqrt(std::max(ms_p - mean_p * mean_p, 0.0));
  return w;
}

}  // namespace g2g::converters::waveforms

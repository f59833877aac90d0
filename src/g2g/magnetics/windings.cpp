// Winding AC resistance by Dowell's method and the Fourier harmonics of piecewise-linear
// currents it is summed over. Derivations and sources: docs/magnetics.md.
#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>

#include "g2g/magnetics/magnetics.hpp"

namespace g2g::magnetics {

namespace {

// Vacuum permeability (CODATA 2018); windings are non-magnetic (μ_r = 1).
constexpr double mu0_h_m = 1.25663706212e-6;

// Below this Δ the difference sinh Δ − sin Δ (≈ Δ³/3) loses digits to cancellation; the Taylor
// series F_R = 1 + (5m² − 1) Δ⁴ / 45 is exact to O(Δ⁸) there (< 1e-16 · m⁴).
constexpr double dowell_series_below = 1e-2;
// Above this Δ both ratios equal 1 to within 4 e^(−Δ) < 2e-17, and e^Δ would overflow past
// ~710: use the limit.
constexpr double dowell_limit_above = 40.0;

}  // namespace

double skin_depth_m(double rho_ohm_m, double f_hz) noexcept {
  if (!(f_hz > 0.0)) {
    return std::numeric_limits<double>::infinity();
  }
  return std::sqrt(rho_ohm_m / (std::numbers::pi * f_hz * mu0_h_m));
}

namespace {

// Dowell's F_R for a given Δ and layer count m, written with sinh, cosh, sin, cos of Δ alone:
// sinh 2Δ + sin 2Δ = 2 (sh ch + s c) and cosh 2Δ − cos 2Δ = 2 (sh² + s²), which removes the
// cancellation in the denominator and needs one expm1 and one sin/cos pair per call (it runs
// per harmonic inside every converter operating point).
double dowell_of_delta(double delta, double m) noexcept {
  const double proximity_weight = 2.0 * (m * m - 1.0) / 3.0;
  if (delta < dowell_series_below) {
    return 1.0 + (5.0 * m * m - 1.0) * delta * delta * delta * delta / 45.0;
  }
  if (delta > dowell_limit_above) {
    return delta * (1.0 + proximity_weight);
  }
  const double em1 = std::expm1(delta);  // e^Δ − 1, exact for small Δ
  const double e = em1 + 1.0;
  const double sh = 0.5 * em1 * (1.0 + 1.0 / e);  // sinh Δ without cancellation
  const double ch = 0.5 * (e + 1.0 / e);
  const double s = std::sin(delta);
  const double c = std::cos(delta);
  const double skin = (sh * ch + s * c) / (sh * sh + s * s);
  const double proximity = (sh - s) / (ch + c);
  return delta * (skin + proximity_weight * proximity);
}

// Δ at f_hz: (h/δ) √η (Dowell 1966; Ferreira 1994 for round wire).
double dowell_delta(double h_m, double rho_ohm_m, double f_hz, double porosity) noexcept {
  return h_m / skin_depth_m(rho_ohm_m, f_hz) * std::sqrt(porosity);
}

}  // namespace

double dowell_factor(double h_m, int layers, double rho_ohm_m, double f_hz,
                     double porosity) noexcept {
  if (!(f_hz > 0.0) || !(h_m > 0.0)) {
    return 1.0;
  }
  return dowell_of_delta(dowell_delta(h_m, rho_ohm_m, f_hz, porosity),
                         static_cast<double>(std::max(layers, 1)));
}

DowellLayer round_wire_layer(double d_m, int turns_per_layer, double layer_height_m) noexcept {
  DowellLayer layer;
  layer.h_m = d_m * std::sqrt(std::numbers::pi) / 2.0;
  if (layer_height_m > 0.0 && turns_per_layer > 0) {
    layer.porosity = std::min(1.0, turns_per_layer * layer.h_m / layer_height_m);
  }
  return layer;
}

double winding_loss_w(double r_dc_ohm, double i_dc_a, std::span<const double> harmonic_rms_a,
                      double f_hz, double h_m, int layers, double rho_ohm_m,
                      double porosity) noexcept {
  // Harmonics are orthogonal, so their losses add (Dowell's factor is per frequency). δ ∝ 1/√f,
  // so Δ_n = Δ_1 √n: one skin depth for all harmonics.
  double loss_w = i_dc_a * i_dc_a * r_dc_ohm;
  const bool ac = f_hz > 0.0 && h_m > 0.0;
  const double delta_1 = ac ? dowell_delta(h_m, rho_ohm_m, f_hz, porosity) : 0.0;
  const double m = static_cast<double>(std::max(layers, 1));
  for (std::size_t index = 0; index < harmonic_rms_a.size(); ++index) {
    const double i_n_a = harmonic_rms_a[index];
    if (i_n_a == 0.0) {
      continue;
    }
    const double f_r =
        ac ? dowell_of_delta(delta_1 * std::sqrt(static_cast<double>(index + 1)), m) : 1.0;
    loss_w += i_n_a * i_n_a * r_dc_ohm * f_r;
  }
  return loss_w;
}

std::vector<double> harmonic_rms_a(std::span<const FluxPoint> waveform, double period_s,
                                   int count) {
  std::vector<double> rms_a(static_cast<std::size_t>(std::max(count, 0)), 0.0);
  if (waveform.size() < 2 || !(period_s > 0.0) || count <= 0) {
    return rms_a;
  }
  // c_n = (1/T) Σ_segments ∫ x(t) e^(−jnωt) dt, in closed form per linear segment from
  // (t_a, x_a) with slope s over Δt:
  //   ∫ = (j/w) x_a (e_b − e_a) + s [ (j/w) Δt e_b + (e_b − e_a) / w² ],  w = nω, e = e^(−jwt).
  // Steps (Δt = 0) contribute nothing to the integral and are thereby exact too. The phasors
  // e^(−jnωt_k) are advanced by multiplication from harmonic to harmonic (no sin/cos per n).
  const double omega = 2.0 * std::numbers::pi / period_s;
  const std::size_t vertices = waveform.size();
  struct Segment {
    double x_a;
    double slope;
    double dt_s;
    std::complex<double> step_a;  // e^(−jωt_a)
    std::complex<double> step_b;  // e^(−jωt_b)
    std::complex<double> phase_a;
    std::complex<double> phase_b;
  };
  std::vector<Segment> segments;
  segments.reserve(vertices);
  for (std::size_t index = 0; index < vertices; ++index) {
    const FluxPoint& from = waveform[index];
    const bool closing = index + 1 == vertices;
    const FluxPoint& to = closing ? waveform.front() : waveform[index + 1];
    const double t_b_s = closing ? waveform.front().t_s + period_s : to.t_s;
    const double dt_s = t_b_s - from.t_s;
    if (!(dt_s > 0.0)) {
      continue;
    }
    const std::complex<double> step_a = std::polar(1.0, -omega * from.t_s);
    const std::complex<double> step_b = std::polar(1.0, -omega * t_b_s);
    segments.push_back(
        {from.b_t, (to.b_t - from.b_t) / dt_s, dt_s, step_a, step_b, step_a, step_b});
  }
  const std::complex<double> j{0.0, 1.0};
  for (int n = 1; n <= count; ++n) {
    const double w = omega * n;
    std::complex<double> integral{0.0, 0.0};
    for (Segment& segment : segments) {
      const std::complex<double> difference = segment.phase_b - segment.phase_a;
      integral += (j / w) * segment.x_a * difference +
                  segment.slope * ((j / w) * segment.dt_s * segment.phase_b + difference / (w * w));
      segment.phase_a *= segment.step_a;
      segment.phase_b *= segment.step_b;
    }
    // RMS of harmonic n = √2 |c_n| (amplitude 2|c_n|).
    rms_a[static_cast<std::size_t>(n - 1)] = std::numbers::sqrt2 * std::abs(integral) / period_s;
  }
  return rms_a;
}

}  // namespace g2g::magnetics

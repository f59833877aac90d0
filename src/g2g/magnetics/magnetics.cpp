// Core loss by the improved Steinmetz equation (iGSE) for piecewise-linear flux waveforms, and
// the waveform helpers. Derivations and sources: docs/magnetics.md.
#include "g2g/magnetics/magnetics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include "g2g/core/error.hpp"

namespace g2g::magnetics {

namespace {

// ∫_0^{2π} |cos θ|^α dθ = 4 ∫_0^{π/2} cos^α θ dθ = 2 √π Γ((α+1)/2) / Γ(α/2 + 1) (Wallis'
// integral through the Beta function), exact for any α > -1; no quadrature needed.
double abs_cos_power_integral(double alpha) noexcept {
  return 2.0 * std::sqrt(std::numbers::pi) * std::tgamma(0.5 * (alpha + 1.0)) /
         std::tgamma(0.5 * alpha + 1.0);
}

}  // namespace

double steinmetz_k(const CoreMaterial& material) noexcept {
  // Venkatachalam et al. (COMPEL 2002): k_i = k / ((2π)^(α-1) ∫|cos θ|^α 2^(β-α) dθ), so that
  // the iGSE of a sine of peak B equals k f^α B^β.
  const double alpha = material.alpha;
  const double beta = material.beta;
  return material.k_i * std::pow(2.0 * std::numbers::pi, alpha - 1.0) *
         std::pow(2.0, beta - alpha) * abs_cos_power_integral(alpha);
}

double k_i_from_steinmetz_k(double k, double alpha, double beta) noexcept {
  return k / (std::pow(2.0 * std::numbers::pi, alpha - 1.0) * std::pow(2.0, beta - alpha) *
              abs_cos_power_integral(alpha));
}

double core_loss_temperature_factor(const CoreMaterial& material, double temperature_c) noexcept {
  return material.ct2 - material.ct1 * temperature_c + material.ct0 * temperature_c * temperature_c;
}

double sine_loss_density_w_m3(const CoreMaterial& material, double f_hz, double b_peak_t) noexcept {
  return steinmetz_k(material) * std::pow(f_hz, material.alpha) *
         std::pow(std::abs(b_peak_t), material.beta);
}

double igse_loss_density_w_m3(const CoreMaterial& material, std::span<const FluxPoint> waveform,
                              double period_s) noexcept {
  if (waveform.size() < 2 || !(period_s > 0.0)) {
    return 0.0;
  }
  double b_min_t = waveform.front().b_t;
  double b_max_t = waveform.front().b_t;
  for (const FluxPoint& point : waveform) {
    b_min_t = std::min(b_min_t, point.b_t);
    b_max_t = std::max(b_max_t, point.b_t);
  }
  const double b_pp_t = b_max_t - b_min_t;
  if (!(b_pp_t > 0.0)) {
    return 0.0;
  }
  const double alpha = material.alpha;
  // On a linear segment |dB/dt| is constant, so the iGSE integral is exact per segment:
  // k_i |ΔB/Δt|^α ΔB_pp^(β-α) Δt = k_i |ΔB|^α Δt^(1-α) ΔB_pp^(β-α).
  double sum = 0.0;
  const std::size_t count = waveform.size();
  for (std::size_t index = 0; index < count; ++index) {
    const FluxPoint& from = waveform[index];
    const bool closing = index + 1 == count;
    const FluxPoint& to = closing ? waveform.front() : waveform[index + 1];
    const double dt_s = closing ? waveform.front().t_s + period_s - from.t_s : to.t_s - from.t_s;
    const double db_t = std::abs(to.b_t - from.b_t);
    if (db_t == 0.0) {
      continue;
    }
    if (!(dt_s > 0.0)) {
      // A step in flux needs an infinite voltage; its iGSE loss diverges (α > 1).
      return std::numeric_limits<double>::infinity();
    }
    sum += std::pow(db_t, alpha) * std::pow(dt_s, 1.0 - alpha);
  }
  return material.k_i * std::pow(b_pp_t, material.beta - alpha) * sum / period_s;
}

std::vector<FluxPoint> triangle_flux(double period_s, double b_pp_t, double duty) {
  if (!(period_s > 0.0)) {
    throw InvalidInput("period", "triangle_flux: the period must be positive");
  }
  if (!(duty > 0.0 && duty < 1.0)) {
    throw InvalidInput("duty", "triangle_flux: the duty must lie strictly between 0 and 1");
  }
  return {{0.0, -0.5 * b_pp_t}, {duty * period_s, 0.5 * b_pp_t}};
}

// ---- Capacitors ----

double capacitor_loss_w(double i_rms_a, double esr_ohm) noexcept {
  return i_rms_a * i_rms_a * esr_ohm;
}

}  // namespace g2g::magnetics

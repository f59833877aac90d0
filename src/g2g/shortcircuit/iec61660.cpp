// IEC 61660-1 approximation function and the capacitor's partial current (iec61660.hpp;
// docs/shortcircuit.md gives the equations and what is left out, and why).
#include "g2g/shortcircuit/iec61660.hpp"

#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "g2g/core/error.hpp"

namespace g2g::shortcircuit {
namespace {

void require(bool ok, const char* subject, const std::string& message) {
  if (!ok) throw InvalidInput(subject, message);
}

void check_circuit(const CapacitorCircuit& c) {
  require(std::isfinite(c.c_f) && c.c_f > 0.0, "capacitance",
          fmt::format("must be positive and finite, got {} F", c.c_f));
  require(std::isfinite(c.r_ohm) && c.r_ohm >= 0.0, "resistance",
          fmt::format("must be >= 0 and finite, got {} ohm", c.r_ohm));
  require(std::isfinite(c.l_h) && c.l_h >= 0.0, "inductance",
          fmt::format("must be >= 0 and finite, got {} H", c.l_h));
  require(c.r_ohm > 0.0 || c.l_h > 0.0, "resistance",
          "and inductance are both 0: the discharge current is unbounded");
  require(std::isfinite(c.e_v), "voltage", fmt::format("must be finite, got {} V", c.e_v));
}

// sin(w t) / w and sinh(g t) / g without the 0/0 at w, g -> 0 (series to the t^3 term, exact to
// about 1e-17 relative below x t = 1e-4).
double sin_over(double w, double t) {
  const double x = w * t;
  return std::abs(x) < 1e-4 ? t * (1.0 - x * x / 6.0) : std::sin(x) / w;
}

}  // namespace

double approximation_current_a(const ApproximationFunction& f, double t_s) {
  require(f.t_p_s >= 0.0 && f.tau1_s >= 0.0 && f.tau2_s >= 0.0, "approximation function",
          "t_p, tau1 and tau2 must be >= 0");
  require(f.i_p_a >= 0.0 && f.i_k_a >= 0.0 && f.i_k_a <= f.i_p_a, "approximation function",
          fmt::format("needs 0 <= I_k <= i_p, got I_k = {} A, i_p = {} A", f.i_k_a, f.i_p_a));
  if (t_s < 0.0) return 0.0;
  if (t_s <= f.t_p_s) {
    if (t_s == f.t_p_s) return f.i_p_a;
    if (f.tau1_s == 0.0) return t_s > 0.0 ? f.i_p_a : 0.0;     // the limit tau1 -> 0: a step
    if (std::isinf(f.tau1_s)) return f.i_p_a * t_s / f.t_p_s;  // tau1 -> inf: a ramp
    // expm1 keeps the ratio exact when t_p << tau1 (both sides near 0).
    return f.i_p_a * std::expm1(-t_s / f.tau1_s) / std::expm1(-f.t_p_s / f.tau1_s);
  }
  if (f.i_p_a == 0.0) return 0.0;
  const double alpha = f.i_k_a / f.i_p_a;
  if (std::isinf(f.tau2_s)) return f.i_p_a;
  if (f.tau2_s == 0.0) return f.i_k_a;
  return f.i_p_a * ((1.0 - alpha) * std::exp(-(t_s - f.t_p_s) / f.tau2_s) + alpha);
}

double capacitor_discharge_current_a(const CapacitorCircuit& c, double t_s) {
  check_circuit(c);
  if (t_s < 0.0) return 0.0;
  if (c.l_h == 0.0) return c.e_v / c.r_ohm * std::exp(-t_s / (c.r_ohm * c.c_f));
  const double delta = c.r_ohm / (2.0 * c.l_h);
  const double w0_sq = 1.0 / (c.l_h * c.c_f);
  const double d = w0_sq - delta * delta;
  const double e_over_l = c.e_v / c.l_h;
  if (d > 0.0) return e_over_l * std::exp(-delta * t_s) * sin_over(std::sqrt(d), t_s);
  if (d == 0.0) return e_over_l * t_s * std::exp(-delta * t_s);
  // Overdamped: (e^(-a t) - e^(-b t)) / (2 gamma), a = delta - gamma written as
  // omega_0^2 / (delta + gamma) so that it keeps its digits when delta >> omega_0.
  const double gamma = std::sqrt(-d);
  if (gamma * t_s < 1e-4) {
    const double x = gamma * t_s;
    return e_over_l * std::exp(-delta * t_s) * t_s * (1.0 + x * x / 6.0);
  }
  const double a = w0_sq / (delta + gamma);
  return e_over_l * std::exp(-a * t_s) * -std::expm1(-2.0 * gamma * t_s) / (2.0 * gamma);
}

DischargePeak capacitor_discharge_peak(const CapacitorCircuit& c) {
  check_circuit(c);
  if (c.l_h == 0.0) return {.i_p_a = c.e_v / c.r_ohm, .t_p_s = 0.0};
  const double delta = c.r_ohm / (2.0 * c.l_h);
  const double w0 = 1.0 / std::sqrt(c.l_h * c.c_f);
  const double d = w0 * w0 - delta * delta;
  double t_p_s = 0.0;
  if (d > 0.0) {
    // di/dt = 0 where tan(omega t) = omega / delta; there sin(omega t) = omega / omega_0.
    const double w = std::sqrt(d);
    t_p_s = std::atan2(w, delta) / w;
    return {.i_p_a = c.e_v * std::sqrt(c.c_f / c.l_h) * std::exp(-delta * t_p_s), .t_p_s = t_p_s};
  }
  if (d == 0.0) {
    t_p_s = 1.0 / delta;
  } else {
    // tanh(gamma t) = gamma / delta: t_p = ln((delta + gamma) / omega_0) / gamma, written with
    // log1p and delta - omega_0 = gamma^2 / (delta + omega_0) so that it holds its digits both
    // near critical damping (gamma -> 0) and for delta >> omega_0.
    const double gamma = std::sqrt(-d);
    t_p_s = std::log1p((gamma + gamma * gamma / (delta + w0)) / w0) / gamma;
  }
  return {.i_p_a = capacitor_discharge_current_a(c, t_p_s), .t_p_s = t_p_s};
}

CapacitorContribution iec61660_capacitor(const CapacitorCircuit& c) {
  const DischargePeak peak = capacitor_discharge_peak(c);
  CapacitorContribution out;
  out.i_p_a = peak.i_p_a;
  out.t_p_s = peak.t_p_s;
  out.i_k_a = 0.0;
  if (c.l_h == 0.0) {
    // A pure R-C discharge: a step to E/R at t = 0 and the decay e^(-t / RC). The approximation
    // function with t_p = 0, I_k = 0 and tau2 = R C is then exact.
    out.tau1_s = 0.0;
    out.tau2_s = c.r_ohm * c.c_f;
  } else {
    out.missing =
        "tau1C = k1C t_pC and tau2C = k2C R_C C: k1C and k2C are read from charts of IEC "
        "61660-1 that no public source reproduced for grid2gpu; not guessed";
  }
  return out;
}

std::optional<ApproximationFunction> approximation_of(const CapacitorContribution& c) {
  if (!c.tau1_s || !c.tau2_s) return std::nullopt;
  return ApproximationFunction{.i_p_a = c.i_p_a,
                               .t_p_s = c.t_p_s,
                               .tau1_s = *c.tau1_s,
                               .tau2_s = *c.tau2_s,
                               .i_k_a = c.i_k_a};
}

}  // namespace g2g::shortcircuit

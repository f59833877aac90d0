// Junction-temperature fixed point (docs/devices.md, "Thermal coupling").
//
// f(T) = T_amb + R_th P(T) - T is positive at T_amb (losses are >= 0). Starting there, the
// iteration moves up towards the smallest root, which is the stable operating point (g'(T) < 1
// there). Steps are secant (Newton on f with the slope of the last two points), damped so they
// never go below the last point with f > 0 or above the first point found with f < 0; once such
// a bracket exists a step that leaves it is replaced by bisection. For a convex P(T) (R_DS(on)
// rising as a power of T) secant steps from below never jump past the smallest root, so a second,
// unstable root above it cannot be picked up by accident.
#include "g2g/devices/thermal.hpp"

#include <algorithm>
#include <cmath>

namespace g2g::devices {
namespace {

// Above t_j_max + this, a device is destroyed and the loss model is meaningless: no fixed point
// below it is thermal runaway.
constexpr double runaway_margin_k = 250.0;
constexpr double tolerance_k = 1e-6;
constexpr int max_iterations = 100;

}  // namespace

ThermalPoint solve_junction(const std::function<double(double)>& loss_at, double r_th_total_k_per_w,
                            double t_ambient_c, double t_j_max_c) {
  ThermalPoint point;
  const double t_cap = std::max(t_j_max_c, t_ambient_c) + runaway_margin_k;
  const auto residual = [&](double t_c, double& loss_w) {
    loss_w = loss_at(t_c);
    return t_ambient_c + r_th_total_k_per_w * loss_w - t_c;
  };

  double lo = t_ambient_c;  // f(lo) >= 0
  double hi = t_cap;        // f(hi) < 0 once `bracketed`
  bool bracketed = false;
  double t = t_ambient_c;
  double loss = 0.0;
  double f = residual(t, loss);
  double t_prev = t, f_prev = f;
  bool have_prev = false;

  for (int k = 1; k <= max_iterations; ++k) {
    point.iterations = k;
    if (std::fabs(f) <= tolerance_k || (bracketed && hi - lo <= tolerance_k)) {
      point.converged = true;
      break;
    }
    if (f > 0.0)
      lo = t;
    else {
      hi = t;
      bracketed = true;
    }
    // Fixed-point step first (t + f), then secant on f.
    double next = t + f;
    if (have_prev && t != t_prev) {
      const double slope = (f - f_prev) / (t - t_prev);
      if (slope < 0.0) next = t - f / slope;
    }
    if (bracketed && (next <= lo || next >= hi)) next = 0.5 * (lo + hi);
    if (!bracketed && next > t_cap) {
      // Beyond the cap: a root below it or runaway.
      double loss_cap = 0.0;
      const double f_cap = residual(t_cap, loss_cap);
      if (f_cap > 0.0) {
        point.runaway = true;
        point.t_j_c = t_cap;
        point.loss_w = loss_cap;
        point.over_limit = true;
        return point;
      }
      hi = t_cap;
      bracketed = true;
      next = 0.5 * (lo + hi);
    }
    t_prev = t;
    f_prev = f;
    have_prev = true;
    t = next;
    f = residual(t, loss);
  }
  if (!point.converged && std::fabs(f) <= tolerance_k) point.converged = true;
  point.t_j_c = t;
  point.loss_w = loss;
  point.over_limit = t > t_j_max_c;
  return point;
}

LossAtTemperature loss_with_cooling(const Device& device, const SwitchStress& stress,
                                    const GateDrive& gate, const Cooling& cooling) {
  LossAtTemperature result;
  const double r_th = device.r_th_jc_k_per_w + cooling.r_th_ca_k_per_w;
  // Only the share of the gate-drive energy burnt in the internal gate resistance heats the die;
  // the rest is in the driver and the external resistor.
  const double r_g_total = device.r_g_internal_ohm + gate.r_g_ext_ohm;
  const double gate_share = r_g_total > 0.0 ? device.r_g_internal_ohm / r_g_total : 0.0;
  result.thermal = solve_junction(
      [&](double t_j_c) {
        const DeviceLoss loss = device_loss(device, stress, gate, t_j_c);
        return loss.total_w() - loss.gate_w * (1.0 - gate_share);
      },
      r_th, cooling.t_ambient_c, device.t_j_max_c);
  result.loss = device_loss(device, stress, gate, result.thermal.t_j_c);
  return result;
}

double foster_step_response_k_per_w(std::span<const FosterTerm> terms, double t_s) noexcept {
  double z = 0.0;
  for (const FosterTerm& term : terms)
    z += term.tau_s > 0.0 ? -term.r_k_per_w * std::expm1(-t_s / term.tau_s) : term.r_k_per_w;
  return z;
}

FosterNetwork::FosterNetwork(std::span<const FosterTerm> terms)
    : terms_(terms.begin(), terms.end()),
      rise_k_(terms.size(), 0.0),
      decay_(terms.size(), 0.0),
      one_minus_decay_(terms.size(), 1.0) {}

void FosterNetwork::reset(double loss_w) noexcept {
  free_rise_k_ = 0.0;
  for (std::size_t i = 0; i < terms_.size(); ++i) {
    rise_k_[i] = terms_[i].r_k_per_w * loss_w;
    free_rise_k_ += rise_k_[i] * decay_[i];
  }
}

void FosterNetwork::prepare(double dt_s) noexcept {
  if (dt_s != prepared_dt_s_) {
    gain_k_per_w_ = 0.0;
    for (std::size_t i = 0; i < terms_.size(); ++i) {
      // 1 - a from expm1: exact to the last bit when dt << tau, where 1 - exp() cancels.
      const double tau = terms_[i].tau_s;
      one_minus_decay_[i] = tau > 0.0 ? -std::expm1(-dt_s / tau) : 1.0;
      decay_[i] = tau > 0.0 ? std::exp(-dt_s / tau) : 0.0;
      gain_k_per_w_ += terms_[i].r_k_per_w * one_minus_decay_[i];
    }
    prepared_dt_s_ = dt_s;
  }
  free_rise_k_ = 0.0;
  for (std::size_t i = 0; i < terms_.size(); ++i) free_rise_k_ += rise_k_[i] * decay_[i];
}

void FosterNetwork::commit(double loss_w) noexcept {
  for (std::size_t i = 0; i < terms_.size(); ++i)
    rise_k_[i] = rise_k_[i] * decay_[i] + terms_[i].r_k_per_w * loss_w * one_minus_decay_[i];
}

double FosterNetwork::step(double dt_s, double loss_w) noexcept {
  prepare(dt_s);
  commit(loss_w);
  return rise_k();
}

double FosterNetwork::rise_k() const noexcept {
  double sum = 0.0;
  for (const double rise : rise_k_) sum += rise;
  return sum;
}

double FosterNetwork::r_total_k_per_w() const noexcept {
  double sum = 0.0;
  for (const FosterTerm& term : terms_) sum += term.r_k_per_w;
  return sum;
}

}  // namespace g2g::devices

// Junction temperature from losses: T_j = T_ambient + P(T_j) (R_th(j-c) + R_th(c-a)), solved
// self-consistently because R_DS(on) and so P rise with T_j. See docs/devices.md.
#pragma once

#include <functional>
#include <span>
#include <vector>

#include "g2g/devices/device.hpp"

namespace g2g::devices {

struct Cooling {
  double t_ambient_c = 40.0;     // coolant or air at the heatsink
  double r_th_ca_k_per_w = 0.5;  // case (or board) to ambient, per device position
};

struct ThermalPoint {
  double t_j_c = 0.0;
  double loss_w = 0.0;
  int iterations = 0;
  bool converged = false;
  bool runaway = false;     // no fixed point below the limit: the loss outgrows the cooling
  bool over_limit = false;  // t_j_c above the device's t_j_max_c
};

// Fixed point of T_j = T_amb + loss(T_j) * r_th_total (damped iteration; a bracketing fallback
// when it does not contract). `loss_at` is the loss of the device at a given T_j.
ThermalPoint solve_junction(const std::function<double(double)>& loss_at, double r_th_total_k_per_w,
                            double t_ambient_c, double t_j_max_c);

// A device's loss at its own junction temperature: solve_junction over device_loss with
// R_th = R_th(j-c) + cooling.r_th_ca_k_per_w. Converters call this for every switch position.
// thermal.loss_w is the power that heats the junction: loss.total_w() less the share of the
// gate-drive energy burnt outside the die (driver and R_g,ext).
struct LossAtTemperature {
  DeviceLoss loss;
  ThermalPoint thermal;
};
LossAtTemperature loss_with_cooling(const Device& device, const SwitchStress& stress,
                                    const GateDrive& gate, const Cooling& cooling);

// Z_th(t) = sum R_i (1 - e^(-t / tau_i)) (K/W): the rise per watt t_s after a loss step applied to
// the network at rest (closed form; a term with tau = 0 is static).
double foster_step_response_k_per_w(std::span<const FosterTerm> terms, double t_s) noexcept;

// A Foster network driven by a loss held constant over each step (zero-order hold), advanced by
// the exact solution of each term's C_i dT_i/dt = P - T_i / R_i over the step:
//   dT_i[k+1] = dT_i[k] a_i + R_i P_k (1 - a_i),   a_i = e^(-dt / tau_i),
// for any dt (profile times need not be uniform; dt = infinity jumps to the steady state). A term
// with tau = 0 is static (dT_i = R_i P). Storage is allocated by the constructor only: prepare,
// rise_after, commit and step allocate nothing (they run once per profile step). The end-of-step
// rise is affine in the step's loss, free_rise_k() + step_gain_k_per_w() P, which lets the caller
// iterate a temperature-dependent loss against it before committing.
class FosterNetwork {
 public:
  FosterNetwork() = default;
  explicit FosterNetwork(std::span<const FosterTerm> terms);

  // Every term at its steady state under `loss_w` (0: at rest).
  void reset(double loss_w = 0.0) noexcept;
  // Decay factors of a step of dt_s > 0 (recomputed only when dt_s changes).
  void prepare(double dt_s) noexcept;
  // The prepared step's end rise with zero loss (the state decayed), and its gain per watt.
  [[nodiscard]] double free_rise_k() const noexcept { return free_rise_k_; }
  [[nodiscard]] double step_gain_k_per_w() const noexcept { return gain_k_per_w_; }
  [[nodiscard]] double rise_after(double loss_w) const noexcept {
    return free_rise_k_ + gain_k_per_w_ * loss_w;
  }
  // Ends the prepared step under `loss_w`: the state becomes the step's end.
  void commit(double loss_w) noexcept;
  // prepare(dt_s) then commit(loss_w); returns the new rise.
  double step(double dt_s, double loss_w) noexcept;

  [[nodiscard]] double rise_k() const noexcept;  // sum of the terms' rises
  [[nodiscard]] double r_total_k_per_w() const noexcept;
  [[nodiscard]] std::span<const FosterTerm> terms() const noexcept { return terms_; }
  [[nodiscard]] std::span<const double> term_rise_k() const noexcept { return rise_k_; }

 private:
  std::vector<FosterTerm> terms_;
  std::vector<double> rise_k_;           // per term, at the current time
  std::vector<double> decay_;            // per term: a_i of the prepared step
  std::vector<double> one_minus_decay_;  // per term: 1 - a_i (from expm1, exact for small dt)
  double prepared_dt_s_ = -1.0;
  double free_rise_k_ = 0.0;
  double gain_k_per_w_ = 0.0;
};

}  // namespace g2g::devices

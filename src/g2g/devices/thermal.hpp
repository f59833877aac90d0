// Junction temperature from losses: T_j = T_ambient + P(T_j) (R_th(j-c) + R_th(c-a)), solved
// self-consistently because R_DS(on) and so P rise with T_j. See docs/devices.md.
#pragma once

#include <functional>

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

}  // namespace g2g::devices

// The utility at the point of connection: a Thevenin source behind the impedance that its
// short-circuit power and X/R ratio give, and an optional frequency model (swing equation with a
// governor droop). docs/algorithms/dae.md § Component equations.
#pragma once

#include <complex>

#include "g2g/components/dae_stamp.hpp"

namespace g2g::components {

// |Z| = V^2 / S_sc (V line-to-line, S_sc three-phase), R = |Z| / sqrt(1 + (X/R)^2), X = (X/R) R,
// L = X / (2 pi f); in per unit of base_power_va, z = S_base / S_sc. The IEC 60909 voltage factor
// c is not applied (c = 1): S_sc is taken as the network's stated short-circuit power at nominal
// voltage. Throws InvalidInput naming the argument unless all are positive (X/R may be 0).
struct TheveninImpedance {
  double r_ohm = 0.0;
  double x_ohm = 0.0;
  double l_h = 0.0;
  double r_pu = 0.0;
  double x_pu = 0.0;
};
[[nodiscard]] TheveninImpedance thevenin_impedance(double short_circuit_power_va, double x_over_r,
                                                   double voltage_ll_v, double frequency_hz,
                                                   double base_power_va);

// The Thevenin source as the network sees it, per unit on the system base: a constant EMF e_pu
// behind z_pu, feeding its terminal node. x = [theta, v] (the terminal's angle in rad and |V|),
// S = V conj((E - V) / z) the power it delivers there:
//   row theta (the node's P balance):  F = -Re S
//   row v     (the node's Q balance):  F = -Im S
// (balances are outflow minus injection, as the power flow writes them). With
// y = conj(1 / z): S = y (v e^{j theta} conj(E) - v^2).
struct TheveninSource {
  std::complex<double> e_pu;
  std::complex<double> z_pu;
};
[[nodiscard]] Stamp<2> thevenin_source_stamp(const TheveninSource& source,
                                             const std::array<double, 2>& x) noexcept;
// The power it delivers at the terminal, pu.
[[nodiscard]] std::complex<double> thevenin_power_pu(const TheveninSource& source, double theta_rad,
                                                     double v_pu) noexcept;
// The EMF that delivers s_pu at the terminal voltage v_t_pu: E = V + z conj(S / V).
[[nodiscard]] std::complex<double> thevenin_emf_pu(std::complex<double> z_pu,
                                                   std::complex<double> v_t_pu,
                                                   std::complex<double> s_pu) noexcept;

// Frequency model, per unit on the source's rating: x = [dw, dp_m] (speed deviation, mechanical
// power deviation), input dp_e (electrical power deviation, from the network):
//   row dw:    F = -(dp_m - dp_e - D dw),   Q = 2 H dw      (swing equation)
//   row dp_m:  F = dp_m + dw / R,           Q = T_g dp_m    (governor: droop R, lag T_g)
// The steady frequency deviation after a step dp_e is -dp_e / (D + 1/R).
struct FrequencyModel {
  double inertia_h_s = 0.0;      // H, s on the source rating
  double droop_pu = 0.0;         // R, pu frequency per pu power (0.05 = 5 % droop)
  double governor_time_s = 0.0;  // T_g
  double load_damping_pu = 0.0;  // D, pu power per pu frequency
};
struct FrequencyStamp {
  Stamp<2> stamp;
  std::array<double, 2> df_ddp_e{};  // dF / d(dp_e), the coupling to the network
};
[[nodiscard]] FrequencyStamp frequency_model_stamp(const FrequencyModel& model, double dp_e_pu,
                                                   const std::array<double, 2>& x) noexcept;

}  // namespace g2g::components

// A DC protection device (breaker or fuse) as a DAE element: its current is a state, closed it
// is a small R-L, open it is a clamp (a MOV, or a fuse's or breaker's arc) in series with the
// same inductance. Which state it is in is the caller's (NetworkDae's events); these are the
// equations in each. docs/algorithms/dae.md § Protection devices.
#pragma once

#include <array>
#include <cmath>

#include "g2g/components/dae_stamp.hpp"

namespace g2g::components {

// The open device's voltage as a function of its current, odd in i: below the knee
// i_k = V_c / R_off it is its leakage resistance R_off; above, the clamp conducts in parallel
// (a MOV with a dynamic resistance R_dyn above V_c): v = V_c + R_par (|i| - i_k), with
// R_par = R_off R_dyn / (R_off + R_dyn). R_dyn = 0 is an ideal clamp, v = V_c above the knee.
struct Clamp {
  double clamp_v = 0.0;
  double off_ohm = 1e6;
  double dynamic_ohm = 0.0;
};
struct VoltageSlope {
  double v = 0.0;
  double dv_di = 0.0;
};
[[nodiscard]] inline double clamp_knee_a(const Clamp& c) noexcept {
  return c.clamp_v / c.off_ohm;
}
[[nodiscard]] inline VoltageSlope clamp_voltage(const Clamp& c, double i_a) noexcept {
  const double knee_a = clamp_knee_a(c);
  if (std::fabs(i_a) <= knee_a) return {c.off_ohm * i_a, c.off_ohm};
  const double r_par = c.off_ohm * c.dynamic_ohm / (c.off_ohm + c.dynamic_ohm);
  const double sign = i_a > 0.0 ? 1.0 : -1.0;
  return {sign * (c.clamp_v + r_par * (std::fabs(i_a) - knee_a)), r_par};
}

// What the device's second state integrates.
enum class ProtectionIntegral : unsigned char {
  let_through,  // a = integral of i^2 dt (a breaker's I2t let-through)
  melting,      // a = integral of max(0, i^2 - I_r^2) dt (a fuse's melting integral)
  thermal,      // a' = (i^2 / I_p^2 - a) / tau: a thermal replica, trips at a = 1
};

struct ProtectionElement {
  double r_on_ohm = 0.0;
  double l_h = 0.0;
  Clamp clamp;
  ProtectionIntegral integral = ProtectionIntegral::let_through;
  double reference_a = 0.0;  // melting: rated current I_r; thermal: thermal pickup current I_p
  double tau_s = 0.0;        // thermal
};

// x = [v_from, v_to, i, e, a], i flowing from -> to:
//   row v_from: F = i; row v_to: F = -i
//   row i:      F = v_sw(i) - (v_from - v_to),  Q = L i   (v_sw = R_on i closed, the clamp open)
//   row e:      F = -p(i), Q = e                  (p = v_sw i open, 0 closed: clamp/arc energy)
//   row a:      as ProtectionIntegral, Q = a
[[nodiscard]] Stamp<5> protection_stamp(const ProtectionElement& p, bool open,
                                        const std::array<double, 5>& x) noexcept;

// The rate of the integral state at current i and state a (a's derivative): for the signals.
[[nodiscard]] double protection_integral_rate(const ProtectionElement& p, double i_a,
                                              double a) noexcept;

// A thermal replica's trip time at a constant current from a = 0 (IEC 60255-149's cold curve):
// t = tau ln(k^2 / (k^2 - 1)), k = i / I_p; infinite at k <= 1.
[[nodiscard]] double thermal_trip_time_s(double tau_s, double multiple_of_pickup) noexcept;

// The energy an ideal clamp V_c absorbs while it takes a loop of inductance L, resistance R and
// driving voltage V_bus from current I to zero (L di/dt = V_bus - V_c - R i): the closed form
// for the validation. R = 0 gives E = L I^2 V_c / (2 (V_c - V_bus)). Needs V_c > V_bus.
[[nodiscard]] double clamp_energy_closed_form_j(double l_h, double r_ohm, double v_bus_v,
                                                double v_clamp_v, double i0_a) noexcept;
// ... and the time it takes.
[[nodiscard]] double clamp_time_closed_form_s(double l_h, double r_ohm, double v_bus_v,
                                              double v_clamp_v, double i0_a) noexcept;

}  // namespace g2g::components

// Averaged converter controls, designed from a bandwidth and a damping ratio instead of raw gains:
// a PI voltage loop on the output capacitor over an inner current limit with back-calculation
// anti-windup and optional droop (`control: voltage`), and a ramp-limited power follower
// (`control: power`). The inner current loop is taken as ideal (much faster than the voltage
// loop): the converter's output current is the limited reference. docs/algorithms/dae.md.
#pragma once

#include <cmath>

#include "g2g/components/dae_stamp.hpp"

namespace g2g::components {

// Plant: the output capacitor, V(s) = I(s) / (s C). Controller: I_ref = (Kp + Ki / s)(V_ref - V).
// Closed loop T(s) = (Kp s + Ki) / (C s^2 + Kp s + Ki) = (2 zeta wn s + wn^2) / (s^2 + 2 zeta wn s
// + wn^2) with Kp = 2 zeta wn C, Ki = wn^2 C. Because of the zero, |T| falls to 1/sqrt(2) not at
// wn but at wb = wn sqrt(u), u = 1 + 2 zeta^2 + sqrt((1 + 2 zeta^2)^2 + 1) (from |T(j wb)|^2 =
// 1/2); for zeta = 1, wb = 2.48 wn. So the natural frequency is wn = 2 pi bandwidth / sqrt(u),
// and the −3 dB point of the closed loop is the bandwidth asked for.
struct PiGains {
  double kp_a_per_v = 0.0;               // proportional gain, A/V
  double ki_a_per_v_s = 0.0;             // integral gain, A/(V s)
  double natural_frequency_rad_s = 0.0;  // wn
};
// Throws InvalidInput naming the argument unless C, bandwidth and damping are positive.
[[nodiscard]] PiGains pi_voltage_gains(double capacitance_f, double bandwidth_hz, double damping);

// wb / wn for a damping ratio, sqrt(u) above.
[[nodiscard]] double bandwidth_to_natural_frequency_ratio(double damping) noexcept;

// |T(j w)| of the closed loop with these gains on C (no limit active).
[[nodiscard]] double pi_closed_loop_magnitude(const PiGains& gains, double capacitance_f,
                                              double omega_rad_s) noexcept;

// The PI voltage loop as a current source into its output node (to ground).
// x = [v, z]: v the output node voltage, z the integrator (A).
//   unlimited current  i_u = (Kp (v_ref - v) + z) / (1 + Kp r_droop)
//   output current     i = clamp(i_u, -i_max, i_max)          (the inner current limit)
//   error              e = v_ref - r_droop i - v               (droop lowers the set-point)
//   row v:  F = -i                                              (the converter injects i)
//   row z:  F = -(Ki e + (i - i_u) / T_t),  Q = z               (back-calculation anti-windup)
// Unsaturated, i = i_u and the integrator sees e alone; at the limit the term (i - i_u) / T_t
// drains the integrator toward the limit with time constant T_t, so it never winds up. In steady
// state e = 0: v = v_ref - r_droop i, so parallel converters share the load inversely to r_droop.
struct PiVoltageLoop {
  PiGains gains;
  double v_ref_v = 0.0;
  double i_max_a = 0.0;          // inner current limit, symmetric
  double tracking_time_s = 0.0;  // T_t of the back-calculation
  double r_droop_ohm = 0.0;      // 0: no droop
};
// A loop with T_t = Kp / Ki, the integral time T_i: the upper end of the range T_d < T_t < T_i
// that Astrom and Hagglund give for back-calculation ("Advanced PID Control", ISA 2006,
// integrator windup), T_d being 0 here.
[[nodiscard]] PiVoltageLoop pi_voltage_loop(const PiGains& gains, double v_ref_v, double i_max_a,
                                            double r_droop_ohm = 0.0) noexcept;

// The output current i and its derivatives (the limit's kink is a state event for the solver).
struct LoopCurrent {
  double i_a = 0.0;
  double i_unlimited_a = 0.0;
  double di_dv = 0.0, di_dz = 0.0;
  double di_unlimited_dv = 0.0, di_unlimited_dz = 0.0;
  bool limited = false;
};
[[nodiscard]] inline LoopCurrent pi_loop_current(const PiVoltageLoop& loop, double v,
                                                 double z) noexcept {
  const double kp = loop.gains.kp_a_per_v;
  const double scale = 1.0 / (1.0 + kp * loop.r_droop_ohm);
  LoopCurrent out;
  out.i_unlimited_a = (kp * (loop.v_ref_v - v) + z) * scale;
  out.di_unlimited_dv = -kp * scale;
  out.di_unlimited_dz = scale;
  out.limited = std::abs(out.i_unlimited_a) > loop.i_max_a;
  if (out.limited) {
    out.i_a = std::copysign(loop.i_max_a, out.i_unlimited_a);
  } else {
    out.i_a = out.i_unlimited_a;
    out.di_dv = out.di_unlimited_dv;
    out.di_dz = out.di_unlimited_dz;
  }
  return out;
}

[[nodiscard]] inline Stamp<2> pi_voltage_loop_stamp(const PiVoltageLoop& loop,
                                                    const std::array<double, 2>& x) noexcept {
  const auto [v, z] = x;
  const LoopCurrent c = pi_loop_current(loop, v, z);
  const double ki = loop.gains.ki_a_per_v_s;
  const double e = loop.v_ref_v - loop.r_droop_ohm * c.i_a - v;
  const double de_dv = -loop.r_droop_ohm * c.di_dv - 1.0;
  const double de_dz = -loop.r_droop_ohm * c.di_dz;
  const double back = 1.0 / loop.tracking_time_s;
  // Every entry given, the zeros too: a default-initialised Stamp costs a memset per call.
  return {.f = {-c.i_a, -(ki * e + back * (c.i_a - c.i_unlimited_a))},
          .q = {0.0, z},
          .df_dx = {{{-c.di_dv, -c.di_dz},
                     {-(ki * de_dv + back * (c.di_dv - c.di_unlimited_dv)),
                      -(ki * de_dz + back * (c.di_dz - c.di_unlimited_dz))}}},
          .dq_dx = {{{0.0, 0.0}, {0.0, 1.0}}}};
}

// `control: power`: the delivered power p follows the set-point p_set with a first-order lag of
// time constant tau = 1 / (2 pi bandwidth), its rate clamped to [-ramp_down, ramp_up] W/s; the
// converter injects p / v into its node. x = [v, p]:
//   row v:  F = -p / v
//   row p:  F = -clamp((p_set - p) / tau, -ramp_down, ramp_up),  Q = p
struct PowerFollower {
  double time_constant_s = 0.0;
  double ramp_up_w_per_s = 0.0;
  double ramp_down_w_per_s = 0.0;  // a positive number
};
// tau from a bandwidth; throws InvalidInput unless bandwidth and both ramps are positive.
[[nodiscard]] PowerFollower power_follower(double bandwidth_hz, double ramp_up_w_per_s,
                                           double ramp_down_w_per_s);
[[nodiscard]] Stamp<2> power_follower_stamp(const PowerFollower& follower, double p_set_w,
                                            const std::array<double, 2>& x) noexcept;

}  // namespace g2g::components

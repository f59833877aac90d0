#include "g2g/components/converter_control.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <string>

#include "g2g/core/error.hpp"

namespace g2g::components {
namespace {

// `unit` is empty for a ratio.
void require_positive(double value, const char* name, const std::string& unit) {
  if (!(value > 0.0) || !std::isfinite(value))
    throw InvalidInput(name, std::string(name) + " must be positive" +
                                 (unit.empty() ? "" : " (in " + unit + ")") + ", got " +
                                 std::to_string(value));
}

}  // namespace

double bandwidth_to_natural_frequency_ratio(double damping) noexcept {
  const double b = 1.0 + 2.0 * damping * damping;
  return std::sqrt(b + std::sqrt(b * b + 1.0));
}

PiGains pi_voltage_gains(double capacitance_f, double bandwidth_hz, double damping) {
  require_positive(capacitance_f, "output_capacitance", "F");
  require_positive(bandwidth_hz, "voltage_bandwidth", "Hz");
  require_positive(damping, "damping", "");
  const double wn =
      2.0 * std::numbers::pi * bandwidth_hz / bandwidth_to_natural_frequency_ratio(damping);
  return {2.0 * damping * wn * capacitance_f, wn * wn * capacitance_f, wn};
}

double pi_closed_loop_magnitude(const PiGains& gains, double capacitance_f,
                                double omega_rad_s) noexcept {
  const std::complex<double> s(0.0, omega_rad_s);
  const std::complex<double> controller = gains.kp_a_per_v * s + gains.ki_a_per_v_s;
  return std::abs(controller / (capacitance_f * s * s + controller));
}

PiVoltageLoop pi_voltage_loop(const PiGains& gains, double v_ref_v, double i_max_a,
                              double r_droop_ohm) noexcept {
  return {gains, v_ref_v, i_max_a, gains.kp_a_per_v / gains.ki_a_per_v_s, r_droop_ohm};
}

LoopCurrent pi_loop_current(const PiVoltageLoop& loop, double v, double z) noexcept {
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

Stamp<2> pi_voltage_loop_stamp(const PiVoltageLoop& loop, const std::array<double, 2>& x) noexcept {
  const auto [v, z] = x;
  const LoopCurrent c = pi_loop_current(loop, v, z);
  const double ki = loop.gains.ki_a_per_v_s;
  const double e = loop.v_ref_v - loop.r_droop_ohm * c.i_a - v;
  const double de_dv = -loop.r_droop_ohm * c.di_dv - 1.0;
  const double de_dz = -loop.r_droop_ohm * c.di_dz;
  const double back = 1.0 / loop.tracking_time_s;
  Stamp<2> s;
  s.f = {-c.i_a, -(ki * e + back * (c.i_a - c.i_unlimited_a))};
  s.q = {0.0, z};
  s.df_dx[0] = {-c.di_dv, -c.di_dz};
  s.df_dx[1] = {-(ki * de_dv + back * (c.di_dv - c.di_unlimited_dv)),
                -(ki * de_dz + back * (c.di_dz - c.di_unlimited_dz))};
  s.dq_dx[1][1] = 1.0;
  return s;
}

PowerFollower power_follower(double bandwidth_hz, double ramp_up_w_per_s,
                             double ramp_down_w_per_s) {
  require_positive(bandwidth_hz, "power_bandwidth", "Hz");
  require_positive(ramp_up_w_per_s, "ramp_up", "W/s");
  require_positive(ramp_down_w_per_s, "ramp_down", "W/s");
  return {1.0 / (2.0 * std::numbers::pi * bandwidth_hz), ramp_up_w_per_s, ramp_down_w_per_s};
}

Stamp<2> power_follower_stamp(const PowerFollower& follower, double p_set_w,
                              const std::array<double, 2>& x) noexcept {
  const auto [v, p] = x;
  const double rate_w_per_s = (p_set_w - p) / follower.time_constant_s;
  const bool limited =
      rate_w_per_s > follower.ramp_up_w_per_s || rate_w_per_s < -follower.ramp_down_w_per_s;
  Stamp<2> s;
  s.f = {-p / v, -std::clamp(rate_w_per_s, -follower.ramp_down_w_per_s, follower.ramp_up_w_per_s)};
  s.q = {0.0, p};
  s.df_dx[0] = {p / (v * v), -1.0 / v};
  s.df_dx[1][1] = limited ? 0.0 : 1.0 / follower.time_constant_s;
  s.dq_dx[1][1] = 1.0;
  return s;
}

}  // namespace g2g::components

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

#include "g2g/components/utility_source.hpp"

#include <cmath>
#include <numbers>
#include <string>

#include "g2g/core/error.hpp"

namespace g2g::components {
namespace {

void require_positive(double value, const char* name) {
  if (!(value > 0.0) || !std::isfinite(value))
    throw InvalidInput(name, std::string(name) + " must be positive, got " + std::to_string(value));
}

}  // namespace

TheveninImpedance thevenin_impedance(double short_circuit_power_va, double x_over_r,
                                     double voltage_ll_v, double frequency_hz,
                                     double base_power_va) {
  require_positive(short_circuit_power_va, "short_circuit_power");
  require_positive(voltage_ll_v, "voltage");
  require_positive(frequency_hz, "frequency");
  require_positive(base_power_va, "base_power");
  if (!(x_over_r >= 0.0) || !std::isfinite(x_over_r))
    throw InvalidInput("x_over_r",
                       "x_over_r must be zero or positive, got " + std::to_string(x_over_r));
  const double z_ohm = voltage_ll_v * voltage_ll_v / short_circuit_power_va;
  TheveninImpedance out;
  out.r_ohm = z_ohm / std::sqrt(1.0 + x_over_r * x_over_r);
  out.x_ohm = x_over_r * out.r_ohm;
  out.l_h = out.x_ohm / (2.0 * std::numbers::pi * frequency_hz);
  const double z_base_ohm = voltage_ll_v * voltage_ll_v / base_power_va;
  out.r_pu = out.r_ohm / z_base_ohm;
  out.x_pu = out.x_ohm / z_base_ohm;
  return out;
}

std::complex<double> thevenin_power_pu(const TheveninSource& source, double theta_rad,
                                       double v_pu) noexcept {
  const std::complex<double> v = std::polar(v_pu, theta_rad);
  return v * std::conj((source.e_pu - v) / source.z_pu);
}

Stamp<2> thevenin_source_stamp(const TheveninSource& source,
                               const std::array<double, 2>& x) noexcept {
  const auto [theta_rad, v_pu] = x;
  const std::complex<double> y = std::conj(1.0 / source.z_pu);
  const std::complex<double> v_e = std::polar(v_pu, theta_rad) * std::conj(source.e_pu);
  const std::complex<double> s = y * (v_e - v_pu * v_pu);
  const std::complex<double> ds_dtheta = y * std::complex<double>(0.0, 1.0) * v_e;
  const std::complex<double> ds_dv = y * (v_e / v_pu - 2.0 * v_pu);
  Stamp<2> out;
  out.f = {-s.real(), -s.imag()};
  out.df_dx[0] = {-ds_dtheta.real(), -ds_dv.real()};
  out.df_dx[1] = {-ds_dtheta.imag(), -ds_dv.imag()};
  return out;
}

std::complex<double> thevenin_emf_pu(std::complex<double> z_pu, std::complex<double> v_t_pu,
                                     std::complex<double> s_pu) noexcept {
  return v_t_pu + z_pu * std::conj(s_pu / v_t_pu);
}

FrequencyStamp frequency_model_stamp(const FrequencyModel& model, double dp_e_pu,
                                     const std::array<double, 2>& x) noexcept {
  const auto [dw, dp_m] = x;
  FrequencyStamp out;
  Stamp<2>& s = out.stamp;
  s.f = {-(dp_m - dp_e_pu - model.load_damping_pu * dw), dp_m + dw / model.droop_pu};
  s.q = {2.0 * model.inertia_h_s * dw, model.governor_time_s * dp_m};
  s.df_dx[0] = {model.load_damping_pu, -1.0};
  s.df_dx[1] = {1.0 / model.droop_pu, 1.0};
  s.dq_dx[0][0] = 2.0 * model.inertia_h_s;
  s.dq_dx[1][1] = model.governor_time_s;
  out.df_ddp_e = {1.0, 0.0};
  return out;
}

}  // namespace g2g::components

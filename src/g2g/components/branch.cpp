#include "g2g/components/branch.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "g2g/components/conductor.hpp"

namespace g2g::components {

namespace {
// 1 / (r + jx), without the inf/nan bookkeeping of the library's complex division.
Complex reciprocal(Complex z) {
  const double d = z.real() * z.real() + z.imag() * z.imag();
  return {z.real() / d, -z.imag() / d};
}

double impedance_base_ohm(double voltage_v, double base_power_va) {
  return voltage_v * voltage_v / base_power_va;
}
}  // namespace

BranchAdmittance line_admittance(const model::Line& line, model::BusKind kind,
                                 const BranchBases& bases) noexcept {
  const double z_base = impedance_base_ohm(bases.from_voltage_v, bases.base_power_va);
  const Complex z_pu(line_resistance_ohm(line, kind, bases.frequency_hz) / z_base,
                     line_reactance_ohm(line, kind) / z_base);
  const Complex y_series = reciprocal(z_pu);
  const double half_b_pu = kind == model::BusKind::dc ? 0.0 : 0.5 * line.b_total_s * z_base;
  const Complex y_shunt(0.0, half_b_pu);
  return {y_series + y_shunt, -y_series, -y_series, y_series + y_shunt};
}

TransformerImpedance transformer_impedance_lv(const model::Transformer& transformer,
                                              const BranchBases& bases) noexcept {
  const double v_lv_rated =
      transformer.v_lv_rated_v > 0 ? transformer.v_lv_rated_v : bases.to_voltage_v;
  const double z_rated_base = impedance_base_ohm(v_lv_rated, transformer.rating_va);
  const double z_pu = transformer.z_pct / 100.0;
  const double r_pu = transformer.r_pct ? *transformer.r_pct / 100.0
                                        : transformer.load_loss_w / transformer.rating_va;
  const double x_pu = std::sqrt(std::max(z_pu * z_pu - r_pu * r_pu, 0.0));
  return {r_pu * z_rated_base, x_pu * z_rated_base};
}

BranchAdmittance transformer_admittance(const model::Transformer& transformer,
                                        const BranchBases& bases) noexcept {
  Complex y_series;
  Complex tap;
  double half_b_pu = 0.0;
  double g_core_pu = 0.0;
  const double shift_rad = transformer.phase_shift_deg * std::numbers::pi / 180.0;
  if (transformer.r_system_pu) {
    // Imported branch, already on the system base.
    y_series = reciprocal(Complex(*transformer.r_system_pu, transformer.x_system_pu.value_or(0.0)));
    half_b_pu = 0.5 * transformer.b_system_pu;
    tap = std::polar(transformer.tap_ratio, shift_rad);
  } else {
    const TransformerImpedance z = transformer_impedance_lv(transformer, bases);
    const double z_base_lv = impedance_base_ohm(bases.to_voltage_v, bases.base_power_va);
    y_series = reciprocal(Complex(z.r_ohm / z_base_lv, z.x_ohm / z_base_lv));
    const double v_hv_rated =
        transformer.v_hv_rated_v > 0 ? transformer.v_hv_rated_v : bases.from_voltage_v;
    const double v_lv_rated =
        transformer.v_lv_rated_v > 0 ? transformer.v_lv_rated_v : bases.to_voltage_v;
    // Rated ratio against the ratio of the bus nominal voltages gives the off-nominal tap.
    const double off_nominal =
        (v_hv_rated / bases.from_voltage_v) / (v_lv_rated / bases.to_voltage_v);
    tap = std::polar(transformer.tap_ratio * off_nominal, shift_rad);
    // Core loss P_fe at rated voltage -> conductance at the HV terminal.
    const double v_ratio = bases.from_voltage_v / v_hv_rated;
    g_core_pu = transformer.no_load_loss_w / bases.base_power_va * v_ratio * v_ratio;
  }
  const Complex y_tt = y_series + Complex(0.0, half_b_pu);
  const Complex y_ff = y_tt / std::norm(tap) + g_core_pu;
  // Identical units in parallel (redundancy): every admittance scales with their number.
  const double units = std::max(transformer.redundancy.installed, 1);
  return {units * y_ff, -units * y_series / std::conj(tap), -units * y_series / tap, units * y_tt};
}

}  // namespace g2g::components

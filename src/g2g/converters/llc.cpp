// LLC resonant converter at resonance, the fixed-ratio "DC transformer" (docs/converters.md § LLC).
#include <fmt/format.h>

#include <array>
#include <cmath>
#include <numbers>

#include "g2g/converters/converter.hpp"
#include "g2g/converters/detail.hpp"
#include "g2g/converters/waveforms.hpp"

namespace g2g::converters {
namespace {

// Beyond this departure of the gain n V_out / V_bridge from 1 the at-resonance waveforms are
// flagged as approximate.
constexpr double gain_tolerance = 0.05;

// Harmonic RMS values of the primary current: the triangular magnetising current's harmonics
// plus the load sine (in quadrature with the triangle's fundamental).
void primary_harmonics(const waveforms::LlcWaveforms& w, double period_s,
                       std::span<double> out) noexcept {
  const std::array<waveforms::Vertex, 2> magnetising{
      waveforms::Vertex{0.0, -w.i_mag_peak_a}, waveforms::Vertex{0.5 * period_s, w.i_mag_peak_a}};
  waveforms::pwl_harmonic_rms(magnetising, period_s, out);
  out[0] = std::sqrt(out[0] * out[0] + w.i_load_pri_rms_a * w.i_load_pri_rms_a);
}

}  // namespace

ConverterResult evaluate_llc(const ConverterDesign& design, const Library& library,
                             const OperatingPoint& point) {
  detail::check_design_and_point(design, point);
  detail::require_inductance(design, design.transformer.inductance_h,
                             "transformer.inductance (the magnetising inductance L_m)", "give L_m");
  const auto [primary, rectifier, core, inductor_core, secondary_parallel] =
      detail::isolated_parts(design, library);

  const double p = design.parallel;
  const double ps = secondary_parallel;
  const double f = design.f_sw_hz;
  const double period = 1.0 / f;
  const double t_d = design.t_dead_s;
  const double v_in = point.v_in_v;
  const waveforms::LlcWaveforms w = waveforms::llc_waveforms(
      v_in, point.v_out_v, point.p_out_w, design.full_bridge, design.secondary_full_bridge,
      design.turns_ratio, design.transformer.inductance_h, f, design.transformer.turns,
      design.transformer.core_area_m2);

  ConverterResult result = detail::start_result(point, 2);

  // Primary switches: each conducts half a period; turn-off at I_m; ZVS when I_m swings the leg.
  devices::SwitchStress pri;
  pri.v_block_v = v_in;
  pri = devices::with_partner(pri, primary);  // the other switch of the leg
  pri.f_sw_hz = f;
  pri.i_rms_a = w.i_switch_rms_a / p;
  pri.i_off_a = w.i_off_a / p;
  const double i_m = w.i_mag_peak_a / p;
  if (t_d > 0.0 && devices::zvs_check(primary, v_in, i_m, t_d).achieved) {
    pri.zvs_on = true;
    pri.t_dead_s = detail::residual_dead_time_s(primary, v_in, i_m, t_d);
    pri.i_dead_a = i_m;
  }
  detail::add_switch(result, design, "primary switch", primary,
                     (design.full_bridge ? 4 : 2) * design.parallel, pri, true);

  // Synchronous rectifiers: half sines, on and off at zero current (ZVS/ZCS at resonance).
  devices::SwitchStress sr;
  sr.v_block_v = w.v_sr_block_v;
  sr = devices::with_partner(sr, rectifier);
  sr.f_sw_hz = f;
  sr.i_rms_a = w.i_sr_rms_a / ps;
  sr.zvs_on = true;
  detail::add_switch(result, design, "synchronous rectifier", rectifier,
                     (design.secondary_full_bridge ? 4 : 2) * secondary_parallel, sr, true);

  // Transformer core: square magnetising voltage n V_out, symmetric triangular flux.
  const std::array<magnetics::FluxPoint, 2> flux{
      magnetics::FluxPoint{0.0, -0.5 * w.flux_swing_t},
      magnetics::FluxPoint{0.5 * period, 0.5 * w.flux_swing_t}};
  result.loss.core_w = detail::core_loss_w(core, design.transformer, flux, period);

  // Windings.
  std::array<double, detail::winding_harmonics> pri_h{};
  primary_harmonics(w, period, pri_h);
  const MagneticSpec& tx = design.transformer;
  if (tx.r_dc_secondary_ohm > 0.0) {
    double winding = detail::winding_loss_w(tx, tx.r_dc_ohm, 0.0, pri_h, f);
    const double i_sec_peak = 0.5 * std::numbers::pi * w.i_out_a;
    if (design.secondary_full_bridge) {
      const std::array<double, 1> sec{w.i_sec_rms_a};
      winding += detail::winding_loss_w(tx, tx.r_dc_secondary_ohm, 0.0, sec, f);
    } else {
      // Each half of a centre-tapped winding: a half-wave rectified sine of peak I_pk: DC I_pk/pi,
      // fundamental I_pk/2, even harmonics 2 I_pk / (pi (k^2 - 1)) (amplitudes).
      std::array<double, detail::winding_harmonics> sec{};
      sec[0] = 0.5 * i_sec_peak / std::numbers::sqrt2;
      for (std::size_t k = 2; k <= sec.size(); k += 2)
        sec[k - 1] = 2.0 * i_sec_peak / (std::numbers::pi * (static_cast<double>(k * k) - 1.0)) /
                     std::numbers::sqrt2;
      winding += 2.0 * detail::winding_loss_w(tx, tx.r_dc_secondary_ohm,
                                              i_sec_peak / std::numbers::pi, sec, f);
    }
    result.loss.winding_w = winding;
  } else {
    result.loss.winding_w = detail::winding_loss_w(tx, tx.r_dc_ohm, 0.0, pri_h, f);
  }

  // A discrete resonant inductor, when the design has one (otherwise L_r is the leakage).
  if (inductor_core != nullptr && design.inductor.core_volume_m3 > 0.0 &&
      design.inductor.core_area_m2 > 0.0) {
    const double b_peak = design.resonant_inductance_h * w.i_pri_peak_a /
                          (std::max(1, design.inductor.turns) * design.inductor.core_area_m2);
    result.loss.core_w += magnetics::sine_loss_density_w_m3(*inductor_core, f, b_peak) *
                          design.inductor.core_volume_m3;
  }
  result.loss.winding_w +=
      detail::winding_loss_w(design.inductor, design.inductor.r_dc_ohm, 0.0, pri_h, f);

  result.loss.capacitor_w =
      magnetics::capacitor_loss_w(w.i_pri_rms_a, design.resonant_capacitor_esr_ohm) +
      magnetics::capacitor_loss_w(w.i_out_cap_rms_a, design.capacitor_esr_ohm);
  result.magnetics_volume_m3 = design.transformer.core_volume_m3 + design.inductor.core_volume_m3;

  if (std::abs(w.gain - 1.0) > gain_tolerance)
    result.warnings.push_back(fmt::format(
        "gain n V_out / V_bridge = {:.3f}: away from resonance, the at-resonance waveforms are "
        "approximate",
        w.gain));
  if (design.resonant_inductance_h > 0.0 && design.resonant_capacitance_f > 0.0) {
    const double f_r =
        1.0 / (2.0 * std::numbers::pi *
               std::sqrt(design.resonant_inductance_h * design.resonant_capacitance_f));
    if (std::abs(f / f_r - 1.0) > 0.1)
      result.warnings.push_back(fmt::format(
          "f_sw {:.0f} kHz is {:.0f} % away from the resonance {:.0f} kHz: the at-resonance model "
          "is approximate",
          f * 1e-3, 100.0 * (f / f_r - 1.0), f_r * 1e-3));
  }
  detail::finish(result, design);
  return result;
}

}  // namespace g2g::converters

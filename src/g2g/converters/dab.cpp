// Dual active bridge, single phase shift (docs/converters.md § DAB).
#include <fmt/format.h>

#include <array>
#include <cmath>
#include <numbers>

#include "g2g/converters/converter.hpp"
#include "g2g/converters/detail.hpp"
#include "g2g/converters/waveforms.hpp"

namespace g2g::converters {
namespace {

// One bridge's switches at their switching edge, where the inductor current (referred to that
// side) is i_edge_a: ZVS when it flows so as to discharge the incoming switch (sign given by
// `zvs_sign`) and swings the leg within the dead time; otherwise a hard turn-on.
devices::SwitchStress bridge_stress(const devices::Device& device, double f_hz, double v_v,
                                    double i_rms_switch_a, double i_edge_a, double zvs_sign,
                                    double t_dead_s) {
  devices::SwitchStress s;
  s.v_block_v = v_v;
  s = devices::with_partner(s, device);  // the other switch of the leg
  s.f_sw_hz = f_hz;
  s.i_rms_a = i_rms_switch_a;
  s.v_block_v = v_v;
  s.i_off_a = std::abs(i_edge_a);
  const double i_zvs = zvs_sign * i_edge_a;
  if (i_zvs > 0.0 && t_dead_s > 0.0 && devices::zvs_check(device, v_v, i_zvs, t_dead_s).achieved) {
    s.zvs_on = true;
    s.t_dead_s = detail::residual_dead_time_s(device, v_v, i_zvs, t_dead_s);
    s.i_dead_a = i_zvs;
  } else {
    s.i_on_a = std::abs(i_edge_a);
  }
  return s;
}

}  // namespace

ConverterResult evaluate_dab(const ConverterDesign& design, const Library& library,
                             const OperatingPoint& point) {
  detail::check_design_and_point(design, point);
  detail::require_inductance(design, design.resonant_inductance_h,
                             "resonant_inductance (the DAB series inductance)", "give L");
  const auto [primary, secondary, core, inductor_core, secondary_parallel] =
      detail::isolated_parts(design, library);

  const double p = design.parallel;
  const double ps = secondary_parallel;
  const double f = design.f_sw_hz;
  const double period = 1.0 / f;
  const double n = design.turns_ratio;
  const waveforms::DabWaveforms w = waveforms::dab_waveforms(
      point.v_in_v, point.v_out_v, point.p_out_w, design.full_bridge, n,
      design.resonant_inductance_h, f, design.transformer.turns, design.transformer.core_area_m2);
  if (!w.feasible)
    throw DesignError(
        design.name, "p_out",
        fmt::format("design '{}': {:.4g} W is beyond the single-phase-shift maximum "
                    "{:.4g} W at {:g} V / {:g} V",
                    design.name, point.p_out_w, w.p_max_w, point.v_in_v, point.v_out_v),
        "a smaller series inductance or a lower power");

  ConverterResult result = detail::start_result(point, 2);
  const int count = (design.full_bridge ? 4 : 2) * design.parallel;
  const double i_switch = w.i_rms_a / std::numbers::sqrt2;
  // Primary edge at theta = 0: i(0) <= 0 discharges the incoming switch's C_OSS.
  const devices::SwitchStress pri =
      bridge_stress(primary, f, point.v_in_v, i_switch / p, w.i_0_a / p, -1.0, design.t_dead_s);
  detail::add_switch(result, design, "primary bridge", primary, count, pri, true);
  // Secondary edge at theta = phi: i(phi) >= 0 (referred) does it on the secondary side.
  const devices::SwitchStress sec = bridge_stress(secondary, f, point.v_out_v, n * i_switch / ps,
                                                  n * w.i_phi_a / ps, 1.0, design.t_dead_s);
  detail::add_switch(result, design, "secondary bridge", secondary,
                     (design.full_bridge ? 4 : 2) * secondary_parallel, sec, true);

  // Transformer: square voltage n V_2 (series inductance on the primary side).
  const std::array<magnetics::FluxPoint, 2> flux{
      magnetics::FluxPoint{0.0, -0.5 * w.flux_swing_t},
      magnetics::FluxPoint{0.5 * period, 0.5 * w.flux_swing_t}};
  result.loss.core_w = detail::core_loss_w(core, design.transformer, flux, period);
  std::array<double, detail::winding_harmonics> h{};
  waveforms::pwl_harmonic_rms(w.current, period, h);
  const MagneticSpec& tx = design.transformer;
  result.loss.winding_w = detail::winding_loss_w(tx, tx.r_dc_ohm, 0.0, h, f);
  if (tx.r_dc_secondary_ohm > 0.0) {
    std::array<double, detail::winding_harmonics> hs{};
    for (std::size_t k = 0; k < h.size(); ++k) hs[k] = n * h[k];
    result.loss.winding_w += detail::winding_loss_w(tx, tx.r_dc_secondary_ohm, 0.0, hs, f);
  }

  // Series inductor: flux follows the current, B = L i / (N A_e).
  if (inductor_core != nullptr && design.inductor.core_area_m2 > 0.0) {
    const double k_b = design.resonant_inductance_h /
                       (std::max(1, design.inductor.turns) * design.inductor.core_area_m2);
    std::array<magnetics::FluxPoint, 4> b{};
    for (std::size_t i = 0; i < b.size(); ++i) b[i] = {w.current[i].t_s, k_b * w.current[i].value};
    result.loss.core_w += detail::core_loss_w(inductor_core, design.inductor, b, period);
  }
  result.loss.winding_w +=
      detail::winding_loss_w(design.inductor, design.inductor.r_dc_ohm, 0.0, h, f);
  result.loss.capacitor_w =
      magnetics::capacitor_loss_w(w.i_out_cap_rms_a, design.capacitor_esr_ohm);
  result.magnetics_volume_m3 = design.transformer.core_volume_m3 + design.inductor.core_volume_m3;
  detail::finish(result, design);
  return result;
}

}  // namespace g2g::converters

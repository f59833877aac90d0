// Synchronous buck, N interleaved phases, continuous conduction (docs/converters.md § Buck).
#include <fmt/format.h>

#include <array>
#include <cmath>

#include "g2g/converters/converter.hpp"
#include "g2g/converters/detail.hpp"
#include "g2g/converters/waveforms.hpp"

namespace g2g::converters {

ConverterResult evaluate_buck(const ConverterDesign& design, const Library& library,
                              const OperatingPoint& point) {
  detail::check_design_and_point(design, point);
  if (!(point.v_out_v < point.v_in_v))
    throw DesignError(design.name, "v_out",
                      fmt::format("design '{}': a buck cannot step {:g} V up to {:g} V",
                                  design.name, point.v_in_v, point.v_out_v),
                      "an input voltage above the output, or another topology");
  detail::require_inductance(design, design.inductor.inductance_h, "inductor.inductance",
                             "give the per-phase inductance");
  const devices::Device& control =
      detail::require_device(design, library, design.primary_device, "primary_device");
  const devices::Device& sync = detail::secondary_device(design, library);
  const magnetics::CoreMaterial* material =
      detail::material_of(design, library, design.inductor, "inductor");

  const double p = design.parallel;
  const double f = design.f_sw_hz;
  const double period = 1.0 / f;
  const double t_d = design.t_dead_s;
  const double v_in = point.v_in_v;
  const waveforms::BuckWaveforms w = waveforms::buck_waveforms(
      v_in, point.v_out_v, point.p_out_w, design.phases, design.inductor.inductance_h, f,
      devices::r_ds_on_ohm(control, 25.0) / p, devices::r_ds_on_ohm(sync, 25.0) / p,
      design.inductor.r_dc_ohm, design.inductor.turns, design.inductor.core_area_m2);

  ConverterResult result = detail::start_result(point, 2);
  const int count = design.phases * design.parallel;

  // Control switch: hard turn-on at the valley current, or ZVS when the ripple reverses the
  // current and it swings the node up within the dead time; turn-off at the peak.
  // The partner's C_OSS (and diode) enter both edges of each switch: devices::with_partner.
  devices::SwitchStress hs;
  hs.v_block_v = v_in;
  hs = devices::with_partner(hs, sync);
  hs.f_sw_hz = f;
  hs.i_rms_a = w.i_rms_control_a / p;
  hs.v_block_v = v_in;
  hs.i_off_a = std::max(0.0, w.i_peak_a) / p;
  if (w.i_valley_a < 0.0 && t_d > 0.0 &&
      devices::zvs_check(control, v_in, -w.i_valley_a / p, t_d).achieved) {
    hs.zvs_on = true;
    hs.t_dead_s = detail::residual_dead_time_s(control, v_in, -w.i_valley_a / p, t_d);
    hs.i_dead_a = -w.i_valley_a / p;
  } else {
    hs.i_on_a = std::max(0.0, w.i_valley_a) / p;
  }
  // The synchronous rectifier's diode conducts before this turn-on only when the valley is
  // positive; otherwise it has no charge to recover.
  if (!(w.i_valley_a > 0.0 && t_d > 0.0)) hs.partner_q_rr_c = 0.0;
  detail::add_switch(result, design, "control switch", control, count, hs, false);

  // Synchronous rectifier: ZVS turn-on after the control switch turns off at the peak current;
  // third-quadrant conduction in the dead times; turns off with current only when the valley is
  // negative (which is what gives the control switch its ZVS).
  devices::SwitchStress ls;
  ls.v_block_v = v_in;
  ls = devices::with_partner(ls, control);
  ls.f_sw_hz = f;
  ls.i_rms_a = w.i_rms_sync_a / p;
  ls.zvs_on = w.i_peak_a > 0.0;
  ls.i_off_a = std::max(0.0, -w.i_valley_a) / p;
  const double t1 =
      w.i_peak_a > 0.0 ? detail::residual_dead_time_s(sync, v_in, w.i_peak_a / p, t_d) : 0.0;
  const double t2 = w.i_valley_a > 0.0 ? t_d : 0.0;
  ls.t_dead_s = t1 + t2;
  ls.i_dead_a = ls.t_dead_s > 0.0 ? (t1 * w.i_peak_a + t2 * w.i_valley_a) / (ls.t_dead_s * p) : 0.0;
  detail::add_switch(result, design, "synchronous rectifier", sync, count, ls, true);

  // Inductor: triangular flux and current (rising for D T), per phase.
  const double rise = w.duty * period;
  const std::array<magnetics::FluxPoint, 2> flux{magnetics::FluxPoint{0.0, -0.5 * w.flux_swing_t},
                                                 magnetics::FluxPoint{rise, 0.5 * w.flux_swing_t}};
  const std::array<waveforms::Vertex, 2> current{waveforms::Vertex{0.0, w.i_valley_a},
                                                 waveforms::Vertex{rise, w.i_peak_a}};
  std::array<double, detail::winding_harmonics> harmonics{};
  waveforms::pwl_harmonic_rms(current, period, harmonics);
  const double phases = design.phases;
  result.loss.core_w = phases * detail::core_loss_w(material, design.inductor, flux, period);
  result.loss.winding_w = phases * detail::winding_loss_w(design.inductor, design.inductor.r_dc_ohm,
                                                          w.i_phase_a, harmonics, f);
  result.loss.capacitor_w =
      magnetics::capacitor_loss_w(w.i_rms_output_cap_a, design.capacitor_esr_ohm);
  result.magnetics_volume_m3 = phases * design.inductor.core_volume_m3;
  if (material != nullptr && material->b_sat_t > 0.0 && design.inductor.core_area_m2 > 0.0) {
    const double b_peak = design.inductor.inductance_h * w.i_peak_a /
                          (std::max(1, design.inductor.turns) * design.inductor.core_area_m2);
    if (b_peak > material->b_sat_t)
      result.warnings.push_back(fmt::format(
          "inductor: peak flux {:.3f} T above saturation {:.3f} T", b_peak, material->b_sat_t));
  }
  detail::finish(result, design);
  return result;
}

}  // namespace g2g::converters

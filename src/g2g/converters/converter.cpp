// The dispatcher, the part library look-ups and the pieces every topology shares (detail.hpp).
#include "g2g/converters/converter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "g2g/converters/detail.hpp"

namespace g2g::converters {

std::string_view name(Topology topology) noexcept {
  switch (topology) {
    case Topology::buck:
      return "buck";
    case Topology::llc:
      return "llc";
    case Topology::dab:
      return "dab";
    case Topology::totem_pole_pfc:
      return "totem_pole_pfc";
    case Topology::afe_2level:
      return "afe_2level";
    case Topology::afe_3level:
      return "afe_3level";
  }
  return "unknown";
}

const devices::Device* Library::device(std::string_view part) const noexcept {
  if (devices == nullptr) return nullptr;
  for (const auto& d : *devices)
    if (d.name == part) return &d;
  return nullptr;
}

const magnetics::CoreMaterial* Library::material(std::string_view material_name) const noexcept {
  if (materials == nullptr) return nullptr;
  for (const auto& m : *materials)
    if (m.name == material_name) return &m;
  return nullptr;
}

namespace {

ConverterResult evaluate_topology(const ConverterDesign& design, const Library& library,
                                  const OperatingPoint& point) {
  switch (design.topology) {
    case Topology::buck:
      return evaluate_buck(design, library, point);
    case Topology::llc:
      return evaluate_llc(design, library, point);
    case Topology::dab:
      return evaluate_dab(design, library, point);
    case Topology::totem_pole_pfc:
      return evaluate_totem_pole_pfc(design, library, point);
    case Topology::afe_2level:
    case Topology::afe_3level:
      return evaluate_afe(design, library, point);
  }
  throw DesignError(design.name, "topology",
                    fmt::format("design '{}': unknown topology", design.name));
}

// Shared heatsink: T_sink = T_amb + R P_loss(T_sink). P_loss grows with temperature, so the
// iteration from T_amb rises monotonically to the lowest (stable) fixed point; beyond
// sink_runaway_c there is none worth reporting.
constexpr double sink_tolerance_k = 1e-6;
constexpr int sink_iterations = 500;
constexpr double sink_runaway_c = 400.0;

ConverterResult evaluate_with_sink(const ConverterDesign& design, const Library& library,
                                   const OperatingPoint& point) {
  ConverterDesign at_sink = design;
  at_sink.r_th_sink_k_per_w = 0.0;
  const double t_air_c = design.cooling.t_ambient_c;
  double t_sink_c = t_air_c;
  for (int i = 0; i < sink_iterations; ++i) {
    at_sink.cooling.t_ambient_c = t_sink_c;
    ConverterResult r = evaluate_topology(at_sink, library, point);
    r.t_sink_c = t_sink_c;
    const double next_c = t_air_c + design.r_th_sink_k_per_w * r.loss.total_w();
    if (std::abs(next_c - t_sink_c) < sink_tolerance_k) return r;
    if (!std::isfinite(next_c) || next_c > sink_runaway_c) {
      r.thermal_ok = false;
      r.warnings.push_back(fmt::format(
          "shared heatsink: no operating temperature below {:.0f} °C (r_th_sink {:g} K/W, "
          "{:.1f} W): the loss outgrows the cooling",
          sink_runaway_c, design.r_th_sink_k_per_w, r.loss.total_w()));
      return r;
    }
    t_sink_c = next_c;
  }
  throw DesignError(design.name, "cooling.r_th_sink",
                    fmt::format("design '{}': the shared-heatsink temperature did not settle in "
                                "{} iterations",
                                design.name, sink_iterations),
                    "a smaller cooling.r_th_sink");
}

}  // namespace

ConverterResult evaluate(const ConverterDesign& design, const Library& library,
                         const OperatingPoint& point) {
  if (design.r_th_sink_k_per_w > 0.0) return evaluate_with_sink(design, library, point);
  ConverterResult r = evaluate_topology(design, library, point);
  r.t_sink_c = design.cooling.t_ambient_c;
  return r;
}

namespace detail {

const devices::Device& require_device(const ConverterDesign& design, const Library& library,
                                      const std::string& part, std::string_view field) {
  if (part.empty())
    throw DesignError(design.name, std::string(field),
                      fmt::format("design '{}': {} is empty", design.name, field),
                      "name a part of the device library, e.g. one of data/devices/");
  const devices::Device* device = library.device(part);
  if (device == nullptr)
    throw DesignError(
        design.name, std::string(field),
        fmt::format("design '{}': {} '{}' is not in the device library", design.name, field, part),
        "use a part listed in data/devices/ or add its data file");
  return *device;
}

const devices::Device& secondary_device(const ConverterDesign& design, const Library& library) {
  if (design.secondary_device.empty())
    return require_device(design, library, design.primary_device, "primary_device");
  return require_device(design, library, design.secondary_device, "secondary_device");
}

int secondary_parallel(const ConverterDesign& design) noexcept {
  return design.secondary_parallel > 0 ? design.secondary_parallel : design.parallel;
}

void require_turns_ratio(const ConverterDesign& design) {
  if (!(design.turns_ratio > 0.0))
    throw DesignError(
        design.name, "turns_ratio",
        fmt::format("design '{}': turns_ratio is {:g}", design.name, design.turns_ratio),
        "n = N_p / N_s > 0");
}

IsolatedParts isolated_parts(const ConverterDesign& design, const Library& library) {
  require_turns_ratio(design);
  return {require_device(design, library, design.primary_device, "primary_device"),
          secondary_device(design, library),
          material_of(design, library, design.transformer, "transformer"),
          material_of(design, library, design.inductor, "inductor"), secondary_parallel(design)};
}

void require_inductance(const ConverterDesign& design, double inductance_h, std::string_view field,
                        std::string_view fix) {
  if (!(inductance_h > 0.0))
    throw DesignError(design.name, std::string(field),
                      fmt::format("design '{}': {} is {:g} H", design.name, field, inductance_h),
                      std::string(fix));
}

const magnetics::CoreMaterial* material_of(const ConverterDesign& design, const Library& library,
                                           const MagneticSpec& part, std::string_view field) {
  if (part.material.empty()) return nullptr;
  const magnetics::CoreMaterial* material = library.material(part.material);
  if (material == nullptr)
    throw DesignError(design.name, fmt::format("{}.material", field),
                      fmt::format("design '{}': {}.material '{}' is not in the materials library",
                                  design.name, field, part.material),
                      "use a material listed in data/materials/");
  return material;
}

void check_design_and_point(const ConverterDesign& design, const OperatingPoint& point) {
  const auto bad = [&](std::string_view what, double value, std::string_view fix) {
    throw DesignError(design.name, std::string(what),
                      fmt::format("design '{}': {} is {:g}", design.name, what, value),
                      std::string(fix));
  };
  if (!(design.f_sw_hz > 0.0)) bad("f_sw", design.f_sw_hz, "give a positive switching frequency");
  if (!(design.t_dead_s >= 0.0)) bad("t_dead", design.t_dead_s, "give a dead time >= 0");
  if (!(design.t_dead_s < 0.5 / design.f_sw_hz))
    bad("t_dead", design.t_dead_s, "the dead time must be shorter than half a period");
  if (design.parallel < 1) bad("parallel", design.parallel, "at least 1 device per position");
  if (design.phases < 1) bad("phases", design.phases, "at least 1 phase");
  if (design.secondary_parallel < 0)
    bad("secondary_parallel", design.secondary_parallel, "0 (= parallel) or more devices");
  if (!(point.v_in_v > 0.0)) bad("operating point v_in", point.v_in_v, "a positive input voltage");
  if (!(point.v_out_v > 0.0))
    bad("operating point v_out", point.v_out_v, "a positive output voltage");
  if (!(point.p_out_w >= 0.0)) bad("operating point p_out", point.p_out_w, "a power >= 0");
  if (!(design.other_loss_fraction >= 0.0))
    bad("other_loss_fraction", design.other_loss_fraction, "a fraction >= 0");
  if (!(design.r_th_sink_k_per_w >= 0.0))
    bad("cooling.r_th_sink", design.r_th_sink_k_per_w, "a thermal resistance >= 0 (0 = none)");
}

ConverterResult start_result(const OperatingPoint& point, std::size_t switch_positions) {
  ConverterResult result;
  result.point = point;
  result.zvs_all = true;
  result.switches.reserve(switch_positions);
  return result;
}

void add_switch(ConverterResult& result, const ConverterDesign& design, std::string_view position,
                const devices::Device& device, int count, const devices::SwitchStress& stress,
                bool soft_position) {
  const devices::LossAtTemperature at =
      devices::loss_with_cooling(device, stress, design.gate, design.cooling);
  SwitchReport& report = result.switches.emplace_back();
  report.position = position;
  report.device = device.name;
  report.count = count;
  report.stress = stress;
  report.loss = at.loss;
  report.thermal = at.thermal;
  report.zvs = stress.zvs_on;
  const double n = count;
  result.loss.conduction_w += n * at.loss.conduction_w;
  result.loss.switching_w += n * at.loss.switching_w();
  result.loss.dead_time_w += n * at.loss.dead_time_w;
  result.loss.gate_w += n * at.loss.gate_w;
  if (soft_position && !stress.zvs_on && stress.f_sw_hz > 0.0) {
    result.zvs_all = false;
    result.warnings.push_back(fmt::format("{}: zero-voltage switching not achieved", position));
  }
  if (!at.thermal.converged || at.thermal.runaway || at.thermal.over_limit) {
    result.thermal_ok = false;
    result.warnings.push_back(fmt::format("{} ({}): junction at {:.0f} °C, limit {:.0f} °C{}",
                                          position, device.name, at.thermal.t_j_c, device.t_j_max_c,
                                          at.thermal.runaway ? " (thermal runaway)" : ""));
  }
}

double residual_dead_time_s(const devices::Device& device, double v_v, double i_a,
                            double t_dead_s) noexcept {
  if (t_dead_s <= 0.0) return 0.0;
  if (i_a <= 0.0) return 0.0;
  const double swing_s = 2.0 * devices::q_oss_c(device, v_v) / i_a;
  return std::max(0.0, t_dead_s - swing_s);
}

double winding_loss_w(const MagneticSpec& part, double r_dc_ohm, double i_dc_a,
                      std::span<const double> harmonic_rms_a, double f_hz) noexcept {
  if (r_dc_ohm <= 0.0) return 0.0;
  if (part.layer_thickness_m <= 0.0) {
    double sq = i_dc_a * i_dc_a;
    for (double i : harmonic_rms_a) sq += i * i;
    return sq * r_dc_ohm;
  }
  return magnetics::winding_loss_w(r_dc_ohm, i_dc_a, harmonic_rms_a, f_hz, part.layer_thickness_m,
                                   std::max(1, part.layers), copper_resistivity_ohm_m,
                                   part.porosity);
}

double core_loss_w(const magnetics::CoreMaterial* material, const MagneticSpec& part,
                   std::span<const magnetics::FluxPoint> flux, double period_s) noexcept {
  if (material == nullptr || part.core_volume_m3 <= 0.0) return 0.0;
  return magnetics::igse_loss_density_w_m3(*material, flux, period_s) * part.core_volume_m3;
}

void finish(ConverterResult& result, const ConverterDesign& design) {
  result.loss.other_w = design.other_loss_fraction * result.point.p_out_w;
  result.p_in_w = result.point.p_out_w + result.loss.total_w();
  result.efficiency = result.p_in_w > 0.0 ? result.point.p_out_w / result.p_in_w : 0.0;
  if (design.heatsink_cspi_w_per_k_m3 > 0.0) {
    // One heatsink for every switch, at the hottest case-to-ambient rise of the positions.
    double semiconductor_w = 0.0;
    double rise_k = 0.0;
    for (const auto& s : result.switches) {
      semiconductor_w += s.count * s.thermal.loss_w;
      rise_k = std::max(rise_k, s.thermal.loss_w * design.cooling.r_th_ca_k_per_w);
    }
    if (rise_k > 0.0)
      result.heatsink_volume_m3 =
          magnetics::heatsink_volume_m3(semiconductor_w, rise_k, design.heatsink_cspi_w_per_k_m3);
  }
}

}  // namespace detail
}  // namespace g2g::converters

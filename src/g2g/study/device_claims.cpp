// The device claims study (device_claims.hpp, docs/device-claims.md).
#include "g2g/study/device_claims.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include "g2g/core/error.hpp"
#include "g2g/magnetics/magnetics.hpp"

namespace g2g::study {
namespace {

using converters::ConverterDesign;
using converters::ConverterResult;
using converters::Library;
using converters::OperatingPoint;
using converters::Topology;

constexpr std::size_t npos = static_cast<std::size_t>(-1);
// Heatsink CSPI when neither the options nor the design give one: 20 W/(K dm3), inside the
// 5-30 W/(K dm3) range quoted for forced-air heatsinks (docs/magnetics.md, an assumption).
constexpr double default_cspi_w_per_k_m3 = 20e3;
// The published claims, each a figure oriented so that larger favours the claim: 10x faster
// (a ratio), 50 % lower loss, 70 % smaller (reduction fractions). Tolerance: 10 % of each.
constexpr double claimed_speed_ratio = 10.0;
constexpr double claimed_loss_reduction = 0.5;
constexpr double claimed_size_reduction = 0.7;
constexpr double claim_tolerance_share = 0.1;
constexpr const char* speed_source =
    "'Switching speed: 10x faster than Si' ('How GaN Chargers Work: The Silicon Killer "
    "Explained', https://geardance.com/posts/how-gan-chargers-work-silicon-killer-explained)";
constexpr const char* paraphrase_source =
    "the wording circulates in GaN marketing ('10x faster, half the loss, 70 % smaller'); no "
    "primary public source with this figure was found";
// Estimated device parameters (charges read from curves, borrowed from a sibling part or
// derived; data/devices/*.yaml `assumptions:`) are taken as uncertain by this much: the range
// of each claim covers both parts' charges moved +-30 % in opposite directions.
constexpr double charge_uncertainty = 0.3;

bool is_gan(devices::Technology t) noexcept {
  return t == devices::Technology::gan_hemt || t == devices::Technology::gan_cascode;
}
bool is_silicon(devices::Technology t) noexcept {
  return t == devices::Technology::si_lv_mosfet || t == devices::Technology::si_superjunction;
}

const magnetics::CoreMaterial* design_material(const ConverterDesign& d, const Library& lib) {
  const bool isolated = d.topology == Topology::llc || d.topology == Topology::dab;
  const std::string& name = isolated ? d.transformer.material : d.inductor.material;
  return name.empty() ? nullptr : lib.material(name);
}

// Area product of one magnetic part and how many such parts the converter has.
struct MagneticSizing {
  double area_product_each_m4 = 0.0;
  int count = 0;
};

MagneticSizing sizing(const ConverterDesign& d, const OperatingPoint& p, double f_hz, double b_t,
                      const DeviceClaimOptions& o) noexcept {
  MagneticSizing s;
  const double scale = d.f_sw_hz / f_hz;  // inductances as at_frequency scales them
  switch (d.topology) {
    case Topology::buck: {
      const int n = std::max(1, d.phases);
      const double l_h = d.inductor.inductance_h * scale;
      const double i_a = p.p_out_w / (p.v_out_v * n);
      const double duty = p.v_out_v / p.v_in_v;
      const double ripple_a = l_h > 0.0 ? (p.v_in_v - p.v_out_v) * duty / (l_h * f_hz) : 0.0;
      const double i_pk_a = i_a + 0.5 * ripple_a;
      const double i_rms_a = std::sqrt(i_a * i_a + ripple_a * ripple_a / 12.0);
      s.area_product_each_m4 =
          magnetics::inductor_area_product_m4(l_h, i_pk_a, i_rms_a, b_t, o.j_a_per_m2, o.k_u);
      s.count = n;
      break;
    }
    case Topology::llc:
    case Topology::dab:
      // Two windings each carrying P_out: P_t = 2 P_out; square-wave voltage, K_f = 4.
      s.area_product_each_m4 = magnetics::transformer_area_product_m4(2.0 * p.p_out_w, f_hz, b_t,
                                                                      o.j_a_per_m2, o.k_u, 4.0);
      s.count = 1;
      break;
    case Topology::totem_pole_pfc:
    case Topology::afe_2level:
    case Topology::afe_3level: {
      // Boost inductors at the line current (ripple neglected): single phase I = P / V_ln with
      // `phases` legs in parallel; three phase I = P / (sqrt(3) V_ll), one inductor per phase.
      const bool single = d.topology == Topology::totem_pole_pfc;
      const int n = single ? std::max(1, d.phases) : 3;
      const double i_rms_a =
          single ? p.p_out_w / (p.v_in_v * n) : p.p_out_w / (std::sqrt(3.0) * p.v_in_v);
      const double l_h = d.inductor.inductance_h * scale;
      s.area_product_each_m4 = magnetics::inductor_area_product_m4(
          l_h, std::sqrt(2.0) * i_rms_a, i_rms_a, b_t, o.j_a_per_m2, o.k_u);
      s.count = n;
      break;
    }
  }
  return s;
}

double device_loss_w(const converters::LossBreakdown& l) noexcept {
  return l.conduction_w + l.switching_w + l.dead_time_w + l.gate_w;
}

double device_heat_w(const ConverterResult& r) noexcept {
  double w = 0.0;
  for (const auto& s : r.switches) w += s.count * s.thermal.loss_w;
  return w;
}

TechnologyPoint technology_point(const ConverterDesign& design_f0, const Library& lib,
                                 const OperatingPoint& point, double f_hz,
                                 const DeviceClaimOptions& o, double cspi) {
  TechnologyPoint tp;
  tp.f_sw_hz = f_hz;
  const ConverterDesign d = at_frequency(design_f0, f_hz);
  tp.result = converters::evaluate(d, lib, point);
  tp.device_loss_w = device_loss_w(tp.result.loss);
  tp.budget_loss_w = o.basis == LossBasis::devices ? tp.device_loss_w : tp.result.loss.total_w();
  tp.b_max_t = flux_density_at_t(design_material(design_f0, lib), f_hz, o);
  const MagneticSizing s = sizing(design_f0, point, f_hz, tp.b_max_t, o);
  tp.area_product_m4 = s.count * s.area_product_each_m4;
  tp.magnetics_volume_m3 = s.count * magnetics::core_volume_m3(s.area_product_each_m4);
  tp.heatsink_volume_m3 =
      magnetics::heatsink_volume_m3(device_heat_w(tp.result), o.heatsink_delta_t_k, cspi);
  return tp;
}

std::string pct(double fraction) {
  return fmt::format("{:.1f} %", 100.0 * fraction);
}

std::string times(double ratio) {
  return fmt::format("{:.1f}x", ratio);
}

Claim make_claim(std::string id, std::string text, std::string source, double computed_value,
                 double published_value, std::string explanation,
                 std::vector<std::string> assumptions) {
  Claim c;
  c.spec.id = std::move(id);
  c.spec.text = std::move(text);
  c.spec.source = std::move(source);
  c.spec.kind = "vendor claim";
  c.spec.form = ClaimForm::about;
  c.spec.published = published_value;
  c.spec.tolerance = claim_tolerance_share * published_value;
  c.published = c.spec.id == "speed" ? times(published_value) : pct(published_value);
  c.cases.push_back({"estimated parameters as given", computed_value});
  c.explanation = std::move(explanation);
  c.assumptions = std::move(assumptions);
  settle(c, 0, c.spec.id == "speed" ? times : pct);
  return c;
}

std::vector<Claim> judge_claims(const DeviceClaimsResult& r, const DeviceClaimOptions& o,
                                double cspi) {
  std::size_t gan = npos;
  for (std::size_t i = 0; i < r.technologies.size(); ++i)
    if (is_gan(r.technologies[i].technology)) {
      gan = i;
      break;
    }
  const bool ok = gan != npos && r.reference < r.technologies.size() &&
                  is_silicon(r.technologies[r.reference].technology);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const TechnologyResult* g = ok ? &r.technologies[gan] : nullptr;
  const TechnologyResult* s = ok ? &r.technologies[r.reference] : nullptr;
  const std::string vs = ok ? fmt::format("{} ({}) vs {} ({})", g->alternative.label,
                                          g->speed.device, s->alternative.label, s->speed.device)
                            : std::string("needs a GaN and a silicon alternative");
  const double f_khz = r.f_design_hz / 1e3;
  std::vector<std::string> common = {
      fmt::format("converter '{}' at {:g} V -> {:g} V, {:g} W, design frequency {:g} kHz",
                  r.converter, r.point.v_in_v, r.point.v_out_v, r.point.p_out_w, f_khz),
      "same topology, magnetics, cooling and currents for every technology; only the parts (and "
      "their gate resistance and dead time where given) change"};

  std::vector<Claim> claims;
  {
    const double t_g = ok ? g->speed.t_on_s + g->speed.t_off_s : nan;
    const double t_s = ok ? s->speed.t_on_s + s->speed.t_off_s : nan;
    const double ratio = t_s / t_g;
    claims.push_back(make_claim(
        "speed", "GaN switches 10x faster than silicon", speed_source, ratio, claimed_speed_ratio,
        ok ? fmt::format("{}: sum of the turn-on (t_ri + t_fv) and turn-off (t_rv + t_fi) "
                         "transitions of the charge-based model at {:g} V, {:.1f} A per device: "
                         "{:.2f} ns vs {:.2f} ns; dv/dt at turn-on {:.0f} vs {:.0f} V/ns",
                         vs, g->speed.v_v, g->speed.i_a, 1e9 * t_g, 1e9 * t_s,
                         1e-9 * g->speed.dv_dt_on_v_per_s, 1e-9 * s->speed.dv_dt_on_v_per_s)
           : vs,
        common));
  }
  {
    const double p_g = ok ? g->at_design_f.device_loss_w : nan;
    const double p_s = ok ? s->at_design_f.device_loss_w : nan;
    claims.push_back(make_claim(
        "loss_devices", "GaN has 50 % lower loss than silicon (semiconductor loss)",
        paraphrase_source, 1.0 - p_g / p_s, claimed_loss_reduction,
        ok ? fmt::format("{}: conduction + switching + dead time + gate at {:g} kHz: {:.2f} W vs "
                         "{:.2f} W",
                         vs, f_khz, p_g, p_s)
           : vs,
        common));
  }
  {
    const double p_g = ok ? g->at_design_f.result.loss.total_w() : nan;
    const double p_s = ok ? s->at_design_f.result.loss.total_w() : nan;
    claims.push_back(make_claim(
        "loss_converter", "GaN has 50 % lower loss than silicon (whole converter)",
        paraphrase_source, 1.0 - p_g / p_s, claimed_loss_reduction,
        ok ? fmt::format("{}: total converter loss (devices, magnetics, capacitors, other) at "
                         "{:g} kHz: {:.2f} W vs {:.2f} W",
                         vs, f_khz, p_g, p_s)
           : vs,
        common));
  }
  std::vector<std::string> size_assumptions = common;
  size_assumptions.push_back(fmt::format(
      "magnetics: area product (McLyman) at B_max {:g} T{}, J {:g} A/mm2, K_u {:g}; boxed core "
      "volume 12.09 A_p^(3/4) (PQ cores)",
      o.b_max_t,
      o.core_loss_limit_w_per_m3 > 0.0 ? fmt::format(" lowered to a {:g} kW/m3 core-loss limit",
                                                     o.core_loss_limit_w_per_m3 / 1e3)
                                       : std::string(" at every frequency"),
      o.j_a_per_m2 / 1e6, o.k_u));
  size_assumptions.push_back(
      fmt::format("heatsink: device heat / (dT {:g} K x CSPI {:g} W/(K dm3)); capacitors, PCB and "
                  "gate drivers not counted",
                  o.heatsink_delta_t_k, cspi / 1e3));
  {
    const double v_g = ok ? g->at_equal_loss_f.volume_m3() : nan;
    const double v_s = ok ? s->at_design_f.volume_m3() : nan;
    claims.push_back(make_claim(
        "size_equal_loss", "GaN converters are 70 % smaller (at the same loss)", paraphrase_source,
        1.0 - v_g / v_s, claimed_size_reduction,
        ok ? fmt::format("{}: GaN moved to {:.0f} kHz{}, where its {} loss equals silicon's "
                         "{:.2f} W at {:g} kHz; magnetics + heatsink {:.2f} cm3 vs {:.2f} cm3 "
                         "(magnetics {:.2f} vs {:.2f}, heatsink {:.2f} vs {:.2f})",
                         vs, g->at_equal_loss_f.f_sw_hz / 1e3,
                         g->equal_loss_in_range ? "" : " (end of the search range)",
                         loss_basis_name(r.basis), r.loss_budget_w, f_khz, 1e6 * v_g, 1e6 * v_s,
                         1e6 * g->at_equal_loss_f.magnetics_volume_m3,
                         1e6 * s->at_design_f.magnetics_volume_m3,
                         1e6 * g->at_equal_loss_f.heatsink_volume_m3,
                         1e6 * s->at_design_f.heatsink_volume_m3)
           : vs,
        size_assumptions));
  }
  {
    const double v_g = ok ? g->at_design_f.volume_m3() : nan;
    const double v_s = ok ? s->at_design_f.volume_m3() : nan;
    claims.push_back(make_claim(
        "size_same_f", "GaN converters are 70 % smaller (at the same frequency)", paraphrase_source,
        1.0 - v_g / v_s, claimed_size_reduction,
        ok ? fmt::format("{}: both at {:g} kHz, same magnetics; heatsink {:.2f} vs {:.2f} cm3, "
                         "magnetics {:.2f} cm3 each",
                         vs, f_khz, 1e6 * g->at_design_f.heatsink_volume_m3,
                         1e6 * s->at_design_f.heatsink_volume_m3,
                         1e6 * s->at_design_f.magnetics_volume_m3)
           : vs,
        size_assumptions));
  }
  return claims;
}

DeviceClaimsResult run(const ConverterDesign& design, const Library& lib,
                       const OperatingPoint& point, const std::vector<DeviceAlternative>& alts,
                       const DeviceClaimOptions& o) {
  if (alts.empty())
    throw InvalidInput("alternatives", "no device alternatives given",
                       "name at least one part to compare against");
  if (!(design.f_sw_hz > 0.0))
    throw converters::DesignError(
        design.name, "f_sw", fmt::format("design '{}': f_sw is {:g}", design.name, design.f_sw_hz),
        "give the design frequency");
  const double cspi = o.heatsink_cspi_w_per_k_m3 > 0.0        ? o.heatsink_cspi_w_per_k_m3
                      : design.heatsink_cspi_w_per_k_m3 > 0.0 ? design.heatsink_cspi_w_per_k_m3
                                                              : default_cspi_w_per_k_m3;
  DeviceClaimsResult r;
  r.converter = design.name;
  r.point = point;
  r.f_design_hz = design.f_sw_hz;
  r.basis = o.basis;
  const double f_lo = o.f_min_hz > 0.0 ? o.f_min_hz : design.f_sw_hz / 20.0;
  const double f_hi = o.f_max_hz > 0.0 ? o.f_max_hz : design.f_sw_hz * 50.0;

  std::vector<ConverterDesign> designs;
  designs.reserve(alts.size());
  r.technologies.reserve(alts.size());
  for (const DeviceAlternative& a : alts) {
    designs.push_back(with_alternative(design, a));
    const ConverterDesign& d = designs.back();
    TechnologyResult t;
    t.alternative = a;
    if (const devices::Device* part = lib.device(d.primary_device)) t.technology = part->technology;
    t.at_design_f = technology_point(d, lib, point, d.f_sw_hz, o, cspi);
    const ConverterResult& res = t.at_design_f.result;
    if (!res.switches.empty()) {
      const converters::SwitchReport& sw = res.switches.front();
      const devices::Device* part = lib.device(sw.device);
      if (part != nullptr)
        t.speed = switching_speed(*part, sw.stress.v_block_v,
                                  std::max(sw.stress.i_on_a, sw.stress.i_off_a), d.gate);
    }
    r.technologies.push_back(std::move(t));
  }
  r.reference = o.reference;
  if (r.reference >= r.technologies.size()) {
    r.reference = 0;
    for (std::size_t i = 0; i < r.technologies.size(); ++i)
      if (is_silicon(r.technologies[i].technology)) {
        r.reference = i;
        break;
      }
  }
  r.loss_budget_w = r.technologies[r.reference].at_design_f.budget_loss_w;
  for (std::size_t i = 0; i < r.technologies.size(); ++i) {
    TechnologyResult& t = r.technologies[i];
    if (i == r.reference) {
      t.at_equal_loss_f = t.at_design_f;
      continue;
    }
    const ConverterDesign& d = designs[i];
    const auto loss_at = [&](double f_hz) {
      const ConverterResult res = converters::evaluate(at_frequency(d, f_hz), lib, point);
      return o.basis == LossBasis::devices ? device_loss_w(res.loss) : res.loss.total_w();
    };
    bool in_range = true;
    const double f = frequency_for_loss_budget(loss_at, r.loss_budget_w, f_lo, f_hi, &in_range);
    t.equal_loss_in_range = in_range;
    t.at_equal_loss_f = technology_point(d, lib, point, f, o, cspi);
  }
  r.claims = judge_claims(r, o, cspi);
  return r;
}

void add_rows(std::vector<Claim>& claims, const DeviceClaimsResult& changed,
              const std::string& assumption, const std::string& value) {
  for (std::size_t k = 0; k < claims.size() && k < changed.claims.size(); ++k) {
    SensitivityRow row;
    row.assumption = assumption;
    row.value = value;
    row.computed = changed.claims[k].computed;
    row.computed_value = changed.claims[k].computed_default;
    row.verdict = changed.claims[k].verdict;
    claims[k].sensitivity.push_back(std::move(row));
  }
}

}  // namespace

std::string_view loss_basis_name(LossBasis basis) noexcept {
  switch (basis) {
    case LossBasis::devices:
      return "device";
    case LossBasis::converter:
      return "converter";
  }
  return "unknown";
}

ConverterDesign with_alternative(const ConverterDesign& design, const DeviceAlternative& a) {
  ConverterDesign d = design;
  if (!a.primary_device.empty()) d.primary_device = a.primary_device;
  if (!a.secondary_device.empty()) d.secondary_device = a.secondary_device;
  if (a.parallel > 0) d.parallel = a.parallel;
  if (a.secondary_parallel >= 0) d.secondary_parallel = a.secondary_parallel;
  if (a.r_g_ext_ohm >= 0.0) d.gate.r_g_ext_ohm = a.r_g_ext_ohm;
  if (a.t_dead_s >= 0.0) d.t_dead_s = a.t_dead_s;
  if (!a.label.empty()) d.name = fmt::format("{} ({})", design.name, a.label);
  return d;
}

ConverterDesign at_frequency(const ConverterDesign& design, double f_sw_hz) {
  ConverterDesign d = design;
  if (!(f_sw_hz > 0.0) || !(design.f_sw_hz > 0.0)) return d;
  const double scale = design.f_sw_hz / f_sw_hz;
  d.f_sw_hz = f_sw_hz;
  d.inductor.inductance_h *= scale;
  d.transformer.inductance_h *= scale;
  d.resonant_inductance_h *= scale;
  d.resonant_capacitance_f *= scale;
  d.t_dead_s = std::min(design.t_dead_s, 0.05 / f_sw_hz);
  return d;
}

double frequency_for_loss_budget(const std::function<double(double)>& loss_at, double budget_w,
                                 double f_lo_hz, double f_hi_hz, bool* in_range) {
  constexpr int scan_points = 64;
  const double log_lo = std::log(f_lo_hz);
  const double step = (std::log(f_hi_hz) - log_lo) / scan_points;
  const auto f_at = [&](int k) { return k == scan_points ? f_hi_hz : std::exp(log_lo + k * step); };
  // The first scan point within the budget, then the first one past it above the budget.
  int k = 0;
  while (k <= scan_points && loss_at(f_at(k)) > budget_w) ++k;
  if (k > scan_points) {
    if (in_range != nullptr) *in_range = false;
    return f_lo_hz;
  }
  double below = f_at(k);
  double above = 0.0;
  for (++k; k <= scan_points; ++k) {
    const double f = f_at(k);
    if (loss_at(f) > budget_w) {
      above = f;
      break;
    }
    below = f;
  }
  if (above == 0.0) {
    if (in_range != nullptr) *in_range = false;
    return f_hi_hz;
  }
  // Bisection in log f: the bracket halves (in ratio) each step.
  while (above / below - 1.0 > 1e-9) {
    const double mid = std::sqrt(below * above);
    if (loss_at(mid) > budget_w)
      above = mid;
    else
      below = mid;
  }
  if (in_range != nullptr) *in_range = true;
  return below;
}

double magnetics_area_product_m4(const ConverterDesign& design, const OperatingPoint& point,
                                 double f_sw_hz, double b_max_t,
                                 const DeviceClaimOptions& options) noexcept {
  const MagneticSizing s = sizing(design, point, f_sw_hz, b_max_t, options);
  return s.count * s.area_product_each_m4;
}

double flux_density_at_t(const magnetics::CoreMaterial* material, double f_hz,
                         const DeviceClaimOptions& options) noexcept {
  double b = options.b_max_t;
  if (material != nullptr && options.core_loss_limit_w_per_m3 > 0.0 && f_hz > 0.0) {
    // Classical Steinmetz for a sine, P_v = k f^alpha B^beta, solved for B at the limit.
    const double k = magnetics::steinmetz_k(*material);
    if (k > 0.0 && material->beta > 0.0) {
      const double b_limit =
          std::pow(options.core_loss_limit_w_per_m3 / (k * std::pow(f_hz, material->alpha)),
                   1.0 / material->beta);
      b = std::min(b, b_limit);
    }
  }
  return b;
}

SwitchingSpeed switching_speed(const devices::Device& device, double v_v, double i_a,
                               const devices::GateDrive& gate) noexcept {
  SwitchingSpeed s;
  s.device = device.name;
  s.v_v = v_v;
  s.i_a = i_a;
  s.times = devices::switching_times(device, v_v, i_a, gate);
  s.t_on_s = s.times.t_rise_i_s + s.times.t_fall_v_s;
  s.t_off_s = s.times.t_rise_v_s + s.times.t_fall_i_s;
  s.dv_dt_on_v_per_s = s.times.t_fall_v_s > 0.0 ? v_v / s.times.t_fall_v_s : 0.0;
  s.dv_dt_off_v_per_s = s.times.t_rise_v_s > 0.0 ? v_v / s.times.t_rise_v_s : 0.0;
  return s;
}

DeviceClaimsResult evaluate_device_claims(const ConverterDesign& design, const Library& library,
                                          const OperatingPoint& point,
                                          const std::vector<DeviceAlternative>& alternatives,
                                          const DeviceClaimOptions& options) {
  DeviceClaimsResult result = run(design, library, point, alternatives, options);
  std::vector<Claim>& claims = result.claims;
  // The range from uncertain charges: every GaN part's Q_G, Q_GS, Q_GD, Q_OSS and E_OSS moved one
  // way and every silicon part's the other way (the claim's worst and best case).
  if (library.devices != nullptr) {
    for (const double sign : {1.0, -1.0}) {
      std::vector<devices::Device> parts = *library.devices;
      for (auto& d : parts) {
        const double f = is_gan(d.technology)       ? 1.0 + sign * charge_uncertainty
                         : is_silicon(d.technology) ? 1.0 - sign * charge_uncertainty
                                                    : 1.0;
        d.q_g_c *= f;
        d.q_gs_c *= f;
        d.q_gd_c *= f;
        for (auto& point : d.oss) {
          point.q_oss_c *= f;
          point.e_oss_j *= f;
        }
      }
      const Library changed{&parts, library.materials};
      DeviceClaimOptions o = options;
      o.reference = result.reference;
      const DeviceClaimsResult r = run(design, changed, point, alternatives, o);
      for (std::size_t k = 0; k < claims.size() && k < r.claims.size(); ++k)
        claims[k].cases.push_back(
            {sign > 0
                 ? fmt::format("GaN charges +{0:g} %, silicon -{0:g} %", 100 * charge_uncertainty)
                 : fmt::format("GaN charges -{0:g} %, silicon +{0:g} %", 100 * charge_uncertainty),
             r.claims[k].computed_default});
    }
    for (auto& c : claims) settle(c, 0, c.spec.id == "speed" ? times : pct);
  }
  for (double f : options.sensitivity_f_sw_hz) {
    OperatingPoint p = point;
    const ConverterDesign d = at_frequency(design, f);
    add_rows(claims, run(d, library, p, alternatives, options), "design frequency",
             fmt::format("{:g} kHz", f / 1e3));
  }
  for (double r_g : options.sensitivity_r_g_ext_ohm) {
    std::vector<DeviceAlternative> alts = alternatives;
    for (auto& a : alts) a.r_g_ext_ohm = r_g;
    add_rows(claims, run(design, library, point, alts, options), "external gate resistance",
             fmt::format("{:g} ohm (every technology)", r_g));
  }
  for (double p_w : options.sensitivity_p_out_w) {
    OperatingPoint p = point;
    p.p_out_w = p_w;
    add_rows(claims, run(design, library, p, alternatives, options), "load",
             fmt::format("{:g} W", p_w));
  }
  for (const DeviceAlternative& si : options.sensitivity_silicon) {
    std::vector<DeviceAlternative> alts = alternatives;
    alts[result.reference] = si;
    DeviceClaimOptions o = options;
    o.reference = result.reference;
    add_rows(claims, run(design, library, point, alts, o), "silicon part",
             fmt::format("{}{}{}", si.primary_device, si.secondary_device.empty() ? "" : " / ",
                         si.secondary_device));
  }
  for (double limit : options.sensitivity_core_loss_limit_w_per_m3) {
    DeviceClaimOptions o = options;
    o.core_loss_limit_w_per_m3 = limit;
    add_rows(claims, run(design, library, point, alternatives, o), "core-loss limit on B_max",
             limit > 0.0 ? fmt::format("{:g} kW/m3", limit / 1e3) : std::string("none"));
  }
  return result;
}

}  // namespace g2g::study

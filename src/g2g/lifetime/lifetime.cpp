#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

#include "g2g/converters/thermal_trace.hpp"
#include "g2g/core/error.hpp"
#include "g2g/lifetime/study.hpp"
#include "g2g/reliability/rainflow.hpp"

namespace g2g::lifetime {
namespace {

constexpr double seconds_per_year = 365.25 * 24.0 * 3600.0;
constexpr double joules_per_mwh = 3.6e9;

// The physics design the junctions belong to, and how the converter's power and input voltage
// divide onto one of its modules.
struct Module {
  const converters::ConverterDesign* design = nullptr;
  double v_in_divisor = 1.0;
  double power_divisor = 1.0;
  double v_in_nominal_v = 0.0;
  double v_out_nominal_v = 0.0;
};

Module module_of(const converters::Assembly& a) {
  using Kind = converters::Assembly::Kind;
  if (a.kind == Kind::physics)
    return {&a.design, 1.0, 1.0, converters::nominal(a).v_in_v, converters::nominal(a).v_out_v};
  if (a.kind == Kind::chain && a.stages.size() == 1 && a.stages[0].module.kind == Kind::physics) {
    const converters::Stage& s = a.stages[0];
    return {&s.module.design, static_cast<double>(s.input_series),
            static_cast<double>(s.input_series * s.modules), converters::nominal(a).v_in_v,
            converters::nominal(a).v_out_v};
  }
  throw InvalidInput("converter",
                     fmt::format("'{}' has no single physics design: {}", a.name,
                                 a.kind == Kind::curve
                                     ? "it is an efficiency curve, with no devices whose junctions "
                                       "could be traced"
                                     : "a chain of several stages is not supported yet"),
                     "give a SPEC with a `converter:` design, or a chain of one such stage");
}

double nice_step(double x) {
  if (!(x > 0.0)) return 1.0;
  const double decade = std::pow(10.0, std::floor(std::log10(x)));
  for (const double m : {1.0, 2.0, 5.0, 10.0})
    if (m * decade >= x) return m * decade;
  return 10.0 * decade;
}

std::vector<HistogramBin> histogram(std::span<const reliability::RainflowCycle> cycles,
                                    std::span<const double> damage, double total_damage) {
  double largest = 0.0;
  for (const auto& c : cycles) largest = std::max(largest, c.range);
  const double width = nice_step(largest / 20.0);
  const auto bins = static_cast<std::size_t>(std::floor(largest / width)) + 1;
  std::vector<HistogramBin> out(bins);
  for (std::size_t k = 0; k < bins; ++k) {
    out[k].from_k = static_cast<double>(k) * width;
    out[k].to_k = static_cast<double>(k + 1) * width;
  }
  for (std::size_t i = 0; i < cycles.size(); ++i) {
    const auto k =
        std::min(bins - 1, static_cast<std::size_t>(std::floor(cycles[i].range / width)));
    out[k].cycles += cycles[i].count;
    if (total_damage > 0.0) out[k].damage_share += damage[i] / total_damage;
  }
  return out;
}

const std::string& family_of(const LifetimeStudy& study, const std::string& device,
                             std::string_view position) {
  for (const DeviceFamily& f : study.families)
    if (f.device == device) return f.family;
  throw InvalidInput("package_families",
                     fmt::format("{}:{}:{}: package_families has no entry for {} (the {})",
                                 study.families_where.file, study.families_where.line,
                                 study.families_where.column, device, position),
                     fmt::format("add '{}: gan-discrete' (or another family of "
                                 "data/reliability/power_cycling.yaml) under package_families",
                                 device));
}

CaseResult run_case(const LifetimeStudy& study, const Module& module,
                    const converters::Library& library, double period_s, bool floor) {
  CaseResult r;
  r.period_s = period_s;
  r.floor = floor;
  r.name = fmt::format("{:g} s{}", period_s, floor ? " + floor" : "");
  dynamic::ProfileSpec spec;
  dynamic::TrainingSteps training = study.training;
  training.period_s = period_s;
  spec.pattern = training;
  const double span_s = study.warm_up_s + study.duration_s;
  const dynamic::Profile profile = dynamic::make_profile(spec, 0.0, span_s);

  // The rack's requested power, and what it draws with the floor.
  std::vector<dynamic::Breakpoint> points = profile.utilisation().points();
  for (auto& p : points) p.value *= study.rack_power_w;
  dynamic::PiecewiseLinear rack_w(std::move(points));
  if (floor) {
    const dynamic::SmoothedPower s = dynamic::smooth_power(rack_w, *study.smoothing);
    r.floor_burn_mwh_per_year = s.floor_burn_energy_j / joules_per_mwh * seconds_per_year / span_s;
    r.deferred_mwh_per_year = s.deferred_energy_j / joules_per_mwh * seconds_per_year / span_s;
    rack_w = s.drawn_power_w;
  }
  r.rack_mean_power_w = rack_w.integral(study.warm_up_s, span_s) / study.duration_s;

  // The module's operating points at each time step.
  const double v_in = study.v_in_v.value_or(module.v_in_nominal_v) / module.v_in_divisor;
  const auto steps = static_cast<std::size_t>(std::floor(span_s / study.time_step_s));
  std::vector<converters::ProfileSample> samples;
  samples.reserve(steps + 1);
  r.converter_min_w = std::numeric_limits<double>::infinity();
  std::size_t cursor = 0;
  for (std::size_t k = 0; k <= steps; ++k) {
    const double t = static_cast<double>(k) * study.time_step_s;
    const double p_conv = rack_w.value(t, cursor) / study.converters_per_rack;
    if (t >= study.warm_up_s) {
      r.converter_peak_w = std::max(r.converter_peak_w, p_conv);
      r.converter_min_w = std::min(r.converter_min_w, p_conv);
    }
    samples.push_back({t, {v_in, module.v_out_nominal_v, p_conv / module.power_divisor}});
  }
  const converters::JunctionTrace trace =
      converters::junction_trace(*module.design, library, samples);
  r.evaluations = trace.evaluations;
  r.warnings = trace.warnings;
  if (trace.over_limit)
    r.warnings.push_back(
        "a junction exceeds its part's limit: the wear-out law is outside its "
        "range there");

  const double years = study.duration_s / seconds_per_year;
  for (const converters::PositionTrace& p : trace.positions) {
    PositionLife life;
    life.position = std::string(p.position);
    life.device = p.device;
    life.family = family_of(study, p.device, p.position);
    const reliability::CyclingFamily& family = reliability::power_cycling_family(life.family);
    life.absolute = family.law.absolute;
    // Only the counted span: the warm-up's samples settle the thermal network.
    const auto first = static_cast<std::size_t>(
        std::lower_bound(trace.t_s.begin(), trace.t_s.end(), study.warm_up_s) - trace.t_s.begin());
    const std::span<const double> t_s = std::span(trace.t_s).subspan(first);
    const std::span<const double> t_j = std::span(p.t_j_c).subspan(first);
    const auto cycles = reliability::rainflow(t_s, t_j);
    const reliability::MinerResult m = reliability::miner(family.law, cycles, study.duration_s);
    life.t_j_min_c = *std::min_element(t_j.begin(), t_j.end());
    life.t_j_max_c = *std::max_element(t_j.begin(), t_j.end());
    double counts = 0.0;
    for (const auto& c : cycles) {
      life.largest_swing_k = std::max(life.largest_swing_k, c.range);
      counts += c.count;
    }
    life.cycles_per_year = counts / years;
    life.damage_per_year = m.damage / years;
    if (life.absolute && life.damage_per_year > 0.0)
      life.lifetime_years = 1.0 / life.damage_per_year;
    life.histogram = histogram(cycles, m.damage_per_cycle, m.damage);
    r.positions.push_back(std::move(life));
  }
  return r;
}

}  // namespace

LifetimeResult run_study(const LifetimeStudy& study, const converters::Assembly& assembly,
                         const converters::Library& library) {
  const Module module = module_of(assembly);
  LifetimeResult result;
  for (const double period_s : study.periods_s) {
    result.cases.push_back(run_case(study, module, library, period_s, false));
    if (study.smoothing) result.cases.push_back(run_case(study, module, library, period_s, true));
  }
  if (result.cases.empty()) return result;
  const CaseResult& ref = result.cases.front();
  result.reference = ref.name;
  for (CaseResult& c : result.cases)
    for (std::size_t i = 0; i < c.positions.size(); ++i) {
      const double base = ref.positions[i].damage_per_year;
      c.positions[i].relative_damage = base > 0.0 ? c.positions[i].damage_per_year / base : 0.0;
    }
  bool relative = false;
  for (const auto& p : ref.positions) relative = relative || !p.absolute;
  if (relative)
    result.notes.push_back(
        "no published power-cycling scale for these packages (data/reliability/"
        "power_cycling.yaml): damage is relative to the reference case, not years");
  return result;
}

}  // namespace g2g::lifetime

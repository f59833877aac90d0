// Chains and ISOP stacks (chain.hpp, docs/converters.md § Chains).
#include "g2g/converters/chain.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "g2g/components/converter_loss.hpp"

namespace g2g::converters {
namespace {

void add(LossBreakdown& sum, const LossBreakdown& part, double times) noexcept {
  sum.conduction_w += times * part.conduction_w;
  sum.switching_w += times * part.switching_w;
  sum.dead_time_w += times * part.dead_time_w;
  sum.gate_w += times * part.gate_w;
  sum.core_w += times * part.core_w;
  sum.winding_w += times * part.winding_w;
  sum.capacitor_w += times * part.capacitor_w;
  sum.other_w += times * part.other_w;
  sum.curve_w += times * part.curve_w;
}

ConverterResult evaluate_curve(const SourcedCurve& curve, const OperatingPoint& point) {
  if (curve.points.empty() || !(curve.rating_w > 0.0))
    throw DesignError(curve.name, "points",
                      fmt::format("curve '{}': needs points and a positive rating", curve.name));
  ConverterResult r;
  r.point = point;
  r.zvs_all = true;
  r.loss.curve_w =
      components::EfficiencyCurveLoss(curve.points, curve.rating_w).at(point.p_out_w).loss_w;
  r.p_in_w = point.p_out_w + r.loss.total_w();
  r.efficiency = r.p_in_w > 0.0 ? point.p_out_w / r.p_in_w : 0.0;
  r.t_sink_c = std::numeric_limits<double>::quiet_NaN();
  return r;
}

AssemblyResult evaluate_node(const Assembly& a, const Library& library,
                             const OperatingPoint& point);

// The chain's stages, last first; each stage's output power is the next stage's input power.
AssemblyResult evaluate_chain(const Assembly& chain, const Library& library,
                              const OperatingPoint& point) {
  if (chain.stages.empty())
    throw DesignError(chain.name, "stages", fmt::format("chain '{}': has no stages", chain.name),
                      "list them under 'stages:'");
  const std::size_t n = chain.stages.size();
  std::vector<StageResult> rows(n);
  std::vector<std::vector<StageResult>> nested(n);
  AssemblyResult out;
  out.total.point = point;
  out.total.zvs_all = true;
  out.total.t_sink_c = std::numeric_limits<double>::quiet_NaN();
  double p_out_w = point.p_out_w;
  for (std::size_t j = n; j-- > 0;) {
    const Stage& s = chain.stages[j];
    if (s.input_series < 1 || s.modules < 1)
      throw DesignError(chain.name, s.input_series < 1 ? "input_series" : "modules",
                        fmt::format("chain '{}', stage '{}': input_series and modules must be at "
                                    "least 1",
                                    chain.name, s.label));
    const double v_in_v = j == 0 ? point.v_in_v : nominal(chain.stages[j - 1]).v_out_v;
    const double v_out_v = j + 1 == n ? point.v_out_v : nominal(s).v_out_v;
    const int units = s.input_series * s.modules;
    const OperatingPoint module_point{v_in_v / s.input_series, v_out_v, p_out_w / units};
    AssemblyResult m;
    try {
      m = evaluate_node(s.module, library, module_point);
    } catch (const DesignError& error) {
      // The stage's design and field, with the chain and stage in the message.
      throw DesignError(error.design(), error.field(),
                        fmt::format("chain '{}', stage {} ('{}'): {}", chain.name, j + 1, s.label,
                                    error.message()),
                        error.fix());
    }
    StageResult& row = rows[j];
    row.label = s.label;
    row.units = units;
    row.kind = s.module.kind;
    row.point = {v_in_v, v_out_v, p_out_w};
    add(row.loss, m.total.loss, units);
    row.p_in_w = p_out_w + row.loss.total_w();
    row.efficiency = row.p_in_w > 0.0 ? p_out_w / row.p_in_w : 0.0;
    row.module = std::move(m.total);
    for (StageResult& sub : m.stages) {
      sub.depth += 1;
      sub.units *= units;
      sub.point.p_out_w *= units;
      sub.p_in_w *= units;
      LossBreakdown scaled;
      add(scaled, sub.loss, units);
      sub.loss = scaled;
    }
    nested[j] = std::move(m.stages);
    p_out_w = row.p_in_w;
  }
  for (std::size_t j = 0; j < n; ++j) {
    ConverterResult& t = out.total;
    add(t.loss, rows[j].loss, 1.0);
    t.zvs_all = t.zvs_all && rows[j].module.zvs_all;
    t.thermal_ok = t.thermal_ok && rows[j].module.thermal_ok;
    t.magnetics_volume_m3 += rows[j].units * rows[j].module.magnetics_volume_m3;
    t.heatsink_volume_m3 += rows[j].units * rows[j].module.heatsink_volume_m3;
    for (const std::string& w : rows[j].module.warnings)
      t.warnings.push_back(fmt::format("stage {} ({}): {}", j + 1, rows[j].label, w));
    out.stages.push_back(std::move(rows[j]));
    for (StageResult& sub : nested[j]) out.stages.push_back(std::move(sub));
  }
  out.total.p_in_w = p_out_w;
  out.total.efficiency = p_out_w > 0.0 ? point.p_out_w / p_out_w : 0.0;
  return out;
}

AssemblyResult evaluate_node(const Assembly& a, const Library& library,
                             const OperatingPoint& point) {
  switch (a.kind) {
    case Assembly::Kind::physics: {
      const Library own{a.parts ? a.parts.get() : library.devices, library.materials};
      return {evaluate(a.design, own, point), {}};
    }
    case Assembly::Kind::curve:
      return {evaluate_curve(a.curve, point), {}};
    case Assembly::Kind::chain:
      return evaluate_chain(a, library, point);
  }
  throw DesignError(a.name, "kind", fmt::format("'{}': unknown kind of assembly", a.name));
}

}  // namespace

bool single_phase_input(const Assembly& assembly) noexcept {
  switch (assembly.kind) {
    case Assembly::Kind::physics:
      return assembly.design.topology == Topology::totem_pole_pfc;
    case Assembly::Kind::chain:
      return !assembly.stages.empty() && single_phase_input(assembly.stages.front().module);
    case Assembly::Kind::curve:
      break;
  }
  return false;
}

Nominal nominal(const Assembly& a) noexcept {
  switch (a.kind) {
    case Assembly::Kind::physics:
      return {a.design.v_in_nominal_v, a.design.v_out_nominal_v, a.design.rating_w};
    case Assembly::Kind::curve:
      return {a.curve.v_in_nominal_v, a.curve.v_out_nominal_v, a.curve.rating_w};
    case Assembly::Kind::chain:
      break;
  }
  if (a.stages.empty()) return {};
  const Nominal first = nominal(a.stages.front());
  const Nominal last = nominal(a.stages.back());
  return {first.v_in_v, last.v_out_v, a.rating_w > 0.0 ? a.rating_w : last.rating_w};
}

Nominal nominal(const Stage& s) noexcept {
  const Nominal m = nominal(s.module);
  return {m.v_in_v * s.input_series, m.v_out_v, m.rating_w * s.input_series * s.modules};
}

AssemblyResult evaluate(const Assembly& assembly, const Library& library,
                        const OperatingPoint& point) {
  return evaluate_node(assembly, library, point);
}

EfficiencyMap efficiency_map(const Assembly& assembly, const Library& library,
                             const std::vector<double>& load_fractions,
                             const std::vector<double>& v_in_v) {
  const Nominal nom = nominal(assembly);
  EfficiencyMap map;
  map.load_fractions = load_fractions;
  map.v_in_v = v_in_v;
  map.points.reserve(load_fractions.size() * v_in_v.size());
  for (const double v_in : v_in_v) {
    for (const double fraction : load_fractions) {
      const OperatingPoint point{v_in, nom.v_out_v, fraction * nom.rating_w};
      try {
        map.points.push_back(evaluate(assembly, library, point).total);
      } catch (const DesignError& error) {
        ConverterResult& failed = map.points.emplace_back();
        failed.point = point;
        failed.efficiency = std::numeric_limits<double>::quiet_NaN();
        failed.p_in_w = std::numeric_limits<double>::quiet_NaN();
        failed.thermal_ok = false;
        failed.warnings.emplace_back(error.what());
      }
    }
  }
  return map;
}

}  // namespace g2g::converters

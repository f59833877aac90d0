#include "g2g/study/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>

#include "g2g/core/units.hpp"
#include "g2g/sizing/conductor_power.hpp"
#include "g2g/sizing/tables.hpp"
#include "g2g/steady/solver.hpp"
#include "g2g/study/claims.hpp"

namespace g2g::study {
namespace {

using Json = nlohmann::json;

// Conductor mass of a line as modelled (used when conductors are not sized).
double modelled_mass_kg(const model::ModelSpec& m, const model::Line& line,
                        const sizing::Tables& tables, const sizing::SizingOptions& options) {
  if (line.r_ohm || line.cross_section_m2 <= 0.0) return 0.0;
  const auto& from = m.buses[static_cast<std::size_t>(line.from)];
  const double limit =
      from.kind == model::BusKind::ac ? options.lv_limit_ac_v : options.lv_limit_dc_v;
  const auto set = sizing::circuit_conductors(
      line.type, from.kind, from.nominal_voltage_v <= limit, line.cross_section_m2,
      line.conductors_per_pole, line.parallel_runs, tables, options, line.neutral_conductor);
  return sizing::conductor_mass_kg(set, line.length_m, tables.density_kg_m3(line.material));
}

std::vector<ConductorLevel> conductor_levels(const ArchitectureResult& a) {
  using Key = std::tuple<model::BusKind, double, model::LineType>;
  std::map<Key, ConductorLevel> levels;
  std::vector<double> loss_of_line(a.model.lines.size(), 0.0);
  for (const auto& r : a.result.elements)
    if (r.type == steady::ElementType::line)
      loss_of_line[static_cast<std::size_t>(r.index)] = r.loss_w;
  for (std::size_t i = 0; i < a.model.lines.size(); ++i) {
    const auto& line = a.model.lines[i];
    const auto& bus = a.model.buses[static_cast<std::size_t>(line.from)];
    const Key key{bus.kind, bus.nominal_voltage_v, line.type};
    ConductorLevel& level = levels[key];
    if (level.lines == 0) {
      level.kind = bus.kind;
      level.voltage_v = bus.nominal_voltage_v;
      level.name = fmt::format(
          "{} {} {}", core::format_quantity(bus.nominal_voltage_v, core::Dimension::voltage),
          bus.kind == model::BusKind::ac ? "AC" : "DC", model::name(line.type));
    }
    ++level.lines;
    level.loss_w += loss_of_line[i];
    if (a.sizing) {
      const auto& s = a.sizing->lines[i];
      (line.material == model::Material::copper ? level.copper_kg : level.aluminium_kg) +=
          s.mass_kg;
      if (s.current_a >= level.max_current_a) {
        level.max_current_a = s.current_a;
        level.typical_cross_section_m2 = s.cross_section_m2;
        level.typical_runs = s.parallel_runs;
        level.typical_size = s.size_label;
      }
    }
  }
  std::vector<ConductorLevel> out;
  out.reserve(levels.size());
  for (auto& [key, level] : levels) out.push_back(std::move(level));
  std::sort(out.begin(), out.end(), [](const ConductorLevel& a, const ConductorLevel& b) {
    return a.voltage_v > b.voltage_v;
  });
  return out;
}

}  // namespace

ArchitectureResult analyse(std::string id, const model::ModelSpec& model,
                           const CompareOptions& options) {
  ArchitectureResult a;
  a.id = std::move(id);
  a.name = model.name.empty() ? a.id : model.name;
  a.file = model.source_file;
  const sizing::Tables& tables = sizing::default_tables();
  if (options.size_conductors) {
    auto sized =
        sizing::size_until_stable(model, tables, options.sizing, options.max_sizing_passes);
    a.sizing_passes = sized.passes;
    a.sizing_stable = sized.stable;
    a.model = std::move(sized.sizing.sized_model);
    // An unstable last pass was solved on the geometry before it: solve what is reported.
    a.result = sized.stable ? std::move(sized.solution) : steady::solve(a.model);
    sized.sizing.sized_model = {};
    a.sizing = std::move(sized.sizing);
    a.copper_kg = a.sizing->totals.copper_kg;
    a.aluminium_kg = a.sizing->totals.aluminium_kg;
  } else {
    a.model = model;
    a.result = steady::solve(a.model);
    for (const auto& line : a.model.lines) {
      const double mass = modelled_mass_kg(a.model, line, tables, options.sizing);
      (line.material == model::Material::copper ? a.copper_kg : a.aluminium_kg) += mass;
    }
  }

  std::vector<Stage> stages = chain_stages(a.model, a.result);
  const bool has_pol =
      std::any_of(stages.begin(), stages.end(), [](const Stage& s) { return s.point_of_load; });
  for (const auto& r : a.result.elements)
    if (r.type == steady::ElementType::load) a.it_load_w += r.p_in_w;
  a.source_w = a.result.totals.source_w;
  a.delivered_w = a.result.totals.load_w;
  if (has_pol && !options.include_point_of_load) {
    a.delivered_w -= a.it_load_w;
    for (const auto& s : stages)
      if (s.point_of_load) a.delivered_w += s.p_in_w;
    std::erase_if(stages, [](const Stage& s) { return s.point_of_load; });
  }
  a.stages = std::move(stages);
  a.loss_w = a.source_w - a.delivered_w;
  a.efficiency = a.source_w > 0.0 ? a.delivered_w / a.source_w : 0.0;
  for (const auto& s : a.stages) {
    if (s.kind == StageKind::conversion) {
      a.conversion_loss_w += s.loss_w;
      ++a.conversion_stages;
    } else {
      a.distribution_loss_w += s.loss_w;
    }
  }
  a.annual_loss_mwh = a.loss_w * options.hours_per_year / 1e6;
  a.annual_loss_cost = a.annual_loss_mwh * options.tariff_per_mwh;
  a.conductor_levels = conductor_levels(a);
  return a;
}

namespace {

Json stage_json(const Stage& s) {
  return Json{{"name", s.name},
              {"kind", stage_kind_name(s.kind)},
              {"label", s.label},
              {"voltage_in_v", s.voltage_in_v},
              {"voltage_out_v", s.voltage_out_v},
              {"bus_kind_in", model::name(s.bus_kind_in)},
              {"bus_kind_out", model::name(s.bus_kind_out)},
              {"count", s.count},
              {"p_in_w", s.p_in_w},
              {"p_out_w", s.p_out_w},
              {"loss_w", s.loss_w},
              {"loss_pct", s.p_in_w > 0.0 ? 100.0 * s.loss_w / s.p_in_w : 0.0},
              {"efficiency", s.p_in_w > 0.0 ? s.p_out_w / s.p_in_w : 0.0}};
}

Json architecture_json(const ArchitectureResult& a, const model::ModelSpec& m) {
  Json stages = Json::array();
  for (const auto& s : a.stages) stages.push_back(stage_json(s));
  Json levels = Json::array();
  for (const auto& l : a.conductor_levels)
    levels.push_back(Json{{"name", l.name},
                          {"kind", model::name(l.kind)},
                          {"voltage_v", l.voltage_v},
                          {"lines", l.lines},
                          {"current_a", l.max_current_a},
                          {"cross_section_mm2", l.typical_cross_section_m2 * 1e6},
                          {"runs", l.typical_runs},
                          {"size", l.typical_size},
                          {"copper_kg", l.copper_kg},
                          {"aluminium_kg", l.aluminium_kg},
                          {"loss_w", l.loss_w}});
  Json violations = Json::array();
  for (const auto& v : a.result.violations)
    violations.push_back(Json{{"kind", steady::violation_kind_name(v.kind)},
                              {"element", v.element_id},
                              {"value", v.value},
                              {"limit", v.limit}});
  Json parameters = Json::object();
  for (const auto& p : m.parameters) parameters[p.name] = p.text;
  Json out{{"id", a.id},
           {"name", a.name},
           {"file", a.file},
           {"parameters", parameters},
           {"converged", a.result.converged},
           {"iterations", a.result.stats.iterations},
           {"totals", Json{{"source_w", a.source_w},
                           {"load_w", a.delivered_w},
                           {"it_load_w", a.it_load_w},
                           {"loss_w", a.loss_w},
                           {"efficiency", a.efficiency},
                           {"conversion_loss_w", a.conversion_loss_w},
                           {"distribution_loss_w", a.distribution_loss_w}}},
           {"stages", stages},
           {"conversion_stages", a.conversion_stages},
           {"annual_loss_mwh", a.annual_loss_mwh},
           {"annual_loss_cost", a.annual_loss_cost},
           {"copper_kg", a.copper_kg},
           {"aluminium_kg", a.aluminium_kg},
           {"conductor_levels", levels},
           {"violations", violations}};
  if (a.sizing) {
    out["sizing"] = Json{{"passes", a.sizing_passes},
                         {"stable", a.sizing_stable},
                         {"sized", a.sizing->totals.sized},
                         {"no_fit", a.sizing->totals.no_fit},
                         {"not_sized", a.sizing->totals.not_sized}};
  }
  return out;
}

struct Metric {
  const char* name;
  const char* unit;
  double (*value)(const ArchitectureResult&);
};

constexpr Metric metrics[] = {
    {"efficiency", "", [](const ArchitectureResult& a) { return a.efficiency; }},
    {"source_w", "W", [](const ArchitectureResult& a) { return a.source_w; }},
    {"loss_w", "W", [](const ArchitectureResult& a) { return a.loss_w; }},
    {"conversion_loss_w", "W", [](const ArchitectureResult& a) { return a.conversion_loss_w; }},
    {"distribution_loss_w", "W", [](const ArchitectureResult& a) { return a.distribution_loss_w; }},
    {"annual_loss_mwh", "MWh", [](const ArchitectureResult& a) { return a.annual_loss_mwh; }},
    {"annual_loss_cost", "currency",
     [](const ArchitectureResult& a) { return a.annual_loss_cost; }},
    {"copper_kg", "kg", [](const ArchitectureResult& a) { return a.copper_kg; }},
    {"conversion_stages", "",
     [](const ArchitectureResult& a) { return static_cast<double>(a.conversion_stages); }},
};

// What one copper conductor of a few common sizes carries at each distribution voltage (the
// basis of claim a), at the sizing conditions of the comparison.
Json conductor_power_json(const CompareOptions& options) {
  Json out = Json::array();
  const auto& tables = sizing::default_tables();
  for (const double size_m2 : {35e-6, 95e-6, 240e-6, 630e-6}) {
    std::vector<sizing::ConductorPower> rows;
    try {
      rows = sizing::power_per_conductor(tables, size_m2, options.sizing,
                                         {conductor_power_factor, true});
    } catch (const std::invalid_argument&) {
      continue;  // not in the ampacity table for this method
    }
    for (const auto& r : rows)
      out.push_back(Json{
          {"cross_section_mm2", size_m2 * 1e6},
          {"system", r.label},
          {"voltage_v", r.voltage_v},
          {"loaded_conductors", r.loaded_conductors},
          {"conductors", r.conductors.current_carrying + r.conductors.neutral + r.conductors.pe},
          {"ampacity_a", r.ampacity_a},
          {"power_w", r.power_w},
          {"power_per_conductor_w", r.power_per_current_carrying_conductor_w},
          {"copper_kg_per_m", r.mass_kg_per_m},
          {"power_per_kg_w", r.power_per_mass_w_m_per_kg}});
  }
  return out;
}

}  // namespace

nlohmann::json comparison_json(const std::vector<ArchitectureResult>& architectures,
                               const std::vector<Claim>& claims, const CompareOptions& options) {
  Json doc;
  doc["grid2gpu_compare"] = 1;
  Json assumptions{{"tariff_per_mwh", options.tariff_per_mwh},
                   {"currency", options.currency},
                   {"hours_per_year", options.hours_per_year},
                   {"include_point_of_load", options.include_point_of_load},
                   {"conductors_sized", options.size_conductors},
                   {"baseline", architectures.empty() ? std::string() : architectures[0].id}};
  if (options.size_conductors) {
    assumptions["sizing"] = Json{{"method", sizing::name(options.sizing.method)},
                                 {"ambient_c", options.sizing.ambient_c},
                                 {"grouped_circuits", options.sizing.grouped_circuits},
                                 {"max_voltage_drop_pct", options.sizing.max_voltage_drop_pct},
                                 {"max_parallel_runs", options.sizing.max_parallel_runs},
                                 {"ac_neutral", sizing::name(options.sizing.ac_neutral)},
                                 {"ac_pe", sizing::name(options.sizing.ac_pe)},
                                 {"dc_pe", sizing::name(options.sizing.dc_pe)}};
  }
  doc["assumptions"] = assumptions;
  Json list = Json::array();
  for (const auto& a : architectures) list.push_back(architecture_json(a, a.model));
  doc["architectures"] = list;

  Json differences = Json::array();
  if (architectures.size() > 1) {
    const auto& base = architectures[0];
    for (const auto& metric : metrics) {
      const double b = metric.value(base);
      Json values = Json::object(), abs = Json::object(), rel = Json::object();
      for (std::size_t i = 1; i < architectures.size(); ++i) {
        const double v = metric.value(architectures[i]);
        values[architectures[i].id] = v;
        abs[architectures[i].id] = v - b;
        rel[architectures[i].id] = b != 0.0 ? Json((v - b) / b) : Json(nullptr);
      }
      differences.push_back(Json{{"metric", metric.name},
                                 {"unit", metric.unit},
                                 {"baseline", b},
                                 {"values", values},
                                 {"abs", abs},
                                 {"rel", rel}});
    }
  }
  doc["differences"] = differences;
  doc["conductor_power"] = conductor_power_json(options);
  doc["conductor_power_factor"] = conductor_power_factor;
  doc["claims"] = claims_json(claims);
  return doc;
}

}  // namespace g2g::study

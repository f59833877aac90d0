#include "g2g/study/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <tuple>

#include "g2g/core/error.hpp"
#include "g2g/core/units.hpp"
#include "g2g/sizing/conductor_power.hpp"
#include "g2g/sizing/tables.hpp"
#include "g2g/steady/solver.hpp"

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

// `m` is the model `a` was solved on (a.model, unless analyse was told not to keep it).
std::vector<ConductorLevel> conductor_levels(const ArchitectureResult& a,
                                             const model::ModelSpec& m) {
  using Key = std::tuple<model::BusKind, double, model::LineType>;
  std::map<Key, ConductorLevel> levels;
  // The line whose size each level shows: labelled once, at the end.
  std::map<Key, std::size_t> typical_line;
  std::vector<double> loss_of_line(m.lines.size(), 0.0);
  for (const auto& r : a.result.elements)
    if (r.type == steady::ElementType::line)
      loss_of_line[static_cast<std::size_t>(r.index)] = r.loss_w;
  for (std::size_t i = 0; i < m.lines.size(); ++i) {
    const auto& line = m.lines[i];
    if (line.type == model::LineType::breaker) continue;  // no conductor
    const auto& bus = m.buses[static_cast<std::size_t>(line.from)];
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
        typical_line[key] = i;
      }
    }
  }
  std::vector<ConductorLevel> out;
  out.reserve(levels.size());
  for (auto& [key, level] : levels) {
    if (const auto it = typical_line.find(key); it != typical_line.end())
      level.typical_size = sizing::size_label(a.sizing->lines[it->second]);
    out.push_back(std::move(level));
  }
  std::sort(out.begin(), out.end(), [](const ConductorLevel& a, const ConductorLevel& b) {
    return a.voltage_v > b.voltage_v;
  });
  return out;
}

void add_energy(AnnualFigures& year, const Figures& f, double hours, const CompareOptions& o) {
  const double to_mwh = hours / 1e6;
  year.input_mwh += f.source_w * to_mwh;
  year.delivered_mwh += f.delivered_w * to_mwh;
  year.it_mwh += f.it_load_w * to_mwh;
  year.loss_mwh += f.loss_w * to_mwh;
  year.conversion_loss_mwh += f.conversion_loss_w * to_mwh;
  year.distribution_loss_mwh += f.distribution_loss_w * to_mwh;
  year.cooling_mwh += f.cooling_w * to_mwh;
  year.efficiency = year.input_mwh > 0.0 ? year.delivered_mwh / year.input_mwh : 0.0;
  year.efficiency_to_core = year.input_mwh > 0.0 ? year.it_mwh / year.input_mwh : 0.0;
  year.loss_cost = year.loss_mwh * o.tariff_per_mwh;
  year.cooling_cost = year.cooling_mwh * o.tariff_per_mwh;
}

}  // namespace

double UtilisationProfile::total_hours() const noexcept {
  double h = 0.0;
  for (const auto& p : points) h += p.hours;
  return h;
}

bool set_utilisation(model::ModelSpec& model, double utilisation) {
  bool any = false;
  for (auto& load : model.loads)
    if (load.model == model::LoadModel::gpu_rack) {
      load.utilisation = utilisation;
      load.p_w = model::nominal_load_power_w(load);
      any = true;
    }
  return any;
}

void scale_loads(model::ModelSpec& model, double factor) {
  for (auto& load : model.loads) {
    if (load.model == model::LoadModel::gpu_rack) load.it_power_w *= factor;
    load.p_w *= factor;
    load.q_var *= factor;
  }
}

Figures measure(const model::ModelSpec& m, const steady::SolveResult& result,
                const CompareOptions& options, std::vector<Stage>* stages_out,
                const StageIndex* index) {
  Figures f;
  std::vector<Stage> stages =
      index != nullptr ? chain_stages(*index, m, result) : chain_stages(m, result);
  for (const auto& r : result.elements)
    if (r.type == steady::ElementType::load) f.it_load_w += r.p_in_w;
  f.source_w = result.totals.source_w;
  double pol_in_w = 0.0;
  bool has_pol = false;
  for (const auto& s : stages)
    if (s.point_of_load) {
      has_pol = true;
      pol_in_w += s.p_in_w;
      f.point_of_load_loss_w += s.loss_w;
    }
  f.delivered_w = result.totals.load_w;
  if (has_pol && !options.include_point_of_load) {
    f.delivered_w = f.delivered_w - f.it_load_w + pol_in_w;
    std::erase_if(stages, [](const Stage& s) { return s.point_of_load; });
  }
  f.loss_w = f.source_w - f.delivered_w;
  f.efficiency = f.source_w > 0.0 ? f.delivered_w / f.source_w : 0.0;
  f.efficiency_to_core = f.source_w > 0.0 ? f.it_load_w / f.source_w : 0.0;
  for (const auto& s : stages)
    (s.kind == StageKind::conversion ? f.conversion_loss_w : f.distribution_loss_w) += s.loss_w;
  f.cooling_w = options.cooling.overhead_kw_per_kw * f.loss_w;
  if (stages_out != nullptr) *stages_out = std::move(stages);
  return f;
}

ArchitectureResult analyse(std::string id, const model::ModelSpec& model,
                           const CompareOptions& options) {
  return analyse(std::move(id), model, options, {});
}

ArchitectureResult analyse(std::string id, const model::ModelSpec& model,
                           const CompareOptions& options,
                           const std::function<steady::SolveResult()>& solve_design_point) {
  ArchitectureResult a;
  analyse(a, std::move(id), model, options, solve_design_point);
  return a;
}

void analyse(ArchitectureResult& a, std::string id, const model::ModelSpec& model,
             const CompareOptions& options,
             const std::function<steady::SolveResult()>& solve_design_point, KeepModel keep_model,
             const StageIndex* stages) {
  // Every field starts afresh but the model's copy, whose strings and vectors are assigned over
  // (most of a sweep scenario's allocations were that copy's).
  const bool copy = keep_model == KeepModel::yes || options.size_conductors;
  model::ModelSpec recycled = copy ? std::move(a.model) : model::ModelSpec{};
  a = ArchitectureResult{};
  a.model = std::move(recycled);
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
    if (copy) a.model = model;
    a.result = solve_design_point ? solve_design_point() : steady::solve(model);
    for (const auto& line : model.lines) {
      const double mass = modelled_mass_kg(model, line, tables, options.sizing);
      (line.material == model::Material::copper ? a.copper_kg : a.aluminium_kg) += mass;
    }
  }
  // What was solved: the sized model, or the given one (equal to its copy, when kept).
  const model::ModelSpec& solved = options.size_conductors ? a.model : model;

  a.design =
      measure(solved, a.result, options, &a.stages, options.size_conductors ? nullptr : stages);
  for (const auto& s : a.stages) {
    // A stage no power flows through (a battery converter on float) hangs off the chain: its
    // standby loss counts, but it is not a box the power passes.
    if (s.kind != StageKind::conversion || !(s.p_out_w > 1e-9 * a.design.source_w)) continue;
    ++a.boxes_in_series;
    a.power_conversions += s.conversions_per_box;
  }
  a.conductor_levels = conductor_levels(a, solved);

  // The year: each utilisation point solved on the sized geometry, or the design point all year.
  // (Copied only for a profile: a sweep's scenario often has none.)
  model::ModelSpec at_point = options.profile.points.empty() ? model::ModelSpec{} : solved;
  const bool design_at_full =
      std::all_of(solved.loads.begin(), solved.loads.end(), [](const model::Load& l) {
        return l.model != model::LoadModel::gpu_rack || l.utilisation == 1.0;
      });
  for (const auto& point : options.profile.points) {
    if (!set_utilisation(at_point, point.utilisation)) {
      a.profile.clear();
      break;
    }
    if (point.utilisation == 1.0 && design_at_full) {  // the design point itself
      a.profile.push_back({point, a.design});
      continue;
    }
    const steady::SolveResult r = steady::solve(at_point);
    a.profile.push_back({point, measure(at_point, r, options)});
  }
  if (a.profile.empty()) {
    add_energy(a.annual, a.design, options.hours_per_year, options);
  } else {
    for (const auto& p : a.profile) add_energy(a.annual, p.figures, p.point.hours, options);
  }
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
              {"installed_units", s.installed_units},
              {"unit_load_fraction", s.unit_load_fraction},
              {"redundancy", s.redundancy},
              {"p_in_w", s.p_in_w},
              {"p_out_w", s.p_out_w},
              {"loss_w", s.loss_w},
              {"loss_pct", s.p_in_w > 0.0 ? 100.0 * s.loss_w / s.p_in_w : 0.0},
              {"efficiency", s.p_in_w > 0.0 ? s.p_out_w / s.p_in_w : 0.0}};
}

Json figures_json(const Figures& f) {
  return Json{{"source_w", f.source_w},
              {"load_w", f.delivered_w},
              {"it_load_w", f.it_load_w},
              {"loss_w", f.loss_w},
              {"efficiency", f.efficiency},
              {"efficiency_to_core", f.efficiency_to_core},
              {"conversion_loss_w", f.conversion_loss_w},
              {"distribution_loss_w", f.distribution_loss_w},
              {"point_of_load_loss_w", f.point_of_load_loss_w},
              {"cooling_w", f.cooling_w}};
}

}  // namespace

Json architecture_json(const ArchitectureResult& a, const CompareOptions& options) {
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
  for (const auto& p : a.model.parameters) parameters[p.name] = p.text;
  Json profile = Json::array();
  for (const auto& p : a.profile)
    profile.push_back(Json{{"label", p.point.label},
                           {"utilisation", p.point.utilisation},
                           {"hours", p.point.hours},
                           {"totals", figures_json(p.figures)}});
  const AnnualFigures& y = a.annual;
  Json out{{"id", a.id},
           {"name", a.name},
           {"file", a.file},
           {"scenario", a.scenario},
           {"parameters", parameters},
           {"converged", a.result.converged},
           {"iterations", a.result.stats.iterations},
           {"totals", figures_json(a.design)},
           {"stages", stages},
           {"boxes_in_series", a.boxes_in_series},
           {"power_conversions", a.power_conversions},
           {"profile", profile},
           {"annual", Json{{"input_mwh", y.input_mwh},
                           {"delivered_mwh", y.delivered_mwh},
                           {"it_mwh", y.it_mwh},
                           {"loss_mwh", y.loss_mwh},
                           {"conversion_loss_mwh", y.conversion_loss_mwh},
                           {"distribution_loss_mwh", y.distribution_loss_mwh},
                           {"cooling_mwh", y.cooling_mwh},
                           {"efficiency", y.efficiency},
                           {"efficiency_to_core", y.efficiency_to_core},
                           {"loss_cost", y.loss_cost},
                           {"cooling_cost", y.cooling_cost},
                           {"hours", a.profile.empty() ? options.hours_per_year
                                                       : options.profile.total_hours()}}},
           {"copper_kg", a.copper_kg},
           {"aluminium_kg", a.aluminium_kg},
           {"conductor_levels", levels},
           {"violations", violations},
           {"availability", availability_json(a.availability)}};
  if (a.sizing) {
    out["sizing"] = Json{{"passes", a.sizing_passes},
                         {"stable", a.sizing_stable},
                         {"sized", a.sizing->totals.sized},
                         {"no_fit", a.sizing->totals.no_fit},
                         {"not_sized", a.sizing->totals.not_sized}};
  }
  return out;
}

namespace {

// A member of `j` or `fallback` when it is missing or null (the report's documents may leave
// optional fields out).
template <typename T>
T field(const Json& j, const char* key, T fallback) {
  const auto it = j.find(key);
  return it == j.end() || it->is_null() ? fallback : it->get<T>();
}

model::BusKind bus_kind_from(const Json& j, const char* key) {
  const std::string text = field<std::string>(j, key, "ac");
  if (text == model::name(model::BusKind::ac)) return model::BusKind::ac;
  if (text == model::name(model::BusKind::dc)) return model::BusKind::dc;
  throw InvalidInput(key, fmt::format("unknown bus kind \"{}\"", text), "use \"ac\" or \"dc\"");
}

Figures figures_from_json(const Json& j) {
  Figures f;
  f.source_w = field(j, "source_w", 0.0);
  f.delivered_w = field(j, "load_w", 0.0);
  f.it_load_w = field(j, "it_load_w", 0.0);
  f.loss_w = field(j, "loss_w", 0.0);
  f.efficiency = field(j, "efficiency", 0.0);
  f.efficiency_to_core = field(j, "efficiency_to_core", 0.0);
  f.conversion_loss_w = field(j, "conversion_loss_w", 0.0);
  f.distribution_loss_w = field(j, "distribution_loss_w", 0.0);
  f.point_of_load_loss_w = field(j, "point_of_load_loss_w", 0.0);
  f.cooling_w = field(j, "cooling_w", 0.0);
  return f;
}

Stage stage_from_json(const Json& j) {
  Stage s;
  s.name = field<std::string>(j, "name", "");
  const std::string kind = field<std::string>(j, "kind", "conversion");
  if (kind == stage_kind_name(StageKind::conversion)) {
    s.kind = StageKind::conversion;
  } else if (kind == stage_kind_name(StageKind::distribution)) {
    s.kind = StageKind::distribution;
  } else {
    throw InvalidInput("stages[].kind", fmt::format("unknown stage kind \"{}\"", kind),
                       "use \"conversion\" or \"distribution\"");
  }
  s.label = field<std::string>(j, "label", "");
  s.voltage_in_v = field(j, "voltage_in_v", 0.0);
  s.voltage_out_v = field(j, "voltage_out_v", 0.0);
  s.bus_kind_in = bus_kind_from(j, "bus_kind_in");
  s.bus_kind_out = bus_kind_from(j, "bus_kind_out");
  s.count = field(j, "count", 0);
  s.installed_units = field(j, "installed_units", 0);
  s.unit_load_fraction = field(j, "unit_load_fraction", 0.0);
  s.redundancy = field<std::string>(j, "redundancy", "");
  s.p_in_w = field(j, "p_in_w", 0.0);
  s.p_out_w = field(j, "p_out_w", 0.0);
  s.loss_w = field(j, "loss_w", 0.0);
  return s;
}

}  // namespace

ArchitectureResult architecture_from_json(const Json& j) {
  if (!j.is_object()) throw InvalidInput("architectures[]", "expected an object");
  ArchitectureResult a;
  a.id = field<std::string>(j, "id", "");
  a.name = field<std::string>(j, "name", "");
  a.file = field<std::string>(j, "file", "");
  a.scenario = field<std::string>(j, "scenario", "");
  // A document that does not say otherwise describes a converged operating point.
  a.result.converged = field(j, "converged", true);
  a.result.stats.iterations = field(j, "iterations", 0);
  if (const auto it = j.find("parameters"); it != j.end() && it->is_object())
    for (const auto& [name, value] : it->items())
      a.model.parameters.push_back(
          {name, value.is_string() ? value.get<std::string>() : value.dump()});
  if (const auto it = j.find("totals"); it != j.end() && it->is_object())
    a.design = figures_from_json(*it);
  if (const auto it = j.find("stages"); it != j.end() && it->is_array())
    for (const auto& s : *it) a.stages.push_back(stage_from_json(s));
  if (const auto it = j.find("annual"); it != j.end() && it->is_object()) {
    const Json& y = *it;
    a.annual.input_mwh = field(y, "input_mwh", 0.0);
    a.annual.delivered_mwh = field(y, "delivered_mwh", 0.0);
    a.annual.it_mwh = field(y, "it_mwh", 0.0);
    a.annual.loss_mwh = field(y, "loss_mwh", 0.0);
    a.annual.conversion_loss_mwh = field(y, "conversion_loss_mwh", 0.0);
    a.annual.distribution_loss_mwh = field(y, "distribution_loss_mwh", 0.0);
    a.annual.cooling_mwh = field(y, "cooling_mwh", 0.0);
    a.annual.efficiency = field(y, "efficiency", 0.0);
    a.annual.efficiency_to_core = field(y, "efficiency_to_core", 0.0);
    a.annual.loss_cost = field(y, "loss_cost", 0.0);
    a.annual.cooling_cost = field(y, "cooling_cost", 0.0);
  }
  if (const auto it = j.find("sizing"); it != j.end() && it->is_object()) {
    a.sizing.emplace();
    a.sizing->totals.sized = field(*it, "sized", 0);
    a.sizing->totals.no_fit = field(*it, "no_fit", 0);
    a.sizing->totals.not_sized = field(*it, "not_sized", 0);
    a.sizing_passes = field(*it, "passes", 0);
    a.sizing_stable = field(*it, "stable", true);
  }
  if (const auto it = j.find("availability"); it != j.end())
    a.availability = availability_from_json(*it);
  a.boxes_in_series = field(j, "boxes_in_series", 0);
  a.power_conversions = field(j, "power_conversions", 0);
  a.copper_kg = field(j, "copper_kg", 0.0);
  a.aluminium_kg = field(j, "aluminium_kg", 0.0);
  if (const auto it = j.find("conductor_levels"); it != j.end() && it->is_array()) {
    for (const auto& l : *it) {
      ConductorLevel level;
      level.name = field<std::string>(l, "name", "");
      level.kind = bus_kind_from(l, "kind");
      level.voltage_v = field(l, "voltage_v", 0.0);
      level.lines = field(l, "lines", 0);
      level.max_current_a = field(l, "current_a", 0.0);
      level.typical_cross_section_m2 = field(l, "cross_section_mm2", 0.0) * 1e-6;
      level.typical_runs = field(l, "runs", 1);
      level.typical_size = field<std::string>(l, "size", "");
      level.copper_kg = field(l, "copper_kg", 0.0);
      level.aluminium_kg = field(l, "aluminium_kg", 0.0);
      level.loss_w = field(l, "loss_w", 0.0);
      a.conductor_levels.push_back(std::move(level));
    }
  }
  if (const auto it = j.find("violations"); it != j.end() && it->is_array()) {
    for (const auto& v : *it) {
      const std::string kind = field<std::string>(v, "kind", "");
      const auto known = steady::violation_kind_from_name(kind);
      if (!known)
        throw InvalidInput("violations[].kind", fmt::format("unknown violation kind \"{}\"", kind));
      a.result.violations.push_back({*known, field<std::string>(v, "element", ""),
                                     field(v, "value", 0.0), field(v, "limit", 0.0)});
    }
  }
  return a;
}

Json conductor_power_json(const CompareOptions& options) {
  Json out = Json::array();
  const auto& tables = sizing::default_tables();
  for (const double size_m2 : {35e-6, 95e-6, 240e-6, 630e-6}) {
    std::vector<sizing::ConductorPower> rows;
    try {
      rows = sizing::power_per_conductor(tables, size_m2, options.sizing,
                                         {conductor_power_factor, true});
    } catch (const InvalidInput&) {
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

std::optional<std::size_t> find_800vdc(const std::vector<ArchitectureResult>& architectures) {
  for (std::size_t i = 1; i < architectures.size(); ++i)
    for (const auto& b : architectures[i].model.buses)
      if (b.kind == model::BusKind::dc && std::fabs(b.nominal_voltage_v - 800.0) < 1e-9) return i;
  return std::nullopt;
}

}  // namespace g2g::study

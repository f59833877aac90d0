#include "g2g/study/assumptions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/error.hpp"
#include "g2g/study/embedded_data.hpp"
#include "g2g/study/yaml_reader.hpp"

namespace g2g::study {
namespace {

constexpr std::array<std::string_view, 8> top_keys_with_parameters = {
    "grid2gpu_assumptions", "name",       "title",       "side",
    "description",          "converters", "transformer", "parameters"};
constexpr std::array<std::string_view, 11> converter_keys = {
    "role",        "efficiency",   "shape",        "shape_source", "peak", "loss_factor",
    "as_modelled", "power_factor", "standby_loss", "source",       "kind"};
constexpr std::array<std::string_view, 4> transformer_keys = {"no_load_loss", "load_loss", "source",
                                                              "kind"};
constexpr std::array<std::string_view, 4> parameter_keys = {"name", "value", "source", "kind"};

constexpr std::array<std::pair<SourceKind, std::string_view>, 7> kind_names = {{
    {SourceKind::vendor_claim, "vendor claim"},
    {SourceKind::measurement, "measurement"},
    {SourceKind::standard, "standard"},
    {SourceKind::analyst_estimate, "analyst estimate"},
    {SourceKind::simulation, "simulation"},
    {SourceKind::physics, "physics"},
    {SourceKind::assumption, "assumption"},
}};

ConverterRule converter_rule(YamlReader& r, const YAML::Node& map) {
  ConverterRule rule;
  if (!r.check_map(map, "a converter rule", converter_keys)) return rule;
  r.require(map, "role", "a converter rule", "role: ups (the converters' subtype)");
  if (auto v = r.text(map, "role")) rule.role = *v;
  const std::string context = fmt::format("converter rule '{}'", rule.role);
  rule.provenance = r.provenance(map, context, true);
  if (auto v = r.curve(map, "efficiency")) rule.efficiency = std::move(*v);
  if (auto v = r.curve(map, "shape")) rule.shape = std::move(*v);
  if (auto v = r.text(map, "shape_source")) rule.shape_source = *v;
  rule.peak = r.efficiency(map, "peak");
  if (map["loss_factor"]) {
    if (auto v = r.quantity(map, "loss_factor", core::Dimension::dimensionless)) {
      if (*v > 0.0 && std::isfinite(*v))
        rule.loss_factor = *v;
      else
        r.error(map["loss_factor"], "loss_factor must be positive", "e.g. 0.333");
    }
  }
  if (auto v = r.text(map, "as_modelled")) rule.as_modelled = *v == "true";
  rule.power_factor = r.efficiency(map, "power_factor");
  if (map["standby_loss"]) {
    if (auto v = r.quantity(map, "standby_loss", core::Dimension::dimensionless)) {
      if (*v >= 0.0 && *v < 1.0)
        rule.standby_loss_fraction = *v;
      else
        r.error(map["standby_loss"], "standby_loss is a fraction of the rating in [0, 1)",
                "e.g. 0.2 %");
    }
  }
  const int ways = (rule.efficiency.empty() ? 0 : 1) + (rule.peak || rule.loss_factor ? 1 : 0) +
                   (rule.as_modelled ? 1 : 0);
  if (ways > 1)
    r.error(map, fmt::format("{} gives its efficiency in more than one way", context),
            "give one of: efficiency (a curve), peak and/or loss_factor (with an optional "
            "shape), as_modelled: true");
  if (!rule.shape.empty() && !(rule.peak || rule.loss_factor))
    r.error(map["shape"], fmt::format("{}: a shape needs a peak or a loss_factor", context),
            "add 'peak: 97 %', or give the curve as 'efficiency'");
  if (!rule.shape.empty() && rule.shape_source.empty())
    r.error(map["shape"], fmt::format("{}: the shape has no shape_source", context),
            "say where the shape comes from: shape_source: \"title, URL\"");
  return rule;
}

}  // namespace

std::string_view name(SourceKind kind) noexcept {
  for (const auto& [k, text] : kind_names)
    if (k == kind) return text;
  return "assumption";
}

std::optional<SourceKind> parse_source_kind(std::string_view text) noexcept {
  for (const auto& [k, name_text] : kind_names)
    if (name_text == text) return k;
  return std::nullopt;
}

std::string_view name(Side side) noexcept {
  switch (side) {
    case Side::ac:
      return "ac";
    case Side::dc:
      return "dc";
    case Side::common:
      break;
  }
  return "common";
}

AssumptionSet parse_assumption_set(std::string_view yaml, const std::string& file) {
  YamlReader r(file);
  AssumptionSet set;
  set.file = file;
  const YAML::Node root = r.parse(yaml);
  if (!r.has_errors() && r.check_map(root, "an assumption set", top_keys_with_parameters)) {
    if (!root["grid2gpu_assumptions"] || root["grid2gpu_assumptions"].Scalar() != "1")
      r.error(root, "not an assumption set of format 1", "start it with 'grid2gpu_assumptions: 1'");
    r.require(root, "name", "an assumption set", "name: ac-modern");
    r.require(root, "side", "an assumption set", "side: ac (or dc, common)");
    if (auto v = r.text(root, "name")) set.name = *v;
    if (auto v = r.text(root, "title")) set.title = *v;
    if (set.title.empty()) set.title = set.name;
    if (auto v = r.text(root, "description")) set.description = *v;
    if (auto v = r.text(root, "side")) {
      if (*v == "ac")
        set.side = Side::ac;
      else if (*v == "dc")
        set.side = Side::dc;
      else if (*v == "common")
        set.side = Side::common;
      else
        r.error(root["side"], fmt::format("side '{}' is not ac, dc or common", *v),
                "ac sets are crossed with dc sets; common sets apply to every run");
    }
    if (const YAML::Node list = root["converters"]) {
      if (!list.IsSequence())
        r.error(list, "converters must be a list of rules", "write '- {role: ups, ...}' items");
      else
        for (const auto& item : list) set.converters.push_back(converter_rule(r, item));
    }
    if (const YAML::Node t = root["transformer"]) {
      if (r.check_map(t, "transformer", transformer_keys)) {
        TransformerRule rule;
        r.require(t, "no_load_loss", "transformer", "no_load_loss: 0.15 % (of the rating)");
        r.require(t, "load_loss", "transformer", "load_loss: 0.8 % (of the rating)");
        if (auto v = r.quantity(t, "no_load_loss", core::Dimension::dimensionless))
          rule.no_load_loss_fraction = *v;
        if (auto v = r.quantity(t, "load_loss", core::Dimension::dimensionless))
          rule.load_loss_fraction = *v;
        if (!(rule.no_load_loss_fraction >= 0.0 && rule.no_load_loss_fraction < 0.2 &&
              rule.load_loss_fraction >= 0.0 && rule.load_loss_fraction < 0.2))
          r.error(t, "transformer losses are fractions of the rating between 0 and 20 %",
                  "e.g. no_load_loss: 0.15 %, load_loss: 0.8 %");
        rule.provenance = r.provenance(t, "transformer", true);
        set.transformer = rule;
      }
    }
    if (const YAML::Node list = root["parameters"]) {
      if (!list.IsSequence()) {
        r.error(list, "parameters must be a list", "write '- {name: x, value: 1 mohm, ...}'");
      } else {
        for (const auto& item : list) {
          if (!r.check_map(item, "a parameter", parameter_keys)) continue;
          ParameterRule p;
          r.require(item, "name", "a parameter", "name: sscb_on_resistance");
          r.require(item, "value", "a parameter", "value: 1.6 mohm");
          if (auto v = r.text(item, "name")) p.name = *v;
          if (auto v = r.text(item, "value")) p.value = *v;
          p.provenance = r.provenance(item, fmt::format("parameter '{}'", p.name), true);
          set.parameters.push_back(std::move(p));
        }
      }
    }
  }
  r.throw_if_errors();
  return set;
}

const std::vector<AssumptionSet>& default_assumption_sets() {
  static const std::vector<AssumptionSet> sets = [] {
    std::vector<AssumptionSet> out;
    for (const auto& f : embedded_assumption_files())
      out.push_back(parse_assumption_set(f.text, std::string(f.name)));
    std::stable_sort(out.begin(), out.end(), [](const AssumptionSet& a, const AssumptionSet& b) {
      return a.side != b.side ? a.side < b.side : a.name < b.name;
    });
    return out;
  }();
  return sets;
}

std::vector<Scenario> cross_scenarios(const std::vector<const AssumptionSet*>& sets) {
  std::vector<const AssumptionSet*> ac, dc, common;
  for (const auto* s : sets)
    (s->side == Side::ac ? ac : s->side == Side::dc ? dc : common).push_back(s);
  if (ac.empty()) ac.push_back(nullptr);
  if (dc.empty()) dc.push_back(nullptr);
  std::vector<Scenario> out;
  for (const auto* a : ac)
    for (const auto* d : dc) {
      Scenario s;
      for (const auto* set : {a, d})
        if (set != nullptr) {
          s.name += fmt::format("{}{}", s.name.empty() ? "" : " + ", set->name);
          s.sets.push_back(set);
        }
      if (s.name.empty()) s.name = "as modelled";
      s.sets.insert(s.sets.end(), common.begin(), common.end());
      out.push_back(std::move(s));
    }
  return out;
}

std::string_view converter_role(const model::Converter& converter) noexcept {
  return converter.subtype == model::ConverterSubtype::none ? model::name(converter.type)
                                                            : model::name(converter.subtype);
}

double peak_efficiency(const std::vector<model::EfficiencyPoint>& curve) noexcept {
  double best = 0.0;
  for (const auto& p : curve) best = std::max(best, p.efficiency);
  return best;
}

std::vector<model::EfficiencyPoint> scale_curve(const std::vector<model::EfficiencyPoint>& shape,
                                                std::optional<double> peak,
                                                std::optional<double> loss_factor) {
  if (shape.empty())
    throw InvalidInput("efficiency",
                       "an assumption scales an efficiency curve the element does not have");
  double factor = 1.0;
  if (peak) {
    const double best = peak_efficiency(shape);
    const double loss_at_best = 1.0 / best - 1.0;
    const double loss_at_peak = 1.0 / *peak - 1.0;
    if (loss_at_best <= 0.0) {
      if (loss_at_peak > 0.0)
        throw InvalidInput("peak", "a lossless curve cannot be scaled to a peak below 100 %",
                           "give the element a curve with losses");
    } else {
      factor = loss_at_peak / loss_at_best;
    }
  }
  if (loss_factor) factor *= *loss_factor;
  std::vector<model::EfficiencyPoint> out;
  out.reserve(shape.size());
  for (const auto& p : shape)
    out.push_back({p.load_fraction, 1.0 / (1.0 + factor * (1.0 / p.efficiency - 1.0))});
  return out;
}

int apply(const AssumptionSet& set, model::ModelSpec& model) {
  int changed = 0;
  for (auto& c : model.converters) {
    for (const auto& rule : set.converters) {
      if (converter_role(c) != rule.role) continue;
      if (!rule.efficiency.empty()) {
        c.efficiency = rule.efficiency;
      } else if (rule.peak || rule.loss_factor) {
        c.efficiency = scale_curve(rule.shape.empty() ? c.efficiency : rule.shape, rule.peak,
                                   rule.loss_factor);
      }
      if (rule.power_factor) c.input_power_factor = *rule.power_factor;
      if (rule.standby_loss_fraction) c.standby_loss_w = *rule.standby_loss_fraction * c.rating_w;
      ++changed;
    }
  }
  if (set.transformer) {
    for (auto& t : model.transformers) {
      if (t.r_system_pu) continue;  // imported branches carry no losses of their own
      t.no_load_loss_w = set.transformer->no_load_loss_fraction * t.rating_va;
      t.load_loss_w = set.transformer->load_loss_fraction * t.rating_va;
      t.r_pct.reset();
      ++changed;
    }
  }
  return changed;
}

std::vector<model::ParameterOverride> parameter_overrides(
    const std::vector<const AssumptionSet*>& sets, const std::vector<std::string>& declared) {
  std::vector<model::ParameterOverride> out;
  for (const auto* set : sets)
    for (const auto& p : set->parameters)
      if (std::find(declared.begin(), declared.end(), p.name) != declared.end()) {
        std::erase_if(out, [&](const auto& o) { return o.name == p.name; });
        out.push_back({p.name, p.value});
      }
  return out;
}

std::vector<model::ParameterOverride> layered_parameters(
    const std::vector<model::ParameterOverride>& study_file,
    const std::vector<model::ParameterOverride>& assumption_sets,
    const std::vector<model::ParameterOverride>& user) {
  std::vector<model::ParameterOverride> out;
  auto has = [&](const std::string& name) {
    return std::any_of(out.begin(), out.end(), [&](const auto& p) { return p.name == name; });
  };
  for (const auto* layer : {&user, &assumption_sets, &study_file})
    for (const auto& p : *layer)
      if (!has(p.name)) out.push_back(p);
  return out;
}

}  // namespace g2g::study

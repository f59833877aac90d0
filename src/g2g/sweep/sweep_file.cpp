// The sweep file reader (docs/sweep.md, "The sweep file"). Keys, units, ranges and messages come
// from the configuration toolkit (core/yaml_fields.hpp); only the sweep's own rules are here.
#include "g2g/sweep/sweep_file.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/yaml_fields.hpp"
#include "g2g/sweep/outputs.hpp"

namespace g2g::sweep {
namespace {

using core::Check;
using core::Dimension;
using core::key;
using core::quantity_key;
using core::YamlFile;
using core::YamlMap;

// A sweep may not ask for more scenarios than this (value combinations x architectures): a
// typo in a step ("1 W" for "1 kW") should be an error, not a run of years.
constexpr std::uint64_t max_scenarios = 10'000'000;

constexpr std::array top_fields{
    key("grid2gpu_sweep", true, "the format version", "1"),
    key("name", false, "what the sweep is for"),
    key("models", true,
        "the base model files, relative to the sweep file; the first is the baseline",
        "[legacy-415vac.yaml, 800vdc-sst.yaml]"),
    key("parameters", true, "the swept parameters, each a list, a range or a distribution",
        "{rack_power: [130 kW, 500 kW, 1.5 MW]}"),
    key("combine", false, "grid (the default), zip, or {monte_carlo: {n: 1000, seed: 42}}", "grid"),
    key("options", false, "what every scenario is run with"),
    key("outputs", false, "the metrics to record (docs/sweep.md lists them)",
        "[end_to_end_efficiency, loss_w, copper_kg]"),
};
constexpr std::array range_fields{
    key("from", true, "the first value, with its unit", "130 kW"),
    key("to", true, "the last value, with its unit", "1.5 MW"),
    key("step", false, "the distance between values, with its unit (or count)", "10 kW"),
    key("count", false, "the number of values, from and to included (or step)", "10"),
};
constexpr std::array distribution_fields{
    key("distribution", true, "uniform, normal, lognormal or triangular", "normal"),
    key("min", false, "uniform and triangular: the smallest value", "100 kW"),
    key("max", false, "uniform and triangular: the largest value", "200 kW"),
    key("mode", false, "triangular: the most likely value", "130 kW"),
    key("mean", false, "normal: the mean", "130 kW"),
    key("sd", false, "normal: the standard deviation, with the parameter's unit", "10 kW"),
    key("median", false, "lognormal: the median, exp of the log's mean", "130 kW"),
    quantity_key("sigma", Dimension::dimensionless, false, Check::positive,
                 "lognormal: the standard deviation of the natural log (a plain number)", "0.1"),
};
constexpr std::array combine_fields{
    key("monte_carlo", true, "draws of the distributions", "{n: 1000, seed: 42}"),
};
constexpr std::array monte_carlo_fields{
    key("n", true, "the number of draws", "1000"),
    key("seed", true, "the seed of std::mt19937_64", "42"),
};
constexpr std::array option_fields{
    key("size_conductors", false, "size every LV cable and busbar first (default false)", "false"),
    key("check_claims", false, "add a verdict column per claim (default false)", "false"),
    key("include_point_of_load", false, "end to end includes the VRMs (default false)", "false"),
    quantity_key("tariff_per_mwh", Dimension::dimensionless, false, Check::non_negative,
                 "energy price per MWh for annual_loss_cost (default 80)", "80"),
    quantity_key("hours_per_year", Dimension::dimensionless, false, Check::positive,
                 "hours a year at the design point (default 8760)", "8760"),
    quantity_key("cooling_kw_per_kw", Dimension::dimensionless, false, Check::non_negative,
                 "kW of cooling per kW of loss for cooling_w (default 0: not counted)", "0.1"),
};

constexpr std::array<std::string_view, 4> distribution_names{"uniform", "normal", "lognormal",
                                                             "triangular"};
constexpr std::array<std::string_view, 2> combine_names{"grid", "zip"};

// The keys each distribution takes, besides `distribution`.
std::span<const std::string_view> distribution_keys(DistributionKind kind) {
  static constexpr std::array<std::string_view, 2> uniform{"min", "max"};
  static constexpr std::array<std::string_view, 2> normal{"mean", "sd"};
  static constexpr std::array<std::string_view, 2> lognormal{"median", "sigma"};
  static constexpr std::array<std::string_view, 3> triangular{"min", "mode", "max"};
  switch (kind) {
    case DistributionKind::uniform:
      return uniform;
    case DistributionKind::normal:
      return normal;
    case DistributionKind::lognormal:
      return lognormal;
    case DistributionKind::triangular:
      return triangular;
  }
  return uniform;
}

class Reader {
 public:
  Reader(const std::string& file, std::span<const DeclaredParameter> declared)
      : file_(file), declared_(declared) {}

  YamlFile& file() { return file_; }

  std::vector<std::string> models(const YAML::Node& list) {
    std::vector<std::string> out;
    if (!list.IsSequence() || list.size() == 0) {
      file_.error(list, "'models' must be a list of one or more model files",
                  "write models: [legacy-415vac.yaml, 800vdc-sst.yaml] (the first is the "
                  "baseline)");
      return out;
    }
    std::set<std::string> seen;
    for (const auto& item : list) {
      if (!item.IsScalar() || item.Scalar().empty()) {
        file_.error(item, "each item of 'models' is the path of a model file",
                    "e.g. - 800vdc-sst.yaml");
        continue;
      }
      if (!seen.insert(item.Scalar()).second)
        file_.error(item, fmt::format("model '{}' is listed twice", item.Scalar()),
                    "list each architecture once");
      out.push_back(item.Scalar());
    }
    return out;
  }

  void read(const YAML::Node& root, SweepSpec& s) {
    YamlMap top(file_, root, "", top_fields, {}, "a sweep file");
    if (!top.is_map()) return;
    top.require_all();
    if (top.has("grid2gpu_sweep") &&
        (!top.node("grid2gpu_sweep").IsScalar() || top.node("grid2gpu_sweep").Scalar() != "1"))
      file_.error(top.node("grid2gpu_sweep"), "not a sweep file of format 1",
                  "start it with 'grid2gpu_sweep: 1'");
    top.read("name", s.name);
    if (top.has("models")) s.models = models(top.node("models"));
    // Without a models list there are no declared parameters to check names and units against.
    if (top.has("parameters") && top.has("models")) parameters(top.node("parameters"), s);
    if (top.has("combine")) combine(top.node("combine"), s);
    if (top.has("options")) options(top.node("options"), s.options);
    if (top.has("outputs"))
      s.outputs = outputs(top.node("outputs"));
    else
      s.outputs = default_outputs();
    check_combination(top, s);
  }

 private:
  void parameters(const YAML::Node& map, SweepSpec& s) {
    if (!map.IsMap() || map.size() == 0) {
      file_.error(map, "'parameters' maps each swept parameter to its values",
                  "e.g. parameters: {rack_power: {from: 130 kW, to: 1.5 MW, step: 10 kW}}");
      return;
    }
    std::vector<std::string> names;
    for (const auto& d : declared_) names.push_back(d.name);
    std::set<std::string> seen;
    for (const auto& entry : map) {
      const std::string name = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
      const auto it = std::find_if(declared_.begin(), declared_.end(),
                                   [&](const DeclaredParameter& d) { return d.name == name; });
      if (it == declared_.end()) {
        const std::string near = core::closest_match(name, names);
        file_.error(entry.first, fmt::format("no base model declares a parameter '{}'", name),
                    near.empty()
                        ? fmt::format("sweep a parameter of the models' 'parameters:' ({})",
                                      names.empty() ? std::string("they declare none")
                                                    : fmt::format("{}", fmt::join(names, ", ")))
                        : fmt::format("did you mean '{}'?", near));
        continue;
      }
      if (!seen.insert(name).second) {
        file_.report(entry.first, core::duplicate_key("parameters", name));
        continue;
      }
      SweptParameter p;
      p.name = name;
      p.dimension = it->dimension;
      value_set(entry.second, p);
      s.parameters.push_back(std::move(p));
      nodes_.push_back(entry.first);
    }
  }

  std::optional<double> value(const YAML::Node& node, const SweptParameter& p,
                              std::string_view key) {
    return file_.quantity(node, fmt::format("parameter '{}'", p.name), key, p.dimension);
  }

  void value_set(const YAML::Node& node, SweptParameter& p) {
    const std::string what = fmt::format("parameter '{}'", p.name);
    if (node.IsSequence()) {
      if (node.size() == 0)
        file_.error(node, fmt::format("{} has an empty list of values", what),
                    "give one value or more, e.g. [130 kW, 1 MW]");
      for (const auto& item : node)
        if (auto v = value(item, p, "value")) p.values.push_back(*v);
      return;
    }
    if (!node.IsMap()) {
      file_.error(node, fmt::format("{}: give a list of values, a range or a distribution", what),
                  "e.g. [130 kW, 1 MW], {from: 130 kW, to: 1.5 MW, step: 10 kW} or "
                  "{distribution: normal, mean: 130 kW, sd: 10 kW}");
      return;
    }
    if (node["distribution"])
      distribution(node, p);
    else
      range(node, p);
  }

  void range(const YAML::Node& node, SweptParameter& p) {
    YamlMap m(file_, node, fmt::format("parameter '{}'", p.name), range_fields);
    if (!m.is_map() || !m.require_all()) return;
    const auto from = value(m.node("from"), p, "from");
    const auto to = value(m.node("to"), p, "to");
    if (m.has("step") == m.has("count")) {
      file_.error(node, fmt::format("{}: a range takes either 'step' or 'count'", m.what()),
                  "e.g. step: 10 kW, or count: 50");
      return;
    }
    if (!from || !to) return;
    if (*to < *from) {
      file_.error(m.node("to"), fmt::format("{}: 'to' is below 'from'", m.what()),
                  "write the smaller value in 'from'");
      return;
    }
    if (m.has("count")) {
      const auto count = m.integer("count", 1);
      if (!count) return;
      if (*count > static_cast<std::int64_t>(max_scenarios)) {
        file_.error(m.node("count"),
                    fmt::format("{}: more than {} values", m.what(), max_scenarios),
                    "sweep fewer values");
        return;
      }
      if (*count == 1 && *from != *to) {
        file_.error(m.node("count"), fmt::format("{}: one value cannot span from and to", m.what()),
                    "give count: 2 or more, or to equal to from");
        return;
      }
      for (std::int64_t i = 0; i < *count; ++i)
        p.values.push_back(*count == 1 || i == *count - 1
                               ? *to
                               : *from + (*to - *from) * static_cast<double>(i) /
                                             static_cast<double>(*count - 1));
      return;
    }
    const auto step = value(m.node("step"), p, "step");
    if (!step) return;
    if (!(*step > 0.0)) {
      file_.error(m.node("step"), fmt::format("{}: step must be greater than zero", m.what()),
                  "e.g. step: 10 kW");
      return;
    }
    // from + i step for every i that stays within to (to itself when it falls on a step, to a
    // relative 1e-9 of the step, so that 130 kW to 1.5 MW by 10 kW ends at 1.5 MW).
    const double steps = std::floor((*to - *from) / *step + 1e-9);
    if (steps + 1.0 > static_cast<double>(max_scenarios)) {
      file_.error(m.node("step"),
                  fmt::format("{}: the range has {:g} values, more than {}", m.what(), steps + 1.0,
                              max_scenarios),
                  "take a larger step");
      return;
    }
    for (std::int64_t i = 0; i <= static_cast<std::int64_t>(steps); ++i)
      p.values.push_back(*from + static_cast<double>(i) * *step);
  }

  void distribution(const YAML::Node& node, SweptParameter& p) {
    YamlMap m(file_, node, fmt::format("parameter '{}'", p.name), distribution_fields);
    if (!m.is_map()) return;
    const auto kind_index = m.choice("distribution", distribution_names);
    if (!kind_index) return;
    Distribution d;
    d.kind = static_cast<DistributionKind>(*kind_index);
    const auto keys = distribution_keys(d.kind);
    bool complete = true;
    for (const auto& field : distribution_fields) {
      if (field.key == "distribution") continue;
      const bool belongs = std::find(keys.begin(), keys.end(), field.key) != keys.end();
      if (belongs && !m.has(field.key)) {
        file_.error(node,
                    fmt::format("{}: a {} distribution needs '{}' ({})", m.what(), name(d.kind),
                                field.key, field.help),
                    fmt::format("add '{}: {}'", field.key, field.example));
        complete = false;
      } else if (!belongs && m.has(field.key)) {
        file_.error(
            m.node(field.key),
            fmt::format("{}: a {} distribution takes no '{}'", m.what(), name(d.kind), field.key),
            fmt::format("it takes {}", fmt::join(keys, ", ")));
        complete = false;
      }
    }
    if (!complete) return;
    auto get = [&](std::string_view k, double& out) {
      const auto v = k == "sigma" ? m.quantity("sigma") : value(m.node(k), p, k);
      if (v) out = *v;
      return v.has_value();
    };
    switch (d.kind) {
      case DistributionKind::uniform:
        if (get("min", d.min) && get("max", d.max) && !(d.min < d.max))
          file_.error(m.node("max"), fmt::format("{}: max must be above min", m.what()));
        break;
      case DistributionKind::normal:
        if (get("mean", d.mean) && get("sd", d.sd) && !(d.sd > 0.0))
          file_.error(m.node("sd"), fmt::format("{}: sd must be greater than zero", m.what()),
                      "e.g. sd: 10 kW");
        break;
      case DistributionKind::lognormal:
        if (get("median", d.median) && !(d.median > 0.0))
          file_.error(m.node("median"),
                      fmt::format("{}: a lognormal median must be greater than zero", m.what()));
        get("sigma", d.sigma_log);
        break;
      case DistributionKind::triangular:
        if (get("min", d.min) && get("mode", d.mode) && get("max", d.max) &&
            !(d.min <= d.mode && d.mode <= d.max && d.min < d.max))
          file_.error(m.node("mode"),
                      fmt::format("{}: a triangular distribution needs min <= mode <= max and "
                                  "min < max",
                                  m.what()));
        break;
    }
    p.distribution = d;
  }

  void combine(const YAML::Node& node, SweepSpec& s) {
    if (node.IsScalar()) {
      if (node.Scalar() == "monte_carlo") {
        file_.error(node, "combine: monte_carlo needs the number of draws and a seed",
                    "write combine: {monte_carlo: {n: 1000, seed: 42}}");
        return;
      }
      for (std::size_t i = 0; i < combine_names.size(); ++i)
        if (node.Scalar() == combine_names[i]) {
          s.combine = static_cast<Combine>(i);
          return;
        }
      file_.report(node, core::bad_choice("", "combine", node.Scalar(), combine_names));
      return;
    }
    YamlMap m(file_, node, "combine", combine_fields);
    if (!m.is_map() || !m.require_all()) return;
    YamlMap mc(file_, m.node("monte_carlo"), "monte_carlo", monte_carlo_fields);
    if (!mc.is_map() || !mc.require_all()) return;
    s.combine = Combine::monte_carlo;
    if (auto n = mc.integer("n", 1)) {
      if (static_cast<std::uint64_t>(*n) > max_scenarios)
        file_.error(mc.node("n"), fmt::format("monte_carlo: more than {} draws", max_scenarios),
                    "draw fewer");
      else
        s.samples = static_cast<std::uint64_t>(*n);
    }
    if (auto seed = mc.integer("seed", 0)) s.seed = static_cast<std::uint64_t>(*seed);
  }

  void options(const YAML::Node& node, SweepOptions& o) {
    YamlMap m(file_, node, "options", option_fields, {}, "sweep options");
    if (!m.is_map()) return;
    m.read("size_conductors", o.size_conductors);
    m.read("check_claims", o.check_claims);
    m.read("include_point_of_load", o.include_point_of_load);
    m.read("tariff_per_mwh", o.tariff_per_mwh);
    m.read("hours_per_year", o.hours_per_year);
    m.read("cooling_kw_per_kw", o.cooling_kw_per_kw);
  }

  std::vector<std::string> outputs(const YAML::Node& list) {
    std::vector<std::string> out;
    if (!list.IsSequence() || list.size() == 0) {
      file_.error(list, "'outputs' must be a list of metric names",
                  "e.g. outputs: [end_to_end_efficiency, loss_w, copper_kg]");
      return out;
    }
    std::vector<std::string> known;
    for (const auto& o : output_catalogue()) known.push_back(o.name);
    for (const auto& item : list) {
      const std::string name = item.IsScalar() ? item.Scalar() : std::string();
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        const std::string near = core::closest_match(name, known);
        file_.error(item, fmt::format("outputs: unknown metric '{}'", name),
                    near.empty() ? std::string("docs/sweep.md lists the metrics")
                                 : fmt::format("did you mean '{}'?", near));
      } else if (std::find(out.begin(), out.end(), name) != out.end()) {
        file_.error(item, fmt::format("outputs: '{}' is listed twice", name),
                    "list each metric once");
      } else {
        out.push_back(name);
      }
    }
    return out;
  }

  // The rules that join parameters and the combination, and the size of the sweep.
  void check_combination(YamlMap& top, SweepSpec& s) {
    std::uint64_t combinations = 1;
    for (std::size_t i = 0; i < s.parameters.size(); ++i) {
      const SweptParameter& p = s.parameters[i];
      if (p.distribution && s.combine != Combine::monte_carlo)
        file_.error(nodes_[i],
                    fmt::format("parameter '{}' is a distribution, which only combine: "
                                "monte_carlo draws from",
                                p.name),
                    "add combine: {monte_carlo: {n: 1000, seed: 42}}, or give a list or range");
      if (!p.distribution && !p.values.empty()) {
        if (s.combine == Combine::zip)
          combinations = p.values.size();
        else
          combinations = std::min<std::uint64_t>(combinations * p.values.size(), max_scenarios + 1);
      }
    }
    if (s.combine == Combine::zip) {
      const SweptParameter* first = nullptr;
      for (std::size_t i = 0; i < s.parameters.size(); ++i) {
        const SweptParameter& p = s.parameters[i];
        if (first == nullptr) {
          first = &p;
        } else if (p.values.size() != first->values.size()) {
          file_.error(nodes_[i],
                      fmt::format("combine: zip needs lists of equal length, but '{}' has {} "
                                  "values and '{}' has {}",
                                  first->name, first->values.size(), p.name, p.values.size()),
                      "give every parameter as many values, or use combine: grid");
        }
      }
    }
    if (s.combine == Combine::monte_carlo) {
      const bool any = std::any_of(s.parameters.begin(), s.parameters.end(),
                                   [](const SweptParameter& p) { return p.distribution; });
      if (!any && !s.parameters.empty())
        file_.error(top.node("combine"),
                    "combine: monte_carlo draws from distributions, and no "
                    "parameter has one",
                    "give a parameter {distribution: normal, mean: ..., sd: ...}, or use "
                    "combine: grid");
      combinations = std::min<std::uint64_t>(combinations * std::max<std::uint64_t>(s.samples, 1),
                                             max_scenarios + 1);
    }
    if (combinations * std::max<std::size_t>(s.models.size(), 1) > max_scenarios)
      file_.error(top.node("parameters"),
                  fmt::format("the sweep has more than {} scenarios", max_scenarios),
                  "sweep fewer values, or split the sweep");
  }

  YamlFile file_;
  std::span<const DeclaredParameter> declared_;
  std::vector<YAML::Node> nodes_;  // each parameter's key, for messages
};

// ---- The JSON Schema ------------------------------------------------------------------------

nlohmann::json quantity_schema(std::string_view help) {
  return {{"description", help}, {"type", nlohmann::json::array({"string", "number"})}};
}

nlohmann::json object_schema(std::span<const core::Field> fields, const nlohmann::json& types) {
  nlohmann::json properties = nlohmann::json::object();
  nlohmann::json required = nlohmann::json::array();
  for (const auto& f : fields) {
    const std::string k(f.key);
    nlohmann::json p = types.contains(k) ? types[k] : quantity_schema(f.help);
    p["description"] = std::string(f.help);
    properties[k] = p;
    if (f.required) required.push_back(k);
  }
  nlohmann::json o = {
      {"type", "object"}, {"additionalProperties", false}, {"properties", properties}};
  if (!required.empty()) o["required"] = required;
  return o;
}

}  // namespace

std::string_view name(DistributionKind kind) noexcept {
  return distribution_names[static_cast<std::size_t>(kind)];
}

std::string_view name(Combine combine) noexcept {
  switch (combine) {
    case Combine::grid:
      return "grid";
    case Combine::zip:
      return "zip";
    case Combine::monte_carlo:
      return "monte_carlo";
  }
  return "grid";
}

std::vector<std::string> sweep_models(std::string_view text, const std::string& file) {
  Reader reader(file, {});
  const YAML::Node root = reader.file().parse(text);
  std::vector<std::string> models;
  // Only the list's own problems here: parse_sweep reports the rest of the file, all at once,
  // once the models' parameters are known. A file without the list is left to it too.
  if (!reader.file().has_errors() && root.IsMap() && root["models"])
    models = reader.models(root["models"]);
  reader.file().throw_if_errors();
  return models;
}

SweepSpec parse_sweep(std::string_view text, const std::string& file,
                      std::span<const DeclaredParameter> declared) {
  Reader reader(file, declared);
  SweepSpec s;
  s.file = file;
  const YAML::Node root = reader.file().parse(text);
  if (!reader.file().has_errors()) reader.read(root, s);
  reader.file().throw_if_errors();
  return s;
}

std::string sweep_json_schema() {
  using nlohmann::json;
  const json text = {{"type", "string"}};
  const json flag = {{"type", "boolean"}};
  const json whole = {{"type", "integer"}, {"minimum", 0}};
  json value_set = {{"oneOf", json::array({
                                  {{"type", "array"},
                                   {"minItems", 1},
                                   {"items", {{"type", json::array({"string", "number"})}}}},
                                  {{"$ref", "#/$defs/range"}},
                                  {{"$ref", "#/$defs/distribution"}},
                              })}};
  json top = object_schema(
      top_fields,
      {{"grid2gpu_sweep", {{"const", 1}}},
       {"name", text},
       {"models", {{"type", "array"}, {"minItems", 1}, {"items", text}}},
       {"parameters",
        {{"type", "object"}, {"minProperties", 1}, {"additionalProperties", value_set}}},
       {"combine",
        {{"oneOf",
          json::array({{{"enum", json::array({"grid", "zip"})}}, {{"$ref", "#/$defs/combine"}}})}}},
       {"options", {{"$ref", "#/$defs/options"}}},
       {"outputs", {{"type", "array"}, {"items", text}}}});
  json outputs = json::array();
  for (const auto& o : output_catalogue()) outputs.push_back(o.name);
  top["properties"]["outputs"]["items"] = {{"enum", outputs}};
  json schema = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                 {"$id", "https://grid2gpu.dev/sweep.schema.json"},
                 {"title", "grid2gpu sweep file (grid2gpu_sweep: 1), docs/sweep.md"}};
  schema.update(top);
  json distribution = object_schema(distribution_fields, {});
  distribution["properties"]["distribution"] = {
      {"enum", json::array({"uniform", "normal", "lognormal", "triangular"})},
      {"description", std::string(distribution_fields[0].help)}};
  schema["$defs"] = {
      {"range", object_schema(range_fields, {{"count", {{"type", "integer"}, {"minimum", 1}}}})},
      {"distribution", distribution},
      {"combine",
       object_schema(combine_fields, {{"monte_carlo", {{"$ref", "#/$defs/monte_carlo"}}}})},
      {"monte_carlo",
       object_schema(monte_carlo_fields,
                     {{"n", {{"type", "integer"}, {"minimum", 1}}}, {"seed", whole}})},
      {"options", object_schema(option_fields, {{"size_conductors", flag},
                                                {"check_claims", flag},
                                                {"include_point_of_load", flag}})},
  };
  return schema.dump(2) + "\n";
}

}  // namespace g2g::sweep

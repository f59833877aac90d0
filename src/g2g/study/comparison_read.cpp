// Reading a comparison document back into the study's types (comparison_from_json,
// claims_from_json): the only place the comparison JSON is read by its keys. Members may be
// left out (empty strings, NaN, nullopt); a member present must have its documented type and
// every enum name must be known, else InvalidInput names the member.
#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "g2g/study/comparison.hpp"

namespace g2g::study {
namespace {

using Json = nlohmann::json;

std::string path(std::string_view where, std::string_view key) {
  return fmt::format("{}.{}", where, key);
}

std::string path(std::string_view where, std::size_t index) {
  return fmt::format("{}[{}]", where, index);
}

[[noreturn]] void wrong_type(const std::string& where, std::string_view expected) {
  throw InvalidInput(where, fmt::format("expected {}", expected));
}

// The member `key` of `j`, or nullptr when it is missing or null.
const Json* member(const Json& j, std::string_view key) {
  const auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

std::string text(const Json& j, std::string_view key, std::string_view where) {
  const Json* v = member(j, key);
  if (v == nullptr) return {};
  if (!v->is_string()) wrong_type(path(where, key), "text");
  return v->get<std::string>();
}

// A number; NaN when left out.
double number(const Json& j, std::string_view key, std::string_view where) {
  const Json* v = member(j, key);
  if (v == nullptr) return not_stated;
  if (!v->is_number()) wrong_type(path(where, key), "a number");
  return v->get<double>();
}

std::optional<double> optional_number(const Json& j, std::string_view key, std::string_view where) {
  if (member(j, key) == nullptr) return std::nullopt;
  return number(j, key, where);
}

std::optional<int> integer(const Json& j, std::string_view key, std::string_view where) {
  const Json* v = member(j, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number()) wrong_type(path(where, key), "a whole number");
  return v->get<int>();
}

std::optional<bool> boolean(const Json& j, std::string_view key, std::string_view where) {
  const Json* v = member(j, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) wrong_type(path(where, key), "true or false");
  return v->get<bool>();
}

const Json& array(const Json& j, std::string_view key, std::string_view where) {
  static const Json empty = Json::array();
  const Json* v = member(j, key);
  if (v == nullptr) return empty;
  if (!v->is_array()) wrong_type(path(where, key), "an array");
  return *v;
}

// The object `key`, or nullptr when it is left out.
const Json* object(const Json& j, std::string_view key, std::string_view where) {
  const Json* v = member(j, key);
  if (v != nullptr && !v->is_object()) wrong_type(path(where, key), "an object");
  return v;
}

void expect_object(const Json& j, const std::string& where) {
  if (!j.is_object()) wrong_type(where, "an object");
}

template <typename Enum>
Enum known(const Json& j, std::string_view key, std::string_view where, Enum fallback,
           std::optional<Enum> (*parse)(std::string_view) noexcept) {
  const Json* v = member(j, key);
  if (v == nullptr) return fallback;
  const std::string word = text(j, key, where);
  const auto parsed = parse(word);
  if (!parsed) throw InvalidInput(path(where, key), fmt::format("\"{}\" is not known", word));
  return *parsed;
}

std::optional<Side> parse_side(std::string_view text) noexcept {
  for (const Side s : {Side::ac, Side::dc, Side::common})
    if (name(s) == text) return s;
  return std::nullopt;
}

// A source object {source, kind}; a kind left out is an assumption.
Provenance source(const Json& j, const std::string& where) {
  expect_object(j, where);
  return {text(j, "source", where),
          known(j, "kind", where, SourceKind::assumption, &parse_source_kind)};
}

std::optional<Provenance> source_member(const Json& j, std::string_view key,
                                        std::string_view where) {
  const Json* v = object(j, key, where);
  if (v == nullptr) return std::nullopt;
  return source(*v, path(where, key));
}

RunProvenance run_provenance(const Json& p) {
  const std::string where = "provenance";
  return {text(p, "program", where), text(p, "version", where), text(p, "commit", where),
          text(p, "date", where),    text(p, "command", where), text(p, "study", where)};
}

SizingConditions sizing_conditions(const Json& z, const std::string& where) {
  return {text(z, "method", where),
          number(z, "ambient_c", where),
          integer(z, "grouped_circuits", where),
          number(z, "max_voltage_drop_pct", where),
          integer(z, "max_parallel_runs", where),
          text(z, "ac_neutral", where),
          text(z, "ac_pe", where),
          text(z, "dc_pe", where),
          text(z, "arrangement", where),
          text(z, "dc_busbar_rating", where)};
}

UtilisationProfile utilisation_profile(const Json& p, const std::string& where) {
  UtilisationProfile out;
  const Json& points = array(p, "points", where);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const std::string at = path(path(where, "points"), i);
    expect_object(points[i], at);
    UtilisationPoint point;
    point.label = text(points[i], "label", at);
    point.utilisation = number(points[i], "utilisation", at);
    point.hours = number(points[i], "hours", at);
    out.points.push_back(std::move(point));
  }
  if (const auto s = source_member(p, "source", where)) out.provenance = *s;
  return out;
}

StatedAssumptions stated_assumptions(const Json& a) {
  const std::string where = "assumptions";
  StatedAssumptions out;
  out.tariff_per_mwh = optional_number(a, "tariff_per_mwh", where);
  out.currency = text(a, "currency", where);
  out.tariff_source = source_member(a, "tariff_source", where);
  out.hours_per_year = optional_number(a, "hours_per_year", where);
  out.include_point_of_load = boolean(a, "include_point_of_load", where);
  out.boundary = text(a, "boundary", where);
  out.conductors_sized = boolean(a, "conductors_sized", where);
  out.baseline = text(a, "baseline", where);
  out.it_load_tolerance = optional_number(a, "it_load_tolerance", where);
  out.normalised = boolean(a, "normalised", where);
  if (const Json* z = object(a, "sizing", where))
    out.sizing = sizing_conditions(*z, path(where, "sizing"));
  if (const Json* p = object(a, "utilisation_profile", where))
    out.utilisation_profile = utilisation_profile(*p, path(where, "utilisation_profile"));
  if (const Json* c = object(a, "cooling", where)) {
    CoolingOptions cooling;
    cooling.overhead_kw_per_kw = number(*c, "overhead_kw_per_kw", path(where, "cooling"));
    if (const auto s = source_member(*c, "source", path(where, "cooling"))) cooling.provenance = *s;
    out.cooling = cooling;
  }
  static constexpr std::string_view stated_keys[] = {"tariff_per_mwh",
                                                     "currency",
                                                     "tariff_source",
                                                     "hours_per_year",
                                                     "include_point_of_load",
                                                     "boundary",
                                                     "conductors_sized",
                                                     "baseline",
                                                     "it_load_tolerance",
                                                     "normalised",
                                                     "sizing",
                                                     "utilisation_profile",
                                                     "cooling"};
  for (const auto& [key, value] : a.items()) {
    if (value.is_null() ||
        std::find(std::begin(stated_keys), std::end(stated_keys), key) != std::end(stated_keys))
      continue;
    out.other.emplace_back(key, value.is_string() ? value.get<std::string>() : value.dump());
  }
  return out;
}

AssumptionSetSummary assumption_set(const Json& s, const std::string& where) {
  expect_object(s, where);
  AssumptionSetSummary out;
  out.name = text(s, "name", where);
  out.title = text(s, "title", where);
  out.side = known(s, "side", where, Side::common, &parse_side);
  out.description = text(s, "description", where);
  out.file = text(s, "file", where);
  const Json& values = array(s, "values", where);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string at = path(path(where, "values"), i);
    out.values.push_back({text(values[i], "role", at), text(values[i], "what", at),
                          text(values[i], "value", at), source(values[i], at),
                          text(values[i], "shape_source", at)});
  }
  return out;
}

ScenarioFigures scenario_figures(const Json& a, const std::string& where) {
  expect_object(a, where);
  return {text(a, "id", where),
          number(a, "efficiency", where),
          number(a, "annual_efficiency", where),
          number(a, "source_w", where),
          number(a, "load_w", where),
          number(a, "loss_w", where),
          number(a, "conversion_loss_w", where),
          number(a, "distribution_loss_w", where),
          number(a, "annual_input_mwh", where),
          number(a, "annual_loss_mwh", where),
          number(a, "annual_loss_cost", where),
          number(a, "annual_cooling_mwh", where),
          number(a, "copper_kg", where)};
}

ScenarioSummary scenario(const Json& s, const std::string& where) {
  expect_object(s, where);
  ScenarioSummary out;
  out.name = text(s, "name", where);
  const Json& sets = array(s, "sets", where);
  for (std::size_t i = 0; i < sets.size(); ++i) {
    if (!sets[i].is_string()) wrong_type(path(path(where, "sets"), i), "a set's name");
    out.sets.push_back(sets[i].get<std::string>());
  }
  out.is_default = boolean(s, "default", where).value_or(false);
  const Json& archs = array(s, "architectures", where);
  for (std::size_t i = 0; i < archs.size(); ++i)
    out.architectures.push_back(scenario_figures(archs[i], path(path(where, "architectures"), i)));
  return out;
}

// {low, high} under two names; either end NaN when left out.
Range range(const Json& r, const char* low, const char* high, const std::string& where) {
  expect_object(r, where);
  return {number(r, low, where), number(r, high, where)};
}

ArchitectureSummary architecture_summary(const Json& a, const std::string& where) {
  ArchitectureSummary out;
  out.it_load_as_read_w = number(a, "it_load_as_read_w", where);
  out.it_scale = number(a, "it_scale", where);
  if (const Json* ranges = object(a, "ranges", where)) {
    for (const auto& [key, r] : ranges->items()) {
      const std::string at = path(path(where, "ranges"), key);
      const auto metric = parse_figure_metric(key);
      if (!metric) throw InvalidInput(at, fmt::format("figure \"{}\" is not known", key));
      if (!r.is_null()) out.ranges[static_cast<std::size_t>(*metric)] = range(r, "low", "high", at);
    }
  }
  return out;
}

Difference difference(const Json& d, const std::string& where) {
  expect_object(d, where);
  if (member(d, "metric") == nullptr) throw InvalidInput(path(where, "metric"), "missing");
  Difference out;
  out.metric = known(d, "metric", where, FigureMetric::efficiency, &parse_figure_metric);
  out.baseline = number(d, "baseline", where);
  auto entry = [&](const std::string& id) -> DifferenceEntry& {
    for (auto& e : out.architectures)
      if (e.id == id) return e;
    out.architectures.push_back({});
    out.architectures.back().id = id;
    return out.architectures.back();
  };
  for (const char* key : {"values", "abs", "rel"}) {
    const Json* by_id = object(d, key, where);
    if (by_id == nullptr) continue;
    for (const auto& [id, v] : by_id->items()) {
      const double x = number(*by_id, id, path(where, key));
      DifferenceEntry& e = entry(id);
      (key[0] == 'v' ? e.value : key[0] == 'a' ? e.abs : e.rel) = x;
    }
  }
  for (const auto& [key, low, high] : {std::tuple{"abs_range", "abs_low", "abs_high"},
                                       std::tuple{"rel_range", "rel_low", "rel_high"}}) {
    const Json* by_id = object(d, key, where);
    if (by_id == nullptr) continue;
    for (const auto& [id, r] : by_id->items()) {
      if (r.is_null()) continue;
      const Range read = range(r, low, high, path(path(where, key), id));
      DifferenceEntry& e = entry(id);
      (key[0] == 'a' ? e.abs_range : e.rel_range) = read;
    }
  }
  return out;
}

Claim claim(const Json& c, const std::string& where) {
  expect_object(c, where);
  Claim out;
  ClaimSpec& spec = out.spec;
  spec.id = text(c, "id", where);
  spec.text = text(c, "text", where);
  if (member(c, "text") == nullptr) spec.text = text(c, "claim", where);  // its first spelling
  spec.quote = text(c, "quote", where);
  spec.source = text(c, "source", where);
  spec.kind = text(c, "kind", where);
  // Without its form and metric a claim's figures say nothing: neither has a default.
  for (const char* key : {"form", "metric"})
    if (member(c, key) == nullptr)
      throw InvalidInput(path(where, key), "missing", "a claim states its form and metric");
  spec.form = known(c, "form", where, ClaimForm::about, &parse_claim_form);
  spec.metric = known(c, "metric", where, Metric::efficiency_gain_points, &parse_metric);
  spec.published = number(c, "published", where);
  spec.tolerance = optional_number(c, "tolerance", where).value_or(0.0);
  out.published = text(c, "published_text", where);
  out.computed_low = number(c, "computed_low", where);
  out.computed_high = number(c, "computed_high", where);
  out.computed_default = number(c, "computed_default", where);
  out.low_case = text(c, "computed_low_case", where);
  out.high_case = text(c, "computed_high_case", where);
  out.computed = text(c, "computed", where);
  out.verdict = known(c, "verdict", where, Verdict::not_applicable, &parse_verdict);
  const Json& cases = array(c, "cases", where);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string at = path(path(where, "cases"), i);
    expect_object(cases[i], at);
    out.cases.push_back({text(cases[i], "scenario", at), number(cases[i], "value", at)});
  }
  const Json& assumptions = array(c, "assumptions", where);
  for (std::size_t i = 0; i < assumptions.size(); ++i) {
    if (!assumptions[i].is_string()) wrong_type(path(path(where, "assumptions"), i), "text");
    out.assumptions.push_back(assumptions[i].get<std::string>());
  }
  out.explanation = text(c, "explanation", where);
  const Json& breaks = array(c, "break_even", where);
  for (std::size_t i = 0; i < breaks.size(); ++i) {
    const std::string at = path(path(where, "break_even"), i);
    expect_object(breaks[i], at);
    out.break_even.push_back({text(breaks[i], "assumption", at), number(breaks[i], "value", at),
                              number(breaks[i], "current", at), text(breaks[i], "unit", at),
                              text(breaks[i], "text", at)});
  }
  const Json& readings = array(c, "interpretations", where);
  for (std::size_t i = 0; i < readings.size(); ++i) {
    const std::string at = path(path(where, "interpretations"), i);
    expect_object(readings[i], at);
    out.interpretations.push_back(
        {text(readings[i], "name", at), text(readings[i], "computed", at),
         number(readings[i], "computed_value", at),
         known(readings[i], "verdict", at, Verdict::not_applicable, &parse_verdict)});
  }
  const Json& rows = array(c, "sensitivity", where);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string at = path(path(where, "sensitivity"), i);
    expect_object(rows[i], at);
    out.sensitivity.push_back(
        {text(rows[i], "assumption", at), text(rows[i], "value", at), text(rows[i], "computed", at),
         number(rows[i], "computed_value", at),
         known(rows[i], "verdict", at, Verdict::not_applicable, &parse_verdict)});
  }
  return out;
}

}  // namespace

std::vector<Claim> claims_from_json(const Json& claims) {
  if (!claims.is_array()) wrong_type("claims", "an array");
  std::vector<Claim> out;
  for (std::size_t i = 0; i < claims.size(); ++i)
    out.push_back(claim(claims[i], path("claims", i)));
  return out;
}

ComparisonDocument comparison_from_json(const Json& doc) {
  if (!doc.is_object() || member(doc, "architectures") == nullptr ||
      !doc["architectures"].is_array())
    throw InvalidInput("comparison", "expected an object with an \"architectures\" array");
  const std::string where = "comparison";
  ComparisonDocument out;
  ComparisonSummary& s = out.summary;
  s.format = integer(doc, "grid2gpu_compare", where);
  if (const Json* p = object(doc, "provenance", where); p != nullptr && !p->empty())
    s.provenance = run_provenance(*p);
  if (const Json* a = object(doc, "assumptions", where)) s.assumptions = stated_assumptions(*a);
  const Json& sets = array(doc, "assumption_sets", where);
  for (std::size_t i = 0; i < sets.size(); ++i)
    s.assumption_sets.push_back(assumption_set(sets[i], path("assumption_sets", i)));
  const Json& scenarios = array(doc, "scenarios", where);
  for (std::size_t i = 0; i < scenarios.size(); ++i)
    s.scenarios.push_back(scenario(scenarios[i], path("scenarios", i)));
  s.default_scenario = text(doc, "default_scenario", where);
  const Json& archs = doc["architectures"];
  for (std::size_t i = 0; i < archs.size(); ++i) {
    out.architectures.push_back(architecture_from_json(archs[i]));
    s.architectures.push_back(architecture_summary(archs[i], path("architectures", i)));
  }
  const Json& differences = array(doc, "differences", where);
  for (std::size_t i = 0; i < differences.size(); ++i)
    s.differences.push_back(difference(differences[i], path("differences", i)));
  if (const Json* pair = object(doc, "claims_pair", where))
    s.claims_pair =
        ClaimsPair{text(*pair, "baseline", "claims_pair"), text(*pair, "dc", "claims_pair")};
  if (const Json* claims = member(doc, "claims")) s.claims = claims_from_json(*claims);
  return out;
}

}  // namespace g2g::study

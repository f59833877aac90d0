// Claims as data: the metric names and units, the claims file format, the range and verdict of
// a claim from its cases, and the claims' JSON (claims.hpp, docs/compare.md "Claims").
#include <fmt/format.h>

#include <array>
#include <cmath>
#include <limits>

#include "g2g/study/claims.hpp"
#include "g2g/study/embedded_data.hpp"
#include "g2g/study/yaml_reader.hpp"

namespace g2g::study {
namespace {

using Json = nlohmann::json;

constexpr double no_value = std::numeric_limits<double>::quiet_NaN();

constexpr std::array<std::pair<Metric, std::string_view>, 7> metric_names = {{
    {Metric::conductor_power_ratio, "conductor_power_ratio"},
    {Metric::copper_reduction, "copper_reduction"},
    {Metric::grid_input_reduction, "grid_input_reduction"},
    {Metric::efficiency_gain_points, "efficiency_gain_points"},
    {Metric::rack_current_ratio, "rack_current_ratio"},
    {Metric::rack_busbar_copper_54v_kg, "rack_busbar_copper_54v_kg"},
    {Metric::storage_peak_reduction, "storage_peak_reduction"},
}};

constexpr std::array<std::string_view, 10> claim_keys = {
    "id", "text", "quote", "source", "kind", "form", "published", "tolerance", "metric", "unit"};

}  // namespace

std::string_view name(Metric metric) noexcept {
  for (const auto& [m, text] : metric_names)
    if (m == metric) return text;
  return "metric";
}

std::optional<Metric> parse_metric(std::string_view text) noexcept {
  for (const auto& [m, name_text] : metric_names)
    if (name_text == text) return m;
  return std::nullopt;
}

std::string_view metric_unit(Metric metric) noexcept {
  switch (metric) {
    case Metric::conductor_power_ratio:
    case Metric::rack_current_ratio:
      return "x";
    case Metric::copper_reduction:
    case Metric::grid_input_reduction:
    case Metric::storage_peak_reduction:
      return "%";
    case Metric::efficiency_gain_points:
      return "points";
    case Metric::rack_busbar_copper_54v_kg:
      return "kg";
  }
  return "";
}

namespace {

// A tolerance in its metric's unit: "0.50 points", "5.0 %", "0.1 x".
std::string tolerance_text(const ClaimSpec& c) {
  if (c.metric == Metric::efficiency_gain_points)
    return fmt::format("{:.2f} points", 100.0 * c.tolerance);
  if (metric_unit(c.metric) == "%") return fmt::format("{:.1f} %", 100.0 * c.tolerance);
  return fmt::format("{:g} {}", c.tolerance, metric_unit(c.metric));
}

}  // namespace

std::string format_metric(Metric metric, double value) {
  if (!std::isfinite(value)) return "n/a";
  switch (metric) {
    case Metric::conductor_power_ratio:
    case Metric::rack_current_ratio:
      return fmt::format("{:.2f}x", value);
    case Metric::copper_reduction:
    case Metric::grid_input_reduction:
    case Metric::storage_peak_reduction:
      return fmt::format("{:.1f} %", 100.0 * value);
    case Metric::efficiency_gain_points:
      return fmt::format("{:+.2f} points", 100.0 * value);
    case Metric::rack_busbar_copper_54v_kg:
      return fmt::format("{:.0f} kg", value);
  }
  return fmt::format("{:g}", value);
}

std::vector<ClaimSpec> parse_claims(std::string_view yaml, const std::string& file) {
  YamlReader r(file);
  std::vector<ClaimSpec> out;
  const YAML::Node root = r.parse(yaml);
  constexpr std::array<std::string_view, 2> top = {"grid2gpu_claims", "claims"};
  if (!r.has_errors() && r.check_map(root, "a claims file", top)) {
    if (!root["grid2gpu_claims"] || root["grid2gpu_claims"].Scalar() != "1")
      r.error(root, "not a claims file of format 1", "start it with 'grid2gpu_claims: 1'");
    const YAML::Node list = root["claims"];
    if (!list || !list.IsSequence()) {
      r.error(root, "a claims file needs a 'claims:' list", "add 'claims:' with '- id: a' items");
    } else {
      for (const auto& item : list) {
        if (!r.check_map(item, "a claim", claim_keys)) continue;
        ClaimSpec c;
        for (const std::string_view key :
             {"id", "text", "source", "kind", "form", "published", "metric"})
          r.require(item, key, "a claim", fmt::format("{}: ...", key));
        if (auto v = r.text(item, "id")) c.id = *v;
        if (auto v = r.text(item, "text")) c.text = *v;
        if (auto v = r.text(item, "quote")) c.quote = *v;
        if (auto v = r.text(item, "source")) c.source = *v;
        if (auto v = r.text(item, "kind")) c.kind = *v;
        if (auto v = r.text(item, "form")) {
          if (auto f = parse_claim_form(*v))
            c.form = *f;
          else
            r.error(item["form"], fmt::format("form '{}' is not known", *v),
                    "use 'about', 'up to' or 'at least'");
        }
        if (auto v = r.text(item, "metric")) {
          if (auto m = parse_metric(*v)) {
            c.metric = *m;
          } else {
            std::string list_text;
            for (const auto& [metric, text] : metric_names)
              list_text += fmt::format("{}{}", list_text.empty() ? "" : ", ", text);
            r.error(item["metric"], fmt::format("metric '{}' is not known", *v),
                    fmt::format("use one of: {}", list_text));
          }
        }
        if (auto v = r.quantity(item, "published", core::Dimension::dimensionless))
          c.published = *v;
        if (auto v = r.quantity(item, "tolerance", core::Dimension::dimensionless)) {
          if (*v >= 0.0)
            c.tolerance = *v;
          else
            r.error(item["tolerance"], "tolerance must not be negative", "e.g. tolerance: 0.1");
        }
        for (const auto& other : out)
          if (other.id == c.id && !c.id.empty())
            r.error(item["id"], fmt::format("claim id '{}' is used twice", c.id),
                    "give every claim its own id");
        out.push_back(std::move(c));
      }
    }
  }
  r.throw_if_errors();
  return out;
}

const std::vector<ClaimSpec>& default_claims() {
  static const std::vector<ClaimSpec> claims = [] {
    std::vector<ClaimSpec> out;
    for (const auto& f : embedded_claim_files()) {
      auto part = parse_claims(f.text, std::string(f.name));
      out.insert(out.end(), part.begin(), part.end());
    }
    return out;
  }();
  return claims;
}

void settle(Claim& claim, std::size_t default_case,
            const std::function<std::string(double)>& format) {
  double low = std::numeric_limits<double>::infinity();
  double high = -low;
  for (const auto& c : claim.cases) {
    if (!std::isfinite(c.value)) continue;
    if (c.value < low) {
      low = c.value;
      claim.low_case = c.scenario;
    }
    if (c.value > high) {
      high = c.value;
      claim.high_case = c.scenario;
    }
  }
  if (!(low <= high)) {
    claim.computed_low = claim.computed_high = claim.computed_default = no_value;
    claim.computed = "n/a";
    claim.verdict = Verdict::not_applicable;
    return;
  }
  claim.computed_low = low;
  claim.computed_high = high;
  claim.computed_default =
      default_case < claim.cases.size() ? claim.cases[default_case].value : no_value;
  const Metric m = claim.spec.metric;
  auto text = [&](double v) { return format ? format(v) : format_metric(m, v); };
  claim.computed = low == high ? text(low) : fmt::format("{} to {}", text(low), text(high));
  claim.verdict = judge(claim.spec.form, claim.spec.published, claim.spec.tolerance, {low, high});
}

nlohmann::json claims_json(const std::vector<Claim>& claims) {
  Json out = Json::array();
  auto number = [](double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); };
  for (const auto& c : claims) {
    Json rows = Json::array();
    for (const auto& r : c.sensitivity)
      rows.push_back(Json{{"assumption", r.assumption},
                          {"value", r.value},
                          {"computed", r.computed},
                          {"computed_value", number(r.computed_value)},
                          {"verdict", verdict_name(r.verdict)}});
    Json breaks = Json::array();
    for (const auto& b : c.break_even)
      breaks.push_back(Json{{"assumption", b.assumption},
                            {"value", b.value},
                            {"current", b.current},
                            {"unit", b.unit},
                            {"text", b.text}});
    Json readings = Json::array();
    for (const auto& i : c.interpretations)
      readings.push_back(Json{{"name", i.name},
                              {"computed", i.computed},
                              {"computed_value", number(i.computed_value)},
                              {"verdict", verdict_name(i.verdict)}});
    Json cases = Json::array();
    for (const auto& k : c.cases)
      cases.push_back(Json{{"scenario", k.scenario}, {"value", number(k.value)}});
    out.push_back(Json{{"id", c.spec.id},
                       {"text", c.spec.text},
                       {"quote", c.spec.quote},
                       {"source", c.spec.source},
                       {"kind", c.spec.kind},
                       {"form", name(c.spec.form)},
                       {"metric", name(c.spec.metric)},
                       {"published", c.spec.published},
                       {"published_text", c.published},
                       {"tolerance", c.spec.tolerance},
                       {"unit", metric_unit(c.spec.metric)},
                       {"tolerance_text", tolerance_text(c.spec)},
                       {"computed_low", number(c.computed_low)},
                       {"computed_high", number(c.computed_high)},
                       {"computed_default", number(c.computed_default)},
                       {"computed_low_case", c.low_case},
                       {"computed_high_case", c.high_case},
                       {"computed", c.computed},
                       {"verdict", verdict_name(c.verdict)},
                       {"cases", cases},
                       {"assumptions", c.assumptions},
                       {"explanation", c.explanation},
                       {"break_even", breaks},
                       {"interpretations", readings},
                       {"sensitivity", rows}});
  }
  return out;
}

}  // namespace g2g::study

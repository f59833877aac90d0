#include "g2g/study/study_file.hpp"

#include <fmt/format.h>

#include <array>

#include "g2g/study/yaml_reader.hpp"

namespace g2g::study {
namespace {

constexpr std::array<std::string_view, 12> top_keys = {
    "grid2gpu_study", "name",    "architectures", "assumptions",       "default_assumptions",
    "utilisation",    "cooling", "tariff",        "it_load_tolerance", "normalise_it_load",
    "parameters",     "scenario"};
constexpr std::array<std::string_view, 3> utilisation_keys = {"points", "source", "kind"};
constexpr std::array<std::string_view, 3> point_keys = {"label", "utilisation", "hours"};
constexpr std::array<std::string_view, 3> cooling_keys = {"overhead", "source", "kind"};
constexpr std::array<std::string_view, 4> tariff_keys = {"price", "currency", "source", "kind"};

std::vector<std::string> names(YamlReader& r, const YAML::Node& list, std::string_view key) {
  std::vector<std::string> out;
  if (!list.IsSequence()) {
    r.error(list, fmt::format("'{}' must be a list", key), fmt::format("write {}: [a, b]", key));
    return out;
  }
  for (const auto& item : list) {
    if (!item.IsScalar() || item.Scalar().empty()) {
      r.error(item, fmt::format("each item of '{}' is a name", key));
      continue;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

}  // namespace

bool looks_like_study(std::string_view yaml) {
  // Cheap and exact enough: the key opens a line of the top level.
  std::size_t pos = 0;
  while ((pos = yaml.find("grid2gpu_study", pos)) != std::string_view::npos) {
    if (pos == 0 || yaml[pos - 1] == '\n') return true;
    ++pos;
  }
  return false;
}

StudySpec parse_study(std::string_view yaml, const std::string& file) {
  YamlReader r(file);
  StudySpec s;
  s.file = file;
  const YAML::Node root = r.parse(yaml);
  if (!r.has_errors() && r.check_map(root, "a study file", top_keys)) {
    if (!root["grid2gpu_study"] || root["grid2gpu_study"].Scalar() != "1")
      r.error(root, "not a study file of format 1", "start it with 'grid2gpu_study: 1'");
    if (auto v = r.text(root, "name")) s.name = *v;
    if (r.require(root, "architectures", "a study file",
                  "architectures: [legacy-415vac.yaml, 800vdc-sst.yaml] (the first is the "
                  "baseline)")) {
      s.architectures = names(r, root["architectures"], "architectures");
      if (s.architectures.size() < 2)
        r.error(root["architectures"], "a study compares at least two architectures",
                "list two or more model files");
    }
    if (root["assumptions"]) s.assumptions = names(r, root["assumptions"], "assumptions");
    if (root["default_assumptions"])
      s.default_assumptions = names(r, root["default_assumptions"], "default_assumptions");
    if (const YAML::Node u = root["utilisation"]) {
      if (r.check_map(u, "utilisation", utilisation_keys)) {
        UtilisationProfile profile;
        profile.provenance = r.provenance(u, "utilisation", false);
        const YAML::Node points = u["points"];
        if (!points || !points.IsSequence() || points.size() == 0) {
          r.error(u, "utilisation needs a list of points",
                  "points: [{label: training, utilisation: 90 %, hours: 6000}, ...]");
        } else {
          for (const auto& p : points) {
            if (!r.check_map(p, "a utilisation point", point_keys)) continue;
            UtilisationPoint point;
            r.require(p, "utilisation", "a utilisation point", "utilisation: 70 %");
            r.require(p, "hours", "a utilisation point", "hours: 2000");
            if (auto v = r.text(p, "label")) point.label = *v;
            if (auto v = r.quantity(p, "utilisation", core::Dimension::dimensionless)) {
              if (*v >= 0.0 && *v <= 1.0)
                point.utilisation = *v;
              else
                r.error(p["utilisation"], "utilisation is between 0 % (idle) and 100 %",
                        "e.g. utilisation: 70 %");
            }
            if (auto v = r.quantity(p, "hours", core::Dimension::dimensionless)) {
              if (*v >= 0.0)
                point.hours = *v;
              else
                r.error(p["hours"], "hours must not be negative", "e.g. hours: 2000");
            }
            profile.points.push_back(std::move(point));
          }
          if (profile.total_hours() > 8784.0 + 1e-9)
            r.error(points,
                    fmt::format("the points add up to {:g} h, more than a year (8784 h)",
                                profile.total_hours()),
                    "give the hours of one year");
          if (!(profile.total_hours() > 0.0))
            r.error(points, "the points add up to no hours", "give each point its hours");
        }
        s.utilisation = std::move(profile);
      }
    }
    if (const YAML::Node c = root["cooling"]) {
      if (r.check_map(c, "cooling", cooling_keys)) {
        CoolingOptions cooling;
        r.require(c, "overhead", "cooling", "overhead: 0.1 (kW of cooling per kW of heat)");
        if (auto v = r.quantity(c, "overhead", core::Dimension::dimensionless)) {
          if (*v >= 0.0 && *v < 5.0)
            cooling.overhead_kw_per_kw = *v;
          else
            r.error(c["overhead"], "the cooling overhead is kW of cooling per kW of heat, 0-5",
                    "e.g. overhead: 0.1");
        }
        cooling.provenance = r.provenance(c, "cooling", false);
        s.cooling = std::move(cooling);
      }
    }
    if (const YAML::Node t = root["tariff"]) {
      if (r.check_map(t, "tariff", tariff_keys)) {
        r.require(t, "price", "tariff", "price: 80 (per MWh)");
        if (auto v = r.quantity(t, "price", core::Dimension::dimensionless)) {
          if (*v >= 0.0)
            s.tariff_per_mwh = *v;
          else
            r.error(t["price"], "the price must not be negative", "e.g. price: 80");
        }
        if (auto v = r.text(t, "currency")) s.currency = *v;
        s.tariff_provenance = r.provenance(t, "tariff", false);
      }
    }
    if (root["it_load_tolerance"]) {
      if (auto v = r.quantity(root, "it_load_tolerance", core::Dimension::dimensionless)) {
        if (*v >= 0.0 && *v < 1.0)
          s.it_load_tolerance = *v;
        else
          r.error(root["it_load_tolerance"], "the tolerance is a fraction in [0, 1)",
                  "e.g. it_load_tolerance: 1 %");
      }
    }
    if (const YAML::Node n = root["normalise_it_load"]) {
      if (n.IsScalar() && (n.Scalar() == "true" || n.Scalar() == "false"))
        s.normalise_it_load = n.Scalar() == "true";
      else
        r.error(n, "normalise_it_load is true or false", "e.g. normalise_it_load: true");
    }
    if (root["scenario"])
      if (auto v = r.text(root, "scenario")) s.scenario = *v;
    if (const YAML::Node p = root["parameters"]) {
      if (!p.IsMap()) {
        r.error(p, "parameters is a mapping of names to values",
                "e.g. parameters: {rack_power: 1 MW}");
      } else {
        for (const auto& entry : p) {
          if (!entry.second.IsScalar()) {
            r.error(entry.second, "a parameter value is one value with its unit", "e.g. 1 MW");
            continue;
          }
          s.parameters.push_back({entry.first.Scalar(), entry.second.Scalar()});
        }
      }
    }
  }
  r.throw_if_errors();
  return s;
}

}  // namespace g2g::study

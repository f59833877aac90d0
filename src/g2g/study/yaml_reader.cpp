#include "g2g/study/yaml_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "g2g/model/builder.hpp"

namespace g2g::study {

YAML::Node YamlReader::parse(std::string_view text) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    const int line = e.mark.is_null() ? 0 : e.mark.line + 1;
    const int column = e.mark.is_null() ? 0 : e.mark.column + 1;
    diagnostics_.error({file_, line, column}, fmt::format("not valid YAML: {}", e.msg),
                       "check the indentation and brackets at this place");
    return YAML::Node();
  }
}

core::SourceLocation YamlReader::where(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {file_, 0, 0};
  return {file_, mark.line + 1, mark.column + 1};
}

void YamlReader::error(const YAML::Node& node, std::string message, std::string fix) {
  diagnostics_.error(where(node), std::move(message), std::move(fix));
}

bool YamlReader::check_map(const YAML::Node& node, std::string_view context,
                           std::span<const std::string_view> keys) {
  if (!node.IsMap()) {
    error(node, fmt::format("{} must be a mapping of keys to values", context),
          "write 'key: value' lines (or {key: value, ...})");
    return false;
  }
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    std::string list;
    for (const std::string_view k : keys) list += fmt::format("{}{}", list.empty() ? "" : ", ", k);
    error(entry.first, fmt::format("unknown key '{}' in {}", key, context),
          model::detail::did_you_mean(key, keys, fmt::format("the keys are: {}", list)));
  }
  return true;
}

bool YamlReader::require(const YAML::Node& map, std::string_view key, std::string_view context,
                         std::string_view example) {
  if (map.IsMap() && map[std::string(key)]) return true;
  error(map, fmt::format("{} has no '{}'", context, key), fmt::format("add '{}'", example));
  return false;
}

std::optional<std::string> YamlReader::text(const YAML::Node& map, std::string_view key) {
  const YAML::Node node = map[std::string(key)];
  if (!node) return std::nullopt;
  if (!node.IsScalar()) {
    error(node, fmt::format("'{}' must be a single value", key), "write it as text on one line");
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<double> YamlReader::quantity(const YAML::Node& map, std::string_view key,
                                           core::Dimension dimension) {
  const auto value = text(map, key);
  if (!value) return std::nullopt;
  const core::ParsedQuantity q = core::parse_quantity(*value, dimension);
  if (!q.ok) {
    error(map[std::string(key)], fmt::format("'{}': {}", key, q.error.message), q.error.fix);
    return std::nullopt;
  }
  return q.value;
}

std::optional<double> YamlReader::ratio_value(const YAML::Node& node, std::string_view what) {
  if (!node.IsScalar()) {
    error(node, fmt::format("{} must be a number or a percentage", what), "e.g. 97.5 % or 0.975");
    return std::nullopt;
  }
  const core::ParsedQuantity q =
      core::parse_quantity(node.Scalar(), core::Dimension::dimensionless);
  if (!q.ok) {
    error(node, fmt::format("{}: {}", what, q.error.message), q.error.fix);
    return std::nullopt;
  }
  return q.value;
}

std::optional<double> YamlReader::efficiency(const YAML::Node& map, std::string_view key) {
  const YAML::Node node = map[std::string(key)];
  if (!node) return std::nullopt;
  const auto value = ratio_value(node, fmt::format("'{}'", key));
  if (!value) return std::nullopt;
  if (!(*value > 0.0 && *value <= 1.0)) {
    error(node, fmt::format("'{}' {} is outside (0, 1]", key, *value),
          "give an efficiency such as 97.5 % or 0.975");
    return std::nullopt;
  }
  return value;
}

std::optional<std::vector<model::EfficiencyPoint>> YamlReader::curve(const YAML::Node& map,
                                                                     std::string_view key) {
  const YAML::Node node = map[std::string(key)];
  if (!node) return std::nullopt;
  constexpr auto example = "[[0.25, 95.5 %], [0.5, 96.5 %], [1.0, 96.2 %]]";
  if (!node.IsSequence() || node.size() == 0) {
    error(node, fmt::format("'{}' must be a list of [load fraction, efficiency] points", key),
          fmt::format("e.g. {}", example));
    return std::nullopt;
  }
  std::vector<model::EfficiencyPoint> points;
  for (const auto& item : node) {
    if (!item.IsSequence() || item.size() != 2) {
      error(item, fmt::format("each point of '{}' is [load fraction, efficiency]", key),
            fmt::format("e.g. {}", example));
      return std::nullopt;
    }
    const auto load = ratio_value(item[0], "load fraction");
    const auto eff = ratio_value(item[1], "efficiency");
    if (!load || !eff) return std::nullopt;
    if (!(*load > 0.0 && std::isfinite(*load)) || !(*eff > 0.0 && *eff <= 1.0)) {
      error(item, "load fraction must be positive and efficiency in (0, 1]",
            fmt::format("e.g. {}", example));
      return std::nullopt;
    }
    if (!points.empty() && !(*load > points.back().load_fraction)) {
      error(item, fmt::format("the points of '{}' are not sorted by load fraction", key),
            "sort them and give each load fraction once");
      return std::nullopt;
    }
    points.push_back({*load, *eff});
  }
  return points;
}

std::optional<std::int64_t> YamlReader::integer(const YAML::Node& map, std::string_view key,
                                                std::int64_t min) {
  const auto value = text(map, key);
  if (!value) return std::nullopt;
  try {
    std::size_t used = 0;
    const long long v = std::stoll(*value, &used);
    if (used == value->size() && v >= min) return v;
  } catch (const std::exception&) {
    // reported below
  }
  error(map[std::string(key)], fmt::format("'{}' must be a whole number of at least {}", key, min),
        fmt::format("e.g. '{}: {}'", key, min));
  return std::nullopt;
}

Provenance YamlReader::provenance(const YAML::Node& map, std::string_view context,
                                  bool kind_required) {
  Provenance p;
  require(map, "source", context, "source: \"title, URL\" (or how it was assumed)");
  if (kind_required) require(map, "kind", context, "kind: vendor claim");
  if (auto s = text(map, "source")) p.source = *s;
  if (auto k = text(map, "kind")) {
    if (auto kind = parse_source_kind(*k))
      p.kind = *kind;
    else
      error(map["kind"], fmt::format("'{}' is not a kind of source", *k),
            "use vendor claim, measurement, standard, analyst estimate, simulation, physics or "
            "assumption");
  }
  return p;
}

void YamlReader::throw_if_errors() {
  if (diagnostics_.has_errors()) throw core::ModelError(std::move(diagnostics_));
}

}  // namespace g2g::study

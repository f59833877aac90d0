#include "g2g/study/yaml_reader.hpp"

#include <fmt/format.h>

#include <cmath>

namespace g2g::study {

YAML::Node YamlReader::parse(std::string_view text) {
  return file_.parse(text);
}

core::SourceLocation YamlReader::where(const YAML::Node& node) const {
  return file_.where(node);
}

void YamlReader::error(const YAML::Node& node, std::string message, std::string fix) {
  file_.error(node, std::move(message), std::move(fix));
}

bool YamlReader::check_map(const YAML::Node& node, std::string_view context,
                           std::span<const std::string_view> keys) {
  return core::YamlMap(file_, node, std::string(context), keys).is_map();
}

bool YamlReader::require(const YAML::Node& map, std::string_view key, std::string_view context,
                         std::string_view example) {
  if (map.IsMap() && map[std::string(key)]) return true;
  // `example` is written as "key: value".
  std::string_view value = example;
  if (value.starts_with(key) && value.substr(key.size()).starts_with(":"))
    value = value.substr(key.size() + 1);
  while (value.starts_with(' ')) value.remove_prefix(1);
  file_.report(map, core::missing_key(context, key, value));
  return false;
}

std::optional<std::string> YamlReader::text(const YAML::Node& map, std::string_view key) {
  const YAML::Node node = map[std::string(key)];
  if (!node) return std::nullopt;
  return file_.text(node, {}, key);
}

std::optional<double> YamlReader::quantity(const YAML::Node& map, std::string_view key,
                                           core::Dimension dimension) {
  const YAML::Node node = map[std::string(key)];
  if (!node) return std::nullopt;
  return file_.quantity(node, {}, key, dimension);
}

std::optional<double> YamlReader::ratio_value(const YAML::Node& node, std::string_view what) {
  return file_.quantity(node, {}, what, core::Dimension::dimensionless);
}

std::optional<double> YamlReader::efficiency(const YAML::Node& map, std::string_view key) {
  const YAML::Node node = map[std::string(key)];
  if (!node) return std::nullopt;
  return file_.quantity(node, {}, key, core::Dimension::dimensionless, core::Check::fraction);
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
  const YAML::Node node = map[std::string(key)];
  if (!node) return std::nullopt;
  return file_.integer(node, {}, key, min);
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
  file_.throw_if_errors();
}

}  // namespace g2g::study

// The reader of the study's own YAML files (study files, assumption sets, claims): the
// configuration toolkit (core/yaml_fields.hpp) under the names the study readers call, plus the
// study's own values (efficiency curves, provenance). Keys checked with a "did you mean", values
// with units, every problem collected with file:line:column before one core::ModelError is
// thrown. No I/O: it reads text.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/units.hpp"
#include "g2g/core/yaml_fields.hpp"
#include "g2g/model/spec.hpp"
#include "g2g/study/assumptions.hpp"

namespace g2g::study {

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  // Parses `text`; a syntax error becomes a diagnostic and returns a null node.
  YAML::Node parse(std::string_view text);

  [[nodiscard]] core::SourceLocation where(const YAML::Node& node) const;
  void error(const YAML::Node& node, std::string message, std::string fix = {});

  // `node` is a map whose keys are all in `keys` (unknown ones are reported with the nearest
  // known key); false when it is not a map.
  bool check_map(const YAML::Node& node, std::string_view context,
                 std::span<const std::string_view> keys);
  // `map[key]` must be present.
  bool require(const YAML::Node& map, std::string_view key, std::string_view context,
               std::string_view example);

  std::optional<std::string> text(const YAML::Node& map, std::string_view key);
  std::optional<double> quantity(const YAML::Node& map, std::string_view key,
                                 core::Dimension dimension);
  // A ratio in (0, 1]: "97.5 %" or 0.975.
  std::optional<double> efficiency(const YAML::Node& map, std::string_view key);
  // [[load_fraction, efficiency], ...], sorted by load fraction, efficiencies in (0, 1].
  std::optional<std::vector<model::EfficiencyPoint>> curve(const YAML::Node& map,
                                                           std::string_view key);
  std::optional<std::int64_t> integer(const YAML::Node& map, std::string_view key,
                                      std::int64_t min);
  // `source:` (required) and `kind:` (required when `kind_required`, else "assumption") of
  // `context`.
  Provenance provenance(const YAML::Node& map, std::string_view context, bool kind_required);

  [[nodiscard]] const std::string& file() const { return file_.file(); }
  [[nodiscard]] bool has_errors() const { return file_.has_errors(); }
  // Throws core::ModelError with every diagnostic when there is an error.
  void throw_if_errors();

 private:
  std::optional<double> ratio_value(const YAML::Node& node, std::string_view what);

  core::YamlFile file_;
};

}  // namespace g2g::study

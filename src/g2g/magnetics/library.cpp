// Parsing of the ferrite materials library (format: data/materials/README.md). Every problem is
// collected with its file:line:col before one core::ModelError is thrown, like the model loader.
#include "g2g/magnetics/library.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <numbers>
#include <optional>
#include <string>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/units.hpp"

namespace g2g::magnetics {

namespace {

using core::DiagnosticList;
using core::SourceLocation;

constexpr std::array<std::string_view, 2> top_keys = {"materials", "description"};
constexpr std::array<std::string_view, 14> material_keys = {
    "name",   "maker",      "k_i",   "k",         "alpha",           "beta",
    "f_min",  "f_max",      "b_sat", "b_sat_25c", "fit_temperature", "temperature_factor",
    "source", "assumptions"};
constexpr std::array<std::string_view, 3> temperature_factor_keys = {"ct0", "ct1", "ct2"};

SourceLocation where(const std::string& file, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  // yaml-cpp marks are 0-based; diagnostics are 1-based (0 = unknown).
  if (mark.is_null()) {
    return {file, 0, 0};
  }
  return {file, mark.line + 1, mark.column + 1};
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "did you mean 'x'?" for a plausible typo (at most a third of the word's letters wrong).
template <std::size_t N>
std::string did_you_mean(std::string_view word, const std::array<std::string_view, N>& keys) {
  std::string_view best;
  std::size_t best_distance = word.size() / 3 + 1;
  for (std::string_view key : keys) {
    const std::size_t distance = edit_distance(word, key);
    if (distance <= best_distance && (best.empty() || distance < edit_distance(word, best))) {
      best = key;
      best_distance = distance;
    }
  }
  if (best.empty()) {
    std::string list;
    for (std::string_view key : keys) list += fmt::format("{}{}", list.empty() ? "" : ", ", key);
    return fmt::format("the keys are: {}", list);
  }
  return fmt::format("did you mean '{}'?", best);
}

template <std::size_t N>
void check_keys(const std::string& file, const YAML::Node& map,
                const std::array<std::string_view, N>& keys, DiagnosticList& diagnostics) {
  for (const auto& entry : map) {
    const std::string key = entry.first.Scalar();
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      diagnostics.error(where(file, entry.first), fmt::format("unknown key '{}'", key),
                        did_you_mean(key, keys));
    }
  }
}

std::optional<double> parse_number(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// Reads the materials of one file, recording every problem in `diagnostics`.
class LibraryReader {
 public:
  LibraryReader(const std::string& file, DiagnosticList& diagnostics)
      : file_(file), diagnostics_(diagnostics) {}

  std::vector<CoreMaterial> read(const YAML::Node& root) {
    std::vector<CoreMaterial> materials;
    if (!root.IsMap()) {
      error(root, "a materials library is a map with a 'materials:' list",
            "start the file with 'materials:' followed by '- name: ...' entries");
      return materials;
    }
    check_keys(file_, root, top_keys, diagnostics_);
    const YAML::Node list = root["materials"];
    if (!list) {
      error(root, "missing 'materials:'", "add 'materials:' with one '- name: ...' per ferrite");
      return materials;
    }
    if (!list.IsSequence()) {
      error(list, "'materials' must be a list", "write each material as '- name: ...'");
      return materials;
    }
    for (const YAML::Node& entry : list) {
      if (!entry.IsMap()) {
        error(entry, "each material must be a map of keys", "write '- name: N87' and its keys");
        continue;
      }
      const std::size_t before = diagnostics_.error_count();
      CoreMaterial material = read_material(entry);
      if (diagnostics_.error_count() != before) continue;
      const bool duplicate = std::any_of(materials.begin(), materials.end(),
                                         [&](const auto& m) { return m.name == material.name; });
      if (duplicate) {
        error(entry["name"], fmt::format("material '{}' is defined twice", material.name),
              "give each material a unique name");
        continue;
      }
      materials.push_back(std::move(material));
    }
    return materials;
  }

 private:
  void error(const YAML::Node& node, std::string message, std::string fix = {}) {
    diagnostics_.error(where(file_, node), std::move(message), std::move(fix));
  }

  std::optional<std::string> text(const YAML::Node& map, const char* key, bool required) {
    const YAML::Node node = map[key];
    if (!node) {
      if (required) {
        error(map, fmt::format("missing '{}'", key), fmt::format("add '{}: ...'", key));
      }
      return std::nullopt;
    }
    if (!node.IsScalar()) {
      error(node, fmt::format("'{}' must be a single value", key));
      return std::nullopt;
    }
    return node.Scalar();
  }

  // A plain number (coefficients are dimensionless in the fit's units).
  std::optional<double> number(const YAML::Node& map, const char* key, bool required) {
    const auto value_text = text(map, key, required);
    if (!value_text) return std::nullopt;
    const auto value = parse_number(*value_text);
    if (!value) {
      error(map[key], fmt::format("'{}' must be a number, not '{}'", key, *value_text));
    }
    return value;
  }

  std::optional<double> positive(const YAML::Node& map, const char* key, bool required) {
    const auto value = number(map, key, required);
    if (value && !(*value > 0.0)) {
      error(map[key], fmt::format("'{}' must be positive, not {}", key, *value));
      return std::nullopt;
    }
    return value;
  }

  std::optional<double> quantity(const YAML::Node& map, const char* key, core::Dimension dimension,
                                 bool required) {
    const auto value_text = text(map, key, required);
    if (!value_text) return std::nullopt;
    const core::ParsedQuantity parsed = core::parse_quantity(*value_text, dimension);
    if (!parsed.ok) {
      error(map[key], fmt::format("'{}': {}", key, parsed.error.message), parsed.error.fix);
      return std::nullopt;
    }
    return parsed.value;
  }

  // Magnetic flux density has no core::Dimension: "390 mT", "0.39 T" or a bare number in tesla.
  std::optional<double> flux_density_t(const YAML::Node& map, const char* key) {
    const auto value_text = text(map, key, false);
    if (!value_text) return std::nullopt;
    std::string_view body = *value_text;
    double scale = 1.0;
    auto ends_with = [&](std::string_view suffix) {
      return body.size() >= suffix.size() && body.substr(body.size() - suffix.size()) == suffix;
    };
    if (ends_with("mT")) {
      scale = 1e-3;
      body.remove_suffix(2);
    } else if (ends_with("T")) {
      body.remove_suffix(1);
    }
    const auto value = parse_number(body);
    if (!value) {
      error(map[key], fmt::format("'{}' must be a flux density, not '{}'", key, *value_text),
            "write it as \"390 mT\" or \"0.39 T\"");
      return std::nullopt;
    }
    if (!(*value > 0.0) || *value * scale > 2.5) {
      error(map[key],
            fmt::format("'{}' = '{}' is not a plausible ferrite saturation", key, *value_text),
            "ferrites saturate at 0.2-0.6 T; write e.g. \"390 mT\"");
      return std::nullopt;
    }
    return *value * scale;
  }

  CoreMaterial read_material(const YAML::Node& entry) {
    check_keys(file_, entry, material_keys, diagnostics_);
    CoreMaterial material;
    if (auto name = text(entry, "name", true)) material.name = *name;
    if (auto maker = text(entry, "maker", false)) material.maker = *maker;
    const auto alpha = positive(entry, "alpha", true);
    const auto beta = positive(entry, "beta", true);
    if (alpha) material.alpha = *alpha;
    if (beta) material.beta = *beta;
    const bool has_k_i = static_cast<bool>(entry["k_i"]);
    const bool has_k = static_cast<bool>(entry["k"]);
    if (has_k_i && has_k) {
      error(entry["k"], "give either 'k_i' (iGSE) or 'k' (classical Steinmetz), not both",
            "keep the coefficient the source publishes");
    } else if (!has_k_i && !has_k) {
      error(entry, "missing 'k_i'", "add 'k_i:' (iGSE) or 'k:' (classical Steinmetz, sine)");
    } else if (has_k_i) {
      if (auto k_i = positive(entry, "k_i", true)) material.k_i = *k_i;
    } else if (auto k = positive(entry, "k", true); k && alpha && beta) {
      material.k_i = k_i_from_steinmetz_k(*k, *alpha, *beta);
    }
    const auto f_min = quantity(entry, "f_min", core::Dimension::frequency, true);
    const auto f_max = quantity(entry, "f_max", core::Dimension::frequency, true);
    if (f_min) material.f_min_hz = *f_min;
    if (f_max) material.f_max_hz = *f_max;
    if (f_min && f_max && !(*f_min > 0.0 && *f_max > *f_min)) {
      error(entry["f_max"], "the fit's frequency range must have 0 < f_min < f_max");
    }
    if (auto b_sat = flux_density_t(entry, "b_sat")) material.b_sat_t = *b_sat;
    if (auto b_sat = flux_density_t(entry, "b_sat_25c")) material.b_sat_25c_t = *b_sat;
    if (entry["fit_temperature"]) {
      if (auto t = quantity(entry, "fit_temperature", core::Dimension::temperature, false)) {
        material.fit_temperature_c = *t;
      }
    }
    if (const YAML::Node factor = entry["temperature_factor"]) {
      read_temperature_factor(factor, material);
    }
    if (auto source = text(entry, "source", true)) material.source = *source;
    if (const YAML::Node assumptions = entry["assumptions"]) {
      if (!assumptions.IsSequence()) {
        error(assumptions, "'assumptions' must be a list", "write each as '- text'");
      } else {
        for (const YAML::Node& item : assumptions) {
          if (item.IsScalar()) {
            material.assumptions.push_back(item.Scalar());
          } else {
            error(item, "each assumption must be a line of text");
          }
        }
      }
    }
    return material;
  }

  void read_temperature_factor(const YAML::Node& factor, CoreMaterial& material) {
    if (!factor.IsMap()) {
      error(factor, "'temperature_factor' must be a map of ct0, ct1, ct2",
            "write 'temperature_factor: {ct0: ..., ct1: ..., ct2: ...}'");
      return;
    }
    check_keys(file_, factor, temperature_factor_keys, diagnostics_);
    const auto ct0 = number(factor, "ct0", true);
    const auto ct1 = number(factor, "ct1", true);
    const auto ct2 = number(factor, "ct2", true);
    if (ct0 && ct1 && ct2) {
      material.ct0 = *ct0;
      material.ct1 = *ct1;
      material.ct2 = *ct2;
    }
  }

  const std::string& file_;
  DiagnosticList& diagnostics_;
};

}  // namespace

std::vector<CoreMaterial> parse_material_library(std::string_view yaml_text,
                                                 const std::string& file_name) {
  DiagnosticList diagnostics;
  std::vector<CoreMaterial> materials;
  try {
    const YAML::Node root = YAML::Load(std::string(yaml_text));
    LibraryReader reader(file_name, diagnostics);
    materials = reader.read(root);
  } catch (const YAML::Exception& problem) {
    const int line = problem.mark.is_null() ? 0 : problem.mark.line + 1;
    const int column = problem.mark.is_null() ? 0 : problem.mark.column + 1;
    diagnostics.error({file_name, line, column}, fmt::format("YAML: {}", problem.msg),
                      "check the indentation and quoting");
  }
  if (diagnostics.has_errors()) {
    throw core::ModelError(std::move(diagnostics));
  }
  return materials;
}

const std::vector<CoreMaterial>& default_materials() {
  // Parsed once; the embedded files are part of the build, so an error here is a build defect
  // that the unit tests catch.
  static const std::vector<CoreMaterial> materials = [] {
    std::vector<CoreMaterial> all;
    for (const MaterialFile& file : default_material_files()) {
      std::vector<CoreMaterial> parsed = parse_material_library(file.text, file.name);
      all.insert(all.end(), std::make_move_iterator(parsed.begin()),
                 std::make_move_iterator(parsed.end()));
    }
    return all;
  }();
  return materials;
}

const CoreMaterial* find_material(const std::vector<CoreMaterial>& materials,
                                  std::string_view name) noexcept {
  for (const CoreMaterial& material : materials) {
    if (material.name == name) return &material;
  }
  auto lower = [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  for (const CoreMaterial& material : materials) {
    if (material.name.size() == name.size() &&
        std::equal(name.begin(), name.end(), material.name.begin(),
                   [&](char a, char b) { return lower(a) == lower(b); })) {
      return &material;
    }
  }
  return nullptr;
}

const CoreMaterial* find_material(std::string_view name) noexcept {
  try {
    return find_material(default_materials(), name);
  } catch (...) {
    // A defective embedded library (caught by the unit tests) must not escape a noexcept lookup.
    return nullptr;
  }
}

}  // namespace g2g::magnetics

// Parsing of the ferrite materials library (format: data/materials/README.md). Every problem is
// collected with its file:line:col before one core::ModelError is thrown, like the model loader;
// keys, units and messages come from the configuration toolkit (core/yaml_fields.hpp).
#include "g2g/magnetics/library.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/yaml_fields.hpp"

namespace g2g::magnetics {

namespace {

using core::Check;
using core::Dimension;
using core::key;
using core::quantity_key;

constexpr std::array top_fields{
    key("materials", true, "one '- name: ...' per ferrite", "[{name: N87, ...}]"),
    key("description")};
// Loss coefficients are plain numbers in the fit's own units (W/m^3, T, Hz).
constexpr std::array material_fields{
    key("name", true, "the material's name", "N87"),
    key("maker"),
    quantity_key("k_i", Dimension::dimensionless, false, Check::positive, "iGSE coefficient"),
    quantity_key("k", Dimension::dimensionless, false, Check::positive,
                 "classical Steinmetz coefficient"),
    quantity_key("alpha", Dimension::dimensionless, true, Check::positive, "frequency exponent"),
    quantity_key("beta", Dimension::dimensionless, true, Check::positive, "flux exponent"),
    quantity_key("f_min", Dimension::frequency, true, Check::none, "lowest frequency of the fit"),
    quantity_key("f_max", Dimension::frequency, true, Check::none, "highest frequency of the fit"),
    quantity_key("b_sat", Dimension::flux_density, false, Check::positive,
                 "saturation flux density when hot"),
    quantity_key("b_sat_25c", Dimension::flux_density, false, Check::positive,
                 "saturation flux density at 25 °C"),
    quantity_key("fit_temperature", Dimension::temperature, false, Check::none,
                 "temperature of the fit"),
    key("temperature_factor", false, "ct0 - ct1 T + ct2 T^2", "{ct0: ..., ct1: ..., ct2: ...}"),
    key("source", true, "where the values come from", "\"datasheet title, URL\""),
    key("assumptions"),
};
constexpr std::array temperature_factor_fields{
    quantity_key("ct0", Dimension::dimensionless, true),
    quantity_key("ct1", Dimension::dimensionless, true),
    quantity_key("ct2", Dimension::dimensionless, true),
};

// Ferrites saturate at 0.2-0.6 T; above this the unit is surely wrong.
constexpr double max_plausible_b_sat_t = 2.5;

// Reads the materials of one file, recording every problem in `file`.
class LibraryReader {
 public:
  explicit LibraryReader(core::YamlFile& file) : file_(file) {}

  std::vector<CoreMaterial> read(const YAML::Node& root) {
    std::vector<CoreMaterial> materials;
    core::YamlMap top(file_, root, "", top_fields);
    if (!top.is_map() || !top.require_all()) return materials;
    const YAML::Node list = top.node("materials");
    if (!list.IsSequence()) {
      file_.error(list, "'materials' must be a list", "write each material as '- name: ...'");
      return materials;
    }
    for (const YAML::Node& entry : list) {
      const std::size_t before = file_.diagnostics().error_count();
      CoreMaterial material = read_material(entry);
      if (file_.diagnostics().error_count() != before) continue;
      const bool duplicate = std::any_of(materials.begin(), materials.end(),
                                         [&](const auto& m) { return m.name == material.name; });
      if (duplicate) {
        file_.error(entry["name"], fmt::format("material '{}' is defined twice", material.name),
                    "give each material a unique name");
        continue;
      }
      materials.push_back(std::move(material));
    }
    return materials;
  }

 private:
  std::optional<double> flux_density_t(core::YamlMap& m, std::string_view key) {
    const auto b = m.quantity(key);
    if (b && *b > max_plausible_b_sat_t) {
      file_.error(m.node(key),
                  core::qualify(m.what(), fmt::format("{} = {} T is not a plausible ferrite "
                                                      "saturation",
                                                      key, *b)),
                  "ferrites saturate at 0.2-0.6 T; write e.g. \"390 mT\"");
      return std::nullopt;
    }
    return b;
  }

  CoreMaterial read_material(const YAML::Node& entry) {
    CoreMaterial material;
    core::YamlMap m(file_, entry, "material", material_fields, "name", "a material");
    if (!m.is_map()) return material;
    m.require_all();
    m.read("name", material.name);
    m.read("maker", material.maker);
    const auto alpha = m.quantity("alpha");
    const auto beta = m.quantity("beta");
    if (alpha) material.alpha = *alpha;
    if (beta) material.beta = *beta;
    if (m.has("k_i") && m.has("k")) {
      file_.error(m.node("k"), "give either 'k_i' (iGSE) or 'k' (classical Steinmetz), not both",
                  "keep the coefficient the source publishes");
    } else if (!m.has("k_i") && !m.has("k")) {
      file_.report(entry, core::missing_key(m.what(), "k_i", "0.15",
                                            "iGSE; or 'k:', classical Steinmetz, sine"));
    } else if (m.has("k_i")) {
      m.read("k_i", material.k_i);
    } else if (auto k = m.quantity("k"); k && alpha && beta) {
      material.k_i = k_i_from_steinmetz_k(*k, *alpha, *beta);
    }
    const auto f_min = m.quantity("f_min");
    const auto f_max = m.quantity("f_max");
    if (f_min) material.f_min_hz = *f_min;
    if (f_max) material.f_max_hz = *f_max;
    if (f_min && f_max && !(*f_min > 0.0 && *f_max > *f_min)) {
      file_.error(m.node("f_max"), "the fit's frequency range must have 0 < f_min < f_max");
    }
    if (auto b_sat = flux_density_t(m, "b_sat")) material.b_sat_t = *b_sat;
    if (auto b_sat = flux_density_t(m, "b_sat_25c")) material.b_sat_25c_t = *b_sat;
    m.read("fit_temperature", material.fit_temperature_c);
    if (m.has("temperature_factor")) {
      core::YamlMap factor(file_, m.node("temperature_factor"),
                           fmt::format("{}: temperature_factor", m.what()),
                           temperature_factor_fields);
      if (factor.is_map() && factor.require_all()) {
        const auto ct0 = factor.quantity("ct0");
        const auto ct1 = factor.quantity("ct1");
        const auto ct2 = factor.quantity("ct2");
        if (ct0 && ct1 && ct2) {
          material.ct0 = *ct0;
          material.ct1 = *ct1;
          material.ct2 = *ct2;
        }
      }
    }
    m.read("source", material.source);
    material.assumptions = m.texts("assumptions");
    return material;
  }

  core::YamlFile& file_;
};

}  // namespace

std::vector<CoreMaterial> parse_material_library(std::string_view yaml_text,
                                                 const std::string& file_name) {
  core::YamlFile file(file_name);
  std::vector<CoreMaterial> materials;
  const YAML::Node root = file.parse(yaml_text);
  if (!file.has_errors()) materials = LibraryReader(file).read(root);
  file.throw_if_errors();
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

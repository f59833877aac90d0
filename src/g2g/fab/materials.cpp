#include "g2g/fab/materials.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <array>

#include "g2g/core/yaml_fields.hpp"

namespace g2g::fab {
namespace {

using core::key;

constexpr std::array material_fields{
    key("name", true), key("description"),    key("cte"),   key("cte_per_k"),   key("cte_source"),
    key("elastic"),    key("elastic_source"), key("alloy"), key("alloy_source")};
constexpr std::array elastic_fields{key("symmetry", true), key("c11_gpa", true),
                                    key("c12_gpa", true),  key("c13_gpa"),
                                    key("c33_gpa"),        key("c44_gpa")};
constexpr std::array alloy_fields{key("x0", true), key("x1", true)};
constexpr std::array materials_file_fields{key("materials", true)};

double number(core::YamlMap& m, std::string_view k) {
  const auto v = m.quantity(k, core::Dimension::dimensionless, core::Check::positive);
  return v.value_or(0.0);
}

void read_elastic(core::YamlMap& parent, Material& out) {
  core::YamlMap e(parent.file(), parent.node("elastic"), parent.what() + ": elastic",
                  elastic_fields);
  if (!e.is_map() || !e.require_all()) return;
  constexpr std::array<std::string_view, 2> symmetries{"hexagonal", "cubic_111"};
  const auto which = e.choice("symmetry", symmetries);
  if (!which) return;
  const double gpa = 1e9;
  if (*which == 0) {
    if (!e.require("c13_gpa") || !e.require("c33_gpa")) return;
    out.biaxial_modulus_pa =
        gpa * biaxial_modulus_hexagonal(number(e, "c11_gpa"), number(e, "c12_gpa"),
                                        number(e, "c13_gpa"), number(e, "c33_gpa"));
  } else {
    if (!e.require("c44_gpa")) return;
    out.biaxial_modulus_pa =
        gpa *
        biaxial_modulus_cubic_111(number(e, "c11_gpa"), number(e, "c12_gpa"), number(e, "c44_gpa"));
  }
}

}  // namespace

std::vector<Material> parse_materials(std::string_view yaml, const std::string& file) {
  core::YamlFile f(file);
  const YAML::Node root = f.parse(yaml);
  f.throw_if_errors();
  core::YamlMap top(f, root, "", materials_file_fields);
  std::vector<Material> out;
  if (!top.is_map() || !top.require_all()) f.throw_if_errors();
  const YAML::Node list = top.node("materials");
  if (!list.IsSequence()) {
    f.error(list, "'materials' must be a list");
    f.throw_if_errors();
  }
  for (const auto& item : list) {
    core::YamlMap m(f, item, "material", material_fields, "name");
    if (!m.is_map()) continue;
    m.require_all();
    Material& mat = out.emplace_back();
    m.read("name", mat.name);
    m.read("description", mat.description);
    m.read("cte_source", mat.cte_source);
    m.read("elastic_source", mat.elastic_source);
    m.read("alloy_source", mat.alloy_source);
    if (m.has("alloy")) {
      core::YamlMap a(f, m.node("alloy"), m.what() + ": alloy", alloy_fields);
      if (a.is_map() && a.require_all()) {
        a.read("x0", mat.alloy_x0);
        a.read("x1", mat.alloy_x1);
        mat.alloy = true;
      }
      if (m.has("cte") || m.has("cte_per_k") || m.has("elastic"))
        f.error(item,
                fmt::format("material '{}': an alloy takes its constants from its end "
                            "members",
                            mat.name),
                "remove cte, cte_per_k and elastic, or remove alloy");
      continue;
    }
    if (m.has("cte") == m.has("cte_per_k"))
      f.error(item,
              fmt::format("material '{}' needs exactly one of 'cte' and 'cte_per_k'", mat.name),
              "write 'cte_per_k: 5.59e-6' or 'cte: okada_tokumaru_1984'");
    if (m.has("cte_per_k")) {
      mat.cte.form = Cte::Form::constant;
      mat.cte.alpha_per_k = number(m, "cte_per_k");
    } else if (m.has("cte")) {
      constexpr std::array<std::string_view, 1> forms{"okada_tokumaru_1984"};
      if (m.choice("cte", forms)) mat.cte.form = Cte::Form::okada_tokumaru_si;
    }
    if (!m.require("elastic")) continue;
    read_elastic(m, mat);
    if (!m.require("cte_source") || !m.require("elastic_source")) continue;
  }
  f.throw_if_errors();
  return out;
}

const std::vector<Material>& default_materials() {
  static const std::vector<Material> materials =
      parse_materials(default_material_text(), "data/fab/materials.yaml");
  return materials;
}

const Material* find_material(const std::vector<Material>& materials, std::string_view name) {
  for (const Material& m : materials)
    if (m.name == name) return &m;
  return nullptr;
}

std::optional<LayerConstants> layer_constants(const std::vector<Material>& materials,
                                              const Material& material, double x) {
  if (!material.alloy) return LayerConstants{material.cte, material.biaxial_modulus_pa};
  const Material* a = find_material(materials, material.alloy_x0);
  const Material* b = find_material(materials, material.alloy_x1);
  if (a == nullptr || b == nullptr || a->alloy || b->alloy || a->cte.form != Cte::Form::constant ||
      b->cte.form != Cte::Form::constant)
    return std::nullopt;
  LayerConstants out;
  out.cte.form = Cte::Form::constant;
  out.cte.alpha_per_k = (1.0 - x) * a->cte.alpha_per_k + x * b->cte.alpha_per_k;
  out.biaxial_modulus_pa = (1.0 - x) * a->biaxial_modulus_pa + x * b->biaxial_modulus_pa;
  return out;
}

}  // namespace g2g::fab

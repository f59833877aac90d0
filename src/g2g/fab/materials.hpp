// The material constants of the bow model: data/fab/materials.yaml, compiled in
// (default_material_text), parsed here. docs/fab.md § Materials, data/fab/README.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/fab/bow.hpp"

namespace g2g::fab {

struct Material {
  std::string name;
  std::string description;
  Cte cte;
  double biaxial_modulus_pa = 0.0;
  std::string cte_source;
  std::string elastic_source;
  // An alloy A(1-x)B(x): constants linear in x between two other materials; `al_fraction` is x.
  bool alloy = false;
  std::string alloy_x0;
  std::string alloy_x1;
  std::string alloy_source;
};

// data/fab/materials.yaml as compiled in.
std::string_view default_material_text();
// Parses a materials file; throws core::ModelError with every problem.
std::vector<Material> parse_materials(std::string_view yaml, const std::string& file);
// The compiled-in materials, parsed once.
const std::vector<Material>& default_materials();

const Material* find_material(const std::vector<Material>& materials, std::string_view name);

// A material's constants for a layer: an alloy's at fraction `x` (0..1), others as they are.
// nullopt when an alloy's end members are missing or do not both have a constant CTE.
struct LayerConstants {
  Cte cte;
  double biaxial_modulus_pa = 0.0;
};
std::optional<LayerConstants> layer_constants(const std::vector<Material>& materials,
                                              const Material& material, double x);

}  // namespace g2g::fab

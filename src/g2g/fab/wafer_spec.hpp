// `grid2gpu wafer SPEC.yaml`: one wafer, one die, its defect density and (optionally) the
// epitaxial stack whose thermal mismatch bows the wafer. Read with the configuration toolkit
// (core/yaml_fields.hpp): units, "did you mean", every problem with file:line:col before one
// core::ModelError. Format: docs/fab.md § SPEC; examples in examples/wafer/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "g2g/core/diagnostics.hpp"
#include "g2g/fab/die_count.hpp"
#include "g2g/fab/materials.hpp"

namespace g2g::fab {

struct StackLayerSpec {
  std::string material;
  double thickness_m = 0.0;
  double al_fraction = 0.0;    // alloys only (required for them)
  double growth_strain = 0.0;  // elastic in-plane strain at growth temperature; 0: stress-free
  LayerConstants constants;    // resolved from the materials
};

struct StackSpec {
  double t_growth_c = 0.0;
  double t_room_c = 0.0;
  double non_uniformity_k = 0.0;  // +- this across the wafer at growth temperature; 0: none
  StackLayerSpec substrate;
  std::vector<StackLayerSpec> layers;  // from the substrate up
  std::vector<double> compare_thicknesses_m;
};

struct WaferSpec {
  std::string name;
  WaferGeometry wafer;
  std::vector<double> compare_diameters_m;  // gross die (and bow) also at these diameters
  double wafer_cost = 0.0;                  // 0: not given (no cost per good die)
  std::string currency;
  std::string cost_source;
  DieGeometry die;
  int offset_steps = 64;  // grid offsets searched per axis
  bool has_yield = false;
  double d0_per_m2 = 0.0;
  double alpha = 0.0;         // negative binomial clustering; required with `yield:`
  double stated_yield = 0.0;  // 0: none (no inverse)
  std::string stated_yield_source;
  bool has_stack = false;
  StackSpec stack;
};

// Parses and checks a SPEC against `materials`. Throws core::ModelError with every problem.
WaferSpec parse_wafer_spec(std::string_view yaml, const std::string& file,
                           const std::vector<Material>& materials);

}  // namespace g2g::fab

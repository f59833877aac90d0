// Everything `grid2gpu wafer` reports for one SPEC: gross die (formula and exact count) at each
// diameter, yield, cost per good die and the inverse D0 per model, the stack's stress and bow
// (multilayer and Stoney) against diameter and substrate thickness, the growth-temperature
// sensitivity, and the GaN/Si CTE ratio behind the "nearly 3x" claim. docs/fab.md.
#pragma once

#include <string>
#include <vector>

#include "g2g/fab/die_count.hpp"
#include "g2g/fab/materials.hpp"
#include "g2g/fab/wafer_spec.hpp"
#include "g2g/fab/yield.hpp"

namespace g2g::fab {

struct DieCountRow {
  double diameter_m = 0.0;
  double formula = 0.0;  // gross_die_formula, unrounded
  DieCount exact;
};

struct YieldRow {
  YieldModel model = YieldModel::poisson;
  double yield = 0.0;                 // at the SPEC's D0
  double good_die = 0.0;              // exact gross die x yield
  double cost_per_good_die = 0.0;     // 0 when the SPEC has no cost
  double d0_for_stated_per_m2 = 0.0;  // 0 when no stated yield
  // With that D0, the yield of a die of twice the area: how far the models part.
  double yield_double_area_at_stated_d0 = 0.0;
};

struct LayerStress {
  std::string label;  // "gan", "algan (x = 0.5)"
  double thickness_m = 0.0;
  double biaxial_modulus_pa = 0.0;
  double cte_at_room_per_k = 0.0;
  double free_strain = 0.0;
  double mean_stress_pa = 0.0;
  // The growth strain this layer alone would need (added to its own) for a flat wafer at room
  // temperature, and the stress that is at growth temperature; NaN for the substrate.
  double flattening_growth_strain = 0.0;
  double flattening_growth_stress_pa = 0.0;
};

struct BowRow {
  double diameter_m = 0.0;
  double substrate_thickness_m = 0.0;
  double bow_m = 0.0;         // multilayer; positive: film side convex
  double bow_stoney_m = 0.0;  // Stoney with the films' summed force
};

struct CteClaim {
  double ratio_at_room = 0.0;    // alpha_GaN / alpha_Si at room temperature
  double ratio_at_growth = 0.0;  // at growth temperature
  double ratio_mean = 0.0;       // of the mean alphas over room..growth
  double ratio_max = 0.0;        // largest over room..growth
  bool nearly_3x = false;        // ratio_max >= 2.7
};

struct StackResult {
  double curvature_per_m = 0.0;
  double curvature_stoney_per_m = 0.0;
  double bow_m = 0.0;
  double bow_stoney_m = 0.0;
  std::vector<LayerStress> layers;  // substrate first
  // The wafer's growth temperature off by +- non_uniformity: bow and top-layer stress at each.
  double bow_minus_m = 0.0;
  double bow_plus_m = 0.0;
  double top_stress_minus_pa = 0.0;
  double top_stress_plus_pa = 0.0;
  std::vector<BowRow> bow_table;
};

struct WaferStudy {
  WaferSpec spec;
  std::vector<DieCountRow> die_counts;  // the SPEC's diameter first, then compare_diameters
  std::vector<YieldRow> yields;         // empty without `yield:`
  bool has_stack = false;
  StackResult stack;
  bool has_cte_claim = false;  // needs 'gan' and 'si' among the materials
  CteClaim cte_claim;
};

// The multilayer of a stack at growth temperature t_growth_c (substrate first).
std::vector<LayerMechanics> stack_mechanics(const StackSpec& stack, double t_growth_c);

WaferStudy evaluate_wafer(const WaferSpec& spec, const std::vector<Material>& materials);

CteClaim gan_si_cte_claim(const Material& gan, const Material& si, double t_room_c,
                          double t_growth_c);

}  // namespace g2g::fab

#include "g2g/fab/wafer_study.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace g2g::fab {
namespace {

StackLayerSpec with_thickness(StackLayerSpec layer, double thickness_m) {
  layer.thickness_m = thickness_m;
  return layer;
}

// Stoney for several thin films: each film's stress as if the substrate were rigid, their
// forces summed.
double stoney_curvature_of(const StackSpec& stack, double t_growth_c) {
  const auto mech = stack_mechanics(stack, t_growth_c);
  double force = 0.0;
  for (std::size_t i = 1; i < mech.size(); ++i)
    force += mech[i].biaxial_modulus_pa * (mech[0].free_strain - mech[i].free_strain) *
             mech[i].thickness_m;
  return stoney_curvature(force, 1.0, mech[0].biaxial_modulus_pa, mech[0].thickness_m);
}

std::string layer_label(const StackLayerSpec& layer, const std::vector<Material>& materials) {
  const Material* m = find_material(materials, layer.material);
  if (m != nullptr && m->alloy)
    return fmt::format("{} (x = {:g})", layer.material, layer.al_fraction);
  return layer.material;
}

}  // namespace

std::vector<LayerMechanics> stack_mechanics(const StackSpec& stack, double t_growth_c) {
  std::vector<LayerMechanics> out;
  const auto add = [&](const StackLayerSpec& layer) {
    out.push_back(
        {layer.thickness_m, layer.constants.biaxial_modulus_pa,
         thermal_strain(layer.constants.cte, t_growth_c, stack.t_room_c) - layer.growth_strain});
  };
  add(stack.substrate);
  for (const auto& layer : stack.layers) add(layer);
  return out;
}

CteClaim gan_si_cte_claim(const Material& gan, const Material& si, double t_room_c,
                          double t_growth_c) {
  CteClaim c;
  c.ratio_at_room = cte_at(gan.cte, t_room_c) / cte_at(si.cte, t_room_c);
  c.ratio_at_growth = cte_at(gan.cte, t_growth_c) / cte_at(si.cte, t_growth_c);
  c.ratio_mean =
      thermal_strain(gan.cte, t_room_c, t_growth_c) / thermal_strain(si.cte, t_room_c, t_growth_c);
  constexpr int samples = 200;
  for (int i = 0; i <= samples; ++i) {
    const double t = t_room_c + (t_growth_c - t_room_c) * i / samples;
    c.ratio_max = std::max(c.ratio_max, cte_at(gan.cte, t) / cte_at(si.cte, t));
  }
  // "Nearly 3x": within 10 % of 3 somewhere in the cool-down.
  c.nearly_3x = c.ratio_max >= 2.7;
  return c;
}

WaferStudy evaluate_wafer(const WaferSpec& spec, const std::vector<Material>& materials) {
  WaferStudy out;
  out.spec = spec;
  std::vector<double> diameters{spec.wafer.diameter_m};
  for (double d : spec.compare_diameters_m)
    if (std::find(diameters.begin(), diameters.end(), d) == diameters.end()) diameters.push_back(d);
  for (double d : diameters) {
    WaferGeometry w = spec.wafer;
    w.diameter_m = d;
    out.die_counts.push_back(
        {d, gross_die_formula(w, spec.die), count_dies_best(w, spec.die, spec.offset_steps)});
  }

  if (spec.has_yield) {
    const double area = spec.die.area_m2();
    const double gross = static_cast<double>(out.die_counts.front().exact.best);
    for (YieldModel model : every_yield_model) {
      YieldRow row;
      row.model = model;
      row.yield = die_yield(model, spec.d0_per_m2, area, spec.alpha);
      row.good_die = gross * row.yield;
      if (spec.wafer_cost > 0.0)
        row.cost_per_good_die = cost_per_good_die(spec.wafer_cost, gross, row.yield);
      if (spec.stated_yield > 0.0) {
        row.d0_for_stated_per_m2 =
            defect_density_for_yield(model, spec.stated_yield, area, spec.alpha);
        row.yield_double_area_at_stated_d0 =
            die_yield(model, row.d0_for_stated_per_m2, 2.0 * area, spec.alpha);
      }
      out.yields.push_back(row);
    }
  }

  if (spec.has_stack) {
    out.has_stack = true;
    const StackSpec& s = spec.stack;
    StackResult& r = out.stack;
    const auto mech = stack_mechanics(s, s.t_growth_c);
    const MultilayerResult m = solve_multilayer(mech);
    r.curvature_per_m = m.curvature_per_m;
    r.curvature_stoney_per_m = stoney_curvature_of(s, s.t_growth_c);
    r.bow_m = bow_from_curvature(r.curvature_per_m, spec.wafer.diameter_m);
    r.bow_stoney_m = bow_from_curvature(r.curvature_stoney_per_m, spec.wafer.diameter_m);
    std::vector<const StackLayerSpec*> all{&s.substrate};
    for (const auto& l : s.layers) all.push_back(&l);
    for (std::size_t i = 0; i < all.size(); ++i)
      r.layers.push_back({layer_label(*all[i], materials), all[i]->thickness_m,
                          all[i]->constants.biaxial_modulus_pa,
                          cte_at(all[i]->constants.cte, s.t_room_c), mech[i].free_strain,
                          m.mean_stress_pa[i]});
    // Curvature is linear in each layer's free strain: one more solve per layer with a unit
    // extra growth strain gives the strain that cancels the bow.
    r.layers.front().flattening_growth_strain = std::nan("");
    r.layers.front().flattening_growth_stress_pa = std::nan("");
    for (std::size_t i = 1; i < mech.size(); ++i) {
      auto probe = mech;
      probe[i].free_strain -= 1e-3;
      const double dk = solve_multilayer(probe).curvature_per_m - m.curvature_per_m;
      const double strain = dk != 0.0 ? -1e-3 * m.curvature_per_m / dk : std::nan("");
      r.layers[i].flattening_growth_strain = strain;
      r.layers[i].flattening_growth_stress_pa = mech[i].biaxial_modulus_pa * strain;
    }
    // Growth temperature off by +- the non-uniformity: the whole wafer as if grown there.
    for (const double sign : {-1.0, 1.0}) {
      const MultilayerResult shifted =
          solve_multilayer(stack_mechanics(s, s.t_growth_c + sign * s.non_uniformity_k));
      const double bow = bow_from_curvature(shifted.curvature_per_m, spec.wafer.diameter_m);
      (sign < 0 ? r.bow_minus_m : r.bow_plus_m) = bow;
      (sign < 0 ? r.top_stress_minus_pa : r.top_stress_plus_pa) = shifted.mean_stress_pa.back();
    }
    std::vector<double> thicknesses{s.substrate.thickness_m};
    for (double t : s.compare_thicknesses_m)
      if (std::find(thicknesses.begin(), thicknesses.end(), t) == thicknesses.end())
        thicknesses.push_back(t);
    for (double t : thicknesses) {
      StackSpec thick = s;
      thick.substrate = with_thickness(s.substrate, t);
      const double k = solve_multilayer(stack_mechanics(thick, s.t_growth_c)).curvature_per_m;
      const double ks = stoney_curvature_of(thick, s.t_growth_c);
      for (double d : diameters)
        r.bow_table.push_back({d, t, bow_from_curvature(k, d), bow_from_curvature(ks, d)});
    }
  }

  const Material* gan = find_material(materials, "gan");
  const Material* si = find_material(materials, "si");
  // Over the stack's own cool-down: without a stack there is no temperature range to judge.
  if (spec.has_stack && gan != nullptr && si != nullptr) {
    out.has_cte_claim = true;
    out.cte_claim = gan_si_cte_claim(*gan, *si, spec.stack.t_room_c, spec.stack.t_growth_c);
  }
  return out;
}

}  // namespace g2g::fab

#include "g2g/io/wafer_table.hpp"

#include <fmt/format.h>

#include <cmath>

namespace g2g::io {

std::string format_wafer_study(const fab::WaferStudy& study) {
  const fab::WaferSpec& spec = study.spec;
  std::string out;
  auto line = [&out](const std::string& text) { out += text + "\n"; };
  line(fmt::format("Wafer: {}", spec.name.empty() ? "(unnamed)" : spec.name));
  line(fmt::format("  die {:g} x {:g} mm ({:g} mm2), scribe {:g} um, edge exclusion {:g} mm",
                   spec.die.width_m * 1e3, spec.die.height_m * 1e3, spec.die.area_m2() * 1e6,
                   spec.die.scribe_m * 1e6, spec.wafer.edge_exclusion_m * 1e3));
  line("\nGross die per wafer (die inside the usable circle)");
  line(fmt::format("  {:>9} {:>10} {:>11} {:>12} {:>13} {:>10}", "diameter", "formula",
                   "exact best", "die-centred", "corner-centred", "formula/exact"));
  for (const auto& r : study.die_counts)
    line(fmt::format("  {:>6.0f} mm {:>10.1f} {:>11} {:>12} {:>13} {:>+12.2f} %",
                     r.diameter_m * 1e3, r.formula, r.exact.best, r.exact.die_centred,
                     r.exact.corner_centred,
                     r.exact.best > 0 ? 100.0 * (r.formula / r.exact.best - 1.0) : NAN));
  if (spec.has_yield) {
    line(fmt::format("\nYield at D0 = {:g} /cm2, die area {:g} cm2 (A D0 = {:.4g}), alpha = {:g}",
                     spec.d0_per_m2 * 1e-4, spec.die.area_m2() * 1e4,
                     spec.d0_per_m2 * spec.die.area_m2(), spec.alpha));
    line(fmt::format("  {:<18} {:>8} {:>10} {:>14}", "model", "yield", "good die",
                     spec.wafer_cost > 0.0 ? fmt::format("cost/good {}", spec.currency) : ""));
    for (const auto& r : study.yields)
      line(fmt::format("  {:<18} {:>7.2f}% {:>10.0f} {:>14}", fab::name(r.model), 100.0 * r.yield,
                       r.good_die,
                       spec.wafer_cost > 0.0 ? fmt::format("{:.4g}", r.cost_per_good_die) : ""));
    if (spec.stated_yield > 0.0) {
      line(fmt::format(
          "\nD0 implied by a stated yield of {:g} % for this die{}", 100.0 * spec.stated_yield,
          spec.stated_yield_source.empty() ? "" : fmt::format(" ({})", spec.stated_yield_source)));
      line(fmt::format("  {:<18} {:>12} {:>26}", "model", "D0 /cm2", "yield of a 2x-area die"));
      for (const auto& r : study.yields)
        line(fmt::format("  {:<18} {:>12.4g} {:>25.2f}%", fab::name(r.model),
                         r.d0_for_stated_per_m2 * 1e-4, 100.0 * r.yield_double_area_at_stated_d0));
    }
  }
  if (study.has_stack) {
    const fab::StackResult& r = study.stack;
    const fab::StackSpec& s = spec.stack;
    line(fmt::format("\nThermal mismatch: cooled from {:g} C to {:g} C", s.t_growth_c, s.t_room_c));
    line(fmt::format("  {:<20} {:>11} {:>10} {:>12} {:>12} {:>12}", "layer", "thickness", "M (GPa)",
                     "alpha 1e-6/K", "free strain", "stress MPa"));
    for (const auto& l : r.layers)
      line(fmt::format("  {:<20} {:>8.4g} um {:>10.1f} {:>12.3f} {:>12.3e} {:>12.1f}", l.label,
                       l.thickness_m * 1e6, l.biaxial_modulus_pa * 1e-9, l.cte_at_room_per_k * 1e6,
                       l.free_strain, l.mean_stress_pa * 1e-6));
    line(
        "  growth strain that alone flattens the wafer (added to the layer's own; - = "
        "compressive)");
    for (std::size_t i = 1; i < r.layers.size(); ++i)
      line(fmt::format("    {:<20} {:>+10.3e} ({:+.0f} MPa at growth temperature)",
                       r.layers[i].label, r.layers[i].flattening_growth_strain,
                       r.layers[i].flattening_growth_stress_pa * 1e-6));
    line(
        fmt::format("  curvature {:.4g} 1/m (Stoney {:.4g}); bow over {:g} mm: {:.1f} um (Stoney "
                    "{:.1f} um); + = film side convex",
                    r.curvature_per_m, r.curvature_stoney_per_m, spec.wafer.diameter_m * 1e3,
                    r.bow_m * 1e6, r.bow_stoney_m * 1e6));
    if (s.non_uniformity_k > 0.0)
      line(
          fmt::format("  growth temperature -/+ {:g} K: bow {:.3f} / {:.3f} um ({:+.3f} um "
                      "spread), top-layer stress {:.2f} / {:.2f} MPa",
                      s.non_uniformity_k, r.bow_minus_m * 1e6, r.bow_plus_m * 1e6,
                      (r.bow_plus_m - r.bow_minus_m) * 1e6, r.top_stress_minus_pa * 1e-6,
                      r.top_stress_plus_pa * 1e-6));
    line("  bow (um, multilayer / Stoney) by diameter and substrate thickness");
    for (const auto& b : r.bow_table)
      line(fmt::format("    {:>4.0f} mm, {:>6.0f} um Si: {:>9.1f} / {:>9.1f}", b.diameter_m * 1e3,
                       b.substrate_thickness_m * 1e6, b.bow_m * 1e6, b.bow_stoney_m * 1e6));
  }
  if (study.has_cte_claim) {
    const fab::CteClaim& c = study.cte_claim;
    line("\nClaim: the GaN/Si thermal-expansion mismatch is \"nearly 3x\" (a-axis GaN / Si)");
    line(
        fmt::format("  ratio at room {:.2f}, at growth {:.2f}, of the means over the cool-down "
                    "{:.2f}, largest {:.2f} -> {}",
                    c.ratio_at_room, c.ratio_at_growth, c.ratio_mean, c.ratio_max,
                    c.nearly_3x ? "supported" : "not supported"));
  }
  return out;
}

}  // namespace g2g::io

#include "g2g/io/wafer_json.hpp"

#include "g2g/io/files.hpp"
#include "g2g/io/json_numbers.hpp"

namespace g2g::io {
namespace {

nlohmann::json given(double v) {
  return v > 0.0 ? finite_or_null(v) : nlohmann::json();
}

}  // namespace

nlohmann::json wafer_json(const fab::WaferStudy& study) {
  const fab::WaferSpec& spec = study.spec;
  nlohmann::json j;
  j["grid2gpu_wafer"] = wafer_format_version;
  j["name"] = spec.name;
  j["wafer"] = {{"diameter_m", spec.wafer.diameter_m},
                {"edge_exclusion_m", spec.wafer.edge_exclusion_m},
                {"cost", given(spec.wafer_cost)},
                {"currency", spec.currency},
                {"cost_source", spec.cost_source}};
  j["die"] = {{"width_m", spec.die.width_m},
              {"height_m", spec.die.height_m},
              {"scribe_m", spec.die.scribe_m},
              {"area_m2", spec.die.area_m2()}};
  auto& counts = j["gross_die"] = nlohmann::json::array();
  for (const auto& row : study.die_counts)
    counts.push_back({{"diameter_m", row.diameter_m},
                      {"formula", finite_or_null(row.formula)},
                      {"exact_best", row.exact.best},
                      {"exact_die_centred", row.exact.die_centred},
                      {"exact_corner_centred", row.exact.corner_centred},
                      {"best_offset_x_m", row.exact.best_placement.offset_x_m},
                      {"best_offset_y_m", row.exact.best_placement.offset_y_m},
                      {"offsets_searched", row.exact.offsets_searched}});
  if (spec.has_yield) {
    nlohmann::json y;
    y["d0_per_m2"] = spec.d0_per_m2;
    y["alpha"] = spec.alpha;
    y["stated_yield"] = given(spec.stated_yield);
    y["stated_yield_source"] = spec.stated_yield_source;
    auto& models = y["models"] = nlohmann::json::array();
    for (const auto& row : study.yields)
      models.push_back(
          {{"model", std::string(fab::name(row.model))},
           {"yield", finite_or_null(row.yield)},
           {"good_die", finite_or_null(row.good_die)},
           {"cost_per_good_die", given(row.cost_per_good_die)},
           {"d0_for_stated_yield_per_m2", given(row.d0_for_stated_per_m2)},
           {"yield_double_area_at_that_d0", given(row.yield_double_area_at_stated_d0)}});
    j["yield"] = std::move(y);
  } else {
    j["yield"] = nullptr;
  }
  if (study.has_stack) {
    const fab::StackResult& r = study.stack;
    nlohmann::json s;
    s["growth_temperature_c"] = spec.stack.t_growth_c;
    s["room_temperature_c"] = spec.stack.t_room_c;
    s["curvature_per_m"] = finite_or_null(r.curvature_per_m);
    s["curvature_stoney_per_m"] = finite_or_null(r.curvature_stoney_per_m);
    s["bow_m"] = finite_or_null(r.bow_m);
    s["bow_stoney_m"] = finite_or_null(r.bow_stoney_m);
    auto& layers = s["layers"] = nlohmann::json::array();
    for (const auto& l : r.layers)
      layers.push_back(
          {{"label", l.label},
           {"thickness_m", l.thickness_m},
           {"biaxial_modulus_pa", l.biaxial_modulus_pa},
           {"cte_at_room_per_k", l.cte_at_room_per_k},
           {"free_strain", l.free_strain},
           {"mean_stress_pa", finite_or_null(l.mean_stress_pa)},
           {"flattening_growth_strain", finite_or_null(l.flattening_growth_strain)},
           {"flattening_growth_stress_pa", finite_or_null(l.flattening_growth_stress_pa)}});
    s["non_uniformity_k"] = spec.stack.non_uniformity_k;
    s["bow_at_growth_minus_m"] = finite_or_null(r.bow_minus_m);
    s["bow_at_growth_plus_m"] = finite_or_null(r.bow_plus_m);
    s["top_stress_at_growth_minus_pa"] = finite_or_null(r.top_stress_minus_pa);
    s["top_stress_at_growth_plus_pa"] = finite_or_null(r.top_stress_plus_pa);
    auto& table = s["bow_table"] = nlohmann::json::array();
    for (const auto& b : r.bow_table)
      table.push_back({{"diameter_m", b.diameter_m},
                       {"substrate_thickness_m", b.substrate_thickness_m},
                       {"bow_m", finite_or_null(b.bow_m)},
                       {"bow_stoney_m", finite_or_null(b.bow_stoney_m)}});
    j["stack"] = std::move(s);
  } else {
    j["stack"] = nullptr;
  }
  if (study.has_cte_claim) {
    const fab::CteClaim& c = study.cte_claim;
    j["cte_claim"] = {{"claim", "GaN/Si thermal-expansion mismatch is nearly 3x"},
                      {"ratio_at_room", c.ratio_at_room},
                      {"ratio_at_growth", c.ratio_at_growth},
                      {"ratio_mean", c.ratio_mean},
                      {"ratio_max", c.ratio_max},
                      {"nearly_3x", c.nearly_3x}};
  } else {
    j["cte_claim"] = nullptr;
  }
  return j;
}

void write_wafer_json(const std::filesystem::path& path, const fab::WaferStudy& study) {
  write_file_atomic(path, wafer_json(study).dump(2) + "\n");
}

}  // namespace g2g::io

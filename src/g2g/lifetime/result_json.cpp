#include "g2g/lifetime/result_json.hpp"

namespace g2g::lifetime {

nlohmann::json result_json(const LifetimeStudy& study, const LifetimeResult& result) {
  nlohmann::json cases = nlohmann::json::array();
  for (const auto& c : result.cases) {
    nlohmann::json positions = nlohmann::json::array();
    for (const auto& p : c.positions) {
      nlohmann::json bins = nlohmann::json::array();
      for (const auto& b : p.histogram)
        bins.push_back({{"from_k", b.from_k},
                        {"to_k", b.to_k},
                        {"cycles", b.cycles},
                        {"damage_share", b.damage_share}});
      nlohmann::json item = {{"position", p.position},
                             {"device", p.device},
                             {"family", p.family},
                             {"absolute", p.absolute},
                             {"t_j_min_c", p.t_j_min_c},
                             {"t_j_max_c", p.t_j_max_c},
                             {"largest_swing_k", p.largest_swing_k},
                             {"cycles_per_year", p.cycles_per_year},
                             {"damage_per_year", p.damage_per_year},
                             {"relative_damage", p.relative_damage},
                             {"histogram", bins}};
      if (p.absolute) item["lifetime_years"] = p.lifetime_years;
      positions.push_back(std::move(item));
    }
    nlohmann::json item = {{"name", c.name},
                           {"heatsink", c.heatsink},
                           {"floor", c.floor},
                           {"rack_mean_power_w", c.rack_mean_power_w},
                           {"floor_burn_mwh_per_year_per_rack", c.floor_burn_mwh_per_year},
                           {"deferred_mwh_per_year_per_rack", c.deferred_mwh_per_year},
                           {"converter_peak_w", c.converter_peak_w},
                           {"converter_min_w", c.converter_min_w},
                           {"evaluations", c.evaluations},
                           {"warnings", c.warnings},
                           {"positions", positions}};
    if (c.profile.empty())
      item["period_s"] = c.period_s;
    else
      item["profile"] = c.profile;
    cases.push_back(std::move(item));
  }
  nlohmann::json heatsinks = nlohmann::json::array();
  for (const auto& name : result.heatsinks) {
    nlohmann::json set = {{"name", name}};
    for (const HeatsinkSet& h : study.heatsinks)
      if (h.name == name) {
        set["spec_cooling"] = h.spec;
        if (!h.spec) set["tau_sink_s"] = h.tau_sink_s;
      }
    heatsinks.push_back(std::move(set));
  }
  nlohmann::json profiles = nlohmann::json::array();
  for (const StudyProfile& p : study.profiles)
    profiles.push_back({{"name", p.name}, {"scenario", p.scenario}});
  return {{"grid2gpu_lifetime", 1},
          {"name", study.name},
          {"converter", study.converter},
          {"rack_power_w", study.rack_power_w},
          {"converters_per_rack", study.converters_per_rack},
          {"warm_up_s", study.warm_up_s},
          {"duration_s", study.duration_s},
          {"time_step_s", study.time_step_s},
          {"heatsinks", heatsinks},
          {"profiles", profiles},
          {"reference", result.reference},
          {"notes", result.notes},
          {"cases", cases}};
}

}  // namespace g2g::lifetime

// The simulation summary as JSON (docs/results-format.md, "Simulation summary"). Small (one
// document per run, its size set by the number of limits, dropped loads and storage elements), so
// it goes through nlohmann::json; every number passes finite_or_null, as JSON has no NaN.
#include "g2g/io/simulation_json.hpp"

#include <optional>

#include "g2g/io/files.hpp"
#include "g2g/io/json_numbers.hpp"

namespace g2g::io {

namespace {

using nlohmann::json;

json ramp_json(const std::optional<dynamic::Ramp>& ramp) {
  if (!ramp) return nullptr;
  return {{"rate_w_per_s", finite_or_null(ramp->rate_w_per_s)},
          {"start_s", finite_or_null(ramp->start_s)}};
}

json grid_power_json(const dynamic::PowerMetrics& m) {
  json bands = json::array();
  for (const dynamic::BandEnergy& b : m.bands)
    bands.push_back({{"low_hz", finite_or_null(b.band.low_hz)},
                     {"high_hz", finite_or_null(b.band.high_hz)},
                     {"max_share", finite_or_null(b.band.max_share)},
                     {"share", finite_or_null(b.share)},
                     {"within_limit", b.within_limit}});
  return {{"samples", m.samples},
          {"peak_w", finite_or_null(m.peak_w)},
          {"peak_time_s", finite_or_null(m.peak_time_s)},
          {"min_w", finite_or_null(m.min_w)},
          {"min_time_s", finite_or_null(m.min_time_s)},
          {"range_w", finite_or_null(m.range_w)},
          {"range_percent_of_peak", finite_or_null(m.range_percent_of_peak)},
          {"mean_w", finite_or_null(m.mean_w)},
          {"ramp_window_s", finite_or_null(m.ramp_window_s)},
          {"largest_ramp_up", ramp_json(m.largest_ramp_up)},
          {"largest_ramp_down", ramp_json(m.largest_ramp_down)},
          {"spectrum",
           {{"resample_rate_hz", finite_or_null(m.resample_rate_hz)},
            {"resampled_points", m.resampled_points},
            {"bands", std::move(bands)},
            {"share_above_bands", finite_or_null(m.share_above_bands)},
            {"mask_met", m.mask_met}}}};
}

json integrator_json(const dynamic::IntegratorStats& s, double wall_time_s) {
  return {{"steps", s.steps},
          {"residual_evaluations", s.residual_evaluations},
          {"jacobian_evaluations", s.jacobian_evaluations},
          {"factorizations", s.factorizations},
          {"error_test_failures", s.error_test_failures},
          {"nonlinear_iterations", s.nonlinear_iterations},
          {"nonlinear_convergence_failures", s.nonlinear_convergence_failures},
          {"events", s.events},
          {"initial_conditions", s.initial_conditions},
          {"wall_time_s", finite_or_null(wall_time_s)}};
}

}  // namespace

json simulation_json(const dynamic::SimulationSummary& summary) {
  json limits = json::array();
  for (const dynamic::GridLimitCheck& l : summary.limits)
    limits.push_back({{"limit", l.limit},
                      {"unit", l.unit},
                      {"value", finite_or_null(l.value)},
                      {"limit_value", finite_or_null(l.limit_value)},
                      {"met", l.met}});

  json lowest = nullptr;
  if (summary.lowest_voltage) {
    const dynamic::LowestVoltage& v = *summary.lowest_voltage;
    lowest = {{"bus", v.bus},
              {"v_pu", finite_or_null(v.v_pu)},
              {"v_v", finite_or_null(v.v_v)},
              {"time_s", finite_or_null(v.t_s)}};
  }

  json dropped = json::array();
  for (const dynamic::LoadDrop& d : summary.dropped_loads)
    dropped.push_back({{"element", d.element},
                       {"off_s", finite_or_null(d.off_s)},
                       {"on_s", finite_or_null(d.on_s)},
                       {"off_duration_s", finite_or_null(off_duration_s(d, summary.t_end_s))}});

  json hold_up = json::array();
  for (const dynamic::HoldUpCheck& h : summary.hold_up)
    hold_up.push_back({{"element", h.element},
                       {"input_capacitance_f", finite_or_null(h.input_capacitance_f)},
                       {"v_start_v", finite_or_null(h.v_start_v)},
                       {"v_off_v", finite_or_null(h.v_off_v)},
                       {"rated_power_w", finite_or_null(h.rated_power_w)},
                       {"energy_j", finite_or_null(h.energy_j)},
                       {"hold_up_s", finite_or_null(h.hold_up_s)},
                       {"orv3_hpr",
                        {{"hold_up_s", dynamic::orv3_hpr_hold_up_s},
                         {"energy_j", dynamic::orv3_hpr_hold_up_energy_j},
                         {"meets_time", h.meets_time},
                         {"meets_energy", h.meets_energy}}},
                       {"dip_start_s", finite_or_null(h.dip_start_s)},
                       {"off_s", finite_or_null(h.off_s)},
                       {"held_s", finite_or_null(dynamic::held_s(h))}});

  json backup = json::array();
  for (const dynamic::BackupCheck& b : summary.backup) {
    const auto to_carry = dynamic::time_to_carry_s(b);
    backup.push_back({{"element", b.element},
                      {"bus", b.bus},
                      {"trigger_v", finite_or_null(b.trigger_v)},
                      {"set_voltage_v", finite_or_null(b.set_voltage_v)},
                      {"bandwidth_hz", finite_or_null(b.bandwidth_hz)},
                      {"trigger_s", finite_or_null(b.trigger_s)},
                      {"carry_s", finite_or_null(b.carry_s)},
                      {"time_to_carry_s", finite_or_null(to_carry)},
                      {"release_s", finite_or_null(b.release_s)},
                      {"energy_j", finite_or_null(b.energy_j)},
                      {"lowest_v", finite_or_null(b.lowest_v)},
                      {"lowest_t_s", finite_or_null(b.lowest_t_s)},
                      {"orv3_hpr",
                       {{"start_s", dynamic::orv3_hpr_bbu_start_s},
                        {"carry_share", dynamic::backup_carry_share},
                        {"meets_start", to_carry ? json(*to_carry <= dynamic::orv3_hpr_bbu_start_s)
                                                 : json(nullptr)}}}});
  }

  json storage = json::array();
  for (const dynamic::StorageSummary& s : summary.storage)
    storage.push_back({{"element", s.element},
                       {"charged_j", finite_or_null(s.charged_j)},
                       {"discharged_j", finite_or_null(s.discharged_j)},
                       {"soc_min", finite_or_null(s.soc_min)},
                       {"soc_max", finite_or_null(s.soc_max)},
                       {"soc_begin", finite_or_null(s.soc_begin)},
                       {"soc_end", finite_or_null(s.soc_end)},
                       {"loss_j", finite_or_null(s.loss_j)}});

  json protection = json::array();
  for (const dynamic::ProtectionSummary& p : summary.protection)
    protection.push_back({{"element", p.element},
                          {"kind", p.kind},
                          {"cause", p.cause.empty() ? json(nullptr) : json(p.cause)},
                          {"pickup_s", finite_or_null(p.pickup_s)},
                          {"open_s", finite_or_null(p.open_s)},
                          {"cleared_s", finite_or_null(p.cleared_s)},
                          {"reclose_s", finite_or_null(p.reclose_s)},
                          {"reopen_s", finite_or_null(p.reopen_s)},
                          {"peak_a", finite_or_null(p.peak_a)},
                          {"peak_t_s", finite_or_null(p.peak_t_s)},
                          {"peak_over_pickup", finite_or_null(p.peak_over_pickup)},
                          {"integral_over_limit", finite_or_null(p.integral_over_limit)},
                          {"clamp_energy_j", finite_or_null(p.clamp_energy_j)},
                          {"let_through_a2s", finite_or_null(p.let_through_a2s)},
                          {"clearing_i2t_a2s", finite_or_null(p.clearing_i2t_a2s)}});
  json selectivity = json::array();
  for (const dynamic::SelectivityRow& r : summary.selectivity)
    selectivity.push_back({{"cleared_by", r.cleared_by},
                           {"pickup_s", finite_or_null(r.pickup_s)},
                           {"clearing_time_s", finite_or_null(r.clearing_time_s)},
                           {"clamp_energy_j", finite_or_null(r.clamp_energy_j)},
                           {"also_tripped", r.also_tripped},
                           {"near_trip", r.near_trip},
                           {"near_trip_share", dynamic::selectivity_near_trip},
                           {"converters_off", r.converters_off},
                           {"selective", r.selective}});
  json converter_limits = json::array();
  for (const dynamic::ConverterLimitSummary& c : summary.converter_limits) {
    json converters = json::array();
    for (std::size_t k = 0; k < c.converters.size(); ++k)
      converters.push_back(
          {{"id", c.converters[k]}, {"current_limit_a", finite_or_null(c.converter_limits_a[k])}});
    converter_limits.push_back(
        {{"device", c.device},
         {"trip_threshold_a", finite_or_null(c.trip_threshold_a)},
         {"converters", std::move(converters)},
         {"limit_a", finite_or_null(c.limit_a)},
         {"unlimited", c.unlimited.empty() ? json(nullptr) : json(c.unlimited)},
         {"never_tripped", c.never_tripped}});
  }
  json faults = json::array();
  for (const dynamic::FaultSummary& f : summary.faults) {
    json dips = json::array();
    for (const dynamic::BusDip& d : f.dips)
      dips.push_back({{"bus", d.bus},
                      {"v_before_v", finite_or_null(d.v_before_v)},
                      {"lowest_v", finite_or_null(d.lowest_v)},
                      {"lowest_t_s", finite_or_null(d.lowest_t_s)},
                      {"depth", finite_or_null(d.depth)},
                      {"below_threshold_s", finite_or_null(d.below_s)}});
    json ride = json::array();
    for (const dynamic::FaultRideThrough& r : f.ride_through)
      ride.push_back(
          {{"element", r.element},
           {"hold_up_s", finite_or_null(r.hold_up_s)},
           {"off_s", finite_or_null(r.off_s)},
           {"rode_through", r.rode_through},
           {"hold_up_covers_clearing",
            r.hold_up_covers_clearing ? json(*r.hold_up_covers_clearing) : json(nullptr)}});
    faults.push_back({{"id", f.id},
                      {"place", f.place},
                      {"resistance_ohm", finite_or_null(f.resistance_ohm)},
                      {"time_s", finite_or_null(f.time_s)},
                      {"clear_s", finite_or_null(f.clear_s)},
                      {"peak_a", finite_or_null(f.peak_a)},
                      {"peak_t_s", finite_or_null(f.peak_t_s)},
                      {"max_di_dt_a_per_s", finite_or_null(f.max_di_dt_a_per_s)},
                      {"max_di_dt_t_s", finite_or_null(f.max_di_dt_t_s)},
                      {"i2t_a2s", finite_or_null(f.i2t_a2s)},
                      {"clearing_s", finite_or_null(f.clearing_s)},
                      {"cleared_share", dynamic::fault_cleared_share},
                      {"energy_j",
                       {{"fault", finite_or_null(f.fault_energy_j)},
                        {"lines", finite_or_null(f.lines_energy_j)},
                        {"esr", finite_or_null(f.esr_energy_j)}}},
                      {"dip_threshold", finite_or_null(f.dip_threshold)},
                      {"dips", std::move(dips)},
                      {"ride_through", std::move(ride)}});
  }

  json modes = json::array();
  for (const dynamic::ModeSummary& m : summary.least_damped_modes)
    modes.push_back({{"frequency_hz", finite_or_null(m.frequency_hz)},
                     {"damping_ratio", finite_or_null(m.damping_ratio)},
                     {"participants", m.participants}});

  return {{"grid2gpu_simulation", simulation_format_version},
          {"model", summary.model_name},
          {"scenario", summary.scenario_name},
          {"aggregation", summary.aggregation},
          {"t_begin_s", finite_or_null(summary.t_begin_s)},
          {"t_end_s", finite_or_null(summary.t_end_s)},
          {"unknowns", summary.unknowns},
          {"grid_power", grid_power_json(summary.grid_power)},
          {"limits", std::move(limits)},
          {"lowest_voltage", std::move(lowest)},
          {"dropped_loads", std::move(dropped)},
          {"hold_up", std::move(hold_up)},
          {"backup", std::move(backup)},
          {"storage", std::move(storage)},
          {"protection", std::move(protection)},
          {"selectivity", std::move(selectivity)},
          {"converter_limits", std::move(converter_limits)},
          {"faults", std::move(faults)},
          {"smoothing_energy",
           {{"floor_burn_j", finite_or_null(summary.floor_burn_energy_j)},
            {"storage_loss_j", finite_or_null(summary.storage_loss_j)},
            {"total_j", finite_or_null(dynamic::smoothing_energy_j(summary))}}},
          {"max_frequency_deviation_hz", finite_or_null(summary.max_frequency_deviation_hz)},
          {"least_damped_modes", std::move(modes)},
          {"warnings", summary.warnings},
          {"integrator", integrator_json(summary.integrator, summary.wall_time_s)}};
}

void write_simulation_json(const std::filesystem::path& path,
                           const dynamic::SimulationSummary& summary) {
  // Replacement of invalid UTF-8 (an id read from a file): the document always parses.
  write_file_atomic(
      path, simulation_json(summary).dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

}  // namespace g2g::io

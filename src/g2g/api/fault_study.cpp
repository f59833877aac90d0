#include "g2g/api/fault_study.hpp"

#include <fmt/format.h>

#include <chrono>
#include <utility>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/error.hpp"
#include "g2g/dynamic/fault_figures.hpp"
#include "g2g/dynamic/ida.hpp"
#include "g2g/dynamic/simulate.hpp"
#include "g2g/shortcircuit/fault_sources.hpp"
#include "g2g/steady/solver.hpp"

namespace g2g::api {

namespace {

// The first error of a model error, located: what a row of a sweep has room for.
std::string first_error(const core::ModelError& e) {
  for (const auto& d : e.diagnostics().items())
    if (d.severity == core::Severity::error) return core::format_diagnostic(d);
  return e.what();
}

nlohmann::json optional_json(std::optional<double> v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

void check_fault_options(const FaultStudyOptions& options) {
  if (!(options.resistance_ohm >= 0.0))
    throw InvalidInput("resistance", "the fault's resistance must be 0 (bolted) or more");
  if (!(options.inception_s > 0.0))
    throw InvalidInput("time", "the fault's inception must be after 0 s (the power flow)");
  if (!(options.after_s > 0.0))
    throw InvalidInput("after", "the time simulated after inception must be above 0 s");
  if (options.clear_after_s && !(*options.clear_after_s > 0.0))
    throw InvalidInput("clear", "the fault must be cleared after its inception");
}

std::vector<std::string> fault_locations(const ValidatedModel& model, const std::string& bus,
                                         const std::string& pattern, bool all) {
  const int given = (bus.empty() ? 0 : 1) + (pattern.empty() ? 0 : 1) + (all ? 1 : 0);
  if (given != 1)
    throw InvalidInput("bus",
                       "give exactly one location: a bus, a pattern of DC bus ids, or "
                       "every DC bus");
  if (!bus.empty()) {
    (void)shortcircuit::find_fault_bus(model.spec(), bus);
    return {bus};
  }
  std::vector<std::string> out = dc_buses(model, pattern);
  if (out.empty())
    throw InvalidInput("buses",
                       pattern.empty()
                           ? std::string("the model has no DC bus")
                           : fmt::format("'{}' matches no DC bus of the model", pattern),
                       "give a pattern of DC bus ids, e.g. 'row[*]/busway'");
  return out;
}

std::vector<std::string> dc_buses(const ValidatedModel& model, std::string_view pattern) {
  std::vector<std::string> out;
  for (const auto& bus : model.spec().buses)
    if (bus.kind == model::BusKind::dc &&
        (pattern.empty() || dynamic::matches_pattern(pattern, bus.id)))
      out.push_back(bus.id);
  return out;
}

dynamic::Scenario steady_scenario(const ValidatedModel& model) {
  dynamic::Scenario s;
  s.file = "(fault study)";
  s.name = fmt::format("fault study on {}", model.spec().name);
  s.metrics.ramp_window_s = 10e-3;
  return s;
}

FaultLocation fault_at_bus(const ValidatedModel& model, const dynamic::Scenario& base,
                           const std::string& bus, const FaultStudyOptions& options) {
  dynamic::Scenario scenario = base;
  scenario.faults.clear();
  scenario.record.reset();
  scenario.duration_s = options.inception_s + options.after_s;
  dynamic::Fault fault;
  fault.id = "fault";
  fault.bus = dynamic::ElementPattern{bus, {}};
  fault.resistance_ohm = options.resistance_ohm;
  fault.time_s = options.inception_s;
  if (options.clear_after_s) fault.clear_s = options.inception_s + *options.clear_after_s;
  fault.where = {scenario.file, 1, 1};
  scenario.faults.push_back(std::move(fault));

  FaultLocation out;
  out.bus = bus;
  const auto start = std::chrono::steady_clock::now();
  try {
    const dynamic::SimulationRun run = dynamic::simulate(model.spec(), scenario);
    out.aggregation = run.summary.aggregation;
    out.unknowns = run.summary.unknowns;
    if (!run.summary.faults.empty()) out.fault = run.summary.faults.front();
    out.selectivity = run.summary.selectivity;
  } catch (const core::ModelError& e) {
    out.error = first_error(e);
  } catch (const dynamic::IntegrationError& e) {
    out.error = fmt::format("the integration failed: {}", e.what());
  } catch (const steady::NonConvergenceError& e) {
    out.error = fmt::format("no power flow at t = 0: {}", e.what());
  }
  out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

nlohmann::json fault_location_json(const FaultLocation& l) {
  nlohmann::json row = {{"bus", l.bus},
                        {"aggregation", l.aggregation},
                        {"unknowns", l.unknowns},
                        {"wall_s", l.wall_s}};
  if (!l.error.empty()) row["error"] = l.error;
  if (l.fault) {
    const dynamic::FaultSummary& f = *l.fault;
    row["peak_a"] = f.peak_a;
    row["peak_after_s"] = f.peak_t_s - f.time_s;
    row["max_di_dt_a_per_s"] = f.max_di_dt_a_per_s;
    row["i2t_a2s"] = f.i2t_a2s;
    row["clearing_s"] = optional_json(f.clearing_s);
    row["fault_energy_j"] = f.fault_energy_j;
    // No dip below the voltage before inception: an empty bus and a depth of 0.
    const dynamic::BusDip* deepest = dynamic::deepest_dip(f);
    const bool dipped = deepest != nullptr && deepest->depth > 0.0;
    row["deepest_dip"] = {{"bus", dipped ? deepest->bus : std::string()},
                          {"depth", dipped ? deepest->depth : 0.0}};
    std::vector<std::string> off;
    for (const auto& r : f.ride_through)
      if (!r.rode_through) off.push_back(r.element);
    row["converters_off"] = off;
  }
  nlohmann::json cleared = nlohmann::json::array();
  for (const auto& s : l.selectivity)
    cleared.push_back({{"cleared_by", s.cleared_by},
                       {"clearing_time_s", s.clearing_time_s},
                       {"selective", s.selective},
                       {"also_tripped", s.also_tripped},
                       {"near_trip", s.near_trip}});
  row["selectivity"] = cleared;
  return row;
}

}  // namespace g2g::api

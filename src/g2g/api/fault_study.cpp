#include "g2g/api/fault_study.hpp"

#include <fmt/format.h>

#include <chrono>
#include <utility>

#include "g2g/core/diagnostics.hpp"
#include "g2g/dynamic/ida.hpp"
#include "g2g/dynamic/simulate.hpp"
#include "g2g/steady/solver.hpp"

namespace g2g::api {

namespace {

// The first error of a model error, located: what a row of a sweep has room for.
std::string first_error(const core::ModelError& e) {
  for (const auto& d : e.diagnostics().items())
    if (d.severity == core::Severity::error) return core::format_diagnostic(d);
  return e.what();
}

}  // namespace

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

}  // namespace g2g::api

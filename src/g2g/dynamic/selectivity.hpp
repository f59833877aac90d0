// The protection devices' part of a run's summary: what each did (ProtectionSummary) and the
// selectivity table (SelectivityRow). docs/dynamic.md § Selectivity.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "g2g/dynamic/network_dae.hpp"
#include "g2g/dynamic/simulation_result.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::dynamic {

// Fills summary.protection and summary.selectivity from the DAE's records at the run's last
// point y, and summary.converter_limits from converter_limit_rows(model).
void summarise_protection(const model::ModelSpec& model, const NetworkDae& dae,
                          std::span<const double> y, SimulationSummary& summary);

// Converters as protective elements: a converter that limits its output current also limits
// what a fault downstream of a breaker can draw through it once the DC links have discharged.
// Per protection device (a breaker with `trip:`), what feeds a fault on its `to` side through
// it: everything that reaches its `from` bus through DC lines (other breakers included, never
// through a converter). When that is only converters with a current limit, their limits summed
// bound the sustained current through it; a device whose sustained trip threshold is above
// that sum can never be tripped by them (only by the DC links' discharge, a transient): the
// converters protect that branch, not the device. docs/dynamic.md § Selectivity.
struct ConverterLimitRow {
  std::size_t line = 0;                 // the device, in the model's lines
  std::vector<std::size_t> converters;  // the limited converters feeding it (model indices)
  double limit_a = 0.0;                 // their current limits summed
  // What else feeds it, without a current limit (a source, storage, a converter without a
  // limit: empty when only limited converters do). Then limit_a bounds nothing.
  std::string unlimited;
  // The least sustained current that trips it: the current pickup (solid_state, hybrid; 0 for
  // a di/dt pickup alone), the rated current a fuse's melting integral starts above, the
  // thermal pickup (or the magnetic pickup below it) of a thermal-magnetic breaker.
  double trip_threshold_a = 0.0;
  // limit_a < trip_threshold_a with nothing unlimited feeding it.
  bool never_tripped = false;
};
[[nodiscard]] std::vector<ConverterLimitRow> converter_limit_rows(const model::ModelSpec& model);

}  // namespace g2g::dynamic

// The protection devices' part of a run's summary: what each did (ProtectionSummary) and the
// selectivity table (SelectivityRow). docs/dynamic.md § Selectivity.
#pragma once

#include <span>

#include "g2g/dynamic/network_dae.hpp"
#include "g2g/dynamic/simulation_result.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::dynamic {

// Fills summary.protection and summary.selectivity from the DAE's records at the run's last
// point y.
void summarise_protection(const model::ModelSpec& model, const NetworkDae& dae,
                          std::span<const double> y, SimulationSummary& summary);

}  // namespace g2g::dynamic

// What a time-domain simulation needs of a model beyond the steady state, checked before it
// starts: the table of docs/dynamic.md, "Model keys for simulation". The loader reads every
// dynamic key as optional, so a model that solves in steady state loads unchanged; this check
// lists each key a simulation needs and has no sourced default for, at the element.
#pragma once

#include <vector>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::model {

// What the simulation models dynamically. Storage that a scenario does not control and that has
// no `technology` is held at its set-point, as in the power flow, and needs none of its dynamic
// keys.
struct SimulationScope {
  // Per ModelSpec::storage: whether it is simulated with its state of charge (its keys are
  // checked); empty: every storage element is.
  std::vector<bool> storage_dynamics;
};

// One error per missing key of every element in service, at the element's file:line:col,
// e.g. "converter 'row[2]/rack[5]/dcdc' needs `output_capacitance` to be simulated", its fix
// naming the key's unit and a typical value; for an element stamped out of a template, the
// template and instance too. Empty: the model has what a simulation needs. Elements out of
// service are not simulated and not checked. Never throws for a model validate_model accepts.
[[nodiscard]] core::DiagnosticList simulation_requirements(const ModelSpec& model,
                                                           const SimulationScope& scope = {});

}  // namespace g2g::model

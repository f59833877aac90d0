// Turns a solved network state back into SI results per bus and per element, with totals and
// violations. Each quantity is computed from the state once, here.
#pragma once

#include <span>

#include "g2g/model/spec.hpp"
#include "g2g/steady/equations.hpp"
#include "g2g/steady/network.hpp"
#include "g2g/steady/results.hpp"

namespace g2g::steady {

// `ac_voltage_pu`, when given, holds per node the rectangular voltage at `state` of every AC node
// (NewtonSolver::voltages() after a run that returned `state`): the results then take it instead
// of a sine and a cosine per node, to the same bits.
SolveResult make_results(const model::ModelSpec& model, const Network& network, const State& state,
                         std::span<const Complex> ac_voltage_pu = {});

}  // namespace g2g::steady

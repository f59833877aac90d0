// Turns a solved network state back into SI results per bus and per element, with totals and
// violations. Each quantity is computed from the state once, here.
#pragma once

#include "g2g/model/spec.hpp"
#include "g2g/steady/equations.hpp"
#include "g2g/steady/network.hpp"
#include "g2g/steady/results.hpp"

namespace g2g::steady {

SolveResult make_results(const model::ModelSpec& model, const Network& network, const State& state);

}  // namespace g2g::steady

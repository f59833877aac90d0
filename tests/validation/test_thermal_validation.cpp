// The Foster network's exact discretisation (devices::FosterNetwork) against its closed forms (the
// step response Z_th(t) = sum R_i (1 - e^(-t/tau_i)) and the periodic steady state under a square
// wave) and against ngspice's .tran of the same R||C ladder driven by a current source equal to
// the loss. docs/validation.md § Transient thermal model (Foster).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

#include "g2g/devices/thermal.hpp"
#include "support/ngspice.hpp"
#include "support/test_support.hpp"
#include "validation/spice_netlist.hpp"

namespace g2g {
namespace {

using devices::FosterNetwork;
using devices::FosterTerm;

// Three terms over three decades, of the shape of a discrete GaN part's table (die, attach,
// package); test values, not a part's.
constexpr std::array<FosterTerm, 3> terms{FosterTerm{0.1, 20e-6}, FosterTerm{0.25, 1.5e-3},
                                          FosterTerm{0.15, 30e-3}};

TEST(FosterValidation, StepResponseMatchesClosedFormWithVariableSteps) {
  const double loss_w = 17.0;
  FosterNetwork net(terms);
  // Steps growing by 10 % from 0.1 us to 1 s: the recursion over unequal steps.
  double t = 0.0, dt = 1e-7, worst = 0.0;
  int steps = 0;
  while (t < 1.0) {
    net.step(dt, loss_w);
    t += dt;
    ++steps;
    const double exact = loss_w * devices::foster_step_response_k_per_w(terms, t);
    worst = std::max(worst, std::abs(net.rise_k() - exact) / exact);
    dt *= 1.1;
  }
  EXPECT_LT(worst, 1e-12);
  RecordProperty("step_response_relative_error", fmt::format("{:.2e}", worst));
  std::printf("Foster step response: %d steps from 0.1 us to %.3g s, worst relative error %.2e\n",
              steps, t, worst);
}

TEST(FosterValidation, SquareWaveReachesTheClosedFormPeriodicState) {
  // P for t_on, 0 for t_off, repeated. Per term, the periodic state at the end of the on phase is
  // R P (1 - e^(-t_on/tau)) / (1 - e^(-T/tau)); at the end of the off phase that times
  // e^(-t_off/tau); half-way into the on phase min e^(-t/tau) + R P (1 - e^(-t/tau)).
  const double p_w = 20.0, t_on = 3e-3, t_off = 7e-3, period = t_on + t_off;
  double hot = 0.0, cold = 0.0, mid = 0.0;
  for (const FosterTerm& term : terms) {
    const double max_k =
        term.r_k_per_w * p_w * std::expm1(-t_on / term.tau_s) / std::expm1(-period / term.tau_s);
    const double min_k = max_k * std::exp(-t_off / term.tau_s);
    hot += max_k;
    cold += min_k;
    mid += min_k * std::exp(-0.5 * t_on / term.tau_s) -
           term.r_k_per_w * p_w * std::expm1(-0.5 * t_on / term.tau_s);
  }
  FosterNetwork net(terms);
  // 900 periods = 300 of the largest tau: the start-up transient is e^-300 below.
  for (int k = 0; k < 900; ++k) {
    net.step(t_on, p_w);
    net.step(t_off, 0.0);
  }
  const double measured_cold = net.rise_k();
  EXPECT_NEAR(measured_cold, cold, 1e-12 * cold);
  FosterNetwork half = net;
  half.step(0.5 * t_on, p_w);
  EXPECT_NEAR(half.rise_k(), mid, 1e-12 * mid);
  net.step(t_on, p_w);
  EXPECT_NEAR(net.rise_k(), hot, 1e-12 * hot);
  std::printf(
      "Foster square wave (20 W, 3 ms on, 7 ms off): periodic max/min %.12f / %.12f K, "
      "closed form %.12f / %.12f K\n",
      net.rise_k(), cold, hot, cold);
}

// The ZOH loss profile of the ngspice check: (from t, loss).
struct LossStep {
  double t_s, p_w;
};
constexpr std::array<LossStep, 4> profile{LossStep{0.0, 10.0}, LossStep{5e-3, 2.0},
                                          LossStep{12e-3, 25.0}, LossStep{20e-3, 0.0}};
constexpr double stop_s = 40e-3;

TEST(FosterValidation, MatchesNgspiceOfTheRcLadder) {
  if (test::require_ngspice().empty()) return;
  // Junction node j, then one R||C per term down to the case (ground): v(j) = T_j - T_case.
  test::TranCircuit circuit("Foster network driven by a loss profile");
  const std::array<const char*, 4> nodes{"j", "n1", "n2", "0"};
  for (std::size_t i = 0; i < terms.size(); ++i) {
    circuit.resistor(fmt::format("R{}", i + 1), nodes[i], nodes[i + 1], terms[i].r_k_per_w);
    circuit.capacitor(fmt::format("C{}", i + 1), nodes[i], nodes[i + 1],
                      terms[i].tau_s / terms[i].r_k_per_w);
  }
  // The loss as a current into j; each change a 1 ns ramp (ZOH in grid2gpu).
  std::vector<test::PwlPoint> loss;
  for (std::size_t k = 0; k < profile.size(); ++k) {
    if (k > 0) loss.push_back({profile[k].t_s, profile[k - 1].p_w});
    loss.push_back({profile[k].t_s + (k > 0 ? 1e-9 : 0.0), profile[k].p_w});
  }
  circuit.current_source("P", "0", "j", loss);
  test::TranOptions options;
  options.stop_s = stop_s;
  options.print_step_s = 1e-6;
  options.max_step_s = 1e-6;
  options.use_initial_conditions = true;  // at rest at t = 0
  options.signals = {"v(j)"};
  const auto w = test::run_ngspice_tran(circuit, options, test::scratch_dir("foster_tran"));

  // grid2gpu: exact steps to each comparison time (through the profile's changes).
  const std::array<double, 11> at_s{1e-5,  1e-4,  1e-3,    4.9e-3, 6e-3, 9e-3,
                                    12e-3, 15e-3, 19.9e-3, 25e-3,  40e-3};
  FosterNetwork net(terms);
  double t = 0.0, peak = 0.0, worst = 0.0;
  std::size_t next_change = 1;
  for (const double target : at_s) {
    while (t < target) {
      const double until =
          next_change < profile.size() ? std::min(target, profile[next_change].t_s) : target;
      net.step(until - t, profile[next_change - 1].p_w);
      t = until;
      if (next_change < profile.size() && t >= profile[next_change].t_s) ++next_change;
    }
    const double spice = w.at("v(j)", target);
    peak = std::max(peak, std::abs(spice));
    worst = std::max(worst, std::abs(net.rise_k() - spice));
    std::printf("t = %7.4f ms: grid2gpu %.6f K, ngspice %.6f K\n", target * 1e3, net.rise_k(),
                spice);
  }
  EXPECT_LT(worst, 2e-4 * peak);
  RecordProperty("ngspice_error_of_peak", fmt::format("{:.2e}", worst / peak));
  std::printf("Foster vs ngspice: worst %.3e K of a %.3f K peak (%.2e)\n", worst, peak,
              worst / peak);
}

}  // namespace
}  // namespace g2g

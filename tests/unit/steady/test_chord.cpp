// Chord steps (NewtonSolver::run): where a factorization costs far more than a solve with its
// factors, steps reuse the factors of an earlier Jacobian while they contract the mismatch well,
// and factorize afresh when they do not; a DC Jacobian is then factorized by LDL'. They must reach
// the full Newton solution within the tolerance, judged on the true mismatch, and leave every other
// network to full Newton.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "g2g/steady/equations.hpp"
#include "g2g/steady/network.hpp"
#include "g2g/steady/newton.hpp"
#include "g2g/synth/networks.hpp"

namespace g2g::steady {
namespace {

model::ModelSpec dc_network(std::int64_t buses, std::int64_t far_ties) {
  synth::DcNetworkParams params;
  params.bus_count = buses;
  params.far_tie_count = far_ties;
  params.seed = 7;
  return synth::random_dc_network(params);
}

// Largest |F| of `state`, from equations of its own (not the solver's last evaluation).
double mismatch_of(const Network& network, const State& state, double load_scale) {
  NetworkEquations equations(network);
  std::int32_t worst = -1;
  return equations.evaluate(state, load_scale, false, worst);
}

struct Solved {
  NewtonOutcome outcome;
  State state;
  bool chord_worthwhile = false;
  bool symmetric = false;  // the last factorization was the LDL'
};

Solved solve_scaled(const Network& network, double load_scale, bool chord) {
  NewtonSolver newton(network);
  Solved run;
  run.state = flat_start(network);
  NewtonOptions options;
  options.load_scale = load_scale;
  options.chord = chord;
  run.outcome = newton.run(run.state, options);
  run.chord_worthwhile = newton.chord_worthwhile();
  run.symmetric = newton.symmetric();
  return run;
}

double largest_difference(const State& a, const State& b) {
  double difference = 0.0;
  for (std::size_t i = 0; i < a.v_pu.size(); ++i)
    difference = std::max(difference, std::abs(a.v_pu[i] - b.v_pu[i]));
  return difference;
}

// 2e4 buses and 1,000 ties between random buses: 2.1e7 flops a factorization, 75 an entry.
TEST(ChordSteps, FarTiesReachTheNewtonSolutionWithOneFactorization) {
  const auto model = dc_network(20000, 1000);
  const Network network = assemble(model);
  const Solved chord = solve_scaled(network, 1.0, true);
  const Solved newton = solve_scaled(network, 1.0, false);
  ASSERT_TRUE(chord.chord_worthwhile);
  ASSERT_TRUE(chord.outcome.converged);
  ASSERT_TRUE(newton.outcome.converged);
  // A DC network: the row-scaled Jacobian is symmetric, and LDL' factorizes it (both runs).
  EXPECT_TRUE(chord.symmetric);
  EXPECT_TRUE(newton.symmetric);
  // Full Newton factorizes at every step; the chord steps reuse the first factors throughout.
  EXPECT_EQ(newton.outcome.factorizations, newton.outcome.iterations);
  EXPECT_EQ(chord.outcome.factorizations, 1);
  EXPECT_GT(chord.outcome.iterations, newton.outcome.iterations);
  // Converged on the true mismatch, to the same solution within the tolerance.
  const double tolerance = NewtonOptions{}.tolerance_pu;
  EXPECT_LE(mismatch_of(network, chord.state, 1.0), tolerance);
  EXPECT_LE(largest_difference(chord.state, newton.state), 1e-9);
}

TEST(ChordSteps, PoorContractionFactorizesAfresh) {
  // Eight times the load: voltages fall to ~0.62 pu, the Jacobian moves between steps and the
  // flat-start factors no longer contract the mismatch tenfold a step.
  const auto model = dc_network(20000, 1000);
  const Network network = assemble(model);
  const Solved chord = solve_scaled(network, 8.0, true);
  const Solved newton = solve_scaled(network, 8.0, false);
  ASSERT_TRUE(chord.outcome.converged);
  ASSERT_TRUE(newton.outcome.converged);
  EXPECT_GE(chord.outcome.factorizations, 2);
  EXPECT_LT(chord.outcome.factorizations, newton.outcome.factorizations);
  // A few chord steps between factorizations, never a long linear crawl.
  EXPECT_LE(chord.outcome.iterations, 2 * newton.outcome.iterations);
  EXPECT_LE(mismatch_of(network, chord.state, 8.0), NewtonOptions{}.tolerance_pu);
  EXPECT_LE(largest_difference(chord.state, newton.state), 1e-9);
}

TEST(ChordSteps, CheapFactorizationsKeepFullNewton) {
  // The standard network (local ties only): leaves-first factors, a few flops an entry.
  const auto model = dc_network(20000, 0);
  const Network network = assemble(model);
  const Solved run = solve_scaled(network, 1.0, true);
  ASSERT_TRUE(run.outcome.converged);
  EXPECT_FALSE(run.chord_worthwhile);
  EXPECT_FALSE(run.symmetric);
  EXPECT_EQ(run.outcome.factorizations, run.outcome.iterations);
}

}  // namespace
}  // namespace g2g::steady

// dynamic::simulate's own contract: a constant scenario stays at the power flow, racks driven
// alike share one power function, and a progress callback that says stop ends the run there
// with a summary that says so.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "g2g/dynamic/simulate.hpp"
#include "g2g/steady/solver.hpp"
#include "g2g/synth/gpu_hall.hpp"

namespace g2g::dynamic {
namespace {

Scenario scenario(double duration_s, ProfileSpec profile) {
  Scenario s;
  s.file = "test.yaml";
  s.name = "test";
  s.duration_s = duration_s;
  ProfileAssignment a;
  a.loads = {ElementPattern{"row[*]/rack[*]/gpus", {}}};
  a.profile = std::move(profile);
  s.profiles.push_back(std::move(a));
  s.metrics.ramp_window_s = 0.1;
  return s;
}

ProfileSpec constant(double utilisation) {
  ProfileSpec p;
  p.pattern = ConstantUtilisation{utilisation};
  return p;
}

TEST(Simulate, ConstantScenarioStaysAtThePowerFlow) {
  synth::GpuHallParams params;
  params.rows = 2;
  params.racks_per_row = 3;
  params.utilisation = 0.4;  // the scenario's 0.7 is what the power flow is solved at
  const model::ModelSpec hall = synth::gpu_hall(params);
  const SimulationRun run = simulate(hall, scenario(2.0, constant(0.7)));
  model::ModelSpec at_start = hall;
  for (auto& load : at_start.loads) load.utilisation = 0.7;
  const auto flow = steady::solve(at_start);
  const auto& grid = run.summary.grid_power;
  EXPECT_NEAR(grid.peak_w, flow.totals.source_w, 1e-6 * flow.totals.source_w);
  EXPECT_NEAR(grid.min_w, flow.totals.source_w, 1e-6 * flow.totals.source_w);
  ASSERT_TRUE(run.summary.lowest_voltage.has_value());
  double lowest_pu = 2.0;
  for (const auto& bus : flow.buses) lowest_pu = std::min(lowest_pu, bus.v_pu);
  EXPECT_NEAR(run.summary.lowest_voltage->v_pu, lowest_pu, 1e-8);
  EXPECT_FALSE(run.cancelled);
  EXPECT_FALSE(run.summary.least_damped_modes.empty());  // 6 racks: the check ran
}

TEST(Simulate, RacksDrivenAlikeShareOneFunction) {
  synth::GpuHallParams params;
  params.rows = 4;
  params.racks_per_row = 8;
  const model::ModelSpec hall = synth::gpu_hall(params);
  ProfileSpec swings;
  swings.pattern = TrainingSteps{
      .period_s = 1.0, .duty = 0.5, .high = 1.0, .low = 0.3, .rise_s = 0.01, .fall_s = 0.01};
  const Scenario same = scenario(5.0, swings);
  const LoadDrives shared = load_drives(same, resolve(same, hall), hall);
  EXPECT_EQ(shared.powers.functions.size(), 1u);
  // Jitter draws a stream per rack: every rack its own function.
  std::get<TrainingSteps>(swings.pattern).jitter = Jitter::normal;
  std::get<TrainingSteps>(swings.pattern).jitter_sd_s = 0.002;
  const Scenario jittered = scenario(5.0, swings);
  const LoadDrives own = load_drives(jittered, resolve(jittered, hall), hall);
  EXPECT_EQ(own.powers.functions.size(), hall.loads.size());
}

TEST(Simulate, ProgressCanCancelTheRun) {
  synth::GpuHallParams params;
  params.rows = 1;
  params.racks_per_row = 2;
  const model::ModelSpec hall = synth::gpu_hall(params);
  ProfileSpec swings;
  swings.pattern = TrainingSteps{
      .period_s = 0.5, .duty = 0.5, .high = 1.0, .low = 0.3, .rise_s = 0.01, .fall_s = 0.01};
  SimulationCallbacks callbacks;
  double last_t_s = 0.0;
  callbacks.progress = [&](double t_s) {
    last_t_s = t_s;
    return t_s < 1.0;
  };
  const SimulationRun run = simulate(hall, scenario(4.0, swings), callbacks);
  EXPECT_TRUE(run.cancelled);
  EXPECT_GE(run.summary.t_end_s, 1.0);
  EXPECT_LT(run.summary.t_end_s, 4.0);
  EXPECT_DOUBLE_EQ(run.summary.t_end_s, last_t_s);
  ASSERT_FALSE(run.summary.warnings.empty());
  EXPECT_NE(run.summary.warnings.back().find("cancelled"), std::string::npos);
}

// A fault left on along a busway of the synthetic hall, whose racks draw constant power with no
// undervoltage turn-off: the racks' converters hold their input current at its limit, so their
// outputs collapse under the constant-power GPUs and the solution has no way forward. The run
// must fail (exit 4 in the CLI) with IDA's "no progress" or a corrector failure at a vanishing
// step, not take steps of vanishing size until max_steps or forever.
TEST(Simulate, ACollapseWithNoWayForwardFailsInsteadOfStalling) {
  synth::GpuHallParams params;
  params.rows = 2;
  params.racks_per_row = 4;
  const model::ModelSpec hall = synth::gpu_hall(params);
  Scenario s = scenario(0.1, constant(0.8));
  Fault fault;
  fault.id = "short";
  fault.line = ElementPattern{"row[1]/busway_feed", {}};
  fault.at = 0.5;
  fault.resistance_ohm = 0.01;
  fault.time_s = 0.01;
  s.faults.push_back(fault);
  try {
    (void)simulate(hall, s);
    ADD_FAILURE() << "the run went through";
  } catch (const IntegrationError& e) {
    const std::string what = e.what();
    EXPECT_TRUE(what.find("no progress") != std::string::npos ||
                what.find("IDA_CONV_FAIL") != std::string::npos)
        << what;
  }
}

}  // namespace
}  // namespace g2g::dynamic

// A Thevenin or inertial utility in the network DAE: zero residual at the power flow (the EMF is
// chosen to match it), the analytic Jacobian of the whole DAE against finite differences, no
// drift with constant loads, the energy balance at the terminal through a load step, and the
// models it refuses.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <string>
#include <vector>

#include "g2g/api/model.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/dynamic/ida.hpp"
#include "g2g/dynamic/network_dae.hpp"
#include "g2g/dynamic/simulate.hpp"
#include "g2g/steady/solver.hpp"
#include "jacobian_check.hpp"
#include "solved_case.hpp"

namespace g2g::dynamic {
namespace {

// A utility at 13.8 kV (50 MVA short-circuit power, X/R 10, H = 5 s on 100 MVA, 5 % droop) ->
// feeder -> SST with a PI loop on its 800 V DC output -> DC/DC -> 130 kW GPU rack, and an AC
// load at the utility's own bus, so that its node's Q balance has more than the network in it.
constexpr const char* thevenin_chain = R"(grid2gpu: 1
name: thevenin chain
frequency: 60 Hz
buses:
  - {id: grid, kind: ac, voltage: 13.8 kV}
  - {id: mv, kind: ac, voltage: 13.8 kV}
  - {id: dc800, kind: dc, voltage: 800 V, capacitance: 5 mF}
  - {id: b54, kind: dc, voltage: 54 V}
components:
  - {id: utility, type: utility, bus: grid, rating: 100 MVA, short_circuit_power: 50 MVA,
     x_r_ratio: 10, inertia: 5 s, frequency_droop: 5 %}
  - {id: aux, type: load, bus: grid, power: 300 kW, reactive_power: 100 kvar}
  - {id: feeder, type: cable, from: grid, to: mv, material: copper, cross_section: 240 mm2,
     length: 50 m}
  - {id: cooling, type: load, bus: mv, power: 200 kW, reactive_power: 60 kvar}
  - {id: sst, type: sst, input: mv, output: dc800, rating: 1 MW, efficiency: 98.5 %,
     power_factor: 0.99, output_capacitance: 50 mF, voltage_bandwidth: 50 Hz, damping: 1.0,
     current_limit: 120 %}
  - {id: dcdc, type: dcdc, input: dc800, output: b54, rating: 150 kW, efficiency: 98 %,
     output_capacitance: 20 mF, voltage_bandwidth: 1 kHz, damping: 0.8, current_limit: 150 %}
  - {id: gpus, type: gpu_rack, bus: b54, it_power: 130 kW, utilisation: 1.0}
)";

// The same chain with a stiff utility that has a frequency model (no short-circuit power).
std::string stiff_inertial_chain() {
  std::string text = thevenin_chain;
  const std::string keys = "short_circuit_power: 50 MVA,\n     x_r_ratio: 10, ";
  text.replace(text.find(keys), keys.size(), "");
  return text;
}

// The same chain, Thevenin without a frequency model.
std::string thevenin_only_chain() {
  std::string text = thevenin_chain;
  const std::string keys = ", inertia: 5 s, frequency_droop: 5 %";
  text.replace(text.find(keys), keys.size(), "");
  return text;
}

using Case = fixtures::SolvedCase;

std::vector<std::string> all_cases() {
  return {thevenin_chain, stiff_inertial_chain(), thevenin_only_chain()};
}

TEST(UtilityDae, TheveninAddsTheSourceNodesUnknowns) {
  Case c(thevenin_chain);
  NetworkDae dae = c.dae();
  std::vector<std::string> names;
  for (std::int64_t k = 0; k < dae.size(); ++k) names.push_back(to_string(dae.names(k)));
  for (const char* expected : {"grid.angle", "grid.v", "utility.dw", "utility.dp_m"})
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  Case stiff(stiff_inertial_chain());
  NetworkDae stiff_dae = stiff.dae();
  std::vector<std::string> stiff_names;
  for (std::int64_t k = 0; k < stiff_dae.size(); ++k)
    stiff_names.push_back(to_string(stiff_dae.names(k)));
  EXPECT_NE(std::find(stiff_names.begin(), stiff_names.end(), "utility.p"), stiff_names.end());
  EXPECT_EQ(std::find(stiff_names.begin(), stiff_names.end(), "grid.v"), stiff_names.end());
}

// t = 0 is the power flow: the EMF that delivers its power at its terminal voltage makes every
// row vanish, and the source's power is the load plus the losses.
TEST(UtilityDae, ResidualIsZeroAtThePowerFlow) {
  for (const auto& text : all_cases()) {
    Case c(text);
    NetworkDae dae = c.dae();
    const auto y0 = dae.initial_y();
    const auto yp0 = dae.initial_yp();
    std::vector<double> f(y0.size());
    dae.residual(0.0, y0, yp0, f);
    for (std::size_t k = 0; k < f.size(); ++k)
      EXPECT_LT(std::fabs(f[k]), 1e-6) << to_string(dae.names(static_cast<std::int64_t>(k)));
    const PowerBalance p = dae.balance(0.0, y0, yp0);
    EXPECT_NEAR(p.source_w, p.load_w + p.loss_w, 1e-6 * p.source_w) << c.model.spec().name;
    EXPECT_NEAR(dae.source_power_w(0, 0.0, y0, yp0), p.source_w, 1e-9 * p.source_w);
    EXPECT_DOUBLE_EQ(dae.source_frequency_hz(0, y0), 60.0);
  }
}

// dF/dy + cj dF/dy' against central differences of F at a point off the operating point.
TEST(UtilityDae, JacobianMatchesFiniteDifferences) {
  for (const auto& text : all_cases()) {
    Case c(text);
    NetworkDae dae = c.dae();
    fixtures::expect_jacobian_matches_differences(dae, c.model.spec().name);
  }
}

// With constant loads nothing moves: every voltage within 1e-8 pu and the frequency within
// 1e-8 Hz of the power flow's over 10 s.
TEST(UtilityDae, ConstantLoadsStayAtThePowerFlow) {
  for (const auto& text : all_cases()) {
    Case c(text);
    NetworkDae dae = c.dae();
    const auto y0 = dae.initial_y();
    Integrator integrator(dae, 0.0, y0, dae.initial_yp(),
                          fixtures::integrator_options(dae, 1e-6, 1e-4, 200000));
    integrator.initial_conditions(1e-4);
    double worst_pu = 0.0;
    double worst_hz = 0.0;
    integrator.advance_to(10.0, [&](const Step& step) {
      for (std::size_t b = 0; b < c.model.spec().buses.size(); ++b) {
        const auto bus = static_cast<model::BusIndex>(b);
        worst_pu = std::max(
            worst_pu, std::fabs(dae.bus_voltage_pu(bus, step.y) - dae.bus_voltage_pu(bus, y0)));
      }
      worst_hz = std::max(worst_hz, std::fabs(dae.source_frequency_hz(0, step.y) - 60.0));
      return true;
    });
    EXPECT_LT(worst_pu, 1e-8) << c.model.spec().name;
    EXPECT_LT(worst_hz, 1e-8) << c.model.spec().name;
  }
}

// The rack drops from 130 to 65 kW in 1 ms at t = 10 ms. The grid power is the power at the
// terminal (the loss in Z_th is the source's own, outside the boundary), so sources = loads +
// losses + d/dt stored holds at every step and over the run; the frequency rises (less load)
// and the terminal voltage too (less drop across Z_th).
TEST(UtilityDae, LoadStepConservesEnergyAtTheTerminal) {
  Case c(thevenin_chain);
  LoadPowers loads;
  loads.function_of_load.assign(c.model.spec().loads.size(), -1);
  loads.function_of_load[c.load("gpus")] =
      loads.add(PiecewiseLinear({{0.0, 130e3}, {0.010, 130e3}, {0.011, 65e3}, {0.5, 65e3}}));
  NetworkDae dae = c.dae(std::move(loads));
  const double v0_pu = dae.bus_voltage_pu(0, dae.initial_y());
  Integrator integrator(dae, 0.0, dae.initial_y(), dae.initial_yp(),
                        fixtures::integrator_options(dae, 1e-7, 1e-4, 200000));
  integrator.initial_conditions(1e-5);
  double worst_imbalance = 0.0;
  double source_j = 0.0;
  double imbalance_j = 0.0;
  double last_t_s = 0.0;
  double last_source_w = dae.balance(0.0, integrator.y(), integrator.yp()).source_w;
  double last_imbalance_w = 0.0;
  for (double edge : dae.load_edges(0.0, 0.5)) {
    if (edge <= integrator.time_s()) continue;
    integrator.advance_to(edge, [&](const Step& step) {
      const PowerBalance p = dae.balance(step.t_s, step.y, step.yp);
      const double imbalance_w =
          p.source_w + p.storage_w - p.load_w - p.loss_w - dae.stored_power_w(step.y, step.yp);
      worst_imbalance = std::max(worst_imbalance, std::fabs(imbalance_w) / p.source_w);
      const double dt_s = step.t_s - last_t_s;
      source_j += 0.5 * dt_s * (p.source_w + last_source_w);
      imbalance_j += 0.5 * dt_s * (imbalance_w + last_imbalance_w);
      last_t_s = step.t_s;
      last_source_w = p.source_w;
      last_imbalance_w = imbalance_w;
      return true;
    });
  }
  EXPECT_LT(worst_imbalance, 1e-4);
  EXPECT_LT(std::fabs(imbalance_j) / source_j, 1e-6);
  const auto y_end = integrator.y();
  EXPECT_GT(dae.source_frequency_hz(0, y_end), 60.0);
  EXPECT_GT(dae.bus_voltage_pu(0, y_end), v0_pu);
}

TEST(UtilityDae, TwoInertialUtilitiesAreRefusedAtTheSecond) {
  // A second island with its own utility (one island cannot have two: the loader refuses it).
  std::string text = thevenin_chain;
  const std::string buses = "components:\n";
  text.replace(text.find(buses), 0, "  - {id: far, kind: ac, voltage: 13.8 kV}\n");
  text +=
      "  - {id: tie, type: utility, bus: far, rating: 100 MVA, inertia: 4 s, "
      "frequency_droop: 4 %}\n"
      "  - {id: far_load, type: load, bus: far, power: 1 MW}\n";
  Case c(text);
  try {
    (void)c.dae();
    FAIL() << "expected a ModelError";
  } catch (const core::ModelError& e) {
    const std::string all = e.diagnostics().to_string();
    EXPECT_NE(all.find("utility 'tie': a second utility with `inertia` (after 'utility')"),
              std::string::npos)
        << all;
    EXPECT_NE(all.find("case.yaml:"), std::string::npos) << all;
  }
}

// The end-to-end run: the rack swings between 30 % and 100 % every second; the summary has the
// largest frequency deviation, the page's chart its envelope, and `utility.f` is recorded. The
// deviation the summary reports is the largest of the recorded frequency's distance from 60 Hz
// (both taken at every step).
TEST(UtilityDae, SimulateReportsTheFrequencyDeviation) {
  const auto model = api::load_model_text(thevenin_chain, api::ModelFormat::yaml, "case.yaml");
  Scenario s;
  s.file = "test.yaml";
  s.name = "swings";
  s.duration_s = 3.0;
  ProfileAssignment a;
  a.loads = {ElementPattern{"gpus", {}}};
  a.profile.pattern = TrainingSteps{
      .period_s = 1.0, .duty = 0.5, .high = 1.0, .low = 0.3, .rise_s = 0.01, .fall_s = 0.01};
  s.profiles.push_back(std::move(a));
  s.metrics.ramp_window_s = 0.1;
  std::string problem;
  auto signal = parse_signal("utility.f", {}, problem);
  ASSERT_TRUE(signal.has_value()) << problem;
  EXPECT_EQ(signal->quantity, SignalQuantity::f);
  s.record = Recording{{*signal}, 0.01};
  const SimulationRun run = simulate(model.spec(), s);
  ASSERT_TRUE(run.summary.max_frequency_deviation_hz.has_value());
  const double deviation_hz = *run.summary.max_frequency_deviation_hz;
  // 91 kW of swing (plus its converters' losses, under 10 %) on 100 MVA at 5 % droop settles at
  // 2.7 mHz; the 0.5 s lag (2 H R) keeps each half period short of that.
  EXPECT_GT(deviation_hz, 1e-4);
  EXPECT_LT(deviation_hz, 1.1 * 0.05 * 0.7 * 130e3 / 100e6 * 60.0);
  ASSERT_EQ(run.envelopes.size(), 3u);
  EXPECT_EQ(run.envelopes[1].name, "utility.f");
  EXPECT_EQ(run.envelopes[1].unit, "Hz");
  EXPECT_EQ(run.envelopes[2].group, "Grid frequency deviation");
  double recorded_hz = 0.0;
  const EnvelopeLevel& finest = run.envelopes[1].levels.back();
  for (std::size_t k = 0; k < finest.min.size(); ++k)
    recorded_hz =
        std::max({recorded_hz, std::fabs(finest.min[k] - 60.0), std::fabs(finest.max[k] - 60.0)});
  EXPECT_NEAR(recorded_hz, deviation_hz, 1e-9);
}

}  // namespace
}  // namespace g2g::dynamic

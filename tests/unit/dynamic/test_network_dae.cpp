// The network DAE: zero residual at the power flow, its analytic Jacobian against finite
// differences, no drift with constant loads, and a load step that the converter's voltage loop
// recovers from while every watt is accounted for.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "g2g/api/model.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/dynamic/ida.hpp"
#include "g2g/dynamic/network_dae.hpp"
#include "g2g/steady/solver.hpp"
#include "jacobian_check.hpp"
#include "solved_case.hpp"

namespace g2g::dynamic {
namespace {

// 800 V DC source -> 50 m cable -> 800 V row bus (2 mF) -> DC/DC with a PI voltage loop
// -> 54 V bus -> 130 kW GPU rack. A constant-power load on a PI-regulated capacitor is stable
// only while the loop's proportional gain exceeds P / V^2 (44.6 S here): a 1 kHz loop on
// 20 mF has Kp = 101 A/V.
constexpr const char* dc_chain = R"(grid2gpu: 1
name: dc chain
buses:
  - {id: src, kind: dc, voltage: 800 V}
  - {id: row, kind: dc, voltage: 800 V, capacitance: 2 mF}
  - {id: b54, kind: dc, voltage: 54 V}
components:
  - {id: feed, type: dc_source, bus: src}
  - {id: cable, type: cable, from: src, to: row, material: copper, cross_section: 240 mm2,
     length: 50 m}
  - {id: dcdc, type: dcdc, input: row, output: b54, rating: 150 kW, efficiency: 98 %,
     input_capacitance: 500 uF, output_capacitance: 20 mF, output_esr: 2 mohm,
     voltage_bandwidth: 1 kHz, damping: 1.0, current_limit: 150 %}
  - {id: gpus, type: gpu_rack, bus: b54, it_power: 130 kW, utilisation: 1.0}
)";

// A utility at 13.8 kV -> feeder -> SST (AC in, PI loop on its 800 V DC output) -> the chain
// above, and an AC load beside the SST.
constexpr const char* hybrid_chain = R"(grid2gpu: 1
name: hybrid chain
frequency: 60 Hz
buses:
  - {id: grid, kind: ac, voltage: 13.8 kV}
  - {id: mv, kind: ac, voltage: 13.8 kV}
  - {id: dc800, kind: dc, voltage: 800 V, capacitance: 5 mF}
  - {id: b54, kind: dc, voltage: 54 V}
components:
  - {id: utility, type: utility, bus: grid}
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

using Case = fixtures::SolvedCase;

void expect_zero_residual_at_power_flow(const char* text) {
  Case c(text);
  NetworkDae dae = c.dae();
  const auto y0 = dae.initial_y();
  const auto yp0 = dae.initial_yp();
  std::vector<double> f(y0.size());
  dae.residual(0.0, y0, yp0, f);
  // Each row in its own unit (A, V, pu): the power flow converged to 1e-10 pu of 1 MVA.
  for (std::size_t k = 0; k < f.size(); ++k)
    EXPECT_LT(std::fabs(f[k]), 1e-6) << to_string(dae.names(static_cast<std::int64_t>(k)));
}

TEST(NetworkDae, ResidualIsZeroAtThePowerFlowDc) {
  expect_zero_residual_at_power_flow(dc_chain);
}

TEST(NetworkDae, ResidualIsZeroAtThePowerFlowHybrid) {
  expect_zero_residual_at_power_flow(hybrid_chain);
}

// dF/dy + cj dF/dy' against central differences of F at a point off the operating point.
void expect_jacobian_matches_differences(const char* text) {
  Case c(text);
  NetworkDae dae = c.dae();
  fixtures::expect_jacobian_matches_differences(dae);
}

TEST(NetworkDae, JacobianMatchesFiniteDifferencesDc) {
  expect_jacobian_matches_differences(dc_chain);
}

TEST(NetworkDae, JacobianMatchesFiniteDifferencesHybrid) {
  expect_jacobian_matches_differences(hybrid_chain);
}

// With constant loads the simulation stays at the power flow: every voltage within 1e-8 pu
// over 10 s.
TEST(NetworkDae, ConstantLoadsStayAtThePowerFlow) {
  for (const char* text : {dc_chain, hybrid_chain}) {
    Case c(text);
    NetworkDae dae = c.dae();
    const auto y0 = dae.initial_y();
    Integrator integrator(dae, 0.0, y0, dae.initial_yp(),
                          fixtures::integrator_options(dae, 1e-6, 1e-5, 200000));
    integrator.initial_conditions(1e-4);
    double worst_pu = 0.0;
    integrator.advance_to(10.0, [&](const Step& step) {
      for (std::size_t b = 0; b < c.model.spec().buses.size(); ++b) {
        const auto bus = static_cast<model::BusIndex>(b);
        worst_pu = std::max(
            worst_pu, std::fabs(dae.bus_voltage_pu(bus, step.y) - dae.bus_voltage_pu(bus, y0)));
      }
      return true;
    });
    EXPECT_LT(worst_pu, 1e-8) << c.model.spec().name;
  }
}

// The rack drops from 130 to 65 kW in 1 ms at t = 10 ms. The 54 V loop brings its bus back to
// the set-point (integral action), and the sources' energy equals the loads', the losses and
// the change of the stored energy: at every step within the solver's tolerance (the balance
// holds exactly in the equations; IDA solves them to its Newton test), and over the run to
// 1e-6 of the energy delivered.
TEST(NetworkDae, LoadStepRecoversAndConservesEnergy) {
  for (const char* text : {dc_chain, hybrid_chain}) {
    Case c(text);
    const auto& spec = c.model.spec();
    LoadPowers loads;
    loads.function_of_load.assign(spec.loads.size(), -1);
    const auto rack =
        static_cast<std::size_t>(std::find_if(spec.loads.begin(), spec.loads.end(),
                                              [](const model::Load& l) { return l.id == "gpus"; }) -
                                 spec.loads.begin());
    loads.function_of_load[rack] =
        loads.add(PiecewiseLinear({{0.0, 130e3}, {0.010, 130e3}, {0.011, 65e3}, {0.2, 65e3}}));
    NetworkDae dae = c.dae(std::move(loads));
    Integrator integrator(dae, 0.0, dae.initial_y(), dae.initial_yp(),
                          fixtures::integrator_options(dae, 1e-7, 1e-5, 200000));
    integrator.initial_conditions(1e-5);
    const auto b54 = static_cast<model::BusIndex>(
        std::find_if(spec.buses.begin(), spec.buses.end(),
                     [](const model::Bus& b) { return b.id == "b54"; }) -
        spec.buses.begin());
    double peak_v_pu = 0.0;
    bool lowest_found = true;
    double worst_imbalance = 0.0;
    double source_j = 0.0;
    double imbalance_j = 0.0;
    double last_t_s = 0.0;
    double last_source_w = dae.balance(0.0, integrator.y(), integrator.yp()).source_w;
    double last_imbalance_w = 0.0;
    for (double edge : dae.load_edges(0.0, 0.2)) {
      if (edge <= integrator.time_s()) continue;
      integrator.advance_to(edge, [&](const Step& step) {
        peak_v_pu = std::max(peak_v_pu, dae.bus_voltage_pu(b54, step.y));
        // The summary's lowest voltage: the first bus with the least voltage above 0.
        NetworkDae::LowestBus scan{-1, std::numeric_limits<double>::infinity()};
        for (std::size_t b = 0; b < spec.buses.size(); ++b) {
          const auto bus = static_cast<model::BusIndex>(b);
          if (const double v = dae.bus_voltage_pu(bus, step.y); v > 0.0 && v < scan.v_pu)
            scan = {bus, v};
        }
        const auto lowest = dae.lowest_bus_voltage_pu(step.y);
        lowest_found =
            lowest_found && scan.bus >= 0 && lowest.bus == scan.bus && lowest.v_pu == scan.v_pu;
        const PowerBalance p = dae.balance(step.t_s, step.y, step.yp);
        const double stored_w = dae.stored_power_w(step.y, step.yp);
        const double imbalance_w = p.source_w + p.storage_w - p.load_w - p.loss_w - stored_w;
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
    const auto y_end = integrator.y();
    EXPECT_GT(peak_v_pu, 1.001) << spec.name << ": the load drop lifts the 54 V bus";
    EXPECT_TRUE(lowest_found) << spec.name;
    EXPECT_NEAR(dae.bus_voltage_pu(b54, y_end), 1.0, 1e-5) << spec.name;
    EXPECT_LT(worst_imbalance, 1e-4) << spec.name;
    EXPECT_LT(std::fabs(imbalance_j) / source_j, 1e-6) << spec.name;
    const auto stats = integrator.stats();
    EXPECT_GT(stats.steps, 10);
  }
}

TEST(NetworkDae, MissingDynamicDataIsListedAtEveryElement) {
  std::string text = dc_chain;
  const std::string keys =
      "output_capacitance: 20 mF, output_esr: 2 mohm,\n     voltage_bandwidth: 1 kHz, ";
  text.replace(text.find(keys), keys.size(), "");
  Case c(text);
  try {
    (void)c.dae();
    FAIL() << "expected a ModelError";
  } catch (const core::ModelError& e) {
    const std::string all = e.diagnostics().to_string();
    EXPECT_NE(all.find("converter 'dcdc' needs `output_capacitance`"), std::string::npos) << all;
    EXPECT_NE(all.find("converter 'dcdc' needs `voltage_bandwidth`"), std::string::npos) << all;
    EXPECT_NE(all.find("case.yaml:"), std::string::npos) << all;
  }
}

}  // namespace
}  // namespace g2g::dynamic

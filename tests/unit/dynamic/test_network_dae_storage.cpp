// Storage in the network DAE: a battery and a supercapacitor behind their ideal converters, held
// at a set-point or controlled (grid smoothing, voltage support). Checked against closed forms
// (constant-power discharge of a battery and of a supercapacitor), the analytic Jacobian against
// finite differences, the state-of-charge bound as a state event, and the grid-smoothing
// control's promise: the grid follows its ramp-limited reference.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "g2g/api/model.hpp"
#include "g2g/dynamic/ida.hpp"
#include "g2g/dynamic/network_dae.hpp"
#include "g2g/steady/solver.hpp"
#include "jacobian_check.hpp"
#include "solved_case.hpp"

namespace g2g::dynamic {
namespace {

// 800 V DC source -> 50 m cable -> 800 V bus (2 mF) with a 300 kW load (constant power unless
// `load_model` says otherwise) and storage.
std::string dc_bus_with(const std::string& storage, const std::string& load_model = "") {
  return R"(grid2gpu: 1
name: dc bus with storage
buses:
  - {id: src, kind: dc, voltage: 800 V}
  - {id: row, kind: dc, voltage: 800 V, capacitance: 2 mF}
components:
  - {id: feed, type: dc_source, bus: src}
  - {id: cable, type: cable, from: src, to: row, material: copper, cross_section: 240 mm2,
     length: 50 m}
  - {id: it, type: load, bus: row, power: 300 kW)" +
         load_model + "}\n" + storage;
}

// The utility's keys beyond its bus: stiff (none), Thevenin, or stiff with inertia.
constexpr const char* stiff_utility = "";
constexpr const char* thevenin_utility = ", short_circuit_power: 20 MVA, x_r_ratio: 10";
constexpr const char* inertial_utility = ", rating: 10 MVA, inertia: 5 s, frequency_droop: 5 %";

// A utility at 13.8 kV -> feeder -> SST with a PI loop on its 800 V output -> a DC/DC -> a 130 kW
// GPU rack, and storage on the 800 V bus.
std::string hybrid_with(const std::string& storage, const std::string& utility = stiff_utility) {
  return R"(grid2gpu: 1
name: hybrid with storage
frequency: 60 Hz
buses:
  - {id: grid, kind: ac, voltage: 13.8 kV}
  - {id: mv, kind: ac, voltage: 13.8 kV}
  - {id: dc800, kind: dc, voltage: 800 V, capacitance: 5 mF}
  - {id: b54, kind: dc, voltage: 54 V}
components:
  - {id: utility, type: utility, bus: grid)" +
         utility + R"(}
  - {id: feeder, type: cable, from: grid, to: mv, material: copper, cross_section: 240 mm2,
     length: 50 m}
  - {id: sst, type: sst, input: mv, output: dc800, rating: 1 MW, efficiency: 98.5 %,
     power_factor: 0.99, output_capacitance: 50 mF, voltage_bandwidth: 50 Hz, damping: 1.0,
     current_limit: 120 %}
  - {id: dcdc, type: dcdc, input: dc800, output: b54, rating: 150 kW, efficiency: 98 %,
     output_capacitance: 20 mF, voltage_bandwidth: 1 kHz, damping: 0.8, current_limit: 150 %}
  - {id: gpus, type: gpu_rack, bus: b54, it_power: 130 kW, utilisation: 1.0}
)" + storage;
}

// A flat 750 V OCV makes the battery's discharge at constant power a closed form.
constexpr const char* flat_battery =
    "  - {id: bess, type: storage, bus: row, power: 100 kW, rating: 200 kW, technology: battery,\n"
    "     ocv: [[0, 750 V], [1, 750 V]], internal_resistance: 50 mohm, capacity: 100 Ah,\n"
    "     soc_initial: 50 %}\n";

using Case = fixtures::SolvedCase;

TEST(NetworkDaeStorage, ResidualIsZeroAtThePowerFlow) {
  Case c(dc_bus_with(flat_battery));
  NetworkDae dae = c.dae();
  std::vector<double> f(dae.initial_y().size());
  dae.residual(0.0, dae.initial_y(), dae.initial_yp(), f);
  for (std::size_t k = 0; k < f.size(); ++k) {
    // The SOC row holds -SOC' = i / capacity: the battery discharges from the start.
    if (dae.names(static_cast<std::int64_t>(k)).state == "soc") continue;
    EXPECT_LT(std::fabs(f[k]), 1e-6) << to_string(dae.names(static_cast<std::int64_t>(k)));
  }
  EXPECT_NEAR(dae.storage_power_w(0, dae.initial_y()), 100e3, 1e-9);
  EXPECT_NEAR(dae.storage_soc(0, dae.initial_y()), 0.5, 1e-12);
}

// At constant power P from a flat OCV E through R the current is constant,
// i = (E - sqrt(E^2 - 4 R P)) / 2R, so SOC falls linearly: SOC(t) = SOC0 - i t / Q. The energy the
// cell gives, E Q (SOC0 - SOC), is what reaches the bus plus what R dissipates.
TEST(NetworkDaeStorage, BatteryAtConstantPowerMatchesTheClosedForm) {
  Case c(dc_bus_with(flat_battery));
  NetworkDae dae = c.dae();
  Integrator integrator(dae, 0.0, dae.initial_y(), dae.initial_yp(),
                        fixtures::integrator_options(dae, 1e-8, 1e-4, 0));
  integrator.initial_conditions(1e-4);
  const double e_v = 750.0;
  const double r_ohm = 0.05;
  const double p_w = 100e3;
  const double q_c = 100.0 * 3600.0;
  const double i_a = (e_v - std::sqrt(e_v * e_v - 4.0 * r_ohm * p_w)) / (2.0 * r_ohm);
  double delivered_j = 0.0;
  double lost_j = 0.0;
  double last_t = 0.0;
  double last_p = dae.storage_power_w(0, integrator.y());
  double last_loss = dae.storage_loss_w(0, integrator.y());
  integrator.advance_to(600.0, [&](const Step& step) {
    const double dt = step.t_s - last_t;
    const double p = dae.storage_power_w(0, step.y);
    const double loss = dae.storage_loss_w(0, step.y);
    delivered_j += 0.5 * dt * (p + last_p);
    lost_j += 0.5 * dt * (loss + last_loss);
    last_t = step.t_s;
    last_p = p;
    last_loss = loss;
    return true;
  });
  const double soc_end = dae.storage_soc(0, integrator.y());
  const double expected_drop = i_a * 600.0 / q_c;
  EXPECT_NEAR(0.5 - soc_end, expected_drop, 1e-6 * expected_drop);
  const double cell_j = e_v * q_c * (0.5 - soc_end);
  EXPECT_NEAR(delivered_j + lost_j, cell_j, 1e-6 * cell_j);
  EXPECT_NEAR(lost_j, r_ohm * i_a * i_a * 600.0, 1e-6 * lost_j);
}

// A supercapacitor (C, ESR) at constant power P: the branch current is
// i(v) = (v - sqrt(v^2 - a)) / 2R with a = 4 R P, and C dv/dt = -i gives
// t = (2 R C / a) [F(v0) - F(v)], F(v) = v^2/2 + v sqrt(v^2 - a)/2 - a/2 ln(v + sqrt(v^2 - a)).
TEST(NetworkDaeStorage, SupercapacitorAtConstantPowerMatchesTheClosedForm) {
  Case c(dc_bus_with(
      "  - {id: sc, type: storage, bus: row, power: 100 kW, rating: 200 kW,\n"
      "     technology: supercapacitor, capacitance: 10 F, esr: 100 mohm, soc_initial: 81 %}\n"));
  NetworkDae dae = c.dae();
  Integrator integrator(dae, 0.0, dae.initial_y(), dae.initial_yp(),
                        fixtures::integrator_options(dae, 1e-8, 1e-4, 0));
  integrator.initial_conditions(1e-4);
  const double t_end = 5.0;
  integrator.advance_to(t_end, [](const Step&) { return true; });
  const double r = 0.1, c_f = 10.0, p = 100e3, a = 4.0 * r * p;
  const auto f = [a](double v) {
    const double root = std::sqrt(v * v - a);
    return 0.5 * v * v + 0.5 * v * root - 0.5 * a * std::log(v + root);
  };
  const double v0 = 800.0 * 0.9;
  const double v_end = 800.0 * std::sqrt(dae.storage_soc(0, integrator.y()));
  EXPECT_LT(v_end, v0 - 10.0);
  EXPECT_NEAR(2.0 * r * c_f / a * (f(v0) - f(v_end)), t_end, 1e-6 * t_end);
}

TEST(NetworkDaeStorage, JacobianMatchesFiniteDifferencesForEveryControl) {
  // Grid smoothing (ramp-limited and low-pass) of a battery with an RC pair, on the hybrid chain
  // whose grid power is an AC slack's balance; voltage support of a supercapacitor.
  const std::string storage =
      "  - {id: bess, type: storage, bus: dc800, power: 20 kW, rating: 300 kW,\n"
      "     technology: battery, ocv: [[0, 700 V], [0.5, 780 V], [1, 820 V]],\n"
      "     internal_resistance: 50 mohm, rc_pair: {resistance: 20 mohm, capacitance: 500 F},\n"
      "     capacity: 100 Ah, soc_initial: 60 %, max_current: 500 A}\n"
      "  - {id: sc, type: storage, bus: dc800, power: 0 W, rating: 100 kW,\n"
      "     technology: supercapacitor, capacitance: 5 F, esr: 50 mohm, soc_initial: 70 %}\n";
  for (const char* utility : {stiff_utility, thevenin_utility, inertial_utility}) {
    Case c(hybrid_with(storage, utility));
    for (const bool ramp : {true, false}) {
      StorageGroup smoothing;
      smoothing.mode = StorageGroup::Mode::grid_smoothing;
      smoothing.members = {0};
      smoothing.bandwidth_hz = 10.0;
      if (ramp)
        smoothing.grid_ramp_limit_w_per_s = 1e9;  // the reference's slope stays inside the limit
      else
        smoothing.grid_time_constant_s = 2.0;
      smoothing.soc_target = 0.5;
      smoothing.soc_restore_time_s = 60.0;
      StorageGroup support;
      support.mode = StorageGroup::Mode::voltage_support;
      support.members = {1};
      support.droop_pu = 0.02;
      NetworkDae dae = c.dae({}, {smoothing, support});
      fixtures::expect_jacobian_matches_differences(
          dae,
          std::string(ramp ? "ramp-limited" : "low-pass") + " with utility keys '" + utility + "'");
    }
  }
}

// A small battery discharging at its set-point empties: the SOC root stops it at soc_min, its
// power goes to zero and the source takes the whole load.
TEST(NetworkDaeStorage, EmptyBatteryStopsAtItsSocBound) {
  Case c(dc_bus_with(
      "  - {id: bess, type: storage, bus: row, power: 100 kW, rating: 200 kW, technology: "
      "battery,\n"
      "     ocv: [[0, 740 V], [1, 760 V]], internal_resistance: 50 mohm, capacity: 2 Ah,\n"
      "     soc_initial: 30 %, soc_min: 20 %}\n"));
  NetworkDae dae = c.dae();
  ASSERT_EQ(dae.roots(), 4);  // soc_min, soc_max and the command's clamp bounds
  Integrator integrator(dae, 0.0, dae.initial_y(), dae.initial_yp(),
                        fixtures::integrator_options(dae, 1e-7, 1e-4, 0));
  integrator.initial_conditions(1e-4);
  double event_t = -1.0;
  integrator.advance_to(20.0, [&](const Step& step) {
    if (step.kind == StepKind::event && event_t < 0.0) event_t = step.t_s;
    return true;
  });
  // 0.1 of 2 Ah at i = P / (E - R i) with E about 743 V: about 5.4 s.
  const double e_v = 740.0 + 20.0 * 0.25;  // OCV at the SOC midway, for the estimate only
  const double i_a = (e_v - std::sqrt(e_v * e_v - 4.0 * 0.05 * 100e3)) / 0.1;
  EXPECT_NEAR(event_t, 0.1 * 2.0 * 3600.0 / i_a, 0.02 * 0.1 * 2.0 * 3600.0 / i_a);
  EXPECT_NEAR(dae.storage_soc(0, integrator.y()), 0.2, 1e-6);
  EXPECT_NEAR(dae.storage_power_w(0, integrator.y()), 0.0, 1e-3);
  EXPECT_EQ(integrator.stats().events, 1);
}

// A battery discharging at 100 kW behind a converter limited to 130 A at its bus: a resistive
// load stepped to 6 MW at the bus pulls it below 100 kW / 130 A = 769 V, and the storage then
// gives exactly 130 A times the bus voltage (the bound, a closed form at every point), with the
// analytic Jacobian still matching finite differences there. A set-point above the bound at
// the power flow is refused when the DAE is built.
TEST(NetworkDaeStorage, BusCurrentLimitBoundsThePowerByTheBusVoltage) {
  const std::string battery =
      "  - {id: bess, type: storage, bus: row, power: 100 kW, rating: 200 kW, technology: "
      "battery,\n"
      "     ocv: [[0, 750 V], [1, 750 V]], internal_resistance: 50 mohm, capacity: 100 Ah,\n"
      "     soc_initial: 50 %, bus_current_limit: 130 A}\n";
  Case c(dc_bus_with(battery, ", model: constant_impedance"));
  LoadPowers powers;
  powers.function_of_load.push_back(
      powers.add(PiecewiseLinear({{0.0, 300e3}, {0.1, 300e3}, {0.1, 6e6}, {1.0, 6e6}})));
  NetworkDae dae = c.dae(std::move(powers));
  Integrator integrator(dae, 0.0, dae.initial_y(), dae.initial_yp(),
                        fixtures::integrator_options(dae, 1e-8, 1e-4, 0));
  integrator.initial_conditions(1e-4);
  const auto row = static_cast<model::BusIndex>(1);
  EXPECT_NEAR(dae.storage_power_w(0, integrator.y()), 100e3, 1e-6 * 100e3);
  integrator.advance_to(0.1, [](const Step&) { return true; });
  integrator.initial_conditions(0.1 + 1e-7);
  double worst = 0.0;
  integrator.advance_to(0.5, [&](const Step& step) {
    const double v = dae.bus_voltage_pu(row, step.y) * 800.0;
    if (step.t_s > 0.11 && v < 100e3 / 130.0 * 0.999)
      worst = std::max(worst, std::fabs(dae.storage_power_w(0, step.y) - 130.0 * v) / 100e3);
    return true;
  });
  const double v_end = dae.bus_voltage_pu(row, integrator.y()) * 800.0;
  ASSERT_LT(v_end, 100e3 / 130.0 * 0.99) << "the step must pull the bus below the bound";
  EXPECT_NEAR(dae.storage_power_w(0, integrator.y()), 130.0 * v_end, 1e-6 * 100e3);
  EXPECT_LT(worst, 1e-6);
  const std::vector<double> y(integrator.y().begin(), integrator.y().end());
  const std::vector<double> yp(integrator.yp().begin(), integrator.yp().end());
  fixtures::expect_jacobian_matches_differences(dae, y, yp, "bus current limit active");

  // Above the bound at the power flow: refused when the DAE is built, at the storage.
  std::string over = battery;
  over.replace(over.find("130 A"), 5, "100 A");
  Case too_low(dc_bus_with(over, ", model: constant_impedance"));
  try {
    (void)too_low.dae();
    ADD_FAILURE() << "a set-point above the bus current limit must be refused";
  } catch (const core::ModelError& e) {
    EXPECT_NE(e.diagnostics().items().front().message.find("beyond its bus_current_limit 100 A"),
              std::string::npos)
        << e.diagnostics().items().front().message;
  }
}

// The hybrid chain with a 300 kW battery on its 800 V bus.
constexpr const char* smoothing_battery =
    "  - {id: bess, type: storage, bus: dc800, power: 0 W, rating: 300 kW, technology: battery,\n"
    "     ocv: [[0, 700 V], [1, 820 V]], internal_resistance: 20 mohm, capacity: 200 Ah,\n"
    "     soc_initial: 50 %}\n";

// The rack stepping from 130 to 30 kW in 5 ms at step_s, held to end_s.
LoadPowers rack_step(const Case& c, double step_s, double end_s) {
  LoadPowers loads;
  loads.function_of_load.assign(c.model.spec().loads.size(), -1);
  loads.function_of_load[c.load("gpus")] = loads.add(
      PiecewiseLinear({{0.0, 130e3}, {step_s, 130e3}, {step_s + 0.005, 30e3}, {end_s, 30e3}}));
  return loads;
}

// Grid smoothing of storage element 0 with a 10 Hz loop and a SOC target of 50 %.
StorageGroup smoothing_of_first(double soc_restore_time_s) {
  StorageGroup smoothing;
  smoothing.mode = StorageGroup::Mode::grid_smoothing;
  smoothing.members = {0};
  smoothing.bandwidth_hz = 10.0;
  smoothing.soc_target = 0.5;
  smoothing.soc_restore_time_s = soc_restore_time_s;
  return smoothing;
}

// The rack steps from 130 to 30 kW at t = 0.5 s. With a 100 kW/s grid ramp limit the battery
// takes the step and hands it to the grid at the limit: once the storage's 10 Hz loop has
// caught up, the grid power follows the reference within a small fraction of the step, and the
// grid never ramps faster than the limit (plus what the loop lets through in its first 50 ms).
// The same behind a Thevenin utility (20 MVA, X/R 10) and behind a stiff one with inertia, whose
// delivered power is a function of unknowns rather than a fixed node's balance.
class GridSmoothingBehindEachUtility : public testing::TestWithParam<const char*> {};

TEST_P(GridSmoothingBehindEachUtility, HoldsTheGridToItsRampLimit) {
  Case c(hybrid_with(smoothing_battery, GetParam()));
  StorageGroup smoothing = smoothing_of_first(3600.0);
  smoothing.grid_ramp_limit_w_per_s = 100e3;
  NetworkDae dae = c.dae(rack_step(c, 0.5, 3.0), {smoothing});
  Integrator integrator(dae, 0.0, dae.initial_y(), dae.initial_yp(),
                        fixtures::integrator_options(dae, 1e-6, 1e-4, 0));
  integrator.initial_conditions(1e-4);
  const double grid0_w = dae.grid_power_w(0.0, integrator.y(), integrator.yp());
  std::vector<std::pair<double, double>> grid;  // (t, W)
  double peak_storage_charge_w = 0.0;
  for (double stop : {0.5, 0.505, 3.0}) {
    integrator.advance_to(stop, [&](const Step& step) {
      grid.emplace_back(step.t_s, dae.grid_power_w(step.t_s, step.y, step.yp));
      peak_storage_charge_w = std::min(peak_storage_charge_w, dae.storage_power_w(0, step.y));
      return true;
    });
  }
  // The storage charges: it absorbs the drop, about 100 kW plus the losses it saves.
  EXPECT_LT(peak_storage_charge_w, -80e3);
  // What the loop lets through decays as e^(-t/tau) with slope (step / tau) e^(-t/tau): below
  // 5 % of the limit after ln(100 kW / 16 ms / 5 kW/s) = 7.1 tau = 113 ms. From 150 ms after
  // the edge to the end the grid's slope stays within the limit (+5 %), and it does ramp.
  const double limit = 100e3;
  double steepest = 0.0;
  for (std::size_t k = 1; k < grid.size(); ++k) {
    const auto [t0, p0] = grid[k - 1];
    const auto [t1, p1] = grid[k];
    if (t0 < 0.655 || t1 - t0 < 1e-4) continue;
    steepest = std::max(steepest, std::fabs(p1 - p0) / (t1 - t0));
    EXPECT_LE(std::fabs(p1 - p0) / (t1 - t0), 1.05 * limit) << "at t = " << t1;
  }
  EXPECT_GT(steepest, 0.9 * limit);
  // By the end (2.5 s after the step, a 100 kW drop at 100 kW/s takes about 1 s) the grid has
  // settled on the lower demand and the storage has stopped charging.
  const double grid_end_w = grid.back().second;
  EXPECT_LT(grid_end_w, grid0_w - 90e3);
  EXPECT_NEAR(dae.storage_power_w(0, integrator.y()), 0.0, 2e3);
}

INSTANTIATE_TEST_SUITE_P(NetworkDaeStorage, GridSmoothingBehindEachUtility,
                         testing::Values(stiff_utility, thevenin_utility, inertial_utility),
                         [](const testing::TestParamInfo<const char*>& info) {
                           return std::string(info.index == 0   ? "Stiff"
                                              : info.index == 1 ? "Thevenin"
                                                                : "Inertial");
                         });

// Energy through a grid-smoothed load step: what the sources and the storage deliver at their
// terminals equals the loads, the network's losses and the change of its stored energy, at every
// step within the Newton tolerance and over the run to 1e-6 of the energy delivered.
TEST(NetworkDaeStorage, GridSmoothingConservesEnergy) {
  Case c(hybrid_with(smoothing_battery));
  StorageGroup smoothing = smoothing_of_first(600.0);
  smoothing.grid_time_constant_s = 1.0;
  NetworkDae dae = c.dae(rack_step(c, 0.1, 0.6), {smoothing});
  Integrator integrator(dae, 0.0, dae.initial_y(), dae.initial_yp(),
                        fixtures::integrator_options(dae, 1e-8, 1e-4, 0));
  integrator.initial_conditions(1e-5);
  double delivered_j = 0.0;
  double imbalance_j = 0.0;
  double worst = 0.0;
  double last_t = 0.0;
  double last_delivered_w = 0.0;
  double last_imbalance_w = 0.0;
  bool first = true;
  for (double stop : {0.1, 0.105, 0.6}) {
    integrator.advance_to(stop, [&](const Step& step) {
      const PowerBalance p = dae.balance(step.t_s, step.y, step.yp);
      const double delivered_w = p.source_w + p.storage_w;
      const double imbalance_w =
          delivered_w - p.load_w - p.loss_w - dae.stored_power_w(step.y, step.yp);
      worst = std::max(worst, std::fabs(imbalance_w) / delivered_w);
      if (!first) {
        delivered_j += 0.5 * (step.t_s - last_t) * (delivered_w + last_delivered_w);
        imbalance_j += 0.5 * (step.t_s - last_t) * (imbalance_w + last_imbalance_w);
      }
      first = false;
      last_t = step.t_s;
      last_delivered_w = delivered_w;
      last_imbalance_w = imbalance_w;
      return true;
    });
  }
  EXPECT_LT(worst, 1e-4);
  EXPECT_LT(std::fabs(imbalance_j) / delivered_j, 1e-6);
  EXPECT_LT(dae.storage_power_w(0, integrator.y()), -50e3) << "the battery takes the drop";
}

TEST(NetworkDaeStorage, ControlledStorageWithoutItsModelIsListed) {
  Case c(hybrid_with("  - {id: bess, type: storage, bus: dc800, power: 0 W, rating: 300 kW}\n"));
  StorageGroup support;
  support.mode = StorageGroup::Mode::voltage_support;
  support.members = {0};
  support.droop_pu = 0.02;
  try {
    (void)c.dae({}, {support});
    FAIL() << "expected a ModelError";
  } catch (const core::ModelError& e) {
    const std::string all = e.diagnostics().to_string();
    EXPECT_NE(all.find("storage 'bess' needs `technology`"), std::string::npos) << all;
  }
  // Held at its set-point (no group, no technology) it needs nothing.
  EXPECT_NO_THROW((void)c.dae());
}

}  // namespace
}  // namespace g2g::dynamic

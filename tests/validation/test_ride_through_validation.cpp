// Ride-through against a closed form: a DC link C fed by a constant current I (a converter held
// at its current limit) and drained by a constant power P (the loads behind regulated
// converters) falls as C v dv/dt = I v - P, so from v1 it reaches v2 after
//   t = C [ (v2 - v1) / I + (P / I^2) ln((P - I v2) / (P - I v1)) ],
// which for I -> 0 is the plain hold-up C (v1^2 - v2^2) / (2 P). The converter with
// undervoltage_off must turn off at that time. docs/validation.md § Ride-through.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "g2g/api/model.hpp"
#include "g2g/dynamic/ida.hpp"
#include "g2g/dynamic/network_dae.hpp"
#include "g2g/steady/solver.hpp"

namespace g2g::dynamic {
namespace {

// 800 V -> a feeder limited to 300 A -> the 400 V link `a` (the feeder's 10 mF and the psu's
// 2 mF input capacitor, no ESR: one 12 mF node) -> a psu (off below 320 V) -> 54 V -> a 50 kW
// rack. A heater on `a` steps from 1 kW to 90 kW at 10 ms: 141 kW at 400 V wants 353 A, so the
// feeder saturates and `a` falls to 320 V.
constexpr const char* ride_case = R"(grid2gpu: 1
name: ride-through closed form
buses:
  - {id: src, kind: dc, voltage: 800 V}
  - {id: a, kind: dc, voltage: 400 V}
  - {id: b, kind: dc, voltage: 54 V}
components:
  - {id: feed, type: dc_source, bus: src}
  - {id: feeder, type: dcdc, input: src, output: a, rating: 100 kW, efficiency: 98 %,
     output_capacitance: 10 mF, voltage_bandwidth: 500 Hz, damping: 1.0, current_limit: 300 A}
  - {id: psu, type: dcdc, input: a, output: b, rating: 60 kW, efficiency: 98 %,
     input_capacitance: 2 mF, output_capacitance: 20 mF, output_esr: 1 mohm,
     voltage_bandwidth: 1 kHz, damping: 1.0, current_limit: 150 %,
     undervoltage_off: 320 V, undervoltage_on: 360 V, restart_delay: 20 ms}
  - {id: rack, type: load, bus: b, power: 50 kW}
  - {id: heater, type: load, bus: a, power: 1 kW}
)";

// The time for C v dv/dt = I v - P to take v from v1 to v2 (both below P / I).
double discharge_time_s(double c_f, double i_a, double p_w, double v1, double v2) {
  return c_f *
         ((v2 - v1) / i_a + p_w / (i_a * i_a) * std::log((p_w - i_a * v2) / (p_w - i_a * v1)));
}

TEST(RideThroughValidation, TurnOffTimeMatchesTheDcLinkDischarge) {
  const api::ValidatedModel model =
      api::load_model_text(ride_case, api::ModelFormat::yaml, "case.yaml");
  const auto& spec = model.spec();
  steady::Solver solver(spec);
  (void)solver.solve();
  const auto index = [](const auto& list, const std::string& id) {
    return static_cast<std::size_t>(
        std::find_if(list.begin(), list.end(), [&](const auto& e) { return e.id == id; }) -
        list.begin());
  };
  LoadPowers loads;
  loads.function_of_load.assign(spec.loads.size(), -1);
  const double heater_w = 90e3;
  loads.function_of_load[index(spec.loads, "heater")] =
      loads.add(PiecewiseLinear({{0.0, 1e3}, {0.010, 1e3}, {0.010, heater_w}, {1.0, heater_w}}));
  NetworkDae dae(spec, solver.network(), solver.state(), std::move(loads));
  const auto node_a =
      steady::node_of(solver.network(), static_cast<model::BusIndex>(index(spec.buses, "a")));
  const auto v_a = static_cast<std::size_t>(dae.dc_voltage_unknown(node_a));
  int limit_root = -1, off_root = -1;
  for (int r = 0; r < dae.roots(); ++r) {
    if (dae.root_name(r).element == "feeder" && dae.root_name(r).state == "i_max") limit_root = r;
    if (dae.root_name(r).element == "psu" && dae.root_name(r).state == "undervoltage_off")
      off_root = r;
  }
  ASSERT_GE(limit_root, 0);
  ASSERT_GE(off_root, 0);

  IntegratorOptions options;
  options.relative_tolerance = 1e-9;
  options.absolute_tolerances = dae.absolute_tolerances(1e-9);
  options.max_steps = 500000;
  options.event_horizon_s = 1e-6;
  Integrator integrator(dae, 0.0, dae.initial_y(), dae.initial_yp(), options);
  integrator.initial_conditions(1e-6);
  std::optional<double> saturated_s, off_s;
  double v_saturated = 0.0;
  const auto on_step = [&](const Step& step) {
    if (step.kind != StepKind::event) return true;
    if (step.roots[static_cast<std::size_t>(limit_root)] > 0 && !saturated_s) {
      saturated_s = step.t_s;
      v_saturated = step.y[v_a];
    }
    if (step.roots[static_cast<std::size_t>(off_root)] < 0 && !off_s) off_s = step.t_s;
    return !off_s;  // stop at the turn-off
  };
  integrator.advance_to(0.010, on_step);
  integrator.initial_conditions(0.010 + 1e-6);
  integrator.advance_to(0.1, on_step);
  ASSERT_TRUE(saturated_s && off_s);

  // What `a` feeds once the feeder is at its limit: the heater and the psu's input, its
  // regulated 50 kW plus the loss of the efficiency curve the power flow uses.
  const auto psu = index(spec.converters, "psu");
  const double psu_in_w = 50e3 + solver.network().converters[psu].loss.at(50e3).loss_w;
  const double c_f = 10e-3 + 2e-3;
  const double expected_s = discharge_time_s(c_f, 300.0, heater_w + psu_in_w, v_saturated, 320.0);
  const double simulated_s = *off_s - *saturated_s;
  RecordProperty("expected_ms", std::to_string(1e3 * expected_s));
  RecordProperty("simulated_ms", std::to_string(1e3 * simulated_s));
  RecordProperty("relative_error",
                 fmt::format("{:.2e}", std::fabs(simulated_s / expected_s - 1.0)));
  EXPECT_GT(expected_s, 5e-3);  // a real discharge, not an instant trip
  EXPECT_NEAR(simulated_s, expected_s, 1e-6 * expected_s)
      << "saturated at " << *saturated_s << " s, " << v_saturated << " V";
}

}  // namespace
}  // namespace g2g::dynamic

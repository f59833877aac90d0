// A converter's input current limit against its closed-form operating point (docs/validation.md
// § Converter input current limit). A source E behind a resistance R_s feeds a converter (one
// efficiency point eta) whose output feeds a resistance R_load. When the load asks more than the
// source can pass (E^2 / (4 R_s) < P / eta: without a limit the input has no solution), the
// converter draws its input limit I and settles at
//   v_in = E - R_s I,   p_out = eta v_in I,   v_out = sqrt(p_out R_load).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "g2g/api/model.hpp"
#include "g2g/components/conductor.hpp"
#include "g2g/components/input_current_limit.hpp"
#include "g2g/dynamic/ida.hpp"
#include "g2g/dynamic/network_dae.hpp"
#include "g2g/steady/solver.hpp"

namespace g2g::dynamic {
namespace {

// 800 V behind 2 ohm -> psu (100 kW, 98 %, 150 % limit) -> 54 V -> a resistor drawing 50 kW at
// 54 V, stepped to 150 kW at 54 V (0.0194 ohm) at 10 ms.
constexpr const char* limit_case = R"(grid2gpu: 1
name: input current limit closed form
buses:
  - {id: src, kind: dc, voltage: 800 V}
  - {id: a, kind: dc, voltage: 800 V}
  - {id: b, kind: dc, voltage: 54 V}
components:
  - {id: feed, type: dc_source, bus: src}
  - {id: weak, type: line, from: src, to: a, resistance: 2 ohm}
  - {id: psu, type: dcdc, input: a, output: b, rating: 100 kW, efficiency: 98 %,
     output_capacitance: 20 mF, output_esr: 1 mohm, voltage_bandwidth: 1 kHz, damping: 1.0,
     current_limit: 150 %}
  - {id: rack, type: load, bus: b, model: constant_impedance, power: 50 kW}
)";

template <typename List>
std::size_t index_of(const List& list, const std::string& id) {
  return static_cast<std::size_t>(
      std::find_if(list.begin(), list.end(), [&](const auto& e) { return e.id == id; }) -
      list.begin());
}

TEST(InputLimitValidation, ConstantPowerConverterSettlesAtItsInputLimit) {
  const api::ValidatedModel model =
      api::load_model_text(limit_case, api::ModelFormat::yaml, "case.yaml");
  const auto& spec = model.spec();
  steady::Solver solver(spec);
  (void)solver.solve();
  const double load_w = 150e3, v_out_nominal = 54.0, eta = 0.98, e_v = 800.0;
  LoadPowers loads;
  loads.function_of_load.assign(spec.loads.size(), -1);
  loads.function_of_load[index_of(spec.loads, "rack")] =
      loads.add(PiecewiseLinear({{0.0, 50e3}, {0.010, 50e3}, {0.010, load_w}, {1.0, load_w}}));
  NetworkDae dae(spec, solver.network(), solver.state(), std::move(loads));

  const double r_s_ohm = components::line_resistance_ohm(spec.lines[index_of(spec.lines, "weak")],
                                                         model::BusKind::dc, 0.0);
  const auto psu = index_of(spec.converters, "psu");
  const double i_max_a = 1.5 * 100e3 / v_out_nominal;
  const double i_in_a = components::input_current_limit_a(solver.network().converters[psu].loss,
                                                          i_max_a, v_out_nominal, e_v);
  EXPECT_NEAR(i_in_a, i_max_a * v_out_nominal / (eta * e_v), 1e-9 * i_in_a);
  // Without the limit there is no operating point: the source passes at most E^2 / (4 R_s).
  ASSERT_LT(e_v * e_v / (4.0 * r_s_ohm), load_w / eta);

  const auto column = [&](const std::string& bus) {
    return static_cast<std::size_t>(dae.dc_voltage_unknown(steady::node_of(
        solver.network(), static_cast<model::BusIndex>(index_of(spec.buses, bus)))));
  };
  int input_root = -1;
  for (int r = 0; r < dae.roots(); ++r)
    if (dae.root_name(r).element == "psu" && dae.root_name(r).state == "input_limit")
      input_root = r;
  ASSERT_GE(input_root, 0);

  IntegratorOptions options;
  options.relative_tolerance = 1e-9;
  options.absolute_tolerances = dae.absolute_tolerances(1e-9);
  options.max_steps = 500000;
  options.event_horizon_s = 1e-6;
  Integrator integrator(dae, 0.0, dae.initial_y(), dae.initial_yp(), options);
  integrator.initial_conditions(1e-6);
  bool limited = false;
  const auto on_step = [&](const Step& step) {
    if (step.kind == StepKind::event && step.roots[static_cast<std::size_t>(input_root)] > 0)
      limited = true;
    return true;
  };
  integrator.advance_to(0.010, on_step);
  integrator.initial_conditions(0.010 + 1e-6);
  integrator.advance_to(0.5, on_step);
  EXPECT_TRUE(limited) << "the input limit's root never fired";

  const auto y = integrator.y();
  const double v_in_expected = e_v - r_s_ohm * i_in_a;
  const double p_out_expected = eta * v_in_expected * i_in_a;
  const double r_load_ohm = v_out_nominal * v_out_nominal / load_w;
  const double v_out_expected = std::sqrt(p_out_expected * r_load_ohm);
  // The output current stays under the output limit: only the input limit holds.
  ASSERT_LT(p_out_expected / v_out_expected, i_max_a);
  const double v_in = y[column("a")], v_out = y[column("b")];
  RecordProperty("v_in_expected", fmt::format("{:.6f}", v_in_expected));
  RecordProperty("v_in_simulated", fmt::format("{:.6f}", v_in));
  RecordProperty("v_out_expected", fmt::format("{:.6f}", v_out_expected));
  RecordProperty("v_out_simulated", fmt::format("{:.6f}", v_out));
  EXPECT_NEAR(v_in, v_in_expected, 1e-6 * v_in_expected);
  // The output capacitor's ESR carries no current at rest: v_out is the load's voltage.
  EXPECT_NEAR(v_out, v_out_expected, 1e-6 * v_out_expected);
  EXPECT_NEAR(dae.converter_input_w(psu, y), v_in_expected * i_in_a, 1e-6 * v_in * i_in_a);
  EXPECT_NEAR(dae.converter_output_w(psu, y), p_out_expected, 1e-6 * p_out_expected);
}

}  // namespace
}  // namespace g2g::dynamic

// The element contract (steady/kinds.hpp): for every kind, the Jacobian that the network
// equations write (admittance stamps and the kinds' `contribute`) against central finite
// differences of the residual F(x), at a state away from the solution, so that every term
// (voltage-dependent loads, converter losses, taps, shunts) is exercised.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "g2g/steady/equations.hpp"
#include "g2g/steady/kinds.hpp"
#include "g2g/steady/network.hpp"
#include "g2g/steady/solver.hpp"
#include "support/model_builders.hpp"

namespace g2g::steady {
namespace {

using model::BusKind;

using test::add_bus;
using test::add_line;
using test::add_load;
using test::add_source;

model::Load& add_zip_load(model::ModelSpec& m, model::BusIndex bus, double p_w, double q_var) {
  auto& load = add_load(m, bus, p_w, q_var);
  load.model = model::LoadModel::zip;
  load.zip_z = 0.3;
  load.zip_i = 0.3;
  load.zip_p = 0.4;
  return load;
}

model::Converter& add_converter(model::ModelSpec& m, model::BusIndex in, model::BusIndex out,
                                double rating_w) {
  model::Converter c;
  c.id = "conv" + std::to_string(m.converters.size());
  c.input = in;
  c.output = out;
  c.rating_w = rating_w;
  // A curved efficiency, so that the loss derivative is not constant.
  c.efficiency = {{0.1, 0.90}, {0.5, 0.97}, {1.0, 0.95}};
  m.converters.push_back(c);
  return m.converters.back();
}

// Moves the state away from the solution: every voltage, angle and converter power differs.
State perturbed_state(const Network& network) {
  State state = flat_start(network);
  for (std::size_t i = 0; i < state.v_pu.size(); ++i) {
    state.v_pu[i] *= 1.0 + 0.03 * std::sin(1.0 + static_cast<double>(i));
    state.angle_rad[i] += 0.02 * std::cos(2.0 + static_cast<double>(i));
  }
  for (std::size_t c = 0; c < state.converter_p_pu.size(); ++c)
    state.converter_p_pu[c] = 0.2 + 0.1 * static_cast<double>(c);
  return state;
}

// Largest difference between the written Jacobian and central differences of F, relative to
// the Jacobian's largest entry; a derivative outside the pattern counts as a difference.
// `corrupt` spoils one written entry, to show that the check catches it.
double jacobian_error(const model::ModelSpec& model, bool corrupt = false) {
  const Network network = assemble(model);
  NetworkEquations equations(network);
  const auto size = static_cast<std::size_t>(equations.size());
  EXPECT_GT(size, 0U);
  const State state = perturbed_state(network);
  std::int32_t worst = -1;
  equations.evaluate(state, 1.0, true, worst);
  // Dense copy of the analytic Jacobian: the pattern holds rows (equations) as compressed columns.
  std::vector<std::vector<double>> analytic(size, std::vector<double>(size, 0.0));
  const auto& pattern = equations.jacobian_pattern();
  const auto& values = equations.jacobian_values();
  double largest = 0.0;
  for (std::size_t row = 0; row < size; ++row)
    for (auto k = pattern.column_start[row]; k < pattern.column_start[row + 1]; ++k) {
      const auto column = static_cast<std::size_t>(pattern.row[static_cast<std::size_t>(k)]);
      analytic[row][column] += values[static_cast<std::size_t>(k)];
      largest = std::max(largest, std::fabs(values[static_cast<std::size_t>(k)]));
    }
  if (corrupt) analytic[0][0] *= 1.001;
  double error = 0.0;
  std::vector<double> unit(size, 0.0);
  State plus = state;
  State minus = state;
  for (std::size_t column = 0; column < size; ++column) {
    const double h = 1e-6;
    unit.assign(size, 0.0);
    unit[column] = 1.0;
    equations.apply_step(state, unit, h, plus);
    equations.apply_step(state, unit, -h, minus);
    equations.evaluate(plus, 1.0, false, worst);
    const std::vector<double> f_plus = equations.residual();
    equations.evaluate(minus, 1.0, false, worst);
    const std::vector<double>& f_minus = equations.residual();
    for (std::size_t row = 0; row < size; ++row) {
      const double numeric = (f_plus[row] - f_minus[row]) / (2.0 * h);
      error = std::max(error, std::fabs(numeric - analytic[row][column]));
    }
  }
  return error / std::max(largest, 1.0);
}

// gather() and apply_step() agree: x(state + alpha step) = x(state) + alpha step.
void expect_consistent_unknowns(const model::ModelSpec& model) {
  const Network network = assemble(model);
  NetworkEquations equations(network);
  const auto size = static_cast<std::size_t>(equations.size());
  const State state = perturbed_state(network);
  std::vector<double> x(size), y(size), step(size);
  for (std::size_t i = 0; i < size; ++i) step[i] = 0.01 * static_cast<double>(i + 1);
  State moved = state;
  equations.apply_step(state, step, 0.5, moved);
  equations.gather(state, x);
  equations.gather(moved, y);
  for (std::size_t i = 0; i < size; ++i) EXPECT_NEAR(y[i] - x[i], 0.5 * step[i], 1e-15);
}

constexpr double jacobian_tolerance = 1e-7;

// DC: a slack source, lines, a constant-power and a ZIP load, storage.
model::ModelSpec dc_network() {
  model::ModelSpec m;
  const auto a = add_bus(m, "a", BusKind::dc, 800.0);
  const auto b = add_bus(m, "b", BusKind::dc, 800.0);
  const auto c = add_bus(m, "c", BusKind::dc, 800.0);
  add_source(m, model::SourceType::utility, a);
  add_line(m, a, b, 0.01);
  add_line(m, b, c, 0.02);
  add_line(m, a, c, 0.05);  // a loop
  add_load(m, b, 2e4);
  add_zip_load(m, c, 1.5e4, 0.0);
  model::Storage storage;
  storage.id = "battery";
  storage.bus = c;
  storage.p_set_w = 5e3;
  m.storage.push_back(storage);
  return m;
}

// AC: slack, transformer with a tap and core loss, pi lines, a PV generator, ZIP loads with Q,
// a closed switch joining two buses, a capacitor and a reactor bank.
model::ModelSpec ac_network() {
  model::ModelSpec m;
  m.solver.base_power_va = 1e6;
  const auto mv = add_bus(m, "mv", BusKind::ac, 13.8e3);
  const auto lv = add_bus(m, "lv", BusKind::ac, 415.0);
  const auto lv2 = add_bus(m, "lv2", BusKind::ac, 415.0);
  const auto lv3 = add_bus(m, "lv3", BusKind::ac, 415.0);
  const auto lv3b = add_bus(m, "lv3b", BusKind::ac, 415.0);
  add_source(m, model::SourceType::utility, mv);
  model::Transformer t;
  t.id = "tx";
  t.hv = mv;
  t.lv = lv;
  t.rating_va = 2e6;
  t.z_pct = 6.0;
  t.load_loss_w = 1.5e4;
  t.no_load_loss_w = 2e3;
  t.tap_ratio = 1.025;
  t.phase_shift_deg = 5.0;
  m.transformers.push_back(t);
  add_line(m, lv, lv2, 0.002, 0.001).b_total_s = 1e-5;
  add_line(m, lv2, lv3, 0.003, 0.0015);
  model::Switch sw;
  sw.id = "sw";
  sw.from = lv3;
  sw.to = lv3b;
  m.switches.push_back(sw);
  auto& generator = add_source(m, model::SourceType::generator, lv2);
  generator.p_set_w = 1e5;
  generator.v_set_pu = 1.01;
  add_load(m, lv3, 3e5, 1e5);
  add_zip_load(m, lv3b, 2e5, 6e4);
  model::Shunt capacitor;  // a bank at the switch-joined node, with loss and its own rating
  capacitor.id = "capacitor";
  capacitor.bus = lv3b;
  capacitor.q_rated_var = 1.2e5;
  capacitor.rated_voltage_v = 400.0;
  capacitor.loss_w = 300.0;
  m.shunts.push_back(capacitor);
  model::Shunt reactor;
  reactor.id = "reactor";
  reactor.bus = mv;
  reactor.q_rated_var = -5e4;
  m.shunts.push_back(reactor);
  return m;
}

// Converters: an AC-to-DC rectifier that sets the DC voltage (its power is an unknown), a
// power-controlled DC-to-AC inverter with a power factor, and a DC-DC converter whose input and
// output a switch merges into one node.
model::ModelSpec converter_network() {
  model::ModelSpec m;
  const auto ac = add_bus(m, "ac", BusKind::ac, 415.0);
  const auto ac2 = add_bus(m, "ac2", BusKind::ac, 415.0);
  const auto dc = add_bus(m, "dc", BusKind::dc, 800.0);
  const auto dc2 = add_bus(m, "dc2", BusKind::dc, 800.0);
  const auto dc3 = add_bus(m, "dc3", BusKind::dc, 800.0);
  add_source(m, model::SourceType::utility, ac);
  add_line(m, ac, ac2, 0.004, 0.002);
  auto& rectifier = add_converter(m, ac2, dc, 5e5);
  rectifier.type = model::ConverterType::rectifier;
  rectifier.input_power_factor = 0.95;
  rectifier.standby_loss_w = 500.0;
  add_line(m, dc, dc2, 0.01);
  add_load(m, dc2, 2e5);
  auto& inverter = add_converter(m, dc2, ac2, 1e5);
  inverter.type = model::ConverterType::inverter;
  inverter.control = model::ConverterControl::power;
  inverter.p_set_w = 4e4;
  inverter.output_power_factor = 0.9;
  auto& dcdc = add_converter(m, dc2, dc3, 1e5);
  dcdc.control = model::ConverterControl::power;
  dcdc.p_set_w = 2e4;
  model::Switch sw;
  sw.id = "bypass";
  sw.from = dc2;
  sw.to = dc3;
  m.switches.push_back(sw);
  add_zip_load(m, dc3, 3e4, 0.0);
  return m;
}

TEST(ElementKinds, EveryKindIsCoveredByTheseNetworks) {
  std::vector<std::size_t> seen(element_type_count, 0);
  for (const auto& m : {dc_network(), ac_network(), converter_network()})
    for_each_kind([&]<typename Kind>() {
      seen[static_cast<std::size_t>(Kind::info.type)] += Kind::count(m);
    });
  for (std::size_t t = 0; t < element_type_count; ++t)
    EXPECT_GT(seen[t], 0U) << element_type_name(static_cast<ElementType>(t));
}

TEST(ElementKinds, DcLinesLoadsStorageJacobianMatchesFiniteDifferences) {
  EXPECT_LT(jacobian_error(dc_network()), jacobian_tolerance);
  expect_consistent_unknowns(dc_network());
}

TEST(ElementKinds, AcTransformerGeneratorSwitchJacobianMatchesFiniteDifferences) {
  EXPECT_LT(jacobian_error(ac_network()), jacobian_tolerance);
  expect_consistent_unknowns(ac_network());
}

TEST(ElementKinds, ConverterJacobianMatchesFiniteDifferences) {
  EXPECT_LT(jacobian_error(converter_network()), jacobian_tolerance);
  expect_consistent_unknowns(converter_network());
}

// The check itself can fail: one entry off by 0.1 % is caught on every network.
TEST(ElementKinds, AWrongDerivativeIsCaught) {
  for (const auto& m : {dc_network(), ac_network(), converter_network()})
    EXPECT_GT(jacobian_error(m, true), 10.0 * jacobian_tolerance);
}

// The solver reaches F = 0 on each network, and the results balance.
TEST(ElementKinds, EachNetworkSolvesAndBalances) {
  for (const auto& m : {dc_network(), ac_network(), converter_network()}) {
    const SolveResult r = solve(m);
    EXPECT_TRUE(r.converged);
    EXPECT_LE(std::fabs(r.totals.balance_error_w), 1e-8 * std::fabs(r.totals.source_w));
  }
}

// The reusable solver keeps the structure and takes new values (an impedance here), and refuses
// a network with another pattern (a new branch between existing buses).
TEST(ElementKinds, ReusableSolverTakesNewValuesAndRefusesNewBranches) {
  const model::ModelSpec base = dc_network();
  Solver solver(base);
  ASSERT_TRUE(solver.solve().converged);
  model::ModelSpec thicker = base;
  thicker.lines[0].r_ohm = 0.005;
  ASSERT_TRUE(solver.update(thicker));
  const SolveResult warm = solver.solve();
  const SolveResult fresh = solve(thicker);
  for (std::size_t b = 0; b < fresh.buses.size(); ++b)
    EXPECT_NEAR(warm.buses[b].v_pu, fresh.buses[b].v_pu, 1e-12);

  model::ModelSpec meshed = dc_network();
  meshed.buses.push_back(meshed.buses.back());
  meshed.buses.back().id = "bus3";
  add_line(meshed, 2, 3, 0.01);
  add_line(meshed, 1, 3, 0.01);
  EXPECT_FALSE(solver.update(meshed));
}

}  // namespace
}  // namespace g2g::steady

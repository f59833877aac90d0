// The network DAE (dynamic::NetworkDae, integrated by IDA) against references we did not write:
// ngspice's .tran on the same 20-bus DC tree with rack DC links and pulsed constant-power racks;
// the closed-form stability boundary of a constant-power load behind R-L with a capacitor; and
// the closed voltage loop's poles against the bandwidth and damping it was designed for.
// docs/validation.md § Time domain.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "g2g/api/model.hpp"
#include "g2g/components/converter_control.hpp"
#include "g2g/dynamic/ida.hpp"
#include "g2g/dynamic/load_drive.hpp"
#include "g2g/dynamic/network_dae.hpp"
#include "g2g/dynamic/small_signal.hpp"
#include "g2g/steady/solver.hpp"
#include "support/ngspice.hpp"
#include "support/test_support.hpp"
#include "unit/dynamic/solved_case.hpp"
#include "validation/spice_netlist.hpp"

namespace g2g::dynamic {
namespace {

constexpr double source_v = 800.0;

model::BusIndex bus_index(const model::ModelSpec& spec, const std::string& id) {
  const auto it = std::find_if(spec.buses.begin(), spec.buses.end(),
                               [&](const model::Bus& b) { return b.id == id; });
  return static_cast<model::BusIndex>(it - spec.buses.begin());
}

// ---- 20-bus DC tree against ngspice ----------------------------------------------------------

// Four feeders of five buses from an 800 V source; every bus has a 2 mF rack DC link and a
// 100 kW GPU rack whose utilisation steps between 0.3 and 1 every 100 ms (2 ms edges), each
// rack 1.5 ms later than the one before.
constexpr int feeders = 4;
constexpr int buses_per_feeder = 5;
constexpr double segment_r_ohm = 5e-3;
constexpr double segment_length_m = 20.0;
constexpr double inductance_h_per_m = 0.5e-6;
constexpr double link_c_f = 2e-3;
constexpr double rack_power_w = 100e3;

std::string tree_model() {
  std::string buses = fmt::format("  - {{id: src, kind: dc, voltage: {} V}}\n", source_v);
  std::string components = "  - {id: feed, type: dc_source, bus: src}\n";
  for (int f = 0; f < feeders; ++f) {
    for (int b = 0; b < buses_per_feeder; ++b) {
      const std::string id = fmt::format("f{}b{}", f, b);
      const std::string from = b == 0 ? "src" : fmt::format("f{}b{}", f, b - 1);
      buses += fmt::format("  - {{id: {}, kind: dc, voltage: {} V, capacitance: {} F}}\n", id,
                           source_v, link_c_f);
      components += fmt::format(
          "  - {{id: c_{}, type: cable, from: {}, to: {}, resistance: {} ohm, length: {} m, "
          "inductance_per_length: {} H/m}}\n",
          id, from, id, segment_r_ohm, segment_length_m, inductance_h_per_m);
      components += fmt::format(
          "  - {{id: rack_{}, type: gpu_rack, bus: {}, it_power: {} W, idle_fraction: 0}}\n", id,
          id, rack_power_w);
    }
  }
  return "grid2gpu: 1\nname: 20-bus DC tree\nbuses:\n" + buses + "components:\n" + components;
}

TEST(NetworkDaeValidation, DcTreeWithPulsedRacksMatchesNgspice) {
  if (test::require_ngspice().empty()) return;
  model::ModelSpec spec =
      api::load_model_text(tree_model(), api::ModelFormat::yaml, "tree.yaml").take_spec();
  const double stop_s = 0.25;
  // The racks' profiles, and the model's utilisation set to their value at t = 0 so that the
  // power flow is the simulation's starting point.
  LoadPowers powers;
  std::vector<PiecewiseLinear> profiles;
  for (std::size_t i = 0; i < spec.loads.size(); ++i) {
    ProfileSpec profile;
    profile.pattern = TrainingSteps{
        .period_s = 0.1, .duty = 0.5, .high = 1.0, .low = 0.3, .rise_s = 2e-3, .fall_s = 2e-3};
    profile.phase_s = 0.01 + 1.5e-3 * static_cast<double>(i);
    const Profile u = make_profile(profile, 0.0, stop_s);
    spec.loads[i].utilisation = u.value(0.0);
    powers.function_of_load.push_back(powers.add(gpu_rack_power_w(spec.loads[i], u)));
  }
  const api::ValidatedModel model = api::validate(std::move(spec));
  steady::Solver solver(model.spec());
  (void)solver.solve();
  NetworkDae dae(model.spec(), solver.network(), solver.state(), powers);

  // ngspice: the same circuit element by element.
  test::TranCircuit circuit("20-bus DC tree");
  circuit.voltage_source("src", "src", "0", {{0.0, source_v}});
  std::vector<std::string> signals;
  for (std::size_t i = 0; i < model.spec().loads.size(); ++i) {
    const auto& load = model.spec().loads[i];
    const std::string bus = model.spec().buses[static_cast<std::size_t>(load.bus)].id;
    const auto& line = model.spec().lines[i];  // one cable per bus, in the same order
    const std::string from = model.spec().buses[static_cast<std::size_t>(line.from)].id;
    circuit.inductor("l_" + bus, from, bus, inductance_h_per_m * segment_length_m, segment_r_ohm);
    circuit.capacitor("c_" + bus, bus, "0", link_c_f);
    std::vector<test::PwlPoint> p;
    for (const auto& point : powers.functions[i].points()) p.push_back({point.t_s, point.value});
    circuit.constant_power_load("p_" + bus, bus, "0", p, 0.5 * source_v);
    signals.push_back("v(" + bus + ")");
  }
  signals.push_back("i(l_f0b0)");
  test::TranOptions options;
  options.stop_s = stop_s;
  options.print_step_s = 1e-5;
  options.max_step_s = 1e-5;
  options.signals = signals;
  const auto spice = test::run_ngspice_tran(circuit, options, test::scratch_dir("dae_tree"));

  // grid2gpu, sampled exactly at a 0.1 ms grid (advance_to stops there) and at the edges.
  std::vector<double> stops = dae.load_edges(0.0, stop_s);
  for (int k = 1; k <= 2500; ++k) stops.push_back(1e-4 * k);
  std::sort(stops.begin(), stops.end());
  stops.erase(std::unique(stops.begin(), stops.end()), stops.end());
  Integrator integrator(dae, 0.0, dae.initial_y(), dae.initial_yp(),
                        fixtures::integrator_options(dae, 1e-7, 1e-5, 500000));
  integrator.initial_conditions(1e-5);
  std::int64_t feeder_current = -1;
  for (std::int64_t k = 0; k < dae.size(); ++k)
    if (dae.names(k).element == "c_f0b0") feeder_current = k;
  ASSERT_GE(feeder_current, 0);
  double worst_deviation_error = 0.0, peak_deviation = 0.0;
  double worst_current_error = 0.0, peak_current = 0.0;
  for (double t : stops) {
    if (t <= integrator.time_s()) continue;
    integrator.advance_to(t, [](const Step&) { return true; });
    if (std::fabs(std::remainder(t, 1e-4)) > 1e-12) continue;
    for (std::size_t i = 0; i < model.spec().loads.size(); ++i) {
      const auto bus = model.spec().loads[i].bus;
      const std::string id = model.spec().buses[static_cast<std::size_t>(bus)].id;
      const double ours = dae.bus_voltage_pu(bus, integrator.y()) * source_v;
      const double theirs = spice.at("v(" + id + ")", t);
      peak_deviation = std::max(peak_deviation, std::fabs(theirs - source_v));
      worst_deviation_error = std::max(worst_deviation_error, std::fabs(ours - theirs));
    }
    const double i_ours = integrator.y()[static_cast<std::size_t>(feeder_current)];
    const double i_theirs = spice.at("i(l_f0b0)", t);
    peak_current = std::max(peak_current, std::fabs(i_theirs));
    worst_current_error = std::max(worst_current_error, std::fabs(i_ours - i_theirs));
  }
  // The issue's bar is 0.1 % of the waveform's peak; the voltage is held to 0.1 % of its
  // deviation from 800 V, which is much stricter than of 800 V itself.
  EXPECT_LT(worst_deviation_error / peak_deviation, 1e-3)
      << worst_deviation_error << " V of " << peak_deviation << " V";
  EXPECT_LT(worst_current_error / peak_current, 1e-3)
      << worst_current_error << " A of " << peak_current << " A";
  EXPECT_GT(peak_deviation, 1.0) << "the pulses must move the voltages";
  RecordProperty("voltage_error_of_deviation",
                 fmt::format("{:.3g}", worst_deviation_error / peak_deviation));
  RecordProperty("current_error_of_peak",
                 fmt::format("{:.3g}", worst_current_error / peak_current));
}

// ---- Constant-power load stability boundary --------------------------------------------------

// Source R-L, capacitor C, a load of P at V: stable iff L / (R C) < V^2 / P and R < V^2 / P.
// With R = 0.1 ohm, L = 1 mH, C = 1 mF the first bounds: V^2 / P = 10 ohm at the boundary,
// where V = V_s - R P / V gives V = V_s / 1.01 and P* = V^2 / 10.
constexpr double boundary_r_ohm = 0.1;
constexpr double boundary_l_h = 1e-3;
constexpr double boundary_c_f = 1e-3;

std::string boundary_model(double load_w) {
  return fmt::format(R"(grid2gpu: 1
name: constant-power load on R-L-C
buses:
  - {{id: src, kind: dc, voltage: {0} V}}
  - {{id: load, kind: dc, voltage: {0} V, capacitance: {1} F}}
components:
  - {{id: feed, type: dc_source, bus: src}}
  - {{id: line, type: cable, from: src, to: load, resistance: {2} ohm, length: 1 m,
     inductance_per_length: {3} H/m}}
  - {{id: cpl, type: load, bus: load, power: {4} W}}
)",
                     source_v, boundary_c_f, boundary_r_ohm, boundary_l_h, load_w);
}

struct BoundaryRun {
  double least_damping = 0.0;
  double early_amplitude_v = 0.0;  // of the oscillation after a small kick
  double late_amplitude_v = 0.0;
};

BoundaryRun run_boundary(double load_w) {
  const api::ValidatedModel model =
      api::load_model_text(boundary_model(load_w), api::ModelFormat::yaml, "cpl.yaml");
  steady::Solver solver(model.spec());
  (void)solver.solve();
  // A 1 % dip of the load for 1 ms kicks the oscillation.
  LoadPowers powers;
  powers.function_of_load = {powers.add(PiecewiseLinear({{0.0, load_w},
                                                         {0.001, load_w},
                                                         {0.0011, 0.99 * load_w},
                                                         {0.002, 0.99 * load_w},
                                                         {0.0021, load_w},
                                                         {0.5, load_w}}))};
  NetworkDae dae(model.spec(), solver.network(), solver.state(), powers);
  BoundaryRun run;
  const auto modes = small_signal(dae, 0.0, dae.initial_y(), dae.initial_yp());
  run.least_damping = modes.modes.front().damping_ratio;
  Integrator integrator(dae, 0.0, dae.initial_y(), dae.initial_yp(),
                        fixtures::integrator_options(dae, 1e-8, 1e-5, 500000));
  integrator.initial_conditions(1e-5);
  const auto bus = bus_index(model.spec(), "load");
  const double v0 = dae.bus_voltage_pu(bus, dae.initial_y()) * source_v;
  for (double edge : dae.load_edges(0.0, 0.5)) {
    if (edge <= integrator.time_s()) continue;
    integrator.advance_to(edge, [&](const Step& step) {
      const double deviation = std::fabs(dae.bus_voltage_pu(bus, step.y) * source_v - v0);
      if (step.t_s > 0.05 && step.t_s < 0.15)
        run.early_amplitude_v = std::max(run.early_amplitude_v, deviation);
      if (step.t_s > 0.4) run.late_amplitude_v = std::max(run.late_amplitude_v, deviation);
      return true;
    });
  }
  return run;
}

TEST(NetworkDaeValidation, ConstantPowerLoadStabilityBoundary) {
  const double v_boundary = source_v / 1.01;
  const double p_boundary_w = v_boundary * v_boundary / 10.0;
  const BoundaryRun inside = run_boundary(0.98 * p_boundary_w);
  const BoundaryRun outside = run_boundary(1.02 * p_boundary_w);
  EXPECT_GT(inside.least_damping, 0.0);
  EXPECT_LT(outside.least_damping, 0.0);
  // 2 % either side of the boundary the oscillation decays or grows slowly: by about a third
  // over the 0.35 s between the two windows.
  EXPECT_LT(inside.late_amplitude_v, 0.8 * inside.early_amplitude_v)
      << inside.early_amplitude_v << " V then " << inside.late_amplitude_v << " V";
  EXPECT_GT(outside.late_amplitude_v, 1.25 * outside.early_amplitude_v)
      << outside.early_amplitude_v << " V then " << outside.late_amplitude_v << " V";
}

// ---- Closed voltage loop: bandwidth and damping ---------------------------------------------

// A converter's PI loop on its output capacitor, loaded by a constant current (no feedback from
// the load) and fed from a stiff source: its two poles are those of s^2 + 2 zeta wn s + wn^2,
// and the closed loop's -3 dB point wn sqrt(u) is the bandwidth asked for.
TEST(NetworkDaeValidation, ClosedVoltageLoopHasItsDesignedBandwidth) {
  for (const auto& [bandwidth_hz, damping] :
       std::vector<std::pair<double, double>>{{200.0, 1.0}, {1000.0, 0.7}, {50.0, 0.5}}) {
    const std::string text = fmt::format(R"(grid2gpu: 1
name: voltage loop
buses:
  - {{id: src, kind: dc, voltage: 800 V}}
  - {{id: out, kind: dc, voltage: 54 V}}
components:
  - {{id: feed, type: dc_source, bus: src}}
  - {{id: dcdc, type: dcdc, input: src, output: out, rating: 150 kW, efficiency: 98 %,
     output_capacitance: 20 mF, voltage_bandwidth: {} Hz, damping: {}, current_limit: 150 %}}
  - {{id: rack, type: load, model: constant_current, bus: out, power: 100 kW}}
)",
                                         bandwidth_hz, damping);
    const api::ValidatedModel model =
        api::load_model_text(text, api::ModelFormat::yaml, "loop.yaml");
    steady::Solver solver(model.spec());
    (void)solver.solve();
    NetworkDae dae(model.spec(), solver.network(), solver.state());
    const auto result = small_signal(dae, 0.0, dae.initial_y(), dae.initial_yp());
    ASSERT_EQ(result.states, 2);
    const auto lambda = result.modes.front().eigenvalue_per_s;
    double wn = std::abs(lambda);
    double zeta = -lambda.real() / wn;
    if (damping >= 1.0) {  // two real poles: wn^2 = their product, 2 zeta wn = minus their sum
      ASSERT_EQ(result.modes.size(), 2u);
      const double a = result.modes[0].eigenvalue_per_s.real();
      const double b = result.modes[1].eigenvalue_per_s.real();
      wn = std::sqrt(a * b);
      zeta = -(a + b) / (2.0 * wn);
    }
    EXPECT_NEAR(zeta, damping, 0.01 * damping) << bandwidth_hz << " Hz";
    const double minus_3db_hz =
        wn * components::bandwidth_to_natural_frequency_ratio(zeta) / (2.0 * std::numbers::pi);
    EXPECT_NEAR(minus_3db_hz, bandwidth_hz, 0.05 * bandwidth_hz);
    // The -3 dB point itself, from the closed loop with the poles found.
    const components::PiGains gains{2.0 * zeta * wn * 0.02, wn * wn * 0.02, wn};
    EXPECT_NEAR(
        components::pi_closed_loop_magnitude(gains, 0.02, 2.0 * std::numbers::pi * bandwidth_hz),
        1.0 / std::sqrt(2.0), 0.05 / std::sqrt(2.0));
  }
}

}  // namespace
}  // namespace g2g::dynamic

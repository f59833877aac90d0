// Ride-through: the undervoltage state machine and hold-up figures (components/ride_through),
// and in the network DAE: the turn-off at undervoltage_off, the loads downstream dropping, the
// restart after restart_delay, a Jacobian whose fixed pattern serves the off mode too, current
// limits located without changing a value, and the refusal of what is not simulated yet.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "g2g/api/model.hpp"
#include "g2g/components/ride_through.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/dynamic/ida.hpp"
#include "g2g/dynamic/network_dae.hpp"
#include "g2g/steady/solver.hpp"
#include "jacobian_check.hpp"
#include "solved_case.hpp"

namespace g2g::dynamic {
namespace {

using components::Switching;
using components::UndervoltageSettings;
using components::UndervoltageState;

TEST(RideThroughComponent, TurnsOffBelowOffAndRestartsAfterTheDelay) {
  const UndervoltageSettings s{320.0, 360.0, 0.02};
  UndervoltageState state;
  auto g = components::undervoltage_root_functions(s, state, 0.0, 400.0);
  EXPECT_DOUBLE_EQ(g[0], 80.0);
  EXPECT_DOUBLE_EQ(g[1], 40.0);
  EXPECT_DOUBLE_EQ(g[2], -1.0);
  // Down through off: off.
  const std::array<int, 3> down_off{-1, 0, 0};
  EXPECT_EQ(components::undervoltage_event(s, state, 1.0, 320.0, down_off), Switching::turned_off);
  EXPECT_FALSE(state.on);
  // Up through on: armed, nothing switches; the timer's root stays negative.
  const std::array<int, 3> up_on{0, 1, 0};
  EXPECT_EQ(components::undervoltage_event(s, state, 1.5, 360.0, up_on), Switching::none);
  EXPECT_TRUE(state.armed);
  g = components::undervoltage_root_functions(s, state, 1.5, 360.0);
  EXPECT_NEAR(g[2], -0.02, 1e-15);
  // Down through on before the delay: disarmed.
  const std::array<int, 3> down_on{0, -1, 0};
  EXPECT_EQ(components::undervoltage_event(s, state, 1.51, 360.0, down_on), Switching::none);
  EXPECT_FALSE(state.armed);
  // Armed again, and the timer runs out: restarted.
  (void)components::undervoltage_event(s, state, 2.0, 360.0, up_on);
  const std::array<int, 3> timer{0, 0, 1};
  EXPECT_EQ(components::undervoltage_event(s, state, 2.02, 380.0, timer), Switching::restarted);
  EXPECT_TRUE(state.on);
}

TEST(RideThroughComponent, CheckSwitchesWhereNoRootCrossed) {
  const UndervoltageSettings s{320.0, 360.0, 0.02};
  UndervoltageState state;
  EXPECT_EQ(components::undervoltage_check(s, state, 0.0, 330.0), Switching::none);
  EXPECT_EQ(components::undervoltage_check(s, state, 0.0, 310.0), Switching::turned_off);
  // Off and already above on after the jump: armed at once.
  EXPECT_EQ(components::undervoltage_check(s, state, 0.1, 390.0), Switching::none);
  EXPECT_TRUE(state.armed);
  EXPECT_DOUBLE_EQ(state.armed_at_s, 0.1);
  EXPECT_EQ(components::undervoltage_check(s, state, 0.11, 390.0), Switching::none);
  EXPECT_EQ(components::undervoltage_check(s, state, 0.125, 390.0), Switching::restarted);
  // Without a delay, back above on is a restart.
  const UndervoltageSettings no_delay{320.0, 360.0, 0.0};
  UndervoltageState off{false, false, 0.0};
  EXPECT_EQ(components::undervoltage_check(no_delay, off, 0.0, 361.0), Switching::restarted);
}

TEST(RideThroughComponent, HoldUpFromTheDcLink) {
  // ORv3 HPR's 60 J over 20 ms at 3 kW from a link discharging 400 -> 300 V: C = 2 E / (V0^2 -
  // V1^2) = 1.714 mF, and back.
  const double c_f = 2.0 * 60.0 / (400.0 * 400.0 - 300.0 * 300.0);
  EXPECT_NEAR(components::hold_up_energy_j(c_f, 400.0, 300.0), 60.0, 1e-12);
  EXPECT_NEAR(components::hold_up_time_s(60.0, 3000.0), 0.020, 1e-15);
  EXPECT_EQ(components::hold_up_energy_j(c_f, 300.0, 320.0), 0.0);
  EXPECT_TRUE(std::isinf(components::hold_up_time_s(60.0, 0.0)));
}

// 800 V source -> a feeder with a 300 A current limit -> the 400 V bus `a` (10 mF + the psu's
// 2 mF link) -> a psu with undervoltage turn-off (off 320 V, on 360 V, 20 ms) -> 54 V -> a
// 50 kW rack. A heater on `a` is driven: 1 kW, then 90 kW from 10 ms, more than the limited
// feeder gives, so `a` sags and the psu turns off; the rack drops; `a` recovers (the feeder
// carries the heater alone), the psu restarts 20 ms after `a` is back above 360 V.
constexpr const char* ride_case = R"(grid2gpu: 1
name: ride-through
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

struct RideThroughCase : fixtures::SolvedCase {
  using SolvedCase::SolvedCase;
  std::size_t converter(const std::string& id) const {
    const auto& all = model.spec().converters;
    return static_cast<std::size_t>(
        std::find_if(all.begin(), all.end(),
                     [&](const model::Converter& c) { return c.id == id; }) -
        all.begin());
  }
  std::int32_t node(const std::string& bus) const {
    const auto& buses = model.spec().buses;
    const auto b =
        std::find_if(buses.begin(), buses.end(), [&](const model::Bus& x) { return x.id == bus; }) -
        buses.begin();
    return steady::node_of(solver.network(), static_cast<model::BusIndex>(b));
  }
  // The heater stepping from 1 kW to heater_w at 10 ms.
  NetworkDae dae(double heater_w) {
    LoadPowers loads;
    loads.function_of_load.assign(model.spec().loads.size(), -1);
    loads.function_of_load[load("heater")] =
        loads.add(PiecewiseLinear({{0.0, 1e3}, {0.010, 1e3}, {0.010, heater_w}, {1.0, heater_w}}));
    return SolvedCase::dae(std::move(loads));
  }
};

int root_of(const NetworkDae& dae, const std::string& element, const std::string& event) {
  for (int r = 0; r < dae.roots(); ++r)
    if (dae.root_name(r).element == element && dae.root_name(r).state == event) return r;
  ADD_FAILURE() << "no root " << element << "." << event;
  return -1;
}

TEST(RideThrough, TurnsOffAtUndervoltageDropsItsLoadAndRestartsAfterTheDelay) {
  RideThroughCase c(ride_case);
  NetworkDae dae = c.dae(90e3);
  const CsrPattern pattern_before = dae.pattern();
  const auto v_a = static_cast<std::size_t>(dae.dc_voltage_unknown(c.node("a")));
  const int off_root = root_of(dae, "psu", "undervoltage_off");
  const int on_root = root_of(dae, "psu", "undervoltage_on");
  const int restart_root = root_of(dae, "psu", "restart");
  Integrator integrator(dae, 0.0, dae.initial_y(), dae.initial_yp(),
                        fixtures::integrator_options(dae, 1e-8, 1e-6, 200000));
  integrator.initial_conditions(1e-6);
  std::optional<double> off_s, armed_s, restart_s;
  double v_at_off = 0.0, v_at_on = 0.0;
  double rack_after_off_w = -1.0;
  std::optional<double> rack_restarted_w;
  const auto rack = c.load("rack");
  const auto on_step = [&](const Step& step) {
    if (step.kind == StepKind::event) {
      if (step.roots[static_cast<std::size_t>(off_root)] < 0 && !off_s) {
        off_s = step.t_s;
        v_at_off = step.y[v_a];
      }
      if (off_s && step.roots[static_cast<std::size_t>(on_root)] > 0 && !armed_s) {
        armed_s = step.t_s;
        v_at_on = step.y[v_a];
      }
      if (step.roots[static_cast<std::size_t>(restart_root)] > 0 && !restart_s)
        restart_s = step.t_s;
    }
    if (off_s && !restart_s && step.kind == StepKind::restarted)
      rack_after_off_w = dae.load_power_w(rack, step.t_s, step.y);
    if (restart_s && !rack_restarted_w && step.kind == StepKind::restarted)
      rack_restarted_w = dae.load_power_w(rack, step.t_s, step.y);
    return true;
  };
  integrator.advance_to(0.010, on_step);
  integrator.initial_conditions(0.010 + 1e-6);  // the heater's jump
  integrator.advance_to(0.1, on_step);

  ASSERT_TRUE(off_s && armed_s && restart_s);
  // The roots lie at the thresholds (IDA locates them to its root tolerance).
  EXPECT_NEAR(v_at_off, 320.0, 1e-6);
  EXPECT_NEAR(v_at_on, 360.0, 1e-6);
  EXPECT_NEAR(*restart_s - *armed_s, 0.020, 1e-9);
  EXPECT_EQ(rack_after_off_w, 0.0);
  // The log: psu off (its own undervoltage), the rack with it; both back at the restart.
  const auto& changes = dae.mode_changes();
  ASSERT_GE(changes.size(), 4u);
  EXPECT_FALSE(changes[0].load);
  EXPECT_EQ(changes[0].element, c.converter("psu"));
  EXPECT_TRUE(changes[0].undervoltage);
  EXPECT_FALSE(changes[0].on);
  EXPECT_DOUBLE_EQ(changes[0].t_s, *off_s);
  EXPECT_TRUE(changes[1].load);
  EXPECT_EQ(changes[1].element, rack);
  EXPECT_FALSE(changes[1].on);
  EXPECT_TRUE(changes[2].on);
  EXPECT_DOUBLE_EQ(changes[2].t_s, *restart_s);
  EXPECT_TRUE(changes[3].load && changes[3].on);
  // Back on, the rack draws its 50 kW again (constant power).
  ASSERT_TRUE(rack_restarted_w);
  EXPECT_NEAR(*rack_restarted_w, 50e3, 1e-6);
  // The pattern never changed.
  EXPECT_EQ(dae.pattern().column, pattern_before.column);
  EXPECT_EQ(dae.pattern().row_start, pattern_before.row_start);
}

// dF/dy + cj dF/dy' against central differences with the psu off: every entry the off mode
// needs is in the pattern recorded with everything on, and the values are right.
TEST(RideThrough, JacobianOfTheOffModeMatchesFiniteDifferences) {
  RideThroughCase c(ride_case);
  NetworkDae dae = c.dae(90e3);
  const auto n = static_cast<std::size_t>(dae.size());
  std::vector<double> y = dae.initial_y();
  std::vector<double> yp(n);
  const auto v_a = static_cast<std::size_t>(dae.dc_voltage_unknown(c.node("a")));
  y[v_a] = 300.0;
  ASSERT_TRUE(dae.check_modes(0.0, y, yp));  // below 320 V: off
  ASSERT_FALSE(dae.converter_running(c.converter("psu")));
  fixtures::move_off_the_operating_point(dae, y, yp);
  fixtures::expect_jacobian_matches_differences(dae, y, yp, "psu off");
  // Off, the psu's row of its integrator is z' alone (held) and the rack draws nothing.
  EXPECT_EQ(dae.load_power_w(c.load("rack"), 0.0, y), 0.0);
  EXPECT_EQ(dae.converter_output_w(c.converter("psu"), y), 0.0);
}

// A current limit's root is located and reported, and changes nothing: handle_event returns
// false and leaves y, y' and the residual as they were.
TEST(RideThrough, CurrentLimitRootsChangeNoValue) {
  RideThroughCase c(ride_case);
  NetworkDae dae = c.dae(90e3);
  std::vector<double> y = dae.initial_y();
  std::vector<double> yp(y.size(), 0.0);
  std::vector<int> crossed(static_cast<std::size_t>(dae.roots()), 0);
  crossed[static_cast<std::size_t>(root_of(dae, "feeder", "i_max"))] = 1;
  crossed[static_cast<std::size_t>(root_of(dae, "psu", "-i_max"))] = -1;
  std::vector<double> before(y.size()), after(y.size());
  dae.residual(0.0, y, yp, before);
  const auto y_before = y;
  EXPECT_FALSE(dae.handle_event(0.0, y, yp, crossed));
  EXPECT_EQ(y, y_before);
  dae.residual(0.0, y, yp, after);
  EXPECT_EQ(before, after);
  EXPECT_TRUE(dae.mode_changes().empty());
  // The feeder's root at the power flow: i_u - i_max = 130 A - 300 A, 52.0 kW at 400 V.
  std::vector<double> g(crossed.size());
  dae.root_functions(0.0, y, yp, g);
  const double i0_a = (1e3 + 50e3 / 0.98) / 400.0;
  EXPECT_NEAR(g[static_cast<std::size_t>(root_of(dae, "feeder", "i_max"))], i0_a - 300.0, 0.05);
}

// A psu whose 54 V bus has storage of its own: what it feeds is not fed by it alone, which is
// refused at the psu's line, not guessed.
TEST(RideThrough, RefusesADownstreamNetworkFedFromElsewhere) {
  std::string text = ride_case;
  text += "  - {id: cells, type: storage, bus: b, power: 0 W}\n";
  RideThroughCase c(text);
  try {
    (void)c.dae(1e3);
    FAIL() << "expected a ModelError";
  } catch (const core::ModelError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("case.yaml:11:"), std::string::npos) << message;
    EXPECT_NE(message.find("bus 'b' downstream has a source or storage of its own"),
              std::string::npos)
        << message;
  }
}

}  // namespace
}  // namespace g2g::dynamic

// A battery backup unit (voltage_support with a trigger) and a converter's lost input in the
// network DAE: the analytic Jacobian against finite differences idle and on, the trigger and
// release roots and the latch between them, the lost input's timed roots, and the refusals.
// The closed-form checks are in tests/validation/test_backup_validation.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "g2g/api/model.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/core/error.hpp"
#include "g2g/dynamic/ida.hpp"
#include "g2g/dynamic/network_dae.hpp"
#include "g2g/steady/solver.hpp"
#include "jacobian_check.hpp"
#include "solved_case.hpp"

namespace g2g::dynamic {
namespace {

// 400 V -> a regulated 54 V PSU -> a 54 V bus with a 30 kW rack and a BBU idle at 0 W.
std::string shelf(const std::string& bbu_power = "0 W") {
  return R"(grid2gpu: 1
name: bbu shelf
buses:
  - {id: src, kind: dc, voltage: 400 V}
  - {id: b54, kind: dc, voltage: 54 V, capacitance: 500 mF}
components:
  - {id: feed, type: dc_source, bus: src}
  - {id: psu, type: dcdc, input: src, output: b54, rating: 33 kW, efficiency: 97 %,
     output_capacitance: 20 mF, voltage_bandwidth: 1 kHz, damping: 1.0, current_limit: 150 %}
  - {id: rack, type: load, bus: b54, power: 30 kW}
  - {id: bbu, type: storage, bus: b54, power: )" +
         bbu_power + R"(, rating: 30 kW, technology: battery,
     ocv: [[0, 46 V], [1, 54 V]], internal_resistance: 5 mohm,
     rc_pair: {resistance: 2 mohm, capacitance: 2 kF}, capacity: 50 Ah, soc_initial: 80 %}
)";
}

using Case = fixtures::SolvedCase;

StorageGroup bbu_group(double trigger_v = 48.5) {
  StorageGroup g;
  g.mode = StorageGroup::Mode::voltage_support;
  g.members = {0};
  g.droop_pu = 0.01;
  g.bandwidth_hz = 100.0;
  g.trigger_v = trigger_v;
  g.set_voltage_v = 51.0;
  return g;
}

int root_of(const NetworkDae& dae, const std::string& element, const std::string& event) {
  for (int r = 0; r < dae.roots(); ++r)
    if (dae.root_name(r).element == element && dae.root_name(r).state == event) return r;
  return -1;
}

TEST(BackupUnit, JacobianMatchesFiniteDifferencesIdleAndOn) {
  Case c(shelf());
  NetworkDae dae = c.dae({}, {bbu_group()});
  fixtures::expect_jacobian_matches_differences(dae, "idle");
  std::vector<double> y = dae.initial_y();
  std::vector<double> yp(y.size());
  std::vector<int> roots(static_cast<std::size_t>(dae.roots()), 0);
  roots[static_cast<std::size_t>(root_of(dae, "bbu", "trigger"))] = -1;
  ASSERT_TRUE(dae.handle_event(0.5, y, yp, roots));
  fixtures::expect_jacobian_matches_differences(dae, "on");
}

TEST(BackupUnit, TriggerAndReleaseRootsLatch) {
  Case c(shelf());
  NetworkDae dae = c.dae({}, {bbu_group()});
  const int trigger = root_of(dae, "bbu", "trigger");
  const int release = root_of(dae, "bbu", "release");
  ASSERT_GE(trigger, 0);
  ASSERT_EQ(release, trigger + 1);
  std::vector<double> y = dae.initial_y();
  std::vector<double> yp(y.size());
  std::vector<double> g(static_cast<std::size_t>(dae.roots()));
  dae.root_functions(0.0, y, yp, g);
  const auto node = steady::node_of(c.solver.network(), 1);
  const double v = y[static_cast<std::size_t>(dae.dc_voltage_unknown(node))];
  EXPECT_NEAR(v, 54.0, 1.0);
  EXPECT_DOUBLE_EQ(g[static_cast<std::size_t>(trigger)], v - 48.5);
  EXPECT_DOUBLE_EQ(g[static_cast<std::size_t>(release)], v - 51.0);

  std::vector<int> roots(g.size(), 0);
  const auto fire = [&](int r, int direction, double t_s) {
    std::fill(roots.begin(), roots.end(), 0);
    roots[static_cast<std::size_t>(r)] = direction;
    return dae.handle_event(t_s, y, yp, roots);
  };
  EXPECT_FALSE(fire(trigger, 1, 0.1));   // rising through the trigger: stays idle
  EXPECT_FALSE(fire(release, 1, 0.2));   // idle: nothing to release
  EXPECT_TRUE(fire(trigger, -1, 0.3));   // falling to the trigger: on
  EXPECT_FALSE(fire(trigger, 1, 0.4));   // latched: the bus back above the trigger only
  EXPECT_FALSE(fire(release, -1, 0.5));  // falling through the set voltage: still on
  EXPECT_TRUE(fire(release, 1, 0.6));    // held above its set voltage by something else: idle
  ASSERT_EQ(dae.backup_switches().size(), 2U);
  EXPECT_DOUBLE_EQ(dae.backup_switches()[0].t_s, 0.3);
  EXPECT_TRUE(dae.backup_switches()[0].on);
  EXPECT_DOUBLE_EQ(dae.backup_switches()[1].t_s, 0.6);
  EXPECT_FALSE(dae.backup_switches()[1].on);
}

// Idle, the BBU's power equation is its set-point; on, the droop toward its set voltage.
TEST(BackupUnit, IdleHoldsItsSetPointAndOnCommandsTheDroop) {
  Case c(shelf("1 kW"));
  StorageGroup group = bbu_group();
  group.droop_pu = 0.2;  // 30 kW per 10.8 V: within its limits at 54 V
  NetworkDae dae = c.dae({}, {group});
  std::vector<double> y = dae.initial_y();
  std::vector<double> yp(y.size());
  std::vector<double> f(y.size());
  dae.residual(0.0, y, yp, f);
  std::int64_t p = -1;
  for (std::int64_t k = 0; k < dae.size(); ++k)
    if (dae.names(k).element == "bbu" && dae.names(k).state == "p") p = k;
  ASSERT_GE(p, 0);
  EXPECT_NEAR(f[static_cast<std::size_t>(p)], 0.0, 1e-9);  // p = p_set at the power flow
  std::vector<int> roots(static_cast<std::size_t>(dae.roots()), 0);
  roots[static_cast<std::size_t>(root_of(dae, "bbu", "trigger"))] = -1;
  ASSERT_TRUE(dae.handle_event(0.0, y, yp, roots));
  const double v =
      y[static_cast<std::size_t>(dae.dc_voltage_unknown(steady::node_of(c.solver.network(), 1)))];
  dae.residual(0.0, y, yp, f);
  // F = p - clamp(p_set + K (v_set - v)): v is above v_set at t = 0, so the command is below
  // p_set, by the droop's 30 kW per 20 % of 54 V, inside the clamp.
  const double k_w_per_v = 30e3 / (0.2 * 54.0);
  EXPECT_NEAR(f[static_cast<std::size_t>(p)], 1e3 - (1e3 + k_w_per_v * (51.0 - v)), 1e-6);
}

TEST(BackupUnit, LostInputHasTimedRoots) {
  Case c(shelf());
  NetworkDae dae = c.dae({}, {bbu_group()});
  const int before = dae.roots();
  dae.lose_input(0, 0.25, 0.75);
  ASSERT_EQ(dae.roots(), before + 2);
  EXPECT_EQ(dae.root_name(before).state, "input_lost");
  EXPECT_EQ(dae.root_name(before + 1).state, "input_back");
  std::vector<double> y = dae.initial_y();
  std::vector<double> yp(y.size());
  std::vector<double> g(static_cast<std::size_t>(dae.roots()));
  dae.root_functions(0.5, y, yp, g);
  EXPECT_DOUBLE_EQ(g[static_cast<std::size_t>(before)], 0.25);
  EXPECT_DOUBLE_EQ(g[static_cast<std::size_t>(before) + 1], -0.25);
  std::vector<int> roots(g.size(), 0);
  roots[static_cast<std::size_t>(before)] = 1;
  EXPECT_TRUE(dae.handle_event(0.25, y, yp, roots));
  EXPECT_FALSE(dae.converter_running(0));
  EXPECT_DOUBLE_EQ(dae.converter_output_w(0, y), 0.0);
  roots[static_cast<std::size_t>(before)] = 0;
  roots[static_cast<std::size_t>(before) + 1] = 1;
  EXPECT_TRUE(dae.handle_event(0.75, y, yp, roots));
  EXPECT_TRUE(dae.converter_running(0));
  ASSERT_EQ(dae.mode_changes().size(), 2U);
  EXPECT_FALSE(dae.mode_changes()[0].on);
  EXPECT_TRUE(dae.mode_changes()[1].on);
  EXPECT_THROW(dae.lose_input(0, 0.0, 1.0), InvalidInput);
  EXPECT_THROW(dae.lose_input(0, 0.5, 0.5), InvalidInput);
  EXPECT_THROW(dae.lose_input(7, 0.5, 1.0), InvalidInput);
}

TEST(BackupUnit, RefusesABusBelowItsTriggerAndAnIncompleteGroup) {
  Case c(shelf());
  StorageGroup above = bbu_group(54.5);  // the bus starts at 54 V
  above.set_voltage_v = 56.0;
  try {
    (void)c.dae({}, {above});
    FAIL() << "a BBU whose bus starts below its trigger";
  } catch (const core::ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("not above its trigger"), std::string::npos) << e.what();
  }
  StorageGroup no_bandwidth = bbu_group();
  no_bandwidth.bandwidth_hz = 0.0;
  EXPECT_THROW((void)c.dae({}, {no_bandwidth}), InvalidInput);
  StorageGroup low_set = bbu_group();
  low_set.set_voltage_v = 48.0;
  EXPECT_THROW((void)c.dae({}, {low_set}), InvalidInput);
}

// The command's clamp is a located kink: after the outage the BBU's droop command (4 %: a
// well-damped take-over) sits above its 33 kW limit until the bus climbs back to
// v_set - droop V_nom = 51 - 2.16 = 48.84 V (it carries only 30 kW); its "power_limit" root fires
// there, with the command at its limit.
TEST(BackupUnit, TheCommandLeavingItsLimitIsAStateEvent) {
  std::string text = shelf();
  text.replace(text.find("rating: 30 kW, technology"), 13, "rating: 33 kW");
  Case c(text);
  StorageGroup group = bbu_group();
  group.droop_pu = 0.04;
  NetworkDae dae = c.dae({}, {group});
  dae.lose_input(0, 0.01, 1.0);
  const int high = root_of(dae, "bbu", "power_limit");
  ASSERT_GE(high, 0);
  EXPECT_EQ(root_of(dae, "bbu", "-power_limit"), high + 1);
  const auto v_index =
      static_cast<std::size_t>(dae.dc_voltage_unknown(steady::node_of(c.solver.network(), 1)));
  IntegratorOptions options;
  options.relative_tolerance = 1e-8;
  options.absolute_tolerances = dae.absolute_tolerances(1e-8);
  options.event_horizon_s = 1e-6;
  Integrator integrator(dae, 0.0, dae.initial_y(), dae.initial_yp(), options);
  integrator.initial_conditions(1e-6);
  std::optional<double> limit_s;
  double v_at_limit = 0.0;
  integrator.advance_to(0.3, [&](const Step& step) {
    if (step.kind == StepKind::event && step.roots[static_cast<std::size_t>(high)] != 0 &&
        !limit_s) {
      limit_s = step.t_s;
      v_at_limit = step.y[v_index];
    }
    return true;
  });
  ASSERT_EQ(dae.backup_switches().size(), 1U);
  ASSERT_TRUE(limit_s);
  EXPECT_GT(*limit_s, dae.backup_switches().front().t_s);
  EXPECT_NEAR(v_at_limit, 51.0 - 0.04 * 54.0, 1e-6);
}

}  // namespace
}  // namespace g2g::dynamic

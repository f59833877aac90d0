// A battery backup unit on a 54 V bus against closed forms. The PSU's input is lost at t_off;
// the bus (capacitance C, a constant-power load P) then falls as C v dv/dt = -P, reaching the
// trigger v_trig after
//   t_trig - t_off = C (v_0^2 - v_trig^2) / (2 P).
// The BBU turns on there. Its droop command is far above its power limit P_max for any bus
// voltage below the trigger, so its power loop (tau = 1 / (2 pi bandwidth)) rises as
//   p(s) = P_max (1 - exp(-s / tau)),  s = t - t_trig,
// reaching 90 % of P (P_max = P) after tau ln 10, and the bus, C v dv/dt = p - P, follows
//   v(s)^2 = v_trig^2 - (2 P tau / C) (1 - exp(-s / tau)).
// docs/validation.md § Battery backup unit.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include "g2g/api/model.hpp"
#include "g2g/dynamic/ida.hpp"
#include "g2g/dynamic/network_dae.hpp"
#include "g2g/steady/solver.hpp"

namespace g2g::dynamic {
namespace {

// 400 V -> a regulated 54 V PSU -> the 54 V bus (480 mF, plus the PSU's 20 mF output capacitor
// without ESR: one 0.5 F node) with a 30 kW constant-power rack and a 30 kW BBU, idle at 0 W.
constexpr const char* shelf = R"(grid2gpu: 1
name: bbu closed form
buses:
  - {id: src, kind: dc, voltage: 400 V}
  - {id: b54, kind: dc, voltage: 54 V, capacitance: 480 mF}
components:
  - {id: feed, type: dc_source, bus: src}
  - {id: psu, type: dcdc, input: src, output: b54, rating: 33 kW, efficiency: 97 %,
     output_capacitance: 20 mF, voltage_bandwidth: 1 kHz, damping: 1.0, current_limit: 150 %}
  - {id: rack, type: load, bus: b54, power: 30 kW}
  - {id: bbu, type: storage, bus: b54, power: 0 W, rating: 30 kW, technology: battery,
     ocv: [[0, 46 V], [1, 54 V]], internal_resistance: 5 mohm, capacity: 50 Ah,
     soc_initial: 80 %}
)";

TEST(BackupValidation, TriggerTimeAndTakeOverMatchTheClosedForms) {
  const api::ValidatedModel model = api::load_model_text(shelf, api::ModelFormat::yaml, "c.yaml");
  const auto& spec = model.spec();
  steady::Solver solver(spec);
  (void)solver.solve();
  const double c_f = 0.5;
  const double p_w = 30e3;
  const double v_trig = 48.5;
  const double bandwidth_hz = 100.0;
  const double tau_s = 1.0 / (2.0 * std::numbers::pi * bandwidth_hz);
  StorageGroup bbu;
  bbu.mode = StorageGroup::Mode::voltage_support;
  bbu.members = {0};
  bbu.droop_pu = 0.01;  // 30 kW per 0.54 V: the command saturates below 50.5 V
  bbu.bandwidth_hz = bandwidth_hz;
  bbu.trigger_v = v_trig;
  bbu.set_voltage_v = 51.0;
  NetworkDae dae(spec, solver.network(), solver.state(), {}, {bbu});
  const double t_off_s = 0.01;
  dae.lose_input(0, t_off_s, 1.0);
  const auto v_index =
      static_cast<std::size_t>(dae.dc_voltage_unknown(steady::node_of(solver.network(), 1)));

  IntegratorOptions options;
  options.relative_tolerance = 1e-9;
  options.absolute_tolerances = dae.absolute_tolerances(1e-9);
  options.max_steps = 500000;
  options.event_horizon_s = 1e-7;
  Integrator integrator(dae, 0.0, dae.initial_y(), dae.initial_yp(), options);
  integrator.initial_conditions(1e-6);
  std::optional<double> lost_s, v0;
  struct Sample {
    double t_s, p_w, v;
  };
  std::vector<Sample> after;  // steps after the trigger
  integrator.advance_to(0.06, [&](const Step& step) {
    if (step.kind == StepKind::event && !lost_s && step.t_s > 0.5 * t_off_s) {
      lost_s = step.t_s;
      v0 = step.y[v_index];
    }
    if (!dae.backup_switches().empty() && step.t_s > dae.backup_switches().front().t_s)
      after.push_back({step.t_s, dae.storage_power_w(0, step.y), step.y[v_index]});
    return true;
  });
  ASSERT_TRUE(lost_s);
  ASSERT_EQ(dae.backup_switches().size(), 1U);
  EXPECT_NEAR(*lost_s, t_off_s, 1e-9);
  const double t_trig_s = dae.backup_switches().front().t_s;

  // The fall to the trigger.
  const double expected_fall_s = c_f * (*v0 * *v0 - v_trig * v_trig) / (2.0 * p_w);
  const double fall_s = t_trig_s - *lost_s;
  RecordProperty("fall_expected_ms", fmt::format("{:.6f}", 1e3 * expected_fall_s));
  RecordProperty("fall_simulated_ms", fmt::format("{:.6f}", 1e3 * fall_s));
  RecordProperty("fall_relative_error",
                 fmt::format("{:.2e}", std::fabs(fall_s / expected_fall_s - 1.0)));
  EXPECT_GT(expected_fall_s, 4e-3);  // a real fall over many steps
  EXPECT_NEAR(fall_s, expected_fall_s, 1e-6 * expected_fall_s);

  // The take-over: p(s) and v(s) at every step, and the 90 % time, interpolated.
  ASSERT_GT(after.size(), 20U);
  double worst_p = 0.0;
  double worst_v = 0.0;
  std::optional<double> carry_s;
  for (std::size_t k = 0; k < after.size(); ++k) {
    const double s = after[k].t_s - t_trig_s;
    const double rise = 1.0 - std::exp(-s / tau_s);
    worst_p = std::max(worst_p, std::fabs(after[k].p_w - p_w * rise) / p_w);
    const double v_expected = std::sqrt(v_trig * v_trig - 2.0 * p_w * tau_s / c_f * rise);
    worst_v = std::max(worst_v, std::fabs(after[k].v - v_expected) / v_expected);
    if (!carry_s && k > 0 && after[k].p_w >= 0.9 * p_w) {
      const auto& a = after[k - 1];
      const auto& b = after[k];
      carry_s = a.t_s + (b.t_s - a.t_s) * (0.9 * p_w - a.p_w) / (b.p_w - a.p_w) - t_trig_s;
    }
  }
  ASSERT_TRUE(carry_s);
  const double expected_carry_s = tau_s * std::log(10.0);
  RecordProperty("carry_expected_ms", fmt::format("{:.6f}", 1e3 * expected_carry_s));
  RecordProperty("carry_simulated_ms", fmt::format("{:.6f}", 1e3 * *carry_s));
  RecordProperty("carry_relative_error",
                 fmt::format("{:.2e}", std::fabs(*carry_s / expected_carry_s - 1.0)));
  RecordProperty("worst_p_error", fmt::format("{:.2e}", worst_p));
  RecordProperty("worst_v_error", fmt::format("{:.2e}", worst_v));
  EXPECT_LT(worst_p, 1e-5);
  EXPECT_LT(worst_v, 1e-6);
  // Linear interpolation between steps: within 1e-3 of tau ln 10.
  EXPECT_NEAR(*carry_s, expected_carry_s, 1e-3 * expected_carry_s);
}

}  // namespace
}  // namespace g2g::dynamic

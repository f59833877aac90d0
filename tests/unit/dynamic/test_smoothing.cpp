// Load-side smoothing against closed forms: a step up under a ramp limit reaches the target after
// ΔP / rate; a step down holds for the hysteresis, then ramps; the floors clamp; the energy burnt
// over a square wave equals its per-period closed form.
#include <gtest/gtest.h>

#include <limits>

#include "g2g/core/error.hpp"
#include "g2g/dynamic/smoothing.hpp"

namespace g2g::dynamic {
namespace {

constexpr double unlimited = std::numeric_limits<double>::infinity();

SmoothingSettings settings() {
  SmoothingSettings s;
  s.rated_power_w = 1000.0;
  s.power_floor_percent = 0.0;
  s.ramp_up_w_per_s = unlimited;
  s.ramp_down_w_per_s = unlimited;
  s.ramp_down_hysteresis_ms = 0.0;
  s.secondary_floor_w = 0.0;
  return s;
}

// from_w until t_step_s, then to_w, over [0, t_end_s].
PiecewiseLinear step(double from_w, double to_w, double t_step_s, double t_end_s) {
  return PiecewiseLinear({{0.0, from_w}, {t_step_s, from_w}, {t_step_s, to_w}, {t_end_s, to_w}});
}

TEST(Smoothing, StepUpReachesTheTargetAfterDeltaOverRate) {
  SmoothingSettings s = settings();
  s.ramp_up_w_per_s = 500.0;
  const SmoothedPower out = smooth_power(step(100.0, 1100.0, 1.0, 5.0), s);
  const PiecewiseLinear& p = out.drawn_power_w;
  EXPECT_DOUBLE_EQ(p.value(1.0), 100.0);
  EXPECT_DOUBLE_EQ(p.value(2.0), 600.0);
  EXPECT_DOUBLE_EQ(p.value(3.0), 1100.0);  // 1000 W / 500 W/s = 2 s after the step
  EXPECT_DOUBLE_EQ(p.value(4.0), 1100.0);
  EXPECT_NEAR(out.deferred_energy_j, 0.5 * 1000.0 * 2.0, 1e-9);
  EXPECT_NEAR(out.floor_burn_energy_j, 0.0, 1e-9);
  EXPECT_EQ(p.edges(0.0, 5.0), (std::vector<double>{0.0, 1.0, 3.0, 5.0}));
}

TEST(Smoothing, StepDownHoldsForTheHysteresisThenRamps) {
  SmoothingSettings s = settings();
  s.ramp_down_w_per_s = 1000.0;
  s.ramp_down_hysteresis_ms = 200.0;
  const SmoothedPower out = smooth_power(step(1100.0, 100.0, 1.0, 5.0), s);
  const PiecewiseLinear& p = out.drawn_power_w;
  EXPECT_DOUBLE_EQ(p.value(1.1), 1100.0);
  EXPECT_DOUBLE_EQ(p.value(1.2), 1100.0);
  EXPECT_NEAR(p.value(1.7), 600.0, 1e-9);
  EXPECT_NEAR(p.value(2.2), 100.0, 1e-9);  // 0.2 s hold + 1000 W / 1000 W/s
  EXPECT_DOUBLE_EQ(p.value(3.0), 100.0);
  // Burn: 1000 W × 0.2 s + 1000 W × 1 s / 2.
  EXPECT_NEAR(out.floor_burn_energy_j, 200.0 + 500.0, 1e-9);
  EXPECT_NEAR(out.deferred_energy_j, 0.0, 1e-9);
}

TEST(Smoothing, DemandReturningDuringTheHoldEndsTheEpisode) {
  SmoothingSettings s = settings();
  s.ramp_down_w_per_s = 1000.0;
  s.ramp_down_hysteresis_ms = 500.0;
  // Down to 100 W at 1 s, back to 1100 W at 1.3 s: P never moves.
  const PiecewiseLinear request(
      {{0, 1100}, {1, 1100}, {1, 100}, {1.3, 100}, {1.3, 1100}, {3, 1100}});
  const SmoothedPower out = smooth_power(request, s);
  EXPECT_DOUBLE_EQ(out.drawn_power_w.min_value(), 1100.0);
  EXPECT_NEAR(out.floor_burn_energy_j, 1000.0 * 0.3, 1e-9);
}

TEST(Smoothing, ARampSlowerThanTheLimitIsFollowedExactly) {
  SmoothingSettings s = settings();
  s.ramp_up_w_per_s = 500.0;
  s.ramp_down_w_per_s = 500.0;
  s.ramp_down_hysteresis_ms = 100.0;
  const PiecewiseLinear request({{0, 100}, {2, 900}, {4, 100}});  // 400 W/s up and down
  const SmoothedPower out = smooth_power(request, s);
  for (double t = 0.0; t <= 4.0; t += 0.05) {
    EXPECT_NEAR(out.drawn_power_w.value(t), request.value(t), 1e-9) << t;
  }
  EXPECT_NEAR(out.floor_burn_energy_j, 0.0, 1e-9);
}

TEST(Smoothing, FloorsClampTheDrawnPower) {
  SmoothingSettings s = settings();
  s.power_floor_percent = 30.0;
  const PiecewiseLinear request = PiecewiseLinear::constant(100.0, 0.0, 10.0);
  SmoothedPower out = smooth_power(request, s);
  EXPECT_DOUBLE_EQ(out.drawn_power_w.value(5.0), 300.0);
  EXPECT_NEAR(out.floor_burn_energy_j, 200.0 * 10.0, 1e-9);
  s.secondary_floor_w = 400.0;  // the larger floor wins
  out = smooth_power(request, s);
  EXPECT_DOUBLE_EQ(out.drawn_power_w.value(5.0), 400.0);
  EXPECT_NEAR(out.floor_burn_energy_j, 300.0 * 10.0, 1e-9);
}

TEST(Smoothing, SquareWaveBurnEqualsItsClosedForm) {
  // 200 W / 1000 W square wave, period 2 s, 1 s each; floor 40 % of 1000 W; hysteresis 0.25 s;
  // ramp down 1600 W/s. Per fall: ΔP h + ΔP² / (2 r) with ΔP = 1000 - 400, then the floor over
  // the rest of the low second: (400 - 200) × 1 s.
  SmoothingSettings s = settings();
  s.power_floor_percent = 40.0;
  s.ramp_down_w_per_s = 1600.0;
  s.ramp_down_hysteresis_ms = 250.0;
  std::vector<Breakpoint> points;
  const int periods = 5;
  for (int k = 0; k < periods; ++k) {
    const double t = 2.0 * k;
    append_breakpoint(points, {t, 1000.0});
    append_breakpoint(points, {t + 1.0, 1000.0});
    append_breakpoint(points, {t + 1.0, 200.0});
    append_breakpoint(points, {t + 2.0, 200.0});
  }
  const SmoothedPower out = smooth_power(PiecewiseLinear(points), s);
  const double delta_w = 600.0;
  const double per_period_j = delta_w * 0.25 + delta_w * delta_w / (2.0 * 1600.0) + 200.0 * 1.0;
  EXPECT_NEAR(out.floor_burn_energy_j, periods * per_period_j, 1e-9);
  EXPECT_NEAR(out.deferred_energy_j, 0.0, 1e-9);  // ramp-up unlimited
  EXPECT_NEAR(out.drawn_power_w.value(1.25 + 600.0 / 1600.0), 400.0, 1e-9);
  EXPECT_DOUBLE_EQ(out.drawn_power_w.value(2.0), 1000.0);
}

TEST(Smoothing, RejectsSettingsOutOfRange) {
  SmoothingSettings s = settings();
  s.power_floor_percent = 120.0;
  EXPECT_THROW(check_smoothing_settings(s), InvalidInput);
  s = settings();
  s.ramp_up_w_per_s = 0.0;
  EXPECT_THROW(check_smoothing_settings(s), InvalidInput);
  s = settings();
  s.rated_power_w = -1.0;
  try {
    check_smoothing_settings(s);
    FAIL();
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.subject(), "rated_power_w");
  }
}

TEST(Smoothing, EverySettingMustBeGiven) {
  SmoothingSettings s = settings();
  s.ramp_down_hysteresis_ms = not_given;  // no silent 0
  try {
    check_smoothing_settings(s);
    FAIL();
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.subject(), "ramp_down_hysteresis_ms");
    EXPECT_NE(std::string(e.what()).find("not given"), std::string::npos) << e.what();
  }
  EXPECT_THROW(check_smoothing_settings(SmoothingSettings{}), InvalidInput);
}

}  // namespace
}  // namespace g2g::dynamic

// devices::device_loss and helpers against closed forms (docs/devices.md).
#include <gtest/gtest.h>

#include <cmath>

#include "g2g/devices/device.hpp"
#include "g2g/devices/library.hpp"

namespace g2g::devices {
namespace {

Device two_point_part() {
  Device d;
  d.name = "test";
  d.r_ds_on_25c_ohm = 0.05;
  d.r_ds_on_exponent = r_ds_on_exponent_from_ratio(2.25, 150.0);
  d.q_g_c = 6e-9;
  d.q_gs_c = 2e-9;
  d.q_gd_c = 2e-9;
  d.v_gs_on_v = 6.0;
  d.v_gs_off_v = 0.0;
  d.v_th_v = 1.5;
  d.v_plateau_v = 3.0;
  d.r_g_internal_ohm = 1.0;
  d.oss = {{100.0, 40e-9, 1.5e-6}, {400.0, 60e-9, 7e-6}};
  d.v_sd_v = 2.0;
  return d;
}

TEST(DeviceConduction, RdsOnFollowsThePowerLawThroughTheHotRatio) {
  const Device d = two_point_part();
  EXPECT_DOUBLE_EQ(r_ds_on_ohm(d, 25.0), 0.05);
  EXPECT_NEAR(r_ds_on_ohm(d, 150.0), 0.05 * 2.25, 1e-12);
  // Between: ((T + 273.15) / 298.15)^x with x = ln 2.25 / ln(423.15 / 298.15).
  const double x = std::log(2.25) / std::log(423.15 / 298.15);
  EXPECT_NEAR(r_ds_on_ohm(d, 100.0), 0.05 * std::pow(373.15 / 298.15, x), 1e-12);
  SwitchStress s;
  s.i_rms_a = 12.0;
  EXPECT_NEAR(device_loss(d, s, GateDrive{}, 100.0).conduction_w, 144.0 * r_ds_on_ohm(d, 100.0),
              1e-12);
}

TEST(DeviceOss, InterpolationReproducesTheDatasheetPoints) {
  const Device d = two_point_part();
  for (const OssPoint& p : d.oss) {
    EXPECT_DOUBLE_EQ(q_oss_c(d, p.v_v), p.q_oss_c);
    EXPECT_DOUBLE_EQ(e_oss_j(d, p.v_v), p.e_oss_j);
  }
  // Below the first point: charge linear, energy quadratic through the origin.
  EXPECT_NEAR(q_oss_c(d, 50.0), 20e-9, 1e-18);
  EXPECT_NEAR(e_oss_j(d, 50.0), 1.5e-6 / 4.0, 1e-15);
  // Between points: linear in V; above: the last segment's capacitance.
  EXPECT_NEAR(q_oss_c(d, 250.0), 50e-9, 1e-18);
  const double c_inc = 20e-9 / 300.0;
  EXPECT_NEAR(q_oss_c(d, 500.0), 60e-9 + c_inc * 100.0, 1e-18);
  EXPECT_NEAR(e_oss_j(d, 500.0), 7e-6 + 0.5 * c_inc * (500.0 * 500.0 - 400.0 * 400.0), 1e-15);
  EXPECT_EQ(q_oss_c(d, 0.0), 0.0);
}

TEST(DeviceZvs, BoundaryIsTwiceTheOutputChargeOverTheCurrent) {
  const Device d = two_point_part();
  const double t_dead = 50e-9;
  const double i_boundary = 2.0 * 60e-9 / t_dead;  // 2.4 A
  EXPECT_TRUE(zvs_check(d, 400.0, i_boundary * 1.01, t_dead).achieved);
  EXPECT_FALSE(zvs_check(d, 400.0, i_boundary * 0.99, t_dead).achieved);
  const ZvsCheck check = zvs_check(d, 400.0, i_boundary, t_dead);
  EXPECT_NEAR(check.charge_needed_c, 120e-9, 1e-18);
  EXPECT_NEAR(check.time_needed_s, t_dead, 1e-18);
  EXPECT_NEAR(check.energy_needed_j, 400.0 * 60e-9, 1e-15);
  EXPECT_FALSE(zvs_check(d, 400.0, 0.0, t_dead).achieved);
}

// Without C_OSS the turn-on is the textbook ½ V I (t_ri + t_fv) with the gate currents of the
// charge model; with ZVS it vanishes, and the C_OSS terms appear only at hard turn-on.
TEST(DeviceSwitching, HardTurnOnWithoutCossIsTheTextbookOverlap) {
  Device d = two_point_part();
  d.oss = {{400.0, 1e-18, 1e-28}};  // negligible
  const GateDrive gate{2.0};
  SwitchStress s;
  s.f_sw_hz = 100e3;
  s.v_block_v = 400.0;
  s.i_on_a = 10.0;
  const double r_g = 3.0;
  const double q_gs2 = 2e-9 * (3.0 - 1.5) / 3.0;
  const double t_ri = q_gs2 * r_g / (6.0 - 2.25);
  const double t_fv = 2e-9 * r_g / (6.0 - 3.0);
  const DeviceLoss loss = device_loss(d, s, gate, 25.0);
  EXPECT_NEAR(loss.turn_on_w, 0.5 * 400.0 * 10.0 * (t_ri + t_fv) * 100e3, 1e-6);
  const SwitchingTimes times = switching_times(d, 400.0, 10.0, gate);
  EXPECT_NEAR(times.t_rise_i_s, t_ri, 1e-15);
  EXPECT_NEAR(times.t_fall_v_s, t_fv, 1e-15);
  s.zvs_on = true;
  EXPECT_EQ(device_loss(d, s, gate, 25.0).turn_on_w, 0.0);
}

TEST(DeviceSwitching, OssEnergyAtHardTurnOnIsOwnEPlusPartnerQvMinusE) {
  const Device d = two_point_part();
  SwitchStress s;
  s.f_sw_hz = 1.0;
  s.v_block_v = 400.0;
  s.i_on_a = 5.0;
  s = with_partner(s, d);
  const DeviceLoss hard = device_loss(d, s, GateDrive{}, 25.0);
  EXPECT_NEAR(hard.oss_w, 7e-6 + (400.0 * 60e-9 - 7e-6), 1e-15);  // = V Q_OSS for twins
  s.partner_q_rr_c = 100e-9;
  EXPECT_NEAR(device_loss(d, s, GateDrive{}, 25.0).reverse_recovery_w, 400.0 * 100e-9, 1e-15);
  s.zvs_on = true;
  const DeviceLoss soft = device_loss(d, s, GateDrive{}, 25.0);
  EXPECT_EQ(soft.oss_w, 0.0);
  EXPECT_EQ(soft.reverse_recovery_w, 0.0);
  EXPECT_EQ(soft.turn_on_w, 0.0);
}

// Below the snubbing boundary the channel closes before the node moves: almost no turn-off loss;
// well above it the loss approaches ½ V I (t_rv + t_fi) less the capacitor energy.
TEST(DeviceSwitching, TurnOffIsSnubbedByCossAtLowCurrent) {
  const Device d = two_point_part();
  const GateDrive gate{2.0};
  SwitchStress s;
  s.f_sw_hz = 1.0;
  s.v_block_v = 400.0;
  s = with_partner(s, d);
  const double i_crit = 120e-9 / 2e-9 * (1.5 - 0.0) / 3.0;  // 30 A
  s.i_off_a = 0.3 * i_crit;
  const double low = device_loss(d, s, gate, 25.0).turn_off_w;
  EXPECT_LT(low, 0.01 * 0.5 * 400.0 * s.i_off_a * 2e-9 * 3.0 / 3.0);
  s.i_off_a = 10.0 * i_crit;
  const double high = device_loss(d, s, gate, 25.0).turn_off_w;
  EXPECT_GT(high, 0.0);
  EXPECT_LT(high, 0.5 * 400.0 * s.i_off_a * 2.0 * (2e-9 * 3.0 / 1.5));
  // Monotone in current.
  double previous = 0.0;
  for (double i = 1.0; i < 400.0; i *= 1.3) {
    s.i_off_a = i;
    const double e = device_loss(d, s, gate, 25.0).turn_off_w;
    EXPECT_GE(e, previous * 0.999) << i;
    previous = e;
  }
}

TEST(DeviceLoss, DeadTimeAndGate) {
  const Device d = two_point_part();
  SwitchStress s;
  s.f_sw_hz = 200e3;
  s.t_dead_s = 100e-9;
  s.i_dead_a = 8.0;
  const DeviceLoss loss = device_loss(d, s, GateDrive{}, 25.0);
  EXPECT_NEAR(loss.dead_time_w, 2.0 * 8.0 * 100e-9 * 200e3, 1e-12);
  EXPECT_NEAR(loss.gate_w, 6e-9 * 6.0 * 200e3, 1e-12);
  EXPECT_NEAR(loss.total_w(), loss.dead_time_w + loss.gate_w, 1e-12);
}

TEST(DeviceLibrary, EveryDefaultPartGivesFiniteLosses) {
  for (const Device& d : default_devices()) {
    SwitchStress s;
    s.f_sw_hz = 100e3;
    s.v_block_v = 0.6 * d.v_ds_max_v;
    s.i_rms_a = s.i_on_a = s.i_off_a = 10.0;
    s = with_partner(s, d);
    const DeviceLoss loss = device_loss(d, s, GateDrive{}, 100.0);
    EXPECT_TRUE(std::isfinite(loss.total_w()) && loss.total_w() > 0.0) << d.name;
    EXPECT_GT(loss.turn_on_w, 0.0) << d.name;
  }
}

}  // namespace
}  // namespace g2g::devices

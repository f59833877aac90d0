// evaluate_buck / evaluate_llc / evaluate_dab / efficiency_map with hand-made test parts: energy
// balance, loss bookkeeping against the reported stresses, ZVS gained and lost where the circuit
// equations say, and the design errors. The parts below are test fixtures with round,
// datasheet-like values, not library parts.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "g2g/converters/converter.hpp"
#include "g2g/converters/waveforms.hpp"
#include "unit/converters/test_parts.hpp"

namespace g2g::converters {
namespace {

devices::Device test_gan(std::string name, double v_max, double r25, double q_oss_at_half_v) {
  devices::Device d;
  d.name = std::move(name);
  d.technology = devices::Technology::gan_hemt;
  d.v_ds_max_v = v_max;
  d.r_ds_on_25c_ohm = r25;
  d.r_ds_on_exponent = 2.6;
  d.q_g_c = 10e-9;
  d.q_gs_c = 3e-9;
  d.q_gd_c = 1.5e-9;
  d.v_gs_on_v = 5.0;
  d.v_gs_off_v = 0.0;
  d.v_th_v = 1.3;
  d.v_plateau_v = 2.5;
  d.r_g_internal_ohm = 0.4;
  // C_OSS falling with voltage: Q at V/2 and at V.
  d.oss = {{0.5 * v_max, q_oss_at_half_v, 0.3 * q_oss_at_half_v * 0.5 * v_max},
           {v_max, 1.4 * q_oss_at_half_v, 0.35 * 1.4 * q_oss_at_half_v * v_max}};
  d.v_sd_v = 2.0;
  d.r_th_jc_k_per_w = 0.5;
  d.t_j_max_c = 150.0;
  return d;
}

struct ConverterParts {
  std::vector<devices::Device> devices{test_gan("gan100", 100.0, 3.2e-3, 50e-9),
                                       test_gan("gan40", 40.0, 1.5e-3, 40e-9),
                                       test_gan("gan650", 650.0, 25e-3, 60e-9)};
  std::vector<magnetics::CoreMaterial> materials{fixtures::test_ferrite()};
  Library library{&devices, &materials};
};

ConverterDesign buck_design() {
  ConverterDesign d;
  d.name = "test buck";
  d.topology = Topology::buck;
  d.phases = 2;
  d.primary_device = "gan100";
  d.f_sw_hz = 500e3;
  d.t_dead_s = 10e-9;
  d.v_in_nominal_v = 48.0;
  d.v_out_nominal_v = 12.0;
  d.rating_w = 600.0;
  d.inductor = {"N87-test", 60e-6, 1.5e-6, 4, 2.2e-6, 1e-3, 0.0, 0.0, 1, 1.0};
  d.capacitor_esr_ohm = 2e-3;
  d.other_loss_fraction = 0.002;
  return d;
}

ConverterDesign llc_design() {
  ConverterDesign d;
  d.name = "test llc";
  d.topology = Topology::llc;
  d.full_bridge = true;
  d.primary_device = "gan100";
  d.secondary_device = "gan40";
  d.secondary_parallel = 4;
  d.f_sw_hz = 1e6;
  d.t_dead_s = 22e-9;
  d.v_in_nominal_v = 48.0;
  d.v_out_nominal_v = 12.0;
  d.rating_w = 1000.0;
  d.turns_ratio = 4.0;
  d.transformer = {"N87-test", 68e-6, 2.5e-6, 4, 1.0e-6, 2e-3, 0.2e-3, 0.07e-3, 2, 1.0};
  d.resonant_capacitor_esr_ohm = 1e-3;
  d.capacitor_esr_ohm = 0.3e-3;
  return d;
}

ConverterDesign dab_design() {
  ConverterDesign d;
  d.name = "test dab";
  d.topology = Topology::dab;
  d.primary_device = "gan650";
  d.f_sw_hz = 200e3;
  d.t_dead_s = 50e-9;
  d.v_in_nominal_v = 400.0;
  d.v_out_nominal_v = 400.0;
  d.rating_w = 3000.0;
  d.turns_ratio = 1.0;
  d.resonant_inductance_h = 30e-6;
  d.transformer = {"N87-test", 200e-6, 20e-6, 12, 1e-3, 20e-3, 0.0, 0.0, 1, 1.0};
  return d;
}

void expect_balanced(const ConverterResult& r) {
  EXPECT_NEAR(r.p_in_w, r.point.p_out_w + r.loss.total_w(), 1e-9 * r.p_in_w);
  EXPECT_NEAR(r.efficiency, r.point.p_out_w / r.p_in_w, 1e-12);
  EXPECT_GT(r.efficiency, 0.5);
  EXPECT_LT(r.efficiency, 1.0);
  // Switch losses in the breakdown are the per-device losses times the counts.
  double conduction = 0.0, switching = 0.0, gate = 0.0, dead = 0.0;
  for (const auto& s : r.switches) {
    conduction += s.count * s.loss.conduction_w;
    switching += s.count * s.loss.switching_w();
    gate += s.count * s.loss.gate_w;
    dead += s.count * s.loss.dead_time_w;
    EXPECT_GT(s.thermal.t_j_c, 0.0);
    EXPECT_FALSE(s.position.empty());
  }
  EXPECT_NEAR(r.loss.conduction_w, conduction, 1e-12);
  EXPECT_NEAR(r.loss.switching_w, switching, 1e-12);
  EXPECT_NEAR(r.loss.gate_w, gate, 1e-12);
  EXPECT_NEAR(r.loss.dead_time_w, dead, 1e-12);
}

TEST(Buck, BalancedBreakdownAndStresses) {
  const ConverterParts parts;
  const ConverterDesign d = buck_design();
  const ConverterResult r = evaluate(d, parts.library, {48.0, 12.0, 600.0});
  expect_balanced(r);
  ASSERT_EQ(r.switches.size(), 2u);
  EXPECT_EQ(r.switches[0].count, 2);
  const auto w = waveforms::buck_waveforms(48.0, 12.0, 600.0, 2, 2.2e-6, 500e3, 3.2e-3, 3.2e-3,
                                           1e-3, 4, 60e-6);
  EXPECT_NEAR(r.switches[0].stress.i_rms_a, w.i_rms_control_a, 1e-12);
  EXPECT_NEAR(r.switches[1].stress.i_rms_a, w.i_rms_sync_a, 1e-12);
  // Conduction at the junction temperature the thermal model found.
  const auto& hs = r.switches[0];
  EXPECT_NEAR(hs.loss.conduction_w,
              hs.stress.i_rms_a * hs.stress.i_rms_a *
                  devices::r_ds_on_ohm(parts.devices[0], hs.thermal.t_j_c),
              1e-9);
  // Hard-switched control switch (valley current positive), soft synchronous rectifier.
  EXPECT_GT(w.i_valley_a, 0.0);
  EXPECT_FALSE(hs.zvs);
  EXPECT_GT(hs.loss.turn_on_w, 0.0);
  EXPECT_TRUE(r.switches[1].zvs);
  EXPECT_TRUE(r.zvs_all);
  EXPECT_GT(r.loss.core_w, 0.0);
  EXPECT_GT(r.loss.winding_w, 2 * w.i_phase_a * w.i_phase_a * 1e-3);
  EXPECT_NEAR(r.loss.capacitor_w, w.i_rms_output_cap_a * w.i_rms_output_cap_a * 2e-3, 1e-12);
  EXPECT_NEAR(r.loss.other_w, 0.002 * 600.0, 1e-12);
  EXPECT_NEAR(r.magnetics_volume_m3, 2 * 1.5e-6, 1e-18);
}

TEST(Buck, NegativeValleyGivesZeroVoltageTurnOn) {
  const ConverterParts parts;
  ConverterDesign d = buck_design();
  d.inductor.inductance_h = 0.15e-6;  // ripple 90 A p-p per phase against 5 A: valley < 0
  d.t_dead_s = 20e-9;
  const ConverterResult r = evaluate(d, parts.library, {48.0, 12.0, 120.0});
  expect_balanced(r);
  EXPECT_TRUE(r.switches[0].zvs);
  EXPECT_EQ(r.switches[0].loss.turn_on_w, 0.0);
  EXPECT_EQ(r.switches[0].loss.oss_w, 0.0);
  EXPECT_GT(r.switches[1].stress.i_off_a, 0.0);
  // Too short a dead time to swing the node: hard again.
  d.t_dead_s = 0.2e-9;
  const ConverterResult hard = evaluate(d, parts.library, {48.0, 12.0, 120.0});
  EXPECT_FALSE(hard.switches[0].zvs);
  EXPECT_GT(hard.switches[0].loss.oss_w, 0.0);
}

TEST(Buck, LossGrowsWithFrequencyAndLoad) {
  const ConverterParts parts;
  ConverterDesign d = buck_design();
  const double p1 = evaluate(d, parts.library, {48.0, 12.0, 300.0}).loss.total_w();
  const double p2 = evaluate(d, parts.library, {48.0, 12.0, 600.0}).loss.total_w();
  EXPECT_GT(p2, p1);
  const double sw1 = evaluate(d, parts.library, {48.0, 12.0, 600.0}).loss.switching_w;
  d.f_sw_hz = 1e6;
  const double sw2 = evaluate(d, parts.library, {48.0, 12.0, 600.0}).loss.switching_w;
  EXPECT_GT(sw2, 1.5 * sw1);
}

TEST(Buck, DesignErrorsNameTheProblem) {
  const ConverterParts parts;
  ConverterDesign d = buck_design();
  try {
    (void)evaluate(d, parts.library, {12.0, 48.0, 100.0});
    FAIL() << "expected DesignError";
  } catch (const DesignError& e) {
    EXPECT_EQ(e.design(), "test buck");
    EXPECT_EQ(e.field(), "v_out");
    EXPECT_EQ(e.fix(), "an input voltage above the output, or another topology");
  }
  d.primary_device = "no such part";
  try {
    (void)evaluate(d, parts.library, {48.0, 12.0, 100.0});
    FAIL() << "expected DesignError";
  } catch (const DesignError& e) {
    EXPECT_NE(std::string(e.what()).find("no such part"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("test buck"), std::string::npos);
    EXPECT_EQ(e.field(), "primary_device");
  }
  d = buck_design();
  d.inductor.material = "unobtainium";
  EXPECT_THROW((void)evaluate(d, parts.library, {48.0, 12.0, 100.0}), DesignError);
  d = buck_design();
  d.f_sw_hz = 0.0;
  EXPECT_THROW((void)evaluate(d, parts.library, {48.0, 12.0, 100.0}), DesignError);
}

TEST(Llc, AtResonanceSoftSwitchedEverywhere) {
  const ConverterParts parts;
  const ConverterDesign d = llc_design();
  const ConverterResult r = evaluate(d, parts.library, {48.0, 12.0, 1000.0});
  expect_balanced(r);
  ASSERT_EQ(r.switches.size(), 2u);
  EXPECT_EQ(r.switches[0].count, 4);
  EXPECT_EQ(r.switches[1].count, 8);  // centre-tapped, 4 in parallel
  EXPECT_TRUE(r.zvs_all) << (r.warnings.empty() ? "" : r.warnings[0]);
  EXPECT_TRUE(r.warnings.empty());
  const auto w =
      waveforms::llc_waveforms(48.0, 12.0, 1000.0, true, false, 4.0, 1.0e-6, 1e6, 4, 68e-6);
  EXPECT_NEAR(r.switches[0].stress.i_off_a, w.i_mag_peak_a, 1e-12);
  EXPECT_NEAR(r.switches[1].stress.i_rms_a, w.i_sr_rms_a / 4, 1e-12);
  EXPECT_EQ(r.switches[0].loss.turn_on_w, 0.0);
  EXPECT_GT(r.loss.core_w, 0.0);
  EXPECT_GT(r.loss.winding_w, 0.0);
  EXPECT_GT(r.loss.capacitor_w, w.i_pri_rms_a * w.i_pri_rms_a * 1e-3);
}

TEST(Llc, TooLittleMagnetisingCurrentLosesZvs) {
  const ConverterParts parts;
  ConverterDesign d = llc_design();
  const ConverterResult soft = evaluate(d, parts.library, {48.0, 12.0, 500.0});
  d.transformer.inductance_h = 50e-6;  // I_m 0.24 A cannot move 2 Q_OSS in 22 ns
  const ConverterResult hard = evaluate(d, parts.library, {48.0, 12.0, 500.0});
  EXPECT_TRUE(soft.zvs_all);
  EXPECT_FALSE(hard.zvs_all);
  EXPECT_FALSE(hard.switches[0].zvs);
  EXPECT_GT(hard.switches[0].loss.oss_w, 0.0);
  ASSERT_FALSE(hard.warnings.empty());
  EXPECT_NE(hard.warnings[0].find("primary switch"), std::string::npos);
}

TEST(Llc, OffResonanceIsFlagged) {
  const ConverterParts parts;
  const ConverterResult r = evaluate(llc_design(), parts.library, {48.0, 10.0, 500.0});
  bool flagged = false;
  for (const auto& w : r.warnings) flagged |= w.find("resonance") != std::string::npos;
  EXPECT_TRUE(flagged);
}

TEST(Dab, MatchedVoltagesSoftAndLightLoadMismatchHard) {
  const ConverterParts parts;
  const ConverterDesign d = dab_design();
  const ConverterResult r = evaluate(d, parts.library, {400.0, 400.0, 3000.0});
  expect_balanced(r);
  EXPECT_TRUE(r.zvs_all);
  EXPECT_TRUE(r.switches[0].zvs);
  EXPECT_TRUE(r.switches[1].zvs);
  const ConverterResult light = evaluate(d, parts.library, {400.0, 300.0, 200.0});
  EXPECT_FALSE(light.switches[1].zvs);
  EXPECT_FALSE(light.zvs_all);
  EXPECT_GT(light.switches[1].loss.oss_w, 0.0);
  // Beyond the maximum power at phi = pi/2.
  EXPECT_THROW((void)evaluate(d, parts.library, {400.0, 400.0, 30000.0}), DesignError);
}

TEST(Map, GridOrderAndInfeasiblePointsRecorded) {
  const ConverterParts parts;
  const ConverterDesign d = dab_design();
  const EfficiencyMap m = efficiency_map(d, parts.library, {0.25, 0.5, 1.0, 20.0}, {380.0, 420.0});
  ASSERT_EQ(m.points.size(), 8u);
  EXPECT_DOUBLE_EQ(m.points[1].point.p_out_w, 1500.0);
  EXPECT_DOUBLE_EQ(m.points[5].point.v_in_v, 420.0);
  EXPECT_TRUE(std::isnan(m.points[3].efficiency));  // 60 kW is beyond this DAB
  EXPECT_FALSE(m.points[3].warnings.empty());
  EXPECT_GT(m.points[2].efficiency, 0.9);
  ConverterDesign bad = d;
  bad.primary_device = "missing";
  EXPECT_THROW((void)efficiency_map(bad, parts.library, {0.5}, {400.0}), DesignError);
}

TEST(Dispatch, NamesAndPendingTopologies) {
  EXPECT_EQ(name(Topology::llc), "llc");
  EXPECT_EQ(name(Topology::afe_3level), "afe_3level");
  const ConverterParts parts;
  EXPECT_NE(parts.library.device("gan40"), nullptr);
  EXPECT_EQ(parts.library.device("gan41"), nullptr);
  EXPECT_NE(parts.library.material("N87-test"), nullptr);
  EXPECT_EQ(Library{}.device("gan40"), nullptr);
}

}  // namespace
}  // namespace g2g::converters

// Three-phase active front end: modulation references, device RMS currents against the
// classical sinusoidal-PWM closed forms (Graovac & Pürschel), the DC-link capacitor current
// against Kolar & Round's closed form, the DC current P/V_dc, and evaluate_afe (2-level and
// 3-level T-type): power balance, half-voltage switching of the 3-level leg, frequency, errors.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "g2g/converters/converter.hpp"
#include "g2g/converters/pfc_waveforms.hpp"
#include "unit/converters/test_parts.hpp"

namespace g2g::converters {
namespace {

using std::numbers::pi;
using waveforms::Modulation;

devices::Device test_switch(std::string name, double v_max, double r25, double q_oss_c,
                            double e_oss_j, double q_rr_c) {
  devices::Device d;
  d.name = std::move(name);
  d.technology = devices::Technology::sic_mosfet;
  d.v_ds_max_v = v_max;
  d.r_ds_on_25c_ohm = r25;
  d.r_ds_on_exponent = 1.3;
  d.q_g_c = 60e-9;
  d.q_gs_c = 15e-9;
  d.q_gd_c = 20e-9;
  d.v_gs_on_v = 15.0;
  d.v_gs_off_v = -4.0;
  d.v_th_v = 2.5;
  d.v_plateau_v = 5.0;
  d.r_g_internal_ohm = 2.0;
  d.oss = {{0.5 * v_max, q_oss_c, e_oss_j}};
  d.q_rr_c = q_rr_c;
  d.v_sd_v = 4.0;
  d.r_th_jc_k_per_w = 0.3;
  d.t_j_max_c = 175.0;
  return d;
}

struct AfeParts {
  std::vector<devices::Device> devices{test_switch("sic1200", 1200.0, 16e-3, 250e-9, 60e-6, 300e-9),
                                       test_switch("sic650", 650.0, 15e-3, 200e-9, 25e-6, 150e-9)};
  std::vector<magnetics::CoreMaterial> materials{fixtures::test_ferrite()};
  Library library{&devices, &materials};
};

ConverterDesign afe_design(Topology topology) {
  ConverterDesign d;
  d.name = "test afe";
  d.topology = topology;
  d.primary_device = "sic1200";
  d.secondary_device = topology == Topology::afe_3level ? "sic650" : "";
  d.f_sw_hz = 40e3;
  d.t_dead_s = 200e-9;
  d.v_in_nominal_v = 480.0;
  d.v_out_nominal_v = 800.0;
  d.rating_w = 100e3;
  d.inductor = {"N87-test", 800e-6, 300e-6, 20, 300e-6, 5e-3, 0.0, 0.0, 1, 1.0};
  d.capacitor_esr_ohm = 10e-3;
  d.cooling = {40.0, 0.3};
  return d;
}

// Mean over the quarter-period samples (= over the half period of positive current).
template <typename F>
double half_period_mean(const waveforms::AfeWaveforms& w, F f) {
  double s = 0.0;
  for (const auto& c : w.cells) s += f(c);
  return s / static_cast<double>(w.cells.size());
}

TEST(AfeWaveforms, ModulationReferences) {
  EXPECT_NEAR(waveforms::phase_reference(0.9, pi / 2, Modulation::sinusoidal), 0.9, 1e-15);
  // Min-max zero sequence: the peak falls to m sqrt(3)/2 at 60° (and at 120°), 0.75 m at 90°.
  EXPECT_NEAR(waveforms::phase_reference(1.0, pi / 3, Modulation::space_vector),
              std::sqrt(3.0) / 2.0, 1e-12);
  EXPECT_NEAR(waveforms::phase_reference(1.0, pi / 2, Modulation::space_vector), 0.75, 1e-12);
  const auto w =
      waveforms::afe_waveforms(480.0, 800.0, 1e5, 1e5, false, Modulation::space_vector, 1.0, 40e3);
  EXPECT_NEAR(w.modulation_index, std::sqrt(2.0 / 3.0) * 480.0 / 400.0, 1e-12);
  EXPECT_NEAR(w.max_reference, w.modulation_index * std::sqrt(3.0) / 2.0, 1e-12);
}

TEST(AfeWaveforms, TwoLevelDeviceCurrentsMatchTheSinusoidalPwmClosedForm) {
  // Graovac & Pürschel: each switch conducts Î^2 (1/8 + m cos(phi)/(3 pi)) and its partner's
  // diode path Î^2 (1/8 - m cos(phi)/(3 pi)); a rectifier at unity power factor is cos(phi) = -1
  // for the switch that raises the current (the bottom one while i > 0).
  const double v_ll = 400.0, v_dc = 750.0, p = 50e3;
  const auto w =
      waveforms::afe_waveforms(v_ll, v_dc, p, p, false, Modulation::sinusoidal, 1.0, 40e3);
  const double i_hat = std::sqrt(2.0) * p / (std::sqrt(3.0) * v_ll);
  const double m = w.modulation_index;
  const double active = 0.5 * half_period_mean(w, [](const auto& c) { return c.ms_active_a2; });
  const double passive = 0.5 * half_period_mean(w, [](const auto& c) { return c.ms_passive_a2; });
  EXPECT_NEAR(active, i_hat * i_hat * (1.0 / 8.0 - m / (3.0 * pi)), 1e-4 * i_hat * i_hat);
  EXPECT_NEAR(passive, i_hat * i_hat * (1.0 / 8.0 + m / (3.0 * pi)), 1e-4 * i_hat * i_hat);
  // Synchronous MOSFETs: the leg conducts the phase current all the time.
  EXPECT_NEAR(2.0 * w.i_rms_outer_a * w.i_rms_outer_a, w.i_phase_rms_a * w.i_phase_rms_a,
              1e-4 * w.i_phase_rms_a * w.i_phase_rms_a);
  EXPECT_NEAR(w.i_out_a, p / v_dc, 1e-12);
  EXPECT_NEAR(w.i_phase_rms_a, p / (std::sqrt(3.0) * v_ll), 1e-12);
}

TEST(AfeWaveforms, DcLinkCapacitorMatchesKolarAndRound) {
  // Kolar & Round (IEE Proc. EPA 153(4), 2006), sinusoidal PWM, unity power factor, with the
  // phase current's RMS value I_N:
  // I_C = I_N sqrt(2 M (sqrt(3)/(4 pi) + cos^2(phi) (sqrt(3)/pi - 9 M / 16))).
  for (double v_dc : {700.0, 800.0, 1000.0}) {
    const double v_ll = 400.0, p = 50e3;
    const auto w =
        waveforms::afe_waveforms(v_ll, v_dc, p, p, false, Modulation::sinusoidal, 1.0, 40e3);
    const double m = w.modulation_index;
    const double kolar =
        w.i_phase_rms_a *
        std::sqrt(2.0 * m * (std::sqrt(3.0) / (4.0 * pi) + std::sqrt(3.0) / pi - 9.0 * m / 16.0));
    EXPECT_NEAR(w.i_cap_rms_a, kolar, 0.01 * kolar) << v_dc;
  }
}

TEST(AfeWaveforms, ThreeLevelSharesAndHalfVoltageRipple) {
  const double v_ll = 400.0, v_dc = 750.0, p = 50e3, l = 500e-6, f = 40e3;
  const auto w3 = waveforms::afe_waveforms(v_ll, v_dc, p, p, true, Modulation::sinusoidal, 1.0, f);
  const double i_rms = w3.i_phase_rms_a;
  const double m = w3.modulation_index;
  // Outer (P state, one half period): 4 m I^2/(3 pi); inner pair (O state, both halves):
  // I^2 (1 - 8 m/(3 pi)).
  EXPECT_NEAR(w3.i_rms_outer_a * w3.i_rms_outer_a, 4.0 * m * i_rms * i_rms / (3.0 * pi),
              1e-4 * i_rms * i_rms);
  EXPECT_NEAR(w3.i_rms_inner_a * w3.i_rms_inner_a, i_rms * i_rms * (1.0 - 8.0 * m / (3.0 * pi)),
              1e-4 * i_rms * i_rms);
  // Ripple: V_dc/2 switched at the 3-level leg against V_dc at the 2-level one.
  const auto r2 = waveforms::afe_waveforms(v_ll, v_dc, p, p, false, Modulation::sinusoidal, l, f);
  const auto r3 = waveforms::afe_waveforms(v_ll, v_dc, p, p, true, Modulation::sinusoidal, l, f);
  EXPECT_NEAR(r3.ripple_pp_max_a, 0.5 * r2.ripple_pp_max_a, 1e-3 * r2.ripple_pp_max_a);
  for (std::size_t k = 0; k < r3.cells.size(); k += 11) {
    const double u = waveforms::phase_reference(m, r3.theta_rad[k], Modulation::sinusoidal);
    EXPECT_NEAR(r3.cells[k].ripple_pp_a, 0.5 * v_dc * u * (1.0 - u) / (l * f), 1e-9);
  }
}

TEST(Afe, PowerBalanceAndDcCurrent) {
  const AfeParts parts;
  for (Topology t : {Topology::afe_2level, Topology::afe_3level}) {
    const ConverterDesign d = afe_design(t);
    const ConverterResult r = evaluate(d, parts.library, {480.0, 800.0, 60e3});
    EXPECT_NEAR(r.p_in_w, r.point.p_out_w + r.loss.total_w(), 1e-9 * r.p_in_w);
    EXPECT_GT(r.efficiency, 0.95) << name(t);
    EXPECT_LT(r.efficiency, 0.999) << name(t);
    EXPECT_GT(r.loss.core_w, 0.0);
    EXPECT_GT(r.loss.capacitor_w, 0.0);
    EXPECT_TRUE(r.thermal_ok);
    double count = 0;
    for (const auto& s : r.switches) count += s.count;
    EXPECT_EQ(count, t == Topology::afe_2level ? 6 : 12);
    EXPECT_NEAR(r.magnetics_volume_m3, 3.0 * d.inductor.core_volume_m3, 1e-15);
  }
}

TEST(Afe, ThreeLevelSwitchesHalfTheVoltage) {
  // Same parts in both (1200 V everywhere): the 3-level leg switches V_dc/2 and its inductor
  // sees half the volt-seconds, so switching and core losses fall.
  const AfeParts parts;
  ConverterDesign two = afe_design(Topology::afe_2level);
  ConverterDesign three = afe_design(Topology::afe_3level);
  three.secondary_device = "sic1200";
  const ConverterResult r2 = evaluate(two, parts.library, {480.0, 800.0, 60e3});
  const ConverterResult r3 = evaluate(three, parts.library, {480.0, 800.0, 60e3});
  EXPECT_LT(r3.loss.switching_w, 0.7 * r2.loss.switching_w);
  EXPECT_LT(r3.loss.core_w, r2.loss.core_w);
  EXPECT_GT(r3.efficiency, r2.efficiency);
  ASSERT_EQ(r3.switches.size(), 2u);
  EXPECT_EQ(r3.switches[0].position, "outer switch");
  EXPECT_EQ(r3.switches[1].position, "inner switch");
  // Inner devices carry the midpoint current; the outer ones, at unity power factor, only
  // rectify (soft turn-on).
  EXPECT_TRUE(r3.switches[0].zvs);
  EXPECT_FALSE(r3.switches[1].zvs);
}

TEST(Afe, HardSwitchingLossGrowsWithFrequency) {
  const AfeParts parts;
  double previous = 0.0;
  for (double f : {10e3, 20e3, 40e3, 80e3}) {
    ConverterDesign d = afe_design(Topology::afe_2level);
    d.f_sw_hz = f;
    d.inductor.inductance_h = 300e-6 * 40e3 / f;
    const ConverterResult r = evaluate(d, parts.library, {480.0, 800.0, 60e3});
    EXPECT_GT(r.loss.switching_w, previous) << f;
    previous = r.loss.switching_w;
  }
}

TEST(Afe, DesignErrorsAndRatings) {
  const AfeParts parts;
  const ConverterDesign d = afe_design(Topology::afe_2level);
  // Below sqrt(2) V_LL (679 V at 480 V) the boost rectifier overmodulates.
  EXPECT_THROW((void)evaluate(d, parts.library, {480.0, 650.0, 10e3}), DesignError);
  ConverterDesign phases = d;
  phases.phases = 2;
  EXPECT_THROW((void)evaluate(phases, parts.library, {480.0, 800.0, 10e3}), DesignError);
  // 3-level with 650 V outer switches on an 800 V link: flagged.
  ConverterDesign low = afe_design(Topology::afe_3level);
  low.primary_device = "sic650";
  const ConverterResult r = evaluate(low, parts.library, {480.0, 800.0, 60e3});
  bool rating = false;
  for (const auto& w : r.warnings) rating = rating || w.find("outer switch") != std::string::npos;
  EXPECT_TRUE(rating);
}

}  // namespace
}  // namespace g2g::converters

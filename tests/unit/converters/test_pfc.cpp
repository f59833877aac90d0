// Totem-pole PFC: the line-cycle waveforms against the closed forms of the CCM boost rectifier
// (Erickson & Maksimovic, ch. 21), the ripple harmonics against the piecewise-linear Fourier
// series, and evaluate_totem_pole_pfc: power balance, the hard-switched and ZVS (TCM) regimes,
// the cost of the partner's Q_RR, frequency and errors. Test parts are fixtures, not library
// parts.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "g2g/converters/converter.hpp"
#include "g2g/converters/pfc_waveforms.hpp"
#include "g2g/converters/waveforms.hpp"
#include "unit/converters/test_parts.hpp"

namespace g2g::converters {
namespace {

using std::numbers::pi;

devices::Device test_switch(std::string name, devices::Technology technology, double q_rr_c) {
  devices::Device d;
  d.name = std::move(name);
  d.technology = technology;
  d.v_ds_max_v = 650.0;
  d.r_ds_on_25c_ohm = 50e-3;
  d.r_ds_on_exponent = 2.6;
  d.q_g_c = 6e-9;
  d.q_gs_c = 2e-9;
  d.q_gd_c = 1.8e-9;
  d.v_gs_on_v = 6.0;
  d.v_gs_off_v = 0.0;
  d.v_th_v = 1.7;
  d.v_plateau_v = 3.0;
  d.r_g_internal_ohm = 1.5;
  d.oss = {{400.0, 56.7e-9, 7e-6}};
  d.q_rr_c = q_rr_c;
  d.v_sd_v = 2.5;
  d.r_th_jc_k_per_w = 0.5;
  d.t_j_max_c = 150.0;
  return d;
}

struct PfcParts {
  std::vector<devices::Device> devices{
      test_switch("gan", devices::Technology::gan_hemt, 0.0),
      test_switch("sj", devices::Technology::si_superjunction, 7.3e-6),
      test_switch("slow", devices::Technology::si_superjunction, 7.3e-6)};
  std::vector<magnetics::CoreMaterial> materials{fixtures::test_ferrite()};
  Library library{&devices, &materials};
};

ConverterDesign pfc_design() {
  ConverterDesign d;
  d.name = "test pfc";
  d.topology = Topology::totem_pole_pfc;
  d.primary_device = "gan";
  d.secondary_device = "slow";
  d.f_sw_hz = 65e3;
  d.t_dead_s = 50e-9;
  d.v_in_nominal_v = 230.0;
  d.v_out_nominal_v = 400.0;
  d.rating_w = 3000.0;
  // 400 uH on 60 turns of 300 mm2: B_pk = L I_pk / (N A_e) ~ 0.3 T at 2 kW.
  d.inductor = {"N87-test", 300e-6, 40e-6, 60, 400e-6, 30e-3, 0.0, 0.0, 1, 1.0};
  d.capacitor_esr_ohm = 50e-3;
  d.cooling = {40.0, 2.0};
  return d;
}

// ---- Waveforms ----

TEST(PfcWaveforms, SwitchAndCapacitorRmsMatchTheBoostRectifierClosedForms) {
  // Ripple-free (L huge): [EM] ch. 21: transistor I_ac sqrt(1 - 8 V_M/(3 pi V)), rectifier
  // I_ac sqrt(8 V_M/(3 pi V)), DC-link capacitor I_o sqrt(16 V/(3 pi V_M) - 1).
  const double v_ac = 230.0, v_dc = 400.0, p = 2000.0;
  const auto w = waveforms::pfc_waveforms(v_ac, v_dc, p, p, 1, 1.0, 65e3);
  const double i_ac = p / v_ac, v_m = std::sqrt(2.0) * v_ac, i_o = p / v_dc;
  EXPECT_NEAR(w.i_ac_rms_a, i_ac, 1e-12);
  EXPECT_NEAR(w.i_rms_active_a, i_ac * std::sqrt(1.0 - 8.0 * v_m / (3.0 * pi * v_dc)), 1e-4 * i_ac);
  EXPECT_NEAR(w.i_rms_passive_a, i_ac * std::sqrt(8.0 * v_m / (3.0 * pi * v_dc)), 1e-4 * i_ac);
  EXPECT_NEAR(w.i_cap_rms_a, i_o * std::sqrt(16.0 * v_dc / (3.0 * pi * v_m) - 1.0), 2e-4 * i_o);
  EXPECT_NEAR(w.i_cap_lf_rms_a, i_o / std::sqrt(2.0), 1e-4 * i_o);
  // Each fast device: half a line cycle of each role; the slow leg: the line current half the
  // time.
  EXPECT_NEAR(w.i_rms_fast_device_a, i_ac / std::sqrt(2.0), 1e-4 * i_ac);
  EXPECT_NEAR(w.i_rms_slow_device_a, i_ac / std::sqrt(2.0), 1e-12);
}

TEST(PfcWaveforms, RippleFollowsTheDutyAndAddsToTheSwitchCurrents) {
  const double l = 400e-6, f = 65e3, v_dc = 400.0;
  const auto w = waveforms::pfc_waveforms(230.0, v_dc, 2000.0, 2000.0, 1, l, f);
  const auto w0 = waveforms::pfc_waveforms(230.0, v_dc, 2000.0, 2000.0, 1, 1.0, f);
  for (std::size_t k = 0; k < w.cells.size(); k += 7) {
    const double v = std::sqrt(2.0) * 230.0 * std::sin(w.theta_rad[k]);
    const double d = 1.0 - v / v_dc;
    const auto& c = w.cells[k];
    EXPECT_NEAR(c.active_duty, d, 1e-12);
    EXPECT_NEAR(c.ripple_pp_a, v * d / (l * f), 1e-9);  // dI = |v| d / (L f)
    EXPECT_NEAR(c.i_peak_a - c.i_valley_a, c.ripple_pp_a, 1e-12);
  }
  // The ripple adds dI^2/12 in quadrature to the switch currents.
  EXPECT_NEAR(w.i_rms_active_a * w.i_rms_active_a + w.i_rms_passive_a * w.i_rms_passive_a,
              w0.i_rms_active_a * w0.i_rms_active_a + w0.i_rms_passive_a * w0.i_rms_passive_a +
                  w.ripple_ms_a2,
              1e-6 * w.ripple_ms_a2);
  EXPECT_GT(w.ripple_ms_a2, 0.0);
}

TEST(PfcWaveforms, RippleHarmonicsMatchThePiecewiseLinearSeries) {
  for (double d : {0.1, 0.37, 0.5, 0.83}) {
    const double ripple = 3.0, period = 1e-5;
    std::array<double, waveforms::ripple_harmonics> sq{};
    waveforms::add_ripple_harmonics_sq(ripple, d, 1.0, sq);
    const std::array<waveforms::Vertex, 2> tri{waveforms::Vertex{0.0, -0.5 * ripple},
                                               waveforms::Vertex{d * period, 0.5 * ripple}};
    std::array<double, waveforms::ripple_harmonics> ref{};
    waveforms::pwl_harmonic_rms(tri, period, ref);
    double total = 0.0;
    for (std::size_t k = 0; k < ref.size(); ++k) {
      EXPECT_NEAR(std::sqrt(sq[k]), ref[k], 1e-9 + 1e-6 * ref[0]) << "d " << d << " k " << k + 1;
      total += sq[k];
    }
    // Parseval: the harmonics hold (nearly) all of the triangle's dI^2/12.
    EXPECT_NEAR(total, ripple * ripple / 12.0, 0.01 * ripple * ripple / 12.0);
  }
}

TEST(PfcWaveforms, InterleavingCancelsCapacitorRipple) {
  // Two phases at 180°: the rectifier pulses tile the period where the duty is 1/2, so the
  // high-frequency capacitor current falls; the twice-line part stays I_o/sqrt(2).
  const auto one = waveforms::pfc_waveforms(230.0, 400.0, 2000.0, 2000.0, 1, 1.0, 65e3);
  const auto two = waveforms::pfc_waveforms(230.0, 400.0, 2000.0, 2000.0, 2, 1.0, 65e3);
  EXPECT_LT(two.i_cap_rms_a, 0.8 * one.i_cap_rms_a);
  EXPECT_GT(two.i_cap_rms_a, two.i_cap_lf_rms_a);
  EXPECT_NEAR(two.i_cap_lf_rms_a, one.i_cap_lf_rms_a, 1e-12);
  EXPECT_NEAR(two.i_phase_rms_a, 0.5 * one.i_ac_rms_a, 1e-12);
}

// ---- evaluate_totem_pole_pfc ----

TEST(TotemPolePfc, PowerBalanceAndPositions) {
  const PfcParts parts;
  const ConverterDesign d = pfc_design();
  const ConverterResult r = evaluate(d, parts.library, {230.0, 400.0, 2000.0});
  EXPECT_NEAR(r.p_in_w, r.point.p_out_w + r.loss.total_w(), 1e-9 * r.p_in_w);
  EXPECT_GT(r.efficiency, 0.97);
  EXPECT_LT(r.efficiency, 0.999);
  ASSERT_EQ(r.switches.size(), 2u);
  EXPECT_EQ(r.switches[0].position, "fast leg");
  EXPECT_EQ(r.switches[0].count, 2);
  EXPECT_EQ(r.switches[1].position, "slow leg");
  EXPECT_EQ(r.switches[1].count, 2);
  // Slow leg: conduction only, the line current for half the line cycle (drawn with P_in).
  const double i_ac = r.p_in_w / 230.0;
  EXPECT_NEAR(r.switches[1].stress.i_rms_a, i_ac / std::sqrt(2.0), 1e-3 * i_ac);
  EXPECT_EQ(r.switches[1].loss.switching_w(), 0.0);
  EXPECT_GT(r.loss.core_w, 0.0);
  EXPECT_GT(r.loss.winding_w, 0.0);
  EXPECT_GT(r.loss.capacitor_w, 0.0);
  // Hard-switched CCM: the active turn-on is hard around the line peak.
  EXPECT_FALSE(r.zvs_all);
  EXPECT_FALSE(r.switches[0].zvs);
  EXPECT_GT(r.switches[0].loss.turn_on_w, 0.0);
  EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
}

TEST(TotemPolePfc, HardSwitchingLossGrowsWithFrequency) {
  const PfcParts parts;
  double previous = 0.0;
  for (double f : {30e3, 65e3, 130e3, 260e3}) {
    ConverterDesign d = pfc_design();
    d.f_sw_hz = f;
    d.inductor.inductance_h = 400e-6 * 65e3 / f;  // same ripple: stays hard-switched
    const ConverterResult r = evaluate(d, parts.library, {230.0, 400.0, 2000.0});
    EXPECT_GT(r.loss.switching_w, previous) << f;
    previous = r.loss.switching_w;
  }
}

TEST(TotemPolePfc, TriangularCurrentGivesZeroVoltageTurnOn) {
  // A small inductor: the ripple exceeds twice the current over the whole line cycle, the valley
  // is negative and swings the node (TCM-like, at fixed frequency): no hard turn-on left.
  const PfcParts parts;
  ConverterDesign d = pfc_design();
  d.inductor.inductance_h = 8e-6;
  d.f_sw_hz = 200e3;
  d.t_dead_s = 100e-9;
  const ConverterResult soft = evaluate(d, parts.library, {230.0, 400.0, 500.0});
  EXPECT_TRUE(soft.zvs_all);
  EXPECT_TRUE(soft.switches[0].zvs);
  EXPECT_EQ(soft.switches[0].loss.turn_on_w, 0.0);
  EXPECT_EQ(soft.switches[0].loss.oss_w, 0.0);
  // The same operating point with a large inductor is hard-switched and loses more in switching.
  ConverterDesign hard_design = d;
  hard_design.inductor.inductance_h = 400e-6;
  const ConverterResult hard = evaluate(hard_design, parts.library, {230.0, 400.0, 500.0});
  EXPECT_FALSE(hard.zvs_all);
  EXPECT_GT(hard.loss.switching_w, soft.loss.switching_w);
}

TEST(TotemPolePfc, SuperjunctionReverseRecoveryRulesItOut) {
  // Same C_OSS and R_DS(on), but the partner's diode recovers 7.3 uC at every hard turn-on.
  const PfcParts parts;
  ConverterDesign gan = pfc_design();
  ConverterDesign sj = gan;
  sj.primary_device = "sj";
  const ConverterResult rg = evaluate(gan, parts.library, {230.0, 400.0, 2000.0});
  const ConverterResult rs = evaluate(sj, parts.library, {230.0, 400.0, 2000.0});
  EXPECT_EQ(rg.switches[0].loss.reverse_recovery_w, 0.0);
  EXPECT_GT(rs.switches[0].loss.reverse_recovery_w, 10.0);
  EXPECT_LT(rs.efficiency, rg.efficiency - 0.01);
}

TEST(TotemPolePfc, InterleavedPhasesShareTheCurrent) {
  const PfcParts parts;
  ConverterDesign d = pfc_design();
  d.phases = 2;
  const ConverterResult r = evaluate(d, parts.library, {230.0, 400.0, 3000.0});
  EXPECT_EQ(r.switches[0].count, 4);
  const double i_ac = r.p_in_w / 230.0;
  // Each fast device: the phase current (half the line current) over the line cycle, RMS
  // I_ac / (2 sqrt(2)) without ripple, a little more with it.
  EXPECT_GT(r.switches[0].stress.i_rms_a, 0.5 * i_ac / std::sqrt(2.0));
  EXPECT_NEAR(r.switches[1].stress.i_rms_a, i_ac / std::sqrt(2.0), 1e-3 * i_ac);
  EXPECT_NEAR(r.magnetics_volume_m3, 2.0 * d.inductor.core_volume_m3, 1e-15);
}

TEST(TotemPolePfc, DesignErrorsAndRatingWarnings) {
  const PfcParts parts;
  const ConverterDesign d = pfc_design();
  EXPECT_THROW((void)evaluate(d, parts.library, {230.0, 300.0, 1000.0}), DesignError);
  ConverterDesign no_l = d;
  no_l.inductor.inductance_h = 0.0;
  EXPECT_THROW((void)evaluate(no_l, parts.library, {230.0, 400.0, 1000.0}), DesignError);
  ConverterDesign missing = d;
  missing.primary_device = "nope";
  EXPECT_THROW((void)evaluate(missing, parts.library, {230.0, 400.0, 1000.0}), DesignError);
  const ConverterResult over = evaluate(d, parts.library, {230.0, 700.0, 1000.0});
  bool rating = false;
  for (const auto& w : over.warnings) rating = rating || w.find("rating") != std::string::npos;
  EXPECT_TRUE(rating);
  // No load: losses (gate, ripple, core) but a finite, zero efficiency.
  const ConverterResult idle = evaluate(d, parts.library, {230.0, 400.0, 0.0});
  EXPECT_EQ(idle.efficiency, 0.0);
  EXPECT_GT(idle.p_in_w, 0.0);
}

}  // namespace
}  // namespace g2g::converters

// The device claims study (src/g2g/study/device_claims.*): its arithmetic against closed forms
// written here — the equal-loss frequency by bisection, the area-product volume law, the
// core-loss-limited flux density, the heatsink volume, the claim ratios and verdicts.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "g2g/converters/spec_loader.hpp"
#include "g2g/core/error.hpp"
#include "g2g/devices/library.hpp"
#include "g2g/magnetics/library.hpp"
#include "g2g/study/device_claims.hpp"
#include "support/test_support.hpp"

namespace g2g::study {
namespace {

using converters::ConverterDesign;
using converters::Library;
using converters::OperatingPoint;

Library library() {
  return {&devices::default_devices(), &magnetics::default_materials()};
}

// A 48 V -> 12 V four-phase buck (the design of docs/device-claims.md).
ConverterDesign buck() {
  ConverterDesign d;
  d.name = "test buck";
  d.topology = converters::Topology::buck;
  d.phases = 4;
  d.primary_device = "EPC2218";
  d.f_sw_hz = 500e3;
  d.t_dead_s = 10e-9;
  d.v_in_nominal_v = 48.0;
  d.v_out_nominal_v = 12.0;
  d.rating_w = 1000.0;
  d.inductor = {"N87", 60e-6, 3e-6, 4, 2.2e-6, 1e-3, 0.0, 0.07e-3, 2, 1.0};
  d.capacitor_esr_ohm = 1e-3;
  d.cooling = {40.0, 10.0};
  return d;
}

std::vector<DeviceAlternative> gan_and_si() {
  DeviceAlternative gan;
  gan.label = "GaN";
  gan.primary_device = "EPC2218";
  gan.secondary_device = "EPC2218";
  DeviceAlternative si;
  si.label = "Si";
  si.primary_device = "BSC040N10NS5";
  si.secondary_device = "BSC040N10NS5";
  return {gan, si};
}

const Claim& claim(const DeviceClaimsResult& r, std::string_view id) {
  for (const Claim& c : r.claims)
    if (c.spec.id == id) return c;
  throw std::logic_error(fmt::format("no claim {}", id));
}

TEST(DeviceClaims, LossBudgetFrequencyOfALinearLossIsItsClosedForm) {
  // P(f) = P0 + E f: the budget B is reached at f = (B - P0) / E.
  const double p0_w = 2.0;
  const double e_j = 3e-5;
  const auto loss = [&](double f) { return p0_w + e_j * f; };
  bool in_range = false;
  const double f = frequency_for_loss_budget(loss, 20.0, 10e3, 10e6, &in_range);
  EXPECT_TRUE(in_range);
  EXPECT_NEAR(f, (20.0 - p0_w) / e_j, 1e-8 * f);
  EXPECT_LE(loss(f), 20.0);
  EXPECT_NEAR(loss(f), 20.0, 1e-7);
  // A budget below the loss everywhere, or above it everywhere: the range ends.
  EXPECT_EQ(frequency_for_loss_budget(loss, 1.0, 10e3, 10e6, &in_range), 10e3);
  EXPECT_FALSE(in_range);
  EXPECT_EQ(frequency_for_loss_budget(loss, 1e6, 10e3, 10e6, &in_range), 10e6);
  EXPECT_FALSE(in_range);
}

TEST(DeviceClaims, LossBudgetFrequencyOfAUShapedLossIsItsUpperCrossing) {
  // P(f) = a/f + b f (fixed core: falls, then switching: rises), minimum 2 sqrt(a b) at
  // sqrt(a/b); the budget B is met up to f = (B + sqrt(B^2 - 4 a b)) / (2 b).
  const double a = 4e6;
  const double b = 1e-5;
  const auto loss = [&](double f) { return a / f + b * f; };
  bool in_range = false;
  const double budget = 30.0;
  const double f = frequency_for_loss_budget(loss, budget, 1e3, 1e8, &in_range);
  EXPECT_TRUE(in_range);
  EXPECT_NEAR(f, (budget + std::sqrt(budget * budget - 4.0 * a * b)) / (2.0 * b), 1e-8 * f);
}

TEST(DeviceClaims, LossBudgetFrequencyOfAQuadraticLoss) {
  // P(f) = a f^2: f = sqrt(B / a).
  const auto loss = [](double f) { return 4e-12 * f * f; };
  bool in_range = false;
  const double f = frequency_for_loss_budget(loss, 9.0, 1e3, 1e8, &in_range);
  EXPECT_TRUE(in_range);
  EXPECT_NEAR(f, std::sqrt(9.0 / 4e-12), 1e-8 * f);
}

TEST(DeviceClaims, AtFrequencyKeepsTheCurrents) {
  ConverterDesign d = buck();
  d.resonant_inductance_h = 5e-6;
  d.resonant_capacitance_f = 2e-6;
  d.transformer.inductance_h = 30e-6;
  const ConverterDesign d2 = at_frequency(d, 2e6);
  EXPECT_DOUBLE_EQ(d2.f_sw_hz, 2e6);
  EXPECT_NEAR(d2.inductor.inductance_h * 2e6, d.inductor.inductance_h * d.f_sw_hz, 1e-15);
  EXPECT_NEAR(d2.transformer.inductance_h * 2e6, d.transformer.inductance_h * d.f_sw_hz, 1e-15);
  EXPECT_NEAR(d2.resonant_inductance_h * 2e6, d.resonant_inductance_h * d.f_sw_hz, 1e-15);
  EXPECT_NEAR(d2.resonant_capacitance_f * 2e6, d.resonant_capacitance_f * d.f_sw_hz, 1e-15);
  // Resonance follows the frequency: 1/(2 pi sqrt(L C)) scales with f.
  EXPECT_NEAR(std::sqrt(d.resonant_inductance_h * d.resonant_capacitance_f) /
                  std::sqrt(d2.resonant_inductance_h * d2.resonant_capacitance_f),
              4.0, 1e-12);
  EXPECT_DOUBLE_EQ(d2.t_dead_s, 10e-9);                    // 5 % of 500 ns is 25 ns
  EXPECT_DOUBLE_EQ(at_frequency(d, 10e6).t_dead_s, 5e-9);  // capped at 5 % of 100 ns
  // Same currents in the converter: the switch RMS currents do not move with f.
  const Library lib = library();
  const OperatingPoint p{48.0, 12.0, 800.0};
  const auto r1 = converters::evaluate(buck(), lib, p);
  const auto r2 = converters::evaluate(at_frequency(buck(), 1.5e6), lib, p);
  ASSERT_EQ(r1.switches.size(), r2.switches.size());
  for (std::size_t i = 0; i < r1.switches.size(); ++i)
    EXPECT_NEAR(r1.switches[i].stress.i_rms_a, r2.switches[i].stress.i_rms_a, 1e-9);
}

TEST(DeviceClaims, AreaProductFallsAsOneOverFrequencyAndVolumeAsThreeQuarters) {
  const ConverterDesign d = buck();
  const OperatingPoint p{48.0, 12.0, 1000.0};
  const DeviceClaimOptions o;
  const double a1 = magnetics_area_product_m4(d, p, 500e3, 0.1, o);
  const double a2 = magnetics_area_product_m4(d, p, 2e6, 0.1, o);
  EXPECT_NEAR(a2 / a1, 0.25, 1e-12);
  // Closed form of one phase: L I_pk I_rms / (K_u B J), four phases.
  const double i = 1000.0 / 12.0 / 4.0;
  const double ripple = (48.0 - 12.0) * 0.25 / (2.2e-6 * 500e3);
  const double i_pk = i + ripple / 2.0;
  const double i_rms = std::sqrt(i * i + ripple * ripple / 12.0);
  EXPECT_NEAR(a1, 4.0 * 2.2e-6 * i_pk * i_rms / (0.4 * 0.1 * 5e6), 1e-12 * a1);
  // Through the study: magnetics volume ratio (f0/f)^(3/4) at fixed B.
  const Library lib = library();
  DeviceClaimOptions fixed;
  fixed.f_max_hz = 20e6;
  const DeviceClaimsResult r = evaluate_device_claims(d, lib, p, gan_and_si(), fixed);
  const TechnologyResult& gan = r.technologies[0];
  const double ratio = gan.at_equal_loss_f.f_sw_hz / gan.at_design_f.f_sw_hz;
  EXPECT_NEAR(gan.at_equal_loss_f.magnetics_volume_m3 / gan.at_design_f.magnetics_volume_m3,
              std::pow(ratio, -0.75), 1e-9);
  EXPECT_NEAR(gan.at_design_f.magnetics_volume_m3, 4.0 * 12.09 * std::pow(a1 / 4.0, 0.75),
              1e-9 * gan.at_design_f.magnetics_volume_m3);
  // LLC/DAB: P_t = 2 P_out, K_f = 4.
  ConverterDesign llc = d;
  llc.topology = converters::Topology::llc;
  EXPECT_NEAR(magnetics_area_product_m4(llc, p, 1e6, 0.05, o),
              2.0 * 1000.0 / (4.0 * 0.4 * 0.05 * 5e6 * 1e6), 1e-18);
}

TEST(DeviceClaims, CoreLossLimitedFluxDensityIsTheSteinmetzInverse) {
  const magnetics::CoreMaterial* n87 = magnetics::find_material("N87");
  ASSERT_NE(n87, nullptr);
  DeviceClaimOptions o;
  o.b_max_t = 0.3;
  o.core_loss_limit_w_per_m3 = 300e3;
  const double k = magnetics::steinmetz_k(*n87);
  for (double f : {100e3, 500e3, 2e6}) {
    const double b = flux_density_at_t(n87, f, o);
    const double b_closed =
        std::min(0.3, std::pow(300e3 / (k * std::pow(f, n87->alpha)), 1.0 / n87->beta));
    EXPECT_NEAR(b, b_closed, 1e-12);
    if (b < 0.3) {
      EXPECT_NEAR(magnetics::sine_loss_density_w_m3(*n87, f, b), 300e3, 1e-6 * 300e3);
    }
  }
  // The area product then falls as 1/(f B): slower than 1/f.
  const ConverterDesign d = buck();
  const OperatingPoint p{48.0, 12.0, 1000.0};
  const double b1 = flux_density_at_t(n87, 500e3, o);
  const double b2 = flux_density_at_t(n87, 2e6, o);
  EXPECT_LT(b2, b1);
  EXPECT_NEAR(
      magnetics_area_product_m4(d, p, 2e6, b2, o) / magnetics_area_product_m4(d, p, 500e3, b1, o),
      (500e3 * b1) / (2e6 * b2), 1e-9);
  EXPECT_DOUBLE_EQ(flux_density_at_t(nullptr, 2e6, o), 0.3);
}

TEST(DeviceClaims, EqualLossFrequencyReproducesTheBudget) {
  const Library lib = library();
  const OperatingPoint p{48.0, 12.0, 1000.0};
  for (LossBasis basis : {LossBasis::devices, LossBasis::converter}) {
    DeviceClaimOptions o;
    o.basis = basis;
    const DeviceClaimsResult r = evaluate_device_claims(buck(), lib, p, gan_and_si(), o);
    ASSERT_EQ(r.technologies.size(), 2u);
    EXPECT_EQ(r.reference, 1u);  // the silicon alternative
    const TechnologyResult& si = r.technologies[1];
    EXPECT_DOUBLE_EQ(r.loss_budget_w, si.at_design_f.budget_loss_w);
    const double expected = basis == LossBasis::devices ? si.at_design_f.device_loss_w
                                                        : si.at_design_f.result.loss.total_w();
    EXPECT_DOUBLE_EQ(r.loss_budget_w, expected);
    const TechnologyResult& gan = r.technologies[0];
    ASSERT_TRUE(gan.equal_loss_in_range);
    EXPECT_GT(gan.at_equal_loss_f.f_sw_hz, r.f_design_hz);
    EXPECT_NEAR(gan.at_equal_loss_f.budget_loss_w, r.loss_budget_w, 1e-6 * r.loss_budget_w);
  }
}

TEST(DeviceClaims, ClaimFiguresAreTheRatiosOfTheTechnologyResults) {
  const Library lib = library();
  const OperatingPoint p{48.0, 12.0, 1000.0};
  DeviceClaimOptions o;
  o.heatsink_delta_t_k = 30.0;
  o.heatsink_cspi_w_per_k_m3 = 15e3;
  const DeviceClaimsResult r = evaluate_device_claims(buck(), lib, p, gan_and_si(), o);
  const TechnologyResult& g = r.technologies[0];
  const TechnologyResult& s = r.technologies[1];
  // Speed: the switching times recomputed here from the parts, at the control switch's V and I.
  const devices::Device* epc = lib.device("EPC2218");
  const devices::Device* bsc = lib.device("BSC040N10NS5");
  ASSERT_TRUE(epc != nullptr && bsc != nullptr);
  const devices::GateDrive gate;
  const auto tg = devices::switching_times(*epc, g.speed.v_v, g.speed.i_a, gate);
  const auto ts = devices::switching_times(*bsc, s.speed.v_v, s.speed.i_a, gate);
  const double t_g = tg.t_rise_i_s + tg.t_fall_v_s + tg.t_rise_v_s + tg.t_fall_i_s;
  const double t_s = ts.t_rise_i_s + ts.t_fall_v_s + ts.t_rise_v_s + ts.t_fall_i_s;
  EXPECT_DOUBLE_EQ(g.speed.v_v, 48.0);
  EXPECT_NEAR(g.speed.dv_dt_on_v_per_s, 48.0 / tg.t_fall_v_s, 1e-6 * g.speed.dv_dt_on_v_per_s);
  const Claim& speed = claim(r, "speed");
  EXPECT_NEAR(speed.computed_default, t_s / t_g, 1e-12);
  EXPECT_EQ(speed.verdict,
            judge(ClaimForm::about, 10.0, 1.0, {speed.computed_low, speed.computed_high}));
  // The range covers the uncertain charges: nominal, GaN slower / silicon faster, and the
  // reverse. More GaN charge makes GaN slower, so that case is the low end of the ratio.
  ASSERT_EQ(speed.cases.size(), 3u);
  EXPECT_LT(speed.cases[1].value, speed.cases[0].value);
  EXPECT_GT(speed.cases[2].value, speed.cases[0].value);
  EXPECT_DOUBLE_EQ(speed.computed_low, speed.cases[1].value);
  EXPECT_DOUBLE_EQ(speed.computed_high, speed.cases[2].value);
  // Loss.
  EXPECT_NEAR(claim(r, "loss_devices").computed_default,
              1.0 - g.at_design_f.device_loss_w / s.at_design_f.device_loss_w, 1e-12);
  EXPECT_NEAR(claim(r, "loss_converter").computed_default,
              1.0 - g.at_design_f.result.loss.total_w() / s.at_design_f.result.loss.total_w(),
              1e-12);
  // Heatsink: junction heat / (dT CSPI).
  for (const TechnologyResult* t : {&g, &s}) {
    double heat_w = 0.0;
    for (const auto& sw : t->at_design_f.result.switches) heat_w += sw.count * sw.thermal.loss_w;
    EXPECT_NEAR(t->at_design_f.heatsink_volume_m3, heat_w / (30.0 * 15e3), 1e-15);
  }
  // Size.
  const double v_g = g.at_equal_loss_f.magnetics_volume_m3 + g.at_equal_loss_f.heatsink_volume_m3;
  const double v_s = s.at_design_f.magnetics_volume_m3 + s.at_design_f.heatsink_volume_m3;
  const Claim& size = claim(r, "size_equal_loss");
  EXPECT_NEAR(size.computed_default, 1.0 - v_g / v_s, 1e-12);
  EXPECT_EQ(size.verdict,
            judge(ClaimForm::about, 0.7, 0.07, {size.computed_low, size.computed_high}));
  EXPECT_NEAR(claim(r, "size_same_f").computed_default,
              1.0 - g.at_design_f.volume_m3() / s.at_design_f.volume_m3(), 1e-12);
}

TEST(DeviceClaims, SensitivityRowsAreJudgedByTheSameRule) {
  const Library lib = library();
  DeviceClaimOptions o;
  o.sensitivity_f_sw_hz = {250e3};
  o.sensitivity_r_g_ext_ohm = {0.0};
  DeviceAlternative si80;
  si80.label = "Si";
  si80.primary_device = "BSC040N08NS5";
  si80.secondary_device = "BSC040N08NS5";
  o.sensitivity_silicon = {si80};
  const DeviceClaimsResult r =
      evaluate_device_claims(buck(), lib, {48.0, 12.0, 1000.0}, gan_and_si(), o);
  const double published[] = {10.0, 0.5, 0.5, 0.7, 0.7};
  ASSERT_EQ(r.claims.size(), 5u);
  for (std::size_t k = 0; k < r.claims.size(); ++k) {
    ASSERT_EQ(r.claims[k].sensitivity.size(), 3u) << r.claims[k].spec.id;
    for (const SensitivityRow& row : r.claims[k].sensitivity)
      EXPECT_EQ(row.verdict, judge(ClaimForm::about, published[k], 0.1 * published[k],
                                   {row.computed_value, row.computed_value}))
          << r.claims[k].spec.id << " " << row.assumption;
  }
  // The silicon part row really uses the other part: its loss figure differs.
  EXPECT_NE(r.claims[1].sensitivity[2].computed_value, r.claims[1].computed_default);
}

TEST(DeviceClaims, WithoutSiliconTheClaimsAreNotApplicable) {
  const Library lib = library();
  std::vector<DeviceAlternative> gan_only = {gan_and_si()[0]};
  const DeviceClaimsResult r = evaluate_device_claims(buck(), lib, {48.0, 12.0, 800.0}, gan_only);
  for (const Claim& c : r.claims) EXPECT_EQ(c.verdict, Verdict::not_applicable) << c.spec.id;
  EXPECT_THROW(evaluate_device_claims(buck(), lib, {48.0, 12.0, 800.0}, {}), g2g::InvalidInput);
  DeviceAlternative unknown;
  unknown.primary_device = "NO-SUCH-PART";
  EXPECT_THROW(evaluate_device_claims(buck(), lib, {48.0, 12.0, 800.0}, {unknown}),
               converters::DesignError);
}

TEST(DeviceClaims, WithAlternativeReplacesOnlyWhatItNames) {
  DeviceAlternative a;
  a.secondary_device = "BSC040N10NS5";
  a.r_g_ext_ohm = 0.5;
  const ConverterDesign d = with_alternative(buck(), a);
  EXPECT_EQ(d.primary_device, "EPC2218");
  EXPECT_EQ(d.secondary_device, "BSC040N10NS5");
  EXPECT_EQ(d.parallel, 1);
  EXPECT_DOUBLE_EQ(d.gate.r_g_ext_ohm, 0.5);
  EXPECT_DOUBLE_EQ(d.t_dead_s, 10e-9);
}

TEST(DeviceClaims, ExampleFileIsTheStudyDesign) {
  // examples/converters/claims-buck-48v-12v.yaml is the design of docs/device-claims.md.
  const auto path = test::example_path("converters/claims-buck-48v-12v.yaml");
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  const ConverterDesign f = converters::parse_converter_spec_file(text.str(), path.string()).design;
  const ConverterDesign d = buck();
  EXPECT_EQ(f.topology, d.topology);
  EXPECT_EQ(f.phases, d.phases);
  EXPECT_EQ(f.primary_device, d.primary_device);
  EXPECT_DOUBLE_EQ(f.f_sw_hz, d.f_sw_hz);
  EXPECT_NEAR(f.t_dead_s, d.t_dead_s, 1e-18);
  EXPECT_NEAR(f.inductor.inductance_h, d.inductor.inductance_h, 1e-15);
  EXPECT_NEAR(f.inductor.core_area_m2, d.inductor.core_area_m2, 1e-12);
  EXPECT_NEAR(f.inductor.core_volume_m3, d.inductor.core_volume_m3, 1e-12);
  EXPECT_EQ(f.inductor.turns, d.inductor.turns);
  EXPECT_NEAR(f.inductor.r_dc_ohm, d.inductor.r_dc_ohm, 1e-12);
  EXPECT_NEAR(f.capacitor_esr_ohm, d.capacitor_esr_ohm, 1e-12);
  EXPECT_DOUBLE_EQ(f.gate.r_g_ext_ohm, d.gate.r_g_ext_ohm);
  EXPECT_DOUBLE_EQ(f.cooling.t_ambient_c, d.cooling.t_ambient_c);
  EXPECT_DOUBLE_EQ(f.cooling.r_th_ca_k_per_w, d.cooling.r_th_ca_k_per_w);
}

}  // namespace
}  // namespace g2g::study

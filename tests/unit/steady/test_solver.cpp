// Closed-form checks of the hybrid Newton power flow, on models built directly as ModelSpec.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>

#include "g2g/steady/solver.hpp"
#include "support/model_builders.hpp"

namespace g2g::steady {
namespace {

using model::BusKind;

using test::add_bus;
using test::add_line;
using test::add_load;
using test::add_source;

void expect_balanced(const SolveResult& r) {
  EXPECT_TRUE(r.converged);
  EXPECT_LE(std::fabs(r.totals.balance_error_w), 1e-9 * std::fabs(r.totals.source_w));
}

// Two DC buses, constant-power load: V (V0 - V) / R = P  =>  V = (V0 + sqrt(V0^2 - 4 P R)) / 2.
TEST(SteadySolver, DcTwoBusConstantPowerMatchesQuadratic) {
  model::ModelSpec m;
  const auto a = add_bus(m, "a", BusKind::dc, 800.0);
  const auto b = add_bus(m, "b", BusKind::dc, 800.0);
  add_source(m, model::SourceType::dc_source, a);
  const double r_ohm = 0.05;
  const double p_w = 500e3;
  add_line(m, a, b, r_ohm);
  add_load(m, b, p_w);
  const SolveResult r = solve(m);
  const double v0 = 800.0;
  const double expected_v = (v0 + std::sqrt(v0 * v0 - 4.0 * p_w * r_ohm)) / 2.0;
  EXPECT_NEAR(r.buses[1].voltage_v, expected_v, 1e-9 * v0);
  const double current = p_w / expected_v;
  EXPECT_NEAR(r.totals.loss_w, current * current * r_ohm, 1e-6);
  EXPECT_NEAR(r.elements[0].p_out_w, p_w + current * current * r_ohm, 1e-6);  // the source
  expect_balanced(r);
}

// Constant current and constant impedance loads have linear closed forms.
TEST(SteadySolver, DcConstantCurrentAndImpedanceLoads) {
  model::ModelSpec m;
  const auto a = add_bus(m, "a", BusKind::dc, 400.0);
  const auto b = add_bus(m, "b", BusKind::dc, 400.0);
  add_source(m, model::SourceType::dc_source, a);
  add_line(m, a, b, 0.2);
  add_load(m, b, 40e3, 0.0, model::LoadModel::constant_current);    // I = 100 A
  add_load(m, b, 16e3, 0.0, model::LoadModel::constant_impedance);  // R = 10 ohm
  const SolveResult r = solve(m);
  // 400 = V + 0.2 (100 + V / 10)  =>  V = (400 - 20) / 1.02
  EXPECT_NEAR(r.buses[1].voltage_v, 380.0 / 1.02, 1e-9);
  expect_balanced(r);
}

// AC two-bus: V1 conj(V2) = |V2|^2 + Z conj(S) gives a quadratic in |V2|^2 and the angle.
TEST(SteadySolver, AcTwoBusMatchesClosedForm) {
  model::ModelSpec m;
  const auto a = add_bus(m, "a", BusKind::ac, 415.0);
  const auto b = add_bus(m, "b", BusKind::ac, 415.0);
  add_source(m, model::SourceType::utility, a);
  const double r_ohm = 0.01;
  const double x_ohm = 0.02;
  const double p_w = 300e3;
  const double q_var = 100e3;
  add_line(m, a, b, r_ohm, x_ohm);
  add_load(m, b, p_w, q_var);
  const SolveResult r = solve(m);

  const double v1 = 415.0;
  const double a_coef = 2.0 * (p_w * r_ohm + q_var * x_ohm) - v1 * v1;
  const double c_coef = (p_w * p_w + q_var * q_var) * (r_ohm * r_ohm + x_ohm * x_ohm);
  const double v2_sq = (-a_coef + std::sqrt(a_coef * a_coef - 4.0 * c_coef)) / 2.0;
  const double v2 = std::sqrt(v2_sq);
  const double delta_deg =
      -std::atan2(p_w * x_ohm - q_var * r_ohm, v2_sq + p_w * r_ohm + q_var * x_ohm) * 180.0 /
      std::numbers::pi;
  EXPECT_NEAR(r.buses[1].voltage_v, v2, 1e-9 * v1);
  EXPECT_NEAR(r.buses[1].angle_deg, delta_deg, 1e-9);
  // Line loss 3 I^2 R with I = |S| / (sqrt3 V2).
  const double i_a = std::hypot(p_w, q_var) / (std::sqrt(3.0) * v2);
  EXPECT_NEAR(r.totals.loss_w, 3.0 * i_a * i_a * r_ohm, 1e-9 * r.totals.source_w);
  EXPECT_NEAR(r.elements[1].current_out_a, i_a, 1e-6);
  expect_balanced(r);
}

// A transformer at no load draws its core loss; on load it adds I^2 R.
TEST(SteadySolver, TransformerNoLoadLossIsCoreLoss) {
  model::ModelSpec m;
  const auto hv = add_bus(m, "hv", BusKind::ac, 13.8e3);
  const auto lv = add_bus(m, "lv", BusKind::ac, 415.0);
  add_source(m, model::SourceType::utility, hv);
  model::Transformer t;
  t.id = "t1";
  t.hv = hv;
  t.lv = lv;
  t.rating_va = 2.5e6;
  t.z_pct = 6.0;
  t.load_loss_w = 20e3;
  t.no_load_loss_w = 3e3;
  m.transformers.push_back(t);
  SolveResult r = solve(m);
  EXPECT_NEAR(r.totals.loss_w, 3e3, 1e-6);
  expect_balanced(r);

  add_load(m, lv, 2.5e6);  // rated power at unity power factor
  r = solve(m);
  const double v_lv = r.buses[1].v_pu;
  // Copper loss scales with (I / I_rated)^2 = (1 / v_lv)^2 at rated power.
  EXPECT_NEAR(r.totals.loss_w, 3e3 + 20e3 / (v_lv * v_lv), 1.0);
  EXPECT_GT(r.totals.loss_w, 23e3);
  expect_balanced(r);
}

// Utility -> rectifier (efficiency curve, power factor) -> DC line -> DC/DC -> load.
TEST(SteadySolver, ConverterChainFollowsEfficiencyCurve) {
  model::ModelSpec m;
  const auto mv = add_bus(m, "mv", BusKind::ac, 13.8e3);
  const auto dc800 = add_bus(m, "dc800", BusKind::dc, 800.0);
  const auto rack = add_bus(m, "rack", BusKind::dc, 800.0);
  const auto dc54 = add_bus(m, "dc54", BusKind::dc, 54.0);
  add_source(m, model::SourceType::utility, mv);
  model::Converter rect;
  rect.id = "rect";
  rect.type = model::ConverterType::rectifier;
  rect.input = mv;
  rect.output = dc800;
  rect.rating_w = 2e6;
  rect.efficiency = {{0.25, 0.97}, {0.5, 0.98}, {1.0, 0.975}};
  rect.input_power_factor = 0.98;
  m.converters.push_back(rect);
  add_line(m, dc800, rack, 0.002);
  model::Converter dcdc;
  dcdc.id = "dcdc";
  dcdc.type = model::ConverterType::dcdc;
  dcdc.input = rack;
  dcdc.output = dc54;
  dcdc.rating_w = 1e6;
  dcdc.efficiency = {{0.5, 0.98}};
  m.converters.push_back(dcdc);
  add_load(m, dc54, 500e3);
  const SolveResult r = solve(m);
  expect_balanced(r);
  const auto& dcdc_r = r.elements[2 + 0 + 1];  // source, line, rect, dcdc
  ASSERT_EQ(dcdc_r.type, ElementType::converter);
  EXPECT_NEAR(dcdc_r.p_out_w, 500e3, 1e-6);
  EXPECT_NEAR(dcdc_r.p_in_w, 500e3 / 0.98, 1e-6);  // single point: loss proportional to power
  const auto& rect_r = r.elements[2];
  // Rectifier output = DC/DC input + line loss; its loss is interpolated on the curve.
  const double line_loss = r.elements[1].loss_w;
  EXPECT_NEAR(rect_r.p_out_w, 500e3 / 0.98 + line_loss, 1e-6);
  const double x = rect_r.p_out_w / 2e6;  // between the 0.25 and 0.5 points
  const double loss_025 = 0.5e6 * (1 / 0.97 - 1);
  const double loss_05 = 1e6 * (1 / 0.98 - 1);
  const double expected_loss = loss_025 + (loss_05 - loss_025) * (x - 0.25) / 0.25;
  EXPECT_NEAR(rect_r.loss_w, expected_loss, 1e-6);
  EXPECT_NEAR(rect_r.q_in_var, rect_r.p_in_w * std::tan(std::acos(0.98)), 1e-6);
  EXPECT_NEAR(r.elements[0].q_out_var, rect_r.q_in_var, 1e-6);
  EXPECT_NEAR(r.totals.efficiency, 500e3 / r.totals.source_w, 1e-12);
}

// Beyond V0^2 / (4 R) a constant-power load has no solution: the solver says where it collapsed.
TEST(SteadySolver, InfeasibleLoadNamesCollapsedBus) {
  model::ModelSpec m;
  const auto a = add_bus(m, "feed", BusKind::dc, 800.0);
  const auto b = add_bus(m, "far_rack", BusKind::dc, 800.0);
  add_source(m, model::SourceType::dc_source, a);
  const double r_ohm = 0.5;
  add_line(m, a, b, r_ohm);
  const double p_max_w = 800.0 * 800.0 / (4.0 * r_ohm);
  add_load(m, b, 1.25 * p_max_w);
  try {
    (void)solve(m);
    FAIL() << "expected NonConvergenceError";
  } catch (const NonConvergenceError& e) {
    EXPECT_EQ(e.worst_bus_id(), "far_rack");
    const std::string text = e.what();
    EXPECT_NE(text.find("far_rack"), std::string::npos) << text;
    // The largest load it carries is 1 / 1.25 = 80 % of the specified one.
    EXPECT_NE(text.find("80."), std::string::npos) << text;
  }
}

// A heavy but feasible load (95 % of the maximum) still converges.
TEST(SteadySolver, HeavyFeasibleLoadConverges) {
  model::ModelSpec m;
  const auto a = add_bus(m, "a", BusKind::dc, 800.0);
  const auto b = add_bus(m, "b", BusKind::dc, 800.0);
  add_source(m, model::SourceType::dc_source, a);
  add_line(m, a, b, 0.5);
  const double p_w = 0.95 * 800.0 * 800.0 / 2.0;
  add_load(m, b, p_w);
  const SolveResult r = solve(m);
  const double v = (800.0 + std::sqrt(800.0 * 800.0 - 4.0 * p_w * 0.5)) / 2.0;
  EXPECT_NEAR(r.buses[1].voltage_v, v, 1e-6);
  expect_balanced(r);
}

// Closed switches merge buses; the switch carries what lies beyond it.
TEST(SteadySolver, ClosedSwitchCarriesDownstreamPower) {
  model::ModelSpec m;
  const auto a = add_bus(m, "a", BusKind::dc, 800.0);
  const auto b = add_bus(m, "b", BusKind::dc, 800.0);
  const auto c = add_bus(m, "c", BusKind::dc, 800.0);
  add_source(m, model::SourceType::dc_source, a);
  add_line(m, a, b, 0.01);
  model::Switch sw;
  sw.id = "brk";
  sw.from = b;
  sw.to = c;
  m.switches.push_back(sw);
  add_load(m, c, 100e3);
  const SolveResult r = solve(m);
  expect_balanced(r);
  const auto& sw_r = r.elements[2];
  ASSERT_EQ(sw_r.type, ElementType::switch_);
  EXPECT_NEAR(sw_r.p_in_w, 100e3, 1e-6);
  EXPECT_NEAR(r.buses[1].voltage_v, r.buses[2].voltage_v, 1e-12);
}

}  // namespace
}  // namespace g2g::steady

// Shunt banks in the power flow, against the closed form: a slack behind a series impedance Z
// feeding only a constant admittance Y is a voltage divider, V2 = V1 / (1 + Z Y) (per phase,
// line-to-line values throughout since Y = (P + jQ) / V_rated^2 with three-phase powers).
#include <gtest/gtest.h>

#include <cmath>
#include <complex>

#include "g2g/steady/solver.hpp"
#include "support/model_builders.hpp"

namespace g2g::steady {
namespace {

using model::BusKind;
using test::add_bus;
using test::add_line;
using test::add_source;

struct Case {
  double q_rated_var;
  double rated_voltage_v;
  double loss_w;
};

model::ModelSpec divider(const Case& c) {
  model::ModelSpec m;
  const auto mv = add_bus(m, "mv", BusKind::ac, 13.8e3);
  const auto far = add_bus(m, "far", BusKind::ac, 13.8e3);
  add_source(m, model::SourceType::utility, mv);
  add_line(m, mv, far, 0.5, 2.0);
  model::Shunt shunt;
  shunt.id = "bank";
  shunt.bus = far;
  shunt.q_rated_var = c.q_rated_var;
  shunt.rated_voltage_v = c.rated_voltage_v;
  shunt.loss_w = c.loss_w;
  m.shunts.push_back(shunt);
  return m;
}

void expect_divider(const Case& c) {
  const SolveResult r = solve(divider(c));
  ASSERT_TRUE(r.converged);
  using Complex = std::complex<double>;
  const double v_rated = c.rated_voltage_v > 0.0 ? c.rated_voltage_v : 13.8e3;
  const Complex z(0.5, 2.0);
  const Complex y = Complex(c.loss_w, c.q_rated_var) / (v_rated * v_rated);
  const Complex v2 = Complex(13.8e3, 0.0) / (1.0 + z * y);
  EXPECT_NEAR(r.buses[1].voltage_v, std::abs(v2), 1e-9 * 13.8e3);
  EXPECT_NEAR(r.buses[1].angle_deg, std::arg(v2) * 180.0 / M_PI, 1e-9);
  // The bank: |V2|^2 conj(y) drawn; a capacitor draws negative reactive power.
  const Complex drawn = std::norm(v2) * std::conj(y);
  const ElementResult* bank = nullptr;
  for (const auto& e : r.elements)
    if (e.type == ElementType::shunt) bank = &e;
  ASSERT_NE(bank, nullptr);
  EXPECT_NEAR(bank->q_in_var, drawn.imag(), 1e-9 * std::fabs(c.q_rated_var));
  EXPECT_NEAR(bank->p_in_w, drawn.real(), 1e-9 * std::fabs(c.q_rated_var));
  EXPECT_NEAR(bank->loss_w, bank->p_in_w, 1e-12);
  EXPECT_NEAR(bank->current_a, std::abs(v2 * y) / std::sqrt(3.0), 1e-9 * std::abs(v2 * y));
  // Nothing is lost: the source supplies the line's and the bank's loss.
  EXPECT_LE(std::fabs(r.totals.balance_error_w), 1e-6);
}

TEST(Shunt, CapacitorRaisesTheFarEndAsTheClosedFormSays) {
  expect_divider({2e6, 0.0, 0.0});
  const SolveResult r = solve(divider({2e6, 0.0, 0.0}));
  EXPECT_GT(r.buses[1].v_pu, 1.0);  // the Ferranti-like rise of a capacitor behind reactance
}

TEST(Shunt, ReactorLowersIt) {
  expect_divider({-1.5e6, 0.0, 0.0});
  const SolveResult r = solve(divider({-1.5e6, 0.0, 0.0}));
  EXPECT_LT(r.buses[1].v_pu, 1.0);
}

TEST(Shunt, RatedVoltageAndLossScaleTheAdmittance) {
  expect_divider({3e6, 13.2e3, 1.2e3});
}

TEST(Shunt, OutOfServiceDrawsNothing) {
  model::ModelSpec m = divider({2e6, 0.0, 500.0});
  m.shunts[0].in_service = false;
  const SolveResult r = solve(m);
  ASSERT_TRUE(r.converged);
  EXPECT_NEAR(r.buses[1].v_pu, 1.0, 1e-12);  // no current through the line
  for (const auto& e : r.elements) {
    if (e.type == ElementType::shunt) {
      EXPECT_EQ(e.p_in_w, 0.0);
    }
  }
}

}  // namespace
}  // namespace g2g::steady

// IEC 61660-1 approximation function, the capacitor's closed-form discharge peak (against an
// independent RK4 integration of the circuit's ODE) and the model-to-sources mapping.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <utility>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/error.hpp"
#include "g2g/shortcircuit/fault_sources.hpp"
#include "g2g/shortcircuit/iec61660.hpp"
#include "support/model_builders.hpp"

namespace g2g::shortcircuit {
namespace {

// ---- the approximation function ---------------------------------------------------------

const ApproximationFunction f0{
    .i_p_a = 10e3, .t_p_s = 2e-3, .tau1_s = 0.5e-3, .tau2_s = 5e-3, .i_k_a = 4e3};

TEST(ApproximationFunction, StartsAtZeroPeaksAtTpAndSettlesAtIk) {
  EXPECT_EQ(approximation_current_a(f0, 0.0), 0.0);
  EXPECT_EQ(approximation_current_a(f0, -1.0), 0.0);
  EXPECT_DOUBLE_EQ(approximation_current_a(f0, f0.t_p_s), f0.i_p_a);
  // Continuous at t_p from both sides.
  EXPECT_NEAR(approximation_current_a(f0, f0.t_p_s * (1 - 1e-9)), f0.i_p_a, 1e-4);
  EXPECT_NEAR(approximation_current_a(f0, f0.t_p_s * (1 + 1e-9)), f0.i_p_a, 1e-4);
  EXPECT_NEAR(approximation_current_a(f0, 1.0), f0.i_k_a, 1e-9 * f0.i_k_a);
  // One tau2 after the peak: I_k + (i_p - I_k) / e.
  EXPECT_NEAR(approximation_current_a(f0, f0.t_p_s + f0.tau2_s),
              f0.i_k_a + (f0.i_p_a - f0.i_k_a) / std::numbers::e, 1e-9 * f0.i_p_a);
  // Rising before the peak, falling after.
  EXPECT_LT(approximation_current_a(f0, 0.5e-3), approximation_current_a(f0, 1.5e-3));
  EXPECT_GT(approximation_current_a(f0, 3e-3), approximation_current_a(f0, 6e-3));
}

TEST(ApproximationFunction, LimitCasesOfTheTimeConstants) {
  // tau1 -> 0: a step at t = 0+; tiny tau1 tends to it.
  ApproximationFunction step = f0;
  step.tau1_s = 0.0;
  ApproximationFunction fast = f0;
  fast.tau1_s = 1e-9;
  EXPECT_EQ(approximation_current_a(step, 1e-6), f0.i_p_a);
  EXPECT_NEAR(approximation_current_a(fast, 1e-6), f0.i_p_a, 1e-9 * f0.i_p_a);
  // tau1 -> inf: a linear ramp; large tau1 tends to it (error ~ t_p / (2 tau1)).
  ApproximationFunction ramp = f0;
  ramp.tau1_s = INFINITY;
  ApproximationFunction slow = f0;
  slow.tau1_s = 1e3;
  EXPECT_DOUBLE_EQ(approximation_current_a(ramp, 0.5e-3), 0.25 * f0.i_p_a);
  EXPECT_NEAR(approximation_current_a(slow, 0.5e-3), 0.25 * f0.i_p_a, 1e-5 * f0.i_p_a);
  // tau2 -> inf holds i_p; tau2 = 0 drops to I_k.
  ApproximationFunction hold = f0;
  hold.tau2_s = INFINITY;
  EXPECT_EQ(approximation_current_a(hold, 1.0), f0.i_p_a);
  ApproximationFunction drop = f0;
  drop.tau2_s = 0.0;
  EXPECT_EQ(approximation_current_a(drop, 3e-3), f0.i_k_a);
  // I_k = i_p: flat after the peak.
  ApproximationFunction flat = f0;
  flat.i_k_a = f0.i_p_a;
  EXPECT_DOUBLE_EQ(approximation_current_a(flat, 0.1), f0.i_p_a);
}

TEST(ApproximationFunction, RejectsInconsistentParameters) {
  ApproximationFunction bad = f0;
  bad.i_k_a = 2.0 * f0.i_p_a;
  EXPECT_THROW((void)approximation_current_a(bad, 1e-3), InvalidInput);
  bad = f0;
  bad.tau1_s = -1.0;
  EXPECT_THROW((void)approximation_current_a(bad, 1e-3), InvalidInput);
}

// ---- the capacitor discharge ------------------------------------------------------------

// Independent reference: RK4 on L di/dt = v - R i, C dv/dt = -i from v = E, i = 0, the peak
// refined by a parabola through the three samples around the largest one.
DischargePeak rk4_peak(const CapacitorCircuit& c, double t_end_s, int steps) {
  const double h = t_end_s / steps;
  double i = 0.0, v = c.e_v, best = 0.0, t_best = 0.0, prev = 0.0, prev2 = 0.0;
  double peak_prev = 0.0, peak_next = 0.0;
  bool found = false;
  const auto f = [&](double ii, double vv) {
    return std::pair{(vv - c.r_ohm * ii) / c.l_h, -ii / c.c_f};
  };
  for (int k = 1; k <= steps; ++k) {
    const auto [a1, b1] = f(i, v);
    const auto [a2, b2] = f(i + 0.5 * h * a1, v + 0.5 * h * b1);
    const auto [a3, b3] = f(i + 0.5 * h * a2, v + 0.5 * h * b2);
    const auto [a4, b4] = f(i + h * a3, v + h * b3);
    i += h / 6.0 * (a1 + 2 * a2 + 2 * a3 + a4);
    v += h / 6.0 * (b1 + 2 * b2 + 2 * b3 + b4);
    if (!found && k >= 2 && prev > prev2 && prev >= i) {
      found = true;
      best = prev;
      t_best = (k - 1) * h;
      peak_prev = prev2;
      peak_next = i;
    }
    prev2 = prev;
    prev = i;
  }
  // Vertex of the parabola through (t-h, p), (t, best), (t+h, n).
  const double denom = peak_prev - 2.0 * best + peak_next;
  const double shift = denom != 0.0 ? 0.5 * (peak_prev - peak_next) / denom : 0.0;
  return {.i_p_a = best - 0.25 * (peak_prev - peak_next) * shift, .t_p_s = t_best + shift * h};
}

void expect_peak_matches_rk4(const CapacitorCircuit& c, double t_end_s) {
  const DischargePeak exact = capacitor_discharge_peak(c);
  const DischargePeak reference = rk4_peak(c, t_end_s, 200000);
  EXPECT_NEAR(exact.i_p_a, reference.i_p_a, 1e-6 * exact.i_p_a);
  EXPECT_NEAR(exact.t_p_s, reference.t_p_s, 1e-4 * exact.t_p_s);
  // The closed-form current at its own peak is the peak, and its slope there is ~0 against
  // the initial slope E / L.
  EXPECT_NEAR(capacitor_discharge_current_a(c, exact.t_p_s), exact.i_p_a, 1e-12 * exact.i_p_a);
  const double h = 1e-6 * exact.t_p_s;
  const double slope = (capacitor_discharge_current_a(c, exact.t_p_s + h) -
                        capacitor_discharge_current_a(c, exact.t_p_s - h)) /
                       (2 * h);
  EXPECT_LT(std::abs(slope), 1e-6 * c.e_v / c.l_h);
}

TEST(CapacitorDischarge, UnderdampedPeakMatchesIntegration) {
  // 800 V, 20 mF DC link, 1 mohm ESR + 2 mohm of busway, 10 uH: delta = 150/s, omega0 = 2236/s.
  expect_peak_matches_rk4({.e_v = 800.0, .r_ohm = 3e-3, .l_h = 10e-6, .c_f = 20e-3}, 2e-3);
}

TEST(CapacitorDischarge, OverdampedPeakMatchesIntegration) {
  // 2 mF with 0.3 ohm ESR through 5 uH: delta = 30,000/s >> omega0 = 10,000/s.
  expect_peak_matches_rk4({.e_v = 800.0, .r_ohm = 0.3, .l_h = 5e-6, .c_f = 2e-3}, 4e-4);
}

TEST(CapacitorDischarge, ContinuousThroughCriticalDamping) {
  const double l = 10e-6, c = 20e-3, e = 800.0;
  const double r_crit = 2.0 * std::sqrt(l / c);
  const double i_crit = 2.0 * e / (std::numbers::e * r_crit);
  for (double k : {1.0 - 1e-9, 1.0, 1.0 + 1e-9}) {
    const auto peak = capacitor_discharge_peak({.e_v = e, .r_ohm = k * r_crit, .l_h = l, .c_f = c});
    EXPECT_NEAR(peak.i_p_a, i_crit, 1e-8 * i_crit) << k;
    EXPECT_NEAR(peak.t_p_s, 2.0 * l / r_crit, 1e-8 * 2.0 * l / r_crit) << k;
  }
  expect_peak_matches_rk4({.e_v = e, .r_ohm = r_crit, .l_h = l, .c_f = c}, 4.0 * 2.0 * l / r_crit);
}

TEST(CapacitorDischarge, LimitsOfInductanceAndResistance) {
  // L -> 0: the peak tends to E / R at t -> 0. With x = L / (R^2 C) = 1e-6 the peak falls
  // short by about x (1 + ln(1 / x)) = 1.5e-5 relative, at t_p = (L / R) ln(1 / x) = 1.4 ns.
  const auto tiny_l =
      capacitor_discharge_peak({.e_v = 800, .r_ohm = 0.01, .l_h = 1e-12, .c_f = 1e-2});
  EXPECT_NEAR(tiny_l.i_p_a, 800 / 0.01, 2e-5 * 800 / 0.01);
  EXPECT_LT(tiny_l.i_p_a, 800 / 0.01);
  EXPECT_NEAR(tiny_l.t_p_s, 1e-10 * std::log(1e6), 0.01 * 1e-10 * std::log(1e6));
  const auto no_l = capacitor_discharge_peak({.e_v = 800, .r_ohm = 0.01, .l_h = 0.0, .c_f = 1e-2});
  EXPECT_EQ(no_l.i_p_a, 800 / 0.01);
  EXPECT_EQ(no_l.t_p_s, 0.0);
  // R = 0: undamped, E sqrt(C / L) at a quarter period.
  const double l = 10e-6, c = 20e-3;
  const auto lossless = capacitor_discharge_peak({.e_v = 800, .r_ohm = 0.0, .l_h = l, .c_f = c});
  EXPECT_NEAR(lossless.i_p_a, 800 * std::sqrt(c / l), 1e-12 * 800 * std::sqrt(c / l));
  EXPECT_NEAR(lossless.t_p_s, 0.5 * std::numbers::pi * std::sqrt(l * c), 1e-15);
  // Initial slope E / L.
  const CapacitorCircuit under{.e_v = 800.0, .r_ohm = 3e-3, .l_h = 10e-6, .c_f = 20e-3};
  EXPECT_NEAR(capacitor_discharge_current_a(under, 1e-9) / 1e-9, 800 / 10e-6, 1e-4 * 800 / 10e-6);
  EXPECT_THROW((void)capacitor_discharge_peak({.e_v = 800, .r_ohm = 0, .l_h = 0, .c_f = 1e-3}),
               InvalidInput);
  EXPECT_THROW((void)capacitor_discharge_peak({.e_v = 800, .r_ohm = 1, .l_h = 0, .c_f = 0}),
               InvalidInput);
}

TEST(Iec61660Capacitor, ResistiveCaseIsTheExactExponential) {
  const CapacitorCircuit rc{.e_v = 800.0, .r_ohm = 0.05, .l_h = 0.0, .c_f = 4e-3};
  const auto contribution = iec61660_capacitor(rc);
  ASSERT_TRUE(contribution.tau1_s && contribution.tau2_s);
  EXPECT_TRUE(contribution.missing.empty());
  EXPECT_DOUBLE_EQ(*contribution.tau2_s, 0.05 * 4e-3);
  EXPECT_EQ(contribution.i_k_a, 0.0);
  const auto f = approximation_of(contribution);
  ASSERT_TRUE(f);
  for (double t : {1e-6, 1e-4, 2e-4, 1e-3})
    EXPECT_NEAR(approximation_current_a(*f, t), capacitor_discharge_current_a(rc, t),
                1e-12 * rc.e_v / rc.r_ohm)
        << t;
}

TEST(Iec61660Capacitor, InductiveCaseLeavesTheChartFactorsUnset) {
  const auto contribution =
      iec61660_capacitor({.e_v = 800.0, .r_ohm = 3e-3, .l_h = 10e-6, .c_f = 20e-3});
  EXPECT_FALSE(contribution.tau1_s);
  EXPECT_FALSE(contribution.tau2_s);
  EXPECT_NE(contribution.missing.find("k1C"), std::string::npos);
  EXPECT_FALSE(approximation_of(contribution));
  EXPECT_GT(contribution.i_p_a, 0.0);
}

// ---- the model mapping ------------------------------------------------------------------

model::ModelSpec radial_model() {
  model::ModelSpec m;
  m.source_file = "radial.yaml";
  const auto a = test::add_bus(m, "busway", model::BusKind::dc, 800.0);
  const auto b = test::add_bus(m, "rack", model::BusKind::dc, 800.0);
  const auto c = test::add_bus(m, "bus54", model::BusKind::dc, 54.0);
  test::add_bus(m, "grid", model::BusKind::ac, 13.8e3);
  auto& line = test::add_line(m, a, b, 2e-3);
  line.length_m = 10.0;
  line.inductance_h_per_m = 0.5e-6;
  model::Converter dcdc;
  dcdc.id = "dcdc";
  dcdc.input = b;
  dcdc.output = c;
  dcdc.dynamics.input_capacitance_f = 2e-3;
  dcdc.dynamics.input_esr_ohm = 0.3;
  dcdc.dynamics.output_capacitance_f = 20e-3;  // behind the converter: not fed through
  m.converters.push_back(dcdc);
  model::Storage bess;
  bess.id = "bess";
  bess.bus = a;
  bess.technology = model::StorageTechnology::battery;
  m.storage.push_back(bess);
  model::Storage sc;
  sc.id = "supercap";
  sc.bus = b;
  sc.technology = model::StorageTechnology::supercapacitor;
  sc.capacitance_f = 10.0;
  sc.esr_ohm = 5e-3;
  m.storage.push_back(sc);
  return m;
}

TEST(FaultSources, CapacitorsThroughTheirPathAndWhatIsLeftOut) {
  const auto m = radial_model();
  const auto study = iec61660_fault(m, find_fault_bus(m, "busway"));
  ASSERT_EQ(study.capacitors.size(), 2u);
  const auto& link = study.capacitors[0];
  EXPECT_EQ(link.element, "dcdc");
  EXPECT_EQ(link.role, "input capacitor");
  EXPECT_DOUBLE_EQ(link.path_r_ohm, 2e-3);
  EXPECT_DOUBLE_EQ(link.path_l_h, 5e-6);
  EXPECT_EQ(link.path_lines, 1);
  const auto exact =
      capacitor_discharge_peak({.e_v = 800.0, .r_ohm = 0.302, .l_h = 5e-6, .c_f = 2e-3});
  EXPECT_DOUBLE_EQ(link.iec.i_p_a, exact.i_p_a);
  EXPECT_EQ(study.capacitors[1].element, "supercap");
  EXPECT_DOUBLE_EQ(study.sum_of_peaks_a, link.iec.i_p_a + study.capacitors[1].iec.i_p_a);
  ASSERT_EQ(study.left_out.size(), 1u);
  EXPECT_EQ(study.left_out[0].element, "bess");
  EXPECT_NE(study.left_out[0].reason.find("lead-acid"), std::string::npos);
  EXPECT_EQ(study.superposed_peak_a, 0.0);  // tau1C, tau2C unknown with L > 0
}

TEST(FaultSources, ResistiveCapacitorsSuperpose) {
  model::ModelSpec m;
  const auto a = test::add_bus(m, "a", model::BusKind::dc, 800.0);
  m.buses[0].capacitance_f = 1e-3;
  const auto b = test::add_bus(m, "b", model::BusKind::dc, 800.0);
  m.buses[1].capacitance_f = 2e-3;
  test::add_line(m, a, b, 0.1).type = model::LineType::breaker;  // no inductance
  const auto study = iec61660_fault(m, find_fault_bus(m, "b"));
  // Bus a's capacitance through 0.1 ohm; bus b's has nothing in series: left out, unbounded.
  ASSERT_EQ(study.capacitors.size(), 1u);
  ASSERT_EQ(study.left_out.size(), 1u);
  EXPECT_NE(study.left_out[0].reason.find("unbounded"), std::string::npos);
  EXPECT_DOUBLE_EQ(study.superposed_peak_a, 800.0 / 0.1);
  EXPECT_EQ(study.superposed_peak_time_s, 0.0);
}

TEST(FaultSources, BadBusesAndMeshesAreRefused) {
  auto m = radial_model();
  try {
    (void)find_fault_bus(m, "buswya");
    FAIL() << "no throw";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.subject(), "--bus");
    EXPECT_NE(e.fix().find("did you mean 'busway'"), std::string::npos) << e.fix();
  }
  EXPECT_THROW((void)find_fault_bus(m, "grid"), core::ModelError);
  test::add_line(m, 0, 1, 1e-3);  // a second path busway - rack
  EXPECT_THROW((void)iec61660_fault(m, 0), InvalidInput);
}

}  // namespace
}  // namespace g2g::shortcircuit

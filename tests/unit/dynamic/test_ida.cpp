// dynamic::Integrator (IDA + KLU) against closed forms: series RLC step responses, a threshold
// crossing located by root finding, consistent initial conditions after a source step and with an
// algebraic node, the diagnostics of a singular system, and the counters.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "g2g/dynamic/ida.hpp"
#include "unit/dynamic/circuits.hpp"

namespace g2g::dynamic {
namespace {

using fixtures::DenseDae;
using fixtures::SeriesRlc;

IntegratorOptions tight_options() {
  IntegratorOptions options;
  options.relative_tolerance = 1e-6;
  options.absolute_tolerance = 1e-8;
  return options;
}

// The largest deviation from the closed form over every step, relative to the peak of the
// closed form over the same steps.
struct Deviation {
  double max_error = 0.0;
  double peak = 0.0;
  void add(double simulated, double exact) {
    max_error = std::max(max_error, std::abs(simulated - exact));
    peak = std::max(peak, std::abs(exact));
  }
  [[nodiscard]] double relative() const { return max_error / peak; }
};

void expect_step_response(double r_ohm, LinearSolverKind linear_solver) {
  SeriesRlc circuit(100.0, r_ohm, 1e-3, 100e-6);
  const std::vector<double> rest = {0.0, 0.0};
  IntegratorOptions options = tight_options();
  options.linear_solver = linear_solver;
  Integrator integrator(circuit, 0.0, rest, rest, options);
  integrator.initial_conditions(1e-5);  // y' from the source: i' = V / L
  EXPECT_NEAR(integrator.yp()[0], 100.0 / 1e-3, 1e-6 * 1e5);
  EXPECT_NEAR(integrator.yp()[1], 0.0, 1e-6);  // to the Newton tolerance; i' is 1e5 A/s
  Deviation current;
  Deviation voltage;
  int steps = 0;
  const auto outcome = integrator.advance_to(0.01, [&](const Step& step) {
    const auto [i_exact, v_exact] = circuit.exact(step.t_s);
    current.add(step.y[0], i_exact);
    voltage.add(step.y[1], v_exact);
    ++steps;
    return true;
  });
  EXPECT_EQ(outcome, AdvanceOutcome::reached);
  EXPECT_DOUBLE_EQ(integrator.time_s(), 0.01);
  EXPECT_GT(steps, 50);
  EXPECT_LT(current.relative(), 1e-4) << "R = " << r_ohm;
  EXPECT_LT(voltage.relative(), 1e-4) << "R = " << r_ohm;
}

// Both linear solvers (SUNDIALS' KLU module and steady::SparseLu) against the closed form.
TEST(IdaIntegrator, SeriesRlcUnderdampedStepMatchesClosedForm) {
  expect_step_response(1.0, LinearSolverKind::klu);  // α = 500 /s < ω0 = 3162 rad/s
  expect_step_response(1.0, LinearSolverKind::sparse_lu);
}

TEST(IdaIntegrator, SeriesRlcOverdampedStepMatchesClosedForm) {
  expect_step_response(10.0, LinearSolverKind::klu);  // α = 5000 /s > ω0
  expect_step_response(10.0, LinearSolverKind::sparse_lu);
}

// The two linear solvers factor the same (unsymmetric) iteration matrix with partial pivoting:
// IDA takes the same steps and lands on the same solution to round-off. A solve with Jᵀ in
// place of J would not (the current's and the voltage's rows differ).
TEST(IdaIntegrator, LinearSolversAgree) {
  SeriesRlc circuit(100.0, 1.0, 1e-3, 100e-6);
  const std::vector<double> rest = {0.0, 0.0};
  std::vector<IntegratorStats> stats;
  std::vector<std::vector<double>> end;
  for (const auto kind : {LinearSolverKind::klu, LinearSolverKind::sparse_lu}) {
    IntegratorOptions options = tight_options();
    options.linear_solver = kind;
    Integrator integrator(circuit, 0.0, rest, rest, options);
    integrator.initial_conditions(1e-5);
    integrator.advance_to(0.005, nullptr);
    stats.push_back(integrator.stats());
    end.emplace_back(integrator.y().begin(), integrator.y().end());
  }
  EXPECT_EQ(stats[0].steps, stats[1].steps);
  EXPECT_EQ(stats[0].factorizations, stats[1].factorizations);
  EXPECT_EQ(stats[0].nonlinear_iterations, stats[1].nonlinear_iterations);
  for (std::size_t k = 0; k < end[0].size(); ++k)
    EXPECT_NEAR(end[1][k], end[0][k], 1e-9 * std::max(1.0, std::abs(end[0][k]))) << k;
}

// The charging R–C with a root, v_c - v_threshold: at the first upward crossing the source
// steps from V1 to V2 (a discontinuity).
class ThresholdRc : public fixtures::ChargingRc {
 public:
  static constexpr double threshold_v = 5.0;
  double stepped_source_v = 20.0;
  int events_handled = 0;

  [[nodiscard]] int roots() const override { return 1; }
  void root_functions(double, std::span<const double> y, std::span<const double>,
                      std::span<double> out) override {
    out[0] = y[0] - threshold_v;
  }
  bool handle_event(double, std::span<double>, std::span<double>,
                    std::span<const int> which) override {
    if (which[0] != 1 || events_handled > 0) return false;
    ++events_handled;
    source_v = stepped_source_v;
    return true;
  }
};

TEST(IdaIntegrator, RootFoundAtAnalyticTimeAndConsistentRestartAfterIt) {
  ThresholdRc circuit;
  const double tau_s = ThresholdRc::r_ohm * ThresholdRc::c_f;
  IntegratorOptions options = tight_options();
  options.event_horizon_s = 1e-5;
  const std::vector<double> y0 = {0.0, 0.0};  // i_s inconsistent: the IC finds V1 / R
  Integrator integrator(circuit, 0.0, y0, y0, options);
  integrator.initial_conditions(1e-5);
  EXPECT_NEAR(integrator.y()[1], 10.0 / ThresholdRc::r_ohm, 1e-12);
  EXPECT_NEAR(integrator.yp()[0], 10.0 / tau_s, 1e-6 * 1e4);

  const double crossing_s = -tau_s * std::log(1.0 - ThresholdRc::threshold_v / 10.0);
  double event_s = -1.0;
  double restart_s = -1.0;
  double restart_v_rate = 0.0;
  double restart_current_a = 0.0;
  Deviation voltage;
  integrator.advance_to(3e-3, [&](const Step& step) {
    if (step.kind == StepKind::event) {
      event_s = step.t_s;
      EXPECT_EQ(step.roots[0], 1);
    }
    if (step.kind == StepKind::restarted) {
      restart_s = step.t_s;
      restart_v_rate = step.yp[0];
      restart_current_a = step.y[1];
    }
    const double exact = step.t_s <= crossing_s
                             ? 10.0 * (1.0 - std::exp(-step.t_s / tau_s))
                             : 20.0 - 15.0 * std::exp(-(step.t_s - crossing_s) / tau_s);
    if (step.kind != StepKind::event) voltage.add(step.y[0], exact);
    return true;
  });
  EXPECT_NEAR(event_s, crossing_s, 1e-6);
  EXPECT_DOUBLE_EQ(restart_s, event_s);
  // After the source step: i_s = (V2 - v_c) / R, v_c' = i_s / C (consistent, not the old y').
  EXPECT_NEAR(restart_current_a, 15.0 / ThresholdRc::r_ohm, 1e-8);
  EXPECT_NEAR(restart_v_rate, 15.0 / tau_s, 1e-3);
  EXPECT_LT(voltage.relative(), 1e-4);

  // A known edge: stop exactly there, switch the source off, restart consistently. The falling
  // crossing is located too (direction -1), and handle_event declines it (no restart).
  ASSERT_DOUBLE_EQ(integrator.time_s(), 3e-3);
  const double v_edge = integrator.y()[0];
  const double v_edge_exact = 20.0 - 15.0 * std::exp(-(3e-3 - crossing_s) / tau_s);
  EXPECT_NEAR(v_edge, v_edge_exact, 1e-4 * 20.0);
  circuit.source_v = 0.0;
  integrator.initial_conditions(3e-3 + 1e-5);
  EXPECT_NEAR(integrator.yp()[0], -v_edge / tau_s, 1e-6 * v_edge / tau_s);
  EXPECT_NEAR(integrator.y()[1], -v_edge / ThresholdRc::r_ohm, 1e-12);
  const double falling_s = 3e-3 + tau_s * std::log(v_edge / ThresholdRc::threshold_v);
  double falling_event_s = -1.0;
  int restarts = 0;
  integrator.advance_to(6e-3, [&](const Step& step) {
    if (step.kind == StepKind::event) {
      falling_event_s = step.t_s;
      EXPECT_EQ(step.roots[0], -1);
    }
    restarts += step.kind == StepKind::restarted ? 1 : 0;
    return true;
  });
  EXPECT_NEAR(falling_event_s, falling_s, 1e-6);
  EXPECT_EQ(restarts, 0);
  EXPECT_EQ(integrator.stats().events, 2);
  EXPECT_EQ(integrator.stats().initial_conditions, 3);
}

// A source V through R1 into node a, R2 from a to ground, R3 from a to a capacitor:
//   row of v_a (algebraic):     (V - v_a)/R1 - v_a/R2 - (v_a - v_c)/R3 = 0
//   row of v_c (differential):  C v_c' - (v_a - v_c)/R3 = 0
// v_c(t) = V_th (1 - exp(-t / ((R1‖R2 + R3) C))), V_th = V R2 / (R1 + R2).
class DividerRc : public DenseDae {
 public:
  static constexpr double v_source = 12.0;
  static constexpr double r1_ohm = 1e3;
  static constexpr double r2_ohm = 2e3;
  static constexpr double r3_ohm = 500.0;
  static constexpr double c_f = 10e-6;

  DividerRc() : DenseDae({{"v_a", false}, {"v_c", true}}) {}
  void residual(double, std::span<const double> y, std::span<const double> yp,
                std::span<double> out) override {
    out[0] = (v_source - y[0]) / r1_ohm - y[0] / r2_ohm - (y[0] - y[1]) / r3_ohm;
    out[1] = c_f * yp[1] - (y[0] - y[1]) / r3_ohm;
  }

 protected:
  void dense_jacobian(double, std::span<const double>, std::span<const double>, double cj,
                      std::vector<std::vector<double>>& j) override {
    j = {{-1.0 / r1_ohm - 1.0 / r2_ohm - 1.0 / r3_ohm, 1.0 / r3_ohm},
         {-1.0 / r3_ohm, cj * c_f + 1.0 / r3_ohm}};
  }
};

TEST(IdaIntegrator, AlgebraicDividerNodeSolvedConsistently) {
  DividerRc circuit;
  const std::vector<double> y0 = {0.0, 0.0};  // v_a = 0 violates its KCL
  Integrator integrator(circuit, 0.0, y0, y0, tight_options());
  integrator.initial_conditions(1e-4);
  const double g_sum = 1.0 / DividerRc::r1_ohm + 1.0 / DividerRc::r2_ohm + 1.0 / DividerRc::r3_ohm;
  const double v_a0 = DividerRc::v_source / DividerRc::r1_ohm / g_sum;
  EXPECT_NEAR(integrator.y()[0], v_a0, 1e-9);
  EXPECT_NEAR(integrator.yp()[1], v_a0 / DividerRc::r3_ohm / DividerRc::c_f, 1e-3);

  const double r_th = 1.0 / (1.0 / DividerRc::r1_ohm + 1.0 / DividerRc::r2_ohm);
  const double v_th =
      DividerRc::v_source * DividerRc::r2_ohm / (DividerRc::r1_ohm + DividerRc::r2_ohm);
  const double tau_s = (r_th + DividerRc::r3_ohm) * DividerRc::c_f;
  Deviation voltage;
  double worst_kcl_a = 0.0;
  integrator.advance_to(5.0 * tau_s, [&](const Step& step) {
    voltage.add(step.y[1], v_th * (1.0 - std::exp(-step.t_s / tau_s)));
    const double kcl = (DividerRc::v_source - step.y[0]) / DividerRc::r1_ohm -
                       step.y[0] / DividerRc::r2_ohm - (step.y[0] - step.y[1]) / DividerRc::r3_ohm;
    worst_kcl_a = std::max(worst_kcl_a, std::abs(kcl));
    return true;
  });
  EXPECT_LT(voltage.relative(), 1e-4);
  // The algebraic row holds at every step, not only at the end: to the corrector's tolerance,
  // 1e-5 of the source's short-circuit current through R1 (12 mA).
  EXPECT_LT(worst_kcl_a, 1e-5 * DividerRc::v_source / DividerRc::r1_ohm);
}

// x' + x - z1 = 0; z1 - 2 x = 0; z1 - 1 = 0: z2 appears in no equation and its row (the third)
// determines z1 a second time: structurally singular.
class SingularDae : public DenseDae {
 public:
  SingularDae() : DenseDae({{"x", true}, {"z1", false}, {"z2", false}}) {}
  void residual(double, std::span<const double> y, std::span<const double> yp,
                std::span<double> out) override {
    out[0] = yp[0] + y[0] - y[1];
    out[1] = y[1] - 2.0 * y[0];
    out[2] = y[1] - 1.0;
  }

 protected:
  void dense_jacobian(double, std::span<const double>, std::span<const double>, double cj,
                      std::vector<std::vector<double>>& j) override {
    j = {{cj + 1.0, -1.0, 0.0}, {-2.0, 1.0, 0.0}, {0.0, 1.0, 0.0}};
  }
};

void expect_singular_diagnostics(LinearSolverKind linear_solver) {
  SingularDae system;
  const std::vector<double> y0 = {1.0, 0.0, 0.0};
  const std::vector<double> yp0 = {0.0, 0.0, 0.0};
  IntegratorOptions options = tight_options();
  options.linear_solver = linear_solver;
  Integrator integrator(system, 0.0, y0, yp0, options);
  try {
    integrator.initial_conditions(1e-3);
    FAIL() << "a singular system was initialised";
  } catch (const IntegrationError& error) {
    EXPECT_EQ(error.kind(), ErrorKind::integration);
    EXPECT_EQ(error.function(), "IDACalcIC");
    EXPECT_EQ(error.flag_name(), "IDA_LSETUP_FAIL");
    ASSERT_TRUE(error.diagnostics().has_value());
    const FailureDiagnostics& d = *error.diagnostics();
    EXPECT_EQ(d.empty_columns, std::vector<std::string>{"circuit.z2"});
    EXPECT_EQ(d.zero_diagonals, std::vector<std::string>{"circuit.z2"});
    EXPECT_TRUE(d.empty_rows.empty());
    // The zero pivot shows where the elimination order meets it: KLU's COLAMD order at z2's
    // own row; SparseLu's leaves-first order, which takes z2's row first, at x's.
    EXPECT_EQ(d.singular_row, linear_solver == LinearSolverKind::klu ? "circuit.z2" : "circuit.x");
    // F at y0: row x: 0 + 1 - 0 = 1; row z1: 0 - 2 = -2; row z2: 0 - 1 = -1.
    EXPECT_NEAR(d.differential_residual_norm, 1.0, 1e-12);
    EXPECT_NEAR(d.algebraic_residual_norm, std::sqrt(5.0), 1e-12);
    ASSERT_EQ(d.worst.size(), 3U);
    EXPECT_EQ(d.worst[0].name, "circuit.z1");
    EXPECT_DOUBLE_EQ(d.worst[0].residual, -2.0);
    const std::string message = error.what();
    EXPECT_NE(message.find("IDACalcIC failed (IDA_LSETUP_FAIL)"), std::string::npos) << message;
    EXPECT_NE(message.find("unknowns no equation depends on: circuit.z2"), std::string::npos)
        << message;
    EXPECT_FALSE(error.fix().empty());
  }
}

TEST(IdaIntegrator, FailureDiagnosticsNameTheUnknownOfASingularSystem) {
  expect_singular_diagnostics(LinearSolverKind::klu);
  expect_singular_diagnostics(LinearSolverKind::sparse_lu);
}

TEST(IdaIntegrator, StatsCountStepsEvaluationsAndFactorizations) {
  SeriesRlc circuit(100.0, 1.0, 1e-3, 100e-6);
  const std::vector<double> rest = {0.0, 0.0};
  Integrator integrator(circuit, 0.0, rest, rest, tight_options());
  integrator.initial_conditions(1e-5);
  long steps_seen = 0;
  integrator.advance_to(0.01, [&](const Step&) {
    ++steps_seen;
    return true;
  });
  const IntegratorStats s = integrator.stats();
  EXPECT_EQ(s.steps, steps_seen);  // one callback per step (the last is the stop)
  EXPECT_GE(s.nonlinear_iterations, s.steps);
  EXPECT_GE(s.residual_evaluations, s.nonlinear_iterations);
  EXPECT_GE(s.jacobian_evaluations, 1);
  EXPECT_EQ(s.factorizations, s.jacobian_evaluations);  // IDA re-evaluates J at every setup
  EXPECT_LT(s.factorizations, s.steps / 2);             // most steps reuse the factorisation
  EXPECT_EQ(s.initial_conditions, 1);
  EXPECT_EQ(s.events, 0);
  // Stats survive a restart: IDA's own counters start again at zero there.
  integrator.initial_conditions(0.01 + 1e-5);
  integrator.advance_to(0.011, nullptr);
  EXPECT_GT(integrator.stats().steps, s.steps);
  EXPECT_GE(integrator.stats().residual_evaluations, s.residual_evaluations);
}

TEST(IdaIntegrator, CallbackCancelsAndCallbackExceptionsPassThrough) {
  SeriesRlc circuit(100.0, 1.0, 1e-3, 100e-6);
  const std::vector<double> rest = {0.0, 0.0};
  Integrator integrator(circuit, 0.0, rest, rest, tight_options());
  integrator.initial_conditions(1e-5);
  int calls = 0;
  EXPECT_EQ(integrator.advance_to(0.01, [&](const Step&) { return ++calls < 3; }),
            AdvanceOutcome::cancelled);
  EXPECT_EQ(calls, 3);
  EXPECT_LT(integrator.time_s(), 0.01);

  class Throwing : public SeriesRlc {
   public:
    Throwing() : SeriesRlc(1.0, 1.0, 1e-3, 1e-6) {}
    void residual(double t_s, std::span<const double> y, std::span<const double> yp,
                  std::span<double> out) override {
      if (t_s > 1e-4) throw std::logic_error("a broken invariant in the residual");
      SeriesRlc::residual(t_s, y, yp, out);
    }
  } throwing;
  Integrator failing(throwing, 0.0, rest, rest, tight_options());
  failing.initial_conditions(1e-6);
  EXPECT_THROW(failing.advance_to(1e-3, nullptr), std::logic_error);
}

TEST(IdaIntegrator, OutsideDomainRetriedThenReportedWithTheSystemsReason) {
  // Past 0.1 ms, and from then on at every point, the residual is outside its domain: IDA
  // retries with smaller steps, then gives up; the error carries IDA's flag and the system's own
  // reason. (Only past a time, not from then on, IDA would creep up to 0.1 ms with ever smaller
  // successful steps and never stop unless max_steps is set.)
  class Bounded : public SeriesRlc {
   public:
    Bounded() : SeriesRlc(1.0, 1.0, 1e-3, 1e-6) {}
    void residual(double t_s, std::span<const double> y, std::span<const double> yp,
                  std::span<double> out) override {
      outside_ = outside_ || t_s > 1e-4;
      if (outside_) throw OutsideDomain("the model ends at 0.1 ms");
      SeriesRlc::residual(t_s, y, yp, out);
    }

   private:
    bool outside_ = false;
  } bounded;
  const std::vector<double> rest = {0.0, 0.0};
  Integrator integrator(bounded, 0.0, rest, rest, tight_options());
  integrator.initial_conditions(1e-6);
  try {
    integrator.advance_to(1e-3, nullptr);
    FAIL() << "integrated past the domain";
  } catch (const IntegrationError& error) {
    EXPECT_EQ(error.function(), "IDASolve");
    EXPECT_NE(error.sundials_message().find("the system reported: the model ends at 0.1 ms"),
              std::string::npos)
        << error.what();
    // The diagnostics cannot evaluate the residual either, so IDA's failure comes alone.
    EXPECT_FALSE(error.diagnostics().has_value());
  }
}

TEST(IdaIntegrator, MaxStepsStopsALongRun) {
  SeriesRlc circuit(100.0, 1.0, 1e-3, 100e-6);
  const std::vector<double> rest = {0.0, 0.0};
  IntegratorOptions options = tight_options();
  options.max_steps = 20;
  Integrator integrator(circuit, 0.0, rest, rest, options);
  integrator.initial_conditions(1e-5);
  try {
    integrator.advance_to(0.01, nullptr);
    FAIL() << "more than 20 steps allowed";
  } catch (const IntegrationError& error) {
    EXPECT_EQ(error.flag_name(), "too many steps");
    EXPECT_EQ(integrator.stats().steps, 21);
    EXPECT_LT(integrator.time_s(), 0.01);
  }
}

TEST(IdaIntegrator, OptionsAndArgumentsChecked) {
  SeriesRlc circuit(1.0, 1.0, 1e-3, 1e-6);
  const std::vector<double> rest = {0.0, 0.0};
  IntegratorOptions no_tolerance;
  try {
    Integrator integrator(circuit, 0.0, rest, rest, no_tolerance);
    FAIL();
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.subject(), "relative_tolerance");
  }
  IntegratorOptions wrong_vector = tight_options();
  wrong_vector.absolute_tolerances = {1e-6};
  EXPECT_THROW(Integrator(circuit, 0.0, rest, rest, wrong_vector), InvalidInput);
  const std::vector<double> short_y = {0.0};
  EXPECT_THROW(Integrator(circuit, 0.0, short_y, short_y, tight_options()), InvalidInput);

  ThresholdRc with_root;  // a root function needs the event horizon
  try {
    Integrator integrator(with_root, 0.0, rest, rest, tight_options());
    FAIL();
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.subject(), "event_horizon_s");
  }

  Integrator integrator(circuit, 0.0, rest, rest, tight_options());
  EXPECT_THROW(integrator.initial_conditions(0.0), InvalidInput);  // GridKit #314: tout1 = t0
  integrator.initial_conditions(1e-6);
  integrator.advance_to(1e-4, nullptr);
  EXPECT_THROW(integrator.advance_to(5e-5, nullptr), InvalidInput);
}

}  // namespace
}  // namespace g2g::dynamic

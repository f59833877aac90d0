// The utility in the time domain (a Thevenin source, a swing equation with droop) against closed
// forms derived here, not from the code: the terminal voltage after a constant-power load step is
// the larger root of the quadratic that V = E - Z I gives, and the frequency after a load step is
// a first-order lag to the droop's deviation with time constant 2 H R. docs/validation.md § Time
// domain.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

#include <cmath>
#include <complex>
#include <optional>
#include <string>
#include <vector>

#include "g2g/api/model.hpp"
#include "g2g/dynamic/ida.hpp"
#include "g2g/dynamic/network_dae.hpp"
#include "g2g/steady/solver.hpp"

namespace g2g::dynamic {
namespace {

// A 5 MW + 1 Mvar constant-power plant at the utility's own 13.8 kV bus: the source delivers
// exactly the plant's power (no branch between them), so the closed forms need nothing else.
constexpr double s_sc_va = 50e6;
constexpr double x_over_r = 10.0;
constexpr double rating_va = 100e6;
constexpr double inertia_s = 5.0;
constexpr double droop = 0.05;
constexpr double f0_hz = 60.0;
constexpr double p0_w = 5e6;
constexpr double q_var = 1e6;
constexpr double step_w = 5e6;  // at t_step_s, 5 -> 10 MW
constexpr double t_step_s = 0.1;

std::string plant(bool thevenin) {
  return std::string(R"(grid2gpu: 1
name: utility step
frequency: 60 Hz
buses:
  - {id: grid, kind: ac, voltage: 13.8 kV}
components:
  - {id: utility, type: utility, bus: grid, rating: 100 MVA, inertia: 5 s,
     frequency_droop: 5 %)") +
         (thevenin ? ", short_circuit_power: 50 MVA, x_r_ratio: 10" : "") + R"(}
  - {id: plant, type: load, bus: grid, power: 5 MW, reactive_power: 1 Mvar}
)";
}

struct StepRun {
  api::ValidatedModel model;
  steady::Solver solver;
  std::optional<NetworkDae> network;
  std::optional<Integrator> ida;

  static LoadPowers step() {
    LoadPowers loads;
    loads.function_of_load = {0};
    loads.add(PiecewiseLinear(
        {{0.0, p0_w}, {t_step_s, p0_w}, {t_step_s, p0_w + step_w}, {10.0, p0_w + step_w}}));
    return loads;
  }
  // Integrated to just after the step (rtol 1e-9), the jump's algebraic change solved.
  explicit StepRun(bool thevenin)
      : model(api::load_model_text(plant(thevenin), api::ModelFormat::yaml, "plant.yaml")),
        solver(model.spec()) {
    (void)solver.solve();
    network.emplace(model.spec(), solver.network(), solver.state(), step());
    IntegratorOptions options;
    options.relative_tolerance = 1e-9;
    options.absolute_tolerances = network->absolute_tolerances(1e-9);
    options.max_steps = 500000;
    ida.emplace(*network, 0.0, network->initial_y(), network->initial_yp(), options);
    ida->initial_conditions(1e-5);
    ida->advance_to(t_step_s, [](const Step&) { return true; });
    ida->initial_conditions(t_step_s + 1e-5);
  }
  NetworkDae& dae() { return *network; }
  Integrator& integrator() { return *ida; }
  double frequency_at(double t_s) {
    ida->advance_to(t_s, [](const Step&) { return true; });
    return network->source_frequency_hz(0, ida->y());
  }
};

// Per unit on S_sc (z = (1 + j X/R) / sqrt(1 + (X/R)^2)) and the bus's nominal voltage. Before
// the step V = 1 pu (the power flow's slack), so E = V + z conj(S0 / V). After it, with V real
// (the angle drops out of |V|): E e^{-j d} = v + z conj(S1) / v, and |E|^2 v^2 = (v^2 + a)^2 + b^2
// with a = r P + x Q, b = x P - r Q; in u = v^2: u^2 + (2a - |E|^2) u + a^2 + b^2 = 0, whose
// larger root is the stable operating point.
double terminal_voltage_after_step_pu() {
  const double norm = std::sqrt(1.0 + x_over_r * x_over_r);
  const std::complex<double> z(1.0 / norm, x_over_r / norm);
  const std::complex<double> s0(p0_w / s_sc_va, q_var / s_sc_va);
  const double e_squared = std::norm(1.0 + z * std::conj(s0));
  const double p = (p0_w + step_w) / s_sc_va;
  const double q = q_var / s_sc_va;
  const double a = z.real() * p + z.imag() * q;
  const double b = z.imag() * p - z.real() * q;
  const double half_b = (2.0 * a - e_squared) / 2.0;
  const double u = -half_b + std::sqrt(half_b * half_b - (a * a + b * b));
  return std::sqrt(u);
}

TEST(UtilityValidation, TheveninTerminalVoltageAfterALoadStepSolvesTheQuadratic) {
  StepRun run(true);
  const double expected_pu = terminal_voltage_after_step_pu();
  EXPECT_LT(expected_pu, 0.99);  // a 10 MW plant on a 50 MVA grid: a visible drop
  EXPECT_NEAR(run.dae().bus_voltage_pu(0, run.integrator().y()), expected_pu, 1e-9);
  run.integrator().advance_to(2.0, [](const Step&) { return true; });
  const double v_pu = run.dae().bus_voltage_pu(0, run.integrator().y());
  EXPECT_NEAR(v_pu, expected_pu, 1e-9);
  RecordProperty("expected_v_pu", std::to_string(expected_pu));
  RecordProperty("error_v_pu", fmt::format("{:.3g}", v_pu - expected_pu));
  // The grid power is the power at the terminal: the plant's, not the plant's plus Z_th's loss.
  EXPECT_NEAR(run.dae().grid_power_w(2.0, run.integrator().y(), run.integrator().yp()),
              p0_w + step_w, 1e-6 * (p0_w + step_w));
}

// The swing equation on the rating, with the governor's power P_m = P0 - (df / f0) S / R and the
// delivered power P_e = P0 + dP after the step:
//   (2 H / f0) d(df)/dt = (P_m - P_e) / S = -(df / f0) / R - dP / S,
// a first-order lag: df(t) = -R (dP / S) f0 (1 - exp(-(t - t_step) / tau)), tau = 2 H R.
// H = 5 s, R = 5 %: tau = 0.5 s and a final deviation of -0.05 x 0.05 x 60 = -0.15 Hz.
double frequency_deviation_hz(double t_s) {
  const double tau_s = 2.0 * inertia_s * droop;
  return -droop * step_w / rating_va * f0_hz * (1.0 - std::exp(-(t_s - t_step_s) / tau_s));
}

TEST(UtilityValidation, FrequencyAfterALoadStepIsAFirstOrderLagWithTau2HR) {
  for (const bool thevenin : {true, false}) {
    StepRun run(thevenin);
    EXPECT_NEAR(run.dae().source_frequency_hz(0, run.integrator().y()), f0_hz, 1e-9);
    double worst_hz = 0.0;
    for (const double t_s : {0.15, 0.35, 0.6, 1.1, 2.1, 4.1}) {
      const double deviation_hz = run.frequency_at(t_s) - f0_hz;
      worst_hz = std::max(worst_hz, std::fabs(deviation_hz - frequency_deviation_hz(t_s)));
      // 1e-6 of the final deviation: the integrator's tolerance (rtol 1e-9) is far below it.
      EXPECT_NEAR(deviation_hz, frequency_deviation_hz(t_s), 1.5e-7)
          << (thevenin ? "Thevenin" : "stiff") << " at t = " << t_s << " s";
    }
    RecordProperty(thevenin ? "worst_error_hz_thevenin" : "worst_error_hz_stiff",
                   fmt::format("{:.3g}", worst_hz));
    // One time constant after the step: 1 - 1/e of the way.
    EXPECT_NEAR(frequency_deviation_hz(t_step_s + 0.5), -0.15 * (1.0 - std::exp(-1.0)), 1e-15);
  }
}

}  // namespace
}  // namespace g2g::dynamic

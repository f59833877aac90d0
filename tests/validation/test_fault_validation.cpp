// DC faults in the network DAE against references we did not write: the closed-form discharge of
// a capacitor with ESR through a line's R-L into a bolted fault (under- and overdamped), ngspice's
// .tran on the same circuit with a resistive fault, and the energy balance from inception.
// docs/validation.md § Faults.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "g2g/dynamic/ida.hpp"
#include "g2g/dynamic/network_dae.hpp"
#include "support/ngspice.hpp"
#include "support/test_support.hpp"
#include "unit/dynamic/solved_case.hpp"
#include "validation/spice_netlist.hpp"

namespace g2g::dynamic {
namespace {

constexpr double v0_v = 800.0;
constexpr double fault_link_c_f = 2e-3;
constexpr double link_esr_ohm = 2e-3;
constexpr double far_c_f = 1e-3;
constexpr double line_length_m = 20.0;
constexpr double line_l_h_per_m = 1e-6;
constexpr double fault_s = 1e-3;  // inception
constexpr double at = 0.5;

// An 800 V source holds `link` through a converter (its output DC link: C with ESR); a cable
// runs from `link` to `far` (a bus capacitance). Nothing draws current until the fault, when the
// converter's input is lost too: the two capacitors discharge into the fault alone.
std::string fault_model(double line_r_ohm) {
  return fmt::format(R"(grid2gpu: 1
name: capacitor discharge into a fault
buses:
  - {{id: src, kind: dc, voltage: {0} V}}
  - {{id: link, kind: dc, voltage: {0} V}}
  - {{id: far, kind: dc, voltage: {0} V, capacitance: {1} F}}
components:
  - {{id: feed, type: dc_source, bus: src}}
  - {{id: conv, type: dcdc, input: src, output: link, rating: 100 kW, efficiency: 98 %,
     output_capacitance: {2} F, output_esr: {3} ohm, voltage_bandwidth: 500 Hz, damping: 1.0,
     current_limit: 300 A}}
  - {{id: line, type: cable, from: link, to: far, resistance: {4} ohm, length: {5} m,
     inductance_per_length: {6} H/m}}
)",
                     v0_v, far_c_f, fault_link_c_f, link_esr_ohm, line_r_ohm, line_length_m,
                     line_l_h_per_m);
}

struct FaultRun {
  std::vector<double> t_s, i_a, di_a, i_f, v_link;  // from inception
  double stored_at_inception_j = 0.0;
  double stored_end_j = 0.0;
  double fault_j = 0.0, lines_j = 0.0, esr_j = 0.0;
  double lines_at_inception_j = 0.0, esr_at_inception_j = 0.0;
};

// The circuit with a fault at `at` along the line; samples on a uniform grid of `points` over
// `window_s` after inception (the integrator stops exactly there).
FaultRun run_fault(double line_r_ohm, double fault_r_ohm, double window_s, int points,
                   double rtol) {
  fixtures::SolvedCase c(fault_model(line_r_ohm));
  FaultSpec spec;
  spec.id = "f";
  spec.line = 0;
  spec.at = at;
  spec.resistance_ohm = fault_r_ohm;
  spec.time_s = fault_s;
  NetworkDae dae(c.model.spec(), c.solver.network(), c.solver.state(), {}, {}, {spec});
  dae.lose_input(0, fault_s, 1e3);
  Integrator integrator(dae, 0.0, dae.initial_y(), dae.initial_yp(),
                        fixtures::integrator_options(dae, rtol, 1e-7, 1000000));
  integrator.initial_conditions(1e-6);
  FaultRun run;
  std::size_t i_a_column = 0;  // the line's current: its `from` part's
  for (std::int64_t k = 0; k < dae.size(); ++k)
    if (dae.names(k).element == "line" && dae.names(k).state == "i")
      i_a_column = static_cast<std::size_t>(k);
  const auto link = static_cast<model::BusIndex>(1);
  // The restart at inception (the fault and the lost input in place): the energies then.
  bool restarted = false;
  const auto at_inception = [&](const Step& step) {
    if (step.kind == StepKind::restarted && !restarted) {
      restarted = true;
      run.stored_at_inception_j = dae.stored_energy_j(step.y);
      run.lines_at_inception_j = dae.line_loss_energy_j(step.y);
      run.esr_at_inception_j = dae.esr_loss_energy_j(step.y);
    }
    return true;
  };
  for (int k = 1; k <= points; ++k) {
    const double t = fault_s + window_s * k / points;
    integrator.advance_to(t, at_inception);
    const auto y = integrator.y();
    const auto yp = integrator.yp();
    run.t_s.push_back(t - fault_s);
    run.i_a.push_back(y[i_a_column]);
    run.di_a.push_back(yp[i_a_column]);
    run.i_f.push_back(dae.fault_current_a(0, y));
    run.v_link.push_back(dae.bus_voltage_pu(link, y) * v0_v);
  }
  EXPECT_TRUE(restarted && dae.fault_active(0));
  const auto y = integrator.y();
  run.stored_end_j = dae.stored_energy_j(y);
  run.fault_j = dae.fault_energy_j(0, y);
  run.lines_j = dae.line_loss_energy_j(y) - run.lines_at_inception_j;
  run.esr_j = dae.esr_loss_energy_j(y) - run.esr_at_inception_j;
  return run;
}

// A series R-L-C discharging from v0 with no current: i(t) and the time of its first peak.
struct Discharge {
  double r_ohm, l_h, c_f;
  [[nodiscard]] double alpha() const { return r_ohm / (2.0 * l_h); }
  [[nodiscard]] double omega0_sq() const { return 1.0 / (l_h * c_f); }
  [[nodiscard]] bool underdamped() const { return alpha() * alpha() < omega0_sq(); }
  [[nodiscard]] double current(double t) const {
    if (underdamped()) {
      const double wd = std::sqrt(omega0_sq() - alpha() * alpha());
      return v0_v / (l_h * wd) * std::exp(-alpha() * t) * std::sin(wd * t);
    }
    const double root = std::sqrt(alpha() * alpha() - omega0_sq());
    const double s1 = -alpha() + root, s2 = -alpha() - root;
    return v0_v / (l_h * (s1 - s2)) * (std::exp(s1 * t) - std::exp(s2 * t));
  }
  [[nodiscard]] double peak_time() const {
    if (underdamped()) {
      const double wd = std::sqrt(omega0_sq() - alpha() * alpha());
      return std::atan2(wd, alpha()) / wd;
    }
    const double root = std::sqrt(alpha() * alpha() - omega0_sq());
    const double s1 = -alpha() + root, s2 = -alpha() - root;
    return std::log(s2 / s1) / (s1 - s2);
  }
};

// The peak of samples (t, i, di/dt): the sample interval where di/dt changes sign, the cubic
// Hermite interpolant on it, and its stationary point.
std::pair<double, double> peak_of(const FaultRun& run) {
  for (std::size_t k = 1; k < run.t_s.size(); ++k) {
    if (!(run.di_a[k - 1] > 0.0 && run.di_a[k] <= 0.0)) continue;
    const double h = run.t_s[k] - run.t_s[k - 1];
    const double p0 = run.i_a[k - 1], p1 = run.i_a[k];
    const double m0 = run.di_a[k - 1] * h, m1 = run.di_a[k] * h;
    // p(s) = a s^3 + b s^2 + m0 s + p0 on s in [0, 1].
    const double a = 2.0 * p0 - 2.0 * p1 + m0 + m1;
    const double b = -3.0 * p0 + 3.0 * p1 - 2.0 * m0 - m1;
    // p'(s) = 3a s^2 + 2b s + m0 = 0, the root in [0, 1].
    double s = 0.5;
    for (int it = 0; it < 50; ++it) s -= (3 * a * s * s + 2 * b * s + m0) / (6 * a * s + 2 * b);
    return {run.t_s[k - 1] + s * h, ((a * s + b) * s + m0) * s + p0};
  }
  ADD_FAILURE() << "no peak";
  return {0.0, 0.0};
}

void expect_closed_form_peak(double line_r_ohm, bool underdamped) {
  using ::testing::Test;
  const Discharge loop{link_esr_ohm + at * line_r_ohm, at * line_l_h_per_m * line_length_m,
                       fault_link_c_f};
  ASSERT_EQ(loop.underdamped(), underdamped);
  const double t_peak = loop.peak_time();
  const FaultRun run = run_fault(line_r_ohm, 0.0, 2.0 * t_peak, 4000, 1e-10);
  const auto [t_s, i_a] = peak_of(run);
  const double i_peak = loop.current(t_peak);
  EXPECT_NEAR(t_s, t_peak, 1e-6 * t_peak);
  EXPECT_NEAR(i_a, i_peak, 1e-6 * i_peak);
  Test::RecordProperty("peak_a", fmt::format("{:.6g}", i_a));
  Test::RecordProperty("peak_time_error", fmt::format("{:.3g}", (t_s - t_peak) / t_peak));
  Test::RecordProperty("peak_error", fmt::format("{:.3g}", (i_a - i_peak) / i_peak));
  // The waveform, not only its peak.
  double worst = 0.0;
  for (std::size_t k = 0; k < run.t_s.size(); ++k)
    worst = std::max(worst, std::fabs(run.i_a[k] - loop.current(run.t_s[k])));
  EXPECT_LT(worst, 1e-6 * i_peak);
}

TEST(FaultValidation, UnderdampedDischargeIntoABoltedFaultMatchesTheClosedForm) {
  expect_closed_form_peak(0.010, true);
}

TEST(FaultValidation, OverdampedDischargeIntoABoltedFaultMatchesTheClosedForm) {
  expect_closed_form_peak(0.400, false);
}

// Energy in the capacitors and inductors at inception (the source delivers nothing after it: the
// converter's input is lost) equals what the fault, the line and the ESR dissipate, plus what is
// still stored at the end.
TEST(FaultValidation, EnergyIsConservedFromInception) {
  for (const double fault_r_ohm : {0.0, 0.010}) {
    SCOPED_TRACE(fault_r_ohm);
    const FaultRun run = run_fault(0.010, fault_r_ohm, 0.02, 200, 1e-10);
    const double dissipated_j = run.fault_j + run.lines_j + run.esr_j;
    EXPECT_NEAR(run.stored_at_inception_j, dissipated_j + run.stored_end_j,
                1e-6 * run.stored_at_inception_j);
    EXPECT_GT(run.lines_j, 0.0);
    EXPECT_GT(run.esr_j, 0.0);
    if (fault_r_ohm > 0.0) {
      EXPECT_GT(run.fault_j, 0.1 * run.stored_at_inception_j);
    }
    RecordProperty(
        fmt::format("balance_error_r{}", fault_r_ohm),
        fmt::format("{:.3g}", (run.stored_at_inception_j - dissipated_j - run.stored_end_j) /
                                  run.stored_at_inception_j));
  }
}

// ngspice on the same circuit from inception: both capacitors at 800 V, the line split at the
// fault, a 10 mOhm fault resistor.
TEST(FaultValidation, ResistiveFaultMatchesNgspice) {
  if (g2g::test::require_ngspice().empty()) return;
  const double line_r_ohm = 0.010, fault_r_ohm = 0.010, window_s = 0.01;
  const FaultRun run = run_fault(line_r_ohm, fault_r_ohm, window_s, 2000, 1e-9);
  const double l_h = line_l_h_per_m * line_length_m;
  g2g::test::TranCircuit circuit("capacitor discharge into a resistive fault");
  circuit.capacitor("c_link", "link", "0", fault_link_c_f, link_esr_ohm, v0_v);
  circuit.inductor("l_a", "link", "f", at * l_h, at * line_r_ohm, 0.0);
  circuit.inductor("l_b", "far", "f", (1.0 - at) * l_h, (1.0 - at) * line_r_ohm, 0.0);
  circuit.capacitor("c_far", "far", "0", far_c_f, 0.0, v0_v);
  circuit.resistor("r_fault", "f", "0", fault_r_ohm);
  g2g::test::TranOptions options;
  options.stop_s = window_s;
  options.print_step_s = 1e-6;
  options.max_step_s = 1e-6;
  options.use_initial_conditions = true;
  options.signals = {"i(r_fault)", "i(l_a)", "v(link)"};
  const auto spice = g2g::test::run_ngspice_tran(circuit, options, g2g::test::scratch_dir("fault"));
  double peak_a = 0.0, worst_fault = 0.0, worst_line = 0.0;
  for (std::size_t k = 0; k < run.t_s.size(); ++k) {
    const double t = run.t_s[k];
    const double theirs = spice.at("i(r_fault)", t);
    peak_a = std::max(peak_a, std::fabs(theirs));
    worst_fault = std::max(worst_fault, std::fabs(run.i_f[k] - theirs));
    worst_line = std::max(worst_line, std::fabs(run.i_a[k] - spice.at("i(l_a)", t)));
  }
  EXPECT_GT(peak_a, 1e3);
  EXPECT_LT(worst_fault / peak_a, 1e-3) << worst_fault << " A of " << peak_a << " A";
  EXPECT_LT(worst_line / peak_a, 1e-3) << worst_line << " A of " << peak_a << " A";
  RecordProperty("fault_current_error_of_peak", fmt::format("{:.3g}", worst_fault / peak_a));
  RecordProperty("line_current_error_of_peak", fmt::format("{:.3g}", worst_line / peak_a));
}

}  // namespace
}  // namespace g2g::dynamic

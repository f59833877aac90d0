// Protection devices in the network DAE (breakers with `trip:`, components/protection.hpp)
// against references we did not write: the closed forms of a current rising through R-L to a
// pickup and of an inductor's current driven to zero by an ideal clamp (its energy
// E = V_c integral of i dt); ngspice's .tran of the same solid-state breaker as a voltage-
// controlled switch with a MOV clamp; and a two-level radial feeder's selectivity (which device
// clears). The fault is a constant-impedance load stepped to a low resistance.
// docs/validation.md § Protection devices.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "g2g/api/model.hpp"
#include "g2g/components/protection.hpp"
#include "g2g/dynamic/ida.hpp"
#include "g2g/dynamic/network_dae.hpp"
#include "g2g/dynamic/selectivity.hpp"
#include "g2g/steady/solver.hpp"
#include "support/ngspice.hpp"
#include "support/test_support.hpp"
#include "validation/spice_netlist.hpp"

namespace g2g::dynamic {
namespace {

constexpr double bus_v = 800.0;
constexpr double fault_at_s = 1e-3;

// A model, its power flow and its DAE, with one load stepped from its steady power to
// fault_w at fault_at_s (a constant-impedance load: a resistance V^2 / P).
struct FaultRun {
  api::ValidatedModel model;
  std::unique_ptr<steady::Solver> solver;
  std::unique_ptr<NetworkDae> dae;
  std::unique_ptr<Integrator> integrator;

  FaultRun(const std::string& text, const std::string& fault_load, double fault_w, double rtol)
      : model(api::validate(
            api::load_model_text(text, api::ModelFormat::yaml, "protection.yaml").take_spec())) {
    solver = std::make_unique<steady::Solver>(model.spec());
    (void)solver->solve();
    LoadPowers powers;
    for (const auto& load : model.spec().loads) {
      if (load.id != fault_load) {
        powers.function_of_load.push_back(-1);
        continue;
      }
      const double p0 = model::nominal_load_power_w(load);
      powers.function_of_load.push_back(powers.add(
          PiecewiseLinear({{0.0, p0}, {fault_at_s, p0}, {fault_at_s, fault_w}, {1.0, fault_w}})));
    }
    dae = std::make_unique<NetworkDae>(model.spec(), solver->network(), solver->state(), powers);
    IntegratorOptions options;
    options.relative_tolerance = rtol;
    options.absolute_tolerances = dae->absolute_tolerances(rtol);
    options.max_steps = 1000000;
    options.event_horizon_s = 1e-8;
    integrator =
        std::make_unique<Integrator>(*dae, 0.0, dae->initial_y(), dae->initial_yp(), options);
    integrator->initial_conditions(1e-6);
  }
  // Advances through the stops in order, restarting consistently at the fault's jump; calls
  // `at` after each stop.
  template <typename F>
  void advance(std::vector<double> stops, F&& at) {
    stops.push_back(fault_at_s);
    std::sort(stops.begin(), stops.end());
    stops.erase(std::unique(stops.begin(), stops.end()), stops.end());
    for (const double t : stops) {
      if (t <= integrator->time_s()) continue;
      integrator->advance_to(t, [&](const Step& step) {
        dae->observe_protection(step.t_s, step.y);
        return true;
      });
      if (t == fault_at_s) integrator->initial_conditions(t + 1e-7);
      at(t);
    }
  }
  [[nodiscard]] std::int64_t unknown(const std::string& element, const std::string& state) const {
    for (std::int64_t k = 0; k < dae->size(); ++k)
      if (dae->names(k).element == element && dae->names(k).state == state) return k;
    return -1;
  }
  [[nodiscard]] SimulationSummary summary() const {
    SimulationSummary s;
    s.t_end_s = integrator->time_s();
    summarise_protection(model.spec(), *dae, integrator->y(), s);
    return s;
  }
};

// ---- Clamp energy and pickup time against the closed forms ------------------------------------

// A stiff 800 V source, the breaker (1 uH stray, 1 mohm on), the fault R_f: i rises as
// I_f (1 - e^{-t/tau}) + i_0 e^{-t/tau}, tau = L / (R_on + R_f), to the pickup; `delay` later it
// opens into an ideal clamp and L di/dt = V - V_c - R_f i takes it to zero.
constexpr double sscb_l_h = 5e-6;
constexpr double sscb_r_on_ohm = 1e-3;
constexpr double fault_r_ohm = 0.05;
constexpr double pickup_a = 2000.0;
constexpr double delay_s = 5e-6;
constexpr double clamp_v = 1200.0;
constexpr double off_ohm = 1e6;

std::string single_breaker_model() {
  return fmt::format(R"(grid2gpu: 1
name: SSCB into an ideal clamp
buses:
  - {{id: src, kind: dc, voltage: {0} V}}
  - {{id: b, kind: dc, voltage: {0} V}}
components:
  - {{id: feed, type: dc_source, bus: src}}
  - {{id: sscb, type: breaker, from: src, to: b, on_resistance: {1} ohm,
     trip: {{kind: solid_state, pickup: {2} A, delay: {3} s, clamp_voltage: {4} V,
            off_resistance: {5} ohm, inductance: {6} H}}}}
  - {{id: fault, type: load, bus: b, power: 1 kW, model: constant_impedance}}
)",
                     bus_v, sscb_r_on_ohm, pickup_a, delay_s, clamp_v, off_ohm, sscb_l_h);
}

TEST(ProtectionValidation, SolidStateBreakerPickupAndClampEnergyMatchClosedForms) {
  const double fault_w = bus_v * bus_v / fault_r_ohm;
  FaultRun run(single_breaker_model(), "fault", fault_w, 1e-10);
  const double t_end_s = fault_at_s + 2e-4;
  run.advance({t_end_s}, [](double) {});
  const auto s = run.summary();
  ASSERT_EQ(s.protection.size(), 1u);
  const auto& p = s.protection[0];
  ASSERT_TRUE(p.pickup_s && p.open_s && p.cleared_s) << "the breaker must trip and clear";
  EXPECT_EQ(p.cause, "current");

  // Pickup: the R-L rise from the pre-fault current (1 kW at 800 V through R_on + 640 ohm).
  const double r_total = sscb_r_on_ohm + fault_r_ohm;
  const double tau_s = sscb_l_h / r_total;
  const double i_final = bus_v / r_total;
  const double i_pre = bus_v / (sscb_r_on_ohm + bus_v * bus_v / 1e3);
  const double t_pickup = fault_at_s + tau_s * std::log((i_final - i_pre) / (i_final - pickup_a));
  EXPECT_NEAR(*p.pickup_s, t_pickup, 1e-6 * (t_pickup - fault_at_s));
  EXPECT_NEAR(*p.open_s, t_pickup + delay_s, 1e-6 * (t_pickup + delay_s - fault_at_s));
  // The current at opening, and the clamp phase from it: L di/dt = V - V_c - R_f i.
  const double t_open_rel = *p.open_s - fault_at_s;
  const double i_open = i_final + (i_pre - i_final) * std::exp(-t_open_rel / tau_s);
  const double e_clamp =
      components::clamp_energy_closed_form_j(sscb_l_h, fault_r_ohm, bus_v, clamp_v, i_open);
  const double t_clamp =
      components::clamp_time_closed_form_s(sscb_l_h, fault_r_ohm, bus_v, clamp_v, i_open);
  EXPECT_NEAR(*p.cleared_s - *p.open_s, t_clamp, 1e-5 * t_clamp);
  // After it cleared, the open device holds the bus voltage across its leakage resistance.
  const double leakage_j = bus_v * bus_v / off_ohm * (t_end_s - *p.cleared_s);
  EXPECT_NEAR(p.clamp_energy_j, e_clamp + leakage_j, 1e-6 * e_clamp)
      << "closed form " << e_clamp << " J, leakage " << leakage_j << " J";
  // The ideal-inductor limit (R_f = 0) as a plausibility bound: R_f helps the clamp.
  EXPECT_LT(e_clamp, components::clamp_energy_closed_form_j(sscb_l_h, 0.0, bus_v, clamp_v, i_open));
  EXPECT_NEAR(p.peak_a, i_open, 1e-6 * i_open);
  RecordProperty("clamp_energy_j", fmt::format("{:.6g}", p.clamp_energy_j));
  RecordProperty(
      "clamp_energy_error",
      fmt::format("{:.3g}", std::fabs(p.clamp_energy_j - e_clamp - leakage_j) / e_clamp));
}

// ---- Hybrid breaker and di/dt pickup against the same closed forms ------------------------

// The single-breaker circuit with another trip map (same source, stray inductance and fault).
std::string single_breaker_model(const std::string& trip) {
  return fmt::format(R"(grid2gpu: 1
name: breaker into an ideal clamp
buses:
  - {{id: src, kind: dc, voltage: {0} V}}
  - {{id: b, kind: dc, voltage: {0} V}}
components:
  - {{id: feed, type: dc_source, bus: src}}
  - {{id: dev, type: breaker, from: src, to: b, on_resistance: {1} ohm, trip: {2}}}
  - {{id: fault, type: load, bus: b, power: 1 kW, model: constant_impedance}}
)",
                     bus_v, sscb_r_on_ohm, trip);
}

// The R-L rise of the fault current from the pre-fault current, t after inception.
double rl_current_a(double t_s) {
  const double r_total = sscb_r_on_ohm + fault_r_ohm;
  const double i_final = bus_v / r_total;
  const double i_pre = bus_v / (sscb_r_on_ohm + bus_v * bus_v / 1e3);
  return i_final + (i_pre - i_final) * std::exp(-t_s * r_total / sscb_l_h);
}

// A hybrid breaker: the same pickup, then its detection delay plus the contacts' opening and
// commutation to the semiconductor before the clamp takes the current: it opens later and at a
// higher current than the solid-state breaker, both on the closed-form R-L rise.
TEST(ProtectionValidation, HybridBreakerOpensAfterItsCommutationOnTheClosedForm) {
  const double commutation_s = 20e-6;
  FaultRun run(single_breaker_model(
                   fmt::format("{{kind: hybrid, pickup: {} A, delay: {} s, commutation_time: {} s, "
                               "clamp_voltage: {} V, off_resistance: {} ohm, inductance: {} H}}",
                               pickup_a, delay_s, commutation_s, clamp_v, off_ohm, sscb_l_h)),
               "fault", bus_v * bus_v / fault_r_ohm, 1e-10);
  run.advance({fault_at_s + 3e-4}, [](double) {});
  const auto s = run.summary();
  ASSERT_EQ(s.protection.size(), 1u);
  const auto& p = s.protection[0];
  ASSERT_TRUE(p.pickup_s && p.open_s && p.cleared_s);
  EXPECT_EQ(p.cause, "current");
  const double r_total = sscb_r_on_ohm + fault_r_ohm;
  const double i_final = bus_v / r_total;
  const double i_pre = bus_v / (sscb_r_on_ohm + bus_v * bus_v / 1e3);
  const double t_pickup = sscb_l_h / r_total * std::log((i_final - i_pre) / (i_final - pickup_a));
  const double t_open = t_pickup + delay_s + commutation_s;
  EXPECT_NEAR(*p.pickup_s - fault_at_s, t_pickup, 1e-6 * t_pickup);
  EXPECT_NEAR(*p.open_s - fault_at_s, t_open, 1e-6 * t_open);
  const double i_open = rl_current_a(t_open);
  EXPECT_NEAR(p.peak_a, i_open, 1e-6 * i_open);
  const double e_clamp =
      components::clamp_energy_closed_form_j(sscb_l_h, fault_r_ohm, bus_v, clamp_v, i_open);
  const double t_clamp =
      components::clamp_time_closed_form_s(sscb_l_h, fault_r_ohm, bus_v, clamp_v, i_open);
  EXPECT_NEAR(*p.cleared_s - *p.open_s, t_clamp, 1e-5 * t_clamp);
  const double leakage_j = bus_v * bus_v / off_ohm * (s.t_end_s - *p.cleared_s);
  EXPECT_NEAR(p.clamp_energy_j, e_clamp + leakage_j, 1e-6 * e_clamp);
  RecordProperty("hybrid_open_us", fmt::format("{:.6f}", 1e6 * (*p.open_s - fault_at_s)));
  RecordProperty("hybrid_peak_a", fmt::format("{:.6f}", p.peak_a));
  RecordProperty("hybrid_peak_closed_form_a", fmt::format("{:.6f}", i_open));
}

// A solid-state breaker with `reclose` onto a fault that stays: it trips on the closed-form R-L
// rise, clears, closes again `reclose` after clearing, and the current rises again from the
// open device's leakage (V / R_off) on the same R-L closed form to the pickup; it opens `delay`
// later and stays open (one reclosure). The first trip's times are kept; the second opening is
// `reopen_s`.
TEST(ProtectionValidation, ReclosureOntoAStandingFaultTripsAgainOnTheClosedForm) {
  const double dead_s = 2e-3;
  FaultRun run(single_breaker_model(
                   fmt::format("{{kind: solid_state, pickup: {} A, delay: {} s, clamp_voltage: {} "
                               "V, off_resistance: {} ohm, inductance: {} H, reclose: {} s}}",
                               pickup_a, delay_s, clamp_v, off_ohm, sscb_l_h, dead_s)),
               "fault", bus_v * bus_v / fault_r_ohm, 1e-10);
  const double t_end_s = fault_at_s + 3 * dead_s;
  run.advance({t_end_s}, [](double) {});
  const auto s = run.summary();
  ASSERT_EQ(s.protection.size(), 1u);
  const auto& p = s.protection[0];
  ASSERT_TRUE(p.pickup_s && p.open_s && p.cleared_s && p.reclose_s && p.reopen_s)
      << "trip, clear, reclose and trip again";
  const double r_total = sscb_r_on_ohm + fault_r_ohm;
  const double tau_s = sscb_l_h / r_total;
  const double i_final = bus_v / r_total;
  const double i_pre = bus_v / (sscb_r_on_ohm + bus_v * bus_v / 1e3);
  // The first trip, as SolidStateBreakerPickupAndClampEnergyMatchClosedForms.
  const double t_pickup = tau_s * std::log((i_final - i_pre) / (i_final - pickup_a));
  EXPECT_NEAR(*p.pickup_s - fault_at_s, t_pickup, 1e-6 * t_pickup);
  EXPECT_NEAR(*p.open_s - fault_at_s, t_pickup + delay_s, 1e-6 * (t_pickup + delay_s));
  const double i_open = rl_current_a(t_pickup + delay_s);
  const double t_clamp =
      components::clamp_time_closed_form_s(sscb_l_h, fault_r_ohm, bus_v, clamp_v, i_open);
  EXPECT_NEAR(*p.cleared_s - *p.open_s, t_clamp, 1e-5 * t_clamp);
  EXPECT_GT(*p.cleared_s, *p.open_s);
  // The dead time, counted from clearing.
  EXPECT_NEAR(*p.reclose_s - *p.cleared_s, dead_s, 1e-6 * dead_s);
  // Closed again onto the fault from the leakage current through the open device.
  const double i_leak = bus_v / (off_ohm + r_total);
  const double t_repickup = tau_s * std::log((i_final - i_leak) / (i_final - pickup_a));
  EXPECT_NEAR(*p.reopen_s - *p.reclose_s, t_repickup + delay_s, 1e-6 * (t_repickup + delay_s));
  // From the pickup on, both openings follow the same trajectory: the same peak.
  EXPECT_NEAR(p.peak_a, i_open, 1e-6 * i_open);
  // One reclosure: open at the end, carrying the leakage only.
  const double i_end = run.integrator->y()[static_cast<std::size_t>(run.unknown("dev", "i"))];
  EXPECT_LT(std::fabs(i_end), 10.0 * i_leak);
  RecordProperty("reopen_after_reclose_us",
                 fmt::format("{:.6f}", 1e6 * (*p.reopen_s - *p.reclose_s)));
  RecordProperty("reopen_closed_form_us", fmt::format("{:.6f}", 1e6 * (t_repickup + delay_s)));
}

// A di/dt pickup alone: at inception the current's rate jumps to (V - R i_pre) / L and decays
// from there, so a device set just below that rate picks up at inception, opens `delay` later
// at the closed-form current, and one set just above never picks up.
TEST(ProtectionValidation, DiDtPickupActsAtTheInceptionRateOnly) {
  const double r_total = sscb_r_on_ohm + fault_r_ohm;
  const double i_pre = bus_v / (sscb_r_on_ohm + bus_v * bus_v / 1e3);
  const double rate_a_per_s = (bus_v - r_total * i_pre) / sscb_l_h;
  const auto run_at = [&](double di_dt_a_per_s) {
    FaultRun run(single_breaker_model(fmt::format(
                     "{{kind: solid_state, di_dt: {} A/s, delay: {} s, clamp_voltage: {} V, "
                     "off_resistance: {} ohm, inductance: {} H}}",
                     di_dt_a_per_s, delay_s, clamp_v, off_ohm, sscb_l_h)),
                 "fault", bus_v * bus_v / fault_r_ohm, 1e-10);
    run.advance({fault_at_s + 2e-4}, [](double) {});
    return run.summary();
  };
  const auto below = run_at(0.99 * rate_a_per_s);
  ASSERT_EQ(below.protection.size(), 1u);
  const auto& p = below.protection[0];
  ASSERT_TRUE(p.pickup_s && p.open_s && p.cleared_s) << "the device set below the rate";
  EXPECT_EQ(p.cause, "di/dt");
  EXPECT_NEAR(*p.pickup_s, fault_at_s, 1e-6 * delay_s);
  EXPECT_NEAR(*p.open_s - fault_at_s, delay_s, 1e-6 * delay_s);
  const double i_open = rl_current_a(delay_s);
  EXPECT_NEAR(p.peak_a, i_open, 1e-6 * i_open);
  RecordProperty("di_dt_peak_a", fmt::format("{:.6f}", p.peak_a));
  RecordProperty("di_dt_peak_closed_form_a", fmt::format("{:.6f}", i_open));
  const auto above = run_at(1.01 * rate_a_per_s);
  ASSERT_EQ(above.protection.size(), 1u);
  EXPECT_FALSE(above.protection[0].pickup_s) << "the device set above the rate";
}

// ---- A fuse's melting and a thermal replica's trip against their closed forms --------------

// The same stiff source and 50 mohm fault with a device without inductance: the current steps
// to I = V / (R_on + R_f) at the fault and stays there until the device opens. A fuse melts
// when (I^2 - I_r^2) t reaches its pre-arcing I2t; a thermal-magnetic breaker's replica, from
// its equilibrium (i_0 / I_p)^2 with the pre-fault current, reaches 1 after
// tau ln((m^2 - theta_0) / (m^2 - 1)), m = I / I_p, and it opens `delay` later.
std::string algebraic_model(const std::string& trip) {
  return fmt::format(R"(grid2gpu: 1
name: a device on a stiff source
buses:
  - {{id: src, kind: dc, voltage: {0} V}}
  - {{id: b, kind: dc, voltage: {0} V}}
components:
  - {{id: feed, type: dc_source, bus: src}}
  - {{id: dev, type: breaker, from: src, to: b, on_resistance: {1} ohm, trip: {2}}}
  - {{id: fault, type: load, bus: b, power: 1 kW, model: constant_impedance}}
)",
                     bus_v, sscb_r_on_ohm, trip);
}

TEST(ProtectionValidation, FuseMeltsAtItsPreArcingIntegral) {
  FaultRun run(algebraic_model("{kind: fuse, rated_current: 250 A, pre_arcing_i2t: 2000000 A2s, "
                               "clearing_i2t: 5000000 A2s, clamp_voltage: 1.4 kV, "
                               "clamp_resistance: 10 mohm}"),
               "fault", bus_v * bus_v / fault_r_ohm, 1e-9);
  run.advance({fault_at_s + 0.02}, [](double) {});
  const auto s = run.summary();
  ASSERT_EQ(s.protection.size(), 1u);
  const auto& p = s.protection[0];
  ASSERT_TRUE(p.open_s && p.cleared_s);
  EXPECT_EQ(p.cause, "melted");
  const double i_a = bus_v / (sscb_r_on_ohm + fault_r_ohm);
  const double t_melt = 2e6 / (i_a * i_a - 250.0 * 250.0);
  EXPECT_NEAR(*p.open_s - fault_at_s, t_melt, 1e-6 * t_melt);
  EXPECT_NEAR(p.clearing_i2t_a2s, 5e6, 0.0);
}

TEST(ProtectionValidation, ThermalReplicaTripsOnItsCurve) {
  FaultRun run(algebraic_model("{kind: thermal_magnetic, rated_current: 400 A, pickup: 40 kA, "
                               "delay: 8 ms, thermal_pickup: 1.3, thermal_time_constant: 60 s, "
                               "clamp_voltage: 1.2 kV, clamp_resistance: 10 mohm}"),
               "fault", bus_v * bus_v / fault_r_ohm, 1e-9);
  run.advance({fault_at_s + 0.1}, [](double) {});
  const auto s = run.summary();
  ASSERT_EQ(s.protection.size(), 1u);
  const auto& p = s.protection[0];
  ASSERT_TRUE(p.pickup_s && p.open_s);
  EXPECT_EQ(p.cause, "thermal");
  const double i_p = 1.3 * 400.0;
  const double m2 = std::pow(bus_v / (sscb_r_on_ohm + fault_r_ohm) / i_p, 2);
  const double i0 = bus_v / (sscb_r_on_ohm + bus_v * bus_v / 1e3);
  const double theta0 = (i0 / i_p) * (i0 / i_p);
  const double t_trip = 60.0 * std::log((m2 - theta0) / (m2 - 1.0));
  EXPECT_NEAR(*p.pickup_s - fault_at_s, t_trip, 1e-6 * t_trip);
  EXPECT_NEAR(*p.open_s - *p.pickup_s, 8e-3, 1e-9);
}

// ---- A fuse from its part file (data/protection/fuses.csv) against the closed form ----------

// A stiff source at v_v, the fuse (1 mohm on, stray inductance L) and a fault R_f stepped in
// at fault_at_s, the fuse's values from its catalogue row. Through R-L the current rises as
// i(t) = I + (i_0 - I) e^{-t/tau}, I = V / (R_on + R_f), tau = L / (R_on + R_f), so
// F(t) = integral_0^t i^2 = I^2 t + 2 I D tau (1 - e^{-t/tau}) + D^2 tau / 2 (1 - e^{-2t/tau}),
// D = i_0 - I. The melting integral counts i^2 - I_r^2 from the time t_r that i passes I_r:
// M(t) = F(t) - F(t_r) - I_r^2 (t - t_r). The fuse melts where M reaches its pre-arcing I2t.
std::string part_model(double v_v, const std::string& trip) {
  return fmt::format(R"(grid2gpu: 1
name: a fuse from its part file on a stiff source
buses:
  - {{id: src, kind: dc, voltage: {0} V}}
  - {{id: b, kind: dc, voltage: {0} V}}
components:
  - {{id: feed, type: dc_source, bus: src}}
  - {{id: dev, type: breaker, from: src, to: b, on_resistance: {1} ohm, trip: {2}}}
  - {{id: fault, type: load, bus: b, power: 1 kW, model: constant_impedance}}
)",
                     v_v, sscb_r_on_ohm, trip);
}

TEST(ProtectionValidation, FusePartMeltsWhereTheClosedFormIntegralReachesItsPreArcingI2t) {
  // Bussmann FWP-30A14F: 30 A, 700 V DC, pre-arcing I2t 58 A2s (its catalogue row).
  constexpr double v_v = 600.0;
  constexpr double l_h = 10e-6;
  constexpr double r_f_ohm = 1.0;
  constexpr double i_r_a = 30.0;
  constexpr double pre_arcing_a2s = 58.0;
  FaultRun run(part_model(v_v, "{part: FWP-30A14F, clamp_voltage: 1 kV, inductance: 10 uH}"),
               "fault", v_v * v_v / r_f_ohm, 1e-9);
  run.advance({fault_at_s + 2e-3}, [](double) {});
  const auto s = run.summary();
  ASSERT_EQ(s.protection.size(), 1u);
  const auto& p = s.protection[0];
  ASSERT_TRUE(p.open_s) << "the fuse never melted";
  EXPECT_EQ(p.cause, "melted");
  EXPECT_EQ(p.clearing_i2t_a2s, 450.0) << "the part's clearing I2t";

  const double r_ohm = sscb_r_on_ohm + r_f_ohm;
  const double i_a = v_v / r_ohm;
  const double tau_s = l_h / r_ohm;
  const double i0_a = v_v / (sscb_r_on_ohm + v_v * v_v / 1e3);  // the 1 kW load before
  const double d_a = i0_a - i_a;
  const auto f = [&](double t) {
    return i_a * i_a * t + 2.0 * i_a * d_a * tau_s * -std::expm1(-t / tau_s) +
           d_a * d_a * tau_s / 2.0 * -std::expm1(-2.0 * t / tau_s);
  };
  const double t_r = tau_s * std::log((i_a - i0_a) / (i_a - i_r_a));
  const auto melting = [&](double t) { return f(t) - f(t_r) - i_r_a * i_r_a * (t - t_r); };
  double lo = t_r;
  double hi = 1.0;
  for (int k = 0; k < 200; ++k) {
    const double mid = 0.5 * (lo + hi);
    (melting(mid) < pre_arcing_a2s ? lo : hi) = mid;
  }
  const double t_melt = 0.5 * (lo + hi);
  // The inductance matters here: the melting time is many time constants, but not so many that
  // a step would do (the step's own answer is pre_arcing / (I^2 - I_r^2)).
  EXPECT_GT(std::fabs(t_melt - pre_arcing_a2s / (i_a * i_a - i_r_a * i_r_a)), 1e-3 * t_melt);
  EXPECT_NEAR(*p.open_s - fault_at_s, t_melt, 1e-6 * t_melt);
}

TEST(ProtectionValidation, FusePartPeakAboveItsDcBreakingCapacityIsFlagged) {
  // Bussmann FWX-30A14F: 250 V DC, DC interrupting rating 50 kA. Without inductance the current
  // steps to V / (R_on + R_f): 100 kA through 1 mohm + 1 mohm at 200 V, 1.98 kA through 100 mohm.
  const auto run_at = [](double r_f_ohm) {
    FaultRun run(part_model(200.0,
                            "{part: FWX-30A14F, clamp_voltage: 400 V, "
                            "clamp_resistance: 10 mohm}"),
                 "fault", 200.0 * 200.0 / r_f_ohm, 1e-8);
    run.advance({fault_at_s + 1e-3}, [](double) {});
    return run.summary();
  };
  const auto high = run_at(1e-3);
  ASSERT_EQ(high.protection.size(), 1u);
  EXPECT_NEAR(high.protection[0].peak_a, 200.0 / 2e-3, 1e-6 * 1e5);
  ASSERT_EQ(high.warnings.size(), 1u);
  EXPECT_NE(high.warnings[0].find("fuse 'dev' (part FWX-30A14F): simulated peak current 1e+05 A "
                                  "is above its DC breaking capacity 50000 A"),
            std::string::npos)
      << high.warnings[0];
  const auto low = run_at(0.1);
  ASSERT_TRUE(low.protection[0].open_s);
  EXPECT_TRUE(low.warnings.empty()) << low.warnings[0];
}

// ---- ngspice: the breaker as a voltage-controlled switch with a MOV --------------------------

// A feeder (5 mohm, 10 uH) into a bus with a 1 mF DC link, the breaker (1 mohm, 1 uH) to the
// faulted bus: the link discharges into the fault, the breaker opens into a MOV of 1.2 kV with
// 10 mohm dynamic resistance, then the feeder's L and the link ring.
std::string feeder_model() {
  return fmt::format(R"(grid2gpu: 1
name: SSCB on a feeder with a DC link
buses:
  - {{id: src, kind: dc, voltage: {0} V}}
  - {{id: a, kind: dc, voltage: {0} V, capacitance: 1 mF}}
  - {{id: b, kind: dc, voltage: {0} V}}
components:
  - {{id: feed, type: dc_source, bus: src}}
  - {{id: line, type: cable, from: src, to: a, resistance: 5 mohm, length: 1 m,
     inductance_per_length: 10 uH/m}}
  - {{id: sscb, type: breaker, from: a, to: b, on_resistance: 1 mohm,
     trip: {{kind: solid_state, pickup: 2 kA, delay: 5 us, clamp_voltage: 1.2 kV,
            clamp_resistance: 10 mohm, off_resistance: 1 Mohm, inductance: 1 uH}}}}
  - {{id: fault, type: load, bus: b, power: 10 kW, model: constant_impedance}}
)",
                     bus_v);
}

TEST(ProtectionValidation, SolidStateBreakerIntoMovMatchesNgspice) {
  if (test::require_ngspice().empty()) return;
  const double fault_w = bus_v * bus_v / fault_r_ohm;
  FaultRun run(feeder_model(), "fault", fault_w, 1e-9);
  const double t_end_s = 3e-3;
  std::vector<double> stops;
  for (int k = 1; k <= 3000; ++k) stops.push_back(1e-6 * k);
  const auto current = static_cast<std::size_t>(run.unknown("sscb", "i"));
  const auto bus_a = static_cast<std::size_t>(run.unknown("a", "v"));
  std::vector<double> times, i_ours, v_ours;
  run.advance(stops, [&](double t) {
    times.push_back(t);
    i_ours.push_back(run.integrator->y()[current]);
    v_ours.push_back(run.integrator->y()[bus_a]);
  });
  const auto s = run.summary();
  ASSERT_EQ(s.protection.size(), 1u);
  ASSERT_TRUE(s.protection[0].open_s && s.protection[0].cleared_s);
  const double t_open = *s.protection[0].open_s;

  // ngspice: the same circuit, the switch opened at the time the DAE opened it (its pickup is
  // checked against ngspice's current below).
  const double r_load0 = bus_v * bus_v / 10e3;
  test::TranCircuit circuit("SSCB into a MOV");
  circuit.voltage_source("src", "src", "0", {{0.0, bus_v}});
  circuit.inductor("line", "src", "a", 10e-6, 5e-3);
  circuit.capacitor("link", "a", "0", 1e-3);
  circuit.inductor("stray", "a", "m", 1e-6);
  circuit.voltage_controlled_switch("sw", "m", "b",
                                    {{0.0, 1.0}, {t_open, 1.0}, {t_open + 1e-10, 0.0}}, 1e-3, 1e6);
  circuit.clamp("mov", "m", "b", 1200.0, 0.01);
  circuit.conductance(
      "fault", "b", "0",
      {{0.0, 1.0 / r_load0}, {fault_at_s, 1.0 / r_load0}, {fault_at_s + 1e-10, 1.0 / fault_r_ohm}});
  test::TranOptions options;
  options.stop_s = t_end_s;
  options.print_step_s = 1e-7;
  options.max_step_s = 1e-7;
  options.signals = {"i(stray)", "v(a)"};
  const auto spice = test::run_ngspice_tran(circuit, options, test::scratch_dir("protection_sscb"));

  double peak_a = 0.0, worst_a = 0.0, v_dev = 0.0, worst_v = 0.0;
  for (std::size_t k = 0; k < times.size(); ++k) {
    // Skip the 0.1 ns edges themselves (the two solvers put their breakpoints differently).
    if (std::fabs(times[k] - t_open) < 2e-7 || std::fabs(times[k] - fault_at_s) < 2e-7) continue;
    const double i_theirs = spice.at("i(stray)", times[k]);
    const double v_theirs = spice.at("v(a)", times[k]);
    peak_a = std::max(peak_a, std::fabs(i_theirs));
    worst_a = std::max(worst_a, std::fabs(i_ours[k] - i_theirs));
    v_dev = std::max(v_dev, std::fabs(v_theirs - bus_v));
    worst_v = std::max(worst_v, std::fabs(v_ours[k] - v_theirs));
  }
  EXPECT_GT(peak_a, pickup_a);
  EXPECT_LT(worst_a / peak_a, 1e-3) << worst_a << " A of " << peak_a << " A";
  EXPECT_LT(worst_v / v_dev, 1e-3) << worst_v << " V of a " << v_dev << " V deviation";
  // The DAE picked up where ngspice's current crosses the pickup.
  EXPECT_NEAR(spice.at("i(stray)", *s.protection[0].pickup_s), pickup_a, 1e-3 * peak_a);
  RecordProperty("current_error_of_peak", fmt::format("{:.3g}", worst_a / peak_a));
  RecordProperty("voltage_error_of_deviation", fmt::format("{:.3g}", worst_v / v_dev));
}

// ---- Selectivity: a two-level radial feeder --------------------------------------------------

// A main breaker feeds a bus with two branch breakers, each to a rack bus; a fault on rack 1.
// Coordinated: the branch picks up at 1.5 kA after 2 us, the main at 6 kA after 20 us: the branch
// clears alone. Mis-coordinated: the main picks up at 1 kA after 1 us, and trips as well. The
// small bus capacitance (20 uF) lets the main bus collapse, so that the main carries the fault's
// current within microseconds, and the healthy rack's link discharges back into it.
std::string radial_model(const std::string& main_trip) {
  return fmt::format(R"(grid2gpu: 1
name: two-level radial DC feeder
buses:
  - {{id: src, kind: dc, voltage: {0} V}}
  - {{id: main_bus, kind: dc, voltage: {0} V, capacitance: 20 uF}}
  - {{id: rack1, kind: dc, voltage: {0} V, capacitance: 0.2 mF}}
  - {{id: rack2, kind: dc, voltage: {0} V, capacitance: 0.2 mF}}
components:
  - {{id: feed, type: dc_source, bus: src}}
  - {{id: main, type: breaker, from: src, to: main_bus, on_resistance: 0.5 mohm,
     trip: {1}}}
  - {{id: branch1, type: breaker, from: main_bus, to: rack1, on_resistance: 1 mohm,
     trip: {{kind: solid_state, pickup: 1.5 kA, delay: 2 us, clamp_voltage: 1.2 kV,
            inductance: 2 uH}}}}
  - {{id: branch2, type: breaker, from: main_bus, to: rack2, on_resistance: 1 mohm,
     trip: {{kind: solid_state, pickup: 1.5 kA, delay: 2 us, clamp_voltage: 1.2 kV,
            inductance: 2 uH}}}}
  - {{id: fault, type: load, bus: rack1, power: 100 kW, model: constant_impedance}}
  - {{id: rack2_load, type: load, bus: rack2, power: 100 kW, model: constant_impedance}}
)",
                     bus_v, main_trip);
}

SimulationSummary radial_run(const std::string& main_trip) {
  FaultRun run(radial_model(main_trip), "fault", bus_v * bus_v / 0.02, 1e-7);
  run.advance({fault_at_s + 2e-3}, [](double) {});
  return run.summary();
}

TEST(ProtectionValidation, CoordinatedRadialFeederClearsAtTheBranchAlone) {
  const auto s = radial_run(
      "{kind: solid_state, pickup: 6 kA, delay: 20 us, clamp_voltage: 1.2 kV, inductance: 2 uH}");
  ASSERT_EQ(s.selectivity.size(), 1u);
  const auto& row = s.selectivity[0];
  EXPECT_EQ(row.cleared_by, "branch1");
  EXPECT_TRUE(row.also_tripped.empty());
  EXPECT_TRUE(row.selective);
  EXPECT_GT(row.clamp_energy_j, 0.0);
  EXPECT_GT(row.clearing_time_s, 2e-6);  // at least its delay
  // The healthy rack's 0.2 mF link discharges back into the collapsed main bus: branch2 comes
  // close to its pickup without tripping, and the row says so.
  ASSERT_EQ(row.near_trip.size(), 1u);
  EXPECT_EQ(row.near_trip[0].rfind("branch2 (", 0), 0u) << row.near_trip[0];
  for (const auto& p : s.protection)
    EXPECT_EQ(p.open_s.has_value(), p.element == "branch1") << p.element;
}

TEST(ProtectionValidation, MisCoordinatedRadialFeederTripsTheMainToo) {
  const auto s = radial_run(
      "{kind: solid_state, pickup: 1 kA, delay: 1 us, clamp_voltage: 1.2 kV, inductance: 2 uH}");
  ASSERT_FALSE(s.selectivity.empty());
  const auto& row = s.selectivity[0];
  EXPECT_FALSE(row.selective);
  // Both opened; the report names both, whichever cleared first.
  std::vector<std::string> named = row.also_tripped;
  named.push_back(row.cleared_by);
  EXPECT_NE(std::find(named.begin(), named.end(), "main"), named.end());
  EXPECT_NE(std::find(named.begin(), named.end(), "branch1"), named.end());
  const auto branch2 = std::find_if(s.protection.begin(), s.protection.end(),
                                    [](const auto& p) { return p.element == "branch2"; });
  ASSERT_NE(branch2, s.protection.end());
  EXPECT_FALSE(branch2->open_s) << "the healthy branch never trips";
}

}  // namespace
}  // namespace g2g::dynamic

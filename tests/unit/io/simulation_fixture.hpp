// A filled simulation summary for the output tests (io's JSON, the report's page): every field
// set, ids that need escaping, a ramp left out (none), a load that never restarted.
#pragma once

#include <cmath>

#include "g2g/dynamic/simulation_result.hpp"

namespace g2g::test {

inline dynamic::SimulationSummary simulation_fixture() {
  dynamic::SimulationSummary s;
  s.model_name = "hall <A&B>";
  s.scenario_name = "training \"1 s\" swings";
  s.aggregation = "phase_groups: 1,000 racks as 8 groups";
  s.t_begin_s = 0.0;
  s.t_end_s = 60.0;
  s.unknowns = 58;
  dynamic::PowerMetrics& m = s.grid_power;
  m.samples = 123'457;
  m.t_begin_s = 0.0;
  m.t_end_s = 60.0;
  m.peak_w = 104.5e6 + 1.0 / 3.0;
  m.peak_time_s = 12.3456789;
  m.min_w = 61.25e6;
  m.min_time_s = 0.5 + 0.1;
  m.range_w = m.peak_w - m.min_w;
  m.range_percent_of_peak = 100.0 * m.range_w / m.peak_w;
  m.mean_w = 83.0e6;
  m.ramp_window_s = 1.0;
  m.largest_ramp_up = dynamic::Ramp{21.7e6, 3.125};
  m.largest_ramp_down = std::nullopt;
  m.resample_rate_hz = 400.0;
  m.resampled_points = 24'000;
  m.bands = {{{0.0, 1.0, std::nullopt}, 0.05, true},
             {{1.0, 2.5, 0.2}, 0.62, false},
             {{2.5, 7.0, 0.2}, 0.21, false},
             {{7.0, 20.0, 0.2}, 0.11, true}};
  m.share_above_bands = 0.01;
  m.mask_met = false;
  s.limits = {{"peak", "W", m.peak_w, 110e6, true},
              {"ramp_up", "W/s", 21.7e6, 10e6, false},
              {"band 1-2.5 Hz", "", 0.62, 0.2, false}};
  s.lowest_voltage = dynamic::LowestVoltage{"row[2]/rack<5>&bus", 0.912, 729.6, 7.25};
  s.dropped_loads = {{"row[2]/rack[5]/dcdc", 7.251, 7.273}, {"row[3]/<b>&dcdc", 9.5, std::nullopt}};
  {
    dynamic::HoldUpCheck held;  // 280 J in 2 mF from 800 to 600 V: 1.87 ms at 150 kW
    held.element = "row[1]/rack[1]/dcdc<800>";
    held.input_capacitance_f = 2e-3;
    held.v_start_v = 800.0;
    held.v_off_v = 600.0;
    held.rated_power_w = 150e3;
    held.energy_j = 280.0;
    held.hold_up_s = 280.0 / 150e3;
    held.meets_energy = true;
    dynamic::HoldUpCheck tripped = held;
    tripped.element = "row[2]/rack[5]/dcdc";
    tripped.dip_start_s = 7.2495;
    tripped.off_s = 7.251;
    s.hold_up = {held, tripped};
  }
  s.storage = {{"bbu <1>", 4.2e6, 3.9e6, 0.45, 0.81, 0.8, 0.74, 1.5e5}};
  s.floor_burn_energy_j = 2.5e8;
  s.storage_loss_j = 1.5e5;
  s.max_frequency_deviation_hz = std::nan("");  // not finite: written as null
  s.least_damped_modes = {{37.5, 0.031, {"row[1]/rack[1]/dcdc", "hall/dc<bus>"}}};
  s.warnings = {"mode at 37.5 Hz is damped 3.1 % (< 5 %): <check> the DC-link capacitance"};
  s.integrator.steps = 91'234;
  s.integrator.residual_evaluations = 190'000;
  s.integrator.jacobian_evaluations = 812;
  s.integrator.factorizations = 812;
  s.integrator.error_test_failures = 77;
  s.integrator.nonlinear_iterations = 120'000;
  s.integrator.nonlinear_convergence_failures = 3;
  s.integrator.events = 240;
  s.integrator.initial_conditions = 241;
  s.wall_time_s = 4.75;
  return s;
}

}  // namespace g2g::test

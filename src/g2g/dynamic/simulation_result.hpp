// What a `grid2gpu simulate` run hands to its outputs (io/simulation_json, report's
// render_simulation_html): plain data, SI units in every name, filled by the simulation from its
// steps and events (never from the output grid). docs/dynamic.md, "Outputs".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "g2g/dynamic/ida.hpp"
#include "g2g/dynamic/metrics.hpp"

namespace g2g::dynamic {

// A load that turned off (undervoltage) during the run.
struct LoadDrop {
  std::string element;         // the element's id, e.g. "row[2]/rack[5]/dcdc"
  double off_s = 0.0;          // when it turned off
  std::optional<double> on_s;  // when it restarted; none: still off at the end of the run
};

// How long `drop` was off, counting to `t_end_s` when it never restarted.
[[nodiscard]] inline double off_duration_s(const LoadDrop& drop, double t_end_s) noexcept {
  return drop.on_s.value_or(t_end_s) - drop.off_s;
}

// ORv3 HPR's hold-up requirements for a rack power supply: 20 ms at full load, 60 J (one 5.5 kW
// PSU's figure), and the battery backup unit starting within 4 ms of the bus falling to 48.5 V.
// OCP, "Requirements/Considerations of Next Generation ORv3 PSU and Power Shelves" (Delta /
// Advanced Energy), https://www.sgpjbg.com/bgdown/161254.html
inline constexpr double orv3_hpr_hold_up_s = 0.020;
inline constexpr double orv3_hpr_hold_up_energy_j = 60.0;

// A converter with undervoltage_off against ORv3 HPR: what its input DC link holds up in
// principle, and how long it held in the run.
struct HoldUpCheck {
  std::string element;
  double input_capacitance_f = 0.0;
  double v_start_v = 0.0;  // its input voltage at t = 0
  double v_off_v = 0.0;    // undervoltage_off
  double rated_power_w = 0.0;
  double energy_j = 0.0;      // C (v_start^2 - v_off^2) / 2
  double hold_up_s = 0.0;     // energy_j at rated power
  bool meets_time = false;    // hold_up_s >= orv3_hpr_hold_up_s
  bool meets_energy = false;  // energy_j >= orv3_hpr_hold_up_energy_j
  // From the run: its first undervoltage turn-off, and the last time before it that its input
  // was at or above 90 % of v_start (the dip's start, the IEC 61000-4-30 dip threshold); none:
  // it held through the run.
  std::optional<double> dip_start_s;
  std::optional<double> off_s;
};

// How long it held from the dip's start to its turn-off; none when it never turned off.
[[nodiscard]] inline std::optional<double> held_s(const HoldUpCheck& check) noexcept {
  if (!check.off_s || !check.dip_start_s) return std::nullopt;
  return *check.off_s - *check.dip_start_s;
}

// ORv3 HPR's battery backup unit: it starts within 4 ms of the bus falling to 48.5 V (same
// source as above).
inline constexpr double orv3_hpr_bbu_start_s = 0.004;
// The share of its bus's load a backup unit must carry to count as having taken over.
inline constexpr double backup_carry_share = 0.9;

// A battery backup unit (a voltage_support storage with a trigger) in the run.
struct BackupCheck {
  std::string element;
  std::string bus;
  double trigger_v = 0.0;
  double set_voltage_v = 0.0;
  double bandwidth_hz = 0.0;        // its power loop
  std::optional<double> trigger_s;  // its first turn-on; none: its bus never fell to trigger_v
  // The first time after trigger_s that its power reached backup_carry_share of its bus's load
  // (what the loads on its bus and the converters fed from it draw); none: it never did.
  std::optional<double> carry_s;
  std::optional<double> release_s;  // its first return to idle after trigger_s
  double energy_j = 0.0;            // delivered at its bus while on
  double lowest_v = 0.0;            // its bus's lowest voltage in the run
  double lowest_t_s = 0.0;
};

// From the trigger to carrying its bus's load; none when it never took over.
[[nodiscard]] inline std::optional<double> time_to_carry_s(const BackupCheck& check) noexcept {
  if (!check.carry_s || !check.trigger_s) return std::nullopt;
  return *check.carry_s - *check.trigger_s;
}

struct StorageSummary {
  std::string element;
  double charged_j = 0.0;     // energy into the storage at its terminals
  double discharged_j = 0.0;  // energy out of it at its terminals
  double soc_min = 0.0;       // state of charge, 0 to 1
  double soc_max = 0.0;
  double soc_begin = 0.0;
  double soc_end = 0.0;
  double loss_j = 0.0;  // dissipated in its internal resistances
};

struct LowestVoltage {
  std::string bus;
  double v_pu = 0.0;  // of the bus's nominal voltage
  double v_v = 0.0;
  double t_s = 0.0;
};

// One mode of the small-signal check at t = 0 (dynamic/small_signal.hpp), as reported.
struct ModeSummary {
  double frequency_hz = 0.0;
  double damping_ratio = 0.0;
  std::vector<std::string> participants;  // element ids, largest participation first
};

// One of the grid limits the scenario states, checked against the run.
struct GridLimitCheck {
  std::string limit;  // "peak", "ramp_up", "ramp_down", "band 1-2.5 Hz"
  std::string unit;   // of value and limit_value: "W", "W/s", or "" for a band's share (0 to 1)
  double value = 0.0;
  double limit_value = 0.0;
  bool met = true;
};

// A protection device (a breaker with `trip:`) in the run. Times are absent when it never did
// that. peak_over_pickup and integral_over_limit say how close it came to tripping.
struct ProtectionSummary {
  std::string element;
  std::string kind;   // solid_state, hybrid, fuse, thermal_magnetic
  std::string cause;  // current, di/dt, melted, magnetic, thermal; empty: never picked up
  std::optional<double> pickup_s;
  std::optional<double> open_s;     // interrupted into its clamp or arc
  std::optional<double> cleared_s;  // its current fell to its clamp's knee after opening
  std::optional<double> reclose_s;
  // Opened again after reclosing onto the fault (pickup, open and cleared are the first trip's).
  std::optional<double> reopen_s;
  double peak_a = 0.0;
  double peak_t_s = 0.0;
  double peak_over_pickup = 0.0;     // 0: no current pickup
  double integral_over_limit = 0.0;  // melting I2t / pre-arcing I2t, thermal replica; 0: none
  double clamp_energy_j = 0.0;       // absorbed while open (MOV or arc)
  double let_through_a2s = 0.0;      // breakers: integral of i^2 over the run
  double clearing_i2t_a2s = 0.0;     // a fuse's datasheet clearing I2t (0: not a fuse)
};

// A device "came close to tripping" when its peak current reached this share of its pickup or
// its integral this share of its limit (docs/dynamic.md § Selectivity).
inline constexpr double selectivity_near_trip = 0.8;

// One interruption: the device that cleared it and every other device that also opened or came
// within selectivity_near_trip of it; converters' own protection (undervoltage turn-off) in the
// same run. Selective when no other device opened.
struct SelectivityRow {
  std::string cleared_by;
  double pickup_s = 0.0;
  double clearing_time_s = 0.0;  // from pickup until its current fell to its clamp's knee
  double clamp_energy_j = 0.0;
  std::vector<std::string> also_tripped;
  std::vector<std::string> near_trip;  // "id (92 % of pickup)"
  std::vector<std::string> converters_off;
  bool selective = true;
};

// A protection device that the current-limited converters feeding it bound
// (dynamic::converter_limit_rows, docs/dynamic.md § Selectivity), by ids for the outputs.
struct ConverterLimitSummary {
  std::string device;
  double trip_threshold_a = 0.0;        // the least sustained current that trips it
  std::vector<std::string> converters;  // the limited converters feeding it
  std::vector<double> converter_limits_a;
  double limit_a = 0.0;   // their limits summed
  std::string unlimited;  // what else feeds it without a limit ("" when nothing)
  bool never_tripped = false;
};

// A fault's current counts as cleared once it stays below this share of its peak to the end of
// the run ("current back to about zero"; docs/dynamic.md, "Faults").
inline constexpr double fault_cleared_share = 0.01;

// What a DC bus saw from a fault's inception to the end of the run.
struct BusDip {
  std::string bus;
  double v_before_v = 0.0;  // just before inception
  double lowest_v = 0.0;
  double lowest_t_s = 0.0;
  double depth = 0.0;    // 1 - lowest_v / v_before_v
  double below_s = 0.0;  // time below the fault's dip_threshold times v_before_v
};

// A converter with undervoltage_off through a fault: whether it stayed on, against the hold-up
// its input DC link gives at rated power (HoldUpCheck) and the fault's clearing time.
struct FaultRideThrough {
  std::string element;
  double hold_up_s = 0.0;
  std::optional<double> off_s;  // its first undervoltage turn-off after inception
  bool rode_through = true;     // no turn-off after inception
  // Whether its hold-up at rated power lasts the fault's clearing time (none: not cleared).
  std::optional<bool> hold_up_covers_clearing;
};

// One fault of the scenario, measured from its inception to the end of the run. Energies are
// the DAE's quadratures (exact to the integrator's tolerance); peak, rate and clearing are read
// at the integrator's steps.
struct FaultSummary {
  std::string id;
  std::string place;  // "bus row[1]/busway" or "line row[1]/busway_feed at 0.3"
  double resistance_ohm = 0.0;
  double time_s = 0.0;
  std::optional<double> clear_s;  // when the scenario extinguishes it
  double peak_a = 0.0;            // of |i_f|
  double peak_t_s = 0.0;
  double max_di_dt_a_per_s = 0.0;  // of |di_f/dt| while active
  double max_di_dt_t_s = 0.0;
  double i2t_a2s = 0.0;
  // From inception until |i_f| stays below fault_cleared_share of its peak; none: it never did.
  std::optional<double> clearing_s;
  double fault_energy_j = 0.0;  // into the fault
  double lines_energy_j = 0.0;  // lost in every line from inception
  double esr_energy_j = 0.0;    // lost in every DC-link capacitor's ESR from inception
  double dip_threshold = 0.9;
  std::vector<BusDip> dips;  // every DC bus
  std::vector<FaultRideThrough> ride_through;
};

struct SimulationSummary {
  std::string model_name;
  std::string scenario_name;
  // "none", or what was lumped, e.g. "phase_groups: 1,000 racks as 8 groups"; every output
  // shows it.
  std::string aggregation = "none";
  double t_begin_s = 0.0;
  double t_end_s = 0.0;
  std::size_t unknowns = 0;
  PowerMetrics grid_power;  // at every integrator step and event
  std::vector<GridLimitCheck> limits;
  std::optional<LowestVoltage> lowest_voltage;  // none: the model has no bus with a voltage
  std::vector<LoadDrop> dropped_loads;
  std::vector<HoldUpCheck> hold_up;  // per converter with undervoltage_off
  std::vector<BackupCheck> backup;   // per battery backup unit
  std::vector<StorageSummary> storage;
  std::vector<ProtectionSummary> protection;            // per breaker with `trip:`
  std::vector<SelectivityRow> selectivity;              // per interruption, in time order
  std::vector<ConverterLimitSummary> converter_limits;  // per breaker with `trip:`
  std::vector<FaultSummary> faults;                     // per scenario fault
  double floor_burn_energy_j = 0.0;                     // burnt by the GPU power floors (smoothing)
  double storage_loss_j = 0.0;                          // every storage's loss_j, summed
  std::optional<double> max_frequency_deviation_hz;     // none: the utility is stiff
  std::vector<ModeSummary> least_damped_modes;          // least damped first
  std::vector<std::string> warnings;
  IntegratorStats integrator;
  double wall_time_s = 0.0;
};

// The energy spent on smoothing the grid power: floor burn plus storage losses.
[[nodiscard]] inline double smoothing_energy_j(const SimulationSummary& summary) noexcept {
  return summary.floor_burn_energy_j + summary.storage_loss_j;
}

}  // namespace g2g::dynamic

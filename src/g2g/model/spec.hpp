// ModelSpec: a validated power-system model in SI units, with no physics in it.
// Loaders (YAML, JSON, MATPOWER) produce it; components/ and steady/ consume it. Every element
// remembers where it was written (line, column in ModelSpec::source_file) so later stages can point
// back at the input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/optional_double.hpp"

namespace g2g::model {

using core::SourceLocation;

enum class BusKind : std::uint8_t { ac, dc };

// Index into ModelSpec::buses.
using BusIndex = std::int32_t;
inline constexpr BusIndex no_bus = -1;

// Where an element came from when it was stamped out of a template, so reports can draw a
// template once with "x N". Empty for elements written directly in the model.
// Elements hold an index into ModelSpec::origins (one entry per template instance, shared by
// all of its elements), or no_origin.
struct Origin {
  std::string template_name;  // e.g. "gpu_rack"
  std::string instance_path;  // e.g. "row[3]/rack[12]"
};

inline constexpr std::int32_t no_origin = -1;
inline constexpr std::int32_t no_trip = -1;  // Line::trip of a line without protection

// Where an element was written in ModelSpec::source_file: 1-based, 0 = unknown. The file is
// kept once per model; location() rebuilds the full core::SourceLocation for diagnostics.
struct Where {
  std::int32_t line = 0;
  std::int32_t column = 0;
};

// Bus and Line list their fields by size (8, then 4, then 1 byte) so that none is padded, and
// hold optional values as core::OptionalDouble (8 bytes, not std::optional's 16): the largest
// benchmark holds a million of each (docs/benchmarks.md, the 1 GiB target at 1e6 buses).
struct Bus {
  std::string id;
  double nominal_voltage_v = 0.0;  // AC: line-to-line RMS; DC: pole-to-pole
  double v_min_pu = 0.95;          // voltage band used for violations
  double v_max_pu = 1.05;
  // Lumped capacitance at a DC bus for the time-domain simulation (the steady state ignores
  // it); unset: none. DC-link capacitors with ESR belong to converters (ConverterDynamics).
  core::OptionalDouble capacitance_f;
  Where where;
  std::int32_t origin = no_origin;  // index into ModelSpec::origins
  BusKind kind = BusKind::dc;
};

// ---- Sources ------------------------------------------------------------------------------

enum class SourceType : std::uint8_t {
  utility,    // AC slack: fixes |V| and angle, supplies whatever the network needs
  generator,  // AC PV bus: fixes P and |V|
  dc_source,  // DC slack: fixes V
};

struct Source {
  std::string id;
  SourceType type = SourceType::utility;
  BusIndex bus = no_bus;
  double v_set_pu = 1.0;      // voltage set-point, per unit of the bus nominal voltage
  double angle_deg = 0.0;     // utility only
  double p_set_w = 0.0;       // generator only: active power injected
  double q_min_var = -1e300;  // generator reactive limits (reported, not enforced)
  double q_max_var = 1e300;
  double rating_va = 0.0;  // 0 = unrated (no loading reported)
  // Time-domain data of a utility (docs/dynamic.md, "Model keys for simulation"); the steady
  // state ignores them. No short-circuit power: a stiff source. No inertia: fixed frequency.
  std::optional<double> short_circuit_power_va;  // Thevenin source S_sc at the connection
  std::optional<double> x_r_ratio;               // X/R of that Thevenin impedance
  std::optional<double> inertia_s;               // inertia constant H
  std::optional<double> frequency_droop_pu;      // per-unit frequency change per unit power
  bool in_service = true;
  Where where;
  std::int32_t origin = no_origin;  // index into ModelSpec::origins
};

// ---- Redundancy ---------------------------------------------------------------------------

// Identical units of one element sharing its load equally (docs/model-format.md,
// "Redundancy"). `modules` units (N) make up the element's rating; the redundancy rule adds
// spares that run all the time, as redundant power equipment does: "N+1" installs N + 1 units,
// "2N" twice N, "2(N+1)" twice N + 1, and distributed redundancy "4N/3" installs 4 units where
// 3 carry the load (N a multiple of 3). Every installed unit carries output / installed.
struct Redundancy {
  std::string rule;   // as written, e.g. "N+1"; empty = none ("N")
  int modules = 1;    // N: units that make up the rating
  int installed = 1;  // units running and sharing the load
};

// ---- Branches -----------------------------------------------------------------------------

enum class Material : std::uint8_t { copper, aluminium };

enum class LineType : std::uint8_t {
  cable,
  busbar,
  overhead,
  breaker,  // a closed solid-state breaker: its on-state resistance (r_ohm), no conductor
};

// A protection device's trip (a `type: breaker` with `trip:`, docs/model-format.md § Protection
// devices): what makes it open and what it interrupts into. All in SI. A device with a trip is a
// Line of LineType::breaker with its on-resistance (r_ohm > 0) and its own stray inductance.
enum class TripKind : std::uint8_t {
  solid_state,       // semiconductor: current / di/dt pickup, detection delay, MOV clamp
  hybrid,            // mechanical main path + semiconductor: as solid_state, plus commutation
  fuse,              // melting integral (I2t) reaching pre-arcing I2t, then an arc
  thermal_magnetic,  // magnetic instantaneous pickup or thermal replica, opening time, arc
};
struct Trip {
  TripKind kind = TripKind::solid_state;
  Where where;            // of the `trip:` map
  std::string part;       // from data/protection (empty: inline values)
  double pickup_a = 0.0;  // solid_state/hybrid: current pickup (0: di/dt only); magnetic
  double di_dt_pickup_a_per_s = 0.0;  // solid_state/hybrid: di/dt pickup (0: none)
  double delay_s = 0.0;               // detection delay (solid_state/hybrid); opening time (t-m)
  double commutation_s = 0.0;    // hybrid: contact opening and commutation to the semiconductor
  double clamp_voltage_v = 0.0;  // MOV clamp (solid_state/hybrid), arc voltage (fuse, t-m)
  double clamp_resistance_ohm = 0.0;     // the clamp's slope above clamp_voltage
  double off_resistance_ohm = 0.0;       // open: leakage resistance below the clamp voltage
  double inductance_h = 0.0;             // stray inductance of the device (0: none)
  double rated_current_a = 0.0;          // fuse, thermal_magnetic
  double rated_voltage_v = 0.0;          // fuse, thermal_magnetic (0: not checked)
  double pre_arcing_i2t_a2s = 0.0;       // fuse
  double clearing_i2t_a2s = 0.0;         // fuse (reported beside the simulated let-through)
  double thermal_time_constant_s = 0.0;  // thermal_magnetic: thermal replica
  double thermal_pickup = 0.0;  // thermal_magnetic: multiple of rated current that trips at last
  double reclose_s = 0.0;       // dead time before one reclosure (0: none)
};

// A cable, busbar or line between two buses of the same kind and nominal voltage. The series
// resistance comes either from geometry (material, cross-section, length, conductors, temperature)
// or, when r_ohm is set, directly (imported cases). AC lines add reactance and shunt susceptance.
struct Line {
  std::string id;
  // Geometry (used when r_ohm is not set), with the fields marked "geometry" below.
  double cross_section_m2 = 0.0;  // per conductor
  double length_m = 0.0;
  double temperature_c = 70.0;           // conductor operating temperature for resistance
  double reactance_ohm_per_m = 0.08e-3;  // AC only, per phase conductor (IEC 60364-5-52, multicore)
  // Explicit total impedance (per phase for AC, loop resistance for DC); overrides geometry.
  core::OptionalDouble r_ohm;
  core::OptionalDouble x_ohm;
  double b_total_s = 0.0;   // AC shunt (charging) susceptance, total, split half per end
  double ampacity_a = 0.0;  // per phase/pole, all runs together; 0 = no limit checked
  // DC cables and busbars: loop inductance (both poles) per metre of route for the time-domain
  // simulation; unset: from geometry (components/). The steady state ignores it.
  core::OptionalDouble inductance_h_per_m;
  Where where;
  BusIndex from = no_bus;
  BusIndex to = no_bus;
  int conductors_per_pole = 1;      // geometry: conductors in parallel per phase (AC) or pole (DC)
  int parallel_runs = 1;            // geometry: identical cables/busbars in parallel
  std::int32_t origin = no_origin;  // index into ModelSpec::origins
  LineType type = LineType::cable;
  Material material = Material::copper;  // geometry
  // A neutral (AC) or mid-point (DC, e.g. +/-400 V) conductor beside the phases or poles. It
  // carries no current in a balanced system, so only conductor sizing and mass use it; unset:
  // the sizing rule's default (AC LV: its neutral rule; DC: none).
  std::optional<bool> neutral_conductor;
  bool in_service = true;
  // A breaker with `trip:`, a protection device in the time-domain simulation: its settings'
  // index into ModelSpec::trips (trip_of); no_trip for every other line. An index, not the
  // settings themselves (168 B), so that a line stays 144 B (test SpecStorage): it fits in the
  // padding after in_service.
  std::int32_t trip = no_trip;
};

// Two-winding transformer. Impedance is given in % on its own rating; losses, when given, set
// the series resistance (load loss at rated current) and the magnetising conductance (no-load).
struct Transformer {
  std::string id;
  BusIndex hv = no_bus;  // "from" side; the tap is on this side
  BusIndex lv = no_bus;
  double rating_va = 0.0;
  double v_hv_rated_v = 0.0;  // rated winding voltages; 0 = use bus nominal
  double v_lv_rated_v = 0.0;
  double z_pct = 6.0;           // short-circuit impedance on rating
  std::optional<double> r_pct;  // series resistance on rating; else from load_loss_w
  double load_loss_w = 0.0;     // copper loss at rated current
  double no_load_loss_w = 0.0;  // core loss at rated voltage
  double tap_ratio = 1.0;       // off-nominal ratio on the HV side (MATPOWER "ratio")
  double phase_shift_deg = 0.0;
  // Identical units in parallel sharing the load (2N: two, each rated `rating_va`); see
  // Redundancy. Impedance and losses above are those of one unit.
  Redundancy redundancy;
  // Imported cases give the branch directly on the system base (MATPOWER branch model: series
  // r + jx, total charging b split half per end, tap on the HV side). When r_system_pu is set,
  // rating, z_pct, r_pct and the losses above are not used for the impedance.
  std::optional<double> r_system_pu;
  std::optional<double> x_system_pu;
  double b_system_pu = 0.0;
  bool in_service = true;
  Where where;
  std::int32_t origin = no_origin;  // index into ModelSpec::origins
};

// Breaker or switch. A closed switch joins its two buses into one electrical node; an open one
// separates them.
struct Switch {
  std::string id;
  BusIndex from = no_bus;
  BusIndex to = no_bus;
  bool closed = true;
  double rating_a = 0.0;
  Where where;
  std::int32_t origin = no_origin;  // index into ModelSpec::origins
};

// ---- Converters ---------------------------------------------------------------------------

enum class ConverterType : std::uint8_t {
  rectifier,  // AC -> DC (also PSU, SST: see Converter::subtype)
  dcdc,       // DC -> DC
  inverter,   // DC -> AC
  ups,        // AC -> AC double conversion
};

// What a converter is within its type (`subtype:` in a model file; types psu and sst set it).
// Study logic reads it: vrm is the GPU point of load, psu and sst do two power conversions.
enum class ConverterSubtype : std::uint8_t {
  none,
  psu,
  sst,
  rectifier,
  sidecar,
  dcdc,
  dc_transformer,
  ibc,
  tray_dcdc,
  vrm,
  battery_converter,
};

// Every subtype a model file may name (all but none), in the order the schema lists them.
inline constexpr ConverterSubtype converter_subtypes[] = {
    ConverterSubtype::psu,       ConverterSubtype::sst,
    ConverterSubtype::rectifier, ConverterSubtype::sidecar,
    ConverterSubtype::dcdc,      ConverterSubtype::dc_transformer,
    ConverterSubtype::ibc,       ConverterSubtype::tray_dcdc,
    ConverterSubtype::vrm,       ConverterSubtype::battery_converter};

enum class ConverterControl : std::uint8_t {
  voltage,  // regulates its output bus voltage (the output island's reference)
  power,    // delivers p_set_w at its output
};

// Efficiency as a function of load: (output power / rating, efficiency) points, interpolated.
struct EfficiencyPoint {
  double load_fraction = 0.0;
  double efficiency = 1.0;
};

// A current limit in amperes, or as a fraction of the rated output current
// (model::current_limit_a resolves it).
struct CurrentLimit {
  double value = 0.0;     // A, or a fraction of rated current when of_rated
  bool of_rated = false;  // written as a percentage ("120 %")
};

// An averaged converter's time-domain data (docs/dynamic.md, "Model keys for simulation"). The
// steady state ignores all of it; unset means not given (simulation_requirements says which
// are needed).
struct ConverterDynamics {
  std::optional<double> output_capacitance_f;  // DC-link capacitor at the output port
  std::optional<double> output_esr_ohm;        // its equivalent series resistance
  std::optional<double> input_capacitance_f;   // DC-link capacitor at the input port
  std::optional<double> input_esr_ohm;         // its equivalent series resistance
  std::optional<double> voltage_bandwidth_hz;  // closed voltage loop bandwidth (control: voltage)
  std::optional<double> damping;               // damping ratio of that loop
  std::optional<CurrentLimit> current_limit;   // inner output current limit
  std::optional<double> ramp_rate_w_per_s;     // output power ramp limit
  std::optional<double> droop_pu;              // per-unit voltage drop per unit output power
  std::optional<double> undervoltage_off_v;    // input voltage it turns off below
  std::optional<double> undervoltage_on_v;     // input voltage it may restart above
  std::optional<double> restart_delay_s;       // time above undervoltage_on before restarting
};

struct Converter {
  std::string id;
  ConverterType type = ConverterType::dcdc;
  ConverterSubtype subtype = ConverterSubtype::none;
  BusIndex input = no_bus;
  BusIndex output = no_bus;
  double rating_w = 0.0;                    // output power rating
  std::vector<EfficiencyPoint> efficiency;  // sorted by load_fraction, at least one point
  ConverterControl control = ConverterControl::voltage;
  double v_set_pu = 1.0;  // output voltage set-point (voltage control)
  double p_set_w = 0.0;   // output power (power control)
  // Losses from device physics instead of `efficiency`: a converter SPEC file (path as written,
  // relative to the model file) of one unit. api::load_model evaluates it for the installed
  // units sharing the load and fills `efficiency` (docs/converters.md).
  std::string design_file;
  // Units sharing the load: `modules` of rating_w / modules each, plus redundant ones. The
  // efficiency curve's load fraction is that of one unit: output / installed_rating_w().
  Redundancy redundancy;
  // Drawn whenever the converter is in service, also at zero output (fans, control, bias of
  // a battery converter on float); added to the efficiency curve's loss.
  double standby_loss_w = 0.0;
  double input_power_factor = 1.0;   // AC input: displacement power factor (lagging)
  double output_power_factor = 1.0;  // AC output, power control: power factor of the injection
  ConverterDynamics dynamics;
  bool in_service = true;
  Where where;
  std::int32_t origin = no_origin;  // index into ModelSpec::origins
};

// ---- Loads and storage --------------------------------------------------------------------

enum class LoadModel : std::uint8_t {
  constant_power,
  constant_current,
  constant_impedance,
  zip,
  gpu_rack,  // constant power: it_power * (idle + (1 - idle) * utilisation)
};

// Power drawn at nominal voltage is (p_w, q_var); it scales with v_pu as z*v^2 + i*v + p.
struct Load {
  std::string id;
  LoadModel model = LoadModel::constant_power;
  BusIndex bus = no_bus;
  double p_w = 0.0;    // at nominal voltage (gpu_rack: derived from the fields below)
  double q_var = 0.0;  // AC only
  double zip_z = 0.0;  // fractions for ZIP; they sum to 1
  double zip_i = 0.0;
  double zip_p = 1.0;
  double it_power_w = 0.0;     // gpu_rack: rated IT power
  double idle_fraction = 0.0;  // gpu_rack: idle power / rated
  double utilisation = 1.0;    // gpu_rack: 0 = idle, 1 = full
  bool in_service = true;
  Where where;
  std::int32_t origin = no_origin;  // index into ModelSpec::origins
};

enum class StorageTechnology : std::uint8_t {
  unset,           // not given: the steady state does not need it
  battery,         // OCV(SOC) table, internal resistance, optional RC pair
  supercapacitor,  // capacitance and ESR
};

// A point of a battery's open-circuit voltage curve.
struct OcvPoint {
  double soc = 0.0;  // state of charge, 0-1
  double voltage_v = 0.0;
};

// A parallel R-C pair in series with a battery's internal resistance (its polarisation).
struct RcPair {
  double resistance_ohm = 0.0;
  double capacitance_f = 0.0;
};

// Battery or other storage held at a power set-point. Positive discharges into the bus.
struct Storage {
  std::string id;
  BusIndex bus = no_bus;
  double p_set_w = 0.0;
  double q_set_var = 0.0;
  double rating_w = 0.0;
  double energy_j = 0.0;  // capacity, informational
  // Time-domain data (docs/dynamic.md, "Model keys for simulation"); the steady state ignores
  // them. States of charge are fractions (of capacity_c, for a battery).
  StorageTechnology technology = StorageTechnology::unset;
  std::vector<OcvPoint> ocv;                      // battery: sorted by soc, at least two points
  std::optional<double> internal_resistance_ohm;  // battery
  std::optional<RcPair> rc_pair;                  // battery, optional
  std::optional<double> capacity_c;               // battery: charge capacity (written in Ah)
  std::optional<double> capacitance_f;            // supercapacitor
  std::optional<double> esr_ohm;                  // supercapacitor
  double soc_min = 0.0;                           // usable window
  double soc_max = 1.0;
  std::optional<double> soc_initial;
  std::optional<double> max_power_w;  // unset: rating_w, when rated
  std::optional<double> max_current_a;
  // The current limit of its converter at the bus (a DC bus only): the power it gives or takes
  // is bounded by this current times the bus voltage. Unset: no bound (an ideal converter).
  std::optional<double> bus_current_limit_a;
  bool in_service = true;
  Where where;
  std::int32_t origin = no_origin;  // index into ModelSpec::origins
};

// ---- Shunt banks --------------------------------------------------------------------------

// A shunt capacitor or reactor bank at an AC bus: a constant admittance. At its rated voltage it
// supplies q_rated_var (a capacitor, > 0) or absorbs it (a reactor, < 0) and dissipates loss_w;
// both scale with (V / rated voltage)^2.
struct Shunt {
  std::string id;
  BusIndex bus = no_bus;
  double q_rated_var = 0.0;      // reactive power supplied at rated voltage; < 0: a reactor
  double rated_voltage_v = 0.0;  // 0 = the bus nominal voltage
  double loss_w = 0.0;           // active power dissipated at rated voltage
  bool in_service = true;
  Where where;
  std::int32_t origin = no_origin;  // index into ModelSpec::origins
};

// ---- The model ----------------------------------------------------------------------------

struct SolverOptions {
  double base_power_va = 1e6;   // system base for per-unit scaling
  double tolerance_pu = 1e-10;  // max power mismatch on base_power_va at convergence
  int max_iterations = 30;
  bool flat_start = true;
};

// A named value declared under `parameters:` (e.g. rack_power: 130 kW), after overrides.
struct Parameter {
  std::string name;
  std::string text;  // as written or overridden: "130 kW", "$(hall_power / rack_power)"
  double value_si = 0.0;
  bool overridden = false;  // set by the caller (LoadOptions), not the file
};

// A caller's replacement for a parameter's value ("rack_power" = "1 MW").
struct ParameterOverride {
  std::string name;
  std::string value;
};

struct ModelSpec {
  std::string name;
  std::string source_file;
  double frequency_hz = 60.0;
  SolverOptions solver;
  std::vector<Bus> buses;
  std::vector<Source> sources;
  std::vector<Line> lines;
  std::vector<Transformer> transformers;
  std::vector<Switch> switches;
  std::vector<Converter> converters;
  std::vector<Load> loads;
  std::vector<Storage> storage;
  std::vector<Shunt> shunts;
  std::vector<Origin> origins;        // one per template instance; elements refer to them by index
  std::vector<Parameter> parameters;  // informational: values are already substituted
  std::vector<Trip> trips;            // protection settings, by Line::trip
};

// A line's protection settings (a breaker with `trip:`), or nullptr.
[[nodiscard]] inline const Trip* trip_of(const ModelSpec& model, const Line& line) noexcept {
  return line.trip < 0 || static_cast<std::size_t>(line.trip) >= model.trips.size()
             ? nullptr
             : &model.trips[static_cast<std::size_t>(line.trip)];
}

// The origin an element refers to, or nullptr for no_origin (or an index out of range).
[[nodiscard]] const Origin* origin_of(const ModelSpec& model, std::int32_t origin) noexcept;

// The full location of an element for diagnostics: the model's source file and `where`.
[[nodiscard]] core::SourceLocation location(const ModelSpec& model, Where where);

// Names as written in model files ("ac", "utility", "cable", "line", "rectifier", "zip", ...):
// the one spelling used by the loader, the writer, results and reports.
[[nodiscard]] std::string_view name(BusKind kind) noexcept;
[[nodiscard]] std::string_view name(SourceType type) noexcept;
[[nodiscard]] std::string_view name(LineType type) noexcept;
[[nodiscard]] std::string_view name(ConverterType type) noexcept;
[[nodiscard]] std::string_view name(ConverterSubtype subtype) noexcept;  // "" for none
[[nodiscard]] std::string_view name(LoadModel model) noexcept;
[[nodiscard]] std::string_view name(StorageTechnology technology) noexcept;  // "" for unset

// Output power all installed units of a converter can deliver: rating_w x installed / modules.
[[nodiscard]] double installed_rating_w(const Converter& converter) noexcept;

// Units installed under `rule` ("N", "N+1", "2N", "2(N+1)", "4N/3", case-insensitive, spaces
// ignored) for `modules` units making up the rating. On a malformed rule or a distributed rule
// whose N is not a multiple of its divisor, returns 0 and sets `problem` to what is wrong.
[[nodiscard]] int installed_units(std::string_view rule, int modules, std::string* problem);

// A converter's output current limit in amperes: as given, or its fraction of the rated output
// current (installed rating over the output bus nominal voltage; over sqrt(3) times it at an AC
// output). nullopt when no limit is given or the output bus is unknown.
[[nodiscard]] std::optional<double> current_limit_a(const ModelSpec& model,
                                                    const Converter& converter);

// Load at nominal voltage drawn by a load, after the gpu_rack formula.
[[nodiscard]] double nominal_load_power_w(const Load& load) noexcept;

}  // namespace g2g::model

// The scenario of a time-domain run (`grid2gpu_scenario: 1`, docs/scenario-format.md): how long,
// how tightly, which GPU racks follow which utilisation profile, their power smoothing, how each
// storage element is controlled, the metrics and limits of what the grid sees, and the signals to
// record. Plain data in SI; no physics.
//
// parse_scenario reads the file's text (scenario_file.cpp, through the configuration toolkit:
// units, "did you mean", every problem at once at file:line:column); resolve places it on a
// loaded model: which load follows which profile in which phase group, each rack's smoothing
// scaled from one GPU to the rack, each storage element's control. Neither does I/O: a measured
// trace is read through the caller's TraceReader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/core/diagnostics.hpp"
#include "g2g/dynamic/ida.hpp"
#include "g2g/dynamic/metrics.hpp"
#include "g2g/dynamic/profile.hpp"
#include "g2g/dynamic/smoothing.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::dynamic {

// Reads a trace file named in the scenario, relative to the scenario file's folder (already
// checked to be relative and free of '..'). It must itself refuse a path that resolves outside
// that folder through a symbolic link (io::reference_problem, docs/security.md), and throws a
// g2g::Error when the file cannot be read; the loader reports that at the `file:` key.
using TraceReader = std::function<std::string(std::string_view relative_path)>;

// An element id or an instance pattern as written, and where: `*` matches any run of characters
// but '/', everything else (`[`, `]` included) is literal: "row[*]/rack[*]/gpus".
struct ElementPattern {
  std::string text;
  core::SourceLocation where;
};

// Whether `id` matches `pattern` (see ElementPattern).
[[nodiscard]] bool matches_pattern(std::string_view pattern, std::string_view id) noexcept;

enum class Aggregation : std::uint8_t {
  none,          // every element in full detail
  phase_groups,  // identical template instances with the same phase lumped into one
};

// Phase groups by template instance: the instances `by` matches (a pattern over
// model::Origin::instance_path, e.g. "row[*]"), in the model's order; instance k is in group
// k mod count, and group g is shifted by g · spread_s / count and draws its own random stream g.
struct PhaseGrouping {
  ElementPattern by;
  std::int64_t count = 1;  // >= 1
  double spread_s = 0.0;   // >= 0
  core::SourceLocation where;
};

// Which gpu_rack loads follow which profile.
struct ProfileAssignment {
  std::vector<ElementPattern> loads;
  ProfileSpec profile;
  std::optional<PhaseGrouping> phase_groups;
  core::SourceLocation where;  // the list item
};

// NVML power smoothing of the GPUs of the named racks: one setting per GPU, gpus_per_rack each.
struct SmoothingAssignment {
  std::vector<ElementPattern> loads;
  std::int64_t gpus_per_rack = 1;
  SmoothingSettings per_gpu;
  core::SourceLocation where;
};

enum class StorageControlMode : std::uint8_t {
  grid_smoothing,  // the grid follows a ramp-limited or low-pass reference; storage covers the rest
  voltage_support,  // storage injects by droop on its bus voltage
};

// How the named storage elements are controlled in time.
struct StorageAssignment {
  std::vector<ElementPattern> elements;
  StorageControlMode control = StorageControlMode::grid_smoothing;
  // grid_smoothing: exactly one of the two references.
  std::optional<double> grid_ramp_limit_w_per_s;
  std::optional<double> grid_time_constant_s;
  std::optional<double> bandwidth_hz;  // grid_smoothing: the storage's power loop
  // The slow loop restoring the state of charge (required for grid_smoothing, optional for
  // voltage_support, both or neither).
  std::optional<double> soc_target;  // fraction, 0 to 1
  std::optional<double> soc_restore_time_s;
  std::optional<double> droop_pu;  // voltage_support: per-unit voltage change at rated power
  // voltage_support as a battery backup unit: idle until its bus falls to trigger_v, then droop
  // toward set_voltage_v through its power loop (bandwidth_hz). All three or none.
  std::optional<double> trigger_v;
  std::optional<double> set_voltage_v;
  core::SourceLocation where;
};

// Converters whose input is lost (an AC outage upstream of rack PSUs) from at_s for duration_s:
// they carry no current meanwhile; what they feed stays on if something else carries it.
struct InputLoss {
  std::vector<ElementPattern> converters;
  double at_s = 0.0;
  double duration_s = 0.0;
  core::SourceLocation where;
};

// A pole-to-pole DC fault (docs/dynamic.md, "Faults"): at a bus, or at a fraction `at` along
// a line from its `from` end; through resistance_ohm (0: bolted) from time_s, extinguished at
// clear_s when given. Pole-to-ground faults are not modelled (the reader refuses them).
struct Fault {
  std::string id;
  std::optional<ElementPattern> bus;  // exactly one of bus and line
  std::optional<ElementPattern> line;
  double at = 0.0;  // along the line, 0 to 1
  double resistance_ohm = 0.0;
  double time_s = 0.0;
  std::optional<double> clear_s;
  // A bus is in a dip while below this share of its voltage at inception; IEC 61000-4-30's
  // dip threshold, 90 % of the declared voltage, by default.
  double dip_threshold = 0.9;
  core::SourceLocation where;
};

// The integrator's settings (IntegratorOptions' study-level fields). relative_tolerance 1e-4 is
// the tolerance of issue 14's performance targets; SUNDIALS' IDA guide advises no rtol above 1e-3
// (SUNDIALS v6.4 IDA guide, "General advice on choice of tolerances"). 0 for max_step_s and
// initial_step_s is IDA's own default (unlimited, estimated).
struct SolverSettings {
  double relative_tolerance = 1e-4;
  std::optional<double> absolute_tolerance;  // none: the simulator's per-unknown scaling
  double max_step_s = 0.0;
  double initial_step_s = 0.0;
  // Not a scenario-file key: set by a program (bench/bench_network_dae.cpp compares the two).
  LinearSolverKind linear_solver = IntegratorOptions{}.linear_solver;
  // Not scenario-file keys either. IDA keeps its step after a successful one while it could
  // grow it by less than 1.5x, and never shrinks it then (IDA's own: keep for [1, 2)): the
  // busways' and racks' ringing after every edge keeps the error estimate near its bound, and
  // this takes 12-27 % fewer steps on the hall at the same local error test, with the summary
  // of examples/scenarios/training-swings.yaml within 0.05 % of a run at rtol 1e-5
  // (docs/benchmarks.md, "The assembly, the norms and the step control").
  int max_order = IntegratorOptions{}.max_order;
  double keep_step_from = 0.0;
  double keep_step_below = 1.5;
};

// Grid limits for the storage sizing study; the spectral mask is the bands' max_share.
struct GridLimits {
  std::optional<double> peak_w;
  std::optional<double> ramp_w_per_s;  // over metrics.ramp_window_s
  // The peak at most (1 - this) times the peak without storage control (the sizing study's
  // baseline run); a fraction, 0 to 1.
  std::optional<double> peak_reduction;
};

enum class SignalQuantity : std::uint8_t {
  v,    // bus voltage (of a bus)
  p,    // power of an element
  i,    // current of an element
  soc,  // state of charge (of a storage element)
  u,    // utilisation (of a gpu_rack load)
  f,    // frequency (of a utility)
};
[[nodiscard]] std::string_view name(SignalQuantity quantity) noexcept;

// One recorded signal, "<element or pattern>.<quantity>" ("dc800.v", "row[*]/rack[0]/gpus.p").
struct SignalRequest {
  std::string text;
  ElementPattern element;
  SignalQuantity quantity = SignalQuantity::p;
};

// Splits "<element or pattern>.<quantity>" at its last '.'. nullopt with `problem` set (and a
// fix after " (fix: ") when it is not one; the CLI's --record reads its list the same way.
[[nodiscard]] std::optional<SignalRequest> parse_signal(std::string_view text,
                                                        core::SourceLocation where,
                                                        std::string& problem);

struct Recording {
  std::vector<SignalRequest> signals;
  double every_s = 0.0;  // the output grid's step (> 0)
};

struct Scenario {
  std::string file;
  std::string name;
  double duration_s = 0.0;
  SolverSettings solver;
  Aggregation aggregate = Aggregation::none;
  std::vector<ProfileAssignment> profiles;
  std::vector<SmoothingAssignment> smoothing;
  std::vector<StorageAssignment> storage;
  std::vector<InputLoss> input_loss;
  std::vector<Fault> faults;
  MetricsOptions metrics;
  GridLimits limits;
  std::optional<Recording> record;
  std::vector<core::Diagnostic> warnings;  // e.g. a period outside production practice
};

// Reads a scenario file's text. `file` names it in messages; `read_trace` reads the traces it
// names. Throws core::ModelError with every problem, each at its key or value, with its fix.
[[nodiscard]] Scenario parse_scenario(std::string_view text, std::string file,
                                      const TraceReader& read_trace);

// The JSON Schema of the scenario file (docs/scenario.schema.json), from the reader's key tables.
[[nodiscard]] std::string scenario_schema_json();

// A load's profile: the assignment (index into Scenario::profiles) and its group.
struct LoadProfile {
  std::size_t profile = 0;
  PhaseGroup group;  // the phase added to the profile's own, and the random stream
  // Index of the phase group within its assignment; none without phase_groups (then the stream
  // is the load's index in ModelSpec::loads and the group phase 0).
  std::optional<std::size_t> group_index;
};

// The scenario placed on a model, per element index of model::ModelSpec.
struct ResolvedScenario {
  // Per ModelSpec::loads: none keeps the load's steady utilisation, constant.
  std::vector<std::optional<LoadProfile>> load_profiles;
  // Per ModelSpec::loads: the rack's settings (per-GPU rated power, rates and secondary floor
  // times gpus_per_rack; percentage and hysteresis as they are).
  std::vector<std::optional<SmoothingSettings>> load_smoothing;
  // Per ModelSpec::storage: index into Scenario::storage; none: held at its set-point.
  std::vector<std::optional<std::size_t>> storage_control;
  // Per Scenario::input_loss item: the ModelSpec::converters it names.
  std::vector<std::vector<std::size_t>> input_loss_converters;
  // Per Scenario::faults item: the bus (ModelSpec::buses) or the line (ModelSpec::lines) it is
  // on; a fault at `at` 0 or 1 of a line is at that end's bus.
  struct FaultPlace {
    std::optional<std::size_t> bus;
    std::optional<std::size_t> line;
    double at = 0.0;
  };
  std::vector<FaultPlace> fault_places;
};

// Throws core::ModelError with every problem at the scenario file's locations: a pattern
// matching nothing (with a "did you mean" from the model's ids), a profile or smoothing on a
// load that is not a gpu_rack, a storage pattern naming another kind, an element named by two
// assignments, a phase-grouped load in no instance `by` matches, a signal naming nothing.
[[nodiscard]] ResolvedScenario resolve(const Scenario& scenario, const model::ModelSpec& model);

}  // namespace g2g::dynamic

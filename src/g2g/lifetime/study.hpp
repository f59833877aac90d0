// The lifetime study (docs/reliability.md, "Lifetime study"): a rack converter's switches under
// GPU training swings, with and without NVML-style power smoothing (the power floor). For each
// case: the rack's utilisation (dynamic::make_profile), its drawn power (dynamic::smooth_power
// with the floor), the converter's junction temperatures (converters::junction_trace), rainflow
// per switch position, damage by the package family's power-cycling law and Miner's rule; and the
// energy the floor burns. Pure functions over plain structs; the CLI reads the files.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/converters/chain.hpp"
#include "g2g/converters/converter.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/dynamic/profile.hpp"
#include "g2g/dynamic/smoothing.hpp"
#include "g2g/reliability/damage.hpp"

namespace g2g::lifetime {

// Which power-cycling law a device's position follows: a family of
// data/reliability/power_cycling.yaml, by device name.
struct DeviceFamily {
  std::string device;
  std::string family;
};

// A named assumption on the heatsink's heat capacity, overriding the SPEC's cooling for the study
// (docs/reliability.md, "Heatsink assumption sets"): every case runs under each set, so that a
// result is a range over named assumptions. `spec` keeps the SPEC's own cooling.
struct HeatsinkSet {
  std::string name;
  bool spec = false;        // the SPEC's cooling as written
  double tau_sink_s = 0.0;  // else: the sink's time constant (0 = static: no heat capacity)
};

// A load profile of the time-domain format, taken from a scenario file (docs/scenario-format.md):
// training steps, checkpoint pauses, dips, a measured CSV trace. One case each (and one with the
// floor), besides the periodic training cases.
struct StudyProfile {
  std::string name;
  std::string scenario;  // as written, relative to the study
  dynamic::ProfileSpec spec;
};

// Reads a file named in the study, relative to the study's folder (the CLI reads from disk).
using FileReader = std::function<std::string(std::string_view relative_path)>;

struct LifetimeStudy {
  std::string file;
  std::string name;
  std::string converter;  // the converter SPEC, relative to the study file
  core::SourceLocation converter_where;
  double rack_power_w = 0.0;
  int converters_per_rack = 1;
  std::optional<double> v_in_v;     // default: the SPEC's nominal input
  double warm_up_s = 0.0;           // simulated first and not counted: the trace settles
  double duration_s = 0.0;          // counted span of each case; damage is scaled to a year
  double time_step_s = 0.0;         // junction-temperature sampling step
  dynamic::TrainingSteps training;  // period_s is taken from `periods_s`, one case each
  std::vector<double> periods_s;
  std::optional<dynamic::SmoothingSettings> smoothing;  // for the whole rack (per GPU x GPUs)
  std::vector<DeviceFamily> families;
  core::SourceLocation families_where;
  std::vector<HeatsinkSet> heatsinks;  // at least one (the SPEC's cooling when none is given)
  std::vector<StudyProfile> profiles;  // where package_families is written
  std::vector<core::Diagnostic> warnings;
};

// Reads a lifetime study. Throws core::ModelError with every problem at file:line:col. Scenario
// files named by `profiles:` (and their traces) are read through `read_file`; without it, a study
// naming one is an error.
[[nodiscard]] LifetimeStudy parse_study(std::string_view text, std::string file,
                                        const FileReader& read_file = {});

// Delta T_j bins of a position's cycles: cycles counted and the share of the damage, per bin
// [k w, (k+1) w).
struct HistogramBin {
  double from_k = 0.0;
  double to_k = 0.0;
  double cycles = 0.0;
  double damage_share = 0.0;
};

struct PositionLife {
  std::string position;
  std::string device;
  std::string family;
  bool absolute = false;  // the family's law has a published scale
  double t_j_min_c = 0.0;
  double t_j_max_c = 0.0;
  double largest_swing_k = 0.0;  // the largest rainflow range
  double cycles_per_year = 0.0;  // full-cycle equivalents (sum of counts) per year
  double damage_per_year = 0.0;  // Miner's sum per year; in units of 1/A when not absolute
  double lifetime_years = 0.0;   // 1 / damage_per_year when absolute (else 0)
  double relative_damage = 0.0;  // damage_per_year / the reference case's
  std::vector<HistogramBin> histogram;
};

struct CaseResult {
  std::string name;       // the load: "1 s", "1 s + floor", "checkpoint + floor"
  std::string heatsink;   // the HeatsinkSet's name
  std::string profile;    // the StudyProfile's name; empty for a training period
  double period_s = 0.0;  // the training period (0 for a profile)
  bool floor = false;
  double rack_mean_power_w = 0.0;
  double floor_burn_mwh_per_year = 0.0;  // per rack
  double deferred_mwh_per_year = 0.0;    // per rack: demand the ramp-up limit delayed
  double converter_peak_w = 0.0;         // per converter
  double converter_min_w = 0.0;
  std::vector<PositionLife> positions;
  std::size_t evaluations = 0;
  std::vector<std::string> warnings;
};

struct LifetimeResult {
  // Per heatsink set, per period then per profile: without the floor, then with it (if smoothing).
  std::vector<CaseResult> cases;
  std::vector<std::string> heatsinks;  // the sets' names, in order
  std::string reference;  // the case relative damage refers to (the first, under the first set)
  std::vector<std::string> notes;
};

// Runs every case. `assembly` is the converter SPEC (a physics design, or a chain of one physics
// stage whose modules share the power); `library` its parts. Throws InvalidInput for a curve-only
// converter (no devices), a device without a package family, or a bad profile; the design's
// DesignError for an operating point it cannot run.
[[nodiscard]] LifetimeResult run_study(const LifetimeStudy& study,
                                       const converters::Assembly& assembly,
                                       const converters::Library& library);

}  // namespace g2g::lifetime

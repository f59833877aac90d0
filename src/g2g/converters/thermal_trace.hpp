// Junction temperatures of a converter over a load profile: at each profile sample the design is
// evaluated at its operating point (converters::evaluate), each switch position's loss is iterated
// against its current junction temperature, and the losses are filtered through the thermal
// network: the part's Foster junction-to-case network (devices::FosterNetwork; static R_th(j-c)
// when the part has none), the case-to-ambient path and the shared heatsink, each with its heat
// capacity when the SPEC gives one. Pure functions, no I/O. docs/converters.md § Junction
// temperature over a load profile; equations in docs/devices.md § Transient thermal model.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/converters/converter.hpp"

namespace g2g::converters {

// One sample of a load profile: from t_s until the next sample's time the converter runs at
// `point` (the loss is held constant over the step).
struct ProfileSample {
  double t_s = 0.0;
  OperatingPoint point;
};

struct TraceOptions {
  enum class Start : std::uint8_t {
    steady,   // every thermal pole at its steady state under the first sample's loss
    ambient,  // every pole at rest: junctions at cooling.t_ambient (a cold start)
  };
  Start start = Start::steady;
  // Per step, the loss at the step's end junction temperature is iterated until T_j moves less
  // than tolerance_k, at most max_passes times (unconverged_steps counts the steps that stop
  // there).
  double tolerance_k = 1e-6;
  int max_passes = 8;
};

// One switch position (as ConverterResult::switches) over the profile.
struct PositionTrace {
  std::string_view position;  // SwitchReport::position
  std::string device;
  int count = 1;               // identical positions in the converter
  double t_j_max_c = 0.0;      // the part's limit
  bool foster = false;         // the part has a Foster z_th_jc (else static junction-to-case)
  std::vector<double> t_j_c;   // junction temperature at each profile time
  std::vector<double> loss_w;  // per device, heating the die, over [t_k, t_k+1) (last: at t_k)
  double peak_t_j_c = 0.0;
  bool over_limit = false;           // T_j above t_j_max_c at some sample
  std::size_t first_over_limit = 0;  // index of the first such sample (when over_limit)
};

struct JunctionTrace {
  std::vector<double> t_s;  // the profile's times
  std::vector<PositionTrace> positions;
  // Whole-converter loss over [t_k, t_k+1) (devices, magnetics, capacitors, other; the last entry
  // is the loss at the last sample), and the heatsink temperature at each time (the ambient when
  // the design has no shared sink).
  std::vector<double> loss_w;
  std::vector<double> t_sink_c;
  double sink_tau_s = 0.0;  // 0 = static sink (no heat capacity given)
  bool over_limit = false;  // some junction above its limit at some sample
  bool runaway = false;     // some step's loss outgrew the cooling (T_j capped)
  std::size_t unconverged_steps = 0;
  std::size_t evaluations = 0;  // converter evaluations (repeated operating points are reused)
  std::vector<std::string> warnings;
};

// The heatsink's time constant: tau_sink_s, or c_th_sink_j_per_k times the sink's R (r_th_sink,
// or r_th_ca without a shared sink); 0 when neither is given (static sink).
double sink_time_constant_s(const ConverterDesign& design) noexcept;

// T_j(t) of every switch position over `profile` (times strictly increasing, at least one
// sample). Throws DesignError (field "profile") for an empty or unsorted profile, and the
// design's own DesignError, prefixed with the sample, for an operating point it cannot run.
JunctionTrace junction_trace(const ConverterDesign& design, const Library& library,
                             std::span<const ProfileSample> profile,
                             const TraceOptions& options = {});

}  // namespace g2g::converters

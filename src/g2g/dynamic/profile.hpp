// GPU utilisation profiles: utilisation(t) in [0, 1] of a rack, held exactly as a
// piecewise-linear function built from a ProfileSpec (docs/dynamic.md, "Profiles").
//
// Composition, in this order:
//   u(t) = min( envelope(t), checkpoint( pattern(t) · dips(t) ) )
// pattern    training steps, a measured trace or a constant, shifted by the phase;
// dips       1, or 1 - depth during a random dip (Poisson arrivals);
// checkpoint the level during a checkpoint pause, the argument elsewhere (an override);
// envelope   the job's start and stop ramps, 0 -> 1 -> 0 (a ceiling: min, so u stays exactly
//            piecewise linear, where a product of two ramps would be quadratic).
// Random numbers come from std::mt19937_64 through inverse-CDF transforms (closed forms here,
// Boost.Math's normal quantile), never through std::*_distribution (implementation-defined), so
// a seed gives the same profile on every standard library.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "g2g/dynamic/piecewise_linear.hpp"

namespace g2g::dynamic {

enum class Jitter { none, uniform, normal };

// Training iterations: a trapezoidal pulse per period, between `low` and `high` utilisation.
// Pulse k's rise is centred on t = phase + k · period + jitter_k and its fall on that time plus
// duty · period, so duty is the fraction of the period above the half-way level and the mean
// over a period is low + duty · (high - low) whatever the edge times.
struct TrainingSteps {
  double period_s = not_given;  // 0.1 to 10 s (production iterations: 1-10 s, arXiv 2606.22096)
  double duty = not_given;      // (0, 1): fraction of the period at high utilisation
  double high = not_given;      // utilisation while computing, [0, 1]
  double low = not_given;       // utilisation while communicating, [0, low <= high]
  double rise_s = not_given;    // linear edge low -> high (0: a jump)
  double fall_s = not_given;    // linear edge high -> low (0: a jump)
  Jitter jitter = Jitter::none;
  // Standard deviation of each pulse's start: uniform draws span ±sqrt(3)·sd (same sd); normal
  // draws are clipped to ±period/2. A pulse that would start before the previous one has ended
  // starts at its end instead.
  double jitter_sd_s = 0.0;
};

// Checkpoint pauses: every interval_s from first_s on, utilisation is `level` for duration_s.
struct CheckpointPauses {
  double first_s = not_given;     // start of the first pause (absolute time)
  double interval_s = not_given;  // start-to-start
  double duration_s = not_given;  // < interval_s
  double level = not_given;       // utilisation during the pause, [0, 1]
};

// The job's start and stop: utilisation is capped by 0 before start_s, a linear ramp to 1 over
// start_ramp_s, and a ramp from 1 to 0 over stop_ramp_s beginning at stop_s (if given).
struct JobRamps {
  double start_s = not_given;
  double start_ramp_s = not_given;
  std::optional<double> stop_s;
  double stop_ramp_s = 0.0;  // used only with stop_s
};

// Brief random dips (stragglers, retries): arrivals with rate_per_s (a Poisson process), each
// multiplying the pattern by 1 - depth for duration_s; overlapping dips merge, not compound.
struct RandomDips {
  double rate_per_s = not_given;
  double depth = not_given;  // (0, 1]
  double duration_s = not_given;
};

// A constant utilisation (a steady load; the simulation's quiet case).
struct ConstantUtilisation {
  double utilisation = not_given;
};

// A measured utilisation trace (read_utilisation_csv), shifted by the phase. It must cover the
// run: a trace is data, and holding its end value would invent some.
struct MeasuredTrace {
  PiecewiseLinear utilisation;
  std::string source;  // the file it came from, for messages
};

struct ProfileSpec {
  std::variant<ConstantUtilisation, TrainingSteps, MeasuredTrace> pattern;
  std::optional<CheckpointPauses> checkpoints;
  std::optional<RandomDips> dips;
  std::optional<JobRamps> job;
  double phase_s = 0.0;    // shifts the pattern (added to the group's phase)
  std::uint64_t seed = 0;  // seeds jitter and dips (with the group's stream)
};

// What differs between the racks (or template instances, or phase groups) that share one
// ProfileSpec: their own phase, and their own random stream so their jitter and dips differ.
struct PhaseGroup {
  double phase_s = 0.0;
  std::uint64_t stream = 0;
};

// utilisation(t) over [t0_s, t1_s], exactly piecewise linear, values in [0, 1].
class Profile {
 public:
  // Throws InvalidInput (subject "utilisation") if empty or a value is outside [0, 1].
  explicit Profile(PiecewiseLinear utilisation);

  [[nodiscard]] double value(double t_s) const noexcept { return utilisation_.value(t_s); }
  // ∫ u dt (utilisation-seconds), exact.
  [[nodiscard]] double integral(double t_a_s, double t_b_s) const noexcept {
    return utilisation_.integral(t_a_s, t_b_s);
  }
  // Breakpoint times in [t_a_s, t_b_s]: where the integrator must stop.
  [[nodiscard]] std::vector<double> edges(double t_a_s, double t_b_s) const {
    return utilisation_.edges(t_a_s, t_b_s);
  }
  [[nodiscard]] const PiecewiseLinear& utilisation() const noexcept { return utilisation_; }
  [[nodiscard]] double t_begin_s() const noexcept { return utilisation_.t_begin_s(); }
  [[nodiscard]] double t_end_s() const noexcept { return utilisation_.t_end_s(); }

 private:
  PiecewiseLinear utilisation_;
};

// Checks `spec` and builds its profile over [t0_s, t1_s] for `group`. Throws InvalidInput
// (subject "profile") listing every problem at once, each with its field and fix.
[[nodiscard]] Profile make_profile(const ProfileSpec& spec, double t0_s, double t1_s,
                                   const PhaseGroup& group = {});

// Every problem of `spec` ("training.duty must be in (0, 1), got 1.5 (fix: ...)"), empty if
// none. make_profile throws these; a scenario loader can place them at the file's keys.
[[nodiscard]] std::vector<std::string> check_profile_spec(const ProfileSpec& spec);

// Reads a measured trace: '#' comments and blank lines skipped, a header line, then rows.
// Header `time_s,utilisation` (values in [0, 1]) or `time_s,power_w` (values in
// [0, rated_power_w], divided by it). With `column`, the file is a recorded-signals CSV of
// `grid2gpu simulate` (header `t_s` or `time_s`, then columns `NAME [UNIT]`, a unitless one
// `NAME`) and the column NAME is read: a power (unit W, divided by rated_power_w) or a
// utilisation (no unit, in [0, 1]). Times strictly increase; at least two rows. Throws
// core::ModelError with every problem at file:line:column and its fix.
[[nodiscard]] PiecewiseLinear read_utilisation_csv(std::string_view text,
                                                   std::string_view file_name,
                                                   std::optional<double> rated_power_w = {},
                                                   std::string_view column = {});

// Random numbers, exposed for tests: (b + 0.5) / 2^52 from the top 52 bits b of a 64-bit draw,
// in the open interval (0, 1); the standard normal quantile (Boost.Math); a seed per stream and
// purpose through the SplitMix64 finaliser (Steele, Lea, Flood, OOPSLA 2014), so a rack's
// jitter and dips are independent of other racks' and of each other.
[[nodiscard]] double uniform_open(std::uint64_t bits) noexcept;
[[nodiscard]] double normal_quantile(double p) noexcept;
[[nodiscard]] std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t stream,
                                     std::uint64_t purpose) noexcept;

}  // namespace g2g::dynamic

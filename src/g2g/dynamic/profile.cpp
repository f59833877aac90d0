#include "g2g/dynamic/profile.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <random>

#include "g2g/core/error.hpp"

namespace g2g::dynamic {
namespace {

// Seed purposes, so enabling dips does not change the jitter of the same seed.
constexpr std::uint64_t jitter_purpose = 1;
constexpr std::uint64_t dips_purpose = 2;

bool given(double value) noexcept {
  return !std::isnan(value);
}

constexpr double infinity = std::numeric_limits<double>::infinity();

// Collects every problem of a spec, each naming its field and its fix.
class Checker {
 public:
  // `field` must be given, finite and within lo..hi (open ends where asked; an infinite bound is
  // no bound).
  void range(std::string_view field, double value, double lo, double hi, bool open_lo = false,
             bool open_hi = false) {
    if (!given(value)) {
      problems_.push_back(fmt::format("{} is not given (fix: give {} a value)", field, field));
      return;
    }
    const bool low_ok = open_lo ? value > lo : value >= lo;
    const bool high_ok = open_hi ? value < hi : value <= hi;
    if (std::isfinite(value) && low_ok && high_ok) return;
    std::vector<std::string> bounds;
    if (std::isfinite(lo)) bounds.push_back(fmt::format("{} {}", open_lo ? ">" : ">=", lo));
    if (std::isfinite(hi)) bounds.push_back(fmt::format("{} {}", open_hi ? "<" : "<=", hi));
    const std::string wanted =
        bounds.empty() ? std::string("finite") : fmt::format("{}", fmt::join(bounds, " and "));
    problems_.push_back(fmt::format("{} must be {}, got {} (fix: give {} a value {})", field,
                                    wanted, value, field, wanted));
  }
  void require(bool ok, std::string problem) {
    if (!ok) problems_.push_back(std::move(problem));
  }
  [[nodiscard]] std::vector<std::string> take() { return std::move(problems_); }

 private:
  std::vector<std::string> problems_;
};

void check_training(const TrainingSteps& s, Checker& check) {
  // Any period > 0: production's 1-10 s (arXiv 2606.22096) and issue 14's 0.1-10 s are
  // practice, not physics, so a scenario file warns outside them (dynamic/scenario_file.cpp).
  check.range("training.period_s", s.period_s, 0.0, infinity, true);
  check.range("training.duty", s.duty, 0.0, 1.0, true, true);
  check.range("training.high", s.high, 0.0, 1.0);
  check.range("training.low", s.low, 0.0, 1.0);
  check.range("training.rise_s", s.rise_s, 0.0, infinity);
  check.range("training.fall_s", s.fall_s, 0.0, infinity);
  check.range("training.jitter_sd_s", s.jitter_sd_s, 0.0, infinity);
  if (given(s.low) && given(s.high)) {
    check.require(s.low <= s.high, fmt::format("training.low ({}) exceeds training.high ({}) "
                                               "(fix: swap them)",
                                               s.low, s.high));
  }
  if (given(s.period_s) && given(s.duty) && given(s.rise_s) && given(s.fall_s)) {
    const double edges_s = 0.5 * (s.rise_s + s.fall_s);
    check.require(edges_s <= s.duty * s.period_s && edges_s <= (1.0 - s.duty) * s.period_s,
                  fmt::format("training edges (rise_s + fall_s)/2 = {} s do not fit in the high "
                              "part ({} s) and the low part ({} s) of the period (fix: shorten "
                              "the edges or move duty toward 0.5)",
                              edges_s, s.duty * s.period_s, (1.0 - s.duty) * s.period_s));
  }
}

void check_checkpoints(const CheckpointPauses& c, Checker& check) {
  check.range("checkpoints.first_s", c.first_s, -infinity, infinity, true, true);
  check.range("checkpoints.interval_s", c.interval_s, 0.0, infinity, true);
  check.range("checkpoints.duration_s", c.duration_s, 0.0, infinity, true);
  check.range("checkpoints.level", c.level, 0.0, 1.0);
  if (given(c.interval_s) && given(c.duration_s)) {
    check.require(c.duration_s < c.interval_s,
                  fmt::format("checkpoints.duration_s ({} s) is not shorter than interval_s ({} "
                              "s) (fix: shorten the pause or lengthen the interval)",
                              c.duration_s, c.interval_s));
  }
}

void check_job(const JobRamps& j, Checker& check) {
  check.range("job.start_s", j.start_s, -infinity, infinity, true, true);
  check.range("job.start_ramp_s", j.start_ramp_s, 0.0, infinity);
  if (!j.stop_s) return;
  check.range("job.stop_s", *j.stop_s, -infinity, infinity, true, true);
  check.range("job.stop_ramp_s", j.stop_ramp_s, 0.0, infinity);
  if (given(j.start_s) && given(j.start_ramp_s)) {
    check.require(*j.stop_s >= j.start_s + j.start_ramp_s,
                  fmt::format("job.stop_s ({} s) comes before the start ramp ends ({} s) (fix: "
                              "stop later or ramp faster)",
                              *j.stop_s, j.start_s + j.start_ramp_s));
  }
}

void check_dips(const RandomDips& d, Checker& check) {
  check.range("dips.rate_per_s", d.rate_per_s, 0.0, infinity, true);
  check.range("dips.depth", d.depth, 0.0, 1.0, true);
  check.range("dips.duration_s", d.duration_s, 0.0, infinity, true);
}

// The training pattern over [t0, t1]: trapezoidal pulses, one per period (see TrainingSteps).
PiecewiseLinear training_pattern(const TrainingSteps& s, double phase_s, std::uint64_t seed,
                                 double t0_s, double t1_s) {
  std::mt19937_64 engine(seed);
  const double half_period_s = 0.5 * s.period_s;
  auto draw_jitter_s = [&]() -> double {
    switch (s.jitter) {
      case Jitter::none:
        return 0.0;
      case Jitter::uniform:  // uniform on ±a has sd a/sqrt(3)
        return std::sqrt(3.0) * s.jitter_sd_s * (2.0 * uniform_open(engine()) - 1.0);
      case Jitter::normal:
        return std::clamp(s.jitter_sd_s * normal_quantile(uniform_open(engine())), -half_period_s,
                          half_period_s);
    }
    return 0.0;
  };
  // Pulses from two periods before t0 (a jittered pulse may reach back that far) past t1.
  const auto k_first = static_cast<std::int64_t>(std::floor((t0_s - phase_s) / s.period_s)) - 2;
  const auto k_last = static_cast<std::int64_t>(std::ceil((t1_s - phase_s) / s.period_s)) + 1;
  std::vector<Breakpoint> points;
  for (std::int64_t k = k_first; k <= k_last; ++k) {
    double rise_start_s =
        phase_s + static_cast<double>(k) * s.period_s + draw_jitter_s() - 0.5 * s.rise_s;
    if (!points.empty()) rise_start_s = std::max(rise_start_s, points.back().t_s);
    const double fall_start_s =
        rise_start_s + 0.5 * s.rise_s + s.duty * s.period_s - 0.5 * s.fall_s;
    append_breakpoint(points, {rise_start_s, s.low});
    append_breakpoint(points, {rise_start_s + s.rise_s, s.high});
    append_breakpoint(points, {fall_start_s, s.high});
    append_breakpoint(points, {fall_start_s + s.fall_s, s.low});
  }
  return PiecewiseLinear(std::move(points)).clipped(t0_s, t1_s);
}

// 1, or 1 - depth during each dip; arrivals of a Poisson process from t0 (exponential gaps by
// the inverse CDF -ln(u)/rate).
PiecewiseLinear dip_factor(const RandomDips& d, std::uint64_t seed, double t0_s, double t1_s) {
  std::mt19937_64 engine(seed);
  auto gap_s = [&]() { return -std::log(uniform_open(engine())) / d.rate_per_s; };
  const double factor = 1.0 - d.depth;
  std::vector<Breakpoint> points{{t0_s, 1.0}};
  double arrival_s = t0_s + gap_s();
  while (arrival_s < t1_s) {
    const double start_s = arrival_s;
    double end_s = arrival_s + d.duration_s;
    arrival_s += gap_s();
    while (arrival_s < end_s) {  // an arrival during a dip extends it: dips merge
      end_s = arrival_s + d.duration_s;
      arrival_s += gap_s();
    }
    append_breakpoint(points, {start_s, 1.0});
    append_breakpoint(points, {start_s, factor});
    append_breakpoint(points, {end_s, factor});
    append_breakpoint(points, {end_s, 1.0});
  }
  append_breakpoint(points, {std::max(t1_s, points.back().t_s), 1.0});
  return PiecewiseLinear(std::move(points)).clipped(t0_s, t1_s);
}

// 1 during each checkpoint pause, 0 elsewhere.
PiecewiseLinear checkpoint_mask(const CheckpointPauses& c, double t0_s, double t1_s) {
  std::vector<Breakpoint> points{{std::min(t0_s, c.first_s), 0.0}};
  const double k_first = std::max(0.0, std::floor((t0_s - c.first_s) / c.interval_s));
  for (double k = k_first;; k += 1.0) {
    const double start_s = c.first_s + k * c.interval_s;
    if (start_s >= t1_s) break;
    append_breakpoint(points, {start_s, 0.0});
    append_breakpoint(points, {start_s, 1.0});
    append_breakpoint(points, {start_s + c.duration_s, 1.0});
    append_breakpoint(points, {start_s + c.duration_s, 0.0});
  }
  append_breakpoint(points, {std::max(t1_s, points.back().t_s), 0.0});
  return PiecewiseLinear(std::move(points)).clipped(t0_s, t1_s);
}

// The job's ceiling 0 -> 1 -> 0.
PiecewiseLinear job_envelope(const JobRamps& j, double t0_s, double t1_s) {
  std::vector<Breakpoint> points;
  append_breakpoint(points, {std::min(t0_s, j.start_s), 0.0});
  append_breakpoint(points, {j.start_s, 0.0});
  append_breakpoint(points, {j.start_s + j.start_ramp_s, 1.0});
  if (j.stop_s) {
    append_breakpoint(points, {*j.stop_s, 1.0});
    append_breakpoint(points, {*j.stop_s + j.stop_ramp_s, 0.0});
  }
  const double end_s = std::max(t1_s, points.back().t_s);
  append_breakpoint(points, {end_s, points.back().value});
  return PiecewiseLinear(std::move(points)).clipped(t0_s, t1_s);
}

}  // namespace

double uniform_open(std::uint64_t bits) noexcept {
  constexpr double two_to_minus_52 = 1.0 / 4503599627370496.0;
  return (static_cast<double>(bits >> 12) + 0.5) * two_to_minus_52;
}

double normal_quantile(double p) noexcept {
  // Boost.Math's quantile throws only for p outside (0, 1), which uniform_open never gives.
  static const boost::math::normal_distribution<double> standard(0.0, 1.0);
  return boost::math::quantile(standard, p);
}

std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t stream, std::uint64_t purpose) noexcept {
  auto splitmix = [](std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30U)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27U)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31U);
  };
  return splitmix(splitmix(seed ^ splitmix(stream)) + purpose);
}

Profile::Profile(PiecewiseLinear utilisation) : utilisation_(std::move(utilisation)) {
  if (utilisation_.empty()) {
    throw InvalidInput("utilisation", "the profile has no breakpoints",
                       "build it with make_profile");
  }
  const double lo = utilisation_.min_value();
  const double hi = utilisation_.max_value();
  if (lo < 0.0 || hi > 1.0) {
    throw InvalidInput("utilisation",
                       fmt::format("utilisation spans [{}, {}], outside [0, 1]", lo, hi),
                       "scale the profile into [0, 1]");
  }
}

std::vector<std::string> check_profile_spec(const ProfileSpec& spec) {
  Checker check;
  check.range("phase_s", spec.phase_s, -infinity, infinity, true, true);
  if (const auto* constant = std::get_if<ConstantUtilisation>(&spec.pattern)) {
    check.range("constant.utilisation", constant->utilisation, 0.0, 1.0);
  } else if (const auto* training = std::get_if<TrainingSteps>(&spec.pattern)) {
    check_training(*training, check);
  } else if (const auto* trace = std::get_if<MeasuredTrace>(&spec.pattern)) {
    check.require(trace->utilisation.points().size() >= 2,
                  fmt::format("trace '{}' has fewer than two rows (fix: read it with "
                              "read_utilisation_csv)",
                              trace->source));
  }
  if (spec.checkpoints) check_checkpoints(*spec.checkpoints, check);
  if (spec.job) check_job(*spec.job, check);
  if (spec.dips) check_dips(*spec.dips, check);
  return check.take();
}

Profile make_profile(const ProfileSpec& spec, double t0_s, double t1_s, const PhaseGroup& group) {
  std::vector<std::string> problems = check_profile_spec(spec);
  if (!(std::isfinite(t0_s) && std::isfinite(t1_s) && t1_s > t0_s)) {
    problems.push_back(
        fmt::format("the run [{}, {}] s is empty or not finite (fix: give an end "
                    "time after the start time)",
                    t0_s, t1_s));
  }
  if (!std::isfinite(group.phase_s)) {
    problems.push_back(
        fmt::format("the group's phase_s is {} (fix: give a finite phase)", group.phase_s));
  }
  const double phase_s = spec.phase_s + group.phase_s;
  if (const auto* trace = std::get_if<MeasuredTrace>(&spec.pattern);
      trace != nullptr && problems.empty()) {
    const double begin_s = trace->utilisation.t_begin_s() + phase_s;
    const double end_s = trace->utilisation.t_end_s() + phase_s;
    if (begin_s > t0_s || end_s < t1_s) {
      problems.push_back(
          fmt::format("trace '{}' with phase {} s covers [{}, {}] s, but the run "
                      "needs [{}, {}] s (fix: extend the trace, shift its phase "
                      "or shorten the run)",
                      trace->source, phase_s, begin_s, end_s, t0_s, t1_s));
    }
  }
  if (!problems.empty()) {
    std::string message = fmt::format("{}", fmt::join(problems, "; "));
    throw InvalidInput("profile", std::move(message), "correct the fields named above");
  }

  PiecewiseLinear u;
  if (const auto* constant = std::get_if<ConstantUtilisation>(&spec.pattern)) {
    u = PiecewiseLinear::constant(constant->utilisation, t0_s, t1_s);
  } else if (const auto* training = std::get_if<TrainingSteps>(&spec.pattern)) {
    u = training_pattern(*training, phase_s, mix_seed(spec.seed, group.stream, jitter_purpose),
                         t0_s, t1_s);
  } else {
    u = std::get<MeasuredTrace>(spec.pattern).utilisation.shifted(phase_s).clipped(t0_s, t1_s);
  }
  if (spec.dips) {
    u = multiply_by_steps(
        u, dip_factor(*spec.dips, mix_seed(spec.seed, group.stream, dips_purpose), t0_s, t1_s));
  }
  if (spec.checkpoints) {
    u = override_where(u, checkpoint_mask(*spec.checkpoints, t0_s, t1_s), spec.checkpoints->level);
  }
  if (spec.job) u = pointwise_min(u, job_envelope(*spec.job, t0_s, t1_s));
  return Profile(std::move(u));
}

}  // namespace g2g::dynamic

#include "g2g/dynamic/smoothing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "g2g/core/error.hpp"

namespace g2g::dynamic {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// The follower's modes. Tracking: P = T (T's slope within the limits). Rising: P < T, rising at
// the ramp-up rate. Holding: P > T, constant until hold_end_s. Falling: P > T, falling at the
// ramp-down rate. Holding then Falling is one ramp-down episode; it ends when P meets T.
enum class Mode { tracking, rising, holding, falling };

class Follower {
 public:
  Follower(const PiecewiseLinear& target_w, const SmoothingSettings& s, double tolerance_w)
      : target_(target_w),
        up_w_per_s_(s.ramp_up_w_per_s),
        down_w_per_s_(s.ramp_down_w_per_s),
        hold_s_(1e-3 * s.ramp_down_hysteresis_ms),
        tolerance_w_(tolerance_w) {}

  PiecewiseLinear run() {
    const auto& points = target_.points();
    t_s_ = points.front().t_s;
    p_w_ = target_.value(t_s_);
    emit();
    for (std::size_t k = 0; k + 1 < points.size(); ++k) {
      const double t_end_s = points[k + 1].t_s;
      if (t_end_s == points[k].t_s) continue;  // a jump: handled by settle() at its time
      settle();
      while (t_s_ < t_end_s) advance(t_end_s);
      emit();
    }
    return PiecewiseLinear(std::move(out_));
  }

 private:
  [[nodiscard]] double target_now() const noexcept { return target_.value(t_s_); }
  [[nodiscard]] double slope_now() const noexcept { return target_.right_slope(t_s_); }
  void emit() { append_breakpoint(out_, {t_s_, p_w_}); }

  void start_ramp_down() {
    mode_ = Mode::holding;
    hold_end_s_ = t_s_ + hold_s_;
  }

  // Chooses the mode from P, T and T's slope at the current time. An infinite rate makes P jump
  // to T, after which the choice is made again (P = T then): two passes suffice, four is a bound.
  void settle() {
    for (int pass = 0; pass < 4; ++pass) {
      const double target_w = target_now();
      const double slope = slope_now();
      if (p_w_ < target_w - tolerance_w_) {
        if (std::isinf(up_w_per_s_)) {
          emit();
          p_w_ = target_w;
          emit();
          continue;
        }
        mode_ = Mode::rising;
      } else if (p_w_ > target_w + tolerance_w_) {
        if (mode_ != Mode::holding && mode_ != Mode::falling) start_ramp_down();
        if (mode_ == Mode::holding && t_s_ >= hold_end_s_) mode_ = Mode::falling;
        if (mode_ == Mode::falling && std::isinf(down_w_per_s_)) {
          emit();
          p_w_ = target_w;
          emit();
          continue;
        }
      } else {
        p_w_ = target_w;
        if (slope > up_w_per_s_) {
          mode_ = Mode::rising;
        } else if (slope < -down_w_per_s_) {
          if (mode_ != Mode::holding && mode_ != Mode::falling) start_ramp_down();
          if (mode_ == Mode::holding && t_s_ >= hold_end_s_) mode_ = Mode::falling;
        } else {
          mode_ = Mode::tracking;
        }
      }
      return;
    }
  }

  // Moves to the next event inside the current segment of T (or to its end, t_end_s).
  void advance(double t_end_s) {
    const double target_w = target_now();
    const double slope = slope_now();
    const double span_s = t_end_s - t_s_;
    switch (mode_) {
      case Mode::tracking:
        t_s_ = t_end_s;
        p_w_ = target_.left_value(t_end_s);
        return;
      case Mode::rising: {
        // P + up·τ = T + slope·τ
        const double meet_s =
            slope < up_w_per_s_ ? (target_w - p_w_) / (up_w_per_s_ - slope) : infinity;
        if (meet_s < span_s) {
          t_s_ += meet_s;
          p_w_ = target_now();
          emit();
          settle();
        } else {
          p_w_ += up_w_per_s_ * span_s;
          t_s_ = t_end_s;
        }
        return;
      }
      case Mode::holding: {
        const double meet_s = slope > 0.0 ? (p_w_ - target_w) / slope : infinity;
        const double release_s = hold_end_s_ - t_s_;
        if (meet_s < span_s && meet_s <= release_s) {
          t_s_ += meet_s;
          p_w_ = target_now();
          emit();
          mode_ = Mode::tracking;  // the episode is over
          settle();
        } else if (release_s < span_s) {
          t_s_ = hold_end_s_;
          emit();
          mode_ = Mode::falling;
          settle();
        } else {
          t_s_ = t_end_s;
        }
        return;
      }
      case Mode::falling: {
        // P - down·τ = T + slope·τ
        const double meet_s =
            slope > -down_w_per_s_ ? (p_w_ - target_w) / (slope + down_w_per_s_) : infinity;
        if (meet_s < span_s) {
          t_s_ += meet_s;
          p_w_ = target_now();
          emit();
          mode_ = Mode::tracking;
          settle();
        } else {
          p_w_ -= down_w_per_s_ * span_s;
          t_s_ = t_end_s;
        }
        return;
      }
    }
  }

  const PiecewiseLinear& target_;
  double up_w_per_s_;
  double down_w_per_s_;
  double hold_s_;
  double tolerance_w_;
  Mode mode_ = Mode::tracking;
  double hold_end_s_ = 0.0;
  double t_s_ = 0.0;
  double p_w_ = 0.0;
  std::vector<Breakpoint> out_;
};

void require(bool ok, const char* subject, double value, const char* must) {
  if (std::isnan(value)) {
    throw InvalidInput(subject, fmt::format("{} is not given", subject),
                       fmt::format("give {} a value that is {}", subject, must));
  }
  if (ok) return;
  throw InvalidInput(subject, fmt::format("{} must be {}, got {}", subject, must, value),
                     fmt::format("give {} a value that is {}", subject, must));
}

}  // namespace

void check_smoothing_settings(const SmoothingSettings& s) {
  require(std::isfinite(s.rated_power_w) && s.rated_power_w > 0.0, "rated_power_w", s.rated_power_w,
          "finite and greater than zero");
  require(s.power_floor_percent >= 0.0 && s.power_floor_percent <= 100.0, "power_floor_percent",
          s.power_floor_percent, "within 0 to 100 (NVML's range)");
  require(s.ramp_up_w_per_s > 0.0, "ramp_up_w_per_s", s.ramp_up_w_per_s,
          "greater than zero (infinity: unlimited)");
  require(s.ramp_down_w_per_s > 0.0, "ramp_down_w_per_s", s.ramp_down_w_per_s,
          "greater than zero (infinity: unlimited)");
  require(std::isfinite(s.ramp_down_hysteresis_ms) && s.ramp_down_hysteresis_ms >= 0.0,
          "ramp_down_hysteresis_ms", s.ramp_down_hysteresis_ms, "finite and at least zero");
  require(std::isfinite(s.secondary_floor_w) && s.secondary_floor_w >= 0.0, "secondary_floor_w",
          s.secondary_floor_w, "finite and at least zero");
}

SmoothedPower smooth_power(const PiecewiseLinear& requested_power_w,
                           const SmoothingSettings& settings) {
  check_smoothing_settings(settings);
  if (requested_power_w.points().size() < 2) {
    throw InvalidInput("requested power", "the requested power has fewer than two breakpoints",
                       "give the request over a time span");
  }
  const double t0_s = requested_power_w.t_begin_s();
  const double t1_s = requested_power_w.t_end_s();
  const double floor_w = std::max(1e-2 * settings.power_floor_percent * settings.rated_power_w,
                                  settings.secondary_floor_w);
  const PiecewiseLinear target_w =
      pointwise_max(requested_power_w, PiecewiseLinear::constant(floor_w, t0_s, t1_s));
  const double tolerance_w =
      1e-12 * std::max({1.0, std::abs(target_w.max_value()), std::abs(target_w.min_value())});
  SmoothedPower result;
  result.drawn_power_w = Follower(target_w, settings, tolerance_w).run();
  result.floor_burn_energy_j =
      positive_difference(result.drawn_power_w, requested_power_w).integral(t0_s, t1_s);
  result.deferred_energy_j =
      positive_difference(requested_power_w, result.drawn_power_w).integral(t0_s, t1_s);
  return result;
}

}  // namespace g2g::dynamic

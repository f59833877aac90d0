#include "g2g/dynamic/piecewise_linear.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "g2g/core/error.hpp"

namespace g2g::dynamic {
namespace {

double interpolate(const Breakpoint& a, const Breakpoint& b, double t_s) noexcept {
  return a.value + (b.value - a.value) * ((t_s - a.t_s) / (b.t_s - a.t_s));
}

// Drops interior breakpoints that lie on the line through their neighbours (not jump ends),
// so that edges() reports kinks and jumps only.
std::vector<Breakpoint> without_collinear(std::vector<Breakpoint> points) {
  if (points.size() < 3) return points;
  std::vector<Breakpoint> kept;
  kept.reserve(points.size());
  kept.push_back(points.front());
  for (std::size_t k = 1; k + 1 < points.size(); ++k) {
    const Breakpoint& previous = kept.back();
    const Breakpoint& here = points[k];
    const Breakpoint& next = points[k + 1];
    const bool jump_end = here.t_s == previous.t_s || here.t_s == next.t_s;
    if (!jump_end) {
      const double on_line = interpolate(previous, next, here.t_s);
      const double scale = std::max({1.0, std::abs(previous.value), std::abs(next.value)});
      if (std::abs(on_line - here.value) <= 1e-13 * scale) continue;
    }
    kept.push_back(here);
  }
  kept.push_back(points.back());
  return kept;
}

// The pointwise op(a, b) on the union of both operands' breakpoints: at each union time the
// left limit and the value (a jump when they differ). With `kink_at_crossings`, a breakpoint is
// added where a - b changes sign inside an interval (min, max, positive part: a kink there).
// op must make the result linear on every interval; the callers below guarantee it.
template <class Op>
PiecewiseLinear combine(const PiecewiseLinear& a, const PiecewiseLinear& b, Op op,
                        bool kink_at_crossings) {
  std::vector<double> times;
  times.reserve(a.points().size() + b.points().size());
  for (const auto& p : a.points()) times.push_back(p.t_s);
  for (const auto& p : b.points()) times.push_back(p.t_s);
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());

  std::vector<Breakpoint> out;
  out.reserve(2 * times.size());
  for (std::size_t i = 0; i < times.size(); ++i) {
    const double t = times[i];
    const double left = op(a.left_value(t), b.left_value(t));
    const double right = op(a.value(t), b.value(t));
    if (left != right) out.push_back({t, left});
    out.push_back({t, right});
    if (!kink_at_crossings || i + 1 == times.size()) continue;
    const double t_next = times[i + 1];
    const double d_start = a.value(t) - b.value(t);
    const double d_end = a.left_value(t_next) - b.left_value(t_next);
    if ((d_start < 0.0 && d_end > 0.0) || (d_start > 0.0 && d_end < 0.0)) {
      const double t_cross = t + (t_next - t) * (d_start / (d_start - d_end));
      if (t_cross > t && t_cross < t_next) {
        out.push_back({t_cross, op(a.value(t_cross), b.value(t_cross))});
      }
    }
  }
  return PiecewiseLinear(without_collinear(std::move(out)));
}

}  // namespace

PiecewiseLinear::PiecewiseLinear(std::vector<Breakpoint> points) : points_(std::move(points)) {
  for (std::size_t k = 0; k < points_.size(); ++k) {
    const Breakpoint& p = points_[k];
    if (!std::isfinite(p.t_s) || !std::isfinite(p.value)) {
      throw InvalidInput(
          "breakpoints",
          fmt::format("breakpoint {} is not finite (t = {} s, value {})", k, p.t_s, p.value),
          "give finite times and values");
    }
    if (k == 0) continue;
    if (p.t_s < points_[k - 1].t_s) {
      throw InvalidInput("breakpoints",
                         fmt::format("time decreases at breakpoint {}: {} s after {} s", k, p.t_s,
                                     points_[k - 1].t_s),
                         "sort the breakpoints by time");
    }
    if (k >= 2 && p.t_s == points_[k - 2].t_s) {
      throw InvalidInput("breakpoints",
                         fmt::format("three breakpoints at t = {} s (index {})", p.t_s, k),
                         "a jump is two breakpoints at one time: drop the middle one");
    }
  }
}

PiecewiseLinear PiecewiseLinear::constant(double value, double t0_s, double t1_s) {
  return PiecewiseLinear({{t0_s, value}, {t1_s, value}});
}

double PiecewiseLinear::t_begin_s() const noexcept {
  return points_.empty() ? 0.0 : points_.front().t_s;
}

double PiecewiseLinear::t_end_s() const noexcept {
  return points_.empty() ? 0.0 : points_.back().t_s;
}

std::ptrdiff_t PiecewiseLinear::last_at_or_before(double t_s) const noexcept {
  const auto after = std::upper_bound(points_.begin(), points_.end(), t_s,
                                      [](double t, const Breakpoint& p) { return t < p.t_s; });
  return (after - points_.begin()) - 1;
}

double PiecewiseLinear::value(double t_s) const noexcept {
  if (points_.empty()) return 0.0;
  const std::ptrdiff_t k = last_at_or_before(t_s);
  if (k < 0) return points_.front().value;
  const auto index = static_cast<std::size_t>(k);
  if (index + 1 == points_.size()) return points_.back().value;
  return interpolate(points_[index], points_[index + 1], t_s);
}

double PiecewiseLinear::value(double t_s, std::size_t& cursor) const noexcept {
  if (points_.empty()) return 0.0;
  const std::size_t n = points_.size();
  std::size_t k = std::min(cursor, n - 1);
  // Still on the cursor's segment: the common case, an integrator's step inside one ramp or
  // plateau, asked once per residual.
  if (k + 1 < n && points_[k].t_s <= t_s && t_s < points_[k + 1].t_s)
    return interpolate(points_[k], points_[k + 1], t_s);
  // A few steps either way; beyond them the binary search.
  constexpr int walk = 4;
  int moved = 0;
  while (k + 1 < n && points_[k + 1].t_s <= t_s && moved < walk) ++k, ++moved;
  while (k > 0 && points_[k].t_s > t_s && moved < walk) --k, ++moved;
  const bool settled =
      (k + 1 == n || points_[k + 1].t_s > t_s) && (k == 0 || points_[k].t_s <= t_s);
  if (!settled) {
    const std::ptrdiff_t found = last_at_or_before(t_s);
    k = found < 0 ? 0 : static_cast<std::size_t>(found);
  }
  cursor = k;
  if (points_[k].t_s > t_s) return points_.front().value;  // before the first breakpoint
  if (k + 1 == n) return points_.back().value;
  return interpolate(points_[k], points_[k + 1], t_s);
}

double PiecewiseLinear::left_value(double t_s) const noexcept {
  if (points_.empty()) return 0.0;
  const auto at = std::lower_bound(points_.begin(), points_.end(), t_s,
                                   [](const Breakpoint& p, double t) { return p.t_s < t; });
  if (at == points_.begin()) return points_.front().value;
  if (at == points_.end()) return points_.back().value;
  if (at->t_s == t_s) return at->value;  // the first of a jump's pair is the left limit
  return interpolate(*(at - 1), *at, t_s);
}

double PiecewiseLinear::right_slope(double t_s) const noexcept {
  const std::ptrdiff_t k = last_at_or_before(t_s);
  if (k < 0 || static_cast<std::size_t>(k) + 1 >= points_.size()) return 0.0;
  const Breakpoint& a = points_[static_cast<std::size_t>(k)];
  const Breakpoint& b = points_[static_cast<std::size_t>(k) + 1];
  return (b.value - a.value) / (b.t_s - a.t_s);
}

double PiecewiseLinear::integral(double t_a_s, double t_b_s) const noexcept {
  if (points_.empty() || t_a_s == t_b_s) return 0.0;
  if (t_b_s < t_a_s) return -integral(t_b_s, t_a_s);
  // Walk the segments overlapping [t_a, t_b]; outside the breakpoints f is the end value.
  double sum = 0.0;
  double t = t_a_s;
  if (t < points_.front().t_s) {
    const double until = std::min(t_b_s, points_.front().t_s);
    sum += (until - t) * points_.front().value;
    t = until;
  }
  std::ptrdiff_t k = last_at_or_before(t);
  while (t < t_b_s && k >= 0 && static_cast<std::size_t>(k) + 1 < points_.size()) {
    const Breakpoint& a = points_[static_cast<std::size_t>(k)];
    const Breakpoint& b = points_[static_cast<std::size_t>(k) + 1];
    const double until = std::min(t_b_s, b.t_s);
    if (until > t) sum += (until - t) * 0.5 * (interpolate(a, b, t) + interpolate(a, b, until));
    t = until;
    ++k;
  }
  if (t < t_b_s) sum += (t_b_s - t) * points_.back().value;
  return sum;
}

std::vector<double> PiecewiseLinear::edges(double t_a_s, double t_b_s) const {
  std::vector<double> times;
  for (const auto& p : points_) {
    if (p.t_s < t_a_s || p.t_s > t_b_s) continue;
    if (times.empty() || times.back() != p.t_s) times.push_back(p.t_s);
  }
  return times;
}

double PiecewiseLinear::min_value() const noexcept {
  if (points_.empty()) return 0.0;
  return std::min_element(points_.begin(), points_.end(),
                          [](const auto& x, const auto& y) { return x.value < y.value; })
      ->value;
}

double PiecewiseLinear::max_value() const noexcept {
  if (points_.empty()) return 0.0;
  return std::max_element(points_.begin(), points_.end(),
                          [](const auto& x, const auto& y) { return x.value < y.value; })
      ->value;
}

PiecewiseLinear PiecewiseLinear::clipped(double t0_s, double t1_s) const {
  if (!(t1_s > t0_s)) {
    throw InvalidInput("time span", fmt::format("the span [{}, {}] s is empty", t0_s, t1_s),
                       "give an end time after the start time");
  }
  std::vector<Breakpoint> out;
  out.push_back({t0_s, value(t0_s)});
  for (const auto& p : points_) {
    if (p.t_s > t0_s && p.t_s < t1_s) out.push_back(p);
  }
  out.push_back({t1_s, left_value(t1_s)});
  return PiecewiseLinear(std::move(out));
}

PiecewiseLinear PiecewiseLinear::shifted(double shift_s) const {
  std::vector<Breakpoint> out = points_;
  for (auto& p : out) p.t_s += shift_s;
  return PiecewiseLinear(std::move(out));
}

void append_breakpoint(std::vector<Breakpoint>& points, Breakpoint point) {
  const std::size_t n = points.size();
  if (n >= 1 && points[n - 1].t_s == point.t_s && points[n - 1].value == point.value) return;
  if (n >= 2 && points[n - 2].t_s == point.t_s) {
    points[n - 1] = point;
    return;
  }
  points.push_back(point);
}

PiecewiseLinear pointwise_min(const PiecewiseLinear& a, const PiecewiseLinear& b) {
  return combine(
      a, b, [](double x, double y) { return std::min(x, y); }, true);
}

PiecewiseLinear pointwise_max(const PiecewiseLinear& a, const PiecewiseLinear& b) {
  return combine(
      a, b, [](double x, double y) { return std::max(x, y); }, true);
}

PiecewiseLinear positive_difference(const PiecewiseLinear& a, const PiecewiseLinear& b) {
  return combine(
      a, b, [](double x, double y) { return std::max(0.0, x - y); }, true);
}

PiecewiseLinear multiply_by_steps(const PiecewiseLinear& a, const PiecewiseLinear& steps) {
  auto check_linear_after = [&](double t_s) {
    if (steps.right_slope(t_s) != 0.0 && a.right_slope(t_s) != 0.0) {
      throw Error(ErrorKind::internal,
                  fmt::format("multiply_by_steps: both factors vary after t = {} s, so the "
                              "product is not piecewise linear",
                              t_s));
    }
  };
  for (const auto& p : steps.points()) check_linear_after(p.t_s);
  for (const auto& p : a.points()) check_linear_after(p.t_s);
  return combine(
      a, steps, [](double x, double y) { return x * y; }, false);
}

PiecewiseLinear override_where(const PiecewiseLinear& a, const PiecewiseLinear& mask,
                               double level) {
  return combine(
      a, mask, [level](double x, double m) { return m > 0.5 ? level : x; }, false);
}

std::vector<double> merge_edges(std::span<const std::vector<double>> edge_lists) {
  std::vector<double> all;
  for (const auto& list : edge_lists) all.insert(all.end(), list.begin(), list.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

}  // namespace g2g::dynamic

// A piecewise-linear function of time, held exactly by its breakpoints: the common currency of
// profiles (utilisation), smoothing (requested and drawn power) and the integrator's stop times
// (docs/dynamic.md, "Profiles"). No SUNDIALS here: pure values and functions.
#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace g2g::dynamic {

// Physical inputs of the dynamic signal pieces have no default: NaN marks "not given", and the
// checks report it by name.
inline constexpr double not_given = std::numeric_limits<double>::quiet_NaN();

struct Breakpoint {
  double t_s = 0.0;
  double value = 0.0;
};

// f(t) through breakpoints (t_k, v_k), linear between them. Times never decrease; two
// breakpoints at one time are a jump (the first the left limit, the second the value there: f
// is right-continuous), and at most two share a time. Before the first and after the last
// breakpoint f holds the end value. An empty function is zero everywhere.
class PiecewiseLinear {
 public:
  PiecewiseLinear() = default;
  // Throws InvalidInput (subject "breakpoints") for a decreasing or non-finite time, three
  // breakpoints at one time or a non-finite value.
  explicit PiecewiseLinear(std::vector<Breakpoint> points);
  // The constant function `value` over [t0_s, t1_s] (two breakpoints).
  [[nodiscard]] static PiecewiseLinear constant(double value, double t0_s, double t1_s);

  [[nodiscard]] const std::vector<Breakpoint>& points() const noexcept { return points_; }
  [[nodiscard]] bool empty() const noexcept { return points_.empty(); }
  [[nodiscard]] double t_begin_s() const noexcept;  // 0 when empty
  [[nodiscard]] double t_end_s() const noexcept;

  // f(t) (right-continuous at a jump) and the left limit f(t-).
  [[nodiscard]] double value(double t_s) const noexcept;
  // value(t_s), searching from `cursor`, the breakpoint index a previous call left there: O(1)
  // when t moves by a breakpoint or two between calls, as an integrator's times do.
  [[nodiscard]] double value(double t_s, std::size_t& cursor) const noexcept;
  [[nodiscard]] double left_value(double t_s) const noexcept;
  // The slope on the right of t (0 outside the breakpoints).
  [[nodiscard]] double right_slope(double t_s) const noexcept;
  // ∫ f dt from t_a_s to t_b_s, exact (trapezoids between breakpoints); negative if t_b < t_a.
  [[nodiscard]] double integral(double t_a_s, double t_b_s) const noexcept;
  // The distinct breakpoint times in [t_a_s, t_b_s], ascending: where f has a kink or a jump, so
  // an integrator that stops there never steps across one.
  [[nodiscard]] std::vector<double> edges(double t_a_s, double t_b_s) const;
  // The smallest and largest value over all breakpoints (0, 0 when empty).
  [[nodiscard]] double min_value() const noexcept;
  [[nodiscard]] double max_value() const noexcept;

  // The same function restricted to [t0_s, t1_s]: breakpoints inside, plus the values at both
  // ends (a jump exactly at t0 keeps only its right value, at t1 only its left).
  [[nodiscard]] PiecewiseLinear clipped(double t0_s, double t1_s) const;
  // f(t - shift_s): the same shape, later by shift_s.
  [[nodiscard]] PiecewiseLinear shifted(double shift_s) const;

 private:
  // Index of the last breakpoint with t_k <= t (right side of a jump); -1 before the first.
  [[nodiscard]] std::ptrdiff_t last_at_or_before(double t_s) const noexcept;

  std::vector<Breakpoint> points_;
};

// Appends `point` to breakpoints being built in time order: an exact repeat of the last is
// skipped, and a third breakpoint at one time replaces the second (a jump keeps its two ends).
void append_breakpoint(std::vector<Breakpoint>& points, Breakpoint point);

// Pointwise operations whose result is again piecewise linear, computed on the union of both
// operands' breakpoints (jumps of either kept as jumps). min, max and positive_difference also
// add a breakpoint where the operands cross inside an interval, so the result is exact.
[[nodiscard]] PiecewiseLinear pointwise_min(const PiecewiseLinear& a, const PiecewiseLinear& b);
[[nodiscard]] PiecewiseLinear pointwise_max(const PiecewiseLinear& a, const PiecewiseLinear& b);
// max(0, a - b).
[[nodiscard]] PiecewiseLinear positive_difference(const PiecewiseLinear& a,
                                                  const PiecewiseLinear& b);
// a · b where, on every interval between the union's breakpoints, at least one operand is
// constant (a utilisation times a dip factor), so the product stays linear. Throws Error
// (internal) when both vary on one interval: the product would be quadratic.
[[nodiscard]] PiecewiseLinear multiply_by_steps(const PiecewiseLinear& a,
                                                const PiecewiseLinear& steps);
// `mask` is 0 or 1, piecewise constant: where it is 1 the result is `level`, elsewhere a.
[[nodiscard]] PiecewiseLinear override_where(const PiecewiseLinear& a, const PiecewiseLinear& mask,
                                             double level);

// The sorted, distinct union of several edge lists (a network's profiles' stop times).
[[nodiscard]] std::vector<double> merge_edges(std::span<const std::vector<double>> edge_lists);

}  // namespace g2g::dynamic

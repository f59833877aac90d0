// Where the first of several functions of time changes sign within an interval: the Integrator
// locates its marker roots (DaeSystem::marker_roots) with this on IDA's interpolating polynomial,
// outside IDA's own root finding. docs/algorithms/dae.md § Events.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

namespace g2g::dynamic {

// Whether a function went from `from` to `to` through zero: it was not zero, and it is zero
// now or has the other sign. A function that is zero stays out until it leaves zero (as IDA
// treats a root function that is zero where it starts).
[[nodiscard]] constexpr bool crosses(double from, double to) noexcept {
  return from != 0.0 && (to == 0.0 || (from < 0.0) != (to < 0.0));
}

// The functions g_r, r in `watched`, are given at both ends of [t_low_s, t_high_s] (`low`,
// `high`, indexed by r), and at least one of them crosses between the two. Narrows the interval
// around the first crossing, by the Illinois variant of regula falsi on the crossing estimated
// first (bisection after 40 trials), until it is no wider than 100 ε (|t_high| + its width),
// the tolerance of IDA's own root finding. Returns the narrowed t_high: the first time known to
// lie past the crossing. On return `low` and `high` hold the values at the narrowed ends, so
// the functions that crossed there are those with crosses(low[r], high[r]). `evaluate(t, out)`
// writes every g_r at t into `out`; `trial` is its scratch, of the size of `low`.
double locate_first_crossing(double t_low_s, std::vector<double>& low, double t_high_s,
                             std::vector<double>& high, std::span<const std::size_t> watched,
                             std::vector<double>& trial,
                             const std::function<void(double, std::span<double>)>& evaluate);

}  // namespace g2g::dynamic

#include "g2g/reliability/rainflow.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstddef>

#include "g2g/core/error.hpp"

namespace g2g::reliability {
namespace {

RainflowCycle cycle_of(const TurningPoint& a, const TurningPoint& b, double count) {
  const bool a_low = a.value <= b.value;
  const TurningPoint& valley = a_low ? a : b;
  const TurningPoint& peak = a_low ? b : a;
  return {peak.value - valley.value,
          0.5 * (peak.value + valley.value),
          peak.value,
          valley.value,
          count,
          std::abs(peak.t_s - valley.t_s)};
}

}  // namespace

std::vector<TurningPoint> turning_points(std::span<const double> t_s,
                                         std::span<const double> values) {
  if (t_s.size() != values.size())
    throw Error(ErrorKind::invalid_input,
                fmt::format("rainflow: {} times for {} values", t_s.size(), values.size()));
  for (std::size_t i = 1; i < t_s.size(); ++i)
    if (!(t_s[i] >= t_s[i - 1]))
      throw Error(ErrorKind::invalid_input,
                  fmt::format("rainflow: time {} s at sample {} comes before {} s at sample {}",
                              t_s[i], i, t_s[i - 1], i - 1));
  std::vector<TurningPoint> out;
  if (values.empty()) return out;
  out.push_back({t_s[0], values[0]});
  int direction = 0;  // +1 rising, -1 falling, 0 not yet known
  for (std::size_t i = 1; i < values.size(); ++i) {
    const double step = values[i] - out.back().value;
    if (step == 0.0) continue;  // a plateau keeps its first sample
    const int d = step > 0.0 ? 1 : -1;
    // The first move, or a reversal, starts a new point; a move on in the same direction
    // extends the current one (never the first sample: a move has been made).
    if (d == direction)
      out.back() = {t_s[i], values[i]};
    else
      out.push_back({t_s[i], values[i]});
    direction = d;
  }
  return out;
}

std::vector<RainflowCycle> rainflow(std::span<const TurningPoint> points) {
  std::vector<RainflowCycle> cycles;
  std::vector<TurningPoint> stack;
  stack.reserve(points.size());
  for (const TurningPoint& p : points) {
    stack.push_back(p);
    // Four-point rule: with A, B, C, D the last four points, B-C is a closed cycle when its range
    // is inside both neighbours' ranges; B and C leave the stack, D takes their place.
    while (stack.size() >= 4) {
      const std::size_t n = stack.size();
      const TurningPoint& a = stack[n - 4];
      const TurningPoint& b = stack[n - 3];
      const TurningPoint& c = stack[n - 2];
      const TurningPoint& d = stack[n - 1];
      const double bc = std::abs(c.value - b.value);
      if (bc > std::abs(b.value - a.value) || bc > std::abs(d.value - c.value)) break;
      cycles.push_back(cycle_of(b, c, 1.0));
      stack[n - 3] = d;
      stack.resize(n - 2);
    }
  }
  // The residue: each range between consecutive points is half a cycle.
  for (std::size_t i = 1; i < stack.size(); ++i)
    cycles.push_back(cycle_of(stack[i - 1], stack[i], 0.5));
  return cycles;
}

std::vector<RainflowCycle> rainflow(std::span<const double> t_s, std::span<const double> values) {
  const std::vector<TurningPoint> points = turning_points(t_s, values);
  return rainflow(std::span<const TurningPoint>(points));
}

}  // namespace g2g::reliability

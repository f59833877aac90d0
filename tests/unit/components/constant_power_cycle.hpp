// A fixed-step RK4 integration of one state x' = rate(x) until x reaches a target, the last step
// shortened (by secant iteration on its length) to land on the target: the duration is exact to
// the integrator's order. For round-trip cycles at constant terminal power.
#pragma once

#include <cmath>
#include <functional>

namespace g2g::components::checks {

inline double rk4_step(const std::function<double(double)>& rate, double x, double h) {
  const double k1 = rate(x);
  const double k2 = rate(x + 0.5 * h * k1);
  const double k3 = rate(x + 0.5 * h * k2);
  const double k4 = rate(x + h * k3);
  return x + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
}

// Time for x to go from `from` to `to` (either direction) with steps of at most h_s.
inline double time_to_reach(const std::function<double(double)>& rate, double from, double to,
                            double h_s) {
  const double direction = to > from ? 1.0 : -1.0;
  double x = from, t = 0.0;
  while (true) {
    const double next = rk4_step(rate, x, h_s);
    if ((next - to) * direction < 0.0) {
      x = next;
      t += h_s;
      continue;
    }
    // Secant on the last step's length.
    double h0 = 0.0, g0 = x - to, h1 = h_s, g1 = next - to;
    for (int k = 0; k < 50 && std::abs(g1) > 1e-15 * std::abs(to); ++k) {
      const double h2 = h1 - g1 * (h1 - h0) / (g1 - g0);
      h0 = h1;
      g0 = g1;
      h1 = h2;
      g1 = rk4_step(rate, x, h1) - to;
    }
    return t + h1;
  }
}

// Solves g(i) = 0 by Newton with a central-difference slope, from i0.
inline double newton_1d(const std::function<double(double)>& g, double i0) {
  double i = i0;
  for (int k = 0; k < 100; ++k) {
    const double h = 1e-7 * std::max(1.0, std::abs(i));
    const double slope = (g(i + h) - g(i - h)) / (2.0 * h);
    const double step = g(i) / slope;
    i -= step;
    if (std::abs(step) <= 1e-14 * std::max(1.0, std::abs(i))) break;
  }
  return i;
}

}  // namespace g2g::components::checks

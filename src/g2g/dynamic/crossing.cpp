#include "g2g/dynamic/crossing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace g2g::dynamic {

double locate_first_crossing(double t_low_s, std::vector<double>& low, double t_high_s,
                             std::vector<double>& high, std::span<const std::size_t> watched,
                             std::vector<double>& trial,
                             const std::function<void(double, std::span<double>)>& evaluate) {
  constexpr double epsilon = std::numeric_limits<double>::epsilon();
  // Regula falsi converges superlinearly near a simple crossing; bisection bounds the trials
  // when several functions take turns at the estimate.
  constexpr int secant_trials = 40;
  const double tolerance = 100.0 * epsilon * (std::fabs(t_high_s) + (t_high_s - t_low_s));
  // Illinois: an end kept twice in a row has its values halved in the estimate, so that end
  // moves too and the interval shrinks from both sides.
  double weight_low = 1.0;
  double weight_high = 1.0;
  int kept_low = 0;
  int kept_high = 0;
  for (int trials = 0; t_high_s - t_low_s > tolerance; ++trials) {
    double t_s = 0.5 * (t_low_s + t_high_s);
    if (trials < secant_trials) {
      double fraction = 1.0;
      for (const std::size_t r : watched) {
        if (!crosses(low[r], high[r])) continue;
        const double a = weight_low * low[r];
        const double b = weight_high * high[r];
        fraction = std::min(fraction, a / (a - b));
      }
      t_s = t_low_s + fraction * (t_high_s - t_low_s);
    }
    // Strictly inside, so that every trial narrows the interval.
    const double margin = 0.5 * tolerance;
    t_s = std::clamp(t_s, t_low_s + margin, t_high_s - margin);
    evaluate(t_s, trial);
    const bool crossed = std::any_of(watched.begin(), watched.end(),
                                     [&](std::size_t r) { return crosses(low[r], trial[r]); });
    if (crossed) {
      t_high_s = t_s;
      std::swap(high, trial);
      weight_high = 1.0;
      kept_high = 0;
      if (++kept_low >= 2) weight_low *= 0.5;
    } else {
      t_low_s = t_s;
      std::swap(low, trial);
      weight_low = 1.0;
      kept_low = 0;
      if (++kept_high >= 2) weight_high *= 0.5;
    }
  }
  return t_high_s;
}

}  // namespace g2g::dynamic

#include "g2g/fab/die_count.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace g2g::fab {

double gross_die_formula(const WaferGeometry& wafer, const DieGeometry& die) noexcept {
  const double d = wafer.usable_diameter_m();
  const double a = die.step_area_m2();
  if (!(d > 0.0) || !(a > 0.0)) return 0.0;
  return std::numbers::pi * d * d / (4.0 * a) - std::numbers::pi * d / std::sqrt(2.0 * a);
}

long count_dies(const WaferGeometry& wafer, const DieGeometry& die, Placement placement) noexcept {
  const double r = 0.5 * wafer.usable_diameter_m();
  const double w = die.width_m;
  const double h = die.height_m;
  const double px = w + die.scribe_m;
  const double py = h + die.scribe_m;
  if (!(r > 0.0) || !(w > 0.0) || !(h > 0.0) || !(px > 0.0) || !(py > 0.0)) return 0;
  // A tolerance far below any die size, so that a die touching the circle counts once.
  const double eps = 1e-12 * r;
  const long i_min = static_cast<long>(std::floor((-r - placement.offset_x_m) / px));
  const long i_max = static_cast<long>(std::ceil((r - placement.offset_x_m) / px));
  long total = 0;
  for (long i = i_min; i <= i_max; ++i) {
    const double x0 = placement.offset_x_m + static_cast<double>(i) * px;
    if (x0 < -r - eps || x0 + w > r + eps) continue;
    // The column's narrowest chord is at its edge farthest from the centre.
    const double x_far = std::max(std::abs(x0), std::abs(x0 + w));
    const double c2 = r * r - x_far * x_far;
    if (c2 < 0.0) continue;
    const double c = std::sqrt(c2);
    const double j_lo = std::ceil((-c - placement.offset_y_m) / py - 1e-9);
    const double j_hi = std::floor((c - h - placement.offset_y_m) / py + 1e-9);
    if (j_hi >= j_lo) total += static_cast<long>(j_hi - j_lo) + 1;
  }
  return total;
}

DieCount count_dies_best(const WaferGeometry& wafer, const DieGeometry& die, int steps) noexcept {
  DieCount out;
  const double px = die.width_m + die.scribe_m;
  const double py = die.height_m + die.scribe_m;
  const auto wrap = [](double v, double p) { return v - p * std::floor(v / p); };
  const Placement centred{wrap(-0.5 * die.width_m, px), wrap(-0.5 * die.height_m, py)};
  const Placement corner{wrap(0.5 * die.scribe_m, px), wrap(0.5 * die.scribe_m, py)};
  out.die_centred = count_dies(wafer, die, centred);
  out.corner_centred = count_dies(wafer, die, corner);
  out.best = out.die_centred;
  out.best_placement = centred;
  if (out.corner_centred > out.best) {
    out.best = out.corner_centred;
    out.best_placement = corner;
  }
  // Each count walks every column: keep the search within about 2e7 column visits, so that a
  // tiny die on a large wafer stays interactive; offsets_searched reports what was done.
  const double columns = std::max(1.0, wafer.usable_diameter_m() / px + 2.0);
  const int affordable = static_cast<int>(std::sqrt(2e7 / columns));
  steps = std::clamp(std::min(steps, affordable), 1, std::max(steps, 1));
  for (int a = 0; a < steps; ++a) {
    for (int b = 0; b < steps; ++b) {
      const Placement p{px * a / steps, py * b / steps};
      const long n = count_dies(wafer, die, p);
      if (n > out.best) {
        out.best = n;
        out.best_placement = p;
      }
    }
  }
  out.offsets_searched = steps * steps + 2;
  return out;
}

}  // namespace g2g::fab

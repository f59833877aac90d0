// Rainflow cycle counting (ASTM E1049-85, section 5.4.4), by the four-point method on the
// sequence's turning points, with the residue counted as half cycles (docs/reliability.md,
// "Lifetime"). Pure functions: the values are in any unit (kelvin for a junction temperature), the
// times in seconds.
#pragma once

#include <span>
#include <vector>

namespace g2g::reliability {

// One counted cycle (count 1) or half cycle (count 0.5), in the units of the counted values.
struct RainflowCycle {
  double range = 0.0;  // max - min (delta T_j for a junction temperature)
  double mean = 0.0;   // (max + min) / 2
  double max = 0.0;    // the cycle's peak (T_j,max)
  double min = 0.0;    // the cycle's valley (T_j,min)
  double count = 1.0;  // 1 for a closed cycle, 0.5 for a residual half cycle
  // The time between the cycle's valley and its peak turning point: the heating time t_on of a
  // power cycle.
  double heating_time_s = 0.0;
};

struct TurningPoint {
  double t_s = 0.0;
  double value = 0.0;
};

// The peaks and valleys of a sequence, with its first and last samples. A plateau keeps its first
// sample (where the extreme was reached). t_s must be sorted; values and t_s of equal size.
[[nodiscard]] std::vector<TurningPoint> turning_points(std::span<const double> t_s,
                                                       std::span<const double> values);

// The rainflow cycles of a sequence: closed cycles as the four-point method extracts them (in that
// order), then the residue's half cycles in time order. Linear in the sequence length. Throws
// invalid input when the sizes differ or the times are not sorted.
[[nodiscard]] std::vector<RainflowCycle> rainflow(std::span<const double> t_s,
                                                  std::span<const double> values);

// The same on turning points already reduced (consecutive points must alternate in direction).
[[nodiscard]] std::vector<RainflowCycle> rainflow(std::span<const TurningPoint> points);

}  // namespace g2g::reliability

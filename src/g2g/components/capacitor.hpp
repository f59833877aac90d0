// Bus and DC-link capacitance with its equivalent series resistance, and the supercapacitor
// (the same series R-C branch). docs/algorithms/dae.md § Component equations.
#pragma once

#include "g2g/components/dae_stamp.hpp"

namespace g2g::components {

// A series R-C branch between nodes p and n (n is ground for a bus capacitor):
// x = [v_p, v_n, v_c, i], i flowing p -> n through the branch, v_c across the ideal C.
//   row v_p:  F = i
//   row v_n:  F = -i
//   row v_c:  F = -i,                     Q = C v_c      (C dv_c/dt = i)
//   row i:    F = R i + v_c - (v_p - v_n)                 (the ESR's Ohm's law; R may be 0)
struct SeriesRc {
  double c_f = 0.0;
  double esr_ohm = 0.0;
};
[[nodiscard]] Stamp<4> series_rc_stamp(const SeriesRc& rc, const std::array<double, 4>& x) noexcept;

// The same branch with its current eliminated, for R > 0 (one unknown fewer per capacitor in a
// network): x = [v_p, v_n, v_c], i = (v_p - v_n - v_c) / R.
//   row v_p:  F = i
//   row v_n:  F = -i
//   row v_c:  F = -i,   Q = C v_c
[[nodiscard]] inline Stamp<3> esr_capacitor_stamp(const SeriesRc& rc,
                                                  const std::array<double, 3>& x) noexcept {
  const auto [v_p, v_n, v_c] = x;
  const double g = 1.0 / rc.esr_ohm;
  const double i = g * (v_p - v_n - v_c);
  // Every entry given, the zeros too: a default-initialised Stamp costs a memset per call.
  return {.f = {i, -i, -i},
          .q = {0.0, 0.0, rc.c_f * v_c},
          .df_dx = {{{g, -g, -g}, {-g, g, g}, {-g, g, g}}},
          .dq_dx = {{{0.0, 0.0, 0.0}, {0.0, 0.0, 0.0}, {0.0, 0.0, rc.c_f}}}};
}

// Energy on the capacitor, C v_c^2 / 2.
[[nodiscard]] inline double series_rc_energy_j(const SeriesRc& rc, double v_c_v) noexcept {
  return 0.5 * rc.c_f * v_c_v * v_c_v;
}

// A supercapacitor is C plus ESR: the series R-C branch above.
using Supercapacitor = SeriesRc;

// Round-trip efficiency of a supercapacitor charged at constant terminal power P from v_min to
// v_max (capacitor voltage), then discharged at the same P back to v_min. With a = 4 R P the
// branch current is i(v) = (sqrt(v^2 + a) - v) / 2R charging and (v - sqrt(v^2 - a)) / 2R
// discharging, and each leg lasts C int dv / i(v); the efficiency is the ratio of the two times
// (equal terminal power), in closed form:
//   eta = [v^2/2 + v sqrt(v^2 - a)/2 - a/2 ln(v + sqrt(v^2 - a))] / [v^2/2 + v sqrt(v^2 + a)/2
//         + a/2 ln(v + sqrt(v^2 + a))], each bracket taken from v_min to v_max.
// C cancels. Needs v_min^2 >= 4 R P (else P cannot be drawn at v_min); returns 0 when it cannot.
[[nodiscard]] double supercapacitor_round_trip_efficiency(double esr_ohm, double power_w,
                                                          double v_min_v, double v_max_v) noexcept;

}  // namespace g2g::components

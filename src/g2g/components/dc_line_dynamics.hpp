// The loop inductance of DC cables and busbars, and the R-L loop as a DAE branch. The loop is
// both poles together (go and return), as line_resistance_ohm's DC resistance is.
// docs/algorithms/dae.md § Component equations.
#pragma once

#include "g2g/components/dae_stamp.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::components {

inline constexpr double mu0_h_per_m = 1.25663706212e-6;  // CODATA 2018 vacuum permeability

// Default loop inductance when no geometry is given, from the default AC reactance per conductor
// at 50 Hz that the loader already uses for reactance_per_length (model/builder.cpp): 0.08
// mOhm/m for cables, 0.15 mOhm/m for busbars, the IEC 60364-5-52 values as coded in
// TomLXXVI/python-electric (CABLE_UNIT_REACTANCES), shared/reference/conductors.md §4. As an
// inductance X / (2 pi 50 Hz) per conductor, two conductors in the loop: 0.509 uH/m (cable),
// 0.955 uH/m (busbar). Overhead lines take the cable value.
inline constexpr double default_cable_reactance_ohm_per_m = 0.08e-3;
inline constexpr double default_busbar_reactance_ohm_per_m = 0.15e-3;
inline constexpr double default_reactance_frequency_hz = 50.0;
[[nodiscard]] double default_loop_inductance_h_per_m(model::LineType type) noexcept;

// Two round conductors of radius r at axis spacing d (d > r), currents opposed:
// L' = (mu0 / pi) (ln(d / r) + 1/4), the 1/4 being the internal inductance of two solid round
// conductors at DC (uniform current). It equals twice the BICC Electric Cables Handbook
// per-conductor formula L = K + 0.2 ln(2S/d) mH/km with K = 0.05 (solid conductor).
[[nodiscard]] double round_pair_loop_inductance_h_per_m(double radius_m,
                                                        double axis_spacing_m) noexcept;

// Two identical rectangular bars (width w, thickness t) at centre spacing D, go and return, the
// geometric-mean-distance method: L' = (mu0 / pi) ln(D / g), with g = 0.2235 (w + t) the self
// GMD of a rectangle (Grover, "Inductance Calculations", 1946, table 1 and eq. for rectangles;
// exact to 0.5 %) and the mutual GMD taken as D, which holds within 1 % once D exceeds about
// twice the larger of w and t (tests/unit/components/test_dc_line_dynamics.cpp measures it).
[[nodiscard]] double busbar_pair_loop_inductance_h_per_m(double width_m, double thickness_m,
                                                         double centre_spacing_m) noexcept;

// Two flat bars stacked face to face (laminated busbar), width w, each of thickness t, gap s,
// w >> s + t: the field I/w fills the gap and falls linearly to zero across each bar, so the
// stored energy per length gives L' = mu0 (s + 2t/3) / w (edge fringing neglected; it lowers the
// true value by a few % at w = 20 (s + t), see the test).
[[nodiscard]] double laminated_busbar_loop_inductance_h_per_m(double width_m, double thickness_m,
                                                              double gap_m) noexcept;

// The loop's series R-L: x = [v_from, v_to, i], i flowing from -> to through both poles.
//   row v_from:  F = i                       (current leaving 'from' into the line)
//   row v_to:    F = -i
//   row i:       F = R i - (v_from - v_to),  Q = L i     (R i + L di/dt = v_from - v_to)
struct RlLoop {
  double r_ohm = 0.0;
  double l_h = 0.0;
};
[[nodiscard]] inline Stamp<3> rl_loop_stamp(const RlLoop& loop,
                                            const std::array<double, 3>& x) noexcept {
  const auto [v_from, v_to, i] = x;
  // Every entry given, the zeros too: a default-initialised Stamp costs a memset per call.
  return {.f = {i, -i, loop.r_ohm * i - (v_from - v_to)},
          .q = {0.0, 0.0, loop.l_h * i},
          .df_dx = {{{0.0, 0.0, 1.0}, {0.0, 0.0, -1.0}, {-1.0, 1.0, loop.r_ohm}}},
          .dq_dx = {{{0.0, 0.0, 0.0}, {0.0, 0.0, 0.0}, {0.0, 0.0, loop.l_h}}}};
}

// Energy in the loop's magnetic field, L i^2 / 2.
[[nodiscard]] inline double rl_loop_energy_j(const RlLoop& loop, double i_a) noexcept {
  return 0.5 * loop.l_h * i_a * i_a;
}

}  // namespace g2g::components

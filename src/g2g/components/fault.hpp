// A pole-to-pole DC fault as a DAE branch, at a bus or part-way along a line's R-L loop
// (docs/algorithms/dae.md § Faults). The fault is present from the start with its own current
// unknown, so the Jacobian's pattern never changes: before its inception (and after it clears)
// its equation holds its current at zero; while active, v - R i_f = 0 ties the faulted point's
// voltage to its current. R = 0 (a bolted fault) is the algebraic constraint v = 0.
#pragma once

#include "g2g/components/dae_stamp.hpp"
#include "g2g/components/dc_line_dynamics.hpp"

namespace g2g::components {

// A fault at a bus: x = [v, i_f], i_f flowing from the positive pole to the negative one.
//   row v:    F = i_f                        (current leaving the node into the fault)
//   row i_f:  active: F = v - R i_f          inactive: F = i_f
// i_f is algebraic: a bus fault's current may jump (the bus's capacitance feeds it at once).
[[nodiscard]] inline Stamp<2> bus_fault_stamp(double r_ohm, bool active,
                                              const std::array<double, 2>& x) noexcept {
  const auto [v, i_f] = x;
  if (active)
    return {.f = {i_f, v - r_ohm * i_f},
            .q = {0.0, 0.0},
            .df_dx = {{{0.0, 1.0}, {1.0, -r_ohm}}},
            .dq_dx = {{{0.0, 0.0}, {0.0, 0.0}}}};
  return {.f = {i_f, i_f},
          .q = {0.0, 0.0},
          .df_dx = {{{0.0, 1.0}, {0.0, 1.0}}},
          .dq_dx = {{{0.0, 0.0}, {0.0, 0.0}}}};
}

// A fault part-way along a line: its loop split at the fault point f into `a` (from -> f) and
// `b` (f -> to), x = [v_from, v_to, v_f, i_a, i_f], i_a the current in part a, i_f into the
// fault, so part b carries i_b = i_a - i_f. Both parts have inductance, so i_f is a differential
// unknown, continuous at inception. Each row carries its own unknown's derivative (the
// semi-explicit form the small-signal check needs): part a's loop is i_a's row, part b's i_f's,
// and v_f's row is algebraic:
//   row v_from:  F = i_a
//   row v_to:    F = -i_b
//   row v_f:     active:   F = v_f - R i_f
//                inactive: F = v_f - (L_b (v_from - R_a i_a) + L_a (v_to + R_b i_b)) / (L_a + L_b)
//   row i_a:     F = R_a i_a - (v_from - v_f),   Q = L_a i_a      (part a's loop)
//   row i_f:     F = R_b i_b - (v_f - v_to),     Q = L_b i_b      (part b's loop)
// Inactive, v_f's row is L_b times a's loop minus L_a times b's with i_f' = 0: the two loops then
// give i_f' = 0, so i_f stays at zero (the plain "i_f = 0" would leave v_f determined only
// through i_a', an index-2 system). Needs L_a + L_b > 0.
[[nodiscard]] inline Stamp<5> line_fault_stamp(const RlLoop& a, const RlLoop& b, double r_ohm,
                                               bool active,
                                               const std::array<double, 5>& x) noexcept {
  const auto [v_from, v_to, v_f, i_a, i_f] = x;
  const double i_b = i_a - i_f;
  Stamp<5> s{.f = {i_a, -i_b, 0.0, a.r_ohm * i_a - (v_from - v_f), b.r_ohm * i_b - (v_f - v_to)},
             .q = {0.0, 0.0, 0.0, a.l_h * i_a, b.l_h * i_b},
             .df_dx = {{{0.0, 0.0, 0.0, 1.0, 0.0},
                        {0.0, 0.0, 0.0, -1.0, 1.0},
                        {0.0, 0.0, 0.0, 0.0, 0.0},
                        {-1.0, 0.0, 1.0, a.r_ohm, 0.0},
                        {0.0, 1.0, -1.0, b.r_ohm, -b.r_ohm}}},
             .dq_dx = {{{0.0, 0.0, 0.0, 0.0, 0.0},
                        {0.0, 0.0, 0.0, 0.0, 0.0},
                        {0.0, 0.0, 0.0, 0.0, 0.0},
                        {0.0, 0.0, 0.0, a.l_h, 0.0},
                        {0.0, 0.0, 0.0, b.l_h, -b.l_h}}}};
  if (active) {
    s.f[2] = v_f - r_ohm * i_f;
    s.df_dx[2] = {0.0, 0.0, 1.0, 0.0, -r_ohm};
  } else {
    const double wa = a.l_h / (a.l_h + b.l_h);  // L_a / (L_a + L_b)
    const double wb = 1.0 - wa;
    s.f[2] = v_f - wb * (v_from - a.r_ohm * i_a) - wa * (v_to + b.r_ohm * i_b);
    s.df_dx[2] = {-wb, -wa, 1.0, wb * a.r_ohm - wa * b.r_ohm, wa * b.r_ohm};
  }
  return s;
}

// A line's loop split at `at` (0 to 1 from its `from` end): R and L in proportion.
[[nodiscard]] inline std::array<RlLoop, 2> split_loop(const RlLoop& loop, double at) noexcept {
  return {RlLoop{at * loop.r_ohm, at * loop.l_h},
          RlLoop{(1.0 - at) * loop.r_ohm, (1.0 - at) * loop.l_h}};
}

// An ideal interruption of a line fault's current: the two parts' currents become equal at
// once, the flux L_a i_a + L_b i_b conserved (the arc's voltage impulse acts on both). Returns
// the common current and the magnetic energy the interruption dissipates,
// L_a L_b (i_a - i_b)^2 / (2 (L_a + L_b)).
struct Interruption {
  double i_a = 0.0;
  double energy_j = 0.0;
};
[[nodiscard]] inline Interruption interrupt_line_fault(const RlLoop& a, const RlLoop& b, double i_a,
                                                       double i_f) noexcept {
  const double l_h = a.l_h + b.l_h;
  const double i_b = i_a - i_f;
  if (!(l_h > 0.0)) return {i_a, 0.0};
  return {(a.l_h * i_a + b.l_h * i_b) / l_h, 0.5 * a.l_h * b.l_h * i_f * i_f / l_h};
}

}  // namespace g2g::components

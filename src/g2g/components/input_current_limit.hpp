// A converter's input current limit, for the time-domain DAE (docs/algorithms/dae.md § Converter
// input current limit). A converter draws its output power plus its loss from its input, so as
// its input voltage collapses a constant-power converter's input current grows as P / v_in
// without bound, and a faulted bus of such converters has no solution. A real converter's
// current limit protects switches that carry both its input and its output current: it draws at
// most i_in_max from its input, and its output power is what that input power leaves after the
// loss. In the loop this is a second upper bound on the output current,
//   i <= p_out_max(v_in) / v_out,   p_out_max + loss(p_out_max) = v_in i_in_max,
// beside the output limit i_max, so that the input never draws more than i_in_max and the
// converter's power balance (input = output + loss) holds at every point.
#pragma once

#include <algorithm>
#include <array>

#include "g2g/components/converter_control.hpp"
#include "g2g/components/converter_loss.hpp"
#include "g2g/components/dae_stamp.hpp"

namespace g2g::components {

// The functions of the loop's input bound are inline, as the other stamps: the DAE calls them
// for every converter in every residual evaluation.

// The output power whose input power (output plus the curve's loss) is p_in_w: the inverse of
// p -> p + loss(p) on p >= 0, and its derivative (EfficiencyCurveLoss::output_for_input). 0
// (derivative 0) when p_in_w does not cover the no-load loss.
using OutputForInput = EfficiencyCurveLoss::OutputAt;
[[nodiscard]] inline OutputForInput output_for_input(const EfficiencyCurveLoss& loss,
                                                     double p_in_w) noexcept {
  return loss.output_for_input(p_in_w);
}

// The input current limit a converter gets from its output current limit: the input current it
// draws when its output carries i_out_max_a at nominal output voltage and its input is at
// nominal voltage, (p + loss(p)) / v_in_nominal with p = i_out_max_a v_out_nominal. For a DC
// transformer (a fixed conversion ratio M, I_in = M I_out: Erickson and Maksimovic,
// "Fundamentals of Power Electronics", 3rd ed. 2020, § 3.1, the DC transformer model) this is
// the output limit seen at the input, loss included; the output limit still binds first at
// nominal input voltage.
[[nodiscard]] double input_current_limit_a(const EfficiencyCurveLoss& loss, double i_out_max_a,
                                           double v_out_nominal_v, double v_in_nominal_v) noexcept;

// The PI loop's upper current bound min(i_max, p_out_max(v_in) / v_out) and its derivatives.
// At v_out <= 0 the input cannot bind (any current delivers no power): i_max.
struct CurrentBound {
  double i_a = 0.0;
  double di_dv_out = 0.0;
  double di_dv_in = 0.0;
  double p_out_max_w = 0.0;  // p_out_max(v_in)
};
[[nodiscard]] inline CurrentBound input_current_bound(const EfficiencyCurveLoss& loss,
                                                      double i_in_max_a, double i_max_a,
                                                      double v_in_v, double v_out_v) noexcept {
  const OutputForInput o = output_for_input(loss, std::max(v_in_v, 0.0) * i_in_max_a);
  CurrentBound b{.i_a = i_max_a, .di_dv_out = 0.0, .di_dv_in = 0.0, .p_out_max_w = o.p_out_w};
  if (v_out_v > 0.0 && o.p_out_w < i_max_a * v_out_v) {
    b.i_a = o.p_out_w / v_out_v;
    b.di_dv_out = -o.p_out_w / (v_out_v * v_out_v);
    b.di_dv_in = v_in_v > 0.0 ? o.dp_out_dp_in * i_in_max_a / v_out_v : 0.0;
  }
  return b;
}

// The loop's output current clamped to [-i_max, bound]; di_dv_in is its derivative by v_in.
struct BoundedLoopCurrent {
  LoopCurrent c;
  double di_dv_in = 0.0;
};
[[nodiscard]] inline BoundedLoopCurrent pi_loop_current(const PiVoltageLoop& loop, double v,
                                                        double z,
                                                        const CurrentBound& bound) noexcept {
  BoundedLoopCurrent out{pi_loop_current(loop, v, z), 0.0};
  if (bound.i_a < loop.i_max_a && out.c.i_unlimited_a > bound.i_a) {
    out.c.i_a = bound.i_a;
    out.c.di_dv = bound.di_dv_out;
    out.c.di_dz = 0.0;
    out.c.limited = true;
    out.di_dv_in = bound.di_dv_in;
  }
  return out;
}

// pi_voltage_loop_stamp with the input bound, x = [v, z, v_in]: rows v and z as there, the
// third row empty (the converter's input current is stamped with its input power). The
// bound's kink is a state event (input_limit_root).
[[nodiscard]] inline Stamp<3> pi_voltage_loop_stamp(const PiVoltageLoop& loop,
                                                    const CurrentBound& bound,
                                                    const std::array<double, 3>& x) noexcept {
  const auto [v, z, v_in] = x;
  (void)v_in;  // enters through the bound
  const BoundedLoopCurrent b = pi_loop_current(loop, v, z, bound);
  const LoopCurrent& c = b.c;
  const double ki = loop.gains.ki_a_per_v_s;
  const double e = loop.v_ref_v - loop.r_droop_ohm * c.i_a - v;
  const double de_dv = -loop.r_droop_ohm * c.di_dv - 1.0;
  const double de_dz = -loop.r_droop_ohm * c.di_dz;
  const double de_dv_in = -loop.r_droop_ohm * b.di_dv_in;
  const double back = 1.0 / loop.tracking_time_s;
  return {.f = {-c.i_a, -(ki * e + back * (c.i_a - c.i_unlimited_a)), 0.0},
          .q = {0.0, z, 0.0},
          .df_dx = {{{-c.di_dv, -c.di_dz, -b.di_dv_in},
                     {-(ki * de_dv + back * (c.di_dv - c.di_unlimited_dv)),
                      -(ki * de_dz + back * (c.di_dz - c.di_unlimited_dz)),
                      -(ki * de_dv_in + back * b.di_dv_in)},
                     {0.0, 0.0, 0.0}}},
          .dq_dx = {{{0.0, 0.0, 0.0}, {0.0, 1.0, 0.0}, {0.0, 0.0, 0.0}}}};
}

// Crosses zero where the input bound starts or stops holding the current:
// v_out min(i_unlimited, i_max) - p_out_max(v_in), i_unlimited from pi_loop_current (which the
// caller has already for the loop's current-limit roots).
[[nodiscard]] inline double input_limit_root(const PiVoltageLoop& loop, double i_unlimited_a,
                                             const CurrentBound& bound, double v) noexcept {
  return v * std::min(i_unlimited_a, loop.i_max_a) - bound.p_out_max_w;
}

// The input current (A) of a running converter delivering p_out_w with this loss at v_in, at
// most i_in_max_a (> 0; 0: no limit), and its derivatives by v_in and by p_out.
struct InputCurrent {
  double i_a = 0.0;
  double di_dv_in = 0.0;
  double di_dp_out = 0.0;
};
[[nodiscard]] inline InputCurrent input_current(const EfficiencyCurveLoss& loss, double i_in_max_a,
                                                double p_out_w, double v_in_v) noexcept {
  const LossAt at = loss.at(p_out_w);
  const double p_in_w = p_out_w + at.loss_w;
  // At the limit (the bound holds the output there) the current is the limit, whatever v_in:
  // its derivatives by v_in and by the output vanish together (p_out follows v_in).
  if (i_in_max_a > 0.0 && !(p_in_w < v_in_v * i_in_max_a)) return {i_in_max_a, 0.0, 0.0};
  return {p_in_w / v_in_v, -p_in_w / (v_in_v * v_in_v), (1.0 + at.dloss_dp) / v_in_v};
}

}  // namespace g2g::components

#include "g2g/components/input_current_limit.hpp"

#include <algorithm>
#include <cmath>

namespace g2g::components {

OutputForInput output_for_input(const EfficiencyCurveLoss& loss, double p_in_w) noexcept {
  return loss.output_for_input(p_in_w);
}

double input_current_limit_a(const EfficiencyCurveLoss& loss, double i_out_max_a,
                             double v_out_nominal_v, double v_in_nominal_v) noexcept {
  const double p_w = i_out_max_a * v_out_nominal_v;
  return (p_w + loss.at(p_w).loss_w) / v_in_nominal_v;
}

CurrentBound input_current_bound(const EfficiencyCurveLoss& loss, double i_in_max_a, double i_max_a,
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

BoundedLoopCurrent pi_loop_current(const PiVoltageLoop& loop, double v, double z,
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

Stamp<3> pi_voltage_loop_stamp(const PiVoltageLoop& loop, const CurrentBound& bound,
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

double input_limit_root(const PiVoltageLoop& loop, const CurrentBound& bound, double v,
                        double z) noexcept {
  const double i_u = pi_loop_current(loop, v, z).i_unlimited_a;
  return v * std::min(i_u, loop.i_max_a) - bound.p_out_max_w;
}

InputCurrent input_current(const EfficiencyCurveLoss& loss, double i_in_max_a, double p_out_w,
                           double v_in_v) noexcept {
  const LossAt at = loss.at(p_out_w);
  const double p_in_w = p_out_w + at.loss_w;
  // At the limit (the bound holds the output there) the current is the limit, whatever v_in:
  // its derivatives by v_in and by the output vanish together (p_out follows v_in).
  if (i_in_max_a > 0.0 && !(p_in_w < v_in_v * i_in_max_a)) return {i_in_max_a, 0.0, 0.0};
  return {p_in_w / v_in_v, -p_in_w / (v_in_v * v_in_v), (1.0 + at.dloss_dp) / v_in_v};
}

}  // namespace g2g::components

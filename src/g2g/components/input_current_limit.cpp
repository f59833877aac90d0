#include "g2g/components/input_current_limit.hpp"

namespace g2g::components {

double input_current_limit_a(const EfficiencyCurveLoss& loss, double i_out_max_a,
                             double v_out_nominal_v, double v_in_nominal_v) noexcept {
  const double p_w = i_out_max_a * v_out_nominal_v;
  return (p_w + loss.at(p_w).loss_w) / v_in_nominal_v;
}

}  // namespace g2g::components

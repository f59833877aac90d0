// Converter loss as a function of output power, from a load-dependent efficiency curve.
// The curve's points are turned into (output power, loss) points once; between them the loss is
// interpolated linearly, so the loss is exact at every given point and continuous everywhere.
#pragma once

#include <vector>

#include "g2g/model/spec.hpp"

namespace g2g::components {

struct LossAt {
  double loss_w = 0.0;
  double dloss_dp = 0.0;  // d(loss)/d(output power)
};

class EfficiencyCurveLoss {
 public:
  // Below the first point the loss falls linearly to the no-load loss, which is the first
  // segment extrapolated to zero output (clamped to [0, first loss]); a single point means
  // loss proportional to power. Above the last point the last segment is extended.
  EfficiencyCurveLoss(const std::vector<model::EfficiencyPoint>& curve, double rating_w);

  // Loss at output power p_out_w. Reverse flow (negative p_out_w) has the loss of |p_out_w|.
  [[nodiscard]] LossAt at(double p_out_w) const noexcept;

 private:
  std::vector<double> p_w_;     // output power, ascending, starting at 0
  std::vector<double> loss_w_;  // loss at p_w_
};

}  // namespace g2g::components

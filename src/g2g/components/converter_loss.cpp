#include "g2g/components/converter_loss.hpp"

#include <algorithm>
#include <cmath>

namespace g2g::components {

EfficiencyCurveLoss::EfficiencyCurveLoss(const std::vector<model::EfficiencyPoint>& curve,
                                         double rating_w) {
  std::vector<double> p;
  std::vector<double> loss;
  for (const auto& point : curve) {
    const double p_out_w = point.load_fraction * rating_w;
    if (p_out_w <= 0.0) continue;  // efficiency at zero output is undefined
    p.push_back(p_out_w);
    loss.push_back(p_out_w * (1.0 / point.efficiency - 1.0));
  }
  p_w_.push_back(0.0);
  if (p.empty()) {  // no usable point: lossless
    loss_w_.push_back(0.0);
    p_w_.push_back(1.0);
    loss_w_.push_back(0.0);
    return;
  }
  if (p.size() == 1) {
    loss_w_.push_back(0.0);
  } else {
    const double slope = (loss[1] - loss[0]) / (p[1] - p[0]);
    loss_w_.push_back(std::clamp(loss[0] - slope * p[0], 0.0, loss[0]));
  }
  p_w_.insert(p_w_.end(), p.begin(), p.end());
  loss_w_.insert(loss_w_.end(), loss.begin(), loss.end());
}

LossAt EfficiencyCurveLoss::at(double p_out_w) const noexcept {
  const double sign = p_out_w < 0.0 ? -1.0 : 1.0;
  const double p = std::fabs(p_out_w);
  // Segment k spans [p_w_[k], p_w_[k+1]]; the last one is extended beyond the curve.
  const auto upper = std::upper_bound(p_w_.begin() + 1, p_w_.end() - 1, p);
  const std::size_t k = static_cast<std::size_t>(upper - p_w_.begin()) - 1;
  const double slope = (loss_w_[k + 1] - loss_w_[k]) / (p_w_[k + 1] - p_w_[k]);
  return {loss_w_[k] + slope * (p - p_w_[k]), sign * slope};
}

}  // namespace g2g::components

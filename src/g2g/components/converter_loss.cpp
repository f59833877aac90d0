#include "g2g/components/converter_loss.hpp"

#include <algorithm>
#include <cmath>

namespace g2g::components {

EfficiencyCurveLoss::EfficiencyCurveLoss(const std::vector<model::EfficiencyPoint>& curve,
                                         double rating_w, double standby_loss_w)
    : standby_loss_w_(standby_loss_w) {
  // Points at zero output are skipped: efficiency there is undefined.
  auto p_out_w = [rating_w](const model::EfficiencyPoint& point) {
    return point.load_fraction * rating_w;
  };
  auto loss_w = [](const model::EfficiencyPoint& point, double p_w) {
    return p_w * (1.0 / point.efficiency - 1.0);
  };
  std::size_t usable = 0;
  std::array<Point, 2> first{};  // the first two usable points, for the no-load loss
  for (const auto& point : curve) {
    const double p = p_out_w(point);
    if (p <= 0.0) continue;
    if (usable < first.size()) first[usable] = {p, loss_w(point, p)};
    ++usable;
  }
  if (usable + 1 > inline_points) heap_.reserve(usable + 1);
  if (usable == 0) {  // no usable point: lossless
    add({0.0, 0.0});
    add({1.0, 0.0});
  } else {
    if (usable == 1) {
      add({0.0, 0.0});
    } else {
      const double slope = (first[1].loss_w - first[0].loss_w) / (first[1].p_w - first[0].p_w);
      add({0.0, std::clamp(first[0].loss_w - slope * first[0].p_w, 0.0, first[0].loss_w)});
    }
    for (const auto& point : curve) {
      const double p = p_out_w(point);
      if (p > 0.0) add({p, loss_w(point, p)});
    }
  }
  const std::span<const Point> points = this->points();
  input_rises_ = true;
  for (std::size_t k = 0; k + 1 < points.size(); ++k)
    input_rises_ = input_rises_ && rise(points[k], points[k + 1]) > 0.0 &&
                   points[k + 1].p_w + points[k + 1].loss_w >= points[k].p_w + points[k].loss_w;
}

void EfficiencyCurveLoss::add(Point point) {
  point.loss_w += standby_loss_w_;
  if (heap_.capacity() > 0) {
    heap_.push_back(point);
  } else {
    inline_[count_++] = point;
  }
}

}  // namespace g2g::components

// Converter loss as a function of output power, from a load-dependent efficiency curve.
// The curve's points are turned into (output power, loss) points once; between them the loss is
// interpolated linearly, so the loss is exact at every given point and continuous everywhere.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <span>
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
  // `rating_w` is the output power at load fraction 1 (all installed units); a standby loss,
  // drawn at any output, is added to every point.
  EfficiencyCurveLoss(const std::vector<model::EfficiencyPoint>& curve, double rating_w,
                      double standby_loss_w = 0.0);

  // Loss at output power p_out_w. Reverse flow (negative p_out_w) has the loss of |p_out_w|.
  [[nodiscard]] LossAt at(double p_out_w) const noexcept;

  // The output power p >= 0 whose input power p + loss(p) is p_in_w, and dp/dp_in: the inverse
  // of a piecewise-linear function, exact segment by segment (the first segment that reaches
  // p_in_w). {0, 0} when p_in_w does not exceed the no-load loss.
  struct OutputAt {
    double p_out_w = 0.0;
    double dp_out_dp_in = 0.0;
  };
  [[nodiscard]] OutputAt output_for_input(double p_in_w) const noexcept;

 private:
  struct Point {
    double p_w = 0.0;     // output power, ascending, starting at 0
    double loss_w = 0.0;  // loss at p_w
  };
  // A network has one curve per converter, tens of thousands of them in a large one. Curves
  // rarely have more than five points (plus the one added at zero output), so those are kept in
  // the object and building a converter allocates nothing; longer curves go to the heap.
  static constexpr std::size_t inline_points = 6;

  void add(Point point);
  [[nodiscard]] std::span<const Point> points() const noexcept;
  // d(p + loss)/dp on the segment from a to b, and the output power on that segment whose
  // input power is p_in_w.
  [[nodiscard]] static double rise(const Point& a, const Point& b) noexcept {
    return 1.0 + (b.loss_w - a.loss_w) / (b.p_w - a.p_w);
  }
  [[nodiscard]] static OutputAt on_segment(const Point& a, double rise, double p_in_w) noexcept {
    const double p_out_w = a.p_w + (p_in_w - a.p_w - a.loss_w) / rise;
    return {std::max(p_out_w, a.p_w), 1.0 / rise};
  }

  std::array<Point, inline_points> inline_{};
  std::vector<Point> heap_;
  double standby_loss_w_ = 0.0;
  std::uint32_t count_ = 0;  // points in inline_ (when heap_ is empty)
  // p + loss(p) rises on every segment and never falls from point to point (as computed in
  // output_for_input): the segment that reaches an input power is then the last one starting
  // below it, which output_for_input finds from the top.
  bool input_rises_ = false;
};

// Inline: called for every converter in every residual evaluation of the time-domain DAE.
inline std::span<const EfficiencyCurveLoss::Point> EfficiencyCurveLoss::points() const noexcept {
  if (!heap_.empty()) return heap_;
  return {inline_.data(), count_};
}

inline LossAt EfficiencyCurveLoss::at(double p_out_w) const noexcept {
  const double sign = p_out_w < 0.0 ? -1.0 : 1.0;
  const double p = std::fabs(p_out_w);
  // Segment k spans [points[k], points[k+1]]; the last one is extended beyond the curve.
  const std::span<const Point> points = this->points();
  const auto upper = std::upper_bound(points.begin() + 1, points.end() - 1, p,
                                      [](double value, const Point& q) { return value < q.p_w; });
  const auto k = static_cast<std::size_t>(upper - points.begin()) - 1;
  const double slope =
      (points[k + 1].loss_w - points[k].loss_w) / (points[k + 1].p_w - points[k].p_w);
  return {points[k].loss_w + slope * (p - points[k].p_w), sign * slope};
}

inline EfficiencyCurveLoss::OutputAt EfficiencyCurveLoss::output_for_input(
    double p_in_w) const noexcept {
  const std::span<const Point> points = this->points();
  if (!(p_in_w > points.front().loss_w)) return {};
  // Segment k maps [p_k, p_k+1] to input powers [p_k + loss_k, p_k+1 + loss_k+1]; the last one
  // is extended, as in at().
  if (input_rises_) {
    // The same segment as the walk below finds, from the top, where a loop's input bound (its
    // input limit at its input voltage) lies while the input voltage is near nominal.
    std::size_t k = points.size() - 2;
    while (k > 0 && !(p_in_w > points[k].p_w + points[k].loss_w)) --k;
    return on_segment(points[k], rise(points[k], points[k + 1]), p_in_w);
  }
  for (std::size_t k = 0; k + 1 < points.size(); ++k) {
    const Point& a = points[k];
    const Point& b = points[k + 1];
    const bool last = k + 2 == points.size();
    if (!last && p_in_w > b.p_w + b.loss_w) continue;  // beyond this segment's input powers
    if (const double r = rise(a, b); r > 0.0) return on_segment(a, r, p_in_w);
  }
  return {};  // a curve whose input power never rises again after its last point
}

}  // namespace g2g::components

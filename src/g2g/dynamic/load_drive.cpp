#include "g2g/dynamic/load_drive.hpp"

#include <fmt/format.h>

#include <vector>

#include "g2g/core/error.hpp"

namespace g2g::dynamic {

PiecewiseLinear gpu_rack_power_w(const model::Load& rack, const Profile& profile) {
  if (rack.model != model::LoadModel::gpu_rack)
    throw InvalidInput("load",
                       fmt::format("load '{}' is a {} load: only a gpu_rack follows a "
                                   "utilisation profile",
                                   rack.id, model::name(rack.model)),
                       "give profiles to gpu_rack loads");
  model::Load at = rack;
  std::vector<Breakpoint> points;
  points.reserve(profile.utilisation().points().size());
  for (const auto& point : profile.utilisation().points()) {
    at.utilisation = point.value;
    points.push_back({point.t_s, model::nominal_load_power_w(at)});
  }
  return PiecewiseLinear(std::move(points));
}

}  // namespace g2g::dynamic

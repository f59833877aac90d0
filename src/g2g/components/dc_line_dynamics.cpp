#include "g2g/components/dc_line_dynamics.hpp"

#include <cmath>
#include <numbers>

namespace g2g::components {

double default_loop_inductance_h_per_m(model::LineType type) noexcept {
  const double reactance_ohm_per_m = type == model::LineType::busbar
                                         ? default_busbar_reactance_ohm_per_m
                                         : default_cable_reactance_ohm_per_m;
  const double per_conductor_h_per_m =
      reactance_ohm_per_m / (2.0 * std::numbers::pi * default_reactance_frequency_hz);
  return 2.0 * per_conductor_h_per_m;
}

double round_pair_loop_inductance_h_per_m(double radius_m, double axis_spacing_m) noexcept {
  return mu0_h_per_m / std::numbers::pi * (std::log(axis_spacing_m / radius_m) + 0.25);
}

double busbar_pair_loop_inductance_h_per_m(double width_m, double thickness_m,
                                           double centre_spacing_m) noexcept {
  const double self_gmd_m = 0.2235 * (width_m + thickness_m);
  return mu0_h_per_m / std::numbers::pi * std::log(centre_spacing_m / self_gmd_m);
}

double laminated_busbar_loop_inductance_h_per_m(double width_m, double thickness_m,
                                                double gap_m) noexcept {
  return mu0_h_per_m * (gap_m + 2.0 * thickness_m / 3.0) / width_m;
}

}  // namespace g2g::components

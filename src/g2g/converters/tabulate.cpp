#include "g2g/converters/tabulate.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

namespace g2g::converters {

std::span<const double> default_load_fractions() noexcept {
  static constexpr std::array<double, 16> fractions = {0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4,
                                                       0.5,  0.6,  0.7, 0.8,  0.9, 1.0,  1.1, 1.2};
  return fractions;
}

std::vector<model::EfficiencyPoint> efficiency_curve(const ConverterDesign& design,
                                                     const Library& library, int modules,
                                                     double rating_w, double v_in_v, double v_out_v,
                                                     std::span<const double> load_fractions) {
  if (modules < 1) throw DesignError(fmt::format("{}: modules must be at least 1", design.name));
  std::vector<model::EfficiencyPoint> curve;
  curve.reserve(load_fractions.size());
  for (const double fraction : load_fractions) {
    const OperatingPoint point{v_in_v, v_out_v, fraction * rating_w / modules};
    const ConverterResult r = evaluate(design, library, point);
    if (!(r.efficiency > 0.0 && r.efficiency <= 1.0) || !std::isfinite(r.efficiency))
      throw DesignError(fmt::format("{}: efficiency {} at {:.0f} % load is not physical",
                                    design.name, r.efficiency, 100.0 * fraction));
    curve.push_back({fraction, r.efficiency});
  }
  return curve;
}

}  // namespace g2g::converters

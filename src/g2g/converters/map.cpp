// Efficiency maps: evaluate() over load fractions x input voltages.
#include <cmath>
#include <limits>

#include "g2g/converters/converter.hpp"
#include "g2g/converters/detail.hpp"

namespace g2g::converters {

EfficiencyMap efficiency_map(const ConverterDesign& design, const Library& library,
                             const std::vector<double>& load_fractions,
                             const std::vector<double>& v_in_v) {
  // Design-level errors (unknown parts) are thrown once, here; what remains per point is the
  // operating point itself (e.g. beyond a DAB's maximum power), recorded in that point.
  (void)detail::require_device(design, library, design.primary_device, "primary_device");
  (void)detail::secondary_device(design, library);
  (void)detail::material_of(design, library, design.transformer, "transformer");
  (void)detail::material_of(design, library, design.inductor, "inductor");

  EfficiencyMap map;
  map.load_fractions = load_fractions;
  map.v_in_v = v_in_v;
  map.points.reserve(load_fractions.size() * v_in_v.size());
  for (double v_in : v_in_v) {
    for (double fraction : load_fractions) {
      const OperatingPoint point{v_in, design.v_out_nominal_v, fraction * design.rating_w};
      try {
        map.points.push_back(evaluate(design, library, point));
      } catch (const DesignError& error) {
        ConverterResult& failed = map.points.emplace_back();
        failed.point = point;
        failed.efficiency = std::numeric_limits<double>::quiet_NaN();
        failed.p_in_w = std::numeric_limits<double>::quiet_NaN();
        failed.thermal_ok = false;
        failed.warnings.emplace_back(error.what());
      }
    }
  }
  return map;
}

}  // namespace g2g::converters

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

namespace {

// One curve over load: `efficiency_at(p_out of one module)`, with the checks and messages shared
// by designs and assemblies.
template <typename EfficiencyAt>
std::vector<model::EfficiencyPoint> tabulate(const std::string& name, int modules, double rating_w,
                                             std::span<const double> load_fractions,
                                             EfficiencyAt efficiency_at) {
  if (modules < 1)
    throw DesignError(name, "modules", fmt::format("{}: modules must be at least 1", name));
  std::vector<model::EfficiencyPoint> curve;
  curve.reserve(load_fractions.size());
  for (const double fraction : load_fractions) {
    const double efficiency = efficiency_at(fraction * rating_w / modules);
    if (!(efficiency > 0.0 && efficiency <= 1.0) || !std::isfinite(efficiency))
      throw DesignError(name, "efficiency",
                        fmt::format("{}: efficiency {} at {:.0f} % load is not physical", name,
                                    efficiency, 100.0 * fraction));
    curve.push_back({fraction, efficiency});
  }
  return curve;
}

}  // namespace

std::vector<model::EfficiencyPoint> efficiency_curve(const ConverterDesign& design,
                                                     const Library& library, int modules,
                                                     double rating_w, double v_in_v, double v_out_v,
                                                     std::span<const double> load_fractions) {
  return tabulate(design.name, modules, rating_w, load_fractions, [&](double p_out_w) {
    return evaluate(design, library, {v_in_v, v_out_v, p_out_w}).efficiency;
  });
}

std::vector<model::EfficiencyPoint> efficiency_curve(const Assembly& assembly,
                                                     const Library& library, int modules,
                                                     double rating_w, double v_in_v, double v_out_v,
                                                     std::span<const double> load_fractions) {
  return tabulate(assembly.name, modules, rating_w, load_fractions, [&](double p_out_w) {
    return evaluate(assembly, library, {v_in_v, v_out_v, p_out_w}).total.efficiency;
  });
}

}  // namespace g2g::converters

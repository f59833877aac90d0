#include "g2g/components/conductor.hpp"

namespace g2g::components {

MaterialProperties material_properties(model::Material material) noexcept {
  switch (material) {
    case model::Material::aluminium:
      return {2.826e-8, 0.00403, 2700.0};
    case model::Material::copper:
      break;
  }
  return {1.7241e-8, 0.00393, 8940.0};
}

double resistivity_ohm_m(model::Material material, double temperature_c) noexcept {
  const MaterialProperties props = material_properties(material);
  return props.resistivity_20c_ohm_m *
         (1.0 + props.temperature_coefficient_per_k * (temperature_c - 20.0));
}

namespace {
// Conductors sharing the current of one phase or pole.
double parallel_conductors(const model::Line& line) {
  return static_cast<double>(line.conductors_per_pole) * static_cast<double>(line.parallel_runs);
}
}  // namespace

double line_resistance_ohm(const model::Line& line, model::BusKind kind) noexcept {
  if (line.r_ohm) return *line.r_ohm;
  const double per_conductor_ohm =
      resistivity_ohm_m(line.material, line.temperature_c) * line.length_m / line.cross_section_m2;
  const double pole_ohm = per_conductor_ohm / parallel_conductors(line);
  return kind == model::BusKind::dc ? 2.0 * pole_ohm : pole_ohm;
}

double line_reactance_ohm(const model::Line& line, model::BusKind kind) noexcept {
  if (kind == model::BusKind::dc) return 0.0;
  if (line.x_ohm) return *line.x_ohm;
  return line.reactance_ohm_per_m * line.length_m / parallel_conductors(line);
}

}  // namespace g2g::components

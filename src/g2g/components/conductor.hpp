// Conductor physics written once: resistivity with temperature, and the resistance of a cable
// or busbar run. Used by the power flow and, later, by conductor sizing.
#pragma once

#include "g2g/model/spec.hpp"

namespace g2g::components {

struct MaterialProperties {
  double resistivity_20c_ohm_m;          // at 20 °C
  double temperature_coefficient_per_k;  // alpha_20
  double density_kg_m3;
};

// IEC 60287-1-1 Table 1 values (resistivity, alpha_20), densities from
// shared/reference/conductors.md §2.
[[nodiscard]] MaterialProperties material_properties(model::Material material) noexcept;

// rho(T) = rho_20 * (1 + alpha_20 * (T - 20 °C)).
[[nodiscard]] double resistivity_ohm_m(model::Material material, double temperature_c) noexcept;

// Series resistance of one phase (AC) or the loop (both poles, DC) of a line, in ohm.
// DC: current goes out on one pole and back on the other, so the loop has two pole conductors.
// AC (positive sequence): one phase conductor. A line with r_ohm set returns it unchanged.
[[nodiscard]] double line_resistance_ohm(const model::Line& line, model::BusKind kind) noexcept;

// Series reactance of one phase, in ohm (0 for DC).
[[nodiscard]] double line_reactance_ohm(const model::Line& line, model::BusKind kind) noexcept;

}  // namespace g2g::components

// Conductor physics written once: resistivity with temperature, the skin and proximity effect
// of round conductors at power frequency, and the resistance and reactance of a cable or busbar
// run. Used by the power flow (branch.cpp) and conductor sizing. docs/components.md.
#pragma once

#include "g2g/model/spec.hpp"

namespace g2g::components {

struct MaterialProperties {
  double resistivity_20c_ohm_m;          // at 20 °C
  double temperature_coefficient_per_k;  // alpha_20
  double density_kg_m3;
  // IEC 60287-1-1 Table 2, round stranded conductor: skin and proximity effect factors.
  double skin_factor_ks;
  double proximity_factor_kp;
};

// IEC 60287-1-1 Table 1 values (resistivity, alpha_20) and Table 2 (k_s, k_p), densities from
// shared/reference/conductors.md §2.
[[nodiscard]] MaterialProperties material_properties(model::Material material) noexcept;

// rho(T) = rho_20 * (1 + alpha_20 * (T - 20 °C)).
[[nodiscard]] double resistivity_ohm_m(model::Material material, double temperature_c) noexcept;

// IEC 60287-1-1 §2.1.2-2.1.4 for a round conductor of DC resistance r_dc (ohm/m, at its
// temperature) at frequency f: x^2 = 8 pi f / r_dc * 1e-7 * k; skin y_s = x_s^4 / (192 + 0.8
// x_s^4) for x_s <= 2.8 (the standard's two other ranges above); proximity, three-core cable or
// three single-core cables, conductor diameter d_c, axis spacing s:
// y_p = F (d_c/s)^2 [0.312 (d_c/s)^2 + 1.18 / (F + 0.27)], F = x_p^4 / (192 + 0.8 x_p^4).
// R_ac = r_dc (1 + y_s + y_p). Both vanish at f = 0.
struct SkinProximity {
  double skin_ys = 0.0;
  double proximity_yp = 0.0;
  [[nodiscard]] double ac_to_dc_ratio() const noexcept { return 1.0 + skin_ys + proximity_yp; }
};
[[nodiscard]] SkinProximity skin_proximity(model::Material material, double r_dc_ohm_per_m,
                                           double frequency_hz, double conductor_diameter_m,
                                           double axis_spacing_m) noexcept;

// Geometry the line model assumes for the proximity effect of a cable of this cross-section:
// a round conductor of the same area, d_c = sqrt(4 A / pi), and cores touching in a multicore
// cable, s = d_c + 2 t_ins, with t_ins the IEC 60502-1 XLPE 0.6/1 kV insulation thickness.
struct CoreGeometry {
  double conductor_diameter_m = 0.0;
  double axis_spacing_m = 0.0;
};
[[nodiscard]] CoreGeometry multicore_geometry(double cross_section_m2) noexcept;

// Series resistance of one phase (AC) or the loop (both poles, DC) of a line, in ohm.
// DC: current goes out on one pole and back on the other, so the loop has two pole conductors.
// AC (positive sequence): one phase conductor; cables at frequency_hz carry the skin and
// proximity effect (skin_proximity, multicore_geometry), busbars and overhead lines do not
// (DIN 43671 ratings contain the bars' skin effect; docs/components.md). frequency_hz = 0 gives
// the DC resistance. A line with r_ohm set returns it unchanged.
[[nodiscard]] double line_resistance_ohm(const model::Line& line, model::BusKind kind,
                                         double frequency_hz) noexcept;

// Series reactance of one phase, in ohm (0 for DC).
[[nodiscard]] double line_reactance_ohm(const model::Line& line, model::BusKind kind) noexcept;

}  // namespace g2g::components

#include "g2g/components/conductor.hpp"

#include <array>
#include <cmath>
#include <numbers>

namespace g2g::components {

MaterialProperties material_properties(model::Material material) noexcept {
  // k_s, k_p of round stranded conductors, IEC 60287-1-1 Table 2 as coded in
  // Bensumisnki/CableThermalAnalysis:CableThermalProgramFiles/IECTables.py.
  switch (material) {
    case model::Material::aluminium:
      return {2.826e-8, 0.00403, 2700.0, 1.0, 0.8};
    case model::Material::copper:
      break;
  }
  return {1.7241e-8, 0.00393, 8940.0, 1.0, 1.0};
}

double resistivity_ohm_m(model::Material material, double temperature_c) noexcept {
  const MaterialProperties props = material_properties(material);
  return props.resistivity_20c_ohm_m *
         (1.0 + props.temperature_coefficient_per_k * (temperature_c - 20.0));
}

namespace {

// x^4 of IEC 60287-1-1: x^2 = 8 pi f / R' * 1e-7 * k.
double x_squared(double r_dc_ohm_per_m, double frequency_hz, double k) {
  return 8.0 * std::numbers::pi * frequency_hz / r_dc_ohm_per_m * 1e-7 * k;
}

double f_of_x4(double x4) {
  return x4 / (192.0 + 0.8 * x4);
}

// IEC 60287-1-1 §2.1.2: the rational form up to x_s = 2.8, then two fitted ranges (they join it
// continuously: 0.255 at 2.8, 0.61 at 3.8).
double skin_effect(double xs2) {
  const double xs = std::sqrt(xs2);
  if (xs <= 2.8) return f_of_x4(xs2 * xs2);
  if (xs <= 3.8) return -0.136 - 0.0177 * xs + 0.0563 * xs2;
  return 0.354 * xs - 0.733;
}

// IEC 60502-1 nominal XLPE insulation thickness of 0.6/1 kV cables (mm) by conductor size
// (mm2): "0.6/1 (1.2) kV XLPE insulated unarmoured PVC sheathed cables",
// https://studylib.net/doc/18118339/xlpe-insulated-power-cables (cables to IEC 60502).
struct Insulation {
  double up_to_mm2;
  double thickness_mm;
};
constexpr std::array insulation_xlpe{
    Insulation{16, 0.7},  Insulation{35, 0.9},   Insulation{50, 1.0},  Insulation{95, 1.1},
    Insulation{120, 1.2}, Insulation{150, 1.4},  Insulation{185, 1.6}, Insulation{240, 1.7},
    Insulation{300, 1.8}, Insulation{400, 2.0},  Insulation{500, 2.2}, Insulation{630, 2.4},
    Insulation{800, 2.6}, Insulation{1000, 2.8},
};

double insulation_thickness_m(double cross_section_m2) {
  const double mm2 = cross_section_m2 * 1e6;
  for (const auto& row : insulation_xlpe)
    if (mm2 <= row.up_to_mm2 * (1.0 + 1e-9)) return row.thickness_mm * 1e-3;
  return insulation_xlpe.back().thickness_mm * 1e-3;  // above 1000 mm2: the last value
}

// Conductors sharing the current of one phase or pole.
double parallel_conductors(const model::Line& line) {
  return static_cast<double>(line.conductors_per_pole) * static_cast<double>(line.parallel_runs);
}

}  // namespace

SkinProximity skin_proximity(model::Material material, double r_dc_ohm_per_m, double frequency_hz,
                             double conductor_diameter_m, double axis_spacing_m) noexcept {
  SkinProximity out;
  if (!(frequency_hz > 0.0) || !(r_dc_ohm_per_m > 0.0)) return out;
  const MaterialProperties props = material_properties(material);
  out.skin_ys = skin_effect(x_squared(r_dc_ohm_per_m, frequency_hz, props.skin_factor_ks));
  if (conductor_diameter_m > 0.0 && axis_spacing_m >= conductor_diameter_m) {
    const double xp2 = x_squared(r_dc_ohm_per_m, frequency_hz, props.proximity_factor_kp);
    const double f = f_of_x4(xp2 * xp2);
    const double ratio2 =
        (conductor_diameter_m / axis_spacing_m) * (conductor_diameter_m / axis_spacing_m);
    out.proximity_yp = f * ratio2 * (0.312 * ratio2 + 1.18 / (f + 0.27));
  }
  return out;
}

CoreGeometry multicore_geometry(double cross_section_m2) noexcept {
  CoreGeometry g;
  if (!(cross_section_m2 > 0.0)) return g;
  g.conductor_diameter_m = std::sqrt(4.0 * cross_section_m2 / std::numbers::pi);
  g.axis_spacing_m = g.conductor_diameter_m + 2.0 * insulation_thickness_m(cross_section_m2);
  return g;
}

double line_resistance_ohm(const model::Line& line, model::BusKind kind,
                           double frequency_hz) noexcept {
  if (line.r_ohm) return *line.r_ohm;
  const double rho_ohm_m = resistivity_ohm_m(line.material, line.temperature_c);
  double per_conductor_ohm = rho_ohm_m * line.length_m / line.cross_section_m2;
  if (kind == model::BusKind::ac && line.type == model::LineType::cable) {
    // Each parallel conductor is a core of its own cable: the effect is per conductor.
    const CoreGeometry g = multicore_geometry(line.cross_section_m2);
    per_conductor_ohm *= skin_proximity(line.material, rho_ohm_m / line.cross_section_m2,
                                        frequency_hz, g.conductor_diameter_m, g.axis_spacing_m)
                             .ac_to_dc_ratio();
  }
  const double pole_ohm = per_conductor_ohm / parallel_conductors(line);
  return kind == model::BusKind::dc ? 2.0 * pole_ohm : pole_ohm;
}

double line_reactance_ohm(const model::Line& line, model::BusKind kind) noexcept {
  if (kind == model::BusKind::dc) return 0.0;
  if (line.x_ohm) return *line.x_ohm;
  return line.reactance_ohm_per_m * line.length_m / parallel_conductors(line);
}

}  // namespace g2g::components

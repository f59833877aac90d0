// AC resistance of cables (skin and proximity effect, IEC 60287-1-1) against the closed form and
// against a cable maker's published AC resistances; DC and busbars unchanged.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "g2g/components/conductor.hpp"

namespace g2g::components {
namespace {

using model::BusKind;
using model::LineType;
using model::Material;

constexpr double mm = 1e-3;
constexpr double mm2 = 1e-6;
constexpr double rho20_cu = 1.7241e-8;  // IEC 60287-1-1 Table 1
constexpr double alpha20_cu = 0.00393;

double r_dc_cu_ohm_per_m(double cross_section_m2, double temperature_c) {
  return rho20_cu * (1.0 + alpha20_cu * (temperature_c - 20.0)) / cross_section_m2;
}

model::Line cable(double cross_section_m2, double temperature_c) {
  model::Line line;
  line.type = LineType::cable;
  line.cross_section_m2 = cross_section_m2;
  line.length_m = 1000.0;
  line.temperature_c = temperature_c;
  return line;
}

// y_s = x^4 / (192 + 0.8 x^4), x^2 = 8 pi f / R' 1e-7 (k_s = 1): by hand for 240 mm2 at 90 °C,
// 50 Hz, R' = 9.160e-5 ohm/m: x^2 = 1.3718, x^4 = 1.8818, y_s = 1.8818 / 193.505 = 0.009725.
TEST(ConductorAc, SkinEffectClosedForm) {
  const double r = r_dc_cu_ohm_per_m(240 * mm2, 90.0);
  const double x2 = 8.0 * std::numbers::pi * 50.0 / r * 1e-7;
  const SkinProximity sp = skin_proximity(Material::copper, r, 50.0, 0.0, 0.0);
  EXPECT_NEAR(sp.skin_ys, x2 * x2 / (192.0 + 0.8 * x2 * x2), 1e-15);
  EXPECT_NEAR(sp.skin_ys, 0.009725, 2e-6);
  EXPECT_EQ(sp.proximity_yp, 0.0);  // no geometry given: skin only
  const SkinProximity dc = skin_proximity(Material::copper, r, 0.0, 18 * mm, 21 * mm);
  EXPECT_EQ(dc.ac_to_dc_ratio(), 1.0);
}

// The standard's three skin-effect ranges join at x_s = 2.8 and 3.8 (with 0.0563 x_s^2 in the
// middle range; a slip in that coefficient breaks the joints).
TEST(ConductorAc, SkinEffectRangesJoin) {
  auto ys_at = [](double xs) {
    // R' giving this x_s at 50 Hz with k_s = 1.
    const double r = 8.0 * std::numbers::pi * 50.0 * 1e-7 / (xs * xs);
    return skin_proximity(Material::copper, r, 50.0, 0.0, 0.0).skin_ys;
  };
  EXPECT_NEAR(ys_at(2.8 - 1e-9), ys_at(2.8 + 1e-9), 2e-3);
  EXPECT_NEAR(ys_at(3.8 - 1e-9), ys_at(3.8 + 1e-9), 4e-3);
  EXPECT_LT(ys_at(2.0), ys_at(3.0));
  EXPECT_LT(ys_at(3.0), ys_at(4.0));
}

// Published AC resistance at 90 °C, 50 Hz, copper, 600/1000 V: Oman Cables Industry, low-voltage
// catalogue MKK XXS002 (01-12-2014) Table 69, https://online.flippingbook.com/view/377793823/57
// (ohm/km). Single-core cables, taken as touching in trefoil (axis spacing = cable diameter =
// d_c + 2 insulation + 2 sheath), and multicore cables (cores touching, multicore_geometry).
// Insulation and sheath thickness: IEC 60502-1 XLPE 0.6/1 kV cables,
// https://studylib.net/doc/18118339/xlpe-insulated-power-cables. Caveat: the table is printed
// for the maker's PVC-insulated cables with "A.C resistance at 90 °C" in its header; its values
// also fit IEC 60228 maximum-resistance conductors at 70 °C (within 3.4 %), see
// docs/components.md. Compared here as printed, at 90 °C, within 4 %; the DC resistance alone is
// 10 % (400 mm2) and 15 % (630 mm2) low, so the test fails without the effect.
struct Published {
  double cross_section_mm2;
  double insulation_mm;
  double sheath_mm;
  double single_core_ohm_per_km;
  double multicore_ohm_per_km;  // 0: not given
};
constexpr Published oman_cables_table_69[] = {
    {240, 1.7, 1.7, 0.093, 0.094},
    {300, 1.8, 1.8, 0.0755, 0.0765},
    {400, 2.0, 1.9, 0.0610, 0.0620},
    {630, 2.4, 2.2, 0.041, 0.0},
};

TEST(ConductorAc, AcResistanceMatchesPublishedCableData) {
  constexpr double tolerance = 0.04;
  for (const Published& p : oman_cables_table_69) {
    const double area = p.cross_section_mm2 * mm2;
    const double r_dc = r_dc_cu_ohm_per_m(area, 90.0);
    const double d_c = std::sqrt(4.0 * area / std::numbers::pi);
    const double s_trefoil = d_c + 2.0 * (p.insulation_mm + p.sheath_mm) * mm;
    const double single =
        r_dc * 1e3 * skin_proximity(Material::copper, r_dc, 50.0, d_c, s_trefoil).ac_to_dc_ratio();
    EXPECT_NEAR(single / p.single_core_ohm_per_km, 1.0, tolerance) << p.cross_section_mm2;
    if (p.multicore_ohm_per_km > 0.0) {
      // The line model: one core of a multicore cable, 1 km, at 90 °C and 50 Hz.
      const double multicore = line_resistance_ohm(cable(area, 90.0), BusKind::ac, 50.0);
      EXPECT_NEAR(multicore / p.multicore_ohm_per_km, 1.0, tolerance) << p.cross_section_mm2;
    }
    if (p.cross_section_mm2 >= 400) {
      EXPECT_GT(std::abs(r_dc * 1e3 / p.single_core_ohm_per_km - 1.0), tolerance)
          << p.cross_section_mm2 << " mm2: the DC resistance alone would pass";
    }
  }
}

// The line model's geometry uses the IEC 60502-1 insulation: 240 mm2, d_c = 17.48 mm, cores
// touching at 17.48 + 2 x 1.7 mm.
TEST(ConductorAc, MulticoreGeometry) {
  const CoreGeometry g = multicore_geometry(240 * mm2);
  EXPECT_NEAR(g.conductor_diameter_m, std::sqrt(4.0 * 240 * mm2 / std::numbers::pi), 1e-15);
  EXPECT_NEAR(g.axis_spacing_m - g.conductor_diameter_m, 3.4 * mm, 1e-12);
  EXPECT_NEAR(multicore_geometry(1.5 * mm2).axis_spacing_m -
                  multicore_geometry(1.5 * mm2).conductor_diameter_m,
              1.4 * mm, 1e-12);
}

// Where the effect applies: AC cables of every size, vanishing for small ones (below 0.2 % up to
// 50 mm2, about 4 % at 240 mm2, 24 % at 630 mm2 at 90 °C and 50 Hz); not DC, not busbars, not
// overhead lines, not lines given by their impedance; per conductor for parallel runs.
TEST(ConductorAc, AppliesToAcCablesOnly) {
  auto ratio = [](const model::Line& line, BusKind kind, double f) {
    return line_resistance_ohm(line, kind, f) / line_resistance_ohm(line, kind, 0.0);
  };
  EXPECT_LT(ratio(cable(50 * mm2, 90.0), BusKind::ac, 50.0), 1.002);
  EXPECT_NEAR(ratio(cable(240 * mm2, 90.0), BusKind::ac, 50.0), 1.04, 0.01);
  EXPECT_NEAR(ratio(cable(630 * mm2, 90.0), BusKind::ac, 50.0), 1.24, 0.01);
  EXPECT_GT(ratio(cable(630 * mm2, 90.0), BusKind::ac, 60.0),
            ratio(cable(630 * mm2, 90.0), BusKind::ac, 50.0));
  EXPECT_EQ(ratio(cable(630 * mm2, 90.0), BusKind::dc, 50.0), 1.0);
  model::Line bar = cable(999 * mm2, 65.0);
  bar.type = LineType::busbar;
  EXPECT_EQ(ratio(bar, BusKind::ac, 50.0), 1.0);
  model::Line overhead = cable(630 * mm2, 90.0);
  overhead.type = LineType::overhead;
  EXPECT_EQ(ratio(overhead, BusKind::ac, 50.0), 1.0);
  model::Line given = cable(630 * mm2, 90.0);
  given.r_ohm = 0.01;
  EXPECT_EQ(line_resistance_ohm(given, BusKind::ac, 50.0), 0.01);
  model::Line runs = cable(630 * mm2, 90.0);
  runs.parallel_runs = 3;
  EXPECT_NEAR(line_resistance_ohm(runs, BusKind::ac, 50.0) * 3.0,
              line_resistance_ohm(cable(630 * mm2, 90.0), BusKind::ac, 50.0), 1e-15);
}

}  // namespace
}  // namespace g2g::components

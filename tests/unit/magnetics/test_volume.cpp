// Area product and volume estimates against hand calculations and the source's table points.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "g2g/magnetics/magnetics.hpp"

namespace g2g::magnetics {
namespace {

TEST(Volume, TransformerAreaProductFromFaradayAndWindowFill) {
  // 2 kVA summed over the windings, 100 kHz square wave, 0.1 T, 4 A/mm², K_u 0.4:
  // A_p = 2000 / (4 · 0.4 · 0.1 · 4e6 · 1e5) = 3.125e-8 m⁴ (3.125 cm⁴).
  EXPECT_NEAR(transformer_area_product_m4(2000.0, 100e3, 0.1, 4e6), 3.125e-8, 1e-20);
  // A sine (K_f 4.44) needs 4/4.44 of it.
  EXPECT_NEAR(transformer_area_product_m4(2000.0, 100e3, 0.1, 4e6, 0.4, 4.44),
              3.125e-8 * 4.0 / 4.44, 1e-20);
}

TEST(Volume, InductorAreaProduct) {
  // 10 µH, 30 A peak, 25 A RMS, 0.3 T, 5 A/mm², K_u 0.5: L I_pk I_rms / (K_u B J).
  EXPECT_NEAR(inductor_area_product_m4(10e-6, 30.0, 25.0, 0.3, 5e6, 0.5),
              10e-6 * 30.0 * 25.0 / (0.5 * 0.3 * 5e6), 1e-22);
}

struct PqCore {
  const char* name;
  double height_mm;         // core_h (pair)
  double post_diameter_mm;  // core_inner_diameter
  double window_h_mm;
  double window_w_mm;
  double x_mm;  // core_dimension_x
  double y_mm;  // core_dimension_y
};

TEST(Volume, CoreVolumeFitAgainstThePqTablePoints) {
  // upb-lea/FEM_Magnetics_Toolbox femmt/functions.py core_database() (nominal PQ dimensions),
  // the data the library's k_v was fitted to (docs/magnetics.md). Each core's boxed volume must
  // lie within the fit's stated spread, and the fit must be centred on them (geometric mean 1).
  const std::vector<PqCore> cores = {
      {"PQ 16/11.6", 11.6, 7.0, 6.7, 3.7, 16.4, 11.2},
      {"PQ 20/16", 16.2, 8.8, 10.3, (18 - 8.8) / 2, 20.5, 14.0},
      {"PQ 20/20", 20.2, 8.8, 14.3, 4.6, 20.5, 14.0},
      {"PQ 26/20", 20.16, 12.0, 11.5, 5.25, 26.5, 19.0},
      {"PQ 26/25", 24.76, 12.0, 16.1, (22.5 - 12) / 2, 26.5, 19.0},
      {"PQ 32/20", 20.5, 13.45, 11.5, (27.5 - 13.45) / 2, 32.0, 22.0},
      {"PQ 32/30", 30.35, 13.45, 21.3, (27.5 - 13.45) / 2, 32.0, 22.0},
      {"PQ 35/35", 34.8, 14.35, 25.0, (32 - 14.35) / 2, 35.1, 26.0},
      {"PQ 40/30", 30.3, 14.9, 20.0, (37 - 14.9) / 2, 40.5, 28.0},
      {"PQ 40/40", 39.8, 14.9, 29.5, (37 - 14.9) / 2, 40.5, 28.0},
      {"PQ 50/40", 40.0, 20.0, 26.1, (44.0 - 20) / 2, 50.0, 32.0},
      {"PQ 50/50", 50.0, 20.0, 36.1, (44.0 - 20) / 2, 50.0, 32.0},
      {"PQ 65/60", 60.0, 26.0, 42.0, (65.0 - 26) / 2, 65.0, 45.0},
  };
  double log_ratio_sum = 0.0;
  for (const PqCore& core : cores) {
    const double a_e_m2 = std::numbers::pi * std::pow(core.post_diameter_mm * 1e-3, 2) / 4.0;
    const double a_w_m2 = core.window_h_mm * core.window_w_mm * 1e-6;
    const double box_m3 = core.x_mm * core.y_mm * core.height_mm * 1e-9;
    const double ratio = core_volume_m3(a_e_m2 * a_w_m2) / box_m3;
    EXPECT_GT(ratio, 0.85) << core.name;
    EXPECT_LT(ratio, 1.17) << core.name;
    log_ratio_sum += std::log(ratio);
  }
  EXPECT_NEAR(std::exp(log_ratio_sum / cores.size()), 1.0, 2e-3);
  EXPECT_EQ(core_volume_m3(0.0), 0.0);
}

TEST(Volume, HeatsinkFromCspi) {
  // 100 W at 40 K rise with CSPI 10 W/(K dm³) = 1e4 W/(K m³): 0.25 dm³.
  EXPECT_NEAR(heatsink_volume_m3(100.0, 40.0, 1e4), 0.25e-3, 1e-15);
  EXPECT_EQ(heatsink_volume_m3(0.0, 40.0, 1e4), 0.0);
  EXPECT_TRUE(std::isinf(heatsink_volume_m3(100.0, 0.0, 1e4)));
}

}  // namespace
}  // namespace g2g::magnetics

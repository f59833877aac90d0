// Volume estimates for power-density comparisons: area product (McLyman), boxed core volume from
// a fit over a standard core family, and heatsink volume from a cooling-system performance index.
// Sources and the fit: docs/magnetics.md.
#include <cmath>
#include <limits>

#include "g2g/magnetics/magnetics.hpp"

namespace g2g::magnetics {

double transformer_area_product_m4(double power_va, double f_hz, double b_max_t, double j_a_m2,
                                   double k_u, double k_f) noexcept {
  // Faraday (V = K_f N A_e B_max f) times the window fill (K_u A_w J = Σ N I) gives
  // A_e A_w = P_t / (K_f K_u B_max J f), P_t the apparent power summed over the windings.
  return power_va / (k_f * k_u * b_max_t * j_a_m2 * f_hz);
}

double inductor_area_product_m4(double l_h, double i_peak_a, double i_rms_a, double b_max_t,
                                double j_a_m2, double k_u) noexcept {
  // N A_e B_max = L I_pk (flux linkage at the peak) and N I_rms = K_u A_w J (window fill).
  return l_h * i_peak_a * i_rms_a / (k_u * b_max_t * j_a_m2);
}

double core_volume_m3(double area_product_m4) noexcept {
  // Geometric similarity gives V ∝ A_p^(3/4) (McLyman, Transformer and Inductor Design
  // Handbook, ch. 5). The coefficient is fitted by us with the exponent fixed at 3/4 to the boxed
  // volume (footprint x height) of the 13 PQ core sets of upb-lea/FEM_Magnetics_Toolbox
  // femmt/functions.py core_database() (nominal TDK dimensions; A_e = π d²/4 of the round
  // centre post, A_w = window height x width): geometric mean 12.09, every core within -14 %/+12 %.
  // The same number holds in SI and in McLyman's cm units, since (10^8)^(3/4) = 10^6.
  constexpr double k_v_pq_box = 12.09;
  if (!(area_product_m4 > 0.0)) {
    return 0.0;
  }
  return k_v_pq_box * std::pow(area_product_m4, 0.75);
}

double heatsink_volume_m3(double loss_w, double delta_t_k, double cspi_w_per_k_m3) noexcept {
  // CSPI = 1 / (R_th,s-a V) (Drofenik, Laimer, Kolar, PCIM 2005); with R_th = ΔT / P the volume
  // follows directly.
  if (!(loss_w > 0.0)) {
    return 0.0;
  }
  if (!(delta_t_k > 0.0) || !(cspi_w_per_k_m3 > 0.0)) {
    // No temperature rise allowed (or no cooling): no finite heatsink removes the loss.
    return std::numeric_limits<double>::infinity();
  }
  return loss_w / (delta_t_k * cspi_w_per_k_m3);
}

}  // namespace g2g::magnetics

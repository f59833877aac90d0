// Thermal-mismatch stress and wafer bow of a layer stack on a substrate cooled from growth
// temperature: Stoney's thin-film formula and the exact multilayer solution of Hsueh (J. Appl.
// Phys. 91, 9652, 2002) for an equal-biaxial, linear-elastic, free plate. Pure functions
// (docs/fab.md § Bow). SI units: Pa, m, 1/K, kelvin differences; temperatures in degrees C.
#pragma once

#include <span>
#include <vector>

namespace g2g::fab {

// A linear thermal-expansion coefficient alpha(T): a constant (the mean over a published range)
// or Okada & Tokumaru's fit for silicon (J. Appl. Phys. 56, 314, 1984; 120-1500 K):
// alpha = (3.725 (1 - exp(-5.88e-3 (T - 124))) + 5.548e-4 T) 1e-6 /K, T in kelvin.
struct Cte {
  enum class Form { constant, okada_tokumaru_si };
  Form form = Form::constant;
  double alpha_per_k = 0.0;  // for Form::constant
};

inline constexpr double okada_tokumaru_min_k = 120.0;
inline constexpr double okada_tokumaru_max_k = 1500.0;

double cte_at(const Cte& cte, double t_c) noexcept;
// The integral of alpha dT from t_from_c to t_to_c: the free thermal strain of that change
// (negative when cooling).
double thermal_strain(const Cte& cte, double t_from_c, double t_to_c) noexcept;

// Biaxial modulus of a c-plane hexagonal (wurtzite) film: C11 + C12 - 2 C13^2 / C33.
double biaxial_modulus_hexagonal(double c11, double c12, double c13, double c33) noexcept;
// Biaxial modulus in a (111) plane of a cubic crystal, isotropic in that plane:
// 6 C44 (C11 + 2 C12) / (C11 + 2 C12 + 4 C44).
double biaxial_modulus_cubic_111(double c11, double c12, double c44) noexcept;

// One layer of the plate as the mechanics sees it. Layer 0 is the substrate, at the bottom.
struct LayerMechanics {
  double thickness_m = 0.0;
  double biaxial_modulus_pa = 0.0;
  // Stress-free in-plane strain of the layer at the end state, relative to the substrate's
  // dimension at growth temperature: the thermal strain of the cool-down minus the elastic
  // strain the layer already had at growth temperature.
  double free_strain = 0.0;
};

struct MultilayerResult {
  // Curvature of the plate, positive when the top (film) side is convex.
  double curvature_per_m = 0.0;
  double strain_at_bottom = 0.0;  // in-plane strain at z = 0 (the substrate's back side)
  // Per layer, bottom first: the stress at its mid-plane (mean stress), tensile positive.
  std::vector<double> mean_stress_pa;
  // And at its bottom and top faces.
  std::vector<double> bottom_stress_pa;
  std::vector<double> top_stress_pa;
};

// Force and moment balance of the free plate with strain e(z) = e0 + kappa z: a 2x2 linear
// system, the same solution as Hsueh's closed form. Needs at least one layer of positive
// thickness and modulus.
MultilayerResult solve_multilayer(std::span<const LayerMechanics> layers);

// Stoney (Proc. R. Soc. A 82, 172, 1909) with biaxial moduli: kappa = -6 sigma_f h_f / (M_s h_s^2)
// (film on top, tensile sigma_f > 0 makes the film side concave).
double stoney_curvature(double film_stress_pa, double film_thickness_m,
                        double substrate_biaxial_modulus_pa, double substrate_thickness_m) noexcept;

// The sagitta over a diameter of a spherically bent plate: kappa D^2 / 8 (small deflection).
double bow_from_curvature(double curvature_per_m, double diameter_m) noexcept;

}  // namespace g2g::fab

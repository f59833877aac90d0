#include "g2g/fab/bow.hpp"

#include <cmath>
#include <stdexcept>

namespace g2g::fab {
namespace {

constexpr double kelvin_offset = 273.15;
constexpr double ot_a = 3.725e-6;   // 1/K
constexpr double ot_k = 5.88e-3;    // 1/K
constexpr double ot_t0 = 124.0;     // K
constexpr double ot_b = 5.548e-10;  // 1/K^2

// Antiderivative of Okada & Tokumaru's alpha(T), T in kelvin.
double okada_tokumaru_integral(double t_k) noexcept {
  return ot_a * (t_k + std::exp(-ot_k * (t_k - ot_t0)) / ot_k) + 0.5 * ot_b * t_k * t_k;
}

}  // namespace

double cte_at(const Cte& cte, double t_c) noexcept {
  if (cte.form == Cte::Form::constant) return cte.alpha_per_k;
  const double t_k = t_c + kelvin_offset;
  return ot_a * (1.0 - std::exp(-ot_k * (t_k - ot_t0))) + ot_b * t_k;
}

double thermal_strain(const Cte& cte, double t_from_c, double t_to_c) noexcept {
  if (cte.form == Cte::Form::constant) return cte.alpha_per_k * (t_to_c - t_from_c);
  return okada_tokumaru_integral(t_to_c + kelvin_offset) -
         okada_tokumaru_integral(t_from_c + kelvin_offset);
}

double biaxial_modulus_hexagonal(double c11, double c12, double c13, double c33) noexcept {
  return c11 + c12 - 2.0 * c13 * c13 / c33;
}

double biaxial_modulus_cubic_111(double c11, double c12, double c44) noexcept {
  return 6.0 * c44 * (c11 + 2.0 * c12) / (c11 + 2.0 * c12 + 4.0 * c44);
}

MultilayerResult solve_multilayer(std::span<const LayerMechanics> layers) {
  // Stress in layer i: M_i (e0 + kappa z - f_i). No net force and no net moment about z = 0:
  //   [A B; B D] [e0; kappa] = [N; Q],  A = sum M h, B = sum M (z1^2 - z0^2)/2,
  //   D = sum M (z1^3 - z0^3)/3,  N = sum M f h,  Q = sum M f (z1^2 - z0^2)/2.
  // z is measured from the substrate's mid-plane, which keeps A D - B^2 well conditioned.
  if (layers.empty() || !(layers[0].thickness_m > 0.0))
    throw std::invalid_argument("solve_multilayer: the substrate needs a positive thickness");
  double a = 0.0, b = 0.0, d = 0.0, n = 0.0, q = 0.0;
  double z0 = -0.5 * layers[0].thickness_m;
  for (const LayerMechanics& l : layers) {
    if (!(l.thickness_m >= 0.0) || !(l.biaxial_modulus_pa > 0.0))
      throw std::invalid_argument("solve_multilayer: a layer needs thickness >= 0, modulus > 0");
    const double z1 = z0 + l.thickness_m;
    const double m = l.biaxial_modulus_pa;
    const double s1 = z1 - z0;
    const double s2 = 0.5 * (z1 * z1 - z0 * z0);
    const double s3 = (z1 * z1 * z1 - z0 * z0 * z0) / 3.0;
    a += m * s1;
    b += m * s2;
    d += m * s3;
    n += m * l.free_strain * s1;
    q += m * l.free_strain * s2;
    z0 = z1;
  }
  const double det = a * d - b * b;
  const double e_mid = (n * d - b * q) / det;  // strain at the substrate's mid-plane
  const double kappa = (a * q - b * n) / det;
  MultilayerResult out;
  out.curvature_per_m = kappa;
  const double z_bottom = -0.5 * layers[0].thickness_m;
  out.strain_at_bottom = e_mid + kappa * z_bottom;
  z0 = z_bottom;
  for (const LayerMechanics& l : layers) {
    const double z1 = z0 + l.thickness_m;
    const auto stress = [&](double z) {
      return l.biaxial_modulus_pa * (e_mid + kappa * z - l.free_strain);
    };
    out.bottom_stress_pa.push_back(stress(z0));
    out.top_stress_pa.push_back(stress(z1));
    out.mean_stress_pa.push_back(stress(0.5 * (z0 + z1)));
    z0 = z1;
  }
  return out;
}

double stoney_curvature(double film_stress_pa, double film_thickness_m,
                        double substrate_biaxial_modulus_pa,
                        double substrate_thickness_m) noexcept {
  return -6.0 * film_stress_pa * film_thickness_m /
         (substrate_biaxial_modulus_pa * substrate_thickness_m * substrate_thickness_m);
}

double bow_from_curvature(double curvature_per_m, double diameter_m) noexcept {
  return curvature_per_m * diameter_m * diameter_m / 8.0;
}

}  // namespace g2g::fab

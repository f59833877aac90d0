#include "g2g/reliability/acceleration.hpp"

#include <cmath>

namespace g2g::reliability {

double arrhenius_factor(double activation_energy_ev, double use_c, double stress_c) {
  const double inv_use = 1.0 / (use_c + celsius_to_kelvin);
  const double inv_stress = 1.0 / (stress_c + celsius_to_kelvin);
  return std::exp(activation_energy_ev / boltzmann_ev_per_k * (inv_use - inv_stress));
}

double peck_factor(double activation_energy_ev, double humidity_exponent, double use_c,
                   double use_rh, double stress_c, double stress_rh) {
  return std::pow(stress_rh / use_rh, humidity_exponent) *
         arrhenius_factor(activation_energy_ev, use_c, stress_c);
}

double coffin_manson_factor(double exponent, double use_swing_k, double stress_swing_k) {
  return std::pow(stress_swing_k / use_swing_k, exponent);
}

}  // namespace g2g::reliability

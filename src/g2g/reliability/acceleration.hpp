// Acceleration models that turn a stress test into field time (docs/reliability.md): Arrhenius
// for temperature (HTOL, HTRB, HTSL), Peck for temperature and humidity (THB, HAST) and
// Coffin-Manson for temperature cycling. Pure functions; the parameters come from the plan or
// data/reliability/acceleration.yaml with their sources.
#pragma once

namespace g2g::reliability {

// Boltzmann's constant in eV/K (CODATA 2018, exact in the 2019 SI).
inline constexpr double boltzmann_ev_per_k = 8.617333262e-5;
inline constexpr double celsius_to_kelvin = 273.15;

// exp(Ea/k (1/T_use - 1/T_stress)), temperatures in degrees Celsius.
[[nodiscard]] double arrhenius_factor(double activation_energy_ev, double use_c, double stress_c);

// (RH_stress / RH_use)^n times the Arrhenius factor; humidities as fractions in (0, 1].
[[nodiscard]] double peck_factor(double activation_energy_ev, double humidity_exponent,
                                 double use_c, double use_rh, double stress_c, double stress_rh);

// (dT_stress / dT_use)^m: field cycles per test cycle for the same fatigue damage.
[[nodiscard]] double coffin_manson_factor(double exponent, double use_swing_k,
                                          double stress_swing_k);

}  // namespace g2g::reliability

// IEC 61660-1 (1997, corrigendum 1999), "Short-circuit currents in d.c. auxiliary installations
// in power plants and substations - Part 1: Calculation of short-circuit currents": the pieces of
// its method that grid2gpu can state from a source it could check (docs/shortcircuit.md).
//
// - The standard approximation function of a partial short-circuit current: a rise with time
//   constant tau1 to the peak i_p at t_p, then a decay with time constant tau2 to the quasi
//   steady-state current I_k. UNVERIFIED: the form below could not be checked against the
//   standard's text (no public copy was found; docs/shortcircuit.md).
// - The smoothing capacitor's partial current: i_pC and t_pC as the exact peak and time to peak
//   of the capacitor's discharge through the series R_C and L_C of its path to the fault, with
//   I_kC = 0 (physics; the standard charts its own figures against 1/delta and omega_0, and
//   those charts could not be checked either). The rise and decay
//   time constants tau1C = k1C t_pC and tau2C = k2C R_C C take k1C and k2C from charts of the
//   standard that no public source reproduced for this project: they are left unset (with the
//   reason) unless L_C = 0, where the discharge is a pure exponential and tau2C = R_C C exactly.
// - Rectifiers, lead-acid batteries and DC motors and the summation with correction
//   factors are NOT implemented: their factors and charts were not found in a
//   public source (docs/shortcircuit.md, "Left out"). Never guessed.
//
// Pure functions over plain values, in SI units; the library never prints.
#pragma once

#include <optional>
#include <string>

namespace g2g::shortcircuit {

// The standard approximation function (unverified form, see the file's head):
//   0 <= t <= t_p:  i(t) = i_p (1 - e^(-t/tau1)) / (1 - e^(-t_p/tau1))
//   t >= t_p:       i(t) = i_p ((1 - alpha) e^(-(t - t_p)/tau2) + alpha),  alpha = I_k / i_p
// t_p = 0 makes the rise a step (the capacitor with L_C = 0). tau1 = 0 with t_p > 0 is the
// limit of a step at t = 0+ too; tau2 = +inf holds i_p.
struct ApproximationFunction {
  double i_p_a = 0.0;   // peak short-circuit current
  double t_p_s = 0.0;   // time to peak
  double tau1_s = 0.0;  // rise-time constant
  double tau2_s = 0.0;  // decay-time constant
  double i_k_a = 0.0;   // quasi steady-state short-circuit current
};

// i(t) for t >= 0 (0 before). Throws g2g::InvalidInput for a negative time constant or t_p, a
// negative i_p or I_k, or I_k > i_p.
[[nodiscard]] double approximation_current_a(const ApproximationFunction& f, double t_s);

// A capacitor charged to e_v discharging through r_ohm and l_h in series into a bolted fault
// (the capacitor's ESR and its path to the fault, both poles).
struct CapacitorCircuit {
  double e_v = 0.0;    // capacitor voltage at fault inception (E_C)
  double r_ohm = 0.0;  // R_C: ESR + path resistance
  double l_h = 0.0;    // L_C: path loop inductance
  double c_f = 0.0;    // C
};

// The exact discharge current i(t) of the series R-L-C with i(0) = 0 (i = E/R e^(-t/RC) when
// L = 0): under-, critically and overdamped, each in a form that stays accurate near critical
// damping and for delta >> omega_0. Throws InvalidInput for C <= 0, R < 0, L < 0, R = L = 0.
[[nodiscard]] double capacitor_discharge_current_a(const CapacitorCircuit& circuit, double t_s);

// Peak and time to peak of that discharge, in closed form:
//   underdamped (delta < omega_0, omega = sqrt(omega_0^2 - delta^2)):
//     t_p = atan(omega / delta) / omega,  i_p = E sqrt(C / L) e^(-delta t_p)
//   critically damped: t_p = 1 / delta,  i_p = 2 E / (e R)
//   overdamped (gamma = sqrt(delta^2 - omega_0^2)):
//     t_p = atanh(gamma / delta) / gamma,  i_p = i(t_p)
//   L = 0: t_p = 0, i_p = E / R.
// delta = R / (2 L), omega_0 = 1 / sqrt(L C).
struct DischargePeak {
  double i_p_a = 0.0;
  double t_p_s = 0.0;
};
[[nodiscard]] DischargePeak capacitor_discharge_peak(const CapacitorCircuit& circuit);

// The capacitor's partial short-circuit current: i_pC and t_pC
// of the discharge (above), I_kC = 0. tau1C and tau2C are set only where no chart of the standard
// is needed (L_C = 0: tau1C = 0, tau2C = R_C C); otherwise unset and `missing` says why.
struct CapacitorContribution {
  double i_p_a = 0.0;
  double t_p_s = 0.0;
  double i_k_a = 0.0;
  std::optional<double> tau1_s;
  std::optional<double> tau2_s;
  std::string missing;  // empty when tau1 and tau2 are both set
};
[[nodiscard]] CapacitorContribution iec61660_capacitor(const CapacitorCircuit& circuit);

// The approximation function of a contribution whose time constants are known.
[[nodiscard]] std::optional<ApproximationFunction> approximation_of(
    const CapacitorContribution& contribution);

}  // namespace g2g::shortcircuit

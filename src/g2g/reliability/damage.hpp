// Power-cycling damage (docs/reliability.md, "Lifetime"): cycles to failure N_f of one rainflow
// cycle by Coffin-Manson, Norris-Landzberg or the CIPS 2008 form (Bayerer et al., "Model for power
// cycling lifetime of IGBT modules - various factors influencing lifetime", CIPS 2008), and
// Miner's linear damage sum. Pure functions; the parameters per package family come from
// data/reliability/power_cycling.yaml (power_cycling_family()) or a study, with their sources.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/reliability/rainflow.hpp"

namespace g2g::reliability {

enum class CyclingModel { coffin_manson, norris_landzberg, cips2008 };

// The parameters of one law. Exponents are written as the sources write them: n > 0 with
// N ∝ dT^-n for Coffin-Manson and Norris-Landzberg; beta_1 < 0 with N ∝ dT^beta_1 for CIPS 2008.
struct CyclingLaw {
  CyclingModel model = CyclingModel::coffin_manson;
  // A (Coffin-Manson, Norris-Landzberg) or K (CIPS 2008). With absolute = false the scale is 1 and
  // only ratios of N_f (one design against another) mean anything.
  double scale = 1.0;
  bool absolute = false;
  double swing_exponent = 2.0;      // n (CM, NL)
  double activation_k = 0.0;        // NL: Ea/k in K, N ∝ exp(Ea/k / T_max)
  double frequency_exponent = 0.0;  // NL: m, N ∝ f^m (0: no frequency term)
  // CIPS 2008: N = K dT^b1 exp(b2 / (T_min + 273)) t_on^b3 I^b4 V^b5 D^b6, with I, V and D in the
  // paper's units (current per bond wire, voltage class, bond-wire diameter in micrometres).
  double beta[6] = {0, 0, 0, 0, 0, 0};
  double current_per_wire_a = 0.0;
  double voltage_class = 0.0;
  double wire_diameter_um = 0.0;
};

// N = A dT^-n.
[[nodiscard]] double coffin_manson_cycles(double scale, double exponent, double swing_k);

// N = A dT^-n f^m exp(Ea/k / T_max), T_max in degrees Celsius, f in 1/s.
[[nodiscard]] double norris_landzberg_cycles(double scale, double exponent, double activation_k,
                                             double frequency_exponent, double swing_k,
                                             double t_max_c, double frequency_hz);

// N = K dT^b1 exp(b2 / (T_min + 273)) t_on^b3 I^b4 V^b5 D^b6 (T_min in degrees Celsius; 273, not
// 273.15, as the paper writes it).
[[nodiscard]] double cips2008_cycles(const CyclingLaw& law, double swing_k, double t_min_c,
                                     double heating_time_s);

// N_f of one rainflow cycle of a junction temperature in degrees Celsius (range in kelvin). A
// cycle of zero range never fails (infinity). Norris-Landzberg's frequency is 1 / (2 t_heating):
// a cycle heats for half its period.
[[nodiscard]] double cycles_to_failure(const CyclingLaw& law, const RainflowCycle& cycle);

struct MinerResult {
  double damage = 0.0;                   // sum of count_i / N_i over the profile
  double lifetime_s = 0.0;               // profile duration / damage (infinity for zero damage)
  std::vector<double> damage_per_cycle;  // count_i / N_i, in the order of the cycles
};

// Miner's rule over a profile of duration_s (> 0) repeated until the damage reaches 1.
[[nodiscard]] MinerResult miner(const CyclingLaw& law, std::span<const RainflowCycle> cycles,
                                double duration_s);

// A package family's law from data/reliability/power_cycling.yaml ("gan-chip-scale", ...), with
// the source and tag of each value. Throws invalid input for an unknown family, naming the known.
struct CyclingFamily {
  std::string name;
  std::string description;
  CyclingLaw law;
  std::string source;  // where the values come from, or why they are not absolute
  std::string tag;     // standard, measurement, vendor claim, assumption
};
[[nodiscard]] const CyclingFamily& power_cycling_family(std::string_view name);
[[nodiscard]] std::span<const CyclingFamily> power_cycling_families();
// The families of a text in power_cycling.yaml's format (README.md there); throws an internal
// error for a family whose law is incomplete (e.g. cips2008 without its six exponents).
[[nodiscard]] std::vector<CyclingFamily> read_cycling_families(std::string_view text);

}  // namespace g2g::reliability

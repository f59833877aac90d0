#include "g2g/reliability/damage.hpp"

#include <cmath>
#include <limits>

#include "g2g/reliability/acceleration.hpp"

namespace g2g::reliability {
namespace {
constexpr double infinite = std::numeric_limits<double>::infinity();
}

double coffin_manson_cycles(double scale, double exponent, double swing_k) {
  if (!(swing_k > 0.0)) return infinite;
  return scale * std::pow(swing_k, -exponent);
}

double norris_landzberg_cycles(double scale, double exponent, double activation_k,
                               double frequency_exponent, double swing_k, double t_max_c,
                               double frequency_hz) {
  if (!(swing_k > 0.0)) return infinite;
  // A cycle without a duration (repeated time stamps) has no frequency: the term is left out.
  const double f_term = frequency_exponent == 0.0 || !(frequency_hz > 0.0)
                            ? 1.0
                            : std::pow(frequency_hz, frequency_exponent);
  return scale * std::pow(swing_k, -exponent) * f_term *
         std::exp(activation_k / (t_max_c + celsius_to_kelvin));
}

double cips2008_cycles(const CyclingLaw& law, double swing_k, double t_min_c,
                       double heating_time_s) {
  if (!(swing_k > 0.0)) return infinite;
  const double* b = law.beta;
  return law.scale * std::pow(swing_k, b[0]) * std::exp(b[1] / (t_min_c + 273.0)) *
         std::pow(heating_time_s, b[2]) * std::pow(law.current_per_wire_a, b[3]) *
         std::pow(law.voltage_class, b[4]) * std::pow(law.wire_diameter_um, b[5]);
}

double cycles_to_failure(const CyclingLaw& law, const RainflowCycle& cycle) {
  switch (law.model) {
    case CyclingModel::coffin_manson:
      return coffin_manson_cycles(law.scale, law.swing_exponent, cycle.range);
    case CyclingModel::norris_landzberg: {
      const double f_hz = cycle.heating_time_s > 0.0 ? 0.5 / cycle.heating_time_s : 0.0;
      return norris_landzberg_cycles(law.scale, law.swing_exponent, law.activation_k,
                                     law.frequency_exponent, cycle.range, cycle.max, f_hz);
    }
    case CyclingModel::cips2008:
      return cips2008_cycles(law, cycle.range, cycle.min, cycle.heating_time_s);
  }
  return infinite;
}

MinerResult miner(const CyclingLaw& law, std::span<const RainflowCycle> cycles, double duration_s) {
  MinerResult r;
  r.damage_per_cycle.reserve(cycles.size());
  for (const RainflowCycle& c : cycles) {
    const double n_f = cycles_to_failure(law, c);
    const double d = std::isinf(n_f) ? 0.0 : c.count / n_f;
    r.damage_per_cycle.push_back(d);
    r.damage += d;
  }
  r.lifetime_s = r.damage > 0.0 ? duration_s / r.damage : infinite;
  return r;
}

}  // namespace g2g::reliability

#include "g2g/reliability/availability.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "g2g/reliability/qualification.hpp"

namespace g2g::reliability {
namespace {

int crews_of(const KOutOfN& s) {
  return s.repair_crews > 0 ? s.repair_crews : s.n;
}

// Uniform in (0, 1] from 53 random bits, then -ln(u) / rate: the same draws on every platform,
// unlike std::exponential_distribution whose algorithm the standard leaves open.
double exponential(std::mt19937_64& engine, double rate) {
  const double u = static_cast<double>((engine() >> 11) + 1) * 0x1.0p-53;
  return -std::log(u) / rate;
}

}  // namespace

StageAvailability k_out_of_n(const KOutOfN& s) {
  // Birth-death chain on i failed units: pi_{i+1} / pi_i = (n - i) lambda / (min(i+1, r) mu).
  // Computed in ratios to pi_0, then normalised.
  const int crews = crews_of(s);
  std::vector<double> pi(static_cast<std::size_t>(s.n) + 1);
  pi[0] = 1.0;
  for (int i = 0; i < s.n; ++i)
    pi[i + 1] =
        pi[i] * (s.n - i) * s.failure_rate_per_h / (std::min(i + 1, crews) * s.repair_rate_per_h);
  double total = 0.0;
  for (const double p : pi) total += p;
  for (double& p : pi) p /= total;
  StageAvailability a;
  const int max_failed_up = s.n - s.k;  // the stage is up with at most n - k failed
  for (int i = 0; i <= max_failed_up; ++i) a.availability += pi[i];
  // Up -> down: from n - k failed, one more failure among the k working units.
  a.failure_frequency_per_h = pi[max_failed_up] * s.k * s.failure_rate_per_h;
  a.mean_down_time_h = (1.0 - a.availability) / a.failure_frequency_per_h;
  return a;
}

StageAvailability series(std::span<const KOutOfN> stages) {
  std::vector<StageAvailability> each;
  each.reserve(stages.size());
  for (const auto& s : stages) each.push_back(k_out_of_n(s));
  StageAvailability a;
  a.availability = 1.0;
  for (const auto& e : each) a.availability *= e.availability;
  for (std::size_t i = 0; i < each.size(); ++i)
    a.failure_frequency_per_h +=
        each[i].failure_frequency_per_h * a.availability / each[i].availability;
  a.mean_down_time_h = (1.0 - a.availability) / a.failure_frequency_per_h;
  return a;
}

double unserved_energy_wh_per_year(double availability, double load_w) {
  return (1.0 - availability) * load_w * hours_per_year;
}

MonteCarloEstimate simulate_unavailability(std::span<const KOutOfN> stages,
                                           const MonteCarloOptions& options) {
  std::mt19937_64 engine(options.seed);
  MonteCarloEstimate estimate;
  estimate.per_replication.reserve(static_cast<std::size_t>(options.replications));
  constexpr double never = std::numeric_limits<double>::infinity();

  struct Unit {
    std::size_t stage;
    bool up;
    double next_h;  // next failure (up) or end of repair (down, under repair); never: waiting
  };
  for (int rep = 0; rep < options.replications; ++rep) {
    std::vector<Unit> units;
    std::vector<int> failed(stages.size(), 0), repairing(stages.size(), 0);
    for (std::size_t s = 0; s < stages.size(); ++s)
      for (int u = 0; u < stages[s].n; ++u)
        units.push_back({s, true, exponential(engine, stages[s].failure_rate_per_h)});
    const auto system_up = [&] {
      for (std::size_t s = 0; s < stages.size(); ++s)
        if (stages[s].n - failed[s] < stages[s].k) return false;
      return true;
    };
    double t_h = 0.0, down_h = 0.0;
    bool up = true;
    while (true) {
      const auto next =
          std::min_element(units.begin(), units.end(),
                           [](const Unit& a, const Unit& b) { return a.next_h < b.next_h; });
      const double t_next = std::min(next->next_h, options.horizon_h);
      if (!up) down_h += t_next - t_h;
      t_h = t_next;
      if (t_h >= options.horizon_h) break;
      Unit& unit = *next;
      const KOutOfN& stage = stages[unit.stage];
      if (unit.up) {  // a failure: repair starts now if a crew is free, else it waits
        unit.up = false;
        ++failed[unit.stage];
        if (repairing[unit.stage] < crews_of(stage)) {
          ++repairing[unit.stage];
          unit.next_h = t_h + exponential(engine, stage.repair_rate_per_h);
        } else {
          unit.next_h = never;
        }
      } else {  // a repair ends; the crew takes a waiting unit of its stage, if any
        unit.up = true;
        --failed[unit.stage];
        --repairing[unit.stage];
        unit.next_h = t_h + exponential(engine, stage.failure_rate_per_h);
        for (Unit& other : units)
          if (other.stage == unit.stage && !other.up && other.next_h == never) {
            ++repairing[unit.stage];
            other.next_h = t_h + exponential(engine, stage.repair_rate_per_h);
            break;
          }
      }
      up = system_up();
    }
    estimate.per_replication.push_back(down_h / options.horizon_h);
  }
  const double count = static_cast<double>(estimate.per_replication.size());
  double sum = 0.0;
  for (const double u : estimate.per_replication) sum += u;
  estimate.unavailability = sum / count;
  double squares = 0.0;
  for (const double u : estimate.per_replication)
    squares += (u - estimate.unavailability) * (u - estimate.unavailability);
  estimate.standard_error = std::sqrt(squares / (count - 1.0) / count);
  return estimate;
}

}  // namespace g2g::reliability

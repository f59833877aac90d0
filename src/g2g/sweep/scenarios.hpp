// The scenario generator (docs/sweep.md, "Scenarios"): the value combinations of a sweep, in a
// fixed order, drawn from std::mt19937_64 (whose output sequence the C++ standard fixes) through
// inverse-CDF transforms (Boost.Math's normal quantile, closed forms otherwise), never through
// std::*_distribution, whose algorithms differ between standard libraries. The same sweep file
// gives the same table on every platform, in the CLI and in Python.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/sweep/sweep_file.hpp"

namespace g2g::sweep {

// A uniform number in the open interval (0, 1) from one 64-bit output of the engine: its top 52
// bits b give (b + 0.5) / 2^52, every value exact, from 2^-53 to 1 - 2^-53, so 0 and 1 never
// occur and the quantiles stay finite. (With 53 bits, (2^53 - 0.5) / 2^53 rounds to 1.)
[[nodiscard]] double uniform_open(std::uint64_t bits) noexcept;

// The standard normal quantile (inverse CDF) at p in (0, 1) (Boost.Math).
[[nodiscard]] double normal_quantile(double p);

// The value of `distribution` at probability u in (0, 1):
//   uniform     min + u (max - min)
//   normal      mean + sd z(u)
//   lognormal   median exp(sigma_log z(u))
//   triangular  min + sqrt(u (max - min)(mode - min))        when u < (mode - min)/(max - min)
//               max - sqrt((1 - u)(max - min)(max - mode))   otherwise
// where z is normal_quantile.
[[nodiscard]] double quantile(const Distribution& distribution, double u);

// The value combinations of `spec`, one row per combination, one value per swept parameter in
// the file's order:
//   grid         the cartesian product, the first parameter varying slowest;
//   zip          the i-th value of every parameter;
//   monte_carlo  the grid of the lists and ranges, and for each of its rows the same `samples`
//                draws: draw d takes, for each distribution in the file's order, the next output
//                of std::mt19937_64(seed) (so draw d's numbers do not depend on the lists).
std::vector<std::vector<double>> value_combinations(const SweepSpec& spec);

// 64-bit FNV-1a of `bytes`, continuing from `hash`.
[[nodiscard]] std::uint64_t fnv1a(std::string_view bytes,
                                  std::uint64_t hash = 0xcbf29ce484222325ULL) noexcept;

// A scenario's id: 16 lowercase hex digits of FNV-1a over the base model's text and then, for
// each swept parameter in the file's order, "\n<name>=<value %.17g>". The same model text and
// values give the same id wherever the sweep runs.
[[nodiscard]] std::string scenario_id(std::string_view model_text,
                                      std::span<const std::string> names,
                                      std::span<const double> values);
// The same from fnv1a(model_text), computed once for every scenario of a model.
[[nodiscard]] std::string scenario_id(std::uint64_t model_text_hash,
                                      std::span<const std::string> names,
                                      std::span<const double> values);

// A value as it is handed to the model (%.17g, round-trip exact) with its SI unit:
// "130000 W", "0.97".
[[nodiscard]] std::string override_text(double value_si, core::Dimension dimension);

}  // namespace g2g::sweep

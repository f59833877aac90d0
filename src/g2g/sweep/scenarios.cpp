#include "g2g/sweep/scenarios.hpp"

#include <fmt/format.h>
#include <fmt/printf.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <random>

#include "g2g/core/error.hpp"

namespace g2g::sweep {

double uniform_open(std::uint64_t bits) noexcept {
  constexpr double two_to_minus_52 = 1.0 / 4503599627370496.0;
  return (static_cast<double>(bits >> 12) + 0.5) * two_to_minus_52;
}

double normal_quantile(double p) {
  static const boost::math::normal_distribution<double> standard(0.0, 1.0);
  return boost::math::quantile(standard, p);
}

double quantile(const Distribution& d, double u) {
  switch (d.kind) {
    case DistributionKind::uniform:
      return d.min + u * (d.max - d.min);
    case DistributionKind::normal:
      return d.mean + d.sd * normal_quantile(u);
    case DistributionKind::lognormal:
      return d.median * std::exp(d.sigma_log * normal_quantile(u));
    case DistributionKind::triangular: {
      const double width = d.max - d.min;
      if (u < (d.mode - d.min) / width) return d.min + std::sqrt(u * width * (d.mode - d.min));
      return d.max - std::sqrt((1.0 - u) * width * (d.max - d.mode));
    }
  }
  throw Error(ErrorKind::internal, "unknown distribution kind");
}

std::vector<std::vector<double>> value_combinations(const SweepSpec& spec) {
  const std::size_t n = spec.parameters.size();
  std::vector<std::vector<double>> rows;
  if (spec.combine == Combine::zip) {
    const std::size_t length = n == 0 ? 0 : spec.parameters[0].values.size();
    for (std::size_t i = 0; i < length; ++i) {
      std::vector<double> row;
      for (const auto& p : spec.parameters) row.push_back(p.values.at(i));
      rows.push_back(std::move(row));
    }
    return rows;
  }
  // The grid of the lists, the last one turning fastest.
  std::vector<std::size_t> lists;
  for (std::size_t i = 0; i < n; ++i)
    if (!spec.parameters[i].distribution) lists.push_back(i);
  std::size_t cells = 1;
  for (const std::size_t i : lists) cells *= spec.parameters[i].values.size();
  std::vector<std::vector<double>> grid;
  grid.reserve(cells);
  for (std::size_t cell = 0; cell < cells; ++cell) {
    std::vector<double> row(n, 0.0);
    std::size_t rest = cell;
    for (auto k = lists.size(); k-- > 0;) {
      const auto& values = spec.parameters[lists[k]].values;
      row[lists[k]] = values[rest % values.size()];
      rest /= values.size();
    }
    grid.push_back(std::move(row));
  }
  if (spec.combine == Combine::grid) return grid;

  // Monte Carlo: the draws once, then crossed with the grid.
  std::mt19937_64 engine(spec.seed);
  std::vector<std::vector<double>> draws(spec.samples, std::vector<double>(n, 0.0));
  for (auto& draw : draws)
    for (std::size_t i = 0; i < n; ++i)
      if (const auto& d = spec.parameters[i].distribution)
        draw[i] = quantile(*d, uniform_open(engine()));
  for (const auto& g : grid) {
    for (const auto& draw : draws) {
      std::vector<double> row = g;
      for (std::size_t i = 0; i < n; ++i)
        if (spec.parameters[i].distribution) row[i] = draw[i];
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t hash) noexcept {
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string scenario_id(std::string_view model_text, std::span<const std::string> names,
                        std::span<const double> values) {
  return scenario_id(fnv1a(model_text), names, values);
}

std::string scenario_id(std::uint64_t model_text_hash, std::span<const std::string> names,
                        std::span<const double> values) {
  std::uint64_t hash = model_text_hash;
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i)
    hash = fnv1a(fmt::format("\n{}={}", names[i], fmt::sprintf("%.17g", values[i])), hash);
  return fmt::format("{:016x}", hash);
}

std::string override_text(double value_si, core::Dimension dimension) {
  const std::string number = fmt::sprintf("%.17g", value_si);
  const std::string_view unit = core::si_symbol(dimension);
  return unit.empty() ? number : fmt::format("{} {}", number, unit);
}

}  // namespace g2g::sweep

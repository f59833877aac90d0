// Availability closed forms: a single unit is mu / (lambda + mu); 1-of-2 with two crews is
// 1 - U^2; series multiplies; a limited repair crew lowers availability; the Monte Carlo is
// reproducible for a seed.
#include <gtest/gtest.h>

#include <array>
#include <cmath>

#include "g2g/reliability/availability.hpp"

namespace g2g::reliability {
namespace {

constexpr double lambda = 1e-3;  // per hour
constexpr double mu = 0.1;

TEST(Availability, SingleUnit) {
  const auto a = k_out_of_n({1, 1, lambda, mu});
  EXPECT_NEAR(a.availability, mu / (lambda + mu), 1e-15);
  EXPECT_NEAR(a.mean_down_time_h, 1.0 / mu, 1e-9);
  EXPECT_NEAR(a.failure_frequency_per_h, lambda * mu / (lambda + mu), 1e-15);
}

TEST(Availability, IndependentRepairIsBinomial) {
  const double u = lambda / (lambda + mu);
  EXPECT_NEAR(1.0 - k_out_of_n({2, 1, lambda, mu}).availability, u * u, 1e-15);
  // 2-of-3: up with at most one failed.
  const double a = 1.0 - u;
  EXPECT_NEAR(k_out_of_n({3, 2, lambda, mu}).availability, a * a * a + 3 * a * a * u, 1e-14);
}

TEST(Availability, OneRepairCrew) {
  // 1-of-2, one crew: pi1/pi0 = 2 l / m, pi2/pi1 = l / m.
  const double r = lambda / mu;
  const double down = 2 * r * r / (1 + 2 * r + 2 * r * r);
  EXPECT_NEAR(1.0 - k_out_of_n({2, 1, lambda, mu, 1}).availability, down, 1e-15);
  EXPECT_GT(down, std::pow(lambda / (lambda + mu), 2));
}

TEST(Availability, SeriesMultiplies) {
  const std::array stages{KOutOfN{1, 1, lambda, mu}, KOutOfN{3, 2, 2 * lambda, mu}};
  const auto s = series(stages);
  EXPECT_NEAR(s.availability,
              k_out_of_n(stages[0]).availability * k_out_of_n(stages[1]).availability, 1e-15);
  EXPECT_NEAR(unserved_energy_wh_per_year(s.availability, 1e6),
              (1.0 - s.availability) * 1e6 * 8766.0, 1e-6);
}

TEST(Availability, MonteCarloIsReproducible) {
  const std::array stages{KOutOfN{2, 1, lambda, mu}};
  const MonteCarloOptions o{7, 5, 1e5};
  const auto a = simulate_unavailability(stages, o);
  const auto b = simulate_unavailability(stages, o);
  EXPECT_EQ(a.per_replication, b.per_replication);
}

}  // namespace
}  // namespace g2g::reliability

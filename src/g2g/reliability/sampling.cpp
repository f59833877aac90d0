#include "g2g/reliability/sampling.hpp"

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/hypergeometric.hpp>

#include <algorithm>
#include <cmath>

namespace g2g::reliability {

double failure_rate_upper_per_h(std::int64_t failures, double equivalent_device_hours,
                                double confidence) {
  const boost::math::chi_squared chi2(2.0 * static_cast<double>(failures) + 2.0);
  return boost::math::quantile(chi2, confidence) / (2.0 * equivalent_device_hours);
}

double accept_probability_binomial(std::int64_t n, std::int64_t c, double defect_fraction) {
  if (c >= n) return 1.0;
  const boost::math::binomial dist(static_cast<double>(n), defect_fraction);
  return boost::math::cdf(dist, static_cast<double>(c));
}

double accept_probability_hypergeometric(std::int64_t lot_size, std::int64_t defectives,
                                         std::int64_t n, std::int64_t c) {
  if (c >= n || c >= defectives) return 1.0;
  // Fewer than c + 1 good units cannot fill the sample: more than c defectives are certain.
  if (n + defectives - lot_size > c) return 0.0;
  const boost::math::hypergeometric dist(static_cast<unsigned>(defectives),
                                         static_cast<unsigned>(n), static_cast<unsigned>(lot_size));
  return boost::math::cdf(dist, static_cast<unsigned>(c));
}

double defect_fraction_at(std::int64_t n, std::int64_t c, std::int64_t lots,
                          double accept_probability) {
  if (c >= n) return 1.0;
  // P_lot(p)^lots = P  <=>  P_lot(p) = P^(1/lots); Boost's upper bound on p after c "successes"
  // in n trials at level a is the p with P(X <= c) = a.
  const double per_lot = std::pow(accept_probability, 1.0 / static_cast<double>(lots));
  return boost::math::binomial::find_upper_bound_on_p(static_cast<double>(n),
                                                      static_cast<double>(c), per_lot);
}

double defect_fraction_at_hypergeometric(std::int64_t lot_size, std::int64_t n, std::int64_t c,
                                         std::int64_t lots, double accept_probability) {
  // The acceptance probability falls as defectives grow: the first D that reaches the target.
  for (std::int64_t d = 0; d <= lot_size; ++d) {
    const double p_all =
        std::pow(accept_probability_hypergeometric(lot_size, d, n, c), static_cast<double>(lots));
    if (p_all <= accept_probability) return static_cast<double>(d) / static_cast<double>(lot_size);
  }
  return 1.0;
}

double failure_probability_upper(std::int64_t units, std::int64_t failures, double confidence) {
  if (failures >= units) return 1.0;
  return boost::math::binomial::find_upper_bound_on_p(
      static_cast<double>(units), static_cast<double>(failures), 1.0 - confidence);
}

}  // namespace g2g::reliability

#include "g2g/fab/yield.hpp"

#include <cmath>
#include <limits>

namespace g2g::fab {

std::string_view name(YieldModel model) noexcept {
  switch (model) {
    case YieldModel::poisson:
      return "poisson";
    case YieldModel::murphy:
      return "murphy";
    case YieldModel::seeds:
      return "seeds";
    case YieldModel::negative_binomial:
      return "negative_binomial";
  }
  return "?";
}

double yield_poisson(double ad) noexcept {
  return std::exp(-ad);
}

double yield_murphy(double ad) noexcept {
  // (1 - e^-x)/x by expm1, exact near x = 0 where the quotient is 0/0.
  if (ad < 1e-12) return 1.0 - ad;
  const double q = -std::expm1(-ad) / ad;
  return q * q;
}

double yield_seeds(double ad) noexcept {
  return 1.0 / (1.0 + ad);
}

double yield_negative_binomial(double ad, double alpha) noexcept {
  // exp(-alpha log1p(AD/alpha)): stays accurate for large alpha (the Poisson limit).
  return std::exp(-alpha * std::log1p(ad / alpha));
}

double die_yield(YieldModel model, double d0_per_m2, double area_m2, double alpha) noexcept {
  const double ad = d0_per_m2 * area_m2;
  switch (model) {
    case YieldModel::poisson:
      return yield_poisson(ad);
    case YieldModel::murphy:
      return yield_murphy(ad);
    case YieldModel::seeds:
      return yield_seeds(ad);
    case YieldModel::negative_binomial:
      return yield_negative_binomial(ad, alpha);
  }
  return std::numeric_limits<double>::quiet_NaN();
}

double defect_density_for_yield(YieldModel model, double yield, double area_m2,
                                double alpha) noexcept {
  if (!(yield > 0.0 && yield < 1.0) || !(area_m2 > 0.0))
    return std::numeric_limits<double>::quiet_NaN();
  double ad = 0.0;
  switch (model) {
    case YieldModel::poisson:
      ad = -std::log(yield);
      break;
    case YieldModel::seeds:
      ad = 1.0 / yield - 1.0;
      break;
    case YieldModel::negative_binomial:
      ad = alpha * std::expm1(-std::log(yield) / alpha);
      break;
    case YieldModel::murphy: {
      // Murphy's yield falls monotonically from 1 (AD = 0) towards 0 as 1/AD^2: bracket, bisect.
      double lo = 0.0;
      double hi = 1.0;
      while (yield_murphy(hi) > yield && hi < 1e12) hi *= 2.0;
      for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; ++i) {
        const double mid = 0.5 * (lo + hi);
        (yield_murphy(mid) > yield ? lo : hi) = mid;
      }
      ad = 0.5 * (lo + hi);
      break;
    }
  }
  return ad / area_m2;
}

double cost_per_good_die(double wafer_cost, double gross_die, double yield) noexcept {
  const double good = gross_die * yield;
  return good > 0.0 ? wafer_cost / good : std::numeric_limits<double>::infinity();
}

}  // namespace g2g::fab

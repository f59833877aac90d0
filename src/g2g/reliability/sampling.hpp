// Attribute sampling and life-test statistics for qualification plans (docs/reliability.md): the
// chi-squared bound on a constant failure rate (JESD85 style), the operating characteristic of an
// accept-on-c plan (binomial, hypergeometric for a small lot), LTPD and the producer's point.
// Every quantile comes from Boost.Math; nothing here hand-writes one.
#pragma once

#include <cstdint>

namespace g2g::reliability {

// One-sided upper bound on a constant failure rate (per hour) after `failures` failures in
// `equivalent_device_hours` (device-hours times the acceleration factor), at `confidence` in
// (0, 1): chi2(confidence; 2 r + 2) / (2 T). With no failure it is -ln(1 - CL) / T.
[[nodiscard]] double failure_rate_upper_per_h(std::int64_t failures, double equivalent_device_hours,
                                              double confidence);

// FIT: failures per 1e9 device-hours.
[[nodiscard]] constexpr double to_fit(double rate_per_h) noexcept {
  return rate_per_h * 1e9;
}

// P(accept) of one lot's sample of n units with accept number c when each unit is defective with
// probability p (an infinite lot): the binomial P(X <= c).
[[nodiscard]] double accept_probability_binomial(std::int64_t n, std::int64_t c,
                                                 double defect_fraction);

// The same from a finite lot of `lot_size` units holding `defectives` defective ones, sampled
// without replacement: the hypergeometric P(X <= c).
[[nodiscard]] double accept_probability_hypergeometric(std::int64_t lot_size,
                                                       std::int64_t defectives, std::int64_t n,
                                                       std::int64_t c);

// The defect fraction p at which a plan of `lots` independent lots, each sampled n with accept
// number c, is accepted (every lot passing) with probability `accept_probability`: the solution
// of P_lot(p)^lots = accept_probability (Clopper-Pearson bound of Boost.Math). LTPD is this at the
// consumer's risk (0.10); the producer's point at 1 - producer's risk.
[[nodiscard]] double defect_fraction_at(std::int64_t n, std::int64_t c, std::int64_t lots,
                                        double accept_probability);

// The hypergeometric counterpart for lots of `lot_size`: the smallest defective fraction D/N
// whose acceptance probability (every lot passing) is at most `accept_probability`.
[[nodiscard]] double defect_fraction_at_hypergeometric(std::int64_t lot_size, std::int64_t n,
                                                       std::int64_t c, std::int64_t lots,
                                                       double accept_probability);

// The upper bound on a unit's probability of failing the stress after `failures` failures among
// `units`, at `confidence` (Clopper-Pearson): with none, 1 - (1 - CL)^(1/units).
[[nodiscard]] double failure_probability_upper(std::int64_t units, std::int64_t failures,
                                               double confidence);

}  // namespace g2g::reliability

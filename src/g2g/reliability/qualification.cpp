#include "g2g/reliability/qualification.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "g2g/reliability/acceleration.hpp"
#include "g2g/reliability/sampling.hpp"

namespace g2g::reliability {
namespace {

// OC curve resolution: points from p = 0 to a few LTPDs, enough for a smooth chart.
constexpr int oc_points = 61;
constexpr double oc_span_ltpd = 3.0;
constexpr double seconds_per_hour = 3600.0;

std::string percent(double fraction) {
  return fmt::format("{:.3g} %", 100.0 * fraction);
}

}  // namespace

std::string_view stress_kind_name(StressKind kind) noexcept {
  switch (kind) {
    case StressKind::life:
      return "life";
    case StressKind::humidity:
      return "humidity";
    case StressKind::cycling:
      return "cycling";
  }
  return "life";
}

double acceleration_factor(const StressPlan& s, const UseConditions& use) {
  switch (s.kind) {
    case StressKind::life:
      return arrhenius_factor(s.activation_energy_ev.value, use.temperature_c, s.temperature_c);
    case StressKind::humidity:
      return peck_factor(s.activation_energy_ev.value, s.humidity_exponent.value, use.temperature_c,
                         use.humidity.value_or(1.0), s.temperature_c, s.humidity);
    case StressKind::cycling:
      return coffin_manson_factor(s.coffin_manson_exponent.value,
                                  use.temperature_swing_k.value_or(1.0),
                                  s.temperature_high_c - s.temperature_low_c);
  }
  return 1.0;
}

StressResult evaluate_stress(const StressPlan& s, const QualificationPlan& plan) {
  StressResult r;
  r.name = s.name;
  r.kind = s.kind;
  r.units = s.samples * s.lots;
  r.failures_observed = s.failures.has_value();
  r.failures = s.failures.value_or(s.accept * s.lots);
  r.acceleration_factor = acceleration_factor(s, plan.use);
  // A test hour is AF field hours; a test cycle is AF field cycles, which take
  // AF / cycles_per_year years in the field.
  r.field_hours_per_unit = s.kind == StressKind::cycling
                               ? s.cycles * r.acceleration_factor /
                                     plan.use.cycles_per_year.value_or(1.0) * hours_per_year
                               : s.test_time_s / seconds_per_hour * r.acceleration_factor;
  r.equivalent_device_hours = static_cast<double>(r.units) * r.field_hours_per_unit;
  r.failure_rate_upper_per_h =
      failure_rate_upper_per_h(r.failures, r.equivalent_device_hours, plan.confidence);
  r.fit_upper = to_fit(r.failure_rate_upper_per_h);
  r.mttf_lower_h = 1.0 / r.failure_rate_upper_per_h;
  r.failure_probability_upper = failure_probability_upper(r.units, r.failures, plan.confidence);

  const bool finite = s.lot_size.has_value();
  r.oc_model = finite ? "hypergeometric" : "binomial";
  if (finite) {
    r.ltpd = defect_fraction_at_hypergeometric(*s.lot_size, s.samples, s.accept, s.lots,
                                               plan.consumer_risk);
    r.producer_point = defect_fraction_at_hypergeometric(*s.lot_size, s.samples, s.accept, s.lots,
                                                         1.0 - plan.producer_risk);
  } else {
    r.ltpd = defect_fraction_at(s.samples, s.accept, s.lots, plan.consumer_risk);
    r.producer_point = defect_fraction_at(s.samples, s.accept, s.lots, 1.0 - plan.producer_risk);
  }
  const auto accept_lot = [&](double p) {
    if (!finite) return accept_probability_binomial(s.samples, s.accept, p);
    const auto defectives = static_cast<std::int64_t>(std::llround(p * *s.lot_size));
    return accept_probability_hypergeometric(*s.lot_size, defectives, s.samples, s.accept);
  };
  const double lots = static_cast<double>(s.lots);
  if (plan.aql) r.producer_risk_at_aql = 1.0 - std::pow(accept_lot(*plan.aql), lots);
  const double p_max = std::min(1.0, oc_span_ltpd * r.ltpd);
  r.oc_curve.reserve(oc_points);
  for (int k = 0; k < oc_points; ++k) {
    const double p = p_max * k / (oc_points - 1);
    const double lot = accept_lot(p);
    r.oc_curve.push_back({p, lot, std::pow(lot, lots)});
  }

  // What passing shows, in words.
  const double years = r.field_hours_per_unit / hours_per_year;
  const int cl = static_cast<int>(std::lround(100.0 * plan.confidence));
  if (r.failures_observed)
    r.findings.push_back(fmt::format("with {} failure{} observed in {} units", r.failures,
                                     r.failures == 1 ? "" : "s", r.units));
  else
    r.findings.push_back(
        fmt::format("evaluated at {} failure{} in {} units, the most the plan accepts ({} per lot)",
                    r.failures, r.failures == 1 ? "" : "s", r.units, s.accept));
  r.findings.push_back(fmt::format(
      "at {} % confidence: failure rate <= {:.4g} FIT (MTTF >= {:.4g} years) at the use "
      "conditions, if it is constant over the {:.3g} field years one unit's test stands for",
      cl, r.fit_upper, r.mttf_lower_h / hours_per_year, years));
  r.findings.push_back(
      fmt::format("at {} % confidence: under {} of units fail within those {:.3g} field years", cl,
                  percent(r.failure_probability_upper), years));
  r.findings.push_back(fmt::format(
      "a lot with {} defective is accepted {} of the time (LTPD); one with {} is accepted {} "
      "of the time",
      percent(r.ltpd), percent(plan.consumer_risk), percent(r.producer_point),
      percent(1.0 - plan.producer_risk)));
  if (s.accept == 0)
    r.findings.push_back(
        "accept-on-zero rejects a lot on one failure, which protects the consumer at the LTPD "
        "but also rejects good lots: its producer's point is low, and it shows nothing about "
        "mechanisms this stress does not accelerate or about wear-out after the equivalent time");
  return r;
}

QualificationResult evaluate_plan(const QualificationPlan& plan) {
  QualificationResult result;
  result.stresses.reserve(plan.stresses.size());
  for (const auto& s : plan.stresses) result.stresses.push_back(evaluate_stress(s, plan));
  return result;
}

}  // namespace g2g::reliability

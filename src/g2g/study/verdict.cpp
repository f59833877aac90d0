#include "g2g/study/verdict.hpp"

#include <cmath>

namespace g2g::study {

std::string_view name(ClaimForm form) noexcept {
  switch (form) {
    case ClaimForm::about:
      return "about";
    case ClaimForm::up_to:
      return "up to";
    case ClaimForm::at_least:
      return "at least";
  }
  return "about";
}

std::optional<ClaimForm> parse_claim_form(std::string_view text) noexcept {
  if (text == "about") return ClaimForm::about;
  if (text == "up to" || text == "up_to") return ClaimForm::up_to;
  if (text == "at least" || text == "at_least") return ClaimForm::at_least;
  return std::nullopt;
}

std::string_view verdict_name(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::consistent:
      return "consistent";
    case Verdict::understated:
      return "understated";
    case Verdict::overstated:
      return "overstated";
    case Verdict::not_applicable:
      break;
  }
  return "n/a";
}

std::optional<Verdict> parse_verdict(std::string_view text) noexcept {
  for (const Verdict v :
       {Verdict::consistent, Verdict::understated, Verdict::overstated, Verdict::not_applicable})
    if (text == verdict_name(v)) return v;
  return std::nullopt;
}

Verdict judge(ClaimForm form, double published, double tolerance, Range range) noexcept {
  if (!std::isfinite(range.low) || !std::isfinite(range.high) || !std::isfinite(published))
    return Verdict::not_applicable;
  const double tol = std::fabs(tolerance);
  // The end of the range the claim speaks about: both ends for "about", the best case for
  // "up to", the worst case for "at least".
  double below = range.high;  // overstated when this end is below X - tol
  double above = range.low;   // understated when this end is above X + tol
  if (form == ClaimForm::up_to) above = range.high;
  if (form == ClaimForm::at_least) below = range.low;
  if (below < published - tol) return Verdict::overstated;
  if (above > published + tol) return Verdict::understated;
  return Verdict::consistent;
}

std::optional<double> bisect(const std::function<double(double)>& f, double lo, double hi,
                             double target, double x_tolerance, int max_steps) {
  double f_lo = f(lo) - target;
  const double f_hi = f(hi) - target;
  if (!std::isfinite(f_lo) || !std::isfinite(f_hi)) return std::nullopt;
  if (f_lo == 0.0) return lo;
  if (f_hi == 0.0) return hi;
  if ((f_lo > 0.0) == (f_hi > 0.0)) return std::nullopt;
  for (int step = 0; step < max_steps && hi - lo > x_tolerance; ++step) {
    const double mid = 0.5 * (lo + hi);
    const double f_mid = f(mid) - target;
    if (!std::isfinite(f_mid)) return std::nullopt;
    if (f_mid == 0.0) return mid;
    if ((f_mid > 0.0) == (f_lo > 0.0)) {
      lo = mid;
      f_lo = f_mid;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

}  // namespace g2g::study

// Two-sided verdicts on a published claim, from the range of values grid2gpu computes for it
// under every assumption set, and the break-even value of an assumption (the value at which the
// computed figure equals the claim), found by bisection on the engine. Pure functions; the
// verdict rules are in docs/compare.md ("Verdicts").
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace g2g::study {

// How a claim states its number. Every figure is oriented so that larger is more favourable
// to the claim (a reduction, a ratio, a gain in points).
enum class ClaimForm : std::uint8_t {
  about,     // "about X", "X": X should lie inside the computed range
  up_to,     // "up to X": the best case should reach X, not exceed it
  at_least,  // "at least X": the worst case should reach X
};
[[nodiscard]] std::string_view name(ClaimForm form) noexcept;
// "about", "up to" / "up_to", "at least" / "at_least"; nullopt otherwise.
[[nodiscard]] std::optional<ClaimForm> parse_claim_form(std::string_view text) noexcept;

enum class Verdict : std::uint8_t {
  consistent,      // the claim agrees with the computed range (within the tolerance)
  understated,     // the physics gives more than the claim says (the claim is conservative)
  overstated,      // the physics gives less than the claim says
  not_applicable,  // the claim does not apply (no figure could be computed)
};
[[nodiscard]] std::string_view verdict_name(Verdict verdict) noexcept;
// The verdict verdict_name spells `text`; nullopt for any other text.
[[nodiscard]] std::optional<Verdict> parse_verdict(std::string_view text) noexcept;

// The computed range of a claim's figure.
struct Range {
  double low = 0.0;
  double high = 0.0;
};

// Verdict of a claim of `form` with value `published` against `range`, with an absolute
// `tolerance` in the claim's unit:
//   about:    overstated if high < X - tol; understated if low > X + tol; else consistent.
//   up to:    compares the best case: high < X - tol overstated, high > X + tol understated.
//   at least: compares the worst case: low < X - tol overstated, low > X + tol understated.
// A range with a non-finite end is not_applicable.
[[nodiscard]] Verdict judge(ClaimForm form, double published, double tolerance,
                            Range range) noexcept;

// The x in [lo, hi] where f(x) = target, by bisection, when f(lo) - target and f(hi) - target
// have opposite signs (f continuous and monotonic in between); nullopt when they do not.
// Stops when the bracket is narrower than x_tolerance or after max_steps evaluations.
[[nodiscard]] std::optional<double> bisect(const std::function<double(double)>& f, double lo,
                                           double hi, double target, double x_tolerance,
                                           int max_steps = 60);

}  // namespace g2g::study

// Two-sided verdicts on constructed ranges, and the bisection behind break-even values.
#include <gtest/gtest.h>

#include <cmath>

#include "g2g/study/verdict.hpp"

namespace g2g::study {
namespace {

constexpr double x = 0.45;
constexpr double tol = 0.05;

TEST(Verdict, AboutIsConsistentWhenTheClaimIsInsideTheRangeOrWithinTolerance) {
  EXPECT_EQ(judge(ClaimForm::about, x, tol, {0.30, 0.60}), Verdict::consistent);  // inside
  EXPECT_EQ(judge(ClaimForm::about, x, tol, {0.45, 0.45}), Verdict::consistent);  // equal
  EXPECT_EQ(judge(ClaimForm::about, x, tol, {0.48, 0.55}), Verdict::consistent);  // low within
  EXPECT_EQ(judge(ClaimForm::about, x, tol, {0.30, 0.41}), Verdict::consistent);  // high within
}

TEST(Verdict, AboutIsUnderstatedWhenEveryValueIsMoreFavourable) {
  EXPECT_EQ(judge(ClaimForm::about, x, tol, {0.51, 0.70}), Verdict::understated);
  EXPECT_EQ(judge(ClaimForm::about, x, 0.0, {0.4501, 0.5}), Verdict::understated);
}

TEST(Verdict, AboutIsOverstatedWhenEveryValueIsLessFavourable) {
  EXPECT_EQ(judge(ClaimForm::about, x, tol, {0.10, 0.39}), Verdict::overstated);
  EXPECT_EQ(judge(ClaimForm::about, x, 0.0, {0.40, 0.4499}), Verdict::overstated);
}

// "Up to X" speaks of the best case: consistent when the range reaches X without going past it
// by more than the tolerance.
TEST(Verdict, UpToComparesTheBestCase) {
  EXPECT_EQ(judge(ClaimForm::up_to, 0.05, 0.005, {0.01, 0.052}), Verdict::consistent);
  EXPECT_EQ(judge(ClaimForm::up_to, 0.05, 0.005, {0.046, 0.046}), Verdict::consistent);
  // The best case goes well past the claim: the physics allows more than "up to" says.
  EXPECT_EQ(judge(ClaimForm::up_to, 0.05, 0.005, {0.03, 0.09}), Verdict::understated);
  // Even the best case falls short.
  EXPECT_EQ(judge(ClaimForm::up_to, 0.05, 0.005, {0.01, 0.03}), Verdict::overstated);
  // Unlike "about", a low end below X does not make "up to" overstated.
  EXPECT_EQ(judge(ClaimForm::up_to, 0.05, 0.005, {-0.02, 0.05}), Verdict::consistent);
}

// "At least X" speaks of the worst case.
TEST(Verdict, AtLeastComparesTheWorstCase) {
  EXPECT_EQ(judge(ClaimForm::at_least, 0.30, 0.03, {0.28, 0.90}), Verdict::consistent);
  EXPECT_EQ(judge(ClaimForm::at_least, 0.30, 0.03, {0.10, 0.90}), Verdict::overstated);
  EXPECT_EQ(judge(ClaimForm::at_least, 0.30, 0.03, {0.40, 0.90}), Verdict::understated);
}

TEST(Verdict, NotApplicableWithoutAFigure) {
  EXPECT_EQ(judge(ClaimForm::about, x, tol, {NAN, 0.5}), Verdict::not_applicable);
  EXPECT_EQ(judge(ClaimForm::up_to, x, tol, {0.1, INFINITY}), Verdict::not_applicable);
}

TEST(Verdict, FormsParseBothSpellings) {
  EXPECT_EQ(parse_claim_form("up to"), ClaimForm::up_to);
  EXPECT_EQ(parse_claim_form("up_to"), ClaimForm::up_to);
  EXPECT_EQ(parse_claim_form("at least"), ClaimForm::at_least);
  EXPECT_EQ(parse_claim_form("about"), ClaimForm::about);
  EXPECT_FALSE(parse_claim_form("roughly").has_value());
  EXPECT_EQ(verdict_name(Verdict::understated), "understated");
}

TEST(Verdict, NamesParseBack) {
  for (const Verdict v :
       {Verdict::consistent, Verdict::understated, Verdict::overstated, Verdict::not_applicable})
    EXPECT_EQ(parse_verdict(verdict_name(v)), v) << verdict_name(v);
  EXPECT_EQ(parse_verdict("n/a"), Verdict::not_applicable);
  EXPECT_FALSE(parse_verdict("holds").has_value());
  EXPECT_FALSE(parse_verdict("").has_value());
}

TEST(Bisect, FindsTheRootOfAMonotonicFunction) {
  // x^3 = 2 on [0, 2]: the cube root of 2.
  const auto r = bisect([](double v) { return v * v * v; }, 0.0, 2.0, 2.0, 1e-12);
  ASSERT_TRUE(r.has_value());
  EXPECT_NEAR(*r, std::cbrt(2.0), 1e-11);
  // Decreasing functions too.
  const auto d = bisect([](double v) { return 1.0 - v; }, 0.0, 1.0, 0.25, 1e-12);
  ASSERT_TRUE(d.has_value());
  EXPECT_NEAR(*d, 0.75, 1e-11);
}

TEST(Bisect, NoBracketNoRoot) {
  EXPECT_FALSE(bisect([](double v) { return v; }, 1.0, 2.0, 5.0, 1e-9).has_value());
  EXPECT_FALSE(bisect([](double) { return NAN; }, 0.0, 1.0, 0.5, 1e-9).has_value());
}

}  // namespace
}  // namespace g2g::study

// core::OptionalDouble: behaves as std::optional<double> for the calls the model makes, in 8
// bytes, with NaN as "not set".
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <type_traits>

#include "g2g/core/optional_double.hpp"

namespace g2g::core {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

static_assert(sizeof(OptionalDouble) == 8);
static_assert(std::is_trivially_copyable_v<OptionalDouble>);

TEST(OptionalDouble, StartsEmptyAndHoldsWhatIsAssigned) {
  OptionalDouble x;
  EXPECT_FALSE(x.has_value());
  EXPECT_FALSE(x);
  EXPECT_EQ(x.value_or(-1.0), -1.0);
  EXPECT_THROW((void)x.value(), std::bad_optional_access);

  x = 0.25;
  EXPECT_TRUE(x.has_value());
  EXPECT_TRUE(x);
  EXPECT_EQ(*x, 0.25);
  EXPECT_EQ(x.value(), 0.25);
  EXPECT_EQ(x.value_or(-1.0), 0.25);

  x.reset();
  EXPECT_FALSE(x.has_value());
  x = -3.0;
  x = std::nullopt;
  EXPECT_FALSE(x.has_value());
}

// The values a model may hold, zero and negative ones among them, are values, not "not set".
TEST(OptionalDouble, ZeroNegativeSubnormalAndInfiniteAreValues) {
  for (const double v : {0.0, -0.0, -1e-3, 5e-324, std::numeric_limits<double>::max(), inf, -inf}) {
    const OptionalDouble x = v;
    EXPECT_TRUE(x.has_value()) << v;
    EXPECT_EQ(x.value(), v);
  }
}

// The one value it cannot hold: NaN is "not set" (documented in optional_double.hpp).
TEST(OptionalDouble, NanIsEmpty) {
  OptionalDouble x = 1.0;
  x = nan;
  EXPECT_FALSE(x.has_value());
  EXPECT_EQ(x, std::nullopt);
  EXPECT_FALSE(OptionalDouble(-nan).has_value());
  EXPECT_FALSE(OptionalDouble(std::numeric_limits<double>::signaling_NaN()).has_value());
}

TEST(OptionalDouble, ComparesAsStdOptional) {
  const OptionalDouble empty, other_empty = std::nullopt, one = 1.0, also_one = 1.0, two = 2.0;
  EXPECT_EQ(empty, other_empty);
  EXPECT_EQ(one, also_one);
  EXPECT_NE(one, two);
  EXPECT_NE(one, empty);
  EXPECT_NE(empty, one);
  EXPECT_TRUE(empty == std::nullopt);
  EXPECT_TRUE(std::nullopt == empty);
  EXPECT_TRUE(one != std::nullopt);
  EXPECT_FALSE(one == std::nullopt);
  EXPECT_TRUE(one == 1.0);  // as std::optional<double>{1.0} == 1.0
  EXPECT_TRUE(empty != 1.0);
  // Every pair compares as the same pair of std::optional<double> does.
  const OptionalDouble values[] = {empty, one, two, 0.0, -0.0};
  for (const OptionalDouble a : values)
    for (const OptionalDouble b : values)
      EXPECT_EQ(a == b, std::optional<double>(a) == std::optional<double>(b))
          << a.value_or(nan) << " " << b.value_or(nan);
}

TEST(OptionalDouble, ConvertsToStdOptional) {
  const std::optional<double> empty = OptionalDouble();
  EXPECT_FALSE(empty.has_value());
  const std::optional<double> set = OptionalDouble(4.5);
  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(*set, 4.5);
  // Functions written for std::optional<double> take it as it is.
  const auto given = [](const std::optional<double>& v) { return v.has_value(); };
  EXPECT_TRUE(given(OptionalDouble(0.0)));
  EXPECT_FALSE(given(OptionalDouble()));
}

TEST(OptionalDouble, WorksInConstantExpressions) {
  constexpr OptionalDouble empty;
  constexpr OptionalDouble set = 2.0;
  static_assert(!empty.has_value() && set.has_value());
  static_assert(*set == 2.0 && set.value() == 2.0 && empty.value_or(3.0) == 3.0);
  static_assert(set != empty && empty == std::nullopt);
  SUCCEED();
}

}  // namespace
}  // namespace g2g::core

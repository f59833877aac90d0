// data/reliability/failure_rates.yaml as compiled in: every entry has a known tag, a source, a
// positive repair time and a rate; the element types the shipped architectures use all have data;
// boxes of two conversions get twice a one-conversion module's rate on either side.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "g2g/reliability/failure_rates.hpp"

namespace g2g::reliability {
namespace {

TEST(FailureRates, EveryEntryIsTaggedSourcedAndPositive) {
  const std::set<std::string> tags{"standard", "measurement", "vendor claim", "assumption"};
  std::set<std::string> types;
  ASSERT_FALSE(failure_rates().empty());
  for (const auto& r : failure_rates()) {
    SCOPED_TRACE(r.type);
    EXPECT_TRUE(types.insert(r.type).second) << "listed twice";
    EXPECT_TRUE(tags.contains(r.tag)) << r.tag;
    EXPECT_GT(r.source.size(), 40u);
    EXPECT_GT(r.mttr_h, 0.0);
    EXPECT_GE(r.fit, 0.0);
    EXPECT_GE(r.fit_per_km, 0.0);
    EXPECT_GE(r.termination_fit, 0.0);
    EXPECT_GT(r.fit + r.fit_per_km + r.termination_fit, 0.0);
    // An assumption says what would confirm it.
    if (r.tag == "assumption") {
      EXPECT_NE(r.source.find("confirm"), std::string::npos) << r.source;
    }
  }
}

TEST(FailureRates, TypesOfTheShippedArchitecturesHaveData) {
  for (const char* type : {"cable", "busbar", "transformer", "ups", "psu", "ibc", "sst",
                           "dc_transformer", "tray_dcdc", "sidecar", "battery_converter"})
    EXPECT_NE(find_failure_rate(failure_rates(), type), nullptr) << type;
  EXPECT_EQ(find_failure_rate(failure_rates(), "no such element"), nullptr);
}

TEST(FailureRates, ConversionBoxesOnBothSidesGetTheSameRatePerConversion) {
  // The fairness rule of the file: a two-conversion box (AC side: UPS, PSU; DC side: SST cell) has
  // twice a one-conversion module's rate, and a maker's MTBF read for one side only is not used.
  const auto* dcdc = find_failure_rate(failure_rates(), "dcdc");
  ASSERT_NE(dcdc, nullptr);
  for (const char* type : {"ups", "psu", "sst"}) {
    SCOPED_TRACE(type);
    const auto* box = find_failure_rate(failure_rates(), type);
    ASSERT_NE(box, nullptr);
    EXPECT_EQ(box->tag, "assumption");
    EXPECT_DOUBLE_EQ(box->fit, 2.0 * dcdc->fit);
  }
  // The UPS maker's MTBF (125,000 h, Kohler) stays as a cross-check in the source.
  const auto* ups = find_failure_rate(failure_rates(), "ups");
  EXPECT_NE(ups->source.find("125,000 hours"), std::string::npos);
  EXPECT_NE(ups->source.find("Cross-checks, not used"), std::string::npos);
}

}  // namespace
}  // namespace g2g::reliability

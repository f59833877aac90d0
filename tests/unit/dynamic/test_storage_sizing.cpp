// The storage study's averaging window for the "averaged demand" reading of a peak: the 15-min
// billing window when the run is long enough, else whole periods of the swing in the run's
// second half (whole cycles: the mean of a periodic demand does not depend on the phase).
#include <gtest/gtest.h>

#include <cmath>
#include <optional>

#include "g2g/dynamic/storage_sizing.hpp"

namespace g2g::dynamic {
namespace {

TEST(StorageSizing, DemandWindowIsFifteenMinutesOrWholePeriods) {
  EXPECT_EQ(demand_window_s(3600.0, 1.0), 900.0);
  EXPECT_EQ(demand_window_s(1800.0, std::nullopt), 900.0);
  EXPECT_EQ(demand_window_s(300.0, 1.0), 150.0);
  EXPECT_EQ(demand_window_s(300.0, 10.0), 150.0);
  EXPECT_EQ(demand_window_s(300.0, 7.0), 147.0);  // 21 whole periods
  EXPECT_EQ(demand_window_s(300.0, std::nullopt), 150.0);
  EXPECT_EQ(demand_window_s(100.0, 60.0), 50.0);  // no whole period fits: the half
}

TEST(StorageSizing, PeakReductionReadings) {
  PeakReduction r;
  r.idle_peak_w = 4e6;
  r.storage_peak_w = 3e6;
  r.idle_demand_w = 2.4e6;
  r.storage_demand_w = 2.412e6;
  EXPECT_DOUBLE_EQ(r.instantaneous(), 0.25);
  EXPECT_NEAR(r.averaged(), -0.005, 1e-12);  // recharging through losses: a little more
  r.idle_peak_w = 0.0;
  EXPECT_TRUE(std::isnan(r.instantaneous()));
}

}  // namespace
}  // namespace g2g::dynamic

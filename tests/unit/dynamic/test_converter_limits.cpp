// Converters as protective elements (dynamic::converter_limit_rows): a converter limited to
// 300 A feeds three branch devices; the one that trips only above 500 A can never be tripped by
// it, the 200 A breaker and the 250 A fuse can. With storage on the same bus nothing is bounded.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "g2g/api/model.hpp"
#include "g2g/dynamic/selectivity.hpp"

namespace g2g::dynamic {
namespace {

std::string feeder(const std::string& extra) {
  return R"(grid2gpu: 1
name: converter-limited feeder
buses:
  - {id: src, kind: dc, voltage: 800 V}
  - {id: a, kind: dc, voltage: 400 V}
  - {id: x, kind: dc, voltage: 400 V}
  - {id: y, kind: dc, voltage: 400 V}
  - {id: z, kind: dc, voltage: 400 V}
components:
  - {id: feed, type: dc_source, bus: src}
  - {id: psu, type: dcdc, input: src, output: a, rating: 100 kW, efficiency: 98 %,
     output_capacitance: 10 mF, voltage_bandwidth: 500 Hz, damping: 1.0, current_limit: 300 A}
  - {id: low, type: breaker, from: a, to: x, on_resistance: 1 mohm,
     trip: {kind: solid_state, pickup: 200 A, delay: 2 us, clamp_voltage: 700 V}}
  - {id: high, type: breaker, from: a, to: y, on_resistance: 1 mohm,
     trip: {kind: solid_state, pickup: 500 A, delay: 2 us, clamp_voltage: 700 V}}
  - {id: fuse, type: breaker, from: a, to: z, on_resistance: 1 mohm,
     trip: {kind: fuse, rated_current: 250 A, pre_arcing_i2t: 20000 A2s, clearing_i2t: 50000 A2s,
            clamp_voltage: 700 V}}
  - {id: lx, type: load, bus: x, power: 10 kW}
  - {id: ly, type: load, bus: y, power: 10 kW}
  - {id: lz, type: load, bus: z, power: 10 kW}
)" + extra;
}

const ConverterLimitRow& row_of(const model::ModelSpec& spec,
                                const std::vector<ConverterLimitRow>& rows, const std::string& id) {
  for (const auto& r : rows)
    if (spec.lines[r.line].id == id) return r;
  throw std::runtime_error("no row for " + id);
}

TEST(ConverterLimits, TheConverterLimitNeverTripsAHigherPickup) {
  const auto model = api::load_model_text(feeder(""), api::ModelFormat::yaml, "case.yaml");
  const auto& spec = model.spec();
  const auto rows = converter_limit_rows(spec);
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& r : rows) {
    ASSERT_EQ(r.converters.size(), 1u);
    EXPECT_EQ(spec.converters[r.converters[0]].id, "psu");
    EXPECT_DOUBLE_EQ(r.limit_a, 300.0);
    EXPECT_TRUE(r.unlimited.empty()) << r.unlimited;
  }
  EXPECT_FALSE(row_of(spec, rows, "low").never_tripped);
  EXPECT_TRUE(row_of(spec, rows, "high").never_tripped);
  EXPECT_DOUBLE_EQ(row_of(spec, rows, "high").trip_threshold_a, 500.0);
  // A fuse's melting integral grows only above its rated current.
  EXPECT_DOUBLE_EQ(row_of(spec, rows, "fuse").trip_threshold_a, 250.0);
  EXPECT_FALSE(row_of(spec, rows, "fuse").never_tripped);
}

TEST(ConverterLimits, StorageOnTheFeedingSideBoundsNothing) {
  const auto model = api::load_model_text(
      feeder("  - {id: pack, type: storage, bus: a, power: 0 W, rating: 50 kW, energy: 10 kWh}\n"),
      api::ModelFormat::yaml, "case.yaml");
  const auto& spec = model.spec();
  const auto rows = converter_limit_rows(spec);
  const auto& high = row_of(spec, rows, "high");
  EXPECT_FALSE(high.never_tripped);
  EXPECT_NE(high.unlimited.find("storage pack"), std::string::npos) << high.unlimited;
}

}  // namespace
}  // namespace g2g::dynamic

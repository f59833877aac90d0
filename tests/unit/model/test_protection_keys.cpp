// A breaker's `trip:` map (docs/model-format.md, "Protection devices"): every kind read in SI
// and written back by write_yaml; a key of another kind, a missing key, values out of range and
// a trip without on_resistance each a located error.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "g2g/model/loader.hpp"
#include "g2g/model/spec.hpp"
#include "support/diagnostic_checks.hpp"

namespace g2g::model {
namespace {

using test::find;
using test::yaml_errors;

std::string with_breakers(const std::string& breakers) {
  return R"(grid2gpu: 1
buses:
  - {id: a, kind: dc, voltage: 800 V}
  - {id: b, kind: dc, voltage: 800 V}
components:
  - {id: src, type: dc_source, bus: a}
)" + breakers;
}

const std::string every_kind = with_breakers(
    R"(  - {id: ss, type: breaker, from: a, to: b, on_resistance: 0.2 mohm, trip: {kind: solid_state, pickup: 2 kA, di_dt: 1 kA/us, delay: 5 us, clamp_voltage: 1.2 kV, inductance: 0.2 uH, reclose: 300 ms}}
  - {id: hy, type: breaker, from: a, to: b, on_resistance: 0.05 mohm, trip: {kind: hybrid, pickup: 4 kA, delay: 10 us, commutation_time: 200 us, clamp_voltage: 1.3 kV, clamp_resistance: 10 mohm}}
  - {id: fu, type: breaker, from: a, to: b, on_resistance: 0.3 mohm, trip: {kind: fuse, rated_current: 250 A, rated_voltage: 1 kV, pre_arcing_i2t: 20000 A2s, clearing_i2t: 90000 A2s, clamp_voltage: 1.4 kV}}
  - {id: tm, type: breaker, from: a, to: b, on_resistance: 0.2 mohm, trip: {kind: thermal_magnetic, rated_current: 400 A, pickup: 4 kA, delay: 8 ms, thermal_pickup: 1.3, thermal_time_constant: 60 s, clamp_voltage: 1.2 kV}}
)");

// Each breaker keeps its own settings wherever the builder puts it: in a large top-level list
// read by two threads (their halves joined), and stamped out of a template once per instance.
TEST(ProtectionKeys, EveryBreakerKeepsItsOwnSettings) {
  std::string breakers;
  constexpr int count = 3000;  // past the builder's split into two threads (60,000 nodes)
  for (int k = 0; k < count; ++k)
    breakers += fmt::format(
        "  - {{id: s{}, type: breaker, from: a, to: b, on_resistance: 0.2 mohm, trip: {{kind: "
        "solid_state, pickup: {} A, delay: 5 us, clamp_voltage: 1.2 kV, inductance: 0.2 uH}}}}\n",
        k, 1000 + k);
  const ModelSpec m = load_yaml(with_breakers(breakers), "many.yaml");
  ASSERT_EQ(m.lines.size(), static_cast<std::size_t>(count));
  for (const Line& l : m.lines) {
    const Trip* trip = trip_of(m, l);
    ASSERT_NE(trip, nullptr) << l.id;
    EXPECT_DOUBLE_EQ(trip->pickup_a, 1000.0 + std::stod(l.id.substr(1))) << l.id;
  }
  const ModelSpec t = load_yaml(R"(grid2gpu: 1
buses:
  - {id: a, kind: dc, voltage: 800 V}
components:
  - {id: src, type: dc_source, bus: a}
templates:
  feed:
    ports: [in]
    buses:
      - {id: out, kind: dc, voltage: 800 V}
    components:
      - {id: sscb, type: breaker, from: in, to: out, on_resistance: 0.2 mohm, trip: {kind: solid_state, pickup: 2 kA, delay: 5 us, clamp_voltage: 1.2 kV, inductance: 0.2 uH}}
instances:
  - {id: f, template: feed, count: 3, connect: {in: a}}
)",
                                "stamped.yaml");
  ASSERT_EQ(t.lines.size(), 3u);
  for (const Line& l : t.lines) {
    const Trip* trip = trip_of(t, l);
    ASSERT_NE(trip, nullptr) << l.id;
    EXPECT_DOUBLE_EQ(trip->pickup_a, 2000.0) << l.id;
  }
  EXPECT_NE(t.lines[0].trip, t.lines[1].trip);  // each instance its own copy
}

TEST(ProtectionKeys, EveryKindReadsInSiAndRoundTrips) {
  const ModelSpec m = load_yaml(every_kind, "trip.yaml");
  ASSERT_EQ(m.lines.size(), 4u);
  for (const auto& l : m.lines) {
    ASSERT_NE(trip_of(m, l), nullptr) << l.id;
    EXPECT_EQ(l.type, LineType::breaker);
  }
  const Trip& ss = *trip_of(m, m.lines[0]);
  EXPECT_EQ(ss.kind, TripKind::solid_state);
  EXPECT_DOUBLE_EQ(ss.pickup_a, 2000.0);
  EXPECT_DOUBLE_EQ(ss.di_dt_pickup_a_per_s, 1e9);
  EXPECT_DOUBLE_EQ(ss.delay_s, 5e-6);
  EXPECT_DOUBLE_EQ(ss.clamp_voltage_v, 1200.0);
  EXPECT_DOUBLE_EQ(ss.inductance_h, 0.2e-6);
  EXPECT_DOUBLE_EQ(ss.reclose_s, 0.3);
  EXPECT_DOUBLE_EQ(ss.off_resistance_ohm, 1e6);  // the documented default
  EXPECT_DOUBLE_EQ(trip_of(m, m.lines[1])->commutation_s, 200e-6);
  EXPECT_DOUBLE_EQ(trip_of(m, m.lines[2])->pre_arcing_i2t_a2s, 20000.0);
  EXPECT_DOUBLE_EQ(trip_of(m, m.lines[2])->clearing_i2t_a2s, 90000.0);
  EXPECT_DOUBLE_EQ(trip_of(m, m.lines[3])->thermal_pickup, 1.3);
  EXPECT_DOUBLE_EQ(trip_of(m, m.lines[3])->thermal_time_constant_s, 60.0);
  // write_yaml writes the trip back; reading that gives the same devices.
  const std::string written = write_yaml(m);
  const ModelSpec again = load_yaml(written, "again.yaml");
  ASSERT_EQ(again.lines.size(), 4u);
  for (std::size_t k = 0; k < 4; ++k) {
    ASSERT_NE(trip_of(again, again.lines[k]), nullptr) << written;
    const Trip& x = *trip_of(m, m.lines[k]);
    const Trip& y = *trip_of(again, again.lines[k]);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_DOUBLE_EQ(x.pickup_a, y.pickup_a);
    EXPECT_DOUBLE_EQ(x.di_dt_pickup_a_per_s, y.di_dt_pickup_a_per_s);
    EXPECT_DOUBLE_EQ(x.delay_s, y.delay_s);
    EXPECT_DOUBLE_EQ(x.commutation_s, y.commutation_s);
    EXPECT_DOUBLE_EQ(x.clamp_voltage_v, y.clamp_voltage_v);
    EXPECT_DOUBLE_EQ(x.clamp_resistance_ohm, y.clamp_resistance_ohm);
    EXPECT_DOUBLE_EQ(x.pre_arcing_i2t_a2s, y.pre_arcing_i2t_a2s);
    EXPECT_DOUBLE_EQ(x.thermal_pickup, y.thermal_pickup);
    EXPECT_DOUBLE_EQ(x.reclose_s, y.reclose_s);
  }
  EXPECT_EQ(write_yaml(again), written);
}

TEST(ProtectionKeys, BadTripsAreLocatedErrors) {
  const struct {
    const char* breaker;
    const char* needle;
  } cases[] = {
      {"  - {id: x, type: breaker, from: a, to: b, on_resistance: 1 mohm, trip: {kind: fuse, "
       "rated_current: 250 A, pre_arcing_i2t: 20000 A2s, clearing_i2t: 9000 A2s, clamp_voltage: "
       "1.4 kV}}\n",
       "clearing I2t 9000 A2s is below the pre-arcing I2t 20000 A2s"},
      {"  - {id: x, type: breaker, from: a, to: b, on_resistance: 1 mohm, trip: {kind: fuse, "
       "rated_current: 250 A, pre_arcing_i2t: 20000 A2s, clearing_i2t: 90000 A2s, clamp_voltage: "
       "1.4 kV, delay: 1 ms}}\n",
       "trip key 'delay' does not apply to kind fuse"},
      {"  - {id: x, type: breaker, from: a, to: b, on_resistance: 1 mohm, trip: {kind: "
       "solid_state, pickup: 2 kA, clamp_voltage: 1.2 kV}}\n",
       "a solid_state trip has no 'delay'"},
      {"  - {id: x, type: breaker, from: a, to: b, trip: {kind: solid_state, pickup: 2 kA, "
       "delay: 5 us, clamp_voltage: 1.2 kV}}\n",
       "has a trip but no on_resistance"},
      {"  - {id: x, type: breaker, from: a, to: b, on_resistance: 1 mohm, trip: {kind: "
       "thermal_magnetic, rated_current: 400 A, pickup: 400 A, delay: 8 ms, thermal_pickup: 1.3, "
       "thermal_time_constant: 60 s, clamp_voltage: 1.2 kV}}\n",
       "magnetic pickup 400 A is not above the thermal range"},
      {"  - {id: x, type: breaker, from: a, to: b, on_resistance: 1 mohm, trip: {kind: "
       "solid_state, pickup: 2 kA, delay: 5 us, clamp_voltage: 1.2 kV, part: mersen_x}}\n",
       "unknown protection part 'mersen_x'"},
  };
  for (const auto& c : cases) {
    const std::string text = with_breakers(c.breaker);
    const auto errors = yaml_errors(text);
    const auto* d = find(errors, c.needle);
    ASSERT_NE(d, nullptr) << c.needle << "\n" << errors.to_string();
    EXPECT_EQ(d->where.line, 7) << c.needle;  // the breaker's line
    EXPECT_GT(d->where.column, 0) << c.needle;
  }
}

}  // namespace
}  // namespace g2g::model

// Availability per architecture (study/availability.*): the figure of a small model equals its
// series / k-out-of-n composition built here by hand from the binomial closed form; a stage type
// without data is "no data", never 0 or 1; more conversion stages in series lower the path
// availability when every element has the same data; a seeded Monte Carlo of the path agrees
// within 3 standard errors.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "g2g/core/error.hpp"
#include "g2g/model/loader.hpp"
#include "g2g/reliability/availability.hpp"
#include "g2g/steady/solver.hpp"
#include "g2g/study/availability.hpp"

namespace g2g::study {
namespace {

using reliability::ElementFailureRate;

// 800 V DC source -> 20 m cable -> DC/DC 800 -> 54 V, 3 modules N+1 (3-of-4) -> 2 m busbar ->
// two bus converters, each feeding 50 kW of GPUs (each its own half of the load).
const std::string small = R"(grid2gpu: 1
name: small
buses:
  - {id: a, kind: dc, voltage: 800 V}
  - {id: b, kind: dc, voltage: 800 V}
  - {id: c, kind: dc, voltage: 54 V}
  - {id: d, kind: dc, voltage: 54 V}
  - {id: e1, kind: dc, voltage: 12 V}
  - {id: e2, kind: dc, voltage: 12 V}
components:
  - {id: src, type: dc_source, bus: a}
  - {id: cab, type: cable, from: a, to: b, cross_section: 35 mm2, length: 20 m}
  - {id: dcdc, type: dcdc, subtype: dc_transformer, input: b, output: c, rating: 40 kW, modules: 3, redundancy: N+1, efficiency: 98 %}
  - {id: bar, type: busbar, from: c, to: d, cross_section: 999 mm2, length: 2 m}
  - {id: ibc1, type: dcdc, subtype: ibc, input: d, output: e1, rating: 80 kW, efficiency: 97 %}
  - {id: ibc2, type: dcdc, subtype: ibc, input: d, output: e2, rating: 80 kW, efficiency: 97 %}
  - {id: gpus1, type: gpu_rack, bus: e1, it_power: 50 kW}
  - {id: gpus2, type: gpu_rack, bus: e2, it_power: 50 kW}
)";

std::vector<ElementFailureRate> table(double scale = 1.0) {
  auto entry = [scale](std::string type, double fit, double per_km, double termination,
                       double mttr_h) {
    return ElementFailureRate{std::move(type), fit * scale,  per_km * scale, termination * scale,
                              mttr_h,          "assumption", "test"};
  };
  return {entry("cable", 0.0, 1000.0, 50.0, 10.0), entry("busbar", 0.0, 1000.0, 50.0, 10.0),
          entry("dc_transformer", 5000.0, 0.0, 0.0, 5.0), entry("ibc", 3000.0, 0.0, 0.0, 2.0)};
}

// A unit's availability mu / (lambda + mu) for a FIT and an MTTR.
double unit_up(double fit, double mttr_h) {
  const double lambda = fit / 1e9;
  const double mu = 1.0 / mttr_h;
  return mu / (lambda + mu);
}

constexpr double it_mwh = 876.0;  // 100 kW all year

TEST(ArchitectureAvailability, EqualsTheHandBuiltComposition) {
  const auto m = model::load_yaml(small, "small.yaml");
  const auto r = steady::solve(m);
  const auto data = table();
  const auto a = architecture_availability(m, r, it_mwh, false, data);
  ASSERT_TRUE(a.complete());
  ASSERT_EQ(a.stages.size(), 4u);

  // By hand: the cable and busbar are 1-of-1 units failing along the route and at both ends;
  // the DC/DC is 3-of-4 (binomial, a repair per unit); each bus converter is 1-of-1 and serves
  // half the load, so the stage's load-weighted unavailability is one converter's.
  const double cable = unit_up(1000.0 * 0.020 + 2 * 50.0, 10.0);
  const double bar = unit_up(1000.0 * 0.002 + 2 * 50.0, 10.0);
  const double m_up = unit_up(5000.0, 5.0);
  const double dcdc = std::pow(m_up, 4) + 4 * std::pow(m_up, 3) * (1.0 - m_up);
  const double ibc = unit_up(3000.0, 2.0);
  const std::array<double, 4> up{cable, dcdc, bar, ibc};
  double path = 1.0, unserved = 0.0;
  for (std::size_t s = 0; s < up.size(); ++s) {
    EXPECT_NEAR(a.stages[s].unavailability, 1.0 - up[s], 1e-12 * (1.0 - up[s])) << s;
    path *= up[s];
    unserved += (1.0 - up[s]) * it_mwh;
  }
  EXPECT_EQ(a.stages[0].element_type, "cable");
  EXPECT_EQ(a.stages[1].element_type, "dc_transformer");
  EXPECT_EQ(a.stages[1].unit.n, 4);
  EXPECT_EQ(a.stages[1].unit.k, 3);
  EXPECT_EQ(a.stages[3].elements, 2);
  EXPECT_NEAR(1.0 - a.path_availability, 1.0 - path, 1e-9 * (1.0 - path));
  EXPECT_NEAR(a.unserved_mwh_per_year, unserved, 1e-9 * unserved);
  // The same path from the reliability layer's series of the stages' units.
  std::vector<reliability::KOutOfN> units;
  for (const auto& s : a.stages) units.push_back(s.unit);
  EXPECT_NEAR(reliability::series(units).availability, a.path_availability, 1e-15);
  // The bus converters fail most often and every one of them takes its share down.
  EXPECT_EQ(a.largest_stage, a.stages[3].stage);
}

TEST(ArchitectureAvailability, MissingDataIsNoDataNotANumber) {
  const auto m = model::load_yaml(small, "small.yaml");
  const auto r = steady::solve(m);
  auto data = table();
  data.pop_back();  // no "ibc"
  const auto a = architecture_availability(m, r, it_mwh, false, data);
  EXPECT_TRUE(a.computed);
  EXPECT_FALSE(a.complete());
  EXPECT_EQ(a.no_data, std::vector<std::string>{"ibc"});
  EXPECT_FALSE(a.stages[3].has_data);
  const auto j = availability_json(a);
  EXPECT_TRUE(j["path_availability"].is_null());
  EXPECT_TRUE(j["unserved_mwh_per_year"].is_null());
  EXPECT_TRUE(j["stages"][3]["unavailability"].is_null());
  EXPECT_FALSE(availability_from_json(j).complete());
}

TEST(ArchitectureAvailability, JsonRoundTrip) {
  const auto m = model::load_yaml(small, "small.yaml");
  const auto a = architecture_availability(m, steady::solve(m), it_mwh, false, table());
  const auto b = availability_from_json(availability_json(a));
  ASSERT_TRUE(b.complete());
  EXPECT_DOUBLE_EQ(b.path_availability, a.path_availability);
  EXPECT_DOUBLE_EQ(b.unserved_mwh_per_year, a.unserved_mwh_per_year);
  EXPECT_EQ(b.largest_stage, a.largest_stage);
  ASSERT_EQ(b.stages.size(), a.stages.size());
  EXPECT_EQ(b.stages[1].unit.n, 4);
  EXPECT_DOUBLE_EQ(b.stages[1].unavailability, a.stages[1].unavailability);
  EXPECT_FALSE(availability_from_json(nlohmann::json(nullptr)).computed);
  // A document is untrusted: a member of another type is bad input naming it, not a crash.
  EXPECT_THROW((void)availability_from_json(nlohmann::json{{"stages", 3}}), InvalidInput);
  EXPECT_THROW((void)availability_from_json(nlohmann::json{{"path_availability", "x"}}),
               InvalidInput);
  EXPECT_THROW((void)availability_from_json(
                   nlohmann::json{{"stages", {{{"units", 1e300}, {"data", "yes"}}}}}),
               InvalidInput);
  const auto huge = availability_from_json(nlohmann::json{{"stages", {{{"units", 1e300}}}}});
  EXPECT_EQ(huge.stages.at(0).unit.n, 1'000'000'000);
}

// Two chains to the same 100 kW: 800 V -> 54 V -> 12 V (two conversion stages) and 800 V -> 12 V
// (one). With every element type at the same rate and repair time, the chain with more stages in
// series is the less available one.
TEST(ArchitectureAvailability, MoreSeriesStagesIsLessAvailable) {
  const std::string two = R"(grid2gpu: 1
name: two stages
buses:
  - {id: a, kind: dc, voltage: 800 V}
  - {id: c, kind: dc, voltage: 54 V}
  - {id: e, kind: dc, voltage: 12 V}
components:
  - {id: src, type: dc_source, bus: a}
  - {id: dcdc, type: dcdc, subtype: dc_transformer, input: a, output: c, rating: 200 kW, efficiency: 98 %}
  - {id: ibc, type: dcdc, subtype: ibc, input: c, output: e, rating: 200 kW, efficiency: 98 %}
  - {id: gpus, type: gpu_rack, bus: e, it_power: 100 kW}
)";
  const std::string one = R"(grid2gpu: 1
name: one stage
buses:
  - {id: a, kind: dc, voltage: 800 V}
  - {id: e, kind: dc, voltage: 12 V}
components:
  - {id: src, type: dc_source, bus: a}
  - {id: tray, type: dcdc, subtype: tray_dcdc, input: a, output: e, rating: 200 kW, efficiency: 96 %}
  - {id: gpus, type: gpu_rack, bus: e, it_power: 100 kW}
)";
  std::vector<ElementFailureRate> same;
  for (const char* type : {"dc_transformer", "ibc", "tray_dcdc"})
    same.push_back({type, 2000.0, 0.0, 0.0, 4.0, "assumption", "test"});
  const auto m2 = model::load_yaml(two, "two.yaml");
  const auto m1 = model::load_yaml(one, "one.yaml");
  const auto a2 = architecture_availability(m2, steady::solve(m2), it_mwh, false, same);
  const auto a1 = architecture_availability(m1, steady::solve(m1), it_mwh, false, same);
  ASSERT_TRUE(a2.complete());
  ASSERT_TRUE(a1.complete());
  EXPECT_EQ(a2.stages.size(), 2u);
  EXPECT_EQ(a1.stages.size(), 1u);
  EXPECT_LT(a2.path_availability, a1.path_availability);
  EXPECT_GT(a2.unserved_mwh_per_year, a1.unserved_mwh_per_year);
  // Two equal stages: twice the unavailability of one, to first order.
  EXPECT_NEAR((1.0 - a2.path_availability) / (1.0 - a1.path_availability), 2.0, 1e-4);
}

// Units without a spare serve independent shares, so the figures do not depend on how a model
// lumps them: one bus converter element of 4 modules (no redundancy rule) gives what 4 elements
// of one module each give. With N+1 the modules share one output (4-of-5): fewer outages.
TEST(ArchitectureAvailability, LumpedUnitsWithoutSpareGiveWhatSeparateElementsGive) {
  const std::string head =
      "grid2gpu: 1\nname: lumping\nbuses:\n  - {id: a, kind: dc, voltage: 54 V}\n";
  const std::string source = "components:\n  - {id: src, type: dc_source, bus: a}\n";
  const std::string one_bus = "  - {id: e, kind: dc, voltage: 12 V}\n";
  const std::string gpus = "  - {id: gpus, type: gpu_rack, bus: e, it_power: 100 kW}\n";
  const std::string lumped =
      head + one_bus + source + gpus +
      "  - {id: ibc, type: dcdc, subtype: ibc, input: a, output: e, rating: 200 kW, "
      "modules: 4, efficiency: 97 %}\n";
  std::string buses;
  std::string components;
  for (int k = 1; k <= 4; ++k) {
    buses += fmt::format("  - {{id: e{}, kind: dc, voltage: 12 V}}\n", k);
    components +=
        fmt::format("  - {{id: gpus{0}, type: gpu_rack, bus: e{0}, it_power: 25 kW}}\n", k);
    components += fmt::format(
        "  - {{id: ibc{0}, type: dcdc, subtype: ibc, input: a, output: e{0}, rating: 50 kW, "
        "efficiency: 97 %}}\n",
        k);
  }
  const std::string separate = head + buses + source + components;
  const std::string spare =
      head + one_bus + source + gpus +
      "  - {id: ibc, type: dcdc, subtype: ibc, input: a, output: e, rating: 200 kW, "
      "modules: 4, redundancy: N+1, efficiency: 97 %}\n";
  const std::vector<ElementFailureRate> data{{"ibc", 3000.0, 0.0, 0.0, 2.0, "assumption", "test"}};
  auto run = [&](const std::string& text) {
    const auto m = model::load_yaml(text, "lumping.yaml");
    auto a = architecture_availability(m, steady::solve(m), it_mwh, false, data);
    EXPECT_TRUE(a.complete());
    return a;
  };
  const auto one = run(lumped);
  const auto four = run(separate);
  const auto n_plus_1 = run(spare);
  const double unit_down = 1.0 - unit_up(3000.0, 2.0);
  EXPECT_NEAR(one.unserved_mwh_per_year, unit_down * it_mwh, 1e-9 * unit_down * it_mwh);
  EXPECT_NEAR(four.unserved_mwh_per_year, one.unserved_mwh_per_year,
              1e-9 * one.unserved_mwh_per_year);
  EXPECT_NEAR(four.path_availability, one.path_availability, 1e-15);
  ASSERT_EQ(n_plus_1.stages.size(), 1u);
  EXPECT_EQ(n_plus_1.stages[0].unit.k, 4);
  EXPECT_EQ(n_plus_1.stages[0].unit.n, 5);
  EXPECT_LT(n_plus_1.unserved_mwh_per_year, 1e-3 * one.unserved_mwh_per_year);
}

// A seeded event-driven Monte Carlo of the small model's path (one element per stage, rates
// raised 1,000-fold so that a short run sees many outages) against the closed form.
TEST(ArchitectureAvailability, MonteCarloOfThePathWithinThreeSigma) {
  const auto m = model::load_yaml(small, "small.yaml");
  const auto a = architecture_availability(m, steady::solve(m), it_mwh, false, table(1000.0));
  ASSERT_TRUE(a.complete());
  std::vector<reliability::KOutOfN> units;
  for (const auto& s : a.stages) units.push_back(s.unit);
  const auto mc = reliability::simulate_unavailability(units, {2026, 400, 2e5});
  const double closed = 1.0 - a.path_availability;
  RecordProperty("closed_form", std::to_string(closed));
  RecordProperty("monte_carlo", std::to_string(mc.unavailability));
  RecordProperty("standard_error", std::to_string(mc.standard_error));
  // The run must be precise enough to mean something: 3 sigma below a tenth of the value.
  ASSERT_LT(3.0 * mc.standard_error, 0.1 * closed);
  EXPECT_NEAR(mc.unavailability, closed, 3.0 * mc.standard_error)
      << "closed form " << closed << ", Monte Carlo " << mc.unavailability << " +- "
      << mc.standard_error;
}

}  // namespace
}  // namespace g2g::study

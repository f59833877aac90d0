// Assumption sets: parsing with diagnostics, the shipped sets, curve scaling, application to a
// model, and the crossing of AC and DC sets into scenarios.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/loader.hpp"
#include "g2g/study/assumptions.hpp"
#include "unit/study/study_fixtures.hpp"

namespace g2g::study {
namespace {

using fixtures::curve_rule;

core::DiagnosticList errors(const std::string& text) {
  try {
    (void)parse_assumption_set(text, "set.yaml");
  } catch (const core::ModelError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "expected errors:\n" << text;
  return {};
}

TEST(AssumptionSets, ShippedSetsParseAndEveryValueHasASource) {
  const auto& sets = default_assumption_sets();
  ASSERT_GE(sets.size(), 7u);
  for (const std::string_view name : {"ac-legacy", "ac-modern", "ac-eco", "dc-vendor-peak",
                                      "dc-conservative", "dc-physics", "common"})
    EXPECT_TRUE(std::any_of(sets.begin(), sets.end(), [&](const auto& s) {
      return s.name == name;
    })) << name;
  for (const auto& s : sets) {
    for (const auto& r : s.converters) {
      EXPECT_FALSE(r.provenance.source.empty()) << s.name << " " << r.role;
      // A shape borrowed from elsewhere says where from.
      if (!r.shape.empty()) {
        EXPECT_FALSE(r.shape_source.empty()) << s.name << " " << r.role;
      }
    }
    for (const auto& p : s.parameters) EXPECT_FALSE(p.provenance.source.empty()) << p.name;
  }
}

TEST(AssumptionSets, UnknownKeysKindsAndDoubleDefinitionsAreDiagnosed) {
  const auto d = errors(R"(grid2gpu_assumptions: 1
name: x
side: ac
converters:
  - {role: ups, efficency: [[1.0, 95 %]], source: s, kind: vendor claim}
  - {role: psu, peak: 97 %, efficiency: [[1.0, 95 %]], source: s, kind: guess}
)");
  ASSERT_GE(d.items().size(), 3u);
  const std::string all = d.to_string();
  EXPECT_NE(all.find("unknown key 'efficency'"), std::string::npos) << all;
  EXPECT_NE(all.find("did you mean 'efficiency'"), std::string::npos) << all;
  EXPECT_NE(all.find("'guess' is not a kind of source"), std::string::npos) << all;
  EXPECT_NE(all.find("more than one way"), std::string::npos) << all;
  EXPECT_NE(all.find("set.yaml:5:"), std::string::npos) << all;
}

TEST(AssumptionSets, ScaleCurveKeepsTheShapeAndReachesThePeak) {
  const std::vector<model::EfficiencyPoint> shape{{0.3, 0.908}, {0.6, 0.924}, {1.0, 0.930}};
  const auto scaled = scale_curve(shape, 0.965, std::nullopt);
  EXPECT_NEAR(peak_efficiency(scaled), 0.965, 1e-12);
  // Every point's loss per watt out is multiplied by one factor.
  const double factor = (1 / 0.965 - 1) / (1 / 0.930 - 1);
  for (std::size_t i = 0; i < shape.size(); ++i)
    EXPECT_NEAR(1 / scaled[i].efficiency - 1, factor * (1 / shape[i].efficiency - 1), 1e-12);
  // A loss factor of a third on top (eco mode: a third of the losses).
  const auto eco = scale_curve(shape, 0.965, 1.0 / 3.0);
  EXPECT_NEAR(1 / eco[2].efficiency - 1, (1 / 0.965 - 1) / 3.0, 1e-12);
  // Scaling a scaled curve to a peak gives the same curve as scaling the original.
  const auto twice = scale_curve(scale_curve(shape, 0.99, std::nullopt), 0.965, std::nullopt);
  for (std::size_t i = 0; i < shape.size(); ++i)
    EXPECT_NEAR(twice[i].efficiency, scaled[i].efficiency, 1e-12);
}

TEST(AssumptionSets, ApplyReplacesCurvesByRoleAndSetsTransformerLosses) {
  auto m = model::load_yaml(R"(grid2gpu: 1
buses:
  - {id: mv, kind: ac, voltage: 13.8 kV}
  - {id: lv, kind: ac, voltage: 415 V}
  - {id: c, kind: ac, voltage: 415 V}
  - {id: d, kind: dc, voltage: 54 V}
components:
  - {id: u, type: utility, bus: mv}
  - {id: t, type: transformer, hv: mv, lv: lv, rating: 2 MVA, impedance: 6 %}
  - {id: ups, type: ups, input: lv, output: c, rating: 1 MW, efficiency: 93 %}
  - {id: psu, type: psu, input: c, output: d, rating: 1 MW, efficiency: [[0.5, 0.95], [1.0, 0.96]]}
  - {id: it, type: load, bus: d, power: 500 kW}
)",
                            "m.yaml");
  AssumptionSet set;
  set.converters.push_back(curve_rule("ups", {{0.5, 0.95}, {1.0, 0.96}}));
  ConverterRule psu;
  psu.role = "psu";
  psu.peak = 0.98;
  psu.power_factor = 0.99;
  psu.standby_loss_fraction = 0.001;
  set.converters.push_back(psu);
  set.transformer = TransformerRule{0.002, 0.01, {}};
  EXPECT_EQ(apply(set, m), 3);
  EXPECT_EQ(m.converters[0].efficiency.size(), 2u);
  EXPECT_DOUBLE_EQ(m.converters[0].efficiency[1].efficiency, 0.96);
  // The PSU keeps its own shape, scaled to a 98 % peak.
  EXPECT_NEAR(m.converters[1].efficiency[1].efficiency, 0.98, 1e-12);
  EXPECT_LT(m.converters[1].efficiency[0].efficiency, 0.98);
  EXPECT_DOUBLE_EQ(m.converters[1].input_power_factor, 0.99);
  EXPECT_DOUBLE_EQ(m.converters[1].standby_loss_w, 1e3);
  EXPECT_DOUBLE_EQ(m.transformers[0].no_load_loss_w, 4e3);
  EXPECT_DOUBLE_EQ(m.transformers[0].load_loss_w, 20e3);
}

TEST(AssumptionSets, ScenariosCrossAcWithDcAndAddCommonSets) {
  AssumptionSet a1, a2, d1, d2, c;
  a1.name = "a1";
  a1.side = Side::ac;
  a2.name = "a2";
  a2.side = Side::ac;
  d1.name = "d1";
  d1.side = Side::dc;
  d2.name = "d2";
  d2.side = Side::dc;
  c.name = "c";
  c.side = Side::common;
  const auto s = cross_scenarios({&a1, &a2, &d1, &d2, &c});
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0].name, "a1 + d1");
  EXPECT_EQ(s[3].name, "a2 + d2");
  for (const auto& scenario : s) {
    ASSERT_EQ(scenario.sets.size(), 3u);
    EXPECT_EQ(scenario.sets.back(), &c);
  }
  // No sets: one run of the models as written.
  const auto none = cross_scenarios({});
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0].name, "as modelled");
}

TEST(AssumptionSets, ParameterOverridesOnlyForDeclaredParameters) {
  AssumptionSet set;
  set.parameters.push_back({"dc_breaker_loss", "0.1 %", {}});
  set.parameters.push_back({"other", "1", {}});
  const auto o = parameter_overrides({&set}, {"dc_breaker_loss", "rack_power"});
  ASSERT_EQ(o.size(), 1u);
  EXPECT_EQ(o[0].name, "dc_breaker_loss");
  EXPECT_EQ(o[0].value, "0.1 %");
}

// --set over the assumption sets over the study file, each name once.
TEST(AssumptionSets, LayeredParametersPutTheUserOnTop) {
  const std::vector<model::ParameterOverride> study_file{{"rack_power", "125 kW"},
                                                         {"ups_eff", "95 %"}};
  const std::vector<model::ParameterOverride> sets{{"ups_eff", "96.5 %"}, {"psu_eff", "97 %"}};
  const std::vector<model::ParameterOverride> user{{"psu_eff", "98 %"}};
  const auto layered = layered_parameters(study_file, sets, user);
  auto value_of = [&](const std::string& name) {
    std::string found;
    int count = 0;
    for (const auto& p : layered)
      if (p.name == name) {
        found = p.value;
        ++count;
      }
    EXPECT_EQ(count, 1) << name;
    return found;
  };
  EXPECT_EQ(layered.size(), 3U);
  EXPECT_EQ(value_of("rack_power"), "125 kW");
  EXPECT_EQ(value_of("ups_eff"), "96.5 %");
  EXPECT_EQ(value_of("psu_eff"), "98 %");
}

}  // namespace
}  // namespace g2g::study

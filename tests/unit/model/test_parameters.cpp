// Model parameters: `parameters:`, `$name`, `$(expression)` and caller overrides.
#include <gtest/gtest.h>

#include <string>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/loader.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::model {
namespace {

// A hall of `racks` racks of `rack_power`, derived from the hall power.
const std::string parametric_hall = R"yaml(grid2gpu: 1
parameters:
  rack_power: 130 kW
  hall_power: 1.2 MW
  racks: $(ceil(hall_power / rack_power))
  busway_length: 30 m
buses:
  - {id: b, kind: dc, voltage: 800 V}
  - {id: c, kind: dc, voltage: 800 V}
components:
  - {id: src, type: dc_source, bus: b}
  - {id: feed, type: busbar, from: b, to: c, cross_section: 899 mm2, length: $busway_length}
templates:
  rack:
    ports: [feed]
    components:
      - {id: it, type: load, bus: feed, power: $rack_power}
      - {id: fans, type: load, bus: feed, power: "$(0.02 * rack_power)"}
instances:
  - {template: rack, id: r, count: $racks, connect: {feed: c}}
)yaml";

core::DiagnosticList errors_of(const std::string& text, const LoadOptions& options = {}) {
  try {
    (void)load_yaml(text, "hall.yaml", options);
  } catch (const core::ModelError& error) {
    return error.diagnostics();
  }
  return {};
}

TEST(Parameters, SubstituteNamesAndExpressions) {
  const ModelSpec m = load_yaml(parametric_hall, "hall.yaml");
  // ceil(1.2 MW / 130 kW) = ceil(9.23) = 10 racks, two loads each.
  ASSERT_EQ(m.loads.size(), 20u);
  EXPECT_DOUBLE_EQ(m.loads[0].p_w, 130e3);
  EXPECT_DOUBLE_EQ(m.loads[1].p_w, 0.02 * 130e3);
  ASSERT_EQ(m.lines.size(), 1u);
  EXPECT_DOUBLE_EQ(m.lines[0].length_m, 30.0);
  ASSERT_EQ(m.parameters.size(), 4u);
  EXPECT_EQ(m.parameters[2].name, "racks");
  EXPECT_DOUBLE_EQ(m.parameters[2].value_si, 10.0);
  EXPECT_EQ(m.parameters[0].text, "130 kW");
  EXPECT_FALSE(m.parameters[0].overridden);
}

// Every unit of core is accepted in a parameter, not only those the model's keys use; a bare
// "C" stays a temperature.
TEST(Parameters, EveryUnitOfCoreIsAccepted) {
  std::string text = parametric_hall;
  text.replace(text.find("parameters:\n") + 12, 0,
               "  l: 2 mH\n  cap: 470 uF\n  vol: 5 L\n  rth: 0.3 K/W\n  b_peak: 120 mT\n"
               "  q: 5.8 nC\n  t_amb: 40 C\n");
  const ModelSpec m = load_yaml(text, "hall.yaml");
  auto value = [&](std::string_view name) {
    for (const auto& p : m.parameters)
      if (p.name == name) return p.value_si;
    ADD_FAILURE() << "no parameter " << name;
    return 0.0;
  };
  EXPECT_DOUBLE_EQ(value("l"), 2e-3);
  EXPECT_DOUBLE_EQ(value("cap"), 470e-6);
  EXPECT_DOUBLE_EQ(value("vol"), 5e-3);
  EXPECT_DOUBLE_EQ(value("rth"), 0.3);
  EXPECT_DOUBLE_EQ(value("b_peak"), 0.12);
  EXPECT_DOUBLE_EQ(value("q"), 5.8e-9);
  EXPECT_DOUBLE_EQ(value("t_amb"), 40.0);
}

TEST(Parameters, OverridesChangeDerivedValues) {
  LoadOptions options;
  options.parameters.push_back({"rack_power", "600 kW"});
  const ModelSpec m = load_yaml(parametric_hall, "hall.yaml", options);
  // ceil(1.2 MW / 600 kW) = 2 racks.
  ASSERT_EQ(m.loads.size(), 4u);
  EXPECT_DOUBLE_EQ(m.loads[0].p_w, 600e3);
  EXPECT_TRUE(m.parameters[0].overridden);
  EXPECT_EQ(m.parameters[0].text, "600 kW");
}

TEST(Parameters, UnitOfAReferenceIsCheckedByTheField) {
  // A power parameter used as a length: the field's own unit check catches it.
  std::string text = parametric_hall;
  text.replace(text.find("length: $busway_length"), 22, "length: $rack_power");
  const auto errors = errors_of(text);
  ASSERT_TRUE(errors.has_errors());
  EXPECT_NE(errors.to_string().find("hall.yaml:12:"), std::string::npos) << errors.to_string();
}

TEST(Parameters, TyposAndBadExpressionsAreReportedWithTheirPlace) {
  std::string text = parametric_hall;
  text.replace(text.find("power: $rack_power"), 18, "power: $rack_powr");
  text.replace(text.find("$(0.02 * rack_power)"), 20, "$(0.02 * rack_power +)");
  const auto errors = errors_of(text);
  const std::string all = errors.to_string();
  EXPECT_NE(all.find("hall.yaml:17:"), std::string::npos) << all;
  EXPECT_NE(all.find("did you mean 'rack_power'"), std::string::npos) << all;
  EXPECT_NE(all.find("hall.yaml:18:"), std::string::npos) << all;
  EXPECT_EQ(errors.error_count(), 2u) << all;  // each problem said once
}

TEST(Parameters, UnknownOverrideIsAnErrorWithASuggestion) {
  LoadOptions options;
  options.parameters.push_back({"rack_pwr", "1 MW"});
  const auto all = errors_of(parametric_hall, options).to_string();
  EXPECT_NE(all.find("rack_pwr"), std::string::npos) << all;
  EXPECT_NE(all.find("did you mean 'rack_power'"), std::string::npos) << all;
}

TEST(Parameters, ForwardReferencesAndNonQuantitiesAreErrors) {
  const std::string text = R"yaml(grid2gpu: 1
parameters:
  a: $(b * 2)
  b: 3
  c: lots
buses:
  - {id: b, kind: dc, voltage: 800 V}
components:
  - {id: src, type: dc_source, bus: b}
)yaml";
  const auto all = errors_of(text).to_string();
  EXPECT_NE(all.find("hall.yaml:3:"), std::string::npos) << all;
  EXPECT_NE(all.find("'b' is not a parameter"), std::string::npos) << all;
  EXPECT_NE(all.find("hall.yaml:5:"), std::string::npos) << all;
}

TEST(Parameters, NamesTakenByExpressionConstantsAreErrorsNotCrashes) {
  // muparser refuses a variable named like one of its constants (_pi, _e): a crash until the
  // loader caught it.
  const std::string text = R"yaml(grid2gpu: 1
parameters: {_pi: 3, a: "$(_pi)"}
buses:
  - {id: b, kind: dc, voltage: 800 V}
components:
  - {id: src, type: dc_source, bus: b}
)yaml";
  const auto all = errors_of(text).to_string();
  EXPECT_NE(all.find("hall.yaml:2:14: error: parameter name '_pi' cannot be used"),
            std::string::npos)
      << all;
}

TEST(Parameters, EmbeddedReferenceIsRefused) {
  std::string text = parametric_hall;
  text.replace(text.find("length: $busway_length"), 22, "length: 2 x $busway_length");
  const auto all = errors_of(text).to_string();
  EXPECT_NE(all.find("must be the whole value"), std::string::npos) << all;
}

TEST(Parameters, JsonModelsTakeParametersToo) {
  const std::string json = R"json({"grid2gpu": 1,
 "parameters": {"p": "2 kW", "n": 3},
 "buses": [{"id": "b", "kind": "dc", "voltage": "48 V"}],
 "components": [{"id": "s", "type": "dc_source", "bus": "b"},
                {"id": "l", "type": "load", "bus": "b", "power": "$(n * p)"}]})json";
  const ModelSpec m = load_json(json, "m.json");
  ASSERT_EQ(m.loads.size(), 1u);
  EXPECT_DOUBLE_EQ(m.loads[0].p_w, 6e3);
}

TEST(Parameters, WrittenModelKeepsTheParametersAndReloadsEqual) {
  const ModelSpec m = load_yaml(parametric_hall, "hall.yaml");
  const std::string yaml = write_yaml(m);
  EXPECT_NE(yaml.find("parameters:"), std::string::npos);
  const ModelSpec again = load_yaml(yaml, "again.yaml");
  EXPECT_EQ(write_yaml(again), yaml);
  EXPECT_EQ(again.loads.size(), m.loads.size());
}

}  // namespace
}  // namespace g2g::model

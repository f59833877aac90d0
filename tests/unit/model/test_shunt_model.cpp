// The shunt bank's model side (model/kind_shunt.cpp): read from a file with its units, written
// back by write_yaml, and checked, with located diagnostics for what is wrong.
#include <gtest/gtest.h>

#include <string>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/builder.hpp"
#include "g2g/model/element_kinds.hpp"
#include "g2g/model/loader.hpp"

namespace g2g::model {
namespace {

// A model whose shunt (the last component) is written on line 8.
std::string model_with(const std::string& shunt, const std::string& bus_kind = "ac") {
  const bool ac = bus_kind == "ac";
  return std::string(
             "grid2gpu: 1\n"
             "buses:\n"
             "  - {id: mv, kind: ac, voltage: 13.8 kV}\n") +
         (ac ? "  - {id: b2, kind: ac, voltage: 13.8 kV}\n"
             : "  - {id: b2, kind: dc, voltage: 800 V}\n") +
         "components:\n"
         "  - {id: grid, type: utility, bus: mv}\n" +
         (ac ? "  - {id: l1, type: line, from: mv, to: b2, resistance: 0.5 ohm, reactance: 2 ohm}\n"
             : "  - {id: r1, type: rectifier, input: mv, output: b2, rating: 1 MW, "
               "efficiency: 0.97}\n") +
         "  - " + shunt + "\n";
}

// Every diagnostic of a rejected model, one per line, as printed.
std::string errors_of(const std::string& text) {
  try {
    (void)load_yaml(text, "m.yaml");
  } catch (const core::ModelError& error) {
    std::string all;
    for (const auto& d : error.diagnostics().items()) all += core::format_diagnostic(d) + "\n";
    return all;
  }
  ADD_FAILURE() << "expected the model to be rejected:\n" << text;
  return {};
}

TEST(ShuntModel, ReadsUnitsAndDefaults) {
  const ModelSpec m = load_yaml(
      model_with("{id: c1, type: shunt, bus: b2, reactive_power: 2 Mvar, voltage: 13.2 kV, "
                 "loss: 400 W}"),
      "m.yaml");
  ASSERT_EQ(m.shunts.size(), 1U);
  const Shunt& s = m.shunts[0];
  EXPECT_EQ(s.id, "c1");
  EXPECT_EQ(s.bus, 1);
  EXPECT_DOUBLE_EQ(s.q_rated_var, 2e6);
  EXPECT_DOUBLE_EQ(s.rated_voltage_v, 13.2e3);
  EXPECT_DOUBLE_EQ(s.loss_w, 400.0);
  EXPECT_EQ(s.where.line, 8);
  EXPECT_EQ(ShuntElements::label(s), "capacitor");

  const ModelSpec r =
      load_yaml(model_with("{id: x1, type: shunt, bus: b2, reactive_power: -1 Mvar}"), "m.yaml");
  EXPECT_DOUBLE_EQ(r.shunts[0].rated_voltage_v, 0.0);  // the bus nominal voltage
  EXPECT_DOUBLE_EQ(r.shunts[0].loss_w, 0.0);
  EXPECT_EQ(ShuntElements::label(r.shunts[0]), "reactor");
  EXPECT_EQ(element_count(r), 3U);
}

TEST(ShuntModel, WriteYamlReadsBackEqual) {
  const ModelSpec m = load_yaml(
      model_with("{id: c1, type: shunt, bus: b2, reactive_power: 2.5 Mvar, voltage: 13.2 kV, "
                 "loss: 1.2 kW, in_service: false}"),
      "m.yaml");
  const std::string text = write_yaml(m);
  EXPECT_NE(text.find("{id: c1, type: shunt, bus: b2, reactive_power: 2.5 Mvar, voltage: 13.2 kV, "
                      "loss: 1.2 kW, in_service: false}"),
            std::string::npos)
      << text;
  const ModelSpec back = load_yaml(text, "back.yaml");
  ASSERT_EQ(back.shunts.size(), 1U);
  EXPECT_EQ(back.shunts[0].q_rated_var, m.shunts[0].q_rated_var);
  EXPECT_EQ(back.shunts[0].rated_voltage_v, m.shunts[0].rated_voltage_v);
  EXPECT_EQ(back.shunts[0].loss_w, m.shunts[0].loss_w);
  EXPECT_FALSE(back.shunts[0].in_service);
}

TEST(ShuntModel, ProblemsAreLocatedWithAFix) {
  // A typo in a key: the schema table knows the shunt's keys.
  EXPECT_NE(errors_of(model_with("{id: c1, type: shunt, bus: b2, reactive_powr: 2 Mvar}"))
                .find("did you mean 'reactive_power'"),
            std::string::npos);
  // A wrong dimension.
  EXPECT_NE(errors_of(model_with("{id: c1, type: shunt, bus: b2, reactive_power: 2 MW}"))
                .find("m.yaml:8:"),
            std::string::npos);
  // Missing reactive power.
  EXPECT_NE(errors_of(model_with("{id: c1, type: shunt, bus: b2}")).find("reactive_power"),
            std::string::npos);
  // On a DC bus.
  const std::string dc =
      errors_of(model_with("{id: c1, type: shunt, bus: b2, reactive_power: 2 Mvar}", "dc"));
  EXPECT_NE(dc.find("m.yaml:8:"), std::string::npos) << dc;
  EXPECT_NE(dc.find("shunt 'c1': is on DC bus 'b2'"), std::string::npos) << dc;
  // Zero reactive power is not a bank.
  EXPECT_NE(errors_of(model_with("{id: c1, type: shunt, bus: b2, reactive_power: 0 var}"))
                .find("must be finite and not zero"),
            std::string::npos);
}

TEST(ShuntModel, SchemaAndTypeListKnowIt) {
  const auto* section = detail::find_section("shunt");
  ASSERT_NE(section, nullptr);
  EXPECT_TRUE(section->component);
  EXPECT_EQ(section->element_kind, ElementKind::shunt);
  EXPECT_NE(detail::model_json_schema().find("\"shunt\""), std::string::npos);
  EXPECT_EQ(element_kind_name(ElementKind::shunt), "shunt");
}

}  // namespace
}  // namespace g2g::model

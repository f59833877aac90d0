// How model::Bus and model::Line store their values. The largest benchmark
// (bm_solve_dc/1000000, docs/benchmarks.md) holds a million buses and about as many lines and
// must peak under 1 GiB; each 16 bytes a bus or line gains costs about 30 MB there. Their fields
// are ordered by size so none is padded, and their optional doubles are core::OptionalDouble:
// 8 bytes, NaN meaning "not set". That is sound only because no loader lets a NaN through.
#include <gtest/gtest.h>

#include <string>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/matpower.hpp"
#include "g2g/model/spec.hpp"
#include "support/diagnostic_checks.hpp"

namespace g2g::model {
namespace {

// A new field that breaks these limits needs the 1e6-bus benchmark measured again.
TEST(SpecStorage, BusAndLineFitTheMillionBusMemoryTarget) {
  // The limits are for this platform's std::string (libstdc++, 64-bit: 32 bytes).
  if (sizeof(std::string) != 32) GTEST_SKIP() << "limits measured with a 32-byte std::string";
  EXPECT_LE(sizeof(Bus), 80U);
  EXPECT_LE(sizeof(Line), 144U);
}

TEST(SpecStorage, YamlAndJsonRefuseNanInTheOptionalValues) {
  const std::string yaml = R"(grid2gpu: 1
buses:
  - {id: dc1, kind: dc, voltage: 800 V, capacitance: .nan}
  - {id: dc2, kind: dc, voltage: 800 V}
components:
  - {id: src, type: dc_source, bus: dc1}
  - {id: l1, type: line, from: dc1, to: dc2, resistance: .NaN, reactance: .nan}
  - {id: c1, type: cable, from: dc1, to: dc2, cross_section: 240 mm2, length: 40 m, inductance_per_length: nan H/m}
)";
  const auto yaml_bad = test::yaml_errors(yaml);
  EXPECT_NE(test::find(yaml_bad, "capacitance: \".nan\" is not a finite number"), nullptr)
      << yaml_bad.to_string();
  EXPECT_NE(test::find(yaml_bad, "resistance: \".NaN\" is not a finite number"), nullptr)
      << yaml_bad.to_string();
  EXPECT_NE(test::find(yaml_bad, "reactance: \".nan\" is not a finite number"), nullptr)
      << yaml_bad.to_string();
  EXPECT_NE(test::find(yaml_bad, "\"nan H/m\" is not a finite number"), nullptr)
      << yaml_bad.to_string();

  // JSON has no NaN literal; a string is the only way to write one.
  const std::string json = R"({"grid2gpu": 1,
  "buses": [{"id": "dc1", "kind": "dc", "voltage": "800 V", "capacitance": "NaN"},
            {"id": "dc2", "kind": "dc", "voltage": "800 V"}],
  "components": [{"id": "src", "type": "dc_source", "bus": "dc1"},
    {"id": "l1", "type": "line", "from": "dc1", "to": "dc2", "resistance": "nan", "reactance": "NaN ohm"},
    {"id": "c1", "type": "cable", "from": "dc1", "to": "dc2", "cross_section": "240 mm2",
     "length": "40 m", "inductance_per_length": "nan"}]})";
  const auto json_bad = test::json_errors(json);
  for (const char* text : {"\"NaN\" is not a finite number", "\"nan\" is not a finite number",
                           "\"NaN ohm\" is not a finite number"})
    EXPECT_NE(test::find(json_bad, text), nullptr) << text << "\n" << json_bad.to_string();
  EXPECT_EQ(json_bad.error_count(), 4U) << json_bad.to_string();
}

TEST(SpecStorage, MatpowerRefusesNanBranchImpedance) {
  const std::string text = R"(mpc.version = '2';
mpc.baseMVA = 100;
mpc.bus = [
  1 3 0 0 0 0 1 1 0 10 1 1.1 0.9;
  2 1 5 1 0 0 1 1 0 10 1 1.1 0.9;
];
mpc.gen = [
  1 0 0 0 0 1 100 1 0 0;
];
mpc.branch = [
  1 2 NaN 0.1 0 0 0 0 0 0 1 -360 360;
  1 2 0.01 nan 0 0 0 0 0 0 1 -360 360;
];
)";
  core::DiagnosticList errors;
  try {
    (void)import_matpower(text, "nan.m");
    ADD_FAILURE() << "a NaN branch impedance was imported";
  } catch (const core::ModelError& error) {
    errors = error.diagnostics();
  }
  EXPECT_EQ(errors.error_count(), 2U) << errors.to_string();
  const core::Diagnostic* first = test::find(errors, "branch data must be a finite number");
  ASSERT_NE(first, nullptr) << errors.to_string();
  EXPECT_EQ(first->where.line, 11);
}

}  // namespace
}  // namespace g2g::model

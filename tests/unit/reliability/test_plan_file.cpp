// The plan reader: a good plan's values and units, data defaults with their sources, and every
// impossible plan reported at once, each at its key (file:line:col) with a fix.
#include <gtest/gtest.h>

#include <string>

#include "g2g/core/diagnostics.hpp"
#include "g2g/reliability/qualification.hpp"
#include "support/diagnostic_checks.hpp"

namespace g2g::reliability {
namespace {

core::DiagnosticList errors_of(const std::string& text) {
  try {
    (void)parse_plan(text, "model.yaml");
  } catch (const core::ModelError& e) {
    return e.diagnostics();
  }
  return {};
}

TEST(PlanFile, ReadsAPlan) {
  const auto plan = parse_plan(R"(grid2gpu_qualification: 1
name: p
confidence: 60 %
use: {temperature: 55 C, humidity: 60 %, temperature_low: 35 C, temperature_high: 75 C,
      cycles_per_year: 1000}
stresses:
  - {name: HTOL, test: life, temperature: 125 C, hours: 1000 h, samples: 77, lots: 3, accept: 0}
  - {name: THB, test: humidity, temperature: 85 C, humidity: 85 %, hours: 1000 h, samples: 77,
     lots: 3, accept: 0, humidity_exponent: 3}
  - {name: TC, test: cycling, temperature_low: -40 C, temperature_high: 150 C, cycles: 1000,
     samples: 77, lots: 3, accept: 1, failures: 2, lot_size: 500}
)",
                               "plan.yaml");
  EXPECT_DOUBLE_EQ(plan.confidence, 0.6);
  EXPECT_DOUBLE_EQ(plan.use.temperature_swing_k.value(), 40.0);
  ASSERT_EQ(plan.stresses.size(), 3u);
  EXPECT_DOUBLE_EQ(plan.stresses[0].test_time_s, 3.6e6);
  // Defaults come from data/reliability with their tag and source; the plan's own are "plan".
  EXPECT_DOUBLE_EQ(plan.stresses[0].activation_energy_ev.value, 0.7);
  EXPECT_EQ(plan.stresses[0].activation_energy_ev.tag, "vendor claim");
  EXPECT_NE(plan.stresses[0].activation_energy_ev.source.find("UG116"), std::string::npos);
  EXPECT_DOUBLE_EQ(plan.stresses[1].humidity_exponent.value, 3.0);
  EXPECT_EQ(plan.stresses[1].humidity_exponent.tag, "plan");
  EXPECT_EQ(plan.stresses[1].activation_energy_ev.tag, "assumption");
  EXPECT_EQ(plan.stresses[2].kind, StressKind::cycling);
  EXPECT_EQ(plan.stresses[2].failures.value(), 2);
  EXPECT_EQ(plan.stresses[2].lot_size.value(), 500);
}

TEST(PlanFile, ImpossiblePlansAreReportedAtTheirKeys) {
  const std::string text = R"(grid2gpu_qualification: 1
confidence: 100 %
use: {temperature: 55 C}
stresses:
  - name: a
    test: life
    temperature: 125 C
    hours: -1000 h
    samples: 0
    lots: 1
    accept: 0
  - name: b
    test: life
    temperature: 125 C
    hours: 1000 h
    samples: 10
    lots: 1
    accept: 11
)";
  const auto list = errors_of(text);
  test::expect_at(text, list, "confidence must be strictly between 0 and 1", 2, "100 %", "60 %");
  test::expect_at(text, list, "hours must be greater than zero", 8, "-1000 h");
  test::expect_at(text, list, "samples must be at least 1", 9, "0");
  test::expect_at(text, list, "accept number 11 is not below the 10 samples", 18, "11");
}

TEST(PlanFile, ConfidenceOfZeroAndTyposAndMissingKeys) {
  const std::string text = R"(grid2gpu_qualification: 1
confidence: 0
use: {temperature: 55 C}
stresses:
  - name: a
    test: cycling
    temperature_low: -40 C
    temperature_high: 150 C
    cycle: 1000
    samples: 10
    lots: 1
    accept: 0
)";
  const auto list = errors_of(text);
  test::expect_at(text, list, "confidence must be strictly between 0 and 1", 2, "0");
  test::expect_at(text, list, "unknown key 'cycle'", 9, "cycle", "cycles");
  EXPECT_NE(test::find(list, "has no 'cycles'"), nullptr) << list.to_string();
  // The use conditions a cycling test needs.
  EXPECT_NE(test::find(list, "use has no 'cycles_per_year'"), nullptr) << list.to_string();
}

TEST(PlanFile, HoursNeedAUnitAndForeignKeysAreRefused) {
  const std::string text = R"(grid2gpu_qualification: 1
confidence: 60 %
use: {temperature: 55 C}
stresses:
  - {name: a, test: life, temperature: 125 C, hours: 1000, samples: 10, lots: 1, accept: 0,
     cycles: 5}
)";
  const auto list = errors_of(text);
  EXPECT_NE(test::find(list, "hours '1000' has no unit"), nullptr) << list.to_string();
  EXPECT_NE(test::find(list, "'cycles' does not apply to a life test"), nullptr)
      << list.to_string();
}

}  // namespace
}  // namespace g2g::reliability

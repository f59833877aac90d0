// Evaluation and the local back-end: failing scenarios become rows and the sweep goes on; rows
// do not depend on threads, batches or a resume (results.csv byte for byte); claim columns
// compare each architecture with the baseline at the same values.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "g2g/core/diagnostics.hpp"
#include "g2g/sweep/evaluate.hpp"
#include "g2g/sweep/local.hpp"
#include "g2g/sweep/parts.hpp"
#include "support/test_support.hpp"
#include "sweep_models.hpp"

namespace g2g::sweep {
namespace {

using g2g::test::read_text;

namespace fs = std::filesystem;

const std::string grid_sweep = R"(grid2gpu_sweep: 1
models: [hall-a.yaml, hall-b.yaml]
parameters:
  rack_power: [20 kW, 40 kW, 60 kW]
  feeder_length: {from: 10 m, to: 40 m, step: 10 m}
options: {check_claims: true}
)";

TEST(SweepPlan, ScenariosPutEveryArchitectureOfACombinationTogether) {
  const Plan plan(fixtures::hall_source(grid_sweep));
  ASSERT_EQ(plan.scenarios().size(), 3U * 4U * 2U);
  EXPECT_EQ(plan.parameter_columns(),
            (std::vector<std::string>{"rack_power_w", "feeder_length_m"}));
  const auto& s = plan.scenarios();
  EXPECT_EQ(s[0].architecture, 0U);
  EXPECT_EQ(s[1].architecture, 1U);
  EXPECT_EQ(s[0].values, s[1].values);
  EXPECT_NE(s[0].id, s[1].id);  // another model text
  EXPECT_EQ(s[2].values, (std::vector<double>{20e3, 20.0}));
  const auto overrides = plan.overrides(s[2]);
  ASSERT_EQ(overrides.size(), 2U);
  EXPECT_EQ(overrides[0].value, "20000 W");
  EXPECT_EQ(overrides[1].value, "20 m");
}

TEST(SweepPlan, RefusesAParameterNoModelDeclares) {
  try {
    Plan plan(
        fixtures::hall_source("grid2gpu_sweep: 1\nmodels: [hall-a.yaml, hall-b.yaml]\nparameters: "
                              "{rack_powr: [1 kW]}\n"));
    FAIL() << "no error";
  } catch (const core::ModelError& e) {
    ASSERT_FALSE(e.diagnostics().items().empty());
    EXPECT_EQ(e.diagnostics().items()[0].fix, "did you mean 'rack_power'?");
    EXPECT_EQ(e.diagnostics().items()[0].where.line, 3);
  }
}

TEST(SweepEvaluate, FailingScenariosAreRowsWithTheirErrorAndTheOthersRun) {
  const Plan plan(fixtures::hall_source(R"(grid2gpu_sweep: 1
models: [hall-a.yaml, hall-b.yaml]
parameters:
  feeder_length: [20 m, -5 m, 50 km]
outputs: [loss_w, end_to_end_efficiency]
)"));
  Evaluator evaluator(plan);
  const auto rows = evaluator.run(plan.scenarios());
  ASSERT_EQ(rows.size(), 6U);
  for (const std::size_t i : {0, 1}) {
    EXPECT_TRUE(rows[i].error_kind.empty()) << rows[i].error_message;
    EXPECT_GT(rows[i].outputs[0], 0.0);
    EXPECT_GT(rows[i].outputs[1], 0.8);
    EXPECT_LT(rows[i].outputs[1], 1.0);
  }
  // A negative length: the model's own check, at its place in the model text.
  EXPECT_EQ(rows[2].error_kind, "invalid input");
  EXPECT_NE(rows[2].error_message.find("length"), std::string::npos) << rows[2].error_message;
  EXPECT_TRUE(rows[2].error_location.starts_with("hall-a.yaml:")) << rows[2].error_location;
  EXPECT_TRUE(std::isnan(rows[2].outputs[0]));
  // 50 km of 25 mm2 at 415 V: no operating point.
  EXPECT_EQ(rows[4].error_kind, "no solution");
  EXPECT_NE(rows[4].error_message.find("loadability"), std::string::npos) << rows[4].error_message;
  EXPECT_TRUE(std::isnan(rows[5].outputs[1]));
}

TEST(SweepEvaluate, ClaimColumnsAreEmptyOnTheBaselineAndJudgedAgainstIt) {
  const Plan plan(fixtures::hall_source(grid_sweep));
  const auto& names = plan.output_names();
  const auto b = std::find(names.begin(), names.end(), "claim_b") - names.begin();
  ASSERT_LT(static_cast<std::size_t>(b), names.size());
  Evaluator evaluator(plan);
  const auto rows = evaluator.run(std::span(plan.scenarios()).first(2));
  EXPECT_TRUE(std::isnan(rows[0].outputs[b]));
  EXPECT_FALSE(std::isnan(rows[1].outputs[b]));
  // The same row alone (its baseline evaluated on demand) and after another batch.
  Evaluator alone(plan);
  EXPECT_EQ(format_number(alone.evaluate(plan.scenarios()[1]).outputs[b]),
            format_number(rows[1].outputs[b]));
}

// The evaluator keeps a solver per architecture and updates it in place for a value-only
// scenario (a load's, a cable's, a converter's value), yet every row is what a fresh evaluator
// gives for that scenario alone, in any order, across changes of shape (the rack count).
TEST(SweepEvaluate, RowsDoNotDependOnTheOrderOfScenarios) {
  const Plan plan(fixtures::hall_source(R"(grid2gpu_sweep: 1
models: [hall-a.yaml, hall-b.yaml]
parameters:
  rack_power: [30 kW, 50 kW]
  feeder_length: [15 m, 35 m]
  ups_efficiency: [94 %, 96 %]
  racks: [3, 5]
outputs: [loss_w, end_to_end_efficiency, copper_kg, iterations]
)"));
  const auto& scenarios = plan.scenarios();
  ASSERT_EQ(scenarios.size(), 32U);
  auto text = [](const Row& row) {
    std::string out = row.id;
    for (const double v : row.outputs) {
      out += ',';
      out += format_number(v);
    }
    out += row.error_kind;
    return out;
  };
  Evaluator forward(plan);
  std::vector<std::string> expected;
  expected.reserve(scenarios.size());
  for (const Scenario& s : scenarios) expected.push_back(text(forward.evaluate(s)));
  Evaluator backward(plan);
  for (std::size_t k = scenarios.size(); k-- > 0;)
    EXPECT_EQ(text(backward.evaluate(scenarios[k])), expected[k]) << k;
  Evaluator strided(plan);
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    const std::size_t i = (k * 7) % scenarios.size();
    EXPECT_EQ(text(strided.evaluate(scenarios[i])), expected[i]) << i;
  }
  for (std::size_t i = 0; i < scenarios.size(); i += 5) {
    Evaluator alone(plan);
    EXPECT_EQ(text(alone.evaluate(scenarios[i])), expected[i]) << i;
  }
}

TEST(SweepLocal, BatchesCutAtCombinationsAndSkipDoneIds) {
  const Plan plan(fixtures::hall_source(grid_sweep));
  const auto all = batches(plan, {}, 0.01, 0.05);  // 5 scenarios a batch: 3 combinations
  ASSERT_EQ(all.size(), 4U);
  EXPECT_EQ(all[0], (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
  const auto rest = batches(plan, {plan.scenarios()[0].id, plan.scenarios()[1].id}, 0.01, 0.05);
  EXPECT_EQ(rest[0].front(), 2U);
}

TEST(SweepLocal, ResultsAreByteIdenticalAcrossJobsAndAfterAResume) {
  const Plan plan(fixtures::hall_source(grid_sweep));
  const fs::path one = g2g::test::scratch_dir("sweep-jobs-1");
  const fs::path two = g2g::test::scratch_dir("sweep-jobs-2");
  const fs::path resumed = g2g::test::scratch_dir("sweep-resumed");
  LocalOptions options;
  options.target_batch_seconds = 0.0;  // one combination a batch: many parts
  options.jobs = 1;
  EXPECT_TRUE(run_local(plan, one, options).complete);
  options.jobs = 2;
  EXPECT_TRUE(run_local(plan, two, options).complete);
  const std::string expected = read_text(one / "results.csv");
  EXPECT_EQ(read_text(two / "results.csv"), expected);
  EXPECT_EQ(std::count(expected.begin(), expected.end(), '\n'), 25);

  options.stop_after = 7;
  const Summary stopped = run_local(plan, resumed, options);
  EXPECT_FALSE(stopped.complete);
  EXPECT_FALSE(fs::exists(resumed / "results.csv"));
  EXPECT_THROW(merge(resumed, plan), InvalidInput);
  EXPECT_THROW(run_local(plan, resumed, options), InvalidInput);  // parts there, no resume
  options.stop_after = 0;
  options.resume = true;
  const Summary rest = run_local(plan, resumed, options);
  EXPECT_TRUE(rest.complete);
  EXPECT_EQ(rest.skipped + rest.run, 24U);
  EXPECT_GT(rest.skipped, 0U);
  EXPECT_EQ(read_text(resumed / "results.csv"), expected);
}

TEST(SweepParts, CsvFieldsRoundTripQuotesAndLineBreaks) {
  const auto records = read_csv("a,\"b,c\",\"say \"\"hi\"\"\nthere\"\n1,,3\n", "x.csv");
  ASSERT_EQ(records.size(), 2U);
  EXPECT_EQ(records[0], (std::vector<std::string>{"a", "b,c", "say \"hi\"\nthere"}));
  EXPECT_EQ(records[1], (std::vector<std::string>{"1", "", "3"}));
  EXPECT_THROW(read_csv("\"open", "x.csv"), InvalidInput);
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(std::nan("")), "");
  EXPECT_EQ(std::stod(format_number(1.0 / 3.0)), 1.0 / 3.0);
}

}  // namespace
}  // namespace g2g::sweep

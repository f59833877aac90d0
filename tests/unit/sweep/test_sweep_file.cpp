// The sweep file reader: values, ranges and distributions with units; every problem at once with
// its place and fix; the JSON Schema generated from the same key tables.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "g2g/core/diagnostics.hpp"
#include "g2g/sweep/outputs.hpp"
#include "g2g/sweep/sweep_file.hpp"
#include "support/test_support.hpp"

namespace g2g::sweep {
namespace {

using g2g::test::read_text;

using core::Dimension;

const std::vector<DeclaredParameter> declared{{"rack_power", Dimension::active_power},
                                              {"feeder_length", Dimension::length},
                                              {"racks", Dimension::dimensionless}};

SweepSpec parse(const std::string& text) {
  return parse_sweep(text, "s.yaml", declared);
}

// The diagnostics of a file that must not parse.
std::vector<core::Diagnostic> errors(const std::string& text) {
  try {
    parse(text);
  } catch (const core::ModelError& e) {
    return e.diagnostics().items();
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return {};
}

const core::Diagnostic* find(const std::vector<core::Diagnostic>& list, const std::string& text) {
  for (const auto& d : list)
    if (d.message.find(text) != std::string::npos || d.fix.find(text) != std::string::npos)
      return &d;
  return nullptr;
}

TEST(SweepFile, ReadsListsRangesWithUnitsAndDefaults) {
  const SweepSpec s = parse(R"(grid2gpu_sweep: 1
models: [a.yaml, b.yaml]
parameters:
  rack_power: {from: 130 kW, to: 1.5 MW, step: 10 kW}
  feeder_length: [10 m, 0.05 km]
  racks: {from: 2, to: 8, count: 4}
)");
  EXPECT_EQ(s.models, (std::vector<std::string>{"a.yaml", "b.yaml"}));
  ASSERT_EQ(s.parameters.size(), 3U);
  const auto& power = s.parameters[0].values;
  ASSERT_EQ(power.size(), 138U);  // 130 kW, 140 kW, ..., 1500 kW
  EXPECT_EQ(power.front(), 130e3);
  EXPECT_DOUBLE_EQ(power.back(), 1.5e6);
  EXPECT_EQ(s.parameters[1].values, (std::vector<double>{10.0, 50.0}));
  EXPECT_EQ(s.parameters[2].values, (std::vector<double>{2.0, 4.0, 6.0, 8.0}));
  EXPECT_EQ(s.combine, Combine::grid);
  EXPECT_FALSE(s.options.size_conductors);  // the documented default
  EXPECT_FALSE(s.options.check_claims);
  EXPECT_EQ(s.outputs, default_outputs());
}

TEST(SweepFile, ReadsDistributionsAndMonteCarlo) {
  const SweepSpec s = parse(R"(grid2gpu_sweep: 1
models: [a.yaml]
parameters:
  rack_power: {distribution: normal, mean: 130 kW, sd: 10 kW}
  feeder_length: {distribution: lognormal, median: 30 m, sigma: 0.3}
  racks: {distribution: triangular, min: 2, mode: 4, max: 10}
combine: {monte_carlo: {n: 100, seed: 7}}
options: {check_claims: true, tariff_per_mwh: 100, cooling_kw_per_kw: 10 %}
outputs: [loss_w, copper_kg]
)");
  EXPECT_EQ(s.combine, Combine::monte_carlo);
  EXPECT_EQ(s.samples, 100U);
  EXPECT_EQ(s.seed, 7U);
  ASSERT_TRUE(s.parameters[0].distribution);
  EXPECT_EQ(s.parameters[0].distribution->kind, DistributionKind::normal);
  EXPECT_EQ(s.parameters[0].distribution->mean, 130e3);
  EXPECT_EQ(s.parameters[0].distribution->sd, 10e3);
  EXPECT_EQ(s.parameters[1].distribution->median, 30.0);
  EXPECT_EQ(s.parameters[1].distribution->sigma_log, 0.3);
  EXPECT_EQ(s.parameters[2].distribution->mode, 4.0);
  EXPECT_TRUE(s.options.check_claims);
  EXPECT_EQ(s.options.tariff_per_mwh, 100.0);
  EXPECT_EQ(s.options.cooling_kw_per_kw, 0.1);
  EXPECT_EQ(s.outputs, (std::vector<std::string>{"loss_w", "copper_kg"}));
}

TEST(SweepFile, ReportsEveryProblemAtOnceWithPlaceAndFix) {
  const auto list = errors(R"(grid2gpu_sweep: 1
models: [a.yaml]
parameters:
  rack_pwer: [130 kW]
  feeder_length: [130 kW]
  racks: {distribution: normal, mean: 4, sd: 1}
outptus: [loss_w]
)");
  const auto* typo = find(list, "no base model declares a parameter 'rack_pwer'");
  ASSERT_NE(typo, nullptr);
  EXPECT_EQ(typo->fix, "did you mean 'rack_power'?");
  EXPECT_EQ(typo->where.file, "s.yaml");
  EXPECT_EQ(typo->where.line, 4);
  EXPECT_EQ(typo->where.column, 3);
  const auto* unit = find(list, "feeder_length");
  ASSERT_NE(unit, nullptr);  // a power where a length is expected
  EXPECT_EQ(unit->where.line, 5);
  const auto* key = find(list, "unknown key 'outptus'");
  ASSERT_NE(key, nullptr);
  EXPECT_NE(key->fix.find("outputs"), std::string::npos);
  EXPECT_EQ(key->where.line, 7);
  const auto* drawn = find(list, "only combine: monte_carlo draws from");
  ASSERT_NE(drawn, nullptr);
  EXPECT_EQ(drawn->where.line, 6);
  EXPECT_GE(list.size(), 4U);
}

TEST(SweepFile, RefusesUnknownOutputsWithASuggestion) {
  const auto list =
      errors("grid2gpu_sweep: 1\nmodels: [a.yaml]\nparameters: {racks: [1]}\noutputs: [los_w]\n");
  const auto* d = find(list, "unknown metric 'los_w'");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->fix, "did you mean 'loss_w'?");
}

TEST(SweepFile, ZipNamesTheParametersOfUnequalLength) {
  const auto list = errors(R"(grid2gpu_sweep: 1
models: [a.yaml]
parameters:
  rack_power: [100 kW, 200 kW, 300 kW]
  racks: [1, 2]
combine: zip
)");
  ASSERT_NE(find(list, "'rack_power' has 3 values and 'racks' has 2"), nullptr);
}

TEST(SweepFile, RefusesMalformedRangesDistributionsAndCombinations) {
  const auto list = errors(R"(grid2gpu_sweep: 2
models: a.yaml
parameters:
  rack_power: {from: 1 MW, to: 100 kW, step: 10 kW}
  feeder_length: {distribution: normal, mean: 10 m, min: 1 m}
  racks: {from: 1, to: 5}
combine: monte_carlo
)");
  EXPECT_NE(find(list, "not a sweep file of format 1"), nullptr);
  EXPECT_NE(find(list, "'models' must be a list"), nullptr);
  EXPECT_NE(find(list, "'to' is below 'from'"), nullptr);
  EXPECT_NE(find(list, "a normal distribution needs 'sd'"), nullptr);
  EXPECT_NE(find(list, "a normal distribution takes no 'min'"), nullptr);
  EXPECT_NE(find(list, "either 'step' or 'count'"), nullptr);
  EXPECT_NE(find(list, "{monte_carlo: {n: 1000, seed: 42}}"), nullptr);
}

TEST(SweepFile, ModelsListAloneIsReadFirst) {
  EXPECT_EQ(
      sweep_models("grid2gpu_sweep: 1\nmodels: [x.yaml, y.yaml]\nparameters: {q: [1]}\n", "s.yaml"),
      (std::vector<std::string>{"x.yaml", "y.yaml"}));
  EXPECT_THROW(sweep_models("grid2gpu_sweep: 1\nmodels: x.yaml\n", "s.yaml"), core::ModelError);
  EXPECT_THROW(sweep_models("grid2gpu_sweep: [1\n", "s.yaml"), core::ModelError);  // not YAML
  // Other problems wait for parse_sweep, which reports them all at once.
  EXPECT_EQ(sweep_models("grid2gpu_sweep: 1\nmodles: [x.yaml]\n", "s.yaml").size(), 0U);
}

TEST(SweepSchema, DocsSchemaIsGeneratedFromTheKeyTables) {
  const auto path = g2g::test::source_dir() / "docs" / "sweep.schema.json";
  if (std::getenv("G2G_UPDATE_SCHEMA") != nullptr) std::ofstream(path) << sweep_json_schema();
  const std::string text = read_text(path);
  EXPECT_EQ(text, sweep_json_schema())
      << "docs/sweep.schema.json is out of date: run the unit tests with G2G_UPDATE_SCHEMA=1";
  const auto schema = nlohmann::json::parse(text);
  EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
  std::set<std::string> top;
  for (const auto& [k, v] : schema["properties"].items()) top.insert(k);
  EXPECT_EQ(top, (std::set<std::string>{"grid2gpu_sweep", "name", "models", "parameters", "combine",
                                        "options", "outputs"}));
  std::set<std::string> outputs;
  for (const auto& o : schema["properties"]["outputs"]["items"]["enum"]) outputs.insert(o);
  for (const auto& o : output_catalogue()) EXPECT_TRUE(outputs.contains(o.name)) << o.name;
  std::set<std::string> distributions;
  for (const auto& d : schema["$defs"]["distribution"]["properties"]["distribution"]["enum"])
    distributions.insert(d);
  EXPECT_EQ(distributions, (std::set<std::string>{"uniform", "normal", "lognormal", "triangular"}));
}

}  // namespace
}  // namespace g2g::sweep

namespace g2g::sweep {
namespace {

// The output catalogue's table in docs/sweep.md, from the catalogue itself.
TEST(SweepDocs, OutputTableIsTheCatalogue) {
  const auto path = g2g::test::source_dir() / "docs" / "sweep.md";
  std::string text = read_text(path);
  const std::string begin = "<!-- BEGIN GENERATED OUTPUT TABLE -->\n";
  const std::string end = "<!-- END GENERATED OUTPUT TABLE -->";
  const auto from = text.find(begin);
  const auto to = text.find(end);
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  std::string table = "| output | what |\n|---|---|\n";
  for (const auto& o : output_catalogue())
    table += fmt::format("| `{}` | {} |\n", o.name, o.description);
  const std::string generated = text.substr(0, from + begin.size()) + table + text.substr(to);
  if (std::getenv("G2G_UPDATE_SCHEMA") != nullptr) std::ofstream(path) << generated;
  EXPECT_EQ(text, generated)
      << "docs/sweep.md's output table is out of date: run the unit tests with G2G_UPDATE_SCHEMA=1";
}

}  // namespace
}  // namespace g2g::sweep

// The report of a comparison as run: render_html takes the study's typed results (no JSON from
// the caller), draws each architecture's diagram from its solved model, and shows the figures
// the comparison computed.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "g2g/api/model.hpp"
#include "g2g/core/error.hpp"
#include "g2g/report/report.hpp"
#include "g2g/study/comparison.hpp"
#include "unit/report/report_test_support.hpp"

namespace g2g::report {
namespace {

// 100 kW of IT load behind one rack converter: a PSU at 95 % or an SST at 98 %, both flat.
std::string model_text(const char* name, const char* subtype, const char* efficiency) {
  return fmt::format(R"(grid2gpu: 1
name: {0}
buses:
  - {{id: ac, kind: ac, voltage: 415 V}}
  - {{id: dc, kind: dc, voltage: 800 V}}
components:
  - {{id: grid, type: utility, bus: ac}}
  - {{id: conv, type: rectifier, subtype: {1}, input: ac, output: dc, rating: 200 kW,
     efficiency: {2}}}
  - {{id: it, type: load, bus: dc, power: 100 kW}}
)",
                     name, subtype, efficiency);
}

study::Comparison small_comparison(study::CompareOptions& options) {
  options.size_conductors = false;
  options.hours_per_year = 1000.0;
  study::ComparisonInput input;
  input.ids = {"ac-psu", "dc-sst"};
  input.read = [](std::size_t i, const std::vector<model::ParameterOverride>&) {
    const std::string text =
        i == 0 ? model_text("AC chain", "psu", "95 %") : model_text("DC chain", "sst", "98 %");
    return api::load_model_text(text, api::ModelFormat::yaml, "m.yaml").take_spec();
  };
  input.options = options;
  input.threads = 1;
  return study::run_comparison(input);
}

TEST(HtmlTyped, ReportOfAComparisonAsRun) {
  study::CompareOptions options;
  const study::Comparison c = small_comparison(options);
  ASSERT_EQ(c.runs.size(), 1u);
  const auto& archs = c.runs[0].architectures;
  ASSERT_EQ(archs.size(), 2u);
  EXPECT_NEAR(archs[0].design.efficiency, 0.95, 1e-9);
  EXPECT_NEAR(archs[1].design.efficiency, 0.98, 1e-9);

  study::RunProvenance provenance;
  provenance.command = "test";
  const std::string html = render_html(c, options, provenance);
  // The figures of the typed results: each efficiency, the gain in points, both names.
  EXPECT_NE(html.find("95.00 %"), std::string::npos);
  EXPECT_NE(html.find("98.00 %"), std::string::npos);
  EXPECT_NE(html.find("+3.00 points"), std::string::npos);
  EXPECT_NE(html.find("AC chain"), std::string::npos);
  EXPECT_NE(html.find("DC chain"), std::string::npos);
  // Stage names from the subtype enum's labels, and one diagram per architecture.
  EXPECT_NE(html.find("PSU 415 V AC → 800 V DC"), std::string::npos);
  EXPECT_NE(html.find("Solid-state transformer 415 V AC → 800 V DC"), std::string::npos);
  EXPECT_EQ(testing::count(html, "<figure class=\"sld-figure\">"), 2u);

  // The same page as from the comparison's document with the diagrams drawn by the caller.
  std::vector<ArchitectureDiagram> diagrams;
  diagrams.reserve(archs.size());
  for (const auto& a : archs) diagrams.push_back({a.id, single_line_svg(a.model, a.result)});
  EXPECT_EQ(html, render_html(study::comparison_json(c, options, provenance), diagrams));
}

// The comparison document is a serialisation of the typed results: read back and written again,
// it is the same document (architectures but for the members architecture_from_json reads).
TEST(HtmlTyped, ComparisonDocumentReadBackIsWrittenTheSame) {
  study::CompareOptions options;
  study::Comparison c = small_comparison(options);
  // A claim with every part, a figure that could not be computed among them.
  study::Claim claim;
  claim.spec = {"c",
                "Facility power falls",
                "cuts power by 5%",
                "https://example.org/a",
                "vendor claim",
                study::ClaimForm::up_to,
                0.05,
                0.01,
                study::Metric::grid_input_reduction};
  claim.published = "up to 5.0 %";
  claim.computed_low = 0.03;
  claim.computed_high = std::numeric_limits<double>::quiet_NaN();
  claim.verdict = study::Verdict::overstated;
  claim.cases = {{"s1", 0.03}, {"s2", std::numeric_limits<double>::quiet_NaN()}};
  claim.assumptions = {"UPS as modelled"};
  claim.break_even = {{"UPS peak efficiency", 0.95, 0.97, "%", "below 95 %"}};
  claim.interpretations = {{"VRM inside", "4.0 %", 0.04, study::Verdict::consistent}};
  claim.sensitivity = {{"UPS peak", "99 %", "2.0 %", 0.02, study::Verdict::overstated}};
  c.claims = {claim};
  c.dc = 1;
  study::RunProvenance provenance{"grid2gpu", "1.2.3", "abc", "2026-01-01T00:00:00Z", "cmd", ""};
  const nlohmann::json written = study::comparison_json(c, options, provenance);
  const study::ComparisonDocument read = study::comparison_from_json(written);
  ASSERT_EQ(read.architectures.size(), 2u);
  EXPECT_EQ(read.summary.claims.at(0).verdict, study::Verdict::overstated);
  EXPECT_TRUE(std::isnan(read.summary.claims.at(0).computed_high));
  const nlohmann::json again = study::comparison_json(read.summary, read.architectures, options);
  for (const auto& [key, value] : written.items()) {
    if (key == "architectures") continue;
    EXPECT_EQ(again.at(key), value) << key;
  }
  for (std::size_t i = 0; i < 2; ++i)
    for (const char* key : {"ranges", "it_scale", "it_load_as_read_w", "totals", "annual"})
      EXPECT_EQ(again["architectures"][i].at(key), written["architectures"][i].at(key)) << key;
  // And the page from the document read back is the page of the comparison as run.
  std::vector<ArchitectureDiagram> diagrams;
  for (const auto& a : c.runs[0].architectures)
    diagrams.push_back({a.id, single_line_svg(a.model, a.result)});
  EXPECT_EQ(render_html(c, options, provenance), render_html(written, diagrams));
}

// study::architecture_from_json reads back what architecture_json wrote of the figures the page
// shows: written again, those members are the same.
TEST(HtmlTyped, ArchitectureReadBackFromItsJson) {
  study::CompareOptions options;
  const study::Comparison c = small_comparison(options);
  study::ArchitectureResult a = c.runs.at(0).architectures.at(1);
  // A parameter, a conductor level, a violation and sizing, which the small comparison lacks.
  a.conductor_levels.push_back({"800 V DC busbar", model::BusKind::dc, 800.0, 3, 1250.0, 240e-6, 2,
                                "240 mm²", 12.5, 0.0, 310.0});
  a.result.violations.push_back({steady::ViolationKind::under_voltage, "dc", 0.93, 0.95});
  a.model.parameters.push_back({"rack_power", "130 kW", 130e3, false});
  a.sizing.emplace();
  a.sizing->totals.sized = 4;
  a.sizing->totals.no_fit = 1;
  a.sizing->totals.not_sized = 2;
  a.sizing_passes = 3;
  a.sizing_stable = false;
  const nlohmann::json written = study::architecture_json(a, options);
  const study::ArchitectureResult read = study::architecture_from_json(written);
  const nlohmann::json again = study::architecture_json(read, options);
  for (const char* key : {"id", "name", "file", "scenario", "converged", "iterations", "totals",
                          "stages", "annual", "boxes_in_series", "power_conversions", "copper_kg",
                          "aluminium_kg", "violations", "sizing", "parameters"})
    EXPECT_EQ(again.at(key), written.at(key)) << key;
  ASSERT_EQ(read.stages.size(), a.stages.size());
  EXPECT_GT(read.stages.size(), 0u);
  EXPECT_EQ(read.stages[0].bus_kind_out, model::BusKind::dc);
  ASSERT_EQ(read.conductor_levels.size(), 1u);
  const study::ConductorLevel& level = read.conductor_levels[0];
  EXPECT_EQ(level.kind, model::BusKind::dc);
  EXPECT_EQ(level.typical_runs, 2);
  EXPECT_EQ(level.typical_size, "240 mm²");
  EXPECT_NEAR(level.typical_cross_section_m2, 240e-6, 1e-15);  // written in mm², read in m²
  EXPECT_EQ(level.loss_w, 310.0);
  ASSERT_EQ(read.result.violations.size(), 1u);
  EXPECT_EQ(read.result.violations[0].kind, steady::ViolationKind::under_voltage);
  EXPECT_EQ(read.result.violations[0].limit, 0.95);

  // What it does not know is refused, not guessed.
  nlohmann::json bad = written;
  bad["stages"][0]["kind"] = "teleport";
  EXPECT_THROW(study::architecture_from_json(bad), InvalidInput);
  bad = written;
  bad["violations"][0]["kind"] = "too_pretty";
  EXPECT_THROW(study::architecture_from_json(bad), InvalidInput);
}

}  // namespace
}  // namespace g2g::report

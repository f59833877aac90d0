// The report of a comparison as run: render_html takes the study's typed results (no JSON from
// the caller), draws each architecture's diagram from its solved model, and shows the figures
// the comparison computed.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "g2g/api/model.hpp"
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

  const nlohmann::json provenance{{"program", "grid2gpu"}, {"command", "test"}};
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
  for (const auto& a : archs) diagrams.push_back({a.id, single_line_svg(a.model, a.result)});
  EXPECT_EQ(html, render_html(study::comparison_json(c, options, provenance), diagrams));
}

}  // namespace
}  // namespace g2g::report

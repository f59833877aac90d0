// The wafer page: every section present for a SPEC with a yield and a stack, model text escaped,
// the chart drawn as inline SVG with one curve per yield model.
#include <gtest/gtest.h>

#include <string>

#include "g2g/fab/materials.hpp"
#include "g2g/fab/wafer_spec.hpp"
#include "g2g/fab/wafer_study.hpp"
#include "g2g/report/report.hpp"
#include "unit/report/report_test_support.hpp"

namespace g2g::report {
namespace {

using testing::count;

TEST(ReportWafer, SectionsChartAndEscaping) {
  const auto& materials = fab::default_materials();
  const fab::WaferSpec spec = fab::parse_wafer_spec(R"(name: "<b>die</b>"
wafer: {diameter: 200 mm, edge_exclusion: 3 mm, cost: 1000, cost_source: "assumption: test"}
die: {width: 4 mm, height: 2.5 mm, scribe: 80 um}
yield: {defect_density: 0.5 /cm2, alpha: 2, stated_yield: 88 %}
stack:
  growth_temperature: 1050 C
  room_temperature: 25 C
  substrate: {material: si, thickness: 1 mm}
  layers: [{material: gan, thickness: 2 um}]
)",
                                                    "w.yaml", materials);
  const std::string page = render_wafer_html(fab::evaluate_wafer(spec, materials));
  EXPECT_EQ(page.find("<b>die</b>"), std::string::npos);
  EXPECT_NE(page.find("&lt;b&gt;die&lt;/b&gt;"), std::string::npos);
  for (const char* heading : {"Gross die per wafer", "Yield and cost per good die",
                              "Thermal-mismatch stress and bow", "nearly 3×"})
    EXPECT_NE(page.find(heading), std::string::npos) << heading;
  EXPECT_EQ(count(page, "<polyline"), 4u);
  EXPECT_NE(page.find("</html>"), std::string::npos);
}

}  // namespace
}  // namespace g2g::report

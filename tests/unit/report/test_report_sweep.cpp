// The sweep page (report::render_sweep_html): its sections, its tables' numbers, escaping, and
// the data its charts are drawn from. The page in a browser: test_report_browser.cpp.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "g2g/report/report.hpp"
#include "unit/report/report_test_support.hpp"
#include "unit/report/sweep_fixture.hpp"

namespace g2g::report {
namespace {

using testing::count;
using testing::count_tags;

TEST(SweepPage, GridHasATableAndAChartPerParameterAndOutput) {
  const std::string html = render_sweep_html(study::summarise_sweep(testing::sweep_grid_table()));
  for (const char* id : {"sweep-summary", "sweep-parameters", "sweep-claims"})
    EXPECT_EQ(count_tags(html, "section", {fmt::format("id=\"{}\"", id)}), 1u) << id;
  EXPECT_EQ(count_tags(html, "section", {"id=\"sweep-distributions\""}), 0u);  // not Monte Carlo
  EXPECT_EQ(count_tags(html, "canvas", {"class=\"sweep-dependence\""}), 4u);
  // Efficiency against rack power at 1.5 MW: the mean over the two feeder lengths with its range.
  EXPECT_NE(html.find("<th>1.500 MW</th><td>85.75 % (85.00 % … 86.50 %)"), std::string::npos);
  // The claim holds at 500 kW and 1.5 MW for both feeder lengths: 4 of 6.
  EXPECT_NE(html.find("<td>800vdc-sst</td><td>4 of 6</td><td>66.67 %</td>"), std::string::npos);
  // The name is escaped wherever it is shown.
  EXPECT_EQ(count(html, "<sweep>"), 0u);
  EXPECT_NE(html.find("rack power &lt;sweep&gt; &amp; feeders"), std::string::npos);
}

TEST(SweepPage, MonteCarloHasHistogramsEcdfsAndPercentiles) {
  const std::string html =
      render_sweep_html(study::summarise_sweep(testing::sweep_monte_carlo_table()));
  EXPECT_EQ(count_tags(html, "section", {"id=\"sweep-distributions\""}), 1u);
  EXPECT_EQ(count_tags(html, "canvas", {"class=\"sweep-histogram\""}), 2u);
  EXPECT_EQ(count_tags(html, "canvas", {"class=\"sweep-ecdf\""}), 2u);
  EXPECT_EQ(count(html, "<th>P5</th>"), 2u);
  // A sampled parameter is drawn as a scatter: no table of points for it.
  EXPECT_EQ(count(html, "mean (min … max)</th>"), 0u);
}

TEST(SweepPage, EmbedsTheSummaryForItsScripts) {
  const auto summary = study::summarise_sweep(testing::sweep_grid_table());
  const std::string html = render_sweep_html(summary);
  const std::string open = "<script type=\"application/json\" id=\"g2g-sweep-data\">";
  const auto at = html.find(open);
  ASSERT_NE(at, std::string::npos);
  const auto from = at + open.size();
  const auto data = nlohmann::json::parse(html.substr(from, html.find("</script>", from) - from));
  EXPECT_EQ(data, study::sweep_summary_json(summary));
}

}  // namespace
}  // namespace g2g::report

// The HTML page built from a comparison (no browser): the summary adds up at one boundary and
// shows ranges, the claims with their range bars, verdict words and public sources, the
// assumption sets and scenarios, the provenance, the stage table, and escaping of hostile text.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "g2g/report/report.hpp"
#include "g2g/study/claims.hpp"
#include "support/test_support.hpp"
#include "unit/report/report_test_support.hpp"

namespace g2g::report {
namespace {

using nlohmann::json;
using testing::count;
using testing::hostile;

json fixture() {
  return json::parse(
      test::read_text(test::source_dir() / "tests/unit/report/comparison_fixture.json"));
}

// `html` without scripts, styles and tags, the common entities decoded: what a reader sees.
std::string visible_text(std::string html) {
  for (const char* element : {"script", "style"}) {
    const std::string open = fmt::format("<{}", element);
    const std::string close = fmt::format("</{}>", element);
    for (auto at = html.find(open); at != std::string::npos; at = html.find(open, at)) {
      const auto end = html.find(close, at);
      html.erase(at, end == std::string::npos ? std::string::npos : end + close.size() - at);
    }
  }
  std::string out;
  bool in_tag = false;
  for (const char c : html) {
    if (c == '<') in_tag = true;
    if (!in_tag) out.push_back(c);
    if (c == '>') {
      in_tag = false;
      out.push_back(' ');
    }
  }
  for (const auto& [entity, text] :
       {std::pair{"&lt;", "<"}, std::pair{"&gt;", ">"}, std::pair{"&quot;", "\""},
        std::pair{"&#39;", "'"}, std::pair{"&#160;", " "}, std::pair{"&amp;", "&"}})
    for (auto at = out.find(entity); at != std::string::npos; at = out.find(entity, at + 1))
      out.replace(at, std::string_view(entity).size(), text);
  return out;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// "issue 4", "Issue #12": a reference to an internal work item.
bool names_issue(const std::string& text) {
  const std::string l = lower(text);
  for (auto at = l.find("issue"); at != std::string::npos; at = l.find("issue", at + 1)) {
    auto next = at + 5;
    while (next < l.size() && (l[next] == ' ' || l[next] == '#')) ++next;
    if (next > at + 5 && next < l.size() && std::isdigit(static_cast<unsigned char>(l[next])))
      return true;
  }
  return false;
}

// The text between the first `from` after `start` and the next `to`.
std::string between(const std::string& text, const std::string& start, const std::string& to) {
  const auto at = text.find(start);
  if (at == std::string::npos) return {};
  const auto end = text.find(to, at + start.size());
  return text.substr(at + start.size(), end - at - start.size());
}

// The element with id="<id>" up to the next `closing` tag.
std::string element(const std::string& html, const std::string& id, const std::string& closing) {
  return between(html, fmt::format("id=\"{}\"", id), closing);
}

// A two-architecture comparison with round figures, two scenarios.
json round_figures() {
  auto arch = [](const char* id, double source_w, double loss_w, double low_w, double high_w) {
    return json{
        {"id", id},
        {"name", fmt::format("Arch {}", id)},
        {"totals",
         {{"source_w", source_w},
          {"load_w", source_w - loss_w},
          {"loss_w", loss_w},
          {"efficiency", (source_w - loss_w) / source_w},
          {"it_load_w", 90e6}}},
        {"annual", {{"input_mwh", source_w * 8760 / 1e6}, {"loss_mwh", loss_w * 8760 / 1e6}}},
        {"boxes_in_series", 3},
        {"power_conversions", 5},
        {"ranges",
         {{"source_w", {{"low", low_w}, {"high", high_w}}},
          {"boxes_in_series", {{"low", 3}, {"high", 4}}},
          {"power_conversions", {{"low", 5}, {"high", 5}}},
          {"efficiency", {{"low", 100e6 / high_w}, {"high", 100e6 / low_w}}}}}};
  };
  auto run = [](double a_source, double a_loss, double b_source, double b_loss) {
    return json::array({{{"id", "a"}, {"source_w", a_source}, {"loss_w", a_loss}},
                        {{"id", "b"}, {"source_w", b_source}, {"loss_w", b_loss}}});
  };
  return json{
      {"grid2gpu_compare", 2},
      {"assumptions",
       {{"baseline", "a"}, {"boundary", "grid to GPU regulator (VRM) input"}, {"currency", "USD"}}},
      {"default_scenario", "one"},
      {"scenarios",
       {{{"name", "one"}, {"default", true}, {"architectures", run(125e6, 25e6, 120e6, 20e6)}},
        {{"name", "two"}, {"default", false}, {"architectures", run(130e6, 30e6, 117e6, 17e6)}}}},
      {"architectures",
       {arch("a", 125e6, 25e6, 125e6, 130e6), arch("b", 120e6, 20e6, 117e6, 120e6)}},
      {"differences",
       {{{"metric", "efficiency"},
         {"unit", ""},
         {"baseline", 0.8},
         {"abs", {{"b", 100.0 / 120 - 0.8}}},
         {"abs_range",
          {{"b", {{"abs_low", 100.0 / 120 - 0.8}, {"abs_high", 100.0 / 117 - 100.0 / 130}}}}}},
        {{"metric", "source_w"}, {"unit", "W"}, {"rel", {{"b", 120.0 / 125 - 1}}}},
        {{"metric", "loss_w"}, {"unit", "W"}, {"rel", {{"b", 20.0 / 25 - 1}}}}}}};
}

std::string card_of(const std::string& html, const std::string& name) {
  const auto at = html.find(fmt::format("<div class=\"card-title\">{}", name));
  if (at == std::string::npos) return {};
  return html.substr(at, html.find("</dl>", at) - at);
}

TEST(Html, SummaryCardsAddUpAtOneBoundaryWithRanges) {
  const std::string html = render_html(round_figures(), {});
  const std::string b = card_of(html, "Arch b");
  ASSERT_FALSE(b.empty()) << html;
  // The boundary on the card; delivered is grid input less losses at that boundary (100 MW),
  // not the IT load behind the VRMs (90 MW).
  EXPECT_NE(b.find("Boundary: grid to GPU regulator (VRM) input"), std::string::npos) << b;
  EXPECT_NE(b.find("<dt>Grid input</dt><dd>120.0 MW"), std::string::npos) << b;
  EXPECT_NE(b.find("<dt>Delivered at the boundary</dt><dd>100.0 MW"), std::string::npos) << b;
  EXPECT_NE(b.find("<dt>Losses</dt><dd>20.00 MW"), std::string::npos) << b;
  EXPECT_EQ(b.find("90.00 MW"), std::string::npos) << b;
  EXPECT_NE(b.find("83.33 %"), std::string::npos) << b;
  // Against the baseline: points, and grid input and losses in %, each with its range over the
  // two scenarios (grid input 4.0 % and 10.0 % less, losses 20.0 % and 43.3 % less).
  EXPECT_NE(b.find("+3.33 points efficiency"), std::string::npos) << b;
  EXPECT_NE(b.find("+3.33 … +8.55 points"), std::string::npos) << b;
  EXPECT_NE(b.find("4.0 % less grid input"), std::string::npos) << b;
  EXPECT_NE(b.find("4.0 % … 10.0 % less"), std::string::npos) << b;
  EXPECT_NE(b.find("20.0 % less loss"), std::string::npos) << b;
  EXPECT_NE(b.find("20.0 % … 43.3 % less"), std::string::npos) << b;
  // Ranges of the figures themselves, and a year figure.
  EXPECT_NE(b.find("117.0 … 120.0 MW"), std::string::npos) << b;
  EXPECT_NE(b.find("Grid energy per year</dt><dd>1,051,200 MWh"), std::string::npos) << b;
  EXPECT_NE(b.find("3 boxes, 5 power conversions<span class=\"range\">3 … 4 boxes, 5 … 5 "
                   "conversions</span>"),
            std::string::npos)
      << b;
  // The baseline's card states the same boundary.
  EXPECT_NE(card_of(html, "Arch a").find("Boundary: grid to GPU regulator (VRM) input"),
            std::string::npos);
}

TEST(Html, StageCountsAreNamedAndRedundantUnitsShown) {
  const std::string html = render_html(fixture(), {});
  const std::string text = visible_text(html);
  EXPECT_NE(text.find("Boxes in series"), std::string::npos);
  EXPECT_NE(text.find("Power conversions"), std::string::npos);
  EXPECT_EQ(lower(text).find("conversion stages"), std::string::npos);
  // The legacy rack PSU stage: 4 shelves, 48 units sharing the load (47 % each); stages without
  // spare units show their count only.
  EXPECT_NE(html.find("<div class=\"small units\">48 units at 47 %</div>"), std::string::npos);
  EXPECT_EQ(count(html, "class=\"small units\""), 1u);
  // A stage row: voltages in and out, elements, P in, P out, loss, loss %, efficiency.
  EXPECT_NE(html.find("<td>IBC 54 V → 12 V</td><td><span class=\"kind kind-conversion\">"
                      "conversion</span></td><td class=\"num\">54 V DC → 12 V DC</td><td "
                      "class=\"num\">4</td><td class=\"num\">163.8 kW</td><td class=\"num\">"
                      "160.0 kW</td><td class=\"num\">3.800 kW</td><td class=\"num\">2.32 %</td>"
                      "<td class=\"num\">97.68 %</td>"),
            std::string::npos);
}

// Availability read back from a document: a complete architecture shows its path availability,
// unserved energy and largest stage; one missing data shows "no data", never a number; a
// document without availability gets no chart.
TEST(Html, AvailabilityShowsFiguresOrNoData) {
  EXPECT_EQ(render_html(fixture(), {}).find("id=\"availability-chart\""), std::string::npos);
  json doc = fixture();
  ASSERT_GE(doc["architectures"].size(), 2u);
  const json stage = {{"stage", "IBC 54 V → 12 V"},
                      {"element_type", "ibc"},
                      {"elements", 4},
                      {"data", true},
                      {"units", 1},
                      {"needed", 1},
                      {"unit_fit", 2000.0},
                      {"mttr_h", 4.0},
                      {"unavailability", 8e-6},
                      {"unserved_mwh_per_year", 0.125}};
  doc["architectures"][0]["availability"] = {
      {"path_availability", 0.99998765},    {"unserved_mwh_per_year", 0.125},
      {"largest_stage", "IBC 54 V → 12 V"}, {"it_mwh_per_year", 1401.6},
      {"no_data", json::array()},           {"stages", json::array({stage})}};
  json missing = stage;
  missing["data"] = false;
  missing["unavailability"] = nullptr;
  missing["unserved_mwh_per_year"] = nullptr;
  doc["architectures"][1]["availability"] = {
      {"path_availability", nullptr},    {"unserved_mwh_per_year", nullptr},
      {"largest_stage", nullptr},        {"it_mwh_per_year", 1401.6},
      {"no_data", json::array({"ibc"})}, {"stages", json::array({missing})}};
  const std::string html = render_html(doc, {});
  EXPECT_NE(html.find("id=\"availability-chart\""), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">99.9988 %</td><td class=\"num\">0.125 MWh</td>"
                      "<td>IBC 54 V → 12 V</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">no data</td><td class=\"num\">no data</td>"
                      "<td class=\"note\">no data for ibc</td>"),
            std::string::npos);
  // The stage table of the complete one: 1 of 1, 2,000 FIT, 4 h (three significant digits).
  EXPECT_NE(html.find("<td class=\"num\">1 of 1</td><td class=\"num\">2,000</td>"
                      "<td class=\"num\">4.00 h</td>"),
            std::string::npos);
}

TEST(Html, ClaimsHaveRangeBarsVerdictsAndTheirParts) {
  const std::string html = render_html(fixture(), {});
  const std::string text = visible_text(html);
  // Every claim has a bar in the overview and one in its own block; the fifth could not be
  // computed, so its bar shows the claim alone.
  EXPECT_EQ(testing::count_tags(html, "svg", {"class=\"range-bar\""}), 10u);
  EXPECT_EQ(count(html, "class=\"rb-range\""), 8u);
  EXPECT_EQ(count(html, "class=\"rb-claim\""), 10u);
  for (const char* verdict : {"consistent", "understated", "overstated"})
    EXPECT_NE(html.find(fmt::format("verdict-{}\" title=", verdict)), std::string::npos);
  EXPECT_NE(html.find("<span class=\"verdict verdict-na\""), std::string::npos);
  for (const char* old : {"holds", "partly", "does not hold"})
    EXPECT_EQ(lower(text).find(old), std::string::npos) << old;
  // Claim c: quote, linked source, kind and form, published ± tolerance in its unit, the
  // computed range, the break-even text, the sensitivity row and every scenario's figure.
  const std::string c = element(html, "claim-c", "</article>");
  ASSERT_FALSE(c.empty());
  EXPECT_NE(c.find("<blockquote>“cuts facility power by about 5%”</blockquote>"),
            std::string::npos);
  EXPECT_NE(c.find("<a class=\"source-link\" href=\"https://example.net/800vdc-part-1\""),
            std::string::npos);
  EXPECT_NE(c.find("analyst estimate"), std::string::npos);
  EXPECT_NE(c.find("<dd>about"), std::string::npos);
  EXPECT_NE(c.find("5.0 % ± 1.0 %"), std::string::npos);
  EXPECT_NE(c.find("3.5 % … 10.2 %; default 3.5 %"), std::string::npos);
  EXPECT_NE(c.find("ups peak efficiency below 97.33 %"), std::string::npos);
  EXPECT_NE(c.find("as in ac-legacy"), std::string::npos);
  EXPECT_NE(c.find("ac-test + dc-alt</td><td class=\"num\">10.2 %"), std::string::npos);
  // Claim a1: its other reading with that reading's verdict.
  const std::string a1 = element(html, "claim-a1", "</article>");
  EXPECT_NE(a1.find("equal current in every conductor</td><td class=\"num\">1.76x</td><td><span "
                    "class=\"verdict verdict-consistent\""),
            std::string::npos)
      << a1;
}

// The x coordinate written after `attribute="` in the first element of class `css` in `svg`.
double coordinate(const std::string& svg, const std::string& css, const std::string& attribute) {
  const auto at = svg.find(fmt::format("class=\"{}\"", css));
  const auto value = svg.find(attribute + "=\"", at) + attribute.size() + 2;
  return std::stod(svg.substr(value, svg.find('"', value) - value));
}

TEST(Html, RangeBarPlacesTheClaimOnTheComputedAxis) {
  // Claim c: computed 3.5 % to 10.2 % (default 3.5 %), claimed 5 % ± 1 %.
  const std::string html = render_html(fixture(), {});
  const std::string c = element(html, "claim-c", "</article>");
  const std::string bar = between(c, "<svg class=\"range-bar\"", "</svg>");
  ASSERT_FALSE(bar.empty());
  const double range_x = coordinate(bar, "rb-range", "x");
  const double range_end = range_x + coordinate(bar, "rb-range", "width");
  const double claim_x = coordinate(bar, "rb-claim-mark", "x1");
  const double band_x = coordinate(bar, "rb-claim", "x");
  const double band_end = band_x + coordinate(bar, "rb-claim", "width");
  // The claim (5 %) sits inside the range, a fifth of the way along it; its band is 2 % wide.
  EXPECT_GT(claim_x, range_x);
  EXPECT_LT(claim_x, range_end);
  EXPECT_NEAR((claim_x - range_x) / (range_end - range_x), (0.05 - 0.035) / (0.102 - 0.035), 0.02);
  EXPECT_NEAR((band_end - band_x) / (range_end - range_x), 0.02 / (0.102 - 0.035), 0.02);
  // The default marker points at the low end, where the default scenario's figure is.
  EXPECT_NE(bar.find(fmt::format("class=\"rb-default\" d=\"M{:.1f} ", range_x)), std::string::npos)
      << bar;
  EXPECT_EQ(count(bar, "class=\"rb-case\""), 2u);
}

TEST(Html, SourcesArePublicAndLinked) {
  const std::string html = render_html(fixture(), {});
  // Claim a1's source names an internal work item beside its public one: the page keeps the
  // public source and says it left the other out; nowhere does it name an issue.
  const std::string a1 =
      between(element(html, "claim-a1", "</article>"), "<p class=\"source\">", "</p>");
  EXPECT_NE(a1.find("href=\"https://example.com/blog/800vdc\""), std::string::npos) << a1;
  EXPECT_NE(a1.find("internal work item is left out"), std::string::npos) << a1;
  EXPECT_FALSE(names_issue(visible_text(html)));

  // The claims shipped with grid2gpu: every one cites a public source with an address, and
  // none cites an issue.
  json doc = fixture();
  doc["claims"] = json::array();
  for (const auto& spec : study::default_claims())
    doc["claims"].push_back({{"id", spec.id},
                             {"text", spec.text},
                             {"quote", spec.quote},
                             {"source", spec.source},
                             {"form", std::string(study::name(spec.form))},
                             {"metric", std::string(study::name(spec.metric))},
                             {"verdict", "n/a"}});
  ASSERT_FALSE(doc["claims"].empty());
  const std::string shipped = render_html(doc, {});
  EXPECT_FALSE(names_issue(visible_text(shipped)));
  for (const auto& spec : study::default_claims()) {
    const std::string source =
        between(element(shipped, "claim-" + spec.id, "</article>"), "<p class=\"source\">", "</p>");
    EXPECT_NE(source.find("<a class=\"source-link\" href=\"https://"), std::string::npos)
        << spec.id << ": " << source;
  }
}

TEST(Html, AssumptionSetsScenariosAndProvenance) {
  const std::string html = render_html(fixture(), {});
  const std::string sets = element(html, "assumption-sets", "</section>");
  ASSERT_FALSE(sets.empty());
  // One table per set with its title, side and description, every value with source and kind.
  EXPECT_EQ(count(sets, "<article class=\"assumption-set\""), 4u);
  EXPECT_NE(sets.find("Test AC side <code>ac-test</code> <span class=\"tag side-ac\">AC side"),
            std::string::npos);
  EXPECT_NE(sets.find("<span class=\"tag side-common\">both sides"), std::string::npos);
  EXPECT_NE(sets.find("the SST at a vendor peak figure"), std::string::npos);
  EXPECT_NE(sets.find("href=\"https://example.net/sst-note\""), std::string::npos);
  EXPECT_NE(sets.find("Curve shape: Measured part-load curve"), std::string::npos);
  EXPECT_NE(sets.find("<span class=\"source-kind\">analyst estimate</span>"), std::string::npos);
  // The default scenario is named and marked; every scenario × architecture is a row.
  EXPECT_NE(sets.find("default scenario, <b>ac-test + dc-test</b>"), std::string::npos);
  EXPECT_EQ(count(sets, "<tbody class=\"scenario default-scenario\">"), 1u);
  EXPECT_EQ(count(sets, "<tbody class=\"scenario"), 2u);
  EXPECT_EQ(count(between(sets, "<table class=\"data scenarios\">", "</table>"), "<tr>"), 5u);

  const std::string provenance = element(html, "provenance", "</section>");
  for (const char* shown :
       {"grid2gpu 0.1.0", "0123456789ab", "2026-01-02T03:04:05Z",
        "grid2gpu compare examples/legacy-415vac-small.yaml", "studies/fixture.yaml",
        "<code>ac-test</code>", "<code>dc-alt</code>", "<code>common-test</code>"})
    EXPECT_NE(provenance.find(shown), std::string::npos) << shown;
}

TEST(Html, ComparisonTextIsEscaped) {
  const std::string attack = "</script><img src=x onerror=alert(1)>";
  json c = {
      {"grid2gpu_compare", 2},
      {"provenance", {{"command", attack}, {"study", hostile}, {"commit", hostile}}},
      {"assumptions", {{"baseline", "a"}, {"<b>key</b>", hostile}, {"boundary", attack}}},
      {"assumption_sets",
       {{{"name", hostile},
         {"title", attack},
         {"side", "ac"},
         {"description", attack},
         {"values",
          {{{"what", attack},
            {"value", hostile},
            {"source", "https://example.com/\"><img src=x onerror=alert(1)>"},
            {"kind", "assumption"}}}}}}},
      {"scenarios", {{{"name", attack}, {"sets", {hostile}}, {"architectures", json::array()}}}},
      {"architectures",
       {{{"id", "a"},
         {"name", hostile},
         {"stages", json::array()},
         {"violations", {{{"kind", "under_voltage"}, {"element", hostile}}}}}}},
      {"claims",
       {{{"id", "a\"><img src=x>"},
         {"text", attack},
         {"quote", attack},
         {"source", "javascript:alert(1) " + attack},
         {"kind", hostile},
         {"form", "about"},
         {"metric", "copper_reduction"},
         {"verdict", "consistent"},
         {"interpretations", {{{"name", attack}, {"computed", hostile}, {"verdict", "n/a"}}}},
         {"sensitivity", {{{"assumption", attack}, {"value", hostile}}}},
         {"break_even", {{{"text", attack}}}}}}}};
  const std::string html = render_html(c, {{"a", "<svg></svg>"}, {hostile, "<svg></svg>"}});
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>key"), std::string::npos);
  EXPECT_EQ(html.find("href=\"javascript"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)"), std::string::npos);
  // The address stops at the quote: the rest is text, escaped.
  EXPECT_NE(html.find("href=\"https://example.com/\""), std::string::npos);
  // Only the page's own four scripts end: onerror handler, data, libraries, report.
  EXPECT_EQ(count(html, "</script>"), 4u);
  EXPECT_THROW(render_html(json::array(), {}), ReportError);
}

// The page lays out the study's typed results: a document is read into them first, and a word
// study does not know (a side, a source kind, a verdict, a claim's form or metric, a figure) or a
// member of the wrong type is refused with the member named, never shown as it is.
TEST(Html, DocumentsAreReadIntoTypedResults) {
  const json good = fixture();
  EXPECT_NO_THROW(render_html(good, {}));
  auto refused = [&](const std::string& what, auto&& change) {
    json doc = good;
    change(doc);
    try {
      render_html(doc, {});
      ADD_FAILURE() << what << ": not refused";
    } catch (const ReportError& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  refused("assumption_sets[0].side", [](json& d) { d["assumption_sets"][0]["side"] = "left"; });
  refused("assumption_sets[0].values[0].kind",
          [](json& d) { d["assumption_sets"][0]["values"][0]["kind"] = "rumour"; });
  refused("claims[0].verdict", [](json& d) { d["claims"][0]["verdict"] = "holds"; });
  refused("claims[1].form", [](json& d) { d["claims"][1]["form"] = "roughly"; });
  refused("claims[2].metric", [](json& d) { d["claims"][2].erase("metric"); });
  refused("claims[0].interpretations[0].verdict",
          [](json& d) { d["claims"][0]["interpretations"][0]["verdict"] = "maybe"; });
  refused("differences[0].metric", [](json& d) { d["differences"][0]["metric"] = "joy"; });
  refused("architectures[1].ranges.joy", [](json& d) {
    d["architectures"][1]["ranges"]["joy"] = {{"low", 0}, {"high", 1}};
  });
  refused("assumptions.tariff_per_mwh", [](json& d) { d["assumptions"]["tariff_per_mwh"] = "80"; });
  refused("scenarios[0].default", [](json& d) { d["scenarios"][0]["default"] = "yes"; });
  refused("provenance.commit", [](json& d) { d["provenance"]["commit"] = 12; });
}

}  // namespace
}  // namespace g2g::report

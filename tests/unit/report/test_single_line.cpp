// Single-line diagrams: template groups drawn once with their count, the violation colour only
// where there is a violation, breakers and redundancy, tooltips naming model ids, escaping.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/io/files.hpp"
#include "g2g/report/report.hpp"
#include "support/test_support.hpp"
#include "unit/report/report_test_support.hpp"

namespace g2g::report {
namespace {

using testing::count;
using testing::hostile;
using testing::solve_file;
using testing::Solved;

// DOT node statements of buses (`class="sld-bus"`) or elements (`class="sld-element ...`), one
// per line. The helpers here search by hand: std::regex trips a false -Wmaybe-uninitialized in
// GCC 12's <regex>.
std::size_t count_nodes(const std::string& dot, std::string_view node_class) {
  std::size_t n = 0;
  std::istringstream in(dot);
  const std::string marker = fmt::format("class=\"{}", node_class);
  for (std::string line; std::getline(in, line);)
    if (line.find(" [id=\"sld-") != std::string::npos && line.find(marker) != std::string::npos)
      ++n;
  return n;
}

// Lines holding a node label (`label=<`) that shows `text` after it.
std::size_t count_labels_with(const std::string& dot, const std::string& text) {
  std::size_t n = 0;
  std::istringstream in(dot);
  for (std::string line; std::getline(in, line);) {
    const std::size_t label = line.find("label=<");
    if (label != std::string::npos && line.find(text, label) != std::string::npos) ++n;
  }
  return n;
}

// The DOT line of the one node whose label shows `local_id` in bold (its header).
std::vector<std::string> node_lines_with(const std::string& dot, const std::string& local_id) {
  std::vector<std::string> lines;
  std::istringstream in(dot);
  for (std::string line; std::getline(in, line);)
    if (line.find("label=<") != std::string::npos &&
        line.find(fmt::format("<B>{}</B>", local_id)) != std::string::npos)
      lines.push_back(line);
  return lines;
}

// A feeder with three identical racks, each two buses and four elements, from one template.
constexpr const char* small_model = R"(grid2gpu: 1
name: three racks
buses:
  - {id: grid, kind: ac, voltage: 13.8 kV}
  - {id: dc800, kind: dc, voltage: 800 V}
components:
  - {id: utility, type: utility, bus: grid}
  - {id: sst, type: sst, input: grid, output: dc800, rating: 1 MW, efficiency: 98 %}
templates:
  rack:
    ports: [feed]
    buses:
      - {id: bus54, kind: dc, voltage: 54 V}
      - {id: bus12, kind: dc, voltage: 12 V}
    components:
      - {id: psu, type: dcdc, input: feed, output: bus54, rating: 150 kW, efficiency: 97 %}
      - {id: ibc, type: dcdc, subtype: ibc, input: bus54, output: bus12, rating: 150 kW,
         efficiency: 97.5 %}
      - {id: gpus, type: gpu_rack, bus: bus12, it_power: 100 kW}
instances:
  - {template: rack, id: rack, count: 3, connect: {feed: dc800}}
)";

TEST(SingleLine, DotHasOneNodePerTemplateGroupWithCount) {
  const auto dir = test::scratch_dir("report_small_dot");
  io::write_file_atomic(dir / "three-racks.yaml", small_model);
  const Solved s = solve_file(dir / "three-racks.yaml");
  ASSERT_EQ(s.model.loads.size(), 3u);

  const std::string dot = single_line_dot(s.model, s.result);
  // 2 top-level buses + 2 rack buses; 2 top-level elements + 3 rack elements: nine nodes.
  EXPECT_EQ(count_nodes(dot, "sld-bus"), 4u) << dot;
  EXPECT_EQ(count_nodes(dot, "sld-element"), 5u) << dot;
  for (const char* id : {"psu", "ibc", "gpus", "bus54", "bus12"}) {
    const auto lines = node_lines_with(dot, id);
    ASSERT_EQ(lines.size(), 1u) << id << "\n" << dot;
    EXPECT_NE(lines[0].find("×3"), std::string::npos) << lines[0];
  }
  for (const char* id : {"sst", "utility", "grid", "dc800"}) {
    const auto lines = node_lines_with(dot, id);
    ASSERT_EQ(lines.size(), 1u) << id;
    EXPECT_EQ(lines[0].find("×"), std::string::npos) << lines[0];
  }
  // The template is framed once, with its instance count; instance paths are not drawn.
  EXPECT_EQ(count(dot, "subgraph cluster_"), 1u);
  EXPECT_NE(dot.find("template rack&#160;&#160;·&#160;&#160;<B>×3</B>"), std::string::npos) << dot;
  EXPECT_EQ(count_labels_with(dot, "rack[2]"), 0u);

  // Without grouping every bus and element is its own node.
  SingleLineOptions flat;
  flat.group_templates = false;
  const std::string all = single_line_dot(s.model, s.result, flat);
  EXPECT_EQ(count_nodes(all, "sld-bus"), s.model.buses.size());
  EXPECT_EQ(count_nodes(all, "sld-element"), s.result.elements.size());
}

TEST(SingleLine, NestedTemplatesCollapseToOneNodeEach) {
  const Solved s = solve_file(test::example_path("800vdc-gpu-hall.yaml"));
  const std::string dot = single_line_dot(s.model, s.result);
  // grid, mv, dc800, row/busway, row/rack/{bus54, tray54, bus12}.
  EXPECT_EQ(count_nodes(dot, "sld-bus"), 7u) << dot;
  // utility, mv_feeder, sst, bess, busway_feed, dcdc800, busbar54, ibc, gpus.
  EXPECT_EQ(count_nodes(dot, "sld-element"), 9u) << dot;
  const auto feed = node_lines_with(dot, "busway_feed");
  ASSERT_EQ(feed.size(), 1u);
  EXPECT_NE(feed[0].find("×4"), std::string::npos);
  for (const char* id : {"dcdc800", "busbar54", "ibc", "gpus"}) {
    const auto lines = node_lines_with(dot, id);
    ASSERT_EQ(lines.size(), 1u) << id;
    EXPECT_NE(lines[0].find("×32"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("all 32:"), std::string::npos) << lines[0];
  }
  EXPECT_EQ(count(dot, "subgraph cluster_"), 2u);  // row, and row/rack inside it

  const std::string svg = single_line_svg(s.model, s.result);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u) << svg.substr(0, 200);
  EXPECT_EQ(count(svg, "class=\"node"), 16u);
  EXPECT_NE(svg.find("×32"), std::string::npos);
}

TEST(SingleLine, TooManyNodesGivesANoteInsteadOfALayout) {
  const Solved s = solve_file(test::example_path("800vdc-gpu-hall.yaml"));
  SingleLineOptions options;
  options.group_templates = false;
  options.max_nodes = 50;
  const std::string svg = single_line_svg(s.model, s.result, options);
  EXPECT_NE(svg.find("not drawn"), std::string::npos);
}

// A solid-state breaker and a 5+1 power shelf; `{shelf_rating}` decides whether it is overloaded.
constexpr const char* breaker_model = R"(grid2gpu: 1
name: breaker and spares
buses:
  - {{id: grid, kind: ac, voltage: 13.8 kV}}
  - {{id: dc800, kind: dc, voltage: 800 V}}
  - {{id: feed, kind: dc, voltage: 800 V}}
  - {{id: bus54, kind: dc, voltage: 54 V}}
components:
  - {{id: utility, type: utility, bus: grid}}
  - {{id: sst, type: sst, input: grid, output: dc800, rating: 2 MW, efficiency: 98 %}}
  - {{id: sscb, type: breaker, from: dc800, to: feed, rating: 800 A, on_resistance: 2 mohm}}
  - {{id: shelf, type: dcdc, input: feed, output: bus54, rating: {shelf_rating}, modules: 5,
     redundancy: N+1, efficiency: 97 %}}
  - {{id: it, type: load, bus: bus54, power: 20 kW}}
)";

Solved solve_breaker_model(const std::string& name, std::string_view shelf_rating) {
  const auto dir = test::scratch_dir(name);
  io::write_file_atomic(dir / "model.yaml",
                        fmt::format(breaker_model, fmt::arg("shelf_rating", shelf_rating)));
  return solve_file(dir / "model.yaml");
}

// The DOT line of the node whose id attribute is `id` ("sld-element-3").
std::string node_line(const std::string& dot, const std::string& local_id) {
  const auto lines = node_lines_with(dot, local_id);
  return lines.size() == 1 ? lines[0] : std::string();
}

// Colours "#rrggbb" in `dot` whose hue is red (within 15 degrees) and clearly saturated: the
// violation colours and anything a reader would take for them (red on pink).
std::vector<std::string> reddish_colours(const std::string& dot) {
  std::vector<std::string> found;
  for (auto at = dot.find("\"#"); at != std::string::npos; at = dot.find("\"#", at + 1)) {
    const std::string hex = dot.substr(at + 2, 6);
    if (hex.size() != 6 || !std::all_of(hex.begin(), hex.end(), ::isxdigit)) continue;
    const double r = std::stoi(hex.substr(0, 2), nullptr, 16) / 255.0;
    const double g = std::stoi(hex.substr(2, 2), nullptr, 16) / 255.0;
    const double b = std::stoi(hex.substr(4, 2), nullptr, 16) / 255.0;
    const double hi = std::max({r, g, b});
    const double lo = std::min({r, g, b});
    const double chroma = hi - lo;
    if (chroma < 0.05) continue;  // grey, white, black
    const double lightness = (hi + lo) / 2.0;
    const double saturation = chroma / (1.0 - std::fabs(2.0 * lightness - 1.0));
    double hue = 0.0;
    if (hi == r) hue = 60.0 * std::fmod((g - b) / chroma + 6.0, 6.0);
    if (hi == g) hue = 60.0 * ((b - r) / chroma + 2.0);
    if (hi == b) hue = 60.0 * ((r - g) / chroma + 4.0);
    if ((hue < 15.0 || hue > 345.0) && saturation > 0.25) found.push_back("#" + hex);
  }
  return found;
}

TEST(SingleLine, ViolationColourOnlyWhereThereIsAViolation) {
  constexpr const char* problem_border = "#d93025";
  constexpr const char* problem_fill = "#fce8e6";
  const Solved healthy = solve_breaker_model("report_healthy", "27.5 kW");
  ASSERT_TRUE(healthy.result.violations.empty());
  const std::string dot = single_line_dot(healthy.model, healthy.result);
  EXPECT_EQ(reddish_colours(dot), std::vector<std::string>{}) << dot;
  // The legacy example has rack PSUs and no violation: nothing in it looks red.
  const Solved legacy = solve_file(test::example_path("legacy-415vac-small.yaml"));
  ASSERT_TRUE(legacy.result.violations.empty());
  const std::string legacy_dot = single_line_dot(legacy.model, legacy.result);
  EXPECT_NE(legacy_dot.find("sld-psu"), std::string::npos);
  EXPECT_EQ(reddish_colours(legacy_dot), std::vector<std::string>{});

  // 20 kW through a shelf rated 10 kW: the shelf, and only the shelf, is drawn as a problem.
  const Solved overloaded = solve_breaker_model("report_overloaded", "10 kW");
  ASSERT_FALSE(overloaded.result.violations.empty());
  const std::string bad = single_line_dot(overloaded.model, overloaded.result);
  const std::string shelf = node_line(bad, "shelf");
  ASSERT_FALSE(shelf.empty()) << bad;
  EXPECT_NE(shelf.find(problem_border), std::string::npos) << shelf;
  EXPECT_NE(shelf.find(problem_fill), std::string::npos) << shelf;
  EXPECT_NE(shelf.find("overload"), std::string::npos) << shelf;
  for (const char* id : {"sst", "sscb", "utility", "it", "bus54", "feed"}) {
    const std::string line = node_line(bad, id);
    ASSERT_FALSE(line.empty()) << id;
    EXPECT_EQ(line.find(problem_border), std::string::npos) << line;
  }
}

TEST(SingleLine, SolidStateBreakerAndRedundancyAreDrawn) {
  const Solved s = solve_breaker_model("report_breaker", "27.5 kW");
  const std::string dot = single_line_dot(s.model, s.result);
  const std::string breaker = node_line(dot, "sscb");
  ASSERT_FALSE(breaker.empty()) << dot;
  EXPECT_NE(breaker.find("sld-breaker"), std::string::npos) << breaker;
  EXPECT_NE(breaker.find(">BREAKER<"), std::string::npos) << breaker;
  EXPECT_NE(breaker.find("on-state R 2 mΩ"), std::string::npos) << breaker;
  EXPECT_NE(breaker.find("800 A rated"), std::string::npos) << breaker;
  // Five 5.5 kW modules make the 27.5 kW rating, N+1 runs six.
  const std::string shelf = node_line(dot, "shelf");
  EXPECT_NE(shelf.find("N+1: 6 × 5.5 kW installed"), std::string::npos) << shelf;
}

// Every <title> (the tooltip of a node or an edge) in `svg`.
std::vector<std::string> svg_titles(const std::string& svg) {
  std::vector<std::string> titles;
  for (auto at = svg.find("<title>"); at != std::string::npos; at = svg.find("<title>", at + 1)) {
    const auto end = svg.find("</title>", at);
    titles.push_back(svg.substr(at + 7, end - at - 7));
  }
  return titles;
}

TEST(SingleLine, TooltipsNameModelIdsNotIndices) {
  const auto dir = test::scratch_dir("report_tooltips");
  io::write_file_atomic(dir / "three-racks.yaml", small_model);
  const Solved s = solve_file(dir / "three-racks.yaml");
  std::vector<std::string> psus;  // "rack[1]/psu", ... in model order
  for (const auto& c : s.model.converters)
    if (c.id.ends_with("/psu")) psus.push_back(c.id);
  ASSERT_EQ(psus.size(), 3u);
  const std::string& first = psus.front();
  const std::string& last = psus.back();
  const std::string dot = single_line_dot(s.model, s.result);
  const std::string psu = node_line(dot, "psu");
  EXPECT_NE(psu.find(fmt::format("{} … {}", first, last)), std::string::npos) << psu;
  EXPECT_NE(psu.find("template rack, element psu"), std::string::npos) << psu;

  const std::string svg = single_line_svg(s.model, s.result);
  const auto titles = svg_titles(svg);
  ASSERT_GE(titles.size(), 9u);
  for (const auto& title : titles) {
    // Graphviz titles nodes and edges by node name: ours name a model id ("bus rack/bus54",
    // "DC/DC rack/psu"), never an index like "e3" or "b0&#45;&gt;e1".
    const bool index_like =
        title.size() >= 2 && (title[0] == 'e' || title[0] == 'b') && std::isdigit(title[1]);
    EXPECT_FALSE(index_like) << title;
  }
  EXPECT_NE(std::find(titles.begin(), titles.end(), "DC/DC rack/psu"), titles.end()) << svg;
  EXPECT_EQ(titles.front(), "single&#45;line diagram of three racks");  // Graphviz writes '-' so
  EXPECT_NE(std::find(titles.begin(), titles.end(), "bus dc800"), titles.end());
}

TEST(Escaping, ModelTextIsEscapedInDotAndSvg) {
  Solved s = solve_file(test::example_path("legacy-415vac-small.yaml"));
  s.model.buses[0].id = hostile;
  s.model.transformers[0].id = fmt::format("tx{}", hostile);
  const std::string dot = single_line_dot(s.model, s.result);
  EXPECT_EQ(dot.find("<script>"), std::string::npos);
  EXPECT_NE(dot.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"),
            std::string::npos);
  const std::string svg = layout_svg(dot);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;"), std::string::npos);
}

}  // namespace
}  // namespace g2g::report

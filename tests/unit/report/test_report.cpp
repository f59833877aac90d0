// The HTML report: single-line diagrams grouped by template, escaping of model text, and the
// whole page rendered by headless Chromium with its scripts run.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "g2g/io/files.hpp"
#include "g2g/report/report.hpp"
#include "g2g/steady/solver.hpp"
#include "support/test_support.hpp"

namespace g2g::report {
namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size()))
    ++n;
  return n;
}

// DOT node statements whose id is `prefix` and digits ("b12 [..."), one per line. The helpers
// here search by hand: std::regex trips a false -Wmaybe-uninitialized in GCC 12's <regex>.
std::size_t count_nodes(const std::string& dot, char prefix) {
  std::size_t n = 0;
  std::istringstream in(dot);
  for (std::string line; std::getline(in, line);) {
    std::size_t at = line.find_first_not_of(" \t");
    if (at == std::string::npos || line[at] != prefix) continue;
    const std::size_t digits = line.find_first_not_of("0123456789", at + 1);
    if (digits != std::string::npos && digits > at + 1 && line.compare(digits, 2, " [") == 0) ++n;
  }
  return n;
}

// Start tags `<name ...>` in `html` whose attributes hold every one of `parts`.
std::size_t count_tags(const std::string& html, const std::string& name,
                       std::initializer_list<std::string_view> parts) {
  std::size_t n = 0;
  const std::string open = "<" + name;
  for (auto at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
    const auto end = html.find('>', at);
    if (end == std::string::npos) break;
    const std::string_view tag(html.data() + at, end - at);
    if (tag.size() > open.size() && tag[open.size()] != ' ') continue;  // <svgfoo
    if (std::all_of(parts.begin(), parts.end(),
                    [&](std::string_view part) { return tag.find(part) != std::string::npos; }))
      ++n;
  }
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

struct Solved {
  model::ModelSpec model;
  steady::SolveResult result;
};

Solved solve_file(const std::filesystem::path& path) {
  Solved s;
  s.model = io::read_model(path);
  s.result = steady::solve(s.model);
  return s;
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
  EXPECT_EQ(count_nodes(dot, 'b'), 4u) << dot;
  EXPECT_EQ(count_nodes(dot, 'e'), 5u) << dot;
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
  EXPECT_EQ(count_nodes(all, 'b'), s.model.buses.size());
  EXPECT_EQ(count_nodes(all, 'e'), s.result.elements.size());
}

TEST(SingleLine, NestedTemplatesCollapseToOneNodeEach) {
  const Solved s = solve_file(test::source_dir() / "examples/800vdc-gpu-hall.yaml");
  const std::string dot = single_line_dot(s.model, s.result);
  // grid, mv, dc800, row/busway, row/rack/{bus54, tray54, bus12}.
  EXPECT_EQ(count_nodes(dot, 'b'), 7u) << dot;
  // utility, mv_feeder, sst, bess, busway_feed, dcdc800, busbar54, ibc, gpus.
  EXPECT_EQ(count_nodes(dot, 'e'), 9u) << dot;
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
  const Solved s = solve_file(test::source_dir() / "examples/800vdc-gpu-hall.yaml");
  SingleLineOptions options;
  options.group_templates = false;
  options.max_nodes = 50;
  const std::string svg = single_line_svg(s.model, s.result, options);
  EXPECT_NE(svg.find("not drawn"), std::string::npos);
}

constexpr const char* hostile = "<script>alert('x')</script>&\"";

TEST(Escaping, ModelTextIsEscapedInDotAndSvg) {
  Solved s = solve_file(test::source_dir() / "examples/legacy-415vac-small.yaml");
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

TEST(Escaping, ComparisonTextIsEscapedInHtml) {
  nlohmann::json c = {
      {"grid2gpu_compare", 1},
      {"assumptions", {{"baseline", "a"}, {"<b>key</b>", hostile}}},
      {"architectures",
       {{{"id", "a"},
         {"name", hostile},
         {"stages", nlohmann::json::array()},
         {"violations", {{{"kind", "under_voltage"}, {"element", hostile}}}}}}},
      {"claims", {{{"id", "a"}, {"claim", "</script><img src=x onerror=alert(1)>"}}}}};
  const std::string html = render_html(c, {{"a", "<svg></svg>"}, {hostile, "<svg></svg>"}});
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>key"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)"), std::string::npos);
  // Only the page's own four scripts end: onerror handler, data, libraries, report.
  EXPECT_EQ(count(html, "</script>"), 4u);
  EXPECT_THROW(render_html(nlohmann::json::array(), {}), ReportError);
}

// ---- The page in a real browser ------------------------------------------------------------

std::string find_chromium() {
  for (const char* candidate : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (std::filesystem::exists(candidate)) return candidate;
  return {};
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Html, RendersInHeadlessChromiumWithoutScriptErrors) {
  const std::string chromium = find_chromium();
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed (scripts/setup installs it)";

  const auto dir = test::scratch_dir("report_chromium");
  std::vector<ArchitectureDiagram> diagrams;
  for (const auto& [id, file] :
       {std::pair{"legacy-415vac-small", "examples/legacy-415vac-small.yaml"},
        std::pair{"800vdc-gpu-hall", "examples/800vdc-gpu-hall.yaml"}}) {
    const Solved s = solve_file(test::source_dir() / file);
    diagrams.push_back({id, single_line_svg(s.model, s.result)});
  }
  const auto comparison = nlohmann::json::parse(
      read_file(test::source_dir() / "tests/unit/report/comparison_fixture.json"));
  const std::string html = render_html(comparison, diagrams);
  const auto page = dir / "report.html";
  io::write_file_atomic(page, html);

  // Headless Chromium loads the page, runs its scripts and prints the resulting DOM.
  const auto dom_file = dir / "dom.html";
  const auto log_file = dir / "chromium.log";
  const std::string command = fmt::format(
      "{{ timeout 120 {} --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "
      "--no-first-run --user-data-dir={} --dump-dom file://{} > {} 2> {}; }}",
      chromium, (dir / "profile").string(), page.string(), dom_file.string(), log_file.string());
  const auto started = std::chrono::steady_clock::now();
  const auto run = test::run_command(command);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_EQ(run.exit_code, 0) << run.output << read_file(log_file);
  const std::string dom = read_file(dom_file);
  ASSERT_FALSE(dom.empty()) << read_file(log_file);
  std::cout << "[ report  ] " << page.string() << " (" << html.size() / 1024
            << " KiB), rendered by chromium in " << fmt::format("{:.1f}", seconds) << " s\n";

  // No script error, and the page's script ran to its end.
  const auto errors = dom.find("<pre id=\"render-errors\"");
  ASSERT_NE(errors, std::string::npos);
  const auto errors_text = dom.find('>', errors) + 1;
  EXPECT_EQ(dom.substr(errors_text, dom.find("</pre>", errors_text) - errors_text), "")
      << "script errors in the page";
  EXPECT_NE(dom.find("data-render-ok=\"1\""), std::string::npos);

  // Single-line diagrams: both, with grouped nodes.
  EXPECT_EQ(count_tags(dom, "svg", {"class=\"sld\""}), 2u);
  EXPECT_GE(count(dom, "class=\"node"), 20u);
  EXPECT_NE(dom.find("×32"), std::string::npos);
  // Sankey diagrams: drawn, with a band per stage output and per loss.
  EXPECT_EQ(count_tags(dom, "svg", {"class=\"sankey\"", "data-rendered=\"1\""}), 2u);
  EXPECT_GE(count(dom, "class=\"sankey-link sankey-link-main\""), 11u);
  EXPECT_GE(count(dom, "class=\"sankey-link sankey-link-loss\""), 10u);
  EXPECT_EQ(count(dom, "class=\"sankey-link sankey-link-other\""), 1u);  // the battery
  // Charts: two waterfalls and the copper chart, drawn on their canvases.
  EXPECT_EQ(count_tags(dom, "canvas", {"data-rendered=\"1\""}), 3u);
  // Tables carry the numbers without JavaScript.
  EXPECT_NE(html.find("94.55 %"), std::string::npos);
  EXPECT_NE(html.find("does not hold"), std::string::npos);
}

}  // namespace
}  // namespace g2g::report

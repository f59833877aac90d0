// The whole page in headless Chromium, built from two solved examples and
// comparison_fixture.json: its scripts run without error and draw every chart; printed to PDF,
// every table cell is on paper and nothing lies outside the printable width (and the same for
// the simulation page of a fault an SSCB clears); in a 420 px wide
// window nothing makes the page scroll sideways. Skipped when Chromium (or, for the PDF,
// poppler-utils) is not installed.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "g2g/dynamic/scenario.hpp"
#include "g2g/dynamic/simulate.hpp"
#include "g2g/io/files.hpp"
#include "g2g/report/report.hpp"
#include "support/test_support.hpp"
#include "unit/io/simulation_fixture.hpp"
#include "unit/report/report_test_support.hpp"
#include "unit/report/simulation_signals.hpp"
#include "unit/report/sweep_fixture.hpp"

namespace g2g::report {
namespace {

using test::read_text;
using testing::count;
using testing::count_tags;

std::string find_program(std::initializer_list<const char*> candidates) {
  for (const char* candidate : candidates)
    if (std::filesystem::exists(candidate)) return candidate;
  return {};
}

std::string find_chromium() {
  return find_program({"/usr/bin/chromium", "/usr/bin/chromium-browser"});
}

// The page of the fixture comparison with the diagrams of the two examples it describes.
std::string fixture_page() {
  std::vector<ArchitectureDiagram> diagrams;
  for (const auto& [id, file] : {std::pair{"legacy-415vac-small", "legacy-415vac-small.yaml"},
                                 std::pair{"800vdc-gpu-hall", "800vdc-gpu-hall.yaml"}}) {
    const auto s = testing::solve_file(test::example_path(file));
    diagrams.push_back({id, single_line_svg(s.model, s.result)});
  }
  const auto comparison = nlohmann::json::parse(
      read_text(test::source_dir() / "tests/unit/report/comparison_fixture.json"));
  return render_html(comparison, diagrams);
}

// Runs headless Chromium on `page` with `arguments` (the output options); stderr goes to
// chromium.log in `dir`.
test::CommandResult run_chromium(const std::string& chromium, const std::filesystem::path& dir,
                                 const std::filesystem::path& page, const std::string& arguments) {
  return test::run_command(fmt::format(
      "timeout 120 {} --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "
      "--disable-background-networking --disable-component-update --disable-sync --no-first-run "
      "--user-data-dir={} {} file://{} 2> {}",
      chromium, (dir / "profile").string(), arguments, page.string(),
      (dir / "chromium.log").string()));
}

TEST(Browser, RendersWithoutScriptErrors) {
  const std::string chromium = find_chromium();
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed (scripts/setup installs it)";
  const auto dir = test::scratch_dir("report_chromium");
  const std::string html = fixture_page();
  const auto page = dir / "report.html";
  io::write_file_atomic(page, html);

  // Headless Chromium loads the page, runs its scripts and prints the resulting DOM.
  const auto run = run_chromium(chromium, dir, page,
                                fmt::format("--dump-dom > {}", (dir / "dom.html").string()));
  ASSERT_EQ(run.exit_code, 0) << run.output << read_text(dir / "chromium.log");
  const std::string dom = read_text(dir / "dom.html");
  ASSERT_FALSE(dom.empty()) << read_text(dir / "chromium.log");
  std::cout << "[ report  ] " << page.string() << " (" << html.size() / 1024 << " KiB)\n";

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
  // The delivered end of the flow names the comparison's boundary.
  EXPECT_NE(dom.find("at the boundary: grid to GPU regulator (VRM) input"), std::string::npos);
  // Charts: two waterfalls and the copper chart, drawn on their canvases.
  EXPECT_EQ(count_tags(dom, "canvas", {"data-rendered=\"1\""}), 3u);
  // The sections of the page, and the claims' range bars, are there after the scripts ran.
  for (const char* id : {"summary", "differences", "claims", "assumption-sets", "flows", "losses",
                         "conductors", "single-line", "violations", "assumptions", "provenance"})
    EXPECT_EQ(count_tags(dom, "section", {fmt::format("id=\"{}\"", id)}), 1u) << id;
  EXPECT_EQ(count_tags(dom, "svg", {"class=\"range-bar\""}), 10u);
  EXPECT_NE(html.find("94.55 %"), std::string::npos);
}

// The sweep pages: every chart drawn, no script error.
TEST(Browser, DrawsEverySweepChart) {
  const std::string chromium = find_chromium();
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed (scripts/setup installs it)";
  const auto dir = test::scratch_dir("sweep_chromium");
  for (const auto& [name, table, charts] :
       {std::tuple{"grid", testing::sweep_grid_table(), 5u},
        std::tuple{"monte_carlo", testing::sweep_monte_carlo_table(), 6u}}) {
    const auto page = dir / fmt::format("{}.html", name);
    io::write_file_atomic(page, render_sweep_html(study::summarise_sweep(table)));
    const auto dom_file = dir / fmt::format("{}-dom.html", name);
    const auto run =
        run_chromium(chromium, dir, page, fmt::format("--dump-dom > {}", dom_file.string()));
    ASSERT_EQ(run.exit_code, 0) << run.output << read_text(dir / "chromium.log");
    const std::string dom = read_text(dom_file);
    const auto errors = dom.find("<pre id=\"render-errors\"");
    ASSERT_NE(errors, std::string::npos) << name;
    const auto errors_text = dom.find('>', errors) + 1;
    EXPECT_EQ(dom.substr(errors_text, dom.find("</pre>", errors_text) - errors_text), "") << name;
    EXPECT_NE(dom.find("data-render-ok=\"1\""), std::string::npos) << name;
    // grid: 4 parameter charts and the claims; Monte Carlo: 2 scatters, 2 histograms, 2 ECDFs.
    EXPECT_EQ(count_tags(dom, "canvas", {"data-rendered=\"1\""}), charts) << name;
  }
}

// The simulation page: both envelope charts drawn with the zoom plugin loaded, no script error.
TEST(Browser, DrawsEverySimulationChart) {
  const std::string chromium = find_chromium();
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed (scripts/setup installs it)";
  const auto dir = test::scratch_dir("simulation_chromium");
  const auto page = dir / "simulation.html";
  io::write_file_atomic(
      page, render_simulation_html(test::simulation_fixture(), testing::simulation_signals()));
  const auto dom_file = dir / "dom.html";
  const auto run =
      run_chromium(chromium, dir, page, fmt::format("--dump-dom > {}", dom_file.string()));
  ASSERT_EQ(run.exit_code, 0) << run.output << read_text(dir / "chromium.log");
  const std::string dom = read_text(dom_file);
  const auto errors = dom.find("<pre id=\"render-errors\"");
  ASSERT_NE(errors, std::string::npos);
  const auto errors_text = dom.find('>', errors) + 1;
  EXPECT_EQ(dom.substr(errors_text, dom.find("</pre>", errors_text) - errors_text), "");
  EXPECT_NE(dom.find("data-render-ok=\"1\""), std::string::npos);
  EXPECT_EQ(count_tags(dom, "canvas", {"class=\"sim-chart\"", "data-rendered=\"1\""}), 2u);
}

// ---- Paper --------------------------------------------------------------------------------

// `text` without white space (ASCII, no-break and thin spaces) and with the typographic
// ligatures a PDF may hold (ﬀ ﬁ ﬂ ﬃ ﬄ) spelt out: line breaks in a cell do not matter.
std::string squeeze(std::string_view text) {
  static constexpr std::pair<std::string_view, std::string_view> replaced[] = {
      {"\u00a0", ""},   {"\u2009", ""},   {"\u202f", ""},    {"\u200b", ""},   {"\ufb00", "ff"},
      {"\ufb01", "fi"}, {"\ufb02", "fl"}, {"\ufb03", "ffi"}, {"\ufb04", "ffl"}};
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
      ++i;
      continue;
    }
    bool done = false;
    for (const auto& [from, to] : replaced) {
      if (text.substr(i, from.size()) == from) {
        out += to;
        i += from.size();
        done = true;
        break;
      }
    }
    if (!done) out.push_back(text[i++]);
  }
  return out;
}

std::string decode_entities(std::string text) {
  for (const auto& [entity, shown] :
       {std::pair{"&lt;", "<"}, std::pair{"&gt;", ">"}, std::pair{"&quot;", "\""},
        std::pair{"&#39;", "'"}, std::pair{"&#160;", "\u00a0"}, std::pair{"&amp;", "&"}})
    for (auto at = text.find(entity); at != std::string::npos; at = text.find(entity, at + 1))
      text.replace(at, std::string_view(entity).size(), shown);
  return text;
}

// The text of every cell (<td>, <th>) of every table in `html`, without inline SVG (whose
// <title> is not printed) and tags.
std::vector<std::string> table_cells(const std::string& html) {
  std::vector<std::string> cells;
  for (auto table = html.find("<table"); table != std::string::npos;
       table = html.find("<table", table + 1)) {
    const auto table_end = html.find("</table>", table);
    for (const char* name : {"td", "th"}) {
      const std::string open = fmt::format("<{}", name);
      const std::string close = fmt::format("</{}>", name);
      for (auto at = html.find(open, table); at < table_end; at = html.find(open, at + 1)) {
        if (html[at + open.size()] != ' ' && html[at + open.size()] != '>') continue;  // <thead
        const auto start = html.find('>', at) + 1;
        std::string inner = html.substr(start, html.find(close, start) - start);
        for (auto svg = inner.find("<svg"); svg != std::string::npos; svg = inner.find("<svg"))
          inner.erase(svg, inner.find("</svg>", svg) + 6 - svg);
        std::string text;
        bool in_tag = false;
        for (const char c : inner) {
          if (c == '<') in_tag = true;
          if (!in_tag) text.push_back(c);
          if (c == '>') in_tag = false;
        }
        text = squeeze(decode_entities(text));
        if (!text.empty()) cells.push_back(text);
      }
    }
  }
  return cells;
}

struct PdfWord {
  double x_min = 0.0;
  double x_max = 0.0;
  std::string text;
};

struct PdfPage {
  double width = 0.0;
  std::vector<PdfWord> words;
};

// Pages and word boxes from `pdftotext -bbox` (XHTML: <page width=...><word xMin=... >).
std::vector<PdfPage> pdf_pages(const std::string& bbox) {
  auto attribute = [](const std::string& tag, const std::string& name) {
    const auto at = tag.find(name + "=\"") + name.size() + 2;
    return std::stod(tag.substr(at, tag.find('"', at) - at));
  };
  std::vector<PdfPage> pages;
  for (auto at = bbox.find('<'); at != std::string::npos; at = bbox.find('<', at + 1)) {
    const std::string tag = bbox.substr(at, bbox.find('>', at) - at);
    if (tag.starts_with("<page ")) {
      pages.push_back({attribute(tag, "width"), {}});
    } else if (tag.starts_with("<word ") && !pages.empty()) {
      const auto text_start = bbox.find('>', at) + 1;
      pages.back().words.push_back(
          {attribute(tag, "xMin"), attribute(tag, "xMax"),
           bbox.substr(text_start, bbox.find('<', text_start) - text_start)});
    }
  }
  return pages;
}

// The print style sheet's page margin (report.css, @page), in points.
constexpr double print_margin_pt = 12.0 / 25.4 * 72.0;

// Prints `html` to PDF in `dir` and checks the paper: at least `min_pages` pages and
// `min_words` words, every word inside the printable width, and every one of the page's table
// cells (at least `min_cells`) in the PDF's text.
void expect_printed_whole(const std::string& chromium, const std::string& pdftotext,
                          const std::filesystem::path& dir, const std::string& html,
                          std::size_t min_pages, std::size_t min_words, std::size_t min_cells) {
  const auto page = dir / "report.html";
  io::write_file_atomic(page, html);
  const auto pdf = dir / "report.pdf";
  const auto run = run_chromium(
      chromium, dir, page, fmt::format("--no-pdf-header-footer --print-to-pdf={}", pdf.string()));
  ASSERT_EQ(run.exit_code, 0) << run.output << read_text(dir / "chromium.log");
  ASSERT_TRUE(std::filesystem::exists(pdf)) << read_text(dir / "chromium.log");
  const auto text_run = test::run_command(fmt::format(
      "{0} -raw -enc UTF-8 {1} {2}/report.txt && {0} -bbox -enc UTF-8 {1} {2}/bbox.html", pdftotext,
      pdf.string(), dir.string()));
  ASSERT_EQ(text_run.exit_code, 0) << text_run.output;
  std::cout << "[ report  ] " << pdf.string() << "\n";

  // Every word lies inside the printable width: nothing ran over the page's margin.
  const auto pages = pdf_pages(read_text(dir / "bbox.html"));
  ASSERT_GE(pages.size(), min_pages);
  std::size_t words = 0;
  for (std::size_t p = 0; p < pages.size(); ++p) {
    for (const auto& word : pages[p].words) {
      ++words;
      EXPECT_GE(word.x_min, print_margin_pt - 2.0) << "page " << p + 1 << ": " << word.text;
      EXPECT_LE(word.x_max, pages[p].width - print_margin_pt + 2.0)
          << "page " << p + 1 << ": " << word.text;
    }
  }
  EXPECT_GT(words, min_words);

  // Every table cell is on paper. A table wider than the page is cut off at its edge (or at the
  // edge of its scrolling box), and the cells of its last columns are missing from the PDF.
  const std::string printed = squeeze(read_text(dir / "report.txt"));
  const auto cells = table_cells(html);
  ASSERT_GT(cells.size(), min_cells);
  std::vector<std::string> missing;
  for (const auto& cell : cells)
    if (printed.find(cell) == std::string::npos) missing.push_back(cell);
  EXPECT_TRUE(missing.empty()) << missing.size() << " of " << cells.size()
                               << " table cells are not in the PDF, e.g. \"" << missing.front()
                               << "\"";
}

TEST(Browser, PrintsEveryTableCellWithinThePrintableWidth) {
  const std::string chromium = find_chromium();
  const std::string pdftotext = find_program({"/usr/bin/pdftotext"});
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed (scripts/setup installs it)";
  if (pdftotext.empty()) GTEST_SKIP() << "pdftotext is not installed (Debian poppler-utils)";
  expect_printed_whole(chromium, pdftotext, test::scratch_dir("report_print"), fixture_page(), 3,
                       1000, 300);
}

// The simulation page of a fault an SSCB clears (examples/800vdc-gpu-hall-sscb.yaml with
// examples/scenarios/rack-feeder-fault.yaml): its widest tables, protection devices (13
// columns), selectivity and the fault's bus dips, on paper.
TEST(Browser, PrintsEverySimulationTableCellWithinThePrintableWidth) {
  const std::string chromium = find_chromium();
  const std::string pdftotext = find_program({"/usr/bin/pdftotext"});
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed (scripts/setup installs it)";
  if (pdftotext.empty()) GTEST_SKIP() << "pdftotext is not installed (Debian poppler-utils)";
  const model::ModelSpec hall =
      testing::solve_file(test::example_path("800vdc-gpu-hall-sscb.yaml")).model;
  const dynamic::Scenario scenario = dynamic::parse_scenario(
      read_text(test::example_path("scenarios/rack-feeder-fault.yaml")), "rack-feeder-fault.yaml",
      [](std::string_view) -> std::string { throw std::runtime_error("no traces here"); });
  const dynamic::SimulationRun run = dynamic::simulate(hall, scenario);
  ASSERT_FALSE(run.summary.protection.empty());
  ASSERT_FALSE(run.summary.faults.empty());
  const std::string html = render_simulation_html(run.summary, run.envelopes);
  ASSERT_NE(html.find("row[1]/rack[1]/rack_sscb"), std::string::npos);
  expect_printed_whole(chromium, pdftotext, test::scratch_dir("simulation_print"), html, 2, 500,
                       200);
}

// ---- A phone ------------------------------------------------------------------------------

TEST(Browser, NothingScrollsSidewaysAt420Pixels) {
  const std::string chromium = find_chromium();
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed (scripts/setup installs it)";
  const auto dir = test::scratch_dir("report_phone");
  // The page with a probe that lists the elements reaching past the window's right edge, except
  // inside a box that scrolls or clips (wide tables and diagrams scroll in their own box). It
  // runs in a 420 px wide frame, whose parent writes the answer into its DOM.
  std::string html = fixture_page();
  const std::string probe = R"(<script>window.addEventListener('load', function () {
  var width = document.documentElement.clientWidth, out = [];
  document.querySelectorAll('body *').forEach(function (e) {
    if (e.getBoundingClientRect().right <= width + 1) return;
    for (var p = e.parentElement; p; p = p.parentElement) {
      var overflow = getComputedStyle(p).overflowX;
      if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') return;
    }
    out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
             (e.className && e.className.baseVal === undefined ? '.' + e.className : ''));
  });
  parent.postMessage(JSON.stringify({width: width, scroll: document.documentElement.scrollWidth,
                                     wide: out.slice(0, 10)}), '*');
});</script>)";
  html.insert(html.rfind("</body>"), probe);
  io::write_file_atomic(dir / "report.html", html);
  io::write_file_atomic(
      dir / "phone.html",
      "<!DOCTYPE html><html><body><iframe src=\"report.html\" width=\"420\" height=\"800\">"
      "</iframe><script>window.addEventListener('message', function (e) {"
      "document.body.setAttribute('data-probe', e.data); });</script></body></html>");
  const auto run = run_chromium(
      chromium, dir, dir / "phone.html",
      fmt::format("--virtual-time-budget=10000 --dump-dom > {}", (dir / "dom.html").string()));
  ASSERT_EQ(run.exit_code, 0) << run.output << read_text(dir / "chromium.log");
  const std::string dom = read_text(dir / "dom.html");
  const auto at = dom.find("data-probe=\"");
  ASSERT_NE(at, std::string::npos) << dom.substr(0, 2000);
  const auto start = at + 12;
  const auto probed =
      nlohmann::json::parse(decode_entities(dom.substr(start, dom.find('"', start) - start)));
  const int width = probed["width"].get<int>();
  EXPECT_GT(width, 380);  // the frame, less a scroll bar
  EXPECT_LE(width, 420);
  EXPECT_EQ(probed["scroll"].get<int>(), width) << probed.dump();
  EXPECT_TRUE(probed["wide"].empty()) << probed.dump();
}

}  // namespace
}  // namespace g2g::report

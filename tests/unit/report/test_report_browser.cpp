// The whole page in headless Chromium, built from two solved examples and
// comparison_fixture.json: its scripts run without error and draw every chart. Skipped when
// Chromium is not installed.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "g2g/io/files.hpp"
#include "g2g/report/report.hpp"
#include "support/test_support.hpp"
#include "unit/report/report_test_support.hpp"

namespace g2g::report {
namespace {

using testing::count;
using testing::count_tags;
using testing::read_file;

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
  for (const auto& [id, file] :
       {std::pair{"legacy-415vac-small", "examples/legacy-415vac-small.yaml"},
        std::pair{"800vdc-gpu-hall", "examples/800vdc-gpu-hall.yaml"}}) {
    const auto s = testing::solve_file(test::source_dir() / file);
    diagrams.push_back({id, single_line_svg(s.model, s.result)});
  }
  const auto comparison = nlohmann::json::parse(
      read_file(test::source_dir() / "tests/unit/report/comparison_fixture.json"));
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
  ASSERT_EQ(run.exit_code, 0) << run.output << read_file(dir / "chromium.log");
  const std::string dom = read_file(dir / "dom.html");
  ASSERT_FALSE(dom.empty()) << read_file(dir / "chromium.log");
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

}  // namespace
}  // namespace g2g::report

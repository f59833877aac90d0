// The lifetime page (render_lifetime_html) from a hand-made result: the summary table holds every
// heatsink set's figure per case, a canvas per chart with the data it is drawn from, hostile names
// escaped; in headless Chromium every chart is drawn without a script error (skipped without
// Chromium).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <tuple>

#include "g2g/io/files.hpp"
#include "g2g/report/html_lifetime.hpp"
#include "support/test_support.hpp"
#include "unit/report/report_test_support.hpp"

namespace g2g::report {
namespace {

using test::read_text;
using testing::count;
using testing::count_tags;
using testing::hostile;

// Two heatsink sets x (two periods + one profile) x (without, with the floor), two positions.
struct LifetimeFixture {
  lifetime::LifetimeStudy study;
  lifetime::LifetimeResult result;
};

LifetimeFixture lifetime_fixture() {
  LifetimeFixture f;
  f.study.name = hostile;
  f.study.converter = "rack.yaml";
  f.study.rack_power_w = 130e3;
  f.study.converters_per_rack = 12;
  f.study.warm_up_s = 300;
  f.study.duration_s = 600;
  f.study.time_step_s = 5e-3;
  f.study.smoothing = dynamic::SmoothingSettings{};
  f.study.heatsinks = {{"static", false, 0.0}, {hostile, false, 5.0}};
  f.result.heatsinks = {"static", hostile};
  f.result.reference = "0.1 s, heatsink static";
  double damage = 1.0;
  for (const auto& h : f.result.heatsinks)
    for (const auto& [load, period, profile] :
         {std::tuple{"0.1 s", 0.1, ""}, std::tuple{"1 s", 1.0, ""},
          std::tuple{"checkpoint", 0.0, "checkpoint"}})
      for (const bool floor : {false, true}) {
        lifetime::CaseResult c;
        c.name = std::string(load) + (floor ? " + floor" : "");
        c.heatsink = h;
        c.profile = profile;
        c.period_s = period;
        c.floor = floor;
        c.rack_mean_power_w = floor ? 120e3 : 88e3;
        c.floor_burn_mwh_per_year = floor ? 350.0 / period : 0.0;
        for (const char* position : {"primary switch", "synchronous rectifier"}) {
          lifetime::PositionLife p;
          p.position = position;
          p.device = "GS66516B";
          p.family = "gan-discrete";
          p.largest_swing_k = floor ? 0.0 : 3.9;  // the floor removes every swing here
          p.relative_damage = floor ? 0.0 : damage;
          p.damage_per_year = p.relative_damage;
          p.histogram = {{0.0, 2.0, 10.0, 0.25}, {2.0, 4.0, 5.0, 0.75}};
          c.positions.push_back(p);
        }
        damage *= 0.5;
        f.result.cases.push_back(std::move(c));
      }
  return f;
}

TEST(LifetimePage, TablesChartsAndEscaping) {
  const LifetimeFixture f = lifetime_fixture();
  const std::string html = render_lifetime_html(f.study, f.result);
  // A chart per position, the energy chart, and two per case.
  EXPECT_EQ(count_tags(html, "canvas", {"class=\"lifetime-summary\""}), 2u);
  EXPECT_EQ(count_tags(html, "canvas", {"id=\"lifetime-energy\""}), 1u);
  EXPECT_EQ(count_tags(html, "canvas", {"class=\"lifetime-case\""}), 24u);
  EXPECT_NE(html.find("id=\"g2g-lifetime-data\""), std::string::npos);
  // The summary row of the 1 s case: each set's relative damage and swing.
  EXPECT_NE(html.find("<td>0.25, 3.90 K</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>0.003906, 3.90 K</td>"), std::string::npos);
  // The bins as a table: 10 cycles in 600 s are 525,960 a year.
  EXPECT_NE(html.find("<td>5.26e+05</td><td>25.00 %</td>"), std::string::npos);
  EXPECT_EQ(html.find(hostile), std::string::npos);
  EXPECT_GE(count(html, "&lt;script&gt;alert"), 3u);
}

TEST(LifetimePage, DrawsEveryChartInABrowser) {
  const std::string chromium =
      std::filesystem::exists("/usr/bin/chromium")
          ? "/usr/bin/chromium"
          : (std::filesystem::exists("/usr/bin/chromium-browser") ? "/usr/bin/chromium-browser"
                                                                  : "");
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed (scripts/setup installs it)";
  const auto dir = test::scratch_dir("lifetime_chromium");
  const auto page = dir / "lifetime.html";
  const LifetimeFixture f = lifetime_fixture();
  io::write_file_atomic(page, render_lifetime_html(f.study, f.result));
  const auto run = test::run_command(fmt::format(
      "timeout 120 {} --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "
      "--disable-background-networking --disable-component-update --disable-sync --no-first-run "
      "--user-data-dir={} --dump-dom file://{} > {} 2> {}",
      chromium, (dir / "profile").string(), page.string(), (dir / "dom.html").string(),
      (dir / "chromium.log").string()));
  ASSERT_EQ(run.exit_code, 0) << run.output << read_text(dir / "chromium.log");
  const std::string dom = read_text(dir / "dom.html");
  const auto errors = dom.find("<pre id=\"render-errors\"");
  ASSERT_NE(errors, std::string::npos);
  const auto errors_text = dom.find('>', errors) + 1;
  EXPECT_EQ(dom.substr(errors_text, dom.find("</pre>", errors_text) - errors_text), "");
  EXPECT_NE(dom.find("data-render-ok=\"1\""), std::string::npos);
  EXPECT_EQ(count_tags(dom, "canvas", {"data-rendered=\"1\""}), 2u + 1u + 24u);
}

}  // namespace
}  // namespace g2g::report

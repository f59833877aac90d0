// The simulation page (report::render_simulation_html): its sections and their figures (as
// format.hpp writes them), the aggregation label at the top, the envelopes its charts draw from,
// and escaping of every model text.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <numbers>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "g2g/dynamic/envelope.hpp"
#include "g2g/report/format.hpp"
#include "g2g/report/report.hpp"
#include "unit/io/simulation_fixture.hpp"
#include "unit/report/report_test_support.hpp"
#include "unit/report/simulation_signals.hpp"

namespace g2g::report {
namespace {

using testing::count;
using testing::count_tags;

nlohmann::json embedded_data(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"g2g-simulation-data\">";
  const auto at = html.find(open);
  EXPECT_NE(at, std::string::npos);
  const auto from = at + open.size();
  return nlohmann::json::parse(html.substr(from, html.find("</script>", from) - from));
}

TEST(SimulationPage, ShowsEverySectionWithItsFigures) {
  const dynamic::SimulationSummary s = test::simulation_fixture();
  const std::vector<dynamic::Envelope> envelopes = testing::simulation_signals();
  const std::string html = render_simulation_html(s, envelopes);
  for (const char* id : {"sim-grid", "sim-limits", "sim-voltage", "sim-storage", "sim-stability",
                         "sim-integrator", "sim-time"})
    EXPECT_EQ(count_tags(html, "section", {fmt::format("id=\"{}\"", id)}), 1u) << id;

  // The aggregation label in the header, before any section.
  const auto label = html.find("aggregated: phase_groups: 1,000 racks as 8 groups");
  ASSERT_NE(label, std::string::npos);
  EXPECT_LT(label, html.find("<main>"));

  const auto has = [&](const std::string& text) {
    EXPECT_NE(html.find(text), std::string::npos) << text;
  };
  has(fmt::format("{} at 12.3457 s", detail::format_power(s.grid_power.peak_w, 4)));
  has(fmt::format("{} at 0.6 s", detail::format_power(s.grid_power.min_w, 4)));
  has(detail::format_si(21.7e6, "W/s", 4) + " from 3.125 s");  // ramp up
  has("— (run shorter than the window)");                      // no ramp down
  // The 1-2.5 Hz band against its 20 % mask, not met.
  has("<tr><th>1 – 2.5 Hz</th><td class=\"num\">62.0 %</td><td class=\"num\">20.0 %</td><td>"
      "<span class=\"verdict verdict-overstated\">not met</span>");
  has("<tr><th>Ramp up</th><td class=\"num\">21.70 MW/s</td><td class=\"num\">10.00 MW/s</td>");
  has(detail::format_voltage(729.6, 4));
  has("<td class=\"num\">still off at the end</td><td class=\"num\">50.5 s or more</td>");
  has("<td class=\"num\">0.022 s</td>");          // 7.273 - 7.251
  has(detail::format_si(2.5e8 + 1.5e5, "J", 4));  // spent on smoothing
  has("<td class=\"num\">3.1 %</td>");            // the least-damped mode's damping ratio
  has("<tr><th>Steps</th><td class=\"num\">91,234</td></tr>");
  has("<tr><th>Faster than real time</th><td class=\"num\">12.6×</td></tr>");  // 60 s in 4.75 s
  // NaN frequency deviation: shown as a dash, never as "nan" (the tables, not the scripts).
  const auto main = html.find("<main>");
  const std::string tables = html.substr(main, html.find("<footer>") - main);
  EXPECT_EQ(count(tables, "nan"), 0u);
  has("<tr><th>Largest grid frequency deviation</th><td class=\"num\">—</td></tr>");

  EXPECT_EQ(count_tags(html, "canvas", {"class=\"sim-chart\""}), 2u);  // two groups
}

// A fault and the interruption that cleared it: one row each, in the units fault studies use,
// the deepest dip and an unselective interruption named as such.
TEST(SimulationPage, ShowsFaultsAndSelectivity) {
  dynamic::SimulationSummary s = test::simulation_fixture();
  dynamic::FaultSummary f;
  f.id = "feed<1>";
  f.place = "bus row[1]/rack[1]/rack_in";
  f.resistance_ohm = 0.01;
  f.time_s = 0.02;
  f.peak_a = 2670.0;
  f.peak_t_s = 0.0200082;
  f.max_di_dt_a_per_s = 309.6e6;
  f.i2t_a2s = 434.0e3;
  f.clearing_s = 8.2e-6;
  f.fault_energy_j = 5140.0;
  f.dips = {{"row[1]/busway", 800.0, 612.0, 0.02001, 0.235, 1e-4},
            {"dc800", 800.0, 790.0, 0.02001, 0.0125, 0.0}};
  f.ride_through = {{"row[1]/rack[1]/dcdc", 0.02, 0.0201, false, true},
                    {"row[1]/rack[2]/dcdc", 0.02, std::nullopt, true, true}};
  s.faults.push_back(f);
  dynamic::SelectivityRow r;
  r.cleared_by = "row[1]/rack[1]/rack_sscb";
  r.pickup_s = 0.020004;
  r.clearing_time_s = 8.2e-6;
  r.clamp_energy_j = 9.73;
  r.also_tripped = {"row[1]/row_sscb"};
  r.selective = false;
  s.selectivity.push_back(r);
  const std::string html = render_simulation_html(s, testing::simulation_signals());
  const auto has = [&](const std::string& text) {
    EXPECT_NE(html.find(text), std::string::npos) << text;
  };
  has("<code>feed&lt;1&gt;</code>");
  has("2.67 kA at");
  has("309.6 A/µs");
  has("0.434 kA²s");
  has("<code>row[1]/busway</code> 23.5 %");  // the deepest of the two dips
  has("1 of 2");                             // converters off
  has("<code>row[1]/rack[1]/rack_sscb</code>");
  has("row[1]/row_sscb");
  has("<strong>no</strong>");
}

// The protection devices that acted or came near, one row each with their times to the
// microsecond (a reclosure and a second opening included), and a count of the quiet ones.
TEST(SimulationPage, ShowsTheDevicesThatActedAndCountsTheRest) {
  dynamic::SimulationSummary s = test::simulation_fixture();
  dynamic::ProtectionSummary tripped;
  tripped.element = "rack_sscb";
  tripped.kind = "solid_state";
  tripped.cause = "current";
  tripped.pickup_s = 0.0200037;
  tripped.open_s = 0.0200087;
  tripped.cleared_s = 0.0200121;
  tripped.reclose_s = 0.0220121;
  tripped.reopen_s = 0.0220305;
  tripped.peak_a = 2670.0;
  tripped.peak_t_s = 0.0200087;
  tripped.peak_over_pickup = 1.78;
  tripped.clamp_energy_j = 9.73;
  tripped.let_through_a2s = 434.0e3;
  dynamic::ProtectionSummary near;
  near.element = "row_sscb";
  near.kind = "solid_state";
  near.peak_a = 5100.0;
  near.peak_over_pickup = 0.85;
  dynamic::ProtectionSummary quiet;
  quiet.element = "other_sscb";
  quiet.kind = "solid_state";
  quiet.peak_over_pickup = 0.1;
  s.protection = {tripped, near, quiet};
  const std::string html = render_simulation_html(s, testing::simulation_signals());
  const auto has = [&](const std::string& text) {
    EXPECT_NE(html.find(text), std::string::npos) << text;
  };
  has("Protection devices: 2 picked up or came within 80 % of tripping, 1 more stayed below.");
  has("<tr><th><code>rack_sscb</code></th><td>solid_state</td><td>current</td>"
      "<td class=\"num\">20.0037 ms</td><td class=\"num\">20.0087 ms</td>"
      "<td class=\"num\">20.0121 ms</td><td class=\"num\">22.0121 ms</td>"
      "<td class=\"num\">22.0305 ms</td><td class=\"num\">2.67 kA at 20.0087 ms</td>"
      "<td class=\"num\">178.0 %</td>");
  has("0.434 kA²s");
  has("<code>row_sscb</code>");
  has("85.0 %");
  EXPECT_EQ(html.find("<code>other_sscb</code>"), std::string::npos);
}

TEST(SimulationPage, EmbedsTheEnvelopesForItsCharts) {
  const std::vector<dynamic::Envelope> envelopes = testing::simulation_signals();
  const nlohmann::json data =
      embedded_data(render_simulation_html(test::simulation_fixture(), envelopes));
  EXPECT_EQ(data.at("t_end_s").get<double>(), 60.0);
  ASSERT_EQ(data.at("groups").size(), 2u);
  EXPECT_EQ(data.at("groups")[1].at("name"), "Bus voltages");
  EXPECT_EQ(data.at("groups")[1].at("signals"), nlohmann::json::array({1, 2}));
  ASSERT_EQ(data.at("signals").size(), 3u);
  for (std::size_t i = 0; i < envelopes.size(); ++i) {
    const nlohmann::json& signal = data.at("signals")[i];
    EXPECT_EQ(signal.at("name"), envelopes[i].name);  // the JSON escapes, the parser restores
    ASSERT_EQ(signal.at("levels").size(), 3u);
    for (std::size_t level = 0; level < 3; ++level) {
      const nlohmann::json& l = signal.at("levels")[level];
      EXPECT_EQ(l.at("bucket_s").get<double>(), envelopes[i].levels[level].bucket_s);
      // 7 significant digits: within 5e-7 relative of the envelope.
      for (const char* side : {"t_s", "min", "max"}) {
        const auto drawn = l.at(side).get<std::vector<double>>();
        const std::vector<double>& exact =
            side == std::string("t_s")   ? envelopes[i].levels[level].t_s
            : side == std::string("min") ? envelopes[i].levels[level].min
                                         : envelopes[i].levels[level].max;
        ASSERT_EQ(drawn.size(), exact.size());
        for (std::size_t k = 0; k < drawn.size(); ++k)
          EXPECT_NEAR(drawn[k], exact[k], 5e-7 * std::fabs(exact[k])) << side << " " << k;
      }
    }
  }
}

// One signal of an hour-long run at the default pyramid (62,000 points): the page's size is set
// by the bucket count, not by the run, and its numbers are written with 7 digits.
TEST(SimulationPage, SizeIsBoundedByTheEnvelope) {
  const std::size_t levels = dynamic::pyramid_levels(dynamic::default_coarsest_buckets,
                                                     dynamic::default_max_envelope_points);
  dynamic::EnvelopeBuilder power(0.0, 3600.0, dynamic::default_coarsest_buckets, levels);
  for (int i = 0; i <= 1'800'000; ++i) {
    const double t = 2e-3 * i;
    power.add(t, 83e6 + 21e6 * std::sin(2.0 * std::numbers::pi * t) + 1.0 / 3.0);
  }
  const std::vector<dynamic::Envelope> one{power.finish("grid power", "W", "Grid power")};
  const std::string empty = render_simulation_html(test::simulation_fixture(), {});
  const std::string html = render_simulation_html(test::simulation_fixture(), one);
  const std::size_t per_signal = html.size() - empty.size();
  std::cout << "[ size    ] one signal, " << levels << " levels, 62,000 points: " << per_signal
            << " bytes of page\n";
  EXPECT_LT(per_signal, 62'000u * 3u * 14u);  // t, min, max: at most ~13 characters each
  EXPECT_EQ(count(html, "0.33333333"), 0u);   // no 17-digit numbers
}

TEST(SimulationPage, EscapesEveryModelText) {
  dynamic::SimulationSummary s = test::simulation_fixture();
  s.warnings.push_back(testing::hostile);
  s.scenario_name = testing::hostile;
  const std::vector<dynamic::Envelope> envelopes = testing::simulation_signals();
  const std::string html = render_simulation_html(s, envelopes);
  EXPECT_EQ(count(html, testing::hostile), 0u);
  EXPECT_EQ(count(html, "<script>alert"), 0u);
  for (const char* raw :
       {"<A&B>", "<b>&dcdc", "rack<5>&bus", "dc<bus>", "<check>", "bbu <1>", "dcdc<800>"})
    EXPECT_EQ(count(html, raw), 0u) << raw;
  for (const char* escaped : {"hall &lt;A&amp;B&gt;", "row[3]/&lt;b&gt;&amp;dcdc",
                              "row[2]/rack&lt;5&gt;&amp;bus", "&lt;check&gt;", "bbu &lt;1&gt;"})
    EXPECT_NE(html.find(escaped), std::string::npos) << escaped;
}

TEST(SimulationPage, WithoutSignalsOrOptionalFiguresSaysSo) {
  dynamic::SimulationSummary s = test::simulation_fixture();
  s.aggregation = "none";
  s.lowest_voltage.reset();
  s.dropped_loads.clear();
  s.least_damped_modes.clear();
  const std::string html = render_simulation_html(s, {});
  EXPECT_NE(html.find("full detail, no aggregation"), std::string::npos);
  EXPECT_NE(html.find("No load dropped."), std::string::npos);
  EXPECT_NE(html.find("No signal was recorded."), std::string::npos);
  // The hold-up table still shows, both ways: 1.87 ms is short of 20 ms, 280 J above 60 J.
  EXPECT_NE(html.find("Hold-up of the converters"), std::string::npos);
  EXPECT_NE(html.find("not met"), std::string::npos);
  EXPECT_NE(html.find("(off at 7.251 s)"), std::string::npos);
  EXPECT_NE(html.find(">held<"), std::string::npos);
  EXPECT_EQ(count_tags(html, "canvas", {"class=\"sim-chart\""}), 0u);
}

}  // namespace
}  // namespace g2g::report

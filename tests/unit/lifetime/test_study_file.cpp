// The lifetime study reader: the shipped example reads cleanly, with its heatsink sets and its
// profile from a scenario file; bad input (a negative rack power, a time step that does not
// resolve the fastest swing, a span shorter than two slow periods, an unknown package family,
// inconsistent smoothing, repeated or contradictory heatsink sets, a warm-up shorter than a slow
// sink's settling, a scenario that cannot be read or picked from, a trace that does not cover the
// run) is a located diagnostic, every one at once.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <variant>

#include "g2g/core/error.hpp"
#include "g2g/io/files.hpp"
#include "g2g/lifetime/study.hpp"
#include "support/test_support.hpp"

namespace g2g::lifetime {
namespace {

using test::replaced;

std::string example_text() {
  return io::read_text_file(test::example_path("lifetime-rack-800v-swings.yaml"));
}

// Files relative to the example's folder, as the CLI reads them.
std::string example_file(std::string_view relative) {
  return io::read_text_file(test::example_path(relative));
}

// "FILE:LINE:" of the first line of `text` holding `what`.
std::string at_line_of(const std::string& file, const std::string& text, const std::string& what) {
  const auto at = text.find(what);
  EXPECT_NE(at, std::string::npos) << what;
  const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(at), '\n');
  return fmt::format("{}:{}:", file, line);
}

// The problems of a study that must not read, one per line.
std::string problems(std::string_view text, const FileReader& files = example_file) {
  try {
    (void)parse_study(text, "s.yaml", files);
  } catch (const core::ModelError& e) {
    std::string what;
    for (const auto& d : e.diagnostics().items()) what += core::format_diagnostic(d) + "\n";
    return what;
  }
  return {};
}

TEST(LifetimeStudyFile, ExampleReads) {
  const LifetimeStudy s = parse_study(example_text(), "rack-800v-swings.yaml", example_file);
  EXPECT_EQ(s.converter, "converters/rack-800v-54v-isop-llc.yaml");
  EXPECT_DOUBLE_EQ(s.rack_power_w, 130e3);
  EXPECT_EQ(s.converters_per_rack, 12);
  ASSERT_EQ(s.periods_s.size(), 5u);
  EXPECT_DOUBLE_EQ(s.periods_s.front(), 0.1);
  ASSERT_TRUE(s.smoothing.has_value());
  // Per GPU x 72 GPUs: the rack's settings.
  EXPECT_DOUBLE_EQ(s.smoothing->rated_power_w, 72 * 1.4e3);
  EXPECT_DOUBLE_EQ(s.smoothing->ramp_down_w_per_s, 72 * 1e3);
  EXPECT_DOUBLE_EQ(s.smoothing->power_floor_percent, 60.0);
  EXPECT_EQ(s.families.size(), 2u);
  EXPECT_GT(s.families_where.line, 0);
  ASSERT_EQ(s.heatsinks.size(), 3u);
  EXPECT_EQ(s.heatsinks[0].name, "static");
  EXPECT_DOUBLE_EQ(s.heatsinks[0].tau_sink_s, 0.0);
  EXPECT_DOUBLE_EQ(s.heatsinks[2].tau_sink_s, 60.0);
  // The profile is the scenario's: training and its checkpoint pauses.
  ASSERT_EQ(s.profiles.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<dynamic::TrainingSteps>(s.profiles[0].spec.pattern));
  ASSERT_TRUE(s.profiles[0].spec.checkpoints.has_value());
  EXPECT_DOUBLE_EQ(s.profiles[0].spec.checkpoints->interval_s, 600.0);
}

TEST(LifetimeStudyFile, EveryProblemIsLocatedAtOnce) {
  std::string text = example_text();
  text = replaced(text, "rack_power: 130 kW", "rack_power: -130 kW");
  text = replaced(text, "time_step: 5 ms", "time_step: 50 ms");
  text = replaced(text, "duration: 600 s", "duration: 15 s");
  text = replaced(text, "EPC2218: gan-chip-scale", "EPC2218: gan-wlcsp");
  text = replaced(text, "ramp_up: 20 kW/s", "ramp_up: 0 W/s");
  try {
    (void)parse_study(text, "bad.yaml", example_file);
    FAIL() << "accepted";
  } catch (const core::ModelError& e) {
    std::string what;
    for (const auto& d : e.diagnostics().items()) what += core::format_diagnostic(d) + "\n";
    EXPECT_EQ(e.diagnostics().error_count(), 5u) << what;
    EXPECT_NE(what.find(at_line_of("bad.yaml", text, "rack_power:")), std::string::npos) << what;
    EXPECT_NE(what.find("does not resolve the 0.1 s period"), std::string::npos) << what;
    EXPECT_NE(what.find("fewer than two 10 s periods"), std::string::npos) << what;
    EXPECT_NE(what.find("no power-cycling family 'gan-wlcsp'"), std::string::npos) << what;
    EXPECT_NE(what.find("gan-chip-scale"), std::string::npos) << what;  // the known ones
    EXPECT_NE(what.find("ramp_up"), std::string::npos) << what;
  }
}

TEST(LifetimeStudyFile, MisspeltKeyGetsDidYouMean) {
  const std::string text = replaced(example_text(), "converters_per_rack:", "converter_per_rack:");
  try {
    (void)parse_study(text, "typo.yaml", example_file);
    FAIL() << "accepted";
  } catch (const core::ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("converters_per_rack"), std::string::npos) << e.what();
  }
}

TEST(LifetimeStudyFile, HeatsinkSetsAreCheckedAndLocated) {
  std::string text = replaced(example_text(), "{name: cold plate 5 s, tau_sink: 5 s}",
                              "{name: static, tau_sink: 5 s}");
  text = replaced(text, "{name: air sink 60 s, tau_sink: 60 s}",
                  "{name: both, tau_sink: 100 s, spec_cooling: true}");
  const std::string what = problems(text);
  EXPECT_NE(what.find("two sets named 'static'"), std::string::npos) << what;
  EXPECT_NE(what.find("tau_sink with spec_cooling: true"), std::string::npos) << what;
  // 300 s of warm-up settle a 60 s sink, not a 100 s one.
  EXPECT_NE(what.find(at_line_of("s.yaml", text, "warm_up:")), std::string::npos) << what;
  EXPECT_NE(what.find("give 'warm_up: 500 s' or more"), std::string::npos) << what;
}

TEST(LifetimeStudyFile, ProfilesComeFromScenarioFiles) {
  const std::string study = replaced(example_text(), "scenario: scenarios/checkpoint-pauses.yaml",
                                     "scenario: profiles/two.yaml, profile: 2");
  // A scenario with two profiles, the second a CSV power trace next to it.
  std::string two =
      "grid2gpu_scenario: 1\nduration: 900 s\nprofiles:\n"
      "  - {loads: a, constant: 0.5}\n"
      "  - {loads: b, trace: {file: rack.csv, rated_power: 130 kW}}\n"
      "metrics: {ramp_window: 1 s}\n";
  std::string csv = "time_s,power_w\n0,60000\n450,130000\n";
  std::string asked;
  const FileReader files = [&](std::string_view path) -> std::string {
    asked += std::string(path) + ";";
    if (path == "profiles/two.yaml") return two;
    if (path == "profiles/rack.csv") return csv;
    return example_file(path);
  };
  // The trace ends at 450 s, before warm_up + duration (900 s): not extended, an error.
  std::string what = problems(study, files);
  EXPECT_NE(what.find(at_line_of("s.yaml", study, "{name: 1 s + checkpoint")), std::string::npos)
      << what;
  EXPECT_NE(what.find("'1 s + checkpoint' over warm_up + duration (900 s)"), std::string::npos)
      << what;
  EXPECT_NE(asked.find("profiles/rack.csv"), std::string::npos) << asked;
  csv = "time_s,power_w\n0,60000\n450,130000\n900,65000\n";
  const LifetimeStudy s = parse_study(study, "s.yaml", files);
  ASSERT_EQ(s.profiles.size(), 1u);
  const auto* trace = std::get_if<dynamic::MeasuredTrace>(&s.profiles[0].spec.pattern);
  ASSERT_NE(trace, nullptr);
  EXPECT_DOUBLE_EQ(trace->utilisation.value(450.0), 1.0);
  EXPECT_DOUBLE_EQ(trace->utilisation.value(900.0), 0.5);

  // Which profile: needed with two, and within the count.
  what = problems(replaced(study, ", profile: 2", ""), files);
  EXPECT_NE(what.find("has 2 profiles"), std::string::npos) << what;
  EXPECT_NE(what.find("give 'profile: N' with N from 1 to 2"), std::string::npos) << what;
  what = problems(replaced(study, "profile: 2", "profile: 3"), files);
  EXPECT_NE(what.find("not a profile 3"), std::string::npos) << what;
  // The scenario's own problems keep their own file:line:col.
  csv = "time_s,power_w\n0,60000\n450,-1\n";
  what = problems(study, files);
  EXPECT_NE(what.find("rack.csv:3:"), std::string::npos) << what;
  // A missing scenario file is located at `scenario:`.
  what = problems(replaced(study, "profiles/two.yaml", "profiles/none.yaml"), files);
  EXPECT_NE(what.find(at_line_of("s.yaml", study, "{name: 1 s + checkpoint")), std::string::npos)
      << what;
  EXPECT_NE(what.find("none.yaml"), std::string::npos) << what;
  // Without a file reader, a study naming a scenario is an error, not a silent skip.
  EXPECT_NE(problems(example_text(), {}).find("no way to read the scenario"), std::string::npos);
}

}  // namespace
}  // namespace g2g::lifetime

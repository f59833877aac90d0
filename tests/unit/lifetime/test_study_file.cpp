// The lifetime study reader: the shipped example reads cleanly; bad input (a negative rack power,
// a time step that does not resolve the fastest swing, a span shorter than two slow periods, an
// unknown package family, inconsistent smoothing) is a located diagnostic, every one at once.
#include <gtest/gtest.h>

#include <string>

#include "g2g/core/error.hpp"
#include "g2g/io/files.hpp"
#include "g2g/lifetime/study.hpp"
#include "support/test_support.hpp"

namespace g2g::lifetime {
namespace {

std::string example_text() {
  return io::read_text_file(std::string(G2G_SOURCE_DIR) +
                            "/examples/lifetime/rack-800v-swings.yaml");
}

TEST(LifetimeStudyFile, ExampleReads) {
  const LifetimeStudy s = parse_study(example_text(), "rack-800v-swings.yaml");
  EXPECT_EQ(s.converter, "../converters/rack-800v-54v-isop-llc.yaml");
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
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(LifetimeStudyFile, EveryProblemIsLocatedAtOnce) {
  std::string text = example_text();
  text = replaced(text, "rack_power: 130 kW", "rack_power: -130 kW");
  text = replaced(text, "time_step: 5 ms", "time_step: 50 ms");
  text = replaced(text, "duration: 40 s", "duration: 15 s");
  text = replaced(text, "EPC2218: gan-chip-scale", "EPC2218: gan-wlcsp");
  text = replaced(text, "ramp_up: 20 kW/s", "ramp_up: 0 W/s");
  try {
    (void)parse_study(text, "bad.yaml");
    FAIL() << "accepted";
  } catch (const core::ModelError& e) {
    std::string what;
    for (const auto& d : e.diagnostics().items()) what += core::format_diagnostic(d) + "\n";
    EXPECT_EQ(e.diagnostics().error_count(), 5u) << what;
    EXPECT_NE(what.find("bad.yaml:14:"), std::string::npos) << what;  // rack_power
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
    (void)parse_study(text, "typo.yaml");
    FAIL() << "accepted";
  } catch (const core::ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("converters_per_rack"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace g2g::lifetime

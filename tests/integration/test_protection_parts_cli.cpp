// `trip: {part: ...}` through the CLI: a fault behind a fuse from data/protection/fuses.csv
// melts it and the summary names its part's clearing I2t; an unknown part, and a part whose DC
// rating is below its bus, each exit 2 with file:line:col and the fix.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace g2g::test {
namespace {

namespace fs = std::filesystem;

// A 600 V DC bus feeding a 1 kW load through an FWP-30A14F (30 A, 700 V DC).
std::string fuse_model(const std::string& voltage, const std::string& part) {
  return fmt::format(R"(grid2gpu: 1
name: a fuse from its part file
buses:
  - {{id: src, kind: dc, voltage: {0}}}
  - {{id: b, kind: dc, voltage: {0}}}
components:
  - {{id: feed, type: dc_source, bus: src}}
  - {{id: fuse, type: breaker, from: src, to: b, on_resistance: 1 mohm,
     trip: {{part: {1}, clamp_voltage: 1 kV, inductance: 10 uH}}}}
  - {{id: load, type: load, bus: b, power: 1 kW, model: constant_impedance}}
)",
                     voltage, part);
}

constexpr const char* fault_scenario = R"(grid2gpu_scenario: 1
name: a 1 ohm fault behind the fuse
duration: 5 ms
solver: {relative_tolerance: 1e-6, max_step: 1 ms}
metrics: {ramp_window: 1 ms}
faults:
  - {id: f, bus: b, resistance: 1 ohm, time: 1 ms}
)";

// Runs the fault scenario on a model with `part` at `voltage` (DIR/NAME.yaml) and checks the
// fuse melted; its protection record.
nlohmann::json melted_fuse(const fs::path& dir, const std::string& name, const std::string& voltage,
                           const std::string& part, std::string* output = nullptr) {
  write_text(dir / (name + ".yaml"), fuse_model(voltage, part));
  const auto run =
      grid2gpu(fmt::format("simulate {} --scenario {} --json {}", quoted(dir / (name + ".yaml")),
                           quoted(dir / "scenario.yaml"), quoted(dir / "s.json")));
  if (output != nullptr) *output = run.output;
  EXPECT_EQ(run.exit_code, 0) << run.output;
  if (run.exit_code != 0) return {};
  const auto summary = nlohmann::json::parse(read_text(dir / "s.json"));
  EXPECT_EQ(summary.at("protection").size(), 1u);
  const auto& p = summary.at("protection")[0];
  EXPECT_EQ(p.at("cause"), "melted") << p.dump();
  return p;
}

TEST(ProtectionPartsCli, AFuseFromItsPartMeltsAndItsPartErrorsExitTwo) {
  const fs::path dir = scratch_dir("protection-parts");
  write_text(dir / "scenario.yaml", fault_scenario);
  std::string output;
  const auto p = melted_fuse(dir, "good", "600 V", "FWP-30A14F", &output);
  ASSERT_FALSE(p.is_null());
  EXPECT_EQ(p.at("clearing_i2t_a2s").get<double>(), 450.0) << p.dump();
  // The part gives no DC breaking capacity: the run says it did not check it.
  EXPECT_NE(output.find("fuse 'fuse' (part FWP-30A14F) melted at a peak of"), std::string::npos)
      << output;

  // An unknown part: at its `trip:` line, with the closest catalogue number.
  write_text(dir / "unknown.yaml", fuse_model("600 V", "FWP-30A14"));
  const auto unknown = grid2gpu(fmt::format(
      "simulate {} --scenario {}", quoted(dir / "unknown.yaml"), quoted(dir / "scenario.yaml")));
  EXPECT_EQ(unknown.exit_code, 2) << unknown.output;
  EXPECT_NE(unknown.output.find("unknown.yaml:9:"), std::string::npos) << unknown.output;
  EXPECT_NE(unknown.output.find("unknown protection part 'FWP-30A14'"), std::string::npos)
      << unknown.output;
  EXPECT_NE(unknown.output.find("did you mean 'FWP-30A14F'?"), std::string::npos) << unknown.output;

  // The part on an 800 V bus: above its 700 V DC rating.
  write_text(dir / "over.yaml", fuse_model("800 V", "FWP-30A14F"));
  const auto over = grid2gpu(fmt::format("simulate {} --scenario {}", quoted(dir / "over.yaml"),
                                         quoted(dir / "scenario.yaml")));
  EXPECT_EQ(over.exit_code, 2) << over.output;
  EXPECT_NE(over.output.find("over.yaml:9:"), std::string::npos) << over.output;
  EXPECT_NE(over.output.find("part 'FWP-30A14F' is rated 700 V DC, below its bus's 800 V"),
            std::string::npos)
      << over.output;
  EXPECT_NE(over.output.find("at least 800 V DC"), std::string::npos) << over.output;
}

// The gPV fuse rated 900 V DC (ETI CH 10, 25 A) on an 800 V bus: accepted, melts on the same
// fault with its catalogue's DC clearing I2t; on a 1,000 V bus it is refused like the FWP above.
TEST(ProtectionPartsCli, AGpvFuseRatedAboveTheBusProtectsAnEightHundredVoltBus) {
  const fs::path dir = scratch_dir("protection-parts-gpv");
  write_text(dir / "scenario.yaml", fault_scenario);
  const auto p = melted_fuse(dir, "dc800", "800 V", "ETI-002625109");
  ASSERT_FALSE(p.is_null());
  EXPECT_EQ(p.at("clearing_i2t_a2s").get<double>(), 620.0) << p.dump();

  write_text(dir / "dc1000.yaml", fuse_model("1000 V", "ETI-002625109"));
  const auto over = grid2gpu(fmt::format("simulate {} --scenario {}", quoted(dir / "dc1000.yaml"),
                                         quoted(dir / "scenario.yaml")));
  EXPECT_EQ(over.exit_code, 2) << over.output;
  EXPECT_NE(over.output.find("part 'ETI-002625109' is rated 900 V DC, below its bus's 1000 V"),
            std::string::npos)
      << over.output;
}

}  // namespace
}  // namespace g2g::test

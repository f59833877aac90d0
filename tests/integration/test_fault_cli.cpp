// `grid2gpu fault MODEL --bus X --method iec61660` on the shipped hall: the JSON's total is the sum
// of its partial peaks, each capacitor's peak follows its own R-L-C path, what the method leaves
// out is listed; an unknown bus and an AC bus exit 2 with their fix and location.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace g2g::test {
namespace {

namespace fs = std::filesystem;

CommandResult grid2gpu(const std::string& arguments) {
  return run_command(fmt::format("'{}' {}", cli_path().string(), arguments));
}

fs::path hall() {
  return source_dir() / "examples" / "800vdc-gpu-hall.yaml";
}

TEST(FaultCli, CapacitorSourcesAtTheMainBus) {
  const fs::path out = scratch_dir("fault-cli") / "fault.json";
  const auto r = grid2gpu(fmt::format("fault '{}' --bus dc800 --method iec61660 --json '{}'",
                                      hall().string(), out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("not covered by this calculation"), std::string::npos) << r.output;
  std::ifstream in(out);
  const auto json = nlohmann::json::parse(in);
  EXPECT_EQ(json.at("bus"), "dc800");
  EXPECT_EQ(json.at("method"), "iec61660");
  const auto& sources = json.at("sources");
  ASSERT_FALSE(sources.empty());
  double sum_a = 0.0;
  for (const auto& s : sources) {
    const double i_p_a = s.at("i_p_a").get<double>();
    EXPECT_GT(i_p_a, 0.0);
    // The peak cannot exceed E / R of its own path (the L = 0 bound of the same discharge).
    const double r_ohm = s.at("esr_ohm").get<double>() + s.at("path_r_ohm").get<double>();
    EXPECT_LE(i_p_a, s.at("e_v").get<double>() / r_ohm * (1.0 + 1e-12));
    sum_a += i_p_a;
  }
  EXPECT_NEAR(json.at("total").at("sum_of_peaks_a").get<double>(), sum_a, 1e-9 * sum_a);
  EXPECT_FALSE(json.at("method_limits").empty());
}

TEST(FaultCli, UnknownBusSaysWhichWasMeant) {
  const auto r = grid2gpu(fmt::format("fault '{}' --bus dc80", hall().string()));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("dc800"), std::string::npos) << r.output;
}

TEST(FaultCli, AcBusIsRefusedAtItsLine) {
  const auto r = grid2gpu(fmt::format("fault '{}' --bus mv", hall().string()));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("800vdc-gpu-hall.yaml:"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace g2g::test

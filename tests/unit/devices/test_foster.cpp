// Foster networks (devices::FosterNetwork) and the part files' z_th_jc (docs/devices.md,
// "Transient thermal model"). The closed-form and ngspice checks are in
// tests/validation/test_thermal_validation.cpp.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <string>

#include "g2g/core/diagnostics.hpp"
#include "g2g/devices/library.hpp"
#include "g2g/devices/thermal.hpp"
#include "support/test_support.hpp"
#include "unit/devices/library_diagnostics.hpp"

namespace g2g::devices {
namespace {

using fixtures::diagnostics_of;
using test::replaced;

const char* const part_with_foster = R"(parts:
  - name: FOSTER1
    maker: Nobody
    technology: gan_hemt
    v_ds_max: "650 V"
    r_ds_on_25c: "50 mohm"
    q_g: "5.8 nC"
    q_gd: "1.8 nC"
    v_gs_on: "6 V"
    v_gs_off: "-3 V"
    v_th: "1.7 V"
    v_plateau: "3 V"
    r_g_internal: "1.5 ohm"
    oss: [{v: "400 V", q_oss: "56.7 nC", e_oss: "7 uJ"}]
    q_rr: "0 nC"
    v_sd: "2.5 V"
    r_th_jc: "0.5 K/W"
    z_th_jc:
      - {r: "0.1 K/W", tau: "20 us"}
      - {r: "0.25 K/W", tau: "1.5 ms"}
      - {r: "0.15 K/W", tau: "30 ms"}
    source: "test"
)";

TEST(FosterLibrary, ReadsTheTermsInSi) {
  const auto parts = parse_device_library(part_with_foster, "parts.yaml");
  ASSERT_EQ(parts.size(), 1u);
  const auto& z = parts[0].z_th_jc;
  ASSERT_EQ(z.size(), 3u);
  EXPECT_DOUBLE_EQ(z[0].r_k_per_w, 0.1);
  EXPECT_NEAR(z[0].tau_s, 20e-6, 1e-18);
  EXPECT_NEAR(z[2].tau_s, 0.03, 1e-15);
  // The writer writes the terms back.
  const auto again = parse_device_library(format_device_library(parts), "written.yaml");
  ASSERT_EQ(again[0].z_th_jc.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(again[0].z_th_jc[i].r_k_per_w, z[i].r_k_per_w);
    EXPECT_EQ(again[0].z_th_jc[i].tau_s, z[i].tau_s);
  }
}

TEST(FosterLibrary, NegativeOrZeroTermsAreLocated) {
  // Lines 19-21 are the three terms.
  const std::string negative_r =
      diagnostics_of(replaced(part_with_foster, "r: \"0.1 K/W\"", "r: \"-0.1 K/W\""));
  EXPECT_NE(negative_r.find("parts.yaml:19:"), std::string::npos) << negative_r;
  EXPECT_NE(negative_r.find("r must be greater than zero"), std::string::npos) << negative_r;
  const std::string zero_tau =
      diagnostics_of(replaced(part_with_foster, "tau: \"1.5 ms\"", "tau: \"0 ms\""));
  EXPECT_NE(zero_tau.find("parts.yaml:20:"), std::string::npos) << zero_tau;
  EXPECT_NE(zero_tau.find("tau must be greater than zero"), std::string::npos) << zero_tau;
  const std::string missing_tau =
      diagnostics_of(replaced(part_with_foster, ", tau: \"30 ms\"", ""));
  EXPECT_NE(missing_tau.find("parts.yaml:21:"), std::string::npos) << missing_tau;
  EXPECT_NE(missing_tau.find("tau"), std::string::npos) << missing_tau;
  const std::string not_a_list = diagnostics_of(replaced(
      part_with_foster,
      "    z_th_jc:\n      - {r: \"0.1 K/W\", tau: \"20 us\"}\n      - {r: \"0.25 K/W\", tau: "
      "\"1.5 ms\"}\n      - {r: \"0.15 K/W\", tau: \"30 ms\"}\n",
      "    z_th_jc: \"0.5 K/W\"\n"));
  EXPECT_NE(not_a_list.find("list of Foster terms"), std::string::npos) << not_a_list;
}

TEST(FosterLibrary, SumMustMatchRThJcWithinOnePercent) {
  // 0.1 + 0.25 + 0.15 = 0.5: 0.504 is within 1 %, 0.52 is not.
  EXPECT_EQ(
      diagnostics_of(replaced(part_with_foster, "r_th_jc: \"0.5 K/W\"", "r_th_jc: \"0.504 K/W\"")),
      "");
  const std::string off =
      diagnostics_of(replaced(part_with_foster, "r_th_jc: \"0.5 K/W\"", "r_th_jc: \"0.52 K/W\""));
  EXPECT_NE(off.find("parts.yaml:19:"), std::string::npos) << off;
  EXPECT_NE(off.find("sum to 0.5 K/W, r_th_jc is 0.52 K/W"), std::string::npos) << off;
}

TEST(FosterNetwork, StaticTermFollowsTheLossAtOnce) {
  const std::array<FosterTerm, 2> terms{FosterTerm{0.3, 0.0}, FosterTerm{0.2, 1e-3}};
  FosterNetwork net(terms);
  EXPECT_DOUBLE_EQ(net.r_total_k_per_w(), 0.5);
  net.step(1e-3, 10.0);
  EXPECT_DOUBLE_EQ(net.term_rise_k()[0], 3.0);
  EXPECT_NEAR(net.term_rise_k()[1], 2.0 * (1.0 - std::exp(-1.0)), 1e-15);
  // Steady state from reset, and an infinite step lands there too.
  net.reset(4.0);
  EXPECT_DOUBLE_EQ(net.rise_k(), 2.0);
  net.step(INFINITY, 8.0);
  EXPECT_DOUBLE_EQ(net.rise_k(), 4.0);
}

TEST(FosterNetwork, RiseAfterIsAffineInTheLossAndCommitMatchesIt) {
  const std::array<FosterTerm, 3> terms{FosterTerm{0.1, 2e-5}, FosterTerm{0.25, 1.5e-3},
                                        FosterTerm{0.15, 3e-2}};
  FosterNetwork net(terms);
  net.reset(5.0);
  net.prepare(1e-3);
  const double a = net.rise_after(0.0), b = net.rise_after(1.0);
  EXPECT_NEAR(net.rise_after(12.0), a + 12.0 * (b - a), 1e-13);
  const double predicted = net.rise_after(12.0);
  net.commit(12.0);
  EXPECT_NEAR(net.rise_k(), predicted, 1e-13);
  // d(rise)/dP of the step, by finite difference.
  const double h = 1e-3;
  EXPECT_NEAR((net.rise_after(3.0 + h) - net.rise_after(3.0 - h)) / (2 * h),
              net.step_gain_k_per_w(), 1e-9);
}

}  // namespace
}  // namespace g2g::devices

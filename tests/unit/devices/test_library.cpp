// Device library files: the default library, round trip, and diagnostics at file:line:column.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "g2g/core/diagnostics.hpp"
#include "g2g/devices/library.hpp"
#include "support/test_support.hpp"
#include "unit/devices/library_diagnostics.hpp"

namespace g2g::devices {
namespace {

using fixtures::diagnostics_of;
using test::replaced;

const char* const good_part = R"(parts:
  - name: TEST1
    maker: Nobody
    technology: gan_hemt
    v_ds_max: "650 V"
    r_ds_on_25c: "50 mohm"
    r_ds_on_hot_ratio: 2.6
    r_ds_on_hot_t_j: "150 C"
    q_g: "5.8 nC"
    q_gd: "1.8 nC"
    v_gs_on: "6 V"
    v_gs_off: "-3 V"
    v_th: "1.7 V"
    v_plateau: "3 V"
    r_g_internal: "1.5 ohm"
    oss:
      - {v: "100 V", q_oss: "40 nC", e_oss: "2 uJ"}
      - {v: "400 V", q_oss: "56.7 nC", e_oss: "7 uJ"}
    q_rr: "0 nC"
    v_sd: "2.5 V"
    r_th_jc: "0.5 K/W"
    source: "test"
    assumptions:
      - "none"
)";

TEST(DeviceLibrary, ParsesUnitsIntoSi) {
  const auto parts = parse_device_library(good_part, "parts.yaml");
  ASSERT_EQ(parts.size(), 1u);
  const Device& d = parts[0];
  EXPECT_EQ(d.name, "TEST1");
  EXPECT_EQ(d.technology, Technology::gan_hemt);
  EXPECT_DOUBLE_EQ(d.v_ds_max_v, 650.0);
  EXPECT_NEAR(d.r_ds_on_25c_ohm, 0.05, 1e-15);
  EXPECT_NEAR(d.q_g_c, 5.8e-9, 1e-20);
  EXPECT_DOUBLE_EQ(d.v_gs_off_v, -3.0);
  EXPECT_NEAR(d.oss[1].e_oss_j, 7e-6, 1e-18);
  EXPECT_NEAR(r_ds_on_ohm(d, 150.0), 0.13, 1e-12);
  EXPECT_DOUBLE_EQ(d.r_th_jc_k_per_w, 0.5);
  EXPECT_DOUBLE_EQ(d.t_j_max_c, 150.0);  // default
  EXPECT_EQ(d.assumptions.size(), 1u);
}

TEST(DeviceLibrary, RoundTripThroughTheWriter) {
  for (const auto& parts : {parse_device_library(good_part, "parts.yaml"), default_devices()}) {
    const auto again = parse_device_library(format_device_library(parts), "written.yaml");
    ASSERT_EQ(again.size(), parts.size());
    for (std::size_t k = 0; k < parts.size(); ++k) {
      const Device& a = parts[k];
      const Device& b = again[k];
      EXPECT_EQ(a.name, b.name);
      EXPECT_EQ(a.maker, b.maker);
      EXPECT_EQ(a.technology, b.technology);
      EXPECT_EQ(a.package, b.package);
      EXPECT_DOUBLE_EQ(a.r_ds_on_25c_ohm, b.r_ds_on_25c_ohm);
      EXPECT_NEAR(a.r_ds_on_exponent, b.r_ds_on_exponent, 1e-12);
      EXPECT_DOUBLE_EQ(a.q_g_c, b.q_g_c);
      EXPECT_DOUBLE_EQ(a.q_gd_c, b.q_gd_c);
      EXPECT_DOUBLE_EQ(a.q_rr_c, b.q_rr_c);
      EXPECT_DOUBLE_EQ(a.v_plateau_v, b.v_plateau_v);
      EXPECT_DOUBLE_EQ(a.r_th_jc_k_per_w, b.r_th_jc_k_per_w);
      ASSERT_EQ(a.oss.size(), b.oss.size());
      for (std::size_t p = 0; p < a.oss.size(); ++p) {
        EXPECT_DOUBLE_EQ(a.oss[p].q_oss_c, b.oss[p].q_oss_c);
        EXPECT_DOUBLE_EQ(a.oss[p].e_oss_j, b.oss[p].e_oss_j);
      }
      EXPECT_EQ(a.source, b.source);
      EXPECT_EQ(a.assumptions, b.assumptions);
    }
  }
}

TEST(DeviceLibrary, DefaultLibraryHasEveryTechnologyAndSources) {
  const auto& library = default_devices();
  EXPECT_GE(library.size(), 20u);
  for (const Technology t : {Technology::gan_hemt, Technology::gan_cascode, Technology::sic_mosfet,
                             Technology::si_superjunction, Technology::si_lv_mosfet}) {
    EXPECT_TRUE(std::any_of(library.begin(), library.end(), [&](const Device& d) {
      return d.technology == t;
    })) << name(t);
  }
  for (const Device& d : library) {
    EXPECT_FALSE(d.source.empty()) << d.name;
    EXPECT_GT(d.r_ds_on_exponent, 0.0) << d.name;
    if (d.technology == Technology::gan_hemt) {
      EXPECT_EQ(d.q_rr_c, 0.0) << d.name;
    }
  }
  ASSERT_NE(find_device(library, "GS66508P"), nullptr);
  EXPECT_EQ(find_device(library, "GS66508X"), nullptr);
  EXPECT_EQ(closest_device_name(library, "GS66508"), "GS66508P");
}

TEST(DeviceLibrary, UnknownKeyGetsDidYouMeanAtItsPlace) {
  const std::string text = replaced(good_part, "    v_plateau:", "    v_platau:");
  const std::string message = diagnostics_of(text);
  EXPECT_NE(message.find("parts.yaml:14:5: error: part 'TEST1': unknown key 'v_platau'"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("did you mean 'v_plateau'?"), std::string::npos) << message;
}

TEST(DeviceLibrary, BadUnitIsReportedAtTheValue) {
  const std::string message = diagnostics_of(replaced(good_part, "\"5.8 nC\"", "\"5.8 nF\""));
  EXPECT_NE(message.find("parts.yaml:9:10: error: part 'TEST1': q_g: \"5.8 nF\" is a "
                         "capacitance, but a charge is expected here"),
            std::string::npos)
      << message;
  const std::string energy = diagnostics_of(replaced(good_part, "\"7 uJ\"", "\"7 uC\""));
  EXPECT_NE(energy.find("parts.yaml:18:47: error: part 'TEST1': oss point: e_oss: "),
            std::string::npos)
      << energy;
  EXPECT_NE(energy.find("charge, but an energy is expected"), std::string::npos) << energy;
}

TEST(DeviceLibrary, MissingFieldNamesThePartAndTheField) {
  const std::string message = diagnostics_of(replaced(good_part, "    v_plateau: \"3 V\"\n", ""));
  EXPECT_NE(message.find("parts.yaml:2:5: error: part 'TEST1' has no 'v_plateau'"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("(fix: add 'v_plateau: 3 V' (Miller plateau voltage); when the "
                         "datasheet does not give it, state the value you assume"),
            std::string::npos)
      << message;
}

TEST(DeviceLibrary, UnphysicalAndDuplicateParts) {
  // E_OSS above V Q_OSS.
  const std::string message = diagnostics_of(replaced(good_part, "\"7 uJ\"", "\"70 uJ\""));
  EXPECT_NE(message.find("parts.yaml:18:9: error: E_OSS"), std::string::npos) << message;
  EXPECT_NE(diagnostics_of(replaced(good_part, "technology: gan_hemt", "technology: gan_hmt"))
                .find("did you mean 'gan_hemt'?"),
            std::string::npos);
  try {
    parse_device_files({{"a.yaml", good_part}, {"b.yaml", good_part}});
    FAIL() << "duplicate not reported";
  } catch (const core::ModelError& e) {
    const std::string text = e.diagnostics().to_string();
    EXPECT_NE(text.find("b.yaml:2:5: error: part 'TEST1' is defined twice"), std::string::npos)
        << text;
    EXPECT_NE(text.find("a.yaml:2:5"), std::string::npos) << text;
  }
  EXPECT_NE(diagnostics_of("parts: [").find("parts.yaml:"), std::string::npos);
}

}  // namespace
}  // namespace g2g::devices

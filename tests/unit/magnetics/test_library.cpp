// The materials library: the compiled-in data/materials files, and every diagnostic with its
// file:line:col.
#include <gtest/gtest.h>

#include <string>

#include "g2g/core/diagnostics.hpp"
#include "g2g/magnetics/library.hpp"

namespace g2g::magnetics {
namespace {

// All diagnostics of parsing `text`, one per line ("" when it parses).
std::string problems(const std::string& text) {
  try {
    parse_material_library(text, "lib.yaml");
  } catch (const core::ModelError& error) {
    return error.diagnostics().to_string();
  }
  return {};
}

constexpr const char* good_entry = R"(materials:
  - name: X1
    maker: Acme
    k_i: 0.1
    alpha: 1.5
    beta: 2.5
    f_min: 25 kHz
    f_max: 0.5 MHz
    b_sat: 0.4 T
    source: a test
)";

TEST(MaterialLibrary, DefaultLibraryIsCompiledIn) {
  const auto& materials = default_materials();
  ASSERT_EQ(materials.size(), 10u);
  for (const CoreMaterial& material : materials) {
    EXPECT_FALSE(material.source.empty()) << material.name;
    EXPECT_FALSE(material.assumptions.empty()) << material.name;
    EXPECT_GT(material.k_i, 0.0) << material.name;
    EXPECT_LT(material.f_min_hz, material.f_max_hz) << material.name;
  }
  const CoreMaterial* n87 = find_material("N87");
  ASSERT_NE(n87, nullptr);
  EXPECT_EQ(n87->maker, "TDK");
  EXPECT_DOUBLE_EQ(n87->k_i, 0.15178);
  EXPECT_DOUBLE_EQ(n87->f_min_hz, 25e3);
  EXPECT_DOUBLE_EQ(n87->f_max_hz, 500e3);
  EXPECT_DOUBLE_EQ(n87->b_sat_t, 0.390);
  EXPECT_DOUBLE_EQ(n87->b_sat_25c_t, 0.490);
  EXPECT_DOUBLE_EQ(n87->fit_temperature_c, 25.0);
  EXPECT_EQ(find_material("n87"), n87);  // case-insensitive fallback
  EXPECT_EQ(find_material("N88"), nullptr);
  EXPECT_NE(find_material("77"), nullptr);  // a numeric name stays a name
}

TEST(MaterialLibrary, ParsesUnitsAndOptionalFields) {
  const auto materials = parse_material_library(good_entry, "lib.yaml");
  ASSERT_EQ(materials.size(), 1u);
  EXPECT_DOUBLE_EQ(materials[0].f_max_hz, 500e3);
  EXPECT_DOUBLE_EQ(materials[0].b_sat_t, 0.4);
  EXPECT_EQ(materials[0].b_sat_25c_t, 0.0);
  EXPECT_EQ(core_loss_temperature_factor(materials[0], 80.0), 1.0);
}

TEST(MaterialLibrary, BadUnitIsReportedWithItsPlace) {
  std::string text = good_entry;
  text.replace(text.find("25 kHz"), 6, "25 kV");
  const std::string report = problems(text);
  EXPECT_NE(report.find("lib.yaml:7:12: error: material 'X1': f_min: "), std::string::npos)
      << report;
}

TEST(MaterialLibrary, UnknownKeyGetsDidYouMean) {
  std::string text = good_entry;
  text.replace(text.find("alpha:"), 6, "alpah:");
  const std::string report = problems(text);
  EXPECT_NE(report.find("lib.yaml:5:5: error: material 'X1': unknown key 'alpah'"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("did you mean 'alpha'?"), std::string::npos) << report;
  // ... and, alpha being absent now, that too.
  EXPECT_NE(report.find("material 'X1' has no 'alpha'"), std::string::npos) << report;
}

TEST(MaterialLibrary, MissingFieldPointsAtTheEntry) {
  std::string text = good_entry;
  text.erase(text.find("    source: a test\n"));
  const std::string report = problems(text);
  EXPECT_NE(report.find("lib.yaml:2:5: error: material 'X1' has no 'source'"), std::string::npos)
      << report;
}

TEST(MaterialLibrary, FluxDensityNeedsTeslaOrMillitesla) {
  std::string text = good_entry;
  text.replace(text.find("0.4 T"), 5, "400 G");
  const std::string report = problems(text);
  EXPECT_NE(report.find("lib.yaml:9:12: error: material 'X1': b_sat: unknown unit \"G\""),
            std::string::npos)
      << report;
}

TEST(MaterialLibrary, EveryProblemAtOnce) {
  const std::string text = R"(materials:
  - name: A
    k_i: -1
    alpha: 1.5
    beta: x
    f_min: 200 kHz
    f_max: 100 kHz
    source: s
  - name: A
    k_i: 1
    k: 2
    alpha: 1.5
    beta: 2.5
    f_min: 1 kHz
    f_max: 2 kHz
    source: s
)";
  try {
    parse_material_library(text, "lib.yaml");
    FAIL() << "expected a ModelError";
  } catch (const core::ModelError& error) {
    const std::string report = error.diagnostics().to_string();
    EXPECT_EQ(error.diagnostics().error_count(), 4u) << report;
    EXPECT_NE(report.find("lib.yaml:3:10: error: material 'A': k_i must be greater than zero"),
              std::string::npos)
        << report;
    EXPECT_NE(report.find("lib.yaml:5:11: error: material 'A': beta: \"x\" is not a number"),
              std::string::npos)
        << report;
    EXPECT_NE(report.find("lib.yaml:7:12: error: the fit's frequency range"), std::string::npos)
        << report;
    EXPECT_NE(report.find("lib.yaml:11:8: error: give either 'k_i'"), std::string::npos) << report;
  }
}

TEST(MaterialLibrary, DuplicateNames) {
  const std::string text = std::string(good_entry) + std::string(good_entry).substr(11);
  const std::string report = problems(text);
  EXPECT_NE(report.find("lib.yaml:11:11: error: material 'X1' is defined twice"), std::string::npos)
      << report;
}

TEST(MaterialLibrary, YamlSyntaxError) {
  const std::string report = problems("materials:\n  - name: [unclosed\n");
  EXPECT_NE(report.find("lib.yaml:"), std::string::npos) << report;
  EXPECT_NE(report.find("YAML:"), std::string::npos) << report;
}

}  // namespace
}  // namespace g2g::magnetics

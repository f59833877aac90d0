// The reference-architecture converter SPECs of examples/converters/ (docs/converters.md §
// Reference designs): each is read with its stage files, evaluated over 10-100 % load without
// error, balances power stage by stage, and lands inside stated bounds at 50 % load; each
// technology variant differs from its base in exactly one line, a primary_device line.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "g2g/converters/chain.hpp"
#include "g2g/devices/library.hpp"
#include "g2g/io/converter_designs.hpp"
#include "g2g/magnetics/library.hpp"
#include "support/test_support.hpp"

namespace g2g::io {
namespace {

namespace fs = std::filesystem;

struct Reference {
  const char* base;
  const char* variant;  // nullptr: no one-line variant
};

// (a) rack 800 -> 54 V, (b) tray 800 -> 13.5 V, (c) bus 54 -> 13.5 V, (d) rack PSU, (e) SST
// DC/DC stage and whole SST, and the single-design modules the chains use.
const std::vector<Reference>& references() {
  static const std::vector<Reference> list = {
      {"rack-800v-54v-isop-llc.yaml", "rack-800v-54v-isop-llc-sic.yaml"},
      {"tray-800v-13v5.yaml", "tray-800v-13v5-sic.yaml"},
      {"bus-54v-13v5-epc9149.yaml", "bus-54v-13v5-epc9149-si.yaml"},
      {"psu-ac-54v-5k5.yaml", "psu-ac-54v-5k5-sic.yaml"},
      {"sst-dcdc-12k8v-800v-isop-dab.yaml", "sst-dcdc-12k8v-800v-isop-dab-c3m.yaml"},
      {"sst-13k8vac-800v.yaml", "sst-13k8vac-800v-c3m.yaml"},
      {"llc-400v-54v-5k5-gan.yaml", nullptr},
      {"pfc-230v-400v-5k6-gan.yaml", nullptr},
      {"sst-dab-cell-800v-sic.yaml", nullptr},
  };
  return list;
}

fs::path converter_example(const char* file) {
  return test::example_path("converters") / file;
}

std::vector<std::string> lines_of(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

int conversion_stages(const converters::Assembly& a) {
  if (a.kind != converters::Assembly::Kind::chain) return 1;
  int n = 0;
  for (const auto& s : a.stages) n += conversion_stages(s.module);
  return n;
}

// Bounds at 50 % load, per conversion stage in series: every stage of these classes loses more
// than 0.5 % (devices, magnetics and gate drive are never free) and less than 10 % (a stage below
// 90 % would not be built); a chain of s stages lies between 0.90^s and 0.995^s.
constexpr double stage_lower = 0.90;
constexpr double stage_upper = 0.995;

void check_over_load(const char* file, bool base) {
  const LoadedConverterSpec loaded = load_converter_spec(converter_example(file));
  const converters::Assembly& a = loaded.assembly;
  const converters::Library library{&devices::default_devices(), &magnetics::default_materials()};
  const converters::Nominal nominal = converters::nominal(a);
  ASSERT_GT(nominal.rating_w, 0.0) << file;
  for (int percent = 10; percent <= 100; percent += 10) {
    const double p_w = nominal.rating_w * percent / 100.0;
    const converters::AssemblyResult r =
        converters::evaluate(a, library, {nominal.v_in_v, nominal.v_out_v, p_w});
    const double eta = r.total.efficiency;
    ASSERT_TRUE(std::isfinite(eta)) << file << " at " << percent << " %";
    EXPECT_GT(eta, 0.0) << file;
    EXPECT_LT(eta, 1.0) << file;
    EXPECT_NEAR(r.total.p_in_w, p_w + r.total.loss.total_w(), 1e-9 * r.total.p_in_w) << file;
    // Each stage delivers what the next takes in (rows of nested chains follow their parent).
    const converters::StageResult* previous = nullptr;
    for (const auto& s : r.stages) {
      if (s.depth != 0) continue;
      if (previous != nullptr) {
        EXPECT_DOUBLE_EQ(previous->point.p_out_w, s.p_in_w) << file;
      }
      previous = &s;
    }
    if (base) {
      EXPECT_TRUE(r.total.thermal_ok) << file << " at " << percent << " %";
    }
    if (percent == 50) {
      const int stages = conversion_stages(a);
      std::cout << fmt::format("[reference] {} | 50 % | {:.2f} % | {} conversion stage(s)\n", file,
                               100.0 * eta, stages);
      EXPECT_GT(eta, std::pow(stage_lower, stages)) << file;
      EXPECT_LT(eta, std::pow(stage_upper, stages)) << file;
    }
  }
}

TEST(ReferenceSpecs, EvaluateOverLoadInsideTheStatedBounds) {
  for (const Reference& r : references()) {
    SCOPED_TRACE(r.base);
    check_over_load(r.base, true);
    if (r.variant != nullptr) check_over_load(r.variant, false);
  }
}

// The sidecar rectifier of examples/pm400vdc.yaml (415 V AC line to line -> 800 V DC, SiC T-type
// AFE, docs/converters.md § Reference designs): 10-100 % load as the other references, a
// three-phase input (a model's 415 V bus feeds it line to line, not V/sqrt(3)), and at 50 % load
// inside the bounds of its class: above 98 %, one point under the 99.0 % measured at half load on
// a SiC T-type AFE of the same voltages and frequency (Wolfspeed CRD-25BDA6512N-K, 800 V, 400 V,
// 60 kHz); below the per-stage 99.5 %.
TEST(ReferenceSpecs, SidecarAfeIsThreePhaseAndInsideItsClassBounds) {
  constexpr const char* file = "sidecar-415vac-800v-afe.yaml";
  check_over_load(file, true);
  const LoadedConverterSpec loaded = load_converter_spec(converter_example(file));
  const converters::Assembly& a = loaded.assembly;
  ASSERT_EQ(a.kind, converters::Assembly::Kind::physics);
  EXPECT_EQ(a.design.topology, converters::Topology::afe_3level);
  EXPECT_FALSE(converters::single_phase_input(a));
  const converters::Nominal nominal = converters::nominal(a);
  EXPECT_DOUBLE_EQ(nominal.v_in_v, 415.0);
  EXPECT_DOUBLE_EQ(nominal.v_out_v, 800.0);

  const converters::Library library{&devices::default_devices(), &magnetics::default_materials()};
  const converters::AssemblyResult r =
      converters::evaluate(a, library, {nominal.v_in_v, nominal.v_out_v, 0.5 * nominal.rating_w});
  EXPECT_GT(r.total.efficiency, 0.98);
  EXPECT_LT(r.total.efficiency, stage_upper);
  EXPECT_TRUE(r.total.warnings.empty()) << r.total.warnings.front();
  // T-type: the outer switches block the link and rectify (soft turn-on at unity power factor),
  // the inner pair blocks and hard-switches half of it.
  ASSERT_EQ(r.total.switches.size(), 2u);
  EXPECT_EQ(r.total.switches[0].position, "outer switch");
  EXPECT_DOUBLE_EQ(r.total.switches[0].stress.v_block_v, 800.0);
  EXPECT_TRUE(r.total.switches[0].zvs);
  EXPECT_EQ(r.total.switches[1].position, "inner switch");
  EXPECT_DOUBLE_EQ(r.total.switches[1].stress.v_block_v, 400.0);
  EXPECT_FALSE(r.total.switches[1].zvs);
}

TEST(ReferenceSpecs, EachVariantChangesOnePrimaryDeviceLine) {
  for (const Reference& r : references()) {
    if (r.variant == nullptr) continue;
    const auto base = lines_of(converter_example(r.base));
    const auto variant = lines_of(converter_example(r.variant));
    ASSERT_EQ(base.size(), variant.size()) << r.variant;
    int changed = 0;
    for (std::size_t i = 0; i < base.size(); ++i) {
      if (base[i] == variant[i]) continue;
      ++changed;
      EXPECT_NE(variant[i].find("primary_device:"), std::string::npos)
          << r.variant << ": " << variant[i];
    }
    EXPECT_EQ(changed, 1) << r.variant;
  }
}

}  // namespace
}  // namespace g2g::io

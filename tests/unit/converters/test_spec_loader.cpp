// Converter SPEC files: every field with its unit, published points, and every error at once
// with file:line:col.
#include <gtest/gtest.h>

#include <string>

#include "g2g/converters/spec_loader.hpp"
#include "g2g/core/diagnostics.hpp"

namespace g2g::converters {
namespace {

constexpr const char* full_spec = R"(description: test
converter:
  name: t
  topology: llc
  full_bridge: false
  secondary_full_bridge: true
  phases: 2
  parallel: 3
  secondary_parallel: 4
  primary_device: A
  secondary_device: B
  f_sw: 500 kHz
  t_dead: 50 ns
  v_in_nominal: 400 V
  v_out_nominal: 48 V
  rating: 3 kW
  turns_ratio: 8
  resonant_inductance: 2.2 uH
  resonant_capacitance: 47 nF
  transformer:
    material: N87
    core_area: 120 mm2
    core_volume: 6 cm3
    turns: 12
    inductance: 22 uH
    r_dc: 30 mohm
    r_dc_secondary: 0.3 mohm
    layer_thickness: 0.07 mm
    layers: 2
    porosity: 0.8
  inductor: {material: N49, core_volume: 500 mm3, inductance: 100 nH}
  capacitor_esr: 0.2 mohm
  resonant_capacitor_esr: 5 mohm
  other_loss_fraction: 0.3 %
  heatsink_cspi: 20 W/(K dm3)
  gate: {r_g_ext: 2 ohm}
  cooling: {t_ambient: 40 C, r_th_ca: 5 K/W}
  assumptions: [one, two]
published:
  - {v_in: 400 V, v_out: 48 V, p_out: 1.5 kW, efficiency: 99 %, peak: true, source: paper}
)";

TEST(SpecLoader, EveryFieldInSi) {
  const ConverterSpec s = parse_converter_spec_file(full_spec, "t.yaml");
  const ConverterDesign& d = s.design;
  EXPECT_EQ(d.name, "t");
  EXPECT_EQ(d.topology, Topology::llc);
  EXPECT_FALSE(d.full_bridge);
  EXPECT_TRUE(d.secondary_full_bridge);
  EXPECT_EQ(d.phases, 2);
  EXPECT_EQ(d.parallel, 3);
  EXPECT_EQ(d.secondary_parallel, 4);
  EXPECT_EQ(d.primary_device, "A");
  EXPECT_EQ(d.secondary_device, "B");
  EXPECT_DOUBLE_EQ(d.f_sw_hz, 500e3);
  EXPECT_DOUBLE_EQ(d.t_dead_s, 50e-9);
  EXPECT_DOUBLE_EQ(d.v_in_nominal_v, 400.0);
  EXPECT_DOUBLE_EQ(d.rating_w, 3000.0);
  EXPECT_DOUBLE_EQ(d.turns_ratio, 8.0);
  EXPECT_DOUBLE_EQ(d.resonant_inductance_h, 2.2e-6);
  EXPECT_DOUBLE_EQ(d.resonant_capacitance_f, 47e-9);
  EXPECT_EQ(d.transformer.material, "N87");
  EXPECT_DOUBLE_EQ(d.transformer.core_area_m2, 120e-6);
  EXPECT_DOUBLE_EQ(d.transformer.core_volume_m3, 6e-6);
  EXPECT_EQ(d.transformer.turns, 12);
  EXPECT_DOUBLE_EQ(d.transformer.inductance_h, 22e-6);
  EXPECT_DOUBLE_EQ(d.transformer.r_dc_ohm, 30e-3);
  EXPECT_DOUBLE_EQ(d.transformer.r_dc_secondary_ohm, 0.3e-3);
  EXPECT_DOUBLE_EQ(d.transformer.layer_thickness_m, 0.07e-3);
  EXPECT_EQ(d.transformer.layers, 2);
  EXPECT_DOUBLE_EQ(d.transformer.porosity, 0.8);
  EXPECT_DOUBLE_EQ(d.inductor.core_volume_m3, 500e-9);
  EXPECT_DOUBLE_EQ(d.inductor.inductance_h, 100e-9);
  EXPECT_DOUBLE_EQ(d.capacitor_esr_ohm, 0.2e-3);
  EXPECT_DOUBLE_EQ(d.resonant_capacitor_esr_ohm, 5e-3);
  EXPECT_DOUBLE_EQ(d.other_loss_fraction, 0.003);
  EXPECT_DOUBLE_EQ(d.heatsink_cspi_w_per_k_m3, 20e3);
  EXPECT_DOUBLE_EQ(d.gate.r_g_ext_ohm, 2.0);
  EXPECT_DOUBLE_EQ(d.cooling.t_ambient_c, 40.0);
  EXPECT_DOUBLE_EQ(d.cooling.r_th_ca_k_per_w, 5.0);
  EXPECT_EQ(d.assumptions.size(), 2u);
  ASSERT_EQ(s.published.size(), 1u);
  EXPECT_DOUBLE_EQ(s.published[0].point.p_out_w, 1500.0);
  EXPECT_DOUBLE_EQ(s.published[0].efficiency, 0.99);
  EXPECT_TRUE(s.published[0].peak);
  EXPECT_EQ(s.published[0].source, "paper");
  EXPECT_EQ(parse_converter_spec(full_spec, "t.yaml").f_sw_hz, 500e3);
}

TEST(SpecLoader, EveryErrorWithItsPlace) {
  const std::string text = R"(converter:
  topology: llk
  primary_device: A
  f_sw: 500 kV
  rating: 3 kW
  v_out_nominal: 48 V
  turns_ratoi: 8
  transformer:
    inductance: 22 uF
    layers: two
)";
  try {
    (void)parse_converter_spec(text, "bad.yaml");
    FAIL() << "expected ModelError";
  } catch (const core::ModelError& e) {
    const std::string all = e.diagnostics().to_string();
    EXPECT_EQ(e.diagnostics().error_count(), 5u) << all;
    EXPECT_NE(all.find("bad.yaml:2:13"), std::string::npos) << all;  // topology value
    EXPECT_NE(all.find("unknown topology 'llk'"), std::string::npos) << all;
    EXPECT_NE(all.find("bad.yaml:4:9"), std::string::npos) << all;  // f_sw
    EXPECT_NE(all.find("did you mean 'turns_ratio'"), std::string::npos) << all;
    EXPECT_NE(all.find("bad.yaml:9:17"), std::string::npos) << all;  // 22 uF as inductance
    EXPECT_NE(all.find("uH"), std::string::npos) << all;
    EXPECT_NE(all.find("converter: transformer: layers must be a whole number"), std::string::npos)
        << all;
  }
}

TEST(SpecLoader, MissingRequiredAndSyntax) {
  try {
    (void)parse_converter_spec("converter:\n  topology: buck\n", "m.yaml");
    FAIL();
  } catch (const core::ModelError& e) {
    const std::string all = e.diagnostics().to_string();
    for (const char* key : {"primary_device", "f_sw", "rating", "v_out_nominal"})
      EXPECT_NE(all.find(key), std::string::npos) << key << "\n" << all;
  }
  try {
    (void)parse_converter_spec("converter: [1, 2\n", "s.yaml");
    FAIL();
  } catch (const core::ModelError& e) {
    EXPECT_NE(e.diagnostics().to_string().find("s.yaml:"), std::string::npos);
  }
  EXPECT_THROW((void)parse_converter_spec("other: 1\n", "n.yaml"), core::ModelError);
}

// A chain SPEC: stages by file or by sourced curve, with their stacking.
TEST(SpecLoader, ChainStagesAndCurves) {
  const ConverterSpec s = parse_converter_spec_file(R"(chain:
  name: rack psu
  rating: 5.5 kW
  stages:
    - curve:
        name: front end
        v_in_nominal: 13.8 kV
        v_out_nominal: 12.8 kV
        rating: 1 MW
        points: [{load: 10 %, efficiency: 97 %}, {load: 100 %, efficiency: 99 %}]
        source: "assumption: test"
      modules: 3
    - {design: cells/dab.yaml, input_series: 16, modules: 3, primary_device: C3M0065100J}
  assumptions: [a]
)",
                                                    "c.yaml");
  ASSERT_TRUE(s.is_chain);
  EXPECT_EQ(s.chain.name, "rack psu");
  EXPECT_DOUBLE_EQ(s.chain.rating_w, 5500.0);
  ASSERT_EQ(s.chain.stages.size(), 2u);
  const StageSpec& fe = s.chain.stages[0];
  EXPECT_TRUE(fe.design_file.empty());
  EXPECT_EQ(fe.modules, 3);
  EXPECT_DOUBLE_EQ(fe.curve.v_in_nominal_v, 13.8e3);
  ASSERT_EQ(fe.curve.points.size(), 2u);
  EXPECT_DOUBLE_EQ(fe.curve.points[0].load_fraction, 0.1);
  EXPECT_DOUBLE_EQ(fe.curve.points[1].efficiency, 0.99);
  const StageSpec& dab = s.chain.stages[1];
  EXPECT_EQ(dab.design_file, "cells/dab.yaml");
  EXPECT_EQ(dab.input_series, 16);
  EXPECT_EQ(dab.primary_device, "C3M0065100J");
  EXPECT_EQ(dab.where.line, 13);
  EXPECT_THROW((void)parse_converter_spec("chain: {stages: [{design: a.yaml}]}\n", "c.yaml"),
               core::ModelError);
}

TEST(SpecLoader, ChainErrorsWithTheirPlace) {
  try {
    (void)parse_converter_spec_file(R"(chain:
  stages:
    - {design: a.yaml, curve: {name: x}}
    - curve: {name: c, v_in_nominal: 1 kV, v_out_nominal: 800 V, rating: 1 MW,
              points: [{load: 50 %, efficiency: 99 %}, {load: 20 %, efficiency: 120 %}]}
    - {design: b.yaml, input_series: 0}
)",
                                    "bad.yaml");
    FAIL() << "expected a ModelError";
  } catch (const core::ModelError& e) {
    const std::string all = e.diagnostics().to_string();
    EXPECT_NE(all.find("bad.yaml:3:7: error: a stage needs exactly one of"), std::string::npos)
        << all;
    EXPECT_NE(all.find("curve 'c' has no 'source'"), std::string::npos) << all;
    EXPECT_NE(all.find("ascending"), std::string::npos) << all;
    EXPECT_NE(all.find("at most 100 %"), std::string::npos) << all;
    EXPECT_NE(all.find("bad.yaml:6:38"), std::string::npos) << all;  // input_series 0
  }
}

// A SPEC may come from someone else: the paths it names stay inside its own directory.
TEST(SpecLoader, PathsMustStayInsideTheSpecDirectory) {
  EXPECT_EQ(check_spec_path("stage.yaml"), "");
  EXPECT_EQ(check_spec_path("cells/dab.yaml"), "");
  EXPECT_EQ(check_spec_path("./parts"), "");
  EXPECT_NE(check_spec_path("../stage.yaml"), "");
  EXPECT_NE(check_spec_path("cells/../../stage.yaml"), "");
  EXPECT_NE(check_spec_path("cells/.."), "");
  EXPECT_NE(check_spec_path("/etc/passwd"), "");
  EXPECT_NE(check_spec_path(""), "");
  try {
    (void)parse_converter_spec_file(R"(chain:
  stages:
    - design: ../../secret.yaml
    - design: /etc/passwd
)",
                                    "dir/c.yaml");
    FAIL() << "expected a ModelError";
  } catch (const core::ModelError& e) {
    const std::string all = e.diagnostics().to_string();
    EXPECT_NE(all.find("dir/c.yaml:3:15: error: stage design '../../secret.yaml' leaves the "
                       "SPEC's directory"),
              std::string::npos)
        << all;
    EXPECT_NE(all.find("dir/c.yaml:4:15: error: stage design '/etc/passwd' is absolute"),
              std::string::npos)
        << all;
    EXPECT_NE(all.find("fix: put the file in this SPEC's directory"), std::string::npos) << all;
  }
  try {
    (void)parse_converter_spec_file("device_library: ../../parts\n" + std::string(full_spec),
                                    "s.yaml");
    FAIL() << "expected a ModelError";
  } catch (const core::ModelError& e) {
    const std::string all = e.diagnostics().to_string();
    EXPECT_NE(all.find("s.yaml:1:17: error: device_library '../../parts' leaves"),
              std::string::npos)
        << all;
  }
}

TEST(SpecLoader, SharedHeatsinkResistance) {
  const ConverterSpec s = parse_converter_spec_file(
      std::string(full_spec).replace(std::string(full_spec).find("r_th_ca: 5 K/W"), 14,
                                     "r_th_ca: 5 K/W, r_th_sink: 2.05 K/W"),
      "t.yaml");
  EXPECT_DOUBLE_EQ(s.design.r_th_sink_k_per_w, 2.05);
  EXPECT_DOUBLE_EQ(s.design.cooling.r_th_ca_k_per_w, 5.0);
}

}  // namespace
}  // namespace g2g::converters

// Model-file loaders (YAML and JSON), template expansion, diagnostics and the YAML writer.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/builder.hpp"
#include "g2g/model/loader.hpp"
#include "g2g/model/spec.hpp"
#include "support/diagnostic_checks.hpp"
#include "support/test_support.hpp"

namespace g2g::model {
namespace {

using g2g::test::read_text;

// Buses every test model starts from; components are appended from line 9 on.
const std::string header = R"(grid2gpu: 1
buses:
  - {id: ac1, kind: ac, voltage: 415 V}
  - {id: ac2, kind: ac, voltage: 415 V}
  - {id: dc1, kind: dc, voltage: 800 V}
  - {id: dc2, kind: dc, voltage: 800 V}
components:
  - {id: grid, type: utility, bus: ac1}
)";
constexpr int first_line = 9;

std::string with(const std::string& components) {
  return header + components;
}

using test::column_of;
using test::expect_at;
using test::find;
using test::json_errors;
using test::yaml_errors;

// ---- Equality (ignoring where each element was written) ---------------------------------

// Compares the origins two elements refer to by their text; no origin is the same as an empty one.
void expect_same(const ModelSpec& a, std::int32_t x, const ModelSpec& b, std::int32_t y) {
  const Origin none;
  const Origin& u = origin_of(a, x) != nullptr ? *origin_of(a, x) : none;
  const Origin& v = origin_of(b, y) != nullptr ? *origin_of(b, y) : none;
  EXPECT_EQ(u.template_name, v.template_name);
  EXPECT_EQ(u.instance_path, v.instance_path);
}

void expect_equal(const ModelSpec& a, const ModelSpec& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.frequency_hz, b.frequency_hz);
  EXPECT_EQ(a.solver.base_power_va, b.solver.base_power_va);
  EXPECT_EQ(a.solver.tolerance_pu, b.solver.tolerance_pu);
  EXPECT_EQ(a.solver.max_iterations, b.solver.max_iterations);
  EXPECT_EQ(a.solver.flat_start, b.solver.flat_start);
  ASSERT_EQ(a.buses.size(), b.buses.size());
  for (std::size_t i = 0; i < a.buses.size(); ++i) {
    const auto &x = a.buses[i], &y = b.buses[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.nominal_voltage_v, y.nominal_voltage_v);
    EXPECT_EQ(x.v_min_pu, y.v_min_pu);
    EXPECT_EQ(x.v_max_pu, y.v_max_pu);
    expect_same(a, x.origin, b, y.origin);
  }
  ASSERT_EQ(a.sources.size(), b.sources.size());
  for (std::size_t i = 0; i < a.sources.size(); ++i) {
    const auto &x = a.sources[i], &y = b.sources[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.type, y.type);
    EXPECT_EQ(x.bus, y.bus);
    EXPECT_EQ(x.v_set_pu, y.v_set_pu);
    EXPECT_EQ(x.angle_deg, y.angle_deg);
    EXPECT_EQ(x.p_set_w, y.p_set_w);
    EXPECT_EQ(x.q_min_var, y.q_min_var);
    EXPECT_EQ(x.q_max_var, y.q_max_var);
    EXPECT_EQ(x.rating_va, y.rating_va);
    EXPECT_EQ(x.in_service, y.in_service);
    expect_same(a, x.origin, b, y.origin);
  }
  ASSERT_EQ(a.lines.size(), b.lines.size());
  for (std::size_t i = 0; i < a.lines.size(); ++i) {
    const auto &x = a.lines[i], &y = b.lines[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.type, y.type);
    EXPECT_EQ(x.from, y.from);
    EXPECT_EQ(x.to, y.to);
    EXPECT_EQ(x.material, y.material);
    EXPECT_EQ(x.cross_section_m2, y.cross_section_m2);
    EXPECT_EQ(x.length_m, y.length_m);
    EXPECT_EQ(x.conductors_per_pole, y.conductors_per_pole);
    EXPECT_EQ(x.parallel_runs, y.parallel_runs);
    EXPECT_EQ(x.temperature_c, y.temperature_c);
    EXPECT_EQ(x.reactance_ohm_per_m, y.reactance_ohm_per_m);
    EXPECT_EQ(x.r_ohm, y.r_ohm);
    EXPECT_EQ(x.x_ohm, y.x_ohm);
    EXPECT_EQ(x.b_total_s, y.b_total_s);
    EXPECT_EQ(x.ampacity_a, y.ampacity_a);
    EXPECT_EQ(x.in_service, y.in_service);
    expect_same(a, x.origin, b, y.origin);
  }
  ASSERT_EQ(a.transformers.size(), b.transformers.size());
  for (std::size_t i = 0; i < a.transformers.size(); ++i) {
    const auto &x = a.transformers[i], &y = b.transformers[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.hv, y.hv);
    EXPECT_EQ(x.lv, y.lv);
    EXPECT_EQ(x.rating_va, y.rating_va);
    EXPECT_EQ(x.v_hv_rated_v, y.v_hv_rated_v);
    EXPECT_EQ(x.v_lv_rated_v, y.v_lv_rated_v);
    EXPECT_EQ(x.z_pct, y.z_pct);
    EXPECT_EQ(x.r_pct, y.r_pct);
    EXPECT_EQ(x.load_loss_w, y.load_loss_w);
    EXPECT_EQ(x.no_load_loss_w, y.no_load_loss_w);
    EXPECT_EQ(x.tap_ratio, y.tap_ratio);
    EXPECT_EQ(x.phase_shift_deg, y.phase_shift_deg);
    EXPECT_EQ(x.r_system_pu, y.r_system_pu);
    EXPECT_EQ(x.x_system_pu, y.x_system_pu);
    EXPECT_EQ(x.b_system_pu, y.b_system_pu);
    EXPECT_EQ(x.in_service, y.in_service);
    expect_same(a, x.origin, b, y.origin);
  }
  ASSERT_EQ(a.switches.size(), b.switches.size());
  for (std::size_t i = 0; i < a.switches.size(); ++i) {
    const auto &x = a.switches[i], &y = b.switches[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.from, y.from);
    EXPECT_EQ(x.to, y.to);
    EXPECT_EQ(x.closed, y.closed);
    EXPECT_EQ(x.rating_a, y.rating_a);
    expect_same(a, x.origin, b, y.origin);
  }
  ASSERT_EQ(a.converters.size(), b.converters.size());
  for (std::size_t i = 0; i < a.converters.size(); ++i) {
    const auto &x = a.converters[i], &y = b.converters[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.type, y.type);
    EXPECT_EQ(x.subtype, y.subtype);
    EXPECT_EQ(x.input, y.input);
    EXPECT_EQ(x.output, y.output);
    EXPECT_EQ(x.rating_w, y.rating_w);
    ASSERT_EQ(x.efficiency.size(), y.efficiency.size());
    for (std::size_t k = 0; k < x.efficiency.size(); ++k) {
      EXPECT_EQ(x.efficiency[k].load_fraction, y.efficiency[k].load_fraction);
      EXPECT_EQ(x.efficiency[k].efficiency, y.efficiency[k].efficiency);
    }
    EXPECT_EQ(x.control, y.control);
    EXPECT_EQ(x.v_set_pu, y.v_set_pu);
    EXPECT_EQ(x.p_set_w, y.p_set_w);
    EXPECT_EQ(x.input_power_factor, y.input_power_factor);
    EXPECT_EQ(x.output_power_factor, y.output_power_factor);
    EXPECT_EQ(x.in_service, y.in_service);
    expect_same(a, x.origin, b, y.origin);
  }
  ASSERT_EQ(a.loads.size(), b.loads.size());
  for (std::size_t i = 0; i < a.loads.size(); ++i) {
    const auto &x = a.loads[i], &y = b.loads[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.model, y.model);
    EXPECT_EQ(x.bus, y.bus);
    EXPECT_EQ(x.p_w, y.p_w);
    EXPECT_EQ(x.q_var, y.q_var);
    EXPECT_EQ(x.zip_z, y.zip_z);
    EXPECT_EQ(x.zip_i, y.zip_i);
    EXPECT_EQ(x.zip_p, y.zip_p);
    EXPECT_EQ(x.it_power_w, y.it_power_w);
    EXPECT_EQ(x.idle_fraction, y.idle_fraction);
    EXPECT_EQ(x.utilisation, y.utilisation);
    EXPECT_EQ(x.in_service, y.in_service);
    expect_same(a, x.origin, b, y.origin);
  }
  ASSERT_EQ(a.storage.size(), b.storage.size());
  for (std::size_t i = 0; i < a.storage.size(); ++i) {
    const auto &x = a.storage[i], &y = b.storage[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.bus, y.bus);
    EXPECT_EQ(x.p_set_w, y.p_set_w);
    EXPECT_EQ(x.q_set_var, y.q_set_var);
    EXPECT_EQ(x.rating_w, y.rating_w);
    EXPECT_EQ(x.energy_j, y.energy_j);
    EXPECT_EQ(x.in_service, y.in_service);
    expect_same(a, x.origin, b, y.origin);
  }
}

// ---- Happy paths ----------------------------------------------------------------------------

TEST(LoaderYaml, MinimalModelAndTopLevelKeys) {
  const ModelSpec m = load_yaml(R"(grid2gpu: 1
name: tiny
frequency: 50 Hz
solver: {base_power: 10 MVA, tolerance: 1e-8, max_iterations: 12, flat_start: false}
buses:
  - {id: mv, kind: ac, voltage: 13.8 kV, v_min: 0.9, v_max: 1.1}
components:
  - {id: grid, type: utility, bus: mv, voltage: 1.02, angle: -5 deg, rating: 20 MVA}
)",
                                "tiny.yaml");
  EXPECT_EQ(m.name, "tiny");
  EXPECT_EQ(m.source_file, "tiny.yaml");
  EXPECT_DOUBLE_EQ(m.frequency_hz, 50.0);
  EXPECT_DOUBLE_EQ(m.solver.base_power_va, 10e6);
  EXPECT_DOUBLE_EQ(m.solver.tolerance_pu, 1e-8);
  EXPECT_EQ(m.solver.max_iterations, 12);
  EXPECT_FALSE(m.solver.flat_start);
  ASSERT_EQ(m.buses.size(), 1u);
  EXPECT_EQ(m.buses[0].id, "mv");
  EXPECT_EQ(m.buses[0].kind, BusKind::ac);
  EXPECT_DOUBLE_EQ(m.buses[0].nominal_voltage_v, 13800.0);
  EXPECT_DOUBLE_EQ(m.buses[0].v_min_pu, 0.9);
  EXPECT_DOUBLE_EQ(m.buses[0].v_max_pu, 1.1);
  EXPECT_EQ(m.buses[0].where.line, 6);
  EXPECT_EQ(m.buses[0].where.column, 5);
  ASSERT_EQ(m.sources.size(), 1u);
  const Source& s = m.sources[0];
  EXPECT_EQ(s.type, SourceType::utility);
  EXPECT_EQ(s.bus, 0);
  EXPECT_DOUBLE_EQ(s.v_set_pu, 1.02);
  EXPECT_DOUBLE_EQ(s.angle_deg, -5.0);
  EXPECT_DOUBLE_EQ(s.rating_va, 20e6);
  EXPECT_EQ(s.where.line, 8);
}

TEST(LoaderYaml, SourcesGeneratorAndDcSource) {
  const ModelSpec m = load_yaml(with(R"(
  - {id: gen1, type: generator, bus: ac2, power: 2 MW, voltage: 1.01, q_min: -1 Mvar, q_max: 1.5 Mvar}
  - {id: batt, type: dc_source, bus: dc1, voltage: 102 %, in_service: false}
  - {id: conv, type: rectifier, input: ac2, output: dc2, rating: 1 MW, efficiency: 0.97}
  - {id: l, type: line, from: ac1, to: ac2, resistance: 0.01 ohm, reactance: 0.02 ohm}
)"),
                                "m.yaml");
  ASSERT_EQ(m.sources.size(), 3u);
  const Source& g = m.sources[1];
  EXPECT_EQ(g.type, SourceType::generator);
  EXPECT_EQ(g.bus, 1);
  EXPECT_DOUBLE_EQ(g.p_set_w, 2e6);
  EXPECT_DOUBLE_EQ(g.v_set_pu, 1.01);
  EXPECT_DOUBLE_EQ(g.q_min_var, -1e6);
  EXPECT_DOUBLE_EQ(g.q_max_var, 1.5e6);
  const Source& d = m.sources[2];
  EXPECT_EQ(d.type, SourceType::dc_source);
  EXPECT_EQ(d.bus, 2);
  EXPECT_DOUBLE_EQ(d.v_set_pu, 1.02);
  EXPECT_FALSE(d.in_service);
}

TEST(LoaderYaml, CableBusbarAndLine) {
  const ModelSpec m = load_yaml(with(R"(
  - {id: c1, type: cable, from: ac1, to: ac2, material: aluminium, cross_section: 240 mm2, length: 35 m, conductors_per_pole: 2, parallel_runs: 3, temperature: 90 °C, reactance_per_length: 0.09 mohm/m, ampacity: 500 A}
  - {id: b1, type: busbar, from: dc1, to: dc2, cross_section: 1000 mm2, length: 0.03 km}
  - {id: l1, type: line, from: ac1, to: ac2, resistance: 0.1 ohm, reactance: 0.3 ohm, charging: 1 uS}
  - {id: c2, type: cable, from: ac1, to: ac2, cross_section: 95 mm2, length: 10 m}
  - {id: s1, type: dc_source, bus: dc1}
)"),
                                "m.yaml");
  ASSERT_EQ(m.lines.size(), 4u);
  const Line& c = m.lines[0];
  EXPECT_EQ(c.type, LineType::cable);
  EXPECT_EQ(c.from, 0);
  EXPECT_EQ(c.to, 1);
  EXPECT_EQ(c.material, Material::aluminium);
  EXPECT_DOUBLE_EQ(c.cross_section_m2, 240e-6);
  EXPECT_DOUBLE_EQ(c.length_m, 35.0);
  EXPECT_EQ(c.conductors_per_pole, 2);
  EXPECT_EQ(c.parallel_runs, 3);
  EXPECT_DOUBLE_EQ(c.temperature_c, 90.0);
  EXPECT_DOUBLE_EQ(c.reactance_ohm_per_m, 0.09e-3);
  EXPECT_DOUBLE_EQ(c.ampacity_a, 500.0);
  EXPECT_FALSE(c.r_ohm.has_value());
  const Line& b = m.lines[1];
  EXPECT_EQ(b.type, LineType::busbar);
  EXPECT_DOUBLE_EQ(b.length_m, 30.0);
  EXPECT_DOUBLE_EQ(b.reactance_ohm_per_m, 0.15e-3);  // busbar default
  const Line& l = m.lines[2];
  EXPECT_EQ(l.type, LineType::overhead);
  ASSERT_TRUE(l.r_ohm.has_value());
  EXPECT_DOUBLE_EQ(*l.r_ohm, 0.1);
  ASSERT_TRUE(l.x_ohm.has_value());
  EXPECT_DOUBLE_EQ(*l.x_ohm, 0.3);
  EXPECT_DOUBLE_EQ(l.b_total_s, 1e-6);
  // Documented defaults.
  const Line& d = m.lines[3];
  EXPECT_EQ(d.material, Material::copper);
  EXPECT_EQ(d.conductors_per_pole, 1);
  EXPECT_EQ(d.parallel_runs, 1);
  EXPECT_DOUBLE_EQ(d.temperature_c, 70.0);
  EXPECT_DOUBLE_EQ(d.reactance_ohm_per_m, 0.08e-3);
  EXPECT_DOUBLE_EQ(d.ampacity_a, 0.0);
  EXPECT_TRUE(d.in_service);
}

TEST(LoaderYaml, TransformerAndSwitches) {
  const ModelSpec m = load_yaml(R"(grid2gpu: 1
buses:
  - {id: mv, kind: ac, voltage: 13.8 kV}
  - {id: lv, kind: ac, voltage: 415 V}
  - {id: lv2, kind: ac, voltage: 415 V}
  - {id: lv3, kind: ac, voltage: 415 V}
components:
  - {id: grid, type: utility, bus: mv}
  - {id: t1, type: transformer, hv: mv, lv: lv, rating: 2.5 MVA, hv_voltage: 13.8 kV, lv_voltage: 415 V, impedance: 6 %, resistance: 1 %, load_loss: 20 kW, no_load_loss: 3 kW, tap: 1.025, phase_shift: 30 deg}
  - {id: t2, type: transformer, hv: mv, lv: lv3, system_resistance: 0.01, system_reactance: 0.05, system_susceptance: 0.001}
  - {id: br1, type: breaker, from: lv, to: lv2, rating: 4000 A}
  - {id: sw1, type: switch, from: lv2, to: lv3, closed: false}
)",
                                "m.yaml");
  ASSERT_EQ(m.transformers.size(), 2u);
  const Transformer& t = m.transformers[0];
  EXPECT_EQ(t.hv, 0);
  EXPECT_EQ(t.lv, 1);
  EXPECT_DOUBLE_EQ(t.rating_va, 2.5e6);
  EXPECT_DOUBLE_EQ(t.v_hv_rated_v, 13.8e3);
  EXPECT_DOUBLE_EQ(t.v_lv_rated_v, 415.0);
  EXPECT_EQ(t.z_pct, 6.0);  // exactly: "6 %" keeps the written number
  ASSERT_TRUE(t.r_pct.has_value());
  EXPECT_EQ(*t.r_pct, 1.0);
  EXPECT_DOUBLE_EQ(t.load_loss_w, 20e3);
  EXPECT_DOUBLE_EQ(t.no_load_loss_w, 3e3);
  EXPECT_DOUBLE_EQ(t.tap_ratio, 1.025);
  EXPECT_DOUBLE_EQ(t.phase_shift_deg, 30.0);
  const Transformer& s = m.transformers[1];
  EXPECT_EQ(s.r_system_pu, 0.01);
  EXPECT_EQ(s.x_system_pu, 0.05);
  EXPECT_DOUBLE_EQ(s.b_system_pu, 0.001);
  EXPECT_DOUBLE_EQ(s.rating_va, 0.0);
  ASSERT_EQ(m.switches.size(), 2u);
  EXPECT_TRUE(m.switches[0].closed);
  EXPECT_DOUBLE_EQ(m.switches[0].rating_a, 4000.0);
  EXPECT_FALSE(m.switches[1].closed);
}

TEST(LoaderYaml, ConvertersOfEveryType) {
  const ModelSpec m = load_yaml(with(R"(
  - {id: sst1, type: rectifier, subtype: sst, input: ac1, output: dc1, rating: 3 MW, efficiency: [[0.1, 0.95], [0.5, 98.5 %], [1.0, 0.98]], control: voltage, voltage: 1.0, power_factor: 0.99}
  - {id: psu1, type: psu, input: ac2, output: dc2, rating: 33 kW, efficiency: 96 %}
  - {id: dcdc1, type: dcdc, input: dc1, output: dc2, rating: 100 kW, efficiency: 0.98, control: power, power: 50 kW}
  - {id: inv1, type: inverter, input: dc1, output: ac2, rating: 500 kW, efficiency: 97.5 %, control: power, power: 200 kW, output_power_factor: 0.9}
  - {id: ups1, type: ups, input: ac1, output: ac2, rating: 1 MW, efficiency: 0.95}
  - {id: sst2, type: sst, input: ac1, output: dc1, rating: 3 MW, efficiency: 0.99}
)"),
                                "m.yaml");
  ASSERT_EQ(m.converters.size(), 6u);
  const Converter& sst = m.converters[0];
  EXPECT_EQ(sst.type, ConverterType::rectifier);
  EXPECT_EQ(sst.subtype, ConverterSubtype::sst);
  EXPECT_EQ(sst.input, 0);
  EXPECT_EQ(sst.output, 2);
  EXPECT_DOUBLE_EQ(sst.rating_w, 3e6);
  ASSERT_EQ(sst.efficiency.size(), 3u);
  EXPECT_DOUBLE_EQ(sst.efficiency[1].load_fraction, 0.5);
  EXPECT_DOUBLE_EQ(sst.efficiency[1].efficiency, 0.985);
  EXPECT_EQ(sst.control, ConverterControl::voltage);
  EXPECT_DOUBLE_EQ(sst.input_power_factor, 0.99);
  const Converter& psu = m.converters[1];
  EXPECT_EQ(psu.type, ConverterType::rectifier);
  EXPECT_EQ(psu.subtype, ConverterSubtype::psu);
  ASSERT_EQ(psu.efficiency.size(), 1u);
  EXPECT_DOUBLE_EQ(psu.efficiency[0].load_fraction, 1.0);
  EXPECT_DOUBLE_EQ(psu.efficiency[0].efficiency, 0.96);
  EXPECT_EQ(m.converters[2].type, ConverterType::dcdc);
  EXPECT_EQ(m.converters[2].control, ConverterControl::power);
  EXPECT_DOUBLE_EQ(m.converters[2].p_set_w, 50e3);
  EXPECT_EQ(m.converters[3].type, ConverterType::inverter);
  EXPECT_DOUBLE_EQ(m.converters[3].output_power_factor, 0.9);
  EXPECT_EQ(m.converters[4].type, ConverterType::ups);
  EXPECT_EQ(m.converters[5].subtype, ConverterSubtype::sst);
}

TEST(LoaderYaml, LoadsRacksAndStorage) {
  const ModelSpec m = load_yaml(with(R"(
  - {id: l1, type: load, bus: ac2, power: 100 kW, reactive_power: 10 kvar}
  - {id: l2, type: load, bus: ac2, model: zip, power: 100 kW, power_factor: 0.8, zip: [0.2, 0.3, 0.5]}
  - {id: l3, type: load, bus: dc1, model: constant_current, power: 5 kW}
  - {id: r1, type: gpu_rack, bus: dc1, it_power: 130 kW, idle_fraction: 0.3, utilisation: 0.5}
  - {id: bess, type: storage, bus: dc1, power: -500 kW, rating: 1 MW, energy: 2 MWh}
  - {id: src, type: dc_source, bus: dc1}
)"),
                                "m.yaml");
  ASSERT_EQ(m.loads.size(), 4u);
  EXPECT_EQ(m.loads[0].model, LoadModel::constant_power);
  EXPECT_DOUBLE_EQ(m.loads[0].p_w, 100e3);
  EXPECT_DOUBLE_EQ(m.loads[0].q_var, 10e3);
  EXPECT_EQ(m.loads[1].model, LoadModel::zip);
  EXPECT_NEAR(m.loads[1].q_var, 75e3, 1e-6);  // tan(acos(0.8)) = 0.75
  EXPECT_DOUBLE_EQ(m.loads[1].zip_z, 0.2);
  EXPECT_DOUBLE_EQ(m.loads[1].zip_i, 0.3);
  EXPECT_DOUBLE_EQ(m.loads[1].zip_p, 0.5);
  EXPECT_EQ(m.loads[2].model, LoadModel::constant_current);
  const Load& rack = m.loads[3];
  EXPECT_EQ(rack.model, LoadModel::gpu_rack);
  EXPECT_DOUBLE_EQ(rack.it_power_w, 130e3);
  EXPECT_DOUBLE_EQ(rack.idle_fraction, 0.3);
  EXPECT_DOUBLE_EQ(rack.utilisation, 0.5);
  EXPECT_DOUBLE_EQ(rack.p_w, 130e3 * (0.3 + 0.7 * 0.5));
  ASSERT_EQ(m.storage.size(), 1u);
  EXPECT_DOUBLE_EQ(m.storage[0].p_set_w, -500e3);
  EXPECT_DOUBLE_EQ(m.storage[0].rating_w, 1e6);
  EXPECT_DOUBLE_EQ(m.storage[0].energy_j, 7.2e9);
}

TEST(LoaderYaml, QuotedScalarsAreTextAndAnchorsMerge) {
  const ModelSpec m = load_yaml(R"(grid2gpu: 1
buses:
  - {id: "1", kind: dc, voltage: 800}
  - &dc {id: "2", kind: dc, voltage: 800 V}
  - {<<: *dc, id: "3"}
components:
  - {id: src, type: dc_source, bus: 1}
  - &cable {id: c1, type: cable, from: "1", to: "2", cross_section: 240 mm2, length: 5 m}
  - {<<: *cable, id: c2, to: "3"}
)",
                                "m.yaml");
  ASSERT_EQ(m.buses.size(), 3u);
  EXPECT_EQ(m.buses[2].id, "3");
  EXPECT_DOUBLE_EQ(m.buses[2].nominal_voltage_v, 800.0);
  EXPECT_EQ(m.sources[0].bus, 0);  // a plain number names a bus too
  ASSERT_EQ(m.lines.size(), 2u);
  EXPECT_EQ(m.lines[1].id, "c2");
  EXPECT_EQ(m.lines[1].to, 2);
  EXPECT_DOUBLE_EQ(m.lines[1].cross_section_m2, 240e-6);
}

// ---- Templates ------------------------------------------------------------------------------

const std::string campus = R"(grid2gpu: 1
buses:
  - {id: dc800, kind: dc, voltage: 800 V}
components:
  - {id: src, type: dc_source, bus: dc800}
  - {id: tap, type: busbar, from: dc800, to: "row[2]/busway", cross_section: 500 mm2, length: 5 m}
templates:
  rack:
    ports: [feed]
    buses:
      - {id: bus54, kind: dc, voltage: 54 V}
    components:
      - {id: psu, type: dcdc, input: feed, output: bus54, rating: 150 kW, efficiency: 98 %}
      - {id: gpus, type: gpu_rack, bus: bus54, it_power: 130 kW}
  row:
    ports: [feed]
    buses:
      - {id: busway, kind: dc, voltage: 800 V}
    components:
      - {id: feeder, type: busbar, from: feed, to: busway, cross_section: 899 mm2, length: 30 m}
    instances:
      - {template: rack, id: rack, count: 3, connect: {feed: busway}}
      - {template: rack, id: spare, connect: {feed: busway}}
instances:
  - {template: row, id: row, count: 2, connect: {feed: dc800}}
)";

TEST(LoaderTemplates, ExpandsNestedInstancesWithPrefixedIds) {
  const ModelSpec m = load_yaml(campus, "campus.yaml");
  // 1 top bus + 2 rows x (1 busway + 4 racks x 1 bus).
  ASSERT_EQ(m.buses.size(), 1u + 2u * 5u);
  ASSERT_EQ(m.converters.size(), 8u);
  ASSERT_EQ(m.loads.size(), 8u);
  ASSERT_EQ(m.lines.size(), 1u + 2u);
  // Top-level components come first in each list.
  EXPECT_EQ(m.lines[0].id, "tap");
  std::set<std::string> ids;
  for (const auto& c : m.converters) ids.insert(c.id);
  EXPECT_TRUE(ids.count("row[1]/rack[1]/psu"));
  EXPECT_TRUE(ids.count("row[2]/rack[3]/psu"));
  EXPECT_TRUE(ids.count("row[2]/spare/psu"));
  EXPECT_FALSE(ids.count("row[3]/rack[1]/psu"));

  auto bus_named = [&](const std::string& id) {
    for (std::size_t i = 0; i < m.buses.size(); ++i)
      if (m.buses[i].id == id) return static_cast<BusIndex>(i);
    return no_bus;
  };
  for (const auto& c : m.converters) {
    const std::string prefix = c.id.substr(0, c.id.rfind('/'));
    const std::string row = c.id.substr(0, c.id.find('/'));
    EXPECT_EQ(c.input, bus_named(row + "/busway")) << c.id;
    EXPECT_EQ(c.output, bus_named(prefix + "/bus54")) << c.id;
    ASSERT_NE(origin_of(m, c.origin), nullptr) << c.id;
    EXPECT_EQ(origin_of(m, c.origin)->template_name, "rack");
    EXPECT_EQ(origin_of(m, c.origin)->instance_path, prefix);
    EXPECT_EQ(c.where.line, 13);  // written once, in the template
  }
  const Line& feeder = m.lines[1];
  EXPECT_EQ(feeder.id, "row[1]/feeder");
  EXPECT_EQ(feeder.from, 0);
  EXPECT_EQ(feeder.to, bus_named("row[1]/busway"));
  ASSERT_NE(origin_of(m, feeder.origin), nullptr);
  EXPECT_EQ(origin_of(m, feeder.origin)->template_name, "row");
  EXPECT_EQ(origin_of(m, feeder.origin)->instance_path, "row[1]");
  // The elements of one instance share its origin.
  EXPECT_EQ(m.buses[static_cast<std::size_t>(feeder.to)].origin, feeder.origin);
  // A top-level component may name a bus an instance created.
  EXPECT_EQ(m.lines[0].to, bus_named("row[2]/busway"));
  EXPECT_NE(m.lines[0].to, no_bus);
}

TEST(LoaderTemplates, OriginsAreSharedPerInstanceAndSurviveWriting) {
  const ModelSpec m = load_yaml(campus, "campus.yaml");
  // One origin per instance: 2 rows and 2 x 4 racks; top-level elements have none.
  EXPECT_EQ(m.origins.size(), 2u + 8u);
  EXPECT_EQ(m.buses[0].origin, no_origin);
  EXPECT_EQ(origin_of(m, m.buses[0].origin), nullptr);
  EXPECT_EQ(origin_of(m, m.lines[0].origin), nullptr);
  // Written out flat and read back, the elements of an instance still share one origin.
  const ModelSpec again = load_yaml(write_yaml(m), "again.yaml");
  EXPECT_EQ(again.origins.size(), m.origins.size());
  ASSERT_EQ(again.converters.size(), m.converters.size());
  for (std::size_t i = 0; i < m.converters.size(); ++i) {
    const Origin* a = origin_of(m, m.converters[i].origin);
    const Origin* b = origin_of(again, again.converters[i].origin);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(a->template_name, b->template_name);
    EXPECT_EQ(a->instance_path, b->instance_path);
    EXPECT_EQ(again.loads[i].origin, again.converters[i].origin) << again.loads[i].id;
  }
}

TEST(LoaderTemplates, AnOriginWrittenInATemplateIsReplacedByTheInstance) {
  const ModelSpec m = load_yaml(R"(grid2gpu: 1
buses:
  - {id: dc800, kind: dc, voltage: 800 V}
components:
  - {id: src, type: dc_source, bus: dc800}
templates:
  rack:
    ports: [feed]
    components:
      - {id: gpus, type: gpu_rack, bus: feed, it_power: 1 kW, origin: {template: x, path: y}}
instances:
  - {template: rack, id: rack, count: 2, connect: {feed: dc800}}
)",
                                "model.yaml");
  ASSERT_EQ(m.loads.size(), 2u);
  ASSERT_EQ(m.origins.size(), 2u);
  const Origin* second = origin_of(m, m.loads[1].origin);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->template_name, "rack");
  EXPECT_EQ(second->instance_path, "rack[2]");
}

TEST(LoaderTemplates, ExpandsAGigawattCampus) {
  // A 1 GW campus to the compute tray: 40 halls x 25 rows x 20 racks x 18 trays of 2.8 kW,
  // about 1.2 million elements from a few dozen lines.
  const std::string text = R"(grid2gpu: 1
buses:
  - {id: dc800, kind: dc, voltage: 800 V}
components:
  - {id: src, type: dc_source, bus: dc800}
templates:
  tray:
    ports: [feed]
    buses: [{id: b12, kind: dc, voltage: 12 V}]
    components:
      - {id: ibc, type: dcdc, input: feed, output: b12, rating: 3 kW, efficiency: 97.68 %}
      - {id: gpus, type: gpu_rack, bus: b12, it_power: 2777.7 W}
  rack:
    ports: [feed]
    buses: [{id: b54, kind: dc, voltage: 54 V}]
    components:
      - {id: psu, type: dcdc, input: feed, output: b54, rating: 60 kW, efficiency: 98 %}
    instances: [{template: tray, id: tray, count: 18, connect: {feed: b54}}]
  row:
    ports: [feed]
    buses: [{id: busway, kind: dc, voltage: 800 V}]
    components:
      - {id: feeder, type: busbar, from: feed, to: busway, cross_section: 899 mm2, length: 30 m}
    instances: [{template: rack, id: rack, count: 20, connect: {feed: busway}}]
  hall:
    ports: [feed]
    instances: [{template: row, id: row, count: 25, connect: {feed: feed}}]
instances:
  - {template: hall, id: hall, count: 40, connect: {feed: dc800}}
)";
  const ModelSpec m = load_yaml(text, "campus.yaml");
  constexpr std::size_t racks = std::size_t{40} * 25 * 20, trays = racks * 18;
  EXPECT_EQ(m.loads.size(), trays);
  EXPECT_EQ(m.converters.size(), racks + trays);
  EXPECT_EQ(m.buses.size(), 1 + std::size_t{40} * 25 + racks + trays);
  EXPECT_EQ(m.loads.back().id, "hall[40]/row[25]/rack[20]/tray[18]/gpus");
  const Origin* tray = origin_of(m, m.loads.back().origin);
  ASSERT_NE(tray, nullptr);
  EXPECT_EQ(tray->template_name, "tray");
  EXPECT_EQ(tray->instance_path, "hall[40]/row[25]/rack[20]/tray[18]");
  EXPECT_EQ(m.converters.back().origin, m.loads.back().origin) << "one origin per instance";
  // One origin per instance with elements of its own (halls have none).
  EXPECT_EQ(m.origins.size(), std::size_t{40} * 25 + racks + trays);
  EXPECT_EQ(m.loads.back().where.line, 12);
  const Converter& ibc = m.converters.back();
  EXPECT_EQ(m.buses[static_cast<std::size_t>(ibc.input)].id, "hall[40]/row[25]/rack[20]/b54");
  double it_w = 0.0;
  for (const auto& l : m.loads) it_w += nominal_load_power_w(l);
  EXPECT_NEAR(it_w, 1e9, 1e6);
  const std::size_t elements =
      m.buses.size() + m.lines.size() + m.converters.size() + m.loads.size() + m.sources.size();
  EXPECT_GT(elements, 1'000'000u);
}

TEST(LoaderTemplates, RecursionIsReportedNotExpanded) {
  const std::string text = R"(grid2gpu: 1
buses:
  - {id: dc800, kind: dc, voltage: 800 V}
templates:
  a:
    ports: [feed]
    instances: [{template: b, id: inner, connect: {feed: feed}}]
  b:
    ports: [feed]
    instances: [{template: a, id: inner, connect: {feed: feed}}]
instances:
  - {template: a, id: top, connect: {feed: dc800}}
)";
  const auto errors = yaml_errors(text);
  const core::Diagnostic* d = find(errors, "cannot contain themselves");
  ASSERT_NE(d, nullptr) << errors.to_string();
  EXPECT_TRUE(d->where.line == 7 || d->where.line == 10) << d->where.line;
}

TEST(LoaderTemplates, SelfInstanceAndTooManyElements) {
  auto errors = yaml_errors(R"(grid2gpu: 1
buses: [{id: dc, kind: dc, voltage: 800 V}]
templates:
  loop: {ports: [p], instances: [{template: loop, id: again, connect: {p: p}}]}
instances: [{template: loop, id: x, connect: {p: dc}}]
)");
  EXPECT_NE(find(errors, "cannot contain themselves"), nullptr) << errors.to_string();

  errors = yaml_errors(R"(grid2gpu: 1
buses: [{id: dc, kind: dc, voltage: 800 V}]
templates:
  t: {ports: [p], buses: [{id: b, kind: dc, voltage: 54 V}]}
  u: {ports: [p], instances: [{template: t, id: t, count: 1000000, connect: {p: p}}]}
instances: [{template: u, id: x, count: 1000000000, connect: {p: dc}}]
)");
  const core::Diagnostic* d = find(errors, "expand to more than");
  ASSERT_NE(d, nullptr) << errors.to_string();
  EXPECT_EQ(d->where.line, 6);
}

TEST(LoaderTemplates, PortAndTemplateMistakes) {
  const std::string text = R"(grid2gpu: 1
buses: [{id: dc800, kind: dc, voltage: 800 V}]
components: [{id: src, type: dc_source, bus: dc800}]
templates:
  rack:
    ports: [feed]
    buses: [{id: bus54, kind: dc, voltage: 54 V}]
    components:
      - {id: psu, type: dcdc, input: fed, output: bus54, rating: 1 kW, efficiency: 98 %}
      - {id: ld, type: load, bus: dc800, power: 1 kW}
instances:
  - {template: rakc, id: a, connect: {feed: dc800}}
  - {template: rack, id: b, connect: {fede: dc800}}
  - {template: rack, id: c, connect: {feed: dc8000}}
)";
  const auto errors = yaml_errors(text);
  expect_at(text, errors, "neither a port nor a bus", 9, "fed", "did you mean 'feed'?");
  // Template components see only ports and local buses, not the model's buses.
  expect_at(text, errors, "bus 'dc800' in template 'rack' is neither", 10, "dc800");
  expect_at(text, errors, "unknown template 'rakc'", 12, "rakc", "did you mean 'rack'?");
  expect_at(text, errors, "has no port 'fede'", 13, "fede", "did you mean 'feed'?");
  expect_at(text, errors, "port 'feed' of template 'rack' is not connected", 13, "{template");
  expect_at(text, errors, "there is no bus 'dc8000'", 14, "dc8000", "did you mean 'dc800'?");
}

// ---- Diagnostics: each kind at its line and column ------------------------------------------

TEST(LoaderDiagnostics, UnknownKeySuggestsTheClosestKey) {
  const std::string text =
      with("  - {id: c1, type: cable, from: ac1, to: ac2, cross_section: 95 mm2, lenght: 5 m}\n");
  const auto errors = yaml_errors(text);
  expect_at(text, errors, "unknown key 'lenght'", first_line, "lenght", "did you mean 'length'?");
  // The missing length is reported too, at the component.
  expect_at(text, errors, "has no 'length'", first_line, "{id: c1");
}

TEST(LoaderDiagnostics, DuplicateBusIdIsReportedOnce) {
  // The builder (to resolve references) and validate_model both see it; the user reads it once.
  const std::string text =
      "grid2gpu: 1\nbuses:\n  - {id: rack, kind: dc, voltage: 800 V}\n"
      "  - {id: rack, kind: dc, voltage: 800 V}\n"
      "components:\n  - {id: s, type: dc_source, bus: rack}\n";
  const auto errors = yaml_errors(text);
  EXPECT_EQ(errors.error_count(), 1u) << errors.to_string();
  expect_at(text, errors, "bus id 'rack' is used by another bus", 4, "{id: rack");
}

TEST(LoaderDiagnostics, UnitErrorsCarryTheUnitFix) {
  const std::string text = with(
      "  - {id: c1, type: cable, from: ac1, to: ac2, cross_section: 95 mm2, length: 5 M}\n"
      "  - {id: c2, type: cable, from: ac1, to: ac2, cross_section: 95 mm2, length: 5 kV}\n"
      "  - {id: c3, type: cable, from: ac1, to: ac2, cross_section: 95 mm2, length: 5 m, "
      "temperature: 90}\n");
  const auto errors = yaml_errors(text);
  expect_at(text, errors, "unknown unit \"M\"", first_line, "5 M");
  expect_at(text, errors, "but a length is expected", first_line + 1, "5 kV", "35 m");
  expect_at(text, errors, "temperature \"90\" has no unit", first_line + 2, "90}", "90 °C");
}

TEST(LoaderDiagnostics, PhysicsForbiddenValues) {
  const std::string text = with(
      "  - {id: c1, type: cable, from: ac1, to: ac2, cross_section: 95 mm2, length: -5 m}\n"
      "  - {id: c2, type: cable, from: ac1, to: ac2, cross_section: 0 mm2, length: 5 m}\n"
      "  - {id: r1, type: rectifier, input: ac1, output: dc1, rating: 1 MW, efficiency: 1.2}\n"
      "  - {id: r2, type: rectifier, input: ac1, output: dc2, rating: 1 MW, efficiency: 0 %}\n"
      "  - {id: l1, type: line, from: ac1, to: ac2, resistance: 0 ohm}\n"
      "  - {id: r3, type: dcdc, input: dc1, output: dc2, rating: 1 MW, efficiency: .nan}\n"
      "  - {id: r6, type: dcdc, input: dc1, output: dc2, rating: nan W, efficiency: 0.9}\n"
      "  - {id: r4, type: dcdc, input: dc1, output: dc2, rating: 0 W, efficiency: 0.9}\n"
      "  - {id: r5, type: dcdc, input: dc1, output: dc2, rating: 1 kW, efficiency: [[0.5, 0.9], "
      "[0.2, 0.95]]}\n"
      "  - {id: z1, type: load, bus: ac1, model: zip, power: 1 kW, zip: [0.5, 0.5, 0.5]}\n");
  const auto errors = yaml_errors(text);
  expect_at(text, errors, "length must be greater than zero, got -5 m", first_line, "-5 m");
  expect_at(text, errors, "cross_section must be greater than zero", first_line + 1, "0 mm2");
  expect_at(text, errors, "efficiency must not exceed 1", first_line + 2, "1.2");
  expect_at(text, errors, "'r2': efficiency must be greater than zero", first_line + 3, "0 %");
  expect_at(text, errors, "zero impedance", first_line + 4, "0 ohm", "breaker");
  expect_at(text, errors, "\".nan\" is not a finite number", first_line + 5, ".nan");
  expect_at(text, errors, "\"nan W\" is not a finite number", first_line + 6, "nan W");
  expect_at(text, errors, "rating must be greater than zero", first_line + 7, "0 W");
  expect_at(text, errors, "load fractions must increase", first_line + 8, "0.2, 0.95");
  expect_at(text, errors, "sum to 1.5, not 1", first_line + 9, "[0.5, 0.5, 0.5]");
}

TEST(LoaderDiagnostics, DuplicateIdsDanglingBusesAndTypes) {
  const std::string text = with(
      "  - {id: grid, type: utility, bus: ac2}\n"
      "  - {id: c1, type: cable, from: ac1, to: ac3, cross_section: 95 mm2, length: 5 m}\n"
      "  - {id: x1, type: cabel, from: ac1, to: ac2}\n"
      "  - {id: x2, type: load, bus: ac1, power: [1, 2]}\n"
      "  - {id: x3, type: load, bus: ac1}\n"
      "  - just a string\n");
  const auto errors = yaml_errors(text);
  expect_at(text, errors, "component id 'grid' is used by another component", first_line,
            "{id: grid");
  expect_at(text, errors, "there is no bus 'ac3'", first_line + 1, "ac3", "did you mean");
  expect_at(text, errors, "unknown component type 'cabel'", first_line + 2, "cabel",
            "did you mean 'cable'?");
  expect_at(text, errors, "'power' is a list", first_line + 3, "[1, 2]");
  expect_at(text, errors, "load 'x3' has no 'power'", first_line + 4, "{id: x3", "add 'power:");
  expect_at(text, errors, "a component must be a map", first_line + 5, "just");
}

TEST(LoaderDiagnostics, EveryProblemOfAnElementIsReported) {
  const std::string text = with(
      "  - {id: k, type: dcdc, input: dc1, output: dc3, rating: 3 MW, efficiency: 1.05}\n"
      "  - {id: c, type: cable, from: dc1, to: dc2, cross_section: 240, length: 10 m}\n");
  const auto errors = yaml_errors(text);
  // The bad efficiency does not hide the unknown bus, nor the other way round.
  expect_at(text, errors, "there is no bus 'dc3'", first_line, "dc3", "did you mean");
  expect_at(text, errors, "efficiency must not exceed 1", first_line, "1.05");
  // A bare number is SI: 240 m2 is no cable, and the fix says so.
  expect_at(text, errors, "cross_section 240 m2 is not plausible", first_line + 1, "240",
            "write '240 mm2'");
}

TEST(LoaderDiagnostics, BusKindsCheckedByValidation) {
  const std::string text = with(
      "  - {id: t1, type: transformer, hv: dc1, lv: ac2, rating: 1 MVA, impedance: 6 %}\n"
      "  - {id: r1, type: rectifier, input: dc1, output: ac2, rating: 1 MW, efficiency: 0.97}\n"
      "  - {id: g1, type: generator, bus: dc2, power: 1 MW}\n");
  const auto errors = yaml_errors(text);
  expect_at(text, errors, "a transformer works on AC only", first_line, "{id: t1");
  expect_at(text, errors, "input is on DC bus 'dc1'", first_line + 1, "{id: r1");
  expect_at(text, errors, "output is on AC bus 'ac2'", first_line + 1, "{id: r1");
  expect_at(text, errors, "is on DC bus 'dc2'; generator must be on an AC bus", first_line + 2,
            "{id: g1");
}

TEST(LoaderDiagnostics, ManyErrorsAreReportedAtOnceInFileOrder) {
  const std::string text = R"(grid2gpu: 1
nmae: typo
buses:
  - {id: a, kind: acc, voltage: 415 V}
  - {id: b, kind: dc, voltage: 800 V}
  - {id: b, kind: dc, voltage: 800 volts}
components:
  - {id: c, type: cable, from: a, to: zz, length: 3 m, cross_section: 10 mm2}
  - {id: d, type: storage, bus: b, power: 1 MW, rating: 1 MW, energy: -1 J}
)";
  const auto errors = yaml_errors(text);
  EXPECT_GE(errors.error_count(), 5u) << errors.to_string();
  expect_at(text, errors, "unknown key 'nmae'", 2, "nmae", "did you mean 'name'?");
  expect_at(text, errors, "kind 'acc'", 4, "acc", "did you mean 'ac'?");
  expect_at(text, errors, "unknown unit \"volts\"", 6, "800 volts");
  expect_at(text, errors, "there is no bus 'zz'", 8, "zz");
  // Bus 'a' was left out for its error; naming it is not a second error.
  EXPECT_EQ(find(errors, "no bus 'a'"), nullptr) << errors.to_string();
  expect_at(text, errors, "energy must not be negative", 9, "-1 J");
  int previous = 0;
  for (const auto& d : errors.items()) {
    EXPECT_GE(d.where.line, previous) << "diagnostics are in file order";
    previous = d.where.line;
  }
}

TEST(LoaderDiagnostics, FileLevelProblems) {
  const core::Diagnostic* d = nullptr;
  auto errors = yaml_errors("");
  EXPECT_NE(find(errors, "empty"), nullptr);
  errors = yaml_errors("- a\n- b\n");
  EXPECT_NE(find(errors, "must be a map"), nullptr);
  errors = yaml_errors("name: x\nbuses: []\n");
  EXPECT_NE(find(errors, "not a grid2gpu model"), nullptr);
  errors = yaml_errors("grid2gpu: 2\nbuses: []\n");
  d = find(errors, "unsupported format version '2'");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->where.line, 1);
  EXPECT_EQ(d->where.column, 11);
  errors = yaml_errors(
      "grid2gpu: 1\nbuses:\n  - {id: a, kind: ac, voltage: 1 kV}\n  - {id: a, kind: ac, "
      "voltage: 1 kV}\n");
  d = find(errors, "bus id 'a' is used by another bus");
  ASSERT_NE(d, nullptr) << errors.to_string();
  EXPECT_EQ(d->where.line, 4);
  errors = yaml_errors("grid2gpu: 1\n");
  EXPECT_NE(find(errors, "has no 'buses'"), nullptr);
  errors = yaml_errors("grid2gpu: 1\nbuses: []\n---\ngrid2gpu: 1\n");
  d = find(errors, "unexpected text after the end of the YAML document");
  ASSERT_NE(d, nullptr) << errors.to_string();
  EXPECT_EQ(d->where.line, 3);
  // yaml-cpp 0.7 reports endless empty documents after this; the loader asks for two at most.
  errors = yaml_errors("{},");
  d = find(errors, "unexpected text after the end of the YAML document");
  ASSERT_NE(d, nullptr) << errors.to_string();
  EXPECT_EQ(d->where.column, 3);
  errors = yaml_errors("grid2gpu: 1\nbuses: []\n{a: 1}: x\n? [1, 2]\n: y\n");
  d = find(errors, "a key must be a plain name");
  ASSERT_NE(d, nullptr) << errors.to_string();
  EXPECT_EQ(d->where.line, 3);
}

TEST(LoaderDiagnostics, MalformedYamlGivesOneDiagnosticAtTheParserPosition) {
  const std::string text = "grid2gpu: 1\nbuses:\n  - {id: a, kind: ac, voltage: 415 V\n";
  const auto errors = yaml_errors(text);
  ASSERT_EQ(errors.items().size(), 1u);
  EXPECT_NE(errors.items()[0].message.find("YAML syntax error"), std::string::npos);
  EXPECT_GE(errors.items()[0].where.line, 3);
  const auto tabs = yaml_errors("grid2gpu: 1\nbuses:\n\t- {id: a}\n");
  ASSERT_EQ(tabs.items().size(), 1u);
  EXPECT_EQ(tabs.items()[0].where.line, 3);
}

TEST(LoaderDiagnostics, MalformedJsonGivesOneDiagnosticAtTheError) {
  const std::string text =
      "{\n  \"grid2gpu\": 1,\n  \"buses\": [\n    {\"id\": \"a\",, \"kind\": "
      "\"ac\"}\n  ]\n}\n";
  const auto errors = json_errors(text);
  ASSERT_EQ(errors.items().size(), 1u);
  EXPECT_EQ(errors.items()[0].where.line, 4);
  EXPECT_EQ(errors.items()[0].where.column, 16);
  EXPECT_NE(errors.items()[0].message.find("JSON syntax error"), std::string::npos);
  for (const std::string& bad :
       std::vector<std::string>{"", "{", "[1, 2]", "{\"a\": 01}", "{\"a\": \"x}", "{} {}",
                                std::string(300, '['), "{\"a\": tru}"}) {
    const auto e = json_errors(bad);
    EXPECT_EQ(e.items().size(), 1u) << bad << "\n" << e.to_string();
  }
}

TEST(LoaderDiagnostics, JsonErrorsHaveLineAndColumn) {
  const std::string text = R"({
  "grid2gpu": 1,
  "buses": [
    {"id": "a", "kind": "ac", "voltage": "415 V"},
    {"id": "b", "kind": "dc", "voltage": "800 V"},
    {"id": "c", "kind": "dc", "voltage": "800 V", "vmin": 0.9}
  ],
  "components": [
    {"id": "g", "type": "utility", "bus": "a"},
    {"id": "c", "type": "cable", "from": "a", "to": "b", "cross_section": "95 mm2", "length": -1},
    {"id": "d", "type": "cable", "from": "a", "to": "b", "cross_section": "95 mm2", "length": 1}
  ]
})";
  const auto errors = json_errors(text);
  const core::Diagnostic* key = find(errors, "unknown key 'vmin'");
  ASSERT_NE(key, nullptr) << errors.to_string();
  EXPECT_EQ(key->where.file, "model.json");
  EXPECT_EQ(key->where.line, 6);
  EXPECT_EQ(key->where.column, column_of(text, 6, "\"vmin\""));
  EXPECT_NE(key->fix.find("did you mean 'v_min'?"), std::string::npos);
  const core::Diagnostic* length = find(errors, "length must be greater than zero");
  ASSERT_NE(length, nullptr);
  EXPECT_EQ(length->where.line, 10);
  EXPECT_EQ(length->where.column, column_of(text, 10, "-1"));
  const core::Diagnostic* kinds = find(errors, "connects AC bus 'a' to DC bus 'b'");
  ASSERT_NE(kinds, nullptr) << errors.to_string();
}

TEST(LoaderDiagnostics, AliasBombAndDeepNestingAreRefused) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c)
    bomb += fmt::format("{}: &{} [*{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}]\n", c, c,
                        char(c - 1), char(c - 1), char(c - 1), char(c - 1), char(c - 1),
                        char(c - 1), char(c - 1), char(c - 1), char(c - 1), char(c - 1));
  auto errors = yaml_errors(bomb);
  EXPECT_NE(find(errors, "aliases expand"), nullptr) << errors.to_string();

  errors = yaml_errors("grid2gpu: 1\nbuses: " + std::string(200, '[') + std::string(200, ']'));
  EXPECT_EQ(errors.items().size(), 1u) << errors.to_string();
}

// ---- JSON and YAML agree ----------------------------------------------------------------------

TEST(LoaderJson, SameModelAsYaml) {
  const std::string yaml = R"(grid2gpu: 1
name: both
frequency: 50 Hz
solver: {base_power: 2 MVA, max_iterations: 20}
buses:
  - {id: mv, kind: ac, voltage: 13.8 kV}
  - {id: lv, kind: ac, voltage: 415 V, v_min: 0.9}
  - {id: dc, kind: dc, voltage: 800 V}
components:
  - {id: grid, type: utility, bus: mv, angle: 0 deg}
  - {id: t1, type: transformer, hv: mv, lv: lv, rating: 2.5 MVA, impedance: 6 %, load_loss: 20 kW}
  - {id: sst, type: sst, input: lv, output: dc, rating: 1 MW, efficiency: [[0.1, 0.95], [1, 0.98]]}
  - {id: c1, type: cable, from: mv, to: mv2, cross_section: 240 mm2, length: 35 m, temperature: 90 °C}
  - {id: ld, type: load, bus: lv, power: 100 kW, power_factor: 0.95}
templates:
  rack:
    ports: [feed]
    buses: [{id: b54, kind: dc, voltage: 54 V}]
    components:
      - {id: psu, type: dcdc, input: feed, output: b54, rating: 150 kW, efficiency: 0.98}
      - {id: gpus, type: gpu_rack, bus: b54, it_power: 130 kW, idle_fraction: 0.3}
instances:
  - {template: rack, id: rack, count: 2, connect: {feed: dc}}
)";
  const std::string json = R"({"grid2gpu": 1, "name": "both", "frequency": "50 Hz",
  "solver": {"base_power": "2 MVA", "max_iterations": 20},
  "buses": [
    {"id": "mv", "kind": "ac", "voltage": "13.8 kV"},
    {"id": "lv", "kind": "ac", "voltage": "415 V", "v_min": 0.9},
    {"id": "dc", "kind": "dc", "voltage": 800}],
  "components": [
    {"id": "grid", "type": "utility", "bus": "mv", "angle": "0 deg"},
    {"id": "t1", "type": "transformer", "hv": "mv", "lv": "lv", "rating": "2.5 MVA",
     "impedance": "6 %", "load_loss": "20 kW"},
    {"id": "sst", "type": "sst", "input": "lv", "output": "dc", "rating": 1e6,
     "efficiency": [[0.1, 0.95], [1, "98 %"]]},
    {"id": "c1", "type": "cable", "from": "mv", "to": "mv2", "cross_section": "240 mm2",
     "length": 35, "temperature": "90 °C"},
    {"id": "ld", "type": "load", "bus": "lv", "power": "100 kW", "power_factor": 0.95}],
  "templates": {"rack": {"ports": ["feed"],
    "buses": [{"id": "b54", "kind": "dc", "voltage": "54 V"}],
    "components": [
      {"id": "psu", "type": "dcdc", "input": "feed", "output": "b54", "rating": "150 kW",
       "efficiency": 0.98},
      {"id": "gpus", "type": "gpu_rack", "bus": "b54", "it_power": "130 kW",
       "idle_fraction": 0.3}]}},
  "instances": [{"template": "rack", "id": "rack", "count": 2, "connect": {"feed": "dc"}}]
})";
  // Both name a bus that does not exist (mv2) in the same place: same diagnostic, same message.
  const auto yaml_bad = yaml_errors(yaml);
  const auto json_bad = json_errors(json);
  ASSERT_EQ(yaml_bad.items().size(), json_bad.items().size());
  for (std::size_t i = 0; i < yaml_bad.items().size(); ++i) {
    EXPECT_EQ(yaml_bad.items()[i].message, json_bad.items()[i].message);
    EXPECT_EQ(yaml_bad.items()[i].fix, json_bad.items()[i].fix);
  }
  auto fixed_yaml = yaml;
  auto fixed_json = json;
  const std::string after_yaml = "  - {id: dc, kind: dc, voltage: 800 V}\n";
  fixed_yaml.insert(fixed_yaml.find(after_yaml) + after_yaml.size(),
                    "  - {id: mv2, kind: ac, voltage: 13.8 kV}\n");
  const std::string after_json = R"({"id": "dc", "kind": "dc", "voltage": 800})";
  fixed_json.insert(fixed_json.find(after_json) + after_json.size(),
                    R"(, {"id": "mv2", "kind": "ac", "voltage": "13.8 kV"})");
  const ModelSpec a = load_yaml(fixed_yaml, "m.yaml");
  const ModelSpec b = load_json(fixed_json, "m.json");
  expect_equal(a, b);
  EXPECT_EQ(a.converters.size(), 3u);
  EXPECT_EQ(b.source_file, "m.json");
}

TEST(LoaderJson, LoadsALargeModel) {
  constexpr int n = 100000;
  std::string json = R"({"grid2gpu": 1, "name": "big", "buses": [)";
  for (int i = 0; i < n; ++i)
    json += fmt::format(R"({}{{"id": "b{}", "kind": "dc", "voltage": "800 V"}})", i ? "," : "", i);
  json += R"(], "components": [{"id": "src", "type": "dc_source", "bus": "b0"})";
  for (int i = 1; i < n; ++i)
    json += fmt::format(
        R"(, {{"id": "c{}", "type": "cable", "from": "b{}", "to": "b{}", "cross_section": "240 mm2", "length": {}}})",
        i, i - 1, i, 5 + i % 40);
  for (int i = 0; i < n; i += 2)
    json +=
        fmt::format(R"(, {{"id": "l{}", "type": "load", "bus": "b{}", "power": "10 kW"}})", i, i);
  json += "]}";
  const ModelSpec m = load_json(json, "big.json");
  EXPECT_EQ(m.buses.size(), static_cast<std::size_t>(n));
  EXPECT_EQ(m.lines.size(), static_cast<std::size_t>(n - 1));
  EXPECT_EQ(m.loads.size(), static_cast<std::size_t>(n / 2));
  EXPECT_EQ(m.lines.back().to, n - 1);
}

TEST(LoaderJson, EscapedTextAndInPlaceReadingGiveTheSameModel) {
  // Keys and strings with escapes are unescaped; those without are read where they lie.
  const std::string text = R"({"grid2gpu": 1, "na\u006de": "h\u00e4ll \"A\"",
  "buses": [{"id": "b\u0031", "kind": "dc", "voltage": 800}, {"id": "b2", "kind": "dc", "voltage": 800}],
  "components": [{"id": "s", "type": "dc_source", "bus": "b1"},
    {"id": "c", "type": "cable", "from": "b1", "to": "b\u0032", "cross_section": "240 mm2", "length": 1e1},
    {"id": "l", "type": "load", "bus": "b2", "power": "1 kW"}]})";
  const ModelSpec copied = load_json(text, "m.json");
  EXPECT_EQ(copied.name, "h\u00e4ll \"A\"");
  EXPECT_EQ(copied.buses[0].id, "b1");
  EXPECT_EQ(copied.lines[0].to, 1);
  EXPECT_DOUBLE_EQ(copied.lines[0].length_m, 10.0);

  std::string padded = text;
  padded.reserve(text.size() + json_padding);
  LoadOptions in_place;
  in_place.readable_after_text = padded.capacity() - padded.size();
  ASSERT_GE(in_place.readable_after_text, json_padding);
  expect_equal(copied, load_json(padded, "m.json", in_place));

  // A diagnostic at an escaped key points at the key as written.
  const std::string bad = "{\"grid2gpu\": 1,\n  \"fr\\u0065quncy\": 50, \"buses\": []}";
  const auto errors = json_errors(bad);
  const core::Diagnostic* key = find(errors, "unknown key 'frequncy'");
  ASSERT_NE(key, nullptr) << errors.to_string();
  EXPECT_EQ(key->where.line, 2);
  EXPECT_EQ(key->where.column, 3);
}

// A long component list is read by two threads (builder.cpp): the model and the diagnostics must
// be those of one reader, whichever half an element, an origin or a reference falls in.
TEST(LoaderJson, LongComponentListsGiveTheSameModelAsOneReader) {
  constexpr int n = 20000;  // cables, well above the split threshold
  auto model = [&](bool with_errors) {
    std::string json = R"({"grid2gpu": 1, "name": "long",
"templates": {"hall": {"ports": ["feed"], "buses": [{"id": "x", "kind": "dc", "voltage": 800}],
  "components": [{"id": "c", "type": "cable", "from": "feed", "to": "x", "cross_section": "240 mm2", "length": 1}]}},
"instances": [{"template": "hall", "id": "row", "connect": {"feed": "b0"}}],
"buses": [)";
    for (int i = 0; i <= n; ++i)
      json += fmt::format(R"({}{{"id": "b{}", "kind": "dc", "voltage": 800}})", i ? "," : "", i);
    json += "],\n\"components\": [{\"id\": \"s\", \"type\": \"dc_source\", \"bus\": \"b0\"}";
    for (int i = 1; i <= n; ++i) {
      const bool bad = with_errors && (i == 10 || i == n - 10);
      const std::string origin =
          i % 1000 == 0 ? fmt::format(R"(, "origin": {{"template": "t", "path": "p{}"}})", i % 3)
                        : std::string();
      json += fmt::format(
          ",\n{{\"id\": \"c{}\", \"type\": \"cable\", \"from\": \"b{}\", \"to\": \"{}\", "
          "\"cross_section\": \"240 mm2\", \"length\": {}{}}}",
          i, i - 1, bad ? "nowhere" : fmt::format("b{}", i), 1 + i % 7, origin);
    }
    // The last component names a bus made by the instance.
    json += ",\n{\"id\": \"l\", \"type\": \"load\", \"bus\": \"row/x\", \"power\": \"1 kW\"}]}";
    return json;
  };

  const ModelSpec m = load_json(model(false), "long.json");
  ASSERT_EQ(m.lines.size(), static_cast<std::size_t>(n + 1));  // n top-level, 1 from the instance
  for (int i = 1; i <= n; ++i) {
    const Line& line = m.lines[static_cast<std::size_t>(i - 1)];
    ASSERT_EQ(line.id, fmt::format("c{}", i));
    ASSERT_EQ(line.from, i - 1);
    ASSERT_EQ(line.to, i);
    ASSERT_DOUBLE_EQ(line.length_m, 1 + i % 7);
    ASSERT_EQ(line.where.line, 6 + i);
    if (i % 1000 == 0) {
      const Origin* origin = origin_of(m, line.origin);
      ASSERT_NE(origin, nullptr) << line.id;
      EXPECT_EQ(origin->instance_path, fmt::format("p{}", i % 3));
    } else {
      ASSERT_EQ(line.origin, no_origin);
    }
  }
  // Three explicit origins, named in both halves and said once each, and the instance's own.
  EXPECT_EQ(m.origins.size(), 4u);
  ASSERT_EQ(m.loads.size(), 1u);
  EXPECT_EQ(m.buses[static_cast<std::size_t>(m.loads[0].bus)].id, "row/x");

  // An unknown bus in the head and one in the tail are both reported, in file order.
  const auto errors = json_errors(model(true));
  std::vector<int> lines;
  for (const auto& d : errors.items())
    if (d.message == "there is no bus 'nowhere'") lines.push_back(d.where.line);
  EXPECT_EQ(lines, (std::vector<int>{6 + 10, 6 + n - 10})) << errors.to_string();
}

// ---- Writer ----------------------------------------------------------------------------------

TEST(LoaderWriter, RoundTripsTheExamples) {
  for (const char* name : {"800vdc-gpu-hall.yaml", "legacy-415vac-small.yaml"}) {
    const ModelSpec original = test::load_yaml_file(test::example_path(name));
    const std::string yaml = write_yaml(original);
    const ModelSpec again = load_yaml(yaml, "again.yaml");
    SCOPED_TRACE(name);
    expect_equal(original, again);
    EXPECT_EQ(write_yaml(again), yaml);
  }
}

// Cross-sections are written in mm2 and per-length reactances in mohm/m, as people write them,
// whenever that text reads back to the same double; otherwise in SI.
TEST(LoaderWriter, WritesCrossSectionsInMm2AndReadsThemBack) {
  ModelSpec m;
  for (const char* id : {"a", "b"}) {
    Bus bus;
    bus.id = id;
    bus.kind = BusKind::ac;
    bus.nominal_voltage_v = 415.0;
    m.buses.push_back(bus);
  }
  // As the sizing tables and the loader compute them (mm2 x 1e-6), plus areas computed otherwise
  // (a third of a mm2; 2.5e-5 m2 as 0.1 x 2.5e-4), written in mm2 or SI, whichever is exact.
  const double areas[] = {35 * 1e-6, 59.5 * 1e-6, 999 * 1e-6, 1.5 * 1e-6, 1e-6 / 3.0, 0.1 * 2.5e-4};
  for (const double area : areas) {
    Line line;
    line.id = fmt::format("l{}", m.lines.size());
    line.from = 0;
    line.to = 1;
    line.cross_section_m2 = area;
    line.length_m = 30.0;
    line.reactance_ohm_per_m = 0.095e-3;
    m.lines.push_back(line);
  }
  const std::string yaml = write_yaml(m);
  for (const char* text :
       {"cross_section: 35 mm2,", "cross_section: 59.5 mm2,", "cross_section: 999 mm2,",
        "cross_section: 1.5 mm2,", "reactance_per_length: 0.095 mohm/m"})
    EXPECT_NE(yaml.find(text), std::string::npos) << text << "\n" << yaml;
  const ModelSpec again = load_yaml(yaml, "again.yaml");
  ASSERT_EQ(again.lines.size(), m.lines.size());
  for (std::size_t i = 0; i < m.lines.size(); ++i) {
    EXPECT_EQ(again.lines[i].cross_section_m2, m.lines[i].cross_section_m2) << yaml;
    EXPECT_EQ(again.lines[i].reactance_ohm_per_m, m.lines[i].reactance_ohm_per_m);
  }
  expect_equal(m, again);
}

TEST(LoaderWriter, RoundTripsEveryFieldBitForBit) {
  ModelSpec m;
  m.name = "odd \"name\": with # signs\tand tabs";
  m.frequency_hz = 50.0;
  m.solver.base_power_va = 100e6;
  m.solver.tolerance_pu = 1.0 / 3.0 * 1e-9;
  m.solver.flat_start = false;
  auto add_bus = [&](std::string id, BusKind kind, double v) {
    Bus b;
    b.id = std::move(id);
    b.kind = kind;
    b.nominal_voltage_v = v;
    m.buses.push_back(b);
  };
  add_bus("1", BusKind::ac, 138e3);
  add_bus("row[1]/bus 2", BusKind::ac, 138e3);
  add_bus("true", BusKind::ac, 13.8e3);
  add_bus("dc", BusKind::dc, 800.0 / 3.0);
  m.buses[1].v_min_pu = 0.9123456789;
  m.origins.push_back({"row", "row[1]"});
  m.buses[1].origin = 0;
  Source g;
  g.id = "gen 1";
  g.type = SourceType::generator;
  g.bus = 1;
  g.p_set_w = 123.456e6;
  g.q_max_var = 0.1;
  g.v_set_pu = 1.0 + 1e-15;
  m.sources.push_back(g);
  Source u;
  u.id = "slack";
  u.bus = 0;
  u.angle_deg = -0.1;
  m.sources.push_back(u);
  Line l;
  l.id = "branch1";
  l.type = LineType::overhead;
  l.from = 0;
  l.to = 1;
  l.r_ohm = 0.1 / 7.0;
  l.x_ohm = -0.2;
  l.b_total_s = 1e-7 / 3.0;
  l.ampacity_a = 418.3697;
  m.lines.push_back(l);
  Line c;
  c.id = "cable";
  c.from = 0;
  c.to = 1;
  c.material = Material::aluminium;
  c.cross_section_m2 = 240e-6;
  c.length_m = 1.0 / 3.0;
  c.temperature_c = 89.9;
  c.conductors_per_pole = 3;
  c.parallel_runs = 2;
  c.in_service = false;
  m.lines.push_back(c);
  Transformer t;
  t.id = "branch2";
  t.hv = 1;
  t.lv = 2;
  t.tap_ratio = 0.978;
  t.phase_shift_deg = -3.0;
  t.r_system_pu = 0.00123;
  t.x_system_pu = 0.0456;
  t.b_system_pu = 0.00789;
  m.transformers.push_back(t);
  Transformer t2;
  t2.id = "t2";
  t2.hv = 0;
  t2.lv = 2;
  t2.rating_va = 2.5e6;
  t2.z_pct = 5.75;
  t2.r_pct = 0.9;
  t2.load_loss_w = 1e3 / 3.0;
  m.transformers.push_back(t2);
  Switch s;
  s.id = "sw";
  s.from = 0;
  s.to = 1;
  s.closed = false;
  s.rating_a = 630;
  m.switches.push_back(s);
  Converter k;
  k.id = "inv";
  k.type = ConverterType::inverter;
  k.subtype = ConverterSubtype::battery_converter;
  k.input = 3;
  k.output = 2;
  k.rating_w = 1e6;
  k.efficiency = {{0.1, 0.9}, {0.5, 0.97}, {1.0, 0.965}};
  k.control = ConverterControl::power;
  k.p_set_w = -2e5;
  k.output_power_factor = 0.95;
  m.converters.push_back(k);
  Converter r;
  r.id = "rect";
  r.type = ConverterType::rectifier;
  r.input = 2;
  r.output = 3;
  r.rating_w = 1e6;
  r.efficiency = {{1.0, 0.985}};
  r.v_set_pu = 1.0 / 0.99;
  m.converters.push_back(r);
  Load z;
  z.id = "zip";
  z.model = LoadModel::zip;
  z.bus = 2;
  z.p_w = -1e3;
  z.q_var = 2e3;
  z.zip_z = 0.25;
  z.zip_i = 0.25;
  z.zip_p = 0.5;
  m.loads.push_back(z);
  Load shunt;
  shunt.id = "shunt1";
  shunt.model = LoadModel::constant_impedance;
  shunt.bus = 1;
  shunt.q_var = -19e6;
  m.loads.push_back(shunt);
  Load rack;
  rack.id = "rack";
  rack.model = LoadModel::gpu_rack;
  rack.bus = 3;
  rack.it_power_w = 130e3;
  rack.idle_fraction = 0.3;
  rack.utilisation = 0.7;
  rack.p_w = nominal_load_power_w(rack);
  m.origins.push_back({"rack", "row[1]/rack[2]"});
  rack.origin = 1;
  m.loads.push_back(rack);
  Storage b;
  b.id = "bess";
  b.bus = 1;
  b.p_set_w = 1e5;
  b.q_set_var = -3e4;
  b.energy_j = 7.2e9;
  m.storage.push_back(b);

  const std::string yaml = write_yaml(m);
  const ModelSpec again = load_yaml(yaml, "again.yaml");
  expect_equal(m, again);
}

// ---- Schema and documentation ---------------------------------------------------------------

TEST(LoaderSchema, EveryAcceptedTypeIsInTheJsonSchema) {
  const auto path = test::source_dir() / "docs" / "model.schema.json";
  if (std::getenv("G2G_UPDATE_SCHEMA") != nullptr) {
    std::ofstream(path) << detail::model_json_schema();
  }
  const std::string text = read_text(path);
  const auto schema = nlohmann::json::parse(text);  // throws if it is not JSON
  EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
  EXPECT_EQ(text, detail::model_json_schema())
      << "docs/model.schema.json is out of date: run the unit tests with G2G_UPDATE_SCHEMA=1";
  std::set<std::string> in_schema;
  for (const auto& t : schema["$defs"]["component"]["properties"]["type"]["enum"])
    in_schema.insert(t.get<std::string>());

  // Every type the loader accepts: each loads (here as a minimal component of that type), and
  // each appears in the schema with exactly the loader's keys.
  for (const auto type : detail::component_type_names()) {
    const std::string name(type);
    EXPECT_TRUE(in_schema.count(name)) << name;
    const auto* section = detail::find_section(type);
    ASSERT_NE(section, nullptr);
    std::set<std::string> loader_keys, schema_keys;
    for (const auto& k : section->keys) loader_keys.insert(std::string(k.name));
    for (const auto& [k, v] : schema["$defs"][name]["properties"].items()) schema_keys.insert(k);
    EXPECT_EQ(loader_keys, schema_keys) << name;
    const auto errors = yaml_errors(with(fmt::format("  - {{id: x, type: {}}}\n", name)));
    EXPECT_EQ(find(errors, "unknown component type"), nullptr) << name;
  }
  const auto errors = yaml_errors(with("  - {id: x, type: flux_capacitor}\n"));
  EXPECT_NE(find(errors, "unknown component type 'flux_capacitor'"), nullptr);
  EXPECT_FALSE(in_schema.count("flux_capacitor"));
}

TEST(LoaderSchema, DocsListEveryKey) {
  const auto path = test::source_dir() / "docs" / "model-format.md";
  std::string text = read_text(path);
  const std::string begin = "<!-- BEGIN GENERATED KEY TABLES -->\n";
  const std::string end = "<!-- END GENERATED KEY TABLES -->";
  const auto from = text.find(begin);
  auto to = text.find(end);
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  const std::string tables = detail::model_key_tables();
  if (std::getenv("G2G_UPDATE_SCHEMA") != nullptr) {
    text.replace(from + begin.size(), to - from - begin.size(), tables);
    std::ofstream(path) << text;
    to = text.find(end);
  }
  EXPECT_EQ(text.substr(from + begin.size(), to - from - begin.size()), tables)
      << "docs/model-format.md key tables are out of date: run the unit tests with "
         "G2G_UPDATE_SCHEMA=1";
  // Every component type has a worked example in the document.
  for (const auto type : detail::component_type_names())
    EXPECT_NE(text.find(fmt::format("type: {},", type)), std::string::npos) << type;
}

TEST(LoaderExamples, ExamplesLoad) {
  const ModelSpec hall = test::load_yaml_file(test::example_path("800vdc-gpu-hall.yaml"));
  EXPECT_EQ(hall.loads.size(), 32u);
  EXPECT_EQ(hall.converters.size(), 1u + 32u * 2u);
  EXPECT_EQ(hall.storage.size(), 1u);
  double it_w = 0.0;
  for (const auto& l : hall.loads) it_w += nominal_load_power_w(l);
  EXPECT_DOUBLE_EQ(it_w, 32 * 130e3);
  const ModelSpec legacy = test::load_yaml_file(test::example_path("legacy-415vac-small.yaml"));
  EXPECT_GE(legacy.transformers.size(), 1u);
  bool has_ups = false;
  for (const auto& c : legacy.converters) has_ups = has_ups || c.type == ConverterType::ups;
  EXPECT_TRUE(has_ups);
}

}  // namespace
}  // namespace g2g::model

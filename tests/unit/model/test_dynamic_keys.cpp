// The time-domain keys of a model (docs/dynamic.md, "Model keys for simulation"): read with
// units and ranges, written back by write_yaml, and model::simulation_requirements listing what
// a simulation still needs at each element.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/units.hpp"
#include "g2g/model/dynamic_requirements.hpp"
#include "g2g/model/loader.hpp"
#include "g2g/model/spec.hpp"
#include "support/diagnostic_checks.hpp"
#include "support/test_support.hpp"

namespace g2g::model {
namespace {

// Every dynamic key, with units as people write them. Line numbers matter to the tests below.
const std::string full = R"(grid2gpu: 1
buses:
  - {id: mv, kind: ac, voltage: 13.8 kV}
  - {id: dc800, kind: dc, voltage: 800 V, capacitance: 2 mF}
  - {id: rack, kind: dc, voltage: 800 V}
  - {id: bus54, kind: dc, voltage: 54 V}
components:
  - {id: grid, type: utility, bus: mv, rating: 500 MVA, short_circuit_power: 250 MVA, x_r_ratio: 10, inertia: 5 s, frequency_droop: 5 %}
  - {id: sst, type: sst, input: mv, output: dc800, rating: 2 MW, efficiency: 98 %, output_capacitance: 20 mF, output_esr: 1 mohm, voltage_bandwidth: 50 Hz, damping: 0.7, current_limit: 120 %, ramp_rate: 2 MW/s, droop: 2 %}
  - {id: feed, type: cable, from: dc800, to: rack, cross_section: 240 mm2, length: 40 m, inductance_per_length: 0.3 uH/m}
  - {id: psu, type: dcdc, input: rack, output: bus54, rating: 150 kW, efficiency: 97.5 %, output_capacitance: 4.7 mF, input_capacitance: 470 uF, input_esr: 40 mohm, voltage_bandwidth: 200 Hz, damping: 1.0, current_limit: 3.2 kA, undervoltage_off: 700 V, undervoltage_on: 740 V, restart_delay: 100 ms}
  - {id: gpus, type: gpu_rack, bus: bus54, it_power: 130 kW}
  - {id: bbu, type: storage, bus: bus54, power: 0 W, rating: 50 kW, technology: battery, ocv: [[0, 42 V], [50 %, 51 V], [1, 54.6 V]], internal_resistance: 20 mohm, rc_pair: {resistance: 5 mohm, capacitance: 2 kF}, capacity: 100 Ah, soc_min: 10 %, soc_max: 90 %, soc_initial: 80 %, max_current: 1 kA}
  - {id: caps, type: storage, bus: bus54, power: 0 W, technology: supercapacitor, capacitance: 10 F, esr: 50 mohm, max_power: 20 kW}
  - {id: follow, type: dcdc, input: dc800, output: rack, rating: 100 kW, efficiency: 98 %, control: power, power: 10 kW, ramp_rate: 50 kW/s}
)";

using test::column_of;
using test::expect_at;
using test::find;
using test::yaml_errors;

// `full` with `from` replaced by `to` (once; it must be there).
std::string edited(std::string_view from, std::string_view to) {
  std::string text = full;
  const auto at = text.find(from);
  if (at == std::string::npos)
    ADD_FAILURE() << "not in the model: " << from;
  else
    text.replace(at, from.size(), to);
  return text;
}

const Converter& converter_named(const ModelSpec& m, std::string_view id) {
  for (const auto& c : m.converters)
    if (c.id == id) return c;
  throw std::runtime_error(fmt::format("no converter {}", id));
}

const Storage& storage_named(const ModelSpec& m, std::string_view id) {
  for (const auto& s : m.storage)
    if (s.id == id) return s;
  throw std::runtime_error(fmt::format("no storage {}", id));
}

TEST(DynamicKeysUnits, NewUnitsParse) {
  using core::Dimension;
  using core::parse_quantity;
  EXPECT_DOUBLE_EQ(parse_quantity("0.3 uH/m", Dimension::inductance_per_length).value, 0.3e-6);
  EXPECT_DOUBLE_EQ(parse_quantity("300 nH/m", Dimension::inductance_per_length).value, 300e-9);
  EXPECT_DOUBLE_EQ(parse_quantity("1e-6 H/m", Dimension::inductance_per_length).value, 1e-6);
  EXPECT_DOUBLE_EQ(parse_quantity("2 MW/s", Dimension::power_rate).value, 2e6);
  EXPECT_DOUBLE_EQ(parse_quantity("50 kW/s", Dimension::power_rate).value, 5e4);
  EXPECT_DOUBLE_EQ(parse_quantity("100 Ah", Dimension::charge).value, 3.6e5);
  EXPECT_DOUBLE_EQ(parse_quantity("2.5 kAh", Dimension::charge).value, 9e6);
  EXPECT_DOUBLE_EQ(parse_quantity("500 mAh", Dimension::charge).value, 1800.0);
  // A bare C is still a temperature, a prefixed one a charge.
  EXPECT_FALSE(parse_quantity("5 C", Dimension::charge).ok);
  EXPECT_TRUE(parse_quantity("5 C", Dimension::temperature).ok);
  // The wrong dimension is named.
  const auto wrong = parse_quantity("0.3 uH", Dimension::inductance_per_length);
  ASSERT_FALSE(wrong.ok);
  EXPECT_NE(wrong.error.message.find("an inductance, but an inductance per length"),
            std::string::npos)
      << wrong.error.message;
  EXPECT_EQ(core::format_quantity(0.3e-6, Dimension::inductance_per_length), "300 nH/m");
  EXPECT_EQ(core::format_quantity(2e6, Dimension::power_rate), "2 MW/s");
}

TEST(DynamicKeysLoad, EveryKeyInSi) {
  const ModelSpec m = load_yaml(full, "model.yaml");
  EXPECT_FALSE(m.buses[0].capacitance_f.has_value());
  EXPECT_DOUBLE_EQ(m.buses[1].capacitance_f.value_or(0), 2e-3);

  const Source& grid = m.sources.at(0);
  EXPECT_DOUBLE_EQ(grid.short_circuit_power_va.value_or(0), 250e6);
  EXPECT_DOUBLE_EQ(grid.x_r_ratio.value_or(0), 10.0);
  EXPECT_DOUBLE_EQ(grid.inertia_s.value_or(0), 5.0);
  EXPECT_DOUBLE_EQ(grid.frequency_droop_pu.value_or(0), 0.05);

  EXPECT_DOUBLE_EQ(m.lines.at(0).inductance_h_per_m.value_or(0), 0.3e-6);

  const ConverterDynamics& sst = converter_named(m, "sst").dynamics;
  EXPECT_DOUBLE_EQ(sst.output_capacitance_f.value_or(0), 20e-3);
  EXPECT_DOUBLE_EQ(sst.output_esr_ohm.value_or(-1), 1e-3);
  EXPECT_DOUBLE_EQ(sst.voltage_bandwidth_hz.value_or(0), 50.0);
  EXPECT_DOUBLE_EQ(sst.damping.value_or(0), 0.7);
  ASSERT_TRUE(sst.current_limit.has_value());
  EXPECT_TRUE(sst.current_limit->of_rated);
  EXPECT_DOUBLE_EQ(sst.current_limit->value, 1.2);
  // 120 % of 2 MW at 800 V.
  EXPECT_DOUBLE_EQ(current_limit_a(m, converter_named(m, "sst")).value_or(0), 1.2 * 2e6 / 800.0);
  EXPECT_DOUBLE_EQ(sst.ramp_rate_w_per_s.value_or(0), 2e6);
  EXPECT_DOUBLE_EQ(sst.droop_pu.value_or(0), 0.02);
  EXPECT_FALSE(sst.undervoltage_off_v.has_value());

  const Converter& psu = converter_named(m, "psu");
  EXPECT_DOUBLE_EQ(psu.dynamics.input_capacitance_f.value_or(0), 470e-6);
  EXPECT_DOUBLE_EQ(psu.dynamics.input_esr_ohm.value_or(0), 40e-3);
  EXPECT_FALSE(psu.dynamics.current_limit->of_rated);
  EXPECT_DOUBLE_EQ(current_limit_a(m, psu).value_or(0), 3200.0);
  EXPECT_DOUBLE_EQ(psu.dynamics.undervoltage_off_v.value_or(0), 700.0);
  EXPECT_DOUBLE_EQ(psu.dynamics.undervoltage_on_v.value_or(0), 740.0);
  EXPECT_DOUBLE_EQ(psu.dynamics.restart_delay_s.value_or(0), 0.1);
  EXPECT_DOUBLE_EQ(converter_named(m, "follow").dynamics.ramp_rate_w_per_s.value_or(0), 5e4);

  const Storage& bbu = storage_named(m, "bbu");
  EXPECT_EQ(bbu.technology, StorageTechnology::battery);
  ASSERT_EQ(bbu.ocv.size(), 3u);
  EXPECT_DOUBLE_EQ(bbu.ocv[1].soc, 0.5);
  EXPECT_DOUBLE_EQ(bbu.ocv[2].voltage_v, 54.6);
  EXPECT_DOUBLE_EQ(bbu.internal_resistance_ohm.value_or(0), 0.02);
  ASSERT_TRUE(bbu.rc_pair.has_value());
  EXPECT_DOUBLE_EQ(bbu.rc_pair->resistance_ohm, 5e-3);
  EXPECT_DOUBLE_EQ(bbu.rc_pair->capacitance_f, 2e3);
  EXPECT_DOUBLE_EQ(bbu.capacity_c.value_or(0), 3.6e5);
  EXPECT_DOUBLE_EQ(bbu.soc_min, 0.1);
  EXPECT_DOUBLE_EQ(bbu.soc_max, 0.9);
  EXPECT_DOUBLE_EQ(bbu.soc_initial.value_or(0), 0.8);
  EXPECT_DOUBLE_EQ(bbu.max_current_a.value_or(0), 1000.0);

  const Storage& caps = storage_named(m, "caps");
  EXPECT_EQ(caps.technology, StorageTechnology::supercapacitor);
  EXPECT_DOUBLE_EQ(caps.capacitance_f.value_or(0), 10.0);
  EXPECT_DOUBLE_EQ(caps.esr_ohm.value_or(0), 0.05);
  EXPECT_DOUBLE_EQ(caps.max_power_w.value_or(0), 20e3);
  EXPECT_EQ(caps.soc_min, 0.0);  // the whole capacity
  EXPECT_EQ(caps.soc_max, 1.0);

  // Everything a simulation needs is there.
  EXPECT_TRUE(simulation_requirements(m).items().empty()) << simulation_requirements(m).to_string();
}

TEST(DynamicKeysLoad, BadUnitsAreLocatedWithTheExpectedUnit) {
  std::string text = edited("output_capacitance: 4.7 mF", "output_capacitance: 4.7 mH");
  expect_at(text, yaml_errors(text), "output_capacitance", 11, "4.7 mH", "47 nF");
  text = edited("ramp_rate: 50 kW/s", "ramp_rate: 50 kW");
  expect_at(text, yaml_errors(text), "is an active power, but a power ramp rate is expected", 15,
            "50 kW", "50 kW/s");
  text = edited("inductance_per_length: 0.3 uH/m", "inductance_per_length: 0.3 mohm/m");
  expect_at(text, yaml_errors(text), "inductance per length is expected", 10, "0.3 mohm/m",
            "0.3 uH/m");
  text = edited("capacity: 100 Ah", "capacity: 5 kWh");
  expect_at(text, yaml_errors(text), "is an energy, but a charge is expected", 13, "5 kWh");
  text = edited("current_limit: 3.2 kA", "current_limit: 3.2 kV");
  expect_at(text, yaml_errors(text), "current_limit", 11, "3.2 kV",
            "percentage of the rated value");
}

TEST(DynamicKeysLoad, OutOfRangeAndContradictionsAreLocated) {
  std::string text = edited("damping: 0.7", "damping: -0.7");
  expect_at(text, yaml_errors(text), "damping", 9, "-0.7");
  text = edited("droop: 2 %", "droop: 150 %");
  expect_at(text, yaml_errors(text), "droop", 9, "150 %");
  text = edited("soc_initial: 80 %", "soc_initial: 95 %");
  expect_at(text, yaml_errors(text), "soc_initial 95 % is outside the window 10 % to 90 %", 13,
            "95 %");
  text = edited("soc_min: 10 %", "soc_min: 95 %");
  expect_at(text, yaml_errors(text), "soc_max 90 % is not above soc_min 95 %", 13, "90 %");
  text = edited("undervoltage_on: 740 V", "undervoltage_on: 690 V");
  expect_at(text, yaml_errors(text), "undervoltage_on 690 V is not above undervoltage_off 700 V",
            11, "690 V");
  text = edited("[50 %, 51 V]", "[50 %, 41 V]");
  expect_at(text, yaml_errors(text), "falls from 42 V to 41 V", 13, "41 V");
  text = edited("[[0, 42 V], [50 %, 51 V], [1, 54.6 V]]", "[[0, 42 V]]");
  expect_at(text, yaml_errors(text), "at least two [soc, voltage] points", 13, "[[0, 42 V]]");
  text = edited("capacitance: 2 kF}", "capacitance: -2 kF}");
  expect_at(text, yaml_errors(text), "capacitance", 13, "-2 kF");
  // Plausible ranges (validate_model): 0.3 H/m is a unit slip.
  text = edited("0.3 uH/m", "0.3 H/m");
  expect_at(text, yaml_errors(text), "inductance_per_length 0.3 H/m is outside the plausible range",
            10, "{id: feed");
  // Beyond the OCV table the curve would be guessed.
  text = edited("[[0, 42 V]", "[[0.2, 42 V]");
  expect_at(text, yaml_errors(text),
            "ocv covers states of charge 20 % to 100 %, but the window is 10 % to 90 %", 13,
            "{id: bbu");
  // Undervoltage above the input's nominal voltage: never on.
  text = edited("undervoltage_off: 700 V, undervoltage_on: 740 V",
                "undervoltage_off: 900 V, undervoltage_on: 940 V");
  expect_at(text, yaml_errors(text),
            "undervoltage_off 900 V is not below the 800 V nominal voltage", 11, "{id: psu");
}

TEST(DynamicKeysLoad, KeysWhereTheyMeanNothingAreErrors) {
  std::string text = edited("power: 10 kW, ramp_rate", "power: 10 kW, damping: 1, ramp_rate");
  expect_at(text, yaml_errors(text), "damping belongs to the voltage loop of control: voltage", 15,
            "1, ramp_rate");
  text = edited("technology: supercapacitor, capacitance: 10 F",
                "technology: supercapacitor, internal_resistance: 1 ohm, capacitance: 10 F");
  expect_at(text, yaml_errors(text),
            "internal_resistance is used only with technology: battery, but this storage is a "
            "supercapacitor",
            14, "1 ohm", "add 'technology: battery'");
  text = edited("technology: supercapacitor, ", "");
  expect_at(text, yaml_errors(text),
            "capacitance is used only with technology: supercapacitor, which is not given", 14,
            "10 F");
  text = edited("short_circuit_power: 250 MVA, ", "");
  expect_at(text, yaml_errors(text), "x_r_ratio is used only with short_circuit_power", 8,
            "10, inertia");
  text = edited("output_capacitance: 20 mF, ", "");
  expect_at(text, yaml_errors(text), "output_esr is used only with output_capacitance", 9,
            "1 mohm");
  text = edited("input_capacitance: 470 uF, ", "");
  expect_at(text, yaml_errors(text), "input_esr is used only with input_capacitance", 11,
            "40 mohm");
  // A capacitor state on the phasor side.
  text = edited("  - {id: follow",
                "  - {id: inv, type: inverter, input: dc800, output: mv, rating: 1 MW, efficiency: "
                "97 %, control: power, power: 0 W, output_capacitance: 1 mF}\n  - {id: follow");
  expect_at(text, yaml_errors(text), "output_capacitance is at AC bus 'mv'", 15, "{id: inv");
  // A storage converter's DC-side current limit at an AC bus: its max_power bounds it there.
  text = edited("  - {id: follow",
                "  - {id: acbank, type: storage, bus: mv, power: 0 W, rating: 1 MW, technology: "
                "battery, bus_current_limit: 1375 A}\n  - {id: follow");
  expect_at(text, yaml_errors(text), "bus_current_limit is for a storage at a DC bus; 'mv' is AC",
            15, "{id: acbank", "leave it out");
  // The same key at the DC bus it is meant for is accepted.
  text = edited("max_current: 1 kA}", "max_current: 1 kA, bus_current_limit: 1 kA}");
  EXPECT_EQ(storage_named(load_yaml(text, "model.yaml"), "bbu").bus_current_limit_a, 1000.0);
}

// Every dynamic quantity of `full` as written, with a value of the wrong unit.
struct Written {
  std::string_view text;   // "key: value" in `full`
  std::string_view wrong;  // the same key with a value of another dimension
  int line;
};
constexpr Written every_quantity[] = {
    {"capacitance: 2 mF", "capacitance: 2 mH", 4},
    {"short_circuit_power: 250 MVA", "short_circuit_power: 250 MW", 8},
    {"x_r_ratio: 10", "x_r_ratio: 10 V", 8},
    {"inertia: 5 s", "inertia: 5 Hz", 8},
    {"frequency_droop: 5 %", "frequency_droop: 5 Hz", 8},
    {"output_capacitance: 20 mF", "output_capacitance: 20 mH", 9},
    {"output_esr: 1 mohm", "output_esr: 1 mF", 9},
    {"voltage_bandwidth: 50 Hz", "voltage_bandwidth: 50 s", 9},
    {"damping: 0.7", "damping: 0.7 V", 9},
    {"current_limit: 120 %", "current_limit: 120 W", 9},
    {"ramp_rate: 2 MW/s", "ramp_rate: 2 MW", 9},
    {"droop: 2 %", "droop: 2 V", 9},
    {"inductance_per_length: 0.3 uH/m", "inductance_per_length: 0.3 uH", 10},
    {"input_capacitance: 470 uF", "input_capacitance: 470 uH", 11},
    {"undervoltage_off: 700 V", "undervoltage_off: 700 A", 11},
    {"undervoltage_on: 740 V", "undervoltage_on: 740 A", 11},
    {"restart_delay: 100 ms", "restart_delay: 100 mV", 11},
    {"internal_resistance: 20 mohm", "internal_resistance: 20 mF", 13},
    {"capacity: 100 Ah", "capacity: 100 A", 13},
    {"soc_min: 10 %", "soc_min: 10 V", 13},
    {"soc_max: 90 %", "soc_max: 90 V", 13},
    {"soc_initial: 80 %", "soc_initial: 80 V", 13},
    {"max_current: 1 kA", "max_current: 1 kW", 13},
    {"esr: 50 mohm", "esr: 50 mA", 14},
    {"max_power: 20 kW", "max_power: 20 kA", 14},
};

TEST(DynamicKeysLoad, EveryKeyRejectsAWrongUnitANegativeValueAndAMisspelling) {
  for (const Written& w : every_quantity) {
    const std::string_view key = w.text.substr(0, w.text.find(':'));
    const std::string_view value = w.wrong.substr(w.wrong.find(": ") + 2);
    std::string text = edited(w.text, w.wrong);
    const auto wrong_unit = yaml_errors(text);
    const core::Diagnostic* d = find(wrong_unit, fmt::format("{}: \"{}\"", key, value));
    ASSERT_NE(d, nullptr) << w.wrong << "\n" << wrong_unit.to_string();
    EXPECT_EQ(d->where.line, w.line) << d->message;
    EXPECT_EQ(d->where.column, column_of(text, w.line, w.wrong) + static_cast<int>(key.size()) + 2)
        << d->message;
    // Negative: below zero for every key (zero is allowed for some).
    const std::string negative = fmt::format("{}: -{}", key, w.text.substr(w.text.find(": ") + 2));
    text = edited(w.text, negative);
    const auto errors = yaml_errors(text);
    ASSERT_FALSE(errors.items().empty()) << negative;
    EXPECT_EQ(errors.items()[0].where.line, w.line) << negative << "\n" << errors.to_string();
    // A letter too many: one edit away, so suggested.
    const std::string misspelt = fmt::format("{}s{}", key, w.text.substr(key.size()));
    text = edited(w.text, misspelt);
    expect_at(text, yaml_errors(text), fmt::format("unknown key '{}s'", key), w.line,
              fmt::format("{}s:", key), fmt::format("did you mean '{}'?", key));
  }
}

TEST(DynamicKeysLoad, MisspeltKeysGetASuggestion) {
  std::string text = edited("output_capacitance: 4.7 mF", "output_capacitence: 4.7 mF");
  expect_at(text, yaml_errors(text), "unknown key 'output_capacitence'", 11, "output_capacitence",
            "did you mean 'output_capacitance'?");
  text = edited("x_r_ratio: 10", "x_r_ration: 10");
  expect_at(text, yaml_errors(text), "unknown key 'x_r_ration'", 8, "x_r_ration",
            "did you mean 'x_r_ratio'?");
  text = edited("{resistance: 5 mohm", "{resistnace: 5 mohm");
  expect_at(text, yaml_errors(text), "unknown key 'resistnace'", 13, "resistnace",
            "did you mean 'resistance'?");
  text = edited("technology: battery", "technology: batery");
  expect_at(text, yaml_errors(text), "batery", 13, "batery", "battery");
}

TEST(DynamicKeysLoad, JsonReadsTheSameKeys) {
  const std::string json = R"({"grid2gpu": 1,
 "buses": [{"id": "b", "kind": "dc", "voltage": "54 V", "capacitance": "1 mF"}],
 "components": [
  {"id": "src", "type": "dc_source", "bus": "b"},
  {"id": "bbu", "type": "storage", "bus": "b", "power": 0, "rating": "5 kW",
   "technology": "battery", "ocv": [[0, "42 V"], [1, "54.6 V"]], "internal_resistance": 0.02,
   "rc_pair": {"resistance": "5 mohm", "capacitance": "2 kF"}, "capacity": "100 Ah",
   "soc_initial": 0.8}]})";
  const ModelSpec m = load_json(json, "model.json");
  EXPECT_DOUBLE_EQ(m.buses[0].capacitance_f.value_or(0), 1e-3);
  const Storage& s = storage_named(m, "bbu");
  ASSERT_EQ(s.ocv.size(), 2u);
  EXPECT_DOUBLE_EQ(s.ocv[1].voltage_v, 54.6);
  EXPECT_DOUBLE_EQ(s.rc_pair.value_or(RcPair{}).capacitance_f, 2e3);
  EXPECT_TRUE(simulation_requirements(m).items().empty());
  try {
    (void)load_json(json.substr(0, json.find("\"soc_initial\"")) + "\"soc_inital\": 0.8}]}",
                    "model.json");
    ADD_FAILURE() << "a misspelt key loads";
  } catch (const core::ModelError& error) {
    const core::Diagnostic* d = find(error.diagnostics(), "unknown key 'soc_inital'");
    ASSERT_NE(d, nullptr) << error.diagnostics().to_string();
    EXPECT_NE(d->fix.find("did you mean 'soc_initial'?"), std::string::npos) << d->fix;
    EXPECT_EQ(d->where.line, 8);
  }
}

TEST(DynamicKeysWrite, RoundTripsThroughWriteYaml) {
  const ModelSpec m = load_yaml(full, "model.yaml");
  const std::string yaml = write_yaml(m);
  for (const std::string_view written :
       {"capacitance: 2 mF", "short_circuit_power: 250 MVA", "x_r_ratio: 10", "inertia: 5 s",
        "frequency_droop: 0.05", "inductance_per_length: 0.3 uH/m", "current_limit: 120 %",
        "current_limit: 3.2 kA", "ramp_rate: 2 MW/s", "ramp_rate: 50 kW/s",
        "ocv: [[0, 42 V], [0.5, 51 V], [1, 54.6 V]]",
        "rc_pair: {resistance: 5 mohm, capacitance: 2 kF}", "capacity: 100 Ah",
        "technology: supercapacitor", "restart_delay: 100 ms"})
    EXPECT_NE(yaml.find(written), std::string::npos) << written << " not in\n" << yaml;
  const ModelSpec again = load_yaml(yaml, "again.yaml");
  EXPECT_EQ(write_yaml(again), yaml);
  const ConverterDynamics& a = converter_named(m, "psu").dynamics;
  const ConverterDynamics& b = converter_named(again, "psu").dynamics;
  EXPECT_EQ(a.output_capacitance_f, b.output_capacitance_f);
  EXPECT_EQ(a.input_capacitance_f, b.input_capacitance_f);
  EXPECT_EQ(a.input_esr_ohm, b.input_esr_ohm);
  EXPECT_EQ(a.undervoltage_off_v, b.undervoltage_off_v);
  EXPECT_EQ(converter_named(m, "sst").dynamics.current_limit->value,
            converter_named(again, "sst").dynamics.current_limit->value);
  const Storage& s = storage_named(again, "bbu");
  EXPECT_EQ(s.capacity_c, storage_named(m, "bbu").capacity_c);
  EXPECT_EQ(s.soc_initial, storage_named(m, "bbu").soc_initial);
  EXPECT_EQ(s.ocv.size(), 3u);

  // Values with no short decimal in the written unit still read back bit for bit.
  ModelSpec odd = m;
  for (auto& c : odd.converters)
    if (c.id == "sst") c.dynamics.current_limit->value = 1.0 / 3.0;
  for (auto& st : odd.storage)
    if (st.id == "bbu") st.capacity_c = 1e5 / 3.0;
  const ModelSpec odd_again = load_yaml(write_yaml(odd), "odd.yaml");
  EXPECT_EQ(converter_named(odd_again, "sst").dynamics.current_limit->value, 1.0 / 3.0);
  EXPECT_TRUE(converter_named(odd_again, "sst").dynamics.current_limit->of_rated);
  EXPECT_EQ(storage_named(odd_again, "bbu").capacity_c, 1e5 / 3.0);

  // A model without dynamic keys writes none.
  const std::string plain = write_yaml(test::load_yaml_file(test::example_path("800vdc-sst.yaml")));
  for (const std::string_view key : {"output_capacitance", "technology", "inductance_per_length"})
    EXPECT_EQ(plain.find(key), std::string::npos) << key;
}

// A hall of templates: 2 rows of 3 racks, each rack's dcdc lacking its voltage-loop keys.
const std::string hall = R"(grid2gpu: 1
buses:
  - {id: dc800, kind: dc, voltage: 800 V}
components:
  - {id: src, type: dc_source, bus: dc800}
  - {id: bank, type: storage, bus: dc800, power: 0 W, technology: battery, capacity: 200 Ah}
templates:
  rack:
    ports: [feed]
    buses:
      - {id: bus54, kind: dc, voltage: 54 V}
    components:
      - {id: dcdc, type: dcdc, input: feed, output: bus54, rating: 150 kW, efficiency: 98 %, damping: 1}
      - {id: gpus, type: gpu_rack, bus: bus54, it_power: 130 kW}
  row:
    ports: [feed]
    buses:
      - {id: busway, kind: dc, voltage: 800 V}
    components:
      - {id: feeder, type: busbar, from: feed, to: busway, resistance: 1 mohm}
    instances:
      - {template: rack, id: rack, count: 3, connect: {feed: busway}}
instances:
  - {template: row, id: row, count: 2, connect: {feed: dc800}}
)";

TEST(SimulationRequirements, ListsEveryMissingKeyAtItsElement) {
  const ModelSpec m = load_yaml(hall, "hall.yaml");
  const core::DiagnosticList needs = simulation_requirements(m);
  std::set<std::string> messages;
  for (const auto& d : needs.items()) {
    EXPECT_EQ(d.severity, core::Severity::error);
    EXPECT_EQ(d.where.file, "hall.yaml");
    messages.insert(d.message);
  }
  EXPECT_EQ(messages.size(), needs.items().size()) << "each missing key once";
  // In file order: the bank (line 6), the racks (13), the feeders (20).
  for (std::size_t i = 1; i < needs.items().size(); ++i)
    EXPECT_LE(needs.items()[i - 1].where.line, needs.items()[i].where.line) << i;
  EXPECT_EQ(needs.items().front().message, "storage 'bank' needs `ocv` to be simulated");
  // 6 racks x 3 keys (damping is given), 2 feeders' length, the bank's 3 battery keys and its
  // max_power.
  EXPECT_EQ(needs.items().size(), 6u * 3u + 2u + 3u + 1u) << needs.to_string();
  for (const int row : {1, 2})
    for (const int rack : {1, 2, 3})
      for (const std::string_view key :
           {"output_capacitance", "voltage_bandwidth", "current_limit"}) {
        const std::string message = fmt::format(
            "converter 'row[{}]/rack[{}]/dcdc' needs `{}` to be simulated", row, rack, key);
        const core::Diagnostic* d = find(needs, message);
        ASSERT_NE(d, nullptr) << message << "\n" << needs.to_string();
        EXPECT_EQ(d->message, message);
        // At the template's line, where the converter is written.
        EXPECT_EQ(d->where.line, 13);
        EXPECT_EQ(d->where.column, column_of(hall, 13, "{id: dcdc"));
        EXPECT_NE(d->fix.find(fmt::format("add '{}: ", key)), std::string::npos) << d->fix;
        EXPECT_NE(d->fix.find(fmt::format("template 'rack', instance row[{}]/rack[{}]", row, rack)),
                  std::string::npos)
            << d->fix;
      }
  EXPECT_EQ(find(needs, "needs `damping`"), nullptr);
  const core::Diagnostic* feeder = find(needs, "busbar 'row[2]/feeder' needs `length`");
  ASSERT_NE(feeder, nullptr);
  EXPECT_EQ(feeder->where.line, 20);
  for (const std::string_view key : {"ocv", "internal_resistance", "soc_initial"})
    EXPECT_NE(find(needs, fmt::format("storage 'bank' needs `{}` to be simulated", key)), nullptr)
        << key;
  EXPECT_EQ(find(needs, "needs `capacity`"), nullptr);
  const core::Diagnostic* bank = find(needs, "storage 'bank' needs `ocv`");
  ASSERT_NE(bank, nullptr);
  EXPECT_EQ(bank->where.line, 6);
  EXPECT_EQ(bank->where.column, column_of(hall, 6, "{id: bank"));
  EXPECT_EQ(bank->fix.find("template"), std::string::npos);  // written at the top level
  EXPECT_NE(find(needs, "storage 'bank' needs `max_power`"), nullptr) << "the bank is unrated";
}

TEST(SimulationRequirements, FollowsControlPortsAndService) {
  // A power-controlled converter, one with an AC output and one out of service need no loop.
  const std::string text = R"(grid2gpu: 1
buses:
  - {id: ac, kind: ac, voltage: 415 V}
  - {id: dc, kind: dc, voltage: 800 V}
  - {id: dc2, kind: dc, voltage: 54 V}
components:
  - {id: grid, type: utility, bus: ac, inertia: 4 s}
  - {id: rect, type: rectifier, input: ac, output: dc, rating: 1 MW, efficiency: 97 %, control: power, power: 0.5 MW}
  - {id: inv, type: inverter, input: dc, output: ac, rating: 1 MW, efficiency: 97 %}
  - {id: off, type: dcdc, input: dc, output: dc2, rating: 10 kW, efficiency: 97 %, in_service: false}
  - {id: uv, type: dcdc, input: dc, output: dc2, rating: 10 kW, efficiency: 97 %, control: power, power: 1 kW, undervoltage_off: 700 V}
  - {id: tech, type: storage, bus: dc2, power: 0 W}
  - {id: sc, type: storage, bus: dc2, power: 0 W, technology: supercapacitor}
)";
  const core::DiagnosticList needs = simulation_requirements(load_yaml(text, "model.yaml"));
  std::set<std::string> messages;
  for (const auto& d : needs.items()) messages.insert(d.message);
  const std::set<std::string> expected{
      "utility 'grid' needs `frequency_droop` to be simulated",
      "utility 'grid' needs `rating` to be simulated",
      "converter 'uv' needs `input_capacitance` to be simulated",
      "converter 'uv' needs `undervoltage_on` to be simulated",
      "converter 'uv' needs `restart_delay` to be simulated",
      "storage 'tech' needs `technology` to be simulated",
      "storage 'tech' needs `max_power` to be simulated",
      "storage 'sc' needs `capacitance` to be simulated",
      "storage 'sc' needs `esr` to be simulated",
      "storage 'sc' needs `max_power` to be simulated",
  };
  EXPECT_EQ(messages, expected) << needs.to_string();
}

TEST(SimulationRequirements, ExamplesLoadUnchangedAndSayWhatTheyLack) {
  // The hall example carries the time-domain data of its voltage loops and of its battery
  // (grid2gpu simulate runs it), so it lacks nothing; the other examples have no time-domain
  // data, so each voltage-controlled DC converter lacks its loop's four keys.
  const ModelSpec hall = test::load_yaml_file(test::example_path("800vdc-gpu-hall.yaml"));
  EXPECT_FALSE(simulation_requirements(hall).has_errors())
      << simulation_requirements(hall).to_string();
  // Without its battery data the battery is what it lacks, unless it is held at its set-point.
  ModelSpec bare = hall;
  for (auto& s : bare.storage) s.technology = StorageTechnology::unset;
  const core::DiagnosticList bare_needs = simulation_requirements(bare);
  for (const auto& d : bare_needs.items())
    EXPECT_TRUE(d.message.starts_with("storage 'bess'")) << bare_needs.to_string();
  EXPECT_FALSE(bare_needs.items().empty());
  EXPECT_FALSE(
      simulation_requirements(bare, {.storage_dynamics = std::vector<bool>(bare.storage.size())})
          .has_errors());

  const ModelSpec m = test::load_yaml_file(test::example_path("800vdc-sst.yaml"));
  std::size_t dc_voltage_loops = 0;
  for (const auto& c : m.converters)
    if (c.in_service && c.control == ConverterControl::voltage &&
        m.buses[static_cast<std::size_t>(c.output)].kind == BusKind::dc)
      ++dc_voltage_loops;
  const core::DiagnosticList needs = simulation_requirements(m);
  std::size_t on_converters = 0;
  for (const auto& d : needs.items()) on_converters += d.message.starts_with("converter '");
  EXPECT_EQ(on_converters, 4 * dc_voltage_loops) << needs.to_string();
  EXPECT_GT(dc_voltage_loops, 0u);
}

}  // namespace
}  // namespace g2g::model

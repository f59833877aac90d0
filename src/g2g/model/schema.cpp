// The grid2gpu model-file schema as one table: every section and every key, with its kind, unit,
// default and meaning. The builder reads keys through it (so an unknown key is caught and a typo
// gets a suggestion), and the JSON Schema and the key tables of docs/model-format.md are
// generated from it, so the three cannot drift apart.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <unordered_map>

#include "g2g/model/kind_support.hpp"

namespace g2g::model::detail {

using core::Dimension;

KeyInfo key(std::string_view name, ValueKind kind, std::string_view description,
            std::string_view default_text) {
  KeyInfo info;
  info.name = name;
  info.kind = kind;
  info.description = description;
  info.default_text = default_text;
  info.required = default_text.empty() && kind != ValueKind::section;
  return info;
}

KeyInfo quantity(std::string_view name, Dimension dimension, std::string_view description,
                 std::string_view default_text) {
  KeyInfo info = key(name, ValueKind::quantity, description, default_text);
  info.dimension = dimension;
  return info;
}

KeyInfo choice(std::string_view name, std::vector<std::string_view> choices,
               std::string_view description, std::string_view default_text) {
  KeyInfo info = key(name, ValueKind::choice, description, default_text);
  info.choices = std::move(choices);
  return info;
}

KeyInfo rated(std::string_view name, Dimension dimension, std::string_view description,
              std::string_view default_text) {
  KeyInfo info = key(name, ValueKind::rated, description, default_text);
  info.dimension = dimension;
  return info;
}

KeyInfo conditional(KeyInfo info) {
  info.required = false;
  return info;
}

namespace {

KeyInfo holder(std::string_view name, ValueKind kind, std::string_view section,
               std::string_view description, std::string_view default_text = {}) {
  KeyInfo info = key(name, kind, description, default_text);
  info.section = section;
  return info;
}

KeyInfo origin_key() {
  return holder("origin", ValueKind::section, "origin",
                "template and instance this element was stamped out of; written by write_yaml "
                "for expanded models, rarely by hand",
                "none");
}

std::vector<KeyInfo> component_head(bool in_service = true) {
  std::vector<KeyInfo> keys{
      key("id", ValueKind::text, "unique name of the component"),
      key("type", ValueKind::choice, "component type"),
  };
  if (in_service)
    keys.push_back(key("in_service", ValueKind::boolean,
                       "false takes the component out of the calculation", "true"));
  keys.push_back(origin_key());
  return keys;
}

}  // namespace

SectionInfo component(std::string_view name, std::string_view description,
                      std::vector<KeyInfo> keys, bool in_service) {
  SectionInfo section{name, description, true, component_head(in_service)};
  section.keys.insert(section.keys.end(), keys.begin(), keys.end());
  return section;
}

namespace {

std::vector<KeyInfo> source_keys(bool generator, bool ac) {
  std::vector<KeyInfo> keys{key("bus", ValueKind::bus, "bus the source feeds")};
  if (generator)
    keys.push_back(quantity("power", Dimension::active_power, "active power injected"));
  keys.push_back(key("voltage", ValueKind::setpoint,
                     "voltage set-point, per unit of the bus nominal voltage", "1.0"));
  if (ac && !generator)
    keys.push_back(quantity("angle", Dimension::angle, "voltage angle of the slack", "0 deg"));
  if (generator) {
    keys.push_back(quantity("q_min", Dimension::reactive_power,
                            "lowest reactive power (reported, not enforced)", "unlimited"));
    keys.push_back(quantity("q_max", Dimension::reactive_power,
                            "highest reactive power (reported, not enforced)", "unlimited"));
  }
  keys.push_back(
      quantity("rating", Dimension::apparent_power, "rating for loading reports", "0 (unrated)"));
  if (ac && !generator) {
    // Time-domain data (docs/dynamic.md, "Model keys for simulation").
    keys.push_back(quantity("short_circuit_power", Dimension::apparent_power,
                            "simulation: short-circuit power at the connection, for a Thevenin "
                            "source with x_r_ratio",
                            "stiff (an ideal source)"));
    keys.push_back(conditional(quantity("x_r_ratio", Dimension::dimensionless,
                                        "simulation: X/R of the Thevenin impedance; needed "
                                        "with short_circuit_power")));
    keys.push_back(quantity("inertia", Dimension::time,
                            "simulation: inertia constant H of the grid's frequency model, on "
                            "the source's rating",
                            "none (fixed frequency)"));
    keys.push_back(conditional(quantity("frequency_droop", Dimension::dimensionless,
                                        "simulation: frequency droop (per-unit frequency change "
                                        "per unit of rating, 5 % or 0.05); needed with "
                                        "inertia")));
  }
  return keys;
}

std::vector<KeyInfo> line_keys(std::string_view reactance_default, bool dc_inductance) {
  std::vector<KeyInfo> keys{
      key("from", ValueKind::bus, "bus at one end"),
      key("to", ValueKind::bus, "bus at the other end, same kind and nominal voltage"),
      choice("material", {"copper", "aluminium"}, "conductor material", "copper"),
      conditional(quantity("cross_section", Dimension::area,
                           "cross-section of one conductor; needed unless resistance is given")),
      conditional(
          quantity("length", Dimension::length, "route length; needed unless resistance is given")),
      key("conductors_per_pole", ValueKind::integer,
          "conductors in parallel per phase (AC) or per pole (DC)", "1"),
      key("parallel_runs", ValueKind::integer, "identical runs in parallel", "1"),
      key("neutral_conductor", ValueKind::boolean,
          "a neutral (AC) or mid-point (DC, +/-V) conductor beside the phases or poles; used "
          "for conductor sizing and mass",
          "AC: per the sizing rule; DC: false"),
      quantity("temperature", Dimension::temperature,
               "conductor temperature the resistance is taken at (a unit is required)", "70 °C"),
      quantity("reactance_per_length", Dimension::resistance_per_length,
               "AC series reactance per metre of one phase conductor", reactance_default),
      quantity("resistance", Dimension::resistance,
               "total series resistance, per phase (AC) or loop (DC); replaces the geometry",
               "from geometry"),
      quantity("reactance", Dimension::resistance,
               "total AC series reactance per phase, with resistance", "from geometry"),
      quantity("charging", Dimension::conductance, "total AC shunt susceptance, half at each end",
               "0 S"),
      quantity("ampacity", Dimension::current, "current limit per phase or pole, all runs together",
               "0 (not checked)"),
  };
  if (dc_inductance)
    keys.push_back(quantity("inductance_per_length", Dimension::inductance_per_length,
                            "simulation: loop inductance (both poles) per metre of route of a "
                            "DC run; only on DC buses",
                            "from geometry (docs/dynamic.md)"));
  return keys;
}

std::vector<KeyInfo> converter_keys(bool subtype) {
  std::vector<KeyInfo> keys{
      key("input", ValueKind::bus, "bus the converter draws from"),
      key("output", ValueKind::bus, "bus the converter feeds"),
      quantity("rating", Dimension::active_power, "output power rating"),
      conditional(key("efficiency", ValueKind::efficiency,
                      "output/input power: one ratio, or [load_fraction, efficiency] points "
                      "sorted by load fraction (load fraction = output power / rating), "
                      "interpolated linearly; needed unless design is given")),
      key("design", ValueKind::text,
          "converter SPEC file (path relative to the model file): losses from device physics "
          "instead of efficiency (docs/converters.md)",
          "none"),
      key("modules", ValueKind::integer,
          "identical units that together make up the rating (N), sharing the load equally; the "
          "efficiency's load fraction is that of one unit",
          "1"),
      key("redundancy", ValueKind::text,
          "running spare units that share the load: N+1, 2N, 2(N+1), or distributed xN/y such "
          "as 4N/3 (modules a multiple of y); see Redundancy",
          "N (none)"),
      quantity("standby_loss", Dimension::active_power,
               "loss while in service even at zero output (fans, control, float bias), added to "
               "the efficiency's loss",
               "0 W"),
      choice("control", {"voltage", "power"},
             "voltage: holds its output bus voltage; power: delivers a fixed output power",
             "voltage"),
      key("voltage", ValueKind::setpoint,
          "output voltage set-point per unit of the output bus nominal voltage (control: "
          "voltage)",
          "1.0"),
      conditional(
          quantity("power", Dimension::active_power, "output power; needed with control: power")),
      quantity("power_factor", Dimension::dimensionless,
               "displacement power factor at an AC input (lagging)", "1.0"),
      quantity("output_power_factor", Dimension::dimensionless,
               "power factor of the injection at an AC output (control: power)", "1.0"),
      // Time-domain data (docs/dynamic.md, "Model keys for simulation").
      conditional(quantity("output_capacitance", Dimension::capacitance,
                           "simulation: DC-link capacitance at a DC output; needed with "
                           "control: voltage at a DC output")),
      quantity("output_esr", Dimension::resistance,
               "simulation: equivalent series resistance of output_capacitance",
               "0 ohm (an ideal capacitor)"),
      quantity("input_capacitance", Dimension::capacitance,
               "simulation: DC-link capacitance at a DC input", "none"),
      quantity("input_esr", Dimension::resistance,
               "simulation: equivalent series resistance of input_capacitance",
               "0 ohm (an ideal capacitor)"),
      conditional(quantity("voltage_bandwidth", Dimension::frequency,
                           "simulation: bandwidth of the closed output voltage loop; needed "
                           "with control: voltage at a DC output")),
      conditional(quantity("damping", Dimension::dimensionless,
                           "simulation: damping ratio of the voltage loop; needed with "
                           "control: voltage at a DC output")),
      conditional(rated("current_limit", Dimension::current,
                        "simulation: output current limit, in A or in % of rated current "
                        "(installed rating / nominal output voltage); needed with control: "
                        "voltage at a DC output")),
      quantity("ramp_rate", Dimension::power_rate,
               "simulation: largest rate of change of the output power", "none (unlimited)"),
      quantity("droop", Dimension::dimensionless,
               "simulation: output voltage droop per unit output power (control: voltage), "
               "e.g. 2 %",
               "0 (none)"),
      quantity("undervoltage_off", Dimension::voltage,
               "simulation: input voltage below which it turns off", "none (never turns off)"),
      conditional(quantity("undervoltage_on", Dimension::voltage,
                           "simulation: input voltage above which it restarts, above "
                           "undervoltage_off; needed with undervoltage_off")),
      conditional(quantity("restart_delay", Dimension::time,
                           "simulation: time the input must stay above undervoltage_on before "
                           "it restarts; needed with undervoltage_off")),
  };
  if (subtype) {
    std::vector<std::string_view> subtypes;
    for (const auto s : converter_subtypes) subtypes.push_back(name(s));
    keys.push_back(choice("subtype", std::move(subtypes),
                          "what the converter is (vrm: the GPU point of load, outside the "
                          "default end-to-end boundary)",
                          "none"));
  }
  return keys;
}

}  // namespace
}  // namespace g2g::model::detail

namespace g2g::model {

using core::Dimension;
using detail::choice;
using detail::component;
using detail::conditional;
using detail::converter_keys;
using detail::holder;
using detail::key;
using detail::KeyInfo;
using detail::line_keys;
using detail::quantity;
using detail::SectionInfo;
using detail::source_keys;
using detail::ValueKind;

// ---- Component sections, one function per element kind (element_kinds.hpp) ----------------

void SourceElements::sections(std::vector<SectionInfo>& sections) {
  sections.push_back(component("utility",
                               "AC grid connection: the slack that holds voltage "
                               "magnitude and angle and supplies the balance.",
                               source_keys(false, true)));
  sections.push_back(component("generator", "AC generator holding active power and voltage (PV).",
                               source_keys(true, true)));
  sections.push_back(
      component("dc_source", "DC slack: holds its bus voltage.", source_keys(false, false)));
}

void LineElements::sections(std::vector<SectionInfo>& sections) {
  sections.push_back(component("cable", "Cable from conductor geometry, or from its impedance.",
                               line_keys("0.08 mohm/m", true)));
  sections.push_back(
      component("busbar", "Busbar or busway, same keys as cable.", line_keys("0.15 mohm/m", true)));
  sections.push_back(component("line",
                               "Overhead line, or any branch given by its impedance "
                               "(imported cases); the keys of cable but "
                               "inductance_per_length.",
                               line_keys("0.08 mohm/m", false)));
}

void TransformerElements::sections(std::vector<SectionInfo>& sections) {
  sections.push_back(component(
      "transformer",
      "Two-winding AC transformer, from its rating and impedance, or from a per-unit branch "
      "(imported cases).",
      {
          key("hv", ValueKind::bus, "high-voltage bus; the tap is on this side"),
          key("lv", ValueKind::bus, "low-voltage bus"),
          conditional(quantity("rating", Dimension::apparent_power,
                               "rated power; needed unless system_resistance is given")),
          quantity("hv_voltage", Dimension::voltage, "rated HV winding voltage", "bus nominal"),
          quantity("lv_voltage", Dimension::voltage, "rated LV winding voltage", "bus nominal"),
          conditional(key("impedance", ValueKind::percent,
                          "short-circuit impedance on the rating; needed unless "
                          "system_resistance is given")),
          key("resistance", ValueKind::percent, "series resistance on the rating",
              "from load_loss"),
          quantity("load_loss", Dimension::active_power, "copper loss at rated current", "0 W"),
          quantity("no_load_loss", Dimension::active_power, "core loss at rated voltage", "0 W"),
          quantity("tap", Dimension::dimensionless, "off-nominal ratio on the HV side", "1.0"),
          quantity("phase_shift", Dimension::angle, "phase shift, LV lagging HV", "0 deg"),
          quantity("system_resistance", Dimension::dimensionless,
                   "series resistance per unit on solver base_power; replaces rating and "
                   "impedance",
                   "not used"),
          quantity("system_reactance", Dimension::dimensionless,
                   "series reactance per unit on solver base_power, with system_resistance",
                   "not used"),
          quantity("system_susceptance", Dimension::dimensionless,
                   "total shunt susceptance per unit on solver base_power", "0"),
          key("redundancy", ValueKind::text,
              "identical units in parallel sharing the load, each of this rating and "
              "impedance: N+1 or 2N installs two; see Redundancy",
              "N (one unit)"),
      }));
}

void SwitchElements::sections(std::vector<SectionInfo>& sections) {
  const std::vector<KeyInfo> switch_keys{
      key("from", ValueKind::bus, "bus at one end"),
      key("to", ValueKind::bus, "bus at the other end, same kind and nominal voltage"),
      key("closed", ValueKind::boolean, "a closed switch joins its buses", "true"),
      quantity("rating", Dimension::current, "current rating", "0 (not checked)"),
      quantity("on_resistance", Dimension::resistance,
               "on-state resistance of a solid-state breaker, per phase (AC) or loop (DC, both "
               "poles): it then conducts with I2R loss instead of joining its buses; 0 = an "
               "ideal joint",
               "none (an ideal joint)"),
      holder("trip", ValueKind::section, "trip",
             "a protection device in the time-domain simulation (a DC breaker or fuse that "
             "trips and interrupts): see the trip section; needs on_resistance > 0",
             "none (never trips)"),
  };
  sections.push_back(
      component("breaker", "Circuit breaker: joins two buses when closed.", switch_keys, false));
  sections.push_back(component("switch", "Switch; the same as a breaker.", switch_keys, false));
}

void ConverterElements::sections(std::vector<SectionInfo>& sections) {
  sections.push_back(component("rectifier", "AC -> DC converter.", converter_keys(true)));
  sections.push_back(
      component("psu", "Rack power supply: a rectifier with subtype psu.", converter_keys(false)));
  sections.push_back(
      component("sst", "Solid-state transformer, MV AC -> DC: a rectifier with subtype sst.",
                converter_keys(false)));
  sections.push_back(component("dcdc", "DC -> DC converter.", converter_keys(true)));
  sections.push_back(component("inverter", "DC -> AC converter.", converter_keys(true)));
  sections.push_back(component("ups", "Double-conversion UPS, AC -> AC.", converter_keys(true)));
}

void LoadElements::sections(std::vector<SectionInfo>& sections) {
  sections.push_back(component(
      "load", "Load at a bus.",
      {
          key("bus", ValueKind::bus, "bus the load draws from"),
          choice("model", {"constant_power", "constant_current", "constant_impedance", "zip"},
                 "how the load varies with voltage", "constant_power"),
          quantity("power", Dimension::active_power, "active power at nominal voltage"),
          quantity("reactive_power", Dimension::reactive_power,
                   "reactive power at nominal voltage (AC); or give power_factor", "0 var"),
          quantity("power_factor", Dimension::dimensionless,
                   "lagging power factor (AC), instead of reactive_power", "1.0"),
          conditional(key("zip", ValueKind::zip,
                          "[z, i, p] fractions of constant impedance, current and power, summing "
                          "to 1; needed with model: zip")),
      }));
  sections.push_back(component(
      "gpu_rack",
      "GPU rack: constant power it_power * (idle_fraction + (1 - idle_fraction) * utilisation).",
      {
          key("bus", ValueKind::bus, "bus the rack draws from"),
          quantity("it_power", Dimension::active_power, "rated IT power"),
          quantity("idle_fraction", Dimension::dimensionless, "idle power / rated power", "0"),
          quantity("utilisation", Dimension::dimensionless, "0 = idle, 1 = full load", "1"),
          quantity("reactive_power", Dimension::reactive_power,
                   "reactive power (AC); or give power_factor", "0 var"),
          quantity("power_factor", Dimension::dimensionless,
                   "lagging power factor (AC), instead of reactive_power", "1.0"),
      }));
}

void StorageElements::sections(std::vector<SectionInfo>& sections) {
  sections.push_back(component(
      "storage", "Battery or other storage at a power set-point; positive discharges.",
      {
          key("bus", ValueKind::bus, "bus the storage connects to"),
          quantity("power", Dimension::active_power,
                   "active power into the bus (negative charges)"),
          quantity("reactive_power", Dimension::reactive_power, "reactive power into the bus (AC)",
                   "0 var"),
          quantity("rating", Dimension::active_power, "power rating", "0 (unrated)"),
          quantity("energy", Dimension::energy, "energy capacity (informational)", "0 J"),
          // Time-domain data (docs/dynamic.md, "Model keys for simulation").
          choice("technology", {"battery", "supercapacitor"},
                 "simulation: battery (ocv, internal_resistance, capacity, optional "
                 "rc_pair) or supercapacitor (capacitance, esr)",
                 "none"),
          conditional(key("ocv", ValueKind::ocv,
                          "simulation, battery: open-circuit voltage as [[soc, V], "
                          "...] points sorted by state of charge, interpolated "
                          "linearly")),
          conditional(quantity("internal_resistance", Dimension::resistance,
                               "simulation, battery: series internal resistance")),
          holder("rc_pair", ValueKind::section, "rc_pair",
                 "simulation, battery: polarisation R-C pair in series with "
                 "internal_resistance",
                 "none"),
          conditional(quantity("capacity", Dimension::charge,
                               "simulation, battery: charge capacity in Ah (energy "
                               "stays informational)")),
          conditional(quantity("capacitance", Dimension::capacitance,
                               "simulation, supercapacitor: capacitance")),
          conditional(quantity("esr", Dimension::resistance,
                               "simulation, supercapacitor: equivalent series "
                               "resistance")),
          quantity("soc_min", Dimension::dimensionless,
                   "simulation: lowest state of charge it is used down to", "0 %"),
          quantity("soc_max", Dimension::dimensionless,
                   "simulation: highest state of charge it is charged to", "100 %"),
          conditional(quantity("soc_initial", Dimension::dimensionless,
                               "simulation: state of charge at the start")),
          conditional(quantity("max_power", Dimension::active_power,
                               "simulation: largest charge or discharge power; "
                               "needed unless rating is given")),
          quantity("max_current", Dimension::current,
                   "simulation: largest charge or discharge current", "none (max_power limits)"),
          quantity("bus_current_limit", Dimension::current,
                   "simulation: its converter's current limit at a DC bus (the power is bounded "
                   "by it times the bus voltage)",
                   "none (an ideal converter)"),
      }));
}

}  // namespace g2g::model

namespace g2g::model::detail {
namespace {

std::vector<SectionInfo> make_sections() {
  std::vector<SectionInfo> sections;
  sections.push_back(
      {"model",
       "The top level of a model file.",
       false,
       {
           key("grid2gpu", ValueKind::version, "format version; this program reads version 1"),
           key("name", ValueKind::text, "model name shown in reports", "empty"),
           quantity("frequency", Dimension::frequency, "frequency of the AC buses", "60 Hz"),
           holder("parameters", ValueKind::parameters, "",
                  "named values used elsewhere as $name or $(expression); see Parameters", "none"),
           holder("solver", ValueKind::section, "solver", "solver settings", "see solver"),
           holder("buses", ValueKind::list, "bus", "the buses"),
           holder("components", ValueKind::list, "component",
                  "sources, branches, converters, "
                  "loads and storage",
                  "none"),
           holder("templates", ValueKind::templates, "template",
                  "reusable groups of buses and components, by name", "none"),
           holder("instances", ValueKind::list, "instance", "copies of templates", "none"),
       }});
  sections.push_back(
      {"solver",
       "Settings of the power-flow solver.",
       false,
       {
           quantity("base_power", Dimension::apparent_power, "system base for per-unit scaling",
                    "1 MVA"),
           quantity("tolerance", Dimension::dimensionless,
                    "largest power mismatch at convergence, per unit of base_power", "1e-10"),
           key("max_iterations", ValueKind::integer, "Newton-Raphson iteration limit", "30"),
           key("flat_start", ValueKind::boolean, "start from 1 pu and 0 deg everywhere", "true"),
       }});
  sections.push_back({"bus",
                      "A node of the network: AC (three-phase) or DC.",
                      false,
                      {
                          key("id", ValueKind::text, "unique name of the bus"),
                          choice("kind", {"ac", "dc"}, "ac or dc"),
                          quantity("voltage", Dimension::voltage,
                                   "nominal voltage: line-to-line RMS (AC) or pole-to-pole (DC)"),
                          quantity("v_min", Dimension::dimensionless,
                                   "lowest acceptable voltage, per unit", "0.95"),
                          quantity("v_max", Dimension::dimensionless,
                                   "highest acceptable voltage, per unit", "1.05"),
                          quantity("capacitance", Dimension::capacitance,
                                   "simulation: capacitance lumped at a DC bus (cables, bus "
                                   "ducts); DC-link capacitors go on converters",
                                   "0 F"),
                          origin_key(),
                      }});
  sections.push_back(
      {"template",
       "A reusable part (a rack, a row): buses and components written once, stamped out by "
       "instances.",
       false,
       {
           key("ports", ValueKind::names,
               "names the template's components use for buses the caller connects", "none"),
           holder("buses", ValueKind::list, "bus", "buses local to each copy", "none"),
           holder("components", ValueKind::list, "component",
                  "components of each copy; they name ports and local buses", "none"),
           holder("instances", ValueKind::list, "instance",
                  "templates used inside this one (a row of racks)", "none"),
       }});
  sections.push_back(
      {"instance",
       "Copies of a template. Elements get ids <instance path>/<local id>, e.g. "
       "row[3]/rack[12]/psu.",
       false,
       {
           key("template", ValueKind::text, "name of the template"),
           key("id", ValueKind::text,
               "name of the instance; with count, copies are id[1] .. "
               "id[count]"),
           key("count", ValueKind::integer, "number of copies", "1 (no index in the ids)"),
           holder("connect", ValueKind::connections, "",
                  "bus for each port of the template: {port: bus id}", "none"),
       }});
  sections.push_back({"rc_pair",
                      "A parallel resistance and capacitance (a battery's polarisation).",
                      false,
                      {
                          quantity("resistance", Dimension::resistance, "resistance"),
                          quantity("capacitance", Dimension::capacitance, "capacitance"),
                      }});
  sections.push_back(
      {"trip",
       "A DC protection device's trip (docs/model-format.md, Protection devices). Values given "
       "here, or a fuse's from its part in data/protection (`part`: kind, rated current, DC "
       "rated voltage, pre-arcing and clearing I2t, then refused here); the rest (clamp_voltage, "
       "inductance, clamp_resistance, off_resistance) given here.",
       false,
       {
           choice("kind", {"solid_state", "hybrid", "fuse", "thermal_magnetic"},
                  "solid_state (semiconductor, MOV clamp), hybrid (mechanical main path and "
                  "semiconductor commutation), fuse (I2t melting, arc), thermal_magnetic "
                  "(magnetic pickup or thermal replica, arc)",
                  "the part's"),
           key("part", ValueKind::text,
               "a fuse in data/protection/*.csv by its catalogue number (e.g. FWP-30A14F)", "none"),
           conditional(quantity("pickup", Dimension::current,
                                "solid_state, hybrid: current that trips; thermal_magnetic: "
                                "magnetic (instantaneous) pickup")),
           quantity("di_dt", Dimension::current_rate,
                    "solid_state, hybrid: current rate of rise that trips", "none"),
           conditional(quantity("delay", Dimension::time,
                                "solid_state, hybrid: detection delay; thermal_magnetic: "
                                "opening time from pickup to contact separation")),
           conditional(quantity("commutation_time", Dimension::time,
                                "hybrid: from the end of the delay until the current is in the "
                                "semiconductor path and interrupted")),
           conditional(quantity("clamp_voltage", Dimension::voltage,
                                "solid_state, hybrid: the MOV's clamp voltage; fuse, "
                                "thermal_magnetic: the arc voltage; above the bus voltage")),
           quantity("clamp_resistance", Dimension::resistance,
                    "slope of the clamp above clamp_voltage (MOV dynamic resistance)", "0 ohm"),
           quantity("off_resistance", Dimension::resistance,
                    "open device below its clamp voltage (leakage)",
                    "1 Mohm (assumption, data/protection/README.md)"),
           quantity("inductance", Dimension::inductance, "stray inductance of the device", "0 H"),
           conditional(quantity("rated_current", Dimension::current,
                                "fuse, thermal_magnetic: rated current")),
           quantity("rated_voltage", Dimension::voltage,
                    "fuse, thermal_magnetic: rated DC voltage, at least the bus voltage",
                    "not checked"),
           conditional(
               quantity("pre_arcing_i2t", Dimension::current_squared_time, "fuse: melting I2t")),
           conditional(quantity("clearing_i2t", Dimension::current_squared_time,
                                "fuse: total clearing I2t at rated voltage (reported beside the "
                                "simulated let-through)")),
           conditional(quantity("thermal_time_constant", Dimension::time,
                                "thermal_magnetic: time constant of the thermal replica")),
           conditional(quantity("thermal_pickup", Dimension::dimensionless,
                                "thermal_magnetic: multiple of rated current at which the "
                                "thermal replica trips at last (e.g. 1.3)")),
           quantity("reclose", Dimension::time,
                    "solid_state, hybrid, thermal_magnetic: dead time before one reclosure",
                    "none"),
       }});
  sections.push_back({"origin",
                      "Where an expanded element came from.",
                      false,
                      {
                          key("template", ValueKind::text, "template name"),
                          key("path", ValueKind::text, "instance path, e.g. row[3]/rack[12]"),
                      }});

  for_each_model_kind([&]<typename K>() {
    const std::size_t first = sections.size();
    K::sections(sections);
    for (std::size_t i = first; i < sections.size(); ++i) {
      sections[i].read = &K::read;
      sections[i].element_kind = K::kind;
    }
  });

  // The `type` key of each component lists every type.
  std::vector<std::string_view> types;
  for (const auto& section : sections)
    if (section.component) types.push_back(section.name);
  for (auto& section : sections)
    for (auto& info : section.keys)
      if (section.component && info.name == "type") info.choices = types;
  for (auto& section : sections) section.build_index();
  return sections;
}

std::size_t key_hash(std::string_view key) {
  if (key.empty()) return 0;
  return (key.size() * 7 + static_cast<unsigned char>(key[0]) * 3 +
          static_cast<unsigned char>(key.back())) &
         63;
}

// ---- JSON Schema --------------------------------------------------------------------------

using Json = nlohmann::ordered_json;

std::string_view unit_hint(Dimension dimension) {
  return core::dimension_example(dimension);
}

Json quantity_schema(const KeyInfo& info, std::string_view text) {
  Json schema;
  schema["description"] = text;
  if (info.dimension == Dimension::temperature) {
    schema["type"] = "string";  // a temperature needs a unit
  } else {
    schema["type"] = Json::array({"number", "string"});
  }
  schema["examples"] =
      Json::array({std::string(unit_hint(info.dimension))
                       .substr(0, std::string(unit_hint(info.dimension)).find(" or "))});
  return schema;
}

// `$name` or `$(expression)` as the whole value (model-format.md, "Parameters"), with the
// spaces and name rules of parameters.cpp. The loader replaces it before it reads the key.
constexpr std::string_view parameter_reference_ref = "#/$defs/parameter_reference";

Json parameter_reference_schema() {
  return Json{{"type", "string"},
              {"pattern", R"re(^ *\$(\(.*\)|[A-Za-z_][A-Za-z0-9_]*) *$)re"},
              {"description",
               "a parameter as $name, or arithmetic over parameters as $(expression); see "
               "Parameters in docs/model-format.md"},
              {"examples", Json::array({"$rack_power", "$(1.15 * rack_power)"})}};
}

// A value of its own type or a parameter reference. Needed only for integers and the version:
// quantities, ratios, names and curve points already accept strings, and a parameter is a number
// or a quantity, which the loader never takes as a boolean or a choice.
Json typed_or_reference(Json typed) {
  return Json{{"anyOf", Json::array({std::move(typed), Json{{"$ref", parameter_reference_ref}}})}};
}

Json value_schema(const KeyInfo& info) {
  std::string text(info.description);
  if (!info.default_text.empty()) text += fmt::format(" (default: {})", info.default_text);
  Json schema;
  switch (info.kind) {
    case ValueKind::text:
    case ValueKind::bus:
      schema["type"] = "string";
      break;
    case ValueKind::version:
      schema = typed_or_reference(Json{{"const", 1}});
      break;
    case ValueKind::quantity:
      return quantity_schema(info, text);
    case ValueKind::percent:
    case ValueKind::setpoint:
      schema["type"] = Json::array({"number", "string"});
      schema["examples"] = Json::array({info.kind == ValueKind::percent ? "6 %" : "1.0"});
      break;
    case ValueKind::integer:
      schema = typed_or_reference(Json{{"type", "integer"}, {"minimum", 1}});
      break;
    case ValueKind::boolean:
      schema["type"] = "boolean";
      break;
    case ValueKind::choice:
      schema["enum"] = info.choices;
      break;
    case ValueKind::efficiency:
      schema["oneOf"] = Json::array(
          {Json{{"type", Json::array({"number", "string"})}},
           Json{{"type", "array"},
                {"minItems", 1},
                {"items", Json{{"type", "array"},
                               {"minItems", 2},
                               {"maxItems", 2},
                               {"items", Json{{"type", Json::array({"number", "string"})}}}}}}});
      break;
    case ValueKind::rated:
      schema["type"] = Json::array({"number", "string"});
      schema["examples"] = Json::array({std::string(unit_hint(info.dimension)), "120 %"});
      break;
    case ValueKind::ocv:
      schema["type"] = "array";
      schema["minItems"] = 2;
      schema["items"] = Json{{"type", "array"},
                             {"minItems", 2},
                             {"maxItems", 2},
                             {"items", Json{{"type", Json::array({"number", "string"})}}}};
      break;
    case ValueKind::zip:
      schema["type"] = "array";
      schema["minItems"] = 3;
      schema["maxItems"] = 3;
      schema["items"] = Json{{"type", Json::array({"number", "string"})}};
      break;
    case ValueKind::names:
      schema["type"] = "array";
      schema["items"] = Json{{"type", "string"}};
      break;
    case ValueKind::section:
      schema["$ref"] = fmt::format("#/$defs/{}", info.section);
      break;
    case ValueKind::connections:
      schema["type"] = "object";
      schema["additionalProperties"] = Json{{"type", "string"}};
      break;
    case ValueKind::list:
      schema["type"] = "array";
      schema["items"] = Json{{"$ref", fmt::format("#/$defs/{}", info.section)}};
      break;
    case ValueKind::templates:
      schema["type"] = "object";
      schema["additionalProperties"] = Json{{"$ref", "#/$defs/template"}};
      break;
    case ValueKind::parameters:
      schema["type"] = "object";
      schema["additionalProperties"] = Json{{"type", Json::array({"number", "string"})}};
      break;
  }
  schema["description"] = text;
  return schema;
}

Json section_schema(const SectionInfo& section) {
  Json properties = Json::object();
  Json required = Json::array();
  for (const auto& info : section.keys) {
    if (section.component && info.name == "type") {
      properties["type"] = Json{{"const", section.name}};
    } else {
      properties[std::string(info.name)] = value_schema(info);
    }
    if (info.required) required.push_back(info.name);
  }
  Json schema{{"type", "object"}, {"description", section.description}};
  schema["properties"] = std::move(properties);
  if (!required.empty()) schema["required"] = std::move(required);
  schema["additionalProperties"] = false;
  return schema;
}

}  // namespace

void SectionInfo::build_index() {
  if (keys.size() > max_section_keys)
    throw std::logic_error(fmt::format("section {} has {} keys; raise max_section_keys ({})", name,
                                       keys.size(), max_section_keys));
  index.fill(0);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    auto& slot = index[key_hash(keys[i].name)];
    slot = slot == 0 ? static_cast<std::uint8_t>(i + 1) : std::uint8_t{255};
  }
}

std::size_t SectionInfo::index_of(std::string_view key) const noexcept {
  const std::uint8_t slot = index[key_hash(key)];
  if (slot == 0) return keys.size();
  if (slot != 255) return keys[slot - 1u].name == key ? slot - 1u : keys.size();
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (keys[i].name == key) return i;
  return keys.size();
}

const std::vector<SectionInfo>& schema_sections() {
  static const std::vector<SectionInfo> sections = make_sections();
  return sections;
}

const SectionInfo* find_section(std::string_view name) {
  static const auto index = [] {
    std::unordered_map<std::string_view, const SectionInfo*> map;
    for (const auto& section : schema_sections()) map.emplace(section.name, &section);
    return map;
  }();
  const auto it = index.find(name);
  return it == index.end() ? nullptr : it->second;
}

std::vector<std::string_view> component_type_names() {
  std::vector<std::string_view> names;
  for (const auto& section : schema_sections())
    if (section.component) names.push_back(section.name);
  return names;
}

std::string model_json_schema() {
  Json defs = Json::object();
  Json dispatch = Json::array();
  for (const auto& section : schema_sections()) {
    if (section.name == "model") continue;
    defs[std::string(section.name)] = section_schema(section);
    if (section.component)
      dispatch.push_back(
          Json{{"if", Json{{"properties", Json{{"type", Json{{"const", section.name}}}}},
                           {"required", Json::array({"type"})}}},
               {"then", Json{{"$ref", fmt::format("#/$defs/{}", section.name)}}}});
  }
  Json types = component_type_names();
  defs["component"] = Json{{"type", "object"},
                           {"description", "A component; its keys depend on its type."},
                           {"required", Json::array({"id", "type"})},
                           {"properties", Json{{"type", Json{{"enum", types}}}}},
                           {"allOf", std::move(dispatch)}};
  defs["parameter_reference"] = parameter_reference_schema();

  Json schema = section_schema(*find_section("model"));
  Json root{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
            {"$id", "https://github.com/grid2gpu/grid2gpu/docs/model.schema.json"},
            {"title", "grid2gpu model file"},
            {"description",
             "Power delivery of an AI data centre for grid2gpu. Generated from the loader's "
             "schema table (src/g2g/model/schema.cpp); see docs/model-format.md."}};
  for (auto& [name, value] : schema.items()) root[name] = value;
  root["$defs"] = std::move(defs);
  return root.dump(2) + "\n";
}

std::string model_key_tables() {
  std::string text;
  for (const auto& section : schema_sections()) {
    text += section.component ? fmt::format("#### `type: {}`\n\n", section.name)
                              : fmt::format("#### {}\n\n", section.name);
    text += fmt::format("{}\n\n", section.description);
    text += "| key | value | default | meaning |\n|---|---|---|---|\n";
    for (const auto& info : section.keys) {
      if (section.component && info.name == "type") continue;
      std::string value;
      switch (info.kind) {
        case ValueKind::text:
          value = "name";
          break;
        case ValueKind::version:
          value = "1";
          break;
        case ValueKind::quantity:
          value = info.dimension == Dimension::dimensionless
                      ? std::string("ratio")
                      : fmt::format("{} ({})", core::dimension_name(info.dimension),
                                    unit_hint(info.dimension));
          break;
        case ValueKind::percent:
          value = "ratio (6 % or 0.06)";
          break;
        case ValueKind::setpoint:
          value = "per unit";
          break;
        case ValueKind::integer:
          value = "integer";
          break;
        case ValueKind::boolean:
          value = "true / false";
          break;
        case ValueKind::choice: {
          for (const auto& c : info.choices)
            value += value.empty() ? fmt::format("`{}`", c) : fmt::format(", `{}`", c);
          break;
        }
        case ValueKind::bus:
          value = "bus id";
          break;
        case ValueKind::efficiency:
          value = "ratio or [[load, eff], ...]";
          break;
        case ValueKind::zip:
          value = "[z, i, p]";
          break;
        case ValueKind::rated:
          value = fmt::format("{} ({}) or % of rated", core::dimension_name(info.dimension),
                              unit_hint(info.dimension));
          break;
        case ValueKind::ocv:
          value = "[[soc, voltage], ...]";
          break;
        case ValueKind::names:
          value = "[name, ...]";
          break;
        case ValueKind::section:
          value = fmt::format("{} map", info.section);
          break;
        case ValueKind::connections:
          value = "{port: bus id}";
          break;
        case ValueKind::list:
          value = fmt::format("list of {}", info.section);
          break;
        case ValueKind::templates:
          value = "{name: template}";
          break;
        case ValueKind::parameters:
          value = "{name: value}";
          break;
      }
      const std::string fallback = info.required               ? std::string("**required**")
                                   : info.default_text.empty() ? std::string("see meaning")
                                                               : std::string(info.default_text);
      text +=
          fmt::format("| `{}` | {} | {} | {} |\n", info.name, value, fallback, info.description);
    }
    text += "\n";
  }
  return text;
}

}  // namespace g2g::model::detail

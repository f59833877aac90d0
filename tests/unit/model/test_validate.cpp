// validate_model: checks on a ModelSpec that need no graph, on models built in code (as the
// MATPOWER importer and the API build them), not only on loaded files.
#include <gtest/gtest.h>

#include <string>

#include "g2g/model/validate.hpp"
#include "support/diagnostic_checks.hpp"

namespace g2g::model {
namespace {

using test::find;

// A small valid model: AC bus 0 and 1 (415 V), DC bus 2 and 3 (800 V), one utility.
ModelSpec base() {
  ModelSpec m;
  m.source_file = "m.yaml";
  auto bus = [&](std::string id, BusKind kind, double v, int line) {
    Bus b;
    b.id = std::move(id);
    b.kind = kind;
    b.nominal_voltage_v = v;
    b.where = {line, 5};
    m.buses.push_back(b);
  };
  bus("ac1", BusKind::ac, 415.0, 3);
  bus("ac2", BusKind::ac, 415.0, 4);
  bus("dc1", BusKind::dc, 800.0, 5);
  bus("dc2", BusKind::dc, 800.0, 6);
  Source s;
  s.id = "grid";
  s.bus = 0;
  s.where = {8, 5};
  m.sources.push_back(s);
  return m;
}

Converter converter(std::string id, ConverterType type, BusIndex in, BusIndex out) {
  Converter c;
  c.id = std::move(id);
  c.type = type;
  c.input = in;
  c.output = out;
  c.rating_w = 1e6;
  c.efficiency = {{1.0, 0.97}};
  c.where = {20, 5};
  return c;
}

Line cable(std::string id, BusIndex from, BusIndex to) {
  Line l;
  l.id = std::move(id);
  l.from = from;
  l.to = to;
  l.cross_section_m2 = 240e-6;
  l.length_m = 35.0;
  l.where = {30, 5};
  return l;
}

TEST(ValidateModel, ValidModelHasNoErrors) {
  ModelSpec m = base();
  m.lines.push_back(cable("c1", 0, 1));
  m.converters.push_back(converter("rect", ConverterType::rectifier, 1, 2));
  m.converters.push_back(converter("dcdc", ConverterType::dcdc, 2, 3));
  m.converters.push_back(converter("inv", ConverterType::inverter, 3, 1));
  const auto d = validate_model(m);
  EXPECT_FALSE(d.has_errors()) << d.to_string();
}

TEST(ValidateModel, SourcesOnTheWrongBusKind) {
  ModelSpec m = base();
  m.sources[0].bus = 2;  // utility on DC
  Source g;
  g.id = "gen";
  g.type = SourceType::generator;
  g.bus = 3;
  m.sources.push_back(g);
  Source d;
  d.id = "batt";
  d.type = SourceType::dc_source;
  d.bus = 0;
  d.where = {12, 7};
  m.sources.push_back(d);
  const auto list = validate_model(m);
  const auto* utility =
      find(list, "utility 'grid': is on DC bus 'dc1'; utility must be on an AC bus");
  ASSERT_NE(utility, nullptr) << list.to_string();
  EXPECT_EQ(utility->where.file, "m.yaml");  // the model's file
  EXPECT_EQ(utility->where.line, 8);         // the element's own place in the file
  EXPECT_NE(find(list, "generator 'gen': is on DC bus 'dc2'"), nullptr);
  const auto* dc =
      find(list, "dc_source 'batt': is on AC bus 'ac1'; dc_source must be on a DC bus");
  ASSERT_NE(dc, nullptr) << list.to_string();
  EXPECT_EQ(dc->where.line, 12);
  EXPECT_EQ(dc->where.column, 7);
  EXPECT_FALSE(dc->fix.empty());
}

TEST(ValidateModel, ConverterPortsFollowTheirType) {
  struct Case {
    ConverterType type;
    BusIndex in, out;
    const char* message;
  };
  const Case wrong[] = {
      {ConverterType::rectifier, 2, 3, "input is on DC bus \'dc1\'; rectifier input must be AC"},
      {ConverterType::rectifier, 0, 1, "output is on AC bus \'ac2\'; rectifier output must be DC"},
      {ConverterType::dcdc, 0, 2, "input is on AC bus \'ac1\'; dcdc input must be DC"},
      {ConverterType::dcdc, 2, 1, "output is on AC bus \'ac2\'; dcdc output must be DC"},
      {ConverterType::inverter, 0, 1, "input is on AC bus \'ac1\'; inverter input must be DC"},
      {ConverterType::inverter, 2, 3, "output is on DC bus \'dc2\'; inverter output must be AC"},
      {ConverterType::ups, 2, 1, "input is on DC bus \'dc1\'; ups input must be AC"},
      {ConverterType::ups, 0, 3, "output is on DC bus \'dc2\'; ups output must be AC"},
  };
  for (const auto& c : wrong) {
    ModelSpec m = base();
    m.converters.push_back(converter("k", c.type, c.in, c.out));
    const auto list = validate_model(m);
    EXPECT_NE(find(list, c.message), nullptr) << c.message << "\n" << list.to_string();
  }
  // The subtype names the element in messages.
  ModelSpec m = base();
  m.converters.push_back(converter("p", ConverterType::rectifier, 2, 3));
  m.converters.back().subtype = ConverterSubtype::psu;
  EXPECT_NE(find(validate_model(m), "psu 'p': input is on DC bus"), nullptr);
}

TEST(ValidateModel, ConverterValues) {
  ModelSpec m = base();
  auto c = converter("k", ConverterType::dcdc, 2, 3);
  c.rating_w = 0.0;
  c.efficiency = {{0.5, 0.97}, {0.2, 1.2}};
  c.input_power_factor = 0.0;
  m.converters.push_back(c);
  auto e = converter("empty", ConverterType::dcdc, 2, 2);
  e.efficiency.clear();
  m.converters.push_back(e);
  const auto list = validate_model(m);
  EXPECT_NE(find(list, "'k': rating must be greater than zero"), nullptr);
  EXPECT_NE(find(list, "'k': efficiency 1.2 is outside (0, 1]"), nullptr);
  EXPECT_NE(find(list, "'k': efficiency points are not sorted"), nullptr);
  EXPECT_NE(find(list, "'k': power factors must be in (0, 1]"), nullptr);
  EXPECT_NE(find(list, "'empty': has no efficiency"), nullptr);
  EXPECT_NE(find(list, "'empty': input and output are the same bus"), nullptr);
}

TEST(ValidateModel, LinesJoinBusesOfOneKindAndVoltage) {
  ModelSpec m = base();
  m.lines.push_back(cable("mixed", 0, 2));
  Bus lv;
  lv.id = "lv230";
  lv.kind = BusKind::ac;
  lv.nominal_voltage_v = 230.0;
  m.buses.push_back(lv);
  m.lines.push_back(cable("volts", 0, 4));
  m.lines.push_back(cable("loop", 1, 1));
  const auto list = validate_model(m);
  const auto* mixed = find(list, "cable 'mixed': connects AC bus 'ac1' to DC bus 'dc1'");
  ASSERT_NE(mixed, nullptr) << list.to_string();
  EXPECT_EQ(mixed->where.line, 30);
  EXPECT_NE(find(list,
                 "cable 'volts': connects buses of different nominal voltage (415 V and "
                 "230 V)"),
            nullptr);
  EXPECT_NE(find(list, "cable 'loop': both ends are on bus 'ac2'"), nullptr);
}

TEST(ValidateModel, LineValues) {
  ModelSpec m = base();
  auto geometry = cable("g", 0, 1);
  geometry.length_m = -1.0;
  geometry.cross_section_m2 = 0.0;
  geometry.conductors_per_pole = 0;
  geometry.temperature_c = 1000.0;
  m.lines.push_back(geometry);
  auto zero = cable("zero", 0, 1);
  zero.r_ohm = 0.0;
  m.lines.push_back(zero);
  auto dc_zero = cable("dczero", 2, 3);
  dc_zero.r_ohm = 0.0;
  dc_zero.x_ohm = 0.1;  // reactance does not limit DC current
  m.lines.push_back(dc_zero);
  auto reactive = cable("reactive", 0, 1);
  reactive.r_ohm = 0.0;
  reactive.x_ohm = 0.1;  // a lossless AC line is fine
  m.lines.push_back(reactive);
  const auto list = validate_model(m);
  EXPECT_NE(find(list, "'g': length must be greater than zero"), nullptr);
  EXPECT_NE(find(list, "'g': cross-section must be greater than zero"), nullptr);
  EXPECT_NE(find(list, "'g': conductors_per_pole and parallel_runs"), nullptr);
  EXPECT_NE(find(list, "'g': conductor temperature 1000"), nullptr);
  EXPECT_NE(find(list, "'zero': has zero impedance"), nullptr);
  EXPECT_NE(find(list, "'dczero': has zero impedance"), nullptr);
  EXPECT_EQ(find(list, "'reactive'"), nullptr) << list.to_string();
}

TEST(ValidateModel, Transformers) {
  ModelSpec m = base();
  Transformer dc;
  dc.id = "dc";
  dc.hv = 2;
  dc.lv = 3;
  dc.rating_va = 1e6;
  m.transformers.push_back(dc);
  Transformer bad;
  bad.id = "bad";
  bad.hv = 0;
  bad.lv = 1;
  bad.rating_va = 0.0;
  bad.z_pct = 0.0;
  bad.tap_ratio = 0.0;
  m.transformers.push_back(bad);
  Transformer lossy;
  lossy.id = "lossy";
  lossy.hv = 0;
  lossy.lv = 1;
  lossy.rating_va = 1e6;
  lossy.z_pct = 6.0;
  lossy.load_loss_w = 100e3;  // 10 % resistance > 6 % impedance
  m.transformers.push_back(lossy);
  Transformer imported;
  imported.id = "imported";
  imported.hv = 0;
  imported.lv = 1;
  imported.r_system_pu = 0.01;
  imported.x_system_pu = 0.1;  // unrated, as MATPOWER branches often are
  m.transformers.push_back(imported);
  Transformer half;
  half.id = "half";
  half.hv = 0;
  half.lv = 1;
  half.r_system_pu = 0.01;
  m.transformers.push_back(half);
  const auto list = validate_model(m);
  EXPECT_NE(find(list,
                 "'dc': connects DC bus 'dc1' to DC bus 'dc2'; a transformer works on AC "
                 "only"),
            nullptr)
      << list.to_string();
  EXPECT_NE(find(list, "'bad': rating must be greater than zero"), nullptr);
  EXPECT_NE(find(list, "'bad': impedance 0 % is outside"), nullptr);
  EXPECT_NE(find(list, "'bad': tap must be greater than zero"), nullptr);
  EXPECT_NE(find(list, "'lossy': load loss implies a resistance above the impedance"), nullptr);
  EXPECT_EQ(find(list, "'imported'"), nullptr) << list.to_string();
  EXPECT_NE(find(list, "'half': system_resistance and system_reactance must be given together"),
            nullptr);
}

TEST(ValidateModel, LoadsStorageAndSwitches) {
  ModelSpec m = base();
  Load zip;
  zip.id = "zip";
  zip.bus = 0;
  zip.model = LoadModel::zip;
  zip.zip_z = 0.5;
  zip.zip_i = 0.5;
  zip.zip_p = 0.5;
  m.loads.push_back(zip);
  Load dc_q;
  dc_q.id = "dcq";
  dc_q.bus = 2;
  dc_q.p_w = 1e3;
  dc_q.q_var = 1e3;
  m.loads.push_back(dc_q);
  Load rack;
  rack.id = "rack";
  rack.bus = 2;
  rack.model = LoadModel::gpu_rack;
  rack.it_power_w = 130e3;
  rack.utilisation = 1.5;
  m.loads.push_back(rack);
  Storage s;
  s.id = "bess";
  s.bus = 2;
  s.p_set_w = 2e6;
  s.rating_w = 1e6;
  m.storage.push_back(s);
  Switch sw;
  sw.id = "sw";
  sw.from = 1;
  sw.to = 2;
  m.switches.push_back(sw);
  const auto list = validate_model(m);
  EXPECT_NE(find(list, "'zip': ZIP fractions 0.5, 0.5, 0.5 must be non-negative and sum to 1"),
            nullptr)
      << list.to_string();
  EXPECT_NE(find(list, "'dcq': draws reactive power from DC bus 'dc1'"), nullptr);
  EXPECT_NE(find(list, "'rack': idle_fraction and utilisation must be between 0 and 1"), nullptr);
  EXPECT_NE(find(list, "'bess': power 2000000 W exceeds its rating 1000000 W"), nullptr);
  EXPECT_NE(find(list, "switch 'sw': joins bus 'ac2' (AC 415 V) and bus 'dc1' (DC 800 V)"),
            nullptr);
}

TEST(ValidateModel, IdsBusesAndIndices) {
  ModelSpec m = base();
  m.buses.push_back(m.buses[0]);  // duplicate bus id
  m.buses[1].v_min_pu = 1.1;      // band upside down
  m.buses[2].nominal_voltage_v = 0.0;
  Load a;
  a.id = "grid";  // same id as the utility
  a.bus = 0;
  m.loads.push_back(a);
  Load dangling;
  dangling.id = "dangling";
  dangling.bus = 42;
  m.loads.push_back(dangling);
  m.solver.max_iterations = 0;
  m.frequency_hz = -50.0;
  const auto list = validate_model(m);
  EXPECT_NE(find(list, "bus id 'ac1' is used by another bus"), nullptr) << list.to_string();
  EXPECT_NE(find(list, "bus 'ac2': voltage band"), nullptr);
  EXPECT_NE(find(list, "bus 'dc1': nominal voltage 0 V is not positive"), nullptr);
  EXPECT_NE(find(list, "component id 'grid' is used by another component"), nullptr);
  EXPECT_NE(find(list, "load 'dangling': bus is not connected to a bus (index 42)"), nullptr);
  EXPECT_NE(find(list, "max_iterations must be at least 1"), nullptr);
  EXPECT_NE(find(list, "frequency -50 Hz is not positive"), nullptr);
}

}  // namespace
}  // namespace g2g::model

namespace g2g::model {
namespace {

// Finite but degenerate values, each of which once gave "converged" with a wrong or NaN answer:
// refused at the element, with the plausible range in the message.
TEST(ValidateModel, ValuesOutsideThePlausibleRangesAreErrors) {
  ModelSpec m = base();
  auto tiny = cable("tiny", 2, 3);
  tiny.length_m = 1e-12;
  m.lines.push_back(tiny);
  auto subnormal = cable("subnormal", 2, 3);
  subnormal.length_m = 5e-324;
  m.lines.push_back(subnormal);
  for (const double r : {1e-15, 1e-300}) {
    auto explicit_r = cable(r > 1e-100 ? "fempto" : "r300", 2, 3);
    explicit_r.r_ohm = r;
    m.lines.push_back(explicit_r);
  }
  m.buses[0].nominal_voltage_v = 1e300;
  m.buses[1].nominal_voltage_v = 5e-324;
  m.solver.base_power_va = 1e-300;
  const auto list = validate_model(m);
  const core::Diagnostic* d = find(list, "'tiny': length 1e-12 m is outside the plausible range");
  ASSERT_NE(d, nullptr) << list.to_string();
  EXPECT_EQ(d->where.line, 30);
  EXPECT_NE(d->message.find("between 0.001 m and 1e+06 m"), std::string::npos) << d->message;
  EXPECT_NE(find(list, "'subnormal': length"), nullptr) << list.to_string();
  EXPECT_NE(find(list, "'fempto': resistance"), nullptr) << list.to_string();
  EXPECT_NE(find(list, "'r300': resistance"), nullptr) << list.to_string();
  EXPECT_NE(find(list, "bus 'ac1': voltage"), nullptr) << list.to_string();
  EXPECT_NE(find(list, "bus 'ac2': voltage"), nullptr) << list.to_string();
  EXPECT_NE(find(list, "solver base_power"), nullptr) << list.to_string();

  ModelSpec named = base();
  named.name = std::string(100000, 'n');
  EXPECT_NE(find(validate_model(named), "the model's name is 100000 bytes long"), nullptr);

  // The edges of the ranges are accepted; zero is left to each key's own check.
  ModelSpec edges = base();
  auto shortest = cable("shortest", 2, 3);
  shortest.length_m = 1e-3;
  edges.lines.push_back(shortest);
  auto lossless = cable("lossless", 0, 1);
  lossless.r_ohm = 0.0;
  lossless.x_ohm = 1e-9;
  edges.lines.push_back(lossless);
  edges.buses[2].nominal_voltage_v = 0.8;  // a GPU core rail
  edges.buses[3].nominal_voltage_v = 0.8;
  EXPECT_EQ(validate_model(edges).error_count(), 0U) << validate_model(edges).to_string();
}

}  // namespace
}  // namespace g2g::model

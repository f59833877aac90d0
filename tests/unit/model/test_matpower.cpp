// MATPOWER importer: a small hand-written case exercising every mapping rule, the exact branch
// model, and the diagnostics (line and column) for malformed input.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <string>

#include "g2g/components/branch.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/model/matpower.hpp"

namespace g2g::model {
namespace {

// Buses: 1 slack (110 kV), 2 PV (110 kV), 3 PQ (20 kV) with load and shunt, 4 isolated,
// 5 PQ with baseKV 0 and a generator that does not control voltage.
constexpr const char* three_bus_case = R"(function mpc = small_case
%SMALL_CASE  hand-written test case; 'quotes' and % signs in comments are ignored
mpc.version = '2';
mpc.baseMVA = 100;

%% bus data
%	bus_i	type	Pd	Qd	Gs	Bs	area	Vm	Va	baseKV	zone	Vmax	Vmin
mpc.bus = [
	1	3	0	0	0	0	1	1.02	5	110	1	1.1	0.9;
	2	2	50	20	0	0	1	1.00	0	110	1	1.1	0.9;
	3	1	80	30	5	-10	1	1.00	0	20	1	1.05	0.95;
	4	4	10	5	0	0	1	1	0	20	1	1.1	0.9;
	5	1	0	0	0	2.5	1	1	0	0	1	1.1	0.9
];

%% generator data
mpc.gen = [
	1	0	0	100	-100	1.02	100	1	200	0;
	2	40	5	30	-20	1.01	100	1	100	0;
	2	10	0	10	-5	1.01	100	0	100	0;   % out of service
	4	10	0	10	-5	1.00	100	1	100	0;   % on the isolated bus
	5	7	-3	10	-5	1.00	100	1	100	0;   % on a PQ bus: fixed injection
];

%% branch data
mpc.branch = [
	1	2	0.01	0.1	0.02	120	0	0	0	0	1	-360	360;
	2	3	0.005	0.05	0.01	0	0	0	1.05	0	1	-360	360;
	1	3	0	0.08	0	0	0	0	0	-30	1	-360	360;
	1	2	0.02	0.2	0	0	0	0	0	0	0	-360	360;
	3	4	0.01	0.1	0	0	0	0	0	0	1	-360	360;
	3, 5, 0.02, 0.2, 0, 0, 0, 0, 0, 0, ...
	   1, -360, 360
];

%% OPF data and names are skipped
mpc.gencost = [
	2	0	0	3	0.1	20	0;
];
mpc.bus_name = {
	'Bus 1 % not a comment';
	'it''s [not] a bracket';
};
)";

ModelSpec import_small() {
  return import_matpower(three_bus_case, "small.m");
}

// Line and column of the first occurrence of `marker` in `text` (1-based).
std::pair<int, int> location_of(const std::string& text, const std::string& marker) {
  const auto offset = text.find(marker);
  EXPECT_NE(offset, std::string::npos) << marker;
  int line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// Imports `text` expecting failure; returns the diagnostics.
core::DiagnosticList import_error(const std::string& text) {
  try {
    (void)import_matpower(text, "bad.m");
  } catch (const core::ModelError& error) {
    return error.diagnostics();
  }
  ADD_FAILURE() << "import succeeded but should have failed";
  return {};
}

void expect_error_at(const core::DiagnosticList& diagnostics, int line, int column,
                     const std::string& words) {
  ASSERT_TRUE(diagnostics.has_errors());
  const auto& first = diagnostics.items().front();
  EXPECT_EQ(first.where.file, "bad.m");
  EXPECT_EQ(first.where.line, line) << diagnostics.to_string();
  EXPECT_EQ(first.where.column, column) << diagnostics.to_string();
  EXPECT_NE(first.message.find(words), std::string::npos) << diagnostics.to_string();
}

template <typename T>
const T& by_id(const std::vector<T>& items, const std::string& id) {
  for (const auto& item : items)
    if (item.id == id) return item;
  ADD_FAILURE() << "no element " << id;
  static const T none{};
  return none;
}

TEST(MatpowerImport, ReadsNameBaseAndBuses) {
  const ModelSpec model = import_small();
  EXPECT_EQ(model.name, "small_case");
  EXPECT_EQ(model.source_file, "small.m");
  EXPECT_DOUBLE_EQ(model.solver.base_power_va, 100e6);
  ASSERT_EQ(model.buses.size(), 5u);
  EXPECT_EQ(model.buses[0].id, "bus1");
  EXPECT_EQ(model.buses[2].id, "bus3");
  for (const auto& bus : model.buses) EXPECT_EQ(bus.kind, BusKind::ac);
  EXPECT_DOUBLE_EQ(model.buses[0].nominal_voltage_v, 110e3);
  EXPECT_DOUBLE_EQ(model.buses[2].nominal_voltage_v, 20e3);
  EXPECT_DOUBLE_EQ(model.buses[4].nominal_voltage_v, 1e3);  // baseKV 0 -> 1 kV
  EXPECT_DOUBLE_EQ(model.buses[2].v_min_pu, 0.95);
  EXPECT_DOUBLE_EQ(model.buses[2].v_max_pu, 1.05);
  EXPECT_EQ(model.source_file, "small.m");
  EXPECT_EQ(model.buses[1].where.line, location_of(three_bus_case, "2\t2\t50").first);
  EXPECT_EQ(model.buses[1].where.column, 2);  // after the tab
}

TEST(MatpowerImport, SlackAndPvGenerators) {
  const ModelSpec model = import_small();
  const auto& slack = by_id(model.sources, "gen1");
  EXPECT_EQ(slack.type, SourceType::utility);
  EXPECT_EQ(slack.bus, 0);
  EXPECT_DOUBLE_EQ(slack.v_set_pu, 1.02);
  EXPECT_DOUBLE_EQ(slack.angle_deg, 5.0);  // from the slack bus Va
  EXPECT_TRUE(slack.in_service);

  const auto& pv = by_id(model.sources, "gen2");
  EXPECT_EQ(pv.type, SourceType::generator);
  EXPECT_EQ(pv.bus, 1);
  EXPECT_DOUBLE_EQ(pv.p_set_w, 40e6);
  EXPECT_DOUBLE_EQ(pv.v_set_pu, 1.01);
  EXPECT_DOUBLE_EQ(pv.q_max_var, 30e6);
  EXPECT_DOUBLE_EQ(pv.q_min_var, -20e6);
  EXPECT_TRUE(pv.in_service);

  const auto& off = by_id(model.sources, "gen3");  // second generator on bus 2, status 0
  EXPECT_EQ(off.bus, 1);
  EXPECT_FALSE(off.in_service);

  const auto& isolated = by_id(model.sources, "gen4");
  EXPECT_FALSE(isolated.in_service);
}

TEST(MatpowerImport, GeneratorOnPqBusIsFixedInjection) {
  const ModelSpec model = import_small();
  ASSERT_EQ(model.storage.size(), 1u);
  const auto& injection = model.storage.front();
  EXPECT_EQ(injection.id, "gen5");
  EXPECT_EQ(injection.bus, 4);
  EXPECT_DOUBLE_EQ(injection.p_set_w, 7e6);
  EXPECT_DOUBLE_EQ(injection.q_set_var, -3e6);
  EXPECT_TRUE(injection.in_service);
}

TEST(MatpowerImport, LoadsAndShunts) {
  const ModelSpec model = import_small();
  const auto& load = by_id(model.loads, "load2");
  EXPECT_EQ(load.model, LoadModel::constant_power);
  EXPECT_EQ(load.bus, 1);
  EXPECT_DOUBLE_EQ(load.p_w, 50e6);
  EXPECT_DOUBLE_EQ(load.q_var, 20e6);

  const auto& shunt = by_id(model.loads, "shunt3");
  EXPECT_EQ(shunt.model, LoadModel::constant_impedance);
  EXPECT_EQ(shunt.bus, 2);
  EXPECT_DOUBLE_EQ(shunt.p_w, 5e6);     // Gs: MW consumed at 1 pu
  EXPECT_DOUBLE_EQ(shunt.q_var, 10e6);  // Bs = -10 Mvar injected -> 10 Mvar consumed

  const auto& capacitor = by_id(model.loads, "shunt5");
  EXPECT_DOUBLE_EQ(capacitor.p_w, 0.0);
  EXPECT_DOUBLE_EQ(capacitor.q_var, -2.5e6);

  EXPECT_FALSE(by_id(model.loads, "load4").in_service);  // isolated bus
  // Buses without demand or shunt get no load element.
  for (const auto& item : model.loads) EXPECT_NE(item.id, "load1");
}

TEST(MatpowerImport, LineInOhmsFromPerUnit) {
  const ModelSpec model = import_small();
  const auto& line = by_id(model.lines, "branch1");
  const double z_base_ohm = 110.0 * 110.0 / 100.0;  // kV^2 / MVA
  EXPECT_EQ(line.from, 0);
  EXPECT_EQ(line.to, 1);
  ASSERT_TRUE(line.r_ohm && line.x_ohm);
  EXPECT_DOUBLE_EQ(*line.r_ohm, 0.01 * z_base_ohm);
  EXPECT_DOUBLE_EQ(*line.x_ohm, 0.1 * z_base_ohm);
  EXPECT_DOUBLE_EQ(line.b_total_s, 0.02 / z_base_ohm);
  EXPECT_NEAR(line.ampacity_a, 120e6 / (std::sqrt(3.0) * 110e3), 1e-9);
  EXPECT_TRUE(line.in_service);

  EXPECT_FALSE(by_id(model.lines, "branch4").in_service);  // status 0
  EXPECT_FALSE(by_id(model.lines, "branch5").in_service);  // to the isolated bus

  // Values split over lines with '...' and separated by commas. Buses 3 (20 kV) and 5 (baseKV 0,
  // taken as 1 kV) differ in nominal voltage, so this plain branch becomes a unit-ratio
  // transformer.
  const auto& continued = by_id(model.transformers, "branch6");
  EXPECT_EQ(continued.hv, 2);
  EXPECT_EQ(continued.lv, 4);
  EXPECT_DOUBLE_EQ(continued.tap_ratio, 1.0);
  EXPECT_DOUBLE_EQ(*continued.x_system_pu, 0.2);
  EXPECT_TRUE(continued.in_service);
}

TEST(MatpowerImport, TapAndPhaseShiftBecomeTransformers) {
  const ModelSpec model = import_small();
  ASSERT_EQ(model.transformers.size(), 3u);
  const auto& tap = by_id(model.transformers, "branch2");
  EXPECT_EQ(tap.hv, 1);  // from side carries the tap
  EXPECT_EQ(tap.lv, 2);
  EXPECT_DOUBLE_EQ(tap.tap_ratio, 1.05);
  EXPECT_DOUBLE_EQ(tap.phase_shift_deg, 0.0);
  ASSERT_TRUE(tap.r_system_pu && tap.x_system_pu);
  EXPECT_DOUBLE_EQ(*tap.r_system_pu, 0.005);
  EXPECT_DOUBLE_EQ(*tap.x_system_pu, 0.05);
  EXPECT_DOUBLE_EQ(tap.b_system_pu, 0.01);

  const auto& shifter = by_id(model.transformers, "branch3");
  EXPECT_DOUBLE_EQ(shifter.tap_ratio, 1.0);  // ratio 0 means 1
  EXPECT_DOUBLE_EQ(shifter.phase_shift_deg, -30.0);
  EXPECT_DOUBLE_EQ(*shifter.r_system_pu, 0.0);
}

// The imported elements reproduce MATPOWER's branch model exactly:
// Yff = (y + jb/2)/|t|^2, Yft = -y/conj(t), Ytf = -y/t, Ytt = y + jb/2, t = ratio e^{j shift}.
void expect_matpower_branch(const components::BranchAdmittance& actual, double r, double x,
                            double b, double ratio, double shift_deg) {
  using Complex = std::complex<double>;
  const Complex y = 1.0 / Complex(r, x);
  const Complex t = std::polar(ratio == 0.0 ? 1.0 : ratio, shift_deg * std::numbers::pi / 180.0);
  const Complex half_b(0.0, b / 2.0);
  const Complex expected[] = {(y + half_b) / std::norm(t), -y / std::conj(t), -y / t, y + half_b};
  const Complex got[] = {actual.y_ff, actual.y_ft, actual.y_tf, actual.y_tt};
  for (int k = 0; k < 4; ++k) {
    const double scale = std::abs(expected[k]) + 1.0;
    EXPECT_NEAR(got[k].real(), expected[k].real(), 1e-13 * scale) << "entry " << k;
    EXPECT_NEAR(got[k].imag(), expected[k].imag(), 1e-13 * scale) << "entry " << k;
  }
}

TEST(MatpowerImport, ReproducesMatpowerBranchModel) {
  const ModelSpec model = import_small();
  auto bases = [&](BusIndex from, BusIndex to) {
    return components::BranchBases{model.solver.base_power_va,
                                   model.buses[static_cast<std::size_t>(from)].nominal_voltage_v,
                                   model.buses[static_cast<std::size_t>(to)].nominal_voltage_v};
  };
  const auto& line = by_id(model.lines, "branch1");
  expect_matpower_branch(components::line_admittance(line, BusKind::ac, bases(line.from, line.to)),
                         0.01, 0.1, 0.02, 0.0, 0.0);
  const auto& tap = by_id(model.transformers, "branch2");
  expect_matpower_branch(components::transformer_admittance(tap, bases(tap.hv, tap.lv)), 0.005,
                         0.05, 0.01, 1.05, 0.0);
  const auto& shifter = by_id(model.transformers, "branch3");
  expect_matpower_branch(components::transformer_admittance(shifter, bases(shifter.hv, shifter.lv)),
                         0.0, 0.08, 0.0, 0.0, -30.0);
}

TEST(MatpowerImport, PlainBranchBetweenVoltageLevelsIsUnitRatioTransformer) {
  const std::string text = R"(mpc.baseMVA = 100;
mpc.bus = [
  1 3 0 0 0 0 1 1 0 220 1 1.1 0.9;
  2 1 10 0 0 0 1 1 0 110 1 1.1 0.9;
];
mpc.gen = [ 1 0 0 0 0 1 100 1 0 0 ];
mpc.branch = [ 1 2 0.001 0.02 0.003 0 0 0 0 0 1 -360 360 ];
)";
  const ModelSpec model = import_matpower(text, "levels.m");
  EXPECT_TRUE(model.lines.empty());
  ASSERT_EQ(model.transformers.size(), 1u);
  EXPECT_DOUBLE_EQ(model.transformers[0].tap_ratio, 1.0);
  EXPECT_DOUBLE_EQ(model.transformers[0].b_system_pu, 0.003);
  EXPECT_EQ(model.name, "levels");  // no function line: the file stem
}

TEST(MatpowerImport, ExtraGeneratorAtSlackKeepsItsPower) {
  const std::string text = R"(function mpc = two_slack_gens
mpc.baseMVA = 100;
mpc.bus = [ 1 3 0 0 0 0 1 1 0 10 1 1.1 0.9; 2 1 10 0 0 0 1 1 0 10 1 1.1 0.9 ];
mpc.gen = [ 1 0 0 0 0 1.01 100 0 0 0; 1 3 0 0 0 1.01 100 1 0 0; 1 4 0 0 0 1.01 100 1 0 0 ];
mpc.branch = [ 1 2 0.001 0.02 0 0 0 0 0 0 1 -360 360 ];
)";
  const ModelSpec model = import_matpower(text, "x.m");
  ASSERT_EQ(model.sources.size(), 3u);
  EXPECT_FALSE(model.sources[0].in_service);
  EXPECT_EQ(model.sources[1].type, SourceType::utility);  // first in-service one
  EXPECT_EQ(model.sources[2].type, SourceType::generator);
  EXPECT_DOUBLE_EQ(model.sources[2].p_set_w, 4e6);
}

// ---- Errors ---------------------------------------------------------------------------------

const char* const minimal_head = "mpc.version = '2';\nmpc.baseMVA = 100;\n";
const char* const minimal_bus =
    "mpc.bus = [\n  1 3 0 0 0 0 1 1 0 10 1 1.1 0.9;\n  2 1 5 1 0 0 1 1 0 10 1 1.1 0.9;\n];\n";
const char* const minimal_gen = "mpc.gen = [\n  1 0 0 0 0 1 100 1 0 0;\n];\n";
const char* const minimal_branch = "mpc.branch = [\n  1 2 0.01 0.1 0 0 0 0 0 0 1 -360 360;\n];\n";

TEST(MatpowerImportErrors, MinimalCaseImports) {
  const std::string text = std::string(minimal_head) + minimal_bus + minimal_gen + minimal_branch;
  EXPECT_NO_THROW((void)import_matpower(text, "ok.m"));
}

TEST(MatpowerImportErrors, WrongColumnCount) {
  const std::string text = std::string(minimal_head) +
                           "mpc.bus = [\n  1 3 0 0 0 0 1 1 0 10 1 1.1 0.9;\n"
                           "  2 1 5 1 0 0 1 1 0 10 1;\n];\n" +
                           minimal_gen + minimal_branch;
  const auto [line, column] = location_of(text, "2 1 5 1");
  expect_error_at(import_error(text), line, column, "bus row 2 has 11 columns but row 1 has 13");
}

TEST(MatpowerImportErrors, TooFewColumnsForFormat) {
  const std::string text = std::string(minimal_head) + minimal_bus + minimal_gen +
                           "mpc.branch = [\n  1 2 0.01 0.1 0 0;\n];\n";
  const auto [line, column] = location_of(text, "1 2 0.01 0.1 0 0;");
  expect_error_at(import_error(text), line, column, "needs at least 11");
}

TEST(MatpowerImportErrors, UnknownBusInBranch) {
  const std::string text = std::string(minimal_head) + minimal_bus + minimal_gen +
                           "mpc.branch = [\n  1 7 0.01 0.1 0 0 0 0 0 0 1 -360 360;\n];\n";
  auto [line, column] = location_of(text, "1 7 0.01");
  expect_error_at(import_error(text), line, column + 2, "branch to-bus 7 is not in the bus matrix");
}

TEST(MatpowerImportErrors, UnknownBusInGenerator) {
  const std::string text = std::string(minimal_head) + minimal_bus +
                           "mpc.gen = [\n  1 0 0 0 0 1 100 1 0 0;\n  9 0 0 0 0 1 100 1 0 0;\n];\n" +
                           minimal_branch;
  const auto [line, column] = location_of(text, "9 0 0 0");
  expect_error_at(import_error(text), line, column, "generator bus 9 is not in the bus matrix");
}

TEST(MatpowerImportErrors, MalformedNumber) {
  const std::string text = std::string(minimal_head) +
                           "mpc.bus = [\n  1 3 0 0 0 0 1 1 0 10 1 1.1 0.9;\n"
                           "  2 1 5 1x 0 0 1 1 0 10 1 1.1 0.9;\n];\n" +
                           minimal_gen + minimal_branch;
  const auto [line, column] = location_of(text, "1x");
  expect_error_at(import_error(text), line, column, "'1x' is not a number");
}

TEST(MatpowerImportErrors, UnexpectedCharacterInMatrix) {
  const std::string text = std::string(minimal_head) + minimal_bus + minimal_gen +
                           "mpc.branch = [\n  1 2 0.01 0.1 0 0 0 0 @ 0 1 -360 360;\n];\n";
  const auto [line, column] = location_of(text, "@");
  expect_error_at(import_error(text), line, column, "unexpected character '@'");
}

TEST(MatpowerImportErrors, UnclosedMatrix) {
  const std::string text =
      std::string(minimal_head) + "mpc.bus = [\n  1 3 0 0 0 0 1 1 0 10 1 1.1 0.9;\n";
  const auto [line, column] = location_of(text, "[");
  expect_error_at(import_error(text), line, column, "never closed");
}

TEST(MatpowerImportErrors, BadBusType) {
  const std::string text = std::string(minimal_head) +
                           "mpc.bus = [\n  1 3 0 0 0 0 1 1 0 10 1 1.1 0.9;\n"
                           "  2 5 5 1 0 0 1 1 0 10 1 1.1 0.9;\n];\n" +
                           minimal_gen + minimal_branch;
  auto [line, column] = location_of(text, "2 5 5 1");
  expect_error_at(import_error(text), line, column + 2, "bus type 5");
}

TEST(MatpowerImportErrors, DuplicateBusNumber) {
  const std::string text = std::string(minimal_head) +
                           "mpc.bus = [\n  1 3 0 0 0 0 1 1 0 10 1 1.1 0.9;\n"
                           "  1 1 5 1 0 0 1 1 0 10 1 1.1 0.9;\n];\n" +
                           minimal_gen + minimal_branch;
  const auto [line, column] = location_of(text, "1 1 5 1");
  expect_error_at(import_error(text), line, column, "bus number 1 appears twice");
}

TEST(MatpowerImportErrors, SlackWithoutGenerator) {
  const std::string text = std::string(minimal_head) + minimal_bus +
                           "mpc.gen = [\n  1 0 0 0 0 1 100 0 0 0;\n];\n" + minimal_branch;
  const auto [line, column] = location_of(text, "1 3 0 0");
  expect_error_at(import_error(text), line, column, "slack bus 1 has no in-service generator");
}

TEST(MatpowerImportErrors, ZeroImpedanceBranch) {
  const std::string text = std::string(minimal_head) + minimal_bus + minimal_gen +
                           "mpc.branch = [\n  1 2 0 0 0 0 0 0 0 0 1 -360 360;\n];\n";
  auto [line, column] = location_of(text, "1 2 0 0 0");
  expect_error_at(import_error(text), line, column + 4, "zero impedance");
}

TEST(MatpowerImportErrors, MissingMatrixAndVersion) {
  const auto missing = import_error(std::string(minimal_head) + minimal_bus + minimal_gen);
  ASSERT_TRUE(missing.has_errors());
  EXPECT_NE(missing.items().front().message.find("mpc.branch is missing"), std::string::npos);

  const std::string old = "mpc.version = '1';\nmpc.baseMVA = 100;\n" + std::string(minimal_bus) +
                          minimal_gen + minimal_branch;
  expect_error_at(import_error(old), 1, 15, "version '1' is not supported");
}

TEST(MatpowerImportErrors, IndexedAssignmentOfCaseFieldIsRejected) {
  const std::string text = std::string(minimal_head) + minimal_bus + minimal_gen + minimal_branch +
                           "mpc.bus(2, 3) = 7;\n";
  const auto [line, column] = location_of(text, "mpc.bus(2");
  expect_error_at(import_error(text), line, column, "only a plain assignment is read");
}

TEST(MatpowerImportErrors, DcLinesAreRefusedNotIgnored) {
  const std::string base = std::string(minimal_head) + minimal_bus + minimal_gen + minimal_branch;
  EXPECT_NO_THROW((void)import_matpower(base + "mpc.dcline = [];\n", "ok.m"));
  const std::string text =
      base + "mpc.dcline = [\n  1 2 1 10 0 0 0 1 1 -10 10 -10 10 -10 10 0 0;\n];\n";
  const auto [line, column] = location_of(text, "mpc.dcline");
  expect_error_at(import_error(text), line, column, "DC lines");
}

TEST(MatpowerImport, SkipsOtherFieldsAndStatements) {
  const std::string text =
      std::string("function result = renamed\n") + "result.version = '2';\nresult.baseMVA = 50;\n" +
      "result.areas = [1 1];\nscale = [1 2; 3 4]';\n" +
      "result.bus = [ 1 3 0 0 0 0 1 1 0 10 1 1.1 0.9; 2 1 5 1 0 0 1 1 0 10 1 1.1 0.9 ];\n" +
      "result.gen = [ 1 0 0 0 0 1 100 1 0 0 ];\n" +
      "result.branch = [ 1 2 .01 1e-1 0 0 0 0 0 0 1 -360 360 ];\n" +
      "result.gentype = { 'NG' };  % strings with ] and ; inside: 'a];'\n";
  const ModelSpec model = import_matpower(text, "renamed.m");
  EXPECT_EQ(model.name, "renamed");
  EXPECT_DOUBLE_EQ(model.solver.base_power_va, 50e6);
  ASSERT_EQ(model.lines.size(), 1u);
  EXPECT_DOUBLE_EQ(*model.lines[0].x_ohm, 0.1 * 10.0 * 10.0 / 50.0);
}

TEST(MatpowerImport, BlockCommentsAreSkipped) {
  const std::string text = std::string(minimal_head) + minimal_bus + minimal_gen + minimal_branch +
                           "  %{\nmpc.bus = [ 1 2 3 ];\n%{\nnested\n%}\nmpc.gen = oops\n  %}  \n";
  const ModelSpec model = import_matpower(text, "block.m");
  EXPECT_EQ(model.buses.size(), 2u);
  EXPECT_EQ(model.sources.size(), 1u);

  const std::string open = std::string(minimal_head) + "%{\n" + minimal_bus;
  expect_error_at(import_error(open), 3, 1, "block comment is never closed");
}

TEST(MatpowerImportErrors, EmptyBusMatrix) {
  const std::string text =
      std::string(minimal_head) + "mpc.bus = [\n];\n" + minimal_gen + minimal_branch;
  expect_error_at(import_error(text), 3, 1, "mpc.bus has no rows");
}

TEST(MatpowerImportErrors, ReportsEveryProblem) {
  const std::string text = std::string(minimal_head) + minimal_bus +
                           "mpc.gen = [\n  8 0 0 0 0 1 100 1 0 0;\n  1 0 0 0 0 1 100 1 0 0;\n];\n" +
                           "mpc.branch = [\n  1 9 0.01 0.1 0 0 0 0 0 0 1 -360 360;\n];\n";
  const auto diagnostics = import_error(text);
  EXPECT_EQ(diagnostics.error_count(), 2u) << diagnostics.to_string();
  try {
    (void)import_matpower(text, "bad.m");
  } catch (const core::ModelError& error) {
    EXPECT_NE(std::string(error.what()).find("bad.m:"), std::string::npos);
  }
}

}  // namespace
}  // namespace g2g::model

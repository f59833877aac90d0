// io::format_results_json: field names and types as documented in docs/results-format.md, exact
// round trip of every number, and a document that always parses (escaping, NaN, bad UTF-8).
#include <fmt/format.h>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "g2g/io/files.hpp"
#include "g2g/io/result_labels.hpp"
#include "g2g/io/results_json.hpp"
#include "support/test_support.hpp"

namespace g2g::io {
namespace {

using nlohmann::json;

model::ModelSpec small_model() {
  model::ModelSpec model;
  model.name = "two-stage";
  model.source_file = "examples/two-stage.yaml";
  model.frequency_hz = 50.0;
  model::Bus mv;
  mv.id = "mv";
  mv.kind = model::BusKind::ac;
  mv.nominal_voltage_v = 13.8e3;
  model::Bus dc;
  dc.id = "dc800";
  dc.kind = model::BusKind::dc;
  dc.nominal_voltage_v = 800.0;
  model::Bus rack;
  rack.id = "rack1";
  rack.kind = model::BusKind::dc;
  rack.nominal_voltage_v = 800.0;
  model.buses = {mv, dc, rack};

  model::Source utility;
  utility.id = "grid";
  utility.bus = 0;
  model.sources = {utility};
  model::Converter sst;
  sst.id = "sst1";
  sst.type = model::ConverterType::rectifier;
  sst.subtype = model::ConverterSubtype::sst;
  sst.input = 0;
  sst.output = 1;
  model.converters = {sst};
  model::Line cable;
  cable.id = "feeder1";
  cable.type = model::LineType::cable;
  cable.from = 1;
  cable.to = 2;
  model.lines = {cable};
  model::Load gpu;
  gpu.id = "gpu1";
  gpu.model = model::LoadModel::gpu_rack;
  gpu.bus = 2;
  model.loads = {gpu};
  return model;
}

steady::SolveResult small_result() {
  steady::SolveResult result;
  result.converged = true;
  result.stats.iterations = 4;
  result.stats.max_mismatch_pu = 3.5e-13;
  result.stats.unknowns = 5;
  result.stats.jacobian_nonzeros = 17;
  result.stats.solve_seconds = 1.25e-4;
  result.buses = {{0, 1.0, 13.8e3, 0.0, true},
                  {1, 0.1 + 0.2, 800.0 * (0.1 + 0.2), 0.0, true},
                  {2, 0.9876543210987654, 790.1234567890123, 0.0, true}};
  steady::ElementResult source;
  source.type = steady::ElementType::source;
  source.index = 0;
  source.p_out_w = 1.0625e6;
  source.q_out_var = 1234.5;
  steady::ElementResult converter;
  converter.type = steady::ElementType::converter;
  converter.index = 0;
  converter.p_in_w = 1.0625e6;
  converter.p_out_w = 1.05e6;
  converter.loss_w = 12500.0;
  converter.loading_pct = 87.5;
  steady::ElementResult line;
  line.type = steady::ElementType::line;
  line.index = 0;
  line.p_in_w = 1.05e6;
  line.p_out_w = 1.0e6;
  line.loss_w = 5.0e4;
  line.current_a = 1312.5;
  line.current_out_a = 1312.5;
  line.loading_pct = 101.0;
  steady::ElementResult load;
  load.type = steady::ElementType::load;
  load.index = 0;
  load.p_in_w = 1.0e6;
  result.elements = {source, converter, line, load};
  result.totals.source_w = 1.0625e6;
  result.totals.load_w = 1.0e6;
  result.totals.loss_w = 62500.0;
  result.totals.efficiency = 1.0e6 / 1.0625e6;
  result.totals.loss_by_type = {{"converter", 12500.0}, {"line", 5.0e4}};
  result.totals.loss_by_stage = {{"converter:sst", 12500.0}, {"line", 5.0e4}};
  result.violations = {{steady::ViolationKind::ampacity, "feeder1", 101.0, 100.0},
                       {steady::ViolationKind::under_voltage, "rack1", 0.9876, 0.99}};
  return result;
}

TEST(ResultsJson, HasTheDocumentedTopLevelFields) {
  const json doc = json::parse(format_results_json(small_model(), small_result()));
  EXPECT_EQ(doc.at("format"), "grid2gpu-results");
  EXPECT_EQ(doc.at("format_version"), results_format_version);
  EXPECT_EQ(doc.at("model").at("name"), "two-stage");
  EXPECT_EQ(doc.at("model").at("file"), "examples/two-stage.yaml");
  EXPECT_EQ(doc.at("converged"), true);
  EXPECT_EQ(doc.at("iterations"), 4);
  const json& solver = doc.at("solver");
  EXPECT_EQ(solver.at("iterations"), 4);
  EXPECT_EQ(solver.at("max_mismatch_pu").get<double>(), 3.5e-13);
  EXPECT_EQ(solver.at("unknowns"), 5);
  EXPECT_EQ(solver.at("jacobian_nonzeros"), 17);
  EXPECT_EQ(solver.at("used_fallback"), false);
  EXPECT_TRUE(solver.contains("solve_seconds"));
  EXPECT_TRUE(solver.contains("tolerance_pu"));
}

TEST(ResultsJson, BusesCarryIdKindVoltageAndAngle) {
  const json buses = json::parse(format_results_json(small_model(), small_result())).at("buses");
  ASSERT_EQ(buses.size(), 3u);
  EXPECT_EQ(buses[0].at("id"), "mv");
  EXPECT_EQ(buses[0].at("kind"), "ac");
  EXPECT_EQ(buses[0].at("voltage_v").get<double>(), 13.8e3);
  EXPECT_EQ(buses[0].at("nominal_voltage_v").get<double>(), 13.8e3);
  EXPECT_EQ(buses[1].at("kind"), "dc");
  for (const auto& bus : buses) {
    for (const char* field : {"id", "kind", "voltage_v", "v_pu", "angle_deg", "energised"})
      EXPECT_TRUE(bus.contains(field)) << field;
  }
}

TEST(ResultsJson, ElementsAreNamedFromTheModel) {
  const json elements =
      json::parse(format_results_json(small_model(), small_result())).at("elements");
  ASSERT_EQ(elements.size(), 4u);
  EXPECT_EQ(elements[0].at("id"), "grid");
  EXPECT_EQ(elements[0].at("type"), "source");
  EXPECT_EQ(elements[0].at("kind"), "utility");
  EXPECT_EQ(elements[0].at("bus"), "mv");
  EXPECT_FALSE(elements[0].contains("to_bus"));
  EXPECT_EQ(elements[1].at("id"), "sst1");
  EXPECT_EQ(elements[1].at("type"), "converter");
  EXPECT_EQ(elements[1].at("kind"), "rectifier");
  EXPECT_EQ(elements[1].at("subtype"), "sst");
  EXPECT_EQ(elements[1].at("from_bus"), "mv");
  EXPECT_EQ(elements[1].at("to_bus"), "dc800");
  EXPECT_EQ(elements[2].at("type"), "line");
  EXPECT_EQ(elements[2].at("kind"), "cable");
  EXPECT_EQ(elements[2].at("loading_pct").get<double>(), 101.0);
  EXPECT_EQ(elements[3].at("type"), "load");
  EXPECT_EQ(elements[3].at("kind"), "gpu_rack");
  for (const auto& element : elements) {
    for (const char* field : {"id", "type", "p_in_w", "p_out_w", "q_in_var", "q_out_var", "loss_w",
                              "current_a", "current_out_a", "loading_pct"})
      EXPECT_TRUE(element.contains(field)) << field;
  }
}

TEST(ResultsJson, TotalsAndViolations) {
  const json doc = json::parse(format_results_json(small_model(), small_result()));
  const json& totals = doc.at("totals");
  EXPECT_EQ(totals.at("source_w").get<double>(), 1.0625e6);
  EXPECT_EQ(totals.at("load_w").get<double>(), 1.0e6);
  EXPECT_EQ(totals.at("loss_w").get<double>(), 62500.0);
  EXPECT_EQ(totals.at("efficiency").get<double>(), 1.0e6 / 1.0625e6);
  EXPECT_EQ(totals.at("loss_by_type").at("line").get<double>(), 5.0e4);
  EXPECT_EQ(totals.at("loss_by_stage").at("converter:sst").get<double>(), 12500.0);
  const json& violations = doc.at("violations");
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].at("kind"), "ampacity");
  EXPECT_EQ(violations[0].at("element_id"), "feeder1");
  EXPECT_EQ(violations[0].at("unit"), "pct");
  EXPECT_EQ(violations[1].at("kind"), "under_voltage");
  EXPECT_EQ(violations[1].at("unit"), "pu");
  EXPECT_EQ(violations[1].at("limit").get<double>(), 0.99);
}

TEST(ResultsJson, NumbersRoundTripExactly) {
  auto result = small_result();
  const double awkward[] = {0.1 + 0.2, 1.0 / 3.0,          5e-324, 1.7976931348623157e308,
                            -2.5e-17,  123456789.12345679, 0.0};
  result.buses[2].v_pu = awkward[0];
  std::size_t i = 0;
  for (auto& element : result.elements) element.p_in_w = awkward[i++ % std::size(awkward)];
  const json doc = json::parse(format_results_json(small_model(), result));
  EXPECT_EQ(doc.at("buses")[2].at("v_pu").get<double>(), awkward[0]);
  i = 0;
  for (const auto& element : doc.at("elements"))
    EXPECT_EQ(element.at("p_in_w").get<double>(), awkward[i++ % std::size(awkward)]);
}

TEST(ResultsJson, NumbersAreWrittenInTheirShortestForm) {
  // Whole numbers take a faster path than the rest; the text is the same either way.
  const double values[] = {0.0,  -0.0,   800.0,  -13.8e3, 200000.0, 999999999999999.0,
                           1e15, 1e16,   1e300,  0.5,     -2.5e-17, 123456789.12345679,
                           3.0,  4096.0, 1.0e-5, 1e21};
  auto result = small_result();
  for (const double value : values) {
    for (auto& element : result.elements) element.loss_w = value;
    const std::string text = format_results_json(small_model(), result);
    std::string expected = "\"loss_w\":";
    append_shortest(expected, value);
    EXPECT_NE(text.find(expected + ","), std::string::npos) << expected;
  }
}

TEST(ResultsJson, NonFiniteNumbersBecomeNull) {
  auto result = small_result();
  result.totals.efficiency = std::numeric_limits<double>::quiet_NaN();
  result.elements[0].loading_pct = std::numeric_limits<double>::infinity();
  const json doc = json::parse(format_results_json(small_model(), result));
  EXPECT_TRUE(doc.at("totals").at("efficiency").is_null());
  EXPECT_TRUE(doc.at("elements")[0].at("loading_pct").is_null());
}

TEST(ResultsJson, IdsAreEscapedAndAlwaysValidUtf8) {
  auto model = small_model();
  model.name = "quote\" backslash\\ newline\n tab\t ctrl\x01 end";
  model.buses[0].id = "bus \xc2\xb5 ok";             // valid two-byte UTF-8 (micro sign)
  model.buses[1].id = std::string("bad \xff byte");  // not UTF-8
  model.buses[2].id = std::string("cut \xe2\x82");   // truncated three-byte sequence
  const json doc = json::parse(format_results_json(model, small_result()));
  EXPECT_EQ(doc.at("model").at("name"), model.name);
  EXPECT_EQ(doc.at("buses")[0].at("id"), "bus \xc2\xb5 ok");
  EXPECT_EQ(doc.at("buses")[1].at("id"), "bad \xef\xbf\xbd byte");
  EXPECT_EQ(doc.at("buses")[2].at("id"), "cut \xef\xbf\xbd\xef\xbf\xbd");
}

TEST(ResultsJson, EmptyResultIsStillADocument) {
  const json doc = json::parse(format_results_json(model::ModelSpec{}, steady::SolveResult{}));
  EXPECT_TRUE(doc.at("buses").empty());
  EXPECT_TRUE(doc.at("elements").empty());
  EXPECT_TRUE(doc.at("violations").empty());
  EXPECT_TRUE(doc.at("totals").at("loss_by_type").empty());
}

TEST(ResultsJson, ResultFromAnotherModelIsRejected) {
  auto result = small_result();
  result.elements[2].index = 7;  // the model has one line
  EXPECT_THROW((void)format_results_json(small_model(), result), std::out_of_range);
  result = small_result();
  result.buses[0].bus = 3;
  EXPECT_THROW((void)format_results_json(small_model(), result), std::out_of_range);
}

}  // namespace
}  // namespace g2g::io

namespace g2g::io {
namespace {

// Large arrays are formatted in chunks on several threads; the rows must still come out complete
// and in order, and the file written from the pieces must equal the string.
TEST(ResultsJson, LargeResultKeepsEveryRowInOrder) {
  model::ModelSpec model;
  steady::SolveResult result;
  constexpr int count = 40000;
  for (int i = 0; i < count; ++i) {
    model::Bus bus;
    bus.id = fmt::format("b{}", i);
    model.buses.push_back(bus);
    model::Load load;
    load.id = fmt::format("d{}", i);
    load.bus = i;
    model.loads.push_back(load);
    result.buses.push_back({i, 1.0 - i * 1e-7, 800.0, 0.0, true});
    steady::ElementResult element;
    element.type = steady::ElementType::load;
    element.index = i;
    element.p_in_w = i + 0.5;
    result.elements.push_back(element);
  }
  const std::string text = format_results_json(model, result);
  const json doc = json::parse(text);
  ASSERT_EQ(doc.at("buses").size(), static_cast<std::size_t>(count));
  ASSERT_EQ(doc.at("elements").size(), static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    ASSERT_EQ(doc["buses"][i]["id"], "b" + std::to_string(i));
    ASSERT_EQ(doc["elements"][i]["id"], "d" + std::to_string(i));
    ASSERT_EQ(doc["elements"][i]["bus"], "b" + std::to_string(i));
    ASSERT_EQ(doc["elements"][i]["p_in_w"].get<double>(), i + 0.5);
  }

  const auto path = test::scratch_dir("results-json-large") / "r.json";
  write_results_json(path, model, result);
  EXPECT_EQ(read_text_file(path), text);
}

}  // namespace
}  // namespace g2g::io

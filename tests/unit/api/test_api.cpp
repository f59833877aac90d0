// The library's front door (src/g2g/api): one validation path for every source of a model, and
// a reusable solver that gives the same answers as a fresh one.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "g2g/api/converter.hpp"
#include "g2g/api/model.hpp"
#include "g2g/api/solve.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/core/error.hpp"
#include "g2g/synth/networks.hpp"
#include "support/test_support.hpp"

namespace g2g::api {
namespace {

using g2g::test::read_text;

namespace fs = std::filesystem;

// Every message of a ModelError thrown by `f`, one per line.
template <typename F>
std::string model_error_of(F&& f) {
  try {
    f();
  } catch (const core::ModelError& error) {
    EXPECT_EQ(error.kind(), ErrorKind::invalid_input);
    return error.diagnostics().to_string();
  }
  ADD_FAILURE() << "no ModelError thrown";
  return {};
}

TEST(Api, ThePathTheStringAndTheTreeGiveTheSameModel) {
  const fs::path path = test::example_path("legacy-415vac-small.yaml");
  const ValidatedModel from_path = load_model(path);
  const ValidatedModel from_text =
      load_model_text(read_text(path), ModelFormat::yaml, path.string());
  const ValidatedModel from_tree = validate(from_path.spec());
  for (const auto* m : {&from_text, &from_tree}) {
    EXPECT_EQ(m->spec().buses.size(), from_path.spec().buses.size());
    EXPECT_EQ(m->spec().loads.size(), from_path.spec().loads.size());
  }
  const auto a = solve(from_path);
  const auto b = solve(from_text);
  EXPECT_EQ(a.totals.source_w, b.totals.source_w);
}

TEST(Api, FormatComesFromTheExtension) {
  EXPECT_EQ(format_of("a.yml"), ModelFormat::yaml);
  EXPECT_EQ(format_of("a.JSON"), ModelFormat::json);
  EXPECT_EQ(format_of("case9.m"), ModelFormat::matpower);
  EXPECT_NE(
      model_error_of([] { (void)format_of("model.txt"); }).find("unknown model file extension"),
      std::string::npos);
}

TEST(Api, AModelFromAStringCannotReadDesignFiles) {
  // The physics example names a SPEC file beside it; from a string there is no "beside".
  const fs::path path = test::example_path("physics-48v-rack-shelf.yaml");
  const std::string message = model_error_of(
      [&] { (void)load_model_text(read_text(path), ModelFormat::yaml, "in-memory.yaml"); });
  EXPECT_NE(message.find("has no directory to read it from"), std::string::npos) << message;
  // With the directory given as the design source, it loads.
  const DesignFiles beside(path.parent_path());
  ModelOptions options;
  options.designs = &beside;
  const ValidatedModel m =
      load_model_text(read_text(path), ModelFormat::yaml, path.string(), options);
  for (const auto& c : m.spec().converters)
    if (!c.design_file.empty()) {
      EXPECT_FALSE(c.efficiency.empty()) << c.id;
    }
}

TEST(Api, AnInMemoryModelGetsTheTopologyChecks) {
  ValidatedModel good = load_model(test::example_path("legacy-415vac-small.yaml"));
  model::ModelSpec spec = std::move(good).take_spec();
  // A bus with a load and nothing to feed it.
  model::Bus island;
  island.id = "stranded";
  island.kind = model::BusKind::ac;
  island.nominal_voltage_v = 415.0;
  spec.buses.push_back(island);
  model::Load load;
  load.id = "stranded_load";
  load.bus = static_cast<model::BusIndex>(spec.buses.size() - 1);
  load.p_w = 1e3;
  spec.loads.push_back(load);
  const std::string message = model_error_of([&] { (void)validate(spec); });
  EXPECT_NE(message.find("stranded"), std::string::npos) << message;
}

// From 10,000 buses the topology check runs beside validation, on the same model: both must
// report, and a model that passes both must come out whole.
TEST(Api, ALargeModelIsCheckedWithTheTopologyBesideValidation) {
  synth::DcNetworkParams params;
  params.bus_count = 12000;
  model::ModelSpec spec = synth::random_dc_network(params);
  const std::size_t buses = spec.buses.size();
  const ValidatedModel good = validate(spec);
  EXPECT_EQ(good.spec().buses.size(), buses);
  EXPECT_TRUE(solve(good).converged);

  model::Bus stranded = spec.buses.back();
  stranded.id = "stranded";
  spec.buses.push_back(stranded);
  model::Load load;
  load.id = "stranded_load";
  load.bus = static_cast<model::BusIndex>(spec.buses.size() - 1);
  load.p_w = 1e3;
  spec.loads.push_back(load);
  const std::string island = model_error_of([&] { (void)validate(spec); });
  EXPECT_NE(island.find("stranded"), std::string::npos) << island;

  spec.loads.back().p_w = -1.0;  // and a validation error: both checks ran, validation's reported
  spec.lines.front().id = spec.lines.back().id;
  const std::string duplicate = model_error_of([&] { (void)validate(spec); });
  EXPECT_NE(duplicate.find(spec.lines.back().id), std::string::npos) << duplicate;
}

TEST(Api, ParameterOverridesReachTheModel) {
  const fs::path path = test::example_path("800vdc-sst.yaml");
  const ValidatedModel base = load_model(path);
  ASSERT_FALSE(base.spec().parameters.empty());
  ModelOptions options;
  options.parameters.push_back({"not_a_parameter", "1"});
  const std::string message = model_error_of([&] { (void)load_model(path, options); });
  EXPECT_NE(message.find("not_a_parameter"), std::string::npos) << message;
}

// The reusable solver: a changed load level solved from the last solution, with the structure
// kept, gives the fresh solver's answer.
TEST(Api, ReusableSolverMatchesAFreshSolveAfterAnUpdate) {
  const ValidatedModel first = load_model(test::example_path("800vdc-gpu-hall.yaml"));
  Solver solver(first);
  const auto r1 = solver.solve();
  ASSERT_TRUE(r1.converged);

  model::ModelSpec lighter = first.spec();
  for (auto& load : lighter.loads) {
    load.p_w *= 0.7;
    load.it_power_w *= 0.7;
  }
  const ValidatedModel second = validate(lighter);
  ASSERT_TRUE(solver.update(second));
  const auto warm = solver.solve();
  const auto fresh = solve(second);
  ASSERT_TRUE(warm.converged);
  ASSERT_EQ(warm.buses.size(), fresh.buses.size());
  for (std::size_t b = 0; b < warm.buses.size(); ++b)
    EXPECT_NEAR(warm.buses[b].v_pu, fresh.buses[b].v_pu, 1e-9) << b;
  EXPECT_NEAR(warm.totals.loss_w, fresh.totals.loss_w, 1e-6 * fresh.totals.loss_w);
  EXPECT_LT(warm.totals.load_w, 0.75 * r1.totals.load_w);  // the update took effect
  // Started from the last solution, it needs no more iterations than from a flat start.
  EXPECT_LE(warm.stats.iterations, fresh.stats.iterations);

  // Solving again without a change: already converged, no iteration needed.
  const auto again = solver.solve();
  EXPECT_EQ(again.stats.iterations, 0);
  EXPECT_EQ(again.totals.loss_w, warm.totals.loss_w);
}

TEST(Api, ReusableSolverRefusesAnotherStructure) {
  const ValidatedModel first = load_model(test::example_path("800vdc-gpu-hall.yaml"));
  Solver solver(first);
  (void)solver.solve();
  // An element taken out of service: another set of active elements.
  model::ModelSpec changed = first.spec();
  ASSERT_FALSE(changed.loads.empty());
  changed.loads.back().in_service = false;
  const ValidatedModel other = validate(changed);
  EXPECT_FALSE(solver.update(other));
  // Unchanged after the refusal: the first model's answer.
  const auto r = solver.solve();
  EXPECT_TRUE(r.converged);
}

// update_loads: the loads alone stamped again (no topology, no admittance matrix) gives the
// answer of a full update; other loads or buses are refused.
TEST(Api, ReusableSolverUpdatesLoadsAlone) {
  const ValidatedModel first = load_model(test::example_path("800vdc-gpu-hall.yaml"));
  model::ModelSpec lighter = first.spec();
  for (auto& load : lighter.loads) {
    load.p_w *= 0.7;
    load.q_var *= 0.7;
    load.it_power_w *= 0.7;
  }
  const ValidatedModel second = validate(lighter);
  Solver by_loads(first);
  Solver by_update(first);
  (void)by_loads.solve();
  (void)by_update.solve();
  ASSERT_TRUE(by_loads.update_loads(second));
  ASSERT_TRUE(by_update.update(second));
  const auto a = by_loads.solve();
  const auto b = by_update.solve();
  ASSERT_TRUE(a.converged);
  ASSERT_EQ(a.buses.size(), b.buses.size());
  for (std::size_t k = 0; k < a.buses.size(); ++k)
    EXPECT_EQ(a.buses[k].v_pu, b.buses[k].v_pu) << k;  // the same network, bit for bit
  EXPECT_EQ(a.totals.loss_w, b.totals.loss_w);

  model::ModelSpec moved = first.spec();
  ASSERT_GE(moved.loads.size(), 2U);
  moved.loads.back().bus = moved.loads.front().bus;
  const ValidatedModel third = validate(moved);
  EXPECT_FALSE(by_loads.update_loads(third));

  // One more element of any kind (here a shunt bank on the MV bus) is another structure.
  model::ModelSpec with_bank = first.spec();
  model::Shunt bank;
  bank.id = "bank";
  for (std::size_t b = 0; b < with_bank.buses.size(); ++b)
    if (with_bank.buses[b].id == "mv") bank.bus = static_cast<model::BusIndex>(b);
  ASSERT_NE(bank.bus, model::no_bus);
  bank.q_rated_var = 1e6;
  with_bank.shunts.push_back(bank);
  const ValidatedModel fourth = validate(with_bank);
  EXPECT_FALSE(by_loads.update_loads(fourth));
}

TEST(Api, ConverterMapGridAndPoint) {
  const io::LoadedConverterSpec spec =
      io::load_converter_spec(test::example_path("converters/epc9149-llc-48v-12v.yaml"));
  const MapGrid grid = map_grid(spec, 4, 0.1);
  ASSERT_EQ(grid.load_fractions.size(), 4U);
  EXPECT_DOUBLE_EQ(grid.load_fractions.front(), 0.25);
  EXPECT_DOUBLE_EQ(grid.load_fractions.back(), 1.0);
  ASSERT_EQ(grid.v_in_v.size(), 3U);
  EXPECT_NEAR(grid.v_in_v[0] / grid.v_in_v[1], 0.9, 1e-12);
  EXPECT_THROW((void)map_grid(spec, 4, 1.0), InvalidInput);
  EXPECT_THROW((void)map_grid(spec, 1, 0.1), InvalidInput);
  const converters::EfficiencyMap map = converter_map(spec, map_grid(spec, 2, 0.0));
  EXPECT_EQ(map.points.size(), 2U);
  const auto nominal = operating_point(spec, std::nan(""), std::nan(""), std::nan(""));
  EXPECT_GT(nominal.p_out_w, 0.0);
  EXPECT_THROW((void)operating_point(spec, -1.0, std::nan(""), std::nan("")), InvalidInput);
}

}  // namespace
}  // namespace g2g::api

// api::ModelTemplate (src/g2g/api/model_template.hpp): every expansion, patched in place or built
// again, equals what load_model_text makes of the same text and overrides: the same ModelSpec,
// the same warnings, the same errors, and the same solution.
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "g2g/api/model.hpp"
#include "g2g/api/model_template.hpp"
#include "g2g/api/solve.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/model/element_kinds.hpp"
#include "g2g/model/loader.hpp"
#include "support/test_support.hpp"

namespace g2g::api {
namespace {

using g2g::test::read_text;

namespace fs = std::filesystem;
using model::ParameterOverride;

fs::path examples() {
  return test::source_dir() / "examples";
}

// Two models are the same when write_yaml (which round-trips every value bit for bit) gives the
// same text, and what it leaves out is equal too: places, origins, parameters, the efficiency
// curves designs filled.
void expect_same_spec(const model::ModelSpec& got, const model::ModelSpec& want,
                      const std::string& scenario) {
  SCOPED_TRACE(scenario);
  ASSERT_EQ(model::write_yaml(got), model::write_yaml(want));
  EXPECT_EQ(got.source_file, want.source_file);
  model::for_each_model_kind([&]<typename K>() {
    const auto& a = K::elements(got);
    const auto& b = K::elements(want);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].where.line, b[i].where.line) << a[i].id;
      EXPECT_EQ(a[i].where.column, b[i].where.column) << a[i].id;
      EXPECT_EQ(a[i].origin, b[i].origin) << a[i].id;
    }
  });
  for (std::size_t c = 0; c < got.converters.size(); ++c) {
    const auto& a = got.converters[c].efficiency;
    const auto& b = want.converters[c].efficiency;
    ASSERT_EQ(a.size(), b.size()) << got.converters[c].id;
    for (std::size_t p = 0; p < a.size(); ++p) {
      EXPECT_EQ(a[p].load_fraction, b[p].load_fraction);
      EXPECT_EQ(a[p].efficiency, b[p].efficiency) << got.converters[c].id;
    }
  }
  ASSERT_EQ(got.parameters.size(), want.parameters.size());
  for (std::size_t p = 0; p < got.parameters.size(); ++p) {
    EXPECT_EQ(got.parameters[p].name, want.parameters[p].name);
    EXPECT_EQ(got.parameters[p].text, want.parameters[p].text);
    EXPECT_EQ(got.parameters[p].value_si, want.parameters[p].value_si);
    EXPECT_EQ(got.parameters[p].overridden, want.parameters[p].overridden);
  }
}

// A declared parameter written as a number with a unit ("30 m", "10 %"), which a scenario scales.
struct Scalable {
  std::string name;
  double number = 0.0;
  std::string unit;  // with its leading space, or empty
};

std::vector<Scalable> scalable_parameters(const model::ModelSpec& spec) {
  std::vector<Scalable> out;
  for (const auto& p : spec.parameters) {
    double number = 0.0;
    const char* end = p.text.data() + p.text.size();
    const auto [rest, ec] = std::from_chars(p.text.data(), end, number);
    if (ec != std::errc() || p.text.starts_with('$')) continue;
    out.push_back({p.name, number, std::string(rest, end)});
  }
  return out;
}

// Expands `overrides` both ways and compares; returns whether the template patched in place.
bool expect_same_expansion(ModelTemplate& scenarios, const std::string& text,
                           const std::string& name, const ModelOptions& base,
                           const std::vector<ParameterOverride>& overrides) {
  std::string scenario;
  for (const auto& o : overrides) scenario += fmt::format("{}={} ", o.name, o.value);
  ModelOptions options = base;
  options.parameters = overrides;
  std::string want_error;
  std::optional<ValidatedModel> want;
  try {
    want.emplace(load_model_text(text, ModelFormat::yaml, name, options));
  } catch (const core::ModelError& error) {
    want_error = error.diagnostics().to_string();
  }
  try {
    const ValidatedModel& got = scenarios.expand(overrides);
    EXPECT_TRUE(want.has_value()) << scenario << "expected: " << want_error;
    if (!want) return false;
    expect_same_spec(got.spec(), want->spec(), scenario);
    EXPECT_EQ(got.warnings().to_string(), want->warnings().to_string()) << scenario;
  } catch (const core::ModelError& error) {
    EXPECT_EQ(error.diagnostics().to_string(), want_error) << scenario;
  }
  return scenarios.last_was_values_only();
}

// Random scenarios of one example: each scales a random subset of its plain parameters by
// 0.5-1.5, and one in eight puts a value out of range (a negative number).
void random_scenarios(const char* file, int count, std::uint64_t seed) {
  SCOPED_TRACE(file);
  const fs::path path = examples() / file;
  const std::string text = read_text(path);
  const DesignFiles designs(examples());
  ModelOptions base;
  base.designs = &designs;
  // The template keeps the designs it evaluated; the full path reads them every time.
  const CachingDesignFiles kept_designs(examples());
  ModelOptions template_options;
  template_options.designs = &kept_designs;
  ModelTemplate scenarios(text, ModelFormat::yaml, path.string(), template_options);
  const std::vector<Scalable> parameters =
      scalable_parameters(load_model_text(text, ModelFormat::yaml, path.string(), base).spec());
  ASSERT_FALSE(parameters.empty());
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> scale(0.5, 1.5);
  int patched = 0;
  for (int s = 0; s < count; ++s) {
    std::vector<ParameterOverride> overrides;
    const bool out_of_range = random() % 8 == 0;
    // Mostly one parameter at a time (the value-only path), sometimes several.
    const std::size_t n = random() % 3 == 0 ? 1 + random() % parameters.size() : 1;
    for (std::size_t k = 0; k < n; ++k) {
      const Scalable& p = parameters[random() % parameters.size()];
      const double number = out_of_range && k == 0 ? -p.number : p.number * scale(random);
      overrides.push_back({p.name, fmt::format("{:.6g}{}", number, p.unit)});
    }
    patched += expect_same_expansion(scenarios, text, path.string(), base, overrides) ? 1 : 0;
    if (testing::Test::HasFatalFailure()) return;
  }
  // Most single-parameter scenarios of these models change values only.
  EXPECT_GT(patched, 0);
}

TEST(ModelTemplate, RandomScenariosOf800VdcSstEqualTheFullPath) {
  random_scenarios("800vdc-sst.yaml", 60, 1);
}

TEST(ModelTemplate, RandomScenariosOfEveryParameterisedExampleEqualTheFullPath) {
  for (const char* file :
       {"54vdc-busway.yaml", "800vdc-tray.yaml", "legacy-415vac.yaml", "pm400vdc.yaml"})
    random_scenarios(file, 25, 2);
}

TEST(ModelTemplate, ValuesArePatchedAndShapesRebuilt) {
  const fs::path path = examples() / "800vdc-sst.yaml";
  const std::string text = read_text(path);
  const DesignFiles designs(examples());
  ModelOptions base;
  base.designs = &designs;
  const CachingDesignFiles kept_designs(examples());
  ModelOptions template_options;
  template_options.designs = &kept_designs;
  ModelTemplate scenarios(text, ModelFormat::yaml, path.string(), template_options);
  auto expand = [&](const std::vector<ParameterOverride>& overrides) {
    return expect_same_expansion(scenarios, text, path.string(), base, overrides);
  };
  EXPECT_FALSE(expand({}));  // the first expansion is built
  EXPECT_TRUE(expand({{"feeder_length", "45 m"}}));
  EXPECT_FALSE(scenarios.last_changed_only_loads());
  // Each expansion is relative to the text: feeder_length goes back to its written 30 m.
  EXPECT_TRUE(expand({{"gpu_idle_fraction", "20 %"}}));
  EXPECT_FALSE(scenarios.last_changed_only_loads());
  EXPECT_TRUE(expand({{"gpu_idle_fraction", "25 %"}}));
  EXPECT_TRUE(scenarios.last_changed_only_loads());
  EXPECT_TRUE(expand({{"vrm_efficiency", "93 %"}}));
  EXPECT_FALSE(expand({{"rack_power", "250 kW"}}));  // fewer racks per block: a new shape
  EXPECT_TRUE(expand({{"rack_power", "250 kW"}, {"feeder_length", "20 m"}}));
  // A value the field refuses: the full path's diagnostics, then the template recovers.
  EXPECT_FALSE(expand({{"vrm_efficiency", "130 %"}}));
  EXPECT_FALSE(expand({{"vrm_efficiency", "91 %"}}));
  EXPECT_TRUE(expand({{"vrm_efficiency", "92 %"}}));
  EXPECT_FALSE(expand({{"no_such_parameter", "1"}}));
}

// A warm re-solve of a patched model (from the last solution) gives the full path's solution to
// the solver's tolerance; a restarted one is bit for bit the full path's solve, whatever the
// solver solved before: the rows of a sweep do not depend on the order of its scenarios. Each
// scenario is visited twice, after different predecessors; the elements' own kinds are all
// exercised (cables, converters with and without a design, loads, breakers).
TEST(ModelTemplate, WarmAndRestartedSolvesOfPatchedModelsMatchTheFullPath) {
  const fs::path path = examples() / "800vdc-sst.yaml";
  const std::string text = read_text(path);
  const DesignFiles designs(examples());
  ModelOptions base;
  base.designs = &designs;
  ModelTemplate scenarios(text, ModelFormat::yaml, path.string(), base);
  Solver solver(scenarios.expand({}));
  (void)solver.solve();
  const std::vector<std::vector<ParameterOverride>> sweep = {
      {{"feeder_length", "60 m"}},
      {{"gpu_idle_fraction", "30 %"}},
      {{"vrm_efficiency", "85 %"}},
      {{"mv_cable_length", "400 m"}},
      {{"dc_breaker_loss", "0.3 %"}},
      {{"rack_busbar_length", "3 m"}},
      {{"feeder_length", "12 m"}, {"vrm_efficiency", "93 %"}}};
  for (const std::size_t step : {1U, 3U}) {
    for (std::size_t k = 0; k < sweep.size(); ++k) {
      const auto& overrides = sweep[(k * step) % sweep.size()];
      SCOPED_TRACE(fmt::format("{} = {}", overrides.front().name, overrides.front().value));
      const ValidatedModel& model = scenarios.expand(overrides);
      ASSERT_TRUE(scenarios.last_was_values_only());
      if (scenarios.last_changed_only_loads())
        ASSERT_TRUE(solver.update_loads(model));
      else
        solver.update_values(model, scenarios.last_changed_kinds());
      ModelOptions options = base;
      options.parameters = overrides;
      const steady::SolveResult fresh =
          solve(load_model_text(text, ModelFormat::yaml, path.string(), options));
      const steady::SolveResult warm = solver.solve();
      ASSERT_EQ(warm.buses.size(), fresh.buses.size());
      for (std::size_t b = 0; b < fresh.buses.size(); ++b) {
        EXPECT_NEAR(warm.buses[b].v_pu, fresh.buses[b].v_pu, 1e-9) << b;
        EXPECT_NEAR(warm.buses[b].angle_deg, fresh.buses[b].angle_deg, 1e-7) << b;
      }
      solver.restart();
      const steady::SolveResult restarted = solver.solve();
      EXPECT_EQ(restarted.stats.iterations, fresh.stats.iterations);
      ASSERT_EQ(restarted.buses.size(), fresh.buses.size());
      for (std::size_t b = 0; b < fresh.buses.size(); ++b) {
        ASSERT_EQ(restarted.buses[b].v_pu, fresh.buses[b].v_pu) << b;
        ASSERT_EQ(restarted.buses[b].angle_deg, fresh.buses[b].angle_deg) << b;
      }
      ASSERT_EQ(restarted.elements.size(), fresh.elements.size());
      for (std::size_t e = 0; e < fresh.elements.size(); ++e) {
        ASSERT_EQ(restarted.elements[e].p_in_w, fresh.elements[e].p_in_w) << e;
        ASSERT_EQ(restarted.elements[e].loss_w, fresh.elements[e].loss_w) << e;
      }
    }
  }
}

TEST(ModelTemplate, JsonAndMatpowerTextsExpandAsLoadModelTextDoes) {
  const std::string json = R"({"grid2gpu": 1, "name": "j",
    "parameters": {"len": "20 m", "p": "10 kW"},
    "buses": [{"id": "a", "kind": "dc", "voltage": "800 V"},
              {"id": "b", "kind": "dc", "voltage": "800 V"}],
    "components": [
      {"id": "src", "type": "dc_source", "bus": "a", "voltage": 1.0},
      {"id": "c", "type": "cable", "from": "a", "to": "b", "material": "copper",
       "cross_section": "16 mm2", "length": "$len"},
      {"id": "l", "type": "load", "bus": "b", "power": "$p"}]})";
  ModelTemplate scenarios(json, ModelFormat::json, "j.json");
  for (const std::vector<ParameterOverride>& overrides :
       std::vector<std::vector<ParameterOverride>>{
           {}, {{"len", "-1 m"}}, {{"len", "35 m"}}, {{"p", "12 kW"}}, {{"p", "9 kW"}}}) {
    ModelOptions options;
    options.parameters = overrides;
    std::string want_error;
    std::optional<ValidatedModel> want;
    try {
      want.emplace(load_model_text(json, ModelFormat::json, "j.json", options));
    } catch (const core::ModelError& error) {
      want_error = error.diagnostics().to_string();
    }
    try {
      const ValidatedModel& got = scenarios.expand(overrides);
      ASSERT_TRUE(want.has_value()) << want_error;
      expect_same_spec(got.spec(), want->spec(), "json");
    } catch (const core::ModelError& error) {
      EXPECT_EQ(error.diagnostics().to_string(), want_error);
      EXPECT_FALSE(want_error.empty());
    }
  }
  EXPECT_TRUE(scenarios.last_was_values_only());  // 12 kW -> 9 kW
  EXPECT_TRUE(scenarios.last_changed_only_loads());

  const std::string matpower = read_text(test::source_dir() / "tests/data/matpower/case118.m");
  ModelTemplate imported(matpower, ModelFormat::matpower, "case118.m");
  expect_same_spec(imported.expand({}).spec(),
                   load_model_text(matpower, ModelFormat::matpower, "case118.m").spec(),
                   "matpower");
  EXPECT_THROW((void)imported.expand(std::vector<ParameterOverride>{{"x", "1"}}), core::ModelError);
}

// The cases where values cannot simply be patched, each beside one where they can.
TEST(ModelTemplate, EachKindOfChangeTakesTheRightPathAndEqualsTheFullPath) {
  const std::string text = R"(grid2gpu: 1
name: paths
parameters:
  r_on: 0 ohm
  len: 20 m
  cells: 2
  eff: 97 %
  low: 0.9
  p: 5 kW
buses:
  - {id: a, kind: dc, voltage: 800 V}
  - {id: b, kind: dc, voltage: 800 V}
  - {id: c, kind: dc, voltage: 800 V}
components:
  - {id: src, type: dc_source, bus: a, voltage: 1.0}
  - {id: brk, type: breaker, from: a, to: b, on_resistance: $r_on}
  - &feeder {id: f1, type: cable, from: b, to: c, material: copper, cross_section: 16 mm2,
     length: $len}
  - {<<: *feeder, id: f2}
templates:
  cell:
    ports: [in]
    buses: [{id: out, kind: dc, voltage: 400 V}]
    components:
      - {id: conv, type: dcdc, input: in, output: out, rating: 20 kW,
         efficiency: [[0.1, $low], [1.0, $eff]]}
      - {id: load, type: load, bus: out, power: $p}
  pair:
    ports: [in]
    instances: [{template: cell, id: cell, count: 2, connect: {in: in}}]
instances:
  - {template: pair, id: pair, count: $cells, connect: {in: c}}
)";
  ModelTemplate scenarios(text, ModelFormat::yaml, "paths.yaml");
  auto expand = [&](const std::vector<ParameterOverride>& overrides) {
    return expect_same_expansion(scenarios, text, "paths.yaml", {}, overrides);
  };
  EXPECT_FALSE(expand({}));
  // A load in nested templates: every copy patched.
  EXPECT_TRUE(expand({{"p", "7 kW"}}));
  EXPECT_EQ(scenarios.expand(std::vector<ParameterOverride>{{"p", "7 kW"}}).spec().loads.size(),
            4U);
  EXPECT_TRUE(scenarios.last_changed_only_loads());
  // A breaker given an on-resistance becomes a line: a new shape.
  EXPECT_FALSE(expand({{"r_on", "1 mohm"}}));
  EXPECT_TRUE(expand({{"r_on", "2 mohm"}}));
  // A cable copied by a merge key (`<<: *feeder`) keeps its own place: patched.
  EXPECT_TRUE(expand({{"r_on", "2 mohm"}, {"len", "25 m"}}));
  // Points of an efficiency curve are inside a list: built again.
  EXPECT_FALSE(expand({{"r_on", "2 mohm"}, {"len", "25 m"}, {"eff", "96 %"}}));
  // A count: built again.
  EXPECT_FALSE(expand({{"cells", "3"}}));
  EXPECT_EQ(scenarios.expand(std::vector<ParameterOverride>{{"cells", "3"}}).spec().loads.size(),
            6U);
}

// Expressions are taken from the last scenario's only when the parameters they read have the same
// values (model::detail::ExpressionMemo): one reading the swept parameter, one reading it through
// another expression, one not reading it, one in a component, and a name redefined by an override
// of a later parameter; values going back and forth must each equal the full path.
TEST(ModelTemplate, ExpressionsFollowTheParametersTheyRead) {
  const std::string text = R"(grid2gpu: 1
name: memo
parameters:
  p: 5 kW
  k: 2
  twice: $(k * p)
  fixed: $(3 * k)
  len: $(twice / 1000 + fixed)
buses:
  - {id: a, kind: dc, voltage: 800 V}
  - {id: b, kind: dc, voltage: 800 V}
components:
  - {id: src, type: dc_source, bus: a, voltage: 1.0}
  - {id: f, type: cable, from: a, to: b, material: copper, cross_section: 16 mm2,
     length: $(len + k)}
  - {id: load, type: load, bus: b, power: $p}
)";
  ModelTemplate scenarios(text, ModelFormat::yaml, "memo.yaml");
  auto expand = [&](const std::vector<ParameterOverride>& overrides) {
    return expect_same_expansion(scenarios, text, "memo.yaml", {}, overrides);
  };
  EXPECT_FALSE(expand({}));
  EXPECT_TRUE(expand({{"p", "7 kW"}}));
  EXPECT_TRUE(expand({{"p", "7 kW"}}));  // every expression from the last scenario's
  EXPECT_TRUE(expand({{"p", "5 kW"}}));
  EXPECT_TRUE(expand({{"k", "3"}}));
  EXPECT_TRUE(expand({{"k", "3"}, {"fixed", "4"}}));
  EXPECT_TRUE(expand({{"k", "3"}, {"twice", "$(p)"}}));
  EXPECT_TRUE(expand({{"p", "7 kW"}}));
  const auto& cable = scenarios.expand(std::vector<ParameterOverride>{{"k", "4"}}).spec().lines;
  ASSERT_EQ(cable.size(), 1U);
  EXPECT_DOUBLE_EQ(cable[0].length_m, 4 * 5000.0 / 1000 + 3 * 4 + 4);  // twice / 1000 + fixed + k
}

// A YAML alias copies a component's map, but the copy takes the alias's place in the file, so
// each copy's elements are found apart and both are patched.
TEST(ModelTemplate, AComponentCopiedByAnAliasIsPatchedAtEachPlace) {
  const std::string text = R"(grid2gpu: 1
parameters: {p: 5 kW}
buses: [{id: a, kind: dc, voltage: 800 V}]
components:
  - {id: src, type: dc_source, bus: a, voltage: 1.0}
templates:
  one:
    ports: [in]
    components: [&load {id: l, type: load, bus: in, power: $p}]
  two:
    ports: [in]
    components: [*load]
instances:
  - {template: one, id: x, connect: {in: a}}
  - {template: two, id: y, connect: {in: a}}
)";
  ModelTemplate scenarios(text, ModelFormat::yaml, "alias.yaml");
  EXPECT_FALSE(expect_same_expansion(scenarios, text, "alias.yaml", {}, {}));
  EXPECT_TRUE(expect_same_expansion(scenarios, text, "alias.yaml", {}, {{"p", "6 kW"}}));
  const auto& loads = scenarios.expand(std::vector<ParameterOverride>{{"p", "6 kW"}}).spec().loads;
  ASSERT_EQ(loads.size(), 2U);
  EXPECT_EQ(loads[0].p_w, 6000.0);
  EXPECT_EQ(loads[1].p_w, 6000.0);
}

// A value that makes validate_model warn: the warning comes and goes with the value, as the full
// path has it, and values elsewhere are still patched in its presence.
TEST(ModelTemplate, ValidationWarningsFollowThePatchedValues) {
  const std::string text = R"(grid2gpu: 1
parameters: {r: 0.01 ohm, p: 50 kW}
buses:
  - {id: a, kind: ac, voltage: 400 V}
  - {id: b, kind: ac, voltage: 400 V}
components:
  - {id: grid, type: utility, bus: a}
  - {id: l, type: line, from: a, to: b, resistance: $r, reactance: 0.01 ohm}
  - {id: load, type: load, bus: b, power: $p}
)";
  ModelTemplate scenarios(text, ModelFormat::yaml, "warn.yaml");
  auto expand = [&](const std::vector<ParameterOverride>& overrides) {
    return expect_same_expansion(scenarios, text, "warn.yaml", {}, overrides);
  };
  EXPECT_FALSE(expand({}));
  EXPECT_TRUE(expand({{"r", "-0.01 ohm"}}));
  EXPECT_EQ(scenarios.expand(std::vector<ParameterOverride>{{"r", "-0.01 ohm"}})
                .warnings()
                .items()
                .size(),
            1U);
  EXPECT_TRUE(expand({{"r", "-0.01 ohm"}, {"p", "60 kW"}}));
  EXPECT_TRUE(expand({{"r", "0.02 ohm"}}));
  EXPECT_TRUE(scenarios.expand(std::vector<ParameterOverride>{{"r", "0.02 ohm"}})
                  .warnings()
                  .items()
                  .empty());
}

// The tree points into the template's text: moving the template keeps it valid, however short.
TEST(ModelTemplate, AMovedTemplateGoesOnExpanding) {
  const std::string text =
      "grid2gpu: 1\nparameters: {p: 5 kW}\n"
      "buses: [{id: a, kind: dc, voltage: 800 V}]\n"
      "components: [{id: s, type: dc_source, bus: a, voltage: 1.0},\n"
      "  {id: l, type: load, bus: a, power: $p}]\n";
  ModelTemplate first(text, ModelFormat::yaml, "m.yaml");
  (void)first.expand({});
  ModelTemplate moved = std::move(first);
  EXPECT_TRUE(expect_same_expansion(moved, text, "m.yaml", {}, {{"p", "6 kW"}}));
  ModelTemplate again(std::move(moved));
  EXPECT_FALSE(expect_same_expansion(again, text, "m.yaml", {}, {{"p", "5 V"}}));  // not a power
  EXPECT_FALSE(expect_same_expansion(again, text, "m.yaml", {}, {{"p", "7 kW"}}));
  EXPECT_TRUE(expect_same_expansion(again, text, "m.yaml", {}, {{"p", "8 kW"}}));
}

TEST(ModelTemplate, ASyntaxErrorIsReportedWhenTheTextIsRead) {
  EXPECT_THROW(ModelTemplate("grid2gpu: 1\nbuses: [\n", ModelFormat::yaml, "bad.yaml"),
               core::ModelError);
}

}  // namespace
}  // namespace g2g::api

// Scenarios of a sweep on examples/800vdc-sst.yaml (4,251 buses, 800 racks): the full path
// (load_model_text, a new solver, solve) against api::ModelTemplate (expand, Solver::update or
// update_loads, warm solve). Each iteration alternates a parameter between two values, so every one
// is a real change. Figures and commands: docs/benchmarks.md, "Scenarios".
#include <benchmark/benchmark.h>

#include <array>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "g2g/api/model.hpp"
#include "g2g/api/model_template.hpp"
#include "g2g/api/solve.hpp"

namespace {

using g2g::api::ModelFormat;
using g2g::api::ModelOptions;
using g2g::api::ModelTemplate;
using g2g::model::ParameterOverride;

const std::string& example_path() {
  static const std::string path = std::string(G2G_EXAMPLES_DIR) + "/800vdc-sst.yaml";
  return path;
}

const std::string& example_text() {
  static const std::string text = [] {
    std::ifstream in(example_path());
    if (!in) throw std::runtime_error("cannot read " + example_path());
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
  }();
  return text;
}

// The full path reads the converter designs for every model, as the CLI does; a template keeps
// what it read and evaluated (api::CachingDesignFiles).
ModelOptions full_path_options() {
  static const g2g::api::DesignFiles files(G2G_EXAMPLES_DIR);
  ModelOptions options;
  options.designs = &files;
  return options;
}

ModelOptions template_options() {
  static const g2g::api::CachingDesignFiles files(G2G_EXAMPLES_DIR);
  ModelOptions options;
  options.designs = &files;
  return options;
}

// The parameter each benchmark sweeps (state.range(0)) and its two alternating values.
struct Swept {
  const char* name;
  std::array<const char*, 2> values;
};
constexpr std::array<Swept, 4> swept = {{
    {"feeder_length", {"30 m", "45 m"}},      // cables: values only
    {"gpu_idle_fraction", {"10 %", "20 %"}},  // loads only
    {"vrm_efficiency", {"90 %", "92 %"}},     // converters without a design: values only
    {"rack_power", {"125 kW", "250 kW"}},     // racks per block: a new shape
}};

std::vector<ParameterOverride> scenario(const Swept& p, std::size_t k) {
  return {{p.name, p.values[k % 2]}};
}

void label(benchmark::State& state) {
  state.SetLabel(swept[state.range(0)].name);
}

// load_model_text, a new Solver and its first solve: what a sweep does without a template.
void bm_scenario_full_path(benchmark::State& state) {
  const Swept& p = swept[static_cast<std::size_t>(state.range(0))];
  std::size_t k = 0;
  for (auto _ : state) {
    ModelOptions options = full_path_options();
    options.parameters = scenario(p, ++k);
    const g2g::api::ValidatedModel model =
        g2g::api::load_model_text(example_text(), ModelFormat::yaml, example_path(), options);
    g2g::api::Solver solver(model);
    benchmark::DoNotOptimize(solver.solve());
  }
  label(state);
}

// ModelTemplate::expand alone.
void bm_scenario_expand(benchmark::State& state) {
  const Swept& p = swept[static_cast<std::size_t>(state.range(0))];
  ModelTemplate scenarios(example_text(), ModelFormat::yaml, example_path(), template_options());
  (void)scenarios.expand({});
  std::size_t k = 0;
  for (auto _ : state) benchmark::DoNotOptimize(&scenarios.expand(scenario(p, ++k)));
  state.counters["values_only"] = scenarios.last_was_values_only() ? 1 : 0;
  label(state);
}

// expand, then the reusable solver: update_loads or update_values when the shape is kept (a new
// Solver when it is not), and a solve with every element's results: warm (from the last
// solution) or, with `restart`, as a new solver's (what a sweep does: rows that do not depend on
// the order of scenarios).
void expand_solve(benchmark::State& state, bool restart) {
  const Swept& p = swept[static_cast<std::size_t>(state.range(0))];
  ModelTemplate scenarios(example_text(), ModelFormat::yaml, example_path(), template_options());
  auto solver = std::make_unique<g2g::api::Solver>(scenarios.expand({}));
  (void)solver->solve();
  std::size_t k = 0;
  for (auto _ : state) {
    const g2g::api::ValidatedModel& model = scenarios.expand(scenario(p, ++k));
    if (!scenarios.last_was_values_only())
      solver = std::make_unique<g2g::api::Solver>(model);
    else if (scenarios.last_changed_only_loads())
      solver->update_loads(model);
    else
      solver->update_values(model, scenarios.last_changed_kinds());
    if (restart) solver->restart();
    benchmark::DoNotOptimize(solver->solve());
  }
  state.counters["values_only"] = scenarios.last_was_values_only() ? 1 : 0;
  label(state);
}

void bm_scenario_expand_solve(benchmark::State& state) {
  expand_solve(state, false);
}

void bm_scenario_expand_restart_solve(benchmark::State& state) {
  expand_solve(state, true);
}

// The reusable solver's part of a value-only scenario, on two models of feeder_length 30 m and
// 45 m made beforehand: Solver::update alone (state.range(0) == 0), and update with the warm
// solve (1).
void bm_solver_update(benchmark::State& state) {
  std::array<std::optional<g2g::api::ValidatedModel>, 2> models;
  for (std::size_t k = 0; k < 2; ++k) {
    ModelOptions options = full_path_options();
    options.parameters = scenario(swept[0], k);
    models[k].emplace(
        g2g::api::load_model_text(example_text(), ModelFormat::yaml, example_path(), options));
  }
  g2g::api::Solver solver(*models[0]);
  (void)solver.solve();
  const bool solve = state.range(0) == 1;
  std::size_t k = 0;
  for (auto _ : state) {
    if (!solver.update(*models[++k % 2])) throw std::logic_error("the shape changed");
    if (solve) benchmark::DoNotOptimize(solver.solve());
  }
  state.SetLabel(solve ? "update + solve" : "update");
}

void every_parameter(benchmark::internal::Benchmark* b) {
  for (std::size_t p = 0; p < swept.size(); ++p) b->Arg(static_cast<std::int64_t>(p));
  b->Unit(benchmark::kMillisecond)->MinTime(1.0);
}

}  // namespace

BENCHMARK(bm_scenario_full_path)->Apply(every_parameter);
BENCHMARK(bm_scenario_expand)->Apply(every_parameter);
BENCHMARK(bm_scenario_expand_solve)->Apply(every_parameter);
BENCHMARK(bm_scenario_expand_restart_solve)->Apply(every_parameter);
BENCHMARK(bm_solver_update)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(1.0);

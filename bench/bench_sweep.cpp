// One sweep scenario of examples/800vdc-sst.yaml, unsized (Evaluator::evaluate, which expands
// through its api::ModelTemplate), and two parts of it: a full re-expansion with the scenario's
// values (api::load_model_text, the path a template takes when the shape changes) and
// study::analyse (solve and measure). Figures in docs/benchmarks.md, "Sweeps".
#include <benchmark/benchmark.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "g2g/api/model.hpp"
#include "g2g/study/compare.hpp"
#include "g2g/sweep/evaluate.hpp"
#include "g2g/sweep/plan.hpp"

namespace {

namespace fs = std::filesystem;

// bench/sweep-value-only.yaml or sweep-rack-power.yaml, its model allowed from examples/.
const g2g::sweep::Plan& plan(const char* file) {
  static std::map<std::string, g2g::sweep::Plan> plans;
  auto it = plans.find(file);
  if (it == plans.end()) {
    const fs::path source(G2G_SOURCE_DIR);
    const std::vector<fs::path> allowed{source / "examples"};
    it = plans
             .emplace(file, g2g::sweep::Plan(
                                g2g::sweep::read_plan_source(source / "bench" / file, allowed)))
             .first;
  }
  return it->second;
}

void sweep_scenario(benchmark::State& state, const char* file) {
  const auto& p = plan(file);
  g2g::sweep::Evaluator evaluator(p);
  std::size_t i = 0;
  for (auto _ : state) {
    const auto row = evaluator.evaluate(p.scenarios()[i]);
    benchmark::DoNotOptimize(row.outputs.data());
    if (!row.error_kind.empty()) state.SkipWithError(row.error_message.c_str());
    i = (i + 97) % p.scenarios().size();
  }
}

void sweep_load(benchmark::State& state, const char* file) {
  const auto& p = plan(file);
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& s = p.scenarios()[i];
    const auto model = g2g::api::load_model_text(p.model_text(0), p.model_format(0),
                                                 p.model_name(0), p.model_options(s));
    benchmark::DoNotOptimize(model.spec().buses.data());
    i = (i + 97) % p.scenarios().size();
  }
}

void sweep_analyse(benchmark::State& state, const char* file) {
  const auto& p = plan(file);
  const auto model = g2g::api::load_model_text(p.model_text(0), p.model_format(0), p.model_name(0),
                                               p.model_options(p.scenarios()[0]));
  for (auto _ : state) {
    const auto result = g2g::study::analyse("x", model.spec(), p.compare_options());
    benchmark::DoNotOptimize(result.design.loss_w);
  }
}

// What a sweep does once before its first scenario: read the sweep and its models, load each
// base model and list the scenarios (docs/benchmarks.md, "The sweep targets again").
void sweep_plan(benchmark::State& state, const char* file) {
  const fs::path source(G2G_SOURCE_DIR);
  const std::vector<fs::path> allowed{source / "examples"};
  for (auto _ : state) {
    const g2g::sweep::Plan p(g2g::sweep::read_plan_source(source / "bench" / file, allowed));
    benchmark::DoNotOptimize(p.scenarios().data());
  }
}

BENCHMARK_CAPTURE(sweep_plan, rack_power, "sweep-rack-power.yaml")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(sweep_scenario, value_only, "sweep-value-only.yaml")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(sweep_scenario, rack_power, "sweep-rack-power.yaml")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(sweep_load, value_only, "sweep-value-only.yaml")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(sweep_analyse, value_only, "sweep-value-only.yaml")
    ->Unit(benchmark::kMillisecond);

}  // namespace

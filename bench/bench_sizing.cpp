// Conductor sizing of the shipped 100 MW examples, as a sized sweep runs it for each scenario:
// api::size (solve, size, re-solve until the sizes settle) and study::analyse with and without
// sizing (the whole per-architecture work of `grid2gpu compare`). The models are read and
// validated once, outside the timed loop. Figures and command lines: docs/benchmarks.md
// ("Sizing for sweeps").
#include <benchmark/benchmark.h>

#include <map>
#include <stdexcept>
#include <string>

#include "g2g/api/model.hpp"
#include "g2g/api/solve.hpp"
#include "g2g/sizing/tables.hpp"
#include "g2g/study/compare.hpp"

namespace {

// One validated model per example file, read on first use and kept for every repetition.
const g2g::api::ValidatedModel& example(const std::string& name) {
  static std::map<std::string, g2g::api::ValidatedModel> cache;
  auto it = cache.find(name);
  if (it == cache.end())
    it = cache
             .emplace(name, g2g::api::load_model(std::string(G2G_SOURCE_DIR) + "/examples/" + name +
                                                 ".yaml"))
             .first;
  return it->second;
}

void size_example(benchmark::State& state, const std::string& name) {
  const auto& model = example(name);
  const g2g::sizing::SizingOptions options;
  const auto& tables = g2g::sizing::default_tables();
  int passes = 0;
  for (auto _ : state) {
    auto sized = g2g::api::size(model, tables, options, 4);
    passes = sized.passes;
    benchmark::DoNotOptimize(sized);
  }
  state.counters["lines"] = static_cast<double>(model.spec().lines.size());
  state.counters["passes"] = passes;
}

void analyse_example(benchmark::State& state, const std::string& name, bool size_conductors) {
  const auto& model = example(name);
  g2g::study::CompareOptions options;
  options.size_conductors = size_conductors;
  for (auto _ : state) {
    auto result = g2g::study::analyse(name, model.spec(), options);
    if (!result.result.converged) {
      state.SkipWithError("not converged");
      break;
    }
    benchmark::DoNotOptimize(result);
  }
  state.counters["buses"] = static_cast<double>(model.spec().buses.size());
}

void bm_size_legacy_415vac(benchmark::State& state) {
  size_example(state, "legacy-415vac");
}
void bm_size_800vdc_sst(benchmark::State& state) {
  size_example(state, "800vdc-sst");
}
void bm_analyse_sized_legacy_415vac(benchmark::State& state) {
  analyse_example(state, "legacy-415vac", true);
}
void bm_analyse_sized_800vdc_sst(benchmark::State& state) {
  analyse_example(state, "800vdc-sst", true);
}
void bm_analyse_unsized_legacy_415vac(benchmark::State& state) {
  analyse_example(state, "legacy-415vac", false);
}
void bm_analyse_unsized_800vdc_sst(benchmark::State& state) {
  analyse_example(state, "800vdc-sst", false);
}

BENCHMARK(bm_size_legacy_415vac)->Unit(benchmark::kMillisecond)->MinTime(0.5);
BENCHMARK(bm_size_800vdc_sst)->Unit(benchmark::kMillisecond)->MinTime(0.5);
BENCHMARK(bm_analyse_sized_legacy_415vac)->Unit(benchmark::kMillisecond)->MinTime(0.5);
BENCHMARK(bm_analyse_sized_800vdc_sst)->Unit(benchmark::kMillisecond)->MinTime(0.5);
BENCHMARK(bm_analyse_unsized_legacy_415vac)->Unit(benchmark::kMillisecond)->MinTime(0.5);
BENCHMARK(bm_analyse_unsized_800vdc_sst)->Unit(benchmark::kMillisecond)->MinTime(0.5);

}  // namespace

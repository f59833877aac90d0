// Steady-state solve time on synthetic networks already in memory (generation and validation
// happen once per size, outside the timed loop). Figures and command lines: docs/benchmarks.md.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <cstdint>
#include <cstdlib>
#include <limits>
#include <map>
#include <memory>
#include <stdexcept>

#include "g2g/api/model.hpp"
#include "g2g/io/files.hpp"
#include "g2g/steady/equations.hpp"
#include "g2g/steady/network.hpp"
#include "g2g/steady/newton.hpp"
#include "g2g/steady/solver.hpp"
#include "g2g/synth/networks.hpp"

namespace {

using g2g::model::ModelSpec;

enum class Kind : std::int64_t { dc = 0, hybrid = 1, dc_far_ties = 2 };

// Ties between random buses anywhere in the tree, on top of the standard DC network's local
// ties: the case where leaves-first elimination fills in and the solver must pick AMD. A count,
// not a fraction of the buses, as their fill grows faster than linearly with their number.
constexpr std::int64_t far_tie_count = 2000;

// One network per (kind, size), built on first use and kept for every repetition.
const ModelSpec& network(Kind kind, std::int64_t bus_count) {
  static std::map<std::pair<Kind, std::int64_t>, std::unique_ptr<ModelSpec>> cache;
  auto& slot = cache[{kind, bus_count}];
  if (!slot) {
    if (kind == Kind::dc || kind == Kind::dc_far_ties) {
      g2g::synth::DcNetworkParams params;
      params.bus_count = bus_count;
      params.seed = 1;
      if (kind == Kind::dc_far_ties) params.far_tie_count = far_tie_count;
      slot = std::make_unique<ModelSpec>(g2g::synth::random_dc_network(params));
    } else {
      g2g::synth::HybridNetworkParams params;
      params.bus_count = bus_count;
      params.seed = 1;
      slot = std::make_unique<ModelSpec>(g2g::synth::random_hybrid_network(params));
    }
    const auto diagnostics = g2g::api::check(*slot);
    if (diagnostics.has_errors()) throw std::runtime_error(diagnostics.to_string());
  }
  return *slot;
}

void solve_network(benchmark::State& state, Kind kind) {
  const ModelSpec& model = network(kind, state.range(0));
  int iterations = 0;
  for (auto _ : state) {
    auto result = g2g::steady::solve(model);
    if (!result.converged) {
      state.SkipWithError("did not converge");
      break;
    }
    iterations = result.stats.iterations;
    benchmark::DoNotOptimize(result);
  }
  const auto buses = static_cast<double>(model.buses.size());
  // Fill of the LU factors the solver's ordering gives, from one more solve outside the timing.
  {
    const auto assembled = g2g::steady::assemble(model);
    g2g::steady::NewtonSolver newton(assembled);
    auto start = g2g::steady::flat_start(assembled);
    newton.run(start, g2g::steady::NewtonOptions{});
    state.counters["jacobian_nonzeros"] = newton.nonzeros();
    state.counters["lu_nonzeros"] = newton.factor_nonzeros();
    // What the leaves-first order alone would have given (symbolic count).
    state.counters["leaves_first_nonzeros"] =
        static_cast<double>(g2g::steady::reverse_order_factor_nonzeros(
            newton.jacobian_pattern(), std::numeric_limits<std::int64_t>::max()));
  }
  state.counters["buses"] = buses;
  state.counters["newton_iterations"] = iterations;
  state.counters["buses_per_s"] =
      benchmark::Counter(buses, benchmark::Counter::kIsIterationInvariantRate);
}

void bm_solve_dc(benchmark::State& state) {
  solve_network(state, Kind::dc);
}
void bm_solve_hybrid(benchmark::State& state) {
  solve_network(state, Kind::hybrid);
}
void bm_solve_dc_far_ties(benchmark::State& state) {
  solve_network(state, Kind::dc_far_ties);
}

// The LU work of one Newton solve alone, on the flat-start Jacobian: choose the ordering and
// analyse, factorize, then refactorize twice (a 3-iteration solve). Shows what the far ties
// cost in the factorization itself, apart from the rest of the solve.
void lu_of_solve(benchmark::State& state, Kind kind) {
  const ModelSpec& model = network(kind, state.range(0));
  const auto assembled = g2g::steady::assemble(model);
  g2g::steady::NetworkEquations equations(assembled);
  std::int32_t worst = -1;
  equations.evaluate(g2g::steady::flat_start(assembled), 1.0, true, worst);
  const auto& values = equations.jacobian_values();
  for (auto _ : state) {
    g2g::steady::SparseLu lu(equations.jacobian_pattern());
    for (int factorization = 0; factorization < 3; ++factorization)
      if (!lu.factor(values)) {
        state.SkipWithError("singular");
        return;
      }
    benchmark::DoNotOptimize(lu.factor_nonzeros());
  }
}
void bm_lu_dc(benchmark::State& state) {
  lu_of_solve(state, Kind::dc);
}
void bm_lu_dc_far_ties(benchmark::State& state) {
  lu_of_solve(state, Kind::dc_far_ties);
}
BENCHMARK(bm_lu_dc)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->MinTime(0.5);
BENCHMARK(bm_lu_dc_far_ties)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(0.5);

// Seconds per solve at 1e6 buses: keep repetitions low so `make bench` stays around a minute.
BENCHMARK(bm_solve_dc)
    ->RangeMultiplier(10)
    ->Range(1000, 1000000)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(0.5);
BENCHMARK(bm_solve_hybrid)
    ->RangeMultiplier(10)
    ->Range(1000, 1000000)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(0.5);
// The same DC networks with 2,000 far ties, at the sizes the 2x-of-radial target is about.
BENCHMARK(bm_solve_dc_far_ties)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(0.5);

}  // namespace

// A solve allocates a few hundred MB at 1e6 buses. glibc returns large blocks to the kernel on
// free, so every repetition would pay for faulting in fresh zeroed pages; a long-running
// process (a sweep, the Python module) keeps them instead. Measure that steady state: keep
// freed memory in the heap. G2G_BENCH_FRESH_PAGES=1 measures the first-solve case instead.
int main(int argc, char** argv) {
  if (std::getenv("G2G_BENCH_FRESH_PAGES") == nullptr) {
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

// Where the time of one steady-state solve goes: builds a synthetic network, then times each
// phase of steady::solve separately (process CPU time, best of N repetitions). Figures and the
// command line: docs/benchmarks.md.
//
//   g2g_phases dc|hybrid <buses> [repetitions]
#include <fmt/format.h>
#include <malloc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <ctime>
#include <string_view>

#include "g2g/steady/network.hpp"
#include "g2g/steady/newton.hpp"
#include "g2g/steady/output.hpp"
#include "g2g/synth/networks.hpp"
#include "g2g/topology/islands.hpp"

namespace {

double cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace g2g;
  if (argc < 3) {
    fmt::print(stderr, "usage: g2g_phases dc|hybrid <buses> [repetitions]\n");
    return 2;
  }
  // Keep freed memory in the heap, as g2g_bench does.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  const bool hybrid = std::string_view(argv[1]) == "hybrid";
  const long bus_count = std::atol(argv[2]);
  const int repetitions = argc > 3 ? std::max(1, std::atoi(argv[3])) : 10;
  model::ModelSpec model;
  if (hybrid) {
    synth::HybridNetworkParams params;
    params.bus_count = bus_count;
    model = synth::random_hybrid_network(params);
  } else {
    synth::DcNetworkParams params;
    params.bus_count = bus_count;
    model = synth::random_dc_network(params);
  }

  // Best time per phase: topology (also part of assembly), assembly, Newton set-up, Newton
  // iterations, results.
  std::array<double, 5> best_s;
  best_s.fill(1e300);
  for (int r = 0; r < repetitions; ++r) {
    const double t0 = cpu_seconds();
    const auto topology = topology::analyse(model);
    const double t1 = cpu_seconds();
    const auto network = steady::assemble(model);
    const double t2 = cpu_seconds();
    steady::NewtonSolver newton(network);
    const double t3 = cpu_seconds();
    auto state = steady::flat_start(network);
    steady::NewtonOptions options;
    options.tolerance_pu = model.solver.tolerance_pu;
    options.max_iterations = model.solver.max_iterations;
    const auto outcome = newton.run(state, options);
    const double t4 = cpu_seconds();
    const auto result = steady::make_results(model, network, state);
    const double t5 = cpu_seconds();
    const std::array<double, 5> phase_s{t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4};
    for (std::size_t p = 0; p < best_s.size(); ++p) best_s[p] = std::min(best_s[p], phase_s[p]);
    if (r == 0)
      fmt::print("{} buses, {} unknowns, {} Jacobian non-zeros, {:.0f} in L+U, {} iterations{}\n",
                 model.buses.size(), newton.unknowns(), newton.nonzeros(), newton.factor_nonzeros(),
                 outcome.iterations, outcome.converged ? "" : " (not converged)");
  }
  fmt::print(
      "best of {} (CPU ms): assemble {:.2f} (topology {:.2f}), Newton set-up {:.2f}, "
      "iterations {:.2f}, results {:.2f}; total {:.2f}\n",
      repetitions, 1e3 * best_s[1], 1e3 * best_s[0], 1e3 * best_s[2], 1e3 * best_s[3],
      1e3 * best_s[4], 1e3 * (best_s[1] + best_s[2] + best_s[3] + best_s[4]));
  return 0;
}

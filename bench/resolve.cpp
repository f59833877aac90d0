// g2g_resolve: grid2gpu's side of the in-memory comparison with power-grid-model
// (bench/pgm/pgm_bench.cpp, bench/pgm_compare.py, docs/benchmarks.md).
//
//   g2g_resolve FILE [--warm N] [--voltages OUT]
//
// Prints one JSON line of wall-clock seconds: "load" (read and validate the model file),
// "first" (api::solve of the loaded model: assembly, topology, ordering, symbolic analysis,
// Newton and every element's results), "warm" (N re-solves by one api::Solver with new
// injections: each update_loads() swaps in the model with every load scaled by 1.01 or back,
// and solve() starts from the last solution; "warm_update" is the update_loads() part of each;
// "full_update" times one update() instead, which assembles the network again), and the
// first solve's Newton iterations. --voltages writes "bus v_pu angle_rad" rows of the first
// solve for the agreement check.
#include <fmt/format.h>

#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <numbers>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/api/model.hpp"
#include "g2g/api/solve.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string join(const std::vector<double>& values) {
  std::string text;
  for (std::size_t k = 0; k < values.size(); ++k)
    text += fmt::format("{}{:.9g}", k == 0 ? "" : ", ", values[k]);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace g2g;
  if (argc < 2) {
    std::fputs("usage: g2g_resolve FILE [--warm N] [--voltages OUT]\n", stderr);
    return 2;
  }
  int warm_count = 5;
  std::string voltages_path;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--warm")
      warm_count = std::atoi(argv[i + 1]);
    else if (flag == "--voltages")
      voltages_path = argv[i + 1];
  }
  // The allocator settings of grid2gpu's CLI (apps/cli/main.cpp), for both tools alike: freed
  // memory stays in the heap for the next solve instead of being faulted in again.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_ARENA_MAX, 1);
  try {
    auto start = std::chrono::steady_clock::now();
    const api::ValidatedModel model = api::load_model(argv[1]);
    const double load_s = seconds_since(start);

    start = std::chrono::steady_clock::now();
    const steady::SolveResult first = api::solve(model);
    const double first_s = seconds_since(start);

    // The same network with new injections: every load (and its reactive power) times 1.01.
    model::ModelSpec scaled_spec = model.spec();
    for (auto& load : scaled_spec.loads) {
      load.p_w *= 1.01;
      load.q_var *= 1.01;
    }
    const api::ValidatedModel scaled = api::validate(std::move(scaled_spec));
    api::Solver solver(model);
    (void)solver.solve();
    std::vector<double> warm_s;
    std::vector<double> update_s;
    int warm_iterations = 0;
    for (int k = 0; k < warm_count; ++k) {
      start = std::chrono::steady_clock::now();
      if (!solver.update_loads(k % 2 == 0 ? scaled : model))
        throw std::logic_error("loads changed");
      update_s.push_back(seconds_since(start));
      const steady::SolveResult again = solver.solve();
      warm_s.push_back(seconds_since(start));
      warm_iterations = again.stats.iterations;
    }
    start = std::chrono::steady_clock::now();
    if (!solver.update(scaled)) throw std::logic_error("structure changed");
    const double full_update_s = seconds_since(start);
    fmt::print(
        "{{\"buses\": {}, \"load\": {:.9g}, \"first\": {:.9g}, \"iterations\": {}, "
        "\"warm_iterations\": {}, \"warm\": [{}], \"warm_update\": [{}], "
        "\"full_update\": {:.9g}}}\n",
        first.buses.size(), load_s, first_s, first.stats.iterations, warm_iterations, join(warm_s),
        join(update_s), full_update_s);
    if (!voltages_path.empty()) {
      std::FILE* file = std::fopen(voltages_path.c_str(), "w");
      if (file == nullptr) throw std::runtime_error("cannot write " + voltages_path);
      for (const auto& bus : first.buses)
        fmt::print(file, "{} {:.17g} {:.17g}\n", bus.bus, bus.v_pu,
                   bus.angle_deg * std::numbers::pi / 180.0);
      std::fclose(file);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "g2g_resolve: %s\n", e.what());
    return 1;
  }
  return 0;
}

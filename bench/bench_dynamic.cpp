// IDA + KLU on a chain of N series R–L sections with a shunt C at each junction (a DC feeder as
// a ladder), terminated in its characteristic impedance, its source switched from 0 to 800 V at
// t = 0 either at once or by a linear ramp (the rise of a profile edge): integrator steps and µs
// per step over 20 ms. Figures and command: docs/dynamic.md § Integrator.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <span>
#include <string>
#include <vector>

#include "g2g/dynamic/dae.hpp"
#include "g2g/dynamic/ida.hpp"

namespace {

using g2g::dynamic::CsrPattern;
using g2g::dynamic::UnknownName;

// Unknowns 2k: i_k, the current of section k; 2k + 1: v_k, the voltage at its far end.
//   row i_k:  L i_k' + R i_k + v_k - v_{k-1} = 0      (v_{-1}: the source)
//   row v_k:  C v_k' - i_k + i_{k+1} = 0              (last: i_N = v_{N-1} / R_load)
class RlcChain : public g2g::dynamic::DaeSystem {
 public:
  static constexpr double source_v = 800.0;
  static constexpr double r_ohm = 1e-3;
  static constexpr double l_h = 1e-6;
  static constexpr double c_f = 10e-6;

  RlcChain(std::int64_t sections, double rise_s)
      : sections_(sections), rise_s_(rise_s), load_ohm_(std::sqrt(l_h / c_f)) {}

  [[nodiscard]] double source(double t_s) const {
    return t_s >= rise_s_ ? source_v : source_v * t_s / rise_s_;
  }

  [[nodiscard]] std::int64_t size() const override { return 2 * sections_; }
  [[nodiscard]] std::vector<bool> differential() const override {
    return std::vector<bool>(static_cast<std::size_t>(size()), true);
  }
  void residual(double t_s, std::span<const double> y, std::span<const double> yp,
                std::span<double> out) override {
    const double first_v = source(t_s);
    for (std::int64_t k = 0; k < sections_; ++k) {
      const auto i = static_cast<std::size_t>(2 * k);
      const double upstream_v = k == 0 ? first_v : y[i - 1];
      const double downstream_a = k + 1 < sections_ ? y[i + 2] : y[i + 1] / load_ohm_;
      out[i] = l_h * yp[i] + r_ohm * y[i] + y[i + 1] - upstream_v;
      out[i + 1] = c_f * yp[i + 1] - y[i] + downstream_a;
    }
  }
  [[nodiscard]] CsrPattern pattern() const override {
    CsrPattern p;
    p.size = size();
    p.row_start.push_back(0);
    for (std::int64_t k = 0; k < sections_; ++k) {
      const std::int64_t i = 2 * k;
      if (k > 0) p.column.push_back(i - 1);
      p.column.push_back(i);
      p.column.push_back(i + 1);
      p.row_start.push_back(static_cast<std::int64_t>(p.column.size()));
      p.column.push_back(i);
      p.column.push_back(i + 1);
      if (k + 1 < sections_) p.column.push_back(i + 2);
      p.row_start.push_back(static_cast<std::int64_t>(p.column.size()));
    }
    return p;
  }
  void jacobian(double, std::span<const double>, std::span<const double>, double cj,
                std::span<double> values) override {
    std::size_t e = 0;
    for (std::int64_t k = 0; k < sections_; ++k) {
      if (k > 0) values[e++] = -1.0;  // dF/dv_{k-1}
      values[e++] = r_ohm + cj * l_h;
      values[e++] = 1.0;
      values[e++] = -1.0;
      values[e++] = cj * c_f + (k + 1 < sections_ ? 0.0 : 1.0 / load_ohm_);
      if (k + 1 < sections_) values[e++] = 1.0;
    }
  }
  [[nodiscard]] UnknownName names(std::int64_t k) const override {
    return {"section" + std::to_string(k / 2), k % 2 == 0 ? "i_l" : "v_c"};
  }

 private:
  std::int64_t sections_;
  double rise_s_;
  double load_ohm_;
};

// Arguments: sections, the source's rise time in µs (0: a step).
void bm_ida_rlc_chain(benchmark::State& state) {
  const double rise_s = static_cast<double>(state.range(1)) * 1e-6;
  RlcChain chain(state.range(0), rise_s);
  const std::vector<double> rest(static_cast<std::size_t>(chain.size()), 0.0);
  g2g::dynamic::IntegratorOptions options;
  options.relative_tolerance = 1e-4;  // issue 14's performance setting
  options.absolute_tolerance = 1e-6;
  const double duration_s = 0.02;
  g2g::dynamic::IntegratorStats stats;
  double seconds = 0.0;      // wall
  double cpu_seconds = 0.0;  // this process's CPU time: less sensitive to a shared machine
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    g2g::dynamic::Integrator integrator(chain, 0.0, rest, rest, options);
    integrator.initial_conditions(1e-6);
    if (rise_s > 0.0) {  // the ramp's end is a kink: stop there and restart consistently
      integrator.advance_to(rise_s, nullptr);
      integrator.initial_conditions(rise_s + 1e-6);
    }
    integrator.advance_to(duration_s, nullptr);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    cpu_seconds += static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    stats = integrator.stats();
    benchmark::DoNotOptimize(integrator.y().data());
  }
  const auto runs = static_cast<double>(state.iterations());
  state.counters["unknowns"] = static_cast<double>(chain.size());
  state.counters["jacobian_entries"] = static_cast<double>(chain.pattern().column.size());
  state.counters["steps"] = static_cast<double>(stats.steps);
  state.counters["jacobian_evals"] = static_cast<double>(stats.jacobian_evaluations);
  state.counters["factorizations"] = static_cast<double>(stats.factorizations);
  state.counters["residual_evals"] = static_cast<double>(stats.residual_evaluations);
  state.counters["us_per_step"] = seconds / runs / static_cast<double>(stats.steps) * 1e6;
  state.counters["cpu_us_per_step"] = cpu_seconds / runs / static_cast<double>(stats.steps) * 1e6;
  state.counters["x_real_time"] = duration_s / (seconds / runs);
}

BENCHMARK(bm_ida_rlc_chain)
    ->Args({1000, 0})
    ->Args({1000, 1000})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);

}  // namespace

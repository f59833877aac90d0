// Magnetics kernels that run inside every converter operating point: the iGSE of a 4-segment
// flux waveform and a winding loss with Dowell's factor over 20 harmonics (target: well under
// 1 µs each, issue 5).
#include <benchmark/benchmark.h>

#include <vector>

#include "g2g/magnetics/library.hpp"
#include "g2g/magnetics/magnetics.hpp"

namespace {

using g2g::magnetics::FluxPoint;

void bm_igse_four_segments(benchmark::State& state) {
  const g2g::magnetics::CoreMaterial& material = *g2g::magnetics::find_material("N87");
  // Dual-active-bridge-like trapezoid: rise, flat, fall, flat.
  const std::vector<FluxPoint> waveform = {{0.0, -0.1}, {3e-6, 0.1}, {5e-6, 0.1}, {8e-6, -0.1}};
  double period_s = 10e-6;
  for (auto _ : state) {
    benchmark::DoNotOptimize(period_s);
    benchmark::DoNotOptimize(g2g::magnetics::igse_loss_density_w_m3(material, waveform, period_s));
  }
}
BENCHMARK(bm_igse_four_segments);

void bm_dowell_twenty_harmonics(benchmark::State& state) {
  std::vector<double> harmonics(20);
  for (std::size_t n = 0; n < harmonics.size(); ++n) harmonics[n] = 10.0 / double(n + 1);
  double f_hz = 100e3;
  for (auto _ : state) {
    benchmark::DoNotOptimize(f_hz);
    benchmark::DoNotOptimize(
        g2g::magnetics::winding_loss_w(0.01, 5.0, harmonics, f_hz, 0.2e-3, 4, 1.7241e-8, 0.9));
  }
}
BENCHMARK(bm_dowell_twenty_harmonics);

void bm_harmonics_of_trapezoid(benchmark::State& state) {
  const std::vector<FluxPoint> current = {{0.0, -12.0}, {3e-6, 12.0}, {5e-6, 12.0}, {8e-6, -12.0}};
  for (auto _ : state) {
    benchmark::DoNotOptimize(g2g::magnetics::harmonic_rms_a(current, 10e-6, 20));
  }
}
BENCHMARK(bm_harmonics_of_trapezoid);

}  // namespace

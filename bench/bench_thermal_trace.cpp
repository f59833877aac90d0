// converters::junction_trace over a day at 1 s (86,400 samples) of the shipped 400 V -> 54 V GaN
// LLC module (examples/converters/llc-400v-54v-5k5-gan.yaml, the module of the 800 V -> 54 V
// rack converter) on a shared heatsink of 0.05 K/W and 60 s (bench assumptions): a training swing
// that alternates two operating points (each evaluated once, then reused), and a load that
// differs at every sample (86,400 evaluations). Figures in docs/benchmarks.md.
#include <benchmark/benchmark.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <vector>

#include "g2g/converters/spec_loader.hpp"
#include "g2g/converters/thermal_trace.hpp"
#include "g2g/devices/library.hpp"
#include "g2g/magnetics/library.hpp"

namespace {

using namespace g2g::converters;

ConverterDesign module_on_sink() {
  const char* const file = G2G_EXAMPLES_DIR "/converters/llc-400v-54v-5k5-gan.yaml";
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  ConverterDesign d = parse_converter_spec(text.str(), file);
  d.r_th_sink_k_per_w = 0.05;
  d.tau_sink_s = 60.0;
  return d;
}

// 86,400 samples at 1 s. swing: 5 s at 100 %, 5 s at 30 % (a synchronous training step);
// distinct: 60 % +- 35 % over 10 minutes plus an irrational ripple, so no two samples repeat.
std::vector<ProfileSample> day(const ConverterDesign& d, bool distinct) {
  std::vector<ProfileSample> profile(86400);
  for (std::size_t k = 0; k < profile.size(); ++k) {
    const double t = static_cast<double>(k);
    const double load = distinct ? 0.6 + 0.35 * std::sin(t / 95.5) + 0.02 * std::sin(t * 0.7071)
                                 : ((k / 5) % 2 == 0 ? 1.0 : 0.3);
    profile[k] = {t, {d.v_in_nominal_v, d.v_out_nominal_v, load * d.rating_w}};
  }
  return profile;
}

void trace_day(benchmark::State& state, bool distinct) {
  const ConverterDesign d = module_on_sink();
  const Library lib{&g2g::devices::default_devices(), &g2g::magnetics::default_materials()};
  const auto profile = day(d, distinct);
  for (auto _ : state) {
    JunctionTrace trace = junction_trace(d, lib, profile);
    benchmark::DoNotOptimize(trace.positions.data());
    state.counters["evaluations"] = static_cast<double>(trace.evaluations);
  }
}

BENCHMARK_CAPTURE(trace_day, swing, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(trace_day, distinct, true)->Unit(benchmark::kMillisecond);

}  // namespace

// Converter operating points and efficiency maps (issue 5 targets: one point < 10 us, a 50 x 50
// map < 50 ms): buck, LLC and DAB; the totem-pole PFC of
// examples/converters/transphorm-totem-pole-pfc-230v-400v.yaml; 2-level and 3-level T-type active
// front ends (800 V link). Designs built in code from library parts; figures in
// docs/converters.md.
#include <benchmark/benchmark.h>

#include <vector>

#include "g2g/converters/converter.hpp"
#include "g2g/devices/library.hpp"
#include "g2g/magnetics/library.hpp"

namespace {

using namespace g2g::converters;

Library library() {
  return {&g2g::devices::default_devices(), &g2g::magnetics::default_materials()};
}

ConverterDesign buck() {
  ConverterDesign d;
  d.name = "bench buck";
  d.topology = Topology::buck;
  d.phases = 4;
  d.primary_device = "EPC2218";
  d.f_sw_hz = 500e3;
  d.t_dead_s = 10e-9;
  d.v_in_nominal_v = 48.0;
  d.v_out_nominal_v = 12.0;
  d.rating_w = 1000.0;
  d.inductor = {"N87", 60e-6, 3e-6, 4, 2.2e-6, 1e-3, 0.0, 0.07e-3, 2, 1.0};
  d.capacitor_esr_ohm = 1e-3;
  return d;
}

ConverterDesign llc() {
  ConverterDesign d;
  d.name = "bench llc";
  d.topology = Topology::llc;
  d.primary_device = "GS66516B";
  d.secondary_device = "EPC2218";
  d.secondary_full_bridge = true;
  d.secondary_parallel = 3;
  d.f_sw_hz = 500e3;
  d.t_dead_s = 50e-9;
  d.v_in_nominal_v = 400.0;
  d.v_out_nominal_v = 50.0;
  d.rating_w = 3000.0;
  d.turns_ratio = 8.0;
  d.transformer = {"3F4", 330e-6, 15e-6, 12, 22e-6, 30e-3, 0.3e-3, 0.07e-3, 2, 1.0};
  return d;
}

ConverterDesign dab() {
  ConverterDesign d;
  d.name = "bench dab";
  d.topology = Topology::dab;
  d.primary_device = "GS66516B";
  d.f_sw_hz = 200e3;
  d.t_dead_s = 50e-9;
  d.v_in_nominal_v = 400.0;
  d.v_out_nominal_v = 400.0;
  d.rating_w = 3000.0;
  d.resonant_inductance_h = 30e-6;
  d.transformer = {"N87", 200e-6, 20e-6, 12, 1e-3, 20e-3, 0.0, 0.0, 1, 1.0};
  return d;
}

ConverterDesign pfc() {
  ConverterDesign d;
  d.name = "bench totem-pole pfc";
  d.topology = Topology::totem_pole_pfc;
  d.primary_device = "TP65H050WSQA";
  d.secondary_device = "IPW60R040C7";
  d.f_sw_hz = 100e3;
  d.t_dead_s = 50e-9;
  d.v_in_nominal_v = 230.0;
  d.v_out_nominal_v = 400.0;
  d.rating_w = 1500.0;
  d.inductor = {"N87", 328e-6, 37.1e-6, 30, 300e-6, 30e-3, 0.0, 0.0, 1, 1.0};
  d.capacitor_esr_ohm = 75e-3;
  return d;
}

ConverterDesign afe(Topology topology) {
  ConverterDesign d;
  d.name = "bench afe";
  d.topology = topology;
  // 2-level: 1000 V SiC across the 800 V link; 3-level T-type: the same outside, 650 V GaN inside.
  d.primary_device = "C3M0065100J";
  d.secondary_device = topology == Topology::afe_3level ? "GS66516B" : "";
  d.parallel = 2;
  d.f_sw_hz = 50e3;
  d.t_dead_s = 200e-9;
  d.v_in_nominal_v = 480.0;
  d.v_out_nominal_v = 800.0;
  d.rating_w = 30e3;
  d.inductor = {"N87", 600e-6, 200e-6, 24, 400e-6, 10e-3, 0.0, 0.0, 1, 1.0};
  d.capacitor_esr_ohm = 20e-3;
  return d;
}

void point(benchmark::State& state, const ConverterDesign& design, OperatingPoint op) {
  const Library lib = library();
  for (auto _ : state) benchmark::DoNotOptimize(evaluate(design, lib, op));
}

void map_50x50(benchmark::State& state, const ConverterDesign& design, double v_lo, double v_hi) {
  const Library lib = library();
  std::vector<double> loads, v_in;
  for (int i = 1; i <= 50; ++i) loads.push_back(0.02 * i);
  for (int i = 0; i < 50; ++i) v_in.push_back(v_lo + (v_hi - v_lo) * i / 49.0);
  for (auto _ : state) benchmark::DoNotOptimize(efficiency_map(design, lib, loads, v_in));
}

}  // namespace

BENCHMARK_CAPTURE(point, buck, buck(), OperatingPoint{48.0, 12.0, 800.0})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(point, llc, llc(), OperatingPoint{400.0, 50.0, 2000.0})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(point, dab, dab(), OperatingPoint{400.0, 400.0, 2000.0})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(map_50x50, buck, buck(), 40.0, 60.0)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(map_50x50, llc, llc(), 380.0, 420.0)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(map_50x50, dab, dab(), 380.0, 420.0)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(point, totem_pole_pfc, pfc(), OperatingPoint{230.0, 400.0, 1000.0})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(point, afe_2level, afe(Topology::afe_2level), OperatingPoint{480.0, 800.0, 20e3})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(point, afe_3level, afe(Topology::afe_3level), OperatingPoint{480.0, 800.0, 20e3})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(map_50x50, totem_pole_pfc, pfc(), 180.0, 264.0)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(map_50x50, afe_3level, afe(Topology::afe_3level), 400.0, 528.0)
    ->Unit(benchmark::kMillisecond);

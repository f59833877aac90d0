// Device loss model timings (docs/devices.md): one device_loss evaluation, and one
// loss_with_cooling (the junction-temperature fixed point over device_loss). A converter
// operating point evaluates a few switch positions, each through loss_with_cooling, within a
// 10 µs budget (issue 5).
#include <benchmark/benchmark.h>

#include "g2g/devices/library.hpp"
#include "g2g/devices/thermal.hpp"

namespace {

using namespace g2g::devices;

SwitchStress hard_switched(const Device& device) {
  SwitchStress s;
  s.f_sw_hz = 100e3;
  s.v_block_v = 0.6 * device.v_ds_max_v;
  s.i_rms_a = 12.0;
  s.i_on_a = 15.0;
  s.i_off_a = 15.0;
  s.t_dead_s = 50e-9;
  s.i_dead_a = 15.0;
  return with_partner(s, device);
}

void device_loss_hard_switching(benchmark::State& state) {
  const Device& device = *find_device(default_devices(), "GS66508P");
  SwitchStress stress = hard_switched(device);
  double t_j = 80.0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(stress);
    benchmark::DoNotOptimize(t_j);
    DeviceLoss loss = device_loss(device, stress, GateDrive{}, t_j);
    benchmark::DoNotOptimize(loss);
  }
}
BENCHMARK(device_loss_hard_switching);

void loss_with_cooling_by_part(benchmark::State& state) {
  const auto& library = default_devices();
  const Device& device = library[static_cast<std::size_t>(state.range(0)) % library.size()];
  SwitchStress stress = hard_switched(device);
  stress.f_sw_hz = 50e3;  // keeps the superjunction parts out of thermal runaway
  const Cooling cooling{40.0, 0.5};
  int iterations = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(stress);
    LossAtTemperature at = loss_with_cooling(device, stress, GateDrive{}, cooling);
    iterations = at.thermal.iterations;
    benchmark::DoNotOptimize(at);
  }
  state.SetLabel(device.name);
  state.counters["fixed_point_iterations"] = iterations;
}
BENCHMARK(loss_with_cooling_by_part)->Arg(8)->Arg(15)->Arg(20)->Arg(26);

}  // namespace

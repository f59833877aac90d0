// The time-domain signal pieces over one hour of training swings (1 s period, 5 ms edges, normal
// jitter, dips, a checkpoint every 10 min): building the utilisation profile, smoothing a
// 130 kW rack's request, and the grid-power metrics of 1 ms integrator-like steps. Figures and
// commands: docs/dynamic.md.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "g2g/dynamic/metrics.hpp"
#include "g2g/dynamic/profile.hpp"
#include "g2g/dynamic/smoothing.hpp"

namespace {

using namespace g2g::dynamic;

constexpr double hour_s = 3600.0;
constexpr double rack_w = 130e3;

ProfileSpec hour_of_training() {
  TrainingSteps s;
  s.period_s = 1.0;
  s.duty = 0.7;
  s.high = 0.95;
  s.low = 0.3;
  s.rise_s = 0.005;
  s.fall_s = 0.005;
  s.jitter = Jitter::normal;
  s.jitter_sd_s = 0.01;
  ProfileSpec spec;
  spec.pattern = s;
  spec.checkpoints =
      CheckpointPauses{.first_s = 600.0, .interval_s = 600.0, .duration_s = 20.0, .level = 0.2};
  spec.dips = RandomDips{.rate_per_s = 0.05, .depth = 0.5, .duration_s = 0.05};
  spec.seed = 1;
  return spec;
}

PiecewiseLinear rack_request(const Profile& profile) {
  std::vector<Breakpoint> points = profile.utilisation().points();
  for (auto& p : points) p.value *= rack_w;
  return PiecewiseLinear(std::move(points));
}

SmoothingSettings rack_smoothing() {
  SmoothingSettings s;
  s.rated_power_w = rack_w;
  s.power_floor_percent = 60.0;
  s.ramp_up_w_per_s = 2e6;
  s.ramp_down_w_per_s = 1e6;
  s.ramp_down_hysteresis_ms = 100.0;
  s.secondary_floor_w = 0.0;
  return s;
}

void bm_make_profile_hour(benchmark::State& state) {
  const ProfileSpec spec = hour_of_training();
  std::size_t points = 0;
  for (auto _ : state) {
    const Profile p = make_profile(spec, 0.0, hour_s);
    benchmark::DoNotOptimize(p.utilisation().points().data());
    points = p.utilisation().points().size();
  }
  state.counters["breakpoints"] = static_cast<double>(points);
}
BENCHMARK(bm_make_profile_hour)->Unit(benchmark::kMillisecond);

void bm_smooth_power_hour(benchmark::State& state) {
  const PiecewiseLinear request = rack_request(make_profile(hour_of_training(), 0.0, hour_s));
  const SmoothingSettings settings = rack_smoothing();
  double burn_j = 0.0;
  for (auto _ : state) {
    const SmoothedPower out = smooth_power(request, settings);
    // The result, not the double: DoNotOptimize's "+r,m" constraint may rewrite a double.
    benchmark::DoNotOptimize(out.drawn_power_w.points().data());
    burn_j = out.floor_burn_energy_j;
  }
  state.counters["burn_kWh"] = burn_j / 3.6e6;
}
BENCHMARK(bm_smooth_power_hour)->Unit(benchmark::kMillisecond);

void bm_power_metrics_hour(benchmark::State& state) {
  const PiecewiseLinear drawn =
      smooth_power(rack_request(make_profile(hour_of_training(), 0.0, hour_s)), rack_smoothing())
          .drawn_power_w;
  std::mt19937_64 engine(3);
  std::vector<double> t{0.0};
  while (t.back() < hour_s) t.push_back(t.back() + 5e-4 + 1e-3 * uniform_open(engine()));
  t.back() = hour_s;
  std::vector<double> p;
  p.reserve(t.size());
  for (const double ti : t) p.push_back(drawn.value(ti));
  MetricsOptions options;
  options.ramp_window_s = 1.0;
  std::size_t resampled = 0;
  for (auto _ : state) {
    const PowerMetrics m = power_metrics(t, p, options);
    benchmark::DoNotOptimize(m.bands.data());
    resampled = m.resampled_points;
  }
  state.counters["samples"] = static_cast<double>(t.size());
  state.counters["resampled"] = static_cast<double>(resampled);
}
BENCHMARK(bm_power_metrics_hour)->Unit(benchmark::kMillisecond);

}  // namespace

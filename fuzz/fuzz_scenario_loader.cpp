// libFuzzer target for scenario files (docs/scenario-format.md): any byte string fed to
// dynamic::parse_scenario must give a Scenario or throw core::ModelError; one that parses is
// resolved against a small hall of templated GPU racks (resolve: a Scenario or ModelError), and
// the profile of its first profiled load is built over the first 10 s when that is small (only
// InvalidInput may refuse it). Anything else (another exception, a crash, a sanitizer report, a
// hang) is a bug. The trace reader serves two files, "trace.csv" and "run.csv" (a simulate CSV
// for `column:`); any other name cannot be read.
// Corpus: fuzz/corpus-scenario (the shipped examples/scenarios and the reader's own cases).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/error.hpp"
#include "g2g/dynamic/scenario.hpp"
#include "g2g/model/loader.hpp"

namespace {

// Two rows of two racks on an 800 V bus, a battery and one load that is not a GPU rack: every
// kind a scenario names (gpu_rack loads, instances, storage, buses, another load model).
constexpr std::string_view hall_yaml = R"(grid2gpu: 1
name: fuzz hall
buses:
  - {id: grid, kind: ac, voltage: 13.8 kV}
  - {id: dc800, kind: dc, voltage: 800 V}
components:
  - {id: utility, type: utility, bus: grid, voltage: 1.0, angle: 0 deg}
  - {id: sst, type: sst, input: grid, output: dc800, rating: 5 MW, efficiency: 99 %,
     control: voltage, voltage: 1.0}
  - {id: bess, type: storage, bus: dc800, power: 0 W, rating: 1 MW, energy: 1 MWh}
  - {id: lights, type: load, bus: dc800, power: 10 kW}
templates:
  rack:
    ports: [feed]
    components:
      - {id: gpus, type: gpu_rack, bus: feed, it_power: 130 kW, utilisation: 1.0}
  row:
    ports: [feed]
    buses:
      - {id: busway, kind: dc, voltage: 800 V}
    components:
      - {id: busway_feed, type: busbar, from: feed, to: busway, material: copper,
         cross_section: 899 mm2, length: 30 m, temperature: 65 °C}
    instances:
      - {template: rack, id: rack, count: 2, connect: {feed: busway}}
instances:
  - {template: row, id: row, count: 2, connect: {feed: dc800}}
)";

const g2g::model::ModelSpec& hall() {
  static const g2g::model::ModelSpec model = g2g::model::load_yaml(hall_yaml, "fuzz-hall.yaml");
  return model;
}

std::string read_trace(std::string_view path) {
  if (path == "trace.csv") return "time_s,utilisation\n-100,0.5\n0,1\n100,0.2\n";
  // A recorded-signals CSV of grid2gpu simulate, for a trace's `column:`.
  if (path == "run.csv")
    return "t_s,psu.p [W],bus.v [V],rack.u\n-100,1000,800,0.5\n0,2000,799,1\n100,500,801,0.2\n";
  throw g2g::InvalidInput("trace", "no such file in the fuzz target", "name trace.csv or run.csv");
}

// Whether building the profile over [0, 10 s] stays small (pulses, dips and pauses).
bool small(const g2g::dynamic::ProfileSpec& spec) {
  double events = 0.0;
  if (const auto* t = std::get_if<g2g::dynamic::TrainingSteps>(&spec.pattern))
    events += 10.0 / t->period_s;
  if (spec.dips) events += 10.0 * spec.dips->rate_per_s;
  if (spec.checkpoints) events += 10.0 / spec.checkpoints->interval_s;
  return events < 1e4;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const g2g::dynamic::Scenario scenario =
        g2g::dynamic::parse_scenario(text, "fuzz-scenario.yaml", read_trace);
    const g2g::dynamic::ResolvedScenario resolved = g2g::dynamic::resolve(scenario, hall());
    const auto first = std::find_if(resolved.load_profiles.begin(), resolved.load_profiles.end(),
                                    [](const auto& p) { return p.has_value(); });
    if (first != resolved.load_profiles.end()) {
      const auto& spec = scenario.profiles[(*first)->profile].profile;
      if (small(spec)) {
        try {
          (void)g2g::dynamic::make_profile(spec, 0.0, std::min(scenario.duration_s, 10.0),
                                           (*first)->group);
        } catch (const g2g::InvalidInput&) {
          // A trace that does not cover the run, a group phase that is not finite.
        }
      }
    }
  } catch (const g2g::core::ModelError&) {
    // The expected outcome for almost every input.
  }
  return 0;
}

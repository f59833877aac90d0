// Small in-memory models for the sweep tests: a 415 V AC hall of `racks` racks, with its rack
// power, feeder length and UPS efficiency as parameters, in two architectures that differ in the
// UPS (so that claim columns have a pair to compare).
#pragma once

#include <fmt/format.h>

#include <string>

#include "g2g/sweep/plan.hpp"

namespace g2g::sweep::fixtures {

inline std::string hall_model(const std::string& name, const std::string& ups_efficiency) {
  return fmt::format(R"(grid2gpu: 1
name: {}
frequency: 60 Hz
parameters:
  rack_power: 40 kW
  feeder_length: 20 m
  racks: 4
  ups_efficiency: {}
buses:
  - {{id: mv, kind: ac, voltage: 13.8 kV}}
  - {{id: lv, kind: ac, voltage: 415 V}}
  - {{id: critical, kind: ac, voltage: 415 V}}
components:
  - {{id: utility, type: utility, bus: mv}}
  - {{id: tx1, type: transformer, hv: mv, lv: lv, rating: 1 MVA, hv_voltage: 13.8 kV,
     lv_voltage: 415 V, impedance: 6 %}}
  - {{id: ups1, type: ups, input: lv, output: critical, rating: 400 kW,
     efficiency: $ups_efficiency, control: voltage, voltage: 1.0}}
templates:
  rack:
    ports: [feed]
    buses:
      - {{id: pdu, kind: ac, voltage: 415 V}}
      - {{id: bus54, kind: dc, voltage: 54 V}}
    components:
      - {{id: feeder, type: cable, from: feed, to: pdu, material: copper, cross_section: 25 mm2,
         length: $feeder_length, temperature: 90 °C, reactance_per_length: 0.08 mohm/m,
         ampacity: 127 A}}
      - {{id: psu, type: psu, input: pdu, output: bus54, rating: 48 kW,
         efficiency: [[0.1, 0.90], [0.2, 0.94], [0.5, 0.96], [1.0, 0.91]], power_factor: 0.95}}
      - {{id: gpus, type: gpu_rack, bus: bus54, it_power: $rack_power}}
instances:
  - {{template: rack, id: rack, count: $racks, connect: {{feed: critical}}}}
)",
                     name, ups_efficiency);
}

// A plan of `sweep_text` over the two halls (hall-a.yaml the baseline, hall-b.yaml).
inline PlanSource hall_source(const std::string& sweep_text) {
  PlanSource source;
  source.sweep_text = sweep_text;
  source.sweep_name = "test.sweep.yaml";
  source.model_texts = {{"hall-a.yaml", hall_model("hall A", "93.5 %")},
                        {"hall-b.yaml", hall_model("hall B", "97 %")}};
  return source;
}

}  // namespace g2g::sweep::fixtures

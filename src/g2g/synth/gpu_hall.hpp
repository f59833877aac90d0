// A synthetic 800 V DC GPU hall with the data a time-domain simulation needs: a stiff 800 V
// hall bus (the facility converter's output, taken as ideal), rows on busways and racks on
// feed cables, each rack an 800 V DC link, a DC/DC with a PI voltage loop and a GPU rack at
// 54 V. Racks are template instances ("row[r]/rack[k]"), as a model file's would be, so that
// aggregation by template origin applies. For benchmarks and tests: the values are typical,
// not sourced, and chosen to be stable by the constant-power-load criterion
// (docs/algorithms/dae.md § Network equations), which the tests check.
#pragma once

#include "g2g/model/spec.hpp"

namespace g2g::synth {

struct GpuHallParams {
  int rows = 8;
  int racks_per_row = 8;
  double rack_power_w = 130e3;  // gpu_rack it_power
  double idle_fraction = 0.2;   // gpu_rack idle power / rated
  double utilisation = 1.0;     // at the power flow
  double row_busway_m = 30.0;   // aluminium busway, 400 mm2 per pole
  double rack_cable_m = 5.0;    // copper cable, 70 mm2 per pole
  double row_capacitance_f = 20e-3;
  double rack_link_f = 1e-3;  // 800 V DC link at each rack
  // Its ESR. 0: an ideal capacitor on the rack's 800 V bus (its 3 kHz resonance with the feed
  // cable is then damped 2.4 %); above 0: the DC/DC's input capacitor with this ESR.
  double rack_link_esr_ohm = 0.0;
  double rack_output_f = 20e-3;  // 54 V output capacitor, with rack_output_esr_ohm
  double rack_output_esr_ohm = 1e-3;
  double rack_bandwidth_hz = 1000.0;
  double rack_damping = 1.0;
};

// Buses "hall", "row[r]/busway", "row[r]/rack[k]/dc800", "row[r]/rack[k]/bus54"; the source
// "feed"; lines "row[r]/busway_feed", "row[r]/rack[k]/feed"; converters
// "row[r]/rack[k]/dcdc"; loads "row[r]/rack[k]/gpus". Throws std::invalid_argument for fewer
// than one row or rack.
[[nodiscard]] model::ModelSpec gpu_hall(const GpuHallParams& params);

}  // namespace g2g::synth

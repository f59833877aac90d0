// Synthetic networks for tests and benchmarks: seeded, deterministic generators that return a
// ModelSpec directly (no file round trip), in O(bus_count) time and memory so a 1e6-bus case
// takes well under a second to build.
//
// Lines are sized the way an engineer sizes cables: each line's resistance is chosen from the
// current it will carry at nominal voltage (the load of everything downstream of it in the
// spanning tree), so the voltage drop along any path from the source stays within a budget
// (`max_drop_pu`) whatever the size or shape of the tree. Mesh ties are added afterwards with a
// resistance several times that of the tree lines they bridge, so they shift some current
// without taking over the design. Ties are local (sibling and cousin buses) by default; far ties
// (DcNetworkParams::far_tie_count) join buses anywhere in the tree, which makes the LU factors
// fill in under any ordering, and exist to test and measure the solver's choice of ordering.
#pragma once

#include <cstdint>

#include "g2g/model/spec.hpp"

namespace g2g::synth {

enum class TreeShape : std::uint8_t {
  random_recursive,  // each bus hangs off a uniformly random earlier bus (depth ~ ln n)
  fanout,            // switchboard-like: bus i hangs off bus (i - 1) / fanout (depth log_f n)
};

struct DcNetworkParams {
  std::int64_t bus_count = 1000;   // including the slack bus; at least 2
  double mesh_tie_fraction = 0.1;  // extra lines (sibling/cousin ties), per non-slack bus
  // Extra lines between two uniformly random buses anywhere in the tree, on top of the local
  // ties. A count, not a fraction: their fill grows faster than linearly with their number.
  std::int64_t far_tie_count = 0;
  std::uint64_t seed = 1;
  TreeShape shape = TreeShape::random_recursive;
  int fanout = 8;                    // TreeShape::fanout only
  double nominal_voltage_v = 800.0;  // every bus, pole to pole
  double load_per_bus_w = 5e3;       // mean load at nominal voltage; each is uniform in
                                     // [0.5, 1.5] x this
  double load_fraction = 0.8;        // share of non-slack buses that carry a load
  // Caps the total load: the mean load per bus is lowered when load_per_bus_w would exceed it.
  // Without a cap a 1e6-bus island would draw GW through one 800 V slack, its first lines would
  // need micro-ohm resistances, and the admittance spread would put the mismatch's round-off
  // floor above the solver tolerance.
  double max_total_load_w = 20e6;
  // Share of loads per model; the rest are constant power.
  double constant_current_fraction = 0.25;
  double constant_impedance_fraction = 0.25;
  double max_drop_pu = 0.06;  // tree design budget for the voltage drop from the slack
};

// One dc_source slack on bus "b0" (at 1.0 pu), a random spanning tree of lines with explicit
// r_ohm, round(mesh_tie_fraction * (bus_count - 1)) mesh ties (fewer only in degenerate trees),
// each joining a bus to a sibling or cousin so the network stays sparse to factor (ties between
// far-apart buses would make the LU fill grow quadratically), then far_tie_count far ties
// (fewer only in trees of fewer than 3 buses), and a mix of constant power,
// constant current and constant impedance loads. Bus ids are "b<index>", lines "l<index>",
// loads "d<index>". Throws std::invalid_argument for bus_count < 2.
[[nodiscard]] model::ModelSpec random_dc_network(const DcNetworkParams& params);

struct HybridNetworkParams {
  std::int64_t bus_count = 1000;  // target; the result has exactly this many buses (>= 16)
  std::uint64_t seed = 1;
  double mv_voltage_v = 34.5e3;     // utility and MV feeders
  double lv_voltage_v = 480.0;      // transformer secondaries and rectifier inputs
  double dc_voltage_v = 800.0;      // rectifier outputs
  double rack_voltage_v = 48.0;     // dcdc outputs
  int transformers_per_feeder = 6;  // MV buses chained along each feeder
  int rectifiers_per_transformer = 4;
  int dc_buses_per_rectifier = 24;  // mean size of each 800 V tree
  int dcdc_per_rectifier = 4;       // 48 V islands hanging off each 800 V tree
  int rack_buses_per_dcdc = 4;      // mean size of each 48 V tree
  double rack_load_w = 4e3;         // mean load at nominal voltage per 48 V bus
  double dc_load_w = 20e3;          // mean load per 800 V bus that carries one
  double mesh_tie_fraction = 0.05;  // ties inside the 800 V trees, per 800 V bus
  double max_drop_pu = 0.04;        // per-island tree design budget
};

// An AC utility (slack) at MV feeding radial MV feeders; each MV bus has a transformer to an LV
// bus, which feeds rectifiers (voltage control, efficiency curve) over short AC cables. Each
// rectifier output is the root of an 800 V DC tree with mesh ties and loads; dcdc converters
// (voltage control) feed 48 V trees of rack loads. Every island has exactly one voltage
// reference. Transformers and converters are rated from the load they carry, with margin.
[[nodiscard]] model::ModelSpec random_hybrid_network(const HybridNetworkParams& params);

struct AcRadialParams {
  std::int64_t bus_count = 1000;  // including the slack bus; at least 2
  std::uint64_t seed = 1;
  double nominal_voltage_v = 11e3;  // every bus, line to line
  double load_per_bus_w = 50e3;     // mean load; each is uniform in [0.5, 1.5] x this
  double load_fraction = 0.8;       // share of non-slack buses that carry a load
  double max_total_load_w = 20e6;   // caps the total load, as DcNetworkParams does
  double power_factor = 0.95;       // every load, lagging
  double max_drop_pu = 0.05;        // tree design budget for the voltage drop from the slack
};

// The benchmark network shared with power-grid-model (docs/benchmarks.md): one utility slack on
// bus "b0" at 1.0 pu, a random recursive tree of lines with r_ohm and x_ohm (no ties, no
// transformers, no shunt susceptance), and constant-power loads at `power_factor`. Throws
// std::invalid_argument for bus_count < 2.
[[nodiscard]] model::ModelSpec random_ac_radial_network(const AcRadialParams& params);

}  // namespace g2g::synth

// Test-side bridge to ngspice: writes a DC-only ModelSpec as a SPICE netlist for an operating
// point (.op), runs `ngspice -b`, and reads every node voltage back. grid2gpu's load definitions
// are reproduced element by element, so the two solvers see the same equations:
//   dc_source            V source of v_set_pu * V_nominal
//   line (r_ohm)         resistor of r_ohm (DC loop resistance)
//   constant_current     current sink of p_w / V_nominal
//   constant_impedance   resistor of V_nominal^2 / p_w
//   constant_power       B source I = p_w / max(V, v_floor), with v_floor well below the band
//   zip                  the three above, weighted
//   gpu_rack             constant power of model::nominal_load_power_w
//   storage              constant-power B source of -p_set_w (discharge injects)
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/model/spec.hpp"

namespace g2g::test {

struct SpiceOptions {
  // Below this (pu of nominal) constant-power loads turn into constant current, as they must for
  // SPICE's Newton to start from 0 V. Operating points here stay far above it.
  double constant_power_floor_pu = 0.5;
  // Tight enough that ngspice's own error sits far below the 1e-6 the tests check.
  double reltol = 1e-12;
  double abstol_a = 1e-15;
  double vntol_v = 1e-12;
};

// SPICE node name of a bus ("n<index>"); bus ids may hold characters SPICE does not accept.
std::string spice_node(model::BusIndex bus);

// The netlist text. Throws std::invalid_argument for anything outside the DC subset (AC buses,
// transformers, converters, lines without r_ohm) and for islands ngspice cannot see.
std::string write_spice_dc_netlist(const model::ModelSpec& model, const SpiceOptions& options = {});

// Node voltages in volts per bus, parsed from ngspice's `print all` lines ("n12 = 7.99e+02").
// Throws std::runtime_error naming the first bus with no value.
std::vector<double> parse_ngspice_voltages(std::string_view output, std::size_t bus_count);

// True when an `ngspice` executable is on PATH.
bool ngspice_available();

struct NgspiceRun {
  std::vector<double> voltages_v;  // per bus
  std::string output;              // everything ngspice printed
};

// Runs `ngspice -b netlist` and parses the voltages; throws std::runtime_error with ngspice's
// output when it fails or prints no operating point.
NgspiceRun run_ngspice(const std::filesystem::path& netlist, std::size_t bus_count);

}  // namespace g2g::test

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
//
// The second half is a transient (.tran) harness: a circuit of R, C (with ESR), L (with series
// R), piecewise-linear sources and constant-power B sources built element by element, run by
// `ngspice -b`, its waveforms read back from `wrdata` (docs/validation.md § ngspice transient
// harness). Element and node names are the caller's; the errors are g2g::InvalidInput (a circuit
// ngspice would misread) and g2g::Error (ngspice failed or wrote no waveform).
#pragma once

#include <filesystem>
#include <optional>
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

struct NgspiceRun {
  std::vector<double> voltages_v;  // per bus
  std::string output;              // everything ngspice printed
};

// Runs `ngspice -b netlist` and parses the voltages; throws std::runtime_error with ngspice's
// output when it fails or prints no operating point.
NgspiceRun run_ngspice(const std::filesystem::path& netlist, std::size_t bus_count);

// ---- Transient harness ----------------------------------------------------------------------

// A point of a piecewise-linear waveform; held constant before the first and after the last.
struct PwlPoint {
  double t_s = 0.0;
  double value = 0.0;
};

// A circuit for .tran. Nodes are names of letters, digits and '_'; "0" is ground. Element names
// are unique across the circuit (same characters). Each adder throws InvalidInput (subject: the
// element's name) for a bad name, a repeated name, a non-positive R, C or L or a PWL whose
// times do not ascend.
class TranCircuit {
 public:
  explicit TranCircuit(std::string title) : title_(std::move(title)) {}

  void resistor(const std::string& name, const std::string& a, const std::string& b, double r_ohm);
  // C between a and b with an optional ESR in series (an internal node "<name>_esr") and an
  // optional initial voltage (used when TranOptions::use_initial_conditions).
  void capacitor(const std::string& name, const std::string& a, const std::string& b, double c_f,
                 double esr_ohm = 0.0, std::optional<double> v0_v = std::nullopt);
  // L from a to b with an optional series R (internal node "<name>_r"), initial current a -> b.
  void inductor(const std::string& name, const std::string& a, const std::string& b, double l_h,
                double r_ohm = 0.0, std::optional<double> i0_a = std::nullopt);
  // V(a) - V(b) follows the PWL (one point: a constant).
  void voltage_source(const std::string& name, const std::string& a, const std::string& b,
                      std::vector<PwlPoint> v);
  // A current of the PWL flowing from a through the source to b (a sink at a when b is "0").
  void current_source(const std::string& name, const std::string& a, const std::string& b,
                      std::vector<PwlPoint> i);
  // A constant-power load from a to b: B source I = P(t) / max(V(a) - V(b), v_floor), P(t) a
  // PWL in time; below v_floor it draws a constant current, so that ngspice can start from 0 V.
  void constant_power_load(const std::string& name, const std::string& a, const std::string& b,
                           std::vector<PwlPoint> p_w, double v_floor_v);

  // A voltage-controlled switch from a to b (SPICE's S element, abrupt: vt = 0.5 V, no
  // hysteresis): r_on while its control PWL (a source of its own, node "<name>_ctl") is above
  // 0.5, r_off below.
  void voltage_controlled_switch(const std::string& name, const std::string& a,
                                 const std::string& b, std::vector<PwlPoint> control,
                                 double r_on_ohm, double r_off_ohm);
  // A symmetric clamp from a to b (a MOV as a B source): no current while |V(a,b)| <= v_clamp,
  // (|V| - v_clamp) / r_dyn beyond, in the direction of V.
  void clamp(const std::string& name, const std::string& a, const std::string& b, double v_clamp_v,
             double r_dyn_ohm);
  // A conductance from a to b that follows a PWL in time (S): a B source I = G(t) V(a,b).
  void conductance(const std::string& name, const std::string& a, const std::string& b,
                   std::vector<PwlPoint> g_s);
  // Signal names accepted by run_ngspice_tran: "v(node)" and "i(element)". The current of a
  // voltage source flows from a through the source to b, of an inductor a -> b, of any other
  // element a -> b (through a 0 V ammeter in series, added to the netlist when recorded).
  struct Element {
    // R, C, L, V, I, B, S (SPICE's letters); Z a clamp and G a conductance in time (B sources)
    char kind = 'R';
    std::string name, a, b;
    double value = 0.0;         // ohm, F, H
    double series_r_ohm = 0.0;  // C: ESR, L: series R
    std::optional<double> initial;
    std::vector<PwlPoint> pwl;  // V, I: the waveform; B: P(t)
    double v_floor_v = 0.0;     // B only
    double r_off_ohm = 0.0;     // S only (value: r_on)
  };
  [[nodiscard]] const std::vector<Element>& elements() const noexcept { return elements_; }
  [[nodiscard]] const std::string& title() const noexcept { return title_; }

 private:
  Element& add(char kind, const std::string& name, const std::string& a, const std::string& b);
  std::string title_;
  std::vector<Element> elements_;
};

struct TranOptions {
  double stop_s = 0.0;
  double print_step_s = 0.0;  // TSTEP: ngspice's output step and its first guess
  double max_step_s = 0.0;    // TMAX; 0 = stop_s / 50
  // Skip the operating point: capacitors and inductors start at their initial values (0 when
  // not given), sources at their value at t = 0. Otherwise t = 0 is ngspice's operating point.
  bool use_initial_conditions = false;
  double reltol = 1e-6;
  double abstol_a = 1e-12;
  double vntol_v = 1e-9;
  std::vector<std::string> signals;  // "v(node)", "i(element)"
};

// The netlist text (run_ngspice_tran writes it with the waveform file's path).
std::string write_spice_tran_netlist(const TranCircuit& circuit, const TranOptions& options,
                                     const std::filesystem::path& waveform_file);

struct TranWaveforms {
  std::vector<double> time_s;               // every time point ngspice accepted
  std::vector<std::string> names;           // as in TranOptions::signals
  std::vector<std::vector<double>> values;  // [signal][time point]
  std::string output;                       // everything ngspice printed

  // The samples of one signal; throws InvalidInput for a name that was not recorded.
  [[nodiscard]] const std::vector<double>& operator[](std::string_view name) const;
  // Linear interpolation at t (clamped to the run).
  [[nodiscard]] double at(std::string_view name, double t_s) const;
};

// Writes `dir`/tran.cir, runs `ngspice -b`, reads `dir`/tran.dat. Throws g2g::Error with
// ngspice's output when it fails or the waveform has the wrong shape.
TranWaveforms run_ngspice_tran(const TranCircuit& circuit, const TranOptions& options,
                               const std::filesystem::path& dir);

// Parses wrdata output written with wr_singlescale and wr_vecnames: a header line, then rows
// of time and one value per signal.
TranWaveforms parse_wrdata(std::string_view text, const std::vector<std::string>& signals);

}  // namespace g2g::test

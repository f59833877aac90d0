// Converters from physics: a topology's steady-state currents and voltages (averaged over a
// switching period) turned into the stress on each switch and magnetic part, and from there into
// losses with the device and magnetics models (devices/, magnetics/). One evaluate() per
// operating point, efficiency maps over load and input voltage, junction temperatures solved
// with the cooling. Pure functions, no I/O. Equations per topology: docs/converters.md.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/core/error.hpp"
#include "g2g/devices/device.hpp"
#include "g2g/devices/thermal.hpp"
#include "g2g/magnetics/magnetics.hpp"

namespace g2g::converters {

enum class Topology : std::uint8_t {
  buck,            // synchronous buck, multi-phase interleaved (54/48 -> 12 V, 12 V -> core)
  llc,             // LLC resonant, half or full bridge, at resonance = "DC transformer"
  dab,             // dual active bridge, single phase shift
  totem_pole_pfc,  // bridgeless totem-pole PFC, CCM, single phase
  afe_2level,      // three-phase two-level active front end (boost rectifier)
  afe_3level,      // three-phase three-level (T-type / NPC) active front end
};
std::string_view name(Topology topology) noexcept;

// A magnetic part: core (material by name, effective area, length/volume), turns, windings.
struct MagneticSpec {
  std::string material;         // key into the materials library
  double core_area_m2 = 0.0;    // A_e
  double core_volume_m3 = 0.0;  // V_e
  int turns = 1;                // primary (or inductor) turns
  double inductance_h = 0.0;    // inductor L, or transformer magnetising L_m
  // Windings: DC resistance (total referred to the primary) and the Dowell geometry.
  double r_dc_ohm = 0.0;
  // Transformers: DC resistance of the secondary winding (each half of a centre-tapped one) on its
  // own side; when > 0, r_dc_ohm is the primary winding alone and each winding carries its own
  // current. 0 = r_dc_ohm is the total referred to the primary (added by converters/).
  double r_dc_secondary_ohm = 0.0;
  double layer_thickness_m = 0.0;  // foil or equivalent layer thickness
  int layers = 1;
  double porosity = 1.0;
};

// What a model file's `model: physics` block (or a converter SPEC.yaml) specifies.
struct ConverterDesign {
  std::string name;
  Topology topology = Topology::buck;
  bool full_bridge = true;  // LLC/DAB primary: full or half bridge
  int phases = 1;           // interleaved phases (buck, PFC legs in parallel)
  int parallel = 1;         // devices in parallel per switch position
  // Secondary (LLC/DAB rectifier) devices in parallel per position; 0 = same as `parallel`
  // (added by converters/).
  int secondary_parallel = 0;
  std::string primary_device;    // high-voltage side / control switch (library name)
  std::string secondary_device;  // synchronous rectifier / low side (empty = same as primary)
  double f_sw_hz = 0.0;
  double t_dead_s = 0.0;
  double v_in_nominal_v = 0.0;
  double v_out_nominal_v = 0.0;
  double rating_w = 0.0;
  double turns_ratio = 1.0;  // n = N_primary / N_secondary (LLC, DAB)
  // LLC secondary: full-bridge rectifier (true) or centre-tapped (false) (added by converters/).
  bool secondary_full_bridge = false;
  double resonant_inductance_h = 0.0;       // LLC L_r, DAB series L
  double resonant_capacitance_f = 0.0;      // LLC C_r
  MagneticSpec inductor;                    // buck / PFC / AFE boost inductor (per phase)
  MagneticSpec transformer;                 // LLC / DAB transformer
  double capacitor_esr_ohm = 0.0;           // output (or DC-link) capacitor bank ESR
  double resonant_capacitor_esr_ohm = 0.0;  // LLC C_r bank ESR (added by converters/)
  // Heatsink volume estimate: cooling-system performance index (W/(K m^3)); 0 = not estimated
  // (added by converters/).
  double heatsink_cspi_w_per_k_m3 = 0.0;
  double other_loss_fraction = 0.0;  // PCB, connectors, control, as a fraction of P_out
  devices::GateDrive gate;
  devices::Cooling cooling;
  // Shared heatsink, sink to ambient (K/W): every loss of the converter heats it, and it is the
  // ambient of every device's r_th_ca (cooling.t_ambient_c is then the air or coolant). Lets a
  // design run at a published board temperature rise: R = rise / published loss. 0 = none.
  double r_th_sink_k_per_w = 0.0;
  // Heat capacity of the heatsink (SPEC `cooling: c_th_sink` or `tau_sink`, one or the other; both
  // 0 = a static sink). It is the shared sink's (R = r_th_sink_k_per_w) when there is one, else
  // each device's own case-to-ambient path's (R = cooling.r_th_ca_k_per_w, C per device). Only
  // junction_trace (thermal_trace.hpp) uses it: steady evaluation does not depend on it.
  double c_th_sink_j_per_k = 0.0;
  double tau_sink_s = 0.0;
  std::vector<std::string> assumptions;  // design values not from the source design
};

struct OperatingPoint {
  double v_in_v = 0.0;  // DC input, or AC line-to-line RMS (PFC: line-to-neutral RMS)
  double v_out_v = 0.0;
  double p_out_w = 0.0;
};

struct LossBreakdown {
  double conduction_w = 0.0;
  double switching_w = 0.0;  // turn-on, turn-off, E_OSS, reverse recovery
  double dead_time_w = 0.0;
  double gate_w = 0.0;
  double core_w = 0.0;
  double winding_w = 0.0;
  double capacitor_w = 0.0;
  double other_w = 0.0;
  // A stage given by a sourced efficiency curve (chain.hpp): its whole loss, not broken down.
  double curve_w = 0.0;
  [[nodiscard]] double total_w() const noexcept {
    return conduction_w + switching_w + dead_time_w + gate_w + core_w + winding_w + capacitor_w +
           other_w + curve_w;
  }
};

// One switch position as evaluated: its stress, loss and junction temperature.
struct SwitchReport {
  // "primary high side", "synchronous rectifier", ... (a string literal of converters/: a
  // string_view so that an operating point allocates no string; changed by converters/).
  std::string_view position;
  std::string device;
  int count = 1;  // identical positions in the converter
  devices::SwitchStress stress;
  devices::DeviceLoss loss;  // per device
  devices::ThermalPoint thermal;
  bool zvs = false;
};

struct ConverterResult {
  OperatingPoint point;
  double p_in_w = 0.0;
  double efficiency = 0.0;
  LossBreakdown loss;
  std::vector<SwitchReport> switches;
  bool zvs_all = false;    // every soft-switched position achieved ZVS
  bool thermal_ok = true;  // every junction converged below its limit
  // Ambient of the devices' r_th_ca: the shared heatsink (r_th_sink_k_per_w > 0) or the air.
  double t_sink_c = 0.0;
  double magnetics_volume_m3 = 0.0;
  double heatsink_volume_m3 = 0.0;
  std::vector<std::string> warnings;  // e.g. "ZVS lost below 20 % load", "T_j above limit"
};

// The parts a design refers to by name.
struct Library {
  const std::vector<devices::Device>* devices = nullptr;
  const std::vector<magnetics::CoreMaterial>* materials = nullptr;
  // nullptr when absent.
  [[nodiscard]] const devices::Device* device(std::string_view name) const noexcept;
  [[nodiscard]] const magnetics::CoreMaterial* material(std::string_view name) const noexcept;
};

// Thrown when a design cannot be evaluated (unknown part, impossible operating point such as a
// buck asked to step up). `design` names the design, chain or curve; `field` the SPEC key or
// operating-point value at fault ("inductor.inductance", "v_out"); the message says what is
// wrong with it, and fix() what to do.
class DesignError : public Error {
 public:
  DesignError(std::string design, std::string field, std::string message, std::string fix = {})
      : Error(ErrorKind::invalid_input, std::move(message), std::move(fix)),
        design_(std::move(design)),
        field_(std::move(field)) {}
  [[nodiscard]] const std::string& design() const noexcept { return design_; }
  [[nodiscard]] const std::string& field() const noexcept { return field_; }

 private:
  std::string design_;
  std::string field_;
};

// Evaluates a design at one operating point (dispatches on design.topology). With a shared
// heatsink (r_th_sink_k_per_w > 0) the sink temperature T = T_amb + R P_loss(T) is found by
// fixed-point iteration over the whole evaluation.
ConverterResult evaluate(const ConverterDesign& design, const Library& library,
                         const OperatingPoint& point);

// Per topology, each in its own file (buck.cpp, llc.cpp, dab.cpp, pfc.cpp, afe.cpp).
ConverterResult evaluate_buck(const ConverterDesign&, const Library&, const OperatingPoint&);
ConverterResult evaluate_llc(const ConverterDesign&, const Library&, const OperatingPoint&);
ConverterResult evaluate_dab(const ConverterDesign&, const Library&, const OperatingPoint&);
ConverterResult evaluate_totem_pole_pfc(const ConverterDesign&, const Library&,
                                        const OperatingPoint&);
ConverterResult evaluate_afe(const ConverterDesign&, const Library&, const OperatingPoint&);

// Efficiency over a grid of load fractions (of rating_w) and input voltages, at the design's
// cooling; one result per (input voltage, load) in row-major order.
struct EfficiencyMap {
  std::vector<double> load_fractions;
  std::vector<double> v_in_v;
  std::vector<ConverterResult> points;  // v_in_v.size() x load_fractions.size()
};
EfficiencyMap efficiency_map(const ConverterDesign& design, const Library& library,
                             const std::vector<double>& load_fractions,
                             const std::vector<double>& v_in_v);

}  // namespace g2g::converters

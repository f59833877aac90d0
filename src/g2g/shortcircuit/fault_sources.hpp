// A grid2gpu model as IEC 61660-1 sources for a pole-to-pole fault at one DC bus: which
// elements feed the fault as which of the standard's sources, through which series R and L, and
// which elements the method leaves out, each with the reason (docs/shortcircuit.md, "Mapping").
//
// The DC network is walked from the fault bus over in-service DC lines and closed switches (a
// radial network: a meshed one is refused, since one path per source would then overstate the
// path impedance and understate the current). Converters are not crossed: they block, or
// limit, the current from their other side. Each source's path is its own: a line the paths of
// several sources share is counted with each source's current alone, which understates its
// voltage drop and so overstates every partial current (conservative for peaks).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "g2g/model/spec.hpp"
#include "g2g/shortcircuit/iec61660.hpp"

namespace g2g::shortcircuit {

// A capacitor feeding the fault: a converter's DC-link capacitor (input or output port), a DC
// bus's lumped capacitance, or a supercapacitor storage.
struct CapacitorSource {
  std::string element;        // e.g. "row[0]/rack[0]/dcdc800"
  std::string role;           // "input capacitor", "output capacitor", "bus capacitance",
                              // "supercapacitor"
  std::string bus;            // where it connects
  double esr_ohm = 0.0;       // its own series resistance (0 when the model gives none)
  double path_r_ohm = 0.0;    // loop resistance of the lines to the fault bus (20 degC)
  double path_l_h = 0.0;      // loop inductance of those lines
  int path_lines = 0;         // lines on the path
  CapacitorCircuit circuit;   // E_C, R_C = ESR + path, L_C, C
  CapacitorContribution iec;  // i_pC, t_pC, I_kC (and tau1C, tau2C where known)
};

// An element that could feed the fault but that this calculation leaves out, and why.
struct LeftOut {
  std::string element;
  std::string reason;
};

struct FaultStudy {
  std::string bus;
  double nominal_voltage_v = 0.0;
  std::vector<CapacitorSource> capacitors;
  std::vector<LeftOut> left_out;
  // Sum of the partial peaks: an upper bound of the total peak (the maximum of a sum is at most
  // the sum of the maxima). It is not the standard's summation, whose correction factors were
  // not found (docs/shortcircuit.md).
  double sum_of_peaks_a = 0.0;
  double sum_of_quasi_steady_a = 0.0;
  // When every partial current has its full approximation function: the maximum of their sum
  // on a time grid and when; else 0.
  double superposed_peak_a = 0.0;
  double superposed_peak_time_s = 0.0;
};

// Every source type the method leaves out whatever the model holds, one line each, for the
// output beside every result.
[[nodiscard]] std::vector<std::string> method_limits();

// The bus named `id`; throws InvalidInput (subject "--bus") with a "did you mean" for an
// unknown id, and a located message for an AC bus (IEC 61660-1 is for DC installations).
[[nodiscard]] model::BusIndex find_fault_bus(const model::ModelSpec& model, std::string_view id);

// The sources at a fault on `bus` (a DC bus of a validated model). Throws InvalidInput for a
// meshed DC network around the bus.
[[nodiscard]] FaultStudy iec61660_fault(const model::ModelSpec& model, model::BusIndex bus);

}  // namespace g2g::shortcircuit

// Lines and transformers as two-port admittances in per unit of the system base: each device
// owns its conversion from rated data to the network model (and back, for currents).
#pragma once

#include <complex>

#include "g2g/model/spec.hpp"

namespace g2g::components {

using Complex = std::complex<double>;

// I_from = y_ff V_from + y_ft V_to,  I_to = y_tf V_from + y_tt V_to   (all per unit).
struct BranchAdmittance {
  Complex y_ff, y_ft, y_tf, y_tt;
};

// Per-unit bases of the two buses a branch joins.
struct BranchBases {
  double base_power_va = 1e6;
  double from_voltage_v = 1.0;  // nominal voltage of the from (HV) bus
  double to_voltage_v = 1.0;
  // The model's frequency (ModelSpec::frequency_hz), for the skin and proximity effect of AC
  // cables.
  double frequency_hz = 60.0;
};

// Pi model of a line: series r + jx, total shunt susceptance split half per end.
// For DC lines x and b are zero.
[[nodiscard]] BranchAdmittance line_admittance(const model::Line& line, model::BusKind kind,
                                               const BranchBases& bases) noexcept;

// Series resistance and reactance of a transformer referred to its LV winding, in ohm.
struct TransformerImpedance {
  double r_ohm = 0.0;
  double x_ohm = 0.0;
};
[[nodiscard]] TransformerImpedance transformer_impedance_lv(const model::Transformer& transformer,
                                                            const BranchBases& bases) noexcept;

// Transformer with an ideal tap t = ratio * e^{j shift} on the HV side, series impedance on the LV
// side, and the no-load (core) loss as a conductance at the HV terminal; `redundancy.installed`
// identical units in parallel multiply every admittance.
[[nodiscard]] BranchAdmittance transformer_admittance(const model::Transformer& transformer,
                                                      const BranchBases& bases) noexcept;

}  // namespace g2g::components

// Voltage dependence of loads: P(v) = P0 (z v^2 + i v + p), the same for Q.
#pragma once

#include "g2g/model/spec.hpp"

namespace g2g::components {

// Fractions of the load that behave as constant impedance, current and power.
struct ZipFractions {
  double z = 0.0;
  double i = 0.0;
  double p = 1.0;
};

[[nodiscard]] ZipFractions zip_fractions(const model::Load& load) noexcept;

// Scale factor f(v) applied to the nominal power, and df/dv.
struct VoltageScale {
  double factor = 1.0;
  double dfactor_dv = 0.0;
};

[[nodiscard]] inline VoltageScale zip_scale(const ZipFractions& zip, double v_pu) noexcept {
  return {zip.z * v_pu * v_pu + zip.i * v_pu + zip.p, 2.0 * zip.z * v_pu + zip.i};
}

}  // namespace g2g::components

// Parts shared by the converter tests. Test fixtures, not library parts.
#pragma once

#include "g2g/magnetics/magnetics.hpp"

namespace g2g::converters::fixtures {

// N87 by its MagNet iGSE fit (reference/devices.md § 6a), under a name no library part has.
inline magnetics::CoreMaterial test_ferrite() {
  magnetics::CoreMaterial m;
  m.name = "N87-test";
  m.k_i = 0.15178;
  m.alpha = 1.4722;
  m.beta = 2.6147;
  m.b_sat_t = 0.39;
  return m;
}

}  // namespace g2g::converters::fixtures

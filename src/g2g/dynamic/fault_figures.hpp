// The figures every output takes from a fault's summary (the CLI's lines, the fault study's
// rows, the report page): its deepest bus dip and how many converters it turned off.
#pragma once

#include <cstddef>

#include "g2g/dynamic/simulation_result.hpp"

namespace g2g::dynamic {

// The first of the dips with the largest depth; nullptr when the fault has none.
[[nodiscard]] inline const BusDip* deepest_dip(const FaultSummary& fault) noexcept {
  const BusDip* deepest = nullptr;
  for (const BusDip& d : fault.dips)
    if (deepest == nullptr || d.depth > deepest->depth) deepest = &d;
  return deepest;
}

// Converters with undervoltage_off that did not ride through.
[[nodiscard]] inline std::size_t converters_off(const FaultSummary& fault) noexcept {
  std::size_t off = 0;
  for (const FaultRideThrough& r : fault.ride_through) off += r.rode_through ? 0 : 1;
  return off;
}

}  // namespace g2g::dynamic

// Small builders shared by the study tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "g2g/study/assumptions.hpp"

namespace g2g::study::fixtures {

// A converter rule that sets the curve of every converter of `role`.
inline ConverterRule curve_rule(std::string role, std::vector<model::EfficiencyPoint> curve) {
  ConverterRule r;
  r.role = std::move(role);
  r.efficiency = std::move(curve);
  return r;
}

}  // namespace g2g::study::fixtures

// Envelopes for the simulation page's tests: grid power as a 1 s square wave and two bus voltages
// (one named with report_test_support's hostile text), on two charts, 60 s, 3 levels.
#pragma once

#include <cmath>
#include <vector>

#include "g2g/dynamic/envelope.hpp"
#include "unit/report/report_test_support.hpp"

namespace g2g::report::testing {

inline std::vector<dynamic::Envelope> simulation_signals() {
  dynamic::EnvelopeBuilder power(0.0, 60.0, 200, 3);
  dynamic::EnvelopeBuilder v1(0.0, 60.0, 200, 3);
  dynamic::EnvelopeBuilder v2(0.0, 60.0, 200, 3);
  for (int i = 0; i <= 60'000; ++i) {
    const double t = 1e-3 * i;
    power.add(t, std::fmod(t, 1.0) < 0.5 ? 104.5e6 : 61.25e6);
    v1.add(t, 800.0 - 10.0 * std::sin(t));
    v2.add(t, 790.0 - 12.0 * std::sin(t));
  }
  return {power.finish("grid power", "W", "Grid power"),
          v1.finish("bus hall/dc<1>", "V", "Bus voltages"),
          v2.finish(hostile, "V", "Bus voltages")};
}

}  // namespace g2g::report::testing

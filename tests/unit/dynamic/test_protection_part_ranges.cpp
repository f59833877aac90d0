// A fuse from a part file checked against the model it is in when the time-domain DAE is built
// (dynamic/network_protection.cpp): a bus above the part's DC rating and a power-flow current
// above its rated current, both reported at once, each at its `trip:` with the fix.
#include <gtest/gtest.h>

#include <string>

#include "g2g/core/diagnostics.hpp"
#include "g2g/dynamic/network_dae.hpp"
#include "solved_case.hpp"

namespace g2g::dynamic {
namespace {

using Case = fixtures::SolvedCase;

// Line 8: an FWP-30A14F (700 V DC) on an 800 V bus; line 10: one on a 600 V bus feeding 36 kW
// (about 60 A; its rating is 30 A).
constexpr const char* out_of_range = R"(grid2gpu: 1
buses:
  - {id: hv, kind: dc, voltage: 800 V}
  - {id: hv_load, kind: dc, voltage: 800 V}
  - {id: lv, kind: dc, voltage: 600 V}
  - {id: lv_load, kind: dc, voltage: 600 V}
components:
  - {id: f_hv, type: breaker, from: hv, to: hv_load, on_resistance: 1 mohm, trip: {part: FWP-30A14F, clamp_voltage: 1.2 kV, inductance: 1 uH}}
  - {id: src_hv, type: dc_source, bus: hv}
  - {id: f_lv, type: breaker, from: lv, to: lv_load, on_resistance: 1 mohm, trip: {part: FWP-30A14F, clamp_voltage: 1 kV, inductance: 1 uH}}
  - {id: src_lv, type: dc_source, bus: lv}
  - {id: l_hv, type: load, bus: hv_load, power: 1 kW, model: constant_impedance}
  - {id: l_lv, type: load, bus: lv_load, power: 36 kW, model: constant_impedance}
)";

TEST(ProtectionPartRanges, BusAboveTheDcRatingAndLoadAboveTheRatedCurrentAreBothLocated) {
  Case c(out_of_range);
  try {
    (void)c.dae();
    FAIL() << "expected a ModelError";
  } catch (const core::ModelError& e) {
    const auto& list = e.diagnostics();
    const core::Diagnostic* voltage = nullptr;
    const core::Diagnostic* current = nullptr;
    for (const auto& d : list.items()) {
      if (d.message.find("breaker 'f_hv': part 'FWP-30A14F' is rated 700 V DC, below its bus's "
                         "800 V") != std::string::npos)
        voltage = &d;
      // 600 V / (10 ohm + 1 mohm): 59.99 A.
      if (d.message.find("breaker 'f_lv' (fuse) carries 59.99 A in the power flow, above the "
                         "rated current of part 'FWP-30A14F' 30 A") != std::string::npos)
        current = &d;
    }
    ASSERT_NE(voltage, nullptr) << list.to_string();
    ASSERT_NE(current, nullptr) << list.to_string();
    EXPECT_EQ(voltage->where.file, "case.yaml");
    EXPECT_EQ(voltage->where.line, 8);
    EXPECT_GT(voltage->where.column, 0);
    EXPECT_NE(voltage->fix.find("at least 800 V DC"), std::string::npos) << voltage->fix;
    EXPECT_EQ(current->where.line, 10);
    EXPECT_NE(current->fix.find("larger rated current"), std::string::npos) << current->fix;
  }
}

}  // namespace
}  // namespace g2g::dynamic

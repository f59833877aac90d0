// The IEC 61660-1 capacitor source against ngspice .tran: a DC-link capacitor charged to 800 V
// discharging through its ESR and a busway's R-L into a bolted fault, under- and overdamped.
// The closed-form i_pC and t_pC (shortcircuit/iec61660.hpp) must match the simulated peak; the
// margin of the IEC figure over the simulated peak is reported (docs/validation.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "g2g/shortcircuit/iec61660.hpp"
#include "support/test_support.hpp"
#include "validation/spice_netlist.hpp"

namespace g2g {
namespace {

struct Case {
  std::string name;
  shortcircuit::CapacitorCircuit circuit;
};

void check_against_ngspice(const Case& c) {
  const auto iec = shortcircuit::iec61660_capacitor(c.circuit);
  const double stop_s = 4.0 * iec.t_p_s;
  test::TranCircuit circuit("capacitor discharge " + c.name);
  // The capacitor at E with its series R (as ESR) and L, shorted at t = 0.
  circuit.capacitor("link", "p", "0", c.circuit.c_f, c.circuit.r_ohm, c.circuit.e_v);
  circuit.inductor("loop", "p", "0", c.circuit.l_h, 0.0, 0.0);
  test::TranOptions options;
  options.stop_s = stop_s;
  options.print_step_s = stop_s / 20000.0;
  options.max_step_s = stop_s / 20000.0;
  options.use_initial_conditions = true;
  options.reltol = 1e-7;
  options.signals = {"i(loop)"};
  const auto w = test::run_ngspice_tran(circuit, options, test::scratch_dir("iec_cap_" + c.name));
  const auto& i = w["i(loop)"];
  const auto peak = std::max_element(i.begin(), i.end());
  const double spice_peak_a = *peak;
  const double spice_t_p_s = w.time_s[static_cast<std::size_t>(peak - i.begin())];
  // The peak is flat to second order: a sample within stop/20000 of t_p is within ~1e-7 of it.
  EXPECT_NEAR(spice_peak_a, iec.i_p_a, 1e-5 * iec.i_p_a) << c.name;
  EXPECT_NEAR(spice_t_p_s, iec.t_p_s, 0.01 * iec.t_p_s) << c.name;
  // The IEC figure at or above the simulated peak, within ngspice's own tolerance.
  EXPECT_GE(iec.i_p_a, spice_peak_a * (1.0 - 1e-5)) << c.name;
  // The whole waveform, against the closed form, to 0.1 % of the peak.
  double worst = 0.0;
  for (std::size_t k = 0; k < w.time_s.size(); ++k)
    worst = std::max(worst, std::abs(i[k] - shortcircuit::capacitor_discharge_current_a(
                                                c.circuit, w.time_s[k])));
  EXPECT_LT(worst, 1e-3 * iec.i_p_a) << c.name;
  ::testing::Test::RecordProperty(c.name + "_margin_relative",
                                  fmt::format("{:.3e}", iec.i_p_a / spice_peak_a - 1.0));
}

TEST(ShortCircuitValidation, UnderdampedDcLinkDischargeMatchesNgspice) {
  // 20 mF, 1 mohm ESR + 2 mohm busway, 10 uH of loop: delta 150/s, omega0 2236/s.
  check_against_ngspice({"under", {.e_v = 800.0, .r_ohm = 3e-3, .l_h = 10e-6, .c_f = 20e-3}});
}

TEST(ShortCircuitValidation, OverdampedDcLinkDischargeMatchesNgspice) {
  // A rack's 2 mF input capacitor with 0.3 ohm ESR through 5 uH: delta 30,000/s, omega0 10,000/s.
  check_against_ngspice({"over", {.e_v = 800.0, .r_ohm = 0.3, .l_h = 5e-6, .c_f = 2e-3}});
}

}  // namespace
}  // namespace g2g

// Faults in the network DAE: the Jacobian with each fault inactive and active (its pattern fixed
// from the start), the timed events, and the faults the DAE refuses at the scenario's location.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "g2g/core/diagnostics.hpp"
#include "g2g/dynamic/network_dae.hpp"
#include "unit/dynamic/jacobian_check.hpp"
#include "unit/dynamic/solved_case.hpp"

namespace g2g::dynamic {
namespace {

// A source feeds `a` (a converter's output link with ESR and a rack load) and, through a cable,
// `b` (bus capacitance and a load).
constexpr const char* fault_case = R"(grid2gpu: 1
name: faults
buses:
  - {id: src, kind: dc, voltage: 800 V}
  - {id: a, kind: dc, voltage: 800 V}
  - {id: b, kind: dc, voltage: 800 V, capacitance: 1 mF}
  - {id: c, kind: dc, voltage: 800 V}
components:
  - {id: feed, type: dc_source, bus: src}
  - {id: conv, type: dcdc, input: src, output: a, rating: 200 kW, efficiency: 98 %,
     output_capacitance: 2 mF, output_esr: 2 mohm, voltage_bandwidth: 500 Hz, damping: 1.0,
     current_limit: 400 A}
  - {id: ab, type: cable, from: a, to: b, resistance: 10 mohm, length: 20 m,
     inductance_per_length: 1 uH/m}
  - {id: bc, type: cable, from: b, to: c, resistance: 10 mohm, length: 20 m,
     inductance_per_length: 1 uH/m}
  - {id: la, type: load, bus: a, power: 50 kW}
  - {id: lc, type: load, bus: c, power: 20 kW}
)";

core::SourceLocation here(int line) {
  return {"s.yaml", line, 5};
}

FaultSpec bus_fault(std::size_t bus, double r_ohm, int line = 7) {
  FaultSpec f;
  f.id = "fb";
  f.bus = bus;
  f.resistance_ohm = r_ohm;
  f.time_s = 0.01;
  f.clear_s = 0.02;
  f.where = here(line);
  return f;
}

FaultSpec line_fault(std::size_t line, double at, double r_ohm) {
  FaultSpec f;
  f.id = "fl";
  f.line = line;
  f.at = at;
  f.resistance_ohm = r_ohm;
  f.time_s = 0.01;
  f.where = here(8);
  return f;
}

NetworkDae make(fixtures::SolvedCase& c, std::vector<FaultSpec> faults) {
  return NetworkDae(c.model.spec(), c.solver.network(), c.solver.state(), {}, {},
                    std::move(faults));
}

// Fires root function `event` of fault `id` ("inception" or "clear").
void fire(NetworkDae& dae, const std::string& id, const std::string& event, double t_s,
          std::vector<double>& y) {
  std::vector<int> roots(static_cast<std::size_t>(dae.roots()), 0);
  for (int r = 0; r < dae.roots(); ++r)
    if (dae.root_name(r).element == id && dae.root_name(r).state == event)
      roots[static_cast<std::size_t>(r)] = 1;
  std::vector<double> yp(y.size());
  ASSERT_TRUE(dae.handle_event(t_s, y, yp, roots));
}

TEST(NetworkDaeFaults, JacobianMatchesDifferencesBeforeAndDuringEachFault) {
  fixtures::SolvedCase c(fault_case);
  for (const double r_ohm : {0.0, 0.01}) {
    for (const bool on_line : {false, true}) {
      SCOPED_TRACE(testing::Message() << "r " << r_ohm << (on_line ? " line" : " bus"));
      // A bolted fault at a bus is refused where the bus has loads: use c's line end instead.
      if (!on_line && r_ohm == 0.0) continue;
      NetworkDae dae = make(c, {on_line ? line_fault(1, 0.3, r_ohm) : bus_fault(2, r_ohm)});
      const auto pattern_before = dae.pattern().column;
      std::vector<double> y = dae.initial_y();
      std::vector<double> yp = dae.initial_yp();
      // At rest the fault's equations hold: no current, the fault point on the line's divider.
      std::vector<double> f(y.size());
      dae.residual(0.0, y, yp, f);
      for (std::size_t k = 0; k < f.size(); ++k)
        EXPECT_NEAR(f[k], 0.0, 1e-6 * dae.absolute_tolerances(1.0)[k])
            << dae.names(static_cast<std::int64_t>(k)).element << "."
            << dae.names(static_cast<std::int64_t>(k)).state;
      fixtures::move_off_the_operating_point(dae, y, yp);
      fixtures::expect_jacobian_matches_differences(dae, y, yp, "inactive");
      fire(dae, on_line ? "fl" : "fb", "inception", 0.01, y);
      EXPECT_TRUE(dae.fault_active(0));
      fixtures::expect_jacobian_matches_differences(dae, y, yp, "active");
      EXPECT_EQ(dae.pattern().column, pattern_before);
    }
  }
}

TEST(NetworkDaeFaults, InceptionAndClearingAreTimedRoots) {
  fixtures::SolvedCase c(fault_case);
  NetworkDae dae = make(c, {bus_fault(2, 0.01)});
  std::vector<double> g(static_cast<std::size_t>(dae.roots()));
  const auto y = dae.initial_y();
  const auto yp = dae.initial_yp();
  int inception = -1, clear = -1;
  for (int r = 0; r < dae.roots(); ++r) {
    if (dae.root_name(r).state == "inception") inception = r;
    if (dae.root_name(r).state == "clear") clear = r;
  }
  ASSERT_GE(inception, 0);
  ASSERT_GE(clear, 0);
  dae.root_functions(0.005, y, yp, g);
  EXPECT_DOUBLE_EQ(g[static_cast<std::size_t>(inception)], 0.005 - 0.01);
  EXPECT_DOUBLE_EQ(g[static_cast<std::size_t>(clear)], 0.005 - 0.02);
  std::vector<double> state = y;
  fire(dae, "fb", "inception", 0.01, state);
  EXPECT_TRUE(dae.fault_active(0));
  fire(dae, "fb", "clear", 0.02, state);
  EXPECT_FALSE(dae.fault_active(0));
  EXPECT_EQ(dae.fault_current_a(0, state), 0.0);
}

// An interruption of a line fault conserves the line's flux and counts what it dissipates as the
// fault's energy.
TEST(NetworkDaeFaults, ClearingALineFaultEqualisesItsParts) {
  fixtures::SolvedCase c(fault_case);
  FaultSpec spec = line_fault(0, 0.25, 0.01);
  spec.clear_s = 0.02;
  NetworkDae dae = make(c, {spec});
  std::vector<double> y = dae.initial_y();
  fire(dae, "fl", "inception", 0.01, y);
  const auto i_f = static_cast<std::size_t>(dae.fault_current_unknown(0));
  std::size_t i_a = 0;
  for (std::int64_t k = 0; k < dae.size(); ++k)
    if (dae.names(k).element == "ab" && dae.names(k).state == "i")
      i_a = static_cast<std::size_t>(k);
  y[i_a] = 3000.0;
  y[i_f] = 5000.0;  // part b carries -2000 A
  const double before_j = dae.stored_energy_j(y);
  fire(dae, "fl", "clear", 0.02, y);
  EXPECT_EQ(y[i_f], 0.0);
  EXPECT_NEAR(y[i_a], 0.25 * 3000.0 + 0.75 * -2000.0, 1e-9);
  EXPECT_NEAR(before_j - dae.stored_energy_j(y), dae.fault_energy_j(0, y), 1e-9 * before_j);
}

TEST(NetworkDaeFaults, RefusedFaultsAreAtTheirScenarioItem) {
  fixtures::SolvedCase c(fault_case);
  struct Bad {
    FaultSpec spec;
    std::string message;
  };
  FaultSpec end = line_fault(0, 1.0, 0.01);
  FaultSpec source = bus_fault(0, 0.01);
  const std::vector<Bad> cases{
      {bus_fault(1, 0.0), "a bolted fault (0 ohm) at bus 'a'"},
      {bus_fault(2, 0.0), "capacitance without ESR"},
      {end, "not strictly between the line's ends"},
      {source, "one an ideal source holds"},
  };
  for (const Bad& bad : cases) {
    SCOPED_TRACE(bad.message);
    try {
      (void)make(c, {bad.spec});
      ADD_FAILURE() << "accepted";
    } catch (const core::ModelError& e) {
      const auto& items = e.diagnostics().items();
      ASSERT_FALSE(items.empty());
      EXPECT_NE(items.front().message.find(bad.message), std::string::npos)
          << items.front().message;
      EXPECT_EQ(items.front().where.file, "s.yaml");
      EXPECT_EQ(items.front().where.line, bad.spec.where.line);
      EXPECT_FALSE(items.front().fix.empty());
    }
  }
  // Two faults along one line.
  try {
    (void)make(c, {line_fault(0, 0.3, 0.01), line_fault(0, 0.6, 0.01)});
    ADD_FAILURE() << "accepted";
  } catch (const core::ModelError& e) {
    EXPECT_NE(e.diagnostics().items().front().message.find("has a fault along it already"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace g2g::dynamic

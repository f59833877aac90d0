// The a-posteriori check of a solution (steady/verify.hpp): a converged result must balance at
// every bus, conserve energy and hold only finite numbers, or it is no answer.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <limits>
#include <string>

#include "g2g/steady/solver.hpp"
#include "g2g/steady/verify.hpp"
#include "support/model_builders.hpp"

namespace g2g::steady {
namespace {

using model::BusKind;

// 800 V DC: source, two cables in series, 130 kW at the far end.
model::ModelSpec feeder(double r_ohm) {
  model::ModelSpec m;
  const auto a = test::add_bus(m, "src", BusKind::dc, 800.0);
  const auto b = test::add_bus(m, "mid", BusKind::dc, 800.0);
  const auto c = test::add_bus(m, "rack", BusKind::dc, 800.0);
  test::add_source(m, model::SourceType::dc_source, a);
  test::add_line(m, a, b, r_ohm);
  test::add_line(m, b, c, 0.01);
  test::add_load(m, c, 130e3);
  return m;
}

std::size_t index_of(const SolveResult& r, ElementType type, int index) {
  for (std::size_t e = 0; e < r.elements.size(); ++e)
    if (r.elements[e].type == type && r.elements[e].index == index) return e;
  ADD_FAILURE() << "no element";
  return 0;
}

TEST(SolutionCheck, ASolvedNetworkPasses) {
  const model::ModelSpec m = feeder(0.02);
  const SolveResult r = solve(m);
  ASSERT_TRUE(r.converged);
  EXPECT_FALSE(check_solution(m, r).has_value());
}

// Each kind of tampering is found, and the bus where a balance fails is named.
TEST(SolutionCheck, ImbalancesAndNonFiniteValuesAreFound) {
  const model::ModelSpec m = feeder(0.02);
  const SolveResult good = solve(m);

  SolveResult r = good;
  r.elements[index_of(r, ElementType::line, 1)].p_out_w += 1.0;  // 1 W appears at 'rack'
  auto failed = check_solution(m, r);
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(failed->bus, 2);
  EXPECT_NE(failed->what.find("bus 'rack' is out of balance by"), std::string::npos)
      << failed->what;

  r = good;
  r.elements[index_of(r, ElementType::load, 0)].p_in_w = std::numeric_limits<double>::quiet_NaN();
  failed = check_solution(m, r);
  ASSERT_TRUE(failed.has_value());
  EXPECT_NE(failed->what.find("load 'load0' are not finite"), std::string::npos) << failed->what;

  r = good;
  r.buses[1].v_pu = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(check_solution(m, r).has_value());

  r = good;
  r.totals.balance_error_w = 5.0;
  failed = check_solution(m, r);
  ASSERT_TRUE(failed.has_value());
  EXPECT_NE(failed->what.find("energy is not conserved"), std::string::npos) << failed->what;
}

// A cable of 1e-300 ohm (validation refuses it; the solver alone must not call it a solution):
// never a converged result.
TEST(SolutionCheck, DegenerateNetworkIsNeverReportedConverged) {
  for (const double r_ohm : {1e-300, 1e-15}) {
    const model::ModelSpec m = feeder(r_ohm);
    try {
      const SolveResult r = solve(m);
      if (r.converged) {
        // Only acceptable when the answer is right: every check passed and the load is served.
        EXPECT_FALSE(check_solution(m, r).has_value());
        EXPECT_NEAR(r.totals.load_w, 130e3, 1e-3) << r_ohm;
        EXPECT_GT(r.totals.source_w, 130e3 - 1e-3) << r_ohm;
      }
      std::cout << r_ohm << " ohm: converged " << r.converged << ", load " << r.totals.load_w
                << " W, source " << r.totals.source_w << " W\n";
    } catch (const NonConvergenceError& error) {
      std::cout << r_ohm << " ohm: " << error.what() << "\n";
    }
  }
}

}  // namespace
}  // namespace g2g::steady

namespace g2g::steady {
namespace {

// A feeder that carries next to none of the load (1 GΩ in series: an open cable in effect):
// exit 3 names a bus beyond the open cable, where the supply fails, not the source, and does not
// speak of a voltage collapse the solution does not show.
TEST(SolutionCheck, AnOpenFeederNamesTheBusItFailsToSupply) {
  model::ModelSpec m = feeder(1e9);
  try {
    (void)solve(m);
    FAIL() << "solved";
  } catch (const NonConvergenceError& error) {
    std::cout << error.what() << "\n";
    EXPECT_NE(error.worst_bus_id(), "src") << error.what();
    EXPECT_TRUE(error.worst_bus_id() == "mid" || error.worst_bus_id() == "rack") << error.what();
    EXPECT_EQ(std::string(error.what()).find("collapsed to 1.000"), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace g2g::steady

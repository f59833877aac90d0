// Property: any model built from values drawn across the documented plausible ranges
// (log-uniform, docs/model-format.md) is either refused by validation (exit 2), found to have no
// operating point (exit 3), or solved with a result that is right on facts checked here
// independently of the solver's own a-posteriori check: finite, positive voltages, every load
// served at its power, sources supplying loads plus losses. Never an uncaught exception, never a
// non-finite number marked converged.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <random>
#include <string>

#include "g2g/api/model.hpp"
#include "g2g/api/solve.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/core/units.hpp"
#include "g2g/steady/solver.hpp"

namespace g2g::api {
namespace {

using core::Dimension;

class Draw {
 public:
  explicit Draw(unsigned seed) : rng_(seed) {}
  // Log-uniform over the plausible magnitudes of `d`; one draw in 20 is widened by a decade
  // each side, so that validation's refusals are exercised too.
  double log_uniform(Dimension d) {
    const core::PlausibleRange r = core::plausible_range(d);
    const double widen = below(20) == 0 ? 1.0 : 0.0;
    std::uniform_real_distribution<double> u(std::log10(r.min) - widen, std::log10(r.max) + widen);
    return std::pow(10.0, u(rng_));
  }
  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool coin() { return below(2) == 0; }

 private:
  std::mt19937_64 rng_;
};

// A radial DC or AC network of 2 to 12 buses at one drawn voltage, with drawn cables and loads.
model::ModelSpec random_network(Draw& draw) {
  model::ModelSpec m;
  m.source_file = "random.yaml";
  const bool ac = draw.coin();
  const double voltage_v = draw.log_uniform(Dimension::voltage);
  const int buses = 2 + draw.below(11);
  for (int b = 0; b < buses; ++b) {
    model::Bus bus;
    bus.id = fmt::format("b{}", b);
    bus.kind = ac ? model::BusKind::ac : model::BusKind::dc;
    bus.nominal_voltage_v = voltage_v;
    m.buses.push_back(bus);
  }
  model::Source s;
  s.id = "src";
  s.type = ac ? model::SourceType::utility : model::SourceType::dc_source;
  s.bus = 0;
  m.sources.push_back(s);
  for (int b = 1; b < buses; ++b) {
    model::Line l;
    l.id = fmt::format("c{}", b);
    l.from = draw.below(b);
    l.to = b;
    if (draw.coin()) {
      l.r_ohm = draw.log_uniform(Dimension::resistance);
      if (ac) l.x_ohm = draw.log_uniform(Dimension::resistance);
    } else {
      l.length_m = draw.log_uniform(Dimension::length);
      l.cross_section_m2 = std::min(0.09, draw.log_uniform(Dimension::area));
    }
    m.lines.push_back(l);
    model::Load load;
    load.id = fmt::format("l{}", b);
    load.bus = b;
    load.p_w = draw.log_uniform(Dimension::active_power);
    if (ac) load.q_var = 0.3 * load.p_w;
    m.loads.push_back(load);
  }
  return m;
}

TEST(SolverProperty, NeverConvergedWithAWrongOrNonFiniteAnswer) {
  constexpr int trials = 2000;
  Draw draw(20261205);
  int refused = 0, no_solution = 0, solved = 0;
  for (int trial = 0; trial < trials; ++trial) {
    const model::ModelSpec spec = random_network(draw);
    double expected_load_w = 0.0;
    for (const auto& l : spec.loads) expected_load_w += l.p_w;
    try {
      const ValidatedModel model = validate(spec);
      const steady::SolveResult r = solve(model);
      ASSERT_TRUE(r.converged) << "trial " << trial;
      ++solved;
      for (const auto& b : r.buses) {
        ASSERT_TRUE(std::isfinite(b.v_pu) && b.v_pu > 0.0) << "trial " << trial;
        ASSERT_TRUE(std::isfinite(b.angle_deg)) << "trial " << trial;
      }
      // Constant-power loads draw their power whatever the voltage.
      EXPECT_NEAR(r.totals.load_w, expected_load_w, 1e-6 * expected_load_w) << "trial " << trial;
      EXPECT_NEAR(r.totals.source_w, r.totals.load_w + r.totals.loss_w,
                  1e-6 * r.totals.source_w + 1e-3)
          << "trial " << trial;
      EXPECT_GE(r.totals.loss_w, -1e-6 * r.totals.source_w) << "trial " << trial;
    } catch (const core::ModelError&) {
      ++refused;
    } catch (const steady::NonConvergenceError&) {
      ++no_solution;
    }
  }
  std::cout << trials << " random networks: " << refused << " refused (exit 2), " << no_solution
            << " without operating point (exit 3), " << solved << " solved\n";
  // Every outcome is exercised, or the draw says nothing.
  EXPECT_GT(refused, 0);
  EXPECT_GT(no_solution, 0);
  EXPECT_GT(solved, 0);
}

}  // namespace
}  // namespace g2g::api

// Redundant units sharing a load, standby loss and solid-state breakers: read from a model file,
// solved, and checked against closed forms.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/loader.hpp"
#include "g2g/steady/solver.hpp"

namespace g2g::steady {
namespace {

model::ModelSpec load(const std::string& components, const std::string& buses = "") {
  return model::load_yaml(
      "grid2gpu: 1\nbuses:\n"
      "  - {id: ac, kind: ac, voltage: 415 V}\n"
      "  - {id: crit, kind: ac, voltage: 415 V}\n"
      "  - {id: dc, kind: dc, voltage: 800 V}\n"
      "  - {id: out, kind: dc, voltage: 800 V}\n" +
          buses + "components:\n  - {id: grid, type: utility, bus: ac}\n" + components,
      "redundancy.yaml");
}

// The result of the element `id` (searched by type and index, since results carry no ids).
const ElementResult& element(const model::ModelSpec& m, const SolveResult& r,
                             const std::string& id) {
  for (const auto& e : r.elements) {
    const auto i = static_cast<std::size_t>(e.index);
    const bool match = (e.type == ElementType::converter && m.converters[i].id == id) ||
                       (e.type == ElementType::line && m.lines[i].id == id) ||
                       (e.type == ElementType::transformer && m.transformers[i].id == id);
    if (match) return e;
  }
  throw std::runtime_error("no element " + id);
}

TEST(InstalledUnits, Grammar) {
  std::string why;
  EXPECT_EQ(model::installed_units("", 3, &why), 3);
  EXPECT_EQ(model::installed_units("N", 3, &why), 3);
  EXPECT_EQ(model::installed_units("N+1", 5, &why), 6);
  EXPECT_EQ(model::installed_units(" n + 2 ", 4, &why), 6);
  EXPECT_EQ(model::installed_units("2N", 1, &why), 2);
  EXPECT_EQ(model::installed_units("2N", 4, &why), 8);
  EXPECT_EQ(model::installed_units("2N+1", 2, &why), 5);
  EXPECT_EQ(model::installed_units("2(N+1)", 3, &why), 8);
  EXPECT_EQ(model::installed_units("4N/3", 3, &why), 4);
  EXPECT_EQ(model::installed_units("3N/2", 4, &why), 6);
  for (const char* bad : {"N+", "2", "M+1", "N+1+1", "2(N+1", "4N/3+1", "3N/4", "N/3", "N-1"}) {
    why.clear();
    EXPECT_EQ(model::installed_units(bad, 3, &why), 0) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
  EXPECT_EQ(model::installed_units("4N/3", 2, &why), 0);
  EXPECT_NE(why.find("multiple of 3"), std::string::npos) << why;
}

TEST(Redundancy, BadRuleIsADiagnosticAtTheKey) {
  try {
    (void)load(
        "  - {id: ups, type: ups, input: ac, output: crit, rating: 1 MW, efficiency: 95 %,\n"
        "     redundancy: 4N/3}\n");
    FAIL() << "expected an error";
  } catch (const core::ModelError& error) {
    const auto& d = error.diagnostics().items().at(0);
    EXPECT_NE(d.message.find("multiple of 3"), std::string::npos) << d.message;
    EXPECT_EQ(d.where.line, 10);  // the line of `redundancy:`
    EXPECT_NE(d.fix.find("modules"), std::string::npos);
  }
}

// A 2N UPS: two units, each of the full rating, share the load, so each runs at half of it.
// With a curve that is 90 % at half load and 95 % at full load, the loss at 1 MW out is that of
// two units at 0.5 MW each: 2 x 0.5 MW x (1/0.9 - 1), exactly (a tabulated point).
TEST(Redundancy, TwoNUpsRunsEachUnitAtHalfLoad) {
  const auto m = load(
      "  - {id: ups, type: ups, input: ac, output: crit, rating: 1 MW, redundancy: 2N,\n"
      "     efficiency: [[0.25, 0.85], [0.5, 0.90], [1.0, 0.95]]}\n"
      "  - {id: it, type: load, bus: crit, power: 1 MW}\n");
  ASSERT_EQ(m.converters.at(0).redundancy.installed, 2);
  EXPECT_DOUBLE_EQ(model::installed_rating_w(m.converters.at(0)), 2e6);
  const auto r = solve(m);
  ASSERT_TRUE(r.converged);
  const auto& ups = element(m, r, "ups");
  EXPECT_NEAR(ups.p_out_w, 1e6, 1e-3);
  EXPECT_NEAR(ups.loss_w, 2 * 0.5e6 * (1 / 0.90 - 1), 1e-6);
  // Loading is against the rating the load needs (what is left after losing a unit).
  EXPECT_NEAR(ups.loading_pct, 100.0, 1e-6);
  // Without redundancy the same unit runs at full load: 95 %.
  const auto single = load(
      "  - {id: ups, type: ups, input: ac, output: crit, rating: 1 MW,\n"
      "     efficiency: [[0.25, 0.85], [0.5, 0.90], [1.0, 0.95]]}\n"
      "  - {id: it, type: load, bus: crit, power: 1 MW}\n");
  EXPECT_NEAR(element(single, solve(single), "ups").loss_w, 1e6 * (1 / 0.95 - 1), 1e-6);
}

// N+1 power shelf: five modules make the rating, six share the load: each at 5/6 of its share.
TEST(Redundancy, NPlusOneModulesShareTheLoad) {
  const auto m = load(
      "  - {id: psu, type: psu, input: ac, output: dc, rating: 50 kW, modules: 5,\n"
      "     redundancy: N+1, efficiency: [[0.5, 0.94], [1.0, 0.96]]}\n"
      "  - {id: it, type: load, bus: dc, power: 30 kW}\n");
  const auto& c = m.converters.at(0);
  EXPECT_EQ(c.redundancy.modules, 5);
  EXPECT_EQ(c.redundancy.installed, 6);
  const auto r = solve(m);
  ASSERT_TRUE(r.converged);
  // 30 kW over six 10 kW units: 5 kW each = 0.5 of a unit, the 94 % point.
  EXPECT_NEAR(element(m, r, "psu").loss_w, 30e3 * (1 / 0.94 - 1), 1e-6);
}

// A converter on float (power control, 0 W out) still draws its standby loss; in operation the
// standby loss adds to the efficiency's loss.
TEST(StandbyLoss, DrawnAtZeroOutputAndAddedUnderLoad) {
  const auto idle_model = load(
      "  - {id: rect, type: rectifier, input: ac, output: dc, rating: 1 MW, efficiency: 98 %}\n"
      "  - {id: bic, type: dcdc, input: dc, output: out, rating: 500 kW, efficiency: 97 %,\n"
      "     standby_loss: 1.5 kW}\n"
      "  - {id: battery, type: storage, bus: out, power: 0 W}\n");
  const auto idle = solve(idle_model);
  ASSERT_TRUE(idle.converged);
  EXPECT_NEAR(element(idle_model, idle, "bic").p_out_w, 0.0, 1e-6);
  EXPECT_NEAR(element(idle_model, idle, "bic").loss_w, 1.5e3, 1e-6);
  const auto loaded_model = load(
      "  - {id: rect, type: rectifier, input: ac, output: dc, rating: 1 MW, efficiency: 98 %}\n"
      "  - {id: bic, type: dcdc, input: dc, output: out, rating: 500 kW, efficiency: 97 %,\n"
      "     standby_loss: 1.5 kW}\n"
      "  - {id: it, type: load, bus: out, power: 200 kW}\n");
  const auto loaded = solve(loaded_model);
  ASSERT_TRUE(loaded.converged);
  EXPECT_NEAR(element(loaded_model, loaded, "bic").loss_w, 1.5e3 + 200e3 * (1 / 0.97 - 1), 1e-6);
}

// Two identical transformers in parallel (2N): half the series impedance and twice the core
// loss of one. Compared with the same two units written as two elements.
TEST(Redundancy, TransformerUnitsInParallelAreTwoTransformers) {
  const std::string buses =
      "  - {id: mv, kind: ac, voltage: 13.8 kV}\n  - {id: lv, kind: ac, voltage: 415 V}\n";
  const std::string unit =
      "type: transformer, hv: mv, lv: lv, rating: 2 MVA, impedance: 6 %, load_loss: 16 kW, "
      "no_load_loss: 3 kW";
  auto model = [&](const std::string& transformers) {
    return model::load_yaml(
        "grid2gpu: 1\nbuses:\n  - {id: ac, kind: ac, voltage: 13.8 kV}\n" + buses +
            "components:\n  - {id: grid, type: utility, bus: ac}\n" +
            "  - {id: mvc, type: line, from: ac, to: mv, resistance: 0.1 ohm}\n" + transformers +
            "  - {id: it, type: load, bus: lv, power: 1.5 MW}\n",
        "t.yaml");
  };
  const auto two_model = model("  - {id: t1, " + unit + "}\n  - {id: t2, " + unit + "}\n");
  const auto one_model = model("  - {id: t, " + unit + ", redundancy: 2N}\n");
  const auto two_elements = solve(two_model);
  const auto one_element = solve(one_model);
  ASSERT_TRUE(two_elements.converged && one_element.converged);
  const double loss_two =
      element(two_model, two_elements, "t1").loss_w + element(two_model, two_elements, "t2").loss_w;
  EXPECT_NEAR(element(one_model, one_element, "t").loss_w, loss_two, 1e-6 * loss_two);
  EXPECT_NEAR(one_element.totals.source_w, two_elements.totals.source_w, 1e-6);
}

// The writer keeps modules, redundancy, standby loss and solid-state breakers.
TEST(Redundancy, WriterRoundTrip) {
  const auto m = load(
      "  - {id: ups, type: ups, input: ac, output: crit, rating: 3 MW, modules: 3,\n"
      "     redundancy: 4N/3, efficiency: 96 %, standby_loss: 2 kW}\n"
      "  - {id: rect, type: rectifier, input: crit, output: dc, rating: 1 MW, efficiency: 98 %}\n"
      "  - {id: sscb, type: breaker, from: dc, to: out, rating: 800 A, on_resistance: 2 mohm}\n"
      "  - {id: it, type: load, bus: out, power: 400 kW}\n");
  const auto again = model::load_yaml(model::write_yaml(m), "again.yaml");
  const auto& c = again.converters.at(0);
  EXPECT_EQ(c.redundancy.rule, "4N/3");
  EXPECT_EQ(c.redundancy.modules, 3);
  EXPECT_EQ(c.redundancy.installed, 4);
  EXPECT_DOUBLE_EQ(c.standby_loss_w, 2e3);
  ASSERT_EQ(again.lines.size(), 1u);
  EXPECT_EQ(again.lines[0].type, model::LineType::breaker);
  EXPECT_DOUBLE_EQ(again.lines[0].r_ohm.value_or(0.0), 2e-3);
  EXPECT_DOUBLE_EQ(again.lines[0].ampacity_a, 800.0);
  EXPECT_EQ(model::write_yaml(again), model::write_yaml(m));
}

// A solid-state breaker conducts with I^2 R: 800 V DC, 400 kW through 2 mohm (loop).
TEST(SolidStateBreaker, ConductionLossIsISquaredR) {
  const auto m = load(
      "  - {id: rect, type: rectifier, input: ac, output: dc, rating: 1 MW, efficiency: 98 %}\n"
      "  - {id: sscb, type: breaker, from: dc, to: out, rating: 800 A, on_resistance: 2 mohm}\n"
      "  - {id: it, type: load, bus: out, power: 400 kW}\n");
  ASSERT_EQ(m.lines.size(), 1u);
  EXPECT_EQ(m.lines[0].type, model::LineType::breaker);
  EXPECT_TRUE(m.switches.empty());
  const auto r = solve(m);
  ASSERT_TRUE(r.converged);
  // Closed form: the load holds 400 kW at V_out = 800 - I R, I = P / V_out.
  const double r_ohm = 2e-3;
  const double v_out = 0.5 * (800.0 + std::sqrt(800.0 * 800.0 - 4.0 * r_ohm * 400e3));
  const double current_a = 400e3 / v_out;
  EXPECT_NEAR(element(m, r, "sscb").loss_w, current_a * current_a * r_ohm, 1e-6);
  // Open, it carries nothing and the load is unfed.
  const auto open = load(
      "  - {id: rect, type: rectifier, input: ac, output: dc, rating: 1 MW, efficiency: 98 %}\n"
      "  - {id: sscb, type: breaker, from: dc, to: out, closed: false, on_resistance: 2 mohm}\n"
      "  - {id: rect2, type: rectifier, input: ac, output: out, rating: 1 MW, efficiency: 98 %}\n"
      "  - {id: it, type: load, bus: out, power: 400 kW}\n");
  EXPECT_FALSE(open.lines.at(0).in_service);
}

}  // namespace
}  // namespace g2g::steady

// Architecture studies: stages, end-to-end figures and the claims arithmetic, checked against
// closed-form derivations written here.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "g2g/model/loader.hpp"
#include "g2g/sizing/conductor_power.hpp"
#include "g2g/sizing/tables.hpp"
#include "g2g/steady/solver.hpp"
#include "g2g/study/claims.hpp"
#include "g2g/study/compare.hpp"
#include "g2g/study/stages.hpp"
#include "support/test_support.hpp"

namespace g2g::study {
namespace {

// 800 V DC source -> 20 m cable -> DC/DC 800 -> 54 V (98 %) -> 2 m busbar -> IBC 54 -> 12 V
// (97.68 %) -> VRM 12 -> 0.8 V (90 %) -> 100 kW of GPUs.
const std::string chain = R"(grid2gpu: 1
name: chain
buses:
  - {id: a, kind: dc, voltage: 800 V}
  - {id: b, kind: dc, voltage: 800 V}
  - {id: c, kind: dc, voltage: 54 V}
  - {id: d, kind: dc, voltage: 54 V}
  - {id: e, kind: dc, voltage: 12 V}
  - {id: f, kind: dc, voltage: 0.8 V}
components:
  - {id: src, type: dc_source, bus: a}
  - {id: cab, type: cable, from: a, to: b, cross_section: 35 mm2, length: 20 m, temperature: 90 °C}
  - {id: dcdc, type: dcdc, subtype: dc_transformer, input: b, output: c, rating: 200 kW, efficiency: 98 %}
  - {id: bar, type: busbar, from: c, to: d, cross_section: 899 mm2, length: 2 m, temperature: 65 °C}
  - {id: ibc, type: dcdc, subtype: ibc, input: d, output: e, rating: 200 kW, efficiency: 97.68 %}
  - {id: vrm, type: dcdc, subtype: vrm, input: e, output: f, rating: 200 kW, efficiency: 90 %}
  - {id: gpus, type: gpu_rack, bus: f, it_power: 100 kW}
)";

TEST(Stages, ChainIsOrderedFromSourceToLoadAndBalances) {
  const auto m = model::load_yaml(chain, "chain.yaml");
  const auto r = steady::solve(m);
  const auto stages = chain_stages(m, r);
  ASSERT_EQ(stages.size(), 5u);
  EXPECT_EQ(stages[0].label, "cable");
  EXPECT_EQ(stages[0].kind, StageKind::distribution);
  EXPECT_EQ(stages[1].label, "dc_transformer");
  EXPECT_EQ(stages[1].name, "DC/DC 800 V → 54 V DC");
  EXPECT_EQ(stages[2].label, "busbar");
  EXPECT_EQ(stages[3].label, "ibc");
  EXPECT_EQ(stages[4].label, "vrm");
  EXPECT_TRUE(stages[4].point_of_load);
  // Each stage feeds the next; losses add up to the solver's total.
  double loss = 0.0;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    loss += stages[i].loss_w;
    EXPECT_NEAR(stages[i].p_in_w - stages[i].p_out_w, stages[i].loss_w, 1e-9 * stages[i].p_in_w);
    if (i > 0) {
      EXPECT_NEAR(stages[i].p_in_w, stages[i - 1].p_out_w, 1e-9 * stages[i].p_in_w);
    }
  }
  EXPECT_NEAR(loss, r.totals.loss_w, 1e-9 * r.totals.source_w);
  // Converter stages lose exactly (1 - efficiency) of their input.
  EXPECT_NEAR(stages[4].p_out_w, 0.90 * stages[4].p_in_w, 1e-6);
  EXPECT_NEAR(stages[4].p_out_w, 100e3, 1e-6);
}

TEST(Stages, SameKindInSeriesIsTwoStages) {
  // Two 54 V busbars in series carry the same power once each: two stages, named apart.
  const std::string text = R"(grid2gpu: 1
buses:
  - {id: a, kind: dc, voltage: 54 V}
  - {id: b, kind: dc, voltage: 54 V}
  - {id: c, kind: dc, voltage: 54 V}
components:
  - {id: src, type: dc_source, bus: a}
  - {id: busway, type: busbar, from: a, to: b, cross_section: 899 mm2, length: 3 m}
  - {id: rackbar, type: busbar, from: b, to: c, cross_section: 899 mm2, length: 2 m}
  - {id: it, type: load, bus: c, power: 50 kW}
)";
  const auto m = model::load_yaml(text, "series.yaml");
  const auto r = steady::solve(m);
  const auto stages = chain_stages(m, r);
  ASSERT_EQ(stages.size(), 2u);
  EXPECT_EQ(stages[0].name, "54 V DC busbar (busway)");
  EXPECT_EQ(stages[1].name, "54 V DC busbar (rackbar)");
  EXPECT_NEAR(stages[1].p_in_w, stages[0].p_out_w, 1e-9 * stages[0].p_in_w);
  EXPECT_NEAR(stages[1].p_out_w, 50e3, 1e-6);
}

TEST(Compare, PointOfLoadBoundary) {
  const auto m = model::load_yaml(chain, "chain.yaml");
  CompareOptions options;
  options.size_conductors = false;
  const auto without = analyse("chain", m, options);
  // GPU regulators left out: delivered power is their input, 100 kW / 0.9.
  EXPECT_NEAR(without.delivered_w, 100e3 / 0.90, 1e-6);
  EXPECT_NEAR(without.it_load_w, 100e3, 1e-6);
  EXPECT_EQ(without.conversion_stages, 2);
  EXPECT_NEAR(without.loss_w, without.conversion_loss_w + without.distribution_loss_w,
              1e-9 * without.source_w);
  options.include_point_of_load = true;
  const auto with = analyse("chain", m, options);
  EXPECT_NEAR(with.delivered_w, 100e3, 1e-6);
  EXPECT_EQ(with.conversion_stages, 3);
  // The regulator's 90 % multiplies the end-to-end efficiency, nothing else changes.
  EXPECT_NEAR(with.efficiency, 0.90 * without.efficiency, 1e-12);
  EXPECT_NEAR(with.annual_loss_mwh, with.loss_w * 8760.0 / 1e6, 1e-9);
  EXPECT_NEAR(with.annual_loss_cost, with.annual_loss_mwh * options.tariff_per_mwh, 1e-9);
}

TEST(Compare, SizingReplacesTheModelledConductors) {
  const auto m = model::load_yaml(chain, "chain.yaml");
  CompareOptions options;
  const auto a = analyse("chain", m, options);
  ASSERT_TRUE(a.sizing.has_value());
  EXPECT_GT(a.copper_kg, 0.0);
  EXPECT_NEAR(a.copper_kg, a.sizing->totals.copper_kg, 1e-9);
  // The reported solution is of the sized model: its line currents fit the sized ampacities.
  for (const auto& line : a.sizing->lines)
    if (line.status == sizing::LineStatus::sized) {
      EXPECT_LE(line.loading_pct, 100.0 + 1e-9);
    }
  EXPECT_TRUE(a.result.converged);
}

TEST(Claims, VerdictRule) {
  EXPECT_EQ(judge(0.45, 0.45), Verdict::holds);
  EXPECT_EQ(judge(0.85 * 0.45, 0.45), Verdict::holds);
  EXPECT_EQ(judge(0.80 * 0.45, 0.45), Verdict::partly);
  EXPECT_EQ(judge(0.0, 0.45), Verdict::does_not_hold);
  EXPECT_EQ(judge(-0.1, 0.45), Verdict::does_not_hold);
  EXPECT_EQ(judge(0.2, 0.0), Verdict::not_applicable);
}

// Two architectures of one rack each, for the claims: 415 V AC with a PSU, and 800 V DC.
const std::string ac_rack = R"(grid2gpu: 1
name: ac
parameters: {rack_power: 100 kW}
buses:
  - {id: g, kind: ac, voltage: 415 V}
  - {id: p, kind: ac, voltage: 415 V}
  - {id: c, kind: dc, voltage: 54 V}
components:
  - {id: u, type: utility, bus: g}
  - {id: ups, type: ups, input: g, output: p, rating: 200 kW, efficiency: 93.5 %}
  - {id: psu, type: psu, input: p, output: c, rating: 200 kW, efficiency: 96 %, power_factor: 0.95}
  - {id: it, type: gpu_rack, bus: c, it_power: $rack_power}
)";
const std::string dc_rack = R"(grid2gpu: 1
name: dc
parameters: {rack_power: 100 kW}
buses:
  - {id: g, kind: ac, voltage: 13.8 kV}
  - {id: d, kind: dc, voltage: 800 V}
  - {id: c, kind: dc, voltage: 54 V}
components:
  - {id: u, type: utility, bus: g}
  - {id: sst, type: sst, input: g, output: d, rating: 200 kW, efficiency: 99 %}
  - {id: dcdc, type: dcdc, input: d, output: c, rating: 200 kW, efficiency: 98 %}
  - {id: it, type: gpu_rack, bus: c, it_power: $rack_power}
)";

TEST(Claims, ConversionLossAndEndToEndMatchClosedForm) {
  CompareOptions options;
  options.size_conductors = false;
  std::vector<ArchitectureResult> all;
  all.push_back(analyse("ac", model::load_yaml(ac_rack, "ac.yaml"), options));
  all.push_back(analyse("dc", model::load_yaml(dc_rack, "dc.yaml"), options));
  ClaimContext context;
  context.architectures = &all;
  context.options = options;
  context.reload = [](std::size_t i, const model::LoadOptions& load) {
    return model::load_yaml(i == 0 ? ac_rack : dc_rack, i == 0 ? "ac.yaml" : "dc.yaml", load);
  };
  const auto claims = check_claims(context);
  ASSERT_EQ(claims.size(), 5u);
  // Closed form, no conductors: AC input P/(0.96*0.935), DC input P/(0.98*0.99).
  const double p = 100e3;
  const double ac_in = p / (0.96 * 0.935), dc_in = p / (0.98 * 0.99);
  const double ac_loss = ac_in - p, dc_loss = dc_in - p;
  const Claim& c = claims[2];
  EXPECT_EQ(c.id, "c");
  EXPECT_NEAR(c.computed_value, 1.0 - dc_loss / ac_loss, 1e-9);
  EXPECT_EQ(c.verdict, judge(1.0 - dc_loss / ac_loss, 0.30));
  const Claim& d = claims[3];
  EXPECT_NEAR(d.computed_value, p / dc_in - p / ac_in, 1e-9);
  // The UPS rows: closed form with the UPS at 95 % and at 98.5 %.
  int ups_rows = 0;
  for (const auto& row : c.sensitivity) {
    if (row.assumption != "UPS efficiency") continue;
    const double ups = row.value.starts_with("95.0") ? 0.95 : 0.985;
    const double ac_loss_v = p / (0.96 * ups) - p;
    EXPECT_NEAR(row.computed_value, 1.0 - dc_loss / ac_loss_v, 1e-9) << row.value;
    ++ups_rows;
  }
  EXPECT_EQ(ups_rows, 2);
  // The rack-power row re-reads both models at 1 MW: with no conductors, efficiencies are flat
  // and the reduction does not move.
  bool rack_row = false;
  for (const auto& row : c.sensitivity)
    if (row.assumption == "rack power") {
      rack_row = true;
      EXPECT_NEAR(row.computed_value, 1.0 - dc_loss / ac_loss, 1e-9);
    }
  EXPECT_TRUE(rack_row);
}

TEST(Claims, ConductorPowerRatioIsVoltagePerConductorTimesAmpacityRatio) {
  CompareOptions options;
  options.size_conductors = false;
  std::vector<ArchitectureResult> all;
  all.push_back(analyse("ac", model::load_yaml(ac_rack, "ac.yaml"), options));
  all.push_back(analyse("dc", model::load_yaml(dc_rack, "dc.yaml"), options));
  ClaimContext context;
  context.architectures = &all;
  context.options = options;
  const auto claims = check_claims(context);
  ASSERT_FALSE(claims.empty());
  const Claim& a = claims[0];
  // Closed form: per current-carrying conductor, DC carries (800 V / 2) I2 and AC
  // (415 V / sqrt 3) pf I3, where I2 and I3 are the table ampacities of 240 mm2 with two and
  // three loaded conductors (the same derating applies to both and cancels).
  const auto& tables = sizing::default_tables();
  const auto* two = tables.cable_column(model::Material::copper, options.sizing.method,
                                        options.sizing.insulation, 2);
  const auto* three = tables.cable_column(model::Material::copper, options.sizing.method,
                                          options.sizing.insulation, 3);
  ASSERT_NE(two, nullptr);
  ASSERT_NE(three, nullptr);
  auto at = [](const sizing::AmpacityColumn* column, double m2) {
    for (const auto& e : column->entries)
      if (std::fabs(e.cross_section_m2 - m2) < 1e-12) return e.ampacity_a;
    return 0.0;
  };
  const double i2 = at(two, 240e-6), i3 = at(three, 240e-6);
  ASSERT_GT(i2, 0.0);
  ASSERT_GT(i3, 0.0);
  const double expected = (400.0 * i2) / (415.0 / std::sqrt(3.0) * 0.95 * i3);
  EXPECT_NEAR(a.computed_value, expected, 1e-9 * expected);
  // Power factor 1 lowers the ratio by exactly 0.95.
  for (const auto& row : a.sensitivity)
    if (row.assumption == "AC power factor") {
      EXPECT_NEAR(row.computed_value, expected * 0.95, 1e-9);
    }
}

TEST(Claims, OneMegawattRackBusbar) {
  const sizing::SizingOptions options;
  const RackBusbar low = rack_busbar(54.0, 1e6, 2.0, options, 16);
  const RackBusbar high = rack_busbar(800.0, 1e6, 2.0, options, 16);
  // The current at the load end is P / V_load; V_load is within the 3 % drop limit of nominal.
  EXPECT_GE(low.current_a, 1e6 / 54.0);
  EXPECT_LE(low.current_a, 1e6 / (54.0 * 0.97));
  EXPECT_GE(high.current_a, 1e6 / 800.0);
  EXPECT_LE(high.current_a, 1e6 / (800.0 * 0.97));
  ASSERT_TRUE(high.fits);
  EXPECT_GT(low.copper_kg, high.copper_kg);
  // Copper mass: two poles of the chosen cross-section over 2 m of copper.
  const double density = sizing::default_tables().density_kg_m3(model::Material::copper);
  EXPECT_NEAR(high.copper_kg, 2.0 * high.cross_section_m2 * 2.0 * density, 1e-9 * high.copper_kg);
}

}  // namespace
}  // namespace g2g::study

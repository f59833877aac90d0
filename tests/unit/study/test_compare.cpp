// Architecture studies: stages, end-to-end figures and the claims arithmetic, checked against
// closed-form derivations written here.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "g2g/model/loader.hpp"
#include "g2g/sizing/conductor_power.hpp"
#include "g2g/sizing/tables.hpp"
#include "g2g/steady/solver.hpp"
#include "g2g/study/claims.hpp"
#include "g2g/study/compare.hpp"
#include "g2g/study/comparison.hpp"
#include "g2g/study/stages.hpp"
#include "support/test_support.hpp"
#include "unit/study/study_fixtures.hpp"

namespace g2g::study {
namespace {

using fixtures::curve_rule;

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
  - {id: bar, type: busbar, from: c, to: d, cross_section: 999 mm2, length: 2 m, temperature: 65 °C}
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

// Double conversions and the point of load are read from the converter's type and subtype
// enums, never from a label's text.
TEST(Stages, ConversionsComeFromTypeAndSubtype) {
  model::Converter c;
  c.type = model::ConverterType::ups;
  EXPECT_EQ(conversions_in(c), 2);
  c.type = model::ConverterType::rectifier;
  EXPECT_EQ(conversions_in(c), 1);
  c.subtype = model::ConverterSubtype::psu;
  EXPECT_EQ(conversions_in(c), 2);
  c.subtype = model::ConverterSubtype::sst;
  EXPECT_EQ(conversions_in(c), 2);
  c.subtype = model::ConverterSubtype::sidecar;
  EXPECT_EQ(conversions_in(c), 1);
  c.type = model::ConverterType::dcdc;
  c.subtype = model::ConverterSubtype::vrm;
  EXPECT_EQ(conversions_in(c), 1);
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
  - {id: busway, type: busbar, from: a, to: b, cross_section: 999 mm2, length: 3 m}
  - {id: rackbar, type: busbar, from: b, to: c, cross_section: 999 mm2, length: 2 m}
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

// The stages of a value-only variant of a model, summed through the index of the first model's
// shape, are those chain_stages finds on its own, bit for bit; an index of another shape is
// refused.
TEST(Stages, AnIndexOfTheShapeGivesTheSameStages) {
  const auto first = model::load_yaml(chain, "chain.yaml");
  std::string other_text = chain;
  other_text.replace(other_text.find("length: 20 m"), 12, "length: 35 m");
  other_text.replace(other_text.find("efficiency: 98 %"), 16, "efficiency: 96 %");
  const auto other = model::load_yaml(other_text, "chain.yaml");
  const StageIndex index(first);
  const auto solved = steady::solve(other);
  const auto want = chain_stages(other, solved);
  const auto got = chain_stages(index, other, solved);
  ASSERT_EQ(got.size(), want.size());
  ASSERT_EQ(want.size(), 5U);
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].name, want[i].name);
    EXPECT_EQ(got[i].count, want[i].count);
    EXPECT_EQ(got[i].installed_rating_w, want[i].installed_rating_w);
    EXPECT_EQ(got[i].p_in_w, want[i].p_in_w);
    EXPECT_EQ(got[i].p_out_w, want[i].p_out_w);
    EXPECT_EQ(got[i].loss_w, want[i].loss_w);
    EXPECT_EQ(got[i].unit_load_fraction, want[i].unit_load_fraction);
    EXPECT_EQ(got[i].point_of_load, want[i].point_of_load);
  }
  // The 35 m cable's loss, not the 20 m one's.
  ASSERT_EQ(got[0].label, "cable");
  EXPECT_NE(got[0].loss_w, chain_stages(first, steady::solve(first))[0].loss_w);
  auto smaller = other;
  smaller.converters.pop_back();
  EXPECT_THROW((void)chain_stages(index, smaller, solved), std::logic_error);
}

TEST(Compare, PointOfLoadBoundary) {
  const auto m = model::load_yaml(chain, "chain.yaml");
  CompareOptions options;
  options.size_conductors = false;
  const auto without = analyse("chain", m, options);
  // GPU regulators left out: delivered power is their input, 100 kW / 0.9.
  EXPECT_NEAR(without.design.delivered_w, 100e3 / 0.90, 1e-6);
  EXPECT_NEAR(without.design.it_load_w, 100e3, 1e-6);
  EXPECT_EQ(without.boxes_in_series, 2);
  EXPECT_EQ(without.power_conversions, 2);
  EXPECT_NEAR(without.design.loss_w,
              without.design.conversion_loss_w + without.design.distribution_loss_w,
              1e-9 * without.design.source_w);
  options.include_point_of_load = true;
  const auto with = analyse("chain", m, options);
  EXPECT_NEAR(with.design.delivered_w, 100e3, 1e-6);
  EXPECT_EQ(with.boxes_in_series, 3);
  // The regulator's 90 % multiplies the end-to-end efficiency, nothing else changes.
  EXPECT_NEAR(with.design.efficiency, 0.90 * without.design.efficiency, 1e-12);
  EXPECT_NEAR(with.design.efficiency, without.design.efficiency_to_core, 1e-12);
  // No profile: the design point all year.
  EXPECT_NEAR(with.annual.loss_mwh, with.design.loss_w * 8760.0 / 1e6, 1e-9);
  EXPECT_NEAR(with.annual.loss_cost, with.annual.loss_mwh * options.tariff_per_mwh, 1e-9);
}

// A result that does not keep the model (a sweep row without claim columns) has every figure of
// one that does, bit for bit, with a profile solved from the given model; a kept one is reused.
TEST(Compare, ResultsWithoutTheModelHaveTheSameFigures) {
  const auto m = model::load_yaml(chain, "chain.yaml");
  CompareOptions options;
  options.size_conductors = false;
  options.profile.points = {{1.0, 3000.0, "full"}, {0.5, 5760.0, "half"}};
  ArchitectureResult kept;
  analyse(kept, "chain", m, options, {});
  ArchitectureResult lean = kept;  // its model's storage dropped by the analysis below
  analyse(lean, "chain", m, options, {}, KeepModel::no);
  EXPECT_TRUE(lean.model.buses.empty());
  EXPECT_EQ(kept.model.buses.size(), m.buses.size());
  EXPECT_EQ(architecture_json(lean, options).dump(), architecture_json(kept, options).dump());
  ASSERT_EQ(lean.profile.size(), 2U);
  EXPECT_EQ(lean.profile[1].figures.loss_w, kept.profile[1].figures.loss_w);
  EXPECT_GT(kept.profile[1].figures.loss_w, 0.0);
  EXPECT_EQ(lean.design.efficiency, kept.design.efficiency);
  EXPECT_EQ(lean.copper_kg, kept.copper_kg);
  EXPECT_GT(lean.copper_kg, 0.0);
  // Sizing makes a model of its own: kept whatever is asked.
  options.size_conductors = true;
  analyse(lean, "chain", m, options, {}, KeepModel::no);
  EXPECT_EQ(lean.model.buses.size(), m.buses.size());
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

// Two architectures of one rack each: 415 V AC through a UPS and a PSU, and 800 V DC from an
// SST through a DC/DC. Converters only (no conductors), so every figure has a closed form.
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
  - {id: it, type: gpu_rack, bus: c, it_power: $rack_power, idle_fraction: 0.2}
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
  - {id: dcdc, type: dcdc, subtype: dc_transformer, input: d, output: c, rating: 200 kW, efficiency: 98 %}
  - {id: it, type: gpu_rack, bus: c, it_power: $rack_power, idle_fraction: 0.2}
)";

ComparisonInput pair_input(std::vector<ClaimSpec> claims) {
  ComparisonInput in;
  in.ids = {"ac", "dc"};
  in.read = [](std::size_t i, const std::vector<model::ParameterOverride>& overrides) {
    model::LoadOptions options;
    options.parameters = overrides;
    return model::load_yaml(i == 0 ? ac_rack : dc_rack, i == 0 ? "ac.yaml" : "dc.yaml", options);
  };
  in.options.size_conductors = false;
  in.claims = std::move(claims);
  in.threads = 1;
  return in;
}

ClaimSpec claim(std::string id, Metric metric, ClaimForm form, double published, double tolerance) {
  ClaimSpec c;
  c.id = std::move(id);
  c.text = c.id;
  c.metric = metric;
  c.form = form;
  c.published = published;
  c.tolerance = tolerance;
  return c;
}

// The end-to-end efficiency compare reports is the product of the stage efficiencies.
TEST(Compare, EndToEndIsTheProductOfStageEfficiencies) {
  const Comparison c = run_comparison(pair_input({}));
  ASSERT_EQ(c.runs.size(), 1u);  // no assumption sets: the models as written
  const auto& ac = c.runs[0].architectures[0];
  const auto& dc = c.runs[0].architectures[1];
  EXPECT_NEAR(ac.design.efficiency, 0.935 * 0.96, 1e-9);
  EXPECT_NEAR(dc.design.efficiency, 0.99 * 0.98, 1e-9);
  EXPECT_NEAR(ac.annual.efficiency, 0.935 * 0.96, 1e-9);
  EXPECT_EQ(ac.boxes_in_series, 2);
  EXPECT_EQ(ac.power_conversions, 4);  // a double-conversion UPS and a PSU do two each
  EXPECT_EQ(dc.power_conversions, 3);  // an SST two, the DC/DC one
}

// Over a profile the year's figures are the hours-weighted sums of the points.
TEST(Compare, AnnualEnergyIsTheProfileIntegral) {
  ComparisonInput in = pair_input({});
  in.options.profile.points = {{1.0, 3000.0, "full"}, {0.5, 4000.0, "half"}, {0.0, 1760.0, "idle"}};
  in.options.cooling.overhead_kw_per_kw = 0.25;
  const Comparison c = run_comparison(in);
  const auto& ac = c.runs[0].architectures[0];
  ASSERT_EQ(ac.profile.size(), 3u);
  const double eta = 0.935 * 0.96;
  // A gpu_rack draws it_power (idle + (1 - idle) u): 100, 60 and 20 kW.
  double input_mwh = 0.0, it_mwh = 0.0;
  for (const auto& [u, h] : {std::pair{1.0, 3000.0}, {0.5, 4000.0}, {0.0, 1760.0}}) {
    const double it_w = 100e3 * (0.2 + 0.8 * u);
    it_mwh += it_w * h / 1e6;
    input_mwh += it_w / eta * h / 1e6;
  }
  EXPECT_NEAR(ac.annual.it_mwh, it_mwh, 1e-9 * it_mwh);
  EXPECT_NEAR(ac.annual.input_mwh, input_mwh, 1e-9 * input_mwh);
  EXPECT_NEAR(ac.annual.efficiency, eta, 1e-9);
  EXPECT_NEAR(ac.annual.cooling_mwh, 0.25 * (input_mwh - it_mwh), 1e-9 * input_mwh);
  EXPECT_NEAR(ac.annual.loss_cost, (input_mwh - it_mwh) * in.options.tariff_per_mwh,
              1e-9 * input_mwh);
}

TEST(Compare, DifferentItLoadsAreRefusedUnlessNormalised) {
  ComparisonInput in = pair_input({});
  const auto read = in.read;
  in.read = [read](std::size_t i, const std::vector<model::ParameterOverride>& o) {
    auto m = read(i, o);
    if (i == 1) scale_loads(m, 1.05);  // 5 % more IT load than the baseline
    return m;
  };
  EXPECT_THROW((void)run_comparison(in), ItLoadMismatch);
  in.options.it_load_tolerance = 0.06;
  EXPECT_NO_THROW((void)run_comparison(in));
  in.options.it_load_tolerance = 0.01;
  in.options.normalise_it_load = true;
  const Comparison c = run_comparison(in);
  EXPECT_NEAR(c.it_scale[1], 1.0 / 1.05, 1e-12);
  EXPECT_NEAR(c.runs[0].architectures[1].design.it_load_w,
              c.runs[0].architectures[0].design.it_load_w, 1e-6);
}

TEST(Claims, LossAndEfficiencyFiguresMatchClosedForm) {
  const Comparison c = run_comparison(
      pair_input({claim("c", Metric::grid_input_reduction, ClaimForm::about, 0.05, 0.01),
                  claim("d", Metric::efficiency_gain_points, ClaimForm::up_to, 0.05, 0.005)}));
  ASSERT_EQ(c.claims.size(), 2u);
  const double ac_in = 1.0 / (0.935 * 0.96), dc_in = 1.0 / (0.99 * 0.98);
  EXPECT_NEAR(c.claims[0].computed_default, 1.0 - dc_in / ac_in, 1e-9);
  EXPECT_NEAR(c.claims[1].computed_default, 0.99 * 0.98 - 0.935 * 0.96, 1e-9);
  // One run: the range is the point.
  EXPECT_EQ(c.claims[1].computed_low, c.claims[1].computed_high);
}

// Break-even of the UPS efficiency for "up to 5 points": the gain 0.99 x 0.98 - x 0.96 equals
// 0.05 at x = (0.99 x 0.98 - 0.05) / 0.96.
TEST(Claims, BreakEvenMatchesClosedForm) {
  const Comparison c = run_comparison(
      pair_input({claim("d", Metric::efficiency_gain_points, ClaimForm::up_to, 0.05, 0.005)}));
  const Claim& d = c.claims.at(0);
  const BreakEven* ups = nullptr;
  for (const auto& b : d.break_even)
    if (b.assumption == "ups peak efficiency") ups = &b;
  ASSERT_NE(ups, nullptr);
  EXPECT_NEAR(ups->value, (0.99 * 0.98 - 0.05) / 0.96, 1e-4);
  EXPECT_NEAR(ups->current, 0.935, 1e-12);
  // And for the DC/DC: 0.99 x y - 0.935 x 0.96 = 0.05.
  const BreakEven* dcdc = nullptr;
  for (const auto& b : d.break_even)
    if (b.assumption == "dc_transformer peak efficiency") dcdc = &b;
  ASSERT_NE(dcdc, nullptr);
  EXPECT_NEAR(dcdc->value, (0.05 + 0.935 * 0.96) / 0.99, 1e-4);
}

TEST(Claims, RangeOverAssumptionSetsAndTheirVerdict) {
  // Two AC sets and one DC set: two runs, the gain differs only through the UPS.
  AssumptionSet low, high, dc;
  low.name = "ac-low";
  low.side = Side::ac;
  low.converters.push_back(curve_rule("ups", {{1.0, 0.90}}));
  high.name = "ac-high";
  high.side = Side::ac;
  high.converters.push_back(curve_rule("ups", {{1.0, 0.97}}));
  dc.name = "dc";
  dc.side = Side::dc;
  dc.converters.push_back(curve_rule("sst", {{1.0, 0.985}}));
  ComparisonInput in =
      pair_input({claim("d", Metric::efficiency_gain_points, ClaimForm::up_to, 0.05, 0.005)});
  in.sets = {&low, &high, &dc};
  in.default_sets = {"ac-high"};
  const Comparison c = run_comparison(in);
  ASSERT_EQ(c.runs.size(), 2u);
  EXPECT_EQ(c.runs[c.default_run].scenario, "ac-high + dc");
  const Claim& d = c.claims.at(0);
  const double dc_eta = 0.985 * 0.98;
  EXPECT_NEAR(d.computed_low, dc_eta - 0.97 * 0.96, 1e-9);
  EXPECT_NEAR(d.computed_high, dc_eta - 0.90 * 0.96, 1e-9);
  EXPECT_NEAR(d.computed_default, d.computed_low, 1e-12);
  EXPECT_EQ(d.low_case, "ac-high + dc");
  // up to 5 points, the best case 10.4 points: the claim understates the physics.
  EXPECT_EQ(d.verdict, judge(ClaimForm::up_to, 0.05, 0.005, {d.computed_low, d.computed_high}));
  EXPECT_EQ(d.verdict, Verdict::understated);
  // The other AC set's UPS rule is a sensitivity row with the closed-form figure.
  bool row = false;
  for (const auto& r : d.sensitivity)
    if (r.assumption == "ups efficiency") {
      row = true;
      EXPECT_NEAR(r.computed_value, dc_eta - 0.90 * 0.96, 1e-9);
    }
  EXPECT_TRUE(row);
}

TEST(Claims, ConductorPowerRatioIsVoltagePerConductorTimesAmpacityRatio) {
  const Comparison c = run_comparison(
      pair_input({claim("a", Metric::conductor_power_ratio, ClaimForm::about, 2.57, 0.15)}));
  const Claim& a = c.claims.at(0);
  const CompareOptions options;
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
  EXPECT_NEAR(a.computed_default, expected, 1e-9 * expected);
  // Break-even power factor: the ratio scales as 1 / pf, so it equals the claim at
  // pf = 0.95 x expected / 2.57.
  ASSERT_FALSE(a.break_even.empty());
  EXPECT_NEAR(a.break_even[0].value, 0.95 * expected / 2.57, 1e-5);
  // The equal-current reading is the voltage per conductor alone.
  bool equal_current = false;
  for (const auto& i : a.interpretations)
    if (i.name.starts_with("equal current")) {
      equal_current = true;
      EXPECT_NEAR(i.computed_value, 400.0 / (415.0 / std::sqrt(3.0) * 0.95), 1e-12);
    }
  EXPECT_TRUE(equal_current);
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

// The rack-storage claim's metric: a reduction in percent, parsed and named like the others, and
// shipped as claim f ("up to 30 %", NVIDIA's GB300 NVL72 blog).
TEST(Claims, StoragePeakReductionIsAPercentMetric) {
  EXPECT_EQ(name(Metric::storage_peak_reduction), "storage_peak_reduction");
  EXPECT_EQ(parse_metric("storage_peak_reduction"), Metric::storage_peak_reduction);
  EXPECT_EQ(metric_unit(Metric::storage_peak_reduction), "%");
  EXPECT_EQ(format_metric(Metric::storage_peak_reduction, 0.30), "30.0 %");
  EXPECT_EQ(format_metric(Metric::storage_peak_reduction, -0.004), "-0.4 %");
  const ClaimSpec* f = nullptr;
  for (const auto& c : default_claims())
    if (c.metric == Metric::storage_peak_reduction) f = &c;
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->form, ClaimForm::up_to);
  EXPECT_DOUBLE_EQ(f->published, 0.30);
  EXPECT_NE(f->quote.find("reduce peak grid demand by up to 30%"), std::string::npos);
}

// Without a time-domain case the row is n/a and says what to pass, not a made-up figure.
TEST(Claims, StorageRowWithoutAScenarioSaysWhatToPass) {
  const Comparison c = run_comparison(
      pair_input({claim("f", Metric::storage_peak_reduction, ClaimForm::up_to, 0.30, 0.03)}));
  ASSERT_EQ(c.claims.size(), 1u);
  const Claim& f = c.claims[0];
  EXPECT_EQ(f.verdict, Verdict::not_applicable);
  EXPECT_EQ(f.computed, "n/a");
  EXPECT_TRUE(f.cases.empty());
  EXPECT_TRUE(std::isnan(f.computed_default));
  EXPECT_NE(f.explanation.find("--scenario"), std::string::npos) << f.explanation;
  // Nor does a callback that found no figure make one up: its reason is the explanation.
  ComparisonInput in =
      pair_input({claim("f", Metric::storage_peak_reduction, ClaimForm::up_to, 0.30, 0.03)});
  in.storage_peak = [](const model::ModelSpec&, double, unsigned) {
    StoragePeakFigures none;
    none.unavailable = "hall.yaml:3:5: error: no storage 'bess'";
    return none;
  };
  const Claim g = run_comparison(in).claims.at(0);
  EXPECT_EQ(g.verdict, Verdict::not_applicable);
  EXPECT_EQ(g.explanation, "hall.yaml:3:5: error: no storage 'bess'");
}

// With the time-domain figures (here given, as api/compare would compute them), the row has one
// case per period, the averaged-demand readings, the per-rack break-even in kWh and kW, the
// verdict by the same two-sided rule, and it survives the JSON round trip.
TEST(Claims, StorageRowFromTheTimeDomainFigures) {
  ComparisonInput in =
      pair_input({claim("f", Metric::storage_peak_reduction, ClaimForm::up_to, 0.30, 0.03)});
  double asked = 0.0;
  std::string model_name;
  in.storage_peak = [&](const model::ModelSpec& m, double target, unsigned) {
    asked = target;
    model_name = m.name;
    StoragePeakFigures f;
    f.racks = 4;
    f.energy_per_rack_j = 0.5 * 3.6e6;
    f.power_per_rack_w = 20e3;
    f.assumptions = {"scenario"};
    StoragePeakCase one{"1 s period", 0.25, -0.004, 150.0, 4e6, 3e6, 0.9 * 3.6e6, 40e3, ""};
    StoragePeakCase ten{"10 s period",
                        0.12,
                        0.001,
                        150.0,
                        4e6,
                        3.52e6,
                        std::numeric_limits<double>::quiet_NaN(),
                        std::numeric_limits<double>::quiet_NaN(),
                        "not reached at 1024 x"};
    f.cases = {one, ten};
    return f;
  };
  const Comparison c = run_comparison(in);
  const Claim& f = c.claims.at(0);
  EXPECT_DOUBLE_EQ(asked, 0.30);  // sized for the claim's figure, not the scenario's limit
  EXPECT_EQ(model_name, in.read(1, {}).name);  // the 800 V DC architecture
  ASSERT_EQ(f.cases.size(), 2u);
  EXPECT_EQ(f.cases[0].scenario, "1 s period");
  EXPECT_EQ(f.cases[1].scenario, "10 s period");
  EXPECT_DOUBLE_EQ(f.computed_low, 0.12);
  EXPECT_DOUBLE_EQ(f.computed_high, 0.25);
  EXPECT_DOUBLE_EQ(f.computed_default, 0.25);  // the 1 s period
  EXPECT_EQ(f.verdict, judge(ClaimForm::up_to, 0.30, 0.03, {0.12, 0.25}));
  EXPECT_EQ(f.verdict, Verdict::overstated);
  ASSERT_EQ(f.interpretations.size(), 2u);
  EXPECT_DOUBLE_EQ(f.interpretations[0].computed_value, -0.004);
  EXPECT_EQ(f.interpretations[0].verdict, Verdict::overstated);
  EXPECT_NE(f.interpretations[0].name.find("averaged demand"), std::string::npos);
  ASSERT_EQ(f.break_even.size(), 2u);  // energy and power at 1 s; none at 10 s
  EXPECT_EQ(f.break_even[0].unit, "kWh");
  EXPECT_DOUBLE_EQ(f.break_even[0].value, 0.9);
  EXPECT_DOUBLE_EQ(f.break_even[0].current, 0.5);
  EXPECT_EQ(f.break_even[1].unit, "kW");
  EXPECT_DOUBLE_EQ(f.break_even[1].value, 40.0);
  EXPECT_DOUBLE_EQ(f.break_even[1].current, 20.0);
  EXPECT_NE(f.explanation.find("instantaneous"), std::string::npos) << f.explanation;
  EXPECT_NE(f.explanation.find("not published"), std::string::npos) << f.explanation;
  EXPECT_NE(f.explanation.find("not reached at 1024 x"), std::string::npos) << f.explanation;

  const std::vector<Claim> back = claims_from_json(claims_json(c.claims));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].spec.metric, Metric::storage_peak_reduction);
  EXPECT_EQ(back[0].verdict, f.verdict);
  ASSERT_EQ(back[0].cases.size(), 2u);
  EXPECT_EQ(back[0].cases[1].scenario, "10 s period");
  EXPECT_DOUBLE_EQ(back[0].cases[1].value, 0.12);
  ASSERT_EQ(back[0].break_even.size(), 2u);
  EXPECT_DOUBLE_EQ(back[0].break_even[0].value, 0.9);
  EXPECT_EQ(back[0].break_even[0].text, f.break_even[0].text);
  ASSERT_EQ(back[0].interpretations.size(), 2u);
  EXPECT_DOUBLE_EQ(back[0].interpretations[1].computed_value, 0.001);
  EXPECT_EQ(back[0].explanation, f.explanation);
}

}  // namespace
}  // namespace g2g::study

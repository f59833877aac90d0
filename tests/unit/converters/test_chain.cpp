// Chains and ISOP stacks (converters/chain.hpp) against closed forms, and the shared heatsink.
#include <gtest/gtest.h>

#include <cmath>

#include "g2g/converters/chain.hpp"
#include "g2g/converters/tabulate.hpp"
#include "g2g/devices/library.hpp"
#include "g2g/magnetics/library.hpp"

namespace g2g::converters {
namespace {

Library library() {
  return {&devices::default_devices(), &magnetics::default_materials()};
}

// A 400 V -> 48 V LLC module of library parts (the shape of examples/converters/cpes-3kw-...).
ConverterDesign llc_module() {
  ConverterDesign d;
  d.name = "test LLC";
  d.topology = Topology::llc;
  d.secondary_full_bridge = true;
  d.secondary_parallel = 3;
  d.primary_device = "GS66516B";
  d.secondary_device = "EPC2218";
  d.f_sw_hz = 500e3;
  d.t_dead_s = 50e-9;
  d.v_in_nominal_v = 400.0;
  d.v_out_nominal_v = 48.0;
  d.rating_w = 3000.0;
  d.turns_ratio = 8.0;
  d.transformer.material = "3F4";
  d.transformer.core_area_m2 = 330e-6;
  d.transformer.core_volume_m3 = 15e-6;
  d.transformer.turns = 12;
  d.transformer.inductance_h = 22e-6;
  d.transformer.r_dc_ohm = 30e-3;
  d.transformer.r_dc_secondary_ohm = 0.3e-3;
  d.cooling = {25.0, 5.0};
  return d;
}

Assembly physics(const ConverterDesign& d) {
  Assembly a;
  a.kind = Assembly::Kind::physics;
  a.name = d.name;
  a.design = d;
  return a;
}

// A stage of constant efficiency: one curve point, so the loss is proportional to the power.
Stage fixed(double efficiency, double v_in_v, double v_out_v, double rating_w) {
  Stage s;
  s.label = "fixed";
  s.module.kind = Assembly::Kind::curve;
  s.module.curve = {"fixed", v_in_v, v_out_v, rating_w, {{1.0, efficiency}}, "test"};
  return s;
}

Stage stage_of(const Assembly& module, int input_series, int modules) {
  Stage s;
  s.label = module.name;
  s.input_series = input_series;
  s.modules = modules;
  s.module = module;
  return s;
}

Assembly chain_of(std::vector<Stage> stages) {
  Assembly a;
  a.kind = Assembly::Kind::chain;
  a.name = "chain";
  a.stages = std::move(stages);
  return a;
}

TEST(Chain, TwoFixedEfficiencyStagesGiveTheProduct) {
  const Assembly chain = chain_of({fixed(0.97, 800, 400, 10e3), fixed(0.95, 400, 50, 10e3)});
  for (const double p_w : {100.0, 2500.0, 10e3, 12e3}) {
    const AssemblyResult r = evaluate(chain, library(), {800.0, 50.0, p_w});
    EXPECT_NEAR(r.total.efficiency, 0.97 * 0.95, 1e-12) << p_w;
    EXPECT_NEAR(r.total.p_in_w, p_w / (0.97 * 0.95), 1e-12 * r.total.p_in_w);
    ASSERT_EQ(r.stages.size(), 2u);
    // Backwards: the last stage delivers P, the first delivers what the last takes in.
    EXPECT_DOUBLE_EQ(r.stages[1].point.p_out_w, p_w);
    EXPECT_DOUBLE_EQ(r.stages[0].point.p_out_w, r.stages[1].p_in_w);
    EXPECT_NEAR(r.stages[0].loss.curve_w + r.stages[1].loss.curve_w, r.total.loss.total_w(),
                1e-12 * r.total.p_in_w);
  }
}

TEST(Chain, BusBetweenStagesIsTheUpstreamNominalOutput) {
  const ConverterDesign llc = llc_module();
  // A curve stage from 800 V to 400 V, then the LLC: the LLC runs at 400 V in even when the chain
  // is asked for another input voltage (the front end regulates its bus).
  const Assembly chain = chain_of({fixed(0.98, 800, 400, 3000), stage_of(physics(llc), 1, 1)});
  const AssemblyResult r = evaluate(chain, library(), {760.0, 48.0, 2000.0});
  ASSERT_EQ(r.stages.size(), 2u);
  EXPECT_DOUBLE_EQ(r.stages[0].point.v_in_v, 760.0);
  EXPECT_DOUBLE_EQ(r.stages[1].point.v_in_v, 400.0);
  const ConverterResult alone = evaluate(llc, library(), {400.0, 48.0, 2000.0});
  EXPECT_NEAR(r.stages[1].loss.total_w(), alone.loss.total_w(), 1e-12 * alone.p_in_w);
  EXPECT_NEAR(r.total.p_in_w, alone.p_in_w / 0.98, 1e-9 * r.total.p_in_w);
}

TEST(Chain, InputSeriesStackIsKModulesAtVinOverKAndPOverK) {
  const ConverterDesign llc = llc_module();
  for (const int k : {1, 2, 3}) {
    const Assembly isop = chain_of({stage_of(physics(llc), k, 1)});
    const double v_in = 400.0 * k;
    for (const double p_w : {0.3e3 * k, 1.5e3 * k, 3e3 * k}) {
      const AssemblyResult r = evaluate(isop, library(), {v_in, 48.0, p_w});
      const ConverterResult one = evaluate(llc, library(), {v_in / k, 48.0, p_w / k});
      EXPECT_NEAR(r.total.loss.total_w(), k * one.loss.total_w(), 1e-12 * p_w) << k;
      EXPECT_NEAR(r.total.efficiency, one.efficiency, 1e-12) << k;
      EXPECT_EQ(r.stages[0].units, k);
      EXPECT_DOUBLE_EQ(r.stages[0].module.point.v_in_v, 400.0);
    }
    EXPECT_DOUBLE_EQ(nominal(isop).v_in_v, v_in);
    EXPECT_DOUBLE_EQ(nominal(isop).rating_w, 3000.0 * k);
  }
}

TEST(Chain, ParallelModulesShareThePower) {
  const ConverterDesign llc = llc_module();
  const Assembly four = chain_of({stage_of(physics(llc), 2, 4)});  // 4 ISOP pairs
  const AssemblyResult r = evaluate(four, library(), {800.0, 48.0, 16e3});
  const ConverterResult one = evaluate(llc, library(), {400.0, 48.0, 2e3});
  EXPECT_NEAR(r.total.loss.total_w(), 8.0 * one.loss.total_w(), 1e-12 * 16e3);
  EXPECT_EQ(r.stages[0].units, 8);
}

TEST(Chain, NestedChainRowsAreScaledToTheirUnits) {
  Assembly inner = chain_of({fixed(0.99, 400, 200, 1000), fixed(0.95, 200, 48, 1000)});
  inner.name = "inner";
  // Two inner chains in input series take 800 V; then a last stage to 12 V.
  const Assembly outer = chain_of({stage_of(inner, 2, 1), fixed(0.9, 48, 12, 5000)});
  const AssemblyResult r = evaluate(outer, library(), {800.0, 12.0, 1000.0});
  EXPECT_NEAR(r.total.efficiency, 0.99 * 0.95 * 0.9, 1e-12);
  ASSERT_EQ(r.stages.size(), 4u);  // inner, its two stages, then the last stage
  EXPECT_EQ(r.stages[0].depth, 0);
  EXPECT_EQ(r.stages[1].depth, 1);
  EXPECT_EQ(r.stages[3].depth, 0);
  EXPECT_EQ(r.stages[2].units, 2);
  EXPECT_NEAR(r.stages[1].loss.total_w() + r.stages[2].loss.total_w(), r.stages[0].loss.total_w(),
              1e-12 * r.total.p_in_w);
  EXPECT_NEAR(r.stages[0].loss.total_w() + r.stages[3].loss.total_w(), r.total.loss.total_w(),
              1e-12 * r.total.p_in_w);
  EXPECT_DOUBLE_EQ(r.stages[1].point.v_in_v, 400.0);  // each inner module sees 800 V / 2
  EXPECT_DOUBLE_EQ(r.stages[3].point.v_in_v, 48.0);   // the inner chain's nominal output
}

TEST(Chain, EfficiencyCurveOfAChainIsItsEvaluation) {
  const Assembly chain =
      chain_of({fixed(0.98, 800, 400, 6000), stage_of(physics(llc_module()), 1, 2)});
  const std::vector<double> loads = {0.1, 0.5, 1.0};
  const auto curve = efficiency_curve(chain, library(), 3, 18e3, 800.0, 48.0, loads);
  ASSERT_EQ(curve.size(), loads.size());
  for (std::size_t i = 0; i < loads.size(); ++i) {
    const double eta =
        evaluate(chain, library(), {800.0, 48.0, loads[i] * 18e3 / 3}).total.efficiency;
    EXPECT_DOUBLE_EQ(curve[i].efficiency, eta);
  }
}

TEST(Chain, AStageThatCannotRunNamesTheStage) {
  ConverterDesign bad = llc_module();
  bad.primary_device = "NO-SUCH-PART";
  const Assembly chain = chain_of({fixed(0.98, 800, 400, 3000), stage_of(physics(bad), 1, 1)});
  try {
    (void)evaluate(chain, library(), {800.0, 48.0, 1000.0});
    FAIL() << "expected a DesignError";
  } catch (const DesignError& e) {
    EXPECT_NE(std::string(e.what()).find("stage 2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("NO-SUCH-PART"), std::string::npos) << e.what();
  }
}

// Shared heatsink: the sink settles where T = T_amb + R P_loss(T); evaluating the design with
// the devices' ambient at that temperature (no sink) gives the same loss.
TEST(SharedHeatsink, SinkTemperatureIsTheFixedPointOfTheLoss) {
  ConverterDesign d = llc_module();
  const ConverterResult cold = evaluate(d, library(), {400.0, 48.0, 3000.0});
  d.r_th_sink_k_per_w = 2.0;
  const ConverterResult hot = evaluate(d, library(), {400.0, 48.0, 3000.0});
  EXPECT_NEAR(hot.t_sink_c, 25.0 + 2.0 * hot.loss.total_w(), 1e-5);
  EXPECT_GT(hot.loss.conduction_w, cold.loss.conduction_w);  // hotter R_DS(on)
  ConverterDesign at = llc_module();
  at.cooling.t_ambient_c = hot.t_sink_c;
  EXPECT_NEAR(evaluate(at, library(), {400.0, 48.0, 3000.0}).loss.total_w(), hot.loss.total_w(),
              1e-6);
  EXPECT_DOUBLE_EQ(cold.t_sink_c, 25.0);
}

TEST(SharedHeatsink, RunawayIsReportedNotHidden) {
  ConverterDesign d = llc_module();
  d.r_th_sink_k_per_w = 1e3;  // 1000 K/W: no operating temperature
  const ConverterResult r = evaluate(d, library(), {400.0, 48.0, 3000.0});
  EXPECT_FALSE(r.thermal_ok);
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_NE(r.warnings.back().find("shared heatsink"), std::string::npos);
}

}  // namespace
}  // namespace g2g::converters

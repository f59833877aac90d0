// converters::junction_trace on the shipped 400 V -> 54 V GaN LLC module (the module of the
// 800 V -> 54 V ISOP rack converter, examples/converters/rack-800v-54v-isop-llc.yaml), and the
// SPEC's `cooling:` heat capacity. docs/converters.md § Junction temperature over a load profile.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "g2g/converters/spec_loader.hpp"
#include "g2g/converters/thermal_trace.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/devices/library.hpp"
#include "g2g/magnetics/library.hpp"
#include "support/test_support.hpp"

namespace g2g::converters {
namespace {

const char* const module_file = "examples/converters/llc-400v-54v-5k5-gan.yaml";

std::string module_text() {
  std::ifstream in(test::source_dir() / module_file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

ConverterDesign module_design() {
  return parse_converter_spec(module_text(), module_file);
}

Library library_of(const std::vector<devices::Device>& parts) {
  return {&parts, &magnetics::default_materials()};
}

OperatingPoint at_load(const ConverterDesign& d, double fraction) {
  return {d.v_in_nominal_v, d.v_out_nominal_v, fraction * d.rating_w};
}

// 10 % load until t = 1 s, then full load, sampled every dt_s until t_end_s.
std::vector<ProfileSample> load_step(const ConverterDesign& d, double dt_s, double t_end_s) {
  std::vector<ProfileSample> profile{{0.0, at_load(d, 0.1)}};
  for (double t = 1.0; t <= t_end_s + 1e-9; t += dt_s) profile.push_back({t, at_load(d, 1.0)});
  return profile;
}

// Decay rate of T_ss - T(t) between samples i and j (1/s).
double decay_rate(const std::vector<double>& t_s, const std::vector<double>& t_c, double t_ss_c,
                  std::size_t i, std::size_t j) {
  return std::log((t_ss_c - t_c[i]) / (t_ss_c - t_c[j])) / (t_s[j] - t_s[i]);
}

TEST(JunctionTrace, LoadStepRisesToTheSteadySolveWithTheSinkTimeConstant) {
  // The shipped module on a shared heatsink of 0.05 K/W and 60 s (test assumptions: the SPEC
  // gives per-die r_th_ca only).
  ConverterDesign d = module_design();
  d.r_th_sink_k_per_w = 0.05;
  d.tau_sink_s = 60.0;
  const auto& parts = devices::default_devices();
  const Library lib = library_of(parts);
  const auto profile = load_step(d, 1.0, 1201.0);  // 20 tau
  const JunctionTrace trace = junction_trace(d, lib, profile);
  const ConverterResult steady = evaluate(d, lib, at_load(d, 1.0));
  const ConverterResult light = evaluate(d, lib, at_load(d, 0.1));
  ASSERT_EQ(trace.positions.size(), steady.switches.size());
  EXPECT_DOUBLE_EQ(trace.sink_tau_s, 60.0);
  for (std::size_t p = 0; p < trace.positions.size(); ++p) {
    const PositionTrace& pos = trace.positions[p];
    EXPECT_EQ(pos.position, steady.switches[p].position);
    EXPECT_FALSE(pos.foster);  // GS66516B and EPC2218: no Foster table (static junction-case)
    // Starts at the light-load steady state, rises monotonically, ends at the full-load one.
    EXPECT_NEAR(pos.t_j_c.front(), light.switches[p].thermal.t_j_c, 1e-3) << pos.position;
    for (std::size_t k = 1; k < pos.t_j_c.size(); ++k)
      ASSERT_GE(pos.t_j_c[k], pos.t_j_c[k - 1] - 1e-9) << pos.position << " at " << k;
    const double t_ss = steady.switches[p].thermal.t_j_c;
    EXPECT_GT(t_ss - pos.t_j_c.front(), 2.0) << pos.position;  // a real step
    EXPECT_NEAR(pos.t_j_c.back(), t_ss, 0.1) << pos.position;
    // One pole (the sink): T_ss - T decays as e^(-t/60 s), give or take the loss's own rise
    // with temperature (R_sink dP/dT, well under 5 %).
    const double rate = decay_rate(trace.t_s, pos.t_j_c, t_ss, 121, 301);
    EXPECT_NEAR(rate, 1.0 / 60.0, 0.05 / 60.0) << pos.position;
    EXPECT_FALSE(pos.over_limit);
  }
  EXPECT_NEAR(trace.t_sink_c.back(), steady.t_sink_c, 0.1);
  EXPECT_NEAR(trace.loss_w.back(), steady.loss.total_w(), 1e-3 * steady.loss.total_w());
  EXPECT_EQ(trace.unconverged_steps, 0u);
  EXPECT_LE(trace.evaluations, 2u);  // two distinct operating points
}

TEST(JunctionTrace, FosterPartSettlesAtItsLargestTimeConstant) {
  // GS66516B given a three-term table summing to its r_th_jc (test values, not the datasheet's:
  // none is published, data/devices/README.md); no heatsink capacity: the table is the only
  // dynamics.
  std::vector<devices::Device> parts = devices::default_devices();
  for (auto& part : parts)
    if (part.name == "GS66516B") part.z_th_jc = {{0.05, 1e-4}, {0.15, 3e-3}, {0.1, 0.05}};
  const Library lib = library_of(parts);
  const ConverterDesign d = module_design();
  const auto profile = load_step(d, 1e-3, 2.0);
  const JunctionTrace trace = junction_trace(d, lib, profile);
  const ConverterResult steady = evaluate(d, lib, at_load(d, 1.0));
  ASSERT_EQ(trace.positions.size(), 2u);
  const PositionTrace& primary = trace.positions[0];
  const PositionTrace& rectifier = trace.positions[1];
  ASSERT_TRUE(primary.foster);
  ASSERT_FALSE(rectifier.foster);
  // The Foster part: to the steady solve (its R sum is r_th_jc) at the 50 ms rate.
  const double t_ss = steady.switches[0].thermal.t_j_c;
  EXPECT_NEAR(primary.t_j_c.back(), t_ss, 0.1);
  // Samples 1 + 50 and 1 + 200: 1 and 4 times 50 ms after the step (the 3 ms term e^-16 gone).
  // The loss's rise with T_j shifts the rate by P' (R_total - R_3) / (1 - ...): well under 5 %.
  const double rate = decay_rate(trace.t_s, primary.t_j_c, t_ss, 51, 201);
  EXPECT_NEAR(rate, 1.0 / 0.05, 0.05 / 0.05);
  // 1 ms after the step the 0.1 ms term has risen, the 3 ms term by 1 - e^(-1/3), the 50 ms one
  // by 2 %: what is left is dP (0.15 e^(-1/3) + 0.1 e^(-0.02)) = 0.205 dP K.
  const double d_loss_w = steady.switches[0].thermal.loss_w - trace.positions[0].loss_w.front();
  const double left_k = t_ss - primary.t_j_c[2];
  EXPECT_GT(left_k, 0.18 * d_loss_w);
  EXPECT_LT(left_k, 0.23 * d_loss_w);
  // The static part is at its steady state one step after the load step.
  EXPECT_NEAR(rectifier.t_j_c[2], steady.switches[1].thermal.t_j_c, 1e-4);
}

TEST(JunctionTrace, StepsLongAgainstEveryPoleLandOnTheSteadyPoint) {
  ConverterDesign d = module_design();
  d.r_th_sink_k_per_w = 0.05;
  d.c_th_sink_j_per_k = 1200.0;  // tau = 60 s
  const Library lib = library_of(devices::default_devices());
  std::vector<ProfileSample> profile;
  const double loads[] = {0.3, 1.0, 0.6, 0.1, 0.9};
  profile.reserve(5);
  for (int k = 0; k < 5; ++k) profile.push_back({k * 1e5, at_load(d, loads[k])});
  TraceOptions options;
  options.start = TraceOptions::Start::ambient;
  const JunctionTrace trace = junction_trace(d, lib, profile, options);
  EXPECT_DOUBLE_EQ(trace.sink_tau_s, 60.0);
  EXPECT_DOUBLE_EQ(trace.positions[0].t_j_c[0], d.cooling.t_ambient_c);  // cold start
  for (std::size_t k = 1; k < profile.size(); ++k) {
    // The loss over step k-1 lands T_j on the steady state of sample k-1.
    const ConverterResult steady = evaluate(d, lib, profile[k - 1].point);
    for (std::size_t p = 0; p < 2; ++p)
      EXPECT_NEAR(trace.positions[p].t_j_c[k], steady.switches[p].thermal.t_j_c, 1e-3) << k;
    EXPECT_NEAR(trace.t_sink_c[k], steady.t_sink_c, 1e-3) << k;
  }
}

TEST(JunctionTrace, SquareWaveReusesItsTwoPointsAndRipples) {
  ConverterDesign d = module_design();
  d.tau_sink_s = 5.0;  // each die's own case-to-ambient path (no shared sink)
  const Library lib = library_of(devices::default_devices());
  std::vector<ProfileSample> profile;
  profile.reserve(2000);
  for (int k = 0; k < 2000; ++k)
    profile.push_back({0.5 * k, at_load(d, k % 4 < 2 ? 1.0 : 0.2)});  // 1 s high, 1 s low
  const JunctionTrace trace = junction_trace(d, lib, profile);
  EXPECT_LE(trace.evaluations, 2u);
  const auto& t = trace.positions[0].t_j_c;
  // Periodic: the last two periods agree; the swing is a fraction of the steady difference.
  EXPECT_NEAR(t[1999], t[1995], 1e-6);
  const double swing =
      *std::max_element(t.end() - 4, t.end()) - *std::min_element(t.end() - 4, t.end());
  const double full = evaluate(d, lib, at_load(d, 1.0)).switches[0].thermal.t_j_c -
                      evaluate(d, lib, at_load(d, 0.2)).switches[0].thermal.t_j_c;
  EXPECT_GT(swing, 0.01 * full);
  EXPECT_LT(swing, full);
}

TEST(JunctionTrace, ProfileErrorsSayWhichSample) {
  const ConverterDesign d = module_design();
  const Library lib = library_of(devices::default_devices());
  const std::vector<ProfileSample> empty;
  EXPECT_THROW(junction_trace(d, lib, empty), DesignError);
  const std::vector<ProfileSample> unsorted{
      {0.0, at_load(d, 0.5)}, {1.0, at_load(d, 0.5)}, {1.0, at_load(d, 0.7)}};
  try {
    junction_trace(d, lib, unsorted);
    FAIL() << "an unsorted profile was accepted";
  } catch (const DesignError& e) {
    EXPECT_EQ(e.field(), "profile");
    EXPECT_NE(e.message().find("sample 2 at t = 1 s is not after sample 1"), std::string::npos)
        << e.message();
  }
  const std::vector<ProfileSample> bad_point{{0.0, at_load(d, 0.5)}, {1.0, {400.0, 0.0, 100.0}}};
  try {
    junction_trace(d, lib, bad_point);
    FAIL() << "v_out = 0 was accepted";
  } catch (const DesignError& e) {
    EXPECT_NE(e.message().find("profile sample 1 (t = 1 s)"), std::string::npos) << e.message();
  }
}

// ---- the SPEC's cooling heat capacity ----

std::string with_cooling(const std::string& lines) {
  std::string text = module_text();
  const std::string anchor = "    r_th_ca: 5 K/W";
  const auto at = text.find(anchor);
  EXPECT_NE(at, std::string::npos);
  return text.insert(at + anchor.size(), "\n" + lines);
}

std::string spec_diagnostics(const std::string& text) {
  try {
    parse_converter_spec(text, "spec.yaml");
  } catch (const core::ModelError& e) {
    return e.diagnostics().to_string();
  }
  return {};
}

TEST(CoolingSpec, ReadsTheHeatsinkCapacityOrTimeConstant) {
  const ConverterDesign c = parse_converter_spec(with_cooling("    c_th_sink: 0.8 kJ/K"), "s.yaml");
  EXPECT_DOUBLE_EQ(c.c_th_sink_j_per_k, 800.0);
  EXPECT_DOUBLE_EQ(sink_time_constant_s(c), 5.0 * 800.0);  // r_th_ca x C: no shared sink
  const ConverterDesign t = parse_converter_spec(with_cooling("    tau_sink: 60 s"), "s.yaml");
  EXPECT_DOUBLE_EQ(t.tau_sink_s, 60.0);
  EXPECT_DOUBLE_EQ(sink_time_constant_s(t), 60.0);
  EXPECT_DOUBLE_EQ(sink_time_constant_s(module_design()), 0.0);  // static when absent
}

TEST(CoolingSpec, BadHeatCapacitiesAreLocated) {
  const std::string both =
      spec_diagnostics(with_cooling("    c_th_sink: 800 J/K\n    tau_sink: 60 s"));
  EXPECT_NE(both.find("both give the heatsink's heat capacity"), std::string::npos) << both;
  const std::string no_unit = spec_diagnostics(with_cooling("    c_th_sink: 800 J"));
  EXPECT_NE(no_unit.find("spec.yaml:"), std::string::npos) << no_unit;
  EXPECT_NE(no_unit.find("not a heat capacity in J/K"), std::string::npos) << no_unit;
  const std::string negative = spec_diagnostics(with_cooling("    c_th_sink: -800 J/K"));
  EXPECT_NE(negative.find("greater than zero"), std::string::npos) << negative;
  const std::string zero_tau = spec_diagnostics(with_cooling("    tau_sink: 0 s"));
  EXPECT_NE(zero_tau.find("tau_sink must be greater than zero"), std::string::npos) << zero_tau;
}

}  // namespace
}  // namespace g2g::converters

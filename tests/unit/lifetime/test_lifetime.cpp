// The lifetime study's heatsink assumption sets and profiles, run on the reference rack converter
// (examples/converters/rack-800v-54v-isop-llc.yaml): every load runs under every set; a set that
// keeps the SPEC's (static) cooling and a `static` set agree exactly; a sink time constant
// narrows the swing of the case-to-ambient path by the closed form of a first-order filter driven
// by a periodic rectangular loss; a profile with no swing wears nothing.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "g2g/api/converter.hpp"
#include "g2g/io/converter_designs.hpp"
#include "g2g/lifetime/study.hpp"
#include "support/test_support.hpp"

namespace g2g::lifetime {
namespace {

struct Converter {
  io::LoadedConverterSpec spec;
  converters::Library library;
};

const Converter& rack_converter() {
  static const Converter c = [] {
    Converter out{
        io::load_converter_spec(test::example_path("converters/rack-800v-54v-isop-llc.yaml")), {}};
    out.library = api::converter_library(out.spec);
    return out;
  }();
  return c;
}

// The example's load (rack-800v-swings.yaml) at one period, with jumps instead of edges so that
// the loss is a rectangle wave.
LifetimeStudy study(double period_s) {
  LifetimeStudy s;
  s.rack_power_w = 130e3;
  s.converters_per_rack = 12;
  s.warm_up_s = 50.0;
  s.duration_s = 40.0;
  s.time_step_s = 5e-3;
  s.training = {0.0, 0.6, 1.0, 0.2, 0.0, 0.0};
  s.periods_s = {period_s};
  s.families = {{"GS66516B", "gan-discrete"}, {"EPC2218", "gan-chip-scale"}};
  return s;
}

TEST(LifetimeRun, EveryLoadRunsUnderEverySetAndTheStaticSetIsTheSpec) {
  LifetimeStudy s = study(1.0);
  s.heatsinks = {{"as the SPEC", true, 0.0}, {"static", false, 0.0}, {"5 s", false, 5.0}};
  dynamic::ProfileSpec quiet;
  quiet.pattern = dynamic::ConstantUtilisation{0.8};
  s.profiles = {{"constant 80 %", "quiet.yaml", quiet}};
  const auto& c = rack_converter();
  const LifetimeResult r = run_study(s, c.spec.assembly, c.library);
  ASSERT_EQ(r.cases.size(), 3u * 2u);  // 3 sets x (1 period + 1 profile), no smoothing
  ASSERT_EQ(r.heatsinks.size(), 3u);
  EXPECT_EQ(r.cases[0].heatsink, "as the SPEC");
  EXPECT_EQ(r.cases[1].profile, "constant 80 %");
  EXPECT_EQ(r.cases[5].heatsink, "5 s");
  EXPECT_EQ(r.reference, "1 s, heatsink as the SPEC");
  for (std::size_t p = 0; p < r.cases[0].positions.size(); ++p) {
    EXPECT_EQ(r.cases[0].positions[p].damage_per_year, r.cases[2].positions[p].damage_per_year);
    EXPECT_EQ(r.cases[0].positions[p].largest_swing_k, r.cases[2].positions[p].largest_swing_k);
    EXPECT_GT(r.cases[0].positions[p].largest_swing_k, 1.0);
    // A constant load: no swing above the solver's noise, no wear.
    EXPECT_EQ(r.cases[1].positions[p].damage_per_year, 0.0);
    EXPECT_EQ(r.cases[3].positions[p].damage_per_year, 0.0);
    // The sink's heat capacity narrows the 1 s swing.
    EXPECT_LT(r.cases[4].positions[p].largest_swing_k,
              0.5 * r.cases[0].positions[p].largest_swing_k);
  }
}

// A first-order node (R, tau) driven by a loss stepping dP high for D T and low for (1 - D) T
// swings peak to peak, in its periodic steady state, by
//   R dP (1 - e^(-D T/tau)) (1 - e^(-(1-D) T/tau)) / (1 - e^(-T/tau)).
// The junction adds the junction-to-case swing R_jc dP (its Foster poles are milliseconds: fully
// followed at a 10 s period). From the static case's swing dP (R_ca + R_jc), the swing with the
// sink follows without any fitted number. The loss is not exactly a rectangle (R_DS(on) follows
// T_j), hence 3 %.
TEST(LifetimeRun, SinkTimeConstantFiltersTheCaseSwingAsAFirstOrderNode) {
  const double period_s = 10.0;
  const double tau_s = 5.0;
  LifetimeStudy s = study(period_s);
  s.duration_s = 60.0;
  s.heatsinks = {{"static", false, 0.0}, {"5 s", false, tau_s}};
  const auto& c = rack_converter();
  const LifetimeResult r = run_study(s, c.spec.assembly, c.library);
  ASSERT_EQ(r.cases.size(), 2u);
  const auto& design = c.spec.assembly.stages.at(0).module.design;
  const double r_ca = design.cooling.r_th_ca_k_per_w;
  const double d = 0.6;
  const double f = (1 - std::exp(-d * period_s / tau_s)) *
                   (1 - std::exp(-(1 - d) * period_s / tau_s)) / (1 - std::exp(-period_s / tau_s));
  for (std::size_t p = 0; p < r.cases[0].positions.size(); ++p) {
    const auto& still = r.cases[0].positions[p];
    const devices::Device* part = c.library.device(still.device);
    ASSERT_NE(part, nullptr) << still.device;
    const double r_jc = part->r_th_jc_k_per_w;
    const double expected = still.largest_swing_k * (r_ca * f + r_jc) / (r_ca + r_jc);
    EXPECT_NEAR(r.cases[1].positions[p].largest_swing_k, expected, 0.03 * expected)
        << still.position << ": static swing " << still.largest_swing_k;
  }
}

}  // namespace
}  // namespace g2g::lifetime

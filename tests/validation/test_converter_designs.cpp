// Published converter designs (examples/converters/*.yaml) evaluated with their published parts,
// frequency and magnetics; the computed efficiency is compared with the published figure and the
// error recorded (docs/validation.md § Converters). The test asserts that each design runs and
// gives a physical result, and records the error whatever it is; the bound asserted on the error
// is a loose one the model meets (see docs/validation.md), not the ±0.5-point target.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "g2g/converters/converter.hpp"
#include "g2g/converters/spec_loader.hpp"
#include "g2g/devices/library.hpp"
#include "g2g/magnetics/library.hpp"
#include "support/test_support.hpp"

namespace g2g::converters {
namespace {

using g2g::test::read_text;

// Efficiency at a published point: at its load, or the maximum over 2..100 % of rating when the
// published figure is a peak whose load was not given.
double computed_efficiency(const ConverterDesign& d, const Library& lib, const PublishedPoint& p,
                           double* at_load_w) {
  *at_load_w = p.point.p_out_w;
  if (!p.peak) return evaluate(d, lib, p.point).efficiency;
  double best = 0.0;
  for (int percent = 2; percent <= 100; ++percent) {
    OperatingPoint q = p.point;
    q.p_out_w = d.rating_w * percent / 100.0;
    const double eta = evaluate(d, lib, q).efficiency;
    if (eta > best) {
      best = eta;
      *at_load_w = q.p_out_w;
    }
  }
  return best;
}

// Loss at a published point: published P (1/eta - 1) against the model's, at the same load (the
// model's peak load for a peak figure). Returns the relative error; prints and records both.
double loss_error(const std::string& name, const PublishedPoint& p, double load_w,
                  const ConverterResult& r) {
  const double published_w = load_w * (1.0 / p.efficiency - 1.0);
  const double computed_w = r.loss.total_w();
  const double error = computed_w / published_w - 1.0;
  const std::string line = fmt::format(
      "{} | {:g} W | loss published {:.2f} W | computed {:.2f} W | error {:+.2f} W "
      "({:+.1f} %) | devices' ambient {:.1f} C",
      name, load_w, published_w, computed_w, computed_w - published_w, 100.0 * error, r.t_sink_c);
  std::cout << "[validation] " << line << "\n";
  ::testing::Test::RecordProperty(fmt::format("loss_{:g}W", load_w), line);
  return error;
}

// Stated bounds (docs/validation.md): efficiency within 3 points, loss within 50 % of the
// published loss, at every published point.
constexpr double efficiency_bound_pp = 3.0;
constexpr double loss_bound = 0.5;

class ConverterDesigns : public ::testing::TestWithParam<const char*> {};

TEST_P(ConverterDesigns, PublishedEfficiency) {
  const auto path = test::example_path("converters") / GetParam();
  const ConverterSpec spec = parse_converter_spec_file(read_text(path), path.string());
  const Library lib{&devices::default_devices(), &magnetics::default_materials()};
  for (const std::string& part : {spec.design.primary_device, spec.design.secondary_device}) {
    if (!part.empty() && lib.device(part) == nullptr)
      GTEST_SKIP() << spec.design.name << ": device " << part
                   << " is not in data/devices/ yet (the design needs it)";
  }
  ASSERT_FALSE(spec.published.empty());
  for (const PublishedPoint& p : spec.published) {
    double load_w = 0.0;
    const double eta = computed_efficiency(spec.design, lib, p, &load_w);
    const ConverterResult r = evaluate(spec.design, lib, {p.point.v_in_v, p.point.v_out_v, load_w});
    const double error_pp = 100.0 * (eta - p.efficiency);
    const std::string line = fmt::format(
        "{} | {:g} V -> {:g} V, {:g} W{} | published {:.2f} % | computed {:.2f} % | error "
        "{:+.2f} pp | losses W: cond {:.2f} sw {:.2f} dead {:.2f} gate {:.2f} core {:.2f} "
        "wind {:.2f} cap {:.2f} | zvs {} | T_j max {:.0f} C",
        spec.design.name, p.point.v_in_v, p.point.v_out_v, load_w, p.peak ? " (model peak)" : "",
        100.0 * p.efficiency, 100.0 * eta, error_pp, r.loss.conduction_w, r.loss.switching_w,
        r.loss.dead_time_w, r.loss.gate_w, r.loss.core_w, r.loss.winding_w, r.loss.capacitor_w,
        r.zvs_all ? "yes" : "no",
        std::max_element(r.switches.begin(), r.switches.end(),
                         [](const SwitchReport& a, const SwitchReport& b) {
                           return a.thermal.t_j_c < b.thermal.t_j_c;
                         })
            ->thermal.t_j_c);
    std::cout << "[validation] " << line << "\n";
    RecordProperty(fmt::format("{:g}W", load_w), line);
    EXPECT_TRUE(std::isfinite(eta));
    EXPECT_GT(eta, 0.5);
    EXPECT_LT(eta, 1.0);
    EXPECT_NEAR(r.p_in_w, r.point.p_out_w + r.loss.total_w(), 1e-9 * r.p_in_w);
    // Loose bounds, met by every design at the time of writing (docs/validation.md); the ±0.5
    // point target is reported, not asserted.
    EXPECT_LT(std::abs(error_pp), efficiency_bound_pp) << line;
    EXPECT_LT(std::abs(loss_error(spec.design.name, p, load_w, r)), loss_bound) << line;
  }
}

INSTANTIATE_TEST_SUITE_P(Published, ConverterDesigns,
                         ::testing::Values("epc9149-llc-48v-12v.yaml",
                                           "cpes-3kw-llc-400v-48v.yaml"));

}  // namespace
}  // namespace g2g::converters

// ---- AC->DC designs (totem-pole PFC), appended by the PFC/AFE work ----

namespace g2g::converters {
namespace {

ConverterSpec read_spec(const char* file) {
  const auto path = test::example_path("converters") / file;
  return parse_converter_spec_file(read_text(path), path.string());
}

TEST(ConverterDesignsAcDc, PublishedEfficiency) {
  const Library lib{&devices::default_devices(), &magnetics::default_materials()};
  for (const char* file : {"transphorm-totem-pole-pfc-230v-400v.yaml"}) {
    const ConverterSpec spec = read_spec(file);
    ASSERT_FALSE(spec.published.empty()) << file;
    for (const PublishedPoint& p : spec.published) {
      double load_w = 0.0;
      const double eta = computed_efficiency(spec.design, lib, p, &load_w);
      const ConverterResult r =
          evaluate(spec.design, lib, {p.point.v_in_v, p.point.v_out_v, load_w});
      const double error_pp = 100.0 * (eta - p.efficiency);
      double t_j_max = 0.0;
      for (const SwitchReport& s : r.switches) t_j_max = std::max(t_j_max, s.thermal.t_j_c);
      const std::string line = fmt::format(
          "{} | {:g} V -> {:g} V, {:g} W{} | published {:.2f} % | computed {:.2f} % | error "
          "{:+.2f} pp | losses W: cond {:.2f} sw {:.2f} dead {:.2f} gate {:.2f} core {:.2f} "
          "wind {:.2f} cap {:.2f} | zvs {} | T_j max {:.0f} C",
          spec.design.name, p.point.v_in_v, p.point.v_out_v, load_w, p.peak ? " (model peak)" : "",
          100.0 * p.efficiency, 100.0 * eta, error_pp, r.loss.conduction_w, r.loss.switching_w,
          r.loss.dead_time_w, r.loss.gate_w, r.loss.core_w, r.loss.winding_w, r.loss.capacitor_w,
          r.zvs_all ? "yes" : "no", t_j_max);
      std::cout << "[validation] " << line << "\n";
      RecordProperty(fmt::format("{:g}W", load_w), line);
      EXPECT_TRUE(std::isfinite(eta));
      EXPECT_GT(eta, 0.5);
      EXPECT_LT(eta, 1.0);
      EXPECT_NEAR(r.p_in_w, r.point.p_out_w + r.loss.total_w(), 1e-9 * r.p_in_w);
      EXPECT_TRUE(r.thermal_ok) << line;
      // Same loose bounds as the DC/DC designs; the ±0.5 point target is reported, not asserted.
      EXPECT_LT(std::abs(error_pp), efficiency_bound_pp) << line;
      EXPECT_LT(std::abs(loss_error(spec.design.name, p, load_w, r)), loss_bound) << line;
    }
  }
}

// The same PFC with the fast leg in each technology of the library at the same frequency,
// inductor and cooling: e-mode/cascode GaN, SiC, Si superjunction (docs/validation.md). The
// superjunction's body-diode Q_rr, recovered at every hard turn-on, is what rules it out of the
// hard-switched totem-pole; asserted as the ordering the physics gives, figures printed.
TEST(ConverterDesignsAcDc, FastLegTechnologies) {
  const Library lib{&devices::default_devices(), &magnetics::default_materials()};
  const ConverterSpec spec = read_spec("transphorm-totem-pole-pfc-230v-400v.yaml");
  const OperatingPoint op{230.0, 400.0, 1000.0};
  double eta_gan = 0.0, eta_sic = 0.0, eta_sj = 0.0;
  for (const char* part : {"TP65H050WSQA", "GS66508P", "C3M0065090D", "IPW60R040C7"}) {
    ConverterDesign d = spec.design;
    d.primary_device = part;
    const ConverterResult r = evaluate(d, lib, op);
    std::cout << "[validation] fast leg " << part << ": "
              << fmt::format(
                     "{:.2f} % (switching {:.2f} W, of which reverse recovery {:.2f} W; "
                     "conduction {:.2f} W)",
                     100.0 * r.efficiency, r.loss.switching_w,
                     r.switches[0].count * r.switches[0].loss.reverse_recovery_w,
                     r.loss.conduction_w)
              << "\n";
    const std::string name = part;
    if (name == "TP65H050WSQA") eta_gan = r.efficiency;
    if (name == "C3M0065090D") eta_sic = r.efficiency;
    if (name == "IPW60R040C7") eta_sj = r.efficiency;
  }
  EXPECT_GT(eta_gan, eta_sj + 0.01);
  EXPECT_GT(eta_sic, eta_sj + 0.01);
}

}  // namespace
}  // namespace g2g::converters

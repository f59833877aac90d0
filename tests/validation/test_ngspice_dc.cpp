// Cross-check of the DC power flow against ngspice, an independent circuit simulator: random
// meshed DC networks with constant power, current and impedance loads are solved by both, and
// every bus voltage must agree to 1e-6 relative. Method and results: docs/validation.md.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>

#include "g2g/api/model.hpp"
#include "g2g/io/files.hpp"
#include "g2g/steady/solver.hpp"
#include "g2g/synth/networks.hpp"
#include "support/ngspice.hpp"
#include "support/test_support.hpp"
#include "validation/spice_netlist.hpp"

namespace g2g {
namespace {

constexpr double max_relative_error = 1e-6;

std::filesystem::path write_netlist(const model::ModelSpec& model, const std::string& name) {
  auto path = test::scratch_dir("ngspice_" + name) / "network.cir";
  std::ofstream(path) << test::write_spice_dc_netlist(model);
  return path;
}

// The smallest case, checked against hand-worked answers, so a wrong netlist convention or a
// parse slip shows up here rather than as a mystery in the random cases. 800 V source, 1 ohm to
// bus 1. Constant power 8 kW: V (800 - V) = 8000, V = (800 + sqrt(800^2 - 4 * 8000)) / 2.
// Constant current (p_w 8 kW at 800 V nominal, 10 A): V = 790. Constant impedance (80 ohm):
// V = 800 * 80 / 81.
TEST(NgspiceDc, MatchesHandWorkedAnswers) {
  if (test::require_ngspice().empty()) return;
  const struct {
    model::LoadModel load_model;
    double expected_v;
  } cases[] = {
      {model::LoadModel::constant_power, (800.0 + std::sqrt(800.0 * 800.0 - 4.0 * 8000.0)) / 2.0},
      {model::LoadModel::constant_current, 790.0},
      {model::LoadModel::constant_impedance, 800.0 * 80.0 / 81.0},
  };
  for (const auto& c : cases) {
    model::ModelSpec m;
    m.name = "two_bus";
    for (int b = 0; b < 2; ++b) {
      model::Bus bus;
      bus.id = fmt::format("b{}", b);
      bus.kind = model::BusKind::dc;
      bus.nominal_voltage_v = 800.0;
      m.buses.push_back(bus);
    }
    model::Source source;
    source.id = "s0";
    source.type = model::SourceType::dc_source;
    source.bus = 0;
    m.sources.push_back(source);
    model::Line line;
    line.id = "l0";
    line.from = 0;
    line.to = 1;
    line.r_ohm = 1.0;
    m.lines.push_back(line);
    model::Load load;
    load.id = "d0";
    load.model = c.load_model;
    load.bus = 1;
    load.p_w = 8000.0;
    m.loads.push_back(load);

    const auto run = test::run_ngspice(write_netlist(m, "two_bus"), m.buses.size());
    EXPECT_DOUBLE_EQ(run.voltages_v[0], 800.0);
    EXPECT_NEAR(run.voltages_v[1], c.expected_v, 1e-9 * 800.0);
    const auto result = steady::solve(m);
    ASSERT_TRUE(result.converged);
    EXPECT_NEAR(result.buses[1].voltage_v, c.expected_v, 1e-9 * 800.0);
  }
}

TEST(NgspiceDc, ParsesPrintedVoltagesAndRejectsMissingOnes) {
  const std::string output =
      "Note: No compatibility mode selected!\n"
      "n0 = 8.0000000000000000e+02\n"
      "n2 = 7.9e+02\r\n"
      "vs0#branch = -1.0e+01\n"
      "n1 = 7.9987177379235857e+02\n";
  const auto volts = test::parse_ngspice_voltages(output, 3);
  EXPECT_DOUBLE_EQ(volts[0], 800.0);
  EXPECT_DOUBLE_EQ(volts[1], 7.9987177379235857e+02);
  EXPECT_DOUBLE_EQ(volts[2], 790.0);
  EXPECT_THROW((void)test::parse_ngspice_voltages(output, 4), std::runtime_error);
}

struct RandomCase {
  std::int64_t bus_count;
  std::uint64_t seed;
  synth::TreeShape shape;
  double mesh_tie_fraction;
};

std::string case_name(const testing::TestParamInfo<RandomCase>& info) {
  const auto& c = info.param;
  return std::to_string(c.bus_count) + "_buses_seed" + std::to_string(c.seed) +
         (c.shape == synth::TreeShape::fanout ? "_fanout" : "_random") +
         (c.mesh_tie_fraction > 0.0 ? "_meshed" : "_radial");
}

class NgspiceRandomDc : public testing::TestWithParam<RandomCase> {};

TEST_P(NgspiceRandomDc, BusVoltagesAgreeWithin1e6) {
  if (test::require_ngspice().empty()) return;
  const auto& c = GetParam();
  synth::DcNetworkParams params;
  params.bus_count = c.bus_count;
  params.seed = c.seed;
  params.shape = c.shape;
  params.mesh_tie_fraction = c.mesh_tie_fraction;
  const model::ModelSpec m = synth::random_dc_network(params);
  const auto diagnostics = api::check(m);
  ASSERT_FALSE(diagnostics.has_errors()) << diagnostics.to_string();

  const auto spice = test::run_ngspice(
      write_netlist(m, case_name(testing::TestParamInfo<RandomCase>(c, 0))), m.buses.size());
  const auto result = steady::solve(m);
  ASSERT_TRUE(result.converged);
  ASSERT_EQ(result.buses.size(), m.buses.size());

  double worst = 0.0;
  std::size_t worst_bus = 0;
  double v_min_pu = 2.0;
  for (std::size_t b = 0; b < m.buses.size(); ++b) {
    const double error =
        std::abs(result.buses[b].voltage_v - spice.voltages_v[b]) / std::abs(spice.voltages_v[b]);
    if (error > worst) {
      worst = error;
      worst_bus = b;
    }
    v_min_pu = std::min(v_min_pu, result.buses[b].v_pu);
  }
  EXPECT_LT(worst, max_relative_error)
      << "bus " << m.buses[worst_bus].id << ": grid2gpu " << result.buses[worst_bus].voltage_v
      << " V, ngspice " << spice.voltages_v[worst_bus] << " V";
  // The generator's sizing keeps the case realistic (and the comparison meaningful).
  EXPECT_GT(v_min_pu, 0.9);
  RecordProperty("max_relative_error", fmt::format("{:.3e}", worst));
  RecordProperty("v_min_pu", fmt::format("{:.4f}", v_min_pu));
}

INSTANTIATE_TEST_SUITE_P(
    Sizes, NgspiceRandomDc,
    testing::Values(RandomCase{20, 1, synth::TreeShape::random_recursive, 0.1},
                    RandomCase{20, 2, synth::TreeShape::random_recursive, 0.3},
                    RandomCase{200, 3, synth::TreeShape::random_recursive, 0.1},
                    RandomCase{200, 4, synth::TreeShape::fanout, 0.2},
                    RandomCase{200, 5, synth::TreeShape::random_recursive, 0.0},
                    RandomCase{2000, 6, synth::TreeShape::random_recursive, 0.1},
                    RandomCase{2000, 7, synth::TreeShape::fanout, 0.1},
                    RandomCase{2000, 8, synth::TreeShape::random_recursive, 0.3},
                    RandomCase{20000, 9, synth::TreeShape::random_recursive, 0.1}),
    case_name);

}  // namespace
}  // namespace g2g

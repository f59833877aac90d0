// Model converters with `design:`: the physics design's losses reach the power flow.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "g2g/api/model.hpp"
#include "g2g/converters/chain.hpp"
#include "g2g/converters/spec_loader.hpp"
#include "g2g/converters/tabulate.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/devices/library.hpp"
#include "g2g/io/converter_designs.hpp"
#include "g2g/io/files.hpp"
#include "g2g/magnetics/library.hpp"
#include "g2g/steady/solver.hpp"
#include "support/test_support.hpp"

namespace g2g::io {
namespace {

namespace fs = std::filesystem;

TEST(ConverterDesigns, ModelLossIsModulesTimesTheDesignLoss) {
  const fs::path model_path = test::example_path("physics-48v-rack-shelf.yaml");
  const model::ModelSpec m = api::load_model(model_path).take_spec();
  ASSERT_EQ(m.converters.size(), 1u);
  const auto& c = m.converters[0];
  EXPECT_EQ(c.redundancy.modules, 10);
  EXPECT_EQ(c.redundancy.installed, 10);
  ASSERT_EQ(c.efficiency.size(), converters::default_load_fractions().size());

  const auto r = steady::solve(m);
  ASSERT_TRUE(r.converged);
  double loss_w = 0.0, p_out_w = 0.0;
  for (const auto& e : r.elements)
    if (e.type == steady::ElementType::converter) loss_w = e.loss_w, p_out_w = e.p_out_w;
  ASSERT_NEAR(p_out_w, 8e3, 1e-6);

  // 8 kW over 10 modules is 800 W each: 80 % of the rating, a tabulated point, so the power
  // flow's loss is exactly ten times the design's loss at 800 W, 48 V -> 12 V.
  const fs::path spec_path = model_path.parent_path() / c.design_file;
  std::ifstream in(spec_path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto design = converters::parse_converter_spec(text, spec_path.string());
  const converters::Library library{&devices::default_devices(), &magnetics::default_materials()};
  const auto one = converters::evaluate(design, library, {48.0, 12.0, 800.0});
  EXPECT_NEAR(loss_w, 10.0 * (one.p_in_w - 800.0), 1e-6 * loss_w);
}

// A 400 V -> 48 V model whose converter uses the SPEC `design` (two modules, 3 kW load).
void write_llc_model(const fs::path& path, const std::string& design) {
  std::ofstream(path) << fmt::format(R"(grid2gpu: 1
buses:
  - {{id: a, kind: dc, voltage: 400 V}}
  - {{id: b, kind: dc, voltage: 48 V}}
components:
  - {{id: s, type: dc_source, bus: a}}
  - {{id: llc, type: dcdc, input: a, output: b, rating: 6 kW, design: {}, modules: 2}}
  - {{id: l, type: load, bus: b, power: 3 kW}}
)",
                                     design);
}

// A SPEC may bring its own parts (device_library, relative to the SPEC): a model converter using
// it finds a part the built-in library does not have.
TEST(ConverterDesigns, SpecDeviceLibraryProvidesUserParts) {
  const fs::path dir = test::scratch_dir("converter-design-user-parts");
  std::ifstream in(test::example_path("converters/cpes-3kw-llc-400v-48v.yaml"));
  std::string spec((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = spec.find("secondary_device: EPC2218");
  ASSERT_NE(at, std::string::npos);
  spec.replace(at, 25, "secondary_device: MY-SR-100V");
  // The parts sit below the SPEC: a SPEC may only name files inside its own directory.
  fs::create_directories(dir / "parts");
  fs::copy_file(test::source_dir() / "tests/cases/user-parts/parts.yaml", dir / "parts/parts.yaml",
                fs::copy_options::overwrite_existing);
  std::ofstream(dir / "llc.yaml") << "device_library: parts\n" << spec;
  write_llc_model(dir / "m.yaml", "llc.yaml");
  const model::ModelSpec m = api::load_model(dir / "m.yaml").take_spec();
  ASSERT_FALSE(m.converters[0].efficiency.empty());
  // The same design with the built-in EPC2218 gives the same curve: the part is a copy.
  std::ofstream(dir / "builtin.yaml") << spec.replace(spec.find("MY-SR-100V"), 10, "EPC2218");
  write_llc_model(dir / "m2.yaml", "builtin.yaml");
  const model::ModelSpec m2 = api::load_model(dir / "m2.yaml").take_spec();
  ASSERT_EQ(m.converters[0].efficiency.size(), m2.converters[0].efficiency.size());
  for (std::size_t i = 0; i < m.converters[0].efficiency.size(); ++i)
    EXPECT_DOUBLE_EQ(m.converters[0].efficiency[i].efficiency,
                     m2.converters[0].efficiency[i].efficiency);
  // Without a device_library the part is unknown: an error naming the converter and the part.
  std::ofstream(dir / "nolib.yaml")
      << std::string(spec).replace(spec.find("EPC2218"), 7, "MY-SR-100V");
  write_llc_model(dir / "m3.yaml", "nolib.yaml");
  try {
    (void)api::load_model(dir / "m3.yaml");
    FAIL() << "expected a ModelError";
  } catch (const core::ModelError& error) {
    const std::string all = error.diagnostics().to_string();
    EXPECT_NE(all.find("m3.yaml:7:"), std::string::npos) << all;
    EXPECT_NE(all.find("MY-SR-100V"), std::string::npos) << all;
  }
}

TEST(ConverterDesigns, MissingDesignFileIsAnErrorAtTheConverter) {
  const fs::path dir = test::scratch_dir("converter-design-missing");
  std::ofstream(dir / "m.yaml") << R"(grid2gpu: 1
buses:
  - {id: a, kind: dc, voltage: 48 V}
  - {id: b, kind: dc, voltage: 12 V}
components:
  - {id: s, type: dc_source, bus: a}
  - {id: ibc, type: dcdc, input: a, output: b, rating: 1 kW, design: nowhere.yaml}
  - {id: l, type: load, bus: b, power: 500 W}
)";
  try {
    (void)api::load_model(dir / "m.yaml");
    FAIL() << "expected a ModelError";
  } catch (const core::ModelError& error) {
    const std::string all = error.diagnostics().to_string();
    EXPECT_NE(all.find("m.yaml:7:"), std::string::npos) << all;
    EXPECT_NE(all.find("cannot read its design"), std::string::npos) << all;
  }
}

TEST(ConverterDesigns, DesignAndEfficiencyTogetherAreRefused) {
  const fs::path dir = test::scratch_dir("converter-design-both");
  std::ofstream(dir / "m.yaml") << R"(grid2gpu: 1
buses:
  - {id: a, kind: dc, voltage: 48 V}
  - {id: b, kind: dc, voltage: 12 V}
components:
  - {id: s, type: dc_source, bus: a}
  - {id: ibc, type: dcdc, input: a, output: b, rating: 1 kW, efficiency: 97 %, design: x.yaml}
  - {id: l, type: load, bus: b, power: 500 W}
)";
  try {
    (void)api::load_model(dir / "m.yaml");
    FAIL() << "expected a ModelError";
  } catch (const core::ModelError& error) {
    EXPECT_NE(error.diagnostics().to_string().find("both a design and an efficiency"),
              std::string::npos);
  }
}

// The CPES LLC example (400 V -> 48 V) as a stage file in `dir`/`name`.
void copy_llc(const fs::path& to) {
  fs::create_directories(to.parent_path());
  fs::copy_file(test::example_path("converters/cpes-3kw-llc-400v-48v.yaml"), to,
                fs::copy_options::overwrite_existing);
}

std::string diagnostics_of(const fs::path& spec) {
  try {
    (void)load_converter_spec(spec);
  } catch (const core::ModelError& error) {
    return error.diagnostics().to_string();
  }
  return {};
}

// A chain read from files: a curve front end, then two LLC modules in input series (ISOP) from a
// SPEC in a folder below the chain; a model converter can use it as its `design`.
TEST(ConverterSpecFiles, ChainWithStageFilesAndAModelUsingIt) {
  const fs::path dir = test::scratch_dir("converter-chain-files");
  copy_llc(dir / "modules" / "llc.yaml");
  std::ofstream(dir / "chain.yaml") << R"(chain:
  name: 800 V front end + ISOP LLC
  stages:
    - curve: {name: front end, v_in_nominal: 830 V, v_out_nominal: 800 V, rating: 8 kW,
              points: [{load: 100 %, efficiency: 99 %}], source: "assumption: test"}
    - {design: modules/llc.yaml, input_series: 2}
)";
  const LoadedConverterSpec loaded = load_converter_spec(dir / "chain.yaml");
  const converters::Assembly& a = loaded.assembly;
  ASSERT_EQ(a.kind, converters::Assembly::Kind::chain);
  ASSERT_EQ(a.stages.size(), 2u);
  EXPECT_EQ(a.stages[1].module.kind, converters::Assembly::Kind::physics);
  EXPECT_EQ(a.stages[1].module.design.name, "CPES 3 kW LLC");
  EXPECT_DOUBLE_EQ(converters::nominal(a).rating_w, 6000.0);
  EXPECT_DOUBLE_EQ(converters::nominal(a.stages[1]).v_in_v, 800.0);

  std::ofstream(dir / "m.yaml") << R"(grid2gpu: 1
buses:
  - {id: a, kind: dc, voltage: 830 V}
  - {id: b, kind: dc, voltage: 48 V}
components:
  - {id: s, type: dc_source, bus: a}
  - {id: rack, type: dcdc, input: a, output: b, rating: 12 kW, design: chain.yaml, modules: 2}
  - {id: l, type: load, bus: b, power: 6 kW}
)";
  const model::ModelSpec m = api::load_model(dir / "m.yaml").take_spec();
  const auto& curve = m.converters[0].efficiency;
  ASSERT_EQ(curve.size(), converters::default_load_fractions().size());
  const converters::Library library{&devices::default_devices(), &magnetics::default_materials()};
  const double eta_half = converters::evaluate(a, library, {830.0, 48.0, 3000.0}).total.efficiency;
  for (const auto& p : curve) {
    if (std::abs(p.load_fraction - 0.5) < 1e-12) {
      EXPECT_DOUBLE_EQ(p.efficiency, eta_half);
    }
  }
}

TEST(ConverterSpecFiles, StageProblemsAreReportedAtTheStage) {
  const fs::path dir = test::scratch_dir("converter-chain-problems");
  copy_llc(dir / "llc.yaml");
  // Missing file, a stage SPEC with an error, a bus mismatch, a chain containing itself.
  std::ofstream(dir / "missing.yaml") << "chain:\n  stages:\n    - design: nowhere.yaml\n";
  std::ofstream(dir / "broken.yaml") << "converter: {topology: llk}\n";
  std::ofstream(dir / "uses-broken.yaml") << "chain:\n  stages:\n    - design: broken.yaml\n";
  std::ofstream(dir / "mismatch.yaml") << R"(chain:
  stages:
    - curve: {name: fe, v_in_nominal: 13.8 kV, v_out_nominal: 1 kV, rating: 1 MW,
              points: [{load: 100 %, efficiency: 99 %}], source: test}
    - {design: llc.yaml, input_series: 2}
)";
  std::ofstream(dir / "self.yaml") << "chain:\n  stages:\n    - design: ./self.yaml\n";

  std::string all = diagnostics_of(dir / "missing.yaml");
  EXPECT_NE(all.find("missing.yaml:3:15: error: stage 1: cannot read 'nowhere.yaml'"),
            std::string::npos)
      << all;
  all = diagnostics_of(dir / "uses-broken.yaml");
  EXPECT_NE(all.find("broken.yaml:1:23: error: unknown topology 'llk'"), std::string::npos) << all;
  EXPECT_NE(all.find("uses-broken.yaml:3:15: error: stage 1: 'broken.yaml' has errors"),
            std::string::npos)
      << all;
  all = diagnostics_of(dir / "mismatch.yaml");
  EXPECT_NE(all.find("mismatch.yaml:5:7: error: stage 2 takes 800 V in"), std::string::npos) << all;
  all = diagnostics_of(dir / "self.yaml");
  EXPECT_NE(all.find("self.yaml:3:15: error: stage 1: './self.yaml' contains this chain"),
            std::string::npos)
      << all;
}

// A symbolic link inside the SPEC's directory that points outside it is refused too: the lexical
// check cannot see it, the resolved path can.
TEST(ConverterSpecFiles, SymbolicLinkOutOfTheDirectoryIsRefused) {
  const fs::path outside = test::scratch_dir("converter-chain-outside");
  copy_llc(outside / "llc.yaml");
  const fs::path dir = test::scratch_dir("converter-chain-link");
  fs::remove(dir / "link.yaml");
  fs::create_symlink(outside / "llc.yaml", dir / "link.yaml");
  std::ofstream(dir / "chain.yaml") << "chain:\n  stages:\n    - design: link.yaml\n";
  const std::string all = diagnostics_of(dir / "chain.yaml");
  EXPECT_NE(all.find("chain.yaml:3:15: error: stage design 'link.yaml' resolves outside the "
                     "SPEC's directory"),
            std::string::npos)
      << all;
  // The same through device_library.
  fs::remove(dir / "parts");
  fs::create_directory_symlink(test::source_dir() / "tests/cases/user-parts", dir / "parts");
  std::ifstream in(outside / "llc.yaml");
  std::ofstream(dir / "own-parts.yaml") << "device_library: parts\n" << in.rdbuf();
  const std::string parts = diagnostics_of(dir / "own-parts.yaml");
  EXPECT_NE(parts.find("own-parts.yaml:1:17: error: device_library 'parts' resolves outside"),
            std::string::npos)
      << parts;
}

}  // namespace
}  // namespace g2g::io

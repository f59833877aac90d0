// A model file from someone else (docs/security.md): it must not make grid2gpu read files outside
// what it may reference, hang on a FIFO, read without bound, replace a device node or an input
// with its results, or write control characters to the terminal. Each case runs the CLI in a
// scratch directory under `timeout` and a virtual-memory cap, so that a build without the guard
// fails the test instead of hanging or exhausting the CI machine.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "support/test_support.hpp"

namespace g2g::test {
namespace {

namespace fs = std::filesystem;

// 60 s and 3 GiB of address space: far more than any of these cases needs when guarded. An
// AddressSanitizer build reserves terabytes of address space for its shadow memory, so there
// the cap is left out (the release build's run of these tests has it).
#ifdef __SANITIZE_ADDRESS__
constexpr const char* memory_cap = "true";
#else
constexpr const char* memory_cap = "ulimit -v 3145728";
#endif

CommandResult confined_grid2gpu(const std::string& arguments, const fs::path& dir) {
  return run_command(fmt::format("cd '{}' && {} && timeout 60 '{}' {}", dir.string(), memory_cap,
                                 cli_path().string(), arguments));
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// An 800 V bus feeding a 54 V rack bus through a converter whose losses come from `design`.
std::string model_with_design(const std::string& design) {
  return fmt::format(R"(grid2gpu: 1
buses:
  - {{id: dc800, kind: dc, voltage: 800 V}}
  - {{id: bus54, kind: dc, voltage: 54 V}}
components:
  - {{id: s, type: dc_source, bus: dc800}}
  - {{id: dcdc, type: dcdc, subtype: dc_transformer, input: dc800, output: bus54,
     rating: 36 kW, modules: 6, design: '{}'}}
  - {{id: rack, type: load, bus: bus54, power: 20 kW}}
)",
                     design);
}

constexpr const char* tiny_dc_yaml = R"(grid2gpu: 1
buses:
  - {id: src, kind: dc, voltage: 800 V}
  - {id: rack, kind: dc, voltage: 800 V}
components:
  - {id: s, type: dc_source, bus: src}
  - {id: c1, type: cable, from: src, to: rack, cross_section: 240 mm2, length: 50 m}
  - {id: l1, type: load, bus: rack, power: 100 kW}
)";

const fs::path shipped_spec = example_path("converters/rack-800v-54v-isop-llc.yaml");

// A secret beside the model's directory: `design:` may name it by '..', by an absolute path or
// through a symbolic link; none of them may read it, so no diagnostic can echo it.
TEST(UntrustedInput, DesignOutsideTheModelsDirectoryIsNotRead) {
  const fs::path dir = scratch_dir("untrusted-design");
  write_text(dir / "secret.yaml", "TOPSECRET: line one\nTOPSECRET2: line two\n");
  fs::create_directories(dir / "models");
  fs::create_symlink(dir / "secret.yaml", dir / "models" / "link.yaml");
  for (const std::string& design :
       {std::string("../secret.yaml"), (dir / "secret.yaml").string(), std::string("link.yaml")}) {
    write_text(dir / "models" / "m.yaml", model_with_design(design));
    const CommandResult r = confined_grid2gpu("check models/m.yaml", dir);
    EXPECT_EQ(r.exit_code, 2) << design << "\n" << r.output;
    EXPECT_TRUE(contains(r.output, "m.yaml:7:5: error: converter 'dcdc': design")) << r.output;
    EXPECT_TRUE(contains(r.output, "resolves outside")) << r.output;
    EXPECT_TRUE(contains(r.output, "--allow-path")) << r.output;
    EXPECT_FALSE(contains(r.output, "TOPSECRET")) << r.output;
  }
  // Inside the tree, a shipped SPEC is read; --allow-path admits one from elsewhere.
  fs::copy(shipped_spec.parent_path(), dir / "models" / "converters", fs::copy_options::recursive);
  write_text(dir / "models" / "m.yaml",
             model_with_design("converters/" + shipped_spec.filename().string()));
  EXPECT_EQ(confined_grid2gpu("check models/m.yaml", dir).exit_code, 0);
  write_text(dir / "models" / "m.yaml", model_with_design(shipped_spec.string()));
  EXPECT_EQ(confined_grid2gpu("check models/m.yaml", dir).exit_code, 2);
  const CommandResult allowed = confined_grid2gpu(
      fmt::format("check models/m.yaml --allow-path '{}'", shipped_spec.parent_path().string()),
      dir);
  EXPECT_EQ(allowed.exit_code, 0) << allowed.output;
}

// A lifetime study names a converter SPEC and scenario files: the same rule holds for both, and
// --allow-path admits a directory.
TEST(UntrustedInput, LifetimeStudyReadsOnlyFilesItMayReference) {
  const fs::path dir = scratch_dir("untrusted-lifetime");
  write_text(dir / "secret.yaml", "TOPSECRET: line one\n");
  fs::create_directories(dir / "studies");
  fs::create_symlink(dir / "secret.yaml", dir / "studies" / "link.yaml");
  const fs::path examples = source_dir() / "examples";
  const std::string study = read_text(examples / "lifetime-rack-800v-swings.yaml");
  const auto with = [&](const std::string& converter, const std::string& scenario) {
    std::string text = study;
    for (const auto& [from, to] :
         {std::pair{std::string("converter: converters/rack-800v-54v-isop-llc.yaml"),
                    "converter: " + converter},
          std::pair{std::string("scenario: scenarios/checkpoint-pauses.yaml"),
                    "scenario: " + scenario}}) {
      const auto at = text.find(from);
      EXPECT_NE(at, std::string::npos) << from;
      if (at != std::string::npos) text.replace(at, from.size(), to);
    }
    write_text(dir / "studies" / "s.yaml", text);
  };
  const std::string spec = (examples / "converters" / "rack-800v-54v-isop-llc.yaml").string();
  const std::string scenario = (examples / "scenarios" / "checkpoint-pauses.yaml").string();
  const std::string allow = fmt::format("--allow-path '{}'", examples.string());
  for (const std::string& written :
       {std::string("../secret.yaml"), (dir / "secret.yaml").string(), std::string("link.yaml")}) {
    with(written, scenario);
    CommandResult r = confined_grid2gpu("lifetime studies/s.yaml " + allow, dir);
    EXPECT_EQ(r.exit_code, 2) << written << "\n" << r.output;
    EXPECT_TRUE(contains(r.output, "s.yaml:15:12: converter: '" + written + "' resolves outside"))
        << r.output;
    EXPECT_TRUE(contains(r.output, "--allow-path")) << r.output;
    EXPECT_FALSE(contains(r.output, "TOPSECRET")) << r.output;

    with(spec, written);
    r = confined_grid2gpu("lifetime studies/s.yaml " + allow, dir);
    EXPECT_EQ(r.exit_code, 2) << written << "\n" << r.output;
    EXPECT_TRUE(contains(r.output, "s.yaml:44:40: error: profiles: scenario")) << r.output;
    EXPECT_TRUE(contains(r.output, "resolves outside")) << r.output;
    EXPECT_FALSE(contains(r.output, "TOPSECRET")) << r.output;
  }
  // The shipped files by absolute path: refused without --allow-path, read with it.
  with(spec, scenario);
  const CommandResult refused = confined_grid2gpu("lifetime studies/s.yaml", dir);
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_TRUE(contains(refused.output, "resolves outside 'studies'")) << refused.output;
}

// A FIFO, a device and a file over the size limit are refused before anything is read.
TEST(UntrustedInput, OnlyRegularFilesOfBoundedSizeAreRead) {
  const fs::path dir = scratch_dir("untrusted-special");
  ASSERT_EQ(::mkfifo((dir / "fifo.yaml").c_str(), 0600), 0);
  CommandResult r = confined_grid2gpu("check fifo.yaml", dir);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "is not a regular file but a FIFO")) << r.output;

  // A FIFO named by design: (in the model's own directory, so only the file type stops it).
  write_text(dir / "m.yaml", model_with_design("fifo.yaml"));
  r = confined_grid2gpu("check m.yaml", dir);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "is not a regular file but a FIFO")) << r.output;

  fs::create_symlink("/dev/zero", dir / "zero.yaml");
  r = confined_grid2gpu("check zero.yaml", dir);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "is not a regular file but a character device")) << r.output;

  // 3 GiB, sparse: takes no disk, and no memory unless it is read.
  { std::ofstream(dir / "huge.yaml") << "grid2gpu: 1\n"; }
  fs::resize_file(dir / "huge.yaml", std::uintmax_t{3} << 30);
  r = confined_grid2gpu("check huge.yaml", dir);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "is 3072.0 MiB, over the limit of 2048.0 MiB")) << r.output;
}

// Results go to a new path or replace a regular file; never onto a FIFO, a device or the input.
TEST(UntrustedInput, OutputsReplaceOnlyRegularFilesThatAreNotInputs) {
  const fs::path dir = scratch_dir("untrusted-outputs");
  write_text(dir / "m.yaml", tiny_dc_yaml);
  ASSERT_EQ(::mkfifo((dir / "out.json").c_str(), 0600), 0);
  CommandResult r = confined_grid2gpu("solve m.yaml --quiet --json out.json", dir);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "it is a FIFO (named pipe); grid2gpu writes only regular files"))
      << r.output;
  struct stat info {};
  ASSERT_EQ(::lstat((dir / "out.json").c_str(), &info), 0);
  EXPECT_TRUE(S_ISFIFO(info.st_mode));

  r = confined_grid2gpu("solve m.yaml --quiet --json m.yaml", dir);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "it is an input of this run")) << r.output;
  EXPECT_EQ(read_text(dir / "m.yaml"), tiny_dc_yaml);
  // The same file by another name.
  fs::create_symlink(dir / "m.yaml", dir / "alias.yaml");
  r = confined_grid2gpu("size m.yaml -o alias.yaml", dir);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(read_text(dir / "m.yaml"), tiny_dc_yaml);

  r = confined_grid2gpu("solve m.yaml --quiet --json ok.json", dir);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(fs::is_regular_file(dir / "ok.json"));
}

// Control characters in a model's text reach the terminal escaped; a huge id is cut short.
TEST(UntrustedInput, ModelTextReachesTheTerminalEscapedAndBounded) {
  const fs::path dir = scratch_dir("untrusted-terminal");
  std::string model = tiny_dc_yaml;
  model.replace(model.find("id: l1"), 6, "id: \"l1\\e]0;owned\\a\\e[2J\"");
  write_text(dir / "esc.yaml", model);
  CommandResult r = confined_grid2gpu("check esc.yaml", dir);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(r.output.find('\x1b'), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find('\a'), std::string::npos) << r.output;
  EXPECT_TRUE(contains(r.output, "l1\\x1b]0;owned\\x07\\x1b[2J' contains a control character"))
      << r.output;

  // A model's name reaches the results table escaped.
  model = tiny_dc_yaml;
  model.replace(model.find("buses:"), 0, "name: \"hall\\e[2J\"\n");
  write_text(dir / "named.yaml", model);
  r = confined_grid2gpu("solve named.yaml", dir);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find('\x1b'), std::string::npos) << r.output;
  EXPECT_TRUE(contains(r.output, "hall\\x1b[2J")) << r.output;

  // A 1 MB unknown bus name: the diagnostic quotes a bounded part of it.
  model = tiny_dc_yaml;
  model.replace(model.find("bus: rack, power"), 9, "bus: " + std::string(1 << 20, 'x'));
  write_text(dir / "long.yaml", model);
  r = confined_grid2gpu("check long.yaml", dir);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_LT(r.output.size(), 20000U);
  EXPECT_TRUE(contains(r.output, "more bytes)")) << r.output.substr(0, 400);
}

// A 15-line file that expands to millions of elements is refused from its counts, before any
// memory is taken, when the machine (or --max-memory) could not solve it.
TEST(UntrustedInput, MemoryIsBoundedBeforeTemplatesExpand) {
  const fs::path dir = scratch_dir("untrusted-memory");
  write_text(dir / "count.yaml", R"(grid2gpu: 1
buses:
  - {id: src, kind: dc, voltage: 800 V}
components:
  - {id: s, type: dc_source, bus: src}
templates:
  rack:
    ports: [feed]
    buses:
      - {id: r, kind: dc, voltage: 800 V}
    components:
      - {id: c, type: cable, from: feed, to: r, cross_section: 240 mm2, length: 5 m}
      - {id: it, type: load, bus: r, power: 1 kW}
instances:
  - {template: rack, id: rk, count: 6000000, connect: {feed: src}}
)");
  const CommandResult r = confined_grid2gpu("check count.yaml --max-memory 256M", dir);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(contains(r.output,
                       "count.yaml:15:5: error: the model expands to 18000000 buses "
                       "and components, which would need about 10.1 GiB"))
      << r.output;
  EXPECT_EQ(confined_grid2gpu("check count.yaml --max-memory lots", dir).exit_code, 2);
}

}  // namespace
}  // namespace g2g::test

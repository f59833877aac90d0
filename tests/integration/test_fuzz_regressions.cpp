// Every input in tests/cases/fuzz/ (README there lists what each once broke) must get a clean
// answer from both model loaders: a model, or core::ModelError with a diagnostic. Each run is a
// child process (`grid2gpu check`) under a memory and time limit, because the failures these
// inputs caught include endless allocation, which would take the test runner down with it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "support/test_support.hpp"

// ulimit -v cannot be combined with AddressSanitizer, which reserves terabytes of address space
// for its shadow memory; under ASan its own RSS limit does the job instead.
#if defined(__SANITIZE_ADDRESS__)
#define G2G_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define G2G_TEST_ASAN 1
#endif
#endif

namespace g2g::test {
namespace {

namespace fs = std::filesystem;

constexpr int time_limit_s = 60;
constexpr int memory_limit_mb = 2048;

std::vector<fs::path> regression_inputs() {
  std::vector<fs::path> inputs;
  const fs::path dir = source_dir() / "tests" / "cases" / "fuzz";
  if (!fs::is_directory(dir)) return inputs;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().filename() != "README.md")
      inputs.push_back(entry.path());
  }
  std::sort(inputs.begin(), inputs.end());
  return inputs;
}

CommandResult check_limited(const fs::path& model) {
  std::string command = "timeout " + std::to_string(time_limit_s) + " ";
#ifdef G2G_TEST_ASAN
  command = "ASAN_OPTIONS=hard_rss_limit_mb=" + std::to_string(memory_limit_mb) + " " + command;
#else
  command = "ulimit -v " + std::to_string(memory_limit_mb * 1024) + "; " + command;
#endif
  return run_command(command + "'" + cli_path().string() + "' check '" + model.string() + "'");
}

TEST(FuzzRegressions, EveryInputGetsACleanAnswerFromBothLoaders) {
  const std::vector<fs::path> inputs = regression_inputs();
  ASSERT_FALSE(inputs.empty()) << "tests/cases/fuzz/ has no inputs";
  const fs::path dir = scratch_dir("fuzz-regressions");
  for (const fs::path& input : inputs) {
    for (const char* ext : {".yaml", ".json"}) {
      const fs::path model = dir / (input.stem().string() + ext);
      fs::copy_file(input, model, fs::copy_options::overwrite_existing);
      SCOPED_TRACE(input.filename().string() + " as " + ext);
      const CommandResult run = check_limited(model);
      // 0: the input is a valid model; 2: ModelError. 124 is timeout(1); 1 is an internal error;
      // anything else is a crash or a sanitizer report.
      EXPECT_TRUE(run.exit_code == 0 || run.exit_code == 2) << "exit code " << run.exit_code << "\n"
                                                            << run.output;
      EXPECT_EQ(run.output.find("internal error"), std::string::npos) << run.output;
      // A few bytes of input never need the memory limit; running into it means runaway
      // allocation, even when the loader turns the bad_alloc into a diagnostic.
      EXPECT_EQ(run.output.find("out of memory"), std::string::npos) << run.output;
      if (run.exit_code == 2) {
        EXPECT_NE(run.output.find(model.filename().string()), std::string::npos)
            << "the diagnostic names the file\n"
            << run.output;
      }
    }
  }
}

// MATPOWER inputs (fuzz_matpower): an imported case that passes its checks is written as YAML
// that loads back and passes them too.
TEST(FuzzRegressions, ImportedCasesLoadBackFromTheirYaml) {
  const fs::path dir = scratch_dir("fuzz-regressions-matpower");
  int cases = 0;
  for (const fs::path& input : regression_inputs()) {
    if (input.extension() != ".m") continue;
    ++cases;
    SCOPED_TRACE(input.filename().string());
    const fs::path yaml = dir / (input.stem().string() + ".yaml");
    const CommandResult imported = run_command("timeout 60 '" + cli_path().string() + "' import '" +
                                               input.string() + "' -o '" + yaml.string() + "'");
    ASSERT_EQ(imported.exit_code, 0) << imported.output;
    const CommandResult checked = check_limited(yaml);
    EXPECT_EQ(checked.exit_code, 0) << checked.output;
  }
  EXPECT_GT(cases, 0) << "tests/cases/fuzz/ has no MATPOWER input";
}

}  // namespace
}  // namespace g2g::test

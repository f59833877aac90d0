// Helpers shared by the test executables.
#pragma once

#include <filesystem>
#include <string>

namespace g2g::test {

// Root of the source tree (examples/, tests/cases/).
std::filesystem::path source_dir();
// Path of the built CLI.
std::filesystem::path cli_path();
// A fresh, empty directory for one test's files.
std::filesystem::path scratch_dir(const std::string& name);

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};
// Runs a shell command and captures its output.
CommandResult run_command(const std::string& command);

// The ngspice executable on PATH. ngspice is a required dependency of the validation tests
// (scripts/setup installs it), so when it is missing the calling test fails rather than skips:
// this records "ngspice not found: run scripts/setup" and returns an empty path. A test begins
//   if (test::require_ngspice().empty()) return;
std::filesystem::path require_ngspice();

}  // namespace g2g::test

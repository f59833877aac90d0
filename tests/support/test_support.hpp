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

}  // namespace g2g::test

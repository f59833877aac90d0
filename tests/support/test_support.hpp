// Helpers shared by the test executables.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace g2g::test {

// Root of the source tree (examples/, tests/cases/).
std::filesystem::path source_dir();
// A file under examples/.
std::filesystem::path example_path(std::string_view name);
// example_path(name), quoted for a command line.
std::string quoted_example(std::string_view name);
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

// `path` in single quotes, for a shell command line.
std::string quoted(const std::filesystem::path& path);
// Runs the built CLI with `arguments` (already quoted where needed).
CommandResult grid2gpu(const std::string& arguments);

// A whole file as bytes; "" when it cannot be read (a test then fails on the content).
std::string read_text(const std::filesystem::path& path);
// A JSON file, parsed; throws when it cannot be read or parsed.
nlohmann::json read_json(const std::filesystem::path& path);
// `text` with the first `from` replaced by `to`; throws std::invalid_argument when `from` is not
// there (a failure of the test that asked).
std::string replaced(std::string text, const std::string& from, const std::string& to);
// Creates the parent directories; throws when the file cannot be written.
void write_text(const std::filesystem::path& path, const std::string& text);

}  // namespace g2g::test

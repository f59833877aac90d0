// Every command of README.md's "A 5-minute tour", run as written. The commands are read from the
// README itself, so a tour line that stops working (a renamed option, a file that is not in the
// repository) fails here. They run in a scratch directory that looks like the repository root
// to them: `examples` is a link to the source examples/ and `build/grid2gpu` a link to the CLI
// under test, while `out/` is the scratch directory's own, so nothing is written into the source
// tree.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace g2g::test {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view tour_heading = "## A 5-minute tour";
constexpr std::string_view cli_prefix = "build/grid2gpu ";

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// The `build/grid2gpu ...` lines of the first code block after the tour heading, each without
// its trailing `# comment` (a '#' after a space; no tour argument contains one).
std::vector<std::string> tour_commands(const std::string& readme) {
  std::vector<std::string> commands;
  const auto heading = readme.find(tour_heading);
  if (heading == std::string::npos) return commands;
  const auto fence = readme.find("\n```", heading);
  if (fence == std::string::npos) return commands;
  std::istringstream lines(readme.substr(readme.find('\n', fence + 1) + 1));
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("```")) break;
    if (const auto comment = line.find(" #"); comment != std::string::npos) line.erase(comment);
    line = trimmed(line);
    if (line.starts_with(cli_prefix)) commands.push_back(line);
  }
  return commands;
}

std::vector<std::string> words(const std::string& command) {
  std::vector<std::string> result;
  std::istringstream stream(command);
  for (std::string word; stream >> word;) result.push_back(word);
  return result;
}

// The files a command says it writes: the argument after -o, --json, --csv or --html.
std::vector<std::string> output_paths(const std::string& command) {
  std::vector<std::string> paths;
  const auto argv = words(command);
  for (std::size_t i = 0; i + 1 < argv.size(); ++i)
    if (argv[i] == "-o" || argv[i] == "--json" || argv[i] == "--csv" || argv[i] == "--html")
      paths.push_back(argv[i + 1]);
  return paths;
}

bool is_inside(const fs::path& path, const fs::path& dir) {
  const auto relative = fs::weakly_canonical(path).lexically_relative(fs::weakly_canonical(dir));
  return !relative.empty() && *relative.begin() != "..";
}

TEST(ReadmeTour, CommandsAreFoundInTheReadme) {
  const auto commands = tour_commands(read_text(source_dir() / "README.md"));
  // The tour has nine commands today; fewer than two means the block was not parsed.
  EXPECT_GE(commands.size(), 2u) << "no `" << cli_prefix << "` lines under '" << tour_heading
                                 << "' in README.md";
  for (const auto& command : commands) EXPECT_EQ(command.find('#'), std::string::npos) << command;
}

TEST(ReadmeTour, EveryCommandRunsAsWritten) {
  const auto commands = tour_commands(read_text(source_dir() / "README.md"));
  ASSERT_FALSE(commands.empty());

  const fs::path root = scratch_dir("readme-tour");
  fs::create_directory_symlink(source_dir() / "examples", root / "examples");
  fs::create_directories(root / "build");
  fs::create_symlink(cli_path(), root / "build" / "grid2gpu");

  for (const auto& command : commands) {
    SCOPED_TRACE(command);
    const auto outputs = output_paths(command);
    for (const auto& output : outputs)
      ASSERT_FALSE(is_inside(root / output, source_dir()))
          << output << " would be written into the source tree";
    const auto run = run_command("cd '" + root.string() + "' && " + command);
    EXPECT_EQ(run.exit_code, 0) << run.output;
    for (const auto& output : outputs) {
      const fs::path written = root / output;
      EXPECT_TRUE(fs::exists(written)) << output << " was not written";
      if (fs::is_directory(written)) {
        EXPECT_FALSE(fs::is_empty(written)) << output;
      } else if (fs::is_regular_file(written)) {
        EXPECT_GT(fs::file_size(written), 0u) << output;
      }
    }
  }
}

}  // namespace
}  // namespace g2g::test

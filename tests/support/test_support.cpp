#include "support/test_support.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <functional>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace g2g::test {

std::filesystem::path source_dir() {
  return G2G_SOURCE_DIR;
}
std::filesystem::path example_path(std::string_view name) {
  return source_dir() / "examples" / name;
}
std::filesystem::path cli_path() {
  return G2G_CLI_PATH;
}

std::filesystem::path scratch_dir(const std::string& name) {
  // One directory per build (the CLI path names it), so that two builds' tests (release and
  // sanitizer, or two checkouts) running at once never share a scratch directory.
  static const std::string per_build =
      fmt::format("g2g-tests-{:x}", std::hash<std::string>{}(G2G_CLI_PATH));
  auto dir = std::filesystem::temp_directory_path() / per_build / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

CommandResult run_command(const std::string& command) {
  CommandResult result;
  const std::string full = command + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run: " + command);
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.output.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string quoted(const std::filesystem::path& path) {
  // fmt::format rather than concatenation: g++ 12 warns falsely (-Wrestrict) on `"x" + string`.
  return fmt::format("'{}'", path.string());
}

std::string quoted_example(std::string_view name) {
  return quoted(example_path(name));
}

CommandResult grid2gpu(const std::string& arguments) {
  return run_command(fmt::format("{} {}", quoted(cli_path()), arguments));
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return nlohmann::json::parse(in);
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  // Thrown rather than a gtest failure: the benchmarks link this file without gtest.
  if (at == std::string::npos) throw std::invalid_argument("not in the text: " + from);
  return text.replace(at, from.size(), to);
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace g2g::test

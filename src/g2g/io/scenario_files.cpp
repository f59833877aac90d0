#include "g2g/io/scenario_files.hpp"

#include <string>

#include "g2g/io/files.hpp"

namespace g2g::io {

dynamic::Scenario read_scenario(const std::filesystem::path& path,
                                std::span<const std::filesystem::path> allowed) {
  const std::filesystem::path dir = path.parent_path().empty() ? "." : path.parent_path();
  const dynamic::TraceReader read_trace = [&](std::string_view written) {
    const std::filesystem::path relative{std::string(written)};
    if (const std::string problem = reference_problem(dir, relative, allowed); !problem.empty())
      throw FileError(dir / relative, "read", problem);
    return read_text_file(dir / relative);
  };
  return dynamic::parse_scenario(read_text_file(path), path.string(), read_trace);
}

}  // namespace g2g::io

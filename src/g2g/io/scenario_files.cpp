#include "g2g/io/scenario_files.hpp"

#include <string>

#include "g2g/io/files.hpp"

namespace g2g::io {

dynamic::Scenario read_scenario(const std::filesystem::path& path,
                                std::span<const std::filesystem::path> allowed) {
  const std::filesystem::path dir = path.parent_path().empty() ? "." : path.parent_path();
  return read_scenario_text(read_text_file(path), path.string(), dir, allowed);
}

dynamic::Scenario read_scenario_text(std::string_view text, const std::string& name,
                                     const std::optional<std::filesystem::path>& trace_dir,
                                     std::span<const std::filesystem::path> allowed) {
  const dynamic::TraceReader read_trace = [&](std::string_view written) {
    const std::filesystem::path relative{std::string(written)};
    if (!trace_dir)
      throw FileError(relative, "read",
                      "a scenario given as text has no folder for its traces (give the folder "
                      "they are in, or the scenario as a file)");
    const std::filesystem::path dir = trace_dir->empty() ? "." : *trace_dir;
    if (const std::string problem = reference_problem(dir, relative, allowed); !problem.empty())
      throw FileError(dir / relative, "read", problem);
    return read_text_file(dir / relative);
  };
  return dynamic::parse_scenario(text, name, read_trace);
}

}  // namespace g2g::io

#include "g2g/io/study_files.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "g2g/core/diagnostics.hpp"
#include "g2g/io/files.hpp"

namespace g2g::io {
namespace fs = std::filesystem;

study::StudySpec read_study(const fs::path& path) {
  study::StudySpec spec = study::parse_study(read_text_file(path), path.string());
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  core::DiagnosticList problems;
  const auto outside = [&](const fs::path& written) -> std::string {
    if (written.is_absolute() || written.has_root_path()) return "is absolute";
    if (std::any_of(written.begin(), written.end(), [](const fs::path& p) { return p == ".."; }))
      return "leaves the study file's directory ('..')";
    if (!resolves_inside(dir, dir / written)) return "resolves outside the study file's directory";
    return {};
  };
  if (spec.scenario) {
    if (const std::string problem = outside(*spec.scenario); !problem.empty())
      problems.error({path.string(), 0, 0},
                     fmt::format("scenario '{}' {}: a study file may only name a scenario in its "
                                 "own directory or below",
                                 *spec.scenario, problem),
                     "copy the scenario next to the study file, or give it with --scenario");
    else
      spec.scenario = (dir / *spec.scenario).string();
  }
  for (auto& architecture : spec.architectures) {
    const fs::path written{architecture};
    const std::string problem = outside(written);
    if (!problem.empty()) {
      problems.error({path.string(), 0, 0},
                     fmt::format("architecture '{}' {}: a study file may only name models in "
                                 "its own directory or below",
                                 architecture, problem),
                     "copy the model next to the study file, or give the models on the "
                     "command line");
      continue;
    }
    architecture = (dir / written).string();
  }
  if (problems.has_errors()) throw core::ModelError(std::move(problems));
  return spec;
}

std::vector<study::AssumptionSet> read_assumption_sets(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw FileError(dir, "read", "not a directory of assumption sets (*.yaml)");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".yaml")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<study::AssumptionSet> out;
  core::DiagnosticList problems;
  for (const auto& f : files) {
    try {
      out.push_back(study::parse_assumption_set(read_text_file(f), f.string()));
    } catch (const core::ModelError& error) {
      problems.append(error.diagnostics());
    }
  }
  if (problems.has_errors()) throw core::ModelError(std::move(problems));
  return out;
}

std::vector<study::ClaimSpec> read_claims(const fs::path& path) {
  return study::parse_claims(read_text_file(path), path.string());
}

}  // namespace g2g::io

// `grid2gpu lifetime STUDY.yaml [--json OUT] [--html OUT] [--allow-path DIR]`: a rack converter's
// switch wear-out under GPU training swings, with and without the power floor (docs/reliability.md,
// docs/cli.md).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common.hpp"

namespace g2g::cli {

struct LifetimeCommand {
  std::string study_path;
  std::string json_path;
  std::string html_path;
  std::vector<std::string> allow_paths;  // "--allow-path DIR"
};

CLI::App* add_lifetime_command(CLI::App& app, LifetimeCommand& command);

// Throws what the library throws (guarded() maps it: 2 for a bad study, with every problem).
int run_lifetime(const LifetimeCommand& command);

}  // namespace g2g::cli

// `grid2gpu qualify PLAN.yaml [--json OUT] [--html OUT]`: what a qualification plan demonstrates,
// per stress (docs/reliability.md, docs/cli.md).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "common.hpp"

namespace g2g::cli {

struct QualifyCommand {
  std::string plan_path;
  std::string json_path;
  std::string html_path;
};

CLI::App* add_qualify_command(CLI::App& app, QualifyCommand& command);

// Throws what the library throws (guarded() maps it: 2 for a bad plan, with every problem).
int run_qualify(const QualifyCommand& command);

}  // namespace g2g::cli

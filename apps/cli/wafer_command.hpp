// `grid2gpu wafer SPEC.yaml [--json OUT] [--html OUT]`: gross die, yield, cost per good die and
// the thermal-mismatch bow of one wafer SPEC (docs/fab.md, docs/cli.md).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace g2g::cli {

struct WaferCommand {
  std::string spec_path;
  std::string json_path;
  std::string html_path;
};

CLI::App* add_wafer_command(CLI::App& app, WaferCommand& command);

// Throws what the library throws (guarded() maps a bad SPEC, core::ModelError, to exit 2).
int run_wafer(const WaferCommand& command);

}  // namespace g2g::cli

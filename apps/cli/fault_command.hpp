// `grid2gpu fault MODEL --bus X [--method iec61660] [--json OUT]`: DC short-circuit currents at a
// bus (docs/shortcircuit.md, docs/cli.md). --method is a choice so that a time-domain method can
// join iec61660 later.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "common.hpp"

namespace g2g::cli {

struct FaultCommand {
  std::string model_path;
  std::string bus;
  std::string method = "iec61660";
  std::string json_path;
  ModelArgs model;
};

CLI::App* add_fault_command(CLI::App& app, FaultCommand& command);

// Throws what the library throws (guarded() maps it: 2 for an unknown or AC bus, a meshed DC
// network or a bad model).
int run_fault(const FaultCommand& command);

}  // namespace g2g::cli

// `grid2gpu sweep SWEEP.yaml --out DIR [--jobs N] [--resume] [--allow-path P] [--html FILE]`: see
// sweep_command.cpp and docs/sweep.md.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common.hpp"

namespace g2g::cli {

struct SweepCommand {
  std::string sweep_path;
  std::string out_dir;
  unsigned jobs = 0;  // 0 = every core
  bool resume = false;
  bool quiet = false;  // no progress line
  std::vector<std::string> allow_paths;
  std::string html_path;     // the sweep page (docs/report.md, "Sweeps"); empty: none
  std::string command_line;  // as typed, for the page's provenance
};

// Registers the command and its options on `app`; the values land in `command`.
CLI::App* add_sweep_command(CLI::App& app, SweepCommand& command);

// Runs the sweep; throws what the library throws (guarded() maps it to an exit code).
int run_sweep(const SweepCommand& command);

}  // namespace g2g::cli

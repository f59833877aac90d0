// `grid2gpu simulate MODEL --scenario SCENARIO.yaml [--set NAME=VALUE] [--out DIR] [--json FILE]
// [--html FILE] [--record SIGNALS] [--every 1ms] [--size-storage [--periods 1s,10s]]`: see
// simulate_command.cpp, docs/cli.md and docs/dynamic.md.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common.hpp"

namespace g2g::cli {

struct SimulateCommand {
  std::string model_path;
  std::string scenario_path;
  ModelArgs model;
  std::string out_dir;               // summary.json and, with signals, waveforms.csv
  std::string json_path;             // the summary JSON
  std::string html_path;             // the report page
  std::string csv_path;              // the recorded signals
  std::vector<std::string> record;   // "--record a.v,b.p": replaces the scenario's signals
  std::string every;                 // "--every 1 ms": replaces the scenario's output step
  bool quiet = false;                // no progress line
  bool size_storage = false;         // the storage sizing study instead of one run
  std::vector<std::string> periods;  // "--periods 1s,10s": its training periods
};

// Registers the command and its options on `app`; the values land in `command`.
CLI::App* add_simulate_command(CLI::App& app, SimulateCommand& command);

// Runs the simulation; throws what the library throws (guarded() maps it to an exit code: 2 bad
// input, 3 no power flow at t = 0, 4 the integration failed).
int run_simulate(const SimulateCommand& command);

}  // namespace g2g::cli

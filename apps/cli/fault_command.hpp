// `grid2gpu fault MODEL (--bus X | --buses PATTERN | --all-buses dc) [--method time|iec61660]
// [--resistance R]
// [--time T] [--after T] [--clear T] [--scenario FILE] [--json OUT]`: DC pole-to-pole faults
// (docs/shortcircuit.md, docs/cli.md).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "common.hpp"

namespace g2g::cli {

struct FaultCommand {
  std::string model_path;
  std::string bus;
  std::string all_buses;  // "dc"
  std::string buses;      // a pattern of DC bus ids
  std::string method = "time";
  std::string resistance;  // with its unit; the time-domain study runs when given
  std::string inception;
  std::string after;
  std::string clear;
  std::string scenario_path;
  std::string json_path;
  ModelArgs model;
};

CLI::App* add_fault_command(CLI::App& app, FaultCommand& command);

// Throws what the library throws (guarded() maps it: 2 for an unknown or AC bus, a meshed DC
// network (iec61660), a bad option or model). A location whose run fails is a row with its
// reason, not an exit code.
int run_fault(const FaultCommand& command);

}  // namespace g2g::cli

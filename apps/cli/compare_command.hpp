// `grid2gpu compare A.yaml B.yaml [...]`: see compare_command.cpp and docs/compare.md.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common.hpp"

namespace g2g::cli {

struct CompareCommand {
  std::vector<std::string> model_paths;  // the first is the baseline
  std::vector<std::string> set;
  SizingArgs sizing;
  std::string json_path;
  std::string html_path;
  std::string tariff = "80";  // per MWh, in `currency`
  std::string currency = "USD";
  std::string hours = "8760";
  bool include_point_of_load = false;
  bool no_size = false;
  bool no_claims = false;
};

// Registers the command and its options on `app`; the values land in `command`.
CLI::App* add_compare_command(CLI::App& app, CompareCommand& command);

// Runs the comparison; throws what the library throws (guarded() maps it to an exit code).
int run_compare(const CompareCommand& command);

}  // namespace g2g::cli

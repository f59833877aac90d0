// `grid2gpu compare STUDY.yaml` or `grid2gpu compare A.yaml B.yaml [...]`: see
// compare_command.cpp and docs/compare.md.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common.hpp"

namespace g2g::cli {

struct CompareCommand {
  std::vector<std::string> inputs;  // model files (the first is the baseline), or one study file
  ModelArgs model;
  SizingArgs sizing;
  std::string json_path;
  std::string html_path;
  std::string tariff;    // per MWh, in `currency`; empty: the study's, else 80
  std::string currency;  // empty: the study's, else USD
  std::string hours;     // hours a year at the design point when there is no profile
  std::string cooling;   // kW of cooling per kW of loss; empty: the study's, else 0.1
  std::vector<std::string> assumptions;  // set names (comma-separated allowed)
  std::string assumptions_dir;           // more sets; same name replaces a shipped one
  std::string claims_file;               // claims to check instead of the shipped ones
  std::string scenario_file;             // time-domain scenario for the rack-storage claim
  std::string it_tolerance;              // empty: the study's, else 1 %
  bool list_assumptions = false;
  bool include_point_of_load = false;
  bool no_size = false;
  bool no_claims = false;
  bool normalise = false;
  unsigned threads = 0;
  std::string command_line;  // as typed, for the report's provenance
};

// Registers the command and its options on `app`; the values land in `command`.
CLI::App* add_compare_command(CLI::App& app, CompareCommand& command);

// Runs the comparison; throws what the library throws (guarded() maps it to an exit code).
int run_compare(const CompareCommand& command);

}  // namespace g2g::cli

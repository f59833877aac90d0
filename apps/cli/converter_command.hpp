// `grid2gpu converter SPEC.yaml`: see converter_command.cpp and docs/converters.md.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace g2g::cli {

struct ConverterCommand {
  std::string spec_path;
  std::string v_in;  // operating point; empty = the design's nominal values
  std::string v_out;
  std::string power;
  bool map = false;
  int load_steps = 20;             // map: load fractions 1/steps .. 1
  std::string v_in_span = "10 %";  // map: input voltages nominal -span, nominal, +span
  std::string devices_dir;         // user parts, added to (or replacing) the built-in library
  std::string svg_path;
  std::string csv_path;
  // The GaN device claims against this silicon part ("PART" or "PRIMARY/SECONDARY"): the
  // design's own parts are the GaN side (docs/device-claims.md).
  std::string claims_against;
};

CLI::App* add_converter_command(CLI::App& app, ConverterCommand& command);
int run_converter(const ConverterCommand& command);

}  // namespace g2g::cli

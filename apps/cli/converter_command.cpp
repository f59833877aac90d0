// `grid2gpu converter SPEC.yaml [--map]`: a thin shell over api::operating_point /
// api::converter_map, converters::evaluate, io::format_converter_* and
// report::efficiency_map_svg. Prints one operating point (loss
// breakdown, switch positions with junction temperature and ZVS) and, with --map, the efficiency
// map; writes the map as SVG and CSV atomically.
#include "converter_command.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>

#include "common.hpp"
#include "g2g/api/converter.hpp"
#include "g2g/converters/chain.hpp"
#include "g2g/converters/converter.hpp"
#include "g2g/converters/spec_loader.hpp"
#include "g2g/io/converter_designs.hpp"
#include "g2g/io/converter_tables.hpp"
#include "g2g/io/files.hpp"
#include "g2g/report/converter_plot.hpp"
#include "g2g/study/device_claims.hpp"

namespace g2g::cli {
CLI::App* add_converter_command(CLI::App& app, ConverterCommand& c) {
  auto* command = app.add_subcommand(
      "converter", "Losses of one converter from device physics; --map for its efficiency map");
  command->add_option("SPEC", c.spec_path, "Converter SPEC file (.yaml, docs/converters.md)")
      ->required();
  command->add_option("--v-in", c.v_in, "Input voltage of the operating point (default: nominal)");
  command->add_option("--v-out", c.v_out, "Output voltage (default: nominal)");
  command->add_option("--power", c.power, "Output power (default: the rating)");
  command->add_flag("--map", c.map, "Also compute and print the efficiency map");
  command
      ->add_option("--load-steps", c.load_steps, "Map: load points from 1/N to 100 % (default 20)")
      ->check(CLI::Range(2, 200));
  command->add_option("--v-in-span", c.v_in_span,
                      "Map: input voltages nominal -span, nominal, +span (default 10%)");
  command
      ->add_option("--devices", c.devices_dir,
                   "Directory of your own part files (data/devices/README.md format); they add to "
                   "or replace the built-in parts by name")
      ->type_name("DIR");
  command
      ->add_option("--claims-against", c.claims_against,
                   "Check the GaN claims (10x faster, 50 % lower loss, 70 % smaller) of this "
                   "design's parts against a silicon PART (or PRIMARY/SECONDARY) in the same "
                   "positions, with the range from uncertain charges (docs/device-claims.md)")
      ->type_name("PART");
  command->add_option("--svg", c.svg_path, "Write the map (efficiency and loss breakdown) as SVG")
      ->type_name("FILE");
  command->add_option("--csv", c.csv_path, "Write the map as CSV")->type_name("FILE");
  return command;
}

int run_converter(const ConverterCommand& c) {
  refuse_outputs_over_inputs({c.svg_path, c.csv_path}, {c.spec_path});
  // The SPEC and every file it names (stages, device_library), confined to its directory;
  // --devices DIR replaces every SPEC's own device_library.
  const io::LoadedConverterSpec loaded = io::load_converter_spec(c.spec_path, c.devices_dir);
  const converters::Assembly& assembly = loaded.assembly;
  const bool chain = assembly.kind != converters::Assembly::Kind::physics;
  const converters::Library library = api::converter_library(loaded);
  constexpr double nominal = std::numeric_limits<double>::quiet_NaN();
  const converters::OperatingPoint point = api::operating_point(
      loaded,
      c.v_in.empty() ? nominal : quantity_option("--v-in", c.v_in, core::Dimension::voltage),
      c.v_out.empty() ? nominal : quantity_option("--v-out", c.v_out, core::Dimension::voltage),
      c.power.empty() ? nominal
                      : quantity_option("--power", c.power, core::Dimension::active_power));
  if (chain && !c.svg_path.empty())
    throw CLI::ValidationError("--svg",
                               "the map picture is drawn for one design, not a chain (fix: use "
                               "--map or --csv for a chain)");

  const bool want_map = c.map || !c.svg_path.empty() || !c.csv_path.empty();
  converters::EfficiencyMap map;
  if (want_map) {
    const double span = quantity_option("--v-in-span", c.v_in_span, core::Dimension::dimensionless);
    map = api::converter_map(loaded, api::map_grid(loaded, c.load_steps, span));
  }
  // The single point after the map: a design error (unknown part) is reported once either way.
  const converters::AssemblyResult result = converters::evaluate(assembly, library, point);

  if (chain) {
    print_out(fmt::format("Chain: {} ({} stages) from {}\n", assembly.name, assembly.stages.size(),
                          c.spec_path));
    print_out(io::format_converter_stages(result));
  } else {
    print_out(fmt::format("Converter: {} ({}, {} kHz) from {}\n", assembly.design.name,
                          converters::name(assembly.design.topology), assembly.design.f_sw_hz / 1e3,
                          c.spec_path));
    print_out(io::format_converter_point(result.total));
  }
  if (want_map) print_out(io::format_efficiency_map(map));
  if (!c.claims_against.empty()) {
    if (chain)
      throw CLI::ValidationError("--claims-against",
                                 "the device claims are checked on one design, not a chain "
                                 "(fix: give a stage's SPEC file)");
    study::DeviceAlternative own;
    own.label = "design";
    study::DeviceAlternative si;
    si.label = "Si";
    const auto slash = c.claims_against.find('/');
    si.primary_device = c.claims_against.substr(0, slash);
    si.secondary_device =
        slash == std::string::npos ? si.primary_device : c.claims_against.substr(slash + 1);
    const study::DeviceClaimsResult r =
        study::evaluate_device_claims(assembly.design, library, point, {own, si});
    print_out(fmt::format("\nDevice claims: {} ({}) against {} at {:g} V -> {:g} V, {:g} W\n",
                          assembly.design.primary_device, assembly.design.name, c.claims_against,
                          point.v_in_v, point.v_out_v, point.p_out_w));
    for (const auto& cl : r.claims)
      fmt::print("  {:<58} published {:>7}, computed {} (as given {}) -> {}\n", cl.spec.text,
                 cl.published, cl.computed,
                 cl.spec.id == "speed" ? fmt::format("{:.2f}x", cl.computed_default)
                                       : fmt::format("{:.1f} %", 100.0 * cl.computed_default),
                 study::verdict_name(cl.verdict));
  }
  if (!c.svg_path.empty())
    io::write_file_atomic(c.svg_path,
                          report::efficiency_map_svg(assembly.design, map, point.v_in_v));
  if (!c.csv_path.empty()) io::write_file_atomic(c.csv_path, io::efficiency_map_csv(map));
  return exit_ok;
}

}  // namespace g2g::cli

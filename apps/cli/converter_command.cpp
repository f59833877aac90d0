// `grid2gpu converter SPEC.yaml [--map]`: a thin shell over converters::evaluate,
// converters::efficiency_map and report::efficiency_map_svg. Prints one operating point (loss
// breakdown, switch positions with junction temperature and ZVS) and, with --map, the efficiency
// map; writes the map as SVG and CSV atomically.
#include "converter_command.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "common.hpp"
#include "g2g/converters/chain.hpp"
#include "g2g/converters/converter.hpp"
#include "g2g/converters/spec_loader.hpp"
#include "g2g/devices/library.hpp"
#include "g2g/io/converter_designs.hpp"
#include "g2g/io/files.hpp"
#include "g2g/magnetics/library.hpp"
#include "g2g/report/converter_plot.hpp"
#include "g2g/study/device_claims.hpp"

namespace g2g::cli {
namespace {

std::string watts(double w) {
  return w == 0.0 ? std::string("0 W") : core::format_quantity(w, core::Dimension::active_power, 4);
}

std::string point_table(const converters::ConverterResult& r) {
  std::string out = fmt::format(
      "Operating point: V_in {}, V_out {}, P_out {}\n  P_in {}, efficiency {:.3f} %, loss {}\n",
      core::format_quantity(r.point.v_in_v, core::Dimension::voltage),
      core::format_quantity(r.point.v_out_v, core::Dimension::voltage), watts(r.point.p_out_w),
      watts(r.p_in_w), 100.0 * r.efficiency, watts(r.loss.total_w()));
  out += "\nLoss breakdown\n";
  const std::pair<const char*, double> parts[] = {{"conduction", r.loss.conduction_w},
                                                  {"switching", r.loss.switching_w},
                                                  {"dead time", r.loss.dead_time_w},
                                                  {"gate", r.loss.gate_w},
                                                  {"core", r.loss.core_w},
                                                  {"winding", r.loss.winding_w},
                                                  {"capacitor", r.loss.capacitor_w},
                                                  {"other", r.loss.other_w}};
  const double total = r.loss.total_w();
  for (const auto& [name, w] : parts)
    out += fmt::format("  {:<11} {:>10}  {:5.1f} %\n", name, watts(w),
                       total > 0.0 ? 100.0 * w / total : 0.0);
  out += "\nSwitch positions (loss per device)\n";
  out += fmt::format("  {:<26} {:<14} {:>3} {:>10} {:>10} {:>10} {:>8}  {}\n", "position", "device",
                     "n", "cond.", "switch.", "total", "T_j", "ZVS");
  for (const auto& s : r.switches)
    out += fmt::format("  {:<26} {:<14} {:>3} {:>10} {:>10} {:>10} {:>6.1f} C  {}{}\n", s.position,
                       s.device, s.count, watts(s.loss.conduction_w), watts(s.loss.switching_w()),
                       watts(s.loss.total_w()), s.thermal.t_j_c, s.zvs ? "yes" : "no",
                       s.thermal.over_limit ? "  ABOVE T_j max" : "");
  if (std::isfinite(r.t_sink_c))
    out += fmt::format("Devices' ambient (shared heatsink, or the air): {:.1f} C\n", r.t_sink_c);
  for (const auto& w : r.warnings) out += fmt::format("warning: {}\n", w);
  return out;
}

std::string map_table(const converters::EfficiencyMap& map) {
  std::string out = "\nEfficiency map (%), rows: V_in, columns: load (% of rating)\n  V_in \\ load";
  for (const double f : map.load_fractions) out += fmt::format(" {:>6.0f}", 100.0 * f);
  out += '\n';
  const std::size_t loads = map.load_fractions.size();
  for (std::size_t r = 0; r < map.v_in_v.size(); ++r) {
    out += fmt::format("  {:>9}  ", core::format_quantity(map.v_in_v[r], core::Dimension::voltage));
    for (std::size_t c = 0; c < loads; ++c) {
      const double e = map.points[r * loads + c].efficiency;
      out += std::isfinite(e) ? fmt::format(" {:6.2f}", 100.0 * e) : std::string("      -");
    }
    out += '\n';
  }
  return out;
}

std::string map_csv(const converters::EfficiencyMap& map) {
  std::string out =
      "v_in_v,load_fraction,p_out_w,p_in_w,efficiency,conduction_w,switching_w,dead_time_w,"
      "gate_w,core_w,winding_w,capacitor_w,other_w,curve_w,zvs_all,thermal_ok\n";
  const std::size_t loads = map.load_fractions.size();
  for (std::size_t i = 0; i < map.points.size(); ++i) {
    const auto& p = map.points[i];
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", p.point.v_in_v,
                       loads > 0 ? map.load_fractions[i % loads] : 0.0, p.point.p_out_w, p.p_in_w,
                       p.efficiency, p.loss.conduction_w, p.loss.switching_w, p.loss.dead_time_w,
                       p.loss.gate_w, p.loss.core_w, p.loss.winding_w, p.loss.capacitor_w,
                       p.loss.other_w, p.loss.curve_w, p.zvs_all ? 1 : 0, p.thermal_ok ? 1 : 0);
  }
  return out;
}

}  // namespace

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

namespace {

std::string stage_table(const converters::AssemblyResult& r) {
  std::string out = fmt::format(
      "Operating point: V_in {}, V_out {}, P_out {}\n  P_in {}, efficiency {:.3f} %, loss {}\n",
      core::format_quantity(r.total.point.v_in_v, core::Dimension::voltage),
      core::format_quantity(r.total.point.v_out_v, core::Dimension::voltage),
      watts(r.total.point.p_out_w), watts(r.total.p_in_w), 100.0 * r.total.efficiency,
      watts(r.total.loss.total_w()));
  out += "\nStages (input first; losses of all the stage's modules)\n";
  out += fmt::format("  {:<44} {:>5} {:>10} {:>10} {:>10} {:>9} {:>10}\n", "stage", "units", "V_in",
                     "V_out", "P_out", "eff.", "loss");
  for (const auto& s : r.stages) {
    const std::string label = std::string(2 * static_cast<std::size_t>(s.depth), ' ') + s.label +
                              (s.kind == converters::Assembly::Kind::curve ? " (curve)" : "");
    out += fmt::format("  {:<44} {:>5} {:>10} {:>10} {:>10} {:>8.3f}% {:>10}\n", label, s.units,
                       core::format_quantity(s.point.v_in_v, core::Dimension::voltage),
                       core::format_quantity(s.point.v_out_v, core::Dimension::voltage),
                       watts(s.point.p_out_w), 100.0 * s.efficiency, watts(s.loss.total_w()));
  }
  out += "\nLoss breakdown of the whole chain\n";
  const std::pair<const char*, double> parts[] = {{"conduction", r.total.loss.conduction_w},
                                                  {"switching", r.total.loss.switching_w},
                                                  {"dead time", r.total.loss.dead_time_w},
                                                  {"gate", r.total.loss.gate_w},
                                                  {"core", r.total.loss.core_w},
                                                  {"winding", r.total.loss.winding_w},
                                                  {"capacitor", r.total.loss.capacitor_w},
                                                  {"other", r.total.loss.other_w},
                                                  {"curve", r.total.loss.curve_w}};
  const double total = r.total.loss.total_w();
  for (const auto& [name, w] : parts)
    out += fmt::format("  {:<11} {:>10}  {:5.1f} %\n", name, watts(w),
                       total > 0.0 ? 100.0 * w / total : 0.0);
  for (const auto& w : r.total.warnings) out += fmt::format("warning: {}\n", w);
  return out;
}

}  // namespace

int run_converter(const ConverterCommand& c) {
  // The SPEC and every file it names (stages, device_library), confined to its directory;
  // --devices DIR replaces every SPEC's own device_library.
  const io::LoadedConverterSpec loaded = io::load_converter_spec(c.spec_path, c.devices_dir);
  const converters::Assembly& assembly = loaded.assembly;
  const bool chain = assembly.kind != converters::Assembly::Kind::physics;
  const converters::Library library{
      assembly.parts ? assembly.parts.get() : &devices::default_devices(),
      &magnetics::default_materials()};
  const converters::Nominal nominal = converters::nominal(assembly);

  converters::OperatingPoint point{nominal.v_in_v, nominal.v_out_v, nominal.rating_w};
  if (!c.v_in.empty()) point.v_in_v = quantity_option("--v-in", c.v_in, core::Dimension::voltage);
  if (!c.v_out.empty())
    point.v_out_v = quantity_option("--v-out", c.v_out, core::Dimension::voltage);
  if (!c.power.empty())
    point.p_out_w = quantity_option("--power", c.power, core::Dimension::active_power);
  if (!(point.v_in_v > 0.0 && point.v_out_v > 0.0 && point.p_out_w >= 0.0))
    throw CLI::ValidationError("converter",
                               "the operating point needs positive voltages and a power >= 0 "
                               "(fix: give them with --v-in/--v-out/--power or in the SPEC)");
  if (chain && !c.svg_path.empty())
    throw CLI::ValidationError("--svg",
                               "the map picture is drawn for one design, not a chain (fix: use "
                               "--map or --csv for a chain)");

  const bool want_map = c.map || !c.svg_path.empty() || !c.csv_path.empty();
  converters::EfficiencyMap map;
  if (want_map) {
    const double span = quantity_option("--v-in-span", c.v_in_span, core::Dimension::dimensionless);
    if (!(span >= 0.0 && span < 1.0))
      throw CLI::ValidationError("--v-in-span", "give a span below 100 % (fix: e.g. 10%)");
    std::vector<double> loads;
    for (int k = 1; k <= c.load_steps; ++k) loads.push_back(static_cast<double>(k) / c.load_steps);
    std::vector<double> v_in{nominal.v_in_v};
    if (span > 0.0)
      v_in = {nominal.v_in_v * (1.0 - span), nominal.v_in_v, nominal.v_in_v * (1.0 + span)};
    map = chain ? converters::efficiency_map(assembly, library, loads, v_in)
                : converters::efficiency_map(assembly.design, library, loads, v_in);
  }
  // The single point after the map: a design error (unknown part) is reported once either way.
  const converters::AssemblyResult result = converters::evaluate(assembly, library, point);

  if (chain) {
    fmt::print("Chain: {} ({} stages) from {}\n", assembly.name, assembly.stages.size(),
               c.spec_path);
    std::fputs(stage_table(result).c_str(), stdout);
  } else {
    fmt::print("Converter: {} ({}, {} kHz) from {}\n", assembly.design.name,
               converters::name(assembly.design.topology), assembly.design.f_sw_hz / 1e3,
               c.spec_path);
    std::fputs(point_table(result.total).c_str(), stdout);
  }
  if (want_map) std::fputs(map_table(map).c_str(), stdout);
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
    fmt::print("\nDevice claims: {} ({}) against {} at {:g} V -> {:g} V, {:g} W\n",
               assembly.design.primary_device, assembly.design.name, c.claims_against, point.v_in_v,
               point.v_out_v, point.p_out_w);
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
  if (!c.csv_path.empty()) io::write_file_atomic(c.csv_path, map_csv(map));
  return exit_ok;
}

}  // namespace g2g::cli

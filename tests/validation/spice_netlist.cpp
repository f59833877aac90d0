#include "validation/spice_netlist.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <stdexcept>

#include "support/test_support.hpp"

namespace g2g::test {
namespace {

using model::BusIndex;

// Adds one load's SPICE elements at `node`; `p_w` is its power at nominal voltage.
void write_load(fmt::memory_buffer& out, std::size_t index, const std::string& node,
                model::LoadModel load_model, double p_w, double z, double i, double p,
                double v_nominal_v, double v_floor_v) {
  switch (load_model) {
    case model::LoadModel::constant_power:
    case model::LoadModel::gpu_rack:
      z = 0.0;
      i = 0.0;
      p = 1.0;
      break;
    case model::LoadModel::constant_current:
      z = 0.0;
      i = 1.0;
      p = 0.0;
      break;
    case model::LoadModel::constant_impedance:
      z = 1.0;
      i = 0.0;
      p = 0.0;
      break;
    case model::LoadModel::zip:
      break;
  }
  if (z != 0.0 && p_w != 0.0)
    fmt::format_to(std::back_inserter(out), "RL{} {} 0 {}\n", index, node,
                   v_nominal_v * v_nominal_v / (z * p_w));
  if (i != 0.0)
    fmt::format_to(std::back_inserter(out), "IL{} {} 0 DC {}\n", index, node,
                   i * p_w / v_nominal_v);
  if (p != 0.0)
    fmt::format_to(std::back_inserter(out), "BL{} {} 0 I={}/max(V({}),{})\n", index, node, p * p_w,
                   node, v_floor_v);
}

}  // namespace

std::string spice_node(BusIndex bus) {
  return fmt::format("n{}", bus);
}

std::string write_spice_dc_netlist(const model::ModelSpec& model, const SpiceOptions& options) {
  for (const auto& bus : model.buses)
    if (bus.kind != model::BusKind::dc)
      throw std::invalid_argument("spice netlist: AC bus " + bus.id + " (DC models only)");
  if (!model.transformers.empty() || !model.converters.empty())
    throw std::invalid_argument("spice netlist: transformers and converters are not supported");

  std::vector<std::string> nodes;
  nodes.reserve(model.buses.size());
  for (std::size_t b = 0; b < model.buses.size(); ++b)
    nodes.push_back(spice_node(static_cast<BusIndex>(b)));
  auto node = [&nodes](BusIndex bus) -> const std::string& {
    return nodes.at(static_cast<std::size_t>(bus));
  };
  auto v_nominal = [&model](BusIndex bus) {
    return model.buses.at(static_cast<std::size_t>(bus)).nominal_voltage_v;
  };

  fmt::memory_buffer out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "* grid2gpu model '{}' as a DC operating point\n", model.name);
  fmt::format_to(it, ".options reltol={} abstol={} vntol={}\n", options.reltol, options.abstol_a,
                 options.vntol_v);
  for (std::size_t s = 0; s < model.sources.size(); ++s) {
    const auto& source = model.sources[s];
    if (!source.in_service) continue;
    if (source.type != model::SourceType::dc_source)
      throw std::invalid_argument("spice netlist: source " + source.id + " is not a dc_source");
    fmt::format_to(it, "VS{} {} 0 DC {}\n", s, node(source.bus),
                   source.v_set_pu * v_nominal(source.bus));
  }
  for (std::size_t l = 0; l < model.lines.size(); ++l) {
    const auto& line = model.lines[l];
    if (!line.in_service) continue;
    if (!line.r_ohm)
      throw std::invalid_argument("spice netlist: line " + line.id + " has no explicit r_ohm");
    fmt::format_to(it, "R{} {} {} {}\n", l, node(line.from), node(line.to), *line.r_ohm);
  }
  for (std::size_t k = 0; k < model.switches.size(); ++k) {
    const auto& sw = model.switches[k];
    if (sw.closed) fmt::format_to(it, "VW{} {} {} DC 0\n", k, node(sw.from), node(sw.to));
  }
  for (std::size_t d = 0; d < model.loads.size(); ++d) {
    const auto& load = model.loads[d];
    if (!load.in_service) continue;
    const double v_nom = v_nominal(load.bus);
    write_load(out, d, node(load.bus), load.model, model::nominal_load_power_w(load), load.zip_z,
               load.zip_i, load.zip_p, v_nom, options.constant_power_floor_pu * v_nom);
  }
  for (std::size_t k = 0; k < model.storage.size(); ++k) {
    const auto& st = model.storage[k];
    if (!st.in_service || st.p_set_w == 0.0) continue;
    const double v_nom = v_nominal(st.bus);
    fmt::format_to(it, "BST{} {} 0 I={}/max(V({}),{})\n", k, node(st.bus), -st.p_set_w,
                   node(st.bus), options.constant_power_floor_pu * v_nom);
  }
  // numdgt=16 makes `print` show 17 significant digits, enough to round-trip a double; `quit 0`
  // because batch mode otherwise exits 1 when the deck itself has no analysis line.
  fmt::format_to(it, ".control\nset numdgt=16\nop\nprint all\nquit 0\n.endc\n.end\n");
  return fmt::to_string(out);
}

std::vector<double> parse_ngspice_voltages(std::string_view output, std::size_t bus_count) {
  std::vector<double> volts(bus_count, 0.0);
  std::vector<bool> seen(bus_count, false);
  std::size_t pos = 0;
  while (pos < output.size()) {
    std::size_t end = output.find('\n', pos);
    if (end == std::string_view::npos) end = output.size();
    std::string_view line = output.substr(pos, end - pos);
    pos = end + 1;
    // Accept exactly "n<digits> = <number>", ignoring branch currents and notes.
    if (line.size() < 5 || line[0] != 'n') continue;
    const std::size_t eq = line.find(" = ");
    if (eq == std::string_view::npos) continue;
    std::size_t index = 0;
    const auto [name_end, name_err] = std::from_chars(line.data() + 1, line.data() + eq, index);
    if (name_err != std::errc() || name_end != line.data() + eq || index >= bus_count) continue;
    // strtod rather than from_chars<double>: its locale handling is what ngspice's printf uses.
    const std::string number(line.substr(eq + 3));
    char* number_end = nullptr;
    const double value = std::strtod(number.c_str(), &number_end);
    if (number_end == number.c_str()) continue;
    volts[index] = value;
    seen[index] = true;
  }
  for (std::size_t b = 0; b < bus_count; ++b)
    if (!seen[b])
      throw std::runtime_error("ngspice printed no voltage for " +
                               spice_node(static_cast<BusIndex>(b)));
  return volts;
}

bool ngspice_available() {
  return run_command("command -v ngspice").exit_code == 0;
}

NgspiceRun run_ngspice(const std::filesystem::path& netlist, std::size_t bus_count) {
  NgspiceRun run;
  const auto result = run_command("ngspice -b '" + netlist.string() + "'");
  run.output = result.output;
  if (result.exit_code != 0)
    throw std::runtime_error("ngspice failed (exit " + std::to_string(result.exit_code) + "):\n" +
                             run.output.substr(0, 4000));
  try {
    run.voltages_v = parse_ngspice_voltages(run.output, bus_count);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string(e.what()) + "\nngspice output:\n" +
                             run.output.substr(0, 4000));
  }
  return run;
}

}  // namespace g2g::test

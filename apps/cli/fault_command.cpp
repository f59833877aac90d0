// `grid2gpu fault`: a thin shell over api::fault_at_bus (the time-domain fault, per bus or at
// every DC bus) and shortcircuit::iec61660_fault. It reads the model (api), checks the bus,
// prints a row per location (time) or each source's i_p, t_p, tau1, tau2 and I_k, the total and
// what the method leaves out (iec61660, with the time-domain result beside it when a
// resistance is given), and writes the same as JSON.
#include "fault_command.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>

#include "g2g/api/fault_study.hpp"
#include "g2g/api/simulate.hpp"
#include "g2g/core/units.hpp"
#include "g2g/dynamic/fault_figures.hpp"
#include "g2g/shortcircuit/fault_sources.hpp"

namespace g2g::cli {
namespace {

std::string ms(std::optional<double> t_s) {
  return t_s ? fmt::format("{:.4g}", 1e3 * *t_s) : std::string("n/a");
}

nlohmann::json optional_json(std::optional<double> v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json study_json(const shortcircuit::FaultStudy& s, const std::string& model_path) {
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& c : s.capacitors) {
    sources.push_back({{"element", c.element},
                       {"source", "capacitor"},
                       {"role", c.role},
                       {"bus", c.bus},
                       {"e_v", c.circuit.e_v},
                       {"c_f", c.circuit.c_f},
                       {"esr_ohm", c.esr_ohm},
                       {"path_r_ohm", c.path_r_ohm},
                       {"path_l_h", c.path_l_h},
                       {"path_lines", c.path_lines},
                       {"i_p_a", c.iec.i_p_a},
                       {"t_p_s", c.iec.t_p_s},
                       {"tau1_s", optional_json(c.iec.tau1_s)},
                       {"tau2_s", optional_json(c.iec.tau2_s)},
                       {"i_k_a", c.iec.i_k_a},
                       {"missing", c.iec.missing}});
  }
  nlohmann::json left_out = nlohmann::json::array();
  for (const auto& l : s.left_out)
    left_out.push_back({{"element", l.element}, {"reason", l.reason}});
  nlohmann::json total = {{"sum_of_peaks_a", s.sum_of_peaks_a},
                          {"sum_of_quasi_steady_a", s.sum_of_quasi_steady_a}};
  if (s.superposed_peak_a > 0.0) {
    total["superposed_peak_a"] = s.superposed_peak_a;
    total["superposed_peak_time_s"] = s.superposed_peak_time_s;
  }
  return {{"grid2gpu_fault", 1},
          {"model", model_path},
          {"bus", s.bus},
          {"nominal_voltage_v", s.nominal_voltage_v},
          {"method", "iec61660"},
          {"sources", sources},
          {"total", total},
          {"left_out", left_out},
          {"method_limits", shortcircuit::method_limits()}};
}

double quantity(const std::string& option, const std::string& text, core::Dimension dimension) {
  const core::ParsedQuantity q = core::parse_quantity(text, dimension);
  if (!q.ok)
    throw InvalidInput(option, fmt::format("{}: {}: {}", option, text, q.error.message),
                       q.error.fix);
  return q.value;
}

void print_location(const api::FaultLocation& l) {
  if (!l.fault) {
    print_out(fmt::format("  {:<28} no result: {}\n", l.bus, l.error));
    return;
  }
  const dynamic::FaultSummary& f = *l.fault;
  const std::size_t off = dynamic::converters_off(f);
  const dynamic::BusDip* dip = dynamic::deepest_dip(f);
  const double deepest = dip != nullptr ? std::max(dip->depth, 0.0) : 0.0;
  const std::string cleared =
      l.selectivity.empty()
          ? (f.clearing_s ? "fault cleared" : "not cleared")
          : fmt::format("{}{}", l.selectivity.front().cleared_by,
                        l.selectivity.front().selective ? "" : " (not selective)");
  print_out(fmt::format("  {:<28} {:>9.4g} {:>9.4g} {:>9.4g} {:>9.4g} {:>9} {:>7.1f} {:>5} {}\n",
                        l.bus, f.peak_a / 1e3, 1e3 * (f.peak_t_s - f.time_s),
                        f.max_di_dt_a_per_s / 1e6, f.i2t_a2s / 1e3, ms(f.clearing_s),
                        100.0 * deepest, off, cleared));
}

}  // namespace

CLI::App* add_fault_command(CLI::App& app, FaultCommand& c) {
  auto* command = app.add_subcommand(
      "fault",
      "DC pole-to-pole faults: in time at a bus or at every DC bus, or by IEC 61660-1 "
      "(docs/shortcircuit.md)");
  command->add_option("MODEL", c.model_path, "Model file (.yaml, .json)")->required();
  auto* bus = command->add_option("--bus", c.bus, "The DC bus with the pole-to-pole fault")
                  ->type_name("BUS");
  auto* all = command->add_option("--all-buses", c.all_buses, "A fault at every DC bus in turn")
                  ->check(CLI::IsMember({"dc"}))
                  ->type_name("dc");
  auto* some = command
                   ->add_option("--buses", c.buses,
                                "A fault at every DC bus whose id matches, in turn (e.g. "
                                "'row[*]/busway': the buses of one template)")
                   ->type_name("PATTERN");
  bus->excludes(all);
  bus->excludes(some);
  all->excludes(some);
  command->add_option("--method", c.method, "time (default) or iec61660")
      ->check(CLI::IsMember({"time", "iec61660"}))
      ->type_name("METHOD");
  command->add_option("--resistance", c.resistance, "The fault's resistance, e.g. 10mohm")
      ->type_name("R");
  command->add_option("--time", c.inception, "When the fault appears (default 1 ms)")
      ->type_name("T");
  command->add_option("--after", c.after, "Simulated after the fault appears (default 100 ms)")
      ->type_name("T");
  command->add_option("--clear", c.clear, "The fault extinguishes this long after it appears")
      ->type_name("T");
  command
      ->add_option("--scenario", c.scenario_path,
                   "A scenario whose loads, storage, solver and aggregation the faults run on "
                   "(its own faults and recording are dropped)")
      ->type_name("FILE");
  command->add_option("--json", c.json_path, "Write the result as JSON")->type_name("FILE");
  add_model_options(command, c.model);
  return command;
}

int run_fault(const FaultCommand& c) {
  refuse_outputs_over_inputs({c.json_path}, {c.model_path, c.scenario_path});
  if (c.method == "iec61660" && c.bus.empty())
    throw InvalidInput("--all-buses", "--method iec61660 is for one bus: give --bus BUS");
  if (c.method == "time" && c.resistance.empty())
    throw InvalidInput("--resistance",
                       "--resistance: the fault's resistance is needed to simulate it",
                       "give it with its unit, e.g. --resistance 10mohm");
  const api::ModelOptions options = load_options(c.model);
  const api::ValidatedModel validated = api::load_model(c.model_path, options);
  const model::ModelSpec& model = validated.spec();
  print_diagnostics(validated.warnings());

  // The time-domain study: its locations, each checked as the IEC calculation checks its bus.
  nlohmann::json time_json;
  if (!c.resistance.empty()) {
    api::FaultStudyOptions study;
    study.resistance_ohm = quantity("--resistance", c.resistance, core::Dimension::resistance);
    if (!c.inception.empty())
      study.inception_s = quantity("--time", c.inception, core::Dimension::time);
    if (!c.after.empty()) study.after_s = quantity("--after", c.after, core::Dimension::time);
    if (!c.clear.empty()) study.clear_after_s = quantity("--clear", c.clear, core::Dimension::time);
    api::check_fault_options(study);
    const dynamic::Scenario base = c.scenario_path.empty()
                                       ? api::steady_scenario(validated)
                                       : api::load_scenario(c.scenario_path, options.allowed_paths);
    const std::vector<std::string> buses =
        api::fault_locations(validated, c.bus, c.buses, !c.all_buses.empty());
    print_out(fmt::format(
        "fault: in time, {} at {}, {} after inception{}, on '{}'\n",
        core::format_quantity(study.resistance_ohm, core::Dimension::resistance),
        core::format_quantity(study.inception_s, core::Dimension::time),
        core::format_quantity(study.after_s, core::Dimension::time),
        study.clear_after_s
            ? fmt::format(", extinguished {} after",
                          core::format_quantity(*study.clear_after_s, core::Dimension::time))
            : std::string(),
        base.name));
    print_out(fmt::format("  {:<28} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7} {:>5} {}\n", "bus",
                          "peak (kA)", "at (ms)", "di/dt A/us", "I2t kA2s", "clear (ms)", "dip %",
                          "off", "cleared by"));
    nlohmann::json rows = nlohmann::json::array();
    std::size_t failed = 0;
    double wall_s = 0.0;
    for (const auto& bus : buses) {
      const api::FaultLocation location = api::fault_at_bus(validated, base, bus, study);
      print_location(location);
      failed += location.fault ? 0 : 1;
      wall_s += location.wall_s;
      rows.push_back(api::fault_location_json(location));
    }
    print_out(fmt::format("  {} location(s), {} without a result, {:.3g} s of simulation\n",
                          buses.size(), failed, wall_s));
    time_json = {{"resistance_ohm", study.resistance_ohm},
                 {"inception_s", study.inception_s},
                 {"after_s", study.after_s},
                 {"clear_after_s", optional_json(study.clear_after_s)},
                 {"scenario", base.name},
                 {"locations", rows}};
  }
  if (c.method == "time") {
    if (!c.json_path.empty())
      io::write_file_atomic(c.json_path, nlohmann::json({{"grid2gpu_fault", 1},
                                                         {"model", c.model_path},
                                                         {"method", "time"},
                                                         {"time", time_json}})
                                                 .dump(2) +
                                             "\n");
    return exit_ok;
  }

  const auto bus = shortcircuit::find_fault_bus(model, c.bus);
  const auto study = shortcircuit::iec61660_fault(model, bus);
  print_out(fmt::format("fault: IEC 61660-1 at DC bus '{}' ({:g} V), pole to pole, bolted\n",
                        study.bus, study.nominal_voltage_v));
  // Largest first; a hall of 1,000 racks prints the 20 largest (the JSON has all).
  std::vector<const shortcircuit::CapacitorSource*> order;
  for (const auto& s : study.capacitors) order.push_back(&s);
  std::stable_sort(order.begin(), order.end(),
                   [](auto* a, auto* b) { return a->iec.i_p_a > b->iec.i_p_a; });
  constexpr std::size_t shown = 20;
  print_out(fmt::format("  {:<32} {:<17} {:>11} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8}\n", "source",
                        "as", "i_p (kA)", "t_p (ms)", "tau1 (ms)", "tau2 (ms)", "I_k (kA)",
                        "R (mohm)", "L (uH)"));
  for (std::size_t k = 0; k < order.size() && k < shown; ++k) {
    const auto& s = *order[k];
    print_out(fmt::format(
        "  {:<32} {:<17} {:>11.5g} {:>9.4g} {:>9} {:>9} {:>9.4g} {:>9.4g} "
        "{:>8.4g}\n",
        s.element, s.role, s.iec.i_p_a / 1e3, 1e3 * s.iec.t_p_s, ms(s.iec.tau1_s), ms(s.iec.tau2_s),
        s.iec.i_k_a / 1e3, 1e3 * s.circuit.r_ohm, 1e6 * s.circuit.l_h));
  }
  if (order.size() > shown)
    print_out(
        fmt::format("  ... and {} more (--json FILE has every source)\n", order.size() - shown));
  const bool any_missing = std::any_of(study.capacitors.begin(), study.capacitors.end(),
                                       [](const auto& s) { return !s.iec.missing.empty(); });
  if (any_missing)
    print_out(
        "  n/a: tau1C and tau2C need the factors k1C and k2C from charts of IEC 61660-1 "
        "that no public source reproduced; not guessed\n");
  print_out(
      fmt::format("  total  i_p <= {:.5g} kA (sum of the partial peaks; not the "
                  "standard's summation), I_k {:.4g} kA\n",
                  study.sum_of_peaks_a / 1e3, study.sum_of_quasi_steady_a / 1e3));
  if (study.superposed_peak_a > 0.0)
    print_out(fmt::format("         superposed partial currents peak at {:.5g} kA at {:.4g} ms\n",
                          study.superposed_peak_a / 1e3, 1e3 * study.superposed_peak_time_s));
  if (!study.left_out.empty()) {
    print_out(fmt::format("  left out at this bus ({}):\n", study.left_out.size()));
    std::size_t k = 0;
    for (const auto& l : study.left_out) {
      if (k++ == shown) {
        print_out(fmt::format("    ... and {} more\n", study.left_out.size() - shown));
        break;
      }
      print_out(fmt::format("    {}: {}\n", l.element, l.reason));
    }
  }
  print_out("  not covered by this calculation:\n");
  for (const auto& limit : shortcircuit::method_limits()) print_out(fmt::format("    {}\n", limit));
  if (time_json.is_null())
    print_out("  in time: give --resistance (e.g. 1mohm) to simulate the same fault beside this\n");
  if (!c.json_path.empty()) {
    nlohmann::json out = study_json(study, c.model_path);
    if (!time_json.is_null()) out["time"] = time_json;
    io::write_file_atomic(c.json_path, out.dump(2) + "\n");
  }
  return exit_ok;
}

}  // namespace g2g::cli

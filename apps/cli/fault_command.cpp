// `grid2gpu fault`: a thin shell over shortcircuit::iec61660_fault. It reads the model (api),
// finds the bus, prints each source's i_p, t_p, tau1, tau2 and I_k, the total, and what the
// method leaves out, and writes the same as JSON.
#include "fault_command.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>

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

}  // namespace

CLI::App* add_fault_command(CLI::App& app, FaultCommand& c) {
  auto* command = app.add_subcommand(
      "fault", "DC short-circuit currents at a bus by IEC 61660-1 (docs/shortcircuit.md)");
  command->add_option("MODEL", c.model_path, "Model file (.yaml, .json)")->required();
  command->add_option("--bus", c.bus, "The DC bus with the pole-to-pole fault")
      ->required()
      ->type_name("BUS");
  command->add_option("--method", c.method, "Calculation method (iec61660)")
      ->check(CLI::IsMember({"iec61660"}))
      ->type_name("METHOD");
  command->add_option("--json", c.json_path, "Write the result as JSON")->type_name("FILE");
  add_model_options(command, c.model);
  return command;
}

int run_fault(const FaultCommand& c) {
  refuse_outputs_over_inputs({c.json_path}, {c.model_path});
  const api::ValidatedModel validated = api::load_model(c.model_path, load_options(c.model));
  const model::ModelSpec& model = validated.spec();
  print_diagnostics(validated.warnings());
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
  if (!c.json_path.empty())
    io::write_file_atomic(c.json_path, study_json(study, c.model_path).dump(2) + "\n");
  return exit_ok;
}

}  // namespace g2g::cli

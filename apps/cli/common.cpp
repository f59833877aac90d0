#include "common.hpp"

namespace g2g::cli {

void print_diagnostics(const core::DiagnosticList& diagnostics) {
  for (const auto& item : diagnostics.items()) {
    std::fputs(core::format_diagnostic(item).c_str(), stderr);
    std::fputc('\n', stderr);
  }
}

void print_model_error(const core::ModelError& error) {
  const auto& diagnostics = error.diagnostics();
  if (diagnostics.items().empty()) {
    fmt::print(stderr, "grid2gpu: error: {}\n", core::printable(error.what()));
    return;
  }
  print_diagnostics(diagnostics);
  const std::size_t warnings = diagnostics.items().size() - diagnostics.error_count();
  fmt::print(stderr, "{} error{}{}\n", diagnostics.error_count(),
             diagnostics.error_count() == 1 ? "" : "s",
             warnings > 0 ? fmt::format(", {} warning{}", warnings, warnings == 1 ? "" : "s")
                          : std::string());
}

namespace {
// "8G", "512M", "1.5 GiB", "2000000000": bytes, with binary K/M/G/T multiples.
std::uint64_t memory_option(const std::string& text) {
  double value = 0.0;
  std::size_t used = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  std::string unit = text.substr(used);
  std::erase(unit, ' ');
  if (!unit.empty() && unit.back() == 'B') unit.pop_back();
  if (unit.size() == 2 && unit[1] == 'i') unit.pop_back();
  double scale = 0.0;
  if (unit.empty())
    scale = 1.0;
  else if (unit == "K" || unit == "k")
    scale = 1024.0;
  else if (unit == "M")
    scale = 1024.0 * 1024.0;
  else if (unit == "G")
    scale = 1024.0 * 1024.0 * 1024.0;
  else if (unit == "T")
    scale = 1024.0 * 1024.0 * 1024.0 * 1024.0;
  if (used == 0 || scale == 0.0 || !(value > 0.0) || !(value * scale < 1.8e19))
    throw CLI::ValidationError(
        "--max-memory",
        fmt::format("'{}' is not an amount of memory (fix: write e.g. --max-memory 8G)", text));
  return static_cast<std::uint64_t>(value * scale);
}
}  // namespace

api::ModelOptions load_options(const ModelArgs& args) {
  api::ModelOptions options;
  options.allowed_paths.assign(args.allow_paths.begin(), args.allow_paths.end());
  if (!args.max_memory.empty()) options.memory_limit_bytes = memory_option(args.max_memory);
  for (const auto& a : args.set) {
    const auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0)
      throw CLI::ValidationError(
          "--set", fmt::format("'{}' is not NAME=VALUE (fix: write e.g. --set rack_power=1MW)", a));
    options.parameters.push_back({a.substr(0, eq), a.substr(eq + 1)});
  }
  return options;
}

void add_model_options(CLI::App* command, ModelArgs& args) {
  command
      ->add_option("--set", args.set,
                   "Override a model parameter, e.g. --set rack_power=1MW (repeatable)")
      ->type_name("NAME=VALUE");
  command
      ->add_option("--allow-path", args.allow_paths,
                   "Let a model's design: files come from DIR too, not only from the model's "
                   "directory tree (repeatable; docs/model-format.md)")
      ->type_name("DIR");
  command
      ->add_option("--max-memory", args.max_memory,
                   "Refuse a model whose expanded size would need more memory than this to "
                   "check and solve, e.g. 8G (default: this machine's physical memory)")
      ->type_name("SIZE");
}

void refuse_outputs_over_inputs(std::initializer_list<std::string_view> outputs,
                                std::initializer_list<std::string_view> inputs) {
  std::vector<std::filesystem::path> input_paths;
  for (const std::string_view input : inputs)
    if (!input.empty()) input_paths.emplace_back(input);
  for (const std::string_view output : outputs)
    if (!output.empty()) io::check_output_is_not_input(output, input_paths);
}

void print_out(std::string_view text) {
  std::fputs(core::terminal_text(text).c_str(), stdout);
}

double quantity_option(const std::string& option, const std::string& text,
                       core::Dimension dimension) {
  const core::ParsedQuantity parsed = core::parse_quantity(text, dimension);
  if (!parsed.ok) {
    throw CLI::ValidationError(
        option, fmt::format("{}: {} (fix: {})", text, parsed.error.message, parsed.error.fix));
  }
  return parsed.value;
}

void add_sizing_options(CLI::App* command, SizingArgs& args) {
  command
      ->add_option("--method", args.method,
                   "IEC 60364-5-52 installation method of cables: C, E or F (default E)")
      ->check(CLI::IsMember({"C", "E", "F", "c", "e", "f"}));
  command->add_option("--insulation", args.insulation, "xlpe (90 C, default) or pvc (70 C)")
      ->check(CLI::IsMember({"xlpe", "pvc"}));
  command->add_option("--ambient", args.ambient, "Ambient air temperature (default 30C)")
      ->type_name("TEMP");
  command
      ->add_option("--grouping", args.grouping,
                   "Circuits grouped together, this one included, parallel runs adding to it "
                   "(default 6: feeders sharing a perforated tray in one layer, IEC 60364-5-52 "
                   "Table B.52.17, k = 0.73; an assumption, see docs/sizing.md). 1 = no grouping")
      ->check(CLI::Range(1, 20));
  command
      ->add_option("--arrangement", args.arrangement,
                   "Grouping arrangement (default: single_layer_wall for C, "
                   "single_layer_perforated_tray for E/F)")
      ->check(CLI::IsMember({"bunched", "single_layer_wall", "single_layer_ceiling",
                             "single_layer_perforated_tray", "single_layer_ladder"}));
  command->add_option("--max-drop", args.max_drop, "Voltage-drop limit per line (default 3%)")
      ->type_name("PCT");
  command->add_option("--max-runs", args.max_runs, "Most parallel runs per line (default 4)")
      ->check(CLI::Range(1, 20));
  command->add_option("--max-size", args.max_size, "Largest cable cross-section, e.g. 240mm2")
      ->type_name("AREA");
  command
      ->add_option("--prefer", args.prefer,
                   "Among cables that fit: runs (fewest runs, then the smallest size; default) or "
                   "copper (least copper in total)")
      ->check(CLI::IsMember({"copper", "runs"}));
  command->add_option("--neutral", args.neutral, "LV AC neutral: full (default) or none")
      ->check(CLI::IsMember({"full", "none"}));
  command
      ->add_option("--pe", args.pe,
                   "PE of LV cables: iec (IEC 60364-5-54 Table 54.2, default) or none")
      ->check(CLI::IsMember({"iec", "none"}));
  command->add_option("--busbar-finish", args.busbar_finish, "painted (default) or bare")
      ->check(CLI::IsMember({"painted", "bare"}));
  command
      ->add_option("--dc-busbar-rating", args.dc_busbar_rating,
                   "DIN 43671 column that rates DC busbars: dc (default; no skin or proximity "
                   "effect) or ac (the 50/60 Hz column, as a sensitivity)")
      ->check(CLI::IsMember({"dc", "ac"}));
  command->add_flag("--busbar-pe", args.busbar_pe, "Add a PE bar to busbars (Table 54.2 rule)");
}

sizing::SizingOptions sizing_options(const SizingArgs& o) {
  sizing::SizingOptions options;
  options.method = *sizing::parse_method(o.method);  // CLI11 checked the spelling
  options.insulation = *sizing::parse_insulation(o.insulation);
  options.ambient_c = quantity_option("--ambient", o.ambient, core::Dimension::temperature);
  options.grouped_circuits = o.grouping;
  if (!o.arrangement.empty()) options.arrangement = sizing::parse_arrangement(o.arrangement);
  const double drop = quantity_option("--max-drop", o.max_drop, core::Dimension::dimensionless);
  if (!(drop > 0.0 && drop <= 0.5)) {
    throw CLI::ValidationError(
        "--max-drop", fmt::format("{} is not a drop between 0 and 50 % (fix: write it with %, e.g. "
                                  "--max-drop 3%)",
                                  o.max_drop));
  }
  options.max_voltage_drop_pct = drop * 100.0;
  options.max_parallel_runs = o.max_runs;
  if (!o.max_size.empty())
    options.max_cable_cross_section_m2 =
        quantity_option("--max-size", o.max_size, core::Dimension::area);
  options.preference =
      o.prefer == "copper" ? sizing::Preference::least_copper : sizing::Preference::fewest_runs;
  options.ac_neutral = o.neutral == "none" ? sizing::NeutralRule::none : sizing::NeutralRule::full;
  options.ac_pe = o.pe == "none" ? sizing::PeRule::none : sizing::PeRule::iec_60364_5_54;
  options.dc_pe = options.ac_pe;
  options.busbar_finish = *sizing::parse_busbar_finish(o.busbar_finish);
  options.dc_busbar_rating = *sizing::parse_dc_busbar_rating(o.dc_busbar_rating);
  options.busbar_pe = o.busbar_pe;
  return options;
}

}  // namespace g2g::cli

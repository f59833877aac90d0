// `grid2gpu compare`: a thin shell over api::compare. It turns the options into a
// CompareRequest, prints progress, warnings and the summary (io::compare_summary_table), and
// writes the JSON document and the HTML report (report::render_html) atomically.
#include "compare_command.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>

#include "g2g/api/compare.hpp"
#include "g2g/io/compare_tables.hpp"
#include "g2g/io/files.hpp"
#include "g2g/report/report.hpp"

#ifndef G2G_VERSION
#define G2G_VERSION "unknown"
#endif
#ifndef G2G_COMMIT
#define G2G_COMMIT "unknown"
#endif

namespace g2g::cli {

CLI::App* add_compare_command(CLI::App& app, CompareCommand& c) {
  auto* command = app.add_subcommand(
      "compare",
      "Compare architectures serving the same load under every assumption set: losses over a "
      "year, copper, stages, and two-sided verdicts on the 800 V DC claims (docs/compare.md)");
  command
      ->add_option("INPUTS", c.inputs,
                   "A study file, or two or more model files (the first is the baseline)")
      ->expected(0, 64);
  command->add_option("--html", c.html_path, "Write the report (one self-contained HTML file)")
      ->type_name("FILE");
  command->add_option("--json", c.json_path, "Write the comparison as JSON")->type_name("FILE");
  command
      ->add_option("--assumptions", c.assumptions,
                   "Run only these assumption sets (names, comma-separated; default: every "
                   "set, or the study's)")
      ->type_name("NAMES");
  command->add_flag("--list-assumptions", c.list_assumptions,
                    "List the assumption sets with every value and its source, then exit");
  command
      ->add_option("--assumptions-dir", c.assumptions_dir,
                   "Also read the assumption sets in DIR (*.yaml); a set of the same name "
                   "replaces the shipped one")
      ->type_name("DIR");
  command
      ->add_option("--claims", c.claims_file,
                   "Check the claims in FILE instead of the shipped ones (data/claims/)")
      ->type_name("FILE");
  command
      ->add_option("--scenario", c.scenario_file,
                   "Time-domain scenario with a grid_smoothing storage item: computes the "
                   "rack-storage claim on the 800 V DC architecture (simulates; tens of seconds)")
      ->type_name("FILE");
  command
      ->add_option("--tariff", c.tariff,
                   "Energy price per MWh for the cost of losses (default: the study's, else 80)")
      ->type_name("PRICE");
  command->add_option("--currency", c.currency, "Currency of --tariff (default USD)");
  command->add_option("--hours", c.hours,
                      "Hours a year at the design point when there is no utilisation profile "
                      "(default 8760)");
  command
      ->add_option("--cooling", c.cooling,
                   "kW of cooling per kW of electrical loss (default: the study's, else 0.1)")
      ->type_name("KW_PER_KW");
  command
      ->add_option("--it-tolerance", c.it_tolerance,
                   "Largest IT-load difference from the baseline (default 1 %)")
      ->type_name("FRACTION");
  command->add_flag("--normalise", c.normalise,
                    "Scale every architecture's loads to the baseline's IT load instead of "
                    "refusing to compare different loads");
  command->add_flag("--include-pol", c.include_point_of_load,
                    "End to end includes the GPU voltage regulators (subtype vrm); default: it "
                    "stops at their input");
  command->add_flag("--no-size", c.no_size, "Keep the modelled conductors instead of sizing them");
  command->add_flag("--no-claims", c.no_claims, "Skip the claims check");
  command->add_option("--threads", c.threads, "Threads for the runs (default: every core)");
  add_sizing_options(command, c.sizing);
  add_model_options(command, c.model);
  return command;
}

int run_compare(const CompareCommand& c) {
  if (c.list_assumptions) {
    print_out(io::assumption_sets_text(api::assumption_sets(c.assumptions_dir)));
    return exit_ok;
  }
  std::vector<std::filesystem::path> inputs(c.inputs.begin(), c.inputs.end());
  if (!c.claims_file.empty()) inputs.emplace_back(c.claims_file);
  if (!c.scenario_file.empty()) inputs.emplace_back(c.scenario_file);
  for (const std::string& output : {c.json_path, c.html_path})
    if (!output.empty()) io::check_output_is_not_input(output, inputs);
  api::CompareRequest request;
  request.names = {"--tariff", "--hours", "--cooling", "--assumptions", "the command line"};
  request.inputs.assign(c.inputs.begin(), c.inputs.end());
  const api::ModelOptions model_options = load_options(c.model);
  request.parameters = model_options.parameters;
  request.allowed_paths = model_options.allowed_paths;
  request.memory_limit_bytes = model_options.memory_limit_bytes;
  request.sizing = sizing_options(c.sizing);
  if (!c.tariff.empty())
    request.tariff_per_mwh = quantity_option("--tariff", c.tariff, core::Dimension::dimensionless);
  if (!c.currency.empty()) request.currency = c.currency;
  if (!c.hours.empty())
    request.hours_per_year = quantity_option("--hours", c.hours, core::Dimension::dimensionless);
  if (!c.cooling.empty())
    request.cooling_kw_per_kw =
        quantity_option("--cooling", c.cooling, core::Dimension::dimensionless);
  if (!c.it_tolerance.empty())
    request.it_load_tolerance =
        quantity_option("--it-tolerance", c.it_tolerance, core::Dimension::dimensionless);
  request.assumptions = c.assumptions;
  request.assumptions_dir = c.assumptions_dir;
  request.claims_file = c.claims_file;
  request.scenario_file = c.scenario_file;
  request.check_claims = !c.no_claims;
  request.include_point_of_load = c.include_point_of_load;
  request.size_conductors = !c.no_size;
  request.normalise_it_load = c.normalise;
  request.threads = c.threads;
  request.version = G2G_VERSION;
  request.commit = G2G_COMMIT;
  request.command_line = c.command_line;
  request.progress = [](const std::string& line) { fmt::print(stderr, "{}\n", line); };
  request.warnings = [](const core::DiagnosticList& warnings) { print_diagnostics(warnings); };

  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  api::CompareResult result;
  try {
    result = api::compare(request);
  } catch (const study::ItLoadMismatch& error) {
    fmt::print(stderr,
               "grid2gpu: error: {} (fix: model the same IT load, raise --it-tolerance, or pass "
               "--normalise to scale the loads to the baseline's)\n",
               core::printable(error.what()));
    return exit_bad_input;
  }
  const study::Comparison& comparison = result.comparison;
  fmt::print(stderr, "compare: {} runs and {} claims in {:.1f} s\n", comparison.runs.size(),
             comparison.claims.size(), std::chrono::duration<double>(Clock::now() - start).count());

  if (!c.json_path.empty()) io::write_file_atomic(c.json_path, result.document().dump(2) + "\n");
  if (!c.html_path.empty())
    io::write_file_atomic(c.html_path,
                          report::render_html(comparison, result.options, result.provenance));

  print_out(io::compare_summary_table(comparison, result.options));
  if (!c.html_path.empty()) fmt::print("\nReport: {}\n", c.html_path);
  if (!c.json_path.empty()) fmt::print("JSON: {}\n", c.json_path);
  return exit_ok;
}

}  // namespace g2g::cli

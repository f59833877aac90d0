// grid2gpu command-line interface: a thin shell over the library. It parses arguments, calls
// api::load_model / api::solve / io::write_*, prints, and maps every outcome to an exit code.
// No model or physics logic lives here.
//
// Exit codes (docs/cli.md): 0 success, 1 internal error (a bug), 2 bad input or unusable path
// (model errors, missing file, unwritable output, bad arguments), 3 no operating point.
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "common.hpp"
#include "compare_command.hpp"
#include "converter_command.hpp"
#include "fault_command.hpp"
#include "lifetime_command.hpp"
#include "qualify_command.hpp"
#include "simulate_command.hpp"
#include "sweep_command.hpp"
#include "wafer_command.hpp"

#include "g2g/api/model.hpp"
#include "g2g/api/solve.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/core/units.hpp"
#include "g2g/io/files.hpp"
#include "g2g/io/results_csv.hpp"
#include "g2g/io/results_json.hpp"
#include "g2g/io/results_table.hpp"
#include "g2g/io/sizing_tables.hpp"
#include "g2g/model/loader.hpp"
#include "g2g/model/matpower.hpp"
#include "g2g/sizing/conductor_power.hpp"
#include "g2g/sizing/report.hpp"
#include "g2g/sizing/sizing.hpp"
#include "g2g/steady/solver.hpp"

// The build passes the project version; the fallback keeps a bare compile working.
#ifndef G2G_VERSION
#define G2G_VERSION "0.1.0"
#endif

namespace g2g::cli {

namespace fs = std::filesystem;

class Stopwatch {
 public:
  double lap_seconds() {
    const auto now = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(now - start_).count();
    start_ = now;
    return seconds;
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

struct CheckOptions {
  std::string model_path;
  ModelArgs model;
};

struct SolveOptions {
  std::string model_path;
  ModelArgs model;
  std::string json_path;
  std::string csv_dir;
  bool quiet = false;
  bool full = false;
  bool timings = false;
};

struct ImportOptions {
  std::string case_path;
  std::string output_path;
  bool force = false;
};

// `grid2gpu size`.
struct SizeOptions {
  std::string model_path;
  ModelArgs model;
  SizingArgs sizing;
  int passes = 4;
  std::string tables_dir;
  std::string conductor;  // also print the power one conductor of this size carries
  double power_factor = 0.95;
  std::string json_path;
  std::string csv_path;
  std::string output_path;
  bool quiet = false;
  bool full = false;
};

int run_check(const CheckOptions& options) {
  const api::ValidatedModel validated =
      api::load_model(options.model_path, load_options(options.model));
  const model::ModelSpec& model = validated.spec();
  const core::DiagnosticList& warnings = validated.warnings();
  print_diagnostics(warnings);
  fmt::print("{}: ok ({} buses, {} elements{})\n", options.model_path, model.buses.size(),
             model::element_count(model),
             warnings.items().empty() ? std::string()
                                      : fmt::format(", {} warnings", warnings.items().size()));
  return exit_ok;
}

int run_solve(const SolveOptions& options) {
  refuse_outputs_over_inputs({options.json_path}, {options.model_path});
  Stopwatch clock;
  const api::ValidatedModel validated =
      api::load_model(options.model_path, load_options(options.model));
  const model::ModelSpec& model = validated.spec();
  const double read_seconds = clock.lap_seconds();
  print_diagnostics(validated.warnings());

  const steady::SolveResult result = api::solve(validated);
  const double solve_seconds = clock.lap_seconds();
  if (!result.converged) {
    // The solver reports failure by throwing; a result flagged unconverged is still no answer.
    fmt::print(stderr, "grid2gpu: error: {}: no operating point found after {} iterations\n",
               options.model_path, result.stats.iterations);
    return exit_no_solution;
  }

  if (!options.quiet) {
    io::TableOptions table;
    if (options.full) {
      table.full_max_buses = static_cast<std::size_t>(-1);
      table.full_max_elements = static_cast<std::size_t>(-1);
    }
    table.full_results_hint =
        options.json_path.empty() && options.csv_dir.empty()
            ? "Use --json FILE or --csv DIR for every bus and element, or --full to print them."
            : "The JSON/CSV output has every bus and element.";
    print_out(io::format_results_table(model, result, table));
    std::fflush(stdout);
  }
  const double table_seconds = clock.lap_seconds();

  if (!options.json_path.empty()) io::write_results_json(options.json_path, model, result);
  if (!options.csv_dir.empty()) io::write_results_csv(options.csv_dir, model, result);
  const double write_seconds = clock.lap_seconds();

  if (options.timings) {
    fmt::print(stderr,
               "timings: read+validate {:.3f} s, solve {:.3f} s, table {:.3f} s, write {:.3f} s\n",
               read_seconds, solve_seconds, table_seconds, write_seconds);
  }
  return exit_ok;
}

int run_import(const ImportOptions& options) {
  refuse_outputs_over_inputs({options.output_path}, {options.case_path});
  const fs::path output(options.output_path);
  const std::string ext = output.extension().string();
  if (ext != ".yaml" && ext != ".yml") {
    fmt::print(
        stderr,
        "{}: error: the output of import is YAML (fix: name it .yaml or .yml, e.g. -o {}.yaml)\n",
        options.output_path, output.stem().string());
    return exit_bad_input;
  }
  const std::string text = io::read_text_file(options.case_path, 0, io::max_model_file_bytes);
  const model::ModelSpec model = model::import_matpower(text, options.case_path);
  const core::DiagnosticList diagnostics = api::check(model);
  print_diagnostics(diagnostics);
  if (diagnostics.has_errors() && !options.force) {
    fmt::print(
        stderr,
        "{} error{}; nothing written (fix the case, or pass --force to write the YAML anyway "
        "and fix it there)\n",
        diagnostics.error_count(), diagnostics.error_count() == 1 ? "" : "s");
    return exit_bad_input;
  }
  io::write_file_atomic(output, model::write_yaml(model));
  fmt::print("{}: wrote {} buses, {} lines, {} transformers, {} sources, {} loads\n",
             options.output_path, model.buses.size(), model.lines.size(), model.transformers.size(),
             model.sources.size(), model.loads.size());
  return diagnostics.has_errors() ? exit_bad_input : exit_ok;
}

int run_size(const SizeOptions& o) {
  refuse_outputs_over_inputs({o.json_path, o.csv_path, o.output_path}, {o.model_path});
  const sizing::SizingOptions options = sizing_options(o.sizing);
  if (!o.output_path.empty()) {
    const std::string ext = fs::path(o.output_path).extension().string();
    if (ext != ".yaml" && ext != ".yml") {
      throw CLI::ValidationError("-o", fmt::format("{}: the sized model is YAML (fix: name it "
                                                   ".yaml or .yml)",
                                                   o.output_path));
    }
  }
  const sizing::Tables tables =
      o.tables_dir.empty() ? sizing::default_tables() : io::read_sizing_tables(o.tables_dir);
  const api::ValidatedModel validated = api::load_model(o.model_path, load_options(o.model));
  const model::ModelSpec& model = validated.spec();
  print_diagnostics(validated.warnings());

  sizing::IterativeSizing result;
  std::vector<sizing::ConductorPower> conductor_power;
  // Options outside the tables throw g2g::InvalidInput, which guarded() reports (exit 2).
  result = sizing::size_until_stable(model, tables, options, o.passes);
  if (!o.conductor.empty()) {
    conductor_power = sizing::power_per_conductor(
        tables, quantity_option("--conductor", o.conductor, core::Dimension::area), options,
        {.power_factor = o.power_factor, .pm400_midpoint = true});
  }

  if (!o.quiet) {
    sizing::ReportOptions report;
    if (o.full) {
      report.max_rows = static_cast<std::size_t>(-1);
      report.group_instances = false;
    }
    print_out(sizing::format_sizing_table(model, result, options, report));
    if (!conductor_power.empty()) {
      fmt::print("\nPower per conductor: {} copper, method {}, {}, ambient {:g} °C, pf {:g}\n",
                 o.conductor, sizing::name(options.method), sizing::name(options.insulation),
                 options.ambient_c, o.power_factor);
      print_out(sizing::format_conductor_power_table(conductor_power));
    }
    std::fflush(stdout);
  }
  if (!o.json_path.empty())
    io::write_file_atomic(o.json_path, sizing::sizing_json(result, options));
  if (!o.csv_path.empty()) io::write_file_atomic(o.csv_path, sizing::sizing_csv(result));
  if (!o.output_path.empty())
    io::write_file_atomic(o.output_path, model::write_yaml(result.sizing.sized_model));

  if (result.sizing.totals.no_fit > 0) {
    fmt::print(stderr,
               "grid2gpu: warning: nothing in the tables fits {} line{} (left as modelled; see "
               "\"Not sized\")\n",
               result.sizing.totals.no_fit, result.sizing.totals.no_fit == 1 ? "" : "s");
  }
  if (!result.stable) {
    fmt::print(stderr,
               "grid2gpu: warning: sizes still changed after {} passes (fix: raise --passes)\n",
               result.passes);
  }
  return exit_ok;
}

constexpr const char* examples_text = R"(Examples:
  grid2gpu check examples/800vdc-gpu-hall.yaml
  grid2gpu solve examples/800vdc-gpu-hall.yaml
  grid2gpu solve examples/800vdc-gpu-hall.yaml --json out/hall.json --csv out/hall
  grid2gpu solve examples/matpower/case118.m --quiet --json out/case118.json
  grid2gpu import examples/matpower/case118.m -o out/case118.yaml
  grid2gpu size examples/legacy-415vac-small.yaml --method E --ambient 35C -o sized.yaml
  grid2gpu compare examples/legacy-415vac.yaml examples/800vdc-sst.yaml --html out/report.html
  grid2gpu compare examples/legacy-415vac.yaml examples/800vdc-sst.yaml --set rack_power=1MW
  grid2gpu sweep examples/sweep-rack-power.yaml --out out/sweep
  grid2gpu converter examples/converters/cpes-3kw-llc-400v-48v.yaml --map --svg out/llc.svg
  grid2gpu fault examples/800vdc-gpu-hall.yaml --bus 'row[0]/feed' --json out/fault.json
  grid2gpu qualify examples/qualification/jesd47-style-gan.yaml --json out/qual.json
  grid2gpu wafer examples/wafer/gan-on-si-200mm.yaml --json out/wafer.json --html out/wafer.html
  grid2gpu lifetime examples/lifetime-rack-800v-swings.yaml --json out/lifetime.json

Exit codes: 0 success, 1 internal error, 2 bad input (model errors, missing or
unwritable file, bad arguments), 3 no operating point (e.g. load beyond what a cable
can deliver). See docs/cli.md.)";

int run(int argc, char** argv) {
  CLI::App app{"grid2gpu: steady-state hybrid AC/DC power flow for AI data-centre power delivery"};
  app.set_version_flag("--version", std::string("grid2gpu ") + G2G_VERSION);
  app.footer(examples_text);
  app.require_subcommand(1);

  CheckOptions check;
  auto* check_cmd = app.add_subcommand("check", "Read and validate a model; print every problem");
  check_cmd->add_option("MODEL", check.model_path, "Model file (.yaml, .yml, .json or MATPOWER .m)")
      ->required();
  add_model_options(check_cmd, check.model);

  SolveOptions solve;
  auto* solve_cmd = app.add_subcommand("solve", "Solve the steady-state power flow of a model");
  solve_cmd->add_option("MODEL", solve.model_path, "Model file (.yaml, .yml, .json or MATPOWER .m)")
      ->required();
  solve_cmd->add_option("--json", solve.json_path, "Write the full results as JSON to FILE")
      ->type_name("FILE");
  solve_cmd
      ->add_option("--csv", solve.csv_dir,
                   "Write buses.csv, elements.csv, totals.csv, violations.csv into DIR")
      ->type_name("DIR");
  solve_cmd->add_flag("-q,--quiet", solve.quiet, "Print no results table (errors still print)");
  solve_cmd->add_flag("--full", solve.full, "Print every bus and element, however large the model");
  solve_cmd->add_flag("--timings", solve.timings, "Print read/solve/write times to stderr");
  add_model_options(solve_cmd, solve.model);

  ImportOptions import;
  auto* import_cmd = app.add_subcommand("import", "Convert a MATPOWER case (.m) to a YAML model");
  import_cmd->add_option("CASE", import.case_path, "MATPOWER case file (.m)")->required();
  import_cmd->add_option("-o,--output", import.output_path, "YAML model to write")
      ->required()
      ->type_name("MODEL.yaml");
  import_cmd->add_flag("--force", import.force,
                       "Write the YAML even when the imported model has errors");

  SizeOptions size;
  auto* size_cmd = app.add_subcommand(
      "size", "Size every cable and busbar for the solved currents (docs/sizing.md)");
  size_cmd->add_option("MODEL", size.model_path, "Model file (.yaml, .yml, .json or MATPOWER .m)")
      ->required();
  add_sizing_options(size_cmd, size.sizing);
  size_cmd->add_option("--passes", size.passes, "Most solve-size passes (default 4)")
      ->check(CLI::Range(1, 20));
  size_cmd->add_option("--tables", size.tables_dir, "Read the sizing tables from DIR, not data/")
      ->type_name("DIR");
  size_cmd
      ->add_option("--conductor", size.conductor,
                   "Also print the power one conductor of this size carries at 415/480 V AC, "
                   "800, +/-400 and 54 V DC")
      ->type_name("AREA");
  size_cmd->add_option("--pf", size.power_factor, "AC power factor for --conductor (default 0.95)")
      ->check(CLI::Range(0.01, 1.0));
  size_cmd->add_option("--json", size.json_path, "Write the sizing as JSON to FILE")
      ->type_name("FILE");
  size_cmd->add_option("--csv", size.csv_path, "Write one CSV row per line to FILE")
      ->type_name("FILE");
  size_cmd->add_option("-o,--output", size.output_path, "Write the sized model (YAML) to FILE")
      ->type_name("SIZED_MODEL.yaml");
  size_cmd->add_flag("-q,--quiet", size.quiet, "Print no table");
  size_cmd->add_flag("--full", size.full,
                     "List every line, however many (default: lines of a template that print "
                     "alike share one row, x N)");
  add_model_options(size_cmd, size.model);

  CompareCommand compare;
  auto* compare_cmd = add_compare_command(app, compare);

  SweepCommand sweep;
  auto* sweep_cmd = add_sweep_command(app, sweep);

  ConverterCommand converter;
  auto* converter_cmd = add_converter_command(app, converter);

  SimulateCommand simulate;
  auto* simulate_cmd = add_simulate_command(app, simulate);

  FaultCommand fault;
  auto* fault_cmd = add_fault_command(app, fault);

  QualifyCommand qualify;
  auto* qualify_cmd = add_qualify_command(app, qualify);
  WaferCommand wafer;
  auto* wafer_cmd = add_wafer_command(app, wafer);
  LifetimeCommand lifetime;
  auto* lifetime_cmd = add_lifetime_command(app, lifetime);

  // The top level takes only flags, so its first word must name a command. CLI11 would report a
  // misspelt command as "A subcommand is required", which hides the typo.
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word.starts_with('-')) continue;
    if (word != "check" && word != "solve" && word != "import" && word != "size" &&
        word != "compare" && word != "converter" && word != "sweep" && word != "simulate" &&
        word != "fault" && word != "qualify" && word != "wafer" && word != "lifetime") {
      fmt::print(stderr,
                 "grid2gpu: error: unknown command '{}' (fix: use check, solve, import, size, "
                 "compare, sweep, simulate, fault, qualify, wafer, lifetime or converter; see "
                 "grid2gpu "
                 "--help)\n",
                 word);
      return exit_bad_input;
    }
    break;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version arrive here too, with exit code 0; argument errors map to 2.
    const int code = app.exit(error);
    return code == 0 ? exit_ok : exit_bad_input;
  }

  if (check_cmd->parsed()) return guarded([&] { return run_check(check); });
  if (solve_cmd->parsed()) return guarded([&] { return run_solve(solve); });
  if (import_cmd->parsed()) return guarded([&] { return run_import(import); });
  if (size_cmd->parsed()) return guarded([&] { return run_size(size); });
  if (compare_cmd->parsed()) {
    for (int i = 0; i < argc; ++i)
      compare.command_line += fmt::format("{}{}", i == 0 ? "" : " ", argv[i]);
    return guarded([&] { return run_compare(compare); });
  }
  if (sweep_cmd->parsed()) {
    for (int i = 0; i < argc; ++i)
      sweep.command_line += fmt::format("{}{}", i == 0 ? "" : " ", argv[i]);
    return guarded([&] { return run_sweep(sweep); });
  }
  if (converter_cmd->parsed()) return guarded([&] { return run_converter(converter); });
  if (simulate_cmd->parsed()) return guarded([&] { return run_simulate(simulate); });
  if (fault_cmd->parsed()) return guarded([&] { return run_fault(fault); });
  if (qualify_cmd->parsed()) return guarded([&] { return run_qualify(qualify); });
  if (wafer_cmd->parsed()) return guarded([&] { return run_wafer(wafer); });
  if (lifetime_cmd->parsed()) return guarded([&] { return run_lifetime(lifetime); });
  return exit_bad_input;  // unreachable: require_subcommand(1)
}

}  // namespace g2g::cli

int main(int argc, char** argv) {
  // A large model is read, solved and written in phases that each free hundreds of MB. Keep
  // freed memory for the next phase instead of returning it to the kernel: faulting it back in
  // page by page costs more than solving (docs/benchmarks.md, "Whole process").
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  // One heap for every thread, so that memory freed by one phase is reused by the next whatever
  // thread runs it (the loader's and the writer's helpers included).
  mallopt(M_ARENA_MAX, 1);
  // Last line of defence: setting up CLI11 itself can throw (bad_alloc).
  try {
    return g2g::cli::run(argc, argv);
  } catch (...) {
    std::fputs("grid2gpu: internal error: unexpected exception\n", stderr);
    return g2g::cli::exit_internal;
  }
}

// grid2gpu command-line interface: a thin shell over the library. It parses arguments, calls
// io::read_model / steady::solve / io::write_*, prints, and maps every outcome to an exit code.
// No model or physics logic lives here.
//
// Exit codes (docs/cli.md): 0 success, 1 internal error (a bug), 2 bad input or unusable path
// (model errors, missing file, unwritable output, bad arguments), 3 no operating point.
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

#include "g2g/core/diagnostics.hpp"
#include "g2g/io/files.hpp"
#include "g2g/io/results_csv.hpp"
#include "g2g/io/results_json.hpp"
#include "g2g/io/results_table.hpp"
#include "g2g/model/loader.hpp"
#include "g2g/model/matpower.hpp"
#include "g2g/steady/solver.hpp"

// The build passes the project version; the fallback keeps a bare compile working.
#ifndef G2G_VERSION
#define G2G_VERSION "0.1.0"
#endif

namespace g2g::cli {

namespace fs = std::filesystem;

enum ExitCode : int {
  exit_ok = 0,
  exit_internal = 1,
  exit_bad_input = 2,
  exit_no_solution = 3,
};

// Prints each diagnostic compiler-style (file:line:col: severity: message (fix: ...)) so editors
// and CI annotators can jump to it.
void print_diagnostics(const core::DiagnosticList& diagnostics) {
  for (const auto& item : diagnostics.items()) {
    std::fputs(core::format_diagnostic(item).c_str(), stderr);
    std::fputc('\n', stderr);
  }
}

void print_model_error(const core::ModelError& error) {
  const auto& diagnostics = error.diagnostics();
  if (diagnostics.items().empty()) {
    fmt::print(stderr, "grid2gpu: error: {}\n", error.what());
    return;
  }
  print_diagnostics(diagnostics);
  const std::size_t warnings = diagnostics.items().size() - diagnostics.error_count();
  fmt::print(stderr, "{} error{}{}\n", diagnostics.error_count(),
             diagnostics.error_count() == 1 ? "" : "s",
             warnings > 0 ? fmt::format(", {} warning{}", warnings, warnings == 1 ? "" : "s")
                          : std::string());
}

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

// "--set name=value" arguments as parameter overrides; throws CLI::ValidationError otherwise.
model::LoadOptions load_options(const std::vector<std::string>& assignments) {
  model::LoadOptions options;
  for (const auto& a : assignments) {
    const auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0)
      throw CLI::ValidationError(
          "--set", fmt::format("'{}' is not NAME=VALUE (fix: write e.g. --set rack_power=1MW)", a));
    options.parameters.push_back({a.substr(0, eq), a.substr(eq + 1)});
  }
  return options;
}

// Adds the repeatable --set option of commands that read a model.
void add_set_option(CLI::App* command, std::vector<std::string>& assignments) {
  command
      ->add_option("--set", assignments,
                   "Override a model parameter, e.g. --set rack_power=1MW (repeatable)")
      ->type_name("NAME=VALUE");
}

struct CheckOptions {
  std::string model_path;
  std::vector<std::string> set;
};

struct SolveOptions {
  std::string model_path;
  std::vector<std::string> set;
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

int run_check(const CheckOptions& options) {
  core::DiagnosticList warnings;
  const model::ModelSpec model =
      io::read_model(options.model_path, &warnings, load_options(options.set));
  print_diagnostics(warnings);
  fmt::print("{}: ok ({} buses, {} elements{})\n", options.model_path, model.buses.size(),
             model.sources.size() + model.lines.size() + model.transformers.size() +
                 model.switches.size() + model.converters.size() + model.loads.size() +
                 model.storage.size(),
             warnings.items().empty() ? std::string()
                                      : fmt::format(", {} warnings", warnings.items().size()));
  return exit_ok;
}

int run_solve(const SolveOptions& options) {
  Stopwatch clock;
  core::DiagnosticList warnings;
  const model::ModelSpec model =
      io::read_model(options.model_path, &warnings, load_options(options.set));
  const double read_seconds = clock.lap_seconds();
  print_diagnostics(warnings);

  const steady::SolveResult result = steady::solve(model);
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
    std::fputs(io::format_results_table(model, result, table).c_str(), stdout);
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
  const fs::path output(options.output_path);
  const std::string ext = output.extension().string();
  if (ext != ".yaml" && ext != ".yml") {
    fmt::print(
        stderr,
        "{}: error: the output of import is YAML (fix: name it .yaml or .yml, e.g. -o {}.yaml)\n",
        options.output_path, output.stem().string());
    return exit_bad_input;
  }
  const std::string text = io::read_text_file(options.case_path);
  const model::ModelSpec model = model::import_matpower(text, options.case_path);
  const core::DiagnosticList diagnostics = io::check_model(model);
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

// Runs one command and turns every exception into a message and an exit code. Nothing escapes:
// an unexpected exception is a bug in grid2gpu and says so.
template <typename Command>
int guarded(Command command) {
  try {
    return command();
  } catch (const core::ModelError& error) {
    print_model_error(error);
    return exit_bad_input;
  } catch (const io::FileError& error) {
    fmt::print(stderr, "grid2gpu: error: {}\n", error.what());
    return exit_bad_input;
  } catch (const CLI::ValidationError& error) {
    fmt::print(stderr, "grid2gpu: error: {}\n", error.what());
    return exit_bad_input;
  } catch (const steady::NonConvergenceError& error) {
    fmt::print(stderr, "grid2gpu: error: {}\n", error.what());
    fmt::print(stderr, "  (worst bus: {}, after {} iterations, max mismatch {:.3g} pu)\n",
               error.worst_bus_id().empty() ? std::string("unknown") : error.worst_bus_id(),
               error.iterations(), error.max_mismatch_pu());
    return exit_no_solution;
  } catch (const std::bad_alloc&) {
    std::fputs("grid2gpu: error: out of memory\n", stderr);
    return exit_internal;
  } catch (const std::exception& error) {
    fmt::print(stderr,
               "grid2gpu: internal error: {} (this is a bug; please report it with the "
               "input file)\n",
               error.what());
    return exit_internal;
  } catch (...) {
    std::fputs("grid2gpu: internal error: unknown exception (this is a bug; please report it)\n",
               stderr);
    return exit_internal;
  }
}

constexpr const char* examples_text = R"(Examples:
  grid2gpu check examples/800vdc-gpu-hall.yaml
  grid2gpu solve examples/800vdc-gpu-hall.yaml
  grid2gpu solve examples/800vdc-gpu-hall.yaml --json out/hall.json --csv out/hall
  grid2gpu solve case9.m --quiet --json case9.json
  grid2gpu import case9.m -o case9.yaml

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
  add_set_option(check_cmd, check.set);

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
  add_set_option(solve_cmd, solve.set);

  ImportOptions import;
  auto* import_cmd = app.add_subcommand("import", "Convert a MATPOWER case (.m) to a YAML model");
  import_cmd->add_option("CASE", import.case_path, "MATPOWER case file (.m)")->required();
  import_cmd->add_option("-o,--output", import.output_path, "YAML model to write")
      ->required()
      ->type_name("MODEL.yaml");
  import_cmd->add_flag("--force", import.force,
                       "Write the YAML even when the imported model has errors");

  // The top level takes only flags, so its first word must name a command. CLI11 would report a
  // misspelt command as "A subcommand is required", which hides the typo.
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word.starts_with('-')) continue;
    if (word != "check" && word != "solve" && word != "import") {
      fmt::print(stderr,
                 "grid2gpu: error: unknown command '{}' (fix: use check, solve or import; "
                 "see grid2gpu --help)\n",
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
  return exit_bad_input;  // unreachable: require_subcommand(1)
}

}  // namespace g2g::cli

int main(int argc, char** argv) {
  // Last line of defence: setting up CLI11 itself can throw (bad_alloc).
  try {
    return g2g::cli::run(argc, argv);
  } catch (...) {
    std::fputs("grid2gpu: internal error: unexpected exception\n", stderr);
    return g2g::cli::exit_internal;
  }
}

// Pieces every grid2gpu command shares: exit codes, diagnostics, --set, the sizing options
// (size and compare take the same ones) and the exception-to-exit-code guard.
#pragma once

#include <cstdio>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "g2g/api/model.hpp"
#include "g2g/converters/converter.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/core/error.hpp"
#include "g2g/core/printable.hpp"
#include "g2g/core/units.hpp"
#include "g2g/io/files.hpp"
#include "g2g/model/loader.hpp"
#include "g2g/sizing/sizing.hpp"
#include "g2g/steady/solver.hpp"

namespace g2g::cli {

enum ExitCode : int {
  exit_ok = 0,
  exit_internal = 1,
  exit_bad_input = 2,
  exit_no_solution = 3,
  exit_integration_failed = 4,  // simulate: IDA failed (dynamic::IntegrationError)
  exit_interrupted = 130,       // stopped by Ctrl-C (128 + SIGINT), as shells report it; sweep only
};

// Prints each diagnostic compiler-style (file:line:col: severity: message (fix: ...)) so editors
// and CI annotators can jump to it.
void print_diagnostics(const core::DiagnosticList& diagnostics);
void print_model_error(const core::ModelError& error);

// The options of every command that reads a model.
struct ModelArgs {
  std::vector<std::string> set;          // "--set name=value"
  std::vector<std::string> allow_paths;  // "--allow-path DIR"
  std::string max_memory;                // "--max-memory 8G"
};
// Parameter overrides and allowed directories; throws CLI::ValidationError for a --set that is
// not NAME=VALUE.
api::ModelOptions load_options(const ModelArgs& args);
// Adds the repeatable --set and --allow-path options.
void add_model_options(CLI::App* command, ModelArgs& args);

// Throws io::FileError (exit 2) before any work when an output option names one of the inputs;
// empty outputs (options not given) are skipped.
void refuse_outputs_over_inputs(std::initializer_list<std::string_view> outputs,
                                std::initializer_list<std::string_view> inputs);

// Writes text for the terminal to stdout, with any control character a model or data file put
// in it escaped (core::terminal_text).
void print_out(std::string_view text);

// A unit-bearing option value ("30 C", "3%", "240mm2"); throws CLI::ValidationError.
double quantity_option(const std::string& option, const std::string& text,
                       core::Dimension dimension);

// Conductor-sizing options as typed; sizing_options() turns them into sizing::SizingOptions.
struct SizingArgs {
  std::string method = "E";
  std::string insulation = "xlpe";
  std::string ambient = "30 C";
  int grouping = sizing::default_grouped_circuits;
  std::string arrangement;  // empty: the method's default
  std::string max_drop = "3 %";
  int max_runs = 4;
  std::string max_size;  // empty: no cap
  std::string prefer = "runs";
  std::string neutral = "full";
  std::string pe = "iec";
  std::string busbar_finish = "painted";
  std::string dc_busbar_rating = "dc";
  bool busbar_pe = false;
};
void add_sizing_options(CLI::App* command, SizingArgs& args);
sizing::SizingOptions sizing_options(const SizingArgs& args);

// The exit code of each kind of error: one-to-one, so scripts can tell a bad input from a case
// with no solution and from a bug.
constexpr ExitCode exit_code(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::invalid_input:
    case ErrorKind::file:
      return exit_bad_input;
    case ErrorKind::no_solution:
      return exit_no_solution;
    case ErrorKind::integration:
      return exit_integration_failed;
    case ErrorKind::internal:
      return exit_internal;
  }
  return exit_internal;
}

// Runs one command and turns every exception into a message and an exit code. Nothing escapes:
// an exception that is not a g2g::Error is a bug in grid2gpu and says so.
template <typename Command>
int guarded(Command command) {
  try {
    return command();
  } catch (const core::ModelError& error) {
    print_model_error(error);
    return exit_code(error.kind());
  } catch (const steady::NonConvergenceError& error) {
    fmt::print(stderr, "grid2gpu: error: {}\n", core::printable(error.what()));
    fmt::print(stderr, "  (worst bus: {}, after {} iterations, max mismatch {:.3g} pu)\n",
               error.worst_bus_id().empty() ? std::string("unknown")
                                            : core::printable(error.worst_bus_id()),
               error.iterations(), error.max_mismatch_pu());
    return exit_code(error.kind());
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::internal) {
      fmt::print(stderr, "grid2gpu: internal error: {} (this is a bug; please report it)\n",
                 core::printable(error.what()));
    } else {
      fmt::print(stderr, "grid2gpu: error: {}\n", core::printable(error.what()));
    }
    return exit_code(error.kind());
  } catch (const CLI::ValidationError& error) {
    fmt::print(stderr, "grid2gpu: error: {}\n", core::printable(error.what()));
    return exit_bad_input;
  } catch (const std::bad_alloc&) {
    std::fputs("grid2gpu: error: out of memory\n", stderr);
    return exit_internal;
  } catch (const std::exception& error) {
    fmt::print(stderr,
               "grid2gpu: internal error: {} (this is a bug; please report it with the "
               "input file)\n",
               core::printable(error.what()));
    return exit_internal;
  } catch (...) {
    std::fputs("grid2gpu: internal error: unknown exception (this is a bug; please report it)\n",
               stderr);
    return exit_internal;
  }
}

}  // namespace g2g::cli

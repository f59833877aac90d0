// The local back-end (docs/sweep.md, "Back-ends"): batches of scenarios run on a pool of
// std::threads, each with its own Evaluator, each batch written as a part as soon as it is done
// (by a writer thread);
// then the parts are merged. Progress through a callback, a stop through a cancel flag: finished
// parts stay, and a resumed run skips the scenarios they hold.
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "g2g/sweep/plan.hpp"

namespace g2g::sweep {

// Scenario indices per batch: the scenarios not in `done`, in index order, cut at value
// combinations (so each batch holds a combination's every architecture, the baseline beside the
// others for the claim columns) once a batch holds about `target_seconds` of work at
// `scenario_seconds` each (at least one combination per batch).
std::vector<std::vector<std::size_t>> batches(const Plan& plan, const std::set<std::string>& done,
                                              double scenario_seconds, double target_seconds = 0.2);

struct Progress {
  std::size_t done = 0;          // scenarios finished, this run and earlier ones (resumed)
  std::size_t total = 0;         // scenarios of the sweep
  std::size_t failed = 0;        // rows with an error, this run
  double elapsed_seconds = 0.0;  // this run
  double rate_per_second = 0.0;  // this run's scenarios / elapsed
  double eta_seconds = 0.0;
};

struct LocalOptions {
  unsigned jobs = 0;    // threads; 0 = every core (std::thread::hardware_concurrency)
  bool resume = false;  // skip the scenarios DIR/parts already holds; else DIR/parts must be empty
  double target_batch_seconds = 0.2;
  // Called after each batch is written, from the thread that writes the parts, one call at a
  // time.
  std::function<void(const Progress&)> progress;
  // Set (by a signal handler, another thread) to stop: running batches finish their scenario,
  // are not written, and no batch starts; run_local returns with complete == false.
  const std::atomic<bool>* cancel = nullptr;
  // Stop once this many scenarios have been run in this call (0: no limit): for tests of a
  // sweep stopped part-way.
  std::size_t stop_after = 0;
};

struct Summary {
  std::size_t scenarios = 0;  // of the sweep
  std::size_t run = 0;        // run by this call
  std::size_t skipped = 0;    // already in parts (resume)
  std::size_t failed = 0;     // rows with an error, this call
  std::size_t batches = 0;
  unsigned threads = 0;
  double wall_seconds = 0.0;
  double scenario_seconds = 0.0;  // sum of the rows' seconds, this call
  bool complete = false;          // every scenario has a row and results.csv was written
};

// Runs the sweep into `dir` (DIR/parts, then DIR/results.csv and DIR/timing.csv). Throws
// InvalidInput when DIR/parts holds parts and `resume` is off, io::FileError when writing fails.
Summary run_local(const Plan& plan, const std::filesystem::path& dir, const LocalOptions& options);

}  // namespace g2g::sweep

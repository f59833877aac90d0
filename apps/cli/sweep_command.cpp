// `grid2gpu sweep`: a thin shell over the sweep layer. It reads the plan (sweep::read_plan_source),
// runs the local back-end with a progress line on stderr, and turns Ctrl-C into the back-end's
// cancel flag, so that the finished parts stay and --resume continues.
#include "sweep_command.hpp"

#include <fmt/format.h>

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>

#include "g2g/api/compare.hpp"
#include "g2g/io/files.hpp"
#include "g2g/report/report.hpp"
#include "g2g/sweep/local.hpp"
#include "g2g/sweep/plan.hpp"
#include "g2g/sweep/results_table.hpp"

namespace g2g::cli {
namespace {

std::atomic<bool> interrupted{false};

extern "C" void on_interrupt(int /*signal*/) {
  interrupted.store(true);
}

// Ctrl-C sets the sweep's cancel flag while it runs; the previous handler comes back after,
// whatever way the sweep ends.
class InterruptGuard {
 public:
  InterruptGuard() : previous_(std::signal(SIGINT, on_interrupt)) {}
  ~InterruptGuard() { std::signal(SIGINT, previous_); }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  void (*previous_)(int);
};

std::string duration_text(double seconds) {
  if (seconds < 60.0) return fmt::format("{:.0f} s", seconds);
  if (seconds < 3600.0)
    return fmt::format("{:.0f} min {:02.0f} s", std::floor(seconds / 60.0),
                       std::fmod(seconds, 60.0));
  return fmt::format("{:.1f} h", seconds / 3600.0);
}

}  // namespace

CLI::App* add_sweep_command(CLI::App& app, SweepCommand& c) {
  auto* command = app.add_subcommand(
      "sweep",
      "Run a design sweep (models x parameter values, lists, ranges or Monte Carlo draws) on "
      "every core; one row of results per scenario (docs/sweep.md)");
  command->add_option("SWEEP", c.sweep_path, "Sweep file (grid2gpu_sweep: 1)")->required();
  command->add_option("--out", c.out_dir, "Write parts/, results.csv and timing.csv into DIR")
      ->required()
      ->type_name("DIR");
  command->add_option("--jobs", c.jobs, "Threads (default: every core)")
      ->check(CLI::Range(1U, 1024U));
  command->add_flag("--resume", c.resume,
                    "Continue a sweep stopped part-way: skip the scenarios DIR/parts holds");
  command->add_flag("-q,--quiet", c.quiet, "Print no progress line");
  command
      ->add_option("--allow-path", c.allow_paths,
                   "A directory outside the sweep file's own whose models (and their design: "
                   "files) may be read; repeatable")
      ->type_name("DIR");
  command
      ->add_option("--html", c.html_path,
                   "Also write the sweep's report page: efficiency and copper against each "
                   "parameter, Monte Carlo distributions, claim shares")
      ->type_name("FILE");
  return command;
}

int run_sweep(const SweepCommand& c) {
  const std::vector<std::filesystem::path> allowed(c.allow_paths.begin(), c.allow_paths.end());
  const sweep::Plan plan(sweep::read_plan_source(c.sweep_path, allowed));
  const std::filesystem::path out(c.out_dir);
  // results.csv and timing.csv: sweep::prepare_output, in run_local.
  if (!c.html_path.empty()) io::check_output_is_not_input(c.html_path, plan.input_paths());

  sweep::LocalOptions options;
  options.jobs = c.jobs;
  options.resume = c.resume;
  options.cancel = &interrupted;
  if (!c.quiet)
    options.progress = [](const sweep::Progress& p) {
      fmt::print(stderr, "\rsweep: {}/{} scenarios, {:.1f}/s, {} failed, ETA {}   ", p.done,
                 p.total, p.rate_per_second, p.failed, duration_text(p.eta_seconds));
      std::fflush(stderr);
    };
  const sweep::Summary summary = [&] {
    const InterruptGuard guard;
    return sweep::run_local(plan, out, options);
  }();
  if (!c.quiet) fmt::print(stderr, "\n");

  if (!summary.complete) {
    fmt::print(stderr,
               "grid2gpu: sweep stopped after {} of {} scenarios; the finished parts are in {} "
               "(fix: run the same command with --resume to continue)\n",
               summary.skipped + summary.run, summary.scenarios, (out / "parts").string());
    return exit_interrupted;
  }
  fmt::print("sweep: {} scenarios ({} run now, {} resumed, {} failed) on {} threads in {:.2f} s\n",
             summary.scenarios, summary.run, summary.skipped, summary.failed, summary.threads,
             summary.wall_seconds);
  fmt::print("Results: {}\nTiming: {}\n", (out / "results.csv").string(),
             (out / "timing.csv").string());
  if (!c.html_path.empty()) {
    study::SweepSummary page = study::summarise_sweep(sweep::results_table(out, plan));
    page.provenance = study::RunProvenance{"grid2gpu",     G2G_VERSION,    G2G_COMMIT,
                                           api::utc_now(), c.command_line, c.sweep_path};
    io::write_file_atomic(c.html_path, report::render_sweep_html(page));
    fmt::print("Report: {}\n", c.html_path);
  }
  return exit_ok;
}

}  // namespace g2g::cli

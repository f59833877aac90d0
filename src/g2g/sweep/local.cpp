#include "g2g/sweep/local.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <tuple>

#include "g2g/core/error.hpp"
#include "g2g/sweep/evaluate.hpp"
#include "g2g/sweep/parts.hpp"

namespace g2g::sweep {

std::vector<std::vector<std::size_t>> batches(const Plan& plan, const std::set<std::string>& done,
                                              double scenario_seconds, double target_seconds) {
  const auto per_batch = static_cast<std::size_t>(
      std::max(1.0, std::ceil(target_seconds / std::max(scenario_seconds, 1e-6))));
  std::vector<std::vector<std::size_t>> out;
  std::vector<std::size_t> batch;
  const auto& scenarios = plan.scenarios();
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const Scenario& s = scenarios[i];
    if (s.architecture == 0 && batch.size() >= per_batch) {
      out.push_back(std::move(batch));
      batch.clear();
    }
    if (!done.contains(s.id)) batch.push_back(i);
  }
  if (!batch.empty()) out.push_back(std::move(batch));
  std::erase_if(out, [](const auto& b) { return b.empty(); });
  return out;
}

Summary run_local(const Plan& plan, const std::filesystem::path& dir, const LocalOptions& options) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  Summary summary;
  summary.scenarios = plan.scenarios().size();
  const std::set<std::string> done = prepare_output(dir, plan, options.resume);
  const auto last_part = last_part_number(dir);
  std::size_t already = 0;
  for (const Scenario& s : plan.scenarios()) already += done.contains(s.id) ? 1 : 0;
  summary.skipped = already;

  std::size_t next_part = last_part ? *last_part + 1 : 0;
  std::mutex mutex;  // progress, the summary, the part numbers and the scheduling below
  Progress progress{already, summary.scenarios, 0, 0.0, 0.0, 0.0};
  std::size_t ran = 0;     // scenarios written
  std::size_t handed = 0;  // scenarios run and handed to the writer
  auto stopping = [&] {
    return (options.cancel != nullptr && options.cancel->load()) ||
           (options.stop_after > 0 && handed >= options.stop_after);
  };
  // Writes one batch's rows as a part and reports.
  auto finish_batch = [&](const std::vector<Row>& rows, std::size_t thread) {
    std::size_t part = 0;
    {
      const std::lock_guard lock(mutex);
      part = next_part++;
    }
    write_part(dir, part, plan, rows, thread);
    const std::lock_guard lock(mutex);
    ++summary.batches;
    for (const Row& r : rows) {
      summary.scenario_seconds += r.seconds;
      if (!r.error_kind.empty()) ++summary.failed;
    }
    ran += rows.size();
    summary.run = ran;
    progress.done = already + ran;
    progress.failed = summary.failed;
    progress.elapsed_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    progress.rate_per_second =
        progress.elapsed_seconds > 0.0 ? static_cast<double>(ran) / progress.elapsed_seconds : 0.0;
    progress.eta_seconds =
        progress.rate_per_second > 0.0
            ? static_cast<double>(progress.total - progress.done) / progress.rate_per_second
            : 0.0;
    if (options.progress) options.progress(progress);
  };
  auto cancelled = [&] { return options.cancel != nullptr && options.cancel->load(); };
  // Guided self-scheduling over whole value combinations (a part holds every architecture of
  // its combinations): every thread starts at once, takes one combination while no time per
  // combination is known, then about target_batch_seconds of them, but never more than a
  // 2 x threads-th of what is left (nor less than an eighth of the target), so the parts shrink
  // towards the end and the threads finish together. The time per combination leaves out each
  // evaluator's first (cold caches, first allocations: up to four times the others' in the
  // value-only benchmark).
  const auto combinations = batches(plan, done, 1.0, 0.0);  // a target of 0: one combination each
  std::size_t planned = 0;
  for (const auto& c : combinations) planned += c.size();
  unsigned threads =
      options.jobs != 0 ? options.jobs : std::max(1U, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(
      std::min<std::size_t>(threads, std::max<std::size_t>(combinations.size(), 1)));
  summary.threads = threads;
  std::size_t next_combination = 0;  // under `mutex`, as the two below
  double measured_seconds = 0.0;
  std::size_t measured_combinations = 0;
  // The combinations [from, to) the next part takes.
  auto take = [&]() -> std::pair<std::size_t, std::size_t> {
    const std::size_t left = combinations.size() - next_combination;
    std::size_t count = 1;
    if (measured_combinations > 0) {
      const double per_combination =
          std::max(measured_seconds / static_cast<double>(measured_combinations), 1e-6);
      const auto by_time = [&](double seconds) {
        return static_cast<std::size_t>(std::ceil(seconds / per_combination));
      };
      // Parts below an eighth of the target balance little and each costs a file and an fsync.
      const std::size_t share =
          std::max(left / (std::size_t{2} * threads), by_time(options.target_batch_seconds / 8));
      count =
          std::clamp<std::size_t>(std::min(by_time(options.target_batch_seconds), share), 1, left);
    }
    const std::size_t from = next_combination;
    next_combination += std::min(count, left);
    return {from, next_combination};
  };
  std::exception_ptr failure;
  // A writer thread writes the parts (each flushed to disk), so that no worker waits for the
  // disk: a worker hands its rows over and takes its next combinations.
  struct Finished {
    std::vector<Row> rows;
    std::size_t thread = 0;
  };
  std::deque<Finished> finished;  // under `mutex`, as workers_done
  bool workers_done = false;
  std::condition_variable handed_over;
  auto writer = [&] {
    for (;;) {
      Finished f;
      {
        std::unique_lock lock(mutex);
        handed_over.wait(lock, [&] { return !finished.empty() || workers_done; });
        // A worker's failure still leaves what the others handed over to be written: those
        // parts are finished, and --resume skips them.
        if (finished.empty()) return;
        f = std::move(finished.front());
        finished.pop_front();
      }
      try {
        finish_batch(f.rows, f.thread);
      } catch (...) {
        const std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        return;
      }
    }
  };
  auto worker = [&](std::size_t thread) {
    try {
      Evaluator evaluator(plan);
      bool first = true;
      for (;;) {
        std::size_t from = 0;
        std::size_t to = 0;
        {
          const std::lock_guard lock(mutex);
          if (stopping() || failure) return;
          std::tie(from, to) = take();
        }
        if (from == to) return;
        std::vector<Row> rows;
        for (std::size_t c = from; c < to; ++c) {
          double seconds = 0.0;
          for (const std::size_t i : combinations[c]) {
            if (cancelled()) return;
            rows.push_back(evaluator.evaluate(plan.scenarios()[i]));
            seconds += rows.back().seconds;
          }
          if (!first) {
            const std::lock_guard lock(mutex);
            measured_seconds += seconds;
            ++measured_combinations;
          }
          first = false;
        }
        {
          const std::lock_guard lock(mutex);
          handed += rows.size();
          finished.push_back({std::move(rows), thread});
        }
        handed_over.notify_one();
      }
    } catch (...) {
      const std::lock_guard lock(mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  if (!stopping()) {
    const std::jthread write_parts(writer);
    // Once the workers have joined (or a thread could not start), the writer writes what they
    // handed over and returns.
    const auto done_working = [&] {
      {
        const std::lock_guard lock(mutex);
        workers_done = true;
      }
      handed_over.notify_one();
    };
    try {
      std::vector<std::jthread> pool;
      for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker, t);
      worker(0);
    } catch (...) {
      done_working();
      throw;
    }
    done_working();
  }
  if (failure) std::rethrow_exception(failure);
  summary.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (summary.run < planned) return summary;  // cancelled or stopped: resume continues
  merge(dir, plan);
  summary.complete = true;
  summary.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return summary;
}

}  // namespace g2g::sweep

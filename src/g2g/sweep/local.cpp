#include "g2g/sweep/local.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <mutex>
#include <thread>

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
  std::mutex mutex;  // progress, the summary and the part numbers
  Progress progress{already, summary.scenarios, 0, 0.0, 0.0, 0.0};
  std::size_t ran = 0;
  auto stopping = [&] {
    return (options.cancel != nullptr && options.cancel->load()) ||
           (options.stop_after > 0 && ran >= options.stop_after);
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
  // Runs one batch and writes its part; false when it was cancelled before the end.
  auto run_batch = [&](Evaluator& evaluator, const std::vector<std::size_t>& batch,
                       std::size_t thread) {
    std::vector<Row> rows;
    rows.reserve(batch.size());
    for (const std::size_t i : batch) {
      if (cancelled()) return false;
      rows.push_back(evaluator.evaluate(plan.scenarios()[i]));
    }
    finish_batch(rows, thread);
    return true;
  };

  // The first part sizes the others: pending combinations, one after another, until they have
  // taken a quarter of the target batch time (at least two combinations, at most 16). The time
  // per scenario leaves the first combination out when there are more (cold caches, first
  // allocations: up to four times the others' in the value-only benchmark).
  std::vector<std::size_t> first;
  double scenario_seconds = 0.01;
  std::set<std::string> skip = done;
  {
    Evaluator evaluator(plan);
    std::vector<Row> rows;
    std::size_t combinations = 0;
    std::size_t first_combination_rows = 0;
    double total_seconds = 0.0;
    double first_combination_seconds = 0.0;
    const auto& scenarios = plan.scenarios();
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
      const Scenario& s = scenarios[i];
      if (skip.contains(s.id)) continue;
      const bool new_combination =
          first.empty() || scenarios[first.back()].combination != s.combination;
      if (new_combination) {
        if (combinations >= 16 ||
            (combinations >= 2 && total_seconds >= options.target_batch_seconds / 4.0))
          break;
        ++combinations;
      }
      if (cancelled()) break;
      rows.push_back(evaluator.evaluate(s));
      first.push_back(i);
      total_seconds += rows.back().seconds;
      if (combinations == 1) {
        first_combination_seconds += rows.back().seconds;
        ++first_combination_rows;
      }
    }
    if (cancelled()) {
      summary.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
      return summary;
    }
    if (!rows.empty()) {
      finish_batch(rows, 0);
      scenario_seconds = rows.size() > first_combination_rows
                             ? (total_seconds - first_combination_seconds) /
                                   static_cast<double>(rows.size() - first_combination_rows)
                             : total_seconds / static_cast<double>(rows.size());
    }
    for (const std::size_t i : first) skip.insert(scenarios[i].id);
  }
  const auto work = batches(plan, skip, scenario_seconds, options.target_batch_seconds);

  unsigned threads =
      options.jobs != 0 ? options.jobs : std::max(1U, std::thread::hardware_concurrency());
  threads =
      static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(work.size(), 1)));
  summary.threads = threads;
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  auto worker = [&](std::size_t thread) {
    try {
      Evaluator evaluator(plan);
      for (;;) {
        {
          const std::lock_guard lock(mutex);
          if (stopping() || failure) return;
        }
        const std::size_t b = next.fetch_add(1);
        if (b >= work.size()) return;
        if (!run_batch(evaluator, work[b], thread)) return;
      }
    } catch (...) {
      const std::lock_guard lock(mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  if (!stopping()) {
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker, t);
    worker(0);
  }
  if (failure) std::rethrow_exception(failure);
  summary.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::size_t planned = first.size();
  for (const auto& b : work) planned += b.size();
  if (summary.run < planned) return summary;  // cancelled or stopped: resume continues
  merge(dir, plan);
  summary.complete = true;
  summary.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return summary;
}

}  // namespace g2g::sweep

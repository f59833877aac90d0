#include "g2g/sweep/evaluate.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <new>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/error.hpp"
#include "g2g/steady/solver.hpp"

namespace g2g::sweep {
namespace {

std::string location_text(const core::SourceLocation& where) {
  if (where.file.empty()) return {};
  if (where.line <= 0) return where.file;
  return fmt::format("{}:{}:{}", where.file, where.line, where.column);
}

// The row of a scenario that failed: the error's kind, message and place; no outputs.
void record_error(Row& row, std::size_t outputs, std::string kind, std::string message,
                  std::string location = {}) {
  row.outputs.assign(outputs, std::numeric_limits<double>::quiet_NaN());
  row.error_kind = std::move(kind);
  row.error_message = std::move(message);
  row.error_location = std::move(location);
}

}  // namespace

Evaluator::Evaluator(const Plan& plan)
    : plan_(plan), table_(plan.output_names()), architectures_(plan.architecture_count()) {}

api::ModelTemplate& Evaluator::model_template(std::size_t a) {
  Architecture& architecture = architectures_.at(a);
  if (!architecture.model) {
    const std::filesystem::path directory = plan_.model_directory(a);
    if (directory.empty())
      architecture.designs = std::make_unique<api::NoDesigns>();
    else
      architecture.designs =
          std::make_unique<api::CachingDesignFiles>(directory, plan_.source().allowed_paths);
    api::ModelOptions options;
    options.designs = architecture.designs.get();
    architecture.model.emplace(plan_.model_text(a), plan_.model_format(a), plan_.model_name(a),
                               options);
  }
  return *architecture.model;
}

study::ArchitectureResult& Evaluator::analyse(const Scenario& s) {
  api::ModelTemplate& scenarios = model_template(s.architecture);
  Architecture& architecture = architectures_[s.architecture];
  // The expansion changes or replaces the model the solver refers to.
  std::unique_ptr<api::Solver> solver = std::move(architecture.solver);
  const api::ValidatedModel& model = scenarios.expand(plan_.overrides(s));
  const study::CompareOptions& options = plan_.compare_options();
  if (options.size_conductors) {  // sizing solves geometries of its own
    study::analyse(architecture.analysed, s.id, model.spec(), options, {});
    return architecture.analysed;
  }
  if (!solver || !scenarios.last_was_values_only()) {
    architecture.stages.reset();
    solver = std::make_unique<api::Solver>(model);
  } else if (!scenarios.last_changed_only_loads() || !solver->update_loads(model)) {
    solver->update_values(model, scenarios.last_changed_kinds());
  }
  // A value-only scenario keeps the shape, so its stages are those of the solver's first model.
  if (!architecture.stages) architecture.stages = std::make_unique<study::StageIndex>(model.spec());
  architecture.solver = std::move(solver);
  api::Solver& kept = *architecture.solver;
  // Only a claim column reads the model of a result (the baseline's); no other output does, so
  // the copy of the model is made only for those.
  const auto keep_model = table_.needs_baseline() ? study::KeepModel::yes : study::KeepModel::no;
  study::analyse(
      architecture.analysed, s.id, model.spec(), options,
      [&kept] {
        kept.restart();
        return kept.solve();
      },
      keep_model, architecture.stages.get());
  return architecture.analysed;
}

const study::ArchitectureResult* Evaluator::baseline(const Scenario& s) {
  if (baseline_combination_ != s.combination) {
    baseline_.reset();
    baseline_combination_ = s.combination;
    const Scenario& base = plan_.scenarios().at(s.index - s.architecture);
    try {
      baseline_ = std::move(analyse(base));  // its storage is not reused then
    } catch (const std::bad_alloc&) {
      throw;
    } catch (const std::exception&) {
      // The baseline's own row carries the error; the claims against it are empty.
    }
  }
  return baseline_ ? &*baseline_ : nullptr;
}

Row Evaluator::evaluate(const Scenario& s) {
  const auto start = std::chrono::steady_clock::now();
  Row row;
  row.index = s.index;
  row.id = s.id;
  const std::size_t n = table_.names().size();
  try {
    study::ArchitectureResult& result = analyse(s);
    const study::ArchitectureResult* base = nullptr;
    if (table_.needs_baseline() && s.architecture > 0) base = baseline(s);
    row.outputs = table_.measure(result, base, plan_.compare_options());
    if (table_.needs_baseline() && s.architecture == 0) {
      baseline_combination_ = s.combination;
      baseline_ = std::move(result);
    }
  } catch (const core::ModelError& e) {
    std::vector<std::string> messages;
    std::string location;
    for (const auto& d : e.diagnostics().items()) {
      if (d.severity != core::Severity::error) continue;
      if (location.empty()) location = location_text(d.where);
      messages.push_back(d.fix.empty() ? d.message : fmt::format("{} (fix: {})", d.message, d.fix));
    }
    record_error(row, n, std::string(to_string(e.kind())),
                 fmt::format("{}", fmt::join(messages, "; ")), location);
  } catch (const steady::NonConvergenceError& e) {
    record_error(row, n, std::string(to_string(e.kind())), e.what());  // names the bus
  } catch (const Error& e) {
    record_error(row, n, std::string(to_string(e.kind())), e.what());
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    record_error(row, n, std::string(to_string(ErrorKind::internal)),
                 fmt::format("{} (this is a bug; please report it)", e.what()));
  }
  row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return row;
}

std::vector<Row> Evaluator::run(std::span<const Scenario> scenarios) {
  std::vector<Row> rows;
  rows.reserve(scenarios.size());
  for (const Scenario& s : scenarios) rows.push_back(evaluate(s));
  return rows;
}

}  // namespace g2g::sweep

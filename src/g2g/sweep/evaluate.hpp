// Evaluating scenarios into rows of numbers (docs/sweep.md, "Evaluation"): the part a local
// thread or a Dask task runs. Each scenario re-expands its base model's text with its values
// (api::ModelTemplate: the model api::load_model_text would make, every model check run), then
// study::analyse solves, sizes when asked and measures it, and OutputTable reads the row from
// that. An unsized architecture is solved by a solver kept per architecture, updated in place
// when a scenario changes only values and restarted (steady::Solver::restart) before each solve.
// A row never depends on what ran before it: the expanded model is the same whichever scenario
// came before, and every solve is bit for bit a fresh solve of that model, so any batch
// partition, thread count or back-end gives the same bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "g2g/api/model_template.hpp"
#include "g2g/api/solve.hpp"
#include "g2g/sweep/outputs.hpp"
#include "g2g/sweep/plan.hpp"

namespace g2g::sweep {

struct Row {
  std::size_t index = 0;
  std::string id;
  std::vector<double> outputs;  // one per Plan::output_names(); NaN = empty
  // Empty when the scenario ran; else the g2g::ErrorKind name ("invalid input", "no solution",
  // "file", "internal"), the message and file:line:col when the error has one.
  std::string error_kind;
  std::string error_message;
  std::string error_location;
  double seconds = 0.0;  // wall time of this scenario (timing.csv only)
};

class Evaluator {
 public:
  // `plan` must outlive the evaluator. One evaluator per thread.
  explicit Evaluator(const Plan& plan);

  // The rows of `scenarios`, in their order. A failing scenario is a row with its error; only
  // std::bad_alloc escapes.
  std::vector<Row> run(std::span<const Scenario> scenarios);
  Row evaluate(const Scenario& scenario);

 private:
  // The analysed architecture of `scenario`, valid until the next analyse() of its architecture;
  // throws what loading and solving throw.
  study::ArchitectureResult& analyse(const Scenario& scenario);
  // The baseline architecture at `scenario`'s values (for claim columns), or null when it
  // fails; kept for the last combination asked for.
  const study::ArchitectureResult* baseline(const Scenario& scenario);

  // An architecture as this evaluator expands it: its converter designs (each SPEC read and
  // each curve evaluated once) and its text kept as a template (a value-only scenario is
  // patched into the last model; api::ModelTemplate gives the model load_model_text would).
  struct Architecture {
    std::unique_ptr<api::DesignSource> designs;
    std::optional<api::ModelTemplate> model;
    // The solver of the template's present model: its network, numbering and factorisation's
    // analysis outlive a value-only scenario. Null when it is not that model's (after a failed
    // or rebuilding expansion the next scenario makes a new one).
    std::unique_ptr<api::Solver> solver;
    // The stages of the solver's model's shape (study::StageIndex), found at its first solve;
    // null whenever the solver is.
    std::unique_ptr<study::StageIndex> stages;
    // The last scenario's analysis, whose storage the next one reuses (study::analyse into it).
    study::ArchitectureResult analysed;
  };
  api::ModelTemplate& model_template(std::size_t architecture);

  const Plan& plan_;
  OutputTable table_;
  std::vector<Architecture> architectures_;
  std::size_t baseline_combination_ = static_cast<std::size_t>(-1);
  std::optional<study::ArchitectureResult> baseline_;
};

}  // namespace g2g::sweep

// The sweep's output catalogue (docs/sweep.md, "Outputs"): the numbers a scenario's row can hold,
// each measured from study::analyse's ArchitectureResult (and, for a claim column, the baseline
// architecture's result at the same parameter values). Nothing is computed here that the study
// module does not already compute: this is a table of names and where each number comes from.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/study/compare.hpp"

namespace g2g::sweep {

struct OutputInfo {
  std::string name;         // the column: "end_to_end_efficiency", "stage_loss_ups_w"
  std::string description;  // one line for docs/sweep.md and messages
};

// Every metric `outputs:` may name, in the order of docs/sweep.md.
const std::vector<OutputInfo>& output_catalogue();
// The outputs of a sweep file without `outputs:`.
std::vector<std::string> default_outputs();
// The claim columns `check_claims: true` adds: "claim_<id>" for each shipped claim whose figure
// comes from a pair of architectures (study::pair_metric_value).
std::vector<std::string> claim_outputs();

// The chosen outputs, resolved once, measured for each scenario.
class OutputTable {
 public:
  // Throws g2g::InvalidInput for a name not in the catalogue.
  explicit OutputTable(std::span<const std::string> names);
  [[nodiscard]] const std::vector<std::string>& names() const noexcept { return names_; }
  [[nodiscard]] bool needs_baseline() const noexcept { return needs_baseline_; }
  // The row's numbers, NaN where a metric does not apply (a claim on the baseline row, or with
  // no baseline result). `baseline` is the baseline architecture at the same values, or null.
  [[nodiscard]] std::vector<double> measure(const study::ArchitectureResult& result,
                                            const study::ArchitectureResult* baseline,
                                            const study::CompareOptions& options) const;

 private:
  std::vector<std::string> names_;
  std::vector<std::size_t> metric_;  // index into the catalogue, per name
  bool needs_baseline_ = false;
};

}  // namespace g2g::sweep

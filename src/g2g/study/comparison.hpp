// A whole comparison: every architecture under every scenario (assumption sets crossed), the
// IT-load check that makes it a comparison of equal function, the claims, its typed summary
// (comparison_summary.hpp) and the comparison document that `grid2gpu compare --json` writes,
// a serialisation of the summary and the architectures' results, read back by
// comparison_from_json. No I/O: models are read through a callback. docs/compare.md.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "g2g/core/error.hpp"
#include "g2g/study/assumptions.hpp"
#include "g2g/study/claims.hpp"
#include "g2g/study/compare.hpp"
#include "g2g/study/comparison_summary.hpp"

namespace g2g::study {

struct ComparisonInput {
  std::vector<std::string> ids;  // one per architecture; the first is the baseline
  // Reads architecture i with these parameter overrides (only parameters it declares are
  // passed). May be called from several threads at once.
  std::function<model::ModelSpec(std::size_t, const std::vector<model::ParameterOverride>&)> read;
  std::vector<const AssumptionSet*> sets;  // crossed into scenarios (cross_scenarios)
  // Names of the sets of the default scenario (the first scenario holding all of them is the
  // default; empty = the first scenario).
  std::vector<std::string> default_sets;
  std::vector<ClaimSpec> claims;
  // The rack-storage claim's figures (ClaimContext::storage_peak), given the 800 V DC
  // architecture as written (read without overrides: no assumption set, its IT load not
  // normalised; a time-domain figure of one architecture, which `simulate` reproduces, not a
  // comparison of equal function); unset: that row is n/a.
  StoragePeak storage_peak;
  CompareOptions options;
  std::function<void(const std::string&)> progress;  // one line per step; thread-safe calls
  unsigned threads = 0;                              // 0 = the hardware's
};

struct Comparison {
  std::vector<Run> runs;  // one per scenario
  std::size_t default_run = 0;
  std::vector<const AssumptionSet*> sets;
  std::vector<Claim> claims;
  std::optional<std::size_t> dc;  // the 800 V DC architecture the claims are about
  std::vector<double> it_load_w;  // per architecture, as read (before any normalisation)
  std::vector<double> it_scale;   // factor applied to each architecture's loads (1 = none)
};

// The IT loads of the architectures differ by more than the tolerance and normalising was not
// asked for: not a comparison of equal function.
class ItLoadMismatch : public Error {
 public:
  ItLoadMismatch(std::string baseline_id, double baseline_w, std::string id, double it_w,
                 double tolerance);
  std::string baseline_id;
  double baseline_w = 0.0;
  std::string id;
  double it_w = 0.0;
  double tolerance = 0.0;
};

// Runs the comparison. Throws ItLoadMismatch, steady::NonConvergenceError, or what `read`
// throws.
Comparison run_comparison(const ComparisonInput& input);

// The comparison-wide results: options as stated, assumption sets, every scenario's figures,
// each architecture's ranges over the scenarios, differences against the baseline (in the
// default scenario and their ranges), the claims. Throws InvalidInput for a comparison without
// runs.
ComparisonSummary summarise(const Comparison& comparison, const CompareOptions& options,
                            const RunProvenance& provenance);

// The comparison document (docs/compare.md, "The comparison JSON").
nlohmann::json comparison_json(const Comparison& comparison, const CompareOptions& options,
                               const RunProvenance& provenance);
// The same from the summary and the default scenario's architectures (summary.architectures[i]
// belongs to architectures[i]).
nlohmann::json comparison_json(const ComparisonSummary& summary,
                               const std::vector<ArchitectureResult>& architectures,
                               const CompareOptions& options);

// A comparison document read back: the summary and the default scenario's architectures
// (architecture_from_json, so only the figures a report lays out).
struct ComparisonDocument {
  ComparisonSummary summary;
  std::vector<ArchitectureResult> architectures;
};
// Reads a document that follows the comparison JSON contract ("grid2gpu_compare": 2). Every
// member but "architectures" may be left out (see comparison_summary.hpp); a member present
// must have its documented type, and names of enums (sides, source kinds, verdicts, claim forms
// and metrics, figure metrics, stage, bus and violation kinds) must be known. Throws
// InvalidInput naming the member otherwise.
ComparisonDocument comparison_from_json(const nlohmann::json& document);

nlohmann::json run_provenance_json(const RunProvenance& provenance);

}  // namespace g2g::study

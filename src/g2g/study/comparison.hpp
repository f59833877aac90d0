// A whole comparison: every architecture under every scenario (assumption sets crossed), the
// IT-load check that makes it a comparison of equal function, the claims, and the comparison
// document that `grid2gpu compare --json` writes and the HTML report reads. No I/O: models are
// read through a callback. docs/compare.md.
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

// The comparison document (docs/compare.md, "The comparison JSON"). `provenance` (program
// version, commit, date, command line) is copied in as given.
nlohmann::json comparison_json(const Comparison& comparison, const CompareOptions& options,
                               const nlohmann::json& provenance);

}  // namespace g2g::study

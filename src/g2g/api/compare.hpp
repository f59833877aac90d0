// An architecture comparison through the API: a study file (or models) with the user's
// overrides in, the typed comparison and its JSON document out. Everything `grid2gpu compare`
// decides lives here: which assumption sets run, how the study's, the sets' and the caller's
// parameters and options layer, the default tariff and cooling with their sources, and the
// provenance. A shell parses its options into a CompareRequest and prints or writes the result
// (io/compare_tables.hpp, report::render_html). docs/api.md, docs/compare.md.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "g2g/api/model.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/model/loader.hpp"
#include "g2g/study/comparison.hpp"
#include "g2g/study/study_file.hpp"

namespace g2g::api {

// How a shell names the request's options in messages and in the provenance of a value the user
// gave: the defaults are the request's own field names; the CLI gives its option names.
struct RequestNames {
  std::string tariff = "tariff_per_mwh";
  std::string hours = "hours_per_year";
  std::string cooling = "cooling_kw_per_kw";
  std::string assumptions = "assumptions";
  std::string given_on = "the request";  // "<name> on <given_on>" is the provenance
};

// A model to compare given by its text rather than a file (the Python module's Model): read,
// and read again with each assumption set's parameters (and the claims' reloads), from `text`
// with its own overrides under those and the request's, and its element edits.
struct ModelText {
  std::string id;  // the architecture's id in the comparison (a file's stem)
  std::string text;
  ModelFormat format = ModelFormat::yaml;
  std::string name;                                 // in diagnostics, as a file name
  std::optional<std::filesystem::path> base_dir;    // design: files (none: NoDesigns)
  std::vector<model::ParameterOverride> overrides;  // the model's own, under every other layer
  std::vector<model::ElementEdit> edits;
};

// What to compare and how. Unset optionals take the study's value, else the default.
struct CompareRequest {
  // One study file, or two or more model files (the first is the baseline).
  std::vector<std::filesystem::path> inputs;
  // Or, with `inputs` empty, two or more models given by their text (the first the baseline).
  std::vector<ModelText> models;
  // Over the assumption sets' parameters, which are over the study's (like --set).
  std::vector<model::ParameterOverride> parameters;
  // Directories outside each model's tree that its design: files may come from (ModelOptions).
  std::vector<std::filesystem::path> allowed_paths;
  std::uint64_t memory_limit_bytes = 0;     // per model (ModelOptions)
  std::optional<double> tariff_per_mwh;     // in `currency`; default 80 (EIA 2023 average)
  std::optional<std::string> currency;      // default USD
  std::optional<double> hours_per_year;     // at the design point when there is no profile
  std::optional<double> cooling_kw_per_kw;  // cooling per kW of loss; default 0.1
  std::optional<double> it_load_tolerance;  // fraction; default 1 %
  // Set names to run; empty: the study's, else every set. Common sets always run.
  std::vector<std::string> assumptions;
  std::filesystem::path assumptions_dir;  // more sets; a set of the same name replaces one
  std::filesystem::path claims_file;      // claims to check instead of the shipped ones
  // A time-domain scenario (grid2gpu_scenario: 1) with a grid_smoothing storage item: the
  // rack-storage claim's figures come from it, on the first 800 V DC architecture (tens of
  // seconds of simulation per training period); empty: the study's `scenario:`, else that row
  // is n/a.
  std::filesystem::path scenario_file;
  bool check_claims = true;
  bool include_point_of_load = false;
  bool size_conductors = true;
  bool normalise_it_load = false;
  sizing::SizingOptions sizing;
  unsigned threads = 0;  // 0 = every core
  // Identity of the caller for the document's provenance (date and study are added).
  std::string program = "grid2gpu";
  std::string version;
  std::string commit;
  std::string command_line;
  std::function<void(const std::string&)> progress;  // one line per step; thread-safe calls
  // Each model's warnings, once per model, before the runs.
  std::function<void(const core::DiagnosticList&)> warnings;
  RequestNames names;
};

// The comparison and everything it was run with. Move-only: `comparison.sets` points into
// `sets`.
struct CompareResult {
  CompareResult() = default;
  CompareResult(CompareResult&&) = default;
  CompareResult& operator=(CompareResult&&) = default;
  CompareResult(const CompareResult&) = delete;
  CompareResult& operator=(const CompareResult&) = delete;

  study::StudySpec study;  // empty when models were given directly
  study::CompareOptions options;
  std::vector<study::AssumptionSet> sets;  // every set available, selected or not
  study::Comparison comparison;
  study::RunProvenance provenance;  // program, version, commit, date (UTC), command, study

  // The comparison document (docs/compare.md, "The comparison JSON").
  [[nodiscard]] nlohmann::json document() const;
};

// The current time in UTC, ISO 8601 ("2026-12-05T04:10:19Z"), as provenance records it.
std::string utc_now();

// The shipped assumption sets with those of `dir` (when not empty) over them.
std::vector<study::AssumptionSet> assumption_sets(const std::filesystem::path& dir = {});

// Runs the comparison. Throws g2g::InvalidInput for a request that cannot be compared (one
// model, an unknown set, an option out of range), study::ItLoadMismatch, core::ModelError,
// steady::NonConvergenceError, or what reading a file throws.
CompareResult compare(const CompareRequest& request);

}  // namespace g2g::api

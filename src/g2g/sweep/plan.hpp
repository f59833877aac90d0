// A sweep made concrete (docs/sweep.md): the sweep file with its base models' texts, checked
// once, and the table of scenarios it asks for. A Plan is built from text alone (PlanSource), so
// a Dask worker rebuilds the same Plan from what a task carries; read_plan_source is the one
// function here that reads files.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "g2g/api/model.hpp"
#include "g2g/study/compare.hpp"
#include "g2g/sweep/sweep_file.hpp"

namespace g2g::sweep {

// Everything a sweep is made from, as text.
struct PlanSource {
  std::string sweep_text;
  std::string sweep_name;          // for messages: the sweep file's path as given
  std::filesystem::path base_dir;  // the sweep file's directory; empty: models name no designs
  std::vector<std::pair<std::string, std::string>> model_texts;  // (name in models:, its text)
  std::vector<std::filesystem::path> allowed_paths;  // more directories design: files may use
};

// Reads the sweep file and the model files it names, each confined to the sweep file's
// directory or one of `allowed_paths` (io::reference_problem), within io's size limits. Throws
// core::ModelError for the sweep file's `models:`, InvalidInput for a model outside the allowed
// directories, io::FileError for a file that cannot be read.
PlanSource read_plan_source(const std::filesystem::path& sweep_file,
                            std::span<const std::filesystem::path> allowed_paths = {});
// The same for a sweep given as text (a dict from Python): `sweep_name` names it in messages and
// its models are read relative to `base_dir` (empty: the working directory), confined likewise.
PlanSource read_plan_source(std::string sweep_text, std::string sweep_name,
                            const std::filesystem::path& base_dir,
                            std::span<const std::filesystem::path> allowed_paths = {});

// One run: a base model and a value for every swept parameter.
struct Scenario {
  std::size_t index = 0;         // row of results.csv
  std::string id;                // scenario_id(): 16 hex digits
  std::size_t architecture = 0;  // index into the sweep's models; 0 is the baseline
  std::size_t combination = 0;   // row of value_combinations(); its architectures are adjacent
  std::vector<double> values;    // SI, one per swept parameter
};

class Plan {
 public:
  // Checks the sweep against its models (each loaded once, unchanged) and builds the scenario
  // table: for each value combination, every architecture, the baseline first. Throws
  // core::ModelError (sweep or model file), InvalidInput (texts that do not match `models:`).
  explicit Plan(PlanSource source);
  Plan(Plan&&) noexcept;
  Plan& operator=(Plan&&) noexcept;
  ~Plan();

  [[nodiscard]] const PlanSource& source() const noexcept { return source_; }
  [[nodiscard]] const SweepSpec& spec() const noexcept { return spec_; }
  [[nodiscard]] const std::vector<Scenario>& scenarios() const noexcept { return scenarios_; }
  [[nodiscard]] std::size_t architecture_count() const noexcept { return spec_.models.size(); }
  // The swept parameters' names, and their results.csv columns: the name and the SI unit in
  // lower case ("rack_power_w", "mv_cable_length_m"; a ratio has no unit).
  [[nodiscard]] std::vector<std::string> parameter_names() const;
  [[nodiscard]] std::vector<std::string> parameter_columns() const;
  // The outputs measured for each scenario: the file's (or the default ones), then the claim
  // columns when options.check_claims.
  [[nodiscard]] const std::vector<std::string>& output_names() const noexcept { return outputs_; }

  // What a scenario hands the model loader: its values as parameter overrides (override_text),
  // for the parameters its base model declares.
  [[nodiscard]] std::vector<model::ParameterOverride> overrides(const Scenario& scenario) const;
  [[nodiscard]] api::ModelOptions model_options(const Scenario& scenario) const;
  [[nodiscard]] const std::string& model_text(std::size_t architecture) const;
  // The files the plan was read from: the sweep file (when it came from one), each model, and
  // the `design:` SPEC files its base models name (a SPEC that only a scenario's parameter
  // values name is not among them). Outputs must be none of these.
  [[nodiscard]] std::vector<std::filesystem::path> input_paths() const;
  // Where its `design:` SPEC files are (empty: the sweep came without a directory, so its
  // models may name no design).
  [[nodiscard]] std::filesystem::path model_directory(std::size_t architecture) const;
  [[nodiscard]] const std::string& model_name(std::size_t architecture) const;
  [[nodiscard]] api::ModelFormat model_format(std::size_t architecture) const;
  // The study options of every scenario (sizing, boundary, tariff: SweepOptions).
  [[nodiscard]] const study::CompareOptions& compare_options() const noexcept { return options_; }

 private:
  PlanSource source_;
  SweepSpec spec_;
  std::vector<Scenario> scenarios_;
  std::vector<std::string> outputs_;
  std::vector<std::vector<bool>> declares_;                  // [architecture][parameter]
  std::vector<std::unique_ptr<api::DesignSource>> designs_;  // per architecture
  std::vector<std::filesystem::path> design_paths_;          // SPEC files the base models read
  study::CompareOptions options_;
};

}  // namespace g2g::sweep

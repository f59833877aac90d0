// The library's front door for models: read one from a path, a string or an in-memory tree, and
// get a ValidatedModel, the only kind of model the API's solvers take. One validation path for
// YAML, JSON and MATPOWER: the builder's checks, validate_model once, the converter designs
// (from an injected source), then the topology checks. docs/api.md.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/loader.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::api {

enum class ModelFormat : std::uint8_t { yaml, json, matpower };

// The format a file name says (.yaml/.yml, .json, .m); throws core::ModelError for any other.
ModelFormat format_of(const std::filesystem::path& path);

// Where the SPEC files that converters name with `design:` come from. The caller decides what a
// model may read: the files beside it, a fixed set, or none.
class DesignSource {
 public:
  virtual ~DesignSource() = default;
  // Fills the efficiency of every converter that names a design. Throws core::ModelError
  // naming the converter and the problem.
  virtual void resolve(model::ModelSpec& model) const = 0;
};

// SPEC files relative to a directory (the model file's), each path confined to it or to one of
// `allowed` (io::reference_problem; the SPEC's own paths: io::load_converter_spec).
class DesignFiles final : public DesignSource {
 public:
  explicit DesignFiles(std::filesystem::path directory,
                       std::vector<std::filesystem::path> allowed = {})
      : directory_(std::move(directory)), allowed_(std::move(allowed)) {}
  void resolve(model::ModelSpec& model) const override;

 private:
  std::filesystem::path directory_;
  std::vector<std::filesystem::path> allowed_;
};

// DesignFiles that keep what they read and evaluate (io::ConverterDesignCache) from one model to
// the next: for the many models of a sweep (ModelTemplate). Not for two threads at once; a SPEC
// file changed after it was read is not read again.
class CachingDesignFiles final : public DesignSource {
 public:
  explicit CachingDesignFiles(std::filesystem::path directory,
                              std::vector<std::filesystem::path> allowed = {});
  ~CachingDesignFiles() override;
  void resolve(model::ModelSpec& model) const override;

 private:
  std::filesystem::path directory_;
  std::vector<std::filesystem::path> allowed_;
  struct Cache;
  std::unique_ptr<Cache> cache_;
};

// No designs: a converter that names one is an error. The default for models read from a
// string or built in memory, which have no directory of their own.
class NoDesigns final : public DesignSource {
 public:
  void resolve(model::ModelSpec& model) const override;
};

struct ModelOptions {
  // Replace the written value of these parameters (YAML and JSON; a MATPOWER case has none).
  std::vector<model::ParameterOverride> parameters;
  // New values for keys of elements of the top-level component list, read as the file's own
  // (YAML and JSON; model::ElementEdit).
  std::vector<model::ElementEdit> edits;
  // Where `design:` files come from; null means DesignFiles beside a model read from a path,
  // NoDesigns otherwise.
  const DesignSource* designs = nullptr;
  // Directories outside the model file's own tree whose SPEC files `design:` may name (the
  // CLI's --allow-path); used by the default DesignFiles.
  std::vector<std::filesystem::path> allowed_paths;
  // The memory an expanded model may need to be checked and solved (estimated before templates
  // are expanded, docs/model-format.md); 0: this machine's physical memory.
  std::uint64_t memory_limit_bytes = 0;
};

// This machine's physical memory, in bytes (0 when unknown: then no limit applies).
std::uint64_t physical_memory_bytes() noexcept;

// A model that passed every check, with the warnings found. Only validate() makes one, so
// nothing unvalidated reaches a solver through the API.
class ValidatedModel {
 public:
  [[nodiscard]] const model::ModelSpec& spec() const noexcept { return spec_; }
  [[nodiscard]] const core::DiagnosticList& warnings() const noexcept { return warnings_; }
  // The model itself, for a pipeline that goes on changing it (a study applies assumptions).
  [[nodiscard]] model::ModelSpec take_spec() && { return std::move(spec_); }

 private:
  friend ValidatedModel validate(model::ParsedModel parsed, const ModelOptions& options);
  friend class ModelTemplate;  // patches values of its last model in place
  ValidatedModel(model::ModelSpec spec, core::DiagnosticList warnings)
      : spec_(std::move(spec)), warnings_(std::move(warnings)) {}
  model::ModelSpec spec_;
  core::DiagnosticList warnings_;
  std::size_t topology_warnings_from_ = 0;  // warnings_ from here on are the topology checks'
};

// Each throws core::ModelError with every problem found (file:line:col and a fix), including an
// unreadable file or an unknown extension.
ValidatedModel load_model(const std::filesystem::path& path, const ModelOptions& options = {});
ValidatedModel load_model_text(std::string_view text, ModelFormat format, const std::string& name,
                               const ModelOptions& options = {});
// An in-memory model (built by code, or a parsed model with the builder's diagnostics).
ValidatedModel validate(model::ModelSpec spec, const ModelOptions& options = {});
ValidatedModel validate(model::ParsedModel parsed, const ModelOptions& options);

// The checks validate() runs on a model that has been built: validate_model, then the topology
// (every island fed, no AC element on a DC bus, ...). Errors and warnings, nothing thrown.
core::DiagnosticList check(const model::ModelSpec& model);

}  // namespace g2g::api

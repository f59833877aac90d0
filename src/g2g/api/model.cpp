#include "g2g/api/model.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <future>
#include <utility>

#include <fmt/format.h>

#include "g2g/io/converter_designs.hpp"
#include "g2g/io/files.hpp"
#include "g2g/model/element_kinds.hpp"
#include "g2g/model/matpower.hpp"
#include "g2g/model/validate.hpp"
#include "g2g/study/study_file.hpp"
#include "g2g/topology/islands.hpp"

namespace g2g::api {

std::uint64_t physical_memory_bytes() noexcept {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return 0;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size);
}

namespace fs = std::filesystem;

namespace {

std::string lower_extension(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

bool bus_in_range(model::BusIndex bus, std::size_t bus_count) {
  return bus >= 0 && static_cast<std::size_t>(bus) < bus_count;
}

// True when every bus reference of every element points at an existing bus. The loaders resolve
// ids to indices, so this only fails for hand-built or corrupted specs; topology code indexes
// arrays by these values and must not see them.
bool bus_references_valid(const model::ModelSpec& model) {
  const std::size_t n = model.buses.size();
  bool all = true;
  model::for_each_port(model, [&](model::BusIndex bus) { all = all && bus_in_range(bus, n); });
  return all;
}

// On a large model the topology check takes milliseconds, as validation does: the two only read
// the model, so they run side by side.
constexpr std::size_t large_model = 10000;

model::ParsedModel parse(std::string_view text, ModelFormat format, const std::string& name,
                         const ModelOptions& options, std::size_t readable_after_text) {
  core::DiagnosticList problems;
  if (format == ModelFormat::matpower && !options.parameters.empty())
    problems.error({name, 0, 0}, "a MATPOWER case has no parameters to set",
                   "drop --set, or import the case to YAML and declare parameters there");
  if (format == ModelFormat::matpower && !options.edits.empty())
    problems.error({name, 0, 0}, "a MATPOWER case cannot be edited element by element",
                   "import the case to YAML (grid2gpu import) and edit that");
  if (format == ModelFormat::yaml && study::looks_like_study(text))
    problems.error({name, 0, 0}, "this is a study file (grid2gpu_study), not a model",
                   fmt::format("compare the models it names with `grid2gpu compare {}`", name));
  if (problems.has_errors()) throw core::ModelError(std::move(problems));
  model::LoadOptions load_options;
  load_options.parameters = options.parameters;
  load_options.edits = options.edits;
  load_options.readable_after_text = readable_after_text;
  load_options.memory_limit_bytes =
      options.memory_limit_bytes != 0 ? options.memory_limit_bytes : physical_memory_bytes();
  switch (format) {
    case ModelFormat::yaml:
      return model::parse_yaml(text, name, load_options);
    case ModelFormat::json:
      return model::parse_json(text, name, load_options);
    case ModelFormat::matpower:
      return {model::import_matpower(text, name), {}};
  }
  return {};
}

}  // namespace

ModelFormat format_of(const fs::path& path) {
  const std::string ext = lower_extension(path);
  if (ext == ".yaml" || ext == ".yml") return ModelFormat::yaml;
  if (ext == ".json") return ModelFormat::json;
  if (ext == ".m") return ModelFormat::matpower;
  core::DiagnosticList problems;
  problems.error({path.string(), 0, 0},
                 ext.empty() ? std::string("model file has no extension, so its format is unknown")
                             : fmt::format("unknown model file extension '{}'", ext),
                 "name the file .yaml or .yml (YAML model), .json (JSON model) or .m (MATPOWER "
                 "case); `grid2gpu import CASE.m -o MODEL.yaml` converts a MATPOWER case");
  throw core::ModelError(std::move(problems));
}

void DesignFiles::resolve(model::ModelSpec& model) const {
  io::resolve_converter_designs(model, directory_, allowed_);
}

struct CachingDesignFiles::Cache {
  io::ConverterDesignCache designs;
};

CachingDesignFiles::CachingDesignFiles(std::filesystem::path directory,
                                       std::vector<std::filesystem::path> allowed)
    : directory_(std::move(directory)),
      allowed_(std::move(allowed)),
      cache_(std::make_unique<Cache>()) {}

CachingDesignFiles::~CachingDesignFiles() = default;

void CachingDesignFiles::resolve(model::ModelSpec& model) const {
  io::resolve_converter_designs(model, directory_, allowed_, cache_->designs);
}

void NoDesigns::resolve(model::ModelSpec& model) const {
  core::DiagnosticList problems;
  for (const auto& c : model.converters) {
    if (c.design_file.empty() || !c.efficiency.empty()) continue;
    problems.error(model::location(model, c.where),
                   fmt::format("converter '{}' names a design ('{}') but this model has no "
                               "directory to read it from",
                               c.id, c.design_file),
                   "read the model from its file, or give the converter an efficiency");
  }
  if (problems.has_errors()) throw core::ModelError(std::move(problems));
}

core::DiagnosticList check(const model::ModelSpec& model) {
  if (bus_references_valid(model)) {
    std::future<core::DiagnosticList> graph;
    if (model.buses.size() >= large_model)
      graph = std::async(std::launch::async, [&model] { return topology::check_topology(model); });
    core::DiagnosticList diagnostics = model::validate_model(model);
    diagnostics.append(graph.valid() ? graph.get() : topology::check_topology(model));
    return diagnostics;
  }
  core::DiagnosticList diagnostics = model::validate_model(model);
  if (!diagnostics.has_errors()) {
    // validate_model should have caught this; never let it through silently.
    diagnostics.error({model.source_file, 0, 0},
                      "an element refers to a bus index that does not exist",
                      "this is a bug in the loader that built the model; please report it");
  }
  return diagnostics;
}

ValidatedModel validate(model::ParsedModel parsed, const ModelOptions& options) {
  const NoDesigns no_designs;
  const DesignSource& designs = options.designs != nullptr ? *options.designs : no_designs;
  // Validation once (with the builder's problems, in file order, each once), beside the
  // topology checks when the model is large and its references are sound. The model stays in
  // `spec` while the topology check reads it on another thread, and is changed (designs) only
  // after that check is done.
  model::ModelSpec spec = std::move(parsed.spec);
  std::future<core::DiagnosticList> graph;
  if (!parsed.diagnostics.has_errors() && spec.buses.size() >= large_model &&
      bus_references_valid(spec)) {
    graph = std::async(std::launch::async, [&spec] { return topology::check_topology(spec); });
  }
  core::DiagnosticList warnings;
  try {
    model::check_parsed(spec, std::move(parsed.diagnostics), &warnings);
  } catch (...) {
    if (graph.valid()) graph.wait();  // it reads the model about to be unwound
    throw;
  }
  core::DiagnosticList topology_problems;
  if (graph.valid()) {
    topology_problems = graph.get();
  } else if (bus_references_valid(spec)) {
    topology_problems = topology::check_topology(spec);
  } else {
    topology_problems.error({spec.source_file, 0, 0},
                            "an element refers to a bus index that does not exist",
                            "this is a bug in the loader that built the model; please report it");
  }
  // Converters given by a physics design get their efficiency curve from it (after the checks of
  // their other fields, and once the topology check no longer reads the model; a design's errors
  // are reported first, as the file's order of checks has them).
  designs.resolve(spec);
  if (topology_problems.has_errors()) {
    core::DiagnosticList all = std::move(warnings);
    all.append(topology_problems);
    throw core::ModelError(std::move(all));
  }
  const std::size_t topology_from = warnings.items().size();
  warnings.append(topology_problems);
  ValidatedModel validated(std::move(spec), std::move(warnings));
  validated.topology_warnings_from_ = topology_from;
  return validated;
}

ValidatedModel validate(model::ModelSpec spec, const ModelOptions& options) {
  return validate(model::ParsedModel{std::move(spec), {}}, options);
}

ValidatedModel load_model_text(std::string_view text, ModelFormat format, const std::string& name,
                               const ModelOptions& options) {
  model::ParsedModel parsed = parse(text, format, name, options, 0);
  if (parsed.spec.source_file.empty()) parsed.spec.source_file = name;
  return validate(std::move(parsed), options);
}

ValidatedModel load_model(const fs::path& path, const ModelOptions& options) {
  const std::string name = path.string();
  const ModelFormat format = format_of(path);
  std::string text;
  try {
    text = io::read_text_file(path, format == ModelFormat::json ? model::json_padding : 0,
                              io::max_model_file_bytes);
  } catch (const io::FileError& error) {
    core::DiagnosticList problems;
    problems.error({name, 0, 0}, fmt::format("cannot read model file: {}", error.reason()),
                   "give the path of a readable, regular model file of at most 2 GiB");
    throw core::ModelError(std::move(problems));
  }
  model::ParsedModel parsed = parse(text, format, name, options, text.capacity() - text.size());
  if (parsed.spec.source_file.empty()) parsed.spec.source_file = name;
  const DesignFiles beside_model(path.parent_path(), options.allowed_paths);
  ModelOptions with_designs = options;
  if (with_designs.designs == nullptr) with_designs.designs = &beside_model;
  return validate(std::move(parsed), with_designs);
}

}  // namespace g2g::api

#include "g2g/sweep/plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "g2g/core/error.hpp"
#include "g2g/io/converter_designs.hpp"
#include "g2g/io/files.hpp"
#include "g2g/sweep/outputs.hpp"
#include "g2g/sweep/scenarios.hpp"

namespace g2g::sweep {
namespace {

// The dimension of a parameter's written value: the first dimension whose units read it, a
// plain number (or an expression, "$(...)") being a ratio.
core::Dimension written_dimension(std::string_view text) {
  if (core::parse_quantity(text, core::Dimension::dimensionless).ok)
    return core::Dimension::dimensionless;
  for (const core::Dimension d : core::every_dimension)
    if (core::parse_quantity(text, d).ok) return d;
  return core::Dimension::dimensionless;
}

// "w", "m", "ohm_per_m": an SI symbol as part of a column name.
std::string column_unit(core::Dimension dimension) {
  std::string unit;
  for (const char c : core::si_symbol(dimension)) {
    if (c == '/')
      unit += "_per_";
    else
      unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return unit;
}

}  // namespace

PlanSource read_plan_source(const std::filesystem::path& sweep_file,
                            std::span<const std::filesystem::path> allowed_paths) {
  return read_plan_source(
      io::read_text_file(sweep_file), sweep_file.string(),
      sweep_file.parent_path().empty() ? std::filesystem::path(".") : sweep_file.parent_path(),
      allowed_paths);
}

PlanSource read_plan_source(std::string sweep_text, std::string sweep_name,
                            const std::filesystem::path& base_dir,
                            std::span<const std::filesystem::path> allowed_paths) {
  PlanSource source;
  source.sweep_name = std::move(sweep_name);
  source.sweep_text = std::move(sweep_text);
  source.base_dir = base_dir.empty() ? std::filesystem::path(".") : base_dir;
  source.allowed_paths.assign(allowed_paths.begin(), allowed_paths.end());
  for (const std::string& model : sweep_models(source.sweep_text, source.sweep_name)) {
    const std::string problem = io::reference_problem(source.base_dir, model, allowed_paths);
    if (!problem.empty())
      throw InvalidInput("models",
                         fmt::format("{}: model '{}': {}", source.sweep_name, model, problem),
                         "put the model beside the sweep file or below it, or pass --allow-path "
                         "with its directory");
    source.model_texts.emplace_back(
        model, io::read_text_file(source.base_dir / model, 0, io::max_model_file_bytes));
  }
  return source;
}

Plan::Plan(PlanSource source) : source_(std::move(source)) {
  const std::vector<std::string> models = sweep_models(source_.sweep_text, source_.sweep_name);
  std::vector<std::string> given;
  for (const auto& [name, text] : source_.model_texts) given.push_back(name);
  if (given != models)
    throw InvalidInput("model_texts",
                       fmt::format("the sweep names the models {} but their texts are given for {}",
                                   fmt::join(models, ", "), fmt::join(given, ", ")),
                       "give one text per model of 'models:', in its order");

  // Each base model once, unchanged: the parameters it declares and their dimensions.
  std::vector<DeclaredParameter> declared;
  std::vector<std::vector<std::string>> declared_by(models.size());
  for (std::size_t a = 0; a < models.size(); ++a) {
    if (source_.base_dir.empty())
      designs_.push_back(std::make_unique<api::NoDesigns>());
    else
      designs_.push_back(
          std::make_unique<api::DesignFiles>(model_directory(a), source_.allowed_paths));
    api::ModelOptions options;
    options.designs = designs_.back().get();
    const api::ValidatedModel model = api::load_model_text(
        source_.model_texts[a].second, api::format_of(models[a]), models[a], options);
    for (const auto& c : model.spec().converters)
      if (!c.design_file.empty()) design_paths_.push_back(model_directory(a) / c.design_file);
    std::sort(design_paths_.begin(), design_paths_.end());  // one per SPEC, not per converter
    design_paths_.erase(std::unique(design_paths_.begin(), design_paths_.end()),
                        design_paths_.end());
    for (const auto& p : model.spec().parameters) {
      declared_by[a].push_back(p.name);
      const core::Dimension dimension = written_dimension(p.text);
      const auto it = std::find_if(declared.begin(), declared.end(),
                                   [&](const DeclaredParameter& d) { return d.name == p.name; });
      if (it == declared.end()) {
        declared.push_back({p.name, dimension});
      } else if (it->dimension != dimension) {
        throw InvalidInput("parameters",
                           fmt::format("parameter '{}' is a {} in one base model and a {} in '{}'",
                                       p.name, core::dimension_name(it->dimension),
                                       core::dimension_name(dimension), models[a]),
                           "give the parameter the same kind of value in every model");
      }
    }
  }
  spec_ = parse_sweep(source_.sweep_text, source_.sweep_name, declared);

  outputs_ = spec_.outputs;
  if (spec_.options.check_claims)
    for (std::string& claim : claim_outputs())
      if (std::find(outputs_.begin(), outputs_.end(), claim) == outputs_.end())
        outputs_.push_back(std::move(claim));

  declares_.assign(models.size(), std::vector<bool>(spec_.parameters.size(), false));
  for (std::size_t a = 0; a < models.size(); ++a)
    for (std::size_t p = 0; p < spec_.parameters.size(); ++p)
      declares_[a][p] = std::find(declared_by[a].begin(), declared_by[a].end(),
                                  spec_.parameters[p].name) != declared_by[a].end();

  options_.size_conductors = spec_.options.size_conductors;
  options_.include_point_of_load = spec_.options.include_point_of_load;
  options_.tariff_per_mwh = spec_.options.tariff_per_mwh;
  options_.hours_per_year = spec_.options.hours_per_year;
  options_.cooling.overhead_kw_per_kw = spec_.options.cooling_kw_per_kw;

  const std::vector<std::string> names = parameter_names();
  const auto combinations = value_combinations(spec_);
  scenarios_.reserve(combinations.size() * models.size());
  std::vector<std::uint64_t> model_hashes;
  for (const auto& text : source_.model_texts) model_hashes.push_back(fnv1a(text.second));
  for (std::size_t c = 0; c < combinations.size(); ++c) {
    for (std::size_t a = 0; a < models.size(); ++a) {
      Scenario s;
      s.index = scenarios_.size();
      s.architecture = a;
      s.combination = c;
      s.values = combinations[c];
      s.id = scenario_id(model_hashes[a], names, s.values);
      scenarios_.push_back(std::move(s));
    }
  }
}

Plan::Plan(Plan&&) noexcept = default;
Plan& Plan::operator=(Plan&&) noexcept = default;
Plan::~Plan() = default;

std::vector<std::string> Plan::parameter_names() const {
  std::vector<std::string> names;
  for (const auto& p : spec_.parameters) names.push_back(p.name);
  return names;
}

std::vector<std::string> Plan::parameter_columns() const {
  std::vector<std::string> columns;
  for (const auto& p : spec_.parameters) {
    const std::string unit = column_unit(p.dimension);
    columns.push_back(unit.empty() ? p.name : fmt::format("{}_{}", p.name, unit));
  }
  return columns;
}

std::vector<model::ParameterOverride> Plan::overrides(const Scenario& scenario) const {
  std::vector<model::ParameterOverride> out;
  for (std::size_t p = 0; p < spec_.parameters.size(); ++p)
    if (declares_.at(scenario.architecture)[p])
      out.push_back({spec_.parameters[p].name,
                     override_text(scenario.values.at(p), spec_.parameters[p].dimension)});
  return out;
}

api::ModelOptions Plan::model_options(const Scenario& scenario) const {
  api::ModelOptions options;
  options.parameters = overrides(scenario);
  options.designs = designs_.at(scenario.architecture).get();
  return options;
}

std::vector<std::filesystem::path> Plan::input_paths() const {
  // A sweep given as text has a name that is no file: fs::equivalent then never matches it.
  std::vector<std::filesystem::path> paths{source_.sweep_name};
  for (const auto& [name, text] : source_.model_texts) paths.push_back(source_.base_dir / name);
  paths.insert(paths.end(), design_paths_.begin(), design_paths_.end());
  return paths;
}

std::filesystem::path Plan::model_directory(std::size_t architecture) const {
  if (source_.base_dir.empty()) return {};
  return source_.base_dir / std::filesystem::path(model_name(architecture)).parent_path();
}

const std::string& Plan::model_text(std::size_t architecture) const {
  return source_.model_texts.at(architecture).second;
}

const std::string& Plan::model_name(std::size_t architecture) const {
  return source_.model_texts.at(architecture).first;
}

api::ModelFormat Plan::model_format(std::size_t architecture) const {
  return api::format_of(model_name(architecture));
}

}  // namespace g2g::sweep

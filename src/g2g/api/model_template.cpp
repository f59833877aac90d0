#include "g2g/api/model_template.hpp"

#include <utility>

#include "g2g/model/validate.hpp"
#include "g2g/study/study_file.hpp"

namespace g2g::api {

ModelTemplate::ModelTemplate(std::string text, ModelFormat format, std::string name,
                             ModelOptions base_options)
    : text_(std::move(text)),
      format_(format),
      name_(std::move(name)),
      base_options_(std::move(base_options)) {
  if (format_ == ModelFormat::matpower) return;  // built by load_model_text each time
  // load_model_text refuses a study file before reading it, with the same error every time.
  if (format_ == ModelFormat::yaml && study::looks_like_study(text_))
    (void)load_model_text(text_, format_, name_, base_options_);
  // The source refers to the text: JSON is read in place, and its parser reads a little past the
  // end. The reserve also keeps the text out of the string object itself (short strings live
  // there), so that moving the template does not move it.
  text_.reserve(text_.size() + model::json_padding);
  source_.emplace(
      text_, format_ == ModelFormat::yaml ? model::SourceFormat::yaml : model::SourceFormat::json,
      name_);
}

ModelTemplate::~ModelTemplate() = default;
ModelTemplate::ModelTemplate(ModelTemplate&&) noexcept = default;
ModelTemplate& ModelTemplate::operator=(ModelTemplate&&) noexcept = default;

const ValidatedModel& ModelTemplate::expand(std::span<const model::ParameterOverride> overrides) {
  ModelOptions options = base_options_;
  options.parameters.insert(options.parameters.end(), overrides.begin(), overrides.end());
  values_only_ = loads_only_ = false;
  changed_kinds_.reset();
  if (patch(options)) return *model_;
  return build_again(options);
}

const ValidatedModel& ModelTemplate::build_again(const ModelOptions& options) {
  model_.reset();
  if (!source_) {
    model_.emplace(load_model_text(text_, format_, name_, options));
    builder_warned_ = true;  // never patched
    return *model_;
  }
  // As load_model_text parses, from the tree read once.
  model::LoadOptions load_options;
  load_options.parameters = options.parameters;
  load_options.memory_limit_bytes =
      options.memory_limit_bytes != 0 ? options.memory_limit_bytes : physical_memory_bytes();
  model::ParsedModel parsed = source_->build(load_options);
  if (parsed.spec.source_file.empty()) parsed.spec.source_file = name_;
  builder_warned_ = !parsed.diagnostics.items().empty();
  model_.emplace(validate(std::move(parsed), options));
  // The topology checks' warnings, kept for value-only patches, which cannot change them (below).
  const auto& warnings = model_->warnings_.items();
  topology_warnings_ = {};
  for (std::size_t w = model_->topology_warnings_from_; w < warnings.size(); ++w)
    topology_warnings_.add(warnings[w]);
  validation_warned_ = model_->topology_warnings_from_ != 0;
  return *model_;
}

// A value-only patch changes numbers of components and nothing that the topology checks read
// (ports, bus kinds and voltages, in_service, closed, a converter's control, a source's type;
// a breaker that would turn from switch to line is refused by patch_values), so the topology
// warnings of the last build stand. Of validate_model, only the checks of the patched elements
// can give another answer (model::validate_elements): when the last model had no warning of its
// own and these checks find nothing, the whole validation would find nothing either; else it
// runs on the whole model. Validation sees the efficiency curves of converters with a design
// that were not patched (after a build it sees them empty): those checks only report errors, and
// an error sends the scenario to the full path, so the warnings are the same.
bool ModelTemplate::patch(const ModelOptions& options) {
  if (!model_ || !source_ || builder_warned_) return false;
  model::ModelSpec& spec = model_->spec_;
  const auto patched = source_->patch_values(options.parameters, spec);
  if (!patched) return false;
  // The model has changed: from here, any problem is reported by the full path.
  try {
    bool clean = !validation_warned_;
    for (std::size_t k = 0; k < model::model_kind_count && clean; ++k)
      clean =
          model::validate_elements(spec, static_cast<model::ElementKind>(k), patched->indices[k])
              .items()
              .empty();
    core::DiagnosticList warnings;
    if (!clean) model::check_parsed(spec, {}, &warnings);
    validation_warned_ = !warnings.items().empty();
    if (patched->changed(model::ElementKind::converter)) {
      const NoDesigns no_designs;
      (options.designs != nullptr ? *options.designs : no_designs).resolve(spec);
    }
    model_->topology_warnings_from_ = warnings.items().size();
    warnings.append(topology_warnings_);
    model_->warnings_ = std::move(warnings);
  } catch (const core::ModelError&) {
    model_.reset();
    return false;
  }
  values_only_ = true;
  loads_only_ = patched->only(model::ElementKind::load);
  for (std::size_t k = 0; k < model::model_kind_count; ++k)
    changed_kinds_.set(k, !patched->indices[k].empty());
  return true;
}

}  // namespace g2g::api

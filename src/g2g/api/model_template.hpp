// A model's source text kept, to be expanded again for each set of parameter values: the
// scenarios of a sweep. The text is read into its document tree once. A scenario that changes
// only numbers written in components (a cable's length, an efficiency, a GPU idle fraction) is
// patched into the last model in place; any other (a count, an id, a bus: the network's shape)
// is built again from the kept tree. Either way the model equals what load_model_text makes of
// the text with those overrides, and every check has run. docs/api.md, "Scenarios".
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>

#include "g2g/api/model.hpp"
#include "g2g/model/source.hpp"

namespace g2g::api {

class ModelTemplate {
 public:
  // Reads `text`. Throws core::ModelError when no expansion could succeed: a syntax error, a
  // study file given as a model. `base_options.designs`, when set, must outlive the template.
  ModelTemplate(std::string text, ModelFormat format, std::string name,
                ModelOptions base_options = {});
  ~ModelTemplate();
  ModelTemplate(ModelTemplate&&) noexcept;
  ModelTemplate& operator=(ModelTemplate&&) noexcept;
  ModelTemplate(const ModelTemplate&) = delete;
  ModelTemplate& operator=(const ModelTemplate&) = delete;

  // The model with `overrides` applied after the base options' parameters (a name given in both
  // takes the value here): bit for bit the ModelSpec and warnings of load_model_text(text,
  // format, name, base options with these parameters). Throws core::ModelError with the same
  // diagnostics when that would. The reference stays valid until the next expand(), which
  // changes the model in place (a Solver made from it stays valid too: call Solver::update, or
  // update_loads when last_changed_only_loads()); moving the template does not keep it valid.
  const ValidatedModel& expand(std::span<const model::ParameterOverride> overrides);

  // The last expand() patched values of the previous model in place: the network's shape is
  // unchanged.
  [[nodiscard]] bool last_was_values_only() const noexcept { return values_only_; }
  // ... and only loads' values changed: api::Solver::update_loads takes the model.
  [[nodiscard]] bool last_changed_only_loads() const noexcept { return loads_only_; }
  // The element kinds whose values the last value-only expand() changed (empty after a build).
  [[nodiscard]] const model::ElementKindSet& last_changed_kinds() const noexcept {
    return changed_kinds_;
  }

 private:
  const ValidatedModel& build_again(const ModelOptions& options);
  // The value-only path; false when the full one is needed (and the model is then stale).
  bool patch(const ModelOptions& options);

  std::string text_;  // followed by model::json_padding readable bytes (its capacity)
  ModelFormat format_;
  std::string name_;
  ModelOptions base_options_;
  std::optional<model::ModelSource> source_;  // none for a MATPOWER case
  std::optional<ValidatedModel> model_;       // the last expansion, when it succeeded
  core::DiagnosticList topology_warnings_;    // of model_, kept by a value-only patch
  bool builder_warned_ = false;               // the builder had something to say about model_
  bool validation_warned_ = false;            // validate_model warned about model_
  bool values_only_ = false;
  bool loads_only_ = false;
  model::ElementKindSet changed_kinds_;
};

}  // namespace g2g::api

// Assumption sets: named, sourced choices of the inputs a comparison depends on — each
// converter role's part-load efficiency curve, transformer losses, and model parameters (e.g.
// a solid-state breaker's on-resistance). A comparison runs under several sets at once (every
// AC set crossed with every DC set, each with the common sets) and reports the range.
// Format and the shipped sets: docs/compare.md ("Assumption sets"), data/assumptions/*.yaml.
// No I/O: sets are parsed from text; the shipped ones are compiled into the library.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/model/spec.hpp"

namespace g2g::study {

// What kind of figure a value is (shared/reference tags).
enum class SourceKind : std::uint8_t {
  vendor_claim,
  measurement,
  standard,
  analyst_estimate,
  simulation,
  physics,     // computed by grid2gpu's device models (converters/)
  assumption,  // our own choice, stated
};
[[nodiscard]] std::string_view name(SourceKind kind) noexcept;
[[nodiscard]] std::optional<SourceKind> parse_source_kind(std::string_view text) noexcept;

struct Provenance {
  std::string source;  // public source (title, URL), or how an assumption was made
  SourceKind kind = SourceKind::assumption;
};

// Which side of a comparison a set describes. Sets of one side are crossed with the other's;
// common sets apply to every run.
enum class Side : std::uint8_t { ac, dc, common };
[[nodiscard]] std::string_view name(Side side) noexcept;

// The efficiency of every converter whose role (subtype, or type without one) is `role`.
struct ConverterRule {
  std::string role;
  Provenance provenance;
  // Either a curve as published (`efficiency`), or a shape scaled to a published `peak`
  // and/or by a `loss_factor`: the shape's loss per watt out (1/eta - 1) is multiplied by one
  // factor, so the curve keeps its shape and its maximum becomes `peak`. An empty `shape` means
  // the converter's own curve in the model (e.g. from its device-physics design).
  std::vector<model::EfficiencyPoint> efficiency;
  std::vector<model::EfficiencyPoint> shape;
  std::string shape_source;  // where the shape comes from
  std::optional<double> peak;
  std::optional<double> loss_factor;
  bool as_modelled = false;                     // keep the model's own curve (physics)
  std::optional<double> power_factor;           // AC input displacement power factor
  std::optional<double> standby_loss_fraction;  // standby loss / rating
};

// Losses of every transformer, as fractions of its rating.
struct TransformerRule {
  double no_load_loss_fraction = 0.0;
  double load_loss_fraction = 0.0;
  Provenance provenance;
};

// A model parameter set by the assumption set (applied to models that declare it).
struct ParameterRule {
  std::string name;
  std::string value;  // as written, with its unit: "1.6 mohm"
  Provenance provenance;
};

struct AssumptionSet {
  std::string name;   // "ac-modern"
  std::string title;  // "Modern double-conversion AC"
  Side side = Side::common;
  std::string description;
  std::vector<ConverterRule> converters;
  std::optional<TransformerRule> transformer;
  std::vector<ParameterRule> parameters;
  std::string file;  // where it was read from
};

// Parses one set (`grid2gpu_assumptions: 1`). Throws core::ModelError with every problem.
AssumptionSet parse_assumption_set(std::string_view yaml, const std::string& file);

// The sets shipped in data/assumptions/, compiled into the library, sorted by side then name.
const std::vector<AssumptionSet>& default_assumption_sets();

// One run of a comparison: an AC set and a DC set (either may be absent) plus every common set.
struct Scenario {
  std::string name;  // "ac-modern + dc-conservative"
  std::vector<const AssumptionSet*> sets;
};
// Every AC set crossed with every DC set, each with all common sets, in the order given.
std::vector<Scenario> cross_scenarios(const std::vector<const AssumptionSet*>& sets);

// The role of a converter: its subtype, or its type when it has none.
[[nodiscard]] std::string_view converter_role(const model::Converter& converter) noexcept;

// `shape` with its loss per watt scaled so that its highest efficiency is `peak` (when given),
// then multiplied by `loss_factor` (when given). Throws g2g::InvalidInput for an empty or
// lossless shape asked to reach a peak below 1.
std::vector<model::EfficiencyPoint> scale_curve(const std::vector<model::EfficiencyPoint>& shape,
                                                std::optional<double> peak,
                                                std::optional<double> loss_factor);
// Highest efficiency of a curve.
[[nodiscard]] double peak_efficiency(const std::vector<model::EfficiencyPoint>& curve) noexcept;

// Applies the converter and transformer rules of `set` to `model` (parameters are applied when
// the model is read; see parameter_overrides). Returns the number of elements changed.
int apply(const AssumptionSet& set, model::ModelSpec& model);

// The parameter overrides of `sets` that `declared` (a model's parameter names) has.
std::vector<model::ParameterOverride> parameter_overrides(
    const std::vector<const AssumptionSet*>& sets, const std::vector<std::string>& declared);

// The parameters a study's model is read with, each name once: the user's (--set) over the
// assumption sets', over the study file's. Within one layer the first of a name counts.
std::vector<model::ParameterOverride> layered_parameters(
    const std::vector<model::ParameterOverride>& study_file,
    const std::vector<model::ParameterOverride>& assumption_sets,
    const std::vector<model::ParameterOverride>& user);

}  // namespace g2g::study

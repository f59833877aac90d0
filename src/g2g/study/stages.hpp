// The power chain of a solved model as stages from the grid to the GPUs: every element that
// converts or carries power is put in a stage (one per kind of element and voltage level:
// "UPS 415 V AC", "DC/DC 800 V -> 54 V", "54 V DC busbar"), and stages are ordered by how far
// their input sits from the sources. Reports draw Sankey diagrams and loss waterfalls from it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "g2g/model/spec.hpp"
#include "g2g/steady/results.hpp"

namespace g2g::study {

enum class StageKind : std::uint8_t {
  conversion,    // converters and transformers
  distribution,  // cables, busbars, lines
};
std::string_view stage_kind_name(StageKind kind) noexcept;

struct Stage {
  std::string name;  // "UPS 415 V AC", "DC/DC 800 V -> 54 V", "415 V AC cable"
  StageKind kind = StageKind::conversion;
  std::string label;  // what the elements are: "ups", "dc_transformer", "cable", "transformer"
  double voltage_in_v = 0.0;
  double voltage_out_v = 0.0;
  model::BusKind bus_kind_in = model::BusKind::ac;
  model::BusKind bus_kind_out = model::BusKind::ac;
  int depth = 0;  // elements between the sources and this stage's input
  int count = 0;  // elements in the stage
  // Converters and transformers: units installed in all the stage's elements (redundancy
  // counts every running spare) and the average load of one unit, output / installed rating.
  int installed_units = 0;
  double installed_rating_w = 0.0;
  double unit_load_fraction = 0.0;
  std::string redundancy;  // the elements' redundancy rule ("2N", "4N/3"), "" for none
  double p_in_w = 0.0;
  double p_out_w = 0.0;
  double loss_w = 0.0;
  bool point_of_load = false;   // converters of subtype vrm (GPU voltage regulators)
  int conversions_per_box = 1;  // power conversions inside one element (conversions_in)
};

// Stages of `result`, ordered grid to GPU (by depth, then name). Out-of-service elements and
// switches are left out.
std::vector<Stage> chain_stages(const model::ModelSpec& model, const steady::SolveResult& result);

// The stage each element of a model falls in, and each stage's name, kind, voltages and depth:
// what chain_stages finds from the model's shape alone (ports, in service, element types and
// subtypes, redundancy rules, bus kinds and voltages, sources, ids), none of which a value-only
// scenario changes (model::ModelSource::patch_values re-reads numbers only). Found once for a
// shape, it lets the stages of each of its solutions be summed without walking the network.
class StageIndex {
 public:
  explicit StageIndex(const model::ModelSpec& model);

  // The stage of line, transformer or converter `index` of the model (its name, kind, label,
  // voltages and depth; no element summed in), or nullptr for an element out of service or of
  // another type.
  [[nodiscard]] const Stage* stage_of(steady::ElementType type, std::size_t index) const;

 private:
  friend std::vector<Stage> chain_stages(const StageIndex& index, const model::ModelSpec& model,
                                         const steady::SolveResult& result);
  std::vector<Stage> stages_;       // in the order found, with no element summed in yet
  std::vector<std::size_t> order_;  // the stages grid to GPU: indices into stages_
  // Per line, transformer and converter of the model: its stage, or -1 (out of service).
  std::vector<std::int32_t> stage_of_line_, stage_of_transformer_, stage_of_converter_;
};

// chain_stages(model, result) with the stages of `index`, which must have been made from a
// model of the same shape as `model` (the same model, or one patched with values only).
std::vector<Stage> chain_stages(const StageIndex& index, const model::ModelSpec& model,
                                const steady::SolveResult& result);

// Power conversions inside one converter: 2 for a double-conversion UPS (AC -> DC -> AC), a rack
// PSU (PFC + isolated DC/DC) and an SST (rectifier + isolated DC/DC); 1 otherwise.
[[nodiscard]] int conversions_in(const model::Converter& converter) noexcept;

// Human name of a converter subtype or element label ("ups" -> "UPS").
std::string stage_label_name(std::string_view label);

}  // namespace g2g::study

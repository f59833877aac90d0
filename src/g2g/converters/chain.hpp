// Multi-stage converters: a chain of stages evaluated from the output backwards (a rack PSU is a
// PFC feeding an LLC; an SST is an MV front end feeding DC/DC cells), and input-series
// output-parallel (ISOP) stacking of identical modules. A stage is a physics design
// (converter.hpp), a sourced efficiency curve, or itself a chain. Pure functions, no I/O: the
// SPEC files behind an Assembly are read by io::load_converter_spec. docs/converters.md § Chains.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "g2g/converters/converter.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::converters {

// A stage whose devices are not modelled: efficiency over load, with where it comes from.
// Between and beyond its points the loss follows components::EfficiencyCurveLoss, the same
// interpolation the power flow uses.
struct SourcedCurve {
  std::string name;
  double v_in_nominal_v = 0.0;
  double v_out_nominal_v = 0.0;
  double rating_w = 0.0;
  std::vector<model::EfficiencyPoint> points;  // load fraction of rating_w, ascending
  std::string source;                          // publication, or "assumption: ..." and why
};

struct Stage;

// What one SPEC file describes: a design from physics, a sourced curve, or a chain of stages.
struct Assembly {
  enum class Kind : std::uint8_t { physics, curve, chain };
  Kind kind = Kind::physics;
  std::string name;
  ConverterDesign design;  // physics
  // physics: the SPEC's own parts (device_library) laid over the built-in ones; nullptr = the
  // library the caller passes.
  std::shared_ptr<const std::vector<devices::Device>> parts;
  SourcedCurve curve;                    // curve
  std::vector<Stage> stages;             // chain, input first
  double rating_w = 0.0;                 // chain: 0 = the last stage's rating
  std::vector<std::string> assumptions;  // chain-level assumptions
};

// A chain stage: `input_series` modules with their inputs in series and outputs in parallel
// (ISOP; each sees V_in/k and carries P/k), and `modules` such units sharing the power equally.
struct Stage {
  std::string label;  // the SPEC file as written, or the curve's name
  int input_series = 1;
  int modules = 1;
  Assembly module;
};

struct Nominal {
  double v_in_v = 0.0;
  double v_out_v = 0.0;
  double rating_w = 0.0;
};
// True when the assembly's input stage is a single-phase AC front end (a totem-pole PFC), which
// a three-phase bus feeds line to neutral.
[[nodiscard]] bool single_phase_input(const Assembly& assembly) noexcept;

// Physics: the design's; curve: the curve's; a stage: V_in k, V_out, rating k modules; a chain:
// the first stage's input, the last stage's output, `rating_w` or the last stage's rating.
Nominal nominal(const Assembly& assembly) noexcept;
Nominal nominal(const Stage& stage) noexcept;

// One stage of an evaluated chain, all its modules together.
struct StageResult {
  std::string label;
  int depth = 0;         // 0 = a stage of the evaluated chain, 1 = a stage of a nested chain, ...
  int units = 1;         // identical modules this row stands for (input_series x modules x outer)
  OperatingPoint point;  // the stage's input voltage, output voltage and output power
  double p_in_w = 0.0;
  double efficiency = 0.0;
  LossBreakdown loss;      // all units
  ConverterResult module;  // one module as evaluated (physics: switches, T_j, warnings)
  Assembly::Kind kind = Assembly::Kind::physics;
};

struct AssemblyResult {
  // The whole assembly as one converter: point, p_in, efficiency, summed losses, zvs_all,
  // thermal_ok, warnings (prefixed by the stage); switches only for a single physics design.
  ConverterResult total;
  std::vector<StageResult> stages;  // input first, nested chains' stages after their own row
};

// Evaluates an assembly at an operating point. A chain is evaluated from its output backwards:
// the last stage delivers point.p_out_w at point.v_out_v, stage k delivers what stage k+1 takes
// in, and the bus between them is at stage k's nominal output voltage; the first stage takes
// point.v_in_v. Throws DesignError naming the stage when one cannot run.
AssemblyResult evaluate(const Assembly& assembly, const Library& library,
                        const OperatingPoint& point);

// Efficiency over load fractions x input voltages at the nominal output (as efficiency_map for a
// design); a point that cannot run keeps NaN and the reason as a warning.
EfficiencyMap efficiency_map(const Assembly& assembly, const Library& library,
                             const std::vector<double>& load_fractions,
                             const std::vector<double>& v_in_v);

}  // namespace g2g::converters

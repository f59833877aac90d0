// Steady-state results in SI units: what the solver hands to reports, files and tests.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/model/element_kinds.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::steady {

// The model's element kinds (model/element_kinds.hpp), in the order results list them.
using ElementType = model::ElementKind;
std::string_view element_type_name(ElementType type);

struct BusResult {
  model::BusIndex bus = model::no_bus;  // index into ModelSpec::buses
  double v_pu = 0.0;
  double voltage_v = 0.0;  // AC: line-to-line RMS; DC: pole-to-pole
  double angle_deg = 0.0;  // AC only
  bool energised = true;   // false for buses in an island with no source
};

// Sign convention: p_in_w flows into the element at its input ("from") side, p_out_w leaves it
// at its output ("to") side; loss_w = p_in_w - p_out_w. Sources have p_in_w = 0 and deliver
// p_out_w; loads and charging storage consume p_in_w with p_out_w = 0 (consumption is not loss).
struct ElementResult {
  ElementType type = ElementType::load;
  std::int32_t index = 0;  // index into the ModelSpec vector of that type
  double p_in_w = 0.0;
  double p_out_w = 0.0;
  double q_in_var = 0.0;
  double q_out_var = 0.0;
  double loss_w = 0.0;
  double current_a = 0.0;  // at the input side (AC: line current; DC: pole current)
  double current_out_a = 0.0;
  double loading_pct = 0.0;  // of the element's rating; 0 when unrated
};

enum class ViolationKind : std::uint8_t {
  under_voltage,
  over_voltage,
  overload,        // converter, transformer, source above rating
  ampacity,        // line current above ampacity
  reactive_limit,  // generator Q outside its limits
};
std::string_view violation_kind_name(ViolationKind kind);
// The kind named by violation_kind_name; nullopt for any other text.
std::optional<ViolationKind> violation_kind_from_name(std::string_view name);
// Unit of Violation::value and ::limit for a kind, as results files spell it: "pu" (voltages),
// "pct" (loading, of the rating or the ampacity), "var" (generator reactive power).
std::string_view violation_unit(ViolationKind kind) noexcept;

struct Violation {
  ViolationKind kind = ViolationKind::overload;
  std::string element_id;  // bus or element id
  double value = 0.0;      // v_pu, loading %, or var
  double limit = 0.0;
};

struct LossGroup {
  std::string name;  // element type ("line") or stage ("converter:psu")
  double loss_w = 0.0;
};

struct Totals {
  double source_w = 0.0;         // sources, plus discharging storage
  double load_w = 0.0;           // loads, plus charging storage
  double loss_w = 0.0;           // lines, transformers, converters
  double efficiency = 0.0;       // load_w / source_w
  double balance_error_w = 0.0;  // source_w - load_w - loss_w (should be ~0)
  std::vector<LossGroup> loss_by_type;
  std::vector<LossGroup> loss_by_stage;
};

struct SolveStats {
  int iterations = 0;
  double max_mismatch_pu = 0.0;
  int unknowns = 0;
  int jacobian_nonzeros = 0;
  double solve_seconds = 0.0;
  bool used_fallback = false;  // damping/continuation was needed
};

struct SolveResult {
  bool converged = false;
  SolveStats stats;
  std::vector<BusResult> buses;  // one per ModelSpec bus, same order
  std::vector<ElementResult>
      elements;  // sources, lines, transformers, switches, converters, loads, storage
  Totals totals;
  std::vector<Violation> violations;
};

}  // namespace g2g::steady

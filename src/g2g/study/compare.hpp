// Architecture studies: solve (and size) each architecture serving the same IT load, and put
// their losses, copper and conversion stages side by side — at the design point and over a
// year of a utilisation profile, with the cooling the losses need. The first architecture is
// the baseline that differences are taken against. No I/O: models come in as ModelSpecs, results
// go out as structs and JSON (docs/compare.md).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "g2g/model/spec.hpp"
#include "g2g/sizing/sizing.hpp"
#include "g2g/steady/results.hpp"
#include "g2g/study/assumptions.hpp"
#include "g2g/study/availability.hpp"
#include "g2g/study/stages.hpp"

namespace g2g::study {

// AC power factor for the power-per-conductor table and claim (a): the rack PSUs' 0.95
// (80 PLUS Titanium / EU Lot 9, shared/reference/800vdc-facts.md §2.4).
inline constexpr double conductor_power_factor = 0.95;

// Hours of a year at one utilisation of the GPU racks (gpu_rack loads' `utilisation`).
struct UtilisationPoint {
  double utilisation = 1.0;  // 0 = idle (the racks draw their idle_fraction), 1 = full
  double hours = 0.0;
  std::string label;  // "training peak", "idle"
};

// A load-duration profile: where the year is spent. Empty = the design point all year.
struct UtilisationProfile {
  std::vector<UtilisationPoint> points;
  Provenance provenance;
  [[nodiscard]] double total_hours() const noexcept;
};

struct CoolingOptions {
  // kW of cooling power per kW of heat (electrical loss) to remove; 0 = not counted.
  double overhead_kw_per_kw = 0.0;
  Provenance provenance;
};

struct CompareOptions {
  // End to end stops at the GPU voltage regulators' input unless this is set: their efficiency
  // was not found in any source (shared/reference/800vdc-facts.md §2.6), and every architecture
  // has the same ones.
  bool include_point_of_load = false;
  double tariff_per_mwh = 80.0;  // energy price for the annual cost of losses
  std::string currency = "USD";
  Provenance tariff_provenance;
  double hours_per_year = 8760.0;  // at the design point, when there is no profile
  UtilisationProfile profile;
  CoolingOptions cooling;
  bool size_conductors = true;  // size every LV cable and busbar before comparing
  sizing::SizingOptions sizing;
  int max_sizing_passes = 4;
  // IT loads may differ from the baseline's by this fraction before compare refuses.
  double it_load_tolerance = 0.01;
  bool normalise_it_load = false;  // scale loads to the baseline's IT load instead of refusing
};

// Conductors at one voltage level of an architecture (all its LV cables and busbars there).
struct ConductorLevel {
  std::string name;  // "415 V AC cable"
  model::BusKind kind = model::BusKind::ac;
  double voltage_v = 0.0;
  int lines = 0;
  double max_current_a = 0.0;             // largest per-phase/pole current of a line at this level
  double typical_cross_section_m2 = 0.0;  // of the line carrying max_current_a
  int typical_runs = 1;
  std::string typical_size;  // size label of that line
  double copper_kg = 0.0;
  double aluminium_kg = 0.0;
  double loss_w = 0.0;
};

// Power figures of one operating point, inside the end-to-end boundary.
struct Figures {
  double source_w = 0.0;     // power from the grid (and discharging storage)
  double delivered_w = 0.0;  // at the boundary: VRM inputs, or the GPU loads (include_pol)
  double it_load_w = 0.0;    // GPU / load power
  double loss_w = 0.0;       // source_w - delivered_w
  double efficiency = 0.0;   // delivered_w / source_w
  double conversion_loss_w = 0.0;
  double distribution_loss_w = 0.0;
  double point_of_load_loss_w = 0.0;  // the VRMs' loss (outside the default boundary)
  double efficiency_to_core = 0.0;    // it_load_w / source_w, the VRMs included
  double cooling_w = 0.0;             // cooling power for loss_w (CompareOptions::cooling)
};

// A year of a utilisation profile: energies in MWh.
struct AnnualFigures {
  double input_mwh = 0.0;
  double delivered_mwh = 0.0;
  double it_mwh = 0.0;
  double loss_mwh = 0.0;
  double conversion_loss_mwh = 0.0;
  double distribution_loss_mwh = 0.0;
  double cooling_mwh = 0.0;
  double efficiency = 0.0;          // delivered / input
  double efficiency_to_core = 0.0;  // it / input
  double loss_cost = 0.0;           // loss x tariff
  double cooling_cost = 0.0;
};

struct ProfileResult {
  UtilisationPoint point;
  Figures figures;
};

struct ArchitectureResult {
  std::string id;    // short name, e.g. the file stem "800vdc-sst"
  std::string name;  // the model's name
  std::string file;
  std::string scenario;    // the assumption sets it ran under
  model::ModelSpec model;  // as solved (sized when CompareOptions::size_conductors)
  steady::SolveResult result;
  std::vector<Stage> stages;  // inside the end-to-end boundary, grid to GPU
  Figures design;             // at the model's own load (the design point)
  std::vector<ProfileResult> profile;
  AnnualFigures annual;
  // What the chain's conversion count means: boxes in series (conversion stages power passes
  // through from grid to the boundary) and the power conversions inside them (a
  // double-conversion UPS or a PSU does two: AC -> DC and back, or AC -> DC and DC/DC; see
  // conversions_in, stages.hpp). A stage carrying no power (a battery converter on float) is
  // not counted.
  int boxes_in_series = 0;
  int power_conversions = 0;
  double copper_kg = 0.0;
  double aluminium_kg = 0.0;
  std::vector<ConductorLevel> conductor_levels;
  std::optional<sizing::SizingResult> sizing;  // when sized
  int sizing_passes = 0;
  bool sizing_stable = true;
  // The chain's availability and unserved energy (run_comparison sets it; analyse does not).
  ArchitectureAvailability availability;
};

// Solves (and sizes) one architecture and measures it at the design point and over the
// utilisation profile. Throws steady::NonConvergenceError when it has no operating point.
ArchitectureResult analyse(std::string id, const model::ModelSpec& model,
                           const CompareOptions& options);
// As above, with the design point of an unsized architecture solved by `solve_design_point`,
// which must return what steady::solve(model) returns (a reusable solver restarted on `model`:
// steady::Solver::restart); sizing solves its own geometries.
ArchitectureResult analyse(std::string id, const model::ModelSpec& model,
                           const CompareOptions& options,
                           const std::function<steady::SolveResult()>& solve_design_point);
// Whether analyse copies an unsized model into ArchitectureResult::model (a sized one is always
// there: sizing makes it). A caller that reads every figure but never the model (a sweep row
// with no claim column) saves the copy: its figures are the same bit for bit.
enum class KeepModel : bool { no, yes };
// As above, into `a`: every field is overwritten, and the storage of `a.model` is reused for the
// copy of `model` (for a caller analysing many models of one shape: a sweep's evaluator). With
// KeepModel::no and an unsized model, `a.model` is left empty and the figures are measured on
// `model` itself. `stages`, when given, must be the StageIndex of `model`'s shape; it is used
// for an unsized model's design point (sizing and a profile's points find their own).
void analyse(ArchitectureResult& a, std::string id, const model::ModelSpec& model,
             const CompareOptions& options,
             const std::function<steady::SolveResult()>& solve_design_point,
             KeepModel keep_model = KeepModel::yes, const StageIndex* stages = nullptr);

// The figures of one solved operating point of `model` (used by analyse for each point), its
// stages found by chain_stages (from `index` when given: the StageIndex of `model`'s shape).
Figures measure(const model::ModelSpec& model, const steady::SolveResult& result,
                const CompareOptions& options, std::vector<Stage>* stages = nullptr,
                const StageIndex* index = nullptr);

// `model` with every gpu_rack load at `utilisation`; false when it has no gpu_rack load.
bool set_utilisation(model::ModelSpec& model, double utilisation);

// Every load's power scaled by `factor` (gpu_rack: its rated IT power).
void scale_loads(model::ModelSpec& model, double factor);

// One JSON object per architecture result (docs/compare.md, "The comparison JSON").
nlohmann::json architecture_json(const ArchitectureResult& a, const CompareOptions& options);

// The inverse of architecture_json for the figures a report lays out: id, name, file, scenario,
// convergence and iterations, design totals, stages, annual figures, boxes in series and power
// conversions, copper and aluminium, conductor levels, violations, sizing's counts, passes and
// stability (an empty SizingResult with its totals), and the model's parameters (name and text
// only). Missing fields keep their defaults; the rest of the model and of the solve result and
// the profile are not read. Throws InvalidInput for a
// stage kind, bus kind or violation kind it does not know.
ArchitectureResult architecture_from_json(const nlohmann::json& j);

// What one copper conductor of a few common sizes carries at each distribution voltage (the
// basis of claim a), at the sizing conditions of the comparison.
nlohmann::json conductor_power_json(const CompareOptions& options);

// Index of the first architecture after the baseline with an 800 V DC bus.
std::optional<std::size_t> find_800vdc(const std::vector<ArchitectureResult>& architectures);

}  // namespace g2g::study

// Architecture studies: solve (and size) each architecture serving the same IT load, and put
// their losses, copper and conversion stages side by side. The first architecture is the
// baseline that differences are taken against. No I/O: models come in as ModelSpecs (and a
// loader callback for variants that need a parameter changed), results go out as structs and
// JSON (docs/compare.md).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "g2g/model/loader.hpp"
#include "g2g/model/spec.hpp"
#include "g2g/sizing/sizing.hpp"
#include "g2g/steady/results.hpp"
#include "g2g/study/stages.hpp"

namespace g2g::study {

// AC power factor for the power-per-conductor table and claim (a): the rack PSUs' 0.95
// (80 PLUS Titanium / EU Lot 9, shared/reference/800vdc-facts.md §2.4).
inline constexpr double conductor_power_factor = 0.95;

struct CompareOptions {
  // End to end stops at the GPU voltage regulators' input unless this is set: their efficiency
  // was not found in any source (shared/reference/800vdc-facts.md §2.6), and every architecture
  // has the same ones.
  bool include_point_of_load = false;
  double tariff_per_mwh = 80.0;  // energy price for the annual cost of losses
  std::string currency = "USD";
  double hours_per_year = 8760.0;  // at the modelled load all year
  bool size_conductors = true;     // size every LV cable and busbar before comparing
  sizing::SizingOptions sizing;
  int max_sizing_passes = 4;
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

struct ArchitectureResult {
  std::string id;    // short name, e.g. the file stem "800vdc-sst"
  std::string name;  // the model's name
  std::string file;
  model::ModelSpec model;  // as solved (sized when CompareOptions::size_conductors)
  steady::SolveResult result;
  std::vector<Stage> stages;  // inside the end-to-end boundary, grid to GPU
  double source_w = 0.0;      // power from the grid (and discharging storage)
  double delivered_w = 0.0;   // at the boundary: GPU loads, or VRM inputs (see CompareOptions)
  double it_load_w = 0.0;     // GPU / load power (the same in every architecture)
  double loss_w = 0.0;        // source_w - delivered_w
  double efficiency = 0.0;    // delivered_w / source_w
  double conversion_loss_w = 0.0;
  double distribution_loss_w = 0.0;
  int conversion_stages = 0;
  double annual_loss_mwh = 0.0;
  double annual_loss_cost = 0.0;
  double copper_kg = 0.0;
  double aluminium_kg = 0.0;
  std::vector<ConductorLevel> conductor_levels;
  std::optional<sizing::SizingResult> sizing;  // when sized
  int sizing_passes = 0;
  bool sizing_stable = true;
};

// Solves (and sizes) one architecture and measures it. Throws steady::NonConvergenceError when
// it has no operating point.
ArchitectureResult analyse(std::string id, const model::ModelSpec& model,
                           const CompareOptions& options);

// Turns architectures into the comparison document (`grid2gpu compare --json`; the HTML report
// reads the same), claims included when given. See docs/compare.md for the fields.
struct Claim;
nlohmann::json comparison_json(const std::vector<ArchitectureResult>& architectures,
                               const std::vector<Claim>& claims, const CompareOptions& options);

}  // namespace g2g::study

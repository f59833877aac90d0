// Availability of an architecture's power chain (docs/reliability.md, "Availability by
// architecture"): every element of a chain stage with spare units is a k-out-of-n group of its
// units (k = its redundancy's modules N, n = its installed units); units without a spare, and a
// cable, busbar or breaker, are 1-of-1 units each serving its share of the load; with
// failure rates and repair times per element type from data/reliability/failure_rates.yaml and
// the Markov closed form of reliability::k_out_of_n. An element that is down loses only the share
// of the load it serves, so the expected unserved energy is the sum over elements of
// (1 - A_element) x its share of the year's IT energy; one GPU's path is the series of one element
// per stage. Path-based models (2N A/B feeds, minimal cut sets over `topology`) are not here.
#pragma once

#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "g2g/model/spec.hpp"
#include "g2g/reliability/availability.hpp"
#include "g2g/reliability/failure_rates.hpp"
#include "g2g/steady/results.hpp"

namespace g2g::study {

struct StageOutage {
  std::string stage;         // the chain stage's name (study::Stage::name)
  std::string element_type;  // the data entry it needs: "ups", "cable", ...
  int elements = 0;          // elements in the stage carrying power
  bool has_data = false;     // false: "no data", nothing below is computed
  // The stage's first element as a k-out-of-n group (the one a one-element check rebuilds).
  reliability::KOutOfN unit;
  // Load-weighted over the stage's elements: the chance that the element serving a given share
  // of the load is down. With identical elements, 1 - A of one of them.
  double unavailability = 0.0;
  double unserved_mwh_per_year = 0.0;  // sum over elements of (1 - A) x share x IT energy
};

struct ArchitectureAvailability {
  bool computed = false;             // false: not computed (a document without it)
  double it_mwh_per_year = 0.0;      // the IT energy the unserved energy is a share of
  std::vector<StageOutage> stages;   // grid to GPU, stages carrying power only
  std::vector<std::string> no_data;  // element types without data (empty: complete)
  // One GPU's path: the product over stages of (1 - unavailability). Over the stages with data
  // only; not a figure of the architecture while no_data is not empty.
  double path_availability = 0.0;
  double unserved_mwh_per_year = 0.0;  // sum over stages with data
  std::string largest_stage;           // the stage contributing most unserved energy
  [[nodiscard]] bool complete() const noexcept { return computed && no_data.empty(); }
};

// The availability of `model` as solved in `result` (power shares from the solution): the stages
// found by study::chain_stages, the GPU voltage regulators (subtype vrm) left out unless
// `include_point_of_load`. `it_mwh_per_year`: the IT energy of a year at the modelled load.
// `table`: failure rates by element type (reliability::failure_rates() for the shipped data).
[[nodiscard]] ArchitectureAvailability architecture_availability(
    const model::ModelSpec& model, const steady::SolveResult& result, double it_mwh_per_year,
    bool include_point_of_load, std::span<const reliability::ElementFailureRate> table);

// The "availability" member of an architecture in the comparison JSON (docs/compare.md): path
// availability, unserved energy and largest stage, or null for those when data are missing,
// the element types without data, and each stage's figures ("no data" stages with nulls).
[[nodiscard]] nlohmann::json availability_json(const ArchitectureAvailability& a);
// Its inverse (null: `computed` false; a member of another type: InvalidInput naming it).
[[nodiscard]] ArchitectureAvailability availability_from_json(const nlohmann::json& j);

}  // namespace g2g::study

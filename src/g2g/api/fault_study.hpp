// The time-domain fault study behind `grid2gpu fault --method time` (docs/shortcircuit.md, "In
// time"): a pole-to-pole fault at one DC bus, or at every DC bus in turn, each simulated by
// dynamic::simulate from the power flow's steady state, with the model's protection devices and
// the base scenario's loads, storage, solver settings and aggregation. One row per location;
// a location whose run fails keeps its row with the reason, and the others go on.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "g2g/api/model.hpp"
#include "g2g/dynamic/scenario.hpp"
#include "g2g/dynamic/simulation_result.hpp"

namespace g2g::api {

struct FaultStudyOptions {
  double resistance_ohm = 0.0;          // through the fault (0: bolted, where the DAE allows it)
  double inception_s = 1e-3;            // when the fault appears
  double after_s = 0.1;                 // simulated after inception
  std::optional<double> clear_after_s;  // the fault extinguishes this long after inception
};

// InvalidInput (subject "resistance", "time", "after" or "clear") for a negative resistance or a
// time not above 0 s.
void check_fault_options(const FaultStudyOptions& options);

struct FaultLocation {
  std::string bus;
  std::optional<dynamic::FaultSummary> fault;  // none when the run failed (then `error`)
  std::vector<dynamic::SelectivityRow> selectivity;
  std::string aggregation;
  std::size_t unknowns = 0;
  double wall_s = 0.0;
  std::string error;  // why this location has no result
};

// The DC buses of a model whose ids match `pattern` (dynamic::matches_pattern: "row[*]/busway";
// empty: every one), in model order: the locations of a sweep.
[[nodiscard]] std::vector<std::string> dc_buses(const ValidatedModel& model,
                                                std::string_view pattern = {});

// The locations of a study: `bus` alone (checked: InvalidInput with a "did you mean" for an
// unknown id, a located message for an AC bus), or the DC buses matching `pattern`, or every DC
// bus when `all`; exactly one of the three (InvalidInput otherwise, and for a pattern that
// matches no DC bus).
[[nodiscard]] std::vector<std::string> fault_locations(const ValidatedModel& model,
                                                       const std::string& bus,
                                                       const std::string& pattern, bool all);

// A scenario for a fault study when none is given: every load at its steady power, the solver's
// defaults, a 10 ms ramp window; named after the model.
[[nodiscard]] dynamic::Scenario steady_scenario(const ValidatedModel& model);

// One fault at `bus` (a DC bus of the model: the caller checks it, e.g. with
// shortcircuit::find_fault_bus) on `base` (its own faults and recording dropped; its duration
// set to inception + after). Whatever stops the run (a fault the DAE refuses there, no
// consistent state at inception, an integration failure) goes to the row's `error`.
[[nodiscard]] FaultLocation fault_at_bus(const ValidatedModel& model, const dynamic::Scenario& base,
                                         const std::string& bus, const FaultStudyOptions& options);

// A location as `grid2gpu fault --json` writes it (and grid2gpu.fault returns it): the bus,
// the fault's figures or the error, the selectivity rows (docs/shortcircuit.md, "In time").
[[nodiscard]] nlohmann::json fault_location_json(const FaultLocation& location);

}  // namespace g2g::api

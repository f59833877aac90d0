// The claims check: for each published claim (data/claims/*.yaml: text, source, kind, form,
// value), the figure grid2gpu computes for it under every assumption set — a range, not a point
// — a two-sided verdict (verdict.hpp), the break-even value of the assumptions that drive it
// (found by bisection on the engine), the readings of the claim that change the answer
// (interpretations), and one-at-a-time sensitivity rows. Inputs are never tuned to make a claim
// hold. docs/compare.md ("Claims").
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "g2g/study/compare.hpp"
#include "g2g/study/verdict.hpp"

namespace g2g::study {

// What grid2gpu computes for a claim; each metric is oriented so that larger favours the claim.
enum class Metric : std::uint8_t {
  conductor_power_ratio,      // power one conductor carries at 800 V DC / at 415 V AC (x)
  copper_reduction,           // 1 - copper(800 V DC) / copper(baseline)
  grid_input_reduction,       // 1 - grid energy(800 V DC) / grid energy(baseline)
  efficiency_gain_points,     // end-to-end efficiency(800 V DC) - efficiency(baseline)
  rack_current_ratio,         // 1 MW rack busbar current at 54 V / at 800 V
  rack_busbar_copper_54v_kg,  // copper of a 1 MW rack's 54 V busbar
  storage_peak_reduction,     // 1 - peak grid power with rack storage / with it idle
};
[[nodiscard]] std::string_view name(Metric metric) noexcept;
[[nodiscard]] std::optional<Metric> parse_metric(std::string_view text) noexcept;
// The unit a metric's values are shown in: "x", "%", "points", "kg".
[[nodiscard]] std::string_view metric_unit(Metric metric) noexcept;
// Formats a value of `metric`: "1.85x", "45.0 %", "+5.00 points", "200 kg".
[[nodiscard]] std::string format_metric(Metric metric, double value);

// A claim as published (data/claims/*.yaml).
struct ClaimSpec {
  std::string id;
  std::string text;   // the claim in our words
  std::string quote;  // as quoted in the source
  std::string source;
  std::string kind;  // vendor claim, analyst estimate, ...
  ClaimForm form = ClaimForm::about;
  double published = 0.0;  // in the metric's unit
  double tolerance = 0.0;  // absolute, same unit
  Metric metric = Metric::efficiency_gain_points;
};

// Parses a claims file (`grid2gpu_claims: 1`). Throws core::ModelError with every problem.
std::vector<ClaimSpec> parse_claims(std::string_view yaml, const std::string& file);
// The claims shipped in data/claims/, compiled into the library.
const std::vector<ClaimSpec>& default_claims();

struct SensitivityRow {
  std::string assumption;  // what was changed
  std::string value;       // to what
  std::string computed;    // the claim's figure with that change
  double computed_value = 0.0;
  Verdict verdict = Verdict::not_applicable;
};

// The value of one assumption at which the computed figure equals the published one.
struct BreakEven {
  std::string assumption;  // "UPS peak efficiency"
  double value = 0.0;      // the break-even value
  double current = 0.0;    // its value in the default assumption set
  std::string unit;        // "%", "", "m"
  std::string text;        // "the figure reaches the claim for a UPS peak of 95.2 % or less"
};

// Another reading of the claim, computed the same way (e.g. distribution instead of
// conversion loss, the VRM inside the boundary).
struct Interpretation {
  std::string name;
  std::string computed;
  double computed_value = 0.0;
  Verdict verdict = Verdict::not_applicable;
};

struct CaseValue {
  std::string scenario;
  double value = 0.0;
};

struct Claim {
  ClaimSpec spec;
  std::string published;  // formatted: "1.85x", "up to +5.00 points"
  double computed_low = 0.0;
  double computed_high = 0.0;
  double computed_default = 0.0;
  std::string low_case;   // scenario giving computed_low
  std::string high_case;  // scenario giving computed_high
  std::string computed;   // formatted range
  Verdict verdict = Verdict::not_applicable;
  std::vector<CaseValue> cases;  // one per scenario
  std::vector<std::string> assumptions;
  std::string explanation;
  std::vector<BreakEven> break_even;
  std::vector<Interpretation> interpretations;
  std::vector<SensitivityRow> sensitivity;
};

// The rack-storage claim's figures (Metric::storage_peak_reduction) for one training period,
// from the time-domain engine: api/compare computes them through ClaimContext::storage_peak,
// since study does not simulate. NaN where a figure could not be computed.
struct StoragePeakCase {
  std::string name;            // "1 s period"
  double instantaneous = 0.0;  // 1 - peak with the storage / peak with it idle
  double averaged = 0.0;       // the same of the demand averaged over the window
  double averaged_window_s = 0.0;
  double idle_peak_w = 0.0;  // the instantaneous peaks
  double storage_peak_w = 0.0;
  double sized_energy_per_rack_j = 0.0;  // usable energy size_storage finds for the claim
  double sized_power_per_rack_w = 0.0;
  std::string sizing_note;  // why there is no sized figure ("not reached at 1024 x")
};
struct StoragePeakFigures {
  std::vector<StoragePeakCase> cases;  // empty: no figure, `unavailable` says why
  std::string unavailable;
  std::size_t racks = 0;           // gpu_rack loads in service
  double energy_per_rack_j = 0.0;  // the model's own storage (usable, between SOC bounds)
  double power_per_rack_w = 0.0;
  std::vector<std::string> assumptions;  // the scenario and what it drives
};
// Computes them for `model` (the 800 V DC architecture under the default assumption sets)
// with storage sized for `target` (the claim's reduction, a fraction); `threads` > 1 lets the
// periods run at once.
using StoragePeak = std::function<StoragePeakFigures(const model::ModelSpec& model, double target,
                                                     unsigned threads)>;

// One run of every architecture under one scenario.
struct Run {
  std::string scenario;
  std::vector<const AssumptionSet*> sets;
  std::vector<ArchitectureResult> architectures;  // index 0 is the baseline
};

// What the claims check works from: every run, the one the default figures come from, and the
// architectures compared (baseline and the first 800 V DC one). `reload`, when set, reads
// architecture i again with parameter overrides and the default run's assumption sets applied
// (for the 1 MW rack row); without it that row is left out.
struct ClaimContext {
  const std::vector<Run>* runs = nullptr;
  std::size_t default_run = 0;
  std::size_t baseline = 0;
  std::size_t dc = 1;
  CompareOptions options;
  std::vector<const AssumptionSet*> all_sets;  // for the sensitivity rows
  std::function<model::ModelSpec(std::size_t, const std::vector<model::ParameterOverride>&)> reload;
  // The time-domain figures of the rack-storage claim for the DC architecture, sized for the
  // given target with up to the given threads; unset: that row is n/a and says what to pass
  // (`compare --scenario`).
  std::function<StoragePeakFigures(double, unsigned)> storage_peak;
  // Called before each claim is worked on (progress); from several threads at once.
  std::function<void(const ClaimSpec&)> on_claim;
  unsigned threads = 1;  // claims checked at once
};

std::vector<Claim> check_claims(const std::vector<ClaimSpec>& specs, const ClaimContext& context);

// The figure of `metric` for `other` against `baseline` under one set of options, for the
// metrics computed from a pair of architectures (conductor power ratio, copper and grid-input
// reduction, efficiency gain); nullopt for the rack metrics, which do not depend on them. The
// claims check and the sweeps' claim columns (docs/sweep.md) both take their figures from here.
std::optional<double> pair_metric_value(Metric metric, const ArchitectureResult& baseline,
                                        const ArchitectureResult& other,
                                        const CompareOptions& options);

// Range, default figure and verdict of `claim` from its cases (fills the computed fields);
// `format` writes a value (default: format_metric of the claim's metric).
void settle(Claim& claim, std::size_t default_case,
            const std::function<std::string(double)>& format = {});

nlohmann::json claims_json(const std::vector<Claim>& claims);
// The inverse of claims_json (comparison_read.cpp): a claim must state its form and metric; a
// verdict left out is "n/a", a number left out NaN. Throws InvalidInput for a member of the
// wrong type or an unknown form, metric or verdict.
std::vector<Claim> claims_from_json(const nlohmann::json& claims);

// The break-even peak efficiency of converters of `role` for a figure that depends on the
// architectures' efficiencies: `figure(x)` is the figure with that role's curves scaled (loss
// per watt) so that their peak is x. Searches x in [lo, hi]; nullopt when the figure does not
// cross `published` there.
std::optional<double> break_even_peak(const std::function<double(double)>& figure, double published,
                                      double lo = 0.80, double hi = 0.9995);

// The 1 MW rack question on its own: the rack busbar at one voltage.
struct RackBusbar {
  double voltage_v = 0.0;
  double power_w = 0.0;
  double current_a = 0.0;
  std::string size;               // chosen arrangement, "" when nothing in the tables fits
  double cross_section_m2 = 0.0;  // per pole, all bars and runs
  double copper_kg = 0.0;         // both poles over the length
  double loss_w = 0.0;            // I^2 R at the solved current
  bool fits = false;
};
// Sizes a `length_m` two-pole busbar carrying `power_w` at `voltage_v` to a constant-power load
// (solved, then sized with the busbar table and up to `max_runs` runs).
RackBusbar rack_busbar(double voltage_v, double power_w, double length_m,
                       const sizing::SizingOptions& options, int max_runs);

}  // namespace g2g::study

// The claims check: for each published claim about 800 V DC, the figure grid2gpu computes from
// the architectures being compared, the assumptions that drive it, a verdict, and how the figure
// moves when one assumption changes (sensitivity). Inputs are never tuned to make a claim hold.
// Verdict rule (docs/compare.md): "holds" when the computed improvement is at least 85 % of the
// published one, "partly" when it is an improvement but smaller, "does not hold" otherwise.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "g2g/model/loader.hpp"
#include "g2g/study/compare.hpp"

namespace g2g::study {

enum class Verdict : std::uint8_t { holds, partly, does_not_hold, not_applicable };
std::string_view verdict_name(Verdict verdict) noexcept;

// Share of a published improvement the computed one must reach for "holds".
inline constexpr double holds_share = 0.85;

// Verdict for an improvement (a reduction fraction, a ratio minus one, a gain in points).
Verdict judge(double computed_improvement, double published_improvement) noexcept;

struct SensitivityRow {
  std::string assumption;  // what was changed
  std::string value;       // to what
  std::string computed;    // the claim's figure with that change
  double computed_value = 0.0;
  Verdict verdict = Verdict::not_applicable;
};

struct Claim {
  std::string id;  // "a", "b", ...
  std::string claim;
  std::string source;
  std::string published;  // as published: "2x", "45 %"
  std::string computed;   // ours, formatted
  double computed_value = 0.0;
  Verdict verdict = Verdict::not_applicable;
  std::vector<std::string> assumptions;
  std::string explanation;
  std::vector<SensitivityRow> sensitivity;
};

// What the claims check works from. `reload`, when set, reads architecture i again with
// parameter overrides (for the rack-power rows); without it those rows are left out.
struct ClaimContext {
  const std::vector<ArchitectureResult>* architectures = nullptr;
  CompareOptions options;
  std::function<model::ModelSpec(std::size_t, const model::LoadOptions&)> reload;
};

// Index of the baseline (the first architecture) and of the first with an 800 V DC bus.
std::optional<std::size_t> find_800vdc(const std::vector<ArchitectureResult>& architectures);

std::vector<Claim> check_claims(const ClaimContext& context);

nlohmann::json claims_json(const std::vector<Claim>& claims);

// The 1 MW rack question (claim e) on its own: the rack busbar at one voltage.
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

// The rack-storage claim's time-domain figures (study::StoragePeak) from a scenario: per
// training period, the peak reduction the model's grid-smoothing storage gives as modelled
// (instantaneous and averaged demand), and the storage per rack size_storage finds for the
// claimed reduction. api/compare hands it to the claims check, which may not simulate
// (docs/compare.md, "Claims").
#pragma once

#include "g2g/dynamic/scenario.hpp"
#include "g2g/study/claims.hpp"

namespace g2g::api {

// The training periods of the claim's cases: the 1-10 s of production training (800vdc-facts.md
// §4, "Training iteration periods in production are 1-10 s").
inline constexpr double storage_claim_periods_s[] = {1.0, 10.0};

// The callback for ClaimContext::storage_peak. A model the scenario cannot run (no dynamic
// data, no storage the scenario names) gives no cases and the diagnostics' first lines.
[[nodiscard]] study::StoragePeak storage_peak(dynamic::Scenario scenario);

}  // namespace g2g::api

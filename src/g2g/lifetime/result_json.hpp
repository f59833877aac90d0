// The lifetime study's result as JSON ("grid2gpu_lifetime": 1): what `grid2gpu lifetime --json`
// writes and what the report's charts read (docs/reliability.md, "Lifetime study").
#pragma once

#include <nlohmann/json.hpp>

#include "g2g/lifetime/study.hpp"

namespace g2g::lifetime {

// Every case (its heatsink set, load, floor) with each position's swing, damage and ΔT_j
// histogram, with the study's settings and notes.
[[nodiscard]] nlohmann::json result_json(const LifetimeStudy& study, const LifetimeResult& result);

}  // namespace g2g::lifetime

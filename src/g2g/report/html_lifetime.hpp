// The lifetime page of `grid2gpu lifetime --html` (docs/reliability.md, "Lifetime study"):
// relative damage (or years) and the floor's energy against the training period, per heatsink
// assumption set, with and without the floor; per case the ΔT_j cycle histogram and each cycle
// size's share of the damage. Charts by lifetime.js (Chart.js) from lifetime::result_json
// embedded in the page; every figure is also in a table. Like the rest of the library it does no
// file I/O.
#pragma once

#include <string>

#include "g2g/lifetime/study.hpp"

namespace g2g::report {

std::string render_lifetime_html(const lifetime::LifetimeStudy& study,
                                 const lifetime::LifetimeResult& result);

}  // namespace g2g::report

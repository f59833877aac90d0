// `grid2gpu compare` as text: the comparison's summary on the terminal (the default scenario's
// figures, their ranges over every scenario, the claims) and the assumption sets with every value
// and its source (--list-assumptions). docs/compare.md, "Output".
#pragma once

#include <string>
#include <vector>

#include "g2g/study/comparison.hpp"

namespace g2g::io {

// The default scenario's figures (one column per architecture), the same figures as ranges over
// every scenario, then one line per claim.
std::string compare_summary_table(const study::Comparison& comparison,
                                  const study::CompareOptions& options);

// Every set with its converter rules, transformer losses and parameters, each with its source.
std::string assumption_sets_text(const std::vector<study::AssumptionSet>& sets);

}  // namespace g2g::io

// Text and CSV of one converter's evaluation (docs/converters.md): the operating point with its
// loss breakdown and switch positions, a chain's stages, and the efficiency map as a table and
// as CSV. Formatting only; the CLI prints and writes what these return.
#pragma once

#include <string>

#include "g2g/converters/chain.hpp"
#include "g2g/converters/converter.hpp"

namespace g2g::io {

// One design at one point: efficiency, loss breakdown, each switch position's loss and T_j.
std::string format_converter_point(const converters::ConverterResult& result);
// A chain at one point: each stage (input first), then the whole chain's loss breakdown.
std::string format_converter_stages(const converters::AssemblyResult& result);
// The efficiency map: rows V_in, columns load (% of rating).
std::string format_efficiency_map(const converters::EfficiencyMap& map);
// The map as CSV, one row per point: v_in_v, load_fraction (of the rating), p_out_w, p_in_w,
// efficiency, the loss parts in W, whether every switch had ZVS, whether T_j stayed in limits.
std::string efficiency_map_csv(const converters::EfficiencyMap& map);

}  // namespace g2g::io

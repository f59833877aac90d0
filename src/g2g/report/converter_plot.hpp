// Pictures of one converter from physics (`grid2gpu converter SPEC --map --svg FILE`): the
// efficiency map as curves of efficiency over load, one per input voltage, and the loss
// breakdown over load at the nominal input voltage as stacked areas. A self-contained SVG
// (no script), written as text; the caller writes the file.
#pragma once

#include <string>

#include "g2g/converters/converter.hpp"

namespace g2g::report {

// `map` as from converters::efficiency_map; points whose efficiency is NaN (not evaluable)
// are left out of the curves. `nominal_v_in_v` picks the row of the loss breakdown (the
// closest input voltage of the map).
std::string efficiency_map_svg(const converters::ConverterDesign& design,
                               const converters::EfficiencyMap& map, double nominal_v_in_v);

}  // namespace g2g::report

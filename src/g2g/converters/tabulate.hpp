// A physics design as the power flow sees it: its efficiency tabulated over load at the
// converter's nominal voltages, for model converters given by `design:` (docs/converters.md,
// "In a model"). The power flow interpolates between the points (components::EfficiencyCurveLoss).
#pragma once

#include <span>
#include <vector>

#include "g2g/converters/chain.hpp"
#include "g2g/converters/converter.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::converters {

// Load fractions (of the modelled converter's rating) the curve is evaluated at: dense at light
// load, where losses change fastest.
std::span<const double> default_load_fractions() noexcept;

// Efficiency at each load fraction of `rating_w`, with `modules` identical modules sharing the
// output power equally, at input v_in_v and output v_out_v. Throws DesignError when a point
// cannot be evaluated.
std::vector<model::EfficiencyPoint> efficiency_curve(const ConverterDesign& design,
                                                     const Library& library, int modules,
                                                     double rating_w, double v_in_v, double v_out_v,
                                                     std::span<const double> load_fractions);
// The same for what a SPEC file describes: a design, a sourced curve or a chain (chain.hpp).
std::vector<model::EfficiencyPoint> efficiency_curve(const Assembly& assembly,
                                                     const Library& library, int modules,
                                                     double rating_w, double v_in_v, double v_out_v,
                                                     std::span<const double> load_fractions);

}  // namespace g2g::converters

// One converter from device physics through the API: its operating point and its efficiency map
// over load and input voltage, for a SPEC read with io::load_converter_spec. docs/api.md.
#pragma once

#include "g2g/converters/chain.hpp"
#include "g2g/converters/converter.hpp"
#include "g2g/io/converter_designs.hpp"

namespace g2g::api {

// The parts a SPEC's designs use: its own device_library when it names one, else the built-in
// parts; the built-in ferrites.
converters::Library converter_library(const io::LoadedConverterSpec& spec);

// The operating point of an evaluation: the SPEC's nominal values where a field is not given
// (NaN). Throws g2g::InvalidInput for a non-positive voltage or a negative power.
converters::OperatingPoint operating_point(const io::LoadedConverterSpec& spec, double v_in_v,
                                           double v_out_v, double p_out_w);

// The SPEC (one design or a chain) at `point` (converters::evaluate with converter_library).
// Throws converters::DesignError when a design cannot run there.
converters::AssemblyResult evaluate(const io::LoadedConverterSpec& spec,
                                    const converters::OperatingPoint& point);

// The map's grid: `load_steps` loads from 1/load_steps to 100 % of the rating, and the nominal
// input voltage with, when `v_in_span` > 0, nominal × (1 ∓ span) around it. Throws
// g2g::InvalidInput for fewer than 2 steps or a span outside [0, 1).
struct MapGrid {
  std::vector<double> load_fractions;
  std::vector<double> v_in_v;
};
MapGrid map_grid(const io::LoadedConverterSpec& spec, int load_steps, double v_in_span);

// The efficiency map of the SPEC (one design or a chain) over `grid`.
converters::EfficiencyMap converter_map(const io::LoadedConverterSpec& spec, const MapGrid& grid);

}  // namespace g2g::api

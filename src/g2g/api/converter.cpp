#include "g2g/api/converter.hpp"

#include <cmath>

#include <fmt/format.h>

#include "g2g/core/error.hpp"
#include "g2g/devices/library.hpp"
#include "g2g/magnetics/library.hpp"

namespace g2g::api {

converters::Library converter_library(const io::LoadedConverterSpec& spec) {
  return {spec.assembly.parts ? spec.assembly.parts.get() : &devices::default_devices(),
          &magnetics::default_materials()};
}

converters::OperatingPoint operating_point(const io::LoadedConverterSpec& spec, double v_in_v,
                                           double v_out_v, double p_out_w) {
  const converters::Nominal nominal = converters::nominal(spec.assembly);
  const converters::OperatingPoint point{std::isnan(v_in_v) ? nominal.v_in_v : v_in_v,
                                         std::isnan(v_out_v) ? nominal.v_out_v : v_out_v,
                                         std::isnan(p_out_w) ? nominal.rating_w : p_out_w};
  if (!(point.v_in_v > 0.0 && point.v_out_v > 0.0 && point.p_out_w >= 0.0))
    throw InvalidInput("operating point",
                       "the operating point needs positive voltages and a power >= 0",
                       "give them with --v-in/--v-out/--power or in the SPEC");
  return point;
}

converters::AssemblyResult evaluate(const io::LoadedConverterSpec& spec,
                                    const converters::OperatingPoint& point) {
  return converters::evaluate(spec.assembly, converter_library(spec), point);
}

MapGrid map_grid(const io::LoadedConverterSpec& spec, int load_steps, double v_in_span) {
  if (load_steps < 2)
    throw InvalidInput("load steps", fmt::format("{} load steps make no map", load_steps),
                       "give at least 2");
  if (!(v_in_span >= 0.0 && v_in_span < 1.0))
    throw InvalidInput("v_in span", "the input-voltage span must lie in [0, 100 %)",
                       "give e.g. 10%");
  MapGrid grid;
  for (int k = 1; k <= load_steps; ++k)
    grid.load_fractions.push_back(static_cast<double>(k) / load_steps);
  const double v_nominal = converters::nominal(spec.assembly).v_in_v;
  grid.v_in_v = {v_nominal};
  if (v_in_span > 0.0)
    grid.v_in_v = {v_nominal * (1.0 - v_in_span), v_nominal, v_nominal * (1.0 + v_in_span)};
  return grid;
}

converters::EfficiencyMap converter_map(const io::LoadedConverterSpec& spec, const MapGrid& grid) {
  const converters::Library library = converter_library(spec);
  return spec.assembly.kind == converters::Assembly::Kind::physics
             ? converters::efficiency_map(spec.assembly.design, library, grid.load_fractions,
                                          grid.v_in_v)
             : converters::efficiency_map(spec.assembly, library, grid.load_fractions, grid.v_in_v);
}

}  // namespace g2g::api

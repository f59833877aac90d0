// grid2gpu.converter: one converter SPEC (a design or a chain) at an operating point and over a
// map of load and input voltage, through api/converter.hpp (as `grid2gpu converter`).
#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <cmath>
#include <filesystem>
#include <limits>

#include "bindings.hpp"
#include "g2g/api/converter.hpp"

namespace g2g::python {

namespace {

constexpr double nominal = std::numeric_limits<double>::quiet_NaN();

double optional_quantity(const py::object& value, core::Dimension dimension,
                         const std::string& name) {
  return value.is_none() ? nominal : quantity(value, dimension, name);
}

py::dict losses(const converters::LossBreakdown& loss) {
  py::dict out;
  out["conduction_w"] = loss.conduction_w;
  out["switching_w"] = loss.switching_w;
  out["dead_time_w"] = loss.dead_time_w;
  out["gate_w"] = loss.gate_w;
  out["core_w"] = loss.core_w;
  out["winding_w"] = loss.winding_w;
  out["capacitor_w"] = loss.capacitor_w;
  out["other_w"] = loss.other_w;
  out["curve_w"] = loss.curve_w;
  out["total_w"] = loss.total_w();
  return out;
}

py::dict point_dict(const converters::ConverterResult& r) {
  py::dict out;
  out["v_in_v"] = r.point.v_in_v;
  out["v_out_v"] = r.point.v_out_v;
  out["p_out_w"] = r.point.p_out_w;
  out["p_in_w"] = r.p_in_w;
  out["efficiency"] = r.efficiency;
  out["loss"] = losses(r.loss);
  out["zvs_all"] = r.zvs_all;
  out["thermal_ok"] = r.thermal_ok;
  out["t_sink_c"] = r.t_sink_c;
  out["warnings"] = r.warnings;
  return out;
}

io::LoadedConverterSpec read_spec(const std::filesystem::path& spec,
                                  const std::optional<std::filesystem::path>& devices) {
  const py::gil_scoped_release unlocked;
  return io::load_converter_spec(spec, devices.value_or(std::filesystem::path{}));
}

}  // namespace

void register_converter(py::module_& m) {
  m.def(
      "converter_evaluate",
      [](const std::filesystem::path& spec, const py::object& v_in, const py::object& v_out,
         const py::object& p_out, const std::optional<std::filesystem::path>& devices) {
        const io::LoadedConverterSpec loaded = read_spec(spec, devices);
        const converters::OperatingPoint point =
            api::operating_point(loaded, optional_quantity(v_in, core::Dimension::voltage, "v_in"),
                                 optional_quantity(v_out, core::Dimension::voltage, "v_out"),
                                 optional_quantity(p_out, core::Dimension::active_power, "p_out"));
        converters::AssemblyResult result;
        {
          const py::gil_scoped_release unlocked;
          result = api::evaluate(loaded, point);
        }
        py::dict out = point_dict(result.total);
        py::list stages;
        for (const auto& s : result.stages) {
          py::dict stage;
          stage["label"] = s.label;
          stage["depth"] = s.depth;
          stage["units"] = s.units;
          stage["v_in_v"] = s.point.v_in_v;
          stage["v_out_v"] = s.point.v_out_v;
          stage["p_out_w"] = s.point.p_out_w;
          stage["p_in_w"] = s.p_in_w;
          stage["efficiency"] = s.efficiency;
          stage["loss_w"] = s.loss.total_w();
          stages.append(stage);
        }
        out["stages"] = stages;
        return out;
      },
      py::arg("spec"), py::arg("v_in") = py::none(), py::arg("v_out") = py::none(),
      py::arg("p_out") = py::none(), py::arg("devices") = py::none(),
      "One SPEC at an operating point (None: the SPEC's nominal value; numbers in SI or text "
      "with a unit). Raises DesignError when a design cannot run there.");
  m.def(
      "converter_map",
      [](const std::filesystem::path& spec, int load_steps, const py::object& v_in_span,
         const std::optional<std::filesystem::path>& devices) {
        const io::LoadedConverterSpec loaded = read_spec(spec, devices);
        const api::MapGrid grid = api::map_grid(
            loaded, load_steps, quantity(v_in_span, core::Dimension::dimensionless, "v_in_span"));
        converters::EfficiencyMap map;
        {
          const py::gil_scoped_release unlocked;
          map = api::converter_map(loaded, grid);
        }
        const std::size_t n = map.points.size();
        py::array_t<double> v_in_v(n), load_fraction(n), p_out_w(n), p_in_w(n), efficiency(n),
            loss_w(n);
        py::array_t<bool> thermal_ok(n);
        for (std::size_t i = 0; i < n; ++i) {
          const converters::ConverterResult& r = map.points[i];
          v_in_v.mutable_at(i) = map.v_in_v[i / map.load_fractions.size()];
          load_fraction.mutable_at(i) = map.load_fractions[i % map.load_fractions.size()];
          p_out_w.mutable_at(i) = r.point.p_out_w;
          p_in_w.mutable_at(i) = r.p_in_w;
          efficiency.mutable_at(i) = r.efficiency;
          loss_w.mutable_at(i) = std::isfinite(r.p_in_w) ? r.p_in_w - r.point.p_out_w : nominal;
          thermal_ok.mutable_at(i) = r.thermal_ok;
        }
        py::dict out;
        out["v_in_v"] = v_in_v;
        out["load_fraction"] = load_fraction;
        out["p_out_w"] = p_out_w;
        out["p_in_w"] = p_in_w;
        out["efficiency"] = efficiency;
        out["loss_w"] = loss_w;
        out["thermal_ok"] = thermal_ok;
        return out;
      },
      py::arg("spec"), py::arg("load_steps") = 10, py::arg("v_in_span") = 0.0,
      py::arg("devices") = py::none(),
      "The SPEC's efficiency over `load_steps` loads (1/load_steps .. 100 % of the rating) and "
      "the nominal input voltage (with nominal x (1 -/+ v_in_span) when v_in_span > 0), one "
      "row per point, input voltage major. A point a design cannot reach has NaN efficiency.");
}

}  // namespace g2g::python

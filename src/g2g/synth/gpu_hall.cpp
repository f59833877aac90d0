#include "g2g/synth/gpu_hall.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <string>

namespace g2g::synth {

namespace {

model::BusIndex add_bus(model::ModelSpec& spec, std::string id, double voltage_v,
                        double capacitance_f, std::int32_t origin) {
  model::Bus bus;
  bus.id = std::move(id);
  bus.kind = model::BusKind::dc;
  bus.nominal_voltage_v = voltage_v;
  if (capacitance_f > 0.0) bus.capacitance_f = capacitance_f;
  bus.origin = origin;
  spec.buses.push_back(std::move(bus));
  return static_cast<model::BusIndex>(spec.buses.size() - 1);
}

void add_line(model::ModelSpec& spec, std::string id, model::LineType type,
              model::Material material, double cross_section_m2, double length_m,
              model::BusIndex from, model::BusIndex to, std::int32_t origin) {
  model::Line line;
  line.id = std::move(id);
  line.type = type;
  line.material = material;
  line.cross_section_m2 = cross_section_m2;
  line.length_m = length_m;
  line.from = from;
  line.to = to;
  line.origin = origin;
  spec.lines.push_back(std::move(line));
}

}  // namespace

model::ModelSpec gpu_hall(const GpuHallParams& p) {
  if (p.rows < 1 || p.racks_per_row < 1)
    throw std::invalid_argument("gpu_hall needs at least one row and one rack per row");
  model::ModelSpec spec;
  spec.name = fmt::format("synthetic 800 V DC hall, {} x {} racks", p.rows, p.racks_per_row);
  const auto hall = add_bus(spec, "hall", 800.0, 0.0, model::no_origin);
  model::Source feed;
  feed.id = "feed";
  feed.type = model::SourceType::dc_source;
  feed.bus = hall;
  spec.sources.push_back(feed);
  for (int r = 0; r < p.rows; ++r) {
    const std::string row = fmt::format("row[{}]", r);
    const auto row_origin = static_cast<std::int32_t>(spec.origins.size());
    spec.origins.push_back({"row", row});
    const auto busway = add_bus(spec, row + "/busway", 800.0, p.row_capacitance_f, row_origin);
    add_line(spec, row + "/busway_feed", model::LineType::busbar, model::Material::aluminium,
             400e-6, p.row_busway_m, hall, busway, row_origin);
    for (int k = 0; k < p.racks_per_row; ++k) {
      const std::string rack = fmt::format("{}/rack[{}]", row, k);
      const auto origin = static_cast<std::int32_t>(spec.origins.size());
      spec.origins.push_back({"rack", rack});
      const bool link_on_bus = !(p.rack_link_esr_ohm > 0.0);
      const auto dc800 =
          add_bus(spec, rack + "/dc800", 800.0, link_on_bus ? p.rack_link_f : 0.0, origin);
      const auto bus54 = add_bus(spec, rack + "/bus54", 54.0, 0.0, origin);
      add_line(spec, rack + "/feed", model::LineType::cable, model::Material::copper, 70e-6,
               p.rack_cable_m, busway, dc800, origin);
      model::Converter dcdc;
      dcdc.id = rack + "/dcdc";
      dcdc.type = model::ConverterType::dcdc;
      dcdc.input = dc800;
      dcdc.output = bus54;
      dcdc.rating_w = 1.15 * p.rack_power_w;
      dcdc.efficiency = {{0.1, 0.95}, {0.5, 0.98}, {1.0, 0.975}};
      if (!link_on_bus) {
        dcdc.dynamics.input_capacitance_f = p.rack_link_f;
        dcdc.dynamics.input_esr_ohm = p.rack_link_esr_ohm;
      }
      dcdc.dynamics.output_capacitance_f = p.rack_output_f;
      dcdc.dynamics.output_esr_ohm = p.rack_output_esr_ohm;
      dcdc.dynamics.voltage_bandwidth_hz = p.rack_bandwidth_hz;
      dcdc.dynamics.damping = p.rack_damping;
      dcdc.dynamics.current_limit = model::CurrentLimit{1.5, true};
      dcdc.origin = origin;
      spec.converters.push_back(std::move(dcdc));
      model::Load gpus;
      gpus.id = rack + "/gpus";
      gpus.model = model::LoadModel::gpu_rack;
      gpus.bus = bus54;
      gpus.it_power_w = p.rack_power_w;
      gpus.idle_fraction = p.idle_fraction;
      gpus.utilisation = p.utilisation;
      gpus.zip_z = 0.0;
      gpus.zip_i = 0.0;
      gpus.zip_p = 1.0;
      gpus.origin = origin;
      spec.loads.push_back(std::move(gpus));
    }
  }
  return spec;
}

}  // namespace g2g::synth

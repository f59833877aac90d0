// Small models built in code, for the solver's unit tests: each adds one element with the
// fields a test needs and returns it for the rest.
#pragma once

#include <string>

#include "g2g/model/spec.hpp"

namespace g2g::test {

inline model::BusIndex add_bus(model::ModelSpec& m, const std::string& id, model::BusKind kind,
                               double nominal_voltage_v) {
  model::Bus bus;
  bus.id = id;
  bus.kind = kind;
  bus.nominal_voltage_v = nominal_voltage_v;
  m.buses.push_back(bus);
  return static_cast<model::BusIndex>(m.buses.size() - 1);
}

inline model::Source& add_source(model::ModelSpec& m, model::SourceType type, model::BusIndex bus) {
  model::Source s;
  s.id = "src" + std::to_string(m.sources.size());
  s.type = type;
  s.bus = bus;
  m.sources.push_back(s);
  return m.sources.back();
}

inline model::Line& add_line(model::ModelSpec& m, model::BusIndex from, model::BusIndex to,
                             double r_ohm, double x_ohm = 0.0) {
  model::Line line;
  line.id = "line" + std::to_string(m.lines.size());
  line.from = from;
  line.to = to;
  line.r_ohm = r_ohm;
  line.x_ohm = x_ohm;
  m.lines.push_back(line);
  return m.lines.back();
}

inline model::Load& add_load(model::ModelSpec& m, model::BusIndex bus, double p_w,
                             double q_var = 0.0,
                             model::LoadModel kind = model::LoadModel::constant_power) {
  model::Load load;
  load.id = "load" + std::to_string(m.loads.size());
  load.bus = bus;
  load.p_w = p_w;
  load.q_var = q_var;
  load.model = kind;
  m.loads.push_back(load);
  return m.loads.back();
}

}  // namespace g2g::test

// The model-to-sources mapping of fault_sources.hpp.
#include "g2g/shortcircuit/fault_sources.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <string_view>

#include <fmt/format.h>

#include "g2g/components/conductor.hpp"
#include "g2g/components/dc_line_dynamics.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/core/error.hpp"
#include "g2g/core/fields.hpp"

namespace g2g::shortcircuit {
namespace {

struct Edge {
  model::BusIndex a = model::no_bus;
  model::BusIndex b = model::no_bus;
  double r_ohm = 0.0;
  double l_h = 0.0;
};

// Loop R at 20 degC (a conductor's lowest service resistance gives the largest current; a line
// with r_ohm keeps it) and loop L as the time-domain model takes it (network_dae.cpp).
Edge line_edge(const model::Line& line) {
  model::Line cold = line;
  if (!cold.r_ohm) cold.temperature_c = 20.0;
  const double per_m = line.inductance_h_per_m.value_or(
      line.type == model::LineType::breaker
          ? 0.0
          : components::default_loop_inductance_h_per_m(line.type));
  return {.a = line.from,
          .b = line.to,
          .r_ohm = components::line_resistance_ohm(cold, model::BusKind::dc, 0.0),
          .l_h = per_m * line.length_m / std::max(1, line.parallel_runs)};
}

struct Path {
  bool reached = false;
  double r_ohm = 0.0;
  double l_h = 0.0;
  int lines = 0;
};

std::string_view converter_left_out_reason(const model::Converter& c) {
  switch (c.type) {
    case model::ConverterType::rectifier:
      return "AC/DC converter (SST, PSU or active rectifier): current-limited in the model; IEC "
             "61660-1's rectifier source is a 50 Hz three-phase diode or thyristor bridge, which "
             "no model key marks, and the standard's rectifier factors were not found in a "
             "public source";
    case model::ConverterType::dcdc:
      return "DC/DC converter: current-limited, not a source type of IEC 61660-1";
    case model::ConverterType::inverter:
    case model::ConverterType::ups:
      return "converter: not a source type of IEC 61660-1";
  }
  return "converter: not a source type of IEC 61660-1";
}

}  // namespace

std::vector<std::string> method_limits() {
  return {
      "rectifiers (IEC 61660-1): not implemented, the factors were not found in a public "
      "source",
      "lead-acid batteries: not implemented, the factors and charts were not found in a "
      "public source; Li-ion batteries are outside the standard",
      "DC motors: not implemented (the model has no DC motors)",
      "current-limited SSTs, PSUs, active rectifiers and DC/DC converters: outside the standard",
      "the standard's summation with correction factors: not implemented; the total given "
      "is the sum of the partial peaks, an upper bound",
      "capacitors behind converters (on their other port): not fed through the converter",
      "unverified: the approximation function's form could not be checked against the "
      "standard's text (no public copy); the capacitor's i_p and t_p are the exact discharge",
  };
}

model::BusIndex find_fault_bus(const model::ModelSpec& model, std::string_view id) {
  std::vector<std::string_view> ids;
  ids.reserve(model.buses.size());
  for (std::size_t b = 0; b < model.buses.size(); ++b) {
    if (model.buses[b].id == id) {
      const auto& bus = model.buses[b];
      if (bus.kind != model::BusKind::dc) {
        core::DiagnosticList list;
        list.error(model::location(model, bus.where),
                   fmt::format("bus '{}' is an AC bus: IEC 61660-1 calculates DC short-circuit "
                               "currents",
                               bus.id),
                   "name a DC bus with --bus");
        throw core::ModelError(std::move(list));
      }
      return static_cast<model::BusIndex>(b);
    }
    ids.push_back(model.buses[b].id);
  }
  throw InvalidInput("--bus", fmt::format("no bus '{}' in {}", id, model.source_file),
                     core::did_you_mean(id, ids, "name one of the model's DC buses"));
}

FaultStudy iec61660_fault(const model::ModelSpec& model, model::BusIndex fault_bus) {
  const auto n = model.buses.size();
  const auto is_dc = [&](model::BusIndex b) {
    return model.buses[static_cast<std::size_t>(b)].kind == model::BusKind::dc;
  };
  std::vector<std::vector<Edge>> adjacent(n);
  const auto add = [&](const Edge& e) {
    adjacent[static_cast<std::size_t>(e.a)].push_back(e);
    adjacent[static_cast<std::size_t>(e.b)].push_back(
        {.a = e.b, .b = e.a, .r_ohm = e.r_ohm, .l_h = e.l_h});
  };
  for (const auto& line : model.lines)
    if (line.in_service && is_dc(line.from) && is_dc(line.to)) add(line_edge(line));
  for (const auto& sw : model.switches)
    if (sw.closed && is_dc(sw.from) && is_dc(sw.to)) add({.a = sw.from, .b = sw.to});

  // Breadth-first from the fault: each bus's path to it, and the edges of the island, to tell a
  // radial network from a meshed one.
  std::vector<Path> path(n);
  std::deque<model::BusIndex> queue{fault_bus};
  path[static_cast<std::size_t>(fault_bus)].reached = true;
  std::size_t buses = 0, edge_ends = 0;
  while (!queue.empty()) {
    const auto b = queue.front();
    queue.pop_front();
    ++buses;
    const Path here = path[static_cast<std::size_t>(b)];
    for (const Edge& e : adjacent[static_cast<std::size_t>(b)]) {
      ++edge_ends;
      Path& next = path[static_cast<std::size_t>(e.b)];
      if (next.reached) continue;
      next = {.reached = true,
              .r_ohm = here.r_ohm + e.r_ohm,
              .l_h = here.l_h + e.l_h,
              .lines = here.lines + 1};
      queue.push_back(e.b);
    }
  }
  const std::size_t edges = edge_ends / 2;
  const auto& fault = model.buses[static_cast<std::size_t>(fault_bus)];
  if (edges + 1 > buses) {
    throw InvalidInput(
        "--bus",
        fmt::format("the DC network around bus '{}' is meshed ({} lines and closed switches "
                    "join {} buses): the IEC 61660-1 calculation here takes one path per source",
                    fault.id, edges, buses),
        "open a switch or take a line out of service to make the network radial, or use the "
        "time-domain fault study");
  }

  FaultStudy study;
  study.bus = fault.id;
  study.nominal_voltage_v = fault.nominal_voltage_v;
  const auto reached = [&](model::BusIndex b) {
    return b != model::no_bus && path[static_cast<std::size_t>(b)].reached;
  };
  const auto add_capacitor = [&](const std::string& element, std::string role, model::BusIndex bus,
                                 double c_f, double esr_ohm) {
    const Path& p = path[static_cast<std::size_t>(bus)];
    const auto& b = model.buses[static_cast<std::size_t>(bus)];
    CapacitorSource s;
    s.element = element;
    s.role = std::move(role);
    s.bus = b.id;
    s.esr_ohm = esr_ohm;
    s.path_r_ohm = p.r_ohm;
    s.path_l_h = p.l_h;
    s.path_lines = p.lines;
    s.circuit = {.e_v = b.nominal_voltage_v, .r_ohm = esr_ohm + p.r_ohm, .l_h = p.l_h, .c_f = c_f};
    if (s.circuit.r_ohm == 0.0 && s.circuit.l_h == 0.0) {
      study.left_out.push_back(
          {element, fmt::format("{} at '{}': no resistance or inductance between it and the "
                                "fault, so i_pC = E_C / R_C is unbounded (give its ESR)",
                                s.role, b.id)});
      return;
    }
    s.iec = iec61660_capacitor(s.circuit);
    study.capacitors.push_back(std::move(s));
  };

  for (const auto& c : model.converters) {
    if (!c.in_service) continue;
    const auto& d = c.dynamics;
    if (d.input_capacitance_f && reached(c.input))
      add_capacitor(c.id, "input capacitor", c.input, *d.input_capacitance_f,
                    d.input_esr_ohm.value_or(0.0));
    if (d.output_capacitance_f && reached(c.output))
      add_capacitor(c.id, "output capacitor", c.output, *d.output_capacitance_f,
                    d.output_esr_ohm.value_or(0.0));
    if (reached(c.output))
      study.left_out.push_back({c.id, std::string(converter_left_out_reason(c))});
  }
  for (std::size_t b = 0; b < n; ++b) {
    const auto& bus = model.buses[b];
    if (path[b].reached && bus.capacitance_f)
      add_capacitor(bus.id, "bus capacitance", static_cast<model::BusIndex>(b), *bus.capacitance_f,
                    0.0);
  }
  for (const auto& s : model.storage) {
    if (!s.in_service || !reached(s.bus)) continue;
    switch (s.technology) {
      case model::StorageTechnology::supercapacitor:
        if (s.capacitance_f) {
          add_capacitor(s.id, "supercapacitor", s.bus, *s.capacitance_f, s.esr_ohm.value_or(0.0));
          break;
        }
        [[fallthrough]];
      case model::StorageTechnology::unset:
        study.left_out.push_back({s.id,
                                  "storage without time-domain data (technology, "
                                  "capacitance or internal resistance)"});
        break;
      case model::StorageTechnology::battery:
        study.left_out.push_back(
            {s.id,
             "battery: IEC 61660-1 covers stationary lead-acid batteries only, the model "
             "gives no chemistry, and the standard's battery factors were not found in a "
             "public source"});
        break;
    }
  }
  for (const auto& s : model.sources)
    if (s.in_service && reached(s.bus))
      study.left_out.push_back(
          {s.id,
           "DC source (the power flow's slack): an ideal voltage source, no IEC 61660-1 "
           "source type"});

  bool all_known = !study.capacitors.empty();
  for (const auto& s : study.capacitors) {
    study.sum_of_peaks_a += s.iec.i_p_a;
    study.sum_of_quasi_steady_a += s.iec.i_k_a;
    all_known = all_known && approximation_of(s.iec).has_value();
  }
  if (all_known) {
    // Candidate times: every t_p, and a logarithmic grid over the time constants.
    std::vector<double> times;
    double t_min = 1e300, t_max = 0.0;
    for (const auto& s : study.capacitors) {
      times.push_back(s.iec.t_p_s);
      for (double tau : {*s.iec.tau1_s, *s.iec.tau2_s, s.iec.t_p_s}) {
        if (tau > 0.0) {
          t_min = std::min(t_min, tau);
          t_max = std::max(t_max, tau);
        }
      }
    }
    if (t_max > 0.0) {
      constexpr int points = 400;
      const double lo = std::log(t_min * 1e-3), hi = std::log(t_max * 10.0);
      for (int k = 0; k <= points; ++k) times.push_back(std::exp(lo + (hi - lo) * k / points));
    }
    for (double t : times) {
      double sum = 0.0;
      for (const auto& s : study.capacitors)
        sum += approximation_current_a(*approximation_of(s.iec), t);
      if (sum > study.superposed_peak_a) {
        study.superposed_peak_a = sum;
        study.superposed_peak_time_s = t;
      }
    }
  }
  return study;
}

}  // namespace g2g::shortcircuit

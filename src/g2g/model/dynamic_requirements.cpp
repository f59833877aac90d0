// The "needed for simulation" check (docs/dynamic.md, "Model keys for simulation"): the rules
// of that table, element by element.
#include "g2g/model/dynamic_requirements.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace g2g::model {
namespace {

// A key a simulation needs: its name, a value as written (the format, not a default) and what
// to give. Hints cite their source or name none.
struct Need {
  std::string_view key;
  std::string_view example;
  std::string_view hint;
};

class Requirements {
 public:
  explicit Requirements(const ModelSpec& model) : m_(model) {}

  template <typename E>
  void need(const E& e, std::string_view what, const Need& n) {
    std::string fix = fmt::format("add '{}: {}': {}", n.key, n.example, n.hint);
    if (const Origin* o = origin_of(m_, e.origin))
      fix += fmt::format(
          " (from template '{}', instance {}: giving it in the template covers every instance)",
          o->template_name, o->instance_path);
    d_.error(location(m_, e.where),
             fmt::format("{} '{}' needs `{}` to be simulated", what, e.id, n.key), std::move(fix));
  }

  [[nodiscard]] const Bus* bus(BusIndex index) const {
    return index >= 0 && static_cast<std::size_t>(index) < m_.buses.size()
               ? &m_.buses[static_cast<std::size_t>(index)]
               : nullptr;
  }

  // In file order, as the loader reports; the elements of one template line keep their
  // instances' order.
  core::DiagnosticList take() {
    std::vector<core::Diagnostic> items = d_.items();
    std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
      return a.where.line != b.where.line ? a.where.line < b.where.line
                                          : a.where.column < b.where.column;
    });
    core::DiagnosticList sorted;
    for (auto& d : items) sorted.add(std::move(d));
    return sorted;
  }

 private:
  const ModelSpec& m_;
  core::DiagnosticList d_;
};

void source(Requirements& r, const Source& s) {
  if (s.type != SourceType::utility) return;
  constexpr std::string_view what = "utility";
  if (s.short_circuit_power_va && !s.x_r_ratio)
    r.need(s, what,
           {"x_r_ratio", "10",
            "X/R of the grid at the connection, from the utility's short-circuit data; no "
            "default"});
  if (s.inertia_s) {
    if (!s.frequency_droop_pu)
      r.need(s, what,
             {"frequency_droop", "5 %",
              "per-unit frequency change per unit of rating; without it the frequency model "
              "has no restoring term"});
    if (!(s.rating_va > 0.0))
      r.need(s, what,
             {"rating", "500 MVA",
              "the base of inertia and frequency_droop (the grid equivalent's rating)"});
  }
}

void line(Requirements& r, const Line& l) {
  if (l.type != LineType::cable && l.type != LineType::busbar) return;
  const Bus* from = r.bus(l.from);
  if (from == nullptr || from->kind != BusKind::dc) return;
  // Loop inductance = inductance_per_length (given, or its default) x length.
  if (!(l.length_m > 0.0))
    r.need(l, model::name(l.type),
           {"length", "35 m",
            "the route length: its loop inductance is inductance_per_length x length, and a "
            "run given by resistance has none"});
}

void converter(Requirements& r, const Converter& c) {
  constexpr std::string_view what = "converter";
  const ConverterDynamics& d = c.dynamics;
  const Bus* out = r.bus(c.output);
  // A voltage loop on a DC output is a PI loop on the DC-link capacitor over a current limit;
  // an AC output is a quasi-static phasor source and needs none of it.
  if (c.control == ConverterControl::voltage && out != nullptr && out->kind == BusKind::dc) {
    if (!d.output_capacitance_f)
      r.need(c, what,
             {"output_capacitance", "4.7 mF",
              "the DC-link capacitance at the output, from the datasheet; hold-up sizes it: "
              "C = 2 E / (V1^2 - V2^2), e.g. ORv3 HPR PSUs hold 60 J for 20 ms "
              "(800vdc-facts.md 2.4)"});
    if (!d.voltage_bandwidth_hz)
      r.need(c, what,
             {"voltage_bandwidth", "200 Hz",
              "closed voltage loop bandwidth (gains follow from it and damping); well below "
              "the switching frequency; no default"});
    if (!d.damping)
      r.need(c, what, {"damping", "1.0", "damping ratio of the voltage loop; no default"});
    if (!d.current_limit)
      r.need(c, what,
             {"current_limit", "120 %",
              "the inner current limit, in A or % of rated output current (ORv3 HPR PSUs "
              "carry 160 % pulse loads, 800vdc-facts.md 2.4); no default"});
  }
  if (d.undervoltage_off_v) {
    // Its hold-up through a dip is its input DC link's energy down to undervoltage_off.
    if (!d.input_capacitance_f)
      r.need(c, what,
             {"input_capacitance", "2 mF",
              "the DC-link capacitance at the input, from the datasheet: it holds the converter "
              "up through a dip, E = C (V0^2 - V_off^2) / 2; no default"});
    if (!d.undervoltage_on_v)
      r.need(c, what,
             {"undervoltage_on", "44 V",
              "the input voltage it restarts above, above undervoltage_off; no default"});
    if (!d.restart_delay_s)
      r.need(c, what,
             {"restart_delay", "100 ms",
              "how long the input stays above undervoltage_on before it restarts; no default"});
  }
}

void storage(Requirements& r, const Storage& s) {
  constexpr std::string_view what = "storage";
  switch (s.technology) {
    case StorageTechnology::unset:
      r.need(s, what,
             {"technology", "battery",
              "battery (ocv, internal_resistance, capacity, soc_initial) or supercapacitor "
              "(capacitance, esr)"});
      break;
    case StorageTechnology::battery:
      if (s.ocv.empty())
        r.need(s, what,
               {"ocv", "[[0, 42 V], [0.5, 51 V], [1, 54.6 V]]",
                "open-circuit voltage against state of charge, from the cell's datasheet times "
                "the cells in series"});
      if (!s.internal_resistance_ohm)
        r.need(s, what,
               {"internal_resistance", "20 mohm",
                "series resistance of the pack (datasheet DC resistance); it sets the "
                "round-trip efficiency"});
      if (!s.capacity_c)
        r.need(s, what, {"capacity", "100 Ah", "charge capacity of the pack, in Ah"});
      if (!s.soc_initial)
        r.need(s, what, {"soc_initial", "80 %", "state of charge at the start; no default"});
      break;
    case StorageTechnology::supercapacitor:
      if (!s.capacitance_f)
        r.need(s, what,
               {"capacitance", "10 F", "capacitance of the bank (cells in series divide it)"});
      if (!s.esr_ohm)
        r.need(s, what,
               {"esr", "50 mohm",
                "equivalent series resistance of the bank (datasheet DC ESR); it sets the "
                "round-trip efficiency"});
      break;
  }
  if (!s.max_power_w && !(s.rating_w > 0.0))
    r.need(s, what,
           {"max_power", "50 kW", "the largest charge or discharge power (or give rating)"});
}

}  // namespace

core::DiagnosticList simulation_requirements(const ModelSpec& model, const SimulationScope& scope) {
  Requirements r(model);
  for (const auto& s : model.sources)
    if (s.in_service) source(r, s);
  for (const auto& l : model.lines)
    if (l.in_service) line(r, l);
  for (const auto& c : model.converters)
    if (c.in_service) converter(r, c);
  for (std::size_t k = 0; k < model.storage.size(); ++k)
    if (model.storage[k].in_service &&
        (scope.storage_dynamics.empty() ||
         (k < scope.storage_dynamics.size() && scope.storage_dynamics[k])))
      storage(r, model.storage[k]);
  return r.take();
}

}  // namespace g2g::model

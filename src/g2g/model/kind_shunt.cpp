// The shunt bank's model side (element_kinds.hpp): its keys, reading, checks and writing. Its
// steady-state side is steady/kind_shunt.cpp.
#include <fmt/format.h>

#include <cmath>

#include "g2g/model/kind_support.hpp"

namespace g2g::model {

using core::Dimension;
using detail::Check;
using detail::ValueKind;

void ShuntElements::sections(std::vector<detail::SectionInfo>& sections) {
  sections.push_back(detail::component(
      "shunt",
      "Shunt capacitor or reactor bank at an AC bus: a constant admittance whose reactive power "
      "and loss scale with the square of the voltage.",
      {
          detail::key("bus", ValueKind::bus, "AC bus the bank connects to"),
          detail::quantity("reactive_power", Dimension::reactive_power,
                           "reactive power supplied at rated voltage: positive for a capacitor "
                           "bank, negative for a reactor"),
          detail::quantity("voltage", Dimension::voltage, "rated voltage (line to line)",
                           "the bus nominal voltage"),
          detail::quantity("loss", Dimension::active_power,
                           "active power dissipated at rated voltage (dielectric and resistive "
                           "loss)",
                           "0 W"),
      }));
}

void ShuntElements::read(detail::Builder& b, detail::Fields& f, std::string_view /*type*/,
                         detail::Scope& scope, ModelSpec& out) {
  Shunt s;
  s.id = b.current_id();
  s.bus = b.bus(f, "bus", scope);
  if (auto v = b.quantity(f, "reactive_power")) s.q_rated_var = *v;
  if (auto v = b.quantity(f, "voltage", Check::positive)) s.rated_voltage_v = *v;
  if (auto v = b.quantity(f, "loss", Check::non_negative)) s.loss_w = *v;
  b.read_common(f, s);
  out.shunts.push_back(std::move(s));
}

void ShuntElements::check(detail::Checker& c, const Shunt& s) {
  constexpr std::string_view what = "shunt";
  if (const Bus* b = c.port(s, what, "bus", s.bus); b != nullptr && b->kind != BusKind::ac)
    c.fail(s, what, fmt::format("is on DC bus '{}'; a shunt bank works on AC only", b->id),
           "connect it to an AC bus; a DC bus's capacitance does not change its steady state");
  if (!(detail::Checker::finite(s.q_rated_var) && s.q_rated_var != 0.0))
    c.fail(s, what, "reactive_power must be finite and not zero",
           "give e.g. 'reactive_power: 2 Mvar' (capacitor) or '-1 Mvar' (reactor)");
  if (!(s.rated_voltage_v >= 0.0 && detail::Checker::finite(s.rated_voltage_v)))
    c.fail(s, what, "rated voltage must be positive",
           "give e.g. 'voltage: 13.8 kV', or leave it out");
  if (!(s.loss_w >= 0.0 && detail::Checker::finite(s.loss_w)))
    c.fail(s, what, "loss must not be negative", "give e.g. 'loss: 400 W'");
  c.plausible(s, what, "reactive_power", s.q_rated_var, Dimension::reactive_power);
  c.plausible(s, what, "voltage", s.rated_voltage_v, Dimension::voltage);
  c.plausible(s, what, "loss", s.loss_w, Dimension::active_power);
}

void ShuntElements::write(detail::Writer& w, const Shunt& s) {
  const Shunt d;
  detail::Entry e;
  detail::Writer::head(e, s.id, "shunt");
  e.add("bus", w.bus(s.bus)).quantity("reactive_power", s.q_rated_var, "var");
  if (s.rated_voltage_v != d.rated_voltage_v) e.quantity("voltage", s.rated_voltage_v, "V");
  if (s.loss_w != d.loss_w) e.quantity("loss", s.loss_w, "W");
  w.finish(e, s.in_service, s.origin);
}

}  // namespace g2g::model

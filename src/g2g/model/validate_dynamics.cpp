// Model-level checks of the time-domain keys (docs/dynamic.md, "Model keys for simulation"),
// for every model however it was made (a file, JSON, an edit, a program): each value given is
// finite, of its sign and plausible, and sits where it means something (a capacitance on a DC
// port, an OCV table that covers the storage's state-of-charge window). Whether a simulation has
// all it needs is model::simulation_requirements' question, not this one's.
#include <fmt/format.h>

#include "g2g/model/kind_support.hpp"

namespace g2g::model::detail {

using core::Dimension;

namespace {

// `value`, when given, must be finite and positive (or, with `zero_allowed`, not negative) and
// plausible for `dimension`.
template <typename E>
void given(Checker& c, const E& e, std::string_view what, std::string_view key,
           const std::optional<double>& value, Dimension dimension, bool zero_allowed = false) {
  if (!value) return;
  const double v = *value;
  if (!(Checker::finite(v) && (v > 0.0 || (zero_allowed && v == 0.0))))
    c.fail(e, what, fmt::format("{} {} must be {}", key, v, zero_allowed ? "0 or more" : "above 0"),
           fmt::format("give e.g. '{}: {}', or leave it out", key,
                       core::dimension_example(dimension)));
  c.plausible(e, what, key, v, dimension);
}

// A capacitor at a port must be at a DC bus: the AC side is a quasi-static phasor network.
template <typename E>
void dc_port(Checker& c, const E& e, std::string_view what, std::string_view key, bool given,
             const Bus* bus) {
  if (given && bus != nullptr && bus->kind != BusKind::dc)
    c.fail(e, what,
           fmt::format("{} is at AC bus '{}'; the simulation's AC side is a phasor network "
                       "without capacitor states",
                       key, bus->id),
           fmt::format("remove {}", key));
}

}  // namespace

void check_bus_dynamics(Checker& c, const Bus& b) {
  given(c, b, "bus", "capacitance", b.capacitance_f, Dimension::capacitance, true);
  if (b.capacitance_f && *b.capacitance_f > 0.0 && b.kind != BusKind::dc)
    c.fail(b, "bus",
           "capacitance is given on an AC bus; the simulation's AC side is a phasor "
           "network without capacitor states",
           "remove capacitance, or model a capacitor bank as 'type: shunt'");
}

void check_source_dynamics(Checker& c, const Source& s, std::string_view what) {
  given(c, s, what, "short_circuit_power", s.short_circuit_power_va, Dimension::apparent_power);
  given(c, s, what, "x_r_ratio", s.x_r_ratio, Dimension::dimensionless);
  given(c, s, what, "inertia", s.inertia_s, Dimension::time);
  given(c, s, what, "frequency_droop", s.frequency_droop_pu, Dimension::dimensionless);
}

void check_line_dynamics(Checker& c, const Line& l, std::string_view what, const Bus* from) {
  given(c, l, what, "inductance_per_length", l.inductance_h_per_m,
        Dimension::inductance_per_length);
  if (l.inductance_h_per_m && from != nullptr && from->kind != BusKind::dc)
    c.fail(l, what, "inductance_per_length is given on an AC line",
           "an AC line's inductance is its reactance_per_length; remove inductance_per_length");
}

void check_converter_dynamics(Checker& c, const Converter& conv, std::string_view what,
                              const Bus* in, const Bus* out) {
  const ConverterDynamics& d = conv.dynamics;
  given(c, conv, what, "output_capacitance", d.output_capacitance_f, Dimension::capacitance);
  given(c, conv, what, "output_esr", d.output_esr_ohm, Dimension::resistance, true);
  given(c, conv, what, "input_capacitance", d.input_capacitance_f, Dimension::capacitance);
  given(c, conv, what, "input_esr", d.input_esr_ohm, Dimension::resistance, true);
  given(c, conv, what, "voltage_bandwidth", d.voltage_bandwidth_hz, Dimension::frequency);
  given(c, conv, what, "damping", d.damping, Dimension::dimensionless);
  given(c, conv, what, "ramp_rate", d.ramp_rate_w_per_s, Dimension::power_rate);
  given(c, conv, what, "droop", d.droop_pu, Dimension::dimensionless, true);
  given(c, conv, what, "undervoltage_off", d.undervoltage_off_v, Dimension::voltage);
  given(c, conv, what, "undervoltage_on", d.undervoltage_on_v, Dimension::voltage);
  given(c, conv, what, "restart_delay", d.restart_delay_s, Dimension::time, true);
  if (d.current_limit)
    given(c, conv, what, "current_limit", std::optional<double>(d.current_limit->value),
          d.current_limit->of_rated ? Dimension::dimensionless : Dimension::current);
  dc_port(c, conv, what, "output_capacitance", d.output_capacitance_f.has_value(), out);
  dc_port(c, conv, what, "input_capacitance", d.input_capacitance_f.has_value(), in);
  if (d.droop_pu && !(*d.droop_pu <= 1.0))
    c.fail(conv, what, fmt::format("droop {} is above 100 %", *d.droop_pu), "e.g. 'droop: 2 %'");
  if (d.undervoltage_off_v && d.undervoltage_on_v &&
      !(*d.undervoltage_on_v > *d.undervoltage_off_v))
    c.fail(conv, what, "undervoltage_on is not above undervoltage_off",
           "restart above the turn-off voltage, e.g. off at 40 V, on at 44 V");
  // A converter that turns off above its input's nominal voltage is never on.
  if (in != nullptr && d.undervoltage_off_v && !(*d.undervoltage_off_v < in->nominal_voltage_v))
    c.fail(conv, what,
           fmt::format("undervoltage_off {} V is not below the {} V nominal voltage of input bus "
                       "'{}'",
                       *d.undervoltage_off_v, in->nominal_voltage_v, in->id),
           "give the input voltage it turns off below, e.g. 90 % of nominal");
}

void check_storage_dynamics(Checker& c, const Storage& s) {
  constexpr std::string_view what = "storage";
  given(c, s, what, "internal_resistance", s.internal_resistance_ohm, Dimension::resistance);
  given(c, s, what, "capacity", s.capacity_c, Dimension::charge);
  given(c, s, what, "capacitance", s.capacitance_f, Dimension::capacitance);
  given(c, s, what, "esr", s.esr_ohm, Dimension::resistance);
  given(c, s, what, "max_power", s.max_power_w, Dimension::active_power);
  given(c, s, what, "max_current", s.max_current_a, Dimension::current);
  given(c, s, what, "bus_current_limit", s.bus_current_limit_a, Dimension::current);
  if (const Bus* bus = c.bus(s.bus);
      s.bus_current_limit_a && bus != nullptr && bus->kind != BusKind::dc)
    c.fail(s, what,
           fmt::format("bus_current_limit is for a storage at a DC bus; '{}' is AC", bus->id),
           "leave it out (its power limit, max_power, bounds it on the AC side)");
  if (s.rc_pair) {
    given(c, s, what, "rc_pair resistance", std::optional(s.rc_pair->resistance_ohm),
          Dimension::resistance);
    given(c, s, what, "rc_pair capacitance", std::optional(s.rc_pair->capacitance_f),
          Dimension::capacitance);
  }
  if (!(s.soc_min >= 0.0 && s.soc_min < s.soc_max && s.soc_max <= 1.0))
    c.fail(s, what,
           fmt::format("state-of-charge window {:g} % to {:g} % is not valid", s.soc_min * 100.0,
                       s.soc_max * 100.0),
           "use 0 <= soc_min < soc_max <= 100 %");
  else if (s.soc_initial && !(*s.soc_initial >= s.soc_min && *s.soc_initial <= s.soc_max))
    c.fail(s, what,
           fmt::format("soc_initial {:g} % is outside the window {:g} % to {:g} %",
                       *s.soc_initial * 100.0, s.soc_min * 100.0, s.soc_max * 100.0),
           "start within soc_min and soc_max");
  for (std::size_t i = 0; i < s.ocv.size(); ++i) {
    const OcvPoint& p = s.ocv[i];
    if (!(p.soc >= 0.0 && p.soc <= 1.0 && p.voltage_v > 0.0 && Checker::finite(p.voltage_v)) ||
        (i > 0 && !(p.soc > s.ocv[i - 1].soc && p.voltage_v >= s.ocv[i - 1].voltage_v))) {
      c.fail(s, what,
             "ocv points must have rising states of charge in [0, 1] and positive, "
             "non-falling voltages",
             "check the ocv table");
      return;
    }
  }
  if (s.ocv.size() == 1)
    c.fail(s, what, "ocv has one point", "give at least two [soc, voltage] points");
  // Between the points the curve is interpolated; beyond them it would be guessed.
  if (s.ocv.size() >= 2 && (s.soc_min < s.ocv.front().soc || s.soc_max > s.ocv.back().soc))
    c.fail(s, what,
           fmt::format("ocv covers states of charge {:g} % to {:g} %, but the window is {:g} % "
                       "to {:g} %",
                       s.ocv.front().soc * 100.0, s.ocv.back().soc * 100.0, s.soc_min * 100.0,
                       s.soc_max * 100.0),
           "extend the ocv table to the window, or narrow it with soc_min and soc_max");
}

}  // namespace g2g::model::detail

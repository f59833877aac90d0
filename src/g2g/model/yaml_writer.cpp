// ModelSpec -> YAML that load_yaml reads back to an equal ModelSpec (templates already expanded,
// each element keeping its origin). One element per line in flow style, so large imported cases
// stay readable and diff well. Quantities carry their unit, in the unit people write ("35 mm2",
// "13.8 kV", "0.095 mohm/m") whenever the shortest such text parses back to exactly the same
// double, else in plain SI ("3.5e-05 m2"); percentages as "6 %" (the loader keeps the written
// number exactly).
#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>

#include "g2g/model/kind_support.hpp"
#include "g2g/model/loader.hpp"
#include "g2g/model/protection_parts.hpp"

namespace g2g::model::detail {
namespace {

std::string number(double value) {
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

// A scalar that YAML reads back as the same text: plain when that is safe, else double-quoted.
std::string text(std::string_view s) {
  bool plain = !s.empty() && detail::classify_plain_scalar(s) == detail::NodeType::string;
  for (const char c : s) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-' || c == '.' || c == '/' || c == '+';
    if (!safe) plain = false;
  }
  if (plain && (s.front() == '-' || s.front() == '.')) plain = false;
  if (plain) return std::string(s);
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7F) {
      out += fmt::format("\\x{:02X}", u);
    } else {
      out += c;  // UTF-8 passes through
    }
  }
  out += '"';
  return out;
}

// The shortest decimal d with d * factor == value exactly, as the loader computes it (the number
// times its unit's factor); nullopt when no decimal of up to 17 digits does.
std::optional<std::string> digits_in(double value, double factor) {
  if (!std::isfinite(value)) return std::nullopt;
  const double scaled = value / factor;
  for (int precision = 1; precision <= 17; ++precision) {
    std::string digits = fmt::format("{:.{}g}", scaled, precision);
    double back = 0.0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), back);
    // The shortest text of that double: "120", not "1.2e+02".
    if (ec == std::errc() && end == digits.data() + digits.size() && back * factor == value)
      return number(back);
  }
  return std::nullopt;
}

// `value` in `unit` scaled by `factor` ("35 mm2" for 35 x 1e-6) when that reads back to exactly
// the same double and is no longer than SI; otherwise in the SI unit ("2.5e-05 m2", not
// "25.000000000000004 mm2", for an area given in m2).
std::string in_unit(double value, std::string_view unit, double factor, std::string_view si) {
  const std::string plain = number(value);
  if (value != 0.0) {
    const auto digits = digits_in(value, factor);
    if (digits && digits->size() <= plain.size()) return fmt::format("{} {}", *digits, unit);
  }
  return fmt::format("{} {}", plain, si);
}

// `value` in `unit`, with an engineering prefix when the prefixed number reads back to exactly
// the same double ("13.8 kV", "163 MW"); otherwise in plain SI ("418.3697602823375 A").
std::string with_prefix(double value, std::string_view unit) {
  struct Prefix {
    std::string_view symbol;
    double factor;
  };
  constexpr std::array prefixes{Prefix{"G", 1e9}, Prefix{"M", 1e6},  Prefix{"k", 1e3},
                                Prefix{"", 1.0},  Prefix{"m", 1e-3}, Prefix{"u", 1e-6}};
  const double magnitude = std::fabs(value);
  if (std::isfinite(value) && magnitude != 0.0) {
    for (const auto& p : prefixes) {
      if (magnitude < p.factor && p.factor != 1e-6) continue;
      // The loader multiplies by the prefix factor, exactly as digits_in checks.
      if (const auto digits = digits_in(value, p.factor))
        return fmt::format("{} {}{}", *digits, p.symbol, unit);
      break;
    }
  }
  return fmt::format("{} {}", number(value), unit);
}

void tail(Entry& e, bool in_service, const Origin* origin) {
  if (!in_service) e.flag("in_service", false);
  if (origin != nullptr && (!origin->template_name.empty() || !origin->instance_path.empty()))
    e.add("origin", fmt::format("{{template: {}, path: {}}}", text(origin->template_name),
                                text(origin->instance_path)));
}

}  // namespace

Entry& Entry::add(std::string_view key, const std::string& value) {
  body_ += body_.empty() ? "{" : ", ";
  body_ += key;
  body_ += ": ";
  body_ += value;
  return *this;
}

Entry& Entry::quantity(std::string_view key, double value, std::string_view unit) {
  return add(key, with_prefix(value, unit));
}

Entry& Entry::plain(std::string_view key, double value, std::string_view unit) {
  return add(key, fmt::format("{} {}", number(value), unit));
}

Entry& Entry::scaled(std::string_view key, double value, std::string_view unit, double factor,
                     std::string_view si) {
  return add(key, in_unit(value, unit, factor, si));
}

Entry& Entry::ratio(std::string_view key, double value) {
  return add(key, number(value));
}

Entry& Entry::flag(std::string_view key, bool value) {
  return add(key, value ? "true" : "false");
}

std::string yaml_text(std::string_view s) {
  return text(s);
}

std::string yaml_number(double value) {
  return number(value);
}

std::string Writer::bus(BusIndex index) const {
  if (index < 0 || static_cast<std::size_t>(index) >= m_.buses.size()) return "\"\"";
  return yaml_text(m_.buses[static_cast<std::size_t>(index)].id);
}

void Writer::line(const Entry& e) {
  out_ += "  - ";
  out_ += e.str();
  out_ += '\n';
}

void Writer::head(Entry& e, const std::string& id, std::string_view type) {
  e.add("id", yaml_text(id)).add("type", std::string(type));
}

void Writer::finish(Entry& e, bool in_service, std::int32_t origin) {
  tail(e, in_service, origin_of(m_, origin));
  line(e);
}

std::string Writer::run() {
  out_ += "# grid2gpu model, written by grid2gpu (write_yaml).\n";
  out_ += "grid2gpu: 1\n";
  if (!m_.name.empty()) out_ += fmt::format("name: {}\n", text(m_.name));
  out_ += fmt::format("frequency: {} Hz\n", number(m_.frequency_hz));
  // Values below are already substituted; the parameters are kept to say what they were.
  if (!m_.parameters.empty()) out_ += "parameters:\n";
  for (const auto& p : m_.parameters) out_ += fmt::format("  {}: {}\n", p.name, text(p.text));
  Entry solver;
  solver.quantity("base_power", m_.solver.base_power_va, "VA")
      .ratio("tolerance", m_.solver.tolerance_pu)
      .add("max_iterations", std::to_string(m_.solver.max_iterations))
      .flag("flat_start", m_.solver.flat_start);
  out_ += fmt::format("solver: {}\n", solver.str());
  out_ += m_.buses.empty() ? "buses: []\n" : "buses:\n";
  for (const auto& b : m_.buses) {
    Entry e;
    e.add("id", text(b.id))
        .add("kind", b.kind == BusKind::ac ? "ac" : "dc")
        .quantity("voltage", b.nominal_voltage_v, "V");
    if (b.v_min_pu != Bus{}.v_min_pu) e.ratio("v_min", b.v_min_pu);
    if (b.v_max_pu != Bus{}.v_max_pu) e.ratio("v_max", b.v_max_pu);
    if (b.capacitance_f) e.quantity("capacitance", *b.capacitance_f, "F");
    tail(e, true, origin_of(m_, b.origin));
    line(e);
  }
  if (element_count(m_) > 0) out_ += "components:\n";
  for_each_model_kind([&]<typename K>() {
    for (const auto& element : K::elements(m_)) K::write(*this, element);
  });
  return std::move(out_);
}

}  // namespace g2g::model::detail

namespace g2g::model {

using detail::Entry;
using detail::Writer;
using detail::yaml_number;
using detail::yaml_text;

namespace {

// A breaker's `trip:` as a flow map: its kind's keys, in SI.
std::string trip_map(const Trip& t) {
  constexpr std::array<std::string_view, 4> kinds{"solid_state", "hybrid", "fuse",
                                                  "thermal_magnetic"};
  std::string out = fmt::format("{{kind: {}", kinds[static_cast<std::size_t>(t.kind)]);
  // A part's values are written as the part while they are still its own (an aggregated group's
  // scaled fuse is written inline).
  const ProtectionPart* part = t.part.empty() ? nullptr : find_protection_part(t.part);
  const bool as_part = part != nullptr && part->kind == t.kind &&
                       part->rated_current_a == t.rated_current_a &&
                       part->rated_voltage_dc_v == t.rated_voltage_v &&
                       part->pre_arcing_i2t_a2s == t.pre_arcing_i2t_a2s &&
                       part->clearing_i2t_a2s == t.clearing_i2t_a2s;
  if (as_part) out += fmt::format(", part: \"{}\"", part->part);
  const auto put = [&](std::string_view key, double value, std::string_view unit) {
    out += fmt::format(", {}: {} {}", key, yaml_number(value), unit);
  };
  const bool breaker = t.kind != TripKind::fuse;
  const bool semiconductor = t.kind == TripKind::solid_state || t.kind == TripKind::hybrid;
  if (breaker && t.pickup_a > 0.0) put("pickup", t.pickup_a, "A");
  if (semiconductor && t.di_dt_pickup_a_per_s > 0.0) put("di_dt", t.di_dt_pickup_a_per_s, "A/s");
  if (breaker) put("delay", t.delay_s, "s");
  if (t.kind == TripKind::hybrid) put("commutation_time", t.commutation_s, "s");
  put("clamp_voltage", t.clamp_voltage_v, "V");
  if (t.clamp_resistance_ohm > 0.0) put("clamp_resistance", t.clamp_resistance_ohm, "ohm");
  put("off_resistance", t.off_resistance_ohm, "ohm");
  if (t.inductance_h > 0.0) put("inductance", t.inductance_h, "H");
  if (!semiconductor && !as_part) put("rated_current", t.rated_current_a, "A");
  if (!semiconductor && !as_part && t.rated_voltage_v > 0.0)
    put("rated_voltage", t.rated_voltage_v, "V");
  if (t.kind == TripKind::fuse && !as_part) {
    put("pre_arcing_i2t", t.pre_arcing_i2t_a2s, "A2s");
    put("clearing_i2t", t.clearing_i2t_a2s, "A2s");
  }
  if (t.kind == TripKind::thermal_magnetic) {
    put("thermal_time_constant", t.thermal_time_constant_s, "s");
    out += fmt::format(", thermal_pickup: {}", yaml_number(t.thermal_pickup));
  }
  if (t.reclose_s > 0.0) put("reclose", t.reclose_s, "s");
  return out + "}";
}

void solid_state_breaker(Writer& w, const Line& l) {
  Entry e;
  Writer::head(e, l.id, "breaker");
  e.add("from", w.bus(l.from)).add("to", w.bus(l.to));
  if (!l.in_service) e.flag("closed", false);
  if (l.ampacity_a != 0.0) e.quantity("rating", l.ampacity_a, "A");
  e.quantity("on_resistance", l.r_ohm.value_or(0.0), "ohm");
  if (const Trip* trip = trip_of(w.model(), l)) e.add("trip", trip_map(*trip));
  w.finish(e, true, l.origin);
}

void redundancy(Entry& e, const Redundancy& r, bool with_modules) {
  if (with_modules && r.modules != 1) e.add("modules", std::to_string(r.modules));
  if (!r.rule.empty()) e.add("redundancy", yaml_text(r.rule));
}

// `key: value` when an optional is set.
void optional_quantity(Entry& e, std::string_view key, const std::optional<double>& value,
                       std::string_view unit) {
  if (value) e.quantity(key, *value, unit);
}
void optional_ratio(Entry& e, std::string_view key, const std::optional<double>& value) {
  if (value) e.ratio(key, *value);
}

// A fraction as a percentage that reads back to the same double ("120 %" for 1.2).
std::string percentage(double fraction) {
  if (const auto digits = detail::digits_in(fraction, 0.01)) return *digits + " %";
  return fmt::format("{:.17g} %", fraction * 100.0);  // not reached for any fraction tried
}

void converter_dynamics(Entry& e, const ConverterDynamics& d) {
  optional_quantity(e, "output_capacitance", d.output_capacitance_f, "F");
  optional_quantity(e, "output_esr", d.output_esr_ohm, "ohm");
  optional_quantity(e, "input_capacitance", d.input_capacitance_f, "F");
  optional_quantity(e, "input_esr", d.input_esr_ohm, "ohm");
  optional_quantity(e, "voltage_bandwidth", d.voltage_bandwidth_hz, "Hz");
  optional_ratio(e, "damping", d.damping);
  if (d.current_limit) {
    if (d.current_limit->of_rated)
      e.add("current_limit", percentage(d.current_limit->value));
    else
      e.quantity("current_limit", d.current_limit->value, "A");
  }
  optional_quantity(e, "ramp_rate", d.ramp_rate_w_per_s, "W/s");
  optional_ratio(e, "droop", d.droop_pu);
  optional_quantity(e, "undervoltage_off", d.undervoltage_off_v, "V");
  optional_quantity(e, "undervoltage_on", d.undervoltage_on_v, "V");
  optional_quantity(e, "restart_delay", d.restart_delay_s, "s");
}

void storage_dynamics(Entry& e, const Storage& s) {
  const Storage d;
  if (s.technology != StorageTechnology::unset)
    e.add("technology", std::string(model::name(s.technology)));
  if (!s.ocv.empty()) {
    std::string curve = "[";
    for (const auto& p : s.ocv)
      curve += fmt::format("{}[{}, {}]", curve.size() > 1 ? ", " : "", yaml_number(p.soc),
                           detail::with_prefix(p.voltage_v, "V"));
    e.add("ocv", curve + "]");
  }
  optional_quantity(e, "internal_resistance", s.internal_resistance_ohm, "ohm");
  if (s.rc_pair)
    e.add("rc_pair", fmt::format("{{resistance: {}, capacitance: {}}}",
                                 detail::with_prefix(s.rc_pair->resistance_ohm, "ohm"),
                                 detail::with_prefix(s.rc_pair->capacitance_f, "F")));
  // In Ah, as batteries are rated; in plain coulombs (SI) when no decimal of Ah is exact.
  if (s.capacity_c) {
    const auto ah = detail::digits_in(*s.capacity_c, 3600.0);
    e.add("capacity", ah ? *ah + " Ah" : yaml_number(*s.capacity_c));
  }
  optional_quantity(e, "capacitance", s.capacitance_f, "F");
  optional_quantity(e, "esr", s.esr_ohm, "ohm");
  if (s.soc_min != d.soc_min) e.ratio("soc_min", s.soc_min);
  if (s.soc_max != d.soc_max) e.ratio("soc_max", s.soc_max);
  optional_ratio(e, "soc_initial", s.soc_initial);
  optional_quantity(e, "max_power", s.max_power_w, "W");
  optional_quantity(e, "max_current", s.max_current_a, "A");
  optional_quantity(e, "bus_current_limit", s.bus_current_limit_a, "A");
}

}  // namespace

// ---- Component kinds: K::write (element_kinds.hpp) ------------------------------------------

void SourceElements::write(Writer& w, const Source& s) {
  const Source d;
  Entry e;
  Writer::head(e, s.id, model::name(s.type));
  e.add("bus", w.bus(s.bus));
  if (s.type == SourceType::generator) e.quantity("power", s.p_set_w, "W");
  if (s.v_set_pu != d.v_set_pu) e.ratio("voltage", s.v_set_pu);
  if (s.type == SourceType::utility && s.angle_deg != d.angle_deg)
    e.plain("angle", s.angle_deg, "deg");
  if (s.type == SourceType::generator) {
    if (s.q_min_var != d.q_min_var) e.quantity("q_min", s.q_min_var, "var");
    if (s.q_max_var != d.q_max_var) e.quantity("q_max", s.q_max_var, "var");
  }
  if (s.rating_va != d.rating_va) e.quantity("rating", s.rating_va, "VA");
  optional_quantity(e, "short_circuit_power", s.short_circuit_power_va, "VA");
  optional_ratio(e, "x_r_ratio", s.x_r_ratio);
  optional_quantity(e, "inertia", s.inertia_s, "s");
  optional_ratio(e, "frequency_droop", s.frequency_droop_pu);
  w.finish(e, s.in_service, s.origin);
}

void LineElements::write(Writer& w, const Line& l) {
  if (l.type == LineType::breaker) {
    solid_state_breaker(w, l);
    return;
  }
  const Line d;
  Entry e;
  Writer::head(e, l.id, model::name(l.type));
  e.add("from", w.bus(l.from)).add("to", w.bus(l.to));
  if (l.material != d.material) e.add("material", "aluminium");
  if (l.cross_section_m2 != d.cross_section_m2)
    e.scaled("cross_section", l.cross_section_m2, "mm2", 1e-6, "m2");
  if (l.length_m != d.length_m) e.plain("length", l.length_m, "m");
  if (l.conductors_per_pole != d.conductors_per_pole)
    e.add("conductors_per_pole", std::to_string(l.conductors_per_pole));
  if (l.parallel_runs != d.parallel_runs) e.add("parallel_runs", std::to_string(l.parallel_runs));
  if (l.neutral_conductor) e.flag("neutral_conductor", *l.neutral_conductor);
  if (l.temperature_c != d.temperature_c) e.plain("temperature", l.temperature_c, "°C");
  if (l.reactance_ohm_per_m != detail::default_reactance_per_m(l.type))
    e.scaled("reactance_per_length", l.reactance_ohm_per_m, "mohm/m", 1e-3, "ohm/m");
  if (l.r_ohm) e.quantity("resistance", *l.r_ohm, "ohm");
  if (l.x_ohm) e.quantity("reactance", *l.x_ohm, "ohm");
  if (l.b_total_s != d.b_total_s) e.quantity("charging", l.b_total_s, "S");
  if (l.ampacity_a != d.ampacity_a) e.quantity("ampacity", l.ampacity_a, "A");
  optional_quantity(e, "inductance_per_length", l.inductance_h_per_m, "H/m");
  w.finish(e, l.in_service, l.origin);
}

void TransformerElements::write(Writer& w, const Transformer& t) {
  const Transformer d;
  Entry e;
  Writer::head(e, t.id, "transformer");
  e.add("hv", w.bus(t.hv)).add("lv", w.bus(t.lv));
  const bool system = t.r_system_pu.has_value() || t.x_system_pu.has_value();
  if (!system || t.rating_va != d.rating_va) e.quantity("rating", t.rating_va, "VA");
  if (t.v_hv_rated_v != d.v_hv_rated_v) e.quantity("hv_voltage", t.v_hv_rated_v, "V");
  if (t.v_lv_rated_v != d.v_lv_rated_v) e.quantity("lv_voltage", t.v_lv_rated_v, "V");
  if (!system || t.z_pct != d.z_pct) e.add("impedance", fmt::format("{} %", yaml_number(t.z_pct)));
  if (t.r_pct) e.add("resistance", fmt::format("{} %", yaml_number(*t.r_pct)));
  if (t.load_loss_w != d.load_loss_w) e.quantity("load_loss", t.load_loss_w, "W");
  if (t.no_load_loss_w != d.no_load_loss_w) e.quantity("no_load_loss", t.no_load_loss_w, "W");
  if (t.tap_ratio != d.tap_ratio) e.ratio("tap", t.tap_ratio);
  if (t.phase_shift_deg != d.phase_shift_deg) e.plain("phase_shift", t.phase_shift_deg, "deg");
  if (t.r_system_pu) e.ratio("system_resistance", *t.r_system_pu);
  if (t.x_system_pu) e.ratio("system_reactance", *t.x_system_pu);
  if (t.b_system_pu != d.b_system_pu) e.ratio("system_susceptance", t.b_system_pu);
  redundancy(e, t.redundancy, false);
  w.finish(e, t.in_service, t.origin);
}

void SwitchElements::write(Writer& w, const Switch& s) {
  Entry e;
  Writer::head(e, s.id, "breaker");
  e.add("from", w.bus(s.from)).add("to", w.bus(s.to));
  if (!s.closed) e.flag("closed", false);
  if (s.rating_a != Switch{}.rating_a) e.quantity("rating", s.rating_a, "A");
  w.finish(e, true, s.origin);
}

void ConverterElements::write(Writer& w, const Converter& c) {
  const Converter d;
  Entry e;
  Writer::head(e, c.id, model::name(c.type));
  if (c.subtype != ConverterSubtype::none) e.add("subtype", yaml_text(model::name(c.subtype)));
  e.add("input", w.bus(c.input)).add("output", w.bus(c.output));
  e.quantity("rating", c.rating_w, "W");
  // A design not yet evaluated keeps its reference; once api::load_model has turned it into an
  // efficiency curve, the curve is written, so the file stands on its own.
  redundancy(e, c.redundancy, true);
  if (c.standby_loss_w != d.standby_loss_w) e.quantity("standby_loss", c.standby_loss_w, "W");
  if (!c.design_file.empty() && c.efficiency.empty()) {
    e.add("design", yaml_text(c.design_file));
  } else if (c.efficiency.size() == 1 && c.efficiency[0].load_fraction == 1.0) {
    e.ratio("efficiency", c.efficiency[0].efficiency);
  } else {
    std::string curve = "[";
    for (const auto& p : c.efficiency)
      curve += fmt::format("{}[{}, {}]", curve.size() > 1 ? ", " : "", yaml_number(p.load_fraction),
                           yaml_number(p.efficiency));
    e.add("efficiency", curve + "]");
  }
  if (c.control == ConverterControl::power) {
    e.add("control", "power").quantity("power", c.p_set_w, "W");
  } else if (c.v_set_pu != d.v_set_pu) {
    e.ratio("voltage", c.v_set_pu);
  }
  if (c.input_power_factor != d.input_power_factor) e.ratio("power_factor", c.input_power_factor);
  if (c.output_power_factor != d.output_power_factor)
    e.ratio("output_power_factor", c.output_power_factor);
  converter_dynamics(e, c.dynamics);
  w.finish(e, c.in_service, c.origin);
}

void LoadElements::write(Writer& w, const Load& l) {
  const Load d;
  Entry e;
  if (l.model == LoadModel::gpu_rack) {
    Writer::head(e, l.id, "gpu_rack");
    e.add("bus", w.bus(l.bus)).quantity("it_power", l.it_power_w, "W");
    if (l.idle_fraction != d.idle_fraction) e.ratio("idle_fraction", l.idle_fraction);
    if (l.utilisation != d.utilisation) e.ratio("utilisation", l.utilisation);
  } else {
    Writer::head(e, l.id, "load");
    e.add("bus", w.bus(l.bus));
    constexpr std::array models{"constant_power", "constant_current", "constant_impedance", "zip"};
    if (l.model != d.model) e.add("model", models[static_cast<std::size_t>(l.model)]);
    e.quantity("power", l.p_w, "W");
    if (l.model == LoadModel::zip)
      e.add("zip", fmt::format("[{}, {}, {}]", yaml_number(l.zip_z), yaml_number(l.zip_i),
                               yaml_number(l.zip_p)));
  }
  if (l.q_var != d.q_var) e.quantity("reactive_power", l.q_var, "var");
  w.finish(e, l.in_service, l.origin);
}

void StorageElements::write(Writer& w, const Storage& s) {
  const Storage d;
  Entry e;
  Writer::head(e, s.id, "storage");
  e.add("bus", w.bus(s.bus)).quantity("power", s.p_set_w, "W");
  if (s.q_set_var != d.q_set_var) e.quantity("reactive_power", s.q_set_var, "var");
  if (s.rating_w != d.rating_w) e.quantity("rating", s.rating_w, "W");
  if (s.energy_j != d.energy_j) e.quantity("energy", s.energy_j, "J");
  storage_dynamics(e, s);
  w.finish(e, s.in_service, s.origin);
}

std::string write_yaml(const ModelSpec& model) {
  return detail::Writer(model).run();
}

}  // namespace g2g::model

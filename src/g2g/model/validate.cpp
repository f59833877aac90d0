// Checks on a ModelSpec that need no graph. They hold for every model, however it was made (YAML,
// JSON, MATPOWER import, code), so they repeat some of the loader's value checks: the loader
// reports those at the exact key, this at the element.
#include "g2g/model/validate.hpp"

#include "g2g/model/kind_support.hpp"

#include <fmt/format.h>

#include "g2g/core/printable.hpp"

#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

namespace g2g::model {
namespace {

using core::DiagnosticList;
using core::Dimension;

// A set of ids with open addressing: validation inserts every id of a model, and a large model
// has hundreds of thousands. A slot is 8 bytes: part of the hash and an index into `ids_`.
class IdSet {
 public:
  explicit IdSet(std::size_t expected) { rehash(expected); }

  // False if `id` is already in the set.
  bool insert(std::string_view id) {
    if (2 * (ids_.size() + 1) > slots_.size()) rehash(2 * ids_.size() + 1);
    const std::uint64_t h = hash(id);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.index_plus_one == 0) {
        ids_.push_back(id);
        slot = {static_cast<std::uint32_t>(h >> 32), static_cast<std::uint32_t>(ids_.size())};
        return true;
      }
      if (slot.tag == static_cast<std::uint32_t>(h >> 32) && ids_[slot.index_plus_one - 1] == id)
        return false;
    }
  }

 private:
  struct Slot {
    std::uint32_t tag = 0;
    std::uint32_t index_plus_one = 0;  // 0: empty
  };
  static std::uint64_t hash(std::string_view id) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a
    for (const char c : id) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return h;
  }
  void rehash(std::size_t expected) {
    std::size_t size = 16;
    while (size < 2 * expected) size *= 2;
    slots_.assign(size, Slot{});
    const std::vector<std::string_view> ids = std::move(ids_);
    ids_.clear();
    ids_.reserve(expected);
    for (const auto id : ids) insert(id);
  }

  std::vector<Slot> slots_;
  std::vector<std::string_view> ids_;
};

class Validator {
 public:
  explicit Validator(const ModelSpec& model) : m_(model) {}

  DiagnosticList run() {
    detail::Checker checker(m_, d_);
    model_level();
    buses(checker);
    unique_component_ids();
    for_each_model_kind([&]<typename K>() {
      for (const auto& element : K::elements(m_)) K::check(checker, element);
    });
    return std::move(d_);
  }

 private:
  [[nodiscard]] core::SourceLocation at(Where where) const { return location(m_, where); }

  void model_level() {
    const core::SourceLocation top{m_.source_file, 0, 0};
    if (!(m_.frequency_hz > 0.0 && std::isfinite(m_.frequency_hz)))
      d_.error(top, fmt::format("frequency {} Hz is not positive", m_.frequency_hz),
               "set 'frequency: 50 Hz' or '60 Hz'");
    if (!(m_.solver.base_power_va > 0.0 && std::isfinite(m_.solver.base_power_va)))
      d_.error(top, "solver base_power must be positive", "set e.g. 'base_power: 1 MVA'");
    if (!(m_.solver.tolerance_pu > 0.0 && std::isfinite(m_.solver.tolerance_pu)))
      d_.error(top, "solver tolerance must be positive", "set e.g. 'tolerance: 1e-10'");
    if (std::isfinite(m_.solver.base_power_va) &&
        !core::plausible(m_.solver.base_power_va, Dimension::apparent_power))
      d_.error(top,
               fmt::format("solver base_power {} is outside the plausible range ({})",
                           core::si_text(m_.solver.base_power_va, Dimension::apparent_power),
                           core::plausible_range_text(Dimension::apparent_power)),
               "set e.g. 'base_power: 1 MVA'");
    // The name heads tables and reports: bounded like ids (its control characters are escaped
    // wherever it is printed).
    if (m_.name.size() > max_name_bytes)
      d_.error(top,
               fmt::format("the model's name is {} bytes long, more than the {} allowed ('{}')",
                           m_.name.size(), max_name_bytes, core::printable(m_.name, 40)),
               "give it a shorter name");
    if (m_.solver.max_iterations < 1)
      d_.error(top, "solver max_iterations must be at least 1", "set e.g. 'max_iterations: 30'");
  }

  // An id reaches terminals, result files and reports: no control characters, a bounded length.
  void id_text(const std::string& id, Where where, std::string_view what) {
    if (core::has_control_characters(id))
      d_.error(at(where), fmt::format("{} id '{}' contains a control character", what, id),
               "use letters, digits and punctuation in ids");
    if (id.size() > max_id_bytes)
      d_.error(at(where),
               fmt::format("{} id '{}' is {} bytes long, more than the {} allowed", what,
                           core::printable(id, 40), id.size(), max_id_bytes),
               "give it a shorter id");
  }

  void buses(detail::Checker& checker) {
    IdSet ids(m_.buses.size());
    for (const auto& b : m_.buses) {
      if (b.id.empty()) d_.error(at(b.where), "a bus has an empty id", "give every bus an id");
      id_text(b.id, b.where, "bus");
      if (!ids.insert(b.id))
        d_.error(at(b.where), fmt::format("bus id '{}' is used by another bus", b.id),
                 "give every bus its own id");
      if (!(b.nominal_voltage_v > 0.0 && std::isfinite(b.nominal_voltage_v)))
        d_.error(at(b.where),
                 fmt::format("bus '{}': nominal voltage {} V is not positive", b.id,
                             b.nominal_voltage_v),
                 "give the nominal voltage, e.g. 'voltage: 800 V'");
      checker.plausible(b, "bus", "voltage", b.nominal_voltage_v, Dimension::voltage);
      if (!(b.v_min_pu > 0.0 && b.v_min_pu < b.v_max_pu && std::isfinite(b.v_max_pu)))
        d_.error(at(b.where),
                 fmt::format("bus '{}': voltage band v_min {} .. v_max {} is not valid", b.id,
                             b.v_min_pu, b.v_max_pu),
                 "use 0 < v_min < v_max, e.g. 0.95 and 1.05");
      detail::check_bus_dynamics(checker, b);
    }
  }

  void unique_component_ids() {
    IdSet ids(element_count(m_));
    for_each_model_kind([&]<typename K>() {
      for (const auto& e : K::elements(m_)) {
        id_text(e.id, e.where, "component");
        if (e.id.empty()) {
          d_.error(at(e.where), "a component has an empty id", "give every component an id");
        } else if (!ids.insert(e.id)) {
          d_.error(at(e.where), fmt::format("component id '{}' is used by another component", e.id),
                   "give every component its own id");
        }
      }
    });
  }

  const ModelSpec& m_;
  DiagnosticList d_;
};

}  // namespace

core::DiagnosticList validate_model(const ModelSpec& model) {
  return Validator(model).run();
}

core::DiagnosticList validate_elements(const ModelSpec& model, ElementKind kind,
                                       std::span<const std::uint32_t> indices) {
  DiagnosticList diagnostics;
  detail::Checker checker(model, diagnostics);
  for_each_model_kind([&]<typename K>() {
    if (K::kind != kind) return;
    for (const std::uint32_t i : indices) K::check(checker, K::elements(model)[i]);
  });
  return diagnostics;
}

namespace detail {

const Bus* Checker::bus(BusIndex index) const {
  if (index < 0 || static_cast<std::size_t>(index) >= m_.buses.size()) return nullptr;
  return &m_.buses[static_cast<std::size_t>(index)];
}

bool Checker::finite(double v) {
  return std::isfinite(v);
}

bool Checker::same_nominal_voltage(const Bus& a, const Bus& b) {
  // 0.1 %: the rounding of a voltage written in kV, never a real difference of level.
  return std::fabs(a.nominal_voltage_v - b.nominal_voltage_v) <=
         1e-3 * std::max(a.nominal_voltage_v, b.nominal_voltage_v);
}

void Checker::implausible(Where where, std::string_view what, const std::string& id,
                          std::string_view key, double value, core::Dimension dimension) {
  d_.error(at(where),
           fmt::format("{} '{}': {} {} is outside the plausible range of a {} ({})", what, id, key,
                       core::si_text(value, dimension), core::dimension_name(dimension),
                       core::plausible_range_text(dimension)),
           "check the value and its unit (docs/model-format.md, \"Plausible ranges\")");
}

void Checker::missing_port(Where where, std::string_view what, const std::string& id,
                           std::string_view port_name, BusIndex index) {
  d_.error(
      at(where),
      fmt::format("{} '{}': {} is not connected to a bus (index {})", what, id, port_name, index),
      "connect it to a bus that exists");
}

void Checker::error(Where where, std::string_view what, const std::string& id,
                    std::string_view message, std::string fix) {
  d_.error(at(where), fmt::format("{} '{}': {}", what, id, message), std::move(fix));
}

void Checker::warning(Where where, std::string_view what, const std::string& id,
                      std::string_view message, std::string fix) {
  d_.warning(at(where), fmt::format("{} '{}': {}", what, id, message), std::move(fix));
}

}  // namespace detail

// ---- Component kinds: K::check (element_kinds.hpp) ------------------------------------------

using detail::Checker;

void SourceElements::check(Checker& c, const Source& s) {
  const std::string_view what = s.type == SourceType::utility     ? "utility"
                                : s.type == SourceType::generator ? "generator"
                                                                  : "dc_source";
  if (const Bus* b = c.port(s, what, "bus", s.bus)) {
    const BusKind wanted = s.type == SourceType::dc_source ? BusKind::dc : BusKind::ac;
    if (b->kind != wanted)
      c.fail(s, what,
             fmt::format("is on {} bus '{}'; {} must be on {} bus", Checker::kind_name(b->kind),
                         b->id, what, wanted == BusKind::ac ? "an AC" : "a DC"),
             s.type == SourceType::dc_source ? "a DC bus is held by a dc_source; use utility or "
                                               "generator on AC buses"
                                             : "use a dc_source on a DC bus, or move the source to "
                                               "an AC bus");
  }
  if (!(s.v_set_pu > 0.0 && Checker::finite(s.v_set_pu)))
    c.fail(s, what, "voltage set-point must be positive",
           "give it per unit of the bus nominal voltage, e.g. 1.0");
  if (!(Checker::finite(s.angle_deg) && Checker::finite(s.p_set_w)))
    c.fail(s, what, "angle and power must be finite", "give finite values");
  if (!(s.q_min_var <= s.q_max_var))
    c.fail(s, what, "q_min is above q_max", "swap q_min and q_max");
  if (!(s.rating_va >= 0.0 && Checker::finite(s.rating_va)))
    c.fail(s, what, "rating must not be negative", "give the rating, or leave it out");
  c.plausible(s, what, "power", s.p_set_w, Dimension::active_power);
  c.plausible(s, what, "rating", s.rating_va, Dimension::apparent_power);
  detail::check_source_dynamics(c, s, what);
}

void LineElements::check(Checker& c, const Line& l) {
  const std::string_view what = model::name(l.type);
  const Bus* from = c.port(l, what, "from", l.from);
  const Bus* to = c.port(l, what, "to", l.to);
  if (from != nullptr && to != nullptr) {
    if (!(l.from != l.to))
      c.fail(l, what, fmt::format("both ends are on bus '{}'", from->id),
             "connect the two ends to different buses");
    if (!(from->kind == to->kind))
      c.fail(l, what,
             fmt::format("connects {} bus '{}' to {} bus '{}'", Checker::kind_name(from->kind),
                         from->id, Checker::kind_name(to->kind), to->id),
             "a line joins buses of one kind; use a converter between AC and DC");
    if (!Checker::same_nominal_voltage(*from, *to))
      c.fail(l, what,
             fmt::format("connects buses of different nominal voltage ({} V and {} V)",
                         from->nominal_voltage_v, to->nominal_voltage_v),
             "a line joins buses of one voltage; use a transformer or a converter between them");
  }
  if (l.r_ohm) {
    // Reduced network models (PEGASE, for one) contain equivalent branches with negative
    // resistance; they are legitimate there, and never a cable.
    if (!Checker::finite(*l.r_ohm))
      c.fail(l, what, "resistance must be finite", "give the series resistance in ohm");
    else if (*l.r_ohm < 0.0)
      c.warn(l, what, "has a negative resistance (a network equivalent, not a physical line)",
             "check it if this is meant to be a real cable or line");
    const bool dc = from != nullptr && from->kind == BusKind::dc;
    const double x = dc ? 0.0 : l.x_ohm.value_or(0.0);
    if (!(*l.r_ohm != 0.0 || x != 0.0))
      c.fail(l, what, "has zero impedance (a 0-ohm branch)",
             "use a breaker for a 0-ohm connection, or give the real impedance");
    if (!(!l.x_ohm || Checker::finite(*l.x_ohm)))
      c.fail(l, what, "reactance must be finite", "give the series reactance in ohm");
  } else {
    if (!(l.cross_section_m2 > 0.0 && Checker::finite(l.cross_section_m2)))
      c.fail(l, what, "cross-section must be greater than zero",
             "give e.g. 'cross_section: 240 mm2'");
    if (!(l.length_m > 0.0 && Checker::finite(l.length_m)))
      c.fail(l, what, "length must be greater than zero", "give e.g. 'length: 35 m'");
    if (!(l.conductors_per_pole >= 1 && l.parallel_runs >= 1))
      c.fail(l, what, "conductors_per_pole and parallel_runs must be at least 1", "use 1 or more");
    if (!(l.temperature_c > -100.0 && l.temperature_c < 400.0))
      c.fail(l, what, fmt::format("conductor temperature {} °C is not plausible", l.temperature_c),
             "use the operating temperature, e.g. 70 °C or 90 °C");
    if (!(l.reactance_ohm_per_m >= 0.0 && Checker::finite(l.reactance_ohm_per_m)))
      c.fail(l, what, "reactance per length must not be negative", "e.g. 0.08 mohm/m");
  }
  if (!(Checker::finite(l.b_total_s))) c.fail(l, what, "charging must be finite", "give it in S");
  if (!(l.ampacity_a >= 0.0 && Checker::finite(l.ampacity_a)))
    c.fail(l, what, "ampacity must not be negative", "give the current limit, or leave it out");
  if (l.r_ohm) {
    c.plausible(l, what, "resistance", *l.r_ohm, Dimension::resistance);
    if (l.x_ohm) c.plausible(l, what, "reactance", *l.x_ohm, Dimension::resistance);
  } else {
    c.plausible(l, what, "length", l.length_m, Dimension::length);
    c.plausible(l, what, "cross_section", l.cross_section_m2, Dimension::area);
  }
  c.plausible(l, what, "ampacity", l.ampacity_a, Dimension::current);
  detail::check_line_dynamics(c, l, what, from);
}

void TransformerElements::check(Checker& c, const Transformer& t) {
  constexpr std::string_view what = "transformer";
  const Bus* hv = c.port(t, what, "hv", t.hv);
  const Bus* lv = c.port(t, what, "lv", t.lv);
  if (hv != nullptr && lv != nullptr) {
    if (!(t.hv != t.lv))
      c.fail(t, what, fmt::format("both windings are on bus '{}'", hv->id),
             "connect hv and lv to different buses");
    if (!(hv->kind == BusKind::ac && lv->kind == BusKind::ac))
      c.fail(
          t, what,
          fmt::format("connects {} bus '{}' to {} bus '{}'; a transformer works on AC only",
                      Checker::kind_name(hv->kind), hv->id, Checker::kind_name(lv->kind), lv->id),
          "use a dcdc converter between DC buses, or a rectifier/inverter between AC and DC");
  }
  if (!(t.redundancy.installed >= 1))
    c.fail(t, what, "has no installed unit", "give a redundancy rule such as 2N, or none");
  if (t.r_system_pu || t.x_system_pu) {
    if (!(t.r_system_pu.has_value() && t.x_system_pu.has_value()))
      c.fail(t, what, "system_resistance and system_reactance must be given together", "give both");
    const double r = t.r_system_pu.value_or(0.0), x = t.x_system_pu.value_or(0.0);
    if (!(Checker::finite(r) && Checker::finite(x) && Checker::finite(t.b_system_pu)))
      c.fail(t, what, "per-unit impedance must be finite",
             "check system_resistance, system_reactance and system_susceptance");
    else if (r < 0.0)
      c.warn(t, what,
             "has a negative resistance (a network equivalent, not a physical transformer)",
             "check it if this is meant to be a real transformer");
    if (!(r != 0.0 || x != 0.0)) c.fail(t, what, "has zero impedance", "give its impedance");
    if (!(t.rating_va >= 0.0)) c.fail(t, what, "rating must not be negative", "give the rating");
  } else {
    if (!(t.rating_va > 0.0 && Checker::finite(t.rating_va)))
      c.fail(t, what, "rating must be greater than zero", "give e.g. 'rating: 2.5 MVA'");
    if (!(t.z_pct > 0.0 && t.z_pct < 100.0))
      c.fail(t, what, fmt::format("impedance {} % is outside (0, 100) %", t.z_pct),
             "typically 4-8 %");
    if (t.r_pct)
      if (!(*t.r_pct >= 0.0 && *t.r_pct < t.z_pct))
        c.fail(t, what, "resistance must be at least 0 and below the impedance",
               "check resistance");
    if (t.rating_va > 0.0)
      if (!(t.load_loss_w / t.rating_va * 100.0 < t.z_pct))
        c.fail(t, what, "load loss implies a resistance above the impedance",
               "check load_loss (W at rated current) against rating and impedance");
  }
  if (!(t.load_loss_w >= 0.0 && t.no_load_loss_w >= 0.0))
    c.fail(t, what, "losses must not be negative", "give losses in W");
  if (!(t.tap_ratio > 0.0 && Checker::finite(t.tap_ratio)))
    c.fail(t, what, "tap must be greater than zero", "e.g. 'tap: 1.0'");
  if (!(t.v_hv_rated_v >= 0.0 && t.v_lv_rated_v >= 0.0))
    c.fail(t, what, "rated voltages must not be negative", "give them in V, or leave them out");
  if (!(Checker::finite(t.phase_shift_deg)))
    c.fail(t, what, "phase shift must be finite", "give it in deg");
  c.plausible(t, what, "rating", t.rating_va, Dimension::apparent_power);
  c.plausible(t, what, "hv_voltage", t.v_hv_rated_v, Dimension::voltage);
  c.plausible(t, what, "lv_voltage", t.v_lv_rated_v, Dimension::voltage);
  c.plausible(t, what, "load_loss", t.load_loss_w, Dimension::active_power);
  c.plausible(t, what, "no_load_loss", t.no_load_loss_w, Dimension::active_power);
  c.plausible(t, what, "tap", t.tap_ratio, Dimension::dimensionless);
}

void SwitchElements::check(Checker& c, const Switch& s) {
  constexpr std::string_view what = "switch";
  const Bus* from = c.port(s, what, "from", s.from);
  const Bus* to = c.port(s, what, "to", s.to);
  if (from != nullptr && to != nullptr) {
    if (!(s.from != s.to))
      c.fail(s, what, fmt::format("both ends are on bus '{}'", from->id),
             "connect the two ends to different buses");
    if (!(from->kind == to->kind && Checker::same_nominal_voltage(*from, *to)))
      c.fail(s, what,
             fmt::format("joins bus '{}' ({} {} V) and bus '{}' ({} {} V)", from->id,
                         Checker::kind_name(from->kind), from->nominal_voltage_v, to->id,
                         Checker::kind_name(to->kind), to->nominal_voltage_v),
             "a switch joins buses of one kind and voltage");
  }
  if (!(s.rating_a >= 0.0)) c.fail(s, what, "rating must not be negative", "give it in A");
  c.plausible(s, what, "rating", s.rating_a, Dimension::current);
}

void ConverterElements::check(Checker& checker, const Converter& c) {
  struct Ports {
    std::string_view name;
    BusKind in;
    BusKind out;
  };
  const Ports p = c.type == ConverterType::rectifier  ? Ports{"rectifier", BusKind::ac, BusKind::dc}
                  : c.type == ConverterType::dcdc     ? Ports{"dcdc", BusKind::dc, BusKind::dc}
                  : c.type == ConverterType::inverter ? Ports{"inverter", BusKind::dc, BusKind::ac}
                                                      : Ports{"ups", BusKind::ac, BusKind::ac};
  const std::string_view what =
      c.subtype == ConverterSubtype::none ? p.name : model::name(c.subtype);
  const Bus* in = checker.port(c, what, "input", c.input);
  const Bus* out = checker.port(c, what, "output", c.output);
  if (in != nullptr)
    if (!(in->kind == p.in))
      checker.fail(
          c, what,
          fmt::format("input is on {} bus '{}'; {} input must be {}", Checker::kind_name(in->kind),
                      in->id, p.name, Checker::kind_name(p.in)),
          fmt::format("connect input to an {} bus", Checker::kind_name(p.in)));
  if (out != nullptr)
    if (!(out->kind == p.out))
      checker.fail(
          c, what,
          fmt::format("output is on {} bus '{}'; {} output must be {}",
                      Checker::kind_name(out->kind), out->id, p.name, Checker::kind_name(p.out)),
          fmt::format("connect output to a {} bus", Checker::kind_name(p.out)));
  if (in != nullptr && out != nullptr)
    if (!(c.input != c.output))
      checker.fail(c, what, "input and output are the same bus", "connect them to different buses");
  if (!(c.rating_w > 0.0 && Checker::finite(c.rating_w)))
    checker.fail(c, what, "rating must be greater than zero",
                 "give the output power rating, e.g. 'rating: 3 MW'");
  if (c.efficiency.empty() && c.design_file.empty())
    checker.fail(
        c, what, "has no efficiency",
        "give e.g. 'efficiency: 97.5 %', or 'design: FILE' for losses from device physics");
  for (std::size_t i = 0; i < c.efficiency.size(); ++i) {
    const auto& point = c.efficiency[i];
    if (!(point.efficiency > 0.0 && point.efficiency <= 1.0))
      checker.fail(c, what, fmt::format("efficiency {} is outside (0, 1]", point.efficiency),
                   "give efficiencies as ratios such as 0.975 or 97.5 %");
    if (!(point.load_fraction >= 0.0 && Checker::finite(point.load_fraction)))
      checker.fail(c, what, "efficiency load fractions must not be negative",
                   "use output power / rating");
    if (i > 0)
      if (!(point.load_fraction > c.efficiency[i - 1].load_fraction))
        checker.fail(c, what, "efficiency points are not sorted by increasing load fraction",
                     "sort them and give each load fraction once");
  }
  if (!(c.v_set_pu > 0.0 && Checker::finite(c.v_set_pu)))
    checker.fail(c, what, "voltage set-point must be positive", "e.g. 'voltage: 1.0'");
  if (!(c.redundancy.modules >= 1 && c.redundancy.installed >= c.redundancy.modules))
    checker.fail(c, what,
                 fmt::format("{} installed units for {} modules", c.redundancy.installed,
                             c.redundancy.modules),
                 "give modules >= 1 and a redundancy rule such as N+1");
  if (!(c.standby_loss_w >= 0.0 && Checker::finite(c.standby_loss_w)))
    checker.fail(c, what, "standby loss must not be negative", "e.g. 'standby_loss: 200 W'");
  if (!(Checker::finite(c.p_set_w)))
    checker.fail(c, what, "power set-point must be finite", "give it in W");
  if (!(c.input_power_factor > 0.0 && c.input_power_factor <= 1.0 && c.output_power_factor > 0.0 &&
        c.output_power_factor <= 1.0))
    checker.fail(c, what, "power factors must be in (0, 1]", "e.g. 0.99");
  checker.plausible(c, what, "rating", c.rating_w, Dimension::active_power);
  checker.plausible(c, what, "power", c.p_set_w, Dimension::active_power);
  checker.plausible(c, what, "standby_loss", c.standby_loss_w, Dimension::active_power);
  detail::check_converter_dynamics(checker, c, what, in, out);
}

void LoadElements::check(Checker& c, const Load& l) {
  const std::string_view what = l.model == LoadModel::gpu_rack ? "gpu_rack" : "load";
  const Bus* b = c.port(l, what, "bus", l.bus);
  if (!(Checker::finite(l.p_w) && Checker::finite(l.q_var)))
    c.fail(l, what, "power must be finite", "give it in W");
  if (b != nullptr && b->kind == BusKind::dc)
    if (!(l.q_var == 0.0))
      c.fail(l, what, fmt::format("draws reactive power from DC bus '{}'", b->id),
             "remove reactive_power and power_factor on DC buses");
  if (l.model == LoadModel::zip) {
    const bool each = l.zip_z >= 0.0 && l.zip_i >= 0.0 && l.zip_p >= 0.0;
    if (!(each && std::fabs(l.zip_z + l.zip_i + l.zip_p - 1.0) <= 1e-9))
      c.fail(l, what,
             fmt::format("ZIP fractions {}, {}, {} must be non-negative and sum to 1", l.zip_z,
                         l.zip_i, l.zip_p),
             "e.g. 'zip: [0.2, 0.3, 0.5]'");
  }
  if (l.model == LoadModel::gpu_rack) {
    if (!(l.it_power_w >= 0.0 && Checker::finite(l.it_power_w)))
      c.fail(l, what, "it_power must not be negative", "give the rack's rated IT power");
    if (!(l.idle_fraction >= 0.0 && l.idle_fraction <= 1.0 && l.utilisation >= 0.0 &&
          l.utilisation <= 1.0))
      c.fail(l, what, "idle_fraction and utilisation must be between 0 and 1", "e.g. 0.3 and 1.0");
    c.plausible(l, what, "it_power", l.it_power_w, Dimension::active_power);
  }
  c.plausible(l, what, "power", l.p_w, Dimension::active_power);
  c.plausible(l, what, "reactive_power", l.q_var, Dimension::reactive_power);
}

void StorageElements::check(Checker& c, const Storage& s) {
  constexpr std::string_view what = "storage";
  const Bus* b = c.port(s, what, "bus", s.bus);
  if (!(Checker::finite(s.p_set_w) && Checker::finite(s.q_set_var)))
    c.fail(s, what, "power must be finite", "give it in W");
  if (b != nullptr && b->kind == BusKind::dc)
    if (!(s.q_set_var == 0.0))
      c.fail(s, what, fmt::format("exchanges reactive power with DC bus '{}'", b->id),
             "remove reactive_power on DC buses");
  if (!(s.rating_w >= 0.0 && s.energy_j >= 0.0))
    c.fail(s, what, "rating and energy must not be negative", "give them, or leave them out");
  if (s.rating_w > 0.0)
    if (!(std::fabs(s.p_set_w) <= s.rating_w * (1.0 + 1e-9)))
      c.fail(s, what, fmt::format("power {} W exceeds its rating {} W", s.p_set_w, s.rating_w),
             "lower the power set-point or raise the rating");
  c.plausible(s, what, "power", s.p_set_w, Dimension::active_power);
  c.plausible(s, what, "reactive_power", s.q_set_var, Dimension::reactive_power);
  c.plausible(s, what, "rating", s.rating_w, Dimension::active_power);
  c.plausible(s, what, "energy", s.energy_j, Dimension::energy);
  detail::check_storage_dynamics(c, s);
}

}  // namespace g2g::model

// The builder's section readers: solver settings, buses, and each kind of component.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_set>

#include "g2g/model/kind_support.hpp"

namespace g2g::model::detail {

using core::Dimension;

// ---- Sections -----------------------------------------------------------------------------

void Builder::read_solver(std::uint32_t n, SolverOptions& solver) {
  if (nodes_[n].type != NodeType::map) {
    error_at(n, "solver must be a map of settings", "write e.g. 'solver: {base_power: 1 MVA}'");
    return;
  }
  Fields f(*this, n, *find_section("solver"), "solver", {});
  if (auto v = quantity(f, "base_power", Check::positive)) solver.base_power_va = *v;
  if (auto v = quantity(f, "tolerance", Check::positive)) solver.tolerance_pu = *v;
  if (auto v = integer(f, "max_iterations", 1)) {
    if (*v > 100000) {
      error_at(f.find("max_iterations"), "solver: max_iterations above 100000 is not sensible",
               "a Newton-Raphson power flow converges in well under 50 iterations");
    } else {
      solver.max_iterations = static_cast<int>(*v);
    }
  }
  if (auto v = boolean(f, "flat_start")) solver.flat_start = *v;
}

void Builder::read_buses(std::uint32_t list, std::vector<Bus>& out, std::string_view context,
                         std::vector<std::string>* local_names, std::vector<std::string>& broken) {
  const SectionInfo& section = *find_section("bus");
  std::unordered_set<std::string_view> local_ids;
  for (const std::uint32_t n : Children(doc_, list)) {
    if (nodes_[n].type != NodeType::map) {
      error_at(n, fmt::format("a bus must be a map, not {}", type_name(nodes_[n].type)),
               "write e.g. '- {id: dc800, kind: dc, voltage: 800 V}'");
      continue;
    }
    const std::size_t errors = error_count();
    Fields f(*this, n, section, "bus", context);
    Bus bus;
    const auto id = text(f, "id");
    if (id) f.set_id(*id);
    const auto kind = choice(f, "kind");
    const auto voltage = quantity(f, "voltage", Check::positive);
    const auto v_min = quantity(f, "v_min", Check::positive);
    const auto v_max = quantity(f, "v_max", Check::positive);
    const auto capacitance = quantity(f, "capacitance", Check::non_negative);
    if (kind) bus.kind = *kind == 0 ? BusKind::ac : BusKind::dc;
    if (voltage) bus.nominal_voltage_v = *voltage;
    if (v_min) bus.v_min_pu = *v_min;
    if (v_max) bus.v_max_pu = *v_max;
    if (capacitance) bus.capacitance_f = *capacitance;
    if (v_min && v_max && bus.v_min_pu >= bus.v_max_pu)
      error_at(
          f.find("v_max"),
          fmt::format("{}: v_max {} is not above v_min {}", f.what(), bus.v_max_pu, bus.v_min_pu),
          "v_min must be below v_max, e.g. v_min: 0.95, v_max: 1.05");
    bus.origin = origin(f);
    bus.where = where_of(n);
    if (id && local_names != nullptr) {
      if (id->find('/') != std::string_view::npos)
        error_at(f.find("id"), fmt::format("{}: ids inside templates cannot contain '/'", f.what()),
                 "'/' separates instance paths; use another character such as '_'");
      if (!local_ids.insert(*id).second)
        error_at(f.find("id"), fmt::format("{}: id is used by another bus", f.what()),
                 "give every bus of the template its own id");
    }
    if (error_count() != errors) {
      if (id) broken.emplace_back(*id);
      continue;
    }
    bus.id = std::string(*id);
    if (local_names != nullptr) local_names->push_back(bus.id);
    out.push_back(std::move(bus));
  }
}

void Builder::read_components(Children items, Scope& scope, ModelSpec& out, bool local) {
  std::unordered_set<std::string_view> local_ids;
  for (const std::uint32_t n : items) {
    if (local && nodes_[n].type == NodeType::map) {
      // Ids inside a template must be unique there; elsewhere validate_model checks them all.
      for (const std::uint32_t c : Children(doc_, n)) {
        if (nodes_[c].key_str() != "id" || nodes_[c].type == NodeType::map ||
            nodes_[c].type == NodeType::seq)
          continue;
        if (nodes_[c].str().find('/') != std::string_view::npos)
          error_at(
              c, fmt::format("component id '{}'{} contains '/'", nodes_[c].str(), scope.context()),
              "'/' separates instance paths; use another character such as '_'");
        else if (!local_ids.insert(nodes_[c].str()).second)
          error_at(
              c, fmt::format("component id '{}'{} is used twice", nodes_[c].str(), scope.context()),
              "give every component of the template its own id");
      }
    }
    read_component(n, scope, out);
  }
}

void Builder::read_component(std::uint32_t n, Scope& scope, ModelSpec& out) {
  const Node& v = nodes_[n];
  if (v.type != NodeType::map) {
    error_at(n, fmt::format("a component must be a map, not {}", type_name(v.type)),
             "write e.g. '- {id: load1, type: load, bus: b1, power: 10 kW}'");
    return;
  }
  std::uint32_t type_node = absent;
  for (const std::uint32_t c : Children(doc_, n))
    if (nodes_[c].key_str() == "type") type_node = c;
  auto all_types = [] { return fmt::format("{}", fmt::join(component_type_names(), ", ")); };
  if (type_node == absent) {
    error_at(n, fmt::format("component has no 'type'{}", scope.context()),
             fmt::format("add 'type: ...', one of: {}", all_types()));
    return;
  }
  const std::string_view type = nodes_[type_node].str();
  const SectionInfo* section =
      nodes_[type_node].type == NodeType::string ? find_section(type) : nullptr;
  if (section == nullptr || !section->component) {
    error_at(
        type_node, fmt::format("unknown component type '{}'{}", type, scope.context()),
        did_you_mean(type, component_type_names(), fmt::format("use one of: {}", all_types())));
    return;
  }
  const std::size_t errors = error_count();
  Fields f(*this, n, *section, section->name, scope.context());
  const auto edited = std::equal_range(
      doc_.edited.begin(), doc_.edited.end(), Document::EditedValue{n, {}, 0},
      [](const Document::EditedValue& a, const Document::EditedValue& b) { return a.map < b.map; });
  for (auto e = edited.first; e != edited.second; ++e) f.replace(e->key, e->node);
  current_id_.clear();
  if (const auto id = text(f, "id")) {
    current_id_ = std::string(*id);
    f.set_id(*id);
  }
  const Counts before = Counts::of(out);
  section->read(*this, f, type, scope, out);
  if (error_count() == errors) return;
  // Drop the element just added: it is incomplete. (A kind may add to another kind's list, as a
  // solid-state breaker adds a line.)
  for_each_model_kind([&]<typename K>() {
    auto& elements = K::elements(out);
    if (elements.size() > before.elements[static_cast<std::size_t>(K::kind)]) elements.pop_back();
  });
}

void Builder::reserve_components(Children items, ModelSpec& out) {
  Counts counts;
  for (const std::uint32_t n : items) {
    if (nodes_[n].type != NodeType::map) continue;
    for (const std::uint32_t c : Children(doc_, n)) {
      if (nodes_[c].key_str() != "type") continue;
      if (const SectionInfo* section = find_section(nodes_[c].str());
          section != nullptr && section->component)
        ++counts.elements[static_cast<std::size_t>(section->element_kind)];
      break;
    }
  }
  for_each_model_kind([&]<typename K>() {
    K::elements(out).reserve(counts.elements[static_cast<std::size_t>(K::kind)]);
  });
}

Redundancy Builder::redundancy(Fields& f, int modules) {
  Redundancy r;
  r.modules = modules;
  r.installed = modules;
  const auto rule = text(f, "redundancy");
  if (!rule) return r;
  std::string problem;
  const int installed = installed_units(*rule, modules, &problem);
  if (installed == 0) {
    error_at(f.find("redundancy"), fmt::format("{}: {}", f.what(), problem),
             "e.g. 'redundancy: N+1' (with modules: N), '2N', or '4N/3' (with modules: 3)");
    return r;
  }
  r.rule = std::string(*rule);
  r.installed = installed;
  return r;
}

std::optional<double> Builder::reactive_power(Fields& f, double p_w) {
  if (f.has("reactive_power") && f.has("power_factor")) {
    error_at(f.find("power_factor"),
             fmt::format("{}: give reactive_power or power_factor, not "
                         "both",
                         f.what()),
             "remove one of them");
    return std::nullopt;
  }
  if (f.has("reactive_power")) return quantity(f, "reactive_power");
  if (auto pf = quantity(f, "power_factor", Check::fraction))
    return p_w * std::sqrt(1.0 - *pf * *pf) / *pf;
  return 0.0;
}

}  // namespace g2g::model::detail

// ---- Component kinds: K::read (element_kinds.hpp) -------------------------------------------

namespace g2g::model {

using detail::Builder;
using detail::Check;
using detail::default_reactance_per_m;
using detail::example_of;
using detail::Fields;
using detail::Scope;

namespace {

void read_gpu_rack(Builder& b, Fields& f, Scope& scope, ModelSpec& out) {
  Load l;
  l.model = LoadModel::gpu_rack;
  l.id = b.current_id();
  l.bus = b.bus(f, "bus", scope);
  if (auto v = b.quantity(f, "it_power", Check::non_negative)) l.it_power_w = *v;
  if (auto v = b.quantity(f, "idle_fraction", Check::unit_interval)) l.idle_fraction = *v;
  if (auto v = b.quantity(f, "utilisation", Check::unit_interval)) l.utilisation = *v;
  l.p_w = nominal_load_power_w(l);
  if (auto q = b.reactive_power(f, l.p_w)) l.q_var = *q;
  b.read_common(f, l);
  out.loads.push_back(std::move(l));
}

}  // namespace

void SourceElements::read(Builder& b, Fields& f, std::string_view type, Scope& scope,
                          ModelSpec& out) {
  Source s;
  s.type = type == "utility"     ? SourceType::utility
           : type == "generator" ? SourceType::generator
                                 : SourceType::dc_source;
  s.id = b.current_id();
  s.bus = b.bus(f, "bus", scope);
  if (auto v = b.quantity(f, "voltage", Check::positive)) s.v_set_pu = *v;
  if (s.type == SourceType::utility)
    if (auto v = b.quantity(f, "angle")) s.angle_deg = *v;
  if (s.type == SourceType::generator) {
    if (auto v = b.quantity(f, "power")) s.p_set_w = *v;
    const auto q_min = b.quantity(f, "q_min");
    const auto q_max = b.quantity(f, "q_max");
    if (q_min) s.q_min_var = *q_min;
    if (q_max) s.q_max_var = *q_max;
    if (q_min && q_max && *q_min > *q_max)
      b.error_at(f.find("q_max"), fmt::format("{}: q_max is below q_min", f.what()),
                 "swap q_min and q_max");
  }
  if (auto v = b.quantity(f, "rating", Check::non_negative)) s.rating_va = *v;
  detail::read_source_dynamics(b, f, s);
  b.read_common(f, s);
  out.sources.push_back(std::move(s));
}

void LineElements::read(Builder& b, Fields& f, std::string_view type, Scope& scope,
                        ModelSpec& out) {
  Line l;
  l.type = type == "cable"    ? LineType::cable
           : type == "busbar" ? LineType::busbar
                              : LineType::overhead;
  l.reactance_ohm_per_m = default_reactance_per_m(l.type);
  l.id = b.current_id();
  l.from = b.bus(f, "from", scope);
  l.to = b.bus(f, "to", scope);
  if (auto v = b.choice(f, "material"))
    l.material = *v == 0 ? Material::copper : Material::aluminium;
  const bool explicit_r = f.has("resistance");
  if (!explicit_r) {
    for (const std::string_view geometry : {"cross_section", "length"})
      if (!f.has(geometry))
        b.error_at(f.map(), fmt::format("{} has no '{}'", f.what(), geometry),
                   fmt::format("add '{}: {}', or give the impedance directly with 'resistance: "
                               "12 mohm'",
                               geometry, example_of(f.info(geometry))));
  }
  if (f.has("reactance") && !explicit_r)
    b.error_at(f.find("reactance"),
               fmt::format("{}: reactance is given without resistance", f.what()),
               "give both resistance and reactance, or neither and use reactance_per_length");
  if (auto v = b.quantity(f, "cross_section", Check::positive)) {
    // The largest busbars are about 0.01 m2; a bare "240" meant mm2.
    if (*v > 0.1) {
      // Only a bare number can have meant mm2; one written with a unit is simply too large.
      const std::string_view written = b.node(f.find("cross_section")).str();
      const bool bare = written.find_first_not_of("0123456789.eE+- ") == std::string_view::npos;
      b.error_at(f.find("cross_section"),
                 fmt::format("{}: cross_section {} m2 is not plausible", f.what(), *v),
                 bare ? fmt::format("a number without a unit is in m2: write '{} mm2'", written)
                      : std::string("the largest busbars are about 10 000 mm2; check the value"));
    } else
      l.cross_section_m2 = *v;
  }
  if (auto v = b.quantity(f, "length", Check::positive)) l.length_m = *v;
  if (auto v = b.integer(f, "conductors_per_pole", 1))
    l.conductors_per_pole =
        static_cast<int>(std::min<std::int64_t>(*v, std::numeric_limits<int>::max()));
  if (auto v = b.integer(f, "parallel_runs", 1))
    l.parallel_runs = static_cast<int>(std::min<std::int64_t>(*v, std::numeric_limits<int>::max()));
  if (auto v = b.boolean(f, "neutral_conductor")) l.neutral_conductor = *v;
  if (auto v = b.quantity(f, "temperature")) {
    if (*v < -100.0 || *v > 400.0)
      b.error_at(f.find("temperature"),
                 fmt::format("{}: conductor temperature {} °C is not plausible", f.what(), *v),
                 "give the conductor operating temperature, e.g. 70 °C (PVC) or 90 °C (XLPE)");
    else
      l.temperature_c = *v;
  }
  if (auto v = b.quantity(f, "reactance_per_length", Check::non_negative))
    l.reactance_ohm_per_m = *v;
  // A reduced network's equivalent branch (PEGASE, imported from MATPOWER) may have a negative
  // series resistance: validation warns of it, write_yaml writes it, and it must read back. A
  // breaker's on-resistance is physical and never negative.
  if (auto v = b.quantity(f, "resistance",
                          l.type == LineType::breaker ? Check::non_negative : Check::none))
    l.r_ohm = *v;
  if (auto v = b.quantity(f, "reactance")) l.x_ohm = *v;
  if (l.r_ohm && *l.r_ohm == 0.0 && l.x_ohm.value_or(0.0) == 0.0)
    b.error_at(f.find("resistance"), fmt::format("{} has zero impedance", f.what()),
               "a 0-ohm connection is a breaker: use 'type: breaker', or give the real resistance");
  if (auto v = b.quantity(f, "charging")) l.b_total_s = *v;
  if (auto v = b.quantity(f, "ampacity", Check::non_negative)) l.ampacity_a = *v;
  if (f.knows("inductance_per_length"))
    if (auto v = b.quantity(f, "inductance_per_length", Check::positive)) l.inductance_h_per_m = *v;
  b.read_common(f, l);
  out.lines.push_back(std::move(l));
}

void TransformerElements::read(Builder& b, Fields& f, std::string_view /*type*/, Scope& scope,
                               ModelSpec& out) {
  Transformer t;
  t.id = b.current_id();
  t.hv = b.bus(f, "hv", scope);
  t.lv = b.bus(f, "lv", scope);
  const bool system = f.has("system_resistance") || f.has("system_reactance");
  if (system) {
    for (const std::string_view k : {"system_resistance", "system_reactance"})
      if (!f.has(k))
        b.error_at(f.map(), fmt::format("{} has no '{}'", f.what(), k),
                   "give system_resistance and system_reactance together");
  } else {
    for (const std::string_view k : {"rating", "impedance"})
      if (!f.has(k))
        b.error_at(
            f.map(), fmt::format("{} has no '{}'", f.what(), k),
            fmt::format("add '{}: {}' ({})", k, example_of(f.info(k)), f.info(k).description));
  }
  if (auto v = b.quantity(f, "rating", system ? Check::non_negative : Check::positive))
    t.rating_va = *v;
  if (auto v = b.quantity(f, "hv_voltage", Check::positive)) t.v_hv_rated_v = *v;
  if (auto v = b.quantity(f, "lv_voltage", Check::positive)) t.v_lv_rated_v = *v;
  if (auto v = b.percent(f, "impedance", Check::positive)) t.z_pct = *v;
  if (auto v = b.percent(f, "resistance", Check::non_negative)) t.r_pct = *v;
  if (t.r_pct && f.has("impedance") && *t.r_pct >= t.z_pct)
    b.error_at(
        f.find("resistance"),
        fmt::format("{}: resistance {} % is not below impedance {} %", f.what(), *t.r_pct, t.z_pct),
        "the resistance is part of the impedance, so it must be smaller");
  if (auto v = b.quantity(f, "load_loss", Check::non_negative)) t.load_loss_w = *v;
  if (auto v = b.quantity(f, "no_load_loss", Check::non_negative)) t.no_load_loss_w = *v;
  if (auto v = b.quantity(f, "tap", Check::positive)) t.tap_ratio = *v;
  if (auto v = b.quantity(f, "phase_shift")) t.phase_shift_deg = *v;
  if (auto v = b.quantity(f, "system_resistance")) t.r_system_pu = *v;
  if (auto v = b.quantity(f, "system_reactance")) t.x_system_pu = *v;
  if (auto v = b.quantity(f, "system_susceptance")) t.b_system_pu = *v;
  t.redundancy = b.redundancy(f, 1);
  b.read_common(f, t);
  out.transformers.push_back(std::move(t));
}

void SwitchElements::read(Builder& b, Fields& f, std::string_view /*type*/, Scope& scope,
                          ModelSpec& out) {
  Switch s;
  s.id = b.current_id();
  s.from = b.bus(f, "from", scope);
  s.to = b.bus(f, "to", scope);
  if (auto v = b.boolean(f, "closed")) s.closed = *v;
  if (auto v = b.quantity(f, "rating", Check::non_negative)) s.rating_a = *v;
  b.read_common(f, s);
  // A solid-state breaker conducts through semiconductors: in steady state it is a resistive
  // branch (LineType::breaker) rather than a joint. Open, it is that branch out of service.
  // on_resistance: 0 is an ideal joint (a hybrid breaker's mechanical path).
  std::optional<Trip> trip;
  if (f.has("trip")) {
    trip = b.trip(f, "trip");
    // A protection device carries its current as a state: it is never a joint.
    if (!f.has("on_resistance"))
      b.error_at(f.find("trip"), fmt::format("{} has a trip but no on_resistance", f.what()),
                 "add its on-state resistance (loop, both poles), e.g. 'on_resistance: 0.2 "
                 "mohm': a protection device conducts through it and is not merged into a node");
  }
  if (auto r = b.quantity(f, "on_resistance", Check::non_negative); r && (*r > 0.0 || trip)) {
    if (trip && !(*r > 0.0))
      b.error_at(f.find("on_resistance"),
                 fmt::format("{}: a breaker with a trip needs on_resistance > 0", f.what()),
                 "give the device's on-state resistance (datasheet: loss at rated current / "
                 "rated current squared)");
    Line l;
    l.type = LineType::breaker;
    l.id = s.id;
    l.from = s.from;
    l.to = s.to;
    l.r_ohm = *r;
    l.x_ohm = 0.0;
    l.reactance_ohm_per_m = 0.0;
    l.ampacity_a = s.rating_a;
    l.in_service = s.closed;
    l.where = s.where;
    l.origin = s.origin;
    if (trip) {
      l.trip = static_cast<std::int32_t>(out.trips.size());
      out.trips.push_back(std::move(*trip));
    }
    out.lines.push_back(std::move(l));
    return;
  }
  out.switches.push_back(std::move(s));
}

void ConverterElements::read(Builder& b, Fields& f, std::string_view type, Scope& scope,
                             ModelSpec& out) {
  Converter c;
  c.type = type == "dcdc"       ? ConverterType::dcdc
           : type == "inverter" ? ConverterType::inverter
           : type == "ups"      ? ConverterType::ups
                                : ConverterType::rectifier;
  if (type == "psu") c.subtype = ConverterSubtype::psu;
  if (type == "sst") c.subtype = ConverterSubtype::sst;
  c.id = b.current_id();
  c.input = b.bus(f, "input", scope);
  c.output = b.bus(f, "output", scope);
  if (auto v = b.quantity(f, "rating", Check::positive)) c.rating_w = *v;
  if (auto v = b.efficiency(f, "efficiency")) c.efficiency = std::move(*v);
  if (auto v = b.text(f, "design")) c.design_file = std::string(*v);
  if (auto v = b.integer(f, "modules", 1))
    c.redundancy.modules = static_cast<int>(std::min<std::int64_t>(*v, 1'000'000));
  c.redundancy = b.redundancy(f, c.redundancy.modules);
  if (auto v = b.quantity(f, "standby_loss", Check::non_negative)) c.standby_loss_w = *v;
  if (f.has("design") && f.has("efficiency"))
    b.error_at(f.find("design"), fmt::format("{} has both a design and an efficiency", f.what()),
               "keep one: design computes the efficiency from device physics");
  if (auto v = b.choice(f, "control"))
    c.control = *v == 0 ? ConverterControl::voltage : ConverterControl::power;
  if (c.control == ConverterControl::power) {
    if (f.has("voltage"))
      b.error_at(f.find("voltage"),
                 fmt::format("{}: voltage is a set-point for control: voltage, "
                             "but this converter has control: power",
                             f.what()),
                 "remove voltage, or use control: voltage");
    if (!f.has("power"))
      b.error_at(f.map(), fmt::format("{} has control: power but no 'power'", f.what()),
                 "add 'power: 100 kW', the output power it delivers");
  } else if (f.has("power")) {
    b.error_at(f.find("power"), fmt::format("{}: power is used only with control: power", f.what()),
               "remove power, or add 'control: power'");
  }
  if (auto v = b.quantity(f, "voltage", Check::positive)) c.v_set_pu = *v;
  if (auto v = b.quantity(f, "power")) c.p_set_w = *v;
  if (auto v = b.quantity(f, "power_factor", Check::fraction)) c.input_power_factor = *v;
  if (auto v = b.quantity(f, "output_power_factor", Check::fraction)) c.output_power_factor = *v;
  if (f.knows("subtype") && f.has("subtype"))
    if (auto v = b.choice(f, "subtype")) c.subtype = converter_subtypes[*v];
  detail::read_converter_dynamics(b, f, c);
  b.read_common(f, c);
  out.converters.push_back(std::move(c));
}

void LoadElements::read(Builder& b, Fields& f, std::string_view type, Scope& scope,
                        ModelSpec& out) {
  if (type == "gpu_rack") {
    read_gpu_rack(b, f, scope, out);
    return;
  }
  Load l;
  l.id = b.current_id();
  l.bus = b.bus(f, "bus", scope);
  if (auto v = b.choice(f, "model")) {
    constexpr std::array models{LoadModel::constant_power, LoadModel::constant_current,
                                LoadModel::constant_impedance, LoadModel::zip};
    l.model = models[*v];
  }
  if (auto v = b.quantity(f, "power")) l.p_w = *v;
  if (auto q = b.reactive_power(f, l.p_w)) l.q_var = *q;
  if (l.model == LoadModel::zip) {
    if (auto z = b.zip(f, "zip")) {
      l.zip_z = (*z)[0];
      l.zip_i = (*z)[1];
      l.zip_p = (*z)[2];
    } else if (!f.has("zip")) {
      b.error_at(f.map(), fmt::format("{} has model: zip but no 'zip' fractions", f.what()),
                 "add e.g. 'zip: [0.2, 0.3, 0.5]' (constant impedance, current, power)");
    }
  } else if (f.has("zip")) {
    b.error_at(f.find("zip"),
               fmt::format("{}: zip fractions are used only with model: zip", f.what()),
               "add 'model: zip', or remove zip");
  }
  b.read_common(f, l);
  out.loads.push_back(std::move(l));
}

void StorageElements::read(Builder& b, Fields& f, std::string_view /*type*/, Scope& scope,
                           ModelSpec& out) {
  Storage s;
  s.id = b.current_id();
  s.bus = b.bus(f, "bus", scope);
  if (auto v = b.quantity(f, "power")) s.p_set_w = *v;
  if (auto v = b.quantity(f, "reactive_power")) s.q_set_var = *v;
  if (auto v = b.quantity(f, "rating", Check::non_negative)) s.rating_w = *v;
  if (auto v = b.quantity(f, "energy", Check::non_negative)) s.energy_j = *v;
  detail::read_storage_dynamics(b, f, s);
  b.read_common(f, s);
  out.storage.push_back(std::move(s));
}

}  // namespace g2g::model

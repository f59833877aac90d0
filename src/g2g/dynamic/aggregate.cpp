#include "g2g/dynamic/aggregate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "g2g/model/element_kinds.hpp"
#include "g2g/model/loader.hpp"

namespace g2g::dynamic {

void scale_in_parallel(model::Storage& s, double k) {
  s.p_set_w *= k;
  s.q_set_var *= k;
  s.rating_w *= k;
  s.energy_j *= k;
  if (s.capacity_c) s.capacity_c = *s.capacity_c * k;
  if (s.capacitance_f) s.capacitance_f = *s.capacitance_f * k;
  if (s.esr_ohm) s.esr_ohm = *s.esr_ohm / k;
  if (s.internal_resistance_ohm) s.internal_resistance_ohm = *s.internal_resistance_ohm / k;
  if (s.rc_pair) {
    s.rc_pair->resistance_ohm /= k;
    s.rc_pair->capacitance_f *= k;
  }
  if (s.max_power_w) s.max_power_w = *s.max_power_w * k;
  if (s.max_current_a) s.max_current_a = *s.max_current_a * k;
  if (s.bus_current_limit_a) s.bus_current_limit_a = *s.bus_current_limit_a * k;
}

namespace {

using model::BusIndex;

// k identical copies in parallel, as one element.
void scale(model::Bus& b, double k) {
  if (b.capacitance_f) b.capacitance_f = *b.capacitance_f * k;
}
void scale(model::Source& s, double k) {
  s.p_set_w *= k;
  s.rating_va *= k;
  if (s.short_circuit_power_va) s.short_circuit_power_va = *s.short_circuit_power_va * k;
}
void scale(model::Line& l, double k) {
  // parallel_runs scales the geometry's resistance, reactance and loop inductance.
  l.parallel_runs = static_cast<int>(l.parallel_runs * k);
  if (l.r_ohm) l.r_ohm = *l.r_ohm / k;
  if (l.x_ohm) l.x_ohm = *l.x_ohm / k;
  l.b_total_s *= k;
  l.ampacity_a *= k;
}
// k protection devices in parallel carry k times the current: currents and their rates times k,
// I^2 t times k^2, resistances and inductance over k; voltages, times and multiples unchanged.
void scale(model::Trip& t, double k) {
  t.pickup_a *= k;
  t.di_dt_pickup_a_per_s *= k;
  t.rated_current_a *= k;
  t.pre_arcing_i2t_a2s *= k * k;
  t.clearing_i2t_a2s *= k * k;
  t.clamp_resistance_ohm /= k;
  t.off_resistance_ohm /= k;
  t.inductance_h /= k;
}
void scale(model::Transformer& t, double k) {
  t.rating_va *= k;
  t.load_loss_w *= k;
  t.no_load_loss_w *= k;
  if (t.r_system_pu) t.r_system_pu = *t.r_system_pu / k;
  if (t.x_system_pu) t.x_system_pu = *t.x_system_pu / k;
  t.b_system_pu *= k;
}
void scale(model::Switch& s, double k) {
  s.rating_a *= k;
}
void scale(model::Converter& c, double k) {
  c.rating_w *= k;
  c.p_set_w *= k;
  c.standby_loss_w *= k;
  auto& d = c.dynamics;
  if (d.output_capacitance_f) d.output_capacitance_f = *d.output_capacitance_f * k;
  if (d.input_capacitance_f) d.input_capacitance_f = *d.input_capacitance_f * k;
  if (d.output_esr_ohm) d.output_esr_ohm = *d.output_esr_ohm / k;
  if (d.input_esr_ohm) d.input_esr_ohm = *d.input_esr_ohm / k;
  if (d.current_limit && !d.current_limit->of_rated) d.current_limit->value *= k;
  if (d.ramp_rate_w_per_s) d.ramp_rate_w_per_s = *d.ramp_rate_w_per_s * k;
}
void scale(model::Load& l, double k) {
  l.p_w *= k;
  l.q_var *= k;
  l.it_power_w *= k;
}
void scale(model::Storage& s, double k) {
  scale_in_parallel(s, k);
}
void scale(model::Shunt& s, double k) {
  s.q_rated_var *= k;
  s.loss_w *= k;
}

struct Instance {
  std::string path;
  std::int32_t parent = -1;  // origin index, -1: top level
  std::vector<std::int32_t> children;
  std::vector<BusIndex> buses;       // its own
  std::string local;                 // its own elements and buses, canonical
  std::vector<BusIndex> attachment;  // the outside buses its elements name, in order
  std::string signature;             // local + drives + children
};

std::string canonical_id(const std::vector<BusIndex>& own, std::vector<BusIndex>& outside,
                         BusIndex bus) {
  const auto at = std::find(own.begin(), own.end(), bus);
  if (at != own.end()) return fmt::format("i{}", at - own.begin());
  auto out = std::find(outside.begin(), outside.end(), bus);
  if (out == outside.end()) out = outside.insert(outside.end(), bus);
  return fmt::format("e{}", out - outside.begin());
}

}  // namespace

AggregatedModel aggregate_identical_instances(const model::ModelSpec& model,
                                              const LoadPowers& powers,
                                              std::span<const std::int32_t> distinct) {
  const auto origin_count = model.origins.size();
  std::vector<Instance> instances(origin_count);
  std::map<std::string_view, std::int32_t> by_path;
  for (std::size_t o = 0; o < origin_count; ++o) {
    instances[o].path = model.origins[o].instance_path;
    by_path.emplace(model.origins[o].instance_path, static_cast<std::int32_t>(o));
  }
  for (std::size_t o = 0; o < origin_count; ++o) {
    const auto slash = instances[o].path.rfind('/');
    if (slash == std::string::npos) continue;
    const auto parent = by_path.find(std::string_view(instances[o].path).substr(0, slash));
    if (parent == by_path.end()) continue;
    instances[o].parent = parent->second;
    instances[static_cast<std::size_t>(parent->second)].children.push_back(
        static_cast<std::int32_t>(o));
  }
  for (std::size_t b = 0; b < model.buses.size(); ++b)
    if (model.buses[b].origin >= 0)
      instances[static_cast<std::size_t>(model.buses[b].origin)].buses.push_back(
          static_cast<BusIndex>(b));

  // Each instance's own part as a model of its own, written by the YAML writer with canonical
  // ids: own buses i0, i1, ...; outside buses e0, e1, ... in the order its elements name them.
  std::vector<model::ModelSpec> parts(origin_count);
  std::vector<std::string> drives(origin_count);
  model::for_each_model_kind([&]<typename K>() {
    const auto& elements = K::elements(model);
    for (std::size_t i = 0; i < elements.size(); ++i) {
      auto element = elements[i];
      if (element.origin < 0) continue;
      const auto o = static_cast<std::size_t>(element.origin);
      element.id = fmt::format("x{}", K::elements(parts[o]).size());
      element.origin = model::no_origin;
      element.where = {};
      if constexpr (std::is_same_v<typename K::Element, model::Line>) {
        // A breaker's settings belong to its signature: the part holds its own copy.
        if (const model::Trip* trip = model::trip_of(model, element)) {
          element.trip = static_cast<std::int32_t>(parts[o].trips.size());
          parts[o].trips.push_back(*trip);
        }
      }
      for (auto* port : K::ports(element))
        if (*port >= 0) {
          const std::string id = canonical_id(instances[o].buses, instances[o].attachment, *port);
          auto& buses = parts[o].buses;
          auto found = std::find_if(buses.begin(), buses.end(),
                                    [&](const model::Bus& b) { return b.id == id; });
          if (found == buses.end()) {
            model::Bus bus = model.buses[static_cast<std::size_t>(*port)];
            bus.id = id;
            bus.origin = model::no_origin;
            bus.where = {};
            buses.push_back(std::move(bus));
            found = buses.end() - 1;
          }
          *port = static_cast<BusIndex>(found - buses.begin());
        }
      if constexpr (std::is_same_v<typename K::Element, model::Load>) {
        const std::int32_t f = powers.function_of_load.empty() ? -1 : powers.function_of_load[i];
        drives[o] += fmt::format(" {}", f);
      }
      K::elements(parts[o]).push_back(std::move(element));
    }
  });
  // Own buses no element names are part of the instance too.
  for (std::size_t o = 0; o < origin_count; ++o) {
    for (std::size_t k = 0; k < instances[o].buses.size(); ++k) {
      const std::string id = fmt::format("i{}", k);
      auto& buses = parts[o].buses;
      if (std::none_of(buses.begin(), buses.end(),
                       [&](const model::Bus& b) { return b.id == id; })) {
        model::Bus bus = model.buses[static_cast<std::size_t>(instances[o].buses[k])];
        bus.id = id;
        bus.origin = model::no_origin;
        bus.where = {};
        buses.push_back(std::move(bus));
      }
    }
    instances[o].local = model::write_yaml(parts[o]) + "drives:" + drives[o];
  }
  // A distinct instance's own path in its signature sets it (and, through the children's
  // signatures, its ancestors) apart from every sibling.
  for (const std::int32_t o : distinct) {
    if (o < 0 || static_cast<std::size_t>(o) >= origin_count)
      throw std::invalid_argument(fmt::format("aggregation: no template instance {}", o));
    auto& instance = instances[static_cast<std::size_t>(o)];
    instance.local += "\ndistinct: " + instance.path;
  }
  // Signatures bottom up: deeper paths first.
  std::vector<std::size_t> order(origin_count);
  for (std::size_t o = 0; o < origin_count; ++o) order[o] = o;
  const auto depth = [&](std::size_t o) {
    return std::count(instances[o].path.begin(), instances[o].path.end(), '/');
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return depth(a) > depth(b); });
  for (const std::size_t o : order) {
    auto& instance = instances[o];
    std::vector<std::string> children;
    for (const auto c : instance.children) {
      const auto& child = instances[static_cast<std::size_t>(c)];
      std::string attached;
      for (const BusIndex bus : child.attachment) {
        const auto at = std::find(instance.buses.begin(), instance.buses.end(), bus);
        attached += at != instance.buses.end() ? fmt::format(" i{}", at - instance.buses.begin())
                                               : fmt::format(" b{}", bus);
      }
      children.push_back(child.signature + "@" + attached);
    }
    std::sort(children.begin(), children.end());
    instance.signature = instance.local;
    for (const auto& child : children) instance.signature += "\n<child>" + child;
  }

  // Lump top down: among siblings, those with the same signature attached to the same buses.
  std::vector<double> factor(origin_count, 1.0);
  std::vector<bool> removed(origin_count, false);
  std::size_t kept = 0;
  std::vector<std::int32_t> level;
  for (std::size_t o = 0; o < origin_count; ++o)
    if (instances[o].parent < 0) level.push_back(static_cast<std::int32_t>(o));
  while (!level.empty()) {
    std::vector<std::int32_t> next;
    std::map<std::pair<std::string_view, std::vector<BusIndex>>, std::int32_t> first;
    for (const auto o : level) {
      const auto& instance = instances[static_cast<std::size_t>(o)];
      const double inherited =
          instance.parent < 0 ? 1.0 : factor[static_cast<std::size_t>(instance.parent)];
      const auto [at, inserted] = first.try_emplace({instance.signature, instance.attachment}, o);
      if (inserted) {
        factor[static_cast<std::size_t>(o)] = inherited;
        ++kept;
        next.insert(next.end(), instance.children.begin(), instance.children.end());
      } else {
        factor[static_cast<std::size_t>(at->second)] += inherited;
        removed[static_cast<std::size_t>(o)] = true;
      }
    }
    // A removed instance's children go with it; the kept ones' children are the next level,
    // once their factors are final.
    std::vector<std::int32_t> children;
    for (const auto c : next)
      if (!removed[static_cast<std::size_t>(instances[static_cast<std::size_t>(c)].parent)])
        children.push_back(c);
    level = std::move(children);
  }
  // Descendants of a removed instance are removed; the factor of a kept one multiplies down.
  for (const std::size_t o : std::vector<std::size_t>(order.rbegin(), order.rend())) {
    const auto parent = instances[o].parent;
    if (parent < 0) continue;
    if (removed[static_cast<std::size_t>(parent)]) {
      removed[o] = true;
    }
  }

  AggregatedModel out;
  out.instances_before = origin_count;
  out.instances_after = kept;
  model::ModelSpec& m = out.model;
  m = model;
  // Buses: keep, scale, renumber.
  std::vector<BusIndex> new_bus(model.buses.size(), model::no_bus);
  m.buses.clear();
  for (std::size_t b = 0; b < model.buses.size(); ++b) {
    const auto o = model.buses[b].origin;
    if (o >= 0 && removed[static_cast<std::size_t>(o)]) continue;
    new_bus[b] = static_cast<BusIndex>(m.buses.size());
    m.buses.push_back(model.buses[b]);
    if (o >= 0) scale(m.buses.back(), factor[static_cast<std::size_t>(o)]);
  }
  std::map<std::pair<std::int32_t, double>, std::int32_t> scaled_functions;
  out.powers.functions = powers.functions;
  model::for_each_model_kind([&]<typename K>() {
    const auto& elements = K::elements(model);
    auto& kept_elements = K::elements(m);
    kept_elements.clear();
    for (std::size_t i = 0; i < elements.size(); ++i) {
      const auto o = elements[i].origin;
      if (o >= 0 && removed[static_cast<std::size_t>(o)]) continue;
      auto element = elements[i];
      const double k = o >= 0 ? factor[static_cast<std::size_t>(o)] : 1.0;
      for (auto* port : K::ports(element))
        if (*port >= 0) {
          *port = new_bus[static_cast<std::size_t>(*port)];
          if (*port < 0)
            throw std::logic_error(
                fmt::format("aggregation: element '{}' names a bus of a "
                            "lumped instance",
                            element.id));
        }
      if (k != 1.0) scale(element, k);
      if constexpr (std::is_same_v<typename K::Element, model::Line>) {
        // Scaled as a copy of its own: the settings may be shared with other lines.
        if (k != 1.0 && element.trip >= 0) {
          model::Trip trip = m.trips[static_cast<std::size_t>(element.trip)];
          scale(trip, k);
          element.trip = static_cast<std::int32_t>(m.trips.size());
          m.trips.push_back(trip);
        }
      }
      if constexpr (std::is_same_v<typename K::Element, model::Load>) {
        std::int32_t f = powers.function_of_load.empty() ? -1 : powers.function_of_load[i];
        if (f >= 0 && k != 1.0) {
          const auto [at, inserted] = scaled_functions.try_emplace({f, k}, -1);
          if (inserted) {
            std::vector<Breakpoint> points = powers.functions[static_cast<std::size_t>(f)].points();
            for (auto& p : points) p.value *= k;
            at->second = out.powers.add(PiecewiseLinear(std::move(points)));
          }
          f = at->second;
        }
        out.powers.function_of_load.push_back(f);
        out.load_multiplicity.push_back(static_cast<std::size_t>(k));
      }
      kept_elements.push_back(std::move(element));
    }
  });
  out.label = fmt::format("phase groups: {} template instances lumped into {}", origin_count, kept);
  return out;
}

}  // namespace g2g::dynamic

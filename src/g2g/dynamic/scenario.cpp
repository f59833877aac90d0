// A scenario placed on a model (docs/scenario-format.md, "Resolution"): patterns matched against
// element ids and template instance paths, phase groups, smoothing scaled to the rack.
#include "g2g/dynamic/scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>
#include <unordered_map>

#include "g2g/core/fields.hpp"
#include "g2g/model/element_kinds.hpp"

namespace g2g::dynamic {
namespace {

constexpr std::array<std::string_view, 6> quantity_names{"v", "p", "i", "soc", "u", "f"};

// `*` matches any run of characters within one segment (no '/' in a segment here).
bool matches_segment(std::string_view pattern, std::string_view text) noexcept {
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// An id with every "[n]" written "[*]": the pattern naming all of its instances, for "did you
// mean" ("row[2]/rack[5]/gpus" -> "row[*]/rack[*]/gpus").
std::string instance_shape(std::string_view id) {
  std::string out;
  out.reserve(id.size());
  for (std::size_t k = 0; k < id.size(); ++k) {
    out.push_back(id[k]);
    if (id[k] != '[') continue;
    std::size_t end = k + 1;
    while (end < id.size() && id[end] >= '0' && id[end] <= '9') ++end;
    if (end > k + 1 && end < id.size() && id[end] == ']') {
      out.push_back('*');
      k = end - 1;
    }
  }
  return out;
}

// Every element id of the model with what it is ("bus", "load", "converter", ...).
struct NamedElement {
  std::string_view id;
  std::string_view kind;
  std::size_t index = 0;  // in its kind's list
};

std::vector<NamedElement> every_element(const model::ModelSpec& m) {
  std::vector<NamedElement> out;
  for (std::size_t k = 0; k < m.buses.size(); ++k) out.push_back({m.buses[k].id, "bus", k});
  model::for_each_model_kind([&]<typename K>() {
    const auto& elements = K::elements(m);
    for (std::size_t k = 0; k < elements.size(); ++k) out.push_back({elements[k].id, K::name, k});
  });
  return out;
}

class Resolver {
 public:
  Resolver(const Scenario& s, const model::ModelSpec& m)
      : scenario_(s), model_(m), elements_(every_element(m)) {}

  ResolvedScenario run() {
    ResolvedScenario r;
    r.load_profiles.resize(model_.loads.size());
    r.load_smoothing.resize(model_.loads.size());
    r.storage_control.resize(model_.storage.size());
    for (std::size_t a = 0; a < scenario_.profiles.size(); ++a) profile(a, r);
    for (const SmoothingAssignment& a : scenario_.smoothing) smoothing(a, r);
    for (std::size_t a = 0; a < scenario_.storage.size(); ++a) storage(a, r);
    for (const InputLoss& loss : scenario_.input_loss)
      r.input_loss_converters.push_back(named(loss.converters, "converter", "input_loss", false));
    for (const Fault& fault : scenario_.faults) r.fault_places.push_back(place(fault));
    if (scenario_.record)
      for (const SignalRequest& signal : scenario_.record->signals) check_signal(signal);
    if (problems_.has_errors()) throw core::ModelError(std::move(problems_));
    return r;
  }

 private:
  // The indices (in its kind's list) of the elements of `kind` the patterns name; a pattern that
  // names none of that kind is reported: as another kind when it names some, else with a "did
  // you mean". For loads, `gpu_racks_only` refuses any other load model.
  std::vector<std::size_t> named(const std::vector<ElementPattern>& patterns, std::string_view kind,
                                 std::string_view what, bool gpu_racks_only) {
    std::vector<std::size_t> out;
    std::vector<char> taken(elements_.size(), 0);  // named by an earlier pattern of the list
    for (const ElementPattern& pattern : patterns) {
      std::size_t found = 0;
      std::vector<const NamedElement*> others;
      for (std::size_t j = 0; j < elements_.size(); ++j) {
        const NamedElement& e = elements_[j];
        if (!matches_pattern(pattern.text, e.id)) continue;
        if (e.kind != kind) {
          others.push_back(&e);
          continue;
        }
        if (gpu_racks_only && model_.loads[e.index].model != model::LoadModel::gpu_rack) {
          problems_.error(
              pattern.where,
              fmt::format("{}: '{}' names load '{}', a {} load; only gpu_rack loads "
                          "can be given {}",
                          what, pattern.text, e.id, name(model_.loads[e.index].model), what),
              "name only gpu_rack loads (narrow the pattern)");
          ++found;
          continue;
        }
        if (taken[j] == 0) out.push_back(e.index);
        taken[j] = 1;
        ++found;
      }
      if (found > 0) continue;
      if (!others.empty()) {
        problems_.error(pattern.where,
                        fmt::format("{}: '{}' names {} '{}', not a {}", what, pattern.text,
                                    others.front()->kind, others.front()->id,
                                    gpu_racks_only ? "gpu_rack load" : kind),
                        fmt::format("name {} elements only", kind));
        continue;
      }
      problems_.error(pattern.where,
                      fmt::format("{}: '{}' matches no {} of the model", what, pattern.text, kind),
                      suggestion(pattern.text, kind));
    }
    return out;
  }

  // "did you mean" among the ids of `kind` and the patterns of their instances.
  std::string suggestion(std::string_view pattern, std::string_view kind) {
    std::set<std::string> candidates;
    for (const NamedElement& e : elements_) {
      if (e.kind != kind) continue;
      candidates.emplace(e.id);
      candidates.insert(instance_shape(e.id));
    }
    const std::vector<std::string> list(candidates.begin(), candidates.end());
    const std::string near = core::closest_match(pattern, list);
    if (!near.empty()) return fmt::format("did you mean '{}'?", near);
    if (list.empty()) return fmt::format("the model has no {}", kind);
    return fmt::format("'*' matches any run of characters but '/', e.g. '{}'",
                       instance_shape(list.front()));
  }

  void profile(std::size_t index, ResolvedScenario& r) {
    const ProfileAssignment& a = scenario_.profiles[index];
    const std::vector<std::size_t> loads = named(a.loads, "load", "a profile", true);
    std::vector<std::optional<std::size_t>> groups(loads.size());
    if (a.phase_groups) groups = phase_groups(*a.phase_groups, loads);
    for (std::size_t k = 0; k < loads.size(); ++k) {
      auto& slot = r.load_profiles[loads[k]];
      if (slot && slot->profile != index) {
        problems_.error(a.loads.front().where,
                        fmt::format("load '{}' is given two profiles (profiles {} and {})",
                                    model_.loads[loads[k]].id, slot->profile + 1, index + 1),
                        "name each load in one profile only");
        continue;
      }
      LoadProfile p;
      p.profile = index;
      if (a.phase_groups && groups[k]) {
        const auto g = *groups[k];
        p.group = {static_cast<double>(g) * a.phase_groups->spread_s /
                       static_cast<double>(a.phase_groups->count),
                   g};
        p.group_index = g;
      } else {
        p.group = {0.0, loads[k]};
      }
      slot = p;
    }
  }

  // For each load, its group: the instance `by` matches among the prefixes of its instance path
  // (at '/' boundaries), numbered in the order the loads first reach it, modulo count.
  std::vector<std::optional<std::size_t>> phase_groups(const PhaseGrouping& g,
                                                       const std::vector<std::size_t>& loads) {
    std::vector<std::optional<std::size_t>> out(loads.size());
    std::unordered_map<std::string, std::size_t> instances;
    for (std::size_t k = 0; k < loads.size(); ++k) {
      const model::Load& load = model_.loads[loads[k]];
      const model::Origin* origin = model::origin_of(model_, load.origin);
      std::optional<std::string> instance;
      if (origin != nullptr) {
        const std::string_view path = origin->instance_path;
        for (std::size_t end = 0; !instance; ++end) {
          end = path.find('/', end);
          if (matches_pattern(g.by.text, path.substr(0, end)))
            instance = std::string(path.substr(0, end));
          if (end == std::string_view::npos) break;
        }
      }
      if (!instance) {
        problems_.error(
            g.by.where,
            fmt::format("phase_groups: load '{}' is in no template instance that '{}' matches{}",
                        load.id, g.by.text,
                        origin == nullptr
                            ? std::string(" (it is not in a template)")
                            : fmt::format(" (its instance is '{}')", origin->instance_path)),
            origin == nullptr
                ? std::string("group only loads made from templates")
                : fmt::format("e.g. by: \"{}\"", instance_shape(origin->instance_path)));
        continue;
      }
      const auto [it, added] = instances.emplace(*instance, instances.size());
      out[k] = it->second % static_cast<std::size_t>(g.count);
    }
    return out;
  }

  void smoothing(const SmoothingAssignment& a, ResolvedScenario& r) {
    const auto n = static_cast<double>(a.gpus_per_rack);
    SmoothingSettings rack = a.per_gpu;
    rack.rated_power_w *= n;
    rack.ramp_up_w_per_s *= n;
    rack.ramp_down_w_per_s *= n;
    rack.secondary_floor_w *= n;
    for (const std::size_t load : named(a.loads, "load", "smoothing", true)) {
      if (r.load_smoothing[load]) {
        problems_.error(a.loads.front().where,
                        fmt::format("load '{}' is given smoothing twice", model_.loads[load].id),
                        "name each load in one smoothing item only");
        continue;
      }
      r.load_smoothing[load] = rack;
    }
  }

  void storage(std::size_t index, ResolvedScenario& r) {
    const StorageAssignment& a = scenario_.storage[index];
    for (const std::size_t s : named(a.elements, "storage", "storage", false)) {
      if (r.storage_control[s]) {
        problems_.error(a.elements.front().where,
                        fmt::format("storage '{}' is given two controls", model_.storage[s].id),
                        "name each storage element in one storage item only");
        continue;
      }
      r.storage_control[s] = index;
    }
  }

  // A fault's bus or line: one DC element of that id.
  ResolvedScenario::FaultPlace place(const Fault& fault) {
    ResolvedScenario::FaultPlace out;
    const bool on_bus = fault.bus.has_value();
    const ElementPattern* named = on_bus ? &*fault.bus : fault.line ? &*fault.line : nullptr;
    if (named == nullptr) return out;
    const std::string_view kind = on_bus ? "bus" : "line";
    const std::string what = fmt::format("fault '{}'", fault.id);
    const auto it = std::find_if(elements_.begin(), elements_.end(), [&](const NamedElement& e) {
      return e.kind == kind && e.id == named->text;
    });
    if (it == elements_.end()) {
      std::vector<std::string> ids;
      for (const NamedElement& e : elements_)
        if (e.kind == kind) ids.emplace_back(e.id);
      const std::string near = core::closest_match(named->text, ids);
      problems_.error(named->where,
                      fmt::format("{}: the model has no {} '{}'", what, kind, named->text),
                      near.empty() ? fmt::format("name a DC {} of the model", kind)
                                   : fmt::format("did you mean '{}'?", near));
      return out;
    }
    auto dc_bus = [&](model::BusIndex b) {
      return model_.buses[static_cast<std::size_t>(b)].kind == model::BusKind::dc;
    };
    if (on_bus) {
      if (!dc_bus(static_cast<model::BusIndex>(it->index))) {
        problems_.error(named->where,
                        fmt::format("{}: bus '{}' is an AC bus; faults are simulated on DC buses "
                                    "only (the AC side is a quasi-static phasor network)",
                                    what, named->text),
                        "name a DC bus");
        return out;
      }
      out.bus = it->index;
      return out;
    }
    const model::Line& line = model_.lines[it->index];
    if (!dc_bus(line.from)) {
      problems_.error(named->where,
                      fmt::format("{}: line '{}' is on the AC side; faults are simulated on DC "
                                  "lines only",
                                  what, named->text),
                      "name a DC line");
      return out;
    }
    // At an end, the fault is at that end's bus.
    if (fault.at == 0.0 || fault.at == 1.0) {
      out.bus = static_cast<std::size_t>(fault.at == 0.0 ? line.from : line.to);
      return out;
    }
    out.line = it->index;
    out.at = fault.at;
    return out;
  }

  // The element part must name something the quantity exists for.
  void check_signal(const SignalRequest& signal) {
    const std::string what = fmt::format("record: signal '{}'", signal.text);
    switch (signal.quantity) {
      case SignalQuantity::v:
        (void)named({signal.element}, "bus", what, false);
        return;
      case SignalQuantity::soc:
        (void)named({signal.element}, "storage", what, false);
        return;
      case SignalQuantity::u:
        (void)named({signal.element}, "load", what, true);
        return;
      case SignalQuantity::f:
        for (const std::size_t s : named({signal.element}, "source", what, false))
          if (model_.sources[s].type != model::SourceType::utility)
            problems_.error(signal.element.where,
                            fmt::format("{}: source '{}' is a {}; only a utility has a frequency",
                                        what, model_.sources[s].id, name(model_.sources[s].type)),
                            "name a utility (narrow the pattern)");
        return;
      case SignalQuantity::p:
      case SignalQuantity::i:
        break;
    }
    // A fault's current or power.
    for (const Fault& fault : scenario_.faults)
      if (matches_pattern(signal.element.text, fault.id)) return;
    const bool any = std::any_of(elements_.begin(), elements_.end(), [&](const NamedElement& e) {
      return e.kind != "bus" && matches_pattern(signal.element.text, e.id);
    });
    if (any) return;
    std::vector<std::string> ids;
    for (const NamedElement& e : elements_)
      if (e.kind != "bus") ids.emplace_back(e.id);
    const std::string near = core::closest_match(signal.element.text, ids);
    problems_.error(signal.element.where,
                    fmt::format("{}: '{}' matches no element of the model (a bus has only v)", what,
                                signal.element.text),
                    near.empty() ? std::string("name an element id or a pattern of ids")
                                 : fmt::format("did you mean '{}'?", near));
  }

  const Scenario& scenario_;
  const model::ModelSpec& model_;
  std::vector<NamedElement> elements_;
  core::DiagnosticList problems_;
};

}  // namespace

bool matches_pattern(std::string_view pattern, std::string_view id) noexcept {
  // Segment by segment, since '*' never crosses a '/'.
  while (true) {
    const std::size_t p_end = pattern.find('/');
    const std::size_t i_end = id.find('/');
    if (!matches_segment(pattern.substr(0, p_end), id.substr(0, i_end))) return false;
    if (p_end == std::string_view::npos || i_end == std::string_view::npos) return p_end == i_end;
    pattern.remove_prefix(p_end + 1);
    id.remove_prefix(i_end + 1);
  }
}

std::string_view name(SignalQuantity quantity) noexcept {
  return quantity_names[static_cast<std::size_t>(quantity)];
}

std::optional<SignalRequest> parse_signal(std::string_view text, core::SourceLocation where,
                                          std::string& problem) {
  const std::size_t dot = text.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size()) {
    problem = fmt::format(
        "'{}' is not '<element or pattern>.<quantity>' (fix: e.g. dc800.v or "
        "\"row[*]/rack[0]/gpus.p\")",
        text);
    return std::nullopt;
  }
  const std::string_view quantity = text.substr(dot + 1);
  const auto it = std::find(quantity_names.begin(), quantity_names.end(), quantity);
  if (it == quantity_names.end()) {
    problem = fmt::format("'{}': unknown quantity '{}' (fix: {})", text, quantity,
                          core::did_you_mean(quantity, quantity_names,
                                             "use v (bus voltage), p (power), i (current), soc "
                                             "(state of charge), u (utilisation) or f "
                                             "(frequency)"));
    return std::nullopt;
  }
  SignalRequest signal;
  signal.text = std::string(text);
  signal.element = {std::string(text.substr(0, dot)), std::move(where)};
  signal.quantity = static_cast<SignalQuantity>(it - quantity_names.begin());
  return signal;
}

ResolvedScenario resolve(const Scenario& scenario, const model::ModelSpec& model) {
  return Resolver(scenario, model).run();
}

}  // namespace g2g::dynamic

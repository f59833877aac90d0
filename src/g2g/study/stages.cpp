#include "g2g/study/stages.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "g2g/core/units.hpp"

namespace g2g::study {
namespace {

using model::BusIndex;
using model::BusKind;

constexpr int unreached = std::numeric_limits<int>::max();

std::string volts(double v) {
  return core::format_quantity(v, core::Dimension::voltage, 4);
}

std::string_view kind_text(BusKind kind) {
  return kind == BusKind::ac ? "AC" : "DC";
}

// Elements (edges) crossed from the nearest source to each bus, breadth first. The elements are
// read once into a list of edges and the adjacency is one array with each bus's neighbours in a
// run of it (no vector per bus: a sweep measures every scenario's stages). A breadth-first depth
// is the shortest distance, whatever order the neighbours come in.
std::vector<int> bus_depths(const model::ModelSpec& m) {
  const std::size_t n = m.buses.size();
  auto valid = [n](BusIndex b) { return b >= 0 && static_cast<std::size_t>(b) < n; };
  std::vector<std::pair<BusIndex, BusIndex>> edges;
  edges.reserve(m.lines.size() + m.transformers.size() + m.switches.size() + m.converters.size());
  auto link = [&](BusIndex a, BusIndex b) {
    if (valid(a) && valid(b)) edges.emplace_back(a, b);
  };
  for (const auto& e : m.lines)
    if (e.in_service) link(e.from, e.to);
  for (const auto& e : m.transformers)
    if (e.in_service) link(e.hv, e.lv);
  for (const auto& e : m.switches)
    if (e.closed) link(e.from, e.to);
  for (const auto& e : m.converters)
    if (e.in_service) link(e.input, e.output);
  std::vector<std::size_t> first(n + 1, 0);  // bus b's neighbours: [first[b], first[b + 1])
  for (const auto& [a, b] : edges) {
    ++first[static_cast<std::size_t>(a) + 1];
    ++first[static_cast<std::size_t>(b) + 1];
  }
  for (std::size_t b = 0; b < n; ++b) first[b + 1] += first[b];
  std::vector<BusIndex> adjacent(first[n]);
  std::vector<std::size_t> fill(first.begin(), first.end() - 1);
  for (const auto& [a, b] : edges) {
    adjacent[fill[static_cast<std::size_t>(a)]++] = b;
    adjacent[fill[static_cast<std::size_t>(b)]++] = a;
  }

  std::vector<int> depth(n, unreached);
  std::vector<BusIndex> queue;  // every bus enters at most once
  queue.reserve(n);
  for (const auto& s : m.sources) {
    if (!s.in_service || !valid(s.bus)) continue;
    if (depth[static_cast<std::size_t>(s.bus)] == 0) continue;
    depth[static_cast<std::size_t>(s.bus)] = 0;
    queue.push_back(s.bus);
  }
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const auto b = static_cast<std::size_t>(queue[head]);
    for (std::size_t k = first[b]; k < first[b + 1]; ++k) {
      int& d = depth[static_cast<std::size_t>(adjacent[k])];
      if (d != unreached) continue;
      d = depth[b] + 1;
      queue.push_back(adjacent[k]);
    }
  }
  return depth;
}

// Identifies a stage: what the elements are, the voltage levels they join, and how deep in the
// chain they sit (two 54 V busbars in series are two stages, not one carrying the power twice).
// The label is a view of a static name (model::name), so building a key allocates nothing.
using StageKey = std::tuple<StageKind, std::string_view, BusKind, double, BusKind, double, int>;

std::string stage_name(const StageKey& key) {
  const auto& [kind, label, kind_in, v_in, kind_out, v_out, depth] = key;
  const std::string what = stage_label_name(label);
  if (kind == StageKind::distribution)
    return fmt::format("{} {} {}", volts(v_in), kind_text(kind_in), what);
  if (kind_in == kind_out && v_in == v_out)
    return fmt::format("{} {} {}", what, volts(v_in), kind_text(kind_in));
  if (kind_in == kind_out)
    return fmt::format("{} {} → {} {}", what, volts(v_in), volts(v_out), kind_text(kind_in));
  return fmt::format("{} {} {} → {} {}", what, volts(v_in), kind_text(kind_in), volts(v_out),
                     kind_text(kind_out));
}

}  // namespace

std::string_view stage_kind_name(StageKind kind) noexcept {
  return kind == StageKind::conversion ? "conversion" : "distribution";
}

int conversions_in(const model::Converter& converter) noexcept {
  return converter.type == model::ConverterType::ups ||
                 converter.subtype == model::ConverterSubtype::psu ||
                 converter.subtype == model::ConverterSubtype::sst
             ? 2
             : 1;
}

std::string stage_label_name(std::string_view label) {
  static const std::map<std::string_view, std::string_view> names = {
      {"ups", "UPS"},
      {"psu", "PSU"},
      {"sst", "Solid-state transformer"},
      {"rectifier", "Rectifier"},
      {"sidecar", "Sidecar rectifier"},
      {"dcdc", "DC/DC"},
      {"dc_transformer", "DC/DC"},
      {"ibc", "Bus converter"},
      {"vrm", "Point of load (VRM)"},
      {"inverter", "Inverter"},
      {"transformer", "Transformer"},
      {"cable", "cable"},
      {"busbar", "busbar"},
      {"line", "line"},
      {"breaker", "solid-state breaker"},
      {"tray_dcdc", "Tray DC/DC"},
      {"battery_converter", "Battery converter"},
  };
  const auto it = names.find(label);
  return it != names.end() ? std::string(it->second) : std::string(label);
}

StageIndex::StageIndex(const model::ModelSpec& m)
    : stage_of_line_(m.lines.size(), -1),
      stage_of_transformer_(m.transformers.size(), -1),
      stage_of_converter_(m.converters.size(), -1) {
  const std::vector<int> depth = bus_depths(m);
  auto depth_of = [&](BusIndex b) {
    return b >= 0 && static_cast<std::size_t>(b) < depth.size() ? depth[static_cast<std::size_t>(b)]
                                                                : unreached;
  };
  auto bus = [&](BusIndex b) -> const model::Bus& { return m.buses[static_cast<std::size_t>(b)]; };

  // The stages' keys, in the order of stages_: few, so found by a linear search that compares
  // the numbers before the label.
  std::vector<StageKey> keys;
  std::vector<std::string> first_id;  // per stage: the id of its first element
  auto add = [&](const StageKey& key, const std::string& id,
                 const std::string* redundancy = nullptr,
                 const model::Converter* converter = nullptr) {
    const auto& [kind, label, kind_in, v_in, kind_out, v_out, element_depth] = key;
    std::size_t at = 0;
    while (at < keys.size()) {
      const auto& [k_kind, k_label, k_kind_in, k_v_in, k_kind_out, k_v_out, k_depth] = keys[at];
      if (k_depth == element_depth && k_v_in == v_in && k_v_out == v_out && k_kind == kind &&
          k_kind_in == kind_in && k_kind_out == kind_out && k_label == label)
        break;
      ++at;
    }
    if (at == keys.size()) {
      keys.push_back(key);
      Stage s;
      s.name = stage_name(key);
      s.kind = kind;
      s.label = std::string(label);
      s.bus_kind_in = kind_in;
      s.voltage_in_v = v_in;
      s.bus_kind_out = kind_out;
      s.voltage_out_v = v_out;
      s.depth = element_depth;
      // The label is the subtype or type, so every converter of a stage has the same ones.
      if (converter != nullptr) {
        s.point_of_load = converter->subtype == model::ConverterSubtype::vrm;
        s.conversions_per_box = conversions_in(*converter);
      }
      stages_.push_back(std::move(s));
      first_id.push_back(id);
    }
    Stage& s = stages_[at];
    if (redundancy != nullptr && s.redundancy.empty()) s.redundancy = *redundancy;
    return static_cast<std::int32_t>(at);
  };

  // In the order of a solution's elements (steady::make_results: lines, transformers, then
  // converters, each in model order), so that stages are found in the order chain_stages sums.
  for (std::size_t i = 0; i < m.lines.size(); ++i) {
    const auto& e = m.lines[i];
    if (!e.in_service) continue;
    const BusIndex near = depth_of(e.to) < depth_of(e.from) ? e.to : e.from;
    stage_of_line_[i] = add({StageKind::distribution, model::name(e.type), bus(e.from).kind,
                             bus(e.from).nominal_voltage_v, bus(e.to).kind,
                             bus(e.to).nominal_voltage_v, depth_of(near)},
                            e.id);
  }
  for (std::size_t i = 0; i < m.transformers.size(); ++i) {
    const auto& e = m.transformers[i];
    if (!e.in_service) continue;
    stage_of_transformer_[i] =
        add({StageKind::conversion, "transformer", bus(e.hv).kind, bus(e.hv).nominal_voltage_v,
             bus(e.lv).kind, bus(e.lv).nominal_voltage_v, depth_of(e.hv)},
            e.id, &e.redundancy.rule);
  }
  for (std::size_t i = 0; i < m.converters.size(); ++i) {
    const auto& e = m.converters[i];
    if (!e.in_service) continue;
    const std::string_view label =
        e.subtype == model::ConverterSubtype::none ? model::name(e.type) : model::name(e.subtype);
    stage_of_converter_[i] =
        add({StageKind::conversion, label, bus(e.input).kind, bus(e.input).nominal_voltage_v,
             bus(e.output).kind, bus(e.output).nominal_voltage_v, depth_of(e.input)},
            e.id, &e.redundancy.rule, &e);
  }
  // Stages that would share a name (the same kind of element at two depths) are told apart by
  // their elements' own id within the template: "54 V DC busbar (busway54)".
  std::map<std::string, int> uses;
  for (const auto& s : stages_) ++uses[s.name];
  for (std::size_t i = 0; i < stages_.size(); ++i) {
    if (uses[stages_[i].name] < 2) continue;
    const std::string& id = first_id[i];
    const auto slash = id.rfind('/');
    stages_[i].name += fmt::format(" ({})", slash == std::string::npos ? id : id.substr(slash + 1));
  }
  order_.resize(stages_.size());
  for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = i;
  std::stable_sort(order_.begin(), order_.end(), [this](std::size_t a, std::size_t b) {
    return std::tie(stages_[a].depth, stages_[a].name) <
           std::tie(stages_[b].depth, stages_[b].name);
  });
}

const Stage* StageIndex::stage_of(steady::ElementType type, std::size_t index) const {
  const std::vector<std::int32_t>* of = nullptr;
  if (type == steady::ElementType::line) of = &stage_of_line_;
  if (type == steady::ElementType::transformer) of = &stage_of_transformer_;
  if (type == steady::ElementType::converter) of = &stage_of_converter_;
  if (of == nullptr || index >= of->size() || (*of)[index] < 0) return nullptr;
  return &stages_[static_cast<std::size_t>((*of)[index])];
}

std::vector<Stage> chain_stages(const model::ModelSpec& m, const steady::SolveResult& result) {
  return chain_stages(StageIndex(m), m, result);
}

std::vector<Stage> chain_stages(const StageIndex& index, const model::ModelSpec& m,
                                const steady::SolveResult& result) {
  if (index.stage_of_line_.size() != m.lines.size() ||
      index.stage_of_transformer_.size() != m.transformers.size() ||
      index.stage_of_converter_.size() != m.converters.size())
    throw std::logic_error("study::chain_stages: the stage index is of another model");
  std::vector<Stage> stages = index.stages_;
  auto add = [&](std::int32_t stage, const steady::ElementResult& r, int units = 0,
                 double installed_rating = 0.0) {
    if (stage < 0) return;  // out of service
    Stage& s = stages[static_cast<std::size_t>(stage)];
    ++s.count;
    s.installed_units += units;
    s.installed_rating_w += installed_rating;
    // A branch carrying power against its from -> to direction is counted the way it flows.
    const bool reversed = r.p_in_w < 0.0 && r.p_out_w < 0.0;
    s.p_in_w += reversed ? -r.p_out_w : r.p_in_w;
    s.p_out_w += reversed ? -r.p_in_w : r.p_out_w;
    s.loss_w += r.loss_w;
  };
  for (const auto& r : result.elements) {
    const auto i = static_cast<std::size_t>(r.index);
    switch (r.type) {
      case steady::ElementType::line:
        add(index.stage_of_line_[i], r);
        break;
      case steady::ElementType::transformer: {
        const std::int32_t stage = index.stage_of_transformer_[i];
        if (stage < 0) break;
        const auto& e = m.transformers[i];
        add(stage, r, e.redundancy.installed, e.redundancy.installed * e.rating_va);
        break;
      }
      case steady::ElementType::converter: {
        const std::int32_t stage = index.stage_of_converter_[i];
        if (stage < 0) break;
        const auto& e = m.converters[i];
        add(stage, r, e.redundancy.installed, model::installed_rating_w(e));
        break;
      }
      default:
        break;  // sources, loads, storage and switches are not stages
    }
  }
  std::vector<Stage> ordered;
  ordered.reserve(stages.size());
  for (const std::size_t i : index.order_) {
    Stage& s = stages[i];
    if (s.installed_rating_w > 0.0) s.unit_load_fraction = s.p_out_w / s.installed_rating_w;
    ordered.push_back(std::move(s));
  }
  return ordered;
}

}  // namespace g2g::study

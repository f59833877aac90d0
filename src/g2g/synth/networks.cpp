#include "g2g/synth/networks.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace g2g::synth {
namespace {

using model::BusIndex;
using model::BusKind;

// Own uniform draws on top of mt19937_64: the standard distributions are implementation-defined,
// and the same seed must give the same network with any standard library.
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  // Uniform in [0, 1).
  double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * unit(); }
  // Uniform in [0, n); n > 0. The modulo bias is below 2^-40 for any n we use.
  std::int64_t below(std::int64_t n) {
    return static_cast<std::int64_t>(engine_() % static_cast<std::uint64_t>(n));
  }
  bool chance(double p) { return unit() < p; }

 private:
  std::mt19937_64 engine_;
};

// "b123": built with to_chars, which is also what keeps g++ 12's -Wrestrict false positive on
// `"b" + std::to_string(n)` away.
std::string make_id(char prefix, std::size_t number) {
  std::array<char, 24> text{};
  text[0] = prefix;
  const auto end = std::to_chars(text.data() + 1, text.data() + text.size(), number).ptr;
  return {text.data(), end};
}

enum class EdgeKind : std::uint8_t { none, line, transformer, converter };

// Builds a model bus by bus with each bus's spanning-tree parent known when it is created (the
// parent always has the lower index), so one backward sweep gives every bus its downstream load
// and one forward sweep its depth: element sizing is O(n).
class Builder {
 public:
  explicit Builder(std::size_t bus_capacity) {
    spec_.buses.reserve(bus_capacity);
    parent_.reserve(bus_capacity);
    edge_.reserve(bus_capacity);
    edge_index_.reserve(bus_capacity);
    load_w_.reserve(bus_capacity);
    island_root_.reserve(bus_capacity);
  }

  model::ModelSpec& spec() { return spec_; }
  [[nodiscard]] std::int64_t bus_count() const { return static_cast<std::int64_t>(parent_.size()); }

  BusIndex add_root_bus(BusKind kind, double nominal_voltage_v) {
    const BusIndex bus = push_bus(kind, nominal_voltage_v, model::no_bus, EdgeKind::none);
    island_root_.push_back(bus);
    return bus;
  }

  // A bus joined to `parent` by a line whose resistance is filled in by size_elements().
  BusIndex add_line_bus(BusIndex parent, double nominal_voltage_v) {
    const BusIndex bus = push_bus(spec_.buses[static_cast<std::size_t>(parent)].kind,
                                  nominal_voltage_v, parent, EdgeKind::line);
    edge_index_.back() = static_cast<std::int32_t>(spec_.lines.size());
    island_root_.push_back(island_root_[static_cast<std::size_t>(parent)]);
    spec_.lines.push_back(make_line(parent, bus));
    return bus;
  }

  // A bus joined to `parent` by a transformer (same AC island) rated by size_elements().
  BusIndex add_transformer_bus(BusIndex parent, double nominal_voltage_v) {
    const BusIndex bus = push_bus(BusKind::ac, nominal_voltage_v, parent, EdgeKind::transformer);
    edge_index_.back() = static_cast<std::int32_t>(spec_.transformers.size());
    island_root_.push_back(island_root_[static_cast<std::size_t>(parent)]);
    model::Transformer tr;
    tr.id = make_id('t', spec_.transformers.size());
    tr.hv = parent;
    tr.lv = bus;
    tr.v_hv_rated_v = spec_.buses[static_cast<std::size_t>(parent)].nominal_voltage_v;
    tr.v_lv_rated_v = nominal_voltage_v;
    tr.z_pct = 5.75;
    tr.r_pct = 0.9;
    spec_.transformers.push_back(std::move(tr));
    return bus;
  }

  // A bus that a voltage-controlled converter holds at 1.0 pu: the root of a new island.
  BusIndex add_converter_bus(BusIndex input, BusKind kind, double nominal_voltage_v,
                             model::ConverterType type, std::vector<model::EfficiencyPoint> curve,
                             model::ConverterSubtype subtype) {
    const BusIndex bus = push_bus(kind, nominal_voltage_v, input, EdgeKind::converter);
    edge_index_.back() = static_cast<std::int32_t>(spec_.converters.size());
    island_root_.push_back(bus);
    model::Converter conv;
    conv.id = make_id('c', spec_.converters.size());
    conv.type = type;
    conv.subtype = subtype;
    conv.input = input;
    conv.output = bus;
    conv.efficiency = std::move(curve);
    conv.control = model::ConverterControl::voltage;
    conv.v_set_pu = 1.0;
    if (type == model::ConverterType::rectifier) conv.input_power_factor = 0.99;
    spec_.converters.push_back(std::move(conv));
    return bus;
  }

  void add_load(BusIndex bus, model::LoadModel load_model, double p_w, double q_var = 0.0) {
    model::Load load;
    load.id = make_id('d', spec_.loads.size());
    load.model = load_model;
    load.bus = bus;
    load.p_w = p_w;
    load.q_var = q_var;
    if (load_model == model::LoadModel::gpu_rack) {
      // it_power * (idle + (1 - idle) * utilisation) = p_w with idle 0.15, utilisation 0.8.
      load.idle_fraction = 0.15;
      load.utilisation = 0.8;
      load.it_power_w = p_w / (0.15 + 0.85 * 0.8);
    }
    load_w_[static_cast<std::size_t>(bus)] += p_w;
    spec_.loads.push_back(std::move(load));
  }

  void add_tie(BusIndex a, BusIndex b) { ties_.emplace_back(a, b); }

  // Adds `count` ties, each between a random bus and a sibling or cousin of it in the spanning
  // tree (ring mains join neighbouring boards). Ties between far-apart buses would make the
  // graph an expander whose LU factors fill in quadratically under any ordering, so the network
  // would stop scaling; local ties keep the fill small.
  void add_local_ties(Random& random, std::int64_t count) {
    const auto n = static_cast<std::int64_t>(parent_.size());
    if (n < 3 || count <= 0) return;
    // Children of every bus, CSR.
    std::vector<std::int64_t> first(static_cast<std::size_t>(n) + 1, 0);
    for (std::int64_t b = 1; b < n; ++b) ++first[static_cast<std::size_t>(parent_[b]) + 1];
    for (std::int64_t b = 0; b < n; ++b) first[b + 1] += first[b];
    std::vector<BusIndex> children(static_cast<std::size_t>(n - 1));
    std::vector<std::int64_t> fill(first.begin(), first.end() - 1);
    for (std::int64_t b = 1; b < n; ++b)
      children[static_cast<std::size_t>(fill[static_cast<std::size_t>(parent_[b])]++)] =
          static_cast<BusIndex>(b);
    auto random_child = [&](BusIndex bus) -> BusIndex {
      const auto lo = first[static_cast<std::size_t>(bus)];
      const auto size = first[static_cast<std::size_t>(bus) + 1] - lo;
      return size == 0 ? model::no_bus
                       : children[static_cast<std::size_t>(lo + random.below(size))];
    };
    for (std::int64_t added = 0, attempts = 0; added < count && attempts < 4 * count; ++attempts) {
      const auto a = static_cast<BusIndex>(1 + random.below(n - 1));
      const BusIndex p = parent_[static_cast<std::size_t>(a)];
      const BusIndex g = parent_[static_cast<std::size_t>(p)];
      BusIndex b = model::no_bus;
      if (g != model::no_bus && random.chance(0.5)) {
        const BusIndex uncle = random_child(g);  // p itself, or a sibling of p
        const BusIndex cousin = random_child(uncle);
        b = cousin == model::no_bus ? uncle : cousin;
      } else {
        b = random_child(p);
      }
      if (b == a) b = g;  // no sibling drawn: tie to the grandparent instead
      if (b == model::no_bus || b == p) continue;
      ties_.emplace_back(a, b);
      ++added;
    }
  }

  // Adds `count` ties, each between two uniformly random buses of the tree (never a bus and
  // itself or its parent, which a tree line joins already). Most pairs are far apart: the
  // ties turn the tree into an expander-like graph whose LU factors fill in under any
  // ordering, which is what they are for (tests and benchmarks of the ordering choice).
  void add_far_ties(Random& random, std::int64_t count) {
    const auto n = static_cast<std::int64_t>(parent_.size());
    if (n < 3 || count <= 0) return;
    for (std::int64_t added = 0, attempts = 0; added < count && attempts < 4 * count; ++attempts) {
      const auto a = static_cast<BusIndex>(random.below(n));
      const auto b = static_cast<BusIndex>(random.below(n));
      if (a == b || parent_[static_cast<std::size_t>(a)] == b ||
          parent_[static_cast<std::size_t>(b)] == a)
        continue;
      ties_.emplace_back(a, b);
      ++added;
    }
  }

  // Sizes every line (r, and x on AC), transformer and converter rating from the load downstream
  // of it, then adds the mesh ties. `max_drop_pu` is the tree voltage-drop budget per island,
  // shared evenly between the line levels of that island.
  void size_elements(Random& random, double max_drop_pu) {
    const std::size_t n = parent_.size();
    std::vector<double> downstream_w(load_w_);
    for (std::size_t b = n; b-- > 1;) {
      const BusIndex p = parent_[b];
      if (p == model::no_bus) continue;
      double flow_w = downstream_w[b];
      if (edge_[b] == EdgeKind::converter) flow_w /= nominal_efficiency(edge_index_[b]);
      downstream_w[static_cast<std::size_t>(p)] += flow_w;
    }
    // Line depth within each island (transformers do not count: their drop is their own).
    std::vector<std::int32_t> depth(n, 0);
    std::vector<std::int32_t> max_depth(n, 1);  // indexed by island root
    for (std::size_t b = 0; b < n; ++b) {
      const BusIndex p = parent_[b];
      if (p == model::no_bus || edge_[b] == EdgeKind::converter) continue;
      depth[b] = depth[static_cast<std::size_t>(p)] + (edge_[b] == EdgeKind::line ? 1 : 0);
      auto& deepest = max_depth[static_cast<std::size_t>(island_root_[b])];
      deepest = std::max(deepest, depth[b]);
    }
    std::vector<double> r_up_ohm(n, 0.0);
    for (std::size_t b = 0; b < n; ++b) {
      const auto idx = static_cast<std::size_t>(edge_index_[b]);
      const double flow_w = downstream_w[b];
      switch (edge_[b]) {
        case EdgeKind::none:
          break;
        case EdgeKind::line: {
          auto& line = spec_.lines[idx];
          const auto& bus = spec_.buses[b];
          const bool ac = bus.kind == BusKind::ac;
          // Drop in pu ~ (R P + X Q) / V^2, with Q ~ P/3 on AC (power factor ~0.95).
          const double x_over_r = ac ? random.uniform(0.2, 1.0) : 0.0;
          const double sizing_w = std::max(flow_w, 1e3);
          const double budget_pu = random.uniform(0.3, 1.0) * max_drop_pu /
                                   max_depth[static_cast<std::size_t>(island_root_[b])];
          const double v = bus.nominal_voltage_v;
          const double r = budget_pu * v * v / (sizing_w * (1.0 + x_over_r / 3.0));
          line.r_ohm = r;
          if (ac) line.x_ohm = r * x_over_r;
          r_up_ohm[b] = r;
          break;
        }
        case EdgeKind::transformer:
          spec_.transformers[idx].rating_va = std::max(1.4 * flow_w, 10e3);
          break;
        case EdgeKind::converter:
          spec_.converters[idx].rating_w = std::max(1.3 * flow_w, 1e3);
          break;
      }
    }
    // A tie several times as resistive as the tree lines it bridges moves some current between
    // branches without undoing the tree's drop budget.
    for (const auto& [a, b] : ties_) {
      auto line = make_line(a, b);
      const double r = random.uniform(2.0, 8.0) * (r_up_ohm[static_cast<std::size_t>(a)] +
                                                   r_up_ohm[static_cast<std::size_t>(b)]);
      line.r_ohm = r;
      if (spec_.buses[static_cast<std::size_t>(a)].kind == BusKind::ac) line.x_ohm = 0.5 * r;
      spec_.lines.push_back(std::move(line));
    }
    ties_.clear();
  }

 private:
  BusIndex push_bus(BusKind kind, double nominal_voltage_v, BusIndex parent, EdgeKind edge) {
    const auto bus = static_cast<BusIndex>(spec_.buses.size());
    model::Bus b;
    b.id = make_id('b', static_cast<std::size_t>(bus));
    b.kind = kind;
    b.nominal_voltage_v = nominal_voltage_v;
    b.v_min_pu = 0.9;
    b.v_max_pu = 1.05;
    spec_.buses.push_back(std::move(b));
    parent_.push_back(parent);
    edge_.push_back(edge);
    edge_index_.push_back(-1);
    load_w_.push_back(0.0);
    return bus;
  }

  model::Line make_line(BusIndex from, BusIndex to) const {
    model::Line line;
    line.id = make_id('l', spec_.lines.size());
    line.from = from;
    line.to = to;
    line.type = spec_.buses[static_cast<std::size_t>(from)].kind == BusKind::dc
                    ? model::LineType::busbar
                    : model::LineType::cable;
    return line;
  }

  // Efficiency near the planned loading (1/1.3 of rating), for sizing upstream elements.
  [[nodiscard]] double nominal_efficiency(std::int32_t converter) const {
    const auto& curve = spec_.converters[static_cast<std::size_t>(converter)].efficiency;
    return curve.empty() ? 1.0 : curve.back().efficiency;
  }

  model::ModelSpec spec_;
  std::vector<BusIndex> parent_;
  std::vector<EdgeKind> edge_;
  std::vector<std::int32_t> edge_index_;  // into lines, transformers or converters
  std::vector<double> load_w_;
  std::vector<BusIndex> island_root_;
  std::vector<std::pair<BusIndex, BusIndex>> ties_;
};

std::vector<model::EfficiencyPoint> rectifier_curve() {
  return {{0.1, 0.90}, {0.25, 0.955}, {0.5, 0.975}, {0.75, 0.976}, {1.0, 0.972}};
}

std::vector<model::EfficiencyPoint> dcdc_curve() {
  return {{0.1, 0.92}, {0.3, 0.965}, {0.6, 0.975}, {1.0, 0.97}};
}

// Parent of bus `local` (1-based position in a tree of buses first..first+local) by shape.
std::int64_t tree_parent(Random& random, TreeShape shape, int fanout, std::int64_t local) {
  if (shape == TreeShape::fanout) return (local - 1) / std::max(fanout, 1);
  return random.below(local);
}

}  // namespace

model::ModelSpec random_dc_network(const DcNetworkParams& params) {
  if (params.bus_count < 2) throw std::invalid_argument("random_dc_network: bus_count < 2");
  Random random(params.seed);
  const auto n = static_cast<std::size_t>(params.bus_count);
  Builder builder(n);
  auto& spec = builder.spec();
  spec.name =
      "random_dc_" + std::to_string(params.bus_count) + "_seed" + std::to_string(params.seed);
  const double v = params.nominal_voltage_v;
  const BusIndex slack = builder.add_root_bus(BusKind::dc, v);
  model::Source source;
  source.id = "s0";
  source.type = model::SourceType::dc_source;
  source.bus = slack;
  spec.sources.push_back(std::move(source));

  const auto tie_count = static_cast<std::int64_t>(
      std::llround(params.mesh_tie_fraction * static_cast<double>(params.bus_count - 1)));
  spec.lines.reserve(n - 1 + static_cast<std::size_t>(std::max<std::int64_t>(tie_count, 0)) +
                     static_cast<std::size_t>(std::max<std::int64_t>(params.far_tie_count, 0)));
  spec.loads.reserve(static_cast<std::size_t>(static_cast<double>(n) * params.load_fraction) + 16);
  const double expected_loads = params.load_fraction * static_cast<double>(params.bus_count - 1);
  const double mean_load_w =
      std::min(params.load_per_bus_w, params.max_total_load_w / std::max(expected_loads, 1.0));
  for (std::int64_t i = 1; i < params.bus_count; ++i) {
    const auto parent = static_cast<BusIndex>(tree_parent(random, params.shape, params.fanout, i));
    const BusIndex bus = builder.add_line_bus(parent, v);
    if (!random.chance(params.load_fraction)) continue;
    const double p_w = mean_load_w * random.uniform(0.5, 1.5);
    const double pick = random.unit();
    auto load_model = model::LoadModel::constant_power;
    if (pick < params.constant_current_fraction)
      load_model = model::LoadModel::constant_current;
    else if (pick < params.constant_current_fraction + params.constant_impedance_fraction)
      load_model = model::LoadModel::constant_impedance;
    builder.add_load(bus, load_model, p_w);
  }
  builder.add_local_ties(random, tie_count);
  // Draws nothing without far ties, so the standard networks stay as they were.
  builder.add_far_ties(random, params.far_tie_count);
  builder.size_elements(random, params.max_drop_pu);
  return std::move(builder.spec());
}

model::ModelSpec random_ac_radial_network(const AcRadialParams& params) {
  if (params.bus_count < 2) throw std::invalid_argument("random_ac_radial_network: bus_count < 2");
  Random random(params.seed);
  const auto n = static_cast<std::size_t>(params.bus_count);
  Builder builder(n);
  auto& spec = builder.spec();
  spec.name = "random_ac_radial_" + std::to_string(params.bus_count) + "_seed" +
              std::to_string(params.seed);
  const double v = params.nominal_voltage_v;
  const BusIndex slack = builder.add_root_bus(BusKind::ac, v);
  model::Source utility;
  utility.id = "s0";
  utility.type = model::SourceType::utility;
  utility.bus = slack;
  spec.sources.push_back(std::move(utility));
  spec.lines.reserve(n - 1);
  spec.loads.reserve(static_cast<std::size_t>(static_cast<double>(n) * params.load_fraction) + 16);
  const double expected_loads = params.load_fraction * static_cast<double>(params.bus_count - 1);
  const double mean_load_w =
      std::min(params.load_per_bus_w, params.max_total_load_w / std::max(expected_loads, 1.0));
  const double q_per_p = std::tan(std::acos(params.power_factor));
  for (std::int64_t i = 1; i < params.bus_count; ++i) {
    const auto parent = static_cast<BusIndex>(random.below(i));
    const BusIndex bus = builder.add_line_bus(parent, v);
    if (!random.chance(params.load_fraction)) continue;
    const double p_w = mean_load_w * random.uniform(0.5, 1.5);
    builder.add_load(bus, model::LoadModel::constant_power, p_w, p_w * q_per_p);
  }
  builder.size_elements(random, params.max_drop_pu);
  return std::move(builder.spec());
}

model::ModelSpec random_hybrid_network(const HybridNetworkParams& params) {
  constexpr std::int64_t min_buses = 16;
  if (params.bus_count < min_buses)
    throw std::invalid_argument("random_hybrid_network: bus_count < 16");
  Random random(params.seed);
  Builder builder(static_cast<std::size_t>(params.bus_count));
  auto& spec = builder.spec();
  spec.name =
      "random_hybrid_" + std::to_string(params.bus_count) + "_seed" + std::to_string(params.seed);
  const BusIndex utility_bus = builder.add_root_bus(BusKind::ac, params.mv_voltage_v);
  model::Source utility;
  utility.id = "s0";
  utility.type = model::SourceType::utility;
  utility.bus = utility_bus;
  spec.sources.push_back(std::move(utility));

  // Size drawn around `mean` (at least 1), capped so the budget is never overrun.
  auto draw_size = [&random](int mean, std::int64_t cap) {
    const auto hi = std::max<std::int64_t>(2 * static_cast<std::int64_t>(mean) - 1, 1);
    return std::clamp<std::int64_t>(1 + random.below(hi), 1, std::max<std::int64_t>(cap, 1));
  };
  // Adds `count` buses to a tree, each under a uniformly random existing member.
  auto grow_tree = [&](std::int64_t count, double v, std::vector<BusIndex>& members) {
    for (std::int64_t i = 0; i < count; ++i) {
      const BusIndex parent = members[static_cast<std::size_t>(
          random.below(static_cast<std::int64_t>(members.size())))];
      members.push_back(builder.add_line_bus(parent, v));
    }
  };

  // The last 800 V tree, which takes any buses left over at the end so the count is exact.
  std::vector<BusIndex> last_dc_tree;
  std::vector<BusIndex> members;
  std::vector<BusIndex> rack_members;
  auto remaining = [&] { return params.bus_count - builder.bus_count(); };
  // Buses one transformer with one minimal rectifier unit needs: MV, LV, AC input, DC root.
  constexpr std::int64_t min_unit = 4;
  while (remaining() >= min_unit) {
    BusIndex upstream = utility_bus;
    for (int t = 0; t < params.transformers_per_feeder && remaining() >= min_unit; ++t) {
      upstream = builder.add_line_bus(upstream, params.mv_voltage_v);
      const BusIndex lv = builder.add_transformer_bus(upstream, params.lv_voltage_v);
      double lv_load_w = 0.0;
      for (int r = 0; r < params.rectifiers_per_transformer && remaining() >= 2; ++r) {
        const BusIndex ac_in = builder.add_line_bus(lv, params.lv_voltage_v);
        const BusIndex dc_root = builder.add_converter_bus(
            ac_in, BusKind::dc, params.dc_voltage_v, model::ConverterType::rectifier,
            rectifier_curve(), model::ConverterSubtype::rectifier);
        members.assign(1, dc_root);
        const std::int64_t dc_extra = draw_size(params.dc_buses_per_rectifier, remaining()) - 1;
        grow_tree(dc_extra, params.dc_voltage_v, members);
        const std::size_t dc_size = members.size();
        for (std::size_t k = 0; k < dc_size; ++k) {
          if (!random.chance(0.5)) continue;
          const double p_w = params.dc_load_w * random.uniform(0.5, 1.5);
          const auto load_model = random.chance(0.7) ? model::LoadModel::constant_power
                                                     : model::LoadModel::constant_impedance;
          builder.add_load(members[k], load_model, p_w);
          lv_load_w += p_w;
        }
        const auto tie_count = static_cast<std::int64_t>(
            std::floor(params.mesh_tie_fraction * static_cast<double>(dc_size) + random.unit()));
        for (std::int64_t k = 0; k < tie_count && dc_size > 2; ++k) {
          const auto i = random.below(static_cast<std::int64_t>(dc_size));
          auto j = random.below(static_cast<std::int64_t>(dc_size) - 1);
          if (j >= i) ++j;
          builder.add_tie(members[static_cast<std::size_t>(i)],
                          members[static_cast<std::size_t>(j)]);
        }
        for (int d = 0; d < params.dcdc_per_rectifier && remaining() >= 1; ++d) {
          const BusIndex tap =
              members[static_cast<std::size_t>(random.below(static_cast<std::int64_t>(dc_size)))];
          const BusIndex rack_root = builder.add_converter_bus(
              tap, BusKind::dc, params.rack_voltage_v, model::ConverterType::dcdc, dcdc_curve(),
              model::ConverterSubtype::dcdc);
          rack_members.assign(1, rack_root);
          grow_tree(draw_size(params.rack_buses_per_dcdc, remaining() + 1) - 1,
                    params.rack_voltage_v, rack_members);
          for (const BusIndex rack : rack_members) {
            const double p_w = params.rack_load_w * random.uniform(0.5, 1.5);
            builder.add_load(rack,
                             random.chance(0.8) ? model::LoadModel::gpu_rack
                                                : model::LoadModel::constant_current,
                             p_w);
            lv_load_w += p_w;
          }
        }
        last_dc_tree = members;
      }
      // Cooling and auxiliaries on the LV switchboard: ~15% of the IT load, power factor 0.9.
      const double aux_w = 0.15 * lv_load_w;
      builder.add_load(lv, model::LoadModel::constant_power, aux_w, aux_w * 0.484);
    }
  }
  // Pad the last 800 V tree so the bus count is exact.
  if (remaining() > 0) {
    if (last_dc_tree.empty()) throw std::logic_error("random_hybrid_network: no DC tree to pad");
    grow_tree(remaining(), params.dc_voltage_v, last_dc_tree);
  }
  builder.size_elements(random, params.max_drop_pu);
  return std::move(builder.spec());
}

}  // namespace g2g::synth

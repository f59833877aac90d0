// The builder's value readers: a map's keys against its section, then each value as a name,
// quantity, ratio, integer, flag, choice, bus, efficiency curve or ZIP triple, each reporting
// its own problem at the value's position.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_set>

#include "g2g/model/builder_impl.hpp"
#include "g2g/model/protection_parts.hpp"

namespace g2g::model::detail {

using core::Dimension;

// ---- Fields -------------------------------------------------------------------------------

Fields::Fields(Builder& b, std::uint32_t map, const SectionInfo& section, std::string_view kind,
               std::string_view context)
    : section_(section), map_(map), kind_(kind), context_(context) {
  slots_.fill(absent);
  // Name the element in messages about its keys too.
  for (const std::uint32_t c : Children(b.document(), map))
    if (b.node(c).key_str() == "id" &&
        (b.node(c).type == NodeType::string || b.node(c).type == NodeType::number))
      id_ = b.node(c).str();
  for (const std::uint32_t c : Children(b.document(), map)) {
    const std::string_view name = b.node(c).key_str();
    const std::size_t i = section_.index_of(name);
    if (i == section_.keys.size()) {
      std::vector<std::string_view> names;
      for (const auto& k : section_.keys) names.push_back(k.name);
      auto problem = core::unknown_key(what(), name, names, fmt::format("a {}", section_.name));
      b.error_at_key(c, std::move(problem.message), std::move(problem.fix));
      continue;
    }
    if (slots_[i] != absent) {
      auto problem = core::duplicate_key(what(), name);
      b.error_at_key(c, std::move(problem.message), std::move(problem.fix));
      continue;
    }
    slots_[i] = c;
  }
}

std::size_t Fields::index_of(std::string_view name) const {
  const std::size_t i = section_.index_of(name);
  if (i < section_.keys.size()) return i;
  // Only reached through a programming error: every getter names a key of its section.
  throw std::logic_error(fmt::format("section {} has no key {}", section_.name, name));
}

std::uint32_t Fields::swallowing(std::string_view key, const std::vector<Node>& nodes) const {
  const std::string pattern = fmt::format("{}:", key);
  for (std::size_t k = 0; k < section_.keys.size(); ++k) {
    const std::uint32_t n = slots_[k];
    if (n == absent || nodes[n].type != NodeType::string) continue;
    const std::string_view text = nodes[n].str();
    for (std::size_t at = text.find(pattern); at != std::string_view::npos;
         at = text.find(pattern, at + 1))
      if (at > 0 && (text[at - 1] == ' ' || text[at - 1] == '\n')) return n;
  }
  return absent;
}

// ---- Values -------------------------------------------------------------------------------

std::string_view type_name(NodeType type) {
  switch (type) {
    case NodeType::null:
      return "empty";
    case NodeType::boolean:
      return "true/false";
    case NodeType::number:
      return "a number";
    case NodeType::string:
      return "text";
    case NodeType::map:
      return "a map";
    case NodeType::seq:
      return "a list";
  }
  return "a value";
}

std::string example_of(const KeyInfo& info) {
  switch (info.kind) {
    case ValueKind::quantity: {
      const std::string example(core::dimension_example(info.dimension));
      return example.substr(0, example.find(" or "));
    }
    case ValueKind::percent:
      return "6 %";
    case ValueKind::setpoint:
      return "1.0";
    case ValueKind::bus:
      return "<bus id>";
    case ValueKind::choice:
      return info.choices.empty() ? "..." : std::string(info.choices[0]);
    case ValueKind::efficiency:
      return "97.5 %";
    case ValueKind::zip:
      return "[0.2, 0.3, 0.5]";
    case ValueKind::rated: {
      const std::string example(core::dimension_example(info.dimension));
      return example.substr(0, example.find(" or "));
    }
    case ValueKind::ocv:
      return "[[0, 42 V], [1, 54.6 V]]";
    case ValueKind::integer:
      return "1";
    case ValueKind::boolean:
      return "true";
    case ValueKind::version:
      return "1";
    default:
      return "...";
  }
}

std::uint32_t Builder::value_node(const Fields& f, std::string_view key) {
  const std::uint32_t n = f.find(key);
  if (n != absent) return n;
  const KeyInfo& info = f.info(key);
  if (info.required) {
    if (const std::uint32_t open = f.swallowing(key, nodes_); open != absent) {
      error_at(open,
               fmt::format("{}: '{}' seems to be inside this quoted text, which runs on over "
                           "the following lines: is a quote left open here?",
                           f.what(), key),
               "close the quote on this line");
      return absent;
    }
    auto problem = core::missing_key(f.what(), key, example_of(info), info.description);
    error_at(f.map(), std::move(problem.message), std::move(problem.fix));
  }
  return absent;
}

std::optional<std::string_view> Builder::scalar_text(std::uint32_t n, const Fields& f,
                                                     std::string_view key) {
  const Node& v = nodes_[n];
  if (v.type == NodeType::string || v.type == NodeType::number) return v.str();
  auto problem = core::not_a_value(f.what(), key, type_name(v.type), example_of(f.info(key)));
  error_at(n, std::move(problem.message), std::move(problem.fix));
  return std::nullopt;
}

std::optional<std::string_view> Builder::text(const Fields& f, std::string_view key) {
  const std::uint32_t n = value_node(f, key);
  if (n == absent) return std::nullopt;
  const Node& v = nodes_[n];
  if ((v.type != NodeType::string && v.type != NodeType::number) || v.text_size == 0) {
    error_at(
        n,
        fmt::format("{}: '{}' must be a name, not {}", f.what(), key,
                    v.text_size == 0 && v.type == NodeType::string ? std::string_view("empty text")
                                                                   : type_name(v.type)),
        fmt::format("write e.g. '{}: name'", key));
    return std::nullopt;
  }
  return v.str();
}

bool Builder::check_range(std::uint32_t n, double value, Check check, const Fields& f,
                          std::string_view key) {
  if (check == Check::none) return true;
  auto problem = core::check_range(f.what(), key, value, nodes_[n].str(), check);
  if (!problem) return true;
  error_at(n, std::move(problem->message), std::move(problem->fix));
  return false;
}

std::optional<double> Builder::number(std::uint32_t n, Dimension dimension, const Fields& f,
                                      std::string_view key, Check check) {
  const auto text = scalar_text(n, f, key);
  if (!text) return std::nullopt;
  // Fast path: a bare number, or a number and a unit seen before. Anything unusual goes to
  // core::parse_quantity, which gives the same value and the error message.
  std::string_view body = *text;
  while (!body.empty() && body.back() == ' ') body.remove_suffix(1);
  if (nodes_[n].type == NodeType::number && body.find_first_of("nNiI") != std::string_view::npos) {
    // YAML's .nan and .inf.
    error_at(n, fmt::format("{}: {}: \"{}\" is not a finite number", f.what(), key, body),
             "give a finite value; NaN and infinity are not physical");
    return std::nullopt;
  }
  double value = 0.0;
  bool done = false;
  const char* first = body.data();
  const char* last = first + body.size();
  const auto [end, ec] = std::from_chars(first, last, value);
  if (ec == std::errc() && end != first && std::isfinite(value)) {
    std::string_view suffix(end, static_cast<std::size_t>(last - end));
    while (!suffix.empty() && suffix.front() == ' ') suffix.remove_prefix(1);
    if (suffix.empty()) {
      done = dimension != Dimension::temperature;
    } else {
      std::string cache_key(suffix);
      cache_key.push_back(static_cast<char>('A' + static_cast<int>(dimension)));
      const auto hit = unit_cache_.find(cache_key);
      if (hit != unit_cache_.end()) {
        value = value * hit->second.first + hit->second.second;
        done = true;
      } else {
        const auto unit = core::parse_quantity(fmt::format("1 {}", suffix), dimension);
        const auto zero = core::parse_quantity(fmt::format("0 {}", suffix), dimension);
        if (unit.ok && zero.ok && zero.value == 0.0) {  // no offset: caching is exact
          unit_cache_.emplace(std::move(cache_key), std::make_pair(unit.value, 0.0));
          value *= unit.value;
          done = true;
        }
      }
    }
  }
  if (!done) {
    const auto parsed = core::parse_quantity(body, dimension);
    if (!parsed.ok) {
      std::string fix = parsed.error.fix;
      if (dimension == Dimension::dimensionless && f.info(key).kind == ValueKind::setpoint &&
          core::parse_quantity(body, Dimension::voltage).ok)
        fix = "give the set-point per unit of the bus nominal voltage, e.g. 1.0 or 102 %";
      if (f.info(key).kind == ValueKind::rated)
        fix += " or a percentage of the rated value such as 120 %";
      if (key == "reactance" && core::parse_quantity(body, Dimension::resistance_per_length).ok)
        fix = fmt::format(
            "a per-metre value goes in 'reactance_per_length: {}'; 'reactance' is "
            "the total in ohm",
            body);
      error_at(n, core::bad_quantity(f.what(), key, parsed.error).message, fix);
      return std::nullopt;
    }
    value = parsed.value;
  }
  if (!check_range(n, value, check, f, key)) return std::nullopt;
  return value;
}

std::optional<double> Builder::quantity(const Fields& f, std::string_view key, Check check) {
  const std::uint32_t n = value_node(f, key);
  if (n == absent) return std::nullopt;
  return number(n, f.info(key).dimension, f, key, check);
}

std::optional<double> Builder::percent(const Fields& f, std::string_view key, Check check) {
  const std::uint32_t n = value_node(f, key);
  if (n == absent) return std::nullopt;
  // "6 %" is stored as 6 exactly (not 0.06 * 100), so write_yaml round-trips bit for bit.
  const std::string_view s = nodes_[n].str();
  if (nodes_[n].type == NodeType::string && s.size() > 1 && s.back() == '%') {
    std::string_view digits = s.substr(0, s.size() - 1);
    while (!digits.empty() && digits.back() == ' ') digits.remove_suffix(1);
    double value = 0.0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec == std::errc() && end == digits.data() + digits.size() && !digits.empty() &&
        std::isfinite(value)) {
      if (!check_range(n, value, check, f, key)) return std::nullopt;
      return value;
    }
  }
  const auto ratio = number(n, Dimension::dimensionless, f, key, check);
  if (!ratio) return std::nullopt;
  return *ratio * 100.0;
}

std::optional<std::int64_t> Builder::integer(const Fields& f, std::string_view key,
                                             std::int64_t min) {
  const std::uint32_t n = value_node(f, key);
  if (n == absent) return std::nullopt;
  const Node& v = nodes_[n];
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(v.text, v.text + v.text_size, value);
  if (v.type != NodeType::number || ec != std::errc() || end != v.text + v.text_size ||
      value < min) {
    auto problem = core::bad_integer(f.what(), key, v.str(), min);
    if (v.type != NodeType::number && v.type != NodeType::string)  // name the kind, not its text
      problem.message =
          fmt::format("{}: {} must be a whole number, got {}", f.what(), key, type_name(v.type));
    error_at(n, std::move(problem.message), std::move(problem.fix));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> Builder::boolean(const Fields& f, std::string_view key) {
  const std::uint32_t n = value_node(f, key);
  if (n == absent) return std::nullopt;
  if (nodes_[n].type != NodeType::boolean) {
    auto problem = core::bad_boolean(f.what(), key, nodes_[n].str());
    if (nodes_[n].type != NodeType::string && nodes_[n].type != NodeType::number)
      problem.message = fmt::format("{}: {} must be true or false, got {}", f.what(), key,
                                    type_name(nodes_[n].type));
    error_at(n, std::move(problem.message), std::move(problem.fix));
    return std::nullopt;
  }
  return nodes_[n].boolean;
}

std::optional<std::size_t> Builder::choice(const Fields& f, std::string_view key) {
  const std::uint32_t n = value_node(f, key);
  if (n == absent) return std::nullopt;
  const auto& choices = f.info(key).choices;
  const std::string_view s = nodes_[n].str();
  if (nodes_[n].type == NodeType::string)
    for (std::size_t i = 0; i < choices.size(); ++i)
      if (choices[i] == s) return i;
  auto problem = core::bad_choice(f.what(), key, s, choices);
  error_at(n, std::move(problem.message), std::move(problem.fix));
  return std::nullopt;
}

BusIndex Builder::bus(const Fields& f, std::string_view key, Scope& scope) {
  const auto name = text(f, key);
  if (!name) return no_bus;
  return scope.resolve(f.find(key), *name);
}

std::optional<std::vector<EfficiencyPoint>> Builder::efficiency(const Fields& f,
                                                                std::string_view key) {
  const std::uint32_t n = value_node(f, key);
  if (n == absent) return std::nullopt;
  const Node& v = nodes_[n];
  if (v.type == NodeType::number || v.type == NodeType::string) {
    const auto eff = number(n, Dimension::dimensionless, f, key, Check::fraction);
    if (!eff) return std::nullopt;
    return std::vector<EfficiencyPoint>{{1.0, *eff}};
  }
  if (v.type != NodeType::seq || v.count == 0) {
    error_at(
        n,
        fmt::format("{}: {} must be a ratio or a list of [load_fraction, efficiency] "
                    "points, got {}",
                    f.what(), key, v.type == NodeType::seq ? "an empty list" : type_name(v.type)),
        "write e.g. 'efficiency: 97.5 %' or 'efficiency: [[0.1, 0.95], [1.0, 0.98]]'");
    return std::nullopt;
  }
  std::vector<EfficiencyPoint> points;
  bool ok = true;
  for (const std::uint32_t item : Children(doc_, n)) {
    const Node& p = nodes_[item];
    if (p.type != NodeType::seq || p.count != 2) {
      error_at(item,
               fmt::format("{}: each {} point must be [load_fraction, efficiency]", f.what(), key),
               "write e.g. [0.5, 0.985] for 98.5 % at half load");
      ok = false;
      continue;
    }
    const std::uint32_t load_node = item + 1;
    const std::uint32_t eff_node = nodes_[load_node].end;
    const auto load = number(load_node, Dimension::dimensionless, f, key, Check::non_negative);
    const auto eff = number(eff_node, Dimension::dimensionless, f, key, Check::fraction);
    if (!load || !eff) {
      ok = false;
      continue;
    }
    if (!points.empty() && *load <= points.back().load_fraction) {
      error_at(load_node,
               fmt::format("{}: {} load fractions must increase, but {} follows {}", f.what(), key,
                           *load, points.back().load_fraction),
               "sort the points by load fraction and give each load fraction once");
      ok = false;
      continue;
    }
    points.push_back({*load, *eff});
  }
  if (!ok) return std::nullopt;
  return points;
}

std::optional<std::array<double, 3>> Builder::zip(const Fields& f, std::string_view key) {
  const std::uint32_t n = value_node(f, key);
  if (n == absent) return std::nullopt;
  if (nodes_[n].type != NodeType::seq || nodes_[n].count != 3) {
    error_at(n, fmt::format("{}: {} must be a list of three fractions [z, i, p]", f.what(), key),
             "write e.g. 'zip: [0.2, 0.3, 0.5]'");
    return std::nullopt;
  }
  std::array<double, 3> zip{};
  std::size_t i = 0;
  bool ok = true;
  for (const std::uint32_t item : Children(doc_, n)) {
    const auto value = number(item, Dimension::dimensionless, f, key, Check::unit_interval);
    if (value) {
      zip[i] = *value;
    } else {
      ok = false;
    }
    ++i;
  }
  if (!ok) return std::nullopt;
  const double sum = zip[0] + zip[1] + zip[2];
  if (std::fabs(sum - 1.0) > 1e-9) {
    error_at(n, fmt::format("{}: {} fractions sum to {}, not 1", f.what(), key, sum),
             "make the constant impedance, current and power fractions add up to 1");
    return std::nullopt;
  }
  return zip;
}

std::optional<CurrentLimit> Builder::rated(const Fields& f, std::string_view key) {
  const std::uint32_t n = value_node(f, key);
  if (n == absent) return std::nullopt;
  const std::string_view text = nodes_[n].str();
  const bool percentage = nodes_[n].type == NodeType::string && text.find('%') != text.npos;
  const auto value = number(n, percentage ? Dimension::dimensionless : f.info(key).dimension, f,
                            key, Check::positive);
  if (!value) return std::nullopt;
  return CurrentLimit{*value, percentage};
}

std::optional<std::vector<OcvPoint>> Builder::ocv(const Fields& f, std::string_view key) {
  const std::uint32_t n = value_node(f, key);
  if (n == absent) return std::nullopt;
  const Node& v = nodes_[n];
  if (v.type != NodeType::seq || v.count < 2) {
    error_at(n,
             fmt::format("{}: {} must be a list of at least two [soc, voltage] points, got {}",
                         f.what(), key,
                         v.type == NodeType::seq ? fmt::format("{} point(s)", v.count)
                                                 : std::string(type_name(v.type))),
             "write e.g. 'ocv: [[0, 42 V], [0.5, 51 V], [1, 54.6 V]]' from the cell's datasheet "
             "curve times the cells in series");
    return std::nullopt;
  }
  std::vector<OcvPoint> points;
  bool ok = true;
  for (const std::uint32_t item : Children(doc_, n)) {
    const Node& p = nodes_[item];
    if (p.type != NodeType::seq || p.count != 2) {
      error_at(item, fmt::format("{}: each {} point must be [soc, voltage]", f.what(), key),
               "write e.g. [0.5, 51 V] for 51 V at half charge");
      ok = false;
      continue;
    }
    const std::uint32_t soc_node = item + 1;
    const std::uint32_t v_node = nodes_[soc_node].end;
    const auto soc = number(soc_node, Dimension::dimensionless, f, key, Check::unit_interval);
    const auto voltage = number(v_node, Dimension::voltage, f, key, Check::positive);
    if (!soc || !voltage) {
      ok = false;
      continue;
    }
    if (!points.empty() && *soc <= points.back().soc) {
      error_at(soc_node,
               fmt::format("{}: {} states of charge must increase, but {} follows {}", f.what(),
                           key, *soc, points.back().soc),
               "sort the points by state of charge and give each once");
      ok = false;
      continue;
    }
    if (!points.empty() && *voltage < points.back().voltage_v) {
      error_at(v_node,
               fmt::format("{}: {} falls from {} V to {} V as the state of charge rises", f.what(),
                           key, points.back().voltage_v, *voltage),
               "a cell's open-circuit voltage rises with its state of charge; check the points");
      ok = false;
      continue;
    }
    points.push_back({*soc, *voltage});
  }
  if (!ok) return std::nullopt;
  return points;
}

std::optional<RcPair> Builder::rc_pair(const Fields& f, std::string_view key) {
  const std::uint32_t n = value_node(f, key);
  if (n == absent) return std::nullopt;
  if (nodes_[n].type != NodeType::map) {
    error_at(
        n, fmt::format("{}: {} must be a map {{resistance: ..., capacitance: ...}}", f.what(), key),
        "write e.g. 'rc_pair: {resistance: 2 mohm, capacitance: 15 kF}'");
    return std::nullopt;
  }
  const std::string owner = fmt::format(" of {}", f.what());
  Fields pair(*this, n, *find_section("rc_pair"), "rc_pair", owner);
  const auto r = quantity(pair, "resistance", Check::positive);
  const auto c = quantity(pair, "capacitance", Check::positive);
  if (!r || !c) return std::nullopt;
  return RcPair{*r, *c};
}

std::optional<Trip> Builder::trip(const Fields& f, std::string_view key) {
  const std::uint32_t n = value_node(f, key);
  if (n == absent) return std::nullopt;
  if (nodes_[n].type != NodeType::map) {
    error_at(n, fmt::format("{}: {} must be a map {{kind: ..., ...}}", f.what(), key),
             "write e.g. 'trip: {kind: solid_state, pickup: 2 kA, delay: 5 us, clamp_voltage: "
             "1.2 kV}'");
    return std::nullopt;
  }
  const std::string owner = fmt::format(" of {}", f.what());
  Fields t(*this, n, *find_section("trip"), "trip", owner);
  Trip out;
  out.where = where_of(n);
  const std::size_t errors = error_count();
  // A part from data/protection fixes its kind and its catalogue values; the keys it leaves
  // open (the arc voltage, the stray inductance, the open device's resistances) are given here.
  const ProtectionPart* part = nullptr;
  if (t.has("part")) {
    const auto name = text(t, "part");
    if (!name) return std::nullopt;
    part = find_protection_part(*name);
    if (part == nullptr) {
      error_at(t.find("part"), fmt::format("{}: unknown protection part '{}'", f.what(), *name),
               protection_part_hint(*name));
      return std::nullopt;
    }
    out.part = part->part;
  }
  const auto kind = t.has("kind") || part == nullptr ? choice(t, "kind") : std::nullopt;
  if (!kind && part == nullptr) {
    if (!t.has("kind"))
      error_at(n, fmt::format("{}: trip has no 'kind'", f.what()),
               "add 'kind: solid_state' (or hybrid, fuse, thermal_magnetic)");
    return std::nullopt;
  }
  if (!kind && t.has("kind")) return std::nullopt;
  out.kind = kind ? static_cast<TripKind>(*kind) : part->kind;
  if (part != nullptr && out.kind != part->kind) {
    error_at(
        t.find("kind"),
        fmt::format("{}: part '{}' is a {}, not a {}", f.what(), part->part,
                    find_section("trip")->keys[0].choices[static_cast<std::size_t>(part->kind)],
                    find_section("trip")->keys[0].choices[*kind]),
        "remove 'kind' (the part gives it) or choose a part of that kind");
    return std::nullopt;
  }
  // The keys each kind uses: any other is refused, as is a missing one.
  using K = TripKind;
  struct Use {
    std::string_view key;
    std::array<bool, 4> used;  // solid_state, hybrid, fuse, thermal_magnetic
    bool required;
  };
  constexpr std::array uses{
      Use{"pickup", {true, true, false, true}, false},
      Use{"di_dt", {true, true, false, false}, false},
      Use{"delay", {true, true, false, true}, true},
      Use{"commutation_time", {false, true, false, false}, true},
      Use{"clamp_voltage", {true, true, true, true}, true},
      Use{"rated_current", {false, false, true, true}, true},
      Use{"rated_voltage", {false, false, true, true}, false},
      Use{"pre_arcing_i2t", {false, false, true, false}, true},
      Use{"clearing_i2t", {false, false, true, false}, true},
      Use{"thermal_time_constant", {false, false, false, true}, true},
      Use{"thermal_pickup", {false, false, false, true}, true},
      Use{"reclose", {true, true, false, true}, false},
  };
  const auto k = static_cast<std::size_t>(out.kind);
  const std::string_view kind_name = find_section("trip")->keys[0].choices[k];
  // The values a fuse's part fixes (its catalogue row).
  const auto from_part = [&](std::string_view key) {
    return part != nullptr && (key == "rated_current" || key == "rated_voltage" ||
                               key == "pre_arcing_i2t" || key == "clearing_i2t");
  };
  for (const auto& use : uses) {
    if (t.has(use.key) && from_part(use.key))
      error_at(t.find(use.key),
               fmt::format("{}: '{}' comes from part '{}' ({}:{})", f.what(), use.key, part->part,
                           part->file, part->line),
               fmt::format("remove '{}', or remove 'part' and give every value inline", use.key));
    else if (from_part(use.key))
      continue;
    else if (t.has(use.key) && !use.used[k])
      error_at(
          t.find(use.key),
          fmt::format("{}: trip key '{}' does not apply to kind {}", f.what(), use.key, kind_name),
          fmt::format("remove '{}'", use.key));
    else if (!t.has(use.key) && use.used[k] && use.required)
      error_at(n, fmt::format("{}: a {} trip has no '{}'", f.what(), kind_name, use.key),
               fmt::format("add '{}' (docs/model-format.md, Protection devices)", use.key));
  }
  if (out.kind == K::solid_state || out.kind == K::hybrid || out.kind == K::thermal_magnetic) {
    if (!t.has("pickup") && !(out.kind != K::thermal_magnetic && t.has("di_dt")))
      error_at(n, fmt::format("{}: a {} trip has no 'pickup'", f.what(), kind_name),
               out.kind == K::thermal_magnetic
                   ? "add 'pickup', the magnetic (instantaneous) trip current"
                   : "add 'pickup' (a current) and/or 'di_dt' (a rate of rise)");
  }
  if (auto v = quantity(t, "pickup", Check::positive)) out.pickup_a = *v;
  if (auto v = quantity(t, "di_dt", Check::positive)) out.di_dt_pickup_a_per_s = *v;
  if (auto v = quantity(t, "delay", Check::non_negative)) out.delay_s = *v;
  if (auto v = quantity(t, "commutation_time", Check::non_negative)) out.commutation_s = *v;
  if (auto v = quantity(t, "clamp_voltage", Check::positive)) out.clamp_voltage_v = *v;
  if (auto v = quantity(t, "clamp_resistance", Check::non_negative)) out.clamp_resistance_ohm = *v;
  out.off_resistance_ohm = 1e6;  // data/protection/README.md: an assumption
  if (auto v = quantity(t, "off_resistance", Check::positive)) out.off_resistance_ohm = *v;
  if (auto v = quantity(t, "inductance", Check::non_negative)) out.inductance_h = *v;
  if (auto v = quantity(t, "rated_current", Check::positive)) out.rated_current_a = *v;
  if (auto v = quantity(t, "rated_voltage", Check::positive)) out.rated_voltage_v = *v;
  if (auto v = quantity(t, "pre_arcing_i2t", Check::positive)) out.pre_arcing_i2t_a2s = *v;
  if (auto v = quantity(t, "clearing_i2t", Check::positive)) out.clearing_i2t_a2s = *v;
  if (auto v = quantity(t, "thermal_time_constant", Check::positive))
    out.thermal_time_constant_s = *v;
  if (auto v = quantity(t, "thermal_pickup", Check::positive)) out.thermal_pickup = *v;
  if (auto v = quantity(t, "reclose", Check::positive)) out.reclose_s = *v;
  if (error_count() != errors) return std::nullopt;
  if (part != nullptr) {
    out.rated_current_a = part->rated_current_a;
    out.rated_voltage_v = part->rated_voltage_dc_v;
    out.pre_arcing_i2t_a2s = part->pre_arcing_i2t_a2s;
    out.clearing_i2t_a2s = part->clearing_i2t_a2s;
  }
  // Ranges between the values.
  if (out.kind == K::fuse && out.clearing_i2t_a2s < out.pre_arcing_i2t_a2s)
    error_at(t.find("clearing_i2t"),
             fmt::format("{}: clearing I2t {} A2s is below the pre-arcing I2t {} A2s", f.what(),
                         out.clearing_i2t_a2s, out.pre_arcing_i2t_a2s),
             "clearing I2t is pre-arcing plus arcing I2t: check the datasheet values");
  if (out.kind == K::thermal_magnetic && out.thermal_pickup <= 1.0)
    error_at(t.find("thermal_pickup"),
             fmt::format("{}: thermal_pickup {} is not above 1: the breaker would trip at its "
                         "rated current",
                         f.what(), out.thermal_pickup),
             "give the multiple of rated current at which it trips at last (about 1.05 to 1.3)");
  if (out.kind == K::thermal_magnetic && out.pickup_a <= out.thermal_pickup * out.rated_current_a)
    error_at(t.find("pickup"),
             fmt::format("{}: magnetic pickup {} A is not above the thermal range ({} x {} A)",
                         f.what(), out.pickup_a, out.thermal_pickup, out.rated_current_a),
             "the magnetic pickup is a multiple of rated current (e.g. 5 to 10 In)");
  if (out.clamp_resistance_ohm > 0.0 && out.clamp_resistance_ohm >= out.off_resistance_ohm)
    error_at(t.find("clamp_resistance"),
             fmt::format("{}: clamp_resistance is not below off_resistance", f.what()),
             "the clamp conducts far better above its voltage than the open device below it");
  if (error_count() != errors) return std::nullopt;
  return out;
}

std::int32_t Builder::origin(const Fields& f) {
  const std::uint32_t n = f.find("origin");
  if (n == absent) return no_origin;
  if (nodes_[n].type != NodeType::map) {
    error_at(n, fmt::format("{}: origin must be a map {{template: ..., path: ...}}", f.what()));
    return no_origin;
  }
  const std::string owner = fmt::format(" of {}", f.what());
  Fields o(*this, n, *find_section("origin"), "origin", owner);
  Origin result;
  if (const auto t = text(o, "template")) result.template_name = std::string(*t);
  if (const auto p = text(o, "path")) result.instance_path = std::string(*p);
  if (in_template_) return no_origin;  // replaced by the instance's origin on expansion
  return add_origin(std::move(result));
}

std::int32_t Builder::add_origin(Origin origin) {
  std::string key;
  key.reserve(origin.template_name.size() + 1 + origin.instance_path.size());
  key.append(origin.template_name).push_back('\0');
  key.append(origin.instance_path);
  const auto next = static_cast<std::int32_t>(spec_->origins.size());
  const auto [it, added] = origin_ids_.try_emplace(std::move(key), next);
  if (added) spec_->origins.push_back(std::move(origin));
  return it->second;
}

Where Builder::where_of(std::uint32_t n) {
  return doc_.where(nodes_[n], where_cursor_);
}

std::string Builder::suggest_bus(std::string_view name, std::span<const std::string> local_names) {
  if (!local_names.empty()) return closest_match(name, local_names);
  if (suggestions_left_ <= 0) return {};
  --suggestions_left_;
  std::vector<std::string_view> ids;
  ids.reserve(top_buses_);
  for (std::size_t i = 0; i < top_buses_; ++i) ids.push_back(spec_->buses[i].id);
  return closest_match(name, ids);
}

}  // namespace g2g::model::detail

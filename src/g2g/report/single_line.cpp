// Single-line diagram of a solved model, as DOT for Graphviz. Elements stamped from a template are
// grouped by template path ("row[3]/rack[12]/psu" -> "row/rack/psu") and drawn once with "×N".
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "g2g/report/format.hpp"
#include "g2g/report/html_common.hpp"
#include "g2g/report/report.hpp"

namespace g2g::report {

namespace {

using detail::append_escaped;
using detail::format_nominal_voltage;
using detail::format_percent;
using detail::format_power;
using detail::format_si;
using detail::format_significant;
using detail::format_trimmed;
using detail::format_voltage;
using model::BusIndex;
using model::no_bus;
using page::esc;
using steady::ElementType;

// "row[3]/rack[12]" -> "row/rack".
std::string strip_indices(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '[') {
      std::size_t j = i + 1;
      while (j < path.size() && path[j] >= '0' && path[j] <= '9') ++j;
      if (j > i + 1 && j < path.size() && path[j] == ']') {
        i = j;
        continue;
      }
    }
    out.push_back(path[i]);
  }
  return out;
}

struct Key {
  std::string cluster;  // template path ("row/rack"), empty at top level
  std::string key;      // cluster + "/" + local id, or the id at top level
  std::string local;    // id inside the template
};

Key key_of(const model::ModelSpec& model, std::string_view id, std::int32_t origin, bool group) {
  const model::Origin* o = group ? model::origin_of(model, origin) : nullptr;
  if (o == nullptr || o->instance_path.empty()) return {"", std::string(id), std::string(id)};
  std::string cluster = strip_indices(o->instance_path);
  std::string_view local = id;
  const std::string_view path = o->instance_path;
  if (id.size() > path.size() && id.substr(0, path.size()) == path && id[path.size()] == '/')
    local = id.substr(path.size() + 1);
  Key k;
  k.key = fmt::format("{}/{}", cluster, local);
  k.cluster = std::move(cluster);
  k.local = std::string(local);
  return k;
}

struct BusGroup {
  Key key;
  BusIndex first = no_bus;
  BusIndex last = no_bus;
  std::size_t count = 0;
  double v_min = std::numeric_limits<double>::infinity();
  double v_max = -std::numeric_limits<double>::infinity();
  double pu_min = std::numeric_limits<double>::infinity();
  double pu_max = -std::numeric_limits<double>::infinity();
  std::size_t de_energised = 0;
  std::size_t degree = 0;
  std::vector<std::string> problems;
};

// What the diagram shows of one element, taken from the model.
struct Info {
  std::string_view id;
  std::int32_t origin = model::no_origin;
  BusIndex a = no_bus;     // input / from / HV side, or the only bus of a one-port
  BusIndex b = no_bus;     // output / to / LV side; no_bus for one-ports
  std::string badge;       // "TRANSFORMER", "PSU", ...
  std::string style;       // colour class
  std::string detail;      // ratings and geometry
  std::string redundancy;  // "N+1: 6 × 5.5 kW installed"; empty without spare units
  bool in_service = true;
  bool rated = false;
};

struct ElementGroup {
  Key key;
  ElementType type = ElementType::load;
  Info info;            // of the first member
  std::string last_id;  // the model id of the last member (the first is info.id)
  int bus_a = -1;
  int bus_b = -1;
  std::size_t count = 0;
  double p_in = 0.0;
  double p_out = 0.0;
  double loss = 0.0;
  double current_max = 0.0;
  double loading_max = 0.0;
  std::vector<std::string> problems;
};

std::string rating_text(double watts) {
  return detail::format_rating(watts, "W");
}

std::string efficiency_percent(double efficiency) {
  return fmt::format("{} %", format_trimmed(efficiency * 100.0, 4));
}

std::string efficiency_text(const std::vector<model::EfficiencyPoint>& curve) {
  if (curve.empty()) return {};
  if (curve.size() == 1) return fmt::format("η {}", efficiency_percent(curve.front().efficiency));
  const auto [lo, hi] =
      std::minmax_element(curve.begin(), curve.end(),
                          [](const auto& x, const auto& y) { return x.efficiency < y.efficiency; });
  return fmt::format("η {}–{} (curve)", efficiency_percent(lo->efficiency),
                     efficiency_percent(hi->efficiency));
}

// Units sharing an element's load (model::Redundancy), as the label shows them: "N+1: 6 × 5.5 kW
// installed", "4 × 5.5 kW" (modules without spares); empty for a single unit.
std::string redundancy_text(const model::Redundancy& r, double rating, std::string_view unit) {
  if (r.installed <= 1 && r.modules <= 1) return {};
  const double unit_rating = r.modules > 0 ? rating / r.modules : rating;
  const std::string units = unit_rating > 0 ? fmt::format("{} × {}", r.installed,
                                                          detail::format_rating(unit_rating, unit))
                                            : fmt::format("{} units", r.installed);
  return r.rule.empty() ? units : fmt::format("{}: {} installed", r.rule, units);
}

// "2 mΩ", "0.35 Ω": breaker on-state resistances are milliohms.
std::string resistance_text(double ohm) {
  if (std::fabs(ohm) < 1.0) return fmt::format("{} mΩ", format_trimmed(ohm * 1e3, 4));
  return fmt::format("{} Ω", format_trimmed(ohm, 4));
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '_') c = ' ';
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

Info describe(const model::ModelSpec& m, const steady::ElementResult& e) {
  Info info;
  const auto i = static_cast<std::size_t>(e.index);
  switch (e.type) {
    case ElementType::source: {
      const auto& s = m.sources.at(i);
      info = {s.id,     s.origin, s.bus, no_bus, upper(model::name(s.type)),
              "source", {},       {},    true,   s.rating_va > 0};
      info.detail = fmt::format("set-point {} pu", format_trimmed(s.v_set_pu, 4));
      if (s.rating_va > 0)
        info.detail += fmt::format(" · {}", detail::format_rating(s.rating_va, "VA"));
      info.in_service = s.in_service;
      break;
    }
    case ElementType::line: {
      const auto& l = m.lines.at(i);
      if (l.type == model::LineType::breaker) {
        // A solid-state breaker is a resistive branch in the solver, a breaker to the reader.
        info = {l.id, l.origin, l.from, l.to, "BREAKER", "breaker", {}, {}, true, l.ampacity_a > 0};
        info.detail =
            fmt::format("solid-state · on-state R {}", resistance_text(l.r_ohm.value_or(0.0)));
        if (l.ampacity_a > 0)
          info.detail += fmt::format(" · {} A rated", format_trimmed(l.ampacity_a, 5));
        info.in_service = l.in_service;
        break;
      }
      info = {l.id,   l.origin, l.from, l.to, upper(model::name(l.type)),
              "line", {},       {},     true, l.ampacity_a > 0};
      if (l.r_ohm) {
        info.detail = fmt::format("R {} Ω", format_trimmed(*l.r_ohm, 4));
      } else {
        const std::string section =
            l.conductors_per_pole > 1
                ? fmt::format("{}×{} mm²", l.conductors_per_pole,
                              format_trimmed(l.cross_section_m2 * 1e6, 4))
                : fmt::format("{} mm²", format_trimmed(l.cross_section_m2 * 1e6, 4));
        info.detail = fmt::format(
            "{}{} {} · {} m", l.parallel_runs > 1 ? fmt::format("{} runs × ", l.parallel_runs) : "",
            section, l.material == model::Material::copper ? "Cu" : "Al",
            format_trimmed(l.length_m, 4));
      }
      if (l.ampacity_a > 0)
        info.detail += fmt::format(" · {} A max", format_trimmed(l.ampacity_a, 5));
      info.in_service = l.in_service;
      break;
    }
    case ElementType::transformer: {
      const auto& t = m.transformers.at(i);
      info = {t.id,          t.origin, t.hv, t.lv, "TRANSFORMER",
              "transformer", {},       {},   true, t.rating_va > 0};
      const double vh = t.v_hv_rated_v > 0 ? t.v_hv_rated_v
                        : t.hv >= 0 ? m.buses.at(static_cast<std::size_t>(t.hv)).nominal_voltage_v
                                    : 0.0;
      const double vl = t.v_lv_rated_v > 0 ? t.v_lv_rated_v
                        : t.lv >= 0 ? m.buses.at(static_cast<std::size_t>(t.lv)).nominal_voltage_v
                                    : 0.0;
      info.detail = fmt::format("{} / {}", format_nominal_voltage(vh), format_nominal_voltage(vl));
      if (t.rating_va > 0)
        info.detail += fmt::format(" · {} · z {} %", detail::format_rating(t.rating_va, "VA"),
                                   format_trimmed(t.z_pct, 4));
      info.redundancy = redundancy_text(t.redundancy, t.rating_va, "VA");
      info.in_service = t.in_service;
      break;
    }
    case ElementType::switch_: {
      const auto& s = m.switches.at(i);
      info = {s.id, s.origin, s.from, s.to, "BREAKER", "breaker", s.closed ? "closed" : "open",
              {},   true,     false};
      break;
    }
    case ElementType::converter: {
      const auto& c = m.converters.at(i);
      const std::string_view kind =
          c.subtype == model::ConverterSubtype::none ? model::name(c.type) : model::name(c.subtype);
      std::string style = "converter";
      if (kind == "sst")
        style = "sst";
      else if (kind == "ups")
        style = "ups";
      else if (kind == "psu")
        style = "psu";
      else if (kind == "rectifier")
        style = "rectifier";
      else if (kind == "inverter")
        style = "inverter";
      else if (c.type == model::ConverterType::dcdc)
        style = "dcdc";
      std::string badge = kind == "dcdc" ? std::string("DC/DC") : upper(kind);
      info = {c.id, c.origin, c.input, c.output,      std::move(badge), std::move(style),
              {},   {},       true,    c.rating_w > 0};
      info.detail = fmt::format("{} · {}", rating_text(c.rating_w), efficiency_text(c.efficiency));
      info.redundancy = redundancy_text(c.redundancy, c.rating_w, "W");
      info.in_service = c.in_service;
      break;
    }
    case ElementType::load: {
      const auto& l = m.loads.at(i);
      const bool gpu = l.model == model::LoadModel::gpu_rack;
      info = {l.id,   l.origin, l.bus, no_bus, gpu ? "GPU RACK" : "LOAD",
              "load", {},       {},    true,   false};
      info.detail =
          gpu ? fmt::format("IT {} · utilisation {}", rating_text(l.it_power_w),
                            format_percent(l.utilisation, 0))
              : fmt::format("{} at nominal voltage", rating_text(model::nominal_load_power_w(l)));
      info.in_service = l.in_service;
      break;
    }
    case ElementType::storage: {
      const auto& s = m.storage.at(i);
      info = {s.id, s.origin, s.bus, no_bus, "STORAGE", "storage", {}, {}, true, s.rating_w > 0};
      info.detail = rating_text(s.rating_w);
      if (s.energy_j > 0)
        info.detail += fmt::format(" · {}", detail::format_rating(s.energy_j / 3600.0, "Wh"));
      info.in_service = s.in_service;
      break;
    }
    default: {  // a kind with no drawing of its own: its name, label and buses
      model::ElementIdentity identity;
      if (!model::identify(m, e.type, i, identity))
        throw std::out_of_range(
            fmt::format("no {} #{} in the model", steady::element_type_name(e.type), i));
      const std::string_view kind = steady::element_type_name(e.type);
      info = {*identity.id,
              identity.origin,
              identity.first_bus,
              identity.second_bus,
              upper(identity.label.empty() ? kind : identity.label),
              std::string(kind),
              {},
              {},
              identity.in_service,
              false};
      break;
    }
  }
  return info;
}

struct Colours {
  const char* fill;
  const char* border;
};

Colours colours(std::string_view style) {
  if (style == "source") return {"#e8f0fe", "#1a56db"};
  if (style == "transformer") return {"#e6f4ea", "#137333"};
  if (style == "sst") return {"#f3e8fd", "#7b1fa2"};
  if (style == "ups") return {"#fff4e5", "#b45309"};
  // Not red: red and pink mark a violation (problem_colour), and a healthy PSU must not look
  // like one.
  if (style == "psu") return {"#e8eaf6", "#3949ab"};
  if (style == "rectifier" || style == "inverter") return {"#fef7e0", "#a16207"};
  if (style == "dcdc" || style == "converter") return {"#e0f7fa", "#00838f"};
  if (style == "line") return {"#f1f3f4", "#5f6368"};
  if (style == "breaker") return {"#ffffff", "#3c4043"};
  if (style == "load") return {"#e8f5e9", "#2e7d32"};
  if (style == "storage") return {"#fffde7", "#8d6e00"};
  return {"#ffffff", "#333333"};
}

constexpr const char* ac_colour = "#1f4e79";
constexpr const char* dc_colour = "#b3541e";
// Used for buses and elements with a violation, and for nothing else.
constexpr const char* problem_colour = "#d93025";
constexpr const char* problem_fill = "#fce8e6";

// Power flowing through an element group, for edge widths.
double throughput(const ElementGroup& g) {
  switch (g.type) {
    case ElementType::source:
      return std::fabs(g.p_out);
    case ElementType::load:
    case ElementType::storage:
      return std::fabs(g.p_in) + std::fabs(g.p_out);
    default:
      return std::max(std::fabs(g.p_in), std::fabs(g.p_out));
  }
}

struct Diagram {
  std::string dot;
  std::size_t nodes = 0;
};

class Builder {
 public:
  Builder(const model::ModelSpec& m, const steady::SolveResult& r, const SingleLineOptions& o)
      : m_(m), r_(r), o_(o) {}

  Diagram build() {
    if (r_.buses.size() != m_.buses.size())
      throw ReportError(fmt::format("single-line diagram: the result has {} buses, the model {}",
                                    r_.buses.size(), m_.buses.size()));
    group_buses();
    group_elements();
    attach_violations();
    name_nodes();
    return {write(), buses_.size() + elements_.size()};
  }

 private:
  void group_buses() {
    bus_group_.assign(m_.buses.size(), -1);
    std::unordered_map<std::string, int> index;
    for (std::size_t i = 0; i < m_.buses.size(); ++i) {
      const auto& bus = m_.buses[i];
      Key k = key_of(m_, bus.id, bus.origin, o_.group_templates);
      auto [it, added] = index.try_emplace(k.key, static_cast<int>(buses_.size()));
      if (added) {
        BusGroup g;
        g.key = std::move(k);
        g.first = static_cast<BusIndex>(i);
        buses_.push_back(std::move(g));
      }
      BusGroup& g = buses_[static_cast<std::size_t>(it->second)];
      bus_group_[i] = it->second;
      g.last = static_cast<BusIndex>(i);
      ++g.count;
      const auto& res = r_.buses[i];
      if (!res.energised) {
        ++g.de_energised;
        continue;
      }
      g.v_min = std::min(g.v_min, res.voltage_v);
      g.v_max = std::max(g.v_max, res.voltage_v);
      g.pu_min = std::min(g.pu_min, res.v_pu);
      g.pu_max = std::max(g.pu_max, res.v_pu);
    }
  }

  int group_of_bus(BusIndex b) const {
    if (b < 0 || static_cast<std::size_t>(b) >= bus_group_.size()) return -1;
    return bus_group_[static_cast<std::size_t>(b)];
  }

  void group_elements() {
    std::unordered_map<std::string, int> index;
    for (const auto& e : r_.elements) {
      Info info = describe(m_, e);
      Key k = key_of(m_, info.id, info.origin, o_.group_templates);
      const int a = group_of_bus(info.a);
      const int b = group_of_bus(info.b);
      // Members of one group must connect to the same bus groups (a template port bound to
      // different buses in different instances splits the group).
      const std::string full = fmt::format("{}|{}|{}|{}", static_cast<int>(e.type), k.key, a, b);
      auto [it, added] = index.try_emplace(full, static_cast<int>(elements_.size()));
      if (added) {
        ElementGroup g;
        g.key = std::move(k);
        g.type = e.type;
        g.info = std::move(info);
        g.bus_a = a;
        g.bus_b = b;
        elements_.push_back(std::move(g));
        if (a >= 0) ++buses_[static_cast<std::size_t>(a)].degree;
        if (b >= 0) ++buses_[static_cast<std::size_t>(b)].degree;
      }
      ElementGroup& g = elements_[static_cast<std::size_t>(it->second)];
      g.last_id = describe_id(e);
      ++g.count;
      g.p_in += e.p_in_w;
      g.p_out += e.p_out_w;
      g.loss += e.loss_w;
      g.current_max = std::max(g.current_max, std::fabs(e.current_a));
      g.loading_max = std::max(g.loading_max, e.loading_pct);
      element_by_id_.emplace(std::string(describe_id(e)), it->second);
    }
    for (std::size_t i = 0; i < m_.buses.size(); ++i)
      bus_by_id_.emplace(m_.buses[i].id, bus_group_[i]);
  }

  std::string_view describe_id(const steady::ElementResult& e) const {
    model::ElementIdentity identity;
    if (e.index < 0 || !model::identify(m_, e.type, static_cast<std::size_t>(e.index), identity))
      return {};
    return *identity.id;
  }

  void attach_violations() {
    // One line per kind and group: the worst value over the group's members.
    std::map<std::pair<int, std::string>, std::pair<double, std::size_t>> bus_worst;
    std::map<std::pair<int, std::string>, std::pair<double, std::size_t>> element_worst;
    for (const auto& v : r_.violations) {
      const std::string kind(steady::violation_kind_name(v.kind));
      const bool low = v.kind == steady::ViolationKind::under_voltage;
      auto note = [&](auto& table, int group) {
        auto [it, added] = table.try_emplace({group, kind}, std::make_pair(v.value, 0));
        auto& [worst, n] = it->second;
        if (!added) worst = low ? std::min(worst, v.value) : std::max(worst, v.value);
        ++n;
      };
      // Voltage limits belong to buses, the others to elements: a bus and an element may
      // share an id, and the violation must colour only the one that has it.
      const bool at_bus = v.kind == steady::ViolationKind::under_voltage ||
                          v.kind == steady::ViolationKind::over_voltage;
      if (at_bus) {
        if (auto it = bus_by_id_.find(v.element_id); it != bus_by_id_.end())
          note(bus_worst, it->second);
      } else if (auto jt = element_by_id_.find(v.element_id); jt != element_by_id_.end()) {
        note(element_worst, jt->second);
      }
    }
    auto text = [](const std::string& kind, double worst, std::size_t n, bool in_group) {
      std::string what = kind;
      std::replace(what.begin(), what.end(), '_', ' ');
      const bool pu = kind == "under_voltage" || kind == "over_voltage";
      const std::string value = pu ? fmt::format("{} pu", format_significant(worst, 4))
                                : kind == "reactive_limit"
                                    ? format_si(worst, "var", 4)
                                    : fmt::format("{} %", format_significant(worst, 4));
      return in_group ? fmt::format("⚠ {} in {}: worst {}", what, n, value)
                      : fmt::format("⚠ {}: {}", what, value);
    };
    for (const auto& [k, w] : bus_worst) {
      auto& g = buses_[static_cast<std::size_t>(k.first)];
      g.problems.push_back(text(k.second, w.first, w.second, g.count > 1));
    }
    for (const auto& [k, w] : element_worst) {
      auto& g = elements_[static_cast<std::size_t>(k.first)];
      g.problems.push_back(text(k.second, w.first, w.second, g.count > 1));
    }
  }

  // ---- DOT output ---------------------------------------------------------------------------

  std::string bus_label(const BusGroup& g) const {
    const auto& bus = m_.buses[static_cast<std::size_t>(g.first)];
    const bool ac = bus.kind == model::BusKind::ac;
    const char* colour = g.problems.empty() ? (ac ? ac_colour : dc_colour) : problem_colour;
    // Width grows with the number of connections so that the bar reads as a bus.
    const std::size_t width = std::clamp<std::size_t>(140 + 70 * g.degree, 220, 900);
    std::string solved;
    if (g.de_energised == g.count) {
      solved = "de-energised";
    } else if (g.count > 1 && g.v_max - g.v_min > 1e-6 * std::max(1.0, g.v_max)) {
      solved =
          fmt::format("{} … {} ({}–{} pu)", format_voltage(g.v_min, 4), format_voltage(g.v_max, 4),
                      format_significant(g.pu_min, 4), format_significant(g.pu_max, 4));
    } else {
      solved =
          fmt::format("{} ({} pu)", format_voltage(g.v_min, 4), format_significant(g.pu_min, 4));
    }
    std::string label = fmt::format(
        R"(<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" BGCOLOR="{}">)"
        R"(<TR><TD WIDTH="{}" HEIGHT="6"><FONT COLOR="white" POINT-SIZE="10"><B>{}</B>{}&#160;&#160;·&#160;&#160;{} {}&#160;&#160;·&#160;&#160;{}</FONT></TD></TR>)",
        colour, width, esc(g.key.local),
        g.count > 1 ? fmt::format("&#160;&#160;&#160;×{}", g.count) : "",
        format_nominal_voltage(bus.nominal_voltage_v), ac ? "AC" : "DC", esc(solved));
    for (const auto& p : g.problems)
      label += fmt::format(
          R"(<TR><TD BGCOLOR="white"><FONT COLOR="{}" POINT-SIZE="9">{}</FONT></TD></TR>)",
          problem_colour, esc(p));
    label += "</TABLE>";
    return label;
  }

  std::string element_label(const ElementGroup& g) const {
    const Colours c = colours(g.info.style);
    const bool healthy = g.problems.empty();
    const char* border = healthy ? c.border : problem_colour;
    const char* fill = healthy ? c.fill : problem_fill;
    std::string rows;
    // Header: type badge, id, ×N.
    rows += fmt::format(
        R"(<TR><TD ALIGN="LEFT"><FONT COLOR="{}" POINT-SIZE="8"><B>{}</B></FONT>&#160;&#160;&#160;<B>{}</B>{}</TD></TR>)",
        c.border, esc(g.info.badge), esc(g.key.local),
        g.count > 1 ? fmt::format(R"(&#160;&#160;&#160;<FONT COLOR="{}"><B>×{}</B></FONT>)",
                                  c.border, g.count)
                    : "");
    if (!g.info.detail.empty())
      rows += fmt::format(
          R"(<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="8" COLOR="#444444">{}</FONT></TD></TR>)",
          esc(g.info.detail));
    if (!g.info.redundancy.empty())
      rows += fmt::format(
          R"(<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="8" COLOR="#444444">{}{}</FONT></TD></TR>)",
          g.count > 1 ? "each " : "", esc(g.info.redundancy));
    if (!g.info.in_service)
      rows +=
          R"(<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="8" COLOR="#888888">out of service</FONT></TD></TR>)";
    const double n = static_cast<double>(g.count);
    auto flow = [&](double p_in, double p_out, double loss) {
      switch (g.type) {
        case ElementType::source:
          return fmt::format("supplies {}", format_power(p_out, 3));
        case ElementType::load:
          return fmt::format("draws {}", format_power(p_in, 3));
        case ElementType::storage:
          return p_in >= p_out ? fmt::format("charging {}", format_power(p_in, 3))
                               : fmt::format("discharging {}", format_power(p_out, 3));
        case ElementType::switch_:
          return fmt::format("{}", format_power(p_in, 3));
        default: {
          const double pct = p_in != 0.0 ? loss / std::fabs(p_in) : 0.0;
          return fmt::format("{} · loss {} ({})", format_power(p_in, 3), format_power(loss, 3),
                             format_percent(pct, 2));
        }
      }
    };
    if (g.count > 1) {
      rows += fmt::format(R"(<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9">each: {}</FONT></TD></TR>)",
                          esc(flow(g.p_in / n, g.p_out / n, g.loss / n)));
      rows +=
          fmt::format(R"(<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9">all {}: {}</FONT></TD></TR>)",
                      g.count, esc(flow(g.p_in, g.p_out, g.loss)));
    } else {
      rows += fmt::format(R"(<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9">{}</FONT></TD></TR>)",
                          esc(flow(g.p_in, g.p_out, g.loss)));
    }
    if (g.info.rated && g.loading_max > 0)
      rows += fmt::format(
          R"(<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="8" COLOR="#444444">loading {}{} %{}</FONT></TD></TR>)",
          g.count > 1 ? "max " : "", format_significant(g.loading_max, 3),
          g.type == ElementType::line ? fmt::format(" · {} A", format_significant(g.current_max, 4))
                                      : "");
    for (const auto& p : g.problems)
      rows +=
          fmt::format(R"(<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="8" COLOR="{}">{}</FONT></TD></TR>)",
                      problem_colour, esc(p));
    return fmt::format(
        R"(<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" STYLE="ROUNDED" COLOR="{}" BGCOLOR="{}">{}</TABLE>)",
        border, fill, rows);
  }

  // A quoted DOT string (tooltips): backslash and quote escaped, then HTML-escaped because
  // Graphviz copies it into an SVG attribute.
  static std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (const char ch : html_escape(text)) {
      if (ch == '\\' || ch == '"') out.push_back('\\');
      if (ch == '\n') {
        out += "&#10;";
        continue;
      }
      out.push_back(ch);
    }
    out.push_back('"');
    return out;
  }

  // "block[1]/rack[1]/psu … block[50]/rack[16]/psu": the model ids a group stands for.
  static std::string id_span(std::string_view first, std::string_view last, std::size_t count) {
    if (count <= 1) return std::string(first);
    return fmt::format("{} {} {}", first, count == 2 ? "and" : "…", last);
  }

  // "template rack, element psu": where a grouped element comes from.
  std::string template_text(std::int32_t origin, const Key& key) const {
    const model::Origin* o = model::origin_of(m_, origin);
    if (o == nullptr || o->template_name.empty()) return {};
    return fmt::format("template {}, element {}", o->template_name, key.local);
  }

  std::string bus_tooltip(const BusGroup& g) const {
    const auto& bus = m_.buses[static_cast<std::size_t>(g.first)];
    const std::string ids = id_span(bus.id, m_.buses[static_cast<std::size_t>(g.last)].id, g.count);
    const std::string from = template_text(bus.origin, g.key);
    return g.count > 1    ? fmt::format("bus ×{} ({}): {}", g.count, from, ids)
           : from.empty() ? fmt::format("bus {}", ids)
                          : fmt::format("bus {} ({})", ids, from);
  }

  std::string element_tooltip(const ElementGroup& g) const {
    const std::string ids = id_span(g.info.id, g.last_id, g.count);
    const std::string from = template_text(g.info.origin, g.key);
    std::string text = g.count > 1
                           ? fmt::format(
                                 "{} ×{} ({}): {}; 'each' is the mean per instance, 'all' the "
                                 "total of the group",
                                 g.info.badge, g.count, from, ids)
                       : from.empty() ? fmt::format("{} {}", g.info.badge, ids)
                                      : fmt::format("{} {} ({})", g.info.badge, ids, from);
    if (!g.info.redundancy.empty())
      text += fmt::format("; redundancy {}{}", g.count > 1 ? "of each " : "", g.info.redundancy);
    return text;
  }

  // DOT node names become the SVG <title> of nodes and edges, which browsers show as tooltips:
  // they name the model's elements ("bus block/mv", "PSU block/rack/psu"), never an index.
  void name_nodes() {
    std::unordered_map<std::string, int> used;
    auto unique = [&](std::string name) {
      const int n = ++used[name];
      return n == 1 ? name : fmt::format("{} ({})", name, n);
    };
    for (const auto& g : buses_) bus_node_.push_back(quoted(unique("bus " + g.key.key)));
    for (const auto& g : elements_)
      element_node_.push_back(quoted(unique(fmt::format("{} {}", g.info.badge, g.key.key))));
  }

  std::string write() const {
    std::string out;
    // The graph's name is the SVG's top <title>, the tooltip of the diagram's background.
    out += fmt::format("digraph {} {{\n",
                       quoted(m_.name.empty() ? "single-line diagram"
                                              : fmt::format("single-line diagram of {}", m_.name)));
    out +=
        "  graph [rankdir=TB, splines=ortho, nodesep=0.3, ranksep=0.4, newrank=true, "
        "fontname=\"Helvetica\", fontsize=10, bgcolor=\"transparent\", pad=0.2];\n";
    out += "  node [shape=plain, fontname=\"Helvetica\", fontsize=10];\n";
    out += "  edge [arrowsize=0.6, fontname=\"Helvetica\", fontsize=8];\n";

    // Clusters: one per template path, nested by path.
    std::map<std::string, std::vector<std::string>> members;  // cluster path -> node lines
    for (std::size_t i = 0; i < buses_.size(); ++i)
      members[buses_[i].key.cluster].push_back(
          fmt::format("{} [id=\"sld-bus-{}\", class=\"sld-bus\", label=<{}>, tooltip={}];",
                      bus_node_[i], i, bus_label(buses_[i]), quoted(bus_tooltip(buses_[i]))));
    for (std::size_t i = 0; i < elements_.size(); ++i)
      members[elements_[i].key.cluster].push_back(fmt::format(
          "{} [id=\"sld-element-{}\", class=\"sld-element sld-{}\", label=<{}>, tooltip={}];",
          element_node_[i], i, elements_[i].info.style, element_label(elements_[i]),
          quoted(element_tooltip(elements_[i]))));
    // Make sure every ancestor of a cluster exists, so nesting follows the path.
    std::vector<std::string> paths;
    paths.reserve(members.size());
    for (const auto& [path, _] : members) paths.push_back(path);
    for (const auto& path : paths) {
      std::string p = path;
      while (!p.empty()) {
        const auto slash = p.rfind('/');
        p = slash == std::string::npos ? std::string() : p.substr(0, slash);
        members.try_emplace(p);
      }
    }
    // Instance counts and template names per path, from the model's origins.
    std::map<std::string, std::pair<std::size_t, std::string>> instances;
    for (const auto& o : m_.origins) {
      auto& [n, name] = instances[strip_indices(o.instance_path)];
      ++n;
      name = o.template_name;
    }
    int cluster_id = 0;
    // Recursive emission: a cluster's direct children are the paths one segment longer.
    auto emit = [&](auto&& self, const std::string& path, int depth) -> void {
      const std::string indent(static_cast<std::size_t>(2 * depth + 2), ' ');
      const bool framed = !path.empty() && o_.group_templates;
      if (framed) {
        const auto it = instances.find(path);
        std::string label = fmt::format("<B>{}</B>", esc(path));
        if (it != instances.end())
          label +=
              fmt::format("&#160;&#160;·&#160;&#160;template {}&#160;&#160;·&#160;&#160;<B>×{}</B>",
                          esc(it->second.second), it->second.first);
        out += fmt::format(
            "{}subgraph cluster_{} {{\n{}  label=<{}>; labeljust=l; labelloc=b; "
            "style=\"dashed,rounded\"; "
            "color=\"#9aa0a6\"; fontcolor=\"#3c4043\"; fontsize=10; margin=10;\n",
            indent, cluster_id++, indent, label);
      }
      for (const auto& line : members[path]) out += fmt::format("{}  {}\n", indent, line);
      for (const auto& [child, _] : members) {
        if (child.empty() || child == path) continue;
        const auto slash = child.rfind('/');
        const std::string parent =
            slash == std::string::npos ? std::string() : child.substr(0, slash);
        if (parent == path) self(self, child, framed ? depth + 1 : depth);
      }
      if (framed) out += fmt::format("{}}}\n", indent);
    };
    emit(emit, std::string(), 0);

    // Edges, in the direction of the model (input -> output); arrows show the solved flow.
    double p_max = 0.0;
    for (const auto& g : elements_) p_max = std::max(p_max, throughput(g));
    auto width = [&](const ElementGroup& g) {
      return p_max > 0.0 ? 0.8 + 3.2 * std::sqrt(throughput(g) / p_max) : 1.0;
    };
    auto bus_colour = [&](int b) {
      const auto& bus =
          m_.buses[static_cast<std::size_t>(buses_[static_cast<std::size_t>(b)].first)];
      return bus.kind == model::BusKind::ac ? ac_colour : dc_colour;
    };
    for (std::size_t i = 0; i < elements_.size(); ++i) {
      const auto& g = elements_[i];
      const std::string pen = fmt::format("penwidth={:.2f}", width(g));
      const bool reverse = g.type == ElementType::storage  ? g.p_out > g.p_in
                           : g.type == ElementType::source ? false
                                                           : g.p_in < 0.0;
      // Power flows down the page, which needs no arrow; an arrow marks a flow against it.
      const char* dir = reverse ? ", dir=back" : ", dir=none";
      const std::string& element = element_node_[i];
      auto bus = [&](int b) -> const std::string& {
        return bus_node_[static_cast<std::size_t>(b)];
      };
      if (g.type == ElementType::source) {
        if (g.bus_a >= 0)
          out += fmt::format("  {} -> {} [{}, color=\"{}\", dir=none];\n", element, bus(g.bus_a),
                             pen, bus_colour(g.bus_a));
        continue;
      }
      if (g.bus_a >= 0)
        out += fmt::format("  {} -> {} [{}, color=\"{}\"{}];\n", bus(g.bus_a), element, pen,
                           bus_colour(g.bus_a), dir);
      if (g.bus_b >= 0)
        out += fmt::format("  {} -> {} [{}, color=\"{}\"{}];\n", element, bus(g.bus_b), pen,
                           bus_colour(g.bus_b), dir);
    }
    out += "}\n";
    return out;
  }

  const model::ModelSpec& m_;
  const steady::SolveResult& r_;
  const SingleLineOptions& o_;
  std::vector<BusGroup> buses_;
  std::vector<ElementGroup> elements_;
  std::vector<std::string> bus_node_;      // DOT node names, quoted
  std::vector<std::string> element_node_;  // DOT node names, quoted
  std::vector<int> bus_group_;
  std::unordered_map<std::string, int> bus_by_id_;
  std::unordered_map<std::string, int> element_by_id_;
};

std::string too_large_svg(std::size_t nodes, std::size_t limit) {
  return fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" class="sld sld-too-large" viewBox="0 0 640 60" width="640" height="60" role="img">)"
      R"(<text x="10" y="35" font-family="Helvetica,Arial,sans-serif" font-size="13">)"
      R"(Single-line diagram not drawn: {} nodes after grouping templates (limit {}).</text></svg>)",
      nodes, limit);
}

}  // namespace

std::string single_line_dot(const model::ModelSpec& model, const steady::SolveResult& result,
                            const SingleLineOptions& options) {
  return Builder(model, result, options).build().dot;
}

std::string single_line_svg(const model::ModelSpec& model, const steady::SolveResult& result,
                            const SingleLineOptions& options) {
  const Diagram d = Builder(model, result, options).build();
  if (d.nodes > options.max_nodes) return too_large_svg(d.nodes, options.max_nodes);
  return layout_svg(d.dot);
}

}  // namespace g2g::report

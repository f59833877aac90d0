// Converter SPEC files (docs/converters.md § SPEC files).
#include "g2g/converters/spec_loader.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <optional>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/units.hpp"

namespace g2g::converters {
namespace {

using core::Dimension;
using core::SourceLocation;

constexpr std::array<std::string_view, 26> design_keys = {"name",
                                                          "topology",
                                                          "full_bridge",
                                                          "secondary_full_bridge",
                                                          "phases",
                                                          "parallel",
                                                          "secondary_parallel",
                                                          "primary_device",
                                                          "secondary_device",
                                                          "f_sw",
                                                          "t_dead",
                                                          "v_in_nominal",
                                                          "v_out_nominal",
                                                          "rating",
                                                          "turns_ratio",
                                                          "resonant_inductance",
                                                          "resonant_capacitance",
                                                          "inductor",
                                                          "transformer",
                                                          "capacitor_esr",
                                                          "resonant_capacitor_esr",
                                                          "other_loss_fraction",
                                                          "heatsink_cspi",
                                                          "gate",
                                                          "cooling",
                                                          "assumptions"};
constexpr std::array<std::string_view, 6> top_keys = {"converter",   "chain",   "published",
                                                      "description", "sources", "device_library"};
constexpr std::array<std::string_view, 4> chain_keys = {"name", "rating", "stages", "assumptions"};
constexpr std::array<std::string_view, 5> stage_keys = {"design", "curve", "input_series",
                                                        "modules", "primary_device"};
constexpr std::array<std::string_view, 6> curve_keys = {"name",   "v_in_nominal", "v_out_nominal",
                                                        "rating", "points",       "source"};
constexpr std::array<std::string_view, 2> curve_point_keys = {"load", "efficiency"};
constexpr std::array<std::string_view, 10> magnetic_keys = {
    "material", "core_area",      "core_volume",     "turns",  "inductance",
    "r_dc",     "r_dc_secondary", "layer_thickness", "layers", "porosity"};
constexpr std::array<std::string_view, 1> gate_keys = {"r_g_ext"};
constexpr std::array<std::string_view, 3> cooling_keys = {"t_ambient", "r_th_ca", "r_th_sink"};
constexpr std::array<std::string_view, 6> published_keys = {"v_in",       "v_out",  "p_out",
                                                            "efficiency", "source", "peak"};

// Units that core::parse_quantity does not know: inductance, capacitance, volume, thermal
// resistance, CSPI. symbol -> SI factor.
struct ExtraUnit {
  std::string_view symbol;
  double factor;
};
enum class Extra { inductance, capacitance, volume, thermal_resistance, cspi };

constexpr std::array inductance_units{ExtraUnit{"H", 1.0},   ExtraUnit{"mH", 1e-3},
                                      ExtraUnit{"uH", 1e-6}, ExtraUnit{"µH", 1e-6},
                                      ExtraUnit{"nH", 1e-9}, ExtraUnit{"pH", 1e-12}};
constexpr std::array capacitance_units{ExtraUnit{"F", 1.0},   ExtraUnit{"mF", 1e-3},
                                       ExtraUnit{"uF", 1e-6}, ExtraUnit{"µF", 1e-6},
                                       ExtraUnit{"nF", 1e-9}, ExtraUnit{"pF", 1e-12}};
constexpr std::array volume_units{
    ExtraUnit{"m3", 1.0},   ExtraUnit{"m³", 1.0},   ExtraUnit{"cm3", 1e-6}, ExtraUnit{"cm³", 1e-6},
    ExtraUnit{"mm3", 1e-9}, ExtraUnit{"mm³", 1e-9}, ExtraUnit{"L", 1e-3},   ExtraUnit{"dm3", 1e-3}};
constexpr std::array thermal_units{ExtraUnit{"K/W", 1.0}, ExtraUnit{"C/W", 1.0},
                                   ExtraUnit{"°C/W", 1.0}};
constexpr std::array cspi_units{ExtraUnit{"W/(K m3)", 1.0}, ExtraUnit{"W/(K dm3)", 1e3},
                                ExtraUnit{"W/(K L)", 1e3}};

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

template <std::size_t N>
std::string unit_list(const std::array<ExtraUnit, N>& units) {
  std::string list;
  for (const auto& u : units) list += fmt::format("{}{}", list.empty() ? "" : ", ", u.symbol);
  return list;
}

template <std::size_t N>
std::optional<double> parse_extra(std::string_view text, const std::array<ExtraUnit, N>& units) {
  text = trim(text);
  double number = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc{}) return std::nullopt;
  const std::string_view unit = trim(text.substr(static_cast<std::size_t>(end - text.data())));
  if (unit.empty()) return number;
  for (const auto& u : units)
    if (u.symbol == unit) return number * u.factor;
  return std::nullopt;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

class Reader {
 public:
  explicit Reader(const std::string& file) : file_(file) {}

  SourceLocation where(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    if (mark.is_null()) return {file_, 0, 0};
    return {file_, mark.line + 1, mark.column + 1};
  }

  template <std::size_t N>
  bool check_map(const YAML::Node& node, std::string_view context,
                 const std::array<std::string_view, N>& keys) {
    if (!node.IsMap()) {
      errors_.error(where(node), fmt::format("{} must be a mapping of keys to values", context),
                    fmt::format("write '{}:' followed by indented 'key: value' lines", context));
      return false;
    }
    for (const auto& entry : node) {
      const std::string key = entry.first.as<std::string>();
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
      std::string_view best;
      for (std::string_view k : keys)
        if (edit_distance(key, k) <= key.size() / 3 + 1 &&
            (best.empty() || edit_distance(key, k) < edit_distance(key, best)))
          best = k;
      std::string list;
      for (std::string_view k : keys) list += fmt::format("{}{}", list.empty() ? "" : ", ", k);
      errors_.error(where(entry.first), fmt::format("unknown key '{}' in {}", key, context),
                    best.empty() ? fmt::format("the keys are: {}", list)
                                 : fmt::format("did you mean '{}'?", best));
    }
    return true;
  }

  std::optional<std::string> scalar(const YAML::Node& map, std::string_view key) {
    const YAML::Node node = map[std::string(key)];
    if (!node) return std::nullopt;
    if (!node.IsScalar()) {
      errors_.error(where(node), fmt::format("'{}' must be a single value", key));
      return std::nullopt;
    }
    return node.Scalar();
  }

  void quantity(const YAML::Node& map, std::string_view key, Dimension dimension, double& out) {
    const auto text = scalar(map, key);
    if (!text) return;
    const core::ParsedQuantity q = core::parse_quantity(*text, dimension);
    if (!q.ok) {
      errors_.error(where(map[std::string(key)]), fmt::format("'{}': {}", key, q.error.message),
                    q.error.fix);
      return;
    }
    out = q.value;
  }

  void extra(const YAML::Node& map, std::string_view key, Extra kind, double& out) {
    const auto text = scalar(map, key);
    if (!text) return;
    std::optional<double> value;
    std::string units;
    switch (kind) {
      case Extra::inductance:
        value = parse_extra(*text, inductance_units);
        units = unit_list(inductance_units);
        break;
      case Extra::capacitance:
        value = parse_extra(*text, capacitance_units);
        units = unit_list(capacitance_units);
        break;
      case Extra::volume:
        value = parse_extra(*text, volume_units);
        units = unit_list(volume_units);
        break;
      case Extra::thermal_resistance:
        value = parse_extra(*text, thermal_units);
        units = unit_list(thermal_units);
        break;
      case Extra::cspi:
        value = parse_extra(*text, cspi_units);
        units = unit_list(cspi_units);
        break;
    }
    if (!value) {
      errors_.error(where(map[std::string(key)]),
                    fmt::format("'{}': cannot read '{}' as a number with a unit", key, *text),
                    fmt::format("write a number and one of: {} (a bare number is SI)", units));
      return;
    }
    out = *value;
  }

  void integer(const YAML::Node& map, std::string_view key, int minimum, int& out) {
    const auto text = scalar(map, key);
    if (!text) return;
    int value = 0;
    const std::string_view t = trim(*text);
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    if (ec != std::errc{} || end != t.data() + t.size() || value < minimum) {
      errors_.error(where(map[std::string(key)]),
                    fmt::format("'{}': '{}' is not a whole number >= {}", key, *text, minimum));
      return;
    }
    out = value;
  }

  void boolean(const YAML::Node& map, std::string_view key, bool& out) {
    const auto text = scalar(map, key);
    if (!text) return;
    if (*text == "true") {
      out = true;
    } else if (*text == "false") {
      out = false;
    } else {
      errors_.error(where(map[std::string(key)]),
                    fmt::format("'{}': '{}' is not true or false", key, *text));
    }
  }

  void string(const YAML::Node& map, std::string_view key, std::string& out) {
    if (auto text = scalar(map, key)) out = std::move(*text);
  }

  void strings(const YAML::Node& map, std::string_view key, std::vector<std::string>& out) {
    const YAML::Node node = map[std::string(key)];
    if (!node) return;
    if (!node.IsSequence()) {
      errors_.error(where(node), fmt::format("'{}' must be a list", key),
                    "write one '- text' line per entry");
      return;
    }
    for (const auto& item : node) {
      if (item.IsScalar()) {
        out.push_back(item.Scalar());
      } else {
        errors_.error(where(item), fmt::format("each entry of '{}' must be text", key));
      }
    }
  }

  void magnetic(const YAML::Node& map, std::string_view key, MagneticSpec& part) {
    const YAML::Node node = map[std::string(key)];
    if (!node) return;
    if (!check_map(node, key, magnetic_keys)) return;
    string(node, "material", part.material);
    quantity(node, "core_area", Dimension::area, part.core_area_m2);
    extra(node, "core_volume", Extra::volume, part.core_volume_m3);
    integer(node, "turns", 1, part.turns);
    extra(node, "inductance", Extra::inductance, part.inductance_h);
    quantity(node, "r_dc", Dimension::resistance, part.r_dc_ohm);
    quantity(node, "r_dc_secondary", Dimension::resistance, part.r_dc_secondary_ohm);
    quantity(node, "layer_thickness", Dimension::length, part.layer_thickness_m);
    integer(node, "layers", 1, part.layers);
    quantity(node, "porosity", Dimension::dimensionless, part.porosity);
  }

  void topology(const YAML::Node& map, Topology& out) {
    const auto text = scalar(map, "topology");
    if (!text) {
      errors_.error(where(map), "the converter has no 'topology'",
                    "add 'topology: buck' (or llc, dab, totem_pole_pfc, afe_2level, afe_3level)");
      return;
    }
    for (Topology t : {Topology::buck, Topology::llc, Topology::dab, Topology::totem_pole_pfc,
                       Topology::afe_2level, Topology::afe_3level}) {
      if (name(t) == *text) {
        out = t;
        return;
      }
    }
    errors_.error(where(map["topology"]), fmt::format("unknown topology '{}'", *text),
                  "one of: buck, llc, dab, totem_pole_pfc, afe_2level, afe_3level");
  }

  void require(const YAML::Node& map, std::string_view key, std::string_view example) {
    if (!map[std::string(key)])
      errors_.error(where(map), fmt::format("the converter has no '{}'", key),
                    fmt::format("add '{}: {}'", key, example));
  }

  core::DiagnosticList& errors() { return errors_; }

 private:
  const std::string& file_;
  core::DiagnosticList errors_;
};

// A relative path written in the SPEC, checked by check_spec_path; empty when refused.
std::string confined_path(Reader& r, const YAML::Node& map, std::string_view key,
                          std::string_view what) {
  std::string text;
  r.string(map, key, text);
  if (!map[std::string(key)]) return text;
  if (const std::string problem = check_spec_path(text); !problem.empty()) {
    r.errors().error(r.where(map[std::string(key)]), fmt::format("{} '{}' {}", what, text, problem),
                     "put the file in this SPEC's directory (or a folder below it) and write its "
                     "path relative to this SPEC, without '..'");
    return {};
  }
  return text;
}

void parse_curve(Reader& r, const YAML::Node& node, SourcedCurve& curve) {
  if (!r.check_map(node, "curve", curve_keys)) return;
  r.string(node, "name", curve.name);
  r.quantity(node, "v_in_nominal", Dimension::voltage, curve.v_in_nominal_v);
  r.quantity(node, "v_out_nominal", Dimension::voltage, curve.v_out_nominal_v);
  r.quantity(node, "rating", Dimension::active_power, curve.rating_w);
  r.string(node, "source", curve.source);
  for (std::string_view key : {"v_in_nominal", "v_out_nominal", "rating"}) {
    if (!node[std::string(key)])
      r.errors().error(r.where(node), fmt::format("the curve has no '{}'", key),
                       fmt::format("add '{}:' with a unit", key));
  }
  if (curve.source.empty())
    r.errors().error(r.where(node), "the curve has no 'source'",
                     "say where the points come from (title and URL or datasheet), or write "
                     "'assumption: ...' and why");
  const YAML::Node points = node["points"];
  if (!points || !points.IsSequence() || points.size() == 0) {
    r.errors().error(r.where(points ? points : node), "the curve needs 'points:', a list",
                     "write '- {load: 50 %, efficiency: 98.5 %}' per point, load ascending");
    return;
  }
  for (const auto& item : points) {
    if (!r.check_map(item, "curve point", curve_point_keys)) continue;
    model::EfficiencyPoint& point = curve.points.emplace_back();
    point.efficiency = 0.0;
    r.quantity(item, "load", Dimension::dimensionless, point.load_fraction);
    r.quantity(item, "efficiency", Dimension::dimensionless, point.efficiency);
    const bool ascending =
        curve.points.size() < 2 || point.load_fraction > curve.points.end()[-2].load_fraction;
    if (!(point.load_fraction > 0.0) || !ascending)
      r.errors().error(r.where(item), "curve points need a load above 0 and above the previous",
                       "list the points by ascending load");
    if (!(point.efficiency > 0.0 && point.efficiency <= 1.0))
      r.errors().error(r.where(item), "a curve efficiency must be above 0 and at most 100 %");
  }
}

void parse_chain(Reader& r, const YAML::Node& c, ChainSpec& chain) {
  if (!r.check_map(c, "chain", chain_keys)) return;
  r.string(c, "name", chain.name);
  r.quantity(c, "rating", Dimension::active_power, chain.rating_w);
  r.strings(c, "assumptions", chain.assumptions);
  const YAML::Node stages = c["stages"];
  if (!stages || !stages.IsSequence() || stages.size() == 0) {
    r.errors().error(r.where(stages ? stages : c), "the chain needs 'stages:', a list",
                     "write one '- design: STAGE.yaml' (or '- curve: {...}') per stage, input "
                     "first");
    return;
  }
  for (const auto& item : stages) {
    StageSpec& stage = chain.stages.emplace_back();
    stage.where = r.where(item);
    if (!r.check_map(item, "stage", stage_keys)) continue;
    const bool has_design = static_cast<bool>(item["design"]);
    const bool has_curve = static_cast<bool>(item["curve"]);
    if (has_design == has_curve)
      r.errors().error(stage.where, "a stage needs exactly one of 'design' and 'curve'",
                       "give 'design: FILE.yaml' (a SPEC of this stage) or 'curve: {...}'");
    if (has_design) {
      stage.design_file = confined_path(r, item, "design", "stage design");
      stage.design_file_at = r.where(item["design"]);
    }
    if (has_curve) parse_curve(r, item["curve"], stage.curve);
    r.integer(item, "input_series", 1, stage.input_series);
    r.integer(item, "modules", 1, stage.modules);
    r.string(item, "primary_device", stage.primary_device);
    if (has_curve && item["primary_device"])
      r.errors().error(r.where(item["primary_device"]),
                       "'primary_device' replaces a physics design's part; a curve has none");
  }
}

}  // namespace

std::string check_spec_path(std::string_view text) {
  if (trim(text).empty()) return "is empty";
  const std::filesystem::path path{std::string(text)};
  if (path.is_absolute() || path.has_root_path())
    return "is absolute: a SPEC may only name files inside its own directory";
  for (const auto& part : path)
    if (part == "..") return "leaves the SPEC's directory ('..')";
  return {};
}

ConverterSpec parse_converter_spec_file(std::string_view yaml, const std::string& file) {
  Reader r(file);
  ConverterSpec spec;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& error) {
    core::DiagnosticList list;
    list.error({file, error.mark.is_null() ? 0 : error.mark.line + 1,
                error.mark.is_null() ? 0 : error.mark.column + 1},
               fmt::format("YAML syntax: {}", error.msg));
    throw core::ModelError(std::move(list));
  }
  if (!root || !r.check_map(root, "the SPEC file", top_keys)) throw core::ModelError(r.errors());
  spec.device_library = confined_path(r, root, "device_library", "device_library");
  if (root["device_library"]) spec.device_library_at = r.where(root["device_library"]);
  const YAML::Node c = root["converter"];
  if (const YAML::Node chain = root["chain"]) {
    spec.is_chain = true;
    if (c)
      r.errors().error(r.where(chain), "the SPEC file has both 'converter:' and 'chain:'",
                       "keep one: a chain names its stages' SPEC files");
    if (root["device_library"])
      r.errors().error(spec.device_library_at, "a chain has no devices of its own",
                       "put 'device_library:' in the SPEC of the stage that uses the parts");
    parse_chain(r, chain, spec.chain);
  } else if (!c) {
    r.errors().error(r.where(root), "the SPEC file has no 'converter:' or 'chain:'",
                     "put the design under a top-level 'converter:' key (or the stages under "
                     "'chain:')");
    throw core::ModelError(r.errors());
  }
  ConverterDesign& d = spec.design;
  if (c && !spec.is_chain && r.check_map(c, "converter", design_keys)) {
    r.require(c, "primary_device", "EPC2218");
    r.require(c, "f_sw", "500 kHz");
    r.require(c, "rating", "3 kW");
    r.require(c, "v_out_nominal", "48 V");
    r.string(c, "name", d.name);
    r.topology(c, d.topology);
    r.boolean(c, "full_bridge", d.full_bridge);
    r.boolean(c, "secondary_full_bridge", d.secondary_full_bridge);
    r.integer(c, "phases", 1, d.phases);
    r.integer(c, "parallel", 1, d.parallel);
    r.integer(c, "secondary_parallel", 0, d.secondary_parallel);
    r.string(c, "primary_device", d.primary_device);
    r.string(c, "secondary_device", d.secondary_device);
    r.quantity(c, "f_sw", Dimension::frequency, d.f_sw_hz);
    r.quantity(c, "t_dead", Dimension::time, d.t_dead_s);
    r.quantity(c, "v_in_nominal", Dimension::voltage, d.v_in_nominal_v);
    r.quantity(c, "v_out_nominal", Dimension::voltage, d.v_out_nominal_v);
    r.quantity(c, "rating", Dimension::active_power, d.rating_w);
    r.quantity(c, "turns_ratio", Dimension::dimensionless, d.turns_ratio);
    r.extra(c, "resonant_inductance", Extra::inductance, d.resonant_inductance_h);
    r.extra(c, "resonant_capacitance", Extra::capacitance, d.resonant_capacitance_f);
    r.magnetic(c, "inductor", d.inductor);
    r.magnetic(c, "transformer", d.transformer);
    r.quantity(c, "capacitor_esr", Dimension::resistance, d.capacitor_esr_ohm);
    r.quantity(c, "resonant_capacitor_esr", Dimension::resistance, d.resonant_capacitor_esr_ohm);
    r.quantity(c, "other_loss_fraction", Dimension::dimensionless, d.other_loss_fraction);
    r.extra(c, "heatsink_cspi", Extra::cspi, d.heatsink_cspi_w_per_k_m3);
    if (const YAML::Node g = c["gate"]; g && r.check_map(g, "gate", gate_keys))
      r.quantity(g, "r_g_ext", Dimension::resistance, d.gate.r_g_ext_ohm);
    if (const YAML::Node k = c["cooling"]; k && r.check_map(k, "cooling", cooling_keys)) {
      r.quantity(k, "t_ambient", Dimension::temperature, d.cooling.t_ambient_c);
      r.extra(k, "r_th_ca", Extra::thermal_resistance, d.cooling.r_th_ca_k_per_w);
      r.extra(k, "r_th_sink", Extra::thermal_resistance, d.r_th_sink_k_per_w);
    }
    r.strings(c, "assumptions", d.assumptions);
  }
  if (const YAML::Node pub = root["published"]) {
    if (!pub.IsSequence()) {
      r.errors().error(r.where(pub), "'published' must be a list of operating points",
                       "write '- {v_in: 400 V, v_out: 50 V, p_out: 1.5 kW, efficiency: 99 %, "
                       "source: ...}'");
    } else {
      for (const auto& item : pub) {
        if (!r.check_map(item, "published point", published_keys)) continue;
        PublishedPoint& pp = spec.published.emplace_back();
        for (std::string_view key : {"v_in", "v_out", "p_out", "efficiency"})
          if (!item[std::string(key)])
            r.errors().error(r.where(item), fmt::format("published point without '{}'", key));
        r.quantity(item, "v_in", Dimension::voltage, pp.point.v_in_v);
        r.quantity(item, "v_out", Dimension::voltage, pp.point.v_out_v);
        r.quantity(item, "p_out", Dimension::active_power, pp.point.p_out_w);
        r.quantity(item, "efficiency", Dimension::dimensionless, pp.efficiency);
        r.string(item, "source", pp.source);
        r.boolean(item, "peak", pp.peak);
      }
    }
  }
  if (r.errors().has_errors()) throw core::ModelError(r.errors());
  return spec;
}

ConverterDesign parse_converter_spec(std::string_view yaml, const std::string& file) {
  ConverterSpec spec = parse_converter_spec_file(yaml, file);
  if (spec.is_chain) {
    core::DiagnosticList list;
    list.error({file, 1, 1}, "this SPEC is a chain, not one design",
               "read it with io::load_converter_spec (it follows the stages' files)");
    throw core::ModelError(std::move(list));
  }
  return std::move(spec.design);
}

}  // namespace g2g::converters

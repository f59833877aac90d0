// Wafer SPEC files (docs/fab.md § SPEC). Keys, units, ranges and messages come from the
// configuration toolkit (core/yaml_fields.hpp); only the SPEC's own rules are here.
#include "g2g/fab/wafer_spec.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>

#include "g2g/core/units.hpp"
#include "g2g/core/yaml_fields.hpp"
#include "g2g/fab/bow.hpp"

namespace g2g::fab {
namespace {

using core::Check;
using core::Dimension;
using core::key;
using core::quantity_key;
using core::YamlFile;
using core::YamlMap;

constexpr std::array top_fields{key("name"),        key("description"), key("sources"),
                                key("wafer", true), key("die", true),   key("yield"),
                                key("stack"),       key("search")};
constexpr std::array wafer_fields{
    quantity_key("diameter", Dimension::length, true, Check::positive, "wafer diameter", "200 mm"),
    quantity_key("edge_exclusion", Dimension::length, true, Check::non_negative,
                 "ring at the rim with no die", "3 mm"),
    quantity_key("cost", Dimension::dimensionless, false, Check::positive, "cost of one wafer",
                 "1500"),
    key("currency"),
    key("cost_source"),
    key("compare_diameters")};
constexpr std::array die_fields{
    quantity_key("width", Dimension::length, true, Check::positive, "die width", "5 mm"),
    quantity_key("height", Dimension::length, true, Check::positive, "die height", "4 mm"),
    quantity_key("scribe", Dimension::length, true, Check::non_negative, "street between dies",
                 "80 um")};
constexpr std::array yield_fields{
    key("defect_density", true, "mean killer defects per area", "0.1 /cm2"),
    quantity_key("alpha", Dimension::dimensionless, true, Check::positive,
                 "negative binomial clustering", "2"),
    quantity_key("stated_yield", Dimension::dimensionless, false, Check::none,
                 "a yield to infer D0 from", "88 %"),
    key("stated_yield_source")};
constexpr std::array stack_fields{
    quantity_key("growth_temperature", Dimension::temperature, true, Check::none,
                 "temperature at which the stack is stress-free (or at growth_strain)", "1050 C"),
    quantity_key("room_temperature", Dimension::temperature, true, Check::none,
                 "temperature the wafer cools to", "25 C"),
    quantity_key("non_uniformity", Dimension::temperature, false, Check::none,
                 "+- spread of growth temperature across the wafer", "0.5 K"),
    key("substrate", true, "the substrate layer", "{material: si, thickness: 1 mm}"),
    key("layers", true, "the epitaxial layers from the substrate up",
        "[{material: gan, thickness: 2 um}]"),
    key("compare_thicknesses")};
constexpr std::array layer_fields{
    key("material", true, "a material of data/fab/materials.yaml", "gan"),
    quantity_key("thickness", Dimension::length, true, Check::positive, "layer thickness", "1 um"),
    quantity_key("al_fraction", Dimension::dimensionless, false, Check::unit_interval),
    quantity_key("growth_strain", Dimension::dimensionless)};
constexpr std::array search_fields{key("offset_steps")};

// "0.1 /cm2": a number, '/', an area unit; defects per m^2.
std::optional<double> defect_density(YamlFile& f, const YAML::Node& node) {
  const std::string fix = "write it as a number per area, such as '0.1 /cm2' or '1000 /m2'";
  if (!node || !node.IsScalar()) {
    f.error(node, "yield: defect_density must be a value such as '0.1 /cm2'", fix);
    return std::nullopt;
  }
  const std::string text = node.Scalar();
  const auto slash = text.find('/');
  if (slash == std::string::npos) {
    f.error(node, fmt::format("yield: defect_density '{}' has no '/area' unit", text), fix);
    return std::nullopt;
  }
  std::string number = text.substr(0, slash);
  while (!number.empty() && number.back() == ' ') number.pop_back();
  double value = 0.0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc{} || end != number.data() + number.size()) {
    f.error(node, fmt::format("yield: defect_density '{}' does not start with a number", text),
            fix);
    return std::nullopt;
  }
  std::string area_text = "1 ";
  area_text.append(text, slash + 1, std::string::npos);
  const core::ParsedQuantity area = core::parse_quantity(area_text, Dimension::area);
  if (!area.ok || !(area.value > 0.0)) {
    f.error(node,
            fmt::format("yield: defect_density '{}': '{}' is not an area unit", text,
                        text.substr(slash + 1)),
            fix);
    return std::nullopt;
  }
  if (value < 0.0) {
    f.error(node, fmt::format("yield: defect_density must not be negative, got '{}'", text),
            "a defect density counts defects: 0 or more per area");
    return std::nullopt;
  }
  return value / area.value;
}

// A temperature difference ("0.5 K" or "0.5 C"): the quantity less its unit's zero, so that the
// kelvin offset cancels. NaN (reported) when unreadable.
double temperature_difference(YamlFile& f, const YAML::Node& node) {
  const auto value = f.quantity(node, "stack", "non_uniformity", Dimension::temperature);
  if (!value) return std::nan("");
  const std::string text = node.Scalar();
  std::size_t end = 0;
  while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) ||
                               text[end] == '.' || text[end] == '-' || text[end] == '+'))
    ++end;
  std::string zero_text = "0";
  zero_text.append(text, end, std::string::npos);
  const core::ParsedQuantity zero = core::parse_quantity(zero_text, Dimension::temperature);
  return zero.ok ? *value - zero.value : std::nan("");
}

std::vector<double> lengths(YamlFile& f, YamlMap& m, std::string_view k) {
  std::vector<double> out;
  if (!m.has(k)) return out;
  const YAML::Node list = m.node(k);
  if (!list.IsSequence()) {
    f.error(list, fmt::format("{}: '{}' must be a list of lengths", m.what(), k),
            fmt::format("write '{}: [150 mm, 200 mm, 300 mm]'", k));
    return out;
  }
  for (const auto& item : list)
    if (auto v = f.quantity(item, m.what(), k, Dimension::length, Check::positive))
      out.push_back(*v);
  return out;
}

void read_layer(YamlFile& f, const YAML::Node& node, std::string what,
                const std::vector<Material>& materials, StackLayerSpec& out) {
  YamlMap m(f, node, std::move(what), layer_fields, "material");
  if (!m.is_map()) return;
  m.require_all();
  m.read("material", out.material);
  m.read("thickness", out.thickness_m);
  m.read("al_fraction", out.al_fraction);
  m.read("growth_strain", out.growth_strain);
  if (!m.has("material")) return;
  const Material* mat = find_material(materials, out.material);
  if (mat == nullptr) {
    std::vector<std::string_view> names;
    for (const Material& x : materials) names.push_back(x.name);
    f.error(m.node("material"), fmt::format("{}: unknown material '{}'", m.what(), out.material),
            core::did_you_mean(
                out.material, names,
                fmt::format("one of: {} (data/fab/materials.yaml)", core::join_names(names))));
    return;
  }
  if (mat->alloy && !m.has("al_fraction"))
    f.error(node,
            fmt::format("{}: '{}' is an alloy and needs its composition", m.what(), out.material),
            "add 'al_fraction: 25 %'");
  if (!mat->alloy && m.has("al_fraction"))
    f.error(m.node("al_fraction"),
            fmt::format("{}: '{}' is not an alloy; al_fraction applies to alloys only", m.what(),
                        out.material),
            "remove al_fraction, or use an alloy such as 'algan'");
  if (const auto c = layer_constants(materials, *mat, out.al_fraction))
    out.constants = *c;
  else
    f.error(m.node("material"),
            fmt::format("{}: the alloy '{}' has no usable end members", m.what(), out.material));
}

void read_stack(YamlFile& f, const YAML::Node& node, const std::vector<Material>& materials,
                StackSpec& s) {
  YamlMap m(f, node, "stack", stack_fields);
  if (!m.is_map()) return;
  m.require_all();
  m.read("growth_temperature", s.t_growth_c);
  m.read("room_temperature", s.t_room_c);
  if (m.has("non_uniformity"))
    s.non_uniformity_k = temperature_difference(f, m.node("non_uniformity"));
  if (s.non_uniformity_k < 0.0 || std::isnan(s.non_uniformity_k))
    if (!f.has_errors())
      f.error(m.node("non_uniformity"), "stack: non_uniformity is a +- spread and must be >= 0",
              "write 'non_uniformity: 0.5 K'");
  if (m.has("growth_temperature") && m.has("room_temperature") && !(s.t_growth_c > s.t_room_c))
    f.error(m.node("growth_temperature"),
            "stack: growth_temperature must be above room_temperature (the wafer cools)");
  if (m.has("substrate"))
    read_layer(f, m.node("substrate"), "stack: substrate", materials, s.substrate);
  if (m.has("layers")) {
    const YAML::Node list = m.node("layers");
    if (!list.IsSequence() || list.size() == 0) {
      f.error(list, "stack: 'layers' must be a non-empty list, from the substrate up",
              "write '- {material: gan, thickness: 2 um}' per layer");
    } else {
      for (const auto& item : list) {
        StackLayerSpec& layer = s.layers.emplace_back();
        read_layer(f, item, fmt::format("stack: layer {}", s.layers.size()), materials, layer);
      }
    }
  }
  s.compare_thicknesses_m = lengths(f, m, "compare_thicknesses");
  // Okada & Tokumaru's silicon fit holds from 120 to 1500 K: no extrapolation.
  const auto check_range = [&](const StackLayerSpec& layer, std::string_view where) {
    if (layer.constants.cte.form != Cte::Form::okada_tokumaru_si) return;
    const double lo_c = okada_tokumaru_min_k - 273.15;
    const double hi_c = okada_tokumaru_max_k - 273.15;
    if (s.t_room_c < lo_c || s.t_growth_c > hi_c)
      f.error(node,
              fmt::format("stack: {} '{}' has a CTE fit valid from {:g} C to {:g} C only", where,
                          layer.material, lo_c, hi_c),
              "keep room_temperature and growth_temperature inside that range");
  };
  check_range(s.substrate, "substrate");
  for (const auto& layer : s.layers) check_range(layer, "layer");
}

}  // namespace

WaferSpec parse_wafer_spec(std::string_view yaml, const std::string& file,
                           const std::vector<Material>& materials) {
  YamlFile f(file);
  WaferSpec spec;
  const YAML::Node root = f.parse(yaml);
  f.throw_if_errors();
  YamlMap top(f, root, "", top_fields);
  if (!root || !top.is_map()) {
    if (!f.has_errors())
      f.error(root, "the wafer SPEC is empty", "start it with 'wafer:' and 'die:'");
    f.throw_if_errors();
  }
  top.require_all();
  top.read("name", spec.name);

  if (top.has("wafer")) {
    YamlMap w(f, top.node("wafer"), "wafer", wafer_fields);
    if (w.is_map()) {
      w.require_all();
      w.read("diameter", spec.wafer.diameter_m);
      w.read("edge_exclusion", spec.wafer.edge_exclusion_m);
      w.read("cost", spec.wafer_cost);
      w.read("currency", spec.currency);
      w.read("cost_source", spec.cost_source);
      if (w.has("cost") && !w.has("cost_source"))
        f.error(w.node("cost"), "wafer: a cost needs its source",
                "add 'cost_source: \"title, URL\"' or 'cost_source: \"assumption: why\"'");
      spec.compare_diameters_m = lengths(f, w, "compare_diameters");
      if (w.has("diameter") && w.has("edge_exclusion") && !(spec.wafer.usable_diameter_m() > 0.0))
        f.error(w.node("edge_exclusion"),
                "wafer: the edge exclusion leaves no usable area (it is at least the radius)",
                "an edge exclusion is a few millimetres");
    }
  }
  if (top.has("die")) {
    YamlMap d(f, top.node("die"), "die", die_fields);
    if (d.is_map()) {
      d.require_all();
      d.read("width", spec.die.width_m);
      d.read("height", spec.die.height_m);
      d.read("scribe", spec.die.scribe_m);
      const double diagonal = std::hypot(spec.die.width_m, spec.die.height_m);
      if (spec.die.width_m > 0.0 && spec.die.height_m > 0.0 &&
          spec.wafer.usable_diameter_m() > 0.0 && diagonal > spec.wafer.usable_diameter_m())
        f.error(top.node("die"),
                fmt::format("die: a {:g} x {:g} mm die (diagonal {:g} mm) is larger than the "
                            "wafer's usable diameter {:g} mm",
                            spec.die.width_m * 1e3, spec.die.height_m * 1e3, diagonal * 1e3,
                            spec.wafer.usable_diameter_m() * 1e3),
                "use a smaller die or a larger wafer (or a smaller edge_exclusion)");
    }
  }
  if (top.has("yield")) {
    spec.has_yield = true;
    YamlMap y(f, top.node("yield"), "yield", yield_fields);
    if (y.is_map()) {
      y.require_all();
      if (y.has("defect_density"))
        spec.d0_per_m2 = defect_density(f, y.node("defect_density")).value_or(0.0);
      y.read("alpha", spec.alpha);
      y.read("stated_yield", spec.stated_yield);
      y.read("stated_yield_source", spec.stated_yield_source);
      if (y.has("stated_yield") && !(spec.stated_yield > 0.0 && spec.stated_yield < 1.0))
        f.error(y.node("stated_yield"),
                fmt::format("yield: stated_yield must be strictly between 0 and 100 %, got '{}'",
                            y.node("stated_yield").Scalar()),
                "at 100 % every model gives D0 = 0, at 0 % none gives a finite D0: write "
                "'stated_yield: 88 %'");
    }
  }
  if (top.has("stack")) {
    spec.has_stack = true;
    read_stack(f, top.node("stack"), materials, spec.stack);
  }
  if (top.has("search")) {
    YamlMap s(f, top.node("search"), "search", search_fields);
    if (s.is_map()) s.read("offset_steps", spec.offset_steps, 1);
    if (spec.offset_steps > 1000)
      f.error(s.node("offset_steps"), "search: offset_steps above 1000 only costs time",
              "64 offsets per axis find the best layout to well under one die");
  }
  f.throw_if_errors();
  return spec;
}

}  // namespace g2g::fab

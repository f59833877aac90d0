// Converter SPEC files (docs/converters.md § SPEC files). Keys, units, ranges and messages come
// from the configuration toolkit (core/yaml_fields.hpp); only the SPEC's own rules are here.
#include "g2g/converters/spec_loader.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <cctype>
#include <filesystem>
#include <optional>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/units.hpp"
#include "g2g/core/yaml_fields.hpp"

namespace g2g::converters {
namespace {

using core::Check;
using core::Dimension;
using core::key;
using core::quantity_key;
using core::YamlFile;
using core::YamlMap;

constexpr std::array design_fields{
    key("name"),
    key("topology", true, "or llc, dab, totem_pole_pfc, afe_2level, afe_3level", "buck"),
    key("full_bridge"),
    key("secondary_full_bridge"),
    key("phases"),
    key("parallel"),
    key("secondary_parallel"),
    key("primary_device", true, "a part of the device library", "EPC2218"),
    key("secondary_device"),
    quantity_key("f_sw", Dimension::frequency, true, Check::none, "switching frequency", "500 kHz"),
    quantity_key("t_dead", Dimension::time),
    quantity_key("v_in_nominal", Dimension::voltage),
    quantity_key("v_out_nominal", Dimension::voltage, true, Check::none, "output voltage", "48 V"),
    quantity_key("rating", Dimension::active_power, true, Check::none, "rated output power",
                 "3 kW"),
    quantity_key("turns_ratio", Dimension::dimensionless),
    quantity_key("resonant_inductance", Dimension::inductance),
    quantity_key("resonant_capacitance", Dimension::capacitance),
    key("inductor"),
    key("transformer"),
    quantity_key("capacitor_esr", Dimension::resistance),
    quantity_key("resonant_capacitor_esr", Dimension::resistance),
    quantity_key("other_loss_fraction", Dimension::dimensionless),
    quantity_key("heatsink_cspi", Dimension::cooling_per_volume),
    key("gate"),
    key("cooling"),
    key("assumptions"),
};
constexpr std::array top_fields{key("converter"),   key("chain"),   key("published"),
                                key("description"), key("sources"), key("device_library")};
constexpr std::array chain_fields{key("name"), quantity_key("rating", Dimension::active_power),
                                  key("stages"), key("assumptions")};
constexpr std::array stage_fields{key("design"), key("curve"), key("input_series"), key("modules"),
                                  key("primary_device")};
constexpr std::array curve_fields{
    key("name"),
    quantity_key("v_in_nominal", Dimension::voltage, true),
    quantity_key("v_out_nominal", Dimension::voltage, true),
    quantity_key("rating", Dimension::active_power, true),
    key("points"),
    key("source", true,
        "where the points come from: title and URL or datasheet, or 'assumption: ...' and why",
        "\"title, URL\""),
};
constexpr std::array curve_point_fields{quantity_key("load", Dimension::dimensionless),
                                        quantity_key("efficiency", Dimension::dimensionless)};
constexpr std::array magnetic_fields{
    key("material"),
    quantity_key("core_area", Dimension::area),
    quantity_key("core_volume", Dimension::volume),
    key("turns"),
    quantity_key("inductance", Dimension::inductance),
    quantity_key("r_dc", Dimension::resistance),
    quantity_key("r_dc_secondary", Dimension::resistance),
    quantity_key("layer_thickness", Dimension::length),
    key("layers"),
    quantity_key("porosity", Dimension::dimensionless),
};
constexpr std::array gate_fields{quantity_key("r_g_ext", Dimension::resistance)};
constexpr std::array cooling_fields{
    quantity_key("t_ambient", Dimension::temperature),
    quantity_key("r_th_ca", Dimension::thermal_resistance),
    quantity_key("r_th_sink", Dimension::thermal_resistance),
    key("c_th_sink", false, "heatsink heat capacity (J/K), or tau_sink", "800 J/K"),
    quantity_key("tau_sink", Dimension::time, false, Check::positive,
                 "heatsink time constant R C, or c_th_sink", "60 s"),
};
constexpr std::array published_fields{quantity_key("v_in", Dimension::voltage, true),
                                      quantity_key("v_out", Dimension::voltage, true),
                                      quantity_key("p_out", Dimension::active_power, true),
                                      quantity_key("efficiency", Dimension::dimensionless, true),
                                      key("source"),
                                      key("peak")};

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

void read_magnetic(YamlMap& design, std::string_view key, MagneticSpec& part) {
  if (!design.has(key)) return;
  YamlMap m(design.file(), design.node(key), fmt::format("{}: {}", design.what(), key),
            magnetic_fields);
  if (!m.is_map()) return;
  m.read("material", part.material);
  m.read("core_area", part.core_area_m2);
  m.read("core_volume", part.core_volume_m3);
  m.read("turns", part.turns, 1);
  m.read("inductance", part.inductance_h);
  m.read("r_dc", part.r_dc_ohm);
  m.read("r_dc_secondary", part.r_dc_secondary_ohm);
  m.read("layer_thickness", part.layer_thickness_m);
  m.read("layers", part.layers, 1);
  m.read("porosity", part.porosity);
}

// `c_th_sink: "800 J/K"`: no unit dimension of its own, so read as an energy per kelvin ("J/K",
// "kJ/K", "Wh/K"). 0 when absent or wrong (with a located error).
double read_heat_capacity(YamlMap& m, std::string_view key) {
  const auto text = m.text(key);
  if (!text) return 0.0;
  const std::string_view written = trim(*text);
  constexpr std::string_view per_kelvin = "/K";
  const std::string fix = fmt::format("write e.g. '{}: 800 J/K' (or kJ/K)", key);
  if (written.size() <= per_kelvin.size() || !written.ends_with(per_kelvin)) {
    m.file().error(
        m.node(key),
        core::qualify(m.what(), fmt::format("{} '{}' is not a heat capacity in J/K", key, written)),
        fix);
    return 0.0;
  }
  const core::ParsedQuantity energy = core::parse_quantity(
      written.substr(0, written.size() - per_kelvin.size()), Dimension::energy);
  if (!energy.ok || !(energy.value > 0.0)) {
    m.file().error(m.node(key),
                   core::qualify(m.what(), fmt::format("{} must be a heat capacity greater than "
                                                       "zero, got '{}'",
                                                       key, written)),
                   fix);
    return 0.0;
  }
  return energy.value;
}

// The `cooling:` block: t_ambient, r_th_ca, r_th_sink, and the heatsink's heat capacity as
// c_th_sink or tau_sink (one or the other, docs/converters.md § Junction temperature over a load
// profile).
void read_cooling(YamlFile& file, YamlMap& c, ConverterDesign& d) {
  YamlMap k(file, c.node("cooling"), fmt::format("{}: cooling", c.what()), cooling_fields);
  if (!k.is_map()) return;
  k.read("t_ambient", d.cooling.t_ambient_c);
  k.read("r_th_ca", d.cooling.r_th_ca_k_per_w);
  k.read("r_th_sink", d.r_th_sink_k_per_w);
  k.read("tau_sink", d.tau_sink_s);
  d.c_th_sink_j_per_k = read_heat_capacity(k, "c_th_sink");
  if (k.has("c_th_sink") && k.has("tau_sink"))
    file.error(k.node("tau_sink"),
               core::qualify(k.what(),
                             "c_th_sink and tau_sink both give the heatsink's heat "
                             "capacity"),
               "keep one: tau_sink = R C, with R = r_th_sink (or r_th_ca without a shared sink)");
}

void read_topology(YamlMap& m, Topology& out) {
  constexpr std::array topologies{Topology::buck,       Topology::llc,
                                  Topology::dab,        Topology::totem_pole_pfc,
                                  Topology::afe_2level, Topology::afe_3level};
  const auto text = m.text("topology");
  if (!text) return;
  for (Topology t : topologies) {
    if (name(t) == *text) {
      out = t;
      return;
    }
  }
  std::array<std::string_view, topologies.size()> names{};
  for (std::size_t i = 0; i < topologies.size(); ++i) names[i] = name(topologies[i]);
  m.file().error(
      m.node("topology"), fmt::format("unknown topology '{}'", *text),
      core::did_you_mean(*text, names, fmt::format("one of: {}", core::join_names(names))));
}

// A relative path written in the SPEC, checked by check_spec_path; empty when refused.
std::string confined_path(YamlMap& m, std::string_view key, std::string_view what) {
  std::string text;
  m.read(key, text);
  if (!m.has(key)) return text;
  if (const std::string problem = check_spec_path(text); !problem.empty()) {
    m.file().error(m.node(key), fmt::format("{} '{}' {}", what, text, problem),
                   "put the file in this SPEC's directory (or a folder below it) and write its "
                   "path relative to this SPEC, without '..'");
    return {};
  }
  return text;
}

void parse_curve(YamlFile& file, const YAML::Node& node, SourcedCurve& curve) {
  YamlMap m(file, node, "curve", curve_fields, "name");
  if (!m.is_map()) return;
  m.require_all();
  m.read("name", curve.name);
  m.read("v_in_nominal", curve.v_in_nominal_v);
  m.read("v_out_nominal", curve.v_out_nominal_v);
  m.read("rating", curve.rating_w);
  m.read("source", curve.source);
  const YAML::Node points = m.node("points");
  if (!points || !points.IsSequence() || points.size() == 0) {
    file.error(points ? points : node, core::qualify(m.what(), "the curve needs 'points:', a list"),
               "write '- {load: 50 %, efficiency: 98.5 %}' per point, load ascending");
    return;
  }
  for (const auto& item : points) {
    YamlMap p(file, item, fmt::format("{}: point", m.what()), curve_point_fields);
    if (!p.is_map()) continue;
    model::EfficiencyPoint& point = curve.points.emplace_back();
    point.efficiency = 0.0;
    p.read("load", point.load_fraction);
    p.read("efficiency", point.efficiency);
    const bool ascending =
        curve.points.size() < 2 || point.load_fraction > curve.points.end()[-2].load_fraction;
    if (!(point.load_fraction > 0.0) || !ascending)
      file.error(item, "curve points need a load above 0 and above the previous",
                 "list the points by ascending load");
    if (!(point.efficiency > 0.0 && point.efficiency <= 1.0))
      file.error(item, "a curve efficiency must be above 0 and at most 100 %");
  }
}

void parse_chain(YamlFile& file, const YAML::Node& node, ChainSpec& chain) {
  YamlMap c(file, node, "chain", chain_fields);
  if (!c.is_map()) return;
  c.read("name", chain.name);
  c.read("rating", chain.rating_w);
  chain.assumptions = c.texts("assumptions");
  const YAML::Node stages = c.node("stages");
  if (!stages || !stages.IsSequence() || stages.size() == 0) {
    file.error(stages ? stages : node, "the chain needs 'stages:', a list",
               "write one '- design: STAGE.yaml' (or '- curve: {...}') per stage, input first");
    return;
  }
  for (const auto& item : stages) {
    StageSpec& stage = chain.stages.emplace_back();
    stage.where = file.where(item);
    YamlMap m(file, item, fmt::format("stage {}", chain.stages.size()), stage_fields);
    if (!m.is_map()) continue;
    const bool has_design = m.has("design");
    const bool has_curve = m.has("curve");
    if (has_design == has_curve)
      file.error(item, "a stage needs exactly one of 'design' and 'curve'",
                 "give 'design: FILE.yaml' (a SPEC of this stage) or 'curve: {...}'");
    if (has_design) {
      stage.design_file = confined_path(m, "design", "stage design");
      stage.design_file_at = file.where(m.node("design"));
    }
    if (has_curve) parse_curve(file, m.node("curve"), stage.curve);
    m.read("input_series", stage.input_series, 1);
    m.read("modules", stage.modules, 1);
    m.read("primary_device", stage.primary_device);
    if (has_curve && m.has("primary_device"))
      file.error(m.node("primary_device"),
                 "'primary_device' replaces a physics design's part; a curve has none");
  }
}

void parse_design(YamlFile& file, const YAML::Node& node, ConverterDesign& d) {
  YamlMap c(file, node, "converter", design_fields, "name");
  if (!c.is_map()) return;
  c.require_all();
  c.read("name", d.name);
  read_topology(c, d.topology);
  c.read("full_bridge", d.full_bridge);
  c.read("secondary_full_bridge", d.secondary_full_bridge);
  c.read("phases", d.phases, 1);
  c.read("parallel", d.parallel, 1);
  c.read("secondary_parallel", d.secondary_parallel, 0);
  c.read("primary_device", d.primary_device);
  c.read("secondary_device", d.secondary_device);
  c.read("f_sw", d.f_sw_hz);
  c.read("t_dead", d.t_dead_s);
  c.read("v_in_nominal", d.v_in_nominal_v);
  c.read("v_out_nominal", d.v_out_nominal_v);
  c.read("rating", d.rating_w);
  c.read("turns_ratio", d.turns_ratio);
  c.read("resonant_inductance", d.resonant_inductance_h);
  c.read("resonant_capacitance", d.resonant_capacitance_f);
  read_magnetic(c, "inductor", d.inductor);
  read_magnetic(c, "transformer", d.transformer);
  c.read("capacitor_esr", d.capacitor_esr_ohm);
  c.read("resonant_capacitor_esr", d.resonant_capacitor_esr_ohm);
  c.read("other_loss_fraction", d.other_loss_fraction);
  c.read("heatsink_cspi", d.heatsink_cspi_w_per_k_m3);
  if (c.has("gate")) {
    YamlMap g(file, c.node("gate"), fmt::format("{}: gate", c.what()), gate_fields);
    if (g.is_map()) g.read("r_g_ext", d.gate.r_g_ext_ohm);
  }
  if (c.has("cooling")) read_cooling(file, c, d);
  d.assumptions = c.texts("assumptions");
}

void parse_published(YamlFile& file, const YAML::Node& pub, std::vector<PublishedPoint>& out) {
  if (!pub.IsSequence()) {
    file.error(pub, "'published' must be a list of operating points",
               "write '- {v_in: 400 V, v_out: 50 V, p_out: 1.5 kW, efficiency: 99 %, "
               "source: ...}'");
    return;
  }
  for (const auto& item : pub) {
    YamlMap m(file, item, "published point", published_fields);
    if (!m.is_map()) continue;
    PublishedPoint& pp = out.emplace_back();
    m.require_all();
    m.read("v_in", pp.point.v_in_v);
    m.read("v_out", pp.point.v_out_v);
    m.read("p_out", pp.point.p_out_w);
    m.read("efficiency", pp.efficiency);
    m.read("source", pp.source);
    m.read("peak", pp.peak);
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
  YamlFile f(file);
  ConverterSpec spec;
  const YAML::Node root = f.parse(yaml);
  f.throw_if_errors();
  YamlMap top(f, root, "", top_fields);
  if (!root || !top.is_map()) {
    if (!f.has_errors()) f.error(root, "the SPEC file is empty", "start it with 'converter:'");
    f.throw_if_errors();
  }
  spec.device_library = confined_path(top, "device_library", "device_library");
  if (top.has("device_library")) spec.device_library_at = f.where(top.node("device_library"));
  const YAML::Node c = top.node("converter");
  if (top.has("chain")) {
    spec.is_chain = true;
    if (c)
      f.error(top.node("chain"), "the SPEC file has both 'converter:' and 'chain:'",
              "keep one: a chain names its stages' SPEC files");
    if (top.has("device_library"))
      f.diagnostics().error(spec.device_library_at, "a chain has no devices of its own",
                            "put 'device_library:' in the SPEC of the stage that uses the parts");
    parse_chain(f, top.node("chain"), spec.chain);
  } else if (!c) {
    f.error(root, "the SPEC file has no 'converter:' or 'chain:'",
            "put the design under a top-level 'converter:' key (or the stages under 'chain:')");
    f.throw_if_errors();
  }
  if (c && !spec.is_chain) parse_design(f, c, spec.design);
  if (top.has("published")) parse_published(f, top.node("published"), spec.published);
  f.throw_if_errors();
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

// Device library files: YAML -> devices::Device with file:line:column diagnostics.
//
// yaml-cpp's node API is enough here (files are small and hand-written); keys, units, ranges and
// messages come from the configuration toolkit (core/yaml_fields.hpp), shared with every other
// configuration reader. Only the part's physics checks are written here.
#include "g2g/devices/library.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/units.hpp"
#include "g2g/core/yaml_fields.hpp"

namespace g2g::devices {
namespace {

using core::Check;
using core::Dimension;
using core::key;
using core::quantity_key;

constexpr std::array technologies{Technology::gan_hemt, Technology::gan_cascode,
                                  Technology::sic_mosfet, Technology::si_superjunction,
                                  Technology::si_lv_mosfet};

// Every key of a part, each with one spelling (docs: data/devices/README.md).
constexpr std::array fields{
    key("name", true, "part number", "EPC2218"),
    key("maker", true, "manufacturer", "EPC"),
    key("technology", true, "device technology", "gan_hemt"),
    key("package"),
    quantity_key("v_ds_max", Dimension::voltage, true, Check::positive,
                 "drain-source voltage rating"),
    quantity_key("i_d_max", Dimension::current, false, Check::non_negative,
                 "continuous drain current"),
    quantity_key("r_ds_on_25c", Dimension::resistance, true, Check::positive,
                 "typical R_DS(on) at 25 °C"),
    quantity_key("r_ds_on_hot_ratio", Dimension::dimensionless, false, Check::positive,
                 "R_DS(on)(hot) / R_DS(on)(25 °C)"),
    quantity_key("r_ds_on_hot_t_j", Dimension::temperature, false, Check::none,
                 "junction temperature of r_ds_on_hot_ratio"),
    quantity_key("q_g", Dimension::charge, true, Check::positive, "total gate charge"),
    quantity_key("q_gs", Dimension::charge, false, Check::non_negative, "gate-source charge"),
    quantity_key("q_gd", Dimension::charge, true, Check::positive, "gate-drain (Miller) charge"),
    quantity_key("v_gs_on", Dimension::voltage, true, Check::none, "gate drive high level", "6 V"),
    quantity_key("v_gs_off", Dimension::voltage, true, Check::none, "gate drive low level", "0 V"),
    quantity_key("v_th", Dimension::voltage, true, Check::positive, "gate threshold voltage",
                 "1.5 V"),
    quantity_key("v_plateau", Dimension::voltage, true, Check::positive, "Miller plateau voltage",
                 "3 V"),
    quantity_key("r_g_internal", Dimension::resistance, true, Check::non_negative,
                 "internal gate resistance"),
    key("oss", true, "output charge and energy points",
        "[{v: \"400 V\", q_oss: \"57 nC\", e_oss: \"7 uJ\"}]"),
    quantity_key("q_rr", Dimension::charge, true, Check::non_negative,
                 "reverse-recovery charge, 0 nC for GaN"),
    quantity_key("q_rr_test_v", Dimension::voltage, false, Check::non_negative,
                 "voltage of the Q_rr test"),
    quantity_key("v_sd", Dimension::voltage, true, Check::non_negative,
                 "third-quadrant voltage drop", "2 V"),
    quantity_key("r_th_jc", Dimension::thermal_resistance, true, Check::positive,
                 "junction-to-case thermal resistance"),
    quantity_key("t_j_max", Dimension::temperature, false, Check::none,
                 "maximum junction temperature"),
    key("z_th_jc", false, "transient junction-to-case impedance, Foster terms",
        "[{r: \"0.12 K/W\", tau: \"1.3 ms\"}]"),
    key("source", true, "where the values come from", "\"datasheet title, URL\""),
    key("assumptions", false, "values not in the source, and why"),
};

constexpr std::array top_fields{key("parts", true, "one entry per device", "[{name: ...}]")};

constexpr std::array foster_fields{
    quantity_key("r", Dimension::thermal_resistance, true, Check::positive,
                 "the term's thermal resistance", "0.12 K/W"),
    quantity_key("tau", Dimension::time, true, Check::positive, "the term's time constant R C",
                 "1.3 ms"),
};

// Largest relative difference between the sum of a Foster table's R and r_th_jc: datasheet tables
// are rounded to 2-3 digits, and a larger gap means the table and R_th(j-c) are not the same
// figure (typical against maximum) or a term is missing.
constexpr double foster_sum_tolerance = 0.01;

constexpr std::array oss_fields{
    quantity_key("v", Dimension::voltage, true, Check::positive),
    quantity_key("q_oss", Dimension::charge, true, Check::positive),
    quantity_key("e_oss", Dimension::energy, true, Check::positive),
};

class Parser {
 public:
  explicit Parser(std::string file) : file_(std::move(file)) {}

  std::vector<Device> parse(std::string_view text) {
    std::vector<Device> parts;
    const YAML::Node root = file_.parse(text);
    if (file_.has_errors()) return parts;
    core::YamlMap top(file_, root, "", top_fields);
    if (!top.is_map() || !top.require_all()) return parts;
    const YAML::Node list = top.node("parts");
    if (!list.IsSequence()) {
      file_.error(list, "`parts` must be a list", "write each part as `- name: ...`");
      return parts;
    }
    for (const auto& item : list) {
      if (auto part = parse_part(item)) parts.push_back(std::move(*part));
    }
    return parts;
  }

  core::DiagnosticList& diagnostics() { return file_.diagnostics(); }
  // Where each parsed part was defined (for duplicate-name messages).
  std::vector<core::SourceLocation> part_locations;

 private:
  std::optional<Device> parse_part(const YAML::Node& node) {
    const std::size_t errors_before = diagnostics().error_count();
    core::YamlMap m(file_, node, "part", fields, "name", "a part");
    if (!m.is_map()) return std::nullopt;
    m.require_all(
        "when the datasheet does not give it, state the value you assume under `assumptions:`");
    Device device;
    m.read("name", device.name);
    m.read("maker", device.maker);
    m.read("package", device.package);
    m.read("source", device.source);
    std::vector<std::string_view> technology_names;
    for (const Technology t : technologies) technology_names.push_back(name(t));
    if (const auto t = m.choice("technology", technology_names))
      device.technology = technologies[*t];
    m.read("v_ds_max", device.v_ds_max_v);
    m.read("i_d_max", device.i_d_max_a);
    m.read("r_ds_on_25c", device.r_ds_on_25c_ohm);
    m.read("q_g", device.q_g_c);
    m.read("q_gs", device.q_gs_c);
    m.read("q_gd", device.q_gd_c);
    m.read("v_gs_on", device.v_gs_on_v);
    m.read("v_gs_off", device.v_gs_off_v);
    m.read("v_th", device.v_th_v);
    m.read("v_plateau", device.v_plateau_v);
    m.read("r_g_internal", device.r_g_internal_ohm);
    m.read("q_rr", device.q_rr_c);
    m.read("q_rr_test_v", device.q_rr_test_v);
    m.read("v_sd", device.v_sd_v);
    m.read("r_th_jc", device.r_th_jc_k_per_w);
    m.read("t_j_max", device.t_j_max_c);
    device.assumptions = m.texts("assumptions");
    if (m.has("oss")) read_oss(m, device);
    if (m.has("z_th_jc")) read_z_th_jc(m, device);

    const auto hot_ratio = m.quantity("r_ds_on_hot_ratio");
    const auto hot_t_j = m.quantity("r_ds_on_hot_t_j");
    if (m.has("r_ds_on_hot_ratio") != m.has("r_ds_on_hot_t_j"))
      file_.error(node,
                  core::qualify(m.what(),
                                "r_ds_on_hot_ratio and r_ds_on_hot_t_j are given "
                                "together or not at all"),
                  "add the junction temperature at which the ratio holds, e.g. \"150 C\"");
    if (hot_t_j && hot_ratio) {
      if (*hot_t_j <= 25.0)
        file_.error(m.node("r_ds_on_hot_t_j"), "r_ds_on_hot_t_j must be above 25 °C");
      else
        device.r_ds_on_exponent = r_ds_on_exponent_from_ratio(*hot_ratio, *hot_t_j);
    }
    if (m.has("v_plateau") && m.has("v_th") && device.v_plateau_v <= device.v_th_v)
      file_.error(m.node("v_plateau"), "v_plateau must be above v_th",
                  "the Miller plateau is V_th + I / g_fs");
    if (m.has("v_gs_on") && m.has("v_plateau") && device.v_gs_on_v <= device.v_plateau_v)
      file_.error(m.node("v_gs_on"), "v_gs_on must be above v_plateau",
                  "the gate must be driven past the Miller plateau");
    if (diagnostics().error_count() > errors_before) return std::nullopt;
    part_locations.push_back(file_.where(node));
    return device;
  }

  // A Foster table: every term positive; R sum within foster_sum_tolerance of r_th_jc.
  void read_z_th_jc(core::YamlMap& part, Device& device) {
    const YAML::Node value = part.node("z_th_jc");
    if (!value.IsSequence() || value.size() == 0) {
      file_.error(value, core::qualify(part.what(), "'z_th_jc' must be a list of Foster terms"),
                  "write `z_th_jc: [{r: \"0.12 K/W\", tau: \"1.3 ms\"}, ...]`, or leave it out "
                  "when the datasheet gives only R_th(j-c)");
      return;
    }
    const std::string what = fmt::format("{}: z_th_jc term", part.what());
    const std::size_t errors_before = diagnostics().error_count();
    for (const auto& item : value) {
      core::YamlMap m(file_, item, what, foster_fields);
      if (!m.is_map()) continue;
      m.require_all();
      FosterTerm term;
      m.read("r", term.r_k_per_w);
      m.read("tau", term.tau_s);
      device.z_th_jc.push_back(term);
    }
    if (diagnostics().error_count() > errors_before || !part.has("r_th_jc")) return;
    double sum = 0.0;
    for (const FosterTerm& term : device.z_th_jc) sum += term.r_k_per_w;
    if (std::abs(sum - device.r_th_jc_k_per_w) > foster_sum_tolerance * device.r_th_jc_k_per_w)
      file_.error(
          value,
          core::qualify(part.what(),
                        fmt::format("the z_th_jc terms sum to {:.4g} K/W, r_th_jc is {:.4g} "
                                    "K/W: they must agree within {:g} %",
                                    sum, device.r_th_jc_k_per_w, 100.0 * foster_sum_tolerance)),
          "Z_th(j-c) tends to R_th(j-c) at long times: take both from the same datasheet "
          "figure (typical or maximum), or check for a missing term");
  }

  void read_oss(core::YamlMap& part, Device& device) {
    const YAML::Node value = part.node("oss");
    if (!value.IsSequence() || value.size() == 0) {
      file_.error(value, core::qualify(part.what(), "'oss' must be a list of points"),
                  "write `oss: [{v: \"400 V\", q_oss: \"57 nC\", e_oss: \"7 uJ\"}]`");
      return;
    }
    const std::string what = fmt::format("{}: oss point", part.what());
    for (const auto& item : value) {
      const std::size_t errors_before = diagnostics().error_count();
      core::YamlMap m(file_, item, what, oss_fields);
      if (!m.is_map()) continue;
      m.require_all();
      OssPoint point;
      m.read("v", point.v_v);
      m.read("q_oss", point.q_oss_c);
      m.read("e_oss", point.e_oss_j);
      if (diagnostics().error_count() > errors_before) continue;
      // E_OSS = ∫ v dQ over 0..V cannot exceed V Q_OSS.
      if (point.e_oss_j > point.v_v * point.q_oss_c * (1.0 + 1e-9)) {
        file_.error(item,
                    fmt::format("E_OSS {:.4g} uJ exceeds V Q_OSS = {:.4g} uJ, which no "
                                "capacitance can store",
                                point.e_oss_j * 1e6, point.v_v * point.q_oss_c * 1e6),
                    "check the units and the test voltage of Q_OSS and E_OSS");
        continue;
      }
      if (!device.oss.empty() && point.v_v <= device.oss.back().v_v) {
        file_.error(item, "oss points must be in ascending voltage");
        continue;
      }
      device.oss.push_back(point);
    }
  }

  core::YamlFile file_;
};

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

double r_ds_on_exponent_from_ratio(double ratio, double t_hot_c) noexcept {
  return std::log(ratio) / std::log((t_hot_c + 273.15) / 298.15);
}

std::vector<Device> parse_device_library(std::string_view yaml_text, const std::string& file_name) {
  return parse_device_files({DeviceFile{file_name, std::string(yaml_text)}});
}

std::vector<Device> parse_device_files(const std::vector<DeviceFile>& files) {
  std::vector<Device> library;
  std::vector<core::SourceLocation> locations;
  core::DiagnosticList diagnostics;
  for (const DeviceFile& file : files) {
    Parser parser(file.name);
    std::vector<Device> parts = parser.parse(file.text);
    diagnostics.append(parser.diagnostics());
    for (std::size_t k = 0; k < parts.size(); ++k) {
      const auto twin = std::find_if(library.begin(), library.end(),
                                     [&](const Device& d) { return d.name == parts[k].name; });
      if (twin != library.end()) {
        const core::SourceLocation& first =
            locations[static_cast<std::size_t>(twin - library.begin())];
        diagnostics.error(parser.part_locations[k],
                          fmt::format("part '{}' is defined twice", parts[k].name),
                          fmt::format("the first definition is at {}:{}:{}; rename one", first.file,
                                      first.line, first.column));
        continue;
      }
      library.push_back(std::move(parts[k]));
      locations.push_back(parser.part_locations[k]);
    }
  }
  if (diagnostics.has_errors()) throw core::ModelError(std::move(diagnostics));
  return library;
}

const std::vector<Device>& default_devices() {
  static const std::vector<Device> library = parse_device_files(default_device_files());
  return library;
}

const Device* find_device(const std::vector<Device>& library, std::string_view name) {
  for (const Device& device : library)
    if (device.name == name) return &device;
  return nullptr;
}

std::string closest_device_name(const std::vector<Device>& library, std::string_view name) {
  std::vector<std::string_view> names;
  names.reserve(library.size());
  for (const Device& device : library) names.push_back(device.name);
  return core::closest_match(name, names);
}

std::string format_device_library(const std::vector<Device>& parts) {
  // 17 significant digits so that the values read back exactly.
  const auto q = [](double value, std::string_view unit, double scale) {
    return fmt::format("\"{:.17g} {}\"", value / scale, unit);
  };
  std::string out = "parts:\n";
  for (const Device& d : parts) {
    out += fmt::format("  - name: {}\n", quote(d.name));
    out += fmt::format("    maker: {}\n", quote(d.maker));
    out += fmt::format("    technology: {}\n", name(d.technology));
    if (!d.package.empty()) out += fmt::format("    package: {}\n", quote(d.package));
    out += fmt::format("    v_ds_max: {}\n", q(d.v_ds_max_v, "V", 1.0));
    if (d.i_d_max_a > 0.0) out += fmt::format("    i_d_max: {}\n", q(d.i_d_max_a, "A", 1.0));
    out += fmt::format("    r_ds_on_25c: {}\n", q(d.r_ds_on_25c_ohm, "mohm", 1e-3));
    // The exponent is written as the ratio at 150 °C it implies.
    out += fmt::format("    r_ds_on_hot_ratio: {:.17g}\n",
                       std::pow(423.15 / 298.15, d.r_ds_on_exponent));
    out += "    r_ds_on_hot_t_j: \"150 C\"\n";
    out += fmt::format("    q_g: {}\n", q(d.q_g_c, "nC", 1e-9));
    if (d.q_gs_c > 0.0) out += fmt::format("    q_gs: {}\n", q(d.q_gs_c, "nC", 1e-9));
    out += fmt::format("    q_gd: {}\n", q(d.q_gd_c, "nC", 1e-9));
    out += fmt::format("    v_gs_on: {}\n", q(d.v_gs_on_v, "V", 1.0));
    out += fmt::format("    v_gs_off: {}\n", q(d.v_gs_off_v, "V", 1.0));
    out += fmt::format("    v_th: {}\n", q(d.v_th_v, "V", 1.0));
    out += fmt::format("    v_plateau: {}\n", q(d.v_plateau_v, "V", 1.0));
    out += fmt::format("    r_g_internal: {}\n", q(d.r_g_internal_ohm, "ohm", 1.0));
    out += "    oss:\n";
    for (const OssPoint& p : d.oss)
      out += fmt::format("      - {{v: {}, q_oss: {}, e_oss: {}}}\n", q(p.v_v, "V", 1.0),
                         q(p.q_oss_c, "nC", 1e-9), q(p.e_oss_j, "uJ", 1e-6));
    out += fmt::format("    q_rr: {}\n", q(d.q_rr_c, "nC", 1e-9));
    if (d.q_rr_test_v > 0.0)
      out += fmt::format("    q_rr_test_v: {}\n", q(d.q_rr_test_v, "V", 1.0));
    out += fmt::format("    v_sd: {}\n", q(d.v_sd_v, "V", 1.0));
    out += fmt::format("    r_th_jc: \"{:.17g} K/W\"\n", d.r_th_jc_k_per_w);
    out += fmt::format("    t_j_max: \"{:.17g} C\"\n", d.t_j_max_c);
    if (!d.z_th_jc.empty()) {
      out += "    z_th_jc:\n";
      for (const FosterTerm& term : d.z_th_jc)
        out += fmt::format("      - {{r: \"{:.17g} K/W\", tau: \"{:.17g} s\"}}\n", term.r_k_per_w,
                           term.tau_s);
    }
    out += fmt::format("    source: {}\n", quote(d.source));
    if (!d.assumptions.empty()) {
      out += "    assumptions:\n";
      for (const std::string& a : d.assumptions) out += fmt::format("      - {}\n", quote(a));
    }
  }
  return out;
}

}  // namespace g2g::devices

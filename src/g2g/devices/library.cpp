// Device library files: YAML -> devices::Device with file:line:column diagnostics.
//
// yaml-cpp's node API is enough here (files are small and hand-written): every node keeps its
// mark, which gives the line and column of keys and values. Quantities are read with
// core::parse_quantity; the one quantity core has no dimension for, thermal resistance, is read
// here ("0.5 K/W", "0.5 °C/W").
#include "g2g/devices/library.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <map>
#include <optional>

#include "g2g/core/diagnostics.hpp"
#include "g2g/core/units.hpp"

namespace g2g::devices {
namespace {

using core::Dimension;

constexpr std::array technologies{Technology::gan_hemt, Technology::gan_cascode,
                                  Technology::sic_mosfet, Technology::si_superjunction,
                                  Technology::si_lv_mosfet};

// Optimal-string-alignment distance, for "did you mean".
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
  for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    before.swap(previous);
    previous.swap(current);
  }
  return previous[m];
}

template <typename Range>
std::string closest(std::string_view word, const Range& candidates) {
  const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  std::size_t best = limit + 1;
  std::string best_name;
  for (const auto& candidate : candidates) {
    const std::string_view name(candidate);
    const std::size_t distance = edit_distance(word, name);
    if (distance < best) {
      best = distance;
      best_name = std::string(name);
    }
  }
  return best_name;
}

// How one key of a part is read and written.
enum class Kind { text, quantity, thermal_resistance, technology, oss, assumptions, ratio };

struct Field {
  std::string_view key;
  Kind kind;
  Dimension dimension;
  bool required;
  std::string_view help;  // what it is, for "missing field" messages
};

// Every key of a part, each with one spelling (docs: data/devices/README.md).
constexpr std::array fields{
    Field{"name", Kind::text, Dimension::dimensionless, true, "part number"},
    Field{"maker", Kind::text, Dimension::dimensionless, true, "manufacturer"},
    Field{"technology", Kind::technology, Dimension::dimensionless, true, "device technology"},
    Field{"package", Kind::text, Dimension::dimensionless, false, "package"},
    Field{"v_ds_max", Kind::quantity, Dimension::voltage, true, "drain-source voltage rating"},
    Field{"i_d_max", Kind::quantity, Dimension::current, false, "continuous drain current"},
    Field{"r_ds_on_25c", Kind::quantity, Dimension::resistance, true, "typical R_DS(on) at 25 °C"},
    Field{"r_ds_on_hot_ratio", Kind::ratio, Dimension::dimensionless, false,
          "R_DS(on)(hot) / R_DS(on)(25 °C)"},
    Field{"r_ds_on_hot_t_j", Kind::quantity, Dimension::temperature, false,
          "junction temperature of r_ds_on_hot_ratio"},
    Field{"q_g", Kind::quantity, Dimension::charge, true, "total gate charge"},
    Field{"q_gs", Kind::quantity, Dimension::charge, false, "gate-source charge"},
    Field{"q_gd", Kind::quantity, Dimension::charge, true, "gate-drain (Miller) charge"},
    Field{"v_gs_on", Kind::quantity, Dimension::voltage, true, "gate drive high level"},
    Field{"v_gs_off", Kind::quantity, Dimension::voltage, true, "gate drive low level"},
    Field{"v_th", Kind::quantity, Dimension::voltage, true, "gate threshold voltage"},
    Field{"v_plateau", Kind::quantity, Dimension::voltage, true, "Miller plateau voltage"},
    Field{"r_g_internal", Kind::quantity, Dimension::resistance, true, "internal gate resistance"},
    Field{"oss", Kind::oss, Dimension::dimensionless, true,
          "output charge and energy points [{v, q_oss, e_oss}]"},
    Field{"q_rr", Kind::quantity, Dimension::charge, true,
          "reverse-recovery charge (0 nC for GaN)"},
    Field{"q_rr_test_v", Kind::quantity, Dimension::voltage, false, "voltage of the Q_rr test"},
    Field{"v_sd", Kind::quantity, Dimension::voltage, true, "third-quadrant voltage drop"},
    Field{"r_th_jc", Kind::thermal_resistance, Dimension::dimensionless, true,
          "junction-to-case thermal resistance"},
    Field{"t_j_max", Kind::quantity, Dimension::temperature, false, "maximum junction temperature"},
    Field{"source", Kind::text, Dimension::dimensionless, true, "where the values come from"},
    Field{"assumptions", Kind::assumptions, Dimension::dimensionless, false,
          "values not in the source, and why"},
};

constexpr std::array oss_keys{std::string_view{"v"}, std::string_view{"q_oss"},
                              std::string_view{"e_oss"}};

// A key's text; a map or list used as a key gets a text that matches no field.
std::string key_text(const YAML::Node& key) {
  return key.IsScalar() ? key.Scalar() : std::string("(a map or list)");
}

class Parser {
 public:
  explicit Parser(std::string file) : file_(std::move(file)) {}

  core::SourceLocation at(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    if (mark.line < 0) return {file_, 0, 0};
    return {file_, mark.line + 1, mark.column + 1};
  }
  core::SourceLocation at(const YAML::Mark& mark) const {
    if (mark.line < 0) return {file_, 0, 0};
    return {file_, mark.line + 1, mark.column + 1};
  }

  std::vector<Device> parse(std::string_view text) {
    std::vector<Device> parts;
    YAML::Node root;
    try {
      root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
      diagnostics_.error(at(e.mark), fmt::format("YAML syntax error: {}", e.msg),
                         "check indentation and quoting near this place");
      return parts;
    }
    if (!root.IsMap()) {
      diagnostics_.error(at(root), "a device file is a map with a `parts:` list",
                         "start the file with `parts:` followed by `- name: ...` entries");
      return parts;
    }
    YAML::Node list;
    for (const auto& entry : root) {
      const std::string key = key_text(entry.first);
      if (key == "parts") {
        list = entry.second;
      } else {
        const std::string match = closest(key, std::array{std::string_view{"parts"}});
        diagnostics_.error(at(entry.first), fmt::format("unknown key '{}' at the top level", key),
                           match.empty() ? "the only top-level key is 'parts'"
                                         : fmt::format("did you mean '{}'?", match));
      }
    }
    if (!list) {
      diagnostics_.error(at(root), "no `parts:` list", "add `parts:` with one entry per device");
      return parts;
    }
    if (!list.IsSequence()) {
      diagnostics_.error(at(list), "`parts` must be a list", "write each part as `- name: ...`");
      return parts;
    }
    for (const auto& item : list) {
      if (auto part = parse_part(item)) parts.push_back(std::move(*part));
    }
    return parts;
  }

  core::DiagnosticList& diagnostics() { return diagnostics_; }
  // Where each parsed part was defined (for duplicate-name messages).
  std::vector<core::SourceLocation> part_locations;

 private:
  std::optional<double> quantity(const YAML::Node& node, Dimension dimension,
                                 std::string_view key) {
    if (!node.IsScalar()) {
      diagnostics_.error(at(node), fmt::format("'{}' must be a value with a unit", key),
                         fmt::format("write e.g. \"{}\"", core::dimension_example(dimension)));
      return std::nullopt;
    }
    const core::ParsedQuantity q = core::parse_quantity(node.Scalar(), dimension);
    if (!q.ok) {
      diagnostics_.error(at(node), fmt::format("'{}': {}", key, q.error.message), q.error.fix);
      return std::nullopt;
    }
    return q.value;
  }

  std::optional<double> thermal_resistance(const YAML::Node& node, std::string_view key) {
    const std::string fix = "write e.g. \"0.5 K/W\" (or \"0.5 °C/W\")";
    if (!node.IsScalar()) {
      diagnostics_.error(at(node), fmt::format("'{}' must be a thermal resistance", key), fix);
      return std::nullopt;
    }
    std::string_view text = node.Scalar();
    for (const std::string_view unit : {"K/W", "°C/W", "C/W"}) {
      if (text.ends_with(unit)) {
        text.remove_suffix(unit.size());
        break;
      }
    }
    const core::ParsedQuantity q = core::parse_quantity(text, Dimension::dimensionless);
    if (!q.ok || text.find('%') != std::string_view::npos) {
      diagnostics_.error(
          at(node), fmt::format("'{}': \"{}\" is not a thermal resistance", key, node.Scalar()),
          fix);
      return std::nullopt;
    }
    return q.value;
  }

  void positive(const YAML::Node& node, std::string_view key, double value, bool allow_zero) {
    if (value > 0.0 || (allow_zero && value == 0.0)) return;
    diagnostics_.error(at(node), fmt::format("'{}' must be {}", key,
                                             allow_zero ? "zero or positive" : "positive"));
  }

  std::optional<Device> parse_part(const YAML::Node& node) {
    if (!node.IsMap()) {
      diagnostics_.error(at(node), "a part is a map of keys such as `name:`, `r_ds_on_25c:`",
                         "see data/devices/README.md for the format");
      return std::nullopt;
    }
    const std::size_t errors_before = diagnostics_.error_count();
    Device device;
    std::map<std::string, YAML::Node> seen;
    double hot_ratio = 0.0;
    std::optional<double> hot_t_j;
    for (const auto& entry : node) {
      const std::string key = key_text(entry.first);
      const auto field =
          std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.key == key; });
      if (field == fields.end()) {
        std::vector<std::string_view> keys;
        keys.reserve(fields.size());
        for (const Field& f : fields) keys.push_back(f.key);
        const std::string match = closest(key, keys);
        diagnostics_.error(at(entry.first), fmt::format("unknown key '{}' in a part", key),
                           match.empty() ? "see data/devices/README.md for the keys"
                                         : fmt::format("did you mean '{}'?", match));
        continue;
      }
      if (seen.count(key)) {
        diagnostics_.error(at(entry.first), fmt::format("'{}' is given twice", key),
                           "keep one of them");
        continue;
      }
      seen[key] = entry.first;
      read_field(*field, entry.second, device, hot_ratio, hot_t_j);
    }
    for (const Field& f : fields) {
      if (f.required && !seen.count(std::string(f.key)))
        diagnostics_.error(
            at(node),
            fmt::format("part '{}' has no '{}' ({})", device.name.empty() ? "?" : device.name,
                        f.key, f.help),
            "add it with its unit; when the datasheet does not give it, state the value you "
            "assume under `assumptions:`");
    }
    if (seen.count("r_ds_on_hot_ratio") != seen.count("r_ds_on_hot_t_j"))
      diagnostics_.error(at(node),
                         "r_ds_on_hot_ratio and r_ds_on_hot_t_j are given together or not at all",
                         "add the junction temperature at which the ratio holds, e.g. \"150 C\"");
    if (hot_t_j && hot_ratio > 0.0) {
      if (*hot_t_j <= 25.0)
        diagnostics_.error(at(seen["r_ds_on_hot_t_j"]), "r_ds_on_hot_t_j must be above 25 °C");
      else
        device.r_ds_on_exponent = r_ds_on_exponent_from_ratio(hot_ratio, *hot_t_j);
    }
    if (seen.count("v_plateau") && seen.count("v_th") && device.v_plateau_v <= device.v_th_v)
      diagnostics_.error(at(node["v_plateau"]), "v_plateau must be above v_th",
                         "the Miller plateau is V_th + I / g_fs");
    if (seen.count("v_gs_on") && seen.count("v_plateau") && device.v_gs_on_v <= device.v_plateau_v)
      diagnostics_.error(at(node["v_gs_on"]), "v_gs_on must be above v_plateau",
                         "the gate must be driven past the Miller plateau");
    if (diagnostics_.error_count() > errors_before) return std::nullopt;
    part_locations.push_back(at(node));
    return device;
  }

  void read_field(const Field& f, const YAML::Node& value, Device& device, double& hot_ratio,
                  std::optional<double>& hot_t_j) {
    const std::string_view key = f.key;
    switch (f.kind) {
      case Kind::text: {
        if (!value.IsScalar() || value.Scalar().empty()) {
          diagnostics_.error(at(value), fmt::format("'{}' must be text", key));
          return;
        }
        const std::string& text = value.Scalar();
        if (key == "name") device.name = text;
        if (key == "maker") device.maker = text;
        if (key == "package") device.package = text;
        if (key == "source") device.source = text;
        return;
      }
      case Kind::technology: {
        const std::string text = value.IsScalar() ? value.Scalar() : std::string();
        for (const Technology t : technologies)
          if (name(t) == text) {
            device.technology = t;
            return;
          }
        std::vector<std::string_view> names;
        names.reserve(technologies.size());
        for (const Technology t : technologies) names.push_back(name(t));
        const std::string match = closest(text, names);
        diagnostics_.error(at(value), fmt::format("unknown technology '{}'", text),
                           match.empty() ? "use gan_hemt, gan_cascode, sic_mosfet, "
                                           "si_superjunction or si_lv_mosfet"
                                         : fmt::format("did you mean '{}'?", match));
        return;
      }
      case Kind::ratio: {
        const auto v = quantity(value, Dimension::dimensionless, key);
        if (!v) return;
        if (*v <= 0.0)
          diagnostics_.error(at(value), "r_ds_on_hot_ratio must be positive");
        else
          hot_ratio = *v;
        return;
      }
      case Kind::thermal_resistance: {
        const auto v = thermal_resistance(value, key);
        if (!v) return;
        positive(value, key, *v, false);
        device.r_th_jc_k_per_w = *v;
        return;
      }
      case Kind::assumptions: {
        if (!value.IsSequence()) {
          diagnostics_.error(at(value), "'assumptions' must be a list of sentences",
                             "write each assumption as `- text`");
          return;
        }
        for (const auto& item : value) {
          if (!item.IsScalar()) {
            diagnostics_.error(at(item), "each assumption is one line of text");
            continue;
          }
          device.assumptions.push_back(item.Scalar());
        }
        return;
      }
      case Kind::oss:
        read_oss(value, device);
        return;
      case Kind::quantity:
        break;
    }
    const auto v = quantity(value, f.dimension, key);
    if (!v) return;
    const double x = *v;
    if (key == "v_ds_max") positive(value, key, device.v_ds_max_v = x, false);
    if (key == "i_d_max") positive(value, key, device.i_d_max_a = x, true);
    if (key == "r_ds_on_25c") positive(value, key, device.r_ds_on_25c_ohm = x, false);
    if (key == "r_ds_on_hot_t_j") hot_t_j = x;
    if (key == "q_g") positive(value, key, device.q_g_c = x, false);
    if (key == "q_gs") positive(value, key, device.q_gs_c = x, true);
    if (key == "q_gd") positive(value, key, device.q_gd_c = x, false);
    if (key == "v_gs_on") device.v_gs_on_v = x;
    if (key == "v_gs_off") device.v_gs_off_v = x;
    if (key == "v_th") positive(value, key, device.v_th_v = x, false);
    if (key == "v_plateau") positive(value, key, device.v_plateau_v = x, false);
    if (key == "r_g_internal") positive(value, key, device.r_g_internal_ohm = x, true);
    if (key == "q_rr") positive(value, key, device.q_rr_c = x, true);
    if (key == "q_rr_test_v") positive(value, key, device.q_rr_test_v = x, true);
    if (key == "v_sd") positive(value, key, device.v_sd_v = x, true);
    if (key == "t_j_max") device.t_j_max_c = x;
  }

  void read_oss(const YAML::Node& value, Device& device) {
    if (!value.IsSequence() || value.size() == 0) {
      diagnostics_.error(at(value), "'oss' must be a list of points",
                         "write `oss: [{v: \"400 V\", q_oss: \"57 nC\", e_oss: \"7 uJ\"}]`");
      return;
    }
    for (const auto& item : value) {
      if (!item.IsMap()) {
        diagnostics_.error(at(item), "an oss point is a map {v, q_oss, e_oss}");
        continue;
      }
      OssPoint point;
      int found = 0;
      bool ok = true;
      for (const auto& entry : item) {
        const std::string key = key_text(entry.first);
        std::optional<double> v;
        if (key == "v") {
          v = quantity(entry.second, Dimension::voltage, "oss.v");
          if (v) point.v_v = *v;
        } else if (key == "q_oss") {
          v = quantity(entry.second, Dimension::charge, "oss.q_oss");
          if (v) point.q_oss_c = *v;
        } else if (key == "e_oss") {
          v = quantity(entry.second, Dimension::energy, "oss.e_oss");
          if (v) point.e_oss_j = *v;
        } else {
          const std::string match = closest(key, oss_keys);
          diagnostics_.error(at(entry.first), fmt::format("unknown key '{}' in an oss point", key),
                             match.empty() ? "the keys are v, q_oss and e_oss"
                                           : fmt::format("did you mean '{}'?", match));
          ok = false;
          continue;
        }
        if (!v) ok = false;
        ++found;
      }
      if (ok && found != 3) {
        diagnostics_.error(at(item), "an oss point needs v, q_oss and e_oss",
                           "derive a missing one and say how under `assumptions:`");
        ok = false;
      }
      if (!ok) continue;
      if (point.v_v <= 0.0 || point.q_oss_c <= 0.0 || point.e_oss_j <= 0.0) {
        diagnostics_.error(at(item), "oss point values must be positive");
        continue;
      }
      // E_OSS = ∫ v dQ over 0..V cannot exceed V Q_OSS.
      if (point.e_oss_j > point.v_v * point.q_oss_c * (1.0 + 1e-9)) {
        diagnostics_.error(at(item),
                           fmt::format("E_OSS {:.4g} uJ exceeds V Q_OSS = {:.4g} uJ, which no "
                                       "capacitance can store",
                                       point.e_oss_j * 1e6, point.v_v * point.q_oss_c * 1e6),
                           "check the units and the test voltage of Q_OSS and E_OSS");
        continue;
      }
      if (!device.oss.empty() && point.v_v <= device.oss.back().v_v) {
        diagnostics_.error(at(item), "oss points must be in ascending voltage");
        continue;
      }
      device.oss.push_back(point);
    }
  }

  std::string file_;
  core::DiagnosticList diagnostics_;
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
  return closest(name, names);
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
    out += fmt::format("    source: {}\n", quote(d.source));
    if (!d.assumptions.empty()) {
      out += "    assumptions:\n";
      for (const std::string& a : d.assumptions) out += fmt::format("      - {}\n", quote(a));
    }
  }
  return out;
}

}  // namespace g2g::devices

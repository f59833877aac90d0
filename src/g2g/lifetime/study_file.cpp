// The lifetime study reader (docs/reliability.md, "Lifetime study file"). Keys, units, ranges,
// "did you mean" and located messages come from the configuration toolkit (core/yaml_fields.hpp);
// only the study's own rules are written here: the time step resolves the fastest swing, the
// span holds two of the slowest, the families exist, the smoothing settings are consistent.
// Every problem is reported at once.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <variant>

#include "g2g/core/error.hpp"
#include "g2g/core/yaml_fields.hpp"
#include "g2g/dynamic/scenario.hpp"
#include "g2g/lifetime/study.hpp"

namespace g2g::lifetime {
namespace {

using core::Check;
using core::Dimension;
using core::key;
using core::quantity_key;
using core::YamlFile;
using core::YamlMap;

constexpr std::array top_fields{
    key("grid2gpu_lifetime", true, "the format version", "1"),
    key("name", false, "what the study is"),
    key("converter", true, "the converter SPEC, relative to this file",
        "../converters/rack-800v-54v-isop-llc.yaml"),
    quantity_key("rack_power", Dimension::active_power, true, Check::positive,
                 "the rack's power at full utilisation", "130 kW"),
    key("converters_per_rack", true, "converters sharing the rack's power equally", "12"),
    quantity_key("v_in", Dimension::voltage, false, Check::positive,
                 "the converter's input voltage (default: the SPEC's nominal)", "800 V"),
    quantity_key("warm_up", Dimension::time, true, Check::non_negative,
                 "simulated before the counted span and not counted, so that the start-up "
                 "transient is not taken for wear",
                 "20 s"),
    quantity_key("duration", Dimension::time, true, Check::positive,
                 "the simulated span of each case (damage is scaled to a year)", "60 s"),
    quantity_key("time_step", Dimension::time, true, Check::positive,
                 "the junction-temperature sampling step", "2 ms"),
    key("training", true, "the training swing but its period",
        "{duty: 0.6, high: 1.0, low: 0.2, rise: 10 ms, fall: 10 ms}"),
    key("periods", true, "the training periods, one case each", "[0.1 s, 1 s, 10 s]"),
    key("smoothing", false, "NVML power smoothing per GPU: each period is also run with it",
        "{gpus_per_rack: 72, rated_power: 1.4 kW, power_floor: 60 %, ...}"),
    key("package_families", true,
        "the power-cycling family of each device (data/reliability/power_cycling.yaml)",
        "{GS66516B: gan-discrete, EPC2218: gan-chip-scale}"),
    key("heatsink", false,
        "named assumption sets of the heatsink's time constant, overriding the SPEC's cooling; "
        "every case runs under each (default: the SPEC's cooling)",
        "[{name: static}, {name: cold plate 5 s, tau_sink: 5 s}]"),
    key("profiles", false,
        "load profiles from scenario files (training, checkpoints, dips, a CSV trace), one case "
        "each besides the periods",
        "[{name: checkpoint pause, scenario: ../scenarios/checkpoint.yaml}]"),
};
constexpr std::array heatsink_fields{
    key("name", true, "the assumption set's name, shown with every result", "cold plate 5 s"),
    quantity_key("tau_sink", Dimension::time, false, Check::non_negative,
                 "the heatsink's time constant R C (absent or 0 s: a static sink)", "5 s"),
    key("spec_cooling", false, "true: the SPEC's own cooling, as written (no tau_sink then)",
        "true"),
};
constexpr std::array profile_fields{
    key("name", true, "the profile's name, shown with its results", "checkpoint pause"),
    key("scenario", true,
        "a scenario file, relative to this study: its profile's pattern, checkpoints, dips and "
        "job (not its loads, phase groups or smoothing)",
        "../scenarios/checkpoint.yaml"),
    key("profile", false, "which of the scenario's profiles, from 1 (needed when it has several)",
        "1"),
};
constexpr std::array training_fields{
    quantity_key("duty", Dimension::dimensionless, true, Check::fraction,
                 "the fraction of the period at high utilisation, in (0, 1)", "0.6"),
    quantity_key("high", Dimension::dimensionless, true, Check::unit_interval,
                 "utilisation while computing", "1.0"),
    quantity_key("low", Dimension::dimensionless, true, Check::unit_interval,
                 "utilisation while communicating", "0.2"),
    quantity_key("rise", Dimension::time, true, Check::non_negative,
                 "the linear edge low to high (0 s: a jump)", "10 ms"),
    quantity_key("fall", Dimension::time, true, Check::non_negative,
                 "the linear edge high to low (0 s: a jump)", "10 ms"),
};
constexpr std::array smoothing_fields{
    key("gpus_per_rack", true, "GPUs per rack, each with these settings", "72"),
    quantity_key("rated_power", Dimension::active_power, true, Check::positive,
                 "per GPU: the power the floor percentage refers to", "1.4 kW"),
    quantity_key("power_floor", Dimension::dimensionless, true, Check::unit_interval,
                 "NVML PERCENT_TMP_FLOOR, % of rated power", "60 %"),
    quantity_key("ramp_up", Dimension::power_rate, true, Check::positive,
                 "per GPU: NVML RAMP_UP_RATE", "20 kW/s"),
    quantity_key("ramp_down", Dimension::power_rate, true, Check::positive,
                 "per GPU: NVML RAMP_DOWN_RATE", "1 kW/s"),
    quantity_key("ramp_down_hysteresis", Dimension::time, true, Check::non_negative,
                 "NVML RAMP_DOWN_HYSTERESIS", "200 ms"),
    quantity_key("secondary_floor", Dimension::active_power, true, Check::non_negative,
                 "per GPU: NVML SECONDARY_POWER_FLOOR", "0 W"),
};

std::string known_families() {
  std::string out;
  for (const auto& f : reliability::power_cycling_families())
    out += (out.empty() ? "" : ", ") + f.name;
  return out;
}

// The folder of `path` with a trailing '/', or empty.
std::string folder_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

class Reader {
 public:
  Reader(std::string file, const FileReader& read_file)
      : file_(std::move(file)), read_file_(read_file) {}
  YamlFile& file() { return file_; }

  void read(const YAML::Node& root, LifetimeStudy& s) {
    YamlMap top(file_, root, "", top_fields, {}, "a lifetime study");
    if (!top.is_map()) return;
    top.require_all("docs/reliability.md, 'Lifetime study file'");
    if (top.has("grid2gpu_lifetime") && (!top.node("grid2gpu_lifetime").IsScalar() ||
                                         top.node("grid2gpu_lifetime").Scalar() != "1"))
      file_.error(top.node("grid2gpu_lifetime"), "not a lifetime study of format 1",
                  "start it with 'grid2gpu_lifetime: 1'");
    top.read("name", s.name);
    top.read("converter", s.converter);
    if (top.has("converter")) s.converter_where = file_.where(top.node("converter"));
    top.read("rack_power", s.rack_power_w);
    top.read("converters_per_rack", s.converters_per_rack, 1);
    if (const auto v = top.quantity("v_in")) s.v_in_v = *v;
    top.read("warm_up", s.warm_up_s);
    top.read("duration", s.duration_s);
    top.read("time_step", s.time_step_s);
    if (top.has("training")) training(top.node("training"), s.training);
    if (top.has("periods")) periods(top.node("periods"), s);
    if (top.has("smoothing")) smoothing(top.node("smoothing"), s);
    if (top.has("package_families")) families(top.node("package_families"), s);
    if (top.has("heatsink")) heatsinks(top, s);
    if (top.has("profiles")) profiles(top.node("profiles"), s);
    spans(top, s);
    if (top.has("warm_up")) sinks_settle(top, s);
    if (file_.diagnostics().error_count() == 0) check_profiles(s);
  }

 private:
  void training(const YAML::Node& node, dynamic::TrainingSteps& t) {
    YamlMap m(file_, node, "training", training_fields);
    if (!m.is_map()) return;
    m.require_all("the period comes from 'periods'");
    m.read("duty", t.duty);
    m.read("high", t.high);
    m.read("low", t.low);
    m.read("rise", t.rise_s);
    m.read("fall", t.fall_s);
    if (m.has("high") && m.has("low") && t.low > t.high)
      file_.error(m.node("low"),
                  fmt::format("training: low ({:g}) is above high ({:g})", t.low, t.high),
                  "give the communicating utilisation in 'low', below 'high'");
  }

  void periods(const YAML::Node& node, LifetimeStudy& s) {
    if (!node.IsSequence() || node.size() == 0) {
      file_.error(node, "'periods' must be a list of one or more times",
                  "write e.g. 'periods: [0.1 s, 1 s, 10 s]'");
      return;
    }
    for (const auto& item : node)
      if (const auto p =
              file_.quantity(item, "periods", "periods", Dimension::time, Check::positive))
        s.periods_s.push_back(*p);
  }

  void smoothing(const YAML::Node& node, LifetimeStudy& s) {
    YamlMap m(file_, node, "smoothing", smoothing_fields);
    if (!m.is_map()) return;
    const std::size_t errors_before = file_.diagnostics().error_count();
    m.require_all();
    int gpus = 1;
    m.read("gpus_per_rack", gpus, 1);
    dynamic::SmoothingSettings g;
    m.read("rated_power", g.rated_power_w);
    if (const auto floor = m.quantity("power_floor")) g.power_floor_percent = 100.0 * *floor;
    m.read("ramp_up", g.ramp_up_w_per_s);
    m.read("ramp_down", g.ramp_down_w_per_s);
    if (const auto hold = m.quantity("ramp_down_hysteresis"))
      g.ramp_down_hysteresis_ms = 1e3 * *hold;
    m.read("secondary_floor", g.secondary_floor_w);
    if (file_.diagnostics().error_count() != errors_before) return;
    // One setting per GPU: the rack's filter is n GPUs' (docs/dynamic.md, "Smoothing").
    const double n = gpus;
    g.rated_power_w *= n;
    g.ramp_up_w_per_s *= n;
    g.ramp_down_w_per_s *= n;
    g.secondary_floor_w *= n;
    try {
      dynamic::check_smoothing_settings(g);
    } catch (const InvalidInput& e) {
      file_.error(node, fmt::format("smoothing: {}", e.message()), e.fix());
      return;
    }
    s.smoothing = g;
  }

  void families(const YAML::Node& node, LifetimeStudy& s) {
    s.families_where = file_.where(node);
    if (!node.IsMap() || node.size() == 0) {
      file_.error(node, "'package_families' must map each device to a power-cycling family",
                  "write e.g. 'package_families: {GS66516B: gan-discrete}'");
      return;
    }
    for (const auto& entry : node) {
      const auto device = entry.first.as<std::string>();
      if (!entry.second.IsScalar()) {
        file_.error(entry.second, fmt::format("package_families: {} must name a family", device),
                    fmt::format("one of {}", known_families()));
        continue;
      }
      const auto family = entry.second.Scalar();
      bool known = false;
      for (const auto& f : reliability::power_cycling_families()) known = known || f.name == family;
      if (!known)
        file_.error(
            entry.second,
            fmt::format("package_families: {}: no power-cycling family '{}'", device, family),
            fmt::format("use one of {} (data/reliability/power_cycling.yaml)", known_families()));
      s.families.push_back({device, family});
    }
  }

  void heatsinks(YamlMap& top, LifetimeStudy& s) {
    const YAML::Node list = top.node("heatsink");
    if (!list.IsSequence() || list.size() == 0) {
      file_.error(list, "'heatsink' must be a list of one or more named sets",
                  "write e.g. 'heatsink: [{name: static}, {name: cold plate 5 s, tau_sink: 5 s}]'");
      return;
    }
    for (const auto& item : list) {
      YamlMap m(file_, item, "heatsink", heatsink_fields, "name", "a heatsink set");
      if (!m.is_map()) continue;
      m.require_all();
      HeatsinkSet set;
      m.read("name", set.name);
      m.read("tau_sink", set.tau_sink_s);
      m.read("spec_cooling", set.spec);
      if (m.has("name") && set.name.empty())
        file_.error(m.node("name"), "heatsink: the set's name is empty",
                    "name it, e.g. 'cold plate 5 s'");
      if (set.spec && m.has("tau_sink"))
        file_.error(m.node("tau_sink"),
                    fmt::format("heatsink '{}': tau_sink with spec_cooling: true", set.name),
                    "keep one: the SPEC's cooling, or this time constant");
      for (const HeatsinkSet& other : s.heatsinks)
        if (other.name == set.name && !set.name.empty())
          file_.error(m.node("name"), fmt::format("heatsink: two sets named '{}'", set.name),
                      "give each set its own name");
      s.heatsinks.push_back(std::move(set));
    }
  }

  void profiles(const YAML::Node& list, LifetimeStudy& s) {
    if (!list.IsSequence() || list.size() == 0) {
      file_.error(list, "'profiles' must be a list of one or more named profiles",
                  "write e.g. 'profiles: [{name: checkpoint, scenario: "
                  "../scenarios/checkpoint.yaml}]'");
      return;
    }
    for (const auto& item : list) {
      YamlMap m(file_, item, "profiles", profile_fields, "name", "a profile");
      if (!m.is_map() || !m.require_all()) continue;
      StudyProfile p;
      m.read("name", p.name);
      m.read("scenario", p.scenario);
      std::int64_t which = 0;
      if (m.has("profile")) {
        const auto k = m.integer("profile", 1);
        if (!k) continue;
        which = *k;
      }
      for (const StudyProfile& other : s.profiles)
        if (other.name == p.name)
          file_.error(m.node("name"), fmt::format("profiles: two profiles named '{}'", p.name),
                      "give each profile its own name");
      if (scenario_profile(m, which, p)) {
        profile_nodes_.push_back(item);
        s.profiles.push_back(std::move(p));
      }
    }
  }

  // The scenario's profile `which` (1-based; 0: its only one) into p.spec, through the scenario
  // reader (its checks and located messages, its trace reader).
  bool scenario_profile(YamlMap& m, std::int64_t which, StudyProfile& p) {
    if (!read_file_) {
      file_.error(m.node("scenario"), "profiles: no way to read the scenario file here",
                  "run the study with grid2gpu lifetime");
      return false;
    }
    const std::string folder = folder_of(p.scenario);
    const dynamic::TraceReader read_trace = [&](std::string_view relative) {
      return read_file_(folder + std::string(relative));
    };
    dynamic::Scenario scenario;
    try {
      scenario = dynamic::parse_scenario(read_file_(p.scenario),
                                         folder_of(file_.file()) + p.scenario, read_trace);
    } catch (const core::ModelError& e) {
      file_.diagnostics().append(e.diagnostics());
      return false;
    } catch (const Error& e) {
      file_.error(m.node("scenario"),
                  fmt::format("profiles: scenario '{}': {}", p.scenario, e.message()), e.fix());
      return false;
    }
    const std::size_t count = scenario.profiles.size();
    if (count == 0 || (which == 0 && count > 1) || which > static_cast<std::int64_t>(count)) {
      file_.error(which == 0 ? m.node("scenario") : m.node("profile"),
                  fmt::format("profiles '{}': scenario '{}' has {} profile{}{}", p.name, p.scenario,
                              count, count == 1 ? "" : "s",
                              which > 0 ? fmt::format(", not a profile {}", which) : ""),
                  count == 0 ? std::string("name a scenario with a `profiles:` item")
                             : fmt::format("give 'profile: N' with N from 1 to {}", count));
      return false;
    }
    p.spec = scenario.profiles[which == 0 ? 0 : static_cast<std::size_t>(which - 1)].profile;
    return true;
  }

  // Each profile must cover warm_up + duration (a measured trace is not extended).
  void check_profiles(const LifetimeStudy& s) {
    const double span_s = s.warm_up_s + s.duration_s;
    for (std::size_t k = 0; k < s.profiles.size(); ++k) {
      try {
        (void)dynamic::make_profile(s.profiles[k].spec, 0.0, span_s);
      } catch (const Error& e) {
        file_.error(profile_nodes_[k],
                    fmt::format("profiles '{}' over warm_up + duration ({:g} s): {}",
                                s.profiles[k].name, span_s, e.message()),
                    e.fix().empty() ? "shorten duration, or give a longer trace" : e.fix());
      }
    }
  }

  // A slow sink must settle within the warm-up, or its settling is counted as a cycle.
  void sinks_settle(YamlMap& top, const LifetimeStudy& s) {
    double slowest_s = 0.0;
    for (const HeatsinkSet& h : s.heatsinks) slowest_s = std::max(slowest_s, h.tau_sink_s);
    // After five time constants the start's offset is below 1 % (e^-5).
    if (s.warm_up_s < 5.0 * slowest_s)
      file_.error(top.node("warm_up"),
                  fmt::format("warm_up {:g} s is shorter than five of the slowest heatsink's "
                              "time constant ({:g} s): its settling would be counted as wear",
                              s.warm_up_s, slowest_s),
                  fmt::format("give 'warm_up: {:g} s' or more", 5.0 * slowest_s));
  }

  // The time step must resolve the fastest swing and the span hold two of the slowest.
  void spans(YamlMap& top, const LifetimeStudy& s) {
    if (s.periods_s.empty() || !(s.time_step_s > 0.0) || !(s.duration_s > 0.0)) return;
    double fastest = *std::min_element(s.periods_s.begin(), s.periods_s.end());
    for (const StudyProfile& p : s.profiles)
      if (const auto* t = std::get_if<dynamic::TrainingSteps>(&p.spec.pattern))
        fastest = std::min(fastest, t->period_s);
    const double slowest = *std::max_element(s.periods_s.begin(), s.periods_s.end());
    if (s.time_step_s > fastest / 20.0)
      file_.error(top.node("time_step"),
                  fmt::format("time_step {:g} s does not resolve the {:g} s period (20 steps a "
                              "period at least)",
                              s.time_step_s, fastest),
                  fmt::format("give 'time_step: {:g} ms' or less", 1e3 * fastest / 20.0));
    if (s.duration_s < 2.0 * slowest)
      file_.error(
          top.node("duration"),
          fmt::format("duration {:g} s holds fewer than two {:g} s periods", s.duration_s, slowest),
          fmt::format("give 'duration: {:g} s' or more", 2.0 * slowest));
    if ((s.warm_up_s + s.duration_s) / s.time_step_s > 5e6)
      file_.error(top.node("time_step"),
                  fmt::format("{:g} s at {:g} s steps is more than 5 million samples a case",
                              s.duration_s, s.time_step_s),
                  "shorten 'duration' or lengthen 'time_step'");
  }

  YamlFile file_;
  const FileReader& read_file_;
  std::vector<YAML::Node> profile_nodes_;  // each read profile's item, for located messages
};

}  // namespace

LifetimeStudy parse_study(std::string_view text, std::string file, const FileReader& read_file) {
  Reader reader(file, read_file);
  LifetimeStudy study;
  study.file = std::move(file);
  const YAML::Node root = reader.file().parse(text);
  if (!reader.file().has_errors()) reader.read(root, study);
  reader.file().throw_if_errors();
  for (const auto& d : reader.file().diagnostics().items())
    if (d.severity == core::Severity::warning) study.warnings.push_back(d);
  return study;
}

}  // namespace g2g::lifetime

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

#include "g2g/core/error.hpp"
#include "g2g/core/yaml_fields.hpp"
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

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}
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
    spans(top, s);
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

  // The time step must resolve the fastest swing and the span hold two of the slowest.
  void spans(YamlMap& top, const LifetimeStudy& s) {
    if (s.periods_s.empty() || !(s.time_step_s > 0.0) || !(s.duration_s > 0.0)) return;
    const double fastest = *std::min_element(s.periods_s.begin(), s.periods_s.end());
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
};

}  // namespace

LifetimeStudy parse_study(std::string_view text, std::string file) {
  Reader reader(file);
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

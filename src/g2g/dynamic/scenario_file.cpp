// The scenario file reader (docs/scenario-format.md). Keys, units, ranges and messages come from
// the configuration toolkit (core/yaml_fields.hpp); the profile's own rules from
// check_profile_spec (placed here at the file's keys), smoothing's from check_smoothing_settings,
// the bands' from the metrics accumulator. Only the scenario's own rules are written here.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "g2g/core/error.hpp"
#include "g2g/core/yaml_fields.hpp"
#include "g2g/dynamic/scenario.hpp"

namespace g2g::dynamic {
namespace {

using core::Check;
using core::Dimension;
using core::key;
using core::quantity_key;
using core::YamlFile;
using core::YamlMap;

constexpr std::array top_fields{
    key("grid2gpu_scenario", true, "the format version", "1"),
    key("name", false, "what the scenario is"),
    quantity_key("duration", Dimension::time, true, Check::positive, "the simulated time", "60 s"),
    key("solver", false, "the integrator's tolerances and steps", "{relative_tolerance: 1e-4}"),
    key("aggregate", false, "none (the default) or phase_groups", "none"),
    key("profiles", false, "which gpu_rack loads follow which utilisation(t)"),
    key("smoothing", false, "NVML power smoothing of the GPUs of named racks"),
    key("storage", false, "how each named storage element is controlled"),
    key("metrics", true, "the ramp window and frequency bands of the grid-power metrics",
        "{ramp_window: 1 s}"),
    key("limits", false, "grid limits for the storage sizing study", "{peak: 4 MW, ramp: 2 MW/s}"),
    key("record", false, "the signals streamed to CSV and their output step",
        "{signals: [dc800.v], every: 1 ms}"),
};
constexpr std::array solver_fields{
    quantity_key("relative_tolerance", Dimension::dimensionless, false, Check::positive,
                 "IDA's relative tolerance (default 1e-4)", "1e-4"),
    quantity_key("absolute_tolerance", Dimension::dimensionless, false, Check::positive,
                 "IDA's absolute tolerance, in each unknown's unit (default: the simulator's "
                 "scaling per unknown)",
                 "1e-6"),
    quantity_key("max_step", Dimension::time, false, Check::positive,
                 "the longest integrator step (default: unlimited)", "10 ms"),
    quantity_key("initial_step", Dimension::time, false, Check::positive,
                 "the first integrator step (default: IDA estimates it)", "1 us"),
};
constexpr std::array profile_fields{
    key("loads", true, "the gpu_rack loads: an id, a pattern or a list of them",
        "\"row[*]/rack[*]/gpus\""),
    quantity_key("constant", Dimension::dimensionless, false, Check::unit_interval,
                 "a constant utilisation, 0 to 1", "0.8"),
    key("training", false, "training steps: trapezoidal pulses every period",
        "{period: 1 s, duty: 0.7, high: 1.0, low: 0.3, rise: 5 ms, fall: 5 ms}"),
    key("trace", false, "a measured utilisation or power trace (CSV)", "{file: trace.csv}"),
    key("checkpoints", false, "checkpoint pauses",
        "{first: 30 s, interval: 600 s, duration: 20 s, level: 0.1}"),
    key("dips", false, "brief random dips", "{rate: 0.1 /s, depth: 0.5, duration: 50 ms}"),
    key("job", false, "the job's start and stop ramps", "{start: 0 s, start_ramp: 10 s}"),
    quantity_key("phase", Dimension::time, false, Check::none, "shift of the pattern (default 0 s)",
                 "0 s"),
    key("seed", false, "seed of the jitter and dips (default 0)", "1"),
    key("phase_groups", false, "phase groups by template instance",
        "{by: \"row[*]\", count: 4, spread: 1 s}"),
};
constexpr std::array training_fields{
    quantity_key("period", Dimension::time, true, Check::positive,
                 "the iteration period (production: 1-10 s)", "1 s"),
    quantity_key("duty", Dimension::dimensionless, true, Check::fraction,
                 "the fraction of the period at high utilisation, in (0, 1)", "0.7"),
    quantity_key("high", Dimension::dimensionless, true, Check::unit_interval,
                 "utilisation while computing", "1.0"),
    quantity_key("low", Dimension::dimensionless, true, Check::unit_interval,
                 "utilisation while communicating", "0.3"),
    quantity_key("rise", Dimension::time, true, Check::non_negative,
                 "the linear edge low to high (0 s: a jump)", "5 ms"),
    quantity_key("fall", Dimension::time, true, Check::non_negative,
                 "the linear edge high to low (0 s: a jump)", "5 ms"),
    key("jitter", false, "none (the default), uniform or normal", "normal"),
    quantity_key("jitter_sd", Dimension::time, false, Check::positive,
                 "the standard deviation of each pulse's start (with jitter)", "2 ms"),
};
constexpr std::array trace_fields{
    key("file", true, "the CSV file, relative to the scenario file", "trace.csv"),
    quantity_key("rated_power", Dimension::active_power, false, Check::positive,
                 "the power a time_s,power_w trace is divided by", "130 kW"),
};
constexpr std::array checkpoint_fields{
    quantity_key("first", Dimension::time, true, Check::none, "start of the first pause", "30 s"),
    quantity_key("interval", Dimension::time, true, Check::positive, "start to start", "600 s"),
    quantity_key("duration", Dimension::time, true, Check::positive, "length of a pause", "20 s"),
    quantity_key("level", Dimension::dimensionless, true, Check::unit_interval,
                 "utilisation during a pause", "0.1"),
};
constexpr std::array dips_fields{
    quantity_key("rate", Dimension::frequency, true, Check::positive,
                 "mean arrivals per second (Poisson)", "0.1 /s"),
    quantity_key("depth", Dimension::dimensionless, true, Check::fraction,
                 "the fraction of utilisation lost in a dip, (0, 1]", "0.5"),
    quantity_key("duration", Dimension::time, true, Check::positive, "length of a dip", "50 ms"),
};
constexpr std::array job_fields{
    quantity_key("start", Dimension::time, true, Check::none, "the job's start", "0 s"),
    quantity_key("start_ramp", Dimension::time, true, Check::non_negative,
                 "the linear ramp from 0 to full", "10 s"),
    quantity_key("stop", Dimension::time, false, Check::none, "the job's stop (default: none)",
                 "50 s"),
    quantity_key("stop_ramp", Dimension::time, false, Check::non_negative,
                 "the linear ramp down from stop (with stop)", "5 s"),
};
constexpr std::array phase_group_fields{
    key("by", true, "a pattern over template instance paths", "\"row[*]\""),
    key("count", true, "the number of phase groups", "4"),
    quantity_key("spread", Dimension::time, true, Check::non_negative,
                 "group g is shifted by g * spread / count", "1 s"),
};
constexpr std::array smoothing_fields{
    key("loads", true, "the gpu_rack loads: an id, a pattern or a list of them",
        "\"row[*]/rack[*]/gpus\""),
    key("gpus_per_rack", true, "GPUs per rack, each with these settings", "72"),
    quantity_key("rated_power", Dimension::active_power, true, Check::positive,
                 "per GPU: the power the floor percentage refers to", "1.4 kW"),
    quantity_key("power_floor", Dimension::dimensionless, true, Check::unit_interval,
                 "NVML PERCENT_TMP_FLOOR, % of rated power", "60 %"),
    quantity_key("ramp_up", Dimension::power_rate, true, Check::positive,
                 "per GPU: NVML RAMP_UP_RATE", "100 W/s"),
    quantity_key("ramp_down", Dimension::power_rate, true, Check::positive,
                 "per GPU: NVML RAMP_DOWN_RATE", "100 W/s"),
    quantity_key("ramp_down_hysteresis", Dimension::time, true, Check::non_negative,
                 "NVML RAMP_DOWN_HYSTERESIS", "200 ms"),
    quantity_key("secondary_floor", Dimension::active_power, true, Check::non_negative,
                 "per GPU: NVML SECONDARY_POWER_FLOOR", "0 W"),
};
constexpr std::array storage_fields{
    key("elements", true, "the storage elements: an id, a pattern or a list of them", "bess"),
    key("control", true, "grid_smoothing or voltage_support", "grid_smoothing"),
    quantity_key("grid_ramp_limit", Dimension::power_rate, false, Check::positive,
                 "grid_smoothing: the grid reference's ramp limit (or grid_time_constant)",
                 "1 MW/s"),
    quantity_key("grid_time_constant", Dimension::time, false, Check::positive,
                 "grid_smoothing: the grid reference's low-pass time constant (or "
                 "grid_ramp_limit)",
                 "2 s"),
    quantity_key("soc_target", Dimension::dimensionless, false, Check::unit_interval,
                 "the state of charge the slow loop restores", "50 %"),
    quantity_key("soc_restore_time", Dimension::time, false, Check::positive,
                 "the time constant of the SOC-restoring loop", "120 s"),
    quantity_key("droop", Dimension::dimensionless, false, Check::positive,
                 "voltage_support: per-unit voltage change at rated power", "2 %"),
};
constexpr std::array metrics_fields{
    quantity_key("ramp_window", Dimension::time, true, Check::positive,
                 "ramps are (P(t + w) - P(t)) / w over this window", "1 s"),
    key("bands", false,
        "frequency bands of the grid-power spectrum (default < 1, 1-2.5, 2.5-7, "
        "7-20 Hz)"),
    quantity_key("resample_factor", Dimension::dimensionless, false, Check::positive,
                 "the spectrum's rate over the highest band edge (default 20)", "20"),
};
constexpr std::array band_fields{
    quantity_key("low", Dimension::frequency, true, Check::non_negative, "the band's lower edge",
                 "1 Hz"),
    quantity_key("high", Dimension::frequency, true, Check::positive, "the band's upper edge",
                 "2.5 Hz"),
    quantity_key("max_share", Dimension::dimensionless, false, Check::unit_interval,
                 "the mask: at most this share of the AC energy", "20 %"),
};
constexpr std::array limit_fields{
    quantity_key("peak", Dimension::active_power, false, Check::positive, "peak grid power",
                 "4 MW"),
    quantity_key("ramp", Dimension::power_rate, false, Check::positive,
                 "largest grid ramp over metrics.ramp_window", "2 MW/s"),
};
constexpr std::array record_fields{
    key("signals", true, "<element or pattern>.<quantity>, quantity v, p, i, soc or u",
        "[dc800.v, utility.p]"),
    quantity_key("every", Dimension::time, true, Check::positive, "the output step", "1 ms"),
};

constexpr std::array<std::string_view, 2> aggregation_names{"none", "phase_groups"};
constexpr std::array<std::string_view, 3> jitter_names{"none", "uniform", "normal"};
constexpr std::array<std::string_view, 2> control_names{"grid_smoothing", "voltage_support"};
constexpr std::array<std::string_view, 3> pattern_keys{"constant", "training", "trace"};

// A profile is held as breakpoints (16 bytes each), built once per load or phase group: a typo in
// a period ("1 us" for "1 s") or a rate should be an error, not gigabytes.
constexpr double max_profile_breakpoints = 1e7;

// Production iteration periods (arXiv 2606.22096: 1-10 s) and issue 14's range (0.1-10 s).
constexpr double usual_period_min_s = 0.1;
constexpr double usual_period_max_s = 10.0;

// check_profile_spec names a field as the C++ struct does ("training.rise_s"); the file's key
// drops the unit ("training.rise"); a constant is one key ("constant").
std::string file_key(std::string_view field) {
  std::string k(field);
  if (k == "constant.utilisation") return "constant";
  for (std::string_view suffix : {"_per_s", "_s"})
    if (k.size() > suffix.size() && k.ends_with(suffix)) {
      k.resize(k.size() - suffix.size());
      break;
    }
  return k;
}

// The folder of `file` with a trailing '/', or empty.
std::string folder_of(const std::string& file) {
  const auto slash = file.find_last_of('/');
  return slash == std::string::npos ? std::string() : file.substr(0, slash + 1);
}

// Whether a written quantity carries a unit after its number ("60 s", not "60"); a zero needs
// none.
bool unit_given(const std::string& written) {
  if (written.find_first_not_of("+-.0123456789eE \t") != std::string::npos) return true;
  return std::strtod(written.c_str(), nullptr) == 0.0;
}

class Reader {
 public:
  Reader(std::string file, const TraceReader& read_trace)
      : file_(std::move(file)), read_trace_(read_trace) {}

  YamlFile& file() { return file_; }

  void read(const YAML::Node& root, Scenario& s) {
    YamlMap top(file_, root, "", top_fields, {}, "a scenario file");
    require_units(top, top_fields);
    if (!top.is_map()) return;
    top.require_all();
    if (top.has("grid2gpu_scenario") && (!top.node("grid2gpu_scenario").IsScalar() ||
                                         top.node("grid2gpu_scenario").Scalar() != "1"))
      file_.error(top.node("grid2gpu_scenario"), "not a scenario file of format 1",
                  "start it with 'grid2gpu_scenario: 1'");
    top.read("name", s.name);
    top.read("duration", s.duration_s);
    if (top.has("solver")) solver(top.node("solver"), s.solver);
    if (const auto a = top.choice("aggregate", aggregation_names))
      s.aggregate = static_cast<Aggregation>(*a);
    for_each_item(top, "profiles", [&](const YAML::Node& item) { profile(item, s); });
    for_each_item(top, "smoothing", [&](const YAML::Node& item) { smoothing(item, s); });
    for_each_item(top, "storage", [&](const YAML::Node& item) { storage(item, s); });
    if (top.has("metrics")) metrics(top.node("metrics"), s.metrics);
    if (top.has("limits")) limits(top.node("limits"), s.limits);
    if (top.has("record")) s.record = record(top.node("record"));
  }

 private:
  // A scenario's times and powers need their unit: a bare 5 could be seconds or milliseconds,
  // watts or megawatts. Ratios (duty, tolerances, shares) are plain numbers.
  void require_units(const YamlMap& m, std::span<const core::Field> fields) {
    if (!m.is_map()) return;
    for (const core::Field& f : fields) {
      if (f.dimension == Dimension::dimensionless) continue;
      const YAML::Node value = m.node(f.key);
      if (value && value.IsScalar() && !unit_given(value.Scalar()))
        file_.error(
            value,
            core::qualify(m.what(), fmt::format("{} '{}' has no unit", f.key, value.Scalar())),
            fmt::format("write it with its unit, e.g. '{}: {}'", f.key, core::example_of(f)));
    }
  }

  template <typename F>
  void for_each_item(YamlMap& top, std::string_view list_key, F&& read_item) {
    if (!top.has(list_key)) return;
    const YAML::Node list = top.node(list_key);
    if (!list.IsSequence() || list.size() == 0) {
      file_.error(list, fmt::format("'{}' must be a list of one or more maps", list_key),
                  fmt::format("write one '- key: value, ...' map per item (docs/"
                              "scenario-format.md, '{}')",
                              list_key));
      return;
    }
    for (const auto& item : list) read_item(item);
  }

  void solver(const YAML::Node& node, SolverSettings& out) {
    YamlMap m(file_, node, "solver", solver_fields);
    require_units(m, solver_fields);
    if (!m.is_map()) return;
    m.read("relative_tolerance", out.relative_tolerance);
    if (const auto atol = m.quantity("absolute_tolerance")) out.absolute_tolerance = *atol;
    m.read("max_step", out.max_step_s);
    m.read("initial_step", out.initial_step_s);
    if (out.relative_tolerance > 1e-3)
      file_.diagnostics().warning(
          file_.where(m.node("relative_tolerance")),
          fmt::format("solver: relative_tolerance {:g} is above 1e-3, which SUNDIALS advises "
                      "against",
                      out.relative_tolerance),
          "use 1e-4 (the default) or tighter");
  }

  // An id, a pattern, or a list of them.
  std::vector<ElementPattern> patterns(const YamlMap& m, std::string_view list_key) {
    std::vector<ElementPattern> out;
    const YAML::Node node = m.node(list_key);
    if (!node) return out;
    auto one = [&](const YAML::Node& item) {
      if (!item.IsScalar() || item.Scalar().empty()) {
        file_.error(item,
                    core::qualify(m.what(), fmt::format("each of '{}' is an element id or a "
                                                        "pattern",
                                                        list_key)),
                    "e.g. \"row[*]/rack[*]/gpus\" ('*' matches any run of characters but '/')");
        return;
      }
      out.push_back({item.Scalar(), file_.where(item)});
    };
    if (node.IsSequence()) {
      if (node.size() == 0)
        file_.error(node, core::qualify(m.what(), fmt::format("'{}' is an empty list", list_key)),
                    "name one element or pattern or more");
      for (const auto& item : node) one(item);
    } else {
      one(node);
    }
    return out;
  }

  void profile(const YAML::Node& item, Scenario& s) {
    YamlMap m(file_, item, "profile", profile_fields, {}, "a profile");
    require_units(m, profile_fields);
    if (!m.is_map()) return;
    const std::size_t errors_before = file_.diagnostics().error_count();
    m.require_all();
    ProfileAssignment a;
    a.where = file_.where(item);
    a.loads = patterns(m, "loads");
    std::size_t given = 0;
    for (std::string_view k : pattern_keys) given += m.has(k) ? 1 : 0;
    if (given != 1)
      file_.error(item,
                  given == 0 ? "profile: no utilisation pattern"
                             : "profile: more than one utilisation pattern",
                  "give exactly one of constant, training or trace (checkpoints, dips and job "
                  "apply on top of it)");
    if (m.has("constant")) {
      if (const auto u = m.quantity("constant")) a.profile.pattern = ConstantUtilisation{*u};
    } else if (m.has("training")) {
      a.profile.pattern = training(m.node("training"));
    } else if (m.has("trace")) {
      a.profile.pattern = trace(m.node("trace"));
    }
    if (m.has("checkpoints")) a.profile.checkpoints = checkpoints(m.node("checkpoints"));
    if (m.has("dips")) a.profile.dips = dips(m.node("dips"));
    if (m.has("job")) a.profile.job = job(m.node("job"));
    m.read("phase", a.profile.phase_s);
    if (const auto seed = m.integer("seed", 0)) a.profile.seed = static_cast<std::uint64_t>(*seed);
    if (m.has("phase_groups")) a.phase_groups = phase_groups(m.node("phase_groups"));
    // The profile's own rules, once every value has been read: placed at the keys they name.
    if (file_.diagnostics().error_count() == errors_before && given == 1) {
      for (const std::string& problem : check_profile_spec(a.profile)) place(item, problem);
      check_size(m, a.profile, s.duration_s);
    }
    s.profiles.push_back(std::move(a));
  }

  // About 4 breakpoints per pulse, dip and pause over the run.
  void check_size(YamlMap& m, const ProfileSpec& p, double duration_s) {
    if (!(duration_s > 0.0)) return;
    double events = 0.0;
    if (const auto* t = std::get_if<TrainingSteps>(&p.pattern)) events += duration_s / t->period_s;
    if (p.dips) events += duration_s * p.dips->rate_per_s;
    if (p.checkpoints) events += duration_s / p.checkpoints->interval_s;
    if (4.0 * events <= max_profile_breakpoints) return;
    file_.error(m.self(),
                fmt::format("profile: about {:.3g} breakpoints over the {:g} s run, more than "
                            "{:g}: a period, interval or dip rate far from practice",
                            4.0 * events, duration_s, max_profile_breakpoints),
                "check the units of training.period, checkpoints.interval and dips.rate, or "
                "shorten the run");
  }

  // One of check_profile_spec's messages, "training.duty must be ... (fix: ...)", at its key.
  void place(const YAML::Node& item, const std::string& problem) {
    const std::string field = problem.substr(0, problem.find(' '));
    const std::string k = file_key(field);
    YAML::Node at = item;
    if (const auto dot = k.find('.'); dot != std::string::npos) {
      const YAML::Node section = item[k.substr(0, dot)];
      if (section && section.IsMap() && section[k.substr(dot + 1)])
        at = section[k.substr(dot + 1)];
      else if (section)
        at = section;
    } else if (item[k]) {
      at = item[k];
    }
    std::string message = "profile: " + k + problem.substr(field.size());
    std::string fix;
    if (const auto f = message.rfind(" (fix: "); f != std::string::npos && message.back() == ')') {
      fix = message.substr(f + 7, message.size() - f - 8);
      message.resize(f);
    }
    file_.error(at, std::move(message), std::move(fix));
  }

  TrainingSteps training(const YAML::Node& node) {
    TrainingSteps t;
    YamlMap m(file_, node, "profile: training", training_fields);
    require_units(m, training_fields);
    if (!m.is_map()) return t;
    m.require_all();
    m.read("period", t.period_s);
    m.read("duty", t.duty);
    m.read("high", t.high);
    m.read("low", t.low);
    m.read("rise", t.rise_s);
    m.read("fall", t.fall_s);
    if (const auto j = m.choice("jitter", jitter_names)) t.jitter = static_cast<Jitter>(*j);
    m.read("jitter_sd", t.jitter_sd_s);
    if (t.jitter != Jitter::none && !m.has("jitter_sd"))
      file_.error(node,
                  fmt::format("profile: training: jitter {} needs its standard deviation",
                              jitter_names[static_cast<std::size_t>(t.jitter)]),
                  "add 'jitter_sd: 2 ms'");
    if (t.jitter == Jitter::none && m.has("jitter_sd"))
      file_.error(m.node("jitter_sd"), "profile: training: jitter_sd without jitter",
                  "add 'jitter: normal' (or uniform), or remove jitter_sd");
    if (std::isfinite(t.period_s) && t.period_s > 0.0 &&
        (t.period_s < usual_period_min_s || t.period_s > usual_period_max_s))
      file_.diagnostics().warning(
          file_.where(m.node("period")),
          fmt::format("profile: training: period {:g} s is outside 0.1-10 s, the range of "
                      "training iterations in production (arXiv 2606.22096: 1-10 s)",
                      t.period_s),
          "check the unit; the run goes ahead");
    return t;
  }

  MeasuredTrace trace(const YAML::Node& node) {
    MeasuredTrace t;
    YamlMap m(file_, node, "profile: trace", trace_fields);
    require_units(m, trace_fields);
    if (!m.is_map() || !m.require_all()) return t;
    const auto written = m.text("file");
    if (!written) return t;
    std::optional<double> rated_power_w;
    if (const auto p = m.quantity("rated_power")) rated_power_w = *p;
    if (const std::string problem = path_problem(*written); !problem.empty()) {
      file_.error(m.node("file"), fmt::format("profile: trace file '{}' {}", *written, problem),
                  "name a file in the scenario's folder or below it, relative to the scenario "
                  "file (docs/security.md)");
      return t;
    }
    t.source = folder_of(file_.file()) + *written;
    try {
      t.utilisation = read_utilisation_csv(read_trace_(*written), t.source, rated_power_w);
    } catch (const core::ModelError& e) {
      file_.diagnostics().append(e.diagnostics());
    } catch (const Error& e) {
      file_.error(m.node("file"),
                  fmt::format("profile: trace file '{}': {}", *written, e.message()), e.fix());
    }
    return t;
  }

  // Why a trace path may not be read, or empty: it must stay in the scenario's folder tree.
  static std::string path_problem(const std::string& path) {
    if (path.empty()) return "is empty";
    if (path.find('\0') != std::string::npos) return "contains a NUL character";
    if (path.front() == '/' || path.front() == '\\' ||
        (path.size() > 1 && path[1] == ':'))  // "C:" as well, whatever the system
      return "is absolute";
    std::size_t begin = 0;
    while (begin <= path.size()) {
      const std::size_t end = std::min(path.find_first_of("/\\", begin), path.size());
      if (path.compare(begin, end - begin, "..") == 0)
        return "leaves the scenario file's folder ('..')";
      begin = end + 1;
    }
    return {};
  }

  CheckpointPauses checkpoints(const YAML::Node& node) {
    CheckpointPauses c;
    YamlMap m(file_, node, "profile: checkpoints", checkpoint_fields);
    require_units(m, checkpoint_fields);
    if (!m.is_map()) return c;
    m.require_all();
    m.read("first", c.first_s);
    m.read("interval", c.interval_s);
    m.read("duration", c.duration_s);
    m.read("level", c.level);
    return c;
  }

  RandomDips dips(const YAML::Node& node) {
    RandomDips d;
    YamlMap m(file_, node, "profile: dips", dips_fields);
    require_units(m, dips_fields);
    if (!m.is_map()) return d;
    m.require_all();
    m.read("rate", d.rate_per_s);
    m.read("depth", d.depth);
    m.read("duration", d.duration_s);
    return d;
  }

  JobRamps job(const YAML::Node& node) {
    JobRamps j;
    YamlMap m(file_, node, "profile: job", job_fields);
    require_units(m, job_fields);
    if (!m.is_map()) return j;
    m.require_all();
    m.read("start", j.start_s);
    m.read("start_ramp", j.start_ramp_s);
    if (const auto stop = m.quantity("stop")) j.stop_s = *stop;
    m.read("stop_ramp", j.stop_ramp_s);
    if (m.has("stop") != m.has("stop_ramp"))
      file_.error(node, "profile: job: 'stop' and 'stop_ramp' go together",
                  m.has("stop") ? "add 'stop_ramp: 5 s'" : "add 'stop: 50 s'");
    return j;
  }

  PhaseGrouping phase_groups(const YAML::Node& node) {
    PhaseGrouping g;
    g.where = file_.where(node);
    YamlMap m(file_, node, "profile: phase_groups", phase_group_fields);
    require_units(m, phase_group_fields);
    if (!m.is_map()) return g;
    m.require_all();
    if (const auto by = m.text("by")) {
      if (by->empty())
        file_.error(m.node("by"), "profile: phase_groups: 'by' is empty",
                    "give a pattern over template instances, e.g. \"row[*]\"");
      g.by = {*by, file_.where(m.node("by"))};
    }
    if (const auto count = m.integer("count", 1)) g.count = *count;
    m.read("spread", g.spread_s);
    return g;
  }

  void smoothing(const YAML::Node& item, Scenario& s) {
    YamlMap m(file_, item, "smoothing", smoothing_fields, {}, "a smoothing item");
    require_units(m, smoothing_fields);
    if (!m.is_map()) return;
    const std::size_t errors_before = file_.diagnostics().error_count();
    m.require_all();
    SmoothingAssignment a;
    a.where = file_.where(item);
    a.loads = patterns(m, "loads");
    if (const auto n = m.integer("gpus_per_rack", 1)) a.gpus_per_rack = *n;
    SmoothingSettings& g = a.per_gpu;
    m.read("rated_power", g.rated_power_w);
    if (const auto floor = m.quantity("power_floor")) g.power_floor_percent = 100.0 * *floor;
    m.read("ramp_up", g.ramp_up_w_per_s);
    m.read("ramp_down", g.ramp_down_w_per_s);
    if (const auto hold = m.quantity("ramp_down_hysteresis"))
      g.ramp_down_hysteresis_ms = 1e3 * *hold;
    m.read("secondary_floor", g.secondary_floor_w);
    if (file_.diagnostics().error_count() == errors_before) {
      try {
        check_smoothing_settings(g);
      } catch (const InvalidInput& e) {
        file_.error(item, fmt::format("smoothing: {}", e.message()), e.fix());
      }
    }
    s.smoothing.push_back(std::move(a));
  }

  void storage(const YAML::Node& item, Scenario& s) {
    YamlMap m(file_, item, "storage", storage_fields, {}, "a storage item");
    require_units(m, storage_fields);
    if (!m.is_map()) return;
    m.require_all();
    StorageAssignment a;
    a.where = file_.where(item);
    a.elements = patterns(m, "elements");
    const auto control = m.choice("control", control_names);
    if (control) a.control = static_cast<StorageControlMode>(*control);
    auto optional = [&](std::string_view k, std::optional<double>& out) {
      if (const auto v = m.quantity(k)) out = *v;
    };
    optional("grid_ramp_limit", a.grid_ramp_limit_w_per_s);
    optional("grid_time_constant", a.grid_time_constant_s);
    optional("soc_target", a.soc_target);
    optional("soc_restore_time", a.soc_restore_time_s);
    optional("droop", a.droop_pu);
    if (control) storage_rules(m, a);
    s.storage.push_back(std::move(a));
  }

  // The keys each control mode takes.
  void storage_rules(YamlMap& m, const StorageAssignment& a) {
    const YAML::Node& item = m.self();
    auto refuse = [&](std::string_view k, std::string_view mode) {
      if (m.has(k))
        file_.error(m.node(k), fmt::format("storage: control {} takes no '{}'", mode, k),
                    "remove it, or use the other control mode");
    };
    if (a.control == StorageControlMode::grid_smoothing) {
      const bool ramp = m.has("grid_ramp_limit");
      const bool low_pass = m.has("grid_time_constant");
      if (ramp == low_pass)
        file_.error(ramp ? m.node("grid_time_constant") : item,
                    ramp ? "storage: grid_smoothing takes grid_ramp_limit or grid_time_constant, "
                           "not both"
                         : "storage: grid_smoothing needs the grid reference",
                    "give either 'grid_ramp_limit: 1 MW/s' (ramp-limited) or "
                    "'grid_time_constant: 2 s' (low-pass)");
      m.require("soc_target");
      m.require("soc_restore_time");
      refuse("droop", "grid_smoothing");
    } else {
      m.require("droop");
      refuse("grid_ramp_limit", "voltage_support");
      refuse("grid_time_constant", "voltage_support");
      if (m.has("soc_target") != m.has("soc_restore_time"))
        file_.error(item, "storage: 'soc_target' and 'soc_restore_time' go together",
                    "give both for a SOC-restoring loop, or neither");
    }
  }

  void metrics(const YAML::Node& node, MetricsOptions& out) {
    YamlMap m(file_, node, "metrics", metrics_fields);
    require_units(m, metrics_fields);
    if (!m.is_map()) return;
    m.require_all();
    m.read("ramp_window", out.ramp_window_s);
    m.read("resample_factor", out.resample_factor);
    const std::size_t errors_before = file_.diagnostics().error_count();
    if (m.has("bands")) {
      const YAML::Node list = m.node("bands");
      if (!list.IsSequence() || list.size() == 0) {
        file_.error(list, "metrics: 'bands' must be a list of one or more bands",
                    "e.g. bands: [{low: 0 Hz, high: 1 Hz}, {low: 1 Hz, high: 2.5 Hz, max_share: "
                    "20 %}]");
      } else {
        out.bands.clear();
        for (const auto& item : list) {
          YamlMap b(file_, item, "metrics: band", band_fields);
          require_units(b, band_fields);
          if (!b.is_map() || !b.require_all()) continue;
          FrequencyBand band;
          b.read("low", band.low_hz);
          b.read("high", band.high_hz);
          if (const auto share = b.quantity("max_share")) band.max_share = *share;
          out.bands.push_back(band);
        }
      }
    }
    // The accumulator's own checks of the bands and the resampling, with the window (already
    // checked above) standing in when it is missing or wrong.
    if (file_.diagnostics().error_count() == errors_before) {
      MetricsOptions probe = out;
      if (!(std::isfinite(probe.ramp_window_s) && probe.ramp_window_s > 0.0))
        probe.ramp_window_s = 1.0;
      try {
        const PowerMetricsAccumulator check(std::move(probe));
      } catch (const InvalidInput& e) {
        // Its subject is the field: "bands", "resample_factor", "ramp_window_s".
        const std::string k = file_key(e.subject());
        file_.error(m.has(k) ? m.node(k) : node, fmt::format("metrics: {}: {}", k, e.message()),
                    e.fix());
      }
    }
  }

  void limits(const YAML::Node& node, GridLimits& out) {
    YamlMap m(file_, node, "limits", limit_fields);
    require_units(m, limit_fields);
    if (!m.is_map()) return;
    if (const auto peak = m.quantity("peak")) out.peak_w = *peak;
    if (const auto ramp = m.quantity("ramp")) out.ramp_w_per_s = *ramp;
  }

  std::optional<Recording> record(const YAML::Node& node) {
    YamlMap m(file_, node, "record", record_fields);
    require_units(m, record_fields);
    if (!m.is_map()) return std::nullopt;
    m.require_all();
    Recording r;
    m.read("every", r.every_s);
    if (!m.has("signals")) return r;
    const YAML::Node list = m.node("signals");
    if (!list.IsSequence() || list.size() == 0) {
      file_.error(list, "record: 'signals' must be a list of one or more signals",
                  "e.g. signals: [dc800.v, utility.p, \"row[*]/rack[0]/gpus.u\"]");
      return r;
    }
    for (const auto& item : list) {
      std::string problem;
      std::optional<SignalRequest> signal;
      if (item.IsScalar())
        signal = parse_signal(item.Scalar(), file_.where(item), problem);
      else
        problem = "a signal is text, '<element or pattern>.<quantity>'";
      if (signal) {
        r.signals.push_back(std::move(*signal));
        continue;
      }
      std::string fix;
      if (const auto f = problem.rfind(" (fix: "); f != std::string::npos) {
        fix = problem.substr(f + 7, problem.size() - f - 8);
        problem.resize(f);
      }
      file_.error(item, "record: " + problem, fix);
    }
    return r;
  }

  YamlFile file_;
  const TraceReader& read_trace_;
};

// ---- The JSON Schema ------------------------------------------------------------------------

nlohmann::json object_schema(std::span<const core::Field> fields, const nlohmann::json& types) {
  nlohmann::json properties = nlohmann::json::object();
  nlohmann::json required = nlohmann::json::array();
  for (const auto& f : fields) {
    const std::string k(f.key);
    nlohmann::json p = types.contains(k)
                           ? types[k]
                           : nlohmann::json{{"type", nlohmann::json::array({"string", "number"})}};
    p["description"] = std::string(f.help);
    properties[k] = p;
    if (f.required) required.push_back(k);
  }
  nlohmann::json o = {
      {"type", "object"}, {"additionalProperties", false}, {"properties", properties}};
  if (!required.empty()) o["required"] = required;
  return o;
}

nlohmann::json enum_of(std::span<const std::string_view> names) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto n : names) out.push_back(std::string(n));
  return {{"enum", out}};
}

}  // namespace

Scenario parse_scenario(std::string_view text, std::string file, const TraceReader& read_trace) {
  Reader reader(file, read_trace);
  Scenario s;
  s.file = std::move(file);
  const YAML::Node root = reader.file().parse(text);
  if (!reader.file().has_errors()) reader.read(root, s);
  reader.file().throw_if_errors();
  for (const auto& d : reader.file().diagnostics().items())
    if (d.severity == core::Severity::warning) s.warnings.push_back(d);
  return s;
}

std::string scenario_schema_json() {
  using nlohmann::json;
  const json text = {{"type", "string"}};
  const json whole = {{"type", "integer"}, {"minimum", 0}};
  const json patterns = {
      {"oneOf", json::array({text, {{"type", "array"}, {"minItems", 1}, {"items", text}}})}};
  auto list_of = [](const char* def) {
    return json{{"type", "array"}, {"minItems", 1}, {"items", {{"$ref", def}}}};
  };
  json top = object_schema(top_fields, {{"grid2gpu_scenario", {{"const", 1}}},
                                        {"name", text},
                                        {"solver", {{"$ref", "#/$defs/solver"}}},
                                        {"aggregate", enum_of(aggregation_names)},
                                        {"profiles", list_of("#/$defs/profile")},
                                        {"smoothing", list_of("#/$defs/smoothing")},
                                        {"storage", list_of("#/$defs/storage")},
                                        {"metrics", {{"$ref", "#/$defs/metrics"}}},
                                        {"limits", {{"$ref", "#/$defs/limits"}}},
                                        {"record", {{"$ref", "#/$defs/record"}}}});
  json schema = {
      {"$schema", "https://json-schema.org/draft/2020-12/schema"},
      {"$id", "https://grid2gpu.dev/scenario.schema.json"},
      {"title", "grid2gpu scenario file (grid2gpu_scenario: 1), docs/scenario-format.md"}};
  schema.update(top);
  json profile =
      object_schema(profile_fields, {{"loads", patterns},
                                     {"training", {{"$ref", "#/$defs/training"}}},
                                     {"trace", {{"$ref", "#/$defs/trace"}}},
                                     {"checkpoints", {{"$ref", "#/$defs/checkpoints"}}},
                                     {"dips", {{"$ref", "#/$defs/dips"}}},
                                     {"job", {{"$ref", "#/$defs/job"}}},
                                     {"seed", whole},
                                     {"phase_groups", {{"$ref", "#/$defs/phase_groups"}}}});
  json exactly_one = json::array();
  for (const auto k : pattern_keys) exactly_one.push_back({{"required", {std::string(k)}}});
  profile["oneOf"] = exactly_one;
  schema["$defs"] = {
      {"solver", object_schema(solver_fields, {})},
      {"profile", profile},
      {"training", object_schema(training_fields, {{"jitter", enum_of(jitter_names)}})},
      {"trace", object_schema(trace_fields, {{"file", text}})},
      {"checkpoints", object_schema(checkpoint_fields, {})},
      {"dips", object_schema(dips_fields, {})},
      {"job", object_schema(job_fields, {})},
      {"phase_groups",
       object_schema(phase_group_fields,
                     {{"by", text}, {"count", {{"type", "integer"}, {"minimum", 1}}}})},
      {"smoothing",
       object_schema(smoothing_fields, {{"loads", patterns},
                                        {"gpus_per_rack", {{"type", "integer"}, {"minimum", 1}}}})},
      {"storage", object_schema(storage_fields,
                                {{"elements", patterns}, {"control", enum_of(control_names)}})},
      {"metrics", object_schema(metrics_fields, {{"bands", list_of("#/$defs/band")}})},
      {"band", object_schema(band_fields, {})},
      {"limits", object_schema(limit_fields, {})},
      {"record",
       object_schema(record_fields,
                     {{"signals", {{"type", "array"}, {"minItems", 1}, {"items", text}}}})},
  };
  return schema.dump(2) + "\n";
}

}  // namespace g2g::dynamic

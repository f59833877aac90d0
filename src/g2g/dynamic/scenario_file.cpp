// The scenario file reader (docs/scenario-format.md). Keys, units, ranges and messages come from
// the configuration toolkit (core/yaml_fields.hpp); the profile's own rules from
// check_profile_spec (placed here at the file's keys), smoothing's from check_smoothing_settings,
// the bands' from the metrics accumulator. Only the scenario's own rules are written here.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "g2g/core/error.hpp"
#include "g2g/core/yaml_fields.hpp"
#include "g2g/dynamic/scenario.hpp"
#include "g2g/dynamic/scenario_keys.hpp"

namespace g2g::dynamic {
namespace {

using core::YamlFile;
using core::YamlMap;
using namespace scenario_keys;

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
    for_each_item(top, "input_loss", [&](const YAML::Node& item) { input_loss(item, s); });
    // Lumping identical racks assumes they are driven alike; an input lost in some of them
    // breaks that.
    if (top.has("input_loss") && s.aggregate == Aggregation::phase_groups)
      file_.error(top.node("input_loss"),
                  "input_loss is not simulated with aggregate: phase_groups",
                  "remove `aggregate` (or the input_loss items)");
    for_each_item(top, "faults", [&](const YAML::Node& item) { fault(item, s); });
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
    const YAML::Node at = key_node(item, k);
    std::string message = "profile: " + k + problem.substr(field.size());
    std::string fix;
    if (const auto f = message.rfind(" (fix: "); f != std::string::npos && message.back() == ')') {
      fix = message.substr(f + 7, message.size() - f - 8);
      message.resize(f);
    }
    file_.error(at, std::move(message), std::move(fix));
  }

  // The value of "section.key" or "key" in a profile item, else the nearest map holding it.
  // Nodes are only ever copy-constructed here: assigning a yaml-cpp Node rewrites the node it
  // refers to, in the tree (found by fuzz_scenario_loader).
  static YAML::Node key_node(const YAML::Node& item, const std::string& k) {
    if (!item.IsMap()) return item;
    const auto dot = k.find('.');
    const YAML::Node first = item[k.substr(0, dot)];
    if (!first) return item;
    if (dot == std::string::npos || !first.IsMap()) return first;
    const YAML::Node value = first[k.substr(dot + 1)];
    return value ? value : first;
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
    const std::string column = m.text("column").value_or("");
    if (const std::string problem = path_problem(*written); !problem.empty()) {
      file_.error(m.node("file"), fmt::format("profile: trace file '{}' {}", *written, problem),
                  "name a file in the scenario's folder or below it, relative to the scenario "
                  "file (docs/security.md)");
      return t;
    }
    t.source = folder_of(file_.file()) + *written;
    try {
      t.utilisation = read_utilisation_csv(read_trace_(*written), t.source, rated_power_w, column);
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
    optional("bandwidth", a.bandwidth_hz);
    optional("soc_target", a.soc_target);
    optional("soc_restore_time", a.soc_restore_time_s);
    optional("droop", a.droop_pu);
    optional("trigger", a.trigger_v);
    optional("set_voltage", a.set_voltage_v);
    if (control) storage_rules(m, a);
    s.storage.push_back(std::move(a));
  }

  void input_loss(const YAML::Node& item, Scenario& s) {
    YamlMap m(file_, item, "input_loss", input_loss_fields, {}, "an input_loss item");
    require_units(m, input_loss_fields);
    if (!m.is_map()) return;
    m.require_all();
    InputLoss loss;
    loss.where = file_.where(item);
    loss.converters = patterns(m, "converters");
    m.read("at", loss.at_s);
    m.read("duration", loss.duration_s);
    s.input_loss.push_back(std::move(loss));
  }

  void fault(const YAML::Node& item, Scenario& s) {
    YamlMap m(file_, item, "fault", fault_fields, "id", "a fault");
    require_units(m, fault_fields);
    if (!m.is_map()) return;
    m.require_all();
    Fault f;
    f.where = file_.where(item);
    m.read("id", f.id);
    for (const Fault& other : s.faults)
      if (!f.id.empty() && other.id == f.id)
        file_.error(m.node("id"), fmt::format("fault: id '{}' is given twice", f.id),
                    "give each fault its own id");
    if (m.has("kind")) {
      const auto kind = m.choice("kind", fault_kind_names);
      if (kind && *kind == 1)
        file_.error(m.node("kind"),
                    "fault: pole_to_ground faults are not modelled: the model's DC buses are "
                    "pole to pole, without poles or grounding",
                    "simulate a pole_to_pole fault (remove `kind`); docs/dynamic.md, \"Faults\"");
    }
    auto place = [&](std::string_view k) -> std::optional<ElementPattern> {
      const auto written = m.text(k);
      if (!written) return std::nullopt;
      if (written->empty() || written->find('*') != std::string::npos) {
        file_.error(m.node(k), fmt::format("fault: '{}' names one {}, not a pattern", *written, k),
                    fmt::format("give the {}'s id", k));
        return std::nullopt;
      }
      return ElementPattern{*written, file_.where(m.node(k))};
    };
    f.bus = place("bus");
    f.line = place("line");
    if (m.has("bus") == m.has("line"))
      file_.error(m.has("bus") ? m.node("line") : item,
                  m.has("bus") ? "fault: a fault is at a bus or on a line, not both"
                               : "fault: where is it? neither `bus` nor `line` is given",
                  "give `bus: <DC bus id>`, or `line: <DC line id>` with `at: 0.3`");
    if (m.has("line") && !m.has("at"))
      file_.error(item, "fault: a fault on a line needs its place `at`",
                  "add 'at: 0.5' (a fraction of the line from its `from` end, 0 to 1)");
    if (m.has("bus") && m.has("at"))
      file_.error(m.node("at"), "fault: `at` places a fault along a line, not at a bus",
                  "remove `at`, or name a line instead of the bus");
    m.read("at", f.at);
    m.read("resistance", f.resistance_ohm);
    m.read("time", f.time_s);
    if (const auto clear = m.quantity("clear")) f.clear_s = *clear;
    m.read("dip_threshold", f.dip_threshold);
    if (f.clear_s && !(*f.clear_s > f.time_s))
      file_.error(m.node("clear"),
                  fmt::format("fault: clear {:g} s is not after its inception at {:g} s",
                              *f.clear_s, f.time_s),
                  "clear it after `time`, or remove `clear` for a fault that stays");
    if (s.duration_s > 0.0 && f.time_s >= s.duration_s)
      file_.error(m.node("time"),
                  fmt::format("fault: its inception at {:g} s is not within the {:g} s run",
                              f.time_s, s.duration_s),
                  "place it before `duration`");
    s.faults.push_back(std::move(f));
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
      m.require("bandwidth");
      m.require("soc_target");
      m.require("soc_restore_time");
      refuse("droop", "grid_smoothing");
      refuse("trigger", "grid_smoothing");
      refuse("set_voltage", "grid_smoothing");
    } else {
      m.require("droop");
      refuse("grid_ramp_limit", "voltage_support");
      refuse("grid_time_constant", "voltage_support");
      if (m.has("trigger")) {
        // A battery backup unit: its set voltage and power loop have no default.
        m.require("set_voltage");
        m.require("bandwidth");
        if (a.trigger_v && a.set_voltage_v && !(*a.set_voltage_v > *a.trigger_v))
          file_.error(m.node("set_voltage"),
                      fmt::format("storage: set_voltage {:g} V is not above trigger {:g} V",
                                  *a.set_voltage_v, *a.trigger_v),
                      "regulate above the trigger (ORv3 HPR: trigger 48.5 V), or it would "
                      "release at once");
        if (m.has("soc_target"))
          file_.error(m.node("soc_target"),
                      "storage: a battery backup unit (trigger) takes no SOC-restoring loop",
                      "remove soc_target and soc_restore_time: it discharges only while on");
      } else {
        refuse("bandwidth", "voltage_support without trigger");
        refuse("set_voltage", "voltage_support without trigger");
      }
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
    if (const auto reduction = m.quantity("peak_reduction")) out.peak_reduction = *reduction;
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

}  // namespace g2g::dynamic

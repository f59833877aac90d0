#include "g2g/dynamic/simulate.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "g2g/components/ride_through.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/dynamic/aggregate.hpp"
#include "g2g/dynamic/fault_monitor.hpp"
#include "g2g/dynamic/ida.hpp"
#include "g2g/dynamic/load_drive.hpp"
#include "g2g/dynamic/selectivity.hpp"
#include "g2g/dynamic/small_signal.hpp"
#include "g2g/dynamic/smoothing.hpp"
#include "g2g/steady/solver.hpp"

namespace g2g::dynamic {

namespace {

// Whether a profile draws random numbers: then every stream is its own function.
bool random(const ProfileSpec& spec) {
  const auto* steps = std::get_if<TrainingSteps>(&spec.pattern);
  return spec.dips.has_value() || (steps != nullptr && steps->jitter != Jitter::none);
}

bool same_settings(const SmoothingSettings& a, const SmoothingSettings& b) {
  return a.rated_power_w == b.rated_power_w && a.power_floor_percent == b.power_floor_percent &&
         a.ramp_up_w_per_s == b.ramp_up_w_per_s && a.ramp_down_w_per_s == b.ramp_down_w_per_s &&
         a.ramp_down_hysteresis_ms == b.ramp_down_hysteresis_ms &&
         a.secondary_floor_w == b.secondary_floor_w;
}

// What makes two racks' power functions equal.
using DriveKey = std::tuple<std::size_t, double, std::uint64_t, double, double, std::int64_t>;

// The utilisation that makes the rack formula give `power_w`.
double utilisation_for(const model::Load& rack, double power_w) {
  const double span = 1.0 - rack.idle_fraction;
  if (!(rack.it_power_w > 0.0) || !(span > 0.0)) return rack.utilisation;
  return (power_w / rack.it_power_w - rack.idle_fraction) / span;
}

// One recorded column: its name and how to read it at a point.
struct Column {
  std::string name;
  std::string unit;
  std::string group;
  std::function<double(double, std::span<const double>, std::span<const double>)> read;
};

std::vector<Column> recorded_columns(const Scenario& scenario, const model::ModelSpec& model,
                                     NetworkDae& dae, const LoadPowers& powers,
                                     core::DiagnosticList& problems) {
  std::vector<Column> columns;
  if (!scenario.record) return columns;
  for (const auto& request : scenario.record->signals) {
    const std::string& pattern = request.element.text;
    const std::size_t before = columns.size();
    const std::size_t errors_before = problems.error_count();
    const auto add = [&](const std::string& id, const char* unit, const char* group, auto read) {
      columns.push_back(
          {fmt::format("{}.{}", id, name(request.quantity)), unit, group, std::move(read)});
    };
    switch (request.quantity) {
      case SignalQuantity::v:
        for (std::size_t b = 0; b < model.buses.size(); ++b)
          if (matches_pattern(pattern, model.buses[b].id)) {
            const auto bus = static_cast<model::BusIndex>(b);
            const double nominal_v = model.buses[b].nominal_voltage_v;
            add(model.buses[b].id, "V", "Bus voltages",
                [&dae, bus, nominal_v](double, std::span<const double> y, std::span<const double>) {
                  return dae.bus_voltage_pu(bus, y) * nominal_v;
                });
          }
        break;
      case SignalQuantity::p:
      case SignalQuantity::i: {
        const bool power = request.quantity == SignalQuantity::p;
        // A scenario's fault: its current (A) or the power into it (W).
        for (std::size_t k = 0; k < scenario.faults.size(); ++k) {
          if (!matches_pattern(pattern, scenario.faults[k].id)) continue;
          add(scenario.faults[k].id, power ? "W" : "A", power ? "Fault power" : "Fault current",
              [&dae, k, power](double, std::span<const double> y, std::span<const double>) {
                const double i_a = dae.fault_current_a(k, y);
                return power ? i_a * dae.fault_voltage_v(k, y) : i_a;
              });
        }
        // Every element kind in turn: its ids, the bus at which its power and current are
        // taken, and its power (a line: its current, the power following from it).
        const auto add_kind = [&](const auto& elements, auto bus_of, auto read_w_or_a,
                                  bool reads_current) {
          for (std::size_t k = 0; k < elements.size(); ++k) {
            if (!matches_pattern(pattern, elements[k].id)) continue;
            const model::BusIndex bus = bus_of(elements[k]);
            const auto& at = model.buses[static_cast<std::size_t>(bus)];
            // An AC current needs the reactive power, which the summary does not follow yet.
            if (at.kind == model::BusKind::ac && (reads_current || !power)) {
              problems.error(request.element.where,
                             fmt::format("signal '{}': '{}' is on the AC side, where only .p of "
                                         "sources, converters and loads is recorded",
                                         request.text, elements[k].id),
                             "record a DC element's current, or this element's .p");
              continue;
            }
            const double nominal_v = at.nominal_voltage_v;
            add(elements[k].id, power ? "W" : "A", power ? "Element power" : "Element current",
                [&dae, k, bus, nominal_v, power, reads_current, read_w_or_a](
                    double t, std::span<const double> y, std::span<const double> yp) {
                  const double value = read_w_or_a(k, t, y, yp);
                  const double v_v = dae.bus_voltage_pu(bus, y) * nominal_v;
                  if (reads_current) return power ? value * v_v : value;
                  return power ? value : value / v_v;
                });
          }
        };
        using Span = std::span<const double>;
        add_kind(
            model.loads, [](const model::Load& e) { return e.bus; },
            [&dae](std::size_t k, double t, Span y, Span) { return dae.load_power_w(k, t, y); },
            false);
        add_kind(
            model.converters, [](const model::Converter& e) { return e.output; },
            [&dae](std::size_t k, double, Span y, Span) { return dae.converter_output_w(k, y); },
            false);
        add_kind(
            model.lines, [](const model::Line& e) { return e.from; },
            [&dae](std::size_t k, double, Span y, Span) { return dae.line_current_a(k, y); }, true);
        add_kind(
            model.storage, [](const model::Storage& e) { return e.bus; },
            [&dae](std::size_t k, double, Span y, Span) { return dae.storage_power_w(k, y); },
            false);
        add_kind(
            model.sources, [](const model::Source& e) { return e.bus; },
            [&dae](std::size_t k, double t, Span y, Span yp) {
              return dae.source_power_w(k, t, y, yp);
            },
            false);
        break;
      }
      case SignalQuantity::u:
        for (std::size_t k = 0; k < model.loads.size(); ++k) {
          const auto& load = model.loads[k];
          if (load.model != model::LoadModel::gpu_rack || !matches_pattern(pattern, load.id))
            continue;
          const std::int32_t f = powers.function_of_load.empty() ? -1 : powers.function_of_load[k];
          add(load.id, "", "Utilisation",
              [&powers, &load, f](double t, std::span<const double>, std::span<const double>) {
                if (f < 0) return load.utilisation;
                const double p_w = powers.functions[static_cast<std::size_t>(f)].value(t);
                return utilisation_for(load, p_w);
              });
        }
        break;
      case SignalQuantity::f:
        for (std::size_t k = 0; k < model.sources.size(); ++k)
          if (model.sources[k].type == model::SourceType::utility &&
              matches_pattern(pattern, model.sources[k].id))
            add(model.sources[k].id, "Hz", "Grid frequency",
                [&dae, k](double, std::span<const double> y, std::span<const double>) {
                  return dae.source_frequency_hz(k, y);
                });
        break;
      case SignalQuantity::soc:
        for (std::size_t k = 0; k < model.storage.size(); ++k) {
          if (!matches_pattern(pattern, model.storage[k].id)) continue;
          if (!dae.storage_simulated(k)) {
            problems.error(request.element.where,
                           fmt::format("signal '{}': storage '{}' is held at its set-point, with "
                                       "no state of charge",
                                       request.text, model.storage[k].id),
                           "give it a `technology` in the model or a control in the scenario");
            continue;
          }
          add(model.storage[k].id, "", "State of charge",
              [&dae, k](double, std::span<const double> y, std::span<const double>) {
                return dae.storage_soc(k, y);
              });
        }
        break;
    }
    if (columns.size() == before && problems.error_count() == errors_before)
      problems.error(request.element.where,
                     fmt::format("signal '{}' names no element that has it", request.text),
                     "name a bus for .v, a load, converter, line or source for .p and .i, a "
                     "gpu_rack load for .u, a utility for .f");
  }
  return columns;
}

// The scenario's storage items as the DAE's groups, on `model` (the aggregated one, whose kept
// elements keep their ids, or the original).
std::vector<StorageGroup> storage_groups(const Scenario& scenario, const ResolvedScenario& resolved,
                                         const model::ModelSpec& original,
                                         const model::ModelSpec& model) {
  std::map<std::string, std::size_t> index_of;
  for (std::size_t k = 0; k < model.storage.size(); ++k) index_of.emplace(model.storage[k].id, k);
  std::vector<StorageGroup> groups;
  for (const auto& item : scenario.storage) {
    StorageGroup g;
    g.mode = item.control == StorageControlMode::grid_smoothing
                 ? StorageGroup::Mode::grid_smoothing
                 : StorageGroup::Mode::voltage_support;
    g.bandwidth_hz = item.bandwidth_hz.value_or(0.0);
    g.grid_ramp_limit_w_per_s = item.grid_ramp_limit_w_per_s;
    g.grid_time_constant_s = item.grid_time_constant_s;
    g.soc_target = item.soc_target;
    g.soc_restore_time_s = item.soc_restore_time_s;
    g.droop_pu = item.droop_pu.value_or(0.0);
    g.trigger_v = item.trigger_v;
    g.set_voltage_v = item.set_voltage_v;
    groups.push_back(std::move(g));
  }
  for (std::size_t k = 0; k < original.storage.size(); ++k) {
    const auto& item = resolved.storage_control[k];
    if (!item) continue;
    const auto found = index_of.find(original.storage[k].id);
    if (found != index_of.end()) groups[*item].members.push_back(found->second);
  }
  return groups;
}

std::vector<GridLimitCheck> check_limits(const GridLimits& limits, const PowerMetrics& m) {
  std::vector<GridLimitCheck> out;
  if (limits.peak_w)
    out.push_back({"peak", "W", m.peak_w, *limits.peak_w, m.peak_w <= *limits.peak_w});
  if (limits.ramp_w_per_s) {
    const double up = m.largest_ramp_up ? m.largest_ramp_up->rate_w_per_s : 0.0;
    const double down = m.largest_ramp_down ? -m.largest_ramp_down->rate_w_per_s : 0.0;
    out.push_back({"ramp_up", "W/s", up, *limits.ramp_w_per_s, up <= *limits.ramp_w_per_s});
    out.push_back({"ramp_down", "W/s", down, *limits.ramp_w_per_s, down <= *limits.ramp_w_per_s});
  }
  for (const auto& band : m.bands)
    if (band.band.max_share)
      out.push_back({fmt::format("band {:g}-{:g} Hz", band.band.low_hz, band.band.high_hz), "",
                     band.share, *band.band.max_share, band.within_limit});
  return out;
}

// Ride-through in the summary: the loads that dropped, and per converter with undervoltage_off
// its hold-up against ORv3 HPR, with the dip's start followed at every step.
class RideThrough {
 public:
  RideThrough(const model::ModelSpec& model, const NetworkDae& dae, std::span<const double> y0)
      : model_(model), dae_(dae) {
    for (std::size_t c = 0; c < model.converters.size(); ++c) {
      const auto& conv = model.converters[c];
      const double v_start_v = dae.converter_input_v(c, y0);
      if (!conv.dynamics.undervoltage_off_v || !(v_start_v > 0.0)) continue;
      HoldUpCheck check;
      check.element = conv.id;
      check.input_capacitance_f = conv.dynamics.input_capacitance_f.value_or(0.0);
      check.v_start_v = v_start_v;
      check.v_off_v = *conv.dynamics.undervoltage_off_v;
      check.rated_power_w = model::installed_rating_w(conv);
      check.energy_j =
          components::hold_up_energy_j(check.input_capacitance_f, check.v_start_v, check.v_off_v);
      check.hold_up_s = components::hold_up_time_s(check.energy_j, check.rated_power_w);
      check.meets_time = check.hold_up_s >= orv3_hpr_hold_up_s;
      check.meets_energy = check.energy_j >= orv3_hpr_hold_up_energy_j;
      converters_.push_back(c);
      checks_.push_back(std::move(check));
      above_s_.push_back(0.0);
    }
  }

  // At every step and event: the last time each input was at or above 90 % of its start.
  void add(double t_s, std::span<const double> y) {
    scan_changes();  // first: a turn-off's input may jump back above the threshold at once
    for (std::size_t k = 0; k < converters_.size(); ++k)
      if (!checks_[k].off_s &&
          dae_.converter_input_v(converters_[k], y) >= 0.9 * checks_[k].v_start_v)
        above_s_[k] = t_s;
  }

  void finish(SimulationSummary& summary) {
    scan_changes();
    summary.hold_up = std::move(checks_);
    // Each load's turn-offs paired with the restarts that follow.
    std::map<std::size_t, std::size_t> open;  // load -> its entry in dropped_loads
    for (const ModeChange& change : dae_.mode_changes()) {
      if (!change.load) continue;
      if (!change.on) {
        open[change.element] = summary.dropped_loads.size();
        summary.dropped_loads.push_back({model_.loads[change.element].id, change.t_s, {}});
      } else if (const auto found = open.find(change.element); found != open.end()) {
        summary.dropped_loads[found->second].on_s = change.t_s;
        open.erase(found);
      }
    }
  }

 private:
  // The converters' first undervoltage turn-offs among the mode changes not seen yet.
  void scan_changes() {
    const auto& changes = dae_.mode_changes();
    for (; seen_ < changes.size(); ++seen_) {
      const ModeChange& change = changes[seen_];
      if (change.load || change.on || !change.undervoltage) continue;
      for (std::size_t k = 0; k < converters_.size(); ++k)
        if (converters_[k] == change.element && !checks_[k].off_s) {
          checks_[k].off_s = change.t_s;
          checks_[k].dip_start_s = above_s_[k];
        }
    }
  }

  const model::ModelSpec& model_;
  const NetworkDae& dae_;
  std::vector<std::size_t> converters_;
  std::vector<HoldUpCheck> checks_;
  std::vector<double> above_s_;
  std::size_t seen_ = 0;
};

// Battery backup units in the summary: when each turned on, when it carried its bus's load, the
// energy it delivered and its bus's lowest voltage, followed at every step.
class Backups {
 public:
  Backups(const std::vector<StorageGroup>& groups, const model::ModelSpec& model, NetworkDae& dae)
      : model_(model), dae_(dae) {
    for (std::size_t g = 0; g < groups.size(); ++g) {
      if (!groups[g].trigger_v) continue;
      for (const std::size_t k : groups[g].members) {
        Unit u;
        u.storage = k;
        u.bus = model.storage[k].bus;
        for (std::size_t l = 0; l < model.loads.size(); ++l)
          if (model.loads[l].bus == u.bus) u.loads.push_back(l);
        for (std::size_t c = 0; c < model.converters.size(); ++c)
          if (model.converters[c].input == u.bus) u.converters.push_back(c);
        BackupCheck check;
        check.element = model.storage[k].id;
        check.bus = model.buses[static_cast<std::size_t>(u.bus)].id;
        check.trigger_v = *groups[g].trigger_v;
        check.set_voltage_v = *groups[g].set_voltage_v;
        check.bandwidth_hz = groups[g].bandwidth_hz;
        check.lowest_v = std::numeric_limits<double>::infinity();
        units_.push_back(std::move(u));
        checks_.push_back(std::move(check));
      }
    }
  }

  void add(double t_s, std::span<const double> y) {
    const auto& switches = dae_.backup_switches();
    for (; seen_ < switches.size(); ++seen_)
      for (std::size_t j = 0; j < units_.size(); ++j) {
        if (units_[j].storage != switches[seen_].storage) continue;
        units_[j].on = switches[seen_].on;
        auto& check = checks_[j];
        if (switches[seen_].on && !check.trigger_s) check.trigger_s = switches[seen_].t_s;
        if (!switches[seen_].on && check.trigger_s && !check.release_s)
          check.release_s = switches[seen_].t_s;
      }
    for (std::size_t j = 0; j < units_.size(); ++j) {
      Unit& u = units_[j];
      BackupCheck& check = checks_[j];
      const double p_w = dae_.storage_power_w(u.storage, y);
      double load_w = 0.0;
      for (const std::size_t l : u.loads) load_w += dae_.load_power_w(l, t_s, y);
      for (const std::size_t c : u.converters) load_w += dae_.converter_input_w(c, y);
      const double v = dae_.bus_voltage_pu(u.bus, y) *
                       model_.buses[static_cast<std::size_t>(u.bus)].nominal_voltage_v;
      if (v < check.lowest_v) {
        check.lowest_v = v;
        check.lowest_t_s = t_s;
      }
      // The margin above the carried share; its zero between two steps, linearly.
      const double margin_w = p_w - backup_carry_share * load_w;
      if (u.on && check.trigger_s && !check.carry_s && margin_w >= 0.0) {
        const bool bracketed = u.sampled && u.last_margin_w < 0.0 && u.last_t_s >= *check.trigger_s;
        check.carry_s = bracketed ? u.last_t_s + (t_s - u.last_t_s) * (-u.last_margin_w) /
                                                     (margin_w - u.last_margin_w)
                                  : t_s;
      }
      if (u.on && u.sampled) check.energy_j += 0.5 * (u.last_p_w + p_w) * (t_s - u.last_t_s);
      u.last_margin_w = margin_w;
      u.last_p_w = p_w;
      u.last_t_s = t_s;
      u.sampled = true;
    }
  }

  void finish(SimulationSummary& summary) { summary.backup = std::move(checks_); }

 private:
  struct Unit {
    std::size_t storage = 0;
    model::BusIndex bus = model::no_bus;
    std::vector<std::size_t> loads;       // on its bus
    std::vector<std::size_t> converters;  // fed from its bus
    bool on = false;
    bool sampled = false;
    double last_t_s = 0.0;
    double last_p_w = 0.0;
    double last_margin_w = 0.0;
  };
  const model::ModelSpec& model_;
  NetworkDae& dae_;
  std::vector<Unit> units_;
  std::vector<BackupCheck> checks_;
  std::size_t seen_ = 0;
};

}  // namespace

LoadDrives load_drives(const Scenario& scenario, const ResolvedScenario& resolved,
                       const model::ModelSpec& model) {
  LoadDrives drives;
  drives.powers.function_of_load.assign(model.loads.size(), -1);
  std::map<DriveKey, std::pair<std::int32_t, double>> made;  // function, its floor burn
  const double t0_s = 0.0;
  const double t1_s = scenario.duration_s;
  std::vector<const SmoothingSettings*> smoothing_seen;
  for (std::size_t k = 0; k < model.loads.size(); ++k) {
    const auto& profile = resolved.load_profiles[k];
    if (!profile) continue;
    const auto& load = model.loads[k];
    const auto& spec = scenario.profiles[profile->profile].profile;
    const auto& smoothing = resolved.load_smoothing[k];
    // Smoothing settings compare by value: racks scaled alike share them.
    std::int64_t smoothing_key = -1;
    if (smoothing) {
      const auto same =
          std::find_if(smoothing_seen.begin(), smoothing_seen.end(),
                       [&](const SmoothingSettings* s) { return same_settings(*s, *smoothing); });
      smoothing_key = same - smoothing_seen.begin();
      if (same == smoothing_seen.end()) smoothing_seen.push_back(&*smoothing);
    }
    const DriveKey key{
        profile->profile, profile->group.phase_s, random(spec) ? profile->group.stream : 0,
        load.it_power_w,  load.idle_fraction,     smoothing_key};
    auto found = made.find(key);
    if (found == made.end()) {
      const Profile u = make_profile(spec, t0_s, t1_s, profile->group);
      PiecewiseLinear power_w = gpu_rack_power_w(load, u);
      double burn_j = 0.0;
      if (smoothing) {
        SmoothedPower smoothed = smooth_power(power_w, *smoothing);
        power_w = std::move(smoothed.drawn_power_w);
        burn_j = smoothed.floor_burn_energy_j;
      }
      found = made.emplace(key, std::pair{drives.powers.add(std::move(power_w)), burn_j}).first;
    }
    drives.powers.function_of_load[k] = found->second.first;
    drives.floor_burn_energy_j += found->second.second;
  }
  return drives;
}

// The template instances the scenario's faults are in (a faulted bus's or line's own), which
// aggregation keeps apart from their identical siblings.
std::vector<std::int32_t> faulted_instances(const ResolvedScenario& resolved,
                                            const model::ModelSpec& model) {
  std::vector<std::int32_t> out;
  for (const auto& place : resolved.fault_places) {
    const std::int32_t origin =
        place.line ? model.lines[*place.line].origin : model.buses[*place.bus].origin;
    if (origin >= 0) out.push_back(origin);
  }
  return out;
}

// Index of the element with `id` in `elements`: the simulated model's, which aggregation
// renumbers but whose faulted instances keep their ids.
template <typename Element>
std::size_t index_by_id(const std::vector<Element>& elements, const std::string& id) {
  const auto found =
      std::find_if(elements.begin(), elements.end(), [&](const Element& e) { return e.id == id; });
  if (found == elements.end())
    throw std::logic_error(fmt::format("aggregation lost the faulted element '{}'", id));
  return static_cast<std::size_t>(found - elements.begin());
}

// The scenario's faults as the DAE's, on the simulated model (`model`, aggregated or not;
// `resolved` indexes `model_in`).
std::vector<FaultSpec> fault_specs(const Scenario& scenario, const ResolvedScenario& resolved,
                                   const model::ModelSpec& model_in,
                                   const model::ModelSpec& model) {
  std::vector<FaultSpec> out;
  for (std::size_t k = 0; k < scenario.faults.size(); ++k) {
    const Fault& f = scenario.faults[k];
    const auto& place = resolved.fault_places[k];
    std::optional<std::size_t> bus;
    std::optional<std::size_t> line;
    if (place.bus) bus = index_by_id(model.buses, model_in.buses[*place.bus].id);
    if (place.line) line = index_by_id(model.lines, model_in.lines[*place.line].id);
    out.push_back({f.id, bus, line, place.at, f.resistance_ohm, f.time_s, f.clear_s, f.where});
  }
  return out;
}

SimulationRun simulate(const model::ModelSpec& model_in, const Scenario& scenario,
                       const SimulationCallbacks& callbacks) {
  const auto wall_start = std::chrono::steady_clock::now();
  core::DiagnosticList problems;
  const StorageAssignment* smoothing = nullptr;
  for (const auto& storage : scenario.storage) {
    if (storage.control != StorageControlMode::grid_smoothing) continue;
    if (smoothing != nullptr)
      problems.error(storage.where,
                     "a second grid_smoothing item: two controllers would fight over one grid "
                     "power",
                     fmt::format("list every grid-smoothing storage element in the item at "
                                 "line {}",
                                 smoothing->where.line));
    smoothing = &storage;
  }
  if (problems.has_errors()) throw core::ModelError(std::move(problems));

  const ResolvedScenario resolved = resolve(scenario, model_in);
  LoadDrives drives = load_drives(scenario, resolved, model_in);
  // t = 0 is the power flow with every driven load at its power at t = 0.
  model::ModelSpec model = model_in;
  for (std::size_t k = 0; k < model.loads.size(); ++k) {
    const auto f = drives.powers.function_of_load[k];
    if (f < 0) continue;
    const double p0_w = drives.powers.functions[static_cast<std::size_t>(f)].value(0.0);
    auto& load = model.loads[k];
    if (load.model == model::LoadModel::gpu_rack)
      load.utilisation = utilisation_for(load, p0_w);
    else
      load.p_w = p0_w;
  }
  std::string aggregation = "none";
  if (scenario.aggregate == Aggregation::phase_groups) {
    AggregatedModel lumped =
        aggregate_identical_instances(model, drives.powers, faulted_instances(resolved, model_in));
    model = std::move(lumped.model);
    drives.powers = std::move(lumped.powers);
    aggregation = std::move(lumped.label);
  }
  steady::Solver solver(model);
  (void)solver.solve();
  const std::vector<StorageGroup> groups = storage_groups(scenario, resolved, model_in, model);
  NetworkDae dae(model, solver.network(), solver.state(), drives.powers, groups,
                 fault_specs(scenario, resolved, model_in, model));
  // Lost inputs, by id on the simulated model (input_loss is refused with aggregation).
  for (std::size_t item = 0; item < scenario.input_loss.size(); ++item) {
    const InputLoss& loss = scenario.input_loss[item];
    for (const std::size_t c : resolved.input_loss_converters[item]) {
      const auto& id = model_in.converters[c].id;
      const auto found = std::find_if(model.converters.begin(), model.converters.end(),
                                      [&](const auto& conv) { return conv.id == id; });
      if (found == model.converters.end()) continue;
      const auto k = static_cast<std::size_t>(found - model.converters.begin());
      if (!model.converters[k].in_service) {
        problems.error(loss.where, fmt::format("input_loss: converter '{}' is out of service", id),
                       "name converters in service");
        continue;
      }
      dae.lose_input(k, loss.at_s, loss.at_s + loss.duration_s);
    }
  }
  if (problems.has_errors()) throw core::ModelError(std::move(problems));

  SimulationRun run;
  SimulationSummary& summary = run.summary;
  summary.model_name = model.name;
  summary.scenario_name = scenario.name;
  summary.aggregation = aggregation;
  summary.t_begin_s = 0.0;
  summary.t_end_s = scenario.duration_s;
  summary.unknowns = static_cast<std::size_t>(dae.size());
  summary.floor_burn_energy_j = drives.floor_burn_energy_j;
  for (const auto& warning : scenario.warnings) summary.warnings.push_back(warning.message);

  // The small-signal check at t = 0.
  const auto flags = dae.differential();
  const auto states = std::count(flags.begin(), flags.end(), true);
  std::optional<SmallSignalResult> linearised;
  if (states > 0 && states <= small_signal_max_states) {
    try {
      linearised = small_signal(dae, 0.0, dae.initial_y(), dae.initial_yp());
    } catch (const LinearisationError& error) {
      summary.warnings.push_back(
          fmt::format("the small-signal check could not run: {}", error.what()));
    }
  }
  if (linearised) {
    const SmallSignalResult& modes = *linearised;
    // The elements a mode's top participants belong to, each once.
    auto elements_of = [&dae](const Mode& mode) {
      std::vector<std::string> elements;
      for (const auto& p : mode.participants) {
        std::string element = dae.names(p.index).element;
        if (std::find(elements.begin(), elements.end(), element) == elements.end())
          elements.push_back(std::move(element));
      }
      return elements;
    };
    for (const auto& mode : modes.modes) {
      if (summary.least_damped_modes.size() == 5) break;
      // An integrator (a state of charge at a set-point, |lambda| below 1e-6 /s: a time
      // constant beyond 11 days) is no oscillation: not reported as least damped.
      if (std::abs(mode.eigenvalue_per_s) < 1e-6) continue;
      summary.least_damped_modes.push_back(
          ModeSummary{mode.frequency_hz, mode.damping_ratio, elements_of(mode)});
    }
    // The mode the warning names is the first that is unstable or poorly damped, not the first
    // listed: a state of charge's integrator (0 Hz, damping 0) sorts before them.
    // An integrator's zero eigenvalue (a fault's energy, a state of charge) may come out a hair
    // above zero: no growing mode, as in the list above.
    const auto flagged = std::find_if(modes.modes.begin(), modes.modes.end(), [](const Mode& m) {
      return (m.unstable || m.poorly_damped) && std::abs(m.eigenvalue_per_s) >= 1e-6;
    });
    if (flagged != modes.modes.end()) {
      const auto& worst = *flagged;
      summary.warnings.push_back(fmt::format(
          "the least damped mode at t = 0 ({:.4g} Hz) has damping {:.3g} %, {} {:.0f} %: "
          "expect a long run of small steps{} (elements: {})",
          worst.frequency_hz, 100.0 * worst.damping_ratio,
          worst.unstable ? "it grows: unstable, below" : "below", 100.0 * minimum_damping_ratio,
          worst.unstable ? " and a growing oscillation" : "", fmt::join(elements_of(worst), ", ")));
    }
  } else if (states > small_signal_max_states) {
    summary.warnings.push_back(fmt::format(
        "the small-signal check was skipped: {} states, above {} (aggregate the model to check "
        "it)",
        states, small_signal_max_states));
  }

  core::DiagnosticList record_problems;
  std::vector<Column> columns =
      recorded_columns(scenario, model, dae, drives.powers, record_problems);
  if (record_problems.has_errors()) throw core::ModelError(std::move(record_problems));

  IntegratorOptions options;
  options.relative_tolerance = scenario.solver.relative_tolerance;
  if (scenario.solver.absolute_tolerance)
    options.absolute_tolerance = *scenario.solver.absolute_tolerance;
  else
    options.absolute_tolerances = dae.absolute_tolerances(options.relative_tolerance);
  options.max_step_s = scenario.solver.max_step_s;
  options.initial_step_s = scenario.solver.initial_step_s;
  options.linear_solver = scenario.solver.linear_solver;
  options.max_order = scenario.solver.max_order;
  options.keep_step_from = scenario.solver.keep_step_from;
  options.keep_step_below = scenario.solver.keep_step_below;
  const double t_end_s = scenario.duration_s;
  // tout1 of IDACalcIC: a step well inside the fastest edge the scenario can have.
  const double horizon_s = std::min(1e-4, 1e-3 * t_end_s);
  options.event_horizon_s = horizon_s;  // after a state event too
  Integrator integrator(dae, 0.0, dae.initial_y(), dae.initial_yp(), options);
  integrator.initial_conditions(horizon_s);
  RideThrough ride_through(model, dae, integrator.y());
  Backups backups(groups, model, dae);
  FaultMonitor faults(scenario, model, dae);

  PowerMetricsAccumulator metrics(scenario.metrics);
  const std::size_t levels = pyramid_levels(default_coarsest_buckets, default_max_envelope_points);
  // The utility with a frequency model (at most one): its deviation is summarised and charted.
  const auto inertial = std::find_if(model.sources.begin(), model.sources.end(), [](const auto& s) {
    return s.in_service && s.type == model::SourceType::utility && s.inertia_s.has_value();
  });
  const bool frequency_dynamics = inertial != model.sources.end() && dae.has_frequency_dynamics();
  const auto inertial_source = static_cast<std::size_t>(inertial - model.sources.begin());
  double max_frequency_deviation_hz = 0.0;
  std::vector<EnvelopeBuilder> envelopes(
      columns.size() + (frequency_dynamics ? 2 : 1),
      EnvelopeBuilder(0.0, t_end_s, default_coarsest_buckets, levels));
  std::vector<std::string> column_names;
  column_names.reserve(columns.size());
  for (const auto& c : columns)
    column_names.push_back(c.unit.empty() ? c.name : fmt::format("{} [{}]", c.name, c.unit));
  if (callbacks.sink != nullptr) callbacks.sink->begin(column_names);
  const double every_s = scenario.record ? scenario.record->every_s : 0.0;
  std::size_t next_row = 0;  // the output grid's next time: next_row * every_s
  std::vector<double> values(columns.size()), last_values(columns.size()), row(columns.size());
  double last_t_s = 0.0;
  LowestVoltage lowest{"", std::numeric_limits<double>::infinity(), 0.0, 0.0};

  // Storage: energy in and out at its bus and lost inside, by the trapezoidal rule over the
  // steps; its state-of-charge range.
  std::vector<std::size_t> simulated_storage;
  for (std::size_t k = 0; k < model.storage.size(); ++k)
    if (dae.storage_simulated(k)) simulated_storage.push_back(k);
  for (const std::size_t k : simulated_storage) {
    const double soc = dae.storage_soc(k, integrator.y());
    summary.storage.push_back({model.storage[k].id, 0.0, 0.0, soc, soc, soc, soc, 0.0});
  }
  std::vector<double> last_storage_w(simulated_storage.size());
  std::vector<double> last_storage_loss_w(simulated_storage.size());
  const auto account_storage = [&](double t, std::span<const double> y, bool first) {
    for (std::size_t j = 0; j < simulated_storage.size(); ++j) {
      const std::size_t k = simulated_storage[j];
      StorageSummary& s = summary.storage[j];
      const double p_w = dae.storage_power_w(k, y);
      const double loss_w = dae.storage_loss_w(k, y);
      const double soc = dae.storage_soc(k, y);
      if (!first) {
        const double dt_s = t - last_t_s;
        const double p0 = last_storage_w[j];
        // Split the trapezoid where the power changes sign.
        if ((p0 >= 0.0) == (p_w >= 0.0)) {
          (p_w >= 0.0 ? s.discharged_j : s.charged_j) += 0.5 * std::fabs(p0 + p_w) * dt_s;
        } else {
          const double t_zero = dt_s * p0 / (p0 - p_w);
          (p0 >= 0.0 ? s.discharged_j : s.charged_j) += 0.5 * std::fabs(p0) * t_zero;
          (p_w >= 0.0 ? s.discharged_j : s.charged_j) += 0.5 * std::fabs(p_w) * (dt_s - t_zero);
        }
        s.loss_j += 0.5 * (last_storage_loss_w[j] + loss_w) * dt_s;
      }
      last_storage_w[j] = p_w;
      last_storage_loss_w[j] = loss_w;
      s.soc_min = std::min(s.soc_min, soc);
      s.soc_max = std::max(s.soc_max, soc);
      s.soc_end = soc;
    }
  };

  const auto sample = [&](double t, std::span<const double> y, std::span<const double> yp,
                          bool first) {
    account_storage(t, y, first);
    const double grid_w = dae.grid_power_w(t, y, yp);
    metrics.add(t, grid_w);
    envelopes[0].add(t, grid_w);
    if (const auto low = dae.lowest_bus_voltage_pu(y); low.bus >= 0 && low.v_pu < lowest.v_pu) {
      const auto& bus = model.buses[static_cast<std::size_t>(low.bus)];
      lowest = {bus.id, low.v_pu, low.v_pu * bus.nominal_voltage_v, t};
    }
    for (std::size_t c = 0; c < columns.size(); ++c) {
      values[c] = columns[c].read(t, y, yp);
      envelopes[c + 1].add(t, values[c]);
    }
    if (frequency_dynamics) {
      const double deviation_hz = dae.source_frequency_hz(inertial_source, y) - model.frequency_hz;
      max_frequency_deviation_hz = std::max(max_frequency_deviation_hz, std::fabs(deviation_hz));
      envelopes.back().add(t, deviation_hz);
    }
    if (callbacks.sink != nullptr && every_s > 0.0) {
      // Grid times in (last_t, t] (and t = 0 at the first sample), interpolated linearly.
      while (true) {
        const double grid_t = static_cast<double>(next_row) * every_s;
        if (grid_t > t * (1.0 + 1e-12) + 1e-15 || grid_t > t_end_s * (1.0 + 1e-12)) break;
        const double w = first || t == last_t_s ? 1.0 : (grid_t - last_t_s) / (t - last_t_s);
        for (std::size_t c = 0; c < columns.size(); ++c)
          row[c] = last_values[c] + std::clamp(w, 0.0, 1.0) * (values[c] - last_values[c]);
        callbacks.sink->row(grid_t, first ? std::span<const double>(values) : row);
        ++next_row;
      }
    }
    last_values = values;
    last_t_s = t;
    ride_through.add(t, y);
    backups.add(t, y);
    dae.observe_protection(t, y);
    faults.add(t, y, yp);
  };
  sample(0.0, integrator.y(), integrator.yp(), true);

  std::vector<double> stops = dae.load_edges(0.0, t_end_s);
  stops.push_back(t_end_s);
  std::sort(stops.begin(), stops.end());
  stops.erase(std::unique(stops.begin(), stops.end()), stops.end());
  for (double stop : stops) {
    if (stop <= integrator.time_s() || stop > t_end_s) continue;
    const auto outcome = integrator.advance_to(stop, [&](const Step& step) {
      sample(step.t_s, step.y, step.yp, false);
      return !callbacks.progress || callbacks.progress(step.t_s);
    });
    if (outcome == AdvanceOutcome::cancelled) {
      run.cancelled = true;
      summary.t_end_s = integrator.time_s();
      summary.warnings.push_back(fmt::format(
          "cancelled at t = {:.6g} s: the summary covers the run so far", integrator.time_s()));
      break;
    }
    // A jump in a load's power: the algebraic unknowns and the derivatives jump with it.
    if (stop < t_end_s && dae.load_jumps_at(stop)) {
      integrator.initial_conditions(std::min(stop + horizon_s, t_end_s));
      sample(stop, integrator.y(), integrator.yp(), false);
    }
  }

  for (const auto& s : summary.storage) summary.storage_loss_j += s.loss_j;
  summary.grid_power = metrics.result();
  ride_through.finish(summary);
  backups.finish(summary);
  summarise_protection(model, dae, integrator.y(), summary);
  faults.finish(summary, integrator.y());
  summary.limits = check_limits(scenario.limits, summary.grid_power);
  if (std::isfinite(lowest.v_pu)) summary.lowest_voltage = lowest;
  if (frequency_dynamics) summary.max_frequency_deviation_hz = max_frequency_deviation_hz;
  summary.integrator = integrator.stats();
  summary.wall_time_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  run.envelopes.push_back(envelopes[0].finish("grid power", "W", "Grid power"));
  for (std::size_t c = 0; c < columns.size(); ++c)
    run.envelopes.push_back(
        envelopes[c + 1].finish(columns[c].name, columns[c].unit, columns[c].group));
  if (frequency_dynamics)
    run.envelopes.push_back(envelopes.back().finish(
        fmt::format("{} frequency deviation", inertial->id), "Hz", "Grid frequency deviation"));
  return run;
}

}  // namespace g2g::dynamic

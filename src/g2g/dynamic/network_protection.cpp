// Protection devices in the network DAE: a breaker with `trip:` is its line's R-L loop with a
// switching element in it (components/protection.hpp), two more states (the energy its clamp or
// arc absorbs, and its integral: let-through I2t, melting integral or thermal replica), and
// state events: pickup (|i|, di/dt, the integral's limit), a timer for the detection delay,
// commutation or opening time and a reclosure, and the clamp's knee (the current interrupted).
// Opening and closing change values, never the pattern. docs/dynamic.md § Protection devices.
#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "g2g/dynamic/network_protection.hpp"

namespace g2g::dynamic {

namespace {

using model::TripKind;

const char* kind_name(TripKind kind) {
  switch (kind) {
    case TripKind::solid_state:
      return "solid_state";
    case TripKind::hybrid:
      return "hybrid";
    case TripKind::fuse:
      return "fuse";
    case TripKind::thermal_magnetic:
      return "thermal_magnetic";
  }
  return "";
}

}  // namespace

void NetworkDae::add_protection(std::size_t line, std::int32_t from, std::int32_t to,
                                std::int64_t current, core::DiagnosticList& problems) {
  const auto& spec = model_.lines[line];
  const model::Trip& trip = *model::trip_of(model_, spec);
  const auto where = model::location(model_, trip.where);
  if (current < 0) {
    problems.error(
        where,
        fmt::format("breaker '{}': protection devices are simulated on DC buses only", spec.id),
        "remove `trip:` from this AC breaker");
    return;
  }
  // Interrupting needs a clamp (or arc) voltage above what drives the current: the bus.
  const auto& nodes = network_.nodes;
  const double v_bus_v = std::max(nodes[static_cast<std::size_t>(from)].base_voltage_v,
                                  nodes[static_cast<std::size_t>(to)].base_voltage_v);
  if (!(trip.clamp_voltage_v > v_bus_v))
    problems.error(where,
                   fmt::format("breaker '{}': clamp_voltage {:g} V is not above its bus's {:g} V: "
                               "it could not drive the current to zero",
                               spec.id, trip.clamp_voltage_v, v_bus_v),
                   "give the MOV's (or arc's) clamp voltage, above the bus voltage (e.g. 1.5 x)");
  if (trip.rated_voltage_v > 0.0 && trip.rated_voltage_v < v_bus_v) {
    if (!trip.part.empty())
      problems.error(
          where,
          fmt::format("breaker '{}': part '{}' is rated {:g} V DC, below its bus's "
                      "{:g} V",
                      spec.id, trip.part, trip.rated_voltage_v, v_bus_v),
          fmt::format("choose a part rated for at least {:g} V DC (data/protection/)", v_bus_v));
    else
      problems.error(where,
                     fmt::format("breaker '{}': rated_voltage {:g} V is below its bus's {:g} V",
                                 spec.id, trip.rated_voltage_v, v_bus_v),
                     "choose a device rated for the bus voltage");
  }
  if (trip.di_dt_pickup_a_per_s > 0.0 && !(trip.inductance_h > 0.0))
    problems.error(where,
                   fmt::format("breaker '{}': a di/dt pickup needs the device's inductance: "
                               "without it its current is algebraic and has no rate",
                               spec.id),
                   "give `inductance` in its `trip:` (its stray inductance, e.g. 0.1 uH) or "
                   "remove `di_dt`");
  // Without inductance the current is algebraic; an ideal clamp then fixes the voltage across
  // the device and nothing in its own row fixes its current (several such devices at one node
  // over-determine that node's voltage): IDA cannot start after a trip.
  if (!(trip.inductance_h > 0.0) && !(trip.clamp_resistance_ohm > 0.0))
    problems.error(where,
                   fmt::format("breaker '{}': without `inductance` its clamp needs a "
                               "`clamp_resistance`: an ideal clamp on an algebraic current "
                               "leaves that current undetermined while it clamps",
                               spec.id),
                   "give in its `trip:` an `inductance` (its stray inductance) or a "
                   "`clamp_resistance` (the MOV's dynamic resistance, from its V-I curve)");
  if ((trip.kind == TripKind::fuse || trip.kind == TripKind::thermal_magnetic) &&
      spec.ampacity_a > 0.0 && trip.rated_current_a < spec.ampacity_a)
    problems.error(where,
                   fmt::format("breaker '{}': rated_current {:g} A is below its rating {:g} A",
                               spec.id, trip.rated_current_a, spec.ampacity_a),
                   "the device must carry the breaker's rating");
  if (trip.kind == TripKind::fuse && trip.reclose_s > 0.0)
    problems.error(where, fmt::format("breaker '{}': a fuse does not reclose", spec.id),
                   "remove `reclose`");

  Protection p;
  p.line = line;
  p.trip = &trip;
  p.from = from;
  p.to = to;
  p.current = current;
  p.element.r_on_ohm = *spec.r_ohm;
  p.element.l_h = trip.inductance_h;
  p.element.clamp = {trip.clamp_voltage_v, trip.off_resistance_ohm, trip.clamp_resistance_ohm};
  double integral_scale = 1.0;
  const double i_scale = std::max({spec.ampacity_a, trip.pickup_a, trip.rated_current_a, 1.0});
  switch (trip.kind) {
    case TripKind::solid_state:
    case TripKind::hybrid:
      p.pickup_a = trip.pickup_a;
      p.di_dt_a_per_s = trip.di_dt_pickup_a_per_s;
      p.open_delay_s = trip.delay_s + trip.commutation_s;
      p.element.integral = components::ProtectionIntegral::let_through;
      integral_scale = i_scale * i_scale * 1e-3;
      break;
    case TripKind::fuse:
      p.element.integral = components::ProtectionIntegral::melting;
      p.element.reference_a = trip.rated_current_a;
      p.integral_limit = trip.pre_arcing_i2t_a2s;
      integral_scale = trip.pre_arcing_i2t_a2s;
      break;
    case TripKind::thermal_magnetic:
      p.pickup_a = trip.pickup_a;
      p.open_delay_s = trip.delay_s;
      p.element.integral = components::ProtectionIntegral::thermal;
      p.element.reference_a = trip.thermal_pickup * trip.rated_current_a;
      p.element.tau_s = trip.thermal_time_constant_s;
      p.integral_limit = 1.0;
      break;
  }
  p.record.line = line;
  const double i0 = y0_[static_cast<std::size_t>(current)];
  // Energy: in J, its error judged against what a clamp absorbs in 10 us at the device's scale.
  p.energy = add_unknown(spec.id, "e_clamp", true,
                         std::max(trip.clamp_voltage_v * i_scale * 1e-5, 1.0), 0.0);
  // The thermal replica starts in equilibrium with the power flow's current.
  const double a0 = trip.kind == TripKind::thermal_magnetic
                        ? i0 * i0 / (p.element.reference_a * p.element.reference_a)
                        : 0.0;
  p.integral = add_unknown(spec.id,
                           trip.kind == TripKind::fuse               ? "melting_i2t"
                           : trip.kind == TripKind::thermal_magnetic ? "thermal"
                                                                     : "i2t",
                           true, integral_scale, a0);
  if (p.integral_limit > 0.0 && a0 >= p.integral_limit)
    problems.error(where,
                   fmt::format("breaker '{}' ({}) would trip on the power flow's {:.4g} A alone",
                               spec.id, kind_name(trip.kind), i0),
                   "check its rated current and thermal pickup against the load");
  // A fuse's melting integral grows whenever its current is above its rating: carrying more in
  // the power flow it would melt without a fault.
  if (trip.kind == TripKind::fuse && std::fabs(i0) > trip.rated_current_a) {
    const std::string device = trip.part.empty()
                                   ? std::string("its rated current")
                                   : fmt::format("the rated current of part '{}'", trip.part);
    problems.error(where,
                   fmt::format("breaker '{}' (fuse) carries {:.4g} A in the power flow, above {} "
                               "{:g} A",
                               spec.id, std::fabs(i0), device, trip.rated_current_a),
                   trip.part.empty() ? "choose a fuse rated for the load current"
                                     : "choose a part with a larger rated current");
  }
  if (p.pickup_a > 0.0 && std::fabs(i0) >= p.pickup_a)
    problems.error(where,
                   fmt::format("breaker '{}' carries {:.4g} A in the power flow, at or above its "
                               "pickup {:g} A",
                               spec.id, i0, p.pickup_a),
                   "raise `pickup` above the load current");
  protections_.push_back(std::move(p));
}

void NetworkDae::build_protection() {
  protection_root_ = root_names_.size();
  for (auto& p : protections_) {
    p.root = static_cast<std::int32_t>(root_names_.size());
    const std::string& id = model_.lines[p.line].id;
    for (const char* event :
         {"pickup", "-pickup", "di_dt", "-di_dt", "integral", "timer", "knee", "melting"})
      root_names_.push_back({id, event});
  }
}

double NetworkDae::protection_loss_w(std::span<const double> y) const {
  double loss_w = 0.0;
  for (const auto& p : protections_) {
    const double i = y[static_cast<std::size_t>(p.current)];
    loss_w +=
        p.open ? components::clamp_voltage(p.element.clamp, i).v * i : p.element.r_on_ohm * i * i;
  }
  return loss_w;
}

void NetworkDae::protection_root_functions(double t_s, std::span<const double> y,
                                           std::span<const double> yp, std::span<double> out) {
  for (auto& p : protections_) {
    const auto k = static_cast<std::size_t>(p.current);
    const double i = y[k];
    const double a = y[static_cast<std::size_t>(p.integral)];
    auto* g = out.data() + p.root;
    g[0] = p.pickup_a > 0.0 ? i - p.pickup_a : -1.0;
    g[1] = p.pickup_a > 0.0 ? i + p.pickup_a : 1.0;
    g[2] = p.di_dt_a_per_s > 0.0 ? yp[k] - p.di_dt_a_per_s : -1.0;
    g[3] = p.di_dt_a_per_s > 0.0 ? yp[k] + p.di_dt_a_per_s : 1.0;
    g[4] = p.integral_limit > 0.0 ? a - p.integral_limit : -1.0;
    g[5] = std::isfinite(p.timer_s) ? t_s - p.timer_s : -1.0;
    const double knee_a = components::clamp_knee_a(p.element.clamp);
    g[6] = i * i - knee_a * knee_a;
    const double melt_a =
        p.element.integral == components::ProtectionIntegral::melting ? p.element.reference_a : 0.0;
    g[7] = melt_a > 0.0 ? i * i - melt_a * melt_a : 1.0;
  }
}

void NetworkDae::observe_protection(double t_s, std::span<const double> y) {
  for (auto& p : protections_) {
    const double i = std::fabs(y[static_cast<std::size_t>(p.current)]);
    const double a = y[static_cast<std::size_t>(p.integral)];
    if (i > p.record.peak_a) {
      p.record.peak_a = i;
      p.record.peak_t_s = t_s;
    }
    if (p.pickup_a > 0.0)
      p.record.peak_over_pickup = std::max(p.record.peak_over_pickup, i / p.pickup_a);
    if (p.integral_limit > 0.0)
      p.record.integral_over_limit = std::max(p.record.integral_over_limit, a / p.integral_limit);
  }
}

// The record keeps the first trip (pickup, opening, clearing); a trip after the reclosure only
// adds when the device opened again.
void NetworkDae::record_pickup(Protection& p, double t_s, const char* cause) {
  if (p.reclosed) return;
  p.record.pickup_t_s = t_s;
  p.record.cause = cause;
}

void NetworkDae::record_open(Protection& p, double t_s) {
  (p.reclosed ? p.record.reopen_t_s : p.record.open_t_s) = t_s;
}

void NetworkDae::start_interrupting(Protection& p, double t_s, std::span<double> y) const {
  if (p.element.l_h > 0.0) return;  // a differential current: continuous through the trip
  const auto& c = p.element.clamp;
  const double dv = node_voltage(p.from, y) - node_voltage(p.to, y);
  const double r_par = c.off_ohm * c.dynamic_ohm / (c.off_ohm + c.dynamic_ohm);
  const double i_a =
      std::fabs(dv) <= c.clamp_v
          ? dv / c.off_ohm
          : std::copysign(components::clamp_knee_a(c) + (std::fabs(dv) - c.clamp_v) / r_par, dv);
  y[static_cast<std::size_t>(p.current)] = i_a;
  if (std::fabs(dv) <= c.clamp_v && p.record.cleared_t_s < 0.0) p.record.cleared_t_s = t_s;
}

bool NetworkDae::protection_events(double t_s, std::span<double> y,
                                   std::span<const int> which_roots) {
  bool changed = false;
  for (auto& p : protections_) {
    const auto r = [&](int k) {
      return which_roots[static_cast<std::size_t>(p.root) + static_cast<std::size_t>(k)];
    };
    const double i = y[static_cast<std::size_t>(p.current)];
    const bool armed = !p.open && p.pending == Protection::Pending::none;
    // Pickup: |i| or |di/dt| rising through its setting, or the integral reaching its limit.
    const char* cause = nullptr;
    if (r(0) > 0 || r(1) < 0)
      cause = p.trip->kind == TripKind::thermal_magnetic ? "magnetic" : "current";
    else if (r(2) > 0 || r(3) < 0)
      cause = "di/dt";
    else if (r(4) > 0)
      cause = p.trip->kind == TripKind::fuse ? "melted" : "thermal";
    if (armed && cause != nullptr) {
      record_pickup(p, t_s, cause);
      if (p.trip->kind == TripKind::fuse || p.open_delay_s == 0.0) {
        p.open = true;  // melts (or interrupts) at once: into its arc (or clamp)
        record_open(p, t_s);
        start_interrupting(p, t_s, y);
        changed = true;
      } else {
        p.pending = Protection::Pending::open;
        p.timer_s =
            t_s + (p.trip->kind == TripKind::thermal_magnetic ? p.trip->delay_s : p.open_delay_s);
      }
    }
    if (r(5) > 0 && p.pending != Protection::Pending::none) {
      const bool open = p.pending == Protection::Pending::open;
      p.pending = Protection::Pending::none;
      p.timer_s = std::numeric_limits<double>::infinity();
      p.open = open;
      changed = true;
      if (open) {
        record_open(p, t_s);
        start_interrupting(p, t_s, y);
      } else {
        p.reclosed = true;
        p.record.reclose_t_s = t_s;
      }
    }
    // The current falls through the clamp's knee: interrupted. A reclosure waits its dead time
    // from here.
    if (p.open && r(6) < 0 && std::fabs(i) <= components::clamp_knee_a(p.element.clamp) * 1.001) {
      if (p.record.cleared_t_s < 0.0) p.record.cleared_t_s = t_s;
      if (p.trip->reclose_s > 0.0 && !p.reclosed && p.pending == Protection::Pending::none) {
        p.pending = Protection::Pending::close;
        p.timer_s = t_s + p.trip->reclose_s;
      }
    }
  }
  return changed;
}

bool NetworkDae::protection_check(double t_s, std::span<double> y, std::span<const double> yp) {
  // A current, or its rate, that jumped past a pickup at a discontinuity (an algebraic current
  // without the device's inductance; a fault's inception, where the rate of an inductive
  // current jumps to (v - R i) / L) crossed no root: picked up here.
  bool changed = false;
  for (auto& p : protections_) {
    if (p.open || p.pending != Protection::Pending::none) continue;
    const auto k = static_cast<std::size_t>(p.current);
    const char* cause = nullptr;
    if (p.pickup_a > 0.0 && std::fabs(y[k]) >= p.pickup_a)
      cause = p.trip->kind == TripKind::thermal_magnetic ? "magnetic" : "current";
    else if (p.di_dt_a_per_s > 0.0 && std::fabs(yp[k]) >= p.di_dt_a_per_s)
      cause = "di/dt";
    if (cause == nullptr) continue;
    record_pickup(p, t_s, cause);
    if (p.open_delay_s == 0.0) {
      p.open = true;
      record_open(p, t_s);
      start_interrupting(p, t_s, y);
      changed = true;
    } else {
      p.pending = Protection::Pending::open;
      p.timer_s = t_s + p.open_delay_s;
    }
  }
  return changed;
}

std::vector<ProtectionRecord> NetworkDae::protection_records(std::span<const double> y) const {
  std::vector<ProtectionRecord> out;
  out.reserve(protections_.size());
  for (const auto& p : protections_) {
    ProtectionRecord record = p.record;
    record.clamp_energy_j = y[static_cast<std::size_t>(p.energy)];
    if (p.element.integral == components::ProtectionIntegral::let_through)
      record.let_through_a2s = y[static_cast<std::size_t>(p.integral)];
    out.push_back(std::move(record));
  }
  return out;
}

}  // namespace g2g::dynamic

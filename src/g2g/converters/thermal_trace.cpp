// Junction temperature over a load profile (docs/converters.md § Junction temperature over a load
// profile; equations: docs/devices.md § Transient thermal model).
//
// Thermal network of switch position p (one device of it; identical devices share its trace):
//   T_j,p = T_air + theta_sink(P_total) + theta_ca,p(P_p) + theta_jc,p(P_p)
// each theta a Foster network advanced exactly under a loss held over the step: the part's
// z_th_jc (or its static r_th_jc), r_th_ca (with the SPEC's heat capacity when there is no shared
// sink) and the shared sink r_th_sink (with its heat capacity) driven by the whole converter's
// loss, as evaluate() drives it in steady state. Superposing the three paths this way (each
// network driven by its own loss, the nodes not coupled) is the usual datasheet practice; it is
// exact in steady state and for the junction-to-case table as the datasheet measured it.
//
// The loss model's only temperature dependence is R_DS(on)(T_j) (devices::device_loss: the
// conduction term; switching, output-charge, dead-time and gate terms do not depend on T_j). So one
// evaluate() per distinct operating point splits each position's heating loss into a fixed part
// and I_rms^2 R_DS(on)(T), and the whole converter's loss into the positions' conduction and the
// rest; the step then solves T_j,p at the step's end against that split by Newton's method.
#include "g2g/converters/thermal_trace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace g2g::converters {
namespace {

// As devices::solve_junction: beyond t_j_max + this the loss model is meaningless.
constexpr double runaway_margin_k = 250.0;
constexpr double kelvin_offset = 273.15;
// Distinct operating points remembered (a square-wave profile alternates two).
constexpr std::size_t cache_size = 8;

// One operating point's losses, split by their dependence on the junction temperature.
struct PointLoss {
  OperatingPoint point;
  bool valid = false;
  std::vector<double> fixed_w;  // per position, per device: heating loss less conduction
  std::vector<double> i2_a2;    // per position: I_rms^2 (conduction = I_rms^2 R_DS(on)(T_j))
  double rest_w = 0.0;          // whole converter less every position's conduction
};

bool same_point(const OperatingPoint& a, const OperatingPoint& b) noexcept {
  return a.v_in_v == b.v_in_v && a.v_out_v == b.v_out_v && a.p_out_w == b.p_out_w;
}

// One switch position's thermal paths and state.
struct Position {
  const devices::Device* device = nullptr;
  int count = 1;
  devices::FosterNetwork jc;
  devices::FosterNetwork ca;
  double t_j_c = 0.0;
  double t_cap_c = 0.0;
  // Of the step being solved.
  double conduction_w = 0.0;
  double d_conduction_w_per_k = 0.0;
  double loss_w = 0.0;
  double newton_y = 0.0;  // D^-1 (-F) of the Newton pass
  double newton_z = 0.0;  // D^-1 u
};

// I_rms^2 R_DS(on)(T) and its derivative (R = R25 ((T + 273.15) / 298.15)^x, device.hpp).
void conduction(const Position& p, double i2_a2, double t_c, double& loss_w,
                double& d_loss_w_per_k) noexcept {
  loss_w = i2_a2 * devices::r_ds_on_ohm(*p.device, t_c);
  d_loss_w_per_k = loss_w * p.device->r_ds_on_exponent / std::max(t_c + kelvin_offset, 1.0);
}

[[noreturn]] void profile_error(const ConverterDesign& design, std::string message,
                                std::string fix) {
  throw DesignError(design.name, "profile",
                    fmt::format("design '{}': {}", design.name, std::move(message)),
                    std::move(fix));
}

void check_inputs(const ConverterDesign& design, std::span<const ProfileSample> profile,
                  const TraceOptions& options) {
  if (profile.empty())
    profile_error(design, "the load profile is empty", "give at least one sample");
  for (std::size_t k = 0; k < profile.size(); ++k) {
    if (!std::isfinite(profile[k].t_s))
      profile_error(design, fmt::format("profile sample {}: the time is not a number", k),
                    "give every sample a finite time");
    if (k > 0 && !(profile[k].t_s > profile[k - 1].t_s))
      profile_error(design,
                    fmt::format("profile sample {} at t = {:g} s is not after sample {} at "
                                "t = {:g} s",
                                k, profile[k].t_s, k - 1, profile[k - 1].t_s),
                    "list the samples in strictly increasing time");
  }
  const auto bad = [&](std::string_view field, double value, std::string_view fix) {
    throw DesignError(design.name, std::string(field),
                      fmt::format("design '{}': {} is {:g}", design.name, field, value),
                      std::string(fix));
  };
  if (!(design.r_th_sink_k_per_w >= 0.0))
    bad("cooling.r_th_sink", design.r_th_sink_k_per_w, "a thermal resistance >= 0 (0 = none)");
  if (!(design.cooling.r_th_ca_k_per_w >= 0.0))
    bad("cooling.r_th_ca", design.cooling.r_th_ca_k_per_w, "a thermal resistance >= 0");
  if (!(design.c_th_sink_j_per_k >= 0.0))
    bad("cooling.c_th_sink", design.c_th_sink_j_per_k, "a heat capacity > 0, or none");
  if (!(design.tau_sink_s >= 0.0))
    bad("cooling.tau_sink", design.tau_sink_s, "a time constant > 0, or none");
  if (design.c_th_sink_j_per_k > 0.0 && design.tau_sink_s > 0.0)
    bad("cooling.tau_sink", design.tau_sink_s, "give c_th_sink or tau_sink, not both");
  if (!(options.tolerance_k > 0.0))
    throw DesignError(design.name, "tolerance_k", "the trace tolerance must be positive");
  if (options.max_passes < 1)
    throw DesignError(design.name, "max_passes", "the trace needs at least one pass per step");
}

class Tracer {
 public:
  Tracer(const ConverterDesign& design, const Library& library, const TraceOptions& options)
      : design_(design), static_design_(design), library_(library), options_(options) {
    // The sink is a state of the trace, not a steady fixed point: evaluate without it.
    static_design_.r_th_sink_k_per_w = 0.0;
    t_air_c_ = design.cooling.t_ambient_c;
    sink_tau_s_ = sink_time_constant_s(design);
    if (design.r_th_sink_k_per_w > 0.0) {
      const std::array<devices::FosterTerm, 1> sink{
          devices::FosterTerm{design.r_th_sink_k_per_w, sink_tau_s_}};
      sink_ = devices::FosterNetwork(sink);
    }
  }

  JunctionTrace run(std::span<const ProfileSample> profile) {
    JunctionTrace trace;
    const std::size_t n = profile.size();
    trace.t_s.reserve(n);
    for (const ProfileSample& s : profile) trace.t_s.push_back(s.t_s);
    trace.loss_w.assign(n, 0.0);
    trace.t_sink_c.assign(n, t_air_c_);
    trace.sink_tau_s = sink_tau_s_;

    start(profile.front(), trace);
    for (PositionTrace& p : trace.positions) {
      p.t_j_c.assign(n, 0.0);
      p.loss_w.assign(n, 0.0);
    }
    record(trace, 0);
    for (std::size_t k = 0; k + 1 < n; ++k) {
      const PointLoss& loss = point_loss(profile[k], k);
      trace.loss_w[k] = solve_step(profile[k + 1].t_s - profile[k].t_s, loss, trace);
      for (std::size_t i = 0; i < positions_.size(); ++i)
        trace.positions[i].loss_w[k] = positions_[i].loss_w;
      record(trace, k + 1);
    }
    // The last sample's loss at its own temperature (nothing follows it).
    const PointLoss& last = point_loss(profile.back(), n - 1);
    double total_w = last.rest_w;
    for (std::size_t i = 0; i < positions_.size(); ++i) {
      Position& p = positions_[i];
      conduction(p, last.i2_a2[i], p.t_j_c, p.conduction_w, p.d_conduction_w_per_k);
      trace.positions[i].loss_w[n - 1] = last.fixed_w[i] + p.conduction_w;
      total_w += p.count * p.conduction_w;
    }
    trace.loss_w[n - 1] = total_w;
    finish(trace);
    return trace;
  }

 private:
  // The positions, from the first sample's evaluation, and the state at t_0.
  void start(const ProfileSample& first, JunctionTrace& trace) {
    const ConverterResult steady = evaluate_at(design_, first, 0);
    const std::size_t m = steady.switches.size();
    positions_.resize(m);
    trace.positions.resize(m);
    for (std::size_t i = 0; i < m; ++i) {
      const SwitchReport& s = steady.switches[i];
      Position& p = positions_[i];
      p.device = library_.device(s.device);
      if (p.device == nullptr)  // evaluate() found it: cannot happen
        throw DesignError(design_.name, "device", fmt::format("part '{}' vanished", s.device));
      p.count = s.count;
      const devices::Device& d = *p.device;
      if (d.z_th_jc.empty()) {
        const std::array<devices::FosterTerm, 1> jc{devices::FosterTerm{d.r_th_jc_k_per_w, 0.0}};
        p.jc = devices::FosterNetwork(jc);
      } else {
        p.jc = devices::FosterNetwork(d.z_th_jc);
      }
      // With a shared sink the capacity is the sink's; without, each device's case-to-ambient.
      const double tau_ca = design_.r_th_sink_k_per_w > 0.0 ? 0.0 : sink_tau_s_;
      const std::array<devices::FosterTerm, 1> ca{
          devices::FosterTerm{design_.cooling.r_th_ca_k_per_w, tau_ca}};
      p.ca = devices::FosterNetwork(ca);
      p.t_cap_c = std::max(d.t_j_max_c, t_air_c_) + runaway_margin_k;

      PositionTrace& out = trace.positions[i];
      out.position = s.position;
      out.device = s.device;
      out.count = s.count;
      out.t_j_max_c = d.t_j_max_c;
      out.foster = !d.z_th_jc.empty();
      out.peak_t_j_c = -std::numeric_limits<double>::infinity();
    }
    if (options_.start == TraceOptions::Start::steady) {
      // The steady evaluation (with the shared sink's fixed point) sets every pole.
      for (std::size_t i = 0; i < m; ++i) {
        const double loss_w = steady.switches[i].thermal.loss_w;
        positions_[i].jc.reset(loss_w);
        positions_[i].ca.reset(loss_w);
      }
      sink_.reset(steady.loss.total_w());
      if (!steady.thermal_ok) trace.runaway = trace.runaway || any_runaway(steady);
    }
    for (Position& p : positions_)
      p.t_j_c = t_air_c_ + sink_.rise_k() + p.ca.rise_k() + p.jc.rise_k();
  }

  static bool any_runaway(const ConverterResult& r) {
    return std::any_of(r.switches.begin(), r.switches.end(),
                       [](const SwitchReport& s) { return s.thermal.runaway; });
  }

  ConverterResult evaluate_at(const ConverterDesign& design, const ProfileSample& sample,
                              std::size_t k) const {
    try {
      return evaluate(design, library_, sample.point);
    } catch (const DesignError& e) {
      throw DesignError(
          e.design(), e.field(),
          fmt::format("profile sample {} (t = {:g} s): {}", k, sample.t_s, e.message()), e.fix());
    }
  }

  // The split losses of a sample's operating point, from the cache or one evaluation.
  const PointLoss& point_loss(const ProfileSample& sample, std::size_t k) {
    for (const PointLoss& c : cache_)
      if (c.valid && same_point(c.point, sample.point)) return c;
    PointLoss& slot = cache_[next_slot_];
    next_slot_ = (next_slot_ + 1) % cache_.size();
    const ConverterResult r = evaluate_at(static_design_, sample, k);
    ++evaluations_;
    if (r.switches.size() != positions_.size())
      throw DesignError(design_.name, "profile",
                        fmt::format("profile sample {}: the design has {} switch positions at "
                                    "this point, {} at the first",
                                    k, r.switches.size(), positions_.size()));
    slot.point = sample.point;
    slot.valid = true;
    slot.fixed_w.resize(positions_.size());
    slot.i2_a2.resize(positions_.size());
    slot.rest_w = r.loss.total_w();
    for (std::size_t i = 0; i < positions_.size(); ++i) {
      const SwitchReport& s = r.switches[i];
      const double i2 = s.stress.i_rms_a * s.stress.i_rms_a;
      const double cond_w = i2 * devices::r_ds_on_ohm(*positions_[i].device, s.thermal.t_j_c);
      slot.i2_a2[i] = i2;
      slot.fixed_w[i] = s.thermal.loss_w - cond_w;
      slot.rest_w -= s.count * s.loss.conduction_w;
    }
    return slot;
  }

  // Advances every network by dt_s under the point's loss at the end-of-step junction
  // temperatures: F_p(T) = T_p - A_p - B_p P_p(T_p) - S (rest + sum_q n_q c_q(T_q)) = 0, by
  // Newton (the Jacobian is diagonal plus the sink's rank-one coupling: Sherman-Morrison).
  // Returns the whole converter's loss over the step.
  double solve_step(double dt_s, const PointLoss& loss, JunctionTrace& trace) {
    sink_.prepare(dt_s);
    for (Position& p : positions_) {
      p.jc.prepare(dt_s);
      p.ca.prepare(dt_s);
    }
    const double s_gain = sink_.step_gain_k_per_w();
    const double sink_free = sink_.free_rise_k();
    bool converged = false;
    double total_w = 0.0;
    for (int pass = 0; pass < options_.max_passes; ++pass) {
      total_w = loss.rest_w;
      for (std::size_t i = 0; i < positions_.size(); ++i) {
        Position& p = positions_[i];
        conduction(p, loss.i2_a2[i], p.t_j_c, p.conduction_w, p.d_conduction_w_per_k);
        p.loss_w = loss.fixed_w[i] + p.conduction_w;
        total_w += p.count * p.conduction_w;
      }
      // y = D^-1 (-F), z = D^-1 u, v_q = n_q c'_q; delta = y + z S (v.y) / (1 - S v.z).
      double v_y = 0.0;
      double v_z = 0.0;
      double largest_k = 0.0;
      for (Position& p : positions_) {
        const double b = p.jc.step_gain_k_per_w() + p.ca.step_gain_k_per_w();
        const double f = p.t_j_c - t_air_c_ - p.jc.free_rise_k() - p.ca.free_rise_k() -
                         b * p.loss_w - sink_free - s_gain * total_w;
        const double diag = 1.0 - b * p.d_conduction_w_per_k;
        // A non-positive diagonal: the loss outgrows the cooling here; a plain fixed-point step.
        p.newton_y = diag > 0.0 ? -f / diag : -f;
        p.newton_z = diag > 0.0 ? 1.0 / diag : 0.0;
        v_y += p.count * p.d_conduction_w_per_k * p.newton_y;
        v_z += p.count * p.d_conduction_w_per_k * p.newton_z;
      }
      const double denominator = 1.0 - s_gain * v_z;
      const double coupling = denominator > 0.0 ? s_gain * v_y / denominator : 0.0;
      for (Position& p : positions_) {
        const double next = std::min(p.t_j_c + p.newton_y + p.newton_z * coupling, p.t_cap_c);
        largest_k = std::max(largest_k, std::abs(next - p.t_j_c));
        if (next >= p.t_cap_c) trace.runaway = true;
        p.t_j_c = next;
      }
      if (largest_k <= options_.tolerance_k) {
        converged = true;
        break;
      }
    }
    if (!converged) ++trace.unconverged_steps;
    // Commit at the final temperatures' loss, so the state is that of the loss reported.
    total_w = loss.rest_w;
    for (std::size_t i = 0; i < positions_.size(); ++i) {
      Position& p = positions_[i];
      conduction(p, loss.i2_a2[i], p.t_j_c, p.conduction_w, p.d_conduction_w_per_k);
      p.loss_w = loss.fixed_w[i] + p.conduction_w;
      total_w += p.count * p.conduction_w;
    }
    sink_.commit(total_w);
    for (Position& p : positions_) {
      p.jc.commit(p.loss_w);
      p.ca.commit(p.loss_w);
      p.t_j_c = t_air_c_ + sink_.rise_k() + p.ca.rise_k() + p.jc.rise_k();
    }
    return total_w;
  }

  void record(JunctionTrace& trace, std::size_t k) const {
    trace.t_sink_c[k] = t_air_c_ + sink_.rise_k();
    for (std::size_t i = 0; i < positions_.size(); ++i) {
      PositionTrace& out = trace.positions[i];
      const double t = positions_[i].t_j_c;
      out.t_j_c[k] = t;
      out.peak_t_j_c = std::max(out.peak_t_j_c, t);
      if (t > out.t_j_max_c && !out.over_limit) {
        out.over_limit = true;
        out.first_over_limit = k;
      }
    }
  }

  void finish(JunctionTrace& trace) const {
    trace.evaluations = evaluations_;
    for (const PositionTrace& p : trace.positions) {
      if (!p.over_limit) continue;
      trace.over_limit = true;
      trace.warnings.push_back(fmt::format(
          "{} ({}): junction above its limit {:.0f} °C from t = {:g} s, peak {:.1f} °C", p.position,
          p.device, p.t_j_max_c, trace.t_s[p.first_over_limit], p.peak_t_j_c));
    }
    if (trace.runaway)
      trace.warnings.push_back(
          "thermal runaway: the loss outgrew the cooling in some step (junctions capped at the "
          "part's limit + 250 K)");
    if (trace.unconverged_steps > 0)
      trace.warnings.push_back(
          fmt::format("{} steps stopped after {} passes without T_j settling to {:g} K",
                      trace.unconverged_steps, options_.max_passes, options_.tolerance_k));
  }

  const ConverterDesign& design_;
  ConverterDesign static_design_;
  const Library& library_;
  TraceOptions options_;
  double t_air_c_ = 0.0;
  double sink_tau_s_ = 0.0;
  devices::FosterNetwork sink_;  // empty (zero rise) without a shared sink
  std::vector<Position> positions_;
  std::array<PointLoss, cache_size> cache_{};
  std::size_t next_slot_ = 0;
  std::size_t evaluations_ = 0;
};

}  // namespace

double sink_time_constant_s(const ConverterDesign& design) noexcept {
  if (design.tau_sink_s > 0.0) return design.tau_sink_s;
  if (!(design.c_th_sink_j_per_k > 0.0)) return 0.0;
  const double r =
      design.r_th_sink_k_per_w > 0.0 ? design.r_th_sink_k_per_w : design.cooling.r_th_ca_k_per_w;
  return r * design.c_th_sink_j_per_k;
}

JunctionTrace junction_trace(const ConverterDesign& design, const Library& library,
                             std::span<const ProfileSample> profile, const TraceOptions& options) {
  check_inputs(design, profile, options);
  Tracer tracer(design, library, options);
  return tracer.run(profile);
}

}  // namespace g2g::converters

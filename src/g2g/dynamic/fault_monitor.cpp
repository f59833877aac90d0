#include "g2g/dynamic/fault_monitor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace g2g::dynamic {

FaultMonitor::FaultMonitor(const Scenario& scenario, const model::ModelSpec& model,
                           const NetworkDae& dae)
    : model_(model), dae_(dae) {
  for (std::size_t b = 0; b < model.buses.size(); ++b)
    if (model.buses[b].kind == model::BusKind::dc)
      dc_buses_.push_back(static_cast<model::BusIndex>(b));
  last_v_.assign(dc_buses_.size(), 0.0);
  watches_.resize(std::min(scenario.faults.size(), dae.fault_count()));
  for (std::size_t k = 0; k < watches_.size(); ++k) {
    const Fault& f = scenario.faults[k];
    FaultSummary& out = watches_[k].out;
    out.id = f.id;
    out.place = f.bus ? fmt::format("bus {}", f.bus->text)
                      : fmt::format("line {} at {:g}", f.line ? f.line->text : "", f.at);
    out.resistance_ohm = f.resistance_ohm;
    out.time_s = f.time_s;
    out.clear_s = f.clear_s;
    out.dip_threshold = f.dip_threshold;
  }
}

void FaultMonitor::begin(Watch& w, double t_s, std::span<const double> y) {
  w.begun = true;
  w.inception_s = t_s;
  w.lines_j = dae_.line_loss_energy_j(y);
  w.esr_j = dae_.esr_loss_energy_j(y);
  // The buses just before inception: the last sample's voltages.
  for (std::size_t b = 0; b < dc_buses_.size(); ++b) {
    if (!(last_v_[b] > 0.0)) continue;  // a dead bus
    BusDip dip;
    dip.bus = model_.buses[static_cast<std::size_t>(dc_buses_[b])].id;
    dip.v_before_v = last_v_[b];
    dip.lowest_v = last_v_[b];
    dip.lowest_t_s = t_s;
    w.out.dips.push_back(std::move(dip));
  }
}

void FaultMonitor::add(double t_s, std::span<const double> y, std::span<const double> yp) {
  if (watches_.empty()) return;  // the bus voltages kept below serve the watches alone
  for (std::size_t k = 0; k < watches_.size(); ++k) {
    Watch& w = watches_[k];
    if (!w.begun && !dae_.fault_active(k)) continue;
    if (!w.begun) begin(w, t_s, y);
    FaultSummary& out = w.out;
    const double i_a = std::fabs(dae_.fault_current_a(k, y));
    if (i_a > out.peak_a) {
      out.peak_a = i_a;
      out.peak_t_s = t_s;
    }
    if (dae_.fault_active(k)) {
      const double rate = std::fabs(dae_.fault_current_rate_a_per_s(k, yp));
      if (rate > out.max_di_dt_a_per_s) {
        out.max_di_dt_a_per_s = rate;
        out.max_di_dt_t_s = t_s;
      }
    }
    w.t_s.push_back(t_s);
    w.current_a.push_back(i_a);
    // The dips: lowest voltage, and the time below the threshold (linear between samples).
    std::size_t d = 0;
    for (std::size_t b = 0; b < dc_buses_.size() && d < out.dips.size(); ++b) {
      const auto& id = model_.buses[static_cast<std::size_t>(dc_buses_[b])].id;
      if (out.dips[d].bus != id) continue;
      BusDip& dip = out.dips[d++];
      const double nominal_v =
          model_.buses[static_cast<std::size_t>(dc_buses_[b])].nominal_voltage_v;
      const double v = dae_.bus_voltage_pu(dc_buses_[b], y) * nominal_v;
      if (v < dip.lowest_v) {
        dip.lowest_v = v;
        dip.lowest_t_s = t_s;
      }
      const double threshold_v = out.dip_threshold * dip.v_before_v;
      const double v0 = t_s > w.inception_s ? last_v_[b] : v;
      const double dt_s = t_s - std::max(last_t_s_, w.inception_s);
      if (dt_s > 0.0) {
        if (v0 < threshold_v && v < threshold_v)
          dip.below_s += dt_s;
        else if ((v0 < threshold_v) != (v < threshold_v))
          dip.below_s +=
              dt_s * (v0 < threshold_v ? threshold_v - v0 : threshold_v - v) / std::fabs(v - v0);
      }
    }
  }
  for (std::size_t b = 0; b < dc_buses_.size(); ++b) {
    const double nominal_v = model_.buses[static_cast<std::size_t>(dc_buses_[b])].nominal_voltage_v;
    last_v_[b] = dae_.bus_voltage_pu(dc_buses_[b], y) * nominal_v;
  }
  last_t_s_ = t_s;
}

void FaultMonitor::finish(SimulationSummary& summary, std::span<const double> y_end) const {
  for (std::size_t k = 0; k < watches_.size(); ++k) {
    const Watch& w = watches_[k];
    FaultSummary out = w.out;
    if (!w.begun) {  // the run ended (or was cancelled) before its inception
      summary.faults.push_back(std::move(out));
      continue;
    }
    for (BusDip& dip : out.dips) dip.depth = 1.0 - dip.lowest_v / dip.v_before_v;
    out.i2t_a2s = dae_.fault_i2t_a2s(k, y_end);
    out.fault_energy_j = dae_.fault_energy_j(k, y_end);
    out.lines_energy_j = dae_.line_loss_energy_j(y_end) - w.lines_j;
    out.esr_energy_j = dae_.esr_loss_energy_j(y_end) - w.esr_j;
    // Cleared: the last sample above the threshold, then the crossing below it.
    const double threshold_a = fault_cleared_share * out.peak_a;
    std::size_t last_above = w.t_s.size();
    for (std::size_t j = w.t_s.size(); j-- > 0;)
      if (w.current_a[j] > threshold_a) {
        last_above = j;
        break;
      }
    if (out.peak_a > 0.0 && last_above + 1 < w.t_s.size()) {
      const double i0 = w.current_a[last_above], i1 = w.current_a[last_above + 1];
      const double t0 = w.t_s[last_above], t1 = w.t_s[last_above + 1];
      const double t_clear = i0 == i1 ? t1 : t0 + (t1 - t0) * (i0 - threshold_a) / (i0 - i1);
      out.clearing_s = t_clear - w.inception_s;
    }
    // Ride-through of every converter with undervoltage_off: it did not ride through when it
    // turned off after inception, on its own undervoltage or because one upstream of it did.
    for (const HoldUpCheck& h : summary.hold_up) {
      FaultRideThrough r;
      r.element = h.element;
      r.hold_up_s = h.hold_up_s;
      if (out.clearing_s) r.hold_up_covers_clearing = h.hold_up_s >= *out.clearing_s;
      for (const ModeChange& change : dae_.mode_changes()) {
        if (change.load || change.on || change.t_s < w.inception_s) continue;
        if (model_.converters[change.element].id != h.element) continue;
        r.off_s = change.t_s;
        r.rode_through = false;
        break;
      }
      out.ride_through.push_back(std::move(r));
    }
    summary.faults.push_back(std::move(out));
  }
}

}  // namespace g2g::dynamic

// The page of a time-domain run: dynamic::SimulationSummary laid out in the report's frame (style
// sheet, inlined Chart.js with chartjs-plugin-zoom), then one chart per signal group drawn by
// dynamic.js from the envelopes embedded as #g2g-simulation-data. docs/report.md, "Simulations".
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "g2g/dynamic/fault_figures.hpp"
#include "g2g/report/assets.hpp"
#include "g2g/report/format.hpp"
#include "g2g/report/html_common.hpp"
#include "g2g/report/report.hpp"

namespace g2g::report {

namespace {

using page::dash;
using page::esc;

// Figures as the page shows them; a dash for a number that is not finite.
std::string watts(double value) {
  return std::isfinite(value) ? detail::format_power(value, 4) : std::string(dash);
}
std::string joules(double value) {
  return std::isfinite(value) ? detail::format_si(value, "J", 4) : std::string(dash);
}
std::string seconds(double value) {
  return std::isfinite(value) ? detail::format_trimmed(value, 6) + " s" : std::string(dash);
}
std::string ms(double s) {
  return std::isfinite(s) ? detail::format_trimmed(1e3 * s, 4) + " ms" : std::string(dash);
}
// An event's time to the microsecond within a run of seconds: a protection device's pickup,
// opening and clearing are microseconds apart.
std::string ms_event(double s) {
  return std::isfinite(s) ? detail::format_trimmed(1e3 * s, 7) + " ms" : std::string(dash);
}
std::string ramp(double w_per_s) {
  return std::isfinite(w_per_s) ? detail::format_si(w_per_s, "W/s", 4) : std::string(dash);
}
std::string share(double fraction) {
  return std::isfinite(fraction) ? detail::format_percent(fraction, 1) : std::string(dash);
}

// A value in the unit a limit check states ("W", "W/s", "" for a band's share).
std::string limit_value(double value, const std::string& unit) {
  if (!std::isfinite(value)) return std::string(dash);
  if (unit.empty()) return share(value);
  return detail::format_si(value, unit, 4);
}

std::string met(bool yes) {
  return yes ? "<span class=\"verdict verdict-consistent\">met</span>"
             : "<span class=\"verdict verdict-overstated\">not met</span>";
}

std::string band_name(const dynamic::FrequencyBand& band) {
  return fmt::format("{} – {} Hz", detail::format_trimmed(band.low_hz, 4),
                     detail::format_trimmed(band.high_hz, 4));
}

// A number for a chart: 7 significant digits (a pixel is 1/2,000 of an axis; 1e-7 of a value is
// far below it), which halves the page's size against the 17 of a round trip.
double chart_number(double value) {
  if (!std::isfinite(value) || value == 0.0) return value;
  // Powers of ten up to 1e22 are exact doubles, so the division or product rounds only once and
  // the result prints as its 7 digits.
  const int decimals = 6 - static_cast<int>(std::floor(std::log10(std::fabs(value))));
  if (decimals > 22 || decimals < -22) return value;
  if (decimals >= 0) {
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
  }
  const double step = std::pow(10.0, -decimals);
  return std::round(value / step) * step;
}

std::vector<double> chart_numbers(const std::vector<double>& values) {
  std::vector<double> out;
  out.reserve(values.size());
  for (const double v : values) out.push_back(chart_number(v));
  return out;
}

// The envelopes for dynamic.js: the signals, and the groups (one chart each) in the order they
// first appear.
nlohmann::json chart_data(const dynamic::SimulationSummary& s,
                          std::span<const dynamic::Envelope> signals) {
  nlohmann::json groups = nlohmann::json::array();
  std::vector<std::string> group_names;
  nlohmann::json out_signals = nlohmann::json::array();
  for (std::size_t i = 0; i < signals.size(); ++i) {
    const dynamic::Envelope& e = signals[i];
    const std::string group = e.group.empty() ? std::string("Signals") : e.group;
    std::size_t g = 0;
    while (g < group_names.size() && group_names[g] != group) ++g;
    if (g == group_names.size()) {
      group_names.push_back(group);
      groups.push_back({{"name", group}, {"signals", nlohmann::json::array()}});
    }
    groups[g]["signals"].push_back(i);
    nlohmann::json levels = nlohmann::json::array();
    for (const dynamic::EnvelopeLevel& l : e.levels)
      levels.push_back({{"bucket_s", l.bucket_s},
                        {"t_s", chart_numbers(l.t_s)},
                        {"min", chart_numbers(l.min)},
                        {"max", chart_numbers(l.max)}});
    out_signals.push_back({{"name", e.name}, {"unit", e.unit}, {"levels", std::move(levels)}});
  }
  return {{"t_begin_s", s.t_begin_s},
          {"t_end_s", s.t_end_s},
          {"groups", std::move(groups)},
          {"signals", std::move(out_signals)}};
}

class SimulationPage {
 public:
  SimulationPage(const dynamic::SimulationSummary& s, std::span<const dynamic::Envelope> signals)
      : s_(s), signals_(signals) {}

  std::string render() {
    const std::string title = fmt::format("Simulation: {}", page::or_else(s_.model_name, "model"));
    page::append_page_head(out_, title);
    header(title);
    out_ += "<main>\n";
    grid_power();
    limits();
    voltage_and_drops();
    storage();
    stability();
    integrator();
    time_domain();
    out_ += "</main>\n<footer>\n";
    out_ += fmt::format(
        "<p>Generated by grid2gpu from a time-domain run ({}). Every figure above is taken at "
        "every integrator step and event; the charts draw each recorded signal's min/max "
        "envelope per time bucket. Self-contained: no network access is needed to read this "
        "file.</p>\n",
        esc(aggregation()));
    page::append_page_tail(out_, "g2g-simulation-data", chart_data(s_, signals_),
                           assets::dynamic_js());
    return std::move(out_);
  }

 private:
  [[nodiscard]] std::string aggregation() const {
    return s_.aggregation.empty() || s_.aggregation == "none"
               ? std::string("full detail, no aggregation")
               : "aggregated: " + s_.aggregation;
  }

  void header(const std::string& title) {
    out_ += "<header class=\"page-header\">\n";
    out_ += fmt::format("<h1>{}</h1>\n", esc(title));
    out_ += fmt::format("<p class=\"subtitle\">Scenario {} · {} to {} · {} unknowns</p>\n",
                        esc(page::or_else(s_.scenario_name, "(unnamed)")),
                        esc(seconds(s_.t_begin_s)), esc(seconds(s_.t_end_s)),
                        detail::format_grouped(static_cast<double>(s_.unknowns)));
    out_ += fmt::format("<p class=\"subtitle\" id=\"sim-aggregation\"><strong>{}</strong></p>\n",
                        esc(aggregation()));
    out_ +=
        "<nav class=\"toc\"><a href=\"#sim-grid\">Grid power</a><a href=\"#sim-limits\">Limits</a>"
        "<a href=\"#sim-voltage\">Voltage and dropped loads</a><a href=\"#sim-storage\">Storage"
        "</a><a href=\"#sim-stability\">Stability</a><a href=\"#sim-integrator\">Integrator</a>"
        "<a href=\"#sim-time\">Time domain</a></nav>\n</header>\n";
  }

  void row(std::string_view label, const std::string& value) {
    out_ += fmt::format("<tr><th>{}</th><td class=\"num\">{}</td></tr>\n", esc(label), esc(value));
  }

  void grid_power() {
    const dynamic::PowerMetrics& m = s_.grid_power;
    out_ += "<section id=\"sim-grid\">\n<h2>What the grid sees</h2>\n";
    out_ += "<table class=\"data narrow\">\n<tbody>\n";
    row("Peak", fmt::format("{} at {}", watts(m.peak_w), seconds(m.peak_time_s)));
    row("Minimum", fmt::format("{} at {}", watts(m.min_w), seconds(m.min_time_s)));
    row("Dynamic range",
        fmt::format("{} ({} of peak)", watts(m.range_w), share(m.range_percent_of_peak / 100.0)));
    row("Mean", watts(m.mean_w));
    const auto ramp_text = [&](const std::optional<dynamic::Ramp>& r) {
      return r ? fmt::format("{} from {}", ramp(r->rate_w_per_s), seconds(r->start_s))
               : fmt::format("{} (run shorter than the window)", dash);
    };
    row(fmt::format("Largest ramp up over {}", seconds(m.ramp_window_s)),
        ramp_text(m.largest_ramp_up));
    row(fmt::format("Largest ramp down over {}", seconds(m.ramp_window_s)),
        ramp_text(m.largest_ramp_down));
    row("Samples (steps and events)", detail::format_grouped(static_cast<double>(m.samples)));
    out_ += "</tbody>\n</table>\n";

    if (m.bands.empty()) {
      out_ += "<p class=\"note\">Too few samples for a spectrum.</p>\n</section>\n";
      return;
    }
    out_ += "<h3>Spectrum of grid power against the mask</h3>\n";
    out_ +=
        "<table class=\"data narrow\">\n<thead><tr><th>Band</th><th>Share of AC energy</th>"
        "<th>Mask limit</th><th>Within</th></tr></thead>\n<tbody>\n";
    for (const dynamic::BandEnergy& b : m.bands)
      out_ += fmt::format(
          "<tr><th>{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
          esc(band_name(b.band)), esc(share(b.share)),
          b.band.max_share ? esc(share(*b.band.max_share)) : std::string("none"),
          b.band.max_share ? met(b.within_limit) : std::string(dash));
    out_ += fmt::format(
        "<tr><th>above {} Hz</th><td class=\"num\">{}</td><td class=\"num\">none</td><td>{}</td>"
        "</tr>\n</tbody>\n</table>\n",
        esc(detail::format_trimmed(m.bands.back().band.high_hz, 4)),
        esc(share(m.share_above_bands)), dash);
    out_ += fmt::format(
        "<p class=\"note\">Mask {}. Shares of the AC energy (mean removed), from grid power "
        "resampled at {} ({} points).</p>\n</section>\n",
        m.mask_met ? "met in every band" : "<strong>not met</strong>",
        esc(detail::format_si(m.resample_rate_hz, "Hz", 4)),
        detail::format_grouped(static_cast<double>(m.resampled_points)));
  }

  void limits() {
    out_ += "<section id=\"sim-limits\">\n<h2>Grid limits</h2>\n";
    if (s_.limits.empty()) {
      out_ += "<p class=\"note\">The scenario states no grid limit.</p>\n</section>\n";
      return;
    }
    out_ +=
        "<table class=\"data narrow\">\n<thead><tr><th>Limit</th><th>Run</th><th>Limit</th>"
        "<th>Verdict</th></tr></thead>\n<tbody>\n";
    for (const dynamic::GridLimitCheck& l : s_.limits)
      out_ += fmt::format(
          "<tr><th>{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
          esc(page::humanise(l.limit)), esc(limit_value(l.value, l.unit)),
          esc(limit_value(l.limit_value, l.unit)), met(l.met));
    out_ += "</tbody>\n</table>\n</section>\n";
  }

  void voltage_and_drops() {
    out_ += "<section id=\"sim-voltage\">\n<h2>Lowest voltage and dropped loads</h2>\n";
    if (s_.lowest_voltage) {
      const dynamic::LowestVoltage& v = *s_.lowest_voltage;
      out_ += fmt::format(
          "<p>Lowest bus voltage: <strong>{}</strong> ({}) at bus <code>{}</code>, at {}.</p>\n",
          esc(detail::format_voltage(v.v_v, 4)), esc(detail::format_percent(v.v_pu, 1)), esc(v.bus),
          esc(seconds(v.t_s)));
    } else {
      out_ += "<p class=\"note\">No bus voltage was recorded.</p>\n";
    }
    hold_up();
    backup();
    faults();
    protection();
    selectivity();
    converter_limits();
    if (s_.dropped_loads.empty()) {
      out_ += "<p>No load dropped.</p>\n</section>\n";
      return;
    }
    out_ += fmt::format("<p><strong>{} load{} dropped</strong> (undervoltage turn-off):</p>\n",
                        s_.dropped_loads.size(), s_.dropped_loads.size() == 1 ? "" : "s");
    out_ +=
        "<table class=\"data narrow\">\n<thead><tr><th>Element</th><th>Off at</th><th>On again "
        "at</th><th>Off for</th></tr></thead>\n<tbody>\n";
    for (const dynamic::LoadDrop& d : s_.dropped_loads)
      out_ += fmt::format(
          "<tr><th><code>{}</code></th><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td></tr>\n",
          esc(d.element), esc(seconds(d.off_s)),
          d.on_s ? esc(seconds(*d.on_s)) : std::string("still off at the end"),
          esc(seconds(dynamic::off_duration_s(d, s_.t_end_s))) + (d.on_s ? "" : " or more"));
    out_ += "</tbody>\n</table>\n</section>\n";
  }

  // Per converter with undervoltage_off: its DC link's hold-up against ORv3 HPR, both ways.
  // Hold-up times are milliseconds and link capacitors millifarads: shown in those units.
  void hold_up() {
    if (s_.hold_up.empty()) return;
    out_ += fmt::format(
        "<p>Hold-up of the converters with an undervoltage turn-off, against ORv3 HPR ({} at "
        "full load, {}): the input DC link's energy C (V<sub>start</sub><sup>2</sup> − "
        "V<sub>off</sub><sup>2</sup>) / 2, the time it carries the rated power, and how long "
        "the converter held in this run from the dip's start (input below 90 % of its start) "
        "to its turn-off.</p>\n",
        esc(ms(dynamic::orv3_hpr_hold_up_s)), esc(joules(dynamic::orv3_hpr_hold_up_energy_j)));
    out_ +=
        "<table class=\"data narrow\">\n<thead><tr><th>Converter</th><th>Input C</th>"
        "<th>V start → off</th><th>Energy</th><th>Hold-up at rating</th><th>20 ms</th>"
        "<th>60 J</th><th>Held in the run</th></tr></thead>\n<tbody>\n";
    for (const dynamic::HoldUpCheck& h : s_.hold_up) {
      const auto held = dynamic::held_s(h);
      out_ += fmt::format(
          "<tr><th><code>{}</code></th><td class=\"num\">{} mF</td><td class=\"num\">{} → {}"
          "</td><td class=\"num\">{}</td><td class=\"num\">{} at {}</td><td>{}</td><td>{}</td>"
          "<td class=\"num\">{}</td></tr>\n",
          esc(h.element), esc(detail::format_trimmed(1e3 * h.input_capacitance_f, 4)),
          esc(detail::format_voltage(h.v_start_v, 4)), esc(detail::format_voltage(h.v_off_v, 4)),
          esc(joules(h.energy_j)), esc(ms(h.hold_up_s)), esc(watts(h.rated_power_w)),
          met(h.meets_time), met(h.meets_energy),
          held ? esc(fmt::format("{} (off at {})", ms(*held), seconds(*h.off_s)))
               : std::string("held"));
    }
    out_ += "</tbody>\n</table>\n";
  }

  // Per battery backup unit: when it turned on and how soon it carried its bus's load, against
  // ORv3 HPR's 4 ms.
  void backup() {
    if (s_.backup.empty()) return;
    out_ += fmt::format(
        "<p>Battery backup units, against ORv3 HPR (on within {} of the bus falling to its "
        "trigger): when the bus fell to the trigger, and how long until the unit carried {} of "
        "its bus's load (its loads and the converters it feeds).</p>\n",
        esc(ms(dynamic::orv3_hpr_bbu_start_s)),
        esc(detail::format_percent(dynamic::backup_carry_share, 0)));
    out_ +=
        "<table class=\"data narrow\">\n<thead><tr><th>Unit</th><th>Bus</th><th>Trigger</th>"
        "<th>On at</th><th>Carried after</th><th>4 ms</th><th>Energy</th><th>Lowest bus</th>"
        "</tr></thead>\n<tbody>\n";
    for (const dynamic::BackupCheck& b : s_.backup) {
      const auto to_carry = dynamic::time_to_carry_s(b);
      out_ += fmt::format(
          "<tr><th><code>{}</code></th><td><code>{}</code></td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{} at {}</td></tr>\n",
          esc(b.element), esc(b.bus), esc(detail::format_voltage(b.trigger_v, 4)),
          b.trigger_s ? esc(seconds(*b.trigger_s)) : std::string("never"),
          to_carry ? esc(ms(*to_carry)) : std::string(dash),
          to_carry ? met(*to_carry <= dynamic::orv3_hpr_bbu_start_s) : std::string(dash),
          esc(joules(b.energy_j)), esc(detail::format_voltage(b.lowest_v, 4)),
          esc(seconds(b.lowest_t_s)));
    }
    out_ += "</tbody>\n</table>\n";
  }

  // Per scenario fault: its current, energies and the deepest dip it caused (docs/dynamic.md,
  // "Faults"). Currents in kA, di/dt in A/us, I2t in kA2s: the units fault studies use.
  void faults() {
    if (s_.faults.empty()) return;
    out_ +=
        "<p>Faults (pole to pole; energies from inception to the end of the run):</p>\n"
        "<table class=\"data narrow\">\n<thead><tr><th>Fault</th><th>Place</th><th>R</th>"
        "<th>At</th><th>Peak</th><th>Largest di/dt</th><th>I²t</th><th>Cleared after</th>"
        "<th>Into the fault</th><th>Lines</th><th>ESRs</th><th>Deepest dip</th>"
        "<th>Converters off</th></tr></thead>\n<tbody>\n";
    for (const dynamic::FaultSummary& f : s_.faults) {
      const dynamic::BusDip* deepest = dynamic::deepest_dip(f);
      const std::size_t off = dynamic::converters_off(f);
      out_ += fmt::format(
          "<tr><th><code>{}</code></th><td>{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{:.4g} kA at {}</td>"
          "<td class=\"num\">{:.4g} A/µs</td><td class=\"num\">{:.4g} kA²s</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td>{}</td><td class=\"num\">{} of {}</td></tr>\n",
          esc(f.id), esc(f.place), esc(detail::format_si(f.resistance_ohm, "Ω", 3)),
          esc(ms(f.time_s)), f.peak_a / 1e3, esc(ms(f.peak_t_s)), f.max_di_dt_a_per_s / 1e6,
          f.i2t_a2s / 1e6, f.clearing_s ? esc(ms(*f.clearing_s)) : std::string("not cleared"),
          esc(joules(f.fault_energy_j)), esc(joules(f.lines_energy_j)), esc(joules(f.esr_energy_j)),
          deepest == nullptr
              ? std::string(dash)
              : fmt::format("<code>{}</code> {}", esc(deepest->bus), esc(share(deepest->depth))),
          off, f.ride_through.size());
    }
    out_ += "</tbody>\n</table>\n";
  }

  // Per protection device that picked up or came within selectivity_near_trip of it: what it
  // did and what it carried; the rest are counted (every device is in the summary JSON).
  void protection() {
    if (s_.protection.empty()) return;
    std::vector<const dynamic::ProtectionSummary*> shown;
    for (const dynamic::ProtectionSummary& p : s_.protection)
      if (p.pickup_s ||
          std::max(p.peak_over_pickup, p.integral_over_limit) >= dynamic::selectivity_near_trip)
        shown.push_back(&p);
    const std::size_t quiet = s_.protection.size() - shown.size();
    out_ += fmt::format(
        "<p>Protection devices: {} picked up or came within {:.0f} % of tripping{}.</p>\n",
        shown.size(), 100.0 * dynamic::selectivity_near_trip,
        quiet > 0 ? fmt::format(", {} more stayed below", quiet) : std::string());
    if (shown.empty()) return;
    out_ +=
        "<table class=\"data narrow\">\n<thead><tr><th>Device</th><th>Kind</th><th>Cause</th>"
        "<th>Picked up</th><th>Opened</th><th>Cleared</th><th>Reclosed</th><th>Opened again</th>"
        "<th>Peak</th><th>Of pickup</th><th>Of its limit</th><th>Clamp energy</th>"
        "<th>I²t let-through</th></tr></thead>\n<tbody>\n";
    const auto at = [](const std::optional<double>& t_s) {
      return t_s ? esc(ms_event(*t_s)) : std::string(dash);
    };
    for (const auto* p : shown)
      out_ += fmt::format(
          "<tr><th><code>{}</code></th><td>{}</td><td>{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{:.4g} kA at {}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td></tr>\n",
          esc(p->element), esc(p->kind), p->cause.empty() ? std::string(dash) : esc(p->cause),
          at(p->pickup_s), at(p->open_s),
          p->open_s && !p->cleared_s ? std::string("<strong>not cleared</strong>")
                                     : at(p->cleared_s),
          at(p->reclose_s), at(p->reopen_s), p->peak_a / 1e3, esc(ms_event(p->peak_t_s)),
          p->peak_over_pickup > 0.0 ? esc(share(p->peak_over_pickup)) : std::string(dash),
          p->integral_over_limit > 0.0 ? esc(share(p->integral_over_limit)) : std::string(dash),
          esc(joules(p->clamp_energy_j)),
          p->let_through_a2s > 0.0 ? fmt::format("{:.4g} kA²s", p->let_through_a2s / 1e6)
                                   : std::string(dash));
    out_ += "</tbody>\n</table>\n";
  }

  // Per interruption: the device that cleared, and every other that opened or came near.
  void selectivity() {
    if (s_.selectivity.empty()) return;
    out_ +=
        "<p>Selectivity (per interruption; \"near\": within 80 % of its pickup or limit):</p>\n"
        "<table class=\"data narrow\">\n<thead><tr><th>Cleared by</th><th>Picked up at</th>"
        "<th>Cleared in</th><th>Clamp energy</th><th>Also opened</th><th>Near</th>"
        "<th>Converters off</th><th>Selective</th></tr></thead>\n<tbody>\n";
    const auto list = [](const std::vector<std::string>& items) {
      return items.empty() ? std::string(dash) : esc(fmt::format("{}", fmt::join(items, ", ")));
    };
    for (const dynamic::SelectivityRow& r : s_.selectivity)
      out_ += fmt::format(
          "<tr><th><code>{}</code></th><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
          esc(r.cleared_by), esc(ms(r.pickup_s)), esc(ms(r.clearing_time_s)),
          esc(joules(r.clamp_energy_j)), list(r.also_tripped), list(r.near_trip),
          list(r.converters_off), r.selective ? "yes" : "<strong>no</strong>");
    out_ += "</tbody>\n</table>\n";
  }

  // Converters as protective elements: the devices that the current-limited converters feeding
  // them can never trip, a row each, and a count of the rest.
  void converter_limits() {
    if (s_.converter_limits.empty()) return;
    std::size_t within = 0, unbounded = 0;
    std::vector<const dynamic::ConverterLimitSummary*> never;
    for (const dynamic::ConverterLimitSummary& c : s_.converter_limits) {
      if (c.never_tripped)
        never.push_back(&c);
      else
        ++(c.unlimited.empty() && !c.converters.empty() ? within : unbounded);
    }
    out_ += fmt::format(
        "<p>Converter current limits against the protection devices: {} device{} the converters "
        "feeding {} can trip, {} fed also without a limit (a source, storage or an unlimited "
        "converter), <strong>{} never tripped</strong> by them.</p>\n",
        within, within == 1 ? "" : "s", within == 1 ? "it" : "them", unbounded, never.size());
    if (never.empty()) return;
    out_ +=
        "<table class=\"data narrow\">\n<thead><tr><th>Device</th><th>Trips above</th>"
        "<th>Converters feeding it (current limit)</th><th>Their limits summed</th></tr>"
        "</thead>\n<tbody>\n";
    for (const auto* c : never) {
      std::vector<std::string> limited;
      for (std::size_t k = 0; k < c->converters.size(); ++k)
        limited.push_back(fmt::format("{} ({:.4g} A)", c->converters[k], c->converter_limits_a[k]));
      out_ += fmt::format(
          "<tr><th><code>{}</code></th><td class=\"num\">{:.4g} A</td><td>{}</td>"
          "<td class=\"num\">{:.4g} A</td></tr>\n",
          esc(c->device), c->trip_threshold_a, esc(fmt::format("{}", fmt::join(limited, ", "))),
          c->limit_a);
    }
    out_ +=
        "</tbody>\n</table>\n<p class=\"note\">Only the DC links' discharge, a transient, can "
        "open these devices: the converters' limits, not the devices, protect those branches "
        "against a sustained fault.</p>\n";
  }

  void storage() {
    out_ += "<section id=\"sim-storage\">\n<h2>Storage and the energy spent on smoothing</h2>\n";
    if (!s_.storage.empty()) {
      out_ +=
          "<table class=\"data narrow\">\n<thead><tr><th>Storage</th><th>Charged</th>"
          "<th>Discharged</th><th>SOC range</th><th>SOC begin → end</th><th>Loss</th></tr>"
          "</thead>\n<tbody>\n";
      for (const dynamic::StorageSummary& st : s_.storage)
        out_ += fmt::format(
            "<tr><th><code>{}</code></th><td class=\"num\">{}</td><td class=\"num\">{}</td>"
            "<td class=\"num\">{} – {}</td><td class=\"num\">{} → {}</td><td class=\"num\">{}"
            "</td></tr>\n",
            esc(st.element), esc(joules(st.charged_j)), esc(joules(st.discharged_j)),
            esc(share(st.soc_min)), esc(share(st.soc_max)), esc(share(st.soc_begin)),
            esc(share(st.soc_end)), esc(joules(st.loss_j)));
      out_ += "</tbody>\n</table>\n";
    } else {
      out_ += "<p class=\"note\">The model has no storage.</p>\n";
    }
    out_ += "<table class=\"data narrow\">\n<tbody>\n";
    row("Burnt by the GPU power floors", joules(s_.floor_burn_energy_j));
    row("Storage losses", joules(s_.storage_loss_j));
    row("Spent on smoothing", joules(dynamic::smoothing_energy_j(s_)));
    if (s_.max_frequency_deviation_hz)
      row("Largest grid frequency deviation",
          std::isfinite(*s_.max_frequency_deviation_hz)
              ? detail::format_si(*s_.max_frequency_deviation_hz, "Hz", 4)
              : std::string(dash));
    out_ += "</tbody>\n</table>\n</section>\n";
  }

  void stability() {
    out_ += "<section id=\"sim-stability\">\n<h2>Stability and warnings</h2>\n";
    if (!s_.warnings.empty()) {
      out_ += "<ul class=\"warnings\">\n";
      for (const std::string& w : s_.warnings)
        out_ += fmt::format("<li class=\"warn\">{}</li>\n", esc(w));
      out_ += "</ul>\n";
    } else {
      out_ += "<p>No warning.</p>\n";
    }
    if (s_.least_damped_modes.empty()) {
      out_ += "<p class=\"note\">No small-signal check was run.</p>\n</section>\n";
      return;
    }
    out_ +=
        "<h3>Least-damped modes at t = 0</h3>\n<table class=\"data narrow\">\n<thead><tr>"
        "<th>Frequency</th><th>Damping ratio</th><th>Elements taking part</th></tr></thead>\n"
        "<tbody>\n";
    for (const dynamic::ModeSummary& m : s_.least_damped_modes) {
      std::string who;
      for (const std::string& p : m.participants)
        who += (who.empty() ? "" : ", ") + fmt::format("<code>{}</code>", esc(p));
      out_ +=
          fmt::format("<tr><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
                      esc(detail::format_si(m.frequency_hz, "Hz", 4)), esc(share(m.damping_ratio)),
                      who.empty() ? std::string(dash) : who);
    }
    out_ += "</tbody>\n</table>\n</section>\n";
  }

  void integrator() {
    const dynamic::IntegratorStats& st = s_.integrator;
    const auto count = [](long n) { return detail::format_grouped(static_cast<double>(n)); };
    out_ += "<section id=\"sim-integrator\">\n<h2>Integrator</h2>\n";
    out_ += "<table class=\"data narrow\">\n<tbody>\n";
    row("Steps", count(st.steps));
    row("Events (located roots)", count(st.events));
    row("Consistent initial conditions (IDACalcIC)", count(st.initial_conditions));
    row("Residual evaluations", count(st.residual_evaluations));
    row("Jacobian evaluations", count(st.jacobian_evaluations));
    row("Factorisations", count(st.factorizations));
    row("Error-test failures", count(st.error_test_failures));
    row("Nonlinear iterations", count(st.nonlinear_iterations));
    row("Nonlinear convergence failures", count(st.nonlinear_convergence_failures));
    row("Wall time", seconds(s_.wall_time_s));
    const double simulated_s = s_.t_end_s - s_.t_begin_s;
    if (s_.wall_time_s > 0.0 && std::isfinite(simulated_s))
      row("Faster than real time",
          fmt::format("{}×", detail::format_trimmed(simulated_s / s_.wall_time_s, 3)));
    out_ += "</tbody>\n</table>\n</section>\n";
  }

  void time_domain() {
    out_ += "<section id=\"sim-time\">\n<h2>Time domain</h2>\n";
    if (signals_.empty()) {
      out_ += "<p class=\"note\">No signal was recorded.</p>\n</section>\n";
      return;
    }
    out_ +=
        "<p class=\"note\">Each band spans the lowest and highest value of a signal within each "
        "time bucket. Wheel or pinch to zoom, drag to pan, shift-drag to zoom to a span; finer "
        "buckets are drawn as the span narrows. Double-click a chart to see the whole run.</p>\n";
    std::vector<std::string> groups;
    for (const dynamic::Envelope& e : signals_) {
      const std::string group = e.group.empty() ? std::string("Signals") : e.group;
      if (std::find(groups.begin(), groups.end(), group) == groups.end()) groups.push_back(group);
    }
    for (std::size_t g = 0; g < groups.size(); ++g)
      out_ += fmt::format(
          "<h3>{0}</h3>\n<figure class=\"chart\"><div class=\"chart-scroll\"><div "
          "class=\"canvas-box\"><canvas id=\"sim-chart-{1}\" class=\"sim-chart\" data-group=\"{1}\""
          " role=\"img\" aria-label=\"{0} against time\"></canvas></div></div></figure>\n",
          esc(groups[g]), g);
    out_ += "</section>\n";
  }

  const dynamic::SimulationSummary& s_;
  std::span<const dynamic::Envelope> signals_;
  std::string out_;
};

}  // namespace

std::string render_simulation_html(const dynamic::SimulationSummary& summary,
                                   std::span<const dynamic::Envelope> signals) {
  return SimulationPage(summary, signals).render();
}

}  // namespace g2g::report

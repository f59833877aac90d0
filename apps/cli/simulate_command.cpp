// `grid2gpu simulate`: a thin shell over api::simulate. It reads the model and the scenario
// (api), hands --record and --every to the API, runs with a progress line on a terminal, prints
// the summary, and writes what was asked for: the summary JSON, the recorded signals as CSV
// (streamed, written completely or not at all) and the report page.
#include "simulate_command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include "g2g/api/simulate.hpp"
#include "g2g/dynamic/fault_figures.hpp"
#include "g2g/io/simulation_json.hpp"
#include "g2g/io/storage_sizing_json.hpp"
#include "g2g/io/waveform_csv.hpp"
#include "g2g/report/report.hpp"

namespace g2g::cli {
namespace {

// The recorded signals streamed into the CSV writer, made when the columns are known.
class CsvSink final : public dynamic::SignalSink {
 public:
  explicit CsvSink(std::filesystem::path path) : path_(std::move(path)) {}
  void begin(std::span<const std::string> columns) override {
    writer_.emplace(path_, std::vector<std::string>(columns.begin(), columns.end()));
  }
  void row(double t_s, std::span<const double> values) override { writer_->add_row(t_s, values); }
  void commit() {
    if (writer_) writer_->commit();
  }

 private:
  std::filesystem::path path_;
  std::optional<io::WaveformCsvWriter> writer_;
};

// A fault: its current, energies, the deepest dips and the converters that dropped.
void print_fault(const dynamic::FaultSummary& f) {
  print_out(fmt::format("  fault {:<12} {} through {:.4g} mohm at {:.6g} s{}\n", f.id, f.place,
                        1e3 * f.resistance_ohm, f.time_s,
                        f.clear_s ? fmt::format(", extinguished at {:.6g} s", *f.clear_s) : ""));
  print_out(fmt::format(
      "    current          peak {:.6g} kA at {:.6g} s, largest di/dt {:.4g} A/us "
      "at {:.6g} s, I2t {:.6g} kA2s, {}\n",
      f.peak_a / 1e3, f.peak_t_s, f.max_di_dt_a_per_s / 1e6, f.max_di_dt_t_s, f.i2t_a2s / 1e6,
      f.clearing_s ? fmt::format("cleared {:.6g} ms after inception", 1e3 * *f.clearing_s)
                   : std::string("not cleared by the end of the run")));
  print_out(
      fmt::format("    energy           {:.6g} kJ into the fault, {:.6g} kJ in the lines, "
                  "{:.6g} kJ in ESRs\n",
                  f.fault_energy_j / 1e3, f.lines_energy_j / 1e3, f.esr_energy_j / 1e3));
  std::vector<const dynamic::BusDip*> dips;
  for (const auto& d : f.dips) dips.push_back(&d);
  std::sort(dips.begin(), dips.end(),
            [](const auto* a, const auto* b) { return a->depth > b->depth; });
  const std::size_t shown = std::min<std::size_t>(dips.size(), 5);
  for (std::size_t k = 0; k < shown; ++k)
    print_out(
        fmt::format("    dip {:<13} {:.4g} % to {:.6g} V at {:.6g} s, {:.4g} ms below {:.0f} %\n",
                    dips[k]->bus, 100.0 * dips[k]->depth, dips[k]->lowest_v, dips[k]->lowest_t_s,
                    1e3 * dips[k]->below_s, 100.0 * f.dip_threshold));
  if (dips.size() > shown)
    print_out(fmt::format("    ... {} more DC buses in the summary JSON\n", dips.size() - shown));
  const std::size_t dropped = dynamic::converters_off(f);
  if (!f.ride_through.empty())
    print_out(
        fmt::format("    ride-through     {} of {} converters with undervoltage_off rode "
                    "through{}\n",
                    f.ride_through.size() - dropped, f.ride_through.size(),
                    dropped > 0 ? fmt::format(" ({} turned off)", dropped) : ""));
}

// Converters as protective elements: the devices that the converters feeding them can never
// trip, one line each, and a count of the rest (all rows: summary.converter_limits).
void print_converter_limits(const dynamic::SimulationSummary& s) {
  std::size_t can_trip = 0, unbounded = 0;
  std::string example;
  for (const auto& row : s.converter_limits) {
    if (!row.never_tripped) {
      ++(row.unlimited.empty() && !row.converters.empty() ? can_trip : unbounded);
      if (!row.unlimited.empty() && example.empty()) example = row.unlimited;
      continue;
    }
    std::vector<std::string> limited;
    for (std::size_t k = 0; k < row.converters.size(); ++k)
      limited.push_back(fmt::format("{} {:.4g} A", row.converters[k], row.converter_limits_a[k]));
    print_out(
        fmt::format("  converter limits   {} trips above {:.4g} A, its converters give at most "
                    "{:.4g} A ({}): NEVER tripped by them (only a DC link's discharge can)\n",
                    row.device, row.trip_threshold_a, row.limit_a, fmt::join(limited, ", ")));
  }
  if (can_trip + unbounded > 0)
    print_out(fmt::format(
        "  converter limits   {} device(s) within their converters' limits, {} fed "
        "also without a limit{}\n",
        can_trip, unbounded, example.empty() ? std::string() : fmt::format(" ({})", example)));
}

void print_summary(const dynamic::SimulationSummary& s) {
  const auto& g = s.grid_power;
  print_out(fmt::format("simulate: {} / {}\n", s.model_name, s.scenario_name));
  print_out(fmt::format("  aggregation        {}\n", s.aggregation));
  print_out(
      fmt::format("  run                {:.6g} s, {} unknowns, {} steps, {} Jacobians, "
                  "{:.3g} s wall\n",
                  s.t_end_s - s.t_begin_s, s.unknowns, s.integrator.steps,
                  s.integrator.jacobian_evaluations, s.wall_time_s));
  print_out(
      fmt::format("  grid power         peak {:.6g} MW at {:.6g} s, min {:.6g} MW, range "
                  "{:.3g} % of peak\n",
                  g.peak_w / 1e6, g.peak_time_s, g.min_w / 1e6, g.range_percent_of_peak));
  if (g.largest_ramp_up)
    print_out(fmt::format("  largest ramp up    {:.6g} MW/s over {:.6g} s from {:.6g} s\n",
                          g.largest_ramp_up->rate_w_per_s / 1e6, g.ramp_window_s,
                          g.largest_ramp_up->start_s));
  if (g.largest_ramp_down)
    print_out(fmt::format("  largest ramp down  {:.6g} MW/s over {:.6g} s from {:.6g} s\n",
                          g.largest_ramp_down->rate_w_per_s / 1e6, g.ramp_window_s,
                          g.largest_ramp_down->start_s));
  for (const auto& band : g.bands)
    print_out(fmt::format("  band {:g}-{:g} Hz     {:.3g} % of the AC energy{}\n", band.band.low_hz,
                          band.band.high_hz, 100.0 * band.share,
                          band.band.max_share
                              ? (band.within_limit ? " (within the mask)" : " (ABOVE the mask)")
                              : ""));
  if (s.lowest_voltage)
    print_out(fmt::format("  lowest voltage     {:.6g} pu ({:.6g} V) at {} at {:.6g} s\n",
                          s.lowest_voltage->v_pu, s.lowest_voltage->v_v, s.lowest_voltage->bus,
                          s.lowest_voltage->t_s));
  print_out(fmt::format("  floor burn         {:.6g} kWh\n", s.floor_burn_energy_j / 3.6e6));
  for (const auto& st : s.storage)
    print_out(
        fmt::format("  storage {:<10} charged {:.6g} kWh, discharged {:.6g} kWh, SOC {:.4g} "
                    "to {:.4g} %, loss {:.6g} kWh\n",
                    st.element, st.charged_j / 3.6e6, st.discharged_j / 3.6e6, 100.0 * st.soc_min,
                    100.0 * st.soc_max, st.loss_j / 3.6e6));
  for (const auto& b : s.backup) {
    if (!b.trigger_s) {
      print_out(fmt::format("  backup {:<11} idle: {} stayed above {:.4g} V (lowest {:.6g} V)\n",
                            b.element, b.bus, b.trigger_v, b.lowest_v));
      continue;
    }
    const auto to_carry = dynamic::time_to_carry_s(b);
    print_out(fmt::format(
        "  backup {:<11} on at {:.6g} s ({} at {:.4g} V), {}, {:.6g} kJ, lowest {:.6g} V\n",
        b.element, *b.trigger_s, b.bus, b.trigger_v,
        to_carry ? fmt::format("carried {:.0f} % of the load {:.4g} ms later: {} ORv3 HPR's {:.0f} "
                               "ms",
                               100.0 * dynamic::backup_carry_share, 1e3 * *to_carry,
                               *to_carry <= dynamic::orv3_hpr_bbu_start_s ? "within" : "NOT within",
                               1e3 * dynamic::orv3_hpr_bbu_start_s)
                 : std::string("never carried the load"),
        b.energy_j / 1e3, b.lowest_v));
  }
  // The devices that picked up or came near it; the rest are counted (all are in the JSON).
  std::size_t quiet = 0;
  for (const auto& p : s.protection) {
    if (!p.pickup_s &&
        std::max(p.peak_over_pickup, p.integral_over_limit) < dynamic::selectivity_near_trip) {
      ++quiet;
      continue;
    }
    if (!p.open_s) {
      print_out(fmt::format("  protection {:<8} closed: peak {:.6g} A ({:.0f} % of pickup{})\n",
                            p.element, p.peak_a, 100.0 * p.peak_over_pickup,
                            p.integral_over_limit > 0.0 ? fmt::format(", {:.0f} % of its limit",
                                                                      100.0 * p.integral_over_limit)
                                                        : std::string()));
      continue;
    }
    std::string reclosure;
    if (p.reclose_s)
      reclosure = fmt::format(
          ", reclosed at {:.6g} s{}", *p.reclose_s,
          p.reopen_s ? fmt::format(", opened again at {:.6g} s", *p.reopen_s) : std::string());
    print_out(
        fmt::format("  protection {:<8} {} ({}) opened at {:.6g} s{}{}, clamp {:.6g} J, peak "
                    "{:.6g} A\n",
                    p.element, p.kind, p.cause, *p.open_s,
                    p.cleared_s ? fmt::format(", cleared at {:.6g} s", *p.cleared_s)
                                : std::string(", NOT cleared by the end"),
                    reclosure, p.clamp_energy_j, p.peak_a));
  }
  if (quiet > 0)
    print_out(
        fmt::format("  protection         {} more device(s) stayed below {:.0f} % of tripping\n",
                    quiet, 100.0 * dynamic::selectivity_near_trip));
  for (const auto& r : s.selectivity)
    print_out(fmt::format(
        "  selectivity        {} cleared in {:.4g} us ({:.4g} J into its clamp): {}{}{}\n",
        r.cleared_by, 1e6 * r.clearing_time_s, r.clamp_energy_j,
        r.selective
            ? "selective"
            : fmt::format("NOT selective, also tripped: {}", fmt::join(r.also_tripped, ", ")),
        r.near_trip.empty()
            ? std::string()
            : fmt::format("; within {:.0f} % of tripping: {}",
                          100.0 * dynamic::selectivity_near_trip, fmt::join(r.near_trip, ", ")),
        r.converters_off.empty() ? std::string()
                                 : fmt::format("; converters off (undervoltage): {}",
                                               fmt::join(r.converters_off, ", "))));
  for (const auto& f : s.faults) print_fault(f);
  if (s.max_frequency_deviation_hz)
    print_out(fmt::format("  frequency          largest deviation {:.6g} Hz\n",
                          *s.max_frequency_deviation_hz));
  for (const auto& limit : s.limits)
    print_out(fmt::format("  limit {:<12} {:.6g} {} against {:.6g}: {}\n", limit.limit, limit.value,
                          limit.unit, limit.limit_value, limit.met ? "met" : "NOT met"));
  for (const auto& warning : s.warnings) print_out(fmt::format("  warning: {}\n", warning));
}

}  // namespace

CLI::App* add_simulate_command(CLI::App& app, SimulateCommand& c) {
  auto* command = app.add_subcommand(
      "simulate",
      "Simulate a model in time from its power flow: GPU power swings, smoothing, what the grid "
      "sees (docs/dynamic.md)");
  command->add_option("MODEL", c.model_path, "Model file (.yaml, .json)")->required();
  command->add_option("--scenario", c.scenario_path, "Scenario file (grid2gpu_scenario: 1)")
      ->required()
      ->type_name("FILE");
  add_model_options(command, c.model);
  command->add_option("--out", c.out_dir, "Write summary.json and waveforms.csv into DIR")
      ->type_name("DIR");
  command->add_option("--json", c.json_path, "Write the summary JSON")->type_name("FILE");
  command->add_option("--csv", c.csv_path, "Write the recorded signals")->type_name("FILE");
  command->add_option("--html", c.html_path, "Write the report page")->type_name("FILE");
  command
      ->add_option("--record", c.record,
                   "Signals to record, replacing the scenario's: ELEMENT.v|p|i|u|f, patterns "
                   "allowed ('row[*]/rack[0]/gpus.p'); comma-separated or repeated")
      ->delimiter(',')
      ->type_name("SIGNALS");
  command->add_option("--every", c.every, "Output step of the recorded signals ('1 ms')")
      ->type_name("TIME");
  command->add_flag("-q,--quiet", c.quiet, "Print no progress line");
  command->add_flag("--size-storage", c.size_storage,
                    "Find the smallest grid-smoothing storage that meets the scenario's grid "
                    "limits, by bisection (--json writes the study)");
  command
      ->add_option("--periods", c.periods,
                   "With --size-storage: training periods to size for ('0.1s,1s,10s')")
      ->delimiter(',')
      ->type_name("TIMES");
  return command;
}

namespace {

void print_sizing(const dynamic::SizingResult& r) {
  print_out(fmt::format("size-storage: {} sized together, {} GPU racks\n",
                        fmt::join(r.storage, ", "), r.racks));
  const double racks = r.racks > 0 ? static_cast<double>(r.racks) : 1.0;
  for (const auto& p : r.points) {
    const std::string period = p.period_s ? fmt::format("{:g} s", *p.period_s) : "scenario";
    if (p.baseline_meets) {
      print_out(
          fmt::format("  period {:<9} the limits hold without storage control (peak "
                      "{:.6g} MW)\n",
                      period, p.baseline_peak_w / 1e6));
      continue;
    }
    if (!p.feasible) {
      print_out(
          fmt::format("  period {:<9} NOT met even at {:g} x the model's storage power "
                      "({} runs)\n",
                      period, p.power_scale, p.runs));
      continue;
    }
    print_out(fmt::format(
        "  period {:<9} {:.4g} MW ({:.4g} kW per rack, {:.4g} x), {:.4g} kWh usable ({:.4g} kWh "
        "per rack, {:.4g} x), cycled {:.4g} kWh; peak {:.6g} MW without control, {:.6g} MW "
        "sized ({} runs)\n",
        period, p.power_w / 1e6, p.power_w / racks / 1e3, p.power_scale, p.usable_energy_j / 3.6e6,
        p.usable_energy_j / racks / 3.6e6, p.energy_scale, p.cycled_energy_j / 3.6e6,
        p.baseline_peak_w / 1e6, p.sized_peak_w / 1e6, p.runs));
  }
}

int run_size_storage(const SimulateCommand& c, const api::ValidatedModel& model,
                     const dynamic::Scenario& scenario) {
  if (!c.csv_path.empty() || !c.html_path.empty() || !c.record.empty() || !c.every.empty())
    throw CLI::ValidationError("--size-storage",
                               "writes its study as JSON only: drop --csv, --html, --record and "
                               "--every");
  dynamic::SizingOptions options;
  for (const auto& text : c.periods)
    options.periods_s.push_back(quantity_option("--periods", text, core::Dimension::time));
  const std::string json_path =
      !c.json_path.empty()
          ? c.json_path
          : (c.out_dir.empty() ? "" : (std::filesystem::path(c.out_dir) / "sizing.json").string());
  refuse_outputs_over_inputs({json_path}, {c.model_path, c.scenario_path});
  if (!c.out_dir.empty()) std::filesystem::create_directories(c.out_dir);
  const bool progress = !c.quiet && isatty(fileno(stderr)) != 0;
  const std::size_t points = std::max<std::size_t>(1, options.periods_s.size());
  const auto result =
      api::size_storage(model, scenario, options, [&](std::size_t point, double scale) {
        if (progress) {
          fmt::print(stderr, "\nsize-storage: point {} of {}, trying {:.4g} x      ", point + 1,
                     points, scale);
          std::fflush(stderr);
        }
        return true;
      });
  if (progress) fmt::print(stderr, "\n");
  print_sizing(result);
  if (!json_path.empty()) {
    io::write_storage_sizing_json(json_path, result);
    print_out(fmt::format("Study: {}\n", json_path));
  }
  return exit_ok;
}

}  // namespace

int run_simulate(const SimulateCommand& c) {
  const api::ModelOptions options = load_options(c.model);
  const api::ValidatedModel model = api::load_model(c.model_path, options);
  dynamic::Scenario scenario = api::load_scenario(c.scenario_path, options.allowed_paths);
  if (c.size_storage) return run_size_storage(c, model, scenario);
  if (!c.periods.empty())
    throw CLI::ValidationError("--periods", "sizes storage: give --size-storage too");
  api::SimulateOptions run_options;
  run_options.names = {"--record", "--every"};
  run_options.record = c.record;
  run_options.every = c.every;
  // Applied now, so that a bad signal or step fails before any output is created.
  api::apply_recording(scenario, run_options);
  run_options.record.clear();
  run_options.every.clear();

  const std::filesystem::path out(c.out_dir);
  const std::string json_path = !c.json_path.empty()
                                    ? c.json_path
                                    : (c.out_dir.empty() ? "" : (out / "summary.json").string());
  const std::string csv_path =
      !c.csv_path.empty()
          ? c.csv_path
          : (c.out_dir.empty() || !scenario.record ? "" : (out / "waveforms.csv").string());
  refuse_outputs_over_inputs({json_path, csv_path, c.html_path}, {c.model_path, c.scenario_path});
  if (!c.out_dir.empty()) std::filesystem::create_directories(out);

  std::unique_ptr<CsvSink> sink;
  if (!csv_path.empty() && scenario.record) sink = std::make_unique<CsvSink>(csv_path);
  run_options.sink = sink.get();
  const bool progress = !c.quiet && isatty(fileno(stderr)) != 0;
  std::int64_t steps = 0;
  const double duration_s = scenario.duration_s;
  run_options.progress = [&](double t_s) {
    if (progress && ++steps % 200 == 0) {
      fmt::print(stderr, "\rsimulate: t = {:.4g} of {:.4g} s ({:.0f} %), {} steps   ", t_s,
                 duration_s, 100.0 * t_s / duration_s, steps);
      std::fflush(stderr);
    }
    return true;
  };
  const dynamic::SimulationRun run = api::simulate(model, std::move(scenario), run_options).run;
  if (progress) fmt::print(stderr, "\n");
  if (sink) sink->commit();
  print_summary(run.summary);
  print_converter_limits(run.summary);
  if (!json_path.empty()) {
    io::write_simulation_json(json_path, run.summary);
    print_out(fmt::format("Summary: {}\n", json_path));
  }
  if (sink) print_out(fmt::format("Signals: {}\n", csv_path));
  if (!c.html_path.empty()) {
    io::write_file_atomic(c.html_path, report::render_simulation_html(run.summary, run.envelopes));
    print_out(fmt::format("Report: {}\n", c.html_path));
  }
  return exit_ok;
}

}  // namespace g2g::cli

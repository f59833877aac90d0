#include "g2g/sizing/sizing.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include "g2g/components/conductor.hpp"
#include "g2g/core/error.hpp"
#include "g2g/steady/solver.hpp"

namespace g2g::sizing {

// Sizing builds no per-line text (size_label() and note() do, on demand): a LineSizing holds
// nothing a sweep would have to allocate.
static_assert(std::is_trivially_copyable_v<LineSizing>);

std::string_view name(DcBusbarRating rating) noexcept {
  return rating == DcBusbarRating::ac_column ? "ac_column" : "dc_column";
}

std::optional<DcBusbarRating> parse_dc_busbar_rating(std::string_view text) noexcept {
  if (text == "dc_column" || text == "dc") return DcBusbarRating::dc_column;
  if (text == "ac_column" || text == "ac") return DcBusbarRating::ac_column;
  return std::nullopt;
}

std::string_view name(NeutralRule rule) noexcept {
  return rule == NeutralRule::full ? "full" : "none";
}

std::string_view name(PeRule rule) noexcept {
  return rule == PeRule::iec_60364_5_54 ? "iec_60364_5_54" : "none";
}

double EconomicSizing::present_value_factor() const noexcept {
  if (years <= 0.0) return 0.0;
  if (discount_rate <= 0.0) return years;
  return (1.0 - std::pow(1.0 + discount_rate, -years)) / discount_rate;
}

std::string_view name(Preference preference) noexcept {
  return preference == Preference::fewest_runs ? "fewest_runs" : "least_copper";
}

std::string_view name(LineStatus status) noexcept {
  switch (status) {
    case LineStatus::sized:
      return "sized";
    case LineStatus::no_fit:
      return "no_fit";
    case LineStatus::not_sized:
      return "not_sized";
  }
  return "?";
}

Arrangement arrangement_for(const SizingOptions& options) noexcept {
  if (options.arrangement) return *options.arrangement;
  return options.method == Method::c ? Arrangement::single_layer_wall
                                     : Arrangement::single_layer_perforated_tray;
}

double pe_rule_cross_section_m2(double line_m2) noexcept {
  constexpr double mm2_16 = 16e-6;
  constexpr double mm2_35 = 35e-6;
  constexpr double tolerance = 1e-12;
  if (line_m2 <= mm2_16 + tolerance) return line_m2;
  if (line_m2 <= mm2_35 + tolerance) return mm2_16;
  return line_m2 / 2.0;
}

double conductor_mass_kg(const ConductorSet& conductors, double length_m,
                         double density_kg_m3) noexcept {
  return conductors.total_area_m2() * length_m * density_kg_m3;
}

namespace {

using std::numbers::sqrt3;

std::string mm2_text(double m2) {
  return fmt::format("{:g} mm2", m2 * 1e6);
}

// Phases (AC, three-phase) or poles (DC) of a circuit.
int phase_count(model::BusKind kind) {
  return kind == model::BusKind::dc ? 2 : 3;
}

}  // namespace

ConductorSet circuit_conductors(model::LineType type, model::BusKind kind, bool low_voltage,
                                double cross_section_m2, int per_pole, int runs,
                                const Tables& tables, const SizingOptions& options,
                                std::optional<bool> neutral) {
  ConductorSet set;
  set.cross_section_m2 = cross_section_m2;
  set.current_carrying = phase_count(kind) * per_pole * runs;
  // Overhead lines and MV cables: the current-carrying conductors only (docs/sizing.md).
  if (type == model::LineType::overhead || !low_voltage) return set;
  const bool with_neutral =
      neutral.value_or(kind == model::BusKind::ac && options.ac_neutral == NeutralRule::full);
  if (with_neutral) {
    set.neutral = per_pole * runs;
    set.neutral_cross_section_m2 = cross_section_m2;
  }
  const bool busbar = type == model::LineType::busbar;
  const PeRule pe_rule = kind == model::BusKind::ac ? options.ac_pe : options.dc_pe;
  const bool want_pe = busbar ? options.busbar_pe : pe_rule == PeRule::iec_60364_5_54;
  if (want_pe) {
    // One PE per run, sized on the phase conductor of that run (all its parallel conductors).
    const double rule_m2 = pe_rule_cross_section_m2(cross_section_m2 * per_pole);
    set.pe = runs;
    set.pe_cross_section_m2 =
        busbar ? rule_m2 : tables.next_standard_cross_section_m2(rule_m2).value_or(rule_m2);
  }
  return set;
}

namespace {

struct Flow {
  double current_a = 0.0;
  double cos_phi = 1.0;
  double sin_phi = 0.0;  // > 0: lagging (reactive power sent along with active power)
  bool found = false;
};

// Current and power factor of each line from the solution (sending end for the power factor).
std::vector<Flow> line_flows(const model::ModelSpec& model, const steady::SolveResult& solved) {
  std::vector<Flow> flows(model.lines.size());
  for (const auto& element : solved.elements) {
    if (element.type != steady::ElementType::line) continue;
    if (element.index < 0 || static_cast<std::size_t>(element.index) >= flows.size()) continue;
    Flow& flow = flows[static_cast<std::size_t>(element.index)];
    flow.found = true;
    flow.current_a = std::max(std::abs(element.current_a), std::abs(element.current_out_a));
    const bool forward = element.p_in_w >= 0.0;
    const double p = forward ? element.p_in_w : -element.p_out_w;
    const double q = forward ? element.q_in_var : -element.q_out_var;
    const double s = std::hypot(p, q);
    if (s > 0.0) {
      flow.cos_phi = std::abs(p) / s;
      flow.sin_phi = q / s;
    }
  }
  return flows;
}

struct Drop {
  double volts = 0.0;
  double pct = 0.0;
};

// DC: loop drop I * R_loop (R_loop = 2 R_pole, components::line_resistance_ohm).
// AC three-phase: sqrt(3) I (R cos phi + X sin phi), R (R_ac of cables at the model's
// frequency) and X per phase.
Drop voltage_drop(const model::Line& line, model::BusKind kind, double nominal_v,
                  double frequency_hz, const Flow& flow) {
  Drop drop;
  const double r = components::line_resistance_ohm(line, kind, frequency_hz);
  if (kind == model::BusKind::dc) {
    drop.volts = flow.current_a * r;
  } else {
    const double x = components::line_reactance_ohm(line, kind);
    drop.volts = sqrt3 * flow.current_a * (r * flow.cos_phi + x * flow.sin_phi);
  }
  drop.pct = nominal_v > 0.0 ? 100.0 * drop.volts / nominal_v : 0.0;
  return drop;
}

// One size the tables offer for a line. Its label is not built here: candidates number in the
// hundreds per line, and only the chosen one's is ever shown (size_label()).
struct Candidate {
  double cross_section_m2 = 0.0;
  int per_pole = 1;  // bars per phase/pole (busbars)
  int runs = 1;
  double bar_width_m = 0.0;  // busbars
  double bar_thickness_m = 0.0;
  double table_a = 0.0;
  double derating = 1.0;
  double ampacity_a = 0.0;
  double ac_bound_a = 0.0;  // LineSizing::ampacity_ac_bound_a
  Drop drop;
  double cost = 0.0;  // economic sizing: copper + present value of losses
  [[nodiscard]] double total_area_m2() const { return cross_section_m2 * per_pole * runs; }
};

bool better(const Candidate& a, const Candidate& b, Preference preference) {
  // Areas come from the tables; compare with a relative tolerance so equal totals tie.
  const double area_a = a.total_area_m2();
  const double area_b = b.total_area_m2();
  const bool same_area = std::abs(area_a - area_b) <= 1e-9 * std::max(area_a, area_b);
  if (preference == Preference::fewest_runs) {
    if (a.runs != b.runs) return a.runs < b.runs;
    if (!same_area) return area_a < area_b;
  } else {
    if (!same_area) return area_a < area_b;
    if (a.runs != b.runs) return a.runs < b.runs;
  }
  return a.ampacity_a > b.ampacity_a;  // same copper and runs: the higher rating
}

std::string cable_label(double cross_section_m2, int per_pole, int runs) {
  const int n = per_pole * runs;
  return n > 1 ? fmt::format("{} x {}", n, mm2_text(cross_section_m2)) : mm2_text(cross_section_m2);
}

std::string busbar_label(double width_m, double thickness_m, int bars, int runs) {
  const std::string bar = fmt::format("{} bar{} {:g}x{:g} mm", bars, bars == 1 ? "" : "s",
                                      width_m * 1e3, thickness_m * 1e3);
  return runs > 1 ? fmt::format("{} x ({})", runs, bar) : bar;
}

// The label of a geometry: a DIN 43671 bar when it has a width, else cross-section(s).
std::string geometry_label(double cross_section_m2, int per_pole, int runs, double bar_width_m,
                           double bar_thickness_m) {
  return bar_width_m > 0.0 ? busbar_label(bar_width_m, bar_thickness_m, per_pole, runs)
                           : cable_label(cross_section_m2, per_pole, runs);
}

// Busbar ampacity factor for an ambient other than the table's 35 °C: DIN 43671 gives a chart
// (not retrieved), so we use sqrt((T_bar - T_amb) / (T_bar - 35 °C)) with T_bar = 65 °C, the
// heat-balance form conductors.md §3.3 cites for cables, and never above 1 (no uprating below
// 35 °C). nullopt at or above 65 °C. Assumption, docs/sizing.md.
std::optional<double> busbar_ambient_factor(double ambient_c) {
  if (ambient_c <= busbar_table_ambient_c) return 1.0;
  if (ambient_c >= busbar_table_bar_temperature_c) return std::nullopt;
  return std::sqrt((busbar_table_bar_temperature_c - ambient_c) /
                   (busbar_table_bar_temperature_c - busbar_table_ambient_c));
}

class LineSizer {
 public:
  LineSizer(const model::ModelSpec& model, const Tables& tables, const SizingOptions& options)
      : model_(model), tables_(tables), options_(options) {
    if (options.max_parallel_runs < 1)
      throw SizingOptionsError("max_parallel_runs", fmt::format("{}", options.max_parallel_runs),
                               "max parallel runs must be at least 1");
    if (options.grouped_circuits < 1)
      throw SizingOptionsError("grouped_circuits", fmt::format("{}", options.grouped_circuits),
                               "the number of grouped circuits must be at least 1");
    if (!(options.max_voltage_drop_pct > 0.0))
      throw SizingOptionsError("max_voltage_drop",
                               fmt::format("{:g} %", options.max_voltage_drop_pct),
                               "the voltage-drop limit must be above 0 %");
    cable_ambient_ = tables.ambient_factor(options.insulation, options.ambient_c);
    if (!cable_ambient_) {
      throw SizingOptionsError(
          "ambient", fmt::format("{:g} °C", options.ambient_c),
          fmt::format("ambient {:g} °C is beyond the ambient correction table for {} insulation",
                      options.ambient_c, name(options.insulation)),
          "choose an ambient inside data/ambient_correction.csv");
    }
    if (!tables.grouping_factor(arrangement_for(options), options.grouped_circuits)) {
      int last = 0;
      for (const auto& row : tables.grouping)
        if (row.arrangement == arrangement_for(options) && !row.points.empty())
          last = row.points.back().circuits;
      throw SizingOptionsError(
          "grouped_circuits", fmt::format("{}", options.grouped_circuits),
          fmt::format("{} grouped circuits is beyond the grouping table ({}, up "
                      "to {} circuits)",
                      options.grouped_circuits, name(arrangement_for(options)), last),
          fmt::format("group at most {}", last));
    }
    // A copper cable to be sized must have a column for the chosen method and insulation.
    for (const auto& line : model.lines) {
      if (line.type != model::LineType::cable || line.material != model::Material::copper ||
          !line.in_service || line.r_ohm)
        continue;
      const model::Bus& bus = model.buses.at(static_cast<std::size_t>(line.from));
      if (!low_voltage(bus)) continue;
      const model::BusKind kind = bus.kind;
      const int loaded = phase_count(kind);
      if (!tables.cable_column(model::Material::copper, options.method, options.insulation,
                               loaded)) {
        throw SizingOptionsError(
            "method", fmt::format("{}, {}", name(options.method), name(options.insulation)),
            fmt::format("no copper ampacity table for method {}, {} insulation, {} loaded "
                        "conductors ({} circuits)",
                        name(options.method), name(options.insulation), loaded,
                        kind == model::BusKind::dc ? "DC" : "AC"),
            "choose a method and insulation that data/cable_ampacity_copper.csv has a column "
            "for (docs/sizing.md)");
      }
    }
  }

  // `trial` is scratch space for the candidates' drops, reused from line to line so that trying
  // a candidate allocates nothing.
  LineSizing size(std::size_t index, const Flow& flow, model::Line& trial) const {
    const model::Line& line = model_.lines[index];
    const model::Bus& bus = model_.buses.at(static_cast<std::size_t>(line.from));
    LineSizing out;
    out.line = static_cast<std::int32_t>(index);
    out.type = line.type;
    out.kind = bus.kind;
    out.material = line.material;
    out.nominal_voltage_v = bus.nominal_voltage_v;
    out.length_m = line.length_m;
    out.current_a = flow.current_a;
    out.power_factor = bus.kind == model::BusKind::ac ? flow.cos_phi : 1.0;

    const SizingNote reason = skip_reason(line, bus, flow);
    if (reason != SizingNote::none)
      return as_modelled(line, flow, out, LineStatus::not_sized, reason);

    trial = line;
    std::optional<Candidate> best;
    std::optional<Candidate> largest;  // the largest evaluated, for the no-fit note
    // Busbar runs are separate busways: a second one only when no single busway fits.
    const Preference preference =
        line.type == model::LineType::busbar ? Preference::fewest_runs : options_.preference;
    // Candidates come run count by run count, fewest first. When the fewest runs win, a run
    // count with a fit settles the choice: no candidate with more runs could replace it.
    const bool fewest_runs_win = !options_.economic && preference == Preference::fewest_runs;
    auto settled = [&] { return fewest_runs_win && best.has_value(); };
    // Gives `trial` the candidate's geometry (lifetime_cost reads it next) and returns its drop.
    auto drop_of = [&](const Candidate& candidate) {
      trial.cross_section_m2 = candidate.cross_section_m2;
      trial.conductors_per_pole = candidate.per_pole;
      trial.parallel_runs = candidate.runs;
      return voltage_drop(trial, bus.kind, bus.nominal_voltage_v, model_.frequency_hz, flow);
    };
    // The drop is worked out only for candidates that carry the current (and for the largest
    // when nothing fits): most candidates fail on ampacity first.
    auto consider = [&](Candidate candidate) {
      if (!largest || candidate.total_area_m2() > largest->total_area_m2() ||
          (candidate.total_area_m2() == largest->total_area_m2() &&
           candidate.ampacity_a > largest->ampacity_a))
        largest = candidate;
      if (candidate.ampacity_a < flow.current_a) return;
      candidate.drop = drop_of(candidate);
      if (candidate.drop.pct > options_.max_voltage_drop_pct) return;
      if (options_.economic) {
        candidate.cost = lifetime_cost(trial, bus.kind, flow, *options_.economic);
        if (!best || candidate.cost < best->cost) best = candidate;
        return;
      }
      if (!best || better(candidate, *best, preference)) best = candidate;
    };
    if (line.type == model::LineType::busbar)
      busbar_candidates(bus.kind, consider, settled);
    else
      cable_candidates(bus.kind, consider, settled);

    if (!best) {
      SizingNote why = SizingNote::nothing_fits;
      if (largest) {
        largest->drop = drop_of(*largest);
        out.nearest = NearestCandidate{
            largest->cross_section_m2, largest->per_pole,   largest->runs,    largest->bar_width_m,
            largest->bar_thickness_m,  largest->ampacity_a, largest->drop.pct};
      } else if (line.type == model::LineType::busbar) {
        why = SizingNote::busbar_too_hot;
      }
      return as_modelled(line, flow, out, LineStatus::no_fit, why);
    }

    out.status = LineStatus::sized;
    out.cross_section_m2 = best->cross_section_m2;
    out.conductors_per_pole = best->per_pole;
    out.parallel_runs = best->runs;
    out.bar_width_m = best->bar_width_m;
    out.bar_thickness_m = best->bar_thickness_m;
    out.table_ampacity_a = best->table_a;
    out.derating_factor = best->derating;
    out.ampacity_a = best->ampacity_a;
    out.ampacity_ac_bound_a = best->ac_bound_a;
    out.loading_pct = best->ampacity_a > 0.0 ? 100.0 * flow.current_a / best->ampacity_a : 0.0;
    out.voltage_drop_v = best->drop.volts;
    out.voltage_drop_pct = best->drop.pct;
    out.conductors =
        circuit_conductors(line.type, bus.kind, true, best->cross_section_m2, best->per_pole,
                           best->runs, tables_, options_, line.neutral_conductor);
    out.mass_kg =
        conductor_mass_kg(out.conductors, line.length_m, tables_.density_kg_m3(line.material));
    return out;
  }

 private:
  [[nodiscard]] bool low_voltage(const model::Bus& bus) const {
    return bus.nominal_voltage_v <=
           (bus.kind == model::BusKind::dc ? options_.lv_limit_dc_v : options_.lv_limit_ac_v);
  }

  // Copper cost plus the present value of the I2R loss of `trial` carrying the solved current.
  [[nodiscard]] double lifetime_cost(const model::Line& trial, model::BusKind kind,
                                     const Flow& flow, const EconomicSizing& e) const {
    const model::Bus& bus = model_.buses.at(static_cast<std::size_t>(trial.from));
    const ConductorSet set = circuit_conductors(
        trial.type, kind, low_voltage(bus), trial.cross_section_m2, trial.conductors_per_pole,
        trial.parallel_runs, tables_, options_, trial.neutral_conductor);
    const double copper_kg =
        conductor_mass_kg(set, trial.length_m, tables_.density_kg_m3(trial.material));
    // line_resistance_ohm is the loop (DC) or one phase (AC): three phases carry the current.
    const double r = components::line_resistance_ohm(trial, kind, model_.frequency_hz);
    const double loss_w =
        (kind == model::BusKind::dc ? 1.0 : 3.0) * flow.current_a * flow.current_a * r;
    const double energy_mwh = loss_w * 8760.0 * e.loss_load_factor / 1e6;
    return copper_kg * e.copper_price_per_kg +
           energy_mwh * e.energy_price_per_mwh * e.present_value_factor();
  }

  // Why a line is left as modelled, or SizingNote::none when it is sized.
  [[nodiscard]] SizingNote skip_reason(const model::Line& line, const model::Bus& bus,
                                       const Flow& flow) const {
    if (!line.in_service) return SizingNote::out_of_service;
    if (line.type == model::LineType::overhead) return SizingNote::overhead;
    if (line.r_ohm) return SizingNote::impedance_given;
    if (!low_voltage(bus)) return SizingNote::above_low_voltage;
    if (line.material != model::Material::copper) return SizingNote::aluminium;
    if (!flow.found) return SizingNote::no_solved_current;
    return SizingNote::none;
  }

  LineSizing as_modelled(const model::Line& line, const Flow& flow, LineSizing out,
                         LineStatus status, SizingNote reason) const {
    const model::Bus& bus = model_.buses.at(static_cast<std::size_t>(line.from));
    out.status = status;
    out.reason = reason;
    out.cross_section_m2 = line.cross_section_m2;
    out.conductors_per_pole = line.conductors_per_pole;
    out.parallel_runs = line.parallel_runs;
    out.impedance_given = line.r_ohm.has_value();
    out.ampacity_a = line.ampacity_a;
    out.loading_pct = line.ampacity_a > 0.0 ? 100.0 * flow.current_a / line.ampacity_a : 0.0;
    const bool has_geometry = !line.r_ohm && line.cross_section_m2 > 0.0;
    if (has_geometry || line.r_ohm) {
      const Drop drop =
          voltage_drop(line, bus.kind, bus.nominal_voltage_v, model_.frequency_hz, flow);
      out.voltage_drop_v = drop.volts;
      out.voltage_drop_pct = drop.pct;
    }
    if (has_geometry) {
      out.conductors = circuit_conductors(
          line.type, bus.kind, low_voltage(bus), line.cross_section_m2, line.conductors_per_pole,
          line.parallel_runs, tables_, options_, line.neutral_conductor);
      out.mass_kg =
          conductor_mass_kg(out.conductors, line.length_m, tables_.density_kg_m3(line.material));
    }
    return out;
  }

  // Every cable size for 1, 2, ... runs, until `settled()` after a run count.
  template <typename Consider, typename Settled>
  void cable_candidates(model::BusKind kind, Consider&& consider, Settled&& settled) const {
    const AmpacityColumn* column = tables_.cable_column(model::Material::copper, options_.method,
                                                        options_.insulation, phase_count(kind));
    if (!column) return;  // checked in the constructor
    const Arrangement arrangement = arrangement_for(options_);
    for (int runs = 1; runs <= options_.max_parallel_runs; ++runs) {
      // Each parallel run is one more circuit in the group (docs/sizing.md).
      const auto grouping =
          tables_.grouping_factor(arrangement, options_.grouped_circuits + runs - 1);
      if (!grouping) break;
      const double derating = *cable_ambient_ * *grouping;
      for (const auto& entry : column->entries) {
        if (options_.max_cable_cross_section_m2 > 0.0 &&
            entry.cross_section_m2 > options_.max_cable_cross_section_m2 * (1.0 + 1e-9))
          break;
        Candidate candidate;
        candidate.cross_section_m2 = entry.cross_section_m2;
        candidate.runs = runs;
        candidate.table_a = entry.ampacity_a;
        candidate.derating = derating;
        candidate.ampacity_a = entry.ampacity_a * derating * runs;
        candidate.ac_bound_a = candidate.ampacity_a;  // the tables are for 50/60 Hz
        consider(candidate);
      }
      if (settled()) return;
    }
  }

  // Every bar size and bar count for 1, 2, ... runs, until `settled()` after a run count. DC
  // busbars are rated from the DIN 43671 DC column unless options say the AC column; the AC
  // rating of the same geometry is kept beside it (LineSizing::ampacity_ac_bound_a).
  template <typename Consider, typename Settled>
  void busbar_candidates(model::BusKind kind, Consider&& consider, Settled&& settled) const {
    const auto derating = busbar_ambient_factor(options_.ambient_c);
    if (!derating) return;
    const bool dc_column =
        kind == model::BusKind::dc && options_.dc_busbar_rating == DcBusbarRating::dc_column;
    for (int runs = 1; runs <= options_.max_parallel_runs; ++runs) {
      for (const auto& size : tables_.busbars) {
        const auto& ac = size.ac_ratings_a(options_.busbar_finish);
        const auto& ratings = dc_column ? size.dc_ratings_a(options_.busbar_finish) : ac;
        for (std::size_t bars = 1; bars <= ratings.size(); ++bars) {
          const double rating = ratings[bars - 1];
          if (rating <= 0.0) continue;  // not given in the table
          Candidate candidate;
          candidate.cross_section_m2 = size.cross_section_m2;
          candidate.per_pole = static_cast<int>(bars);
          candidate.runs = runs;
          candidate.table_a = rating;
          candidate.derating = *derating;
          candidate.ampacity_a = rating * *derating * runs;
          candidate.ac_bound_a = ac[bars - 1] * *derating * runs;
          candidate.bar_width_m = size.width_m;
          candidate.bar_thickness_m = size.thickness_m;
          consider(candidate);
        }
      }
      if (settled()) return;
    }
  }

  const model::ModelSpec& model_;
  const Tables& tables_;
  const SizingOptions& options_;
  std::optional<double> cable_ambient_;
};

// Whether every sized line of `sizing` chose the geometry `model` has: then solving the sized
// model would give the solution it was sized on.
bool keeps_geometry(const std::vector<LineSizing>& sizing, const model::ModelSpec& model) {
  for (const LineSizing& s : sizing) {
    if (s.status != LineStatus::sized) continue;
    const model::Line& line = model.lines[static_cast<std::size_t>(s.line)];
    if (s.cross_section_m2 != line.cross_section_m2 ||
        s.conductors_per_pole != line.conductors_per_pole || s.parallel_runs != line.parallel_runs)
      return false;
  }
  return true;
}

// Writes the chosen geometry and ampacity of every sized line into `model`.
void apply_sizes(const std::vector<LineSizing>& sizing, model::ModelSpec& model) {
  for (const LineSizing& s : sizing) {
    if (s.status != LineStatus::sized) continue;
    model::Line& line = model.lines[static_cast<std::size_t>(s.line)];
    line.cross_section_m2 = s.cross_section_m2;
    line.conductors_per_pole = s.conductors_per_pole;
    line.parallel_runs = s.parallel_runs;
    line.ampacity_a = s.ampacity_a;
  }
}

// size_lines without the sized copy of the model (SizingResult::sized_model left empty): a pass
// of size_until_stable writes the sizes into the model it keeps instead.
SizingResult size_each_line(const model::ModelSpec& model, const steady::SolveResult& solved,
                            const Tables& tables, const SizingOptions& options) {
  const LineSizer sizer(model, tables, options);
  const std::vector<Flow> flows = line_flows(model, solved);
  SizingResult result;
  result.options = options;
  result.lines.reserve(model.lines.size());
  model::Line trial;
  for (std::size_t i = 0; i < model.lines.size(); ++i) {
    LineSizing sizing = sizer.size(i, flows[i], trial);
    SizingTotals& totals = result.totals;
    if (sizing.material == model::Material::copper) {
      totals.copper_kg += sizing.mass_kg;
      if (sizing.status != LineStatus::sized) totals.copper_kg_not_sized += sizing.mass_kg;
    } else {
      totals.aluminium_kg += sizing.mass_kg;
    }
    switch (sizing.status) {
      case LineStatus::sized:
        ++totals.sized;
        break;
      case LineStatus::no_fit:
        ++totals.no_fit;
        break;
      case LineStatus::not_sized:
        ++totals.not_sized;
        break;
    }
    result.lines.push_back(sizing);
  }
  return result;
}

}  // namespace

std::string size_label(const LineSizing& line) {
  if (line.bar_width_m > 0.0)
    return busbar_label(line.bar_width_m, line.bar_thickness_m, line.conductors_per_pole,
                        line.parallel_runs);
  if (line.impedance_given || !(line.cross_section_m2 > 0.0)) return "r/x given";
  return cable_label(line.cross_section_m2, line.conductors_per_pole, line.parallel_runs);
}

std::string note(const LineSizing& line, const SizingOptions& options) {
  switch (line.reason) {
    case SizingNote::none:
      return {};
    case SizingNote::out_of_service:
      return "out of service";
    case SizingNote::overhead:
      return "overhead line: no ampacity table";
    case SizingNote::impedance_given:
      return "impedance given directly (no conductor geometry)";
    case SizingNote::above_low_voltage:
      return fmt::format(
          "{:g} V is above the low-voltage scope of the tables ({:g} V AC, {:g} V DC)",
          line.nominal_voltage_v, options.lv_limit_ac_v, options.lv_limit_dc_v);
    case SizingNote::aluminium:
      return fmt::format("no sourced aluminium {} table",
                         line.type == model::LineType::busbar ? "busbar" : "cable ampacity");
    case SizingNote::no_solved_current:
      return "no solved current for this line";
    case SizingNote::nothing_fits: {
      if (!line.nearest) return "nothing in the tables fits";
      const NearestCandidate& n = *line.nearest;
      return fmt::format(
          "nothing in the tables fits: the largest, {}, carries {:.0f} A after derating and "
          "drops {:.2f} % at {:.0f} A (limit {:g} %)",
          geometry_label(n.cross_section_m2, n.conductors_per_pole, n.parallel_runs, n.bar_width_m,
                         n.bar_thickness_m),
          n.ampacity_a, n.voltage_drop_pct, line.current_a, options.max_voltage_drop_pct);
    }
    case SizingNote::busbar_too_hot:
      return fmt::format(
          "nothing in the tables fits: ambient {:g} °C is at or above the 65 °C busbar "
          "temperature of the table",
          options.ambient_c);
  }
  return {};
}

SizingResult size_lines(const model::ModelSpec& model, const steady::SolveResult& solved,
                        const Tables& tables, const SizingOptions& options) {
  SizingResult result = size_each_line(model, solved, tables, options);
  result.sized_model = model;
  apply_sizes(result.lines, result.sized_model);
  return result;
}

IterativeSizing size_until_stable(const model::ModelSpec& model, const Tables& tables,
                                  const SizingOptions& options, int max_passes,
                                  const SolveFunction& solve) {
  const SolveFunction run =
      solve ? solve : SolveFunction([](const model::ModelSpec& m) { return steady::solve(m); });
  IterativeSizing out;
  // One copy of the model, sized in place from pass to pass.
  model::ModelSpec current = model;
  for (int pass = 1; pass <= std::max(1, max_passes); ++pass) {
    out.solution = run(current);
    out.sizing = size_each_line(current, out.solution, tables, options);
    out.passes = pass;
    out.stable = keeps_geometry(out.sizing.lines, current);
    apply_sizes(out.sizing.lines, current);
    if (out.stable) break;
  }
  out.sizing.sized_model = std::move(current);
  return out;
}

}  // namespace g2g::sizing

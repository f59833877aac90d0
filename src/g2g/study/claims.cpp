#include "g2g/study/claims.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "g2g/sizing/conductor_power.hpp"
#include "g2g/sizing/tables.hpp"
#include "g2g/steady/solver.hpp"

namespace g2g::study {
namespace {

using Json = nlohmann::json;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
// Reference conductor for claim (a): 240 mm2 is a common LV feeder size and sits mid-table.
constexpr double reference_conductor_m2 = 240e-6;
// Conductors at or below this voltage are inside the rack (54 V busbars, 12 V rails).
constexpr double rack_voltage_limit_v = 60.0;
// The 1 MW rack: one rack height of busbar (assumption, as in the examples), up to 16 runs.
constexpr double rack_power_w = 1e6;
constexpr double rack_busbar_length_m = 2.0;
constexpr int rack_busbar_max_runs = 16;

double reduction(double dc, double base) {
  return base > 0.0 ? 1.0 - dc / base : nan;
}

// The AC power factor of an architecture's rack PSUs (their input), or the default.
double psu_power_factor(const model::ModelSpec& m) {
  for (const auto& c : m.converters)
    if (c.subtype == model::ConverterSubtype::psu &&
        m.buses[static_cast<std::size_t>(c.input)].kind == model::BusKind::ac)
      return c.input_power_factor;
  return conductor_power_factor;
}

double facility_copper_kg(const ArchitectureResult& a) {
  double kg = 0.0;
  for (const auto& level : a.conductor_levels)
    if (level.voltage_v > rack_voltage_limit_v) kg += level.copper_kg;
  return kg;
}

// Copper at its 2024 average price, $4.15/lb (Barrick, 'Copper Market Overview',
// https://www.barrick.com/English/investors/annual-report/copper-market-overview/default.aspx
// [market data]): 9.15 USD/kg. The period and discount rate are assumptions.
constexpr double copper_price_usd_per_kg = 9.15;
constexpr double economic_years = 15.0;
constexpr double economic_discount_rate = 0.07;

struct RackFigures {
  RackBusbar low;   // 54 V
  RackBusbar high;  // 800 V
};

double conductor_ratio(double pf, sizing::Architecture ac, bool per_kg, bool neutral_counts,
                       const sizing::SizingOptions& so) {
  const auto& tables = sizing::default_tables();
  const sizing::ConductorPowerOptions po{pf, true};
  const auto p_dc = sizing::conductor_power(tables, sizing::Architecture::dc_800v,
                                            reference_conductor_m2, so, po);
  const auto p_ac = sizing::conductor_power(tables, ac, reference_conductor_m2, so, po);
  if (per_kg) return p_dc.power_per_mass_w_m_per_kg / p_ac.power_per_mass_w_m_per_kg;
  if (neutral_counts)  // per conductor of the circuit: 2 at DC, 3 phases + neutral at AC
    return (p_dc.power_w / 2.0) / (p_ac.power_w / 4.0);
  return p_dc.power_per_current_carrying_conductor_w / p_ac.power_per_current_carrying_conductor_w;
}

class Checker {
 public:
  explicit Checker(const ClaimContext& c) : c_(c), runs_(*c.runs) {}

  Claim check(const ClaimSpec& spec) {
    Claim claim;
    claim.spec = spec;
    claim.published = fmt::format(
        "{}{}", spec.form == ClaimForm::about ? "" : fmt::format("{} ", name(spec.form)),
        format_metric(spec.metric, spec.published));
    if (spec.metric == Metric::storage_peak_reduction) {
      storage_claim(claim);
      return claim;
    }
    for (const auto& run : runs_)
      claim.cases.push_back({run.scenario, value(spec.metric, run, c_.options)});
    settle(claim, c_.default_run);
    describe(claim);
    interpretations(claim);
    sensitivity(claim);
    break_even(claim);
    summarise(claim);
    return claim;
  }

 private:
  const ArchitectureResult& base(const Run& r) const { return r.architectures[c_.baseline]; }
  const ArchitectureResult& dc(const Run& r) const { return r.architectures[c_.dc]; }
  const Run& default_run() const { return runs_[c_.default_run]; }

  const RackFigures& rack(const sizing::SizingOptions& o) {
    if (!rack_) {
      rack_ = RackFigures{
          rack_busbar(54.0, rack_power_w, rack_busbar_length_m, o, rack_busbar_max_runs),
          rack_busbar(800.0, rack_power_w, rack_busbar_length_m, o, rack_busbar_max_runs)};
    }
    return *rack_;
  }

  double value(Metric m, const Run& run, const CompareOptions& o) {
    const ArchitectureResult& b = base(run);
    const ArchitectureResult& d = dc(run);
    if (const auto pair = pair_metric_value(m, b, d, o)) return *pair;
    switch (m) {
      case Metric::conductor_power_ratio:
      case Metric::copper_reduction:
      case Metric::grid_input_reduction:
      case Metric::efficiency_gain_points:
        break;  // pair_metric_value's
      case Metric::rack_current_ratio: {
        const auto& r = rack(o.sizing);
        return r.high.current_a > 0.0 ? r.low.current_a / r.high.current_a : nan;
      }
      case Metric::rack_busbar_copper_54v_kg: {
        const auto& r = rack(o.sizing);
        return r.low.fits ? r.low.copper_kg : nan;
      }
      case Metric::storage_peak_reduction:
        break;  // storage_claim's
    }
    return nan;
  }

  // Re-measures the default run's pair with `edit` applied to both sized models (no re-sizing:
  // only efficiencies and losses change), and returns the metric. An architecture the edit
  // leaves unchanged (`edit` returns false) keeps its result.
  double with_edit(Metric m, const std::function<bool(model::ModelSpec&)>& edit) {
    const Run& d = default_run();
    Run changed;
    changed.scenario = d.scenario;
    changed.architectures.resize(d.architectures.size());
    CompareOptions o = c_.options;
    o.size_conductors = false;
    for (const std::size_t i : {c_.baseline, c_.dc}) {
      model::ModelSpec model = d.architectures[i].model;
      if (!edit(model)) {
        changed.architectures[i] = d.architectures[i];
        continue;
      }
      changed.architectures[i] = analyse(d.architectures[i].id, model, o);
      // Copper is not re-sized: keep the sized figure.
      changed.architectures[i].copper_kg = d.architectures[i].copper_kg;
      changed.architectures[i].conductor_levels = d.architectures[i].conductor_levels;
    }
    return value(m, changed, o);
  }

  // Economic sizing at the comparison's tariff, with the loss load factor of the year: the
  // hours-weighted mean of (grid input / design grid input)^2 of the baseline, since line
  // currents follow the power they carry.
  sizing::EconomicSizing economic_sizing(const ArchitectureResult& base) const {
    sizing::EconomicSizing e;
    e.copper_price_per_kg = copper_price_usd_per_kg;
    e.energy_price_per_mwh = c_.options.tariff_per_mwh;
    e.years = economic_years;
    e.discount_rate = economic_discount_rate;
    double weighted = 0.0, hours = 0.0;
    for (const auto& p : base.profile) {
      const double ratio =
          base.design.source_w > 0.0 ? p.figures.source_w / base.design.source_w : 1.0;
      weighted += p.point.hours * ratio * ratio;
      hours += p.point.hours;
    }
    e.loss_load_factor = hours > 0.0 ? weighted / 8760.0 : c_.options.hours_per_year / 8760.0;
    return e;
  }

  static bool loss_metric(Metric m) {
    return m == Metric::grid_input_reduction || m == Metric::efficiency_gain_points;
  }

  void describe(Claim& claim) {
    const Run& run = default_run();
    const auto& b = base(run);
    const auto& d = dc(run);
    auto chain = [&](const ArchitectureResult& a) {
      std::string s = fmt::format("{}:", a.id);
      for (const auto& st : a.stages)
        if (st.kind == StageKind::conversion && st.p_in_w > 0.0)
          s += fmt::format(" {} {:.2f} %{};", st.name, 100.0 * st.p_out_w / st.p_in_w,
                           st.installed_units > st.count
                               ? fmt::format(" ({} units at {:.0f} %)", st.installed_units,
                                             100.0 * st.unit_load_fraction)
                               : std::string());
      if (s.back() == ';') s.pop_back();
      return s;
    };
    const auto& so = c_.options.sizing;
    switch (claim.spec.metric) {
      case Metric::conductor_power_ratio:
        claim.assumptions = {
            fmt::format("one 240 mm2 copper conductor, IEC 60364-5-52 method {}, {:g} °C ambient",
                        sizing::name(so.method), so.ambient_c),
            "table ampacity for 2 loaded conductors (DC) and 3 (AC), the same derating",
            fmt::format("AC power factor of the rack PSUs in each assumption set ({:g} in {})",
                        psu_power_factor(b.model), run.scenario),
            "power per current-carrying conductor: AC sqrt(3) V I pf / 3, DC V I / 2"};
        break;
      case Metric::copper_reduction:
        claim.assumptions = {
            fmt::format("{}: {:.1f} t copper; {}: {:.1f} t ({})", b.id, b.copper_kg / 1e3, d.id,
                        d.copper_kg / 1e3, run.scenario),
            c_.options.size_conductors
                ? fmt::format("every LV cable and busbar sized for its solved current: method {}, "
                              "{:g} °C, {} circuits grouped, voltage drop <= {:g} %, AC neutral "
                              "{}, PE {}",
                              sizing::name(so.method), so.ambient_c, so.grouped_circuits,
                              so.max_voltage_drop_pct, sizing::name(so.ac_neutral),
                              sizing::name(so.ac_pe))
                : std::string("conductors as modelled (not sized)"),
            "MV cables are not sized (IEC 60364 covers LV only) and count as modelled",
            "the same geometry (lengths) in both architectures"};
        break;
      case Metric::grid_input_reduction:
      case Metric::efficiency_gain_points:
        claim.assumptions = {
            chain(b), chain(d),
            c_.options.profile.points.empty()
                ? fmt::format("the design point all year ({:g} h)", c_.options.hours_per_year)
                : fmt::format("a year of the utilisation profile ({} points, {:g} h)",
                              c_.options.profile.points.size(), c_.options.profile.total_hours()),
            c_.options.include_point_of_load ? "end to end: grid to GPU core"
                                             : "end to end: grid to GPU regulator (VRM) input"};
        break;
      case Metric::rack_current_ratio:
      case Metric::rack_busbar_copper_54v_kg: {
        const auto& r = rack(so);
        auto bar = [](const RackBusbar& b) {
          return fmt::format("{:g} V: {:.2f} kA, {}, {:.1f} kg of copper, {:.2f} kW I2R",
                             b.voltage_v, b.current_a / 1e3,
                             b.fits ? b.size : std::string("nothing in the table fits"),
                             b.copper_kg, b.loss_w / 1e3);
        };
        claim.assumptions = {
            bar(r.low), bar(r.high),
            fmt::format("a {:g} m two-pole copper busbar feeding a 1 MW constant-power load, "
                        "solved and sized from DIN 43671 ({}, 65 °C bar, up to {} runs)",
                        rack_busbar_length_m, sizing::name(so.dc_busbar_rating),
                        rack_busbar_max_runs)};
        break;
      }
      case Metric::storage_peak_reduction:
        break;  // storage_claim's
    }
  }

  void add_interpretation(Claim& claim, std::string name, double v) {
    if (!std::isfinite(v)) return;
    claim.interpretations.push_back(
        {std::move(name), format_metric(claim.spec.metric, v), v,
         judge(claim.spec.form, claim.spec.published, claim.spec.tolerance, {v, v})});
  }

  void interpretations(Claim& claim) {
    const Run& run = default_run();
    const auto& b = base(run);
    const auto& d = dc(run);
    const auto& so = c_.options.sizing;
    const double pf = psu_power_factor(b.model);
    switch (claim.spec.metric) {
      case Metric::conductor_power_ratio:
        add_interpretation(claim, "equal current in every conductor (voltage per conductor only)",
                           400.0 / (415.0 / std::sqrt(3.0) * pf));
        add_interpretation(claim, "thermal (table) ampacity at power factor 1.0",
                           conductor_ratio(1.0, sizing::Architecture::ac_415v, false, false, so));
        add_interpretation(claim, "AC neutral counted as a conductor (4 against 2)",
                           conductor_ratio(pf, sizing::Architecture::ac_415v, false, true, so));
        add_interpretation(claim, "per kg of copper, neutral and PE included",
                           conductor_ratio(pf, sizing::Architecture::ac_415v, true, false, so));
        add_interpretation(claim, "against 480 V AC instead of 415 V",
                           conductor_ratio(pf, sizing::Architecture::ac_480v, false, false, so));
        break;
      case Metric::copper_reduction: {
        add_interpretation(claim, "copper above the rack only (conductors above 60 V)",
                           reduction(facility_copper_kg(d), facility_copper_kg(b)));
        if (!c_.options.size_conductors) break;
        // Economic instead of thermal-minimum sizing: each conductor the size of least copper
        // cost plus present value of its losses, with the year's loss load factor.
        CompareOptions o = c_.options;
        o.profile.points.clear();
        o.sizing.economic = economic_sizing(b);
        Run economic;
        economic.architectures.resize(run.architectures.size());
        for (const std::size_t i : {c_.baseline, c_.dc}) {
          const auto& a = run.architectures[i];
          economic.architectures[i] = analyse(a.id, a.model, o);
        }
        add_interpretation(
            claim,
            fmt::format("economic sizing: copper at {:g} USD/kg + losses over {:g} years at "
                        "{:g} %, loss load factor {:.2f}",
                        o.sizing.economic->copper_price_per_kg, o.sizing.economic->years,
                        100.0 * o.sizing.economic->discount_rate,
                        o.sizing.economic->loss_load_factor),
            value(Metric::copper_reduction, economic, o));
        break;
      }
      case Metric::grid_input_reduction:
        add_interpretation(claim, "conversion losses, not grid input",
                           reduction(d.annual.conversion_loss_mwh, b.annual.conversion_loss_mwh));
        add_interpretation(
            claim, "distribution (I2R) losses, not grid input",
            reduction(d.annual.distribution_loss_mwh, b.annual.distribution_loss_mwh));
        add_interpretation(claim, "all losses to the VRM input, not grid input",
                           reduction(d.annual.loss_mwh, b.annual.loss_mwh));
        add_interpretation(
            claim, "all losses to the GPU core (VRMs inside the boundary)",
            reduction(d.annual.input_mwh - d.annual.it_mwh, b.annual.input_mwh - b.annual.it_mwh));
        add_interpretation(claim, "facility power: grid input plus cooling of the losses",
                           reduction(d.annual.input_mwh + d.annual.cooling_mwh,
                                     b.annual.input_mwh + b.annual.cooling_mwh));
        add_interpretation(claim, "at the design point (100 % utilisation), not over the year",
                           reduction(d.design.source_w, b.design.source_w));
        break;
      case Metric::efficiency_gain_points:
        add_interpretation(
            claim, "relative gain (% of the baseline's efficiency), not points",
            b.annual.efficiency > 0.0 ? d.annual.efficiency / b.annual.efficiency - 1.0 : nan);
        add_interpretation(claim, "grid to GPU core (VRMs inside the boundary)",
                           d.annual.efficiency_to_core - b.annual.efficiency_to_core);
        add_interpretation(claim, "at the design point (100 % utilisation), not over the year",
                           d.design.efficiency - b.design.efficiency);
        break;
      case Metric::rack_current_ratio:
        add_interpretation(claim, "nominal voltages only (800 / 54)", 800.0 / 54.0);
        break;
      case Metric::rack_busbar_copper_54v_kg:
      case Metric::storage_peak_reduction:
        break;
    }
  }

  // The rack-storage claim: figures per training period from the time-domain engine (through
  // the context's callback), never from the steady runs. Without the callback the row is n/a
  // and says what to pass.
  void storage_claim(Claim& claim) {
    const double target = claim.spec.published;
    StoragePeakFigures f;
    if (!c_.storage_peak) {
      f.unavailable =
          "This figure needs a time-domain case, which a steady comparison does not have: pass a "
          "scenario with a grid_smoothing storage item for the 800 V DC architecture (`compare "
          "--scenario FILE`, e.g. examples/scenarios/storage-sizing.yaml).";
    } else {
      f = c_.storage_peak(target, c_.threads);
    }
    claim.assumptions = f.assumptions;
    for (const auto& k : f.cases) claim.cases.push_back({k.name, k.instantaneous});
    settle(claim, 0);
    if (f.cases.empty()) {
      claim.explanation = f.unavailable;
      return;
    }
    constexpr double j_per_kwh = 3.6e6;
    std::string sized;
    for (const auto& k : f.cases) {
      add_interpretation(
          claim,
          fmt::format("averaged demand (the largest {:g} s mean), {}", k.averaged_window_s, k.name),
          k.averaged);
      if (std::isfinite(k.sized_energy_per_rack_j) && std::isfinite(k.sized_power_per_rack_w)) {
        claim.break_even.push_back(
            {fmt::format("storage energy per rack, {}", k.name),
             k.sized_energy_per_rack_j / j_per_kwh, f.energy_per_rack_j / j_per_kwh, "kWh",
             fmt::format("the figure reaches the claim with at least {:.3g} kWh and {:.3g} kW of "
                         "storage per rack at a {} (the model has {:.3g} kWh and {:.3g} kW)",
                         k.sized_energy_per_rack_j / j_per_kwh, k.sized_power_per_rack_w / 1e3,
                         k.name, f.energy_per_rack_j / j_per_kwh, f.power_per_rack_w / 1e3)});
        claim.break_even.push_back({fmt::format("storage power per rack, {}", k.name),
                                    k.sized_power_per_rack_w / 1e3, f.power_per_rack_w / 1e3, "kW",
                                    ""});
      } else if (!k.sizing_note.empty()) {
        sized += fmt::format(" At a {}: {}.", k.name, k.sizing_note);
      }
    }
    std::string text;
    if (claim.verdict == Verdict::not_applicable) {
      text = "No figure could be computed for this claim with this scenario.";
    } else {
      std::string per_case;
      for (const auto& k : f.cases)
        per_case +=
            fmt::format("{}{}: {} ({:.4g} MW against {:.4g} MW idle)", per_case.empty() ? "" : "; ",
                        k.name, format_metric(claim.spec.metric, k.instantaneous),
                        k.storage_peak_w / 1e6, k.idle_peak_w / 1e6);
      text = fmt::format(
          "Computed {} with the storage as modelled ({:.3g} kWh and {:.3g} kW per rack, {} "
          "racks; {}); the claim says {}: {}.",
          claim.computed, f.energy_per_rack_j / j_per_kwh, f.power_per_rack_w / 1e3, f.racks,
          per_case, claim.published, verdict_name(claim.verdict));
    }
    std::string averaged;
    for (const auto& k : f.cases)
      if (std::isfinite(k.averaged))
        averaged += fmt::format("{}{} at a {}", averaged.empty() ? "" : ", ",
                                format_metric(claim.spec.metric, k.averaged), k.name);
    text += fmt::format(
        " 'Peak' here is the instantaneous peak grid power at every integrator step; read as the "
        "peak of the averaged demand (the {}) the storage gives {}, since it is energy-neutral "
        "over a cycle: the answer depends on which peak is meant. The storage size NVIDIA ships "
        "per rack is not published.",
        f.cases.front().averaged_window_s >= 900.0 ? "15-min demand"
                                                   : "mean over whole periods of the swing",
        averaged.empty() ? std::string("n/a") : averaged);
    for (const auto& b : claim.break_even)
      if (!b.text.empty()) text += fmt::format(" Break-even: {}.", b.text);
    text += sized;
    claim.explanation = std::move(text);
  }

  void add_row(Claim& claim, std::string assumption, std::string value_text, double v) {
    if (!std::isfinite(v)) return;
    for (const auto& row : claim.sensitivity)
      if (row.assumption == assumption && row.value == value_text) return;  // said already
    const double reference = claim.computed_default;
    // Rows that change nothing say nothing: left out.
    if (std::fabs(v - reference) <= 1e-9 * std::max(1.0, std::fabs(reference))) return;
    claim.sensitivity.push_back(
        {std::move(assumption), std::move(value_text), format_metric(claim.spec.metric, v), v,
         judge(claim.spec.form, claim.spec.published, claim.spec.tolerance, {v, v})});
  }

  // The rule for `role` in the default run's sets, if any.
  const ConverterRule* default_rule(std::string_view role) const {
    const ConverterRule* found = nullptr;
    for (const auto* set : default_run().sets)
      for (const auto& r : set->converters)
        if (r.role == role) found = &r;
    return found;
  }

  std::set<std::string> chain_roles() const {
    std::set<std::string> roles;
    for (const std::size_t i : {c_.baseline, c_.dc})
      for (const auto& conv : default_run().architectures[i].model.converters)
        roles.insert(std::string(converter_role(conv)));
    return roles;
  }

  // Roles in one of the two architectures but not the other: the stages that differ. The GPU
  // point of load counts only when it is inside the boundary.
  std::vector<std::string> differing_roles() const {
    auto inside = [&](const model::Converter& conv) {
      return c_.options.include_point_of_load || conv.subtype != model::ConverterSubtype::vrm;
    };
    std::set<std::string> in_base, in_dc;
    for (const auto& conv : default_run().architectures[c_.baseline].model.converters)
      if (inside(conv)) in_base.insert(std::string(converter_role(conv)));
    for (const auto& conv : default_run().architectures[c_.dc].model.converters)
      if (inside(conv)) in_dc.insert(std::string(converter_role(conv)));
    std::vector<std::string> out;
    for (const auto& r : in_base)
      if (!in_dc.contains(r)) out.push_back(r);
    for (const auto& r : in_dc)
      if (!in_base.contains(r)) out.push_back(r);
    return out;
  }

  void sensitivity(Claim& claim) {
    const Metric m = claim.spec.metric;
    if (loss_metric(m)) {
      // Each converter role with the rule of another assumption set, one at a time. The
      // default run's models already carry the default rules; a set's rule is re-applied to a
      // copy (curves given as "as modelled" need the unmodified model, so those are skipped).
      const auto roles = chain_roles();
      for (const auto* set : c_.all_sets) {
        for (const auto& rule : set->converters) {
          // An "as modelled" curve cannot be recovered from the default run's (possibly
          // rescaled) curves; a peak-scaled one can, since scaling keeps the shape.
          if (!roles.contains(rule.role) || rule.as_modelled) continue;
          if (!rule.efficiency.empty() || rule.peak || rule.loss_factor) {
            if (default_rule(rule.role) == &rule) continue;
          } else {
            continue;
          }
          AssumptionSet one;
          one.converters.push_back(rule);
          const double v =
              with_edit(m, [&](model::ModelSpec& model) { return apply(one, model) > 0; });
          add_row(claim, fmt::format("{} efficiency", rule.role),
                  fmt::format("as in {} ({})", set->name, name(rule.provenance.kind)), v);
        }
        for (const auto& rule : set->converters) {
          if (!roles.contains(rule.role) || !rule.standby_loss_fraction) continue;
          for (const double fraction : {0.0, 0.005}) {
            ConverterRule r;
            r.role = rule.role;
            r.standby_loss_fraction = fraction;
            AssumptionSet one;
            one.converters.push_back(r);
            const double v =
                with_edit(m, [&](model::ModelSpec& model) { return apply(one, model) > 0; });
            add_row(claim, fmt::format("{} standby loss", rule.role),
                    fmt::format("{:g} % of the rating", 100.0 * fraction), v);
          }
          break;
        }
      }
      if (!c_.options.profile.points.empty()) {
        CompareOptions o = c_.options;
        o.profile.points.clear();
        const Run& d = default_run();
        Run design_only;
        design_only.architectures.resize(d.architectures.size());
        o.size_conductors = false;
        for (const std::size_t i : {c_.baseline, c_.dc})
          design_only.architectures[i] =
              analyse(d.architectures[i].id, d.architectures[i].model, o);
        add_row(claim, "utilisation", fmt::format("100 % all year ({:g} h)", o.hours_per_year),
                value(m, design_only, o));
      }
    }
    if (m == Metric::copper_reduction && c_.options.size_conductors) {
      auto sized_row = [&](std::string assumption, std::string text, const CompareOptions& o) {
        Run changed;
        changed.architectures.resize(default_run().architectures.size());
        for (const std::size_t i : {c_.baseline, c_.dc}) {
          const auto& a = default_run().architectures[i];
          changed.architectures[i] = analyse(a.id, a.model, o);
        }
        add_row(claim, std::move(assumption), std::move(text), value(m, changed, o));
      };
      CompareOptions o = c_.options;
      o.profile.points.clear();
      CompareOptions single = o;
      single.sizing.grouped_circuits = 1;
      sized_row("cable grouping", "1 circuit (no grouping derating)", single);
      CompareOptions no_neutral = o;
      no_neutral.sizing.ac_neutral = sizing::NeutralRule::none;
      sized_row("AC neutral", "none (three-wire feeders)", no_neutral);
      for (const double drop : {1.0, 5.0}) {
        CompareOptions changed = o;
        changed.sizing.max_voltage_drop_pct = drop;
        sized_row("voltage-drop limit", fmt::format("{:g} % per line", drop), changed);
      }
    }
    if ((loss_metric(m) || m == Metric::copper_reduction) && c_.reload) {
      // The same hall with 1 MW racks (the models' rack_power parameter).
      try {
        const std::vector<model::ParameterOverride> mw{{"rack_power", "1 MW"}};
        Run changed;
        changed.architectures.resize(default_run().architectures.size());
        CompareOptions o = c_.options;
        for (const std::size_t i : {c_.baseline, c_.dc})
          changed.architectures[i] =
              analyse(default_run().architectures[i].id, c_.reload(i, mw), o);
        add_row(claim, "rack power", "1 MW", value(m, changed, o));
      } catch (const std::exception&) {
        // A model without a rack_power parameter (or infeasible at 1 MW): no row.
      }
    }
    if (m == Metric::rack_busbar_copper_54v_kg) {
      sizing::SizingOptions ac = c_.options.sizing;
      ac.dc_busbar_rating = ac.dc_busbar_rating == sizing::DcBusbarRating::dc_column
                                ? sizing::DcBusbarRating::ac_column
                                : sizing::DcBusbarRating::dc_column;
      const RackBusbar low =
          rack_busbar(54.0, rack_power_w, rack_busbar_length_m, ac, rack_busbar_max_runs);
      add_row(claim, "DC busbar rating", fmt::format("{}", sizing::name(ac.dc_busbar_rating)),
              low.fits ? low.copper_kg : nan);
    }
    if (m == Metric::rack_current_ratio || m == Metric::rack_busbar_copper_54v_kg) {
      for (const double length : {1.0, 3.0}) {
        const RackBusbar low =
            rack_busbar(54.0, rack_power_w, length, c_.options.sizing, rack_busbar_max_runs);
        const RackBusbar high =
            rack_busbar(800.0, rack_power_w, length, c_.options.sizing, rack_busbar_max_runs);
        const double v = m == Metric::rack_current_ratio ? low.current_a / high.current_a
                                                         : (low.fits ? low.copper_kg : nan);
        add_row(claim, "rack busbar length", fmt::format("{:g} m", length), v);
      }
    }
  }

  void break_even(Claim& claim) {
    const Metric m = claim.spec.metric;
    const double target = claim.spec.published;
    if (loss_metric(m)) {
      for (const auto& role : differing_roles()) {
        double current = 0.0;
        for (const std::size_t i : {c_.baseline, c_.dc})
          for (const auto& conv : default_run().architectures[i].model.converters)
            if (converter_role(conv) == role)
              current = std::max(current, peak_efficiency(conv.efficiency));
        auto figure = [&](double peak) {
          return with_edit(m, [&](model::ModelSpec& model) {
            bool changed = false;
            for (auto& conv : model.converters)
              if (converter_role(conv) == role) {
                conv.efficiency = scale_curve(conv.efficiency, peak, std::nullopt);
                changed = true;
              }
            return changed;
          });
        };
        const auto x = break_even_peak(figure, target);
        if (!x) continue;
        const bool rises = figure(std::min(*x + 0.005, 0.9995)) > target;
        claim.break_even.push_back(
            {fmt::format("{} peak efficiency", role), *x, current, "%",
             fmt::format("equals the claim at a {} peak efficiency of {:.2f} % (default {:.2f} "
                         "%); the figure is larger {} it",
                         role, 100.0 * *x, 100.0 * current, rises ? "above" : "below")});
      }
    }
    if (m == Metric::conductor_power_ratio) {
      const auto& so = c_.options.sizing;
      const double pf0 = psu_power_factor(base(default_run()).model);
      auto figure = [&](double pf) {
        return conductor_ratio(pf, sizing::Architecture::ac_415v, false, false, so);
      };
      if (const auto x = bisect(figure, 0.5, 1.0, target, 1e-6))
        claim.break_even.push_back(
            {"AC power factor", *x, pf0, "",
             fmt::format("the ratio equals the claim at an AC power factor of {:.3f} (now {:.2f})",
                         *x, pf0)});
    }
    if (m == Metric::rack_busbar_copper_54v_kg) {
      auto figure = [&](double length) {
        const RackBusbar r =
            rack_busbar(54.0, rack_power_w, length, c_.options.sizing, rack_busbar_max_runs);
        return r.fits ? r.copper_kg : nan;
      };
      if (const auto x = bisect(figure, 0.05, 5.0, target, 1e-3))
        claim.break_even.push_back(
            {"rack busbar length", *x, rack_busbar_length_m, "m",
             fmt::format("the 54 V busbar weighs {} for a length of {:.2f} m (modelled: {:g} m)",
                         format_metric(m, target), *x, rack_busbar_length_m)});
    }
  }

  void summarise(Claim& claim) const {
    const Metric m = claim.spec.metric;
    std::string text;
    if (claim.verdict == Verdict::not_applicable) {
      text = "No figure could be computed for this claim with these architectures.";
    } else {
      text = fmt::format(
          "Computed {} over {} assumption set{} (default {}: {}); the claim says {}: {}.",
          claim.computed, claim.cases.size(), claim.cases.size() == 1 ? "" : "s",
          runs_[c_.default_run].scenario, format_metric(m, claim.computed_default), claim.published,
          verdict_name(claim.verdict));
    }
    std::string other;
    for (const auto& i : claim.interpretations)
      if (i.verdict != claim.verdict)
        other += fmt::format("{}{}: {} ({})", other.empty() ? "" : "; ", i.name, i.computed,
                             verdict_name(i.verdict));
    if (!other.empty()) text += fmt::format(" Readings that change the answer: {}.", other);
    const SensitivityRow* largest = nullptr;
    for (const auto& row : claim.sensitivity)
      if (row.verdict != Verdict::not_applicable &&
          (largest == nullptr || std::fabs(row.computed_value - claim.computed_default) >
                                     std::fabs(largest->computed_value - claim.computed_default)))
        largest = &row;
    if (largest != nullptr)
      text += fmt::format(" Most sensitive to {} = {}: {}.", largest->assumption, largest->value,
                          largest->computed);
    for (const auto& b : claim.break_even) text += fmt::format(" Break-even: {}.", b.text);
    claim.explanation = std::move(text);
  }

  const ClaimContext& c_;
  const std::vector<Run>& runs_;
  std::optional<RackFigures> rack_;
};

}  // namespace

std::optional<double> break_even_peak(const std::function<double(double)>& figure, double published,
                                      double lo, double hi) {
  // 0.005 points of efficiency is finer than any source the peaks come from.
  return bisect(figure, lo, hi, published, 5e-5);
}

std::optional<double> pair_metric_value(Metric metric, const ArchitectureResult& baseline,
                                        const ArchitectureResult& other,
                                        const CompareOptions& options) {
  switch (metric) {
    case Metric::conductor_power_ratio:
      return conductor_ratio(psu_power_factor(baseline.model), sizing::Architecture::ac_415v, false,
                             false, options.sizing);
    case Metric::copper_reduction:
      return reduction(other.copper_kg, baseline.copper_kg);
    case Metric::grid_input_reduction:
      return reduction(other.annual.input_mwh, baseline.annual.input_mwh);
    case Metric::efficiency_gain_points:
      return other.annual.efficiency - baseline.annual.efficiency;
    case Metric::rack_current_ratio:
    case Metric::rack_busbar_copper_54v_kg:
    case Metric::storage_peak_reduction:
      return std::nullopt;
  }
  return std::nullopt;
}

std::vector<Claim> check_claims(const std::vector<ClaimSpec>& specs, const ClaimContext& context) {
  std::vector<Claim> out;
  if (context.runs == nullptr || context.runs->empty()) return out;
  const auto& first = context.runs->front().architectures;
  if (context.baseline >= first.size() || context.dc >= first.size()) return out;
  // Claims are independent: each is checked on its own thread (up to context.threads).
  out.resize(specs.size());
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto worker = [&] {
    for (std::size_t i = next++; i < specs.size(); i = next++) {
      try {
        if (context.on_claim) context.on_claim(specs[i]);
        Checker checker(context);
        out[i] = checker.check(specs[i]);
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    }
  };
  const unsigned threads = std::max(1u, std::min<unsigned>(context.threads, specs.size()));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  return out;
}

RackBusbar rack_busbar(double voltage_v, double power_w, double length_m,
                       const sizing::SizingOptions& options, int max_runs) {
  model::ModelSpec m;
  m.name = "rack busbar";
  m.buses.resize(2);
  for (auto& b : m.buses) {
    b.kind = model::BusKind::dc;
    b.nominal_voltage_v = voltage_v;
    b.v_min_pu = 0.0;  // no band: the sizing drop limit is the constraint
  }
  m.buses[0].id = "source";
  m.buses[1].id = "rack";
  model::Source source;
  source.id = "supply";
  source.type = model::SourceType::dc_source;
  source.bus = 0;
  m.sources.push_back(source);
  model::Line bar;
  bar.id = "busbar";
  bar.type = model::LineType::busbar;
  bar.from = 0;
  bar.to = 1;
  bar.length_m = length_m;
  bar.temperature_c = 65.0;  // DIN 43671 bar temperature (conductors.md §5.1)
  // A starting size that carries the current with a small drop; sizing replaces it.
  bar.cross_section_m2 = power_w / voltage_v * 1e-6;
  m.lines.push_back(bar);
  model::Load load;
  load.id = "rack";
  load.bus = 1;
  load.p_w = power_w;
  m.loads.push_back(load);

  sizing::SizingOptions o = options;
  o.max_parallel_runs = max_runs;
  const auto sized = sizing::size_until_stable(m, sizing::default_tables(), o, 6);
  const auto& line = sized.sizing.lines.at(0);
  const steady::SolveResult solution =
      sized.stable ? sized.solution : steady::solve(sized.sizing.sized_model);
  RackBusbar out;
  out.voltage_v = voltage_v;
  out.power_w = power_w;
  out.fits = line.status == sizing::LineStatus::sized;
  out.size = sizing::size_label(line);
  out.cross_section_m2 = line.cross_section_m2 * line.conductors_per_pole * line.parallel_runs;
  out.copper_kg = line.mass_kg;
  for (const auto& r : solution.elements)
    if (r.type == steady::ElementType::line) {
      out.current_a = r.current_a;
      out.loss_w = r.loss_w;
    }
  return out;
}

}  // namespace g2g::study

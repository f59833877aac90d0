#include "g2g/study/claims.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "g2g/sizing/conductor_power.hpp"
#include "g2g/sizing/tables.hpp"
#include "g2g/steady/solver.hpp"

namespace g2g::study {
namespace {

using Json = nlohmann::json;

// Reference conductor for claim (a): 240 mm2 is a common LV feeder size and sits mid-table.
constexpr double reference_conductor_m2 = 240e-6;
constexpr double psu_power_factor = conductor_power_factor;
// Conductors at or below this voltage are inside the rack (54 V busbars, 12 V rails).
constexpr double rack_voltage_limit_v = 60.0;

std::string pct(double fraction) {
  return fmt::format("{:.1f} %", 100.0 * fraction);
}
std::string times(double ratio) {
  return fmt::format("{:.2f}x", ratio);
}
std::string points(double gain) {
  return fmt::format("{:+.2f} points", 100.0 * gain);
}

// Sets the efficiency of every converter labelled `label` (subtype, or type without one).
void set_efficiency(model::ModelSpec& m, std::string_view label, double efficiency) {
  for (auto& c : m.converters) {
    const std::string_view l =
        c.subtype.empty() ? model::name(c.type) : std::string_view(c.subtype);
    if (l == label) c.efficiency = {{1.0, efficiency}};
  }
}

bool has_converter(const model::ModelSpec& m, std::string_view label) {
  return std::any_of(m.converters.begin(), m.converters.end(), [&](const model::Converter& c) {
    return (c.subtype.empty() ? model::name(c.type) : std::string_view(c.subtype)) == label;
  });
}

double facility_copper_kg(const ArchitectureResult& a) {
  double kg = 0.0;
  for (const auto& level : a.conductor_levels)
    if (level.voltage_v > rack_voltage_limit_v) kg += level.copper_kg;
  return kg;
}

// A baseline and an 800 V DC architecture, re-run together with one change.
struct Pair {
  ArchitectureResult base;
  ArchitectureResult dc;
};

class Checker {
 public:
  Checker(const ClaimContext& context, std::size_t dc)
      : c_(context), all_(*context.architectures), dc_(dc) {}

  std::vector<Claim> run() {
    std::vector<Claim> claims;
    claims.push_back(conductor_claim());
    // Variants shared by the copper, conversion-loss and end-to-end claims.
    compute_variants();
    claims.push_back(copper_claim());
    claims.push_back(conversion_loss_claim());
    claims.push_back(end_to_end_claim());
    claims.push_back(rack_claim());
    return claims;
  }

 private:
  // Which claims a variant bears on: efficiencies move losses, sizing rules move copper,
  // rack power moves both.
  enum Affects : unsigned { losses = 1u, copper = 2u };

  struct Variant {
    std::string assumption;
    std::string value;
    unsigned affects = 0;
    Pair pair;
  };

  const ArchitectureResult& base() const { return all_[0]; }
  const ArchitectureResult& dc() const { return all_[dc_]; }

  ArchitectureResult rerun(std::size_t i, const CompareOptions& options,
                           const std::function<void(model::ModelSpec&)>& edit,
                           const model::LoadOptions* load) const {
    model::ModelSpec m = load != nullptr ? c_.reload(i, *load) : all_[i].model;
    if (edit) edit(m);
    return analyse(all_[i].id, m, options);
  }

  void add_variant(std::string assumption, std::string value, unsigned affects,
                   const CompareOptions& options,
                   const std::function<void(model::ModelSpec&)>& edit,
                   const model::LoadOptions* load = nullptr) {
    variants_.push_back({std::move(assumption), std::move(value), affects,
                         Pair{rerun(0, options, edit, load), rerun(dc_, options, edit, load)}});
  }

  void compute_variants() {
    const CompareOptions& o = c_.options;
    if (has_converter(base().model, "ups")) {
      // 95.0 %: best case of the 2009 unit; 98.5 %: eco mode, 98-99 % on datasheets
      // (800vdc-facts.md §2.2 [vendor claim]).
      add_variant("UPS efficiency", "95.0 % (best case, §2.2)", losses, o,
                  [](model::ModelSpec& m) { set_efficiency(m, "ups", 0.95); });
      add_variant("UPS efficiency", "98.5 % (eco mode, §2.2)", losses, o,
                  [](model::ModelSpec& m) { set_efficiency(m, "ups", 0.985); });
    }
    if (has_converter(dc().model, "sst"))
      add_variant("SST efficiency", "97.5 % (assumption: no product measurement, §5)", losses, o,
                  [](model::ModelSpec& m) { set_efficiency(m, "sst", 0.975); });
    if (has_converter(base().model, "ups") && has_converter(dc().model, "sst"))
      add_variant("UPS and SST efficiency", "eco-mode UPS 98.5 % and SST 97.5 % together", losses,
                  o, [](model::ModelSpec& m) {
                    set_efficiency(m, "ups", 0.985);
                    set_efficiency(m, "sst", 0.975);
                  });
    if (c_.options.size_conductors) {
      for (const double drop : {1.0, 5.0}) {
        CompareOptions changed = o;
        changed.sizing.max_voltage_drop_pct = drop;
        add_variant("voltage-drop limit", fmt::format("{:g} %", drop), copper, changed, {});
      }
      CompareOptions no_neutral = o;
      no_neutral.sizing.ac_neutral = sizing::NeutralRule::none;
      add_variant("AC neutral", "none (three-wire feeders)", copper, no_neutral, {});
    }
    if (c_.reload) {
      const model::LoadOptions mw{{{"rack_power", "1 MW"}}};
      try {
        add_variant("rack power", "1 MW", losses | copper, o, {}, &mw);
      } catch (const std::exception&) {
        // A model without a rack_power parameter: the row is left out.
      }
    }
  }

  // Adds the rows of the variants that bear on the claim, then says which assumption moves
  // the figure most and which, if any, changes the verdict.
  template <typename Figure>
  void sensitivity(Claim& claim, Figure figure, double published, std::string (*format)(double),
                   unsigned affects) const {
    for (const auto& v : variants_) {
      if ((v.affects & affects) == 0) continue;
      const double value = figure(v.pair.base, v.pair.dc);
      claim.sensitivity.push_back(
          {v.assumption, v.value, format(value), value, judge(value, published)});
    }
    summarise_sensitivity(claim, format);
  }

  static void summarise_sensitivity(Claim& claim, std::string (*format)(double)) {
    const SensitivityRow* largest = nullptr;
    std::string flips;
    for (const auto& row : claim.sensitivity) {
      if (row.verdict == Verdict::not_applicable) continue;
      if (largest == nullptr || std::fabs(row.computed_value - claim.computed_value) >
                                    std::fabs(largest->computed_value - claim.computed_value))
        largest = &row;
      if (row.verdict != claim.verdict)
        flips += fmt::format("{}{} = {} ({}: {})", flips.empty() ? "" : "; ", row.assumption,
                             row.value, verdict_name(row.verdict), row.computed);
    }
    if (largest != nullptr)
      claim.explanation +=
          fmt::format(" Most sensitive to {} = {}: {} instead of {}.", largest->assumption,
                      largest->value, largest->computed, format(claim.computed_value));
    claim.explanation += flips.empty()
                             ? std::string(" No assumption tried here changes the verdict.")
                             : fmt::format(" The verdict changes with: {}.", flips);
  }

  Claim conductor_claim() const {
    const auto& tables = sizing::default_tables();
    const auto& so = c_.options.sizing;
    auto ratio = [&](sizing::Architecture dc, sizing::Architecture ac, double pf, bool per_kg,
                     double size_m2) {
      const sizing::ConductorPowerOptions po{pf, true};
      const auto p_dc = sizing::conductor_power(tables, dc, size_m2, so, po);
      const auto p_ac = sizing::conductor_power(tables, ac, size_m2, so, po);
      return per_kg ? p_dc.power_per_mass_w_m_per_kg / p_ac.power_per_mass_w_m_per_kg
                    : p_dc.power_per_current_carrying_conductor_w /
                          p_ac.power_per_current_carrying_conductor_w;
    };
    Claim claim;
    claim.id = "a";
    claim.claim = "The same conductor carries about 2x the power at 800 V DC";
    claim.source =
        "NVIDIA via press: \"150 % more power\" through the same conductors (800vdc-facts.md "
        "§1.2, vendor claim); issue 4 states it as about 2x";
    claim.published = "about 2x";
    const auto p800 = sizing::conductor_power(tables, sizing::Architecture::dc_800v,
                                              reference_conductor_m2, so, {psu_power_factor, true});
    const auto p415 = sizing::conductor_power(tables, sizing::Architecture::ac_415v,
                                              reference_conductor_m2, so, {psu_power_factor, true});
    const double r =
        p800.power_per_current_carrying_conductor_w / p415.power_per_current_carrying_conductor_w;
    claim.computed_value = r;
    claim.computed = times(r);
    claim.verdict = judge(r - 1.0, 1.0);
    claim.assumptions = {
        fmt::format("one 240 mm2 copper conductor, IEC 60364-5-52 method {}, {:g} °C ambient",
                    sizing::name(so.method), so.ambient_c),
        fmt::format("ampacity {:.0f} A per conductor at 800 V DC (2 loaded) and {:.0f} A at 415 V "
                    "AC (3 loaded), after derating",
                    p800.ampacity_a, p415.ampacity_a),
        fmt::format("AC power factor {:g} (rack PSUs, §2.4)", psu_power_factor),
        "power per current-carrying conductor: AC sqrt(3) V I pf / 3, DC V I / 2"};
    const double volts_per_conductor_ac = 415.0 / std::sqrt(3.0) * psu_power_factor;
    claim.explanation = fmt::format(
        "Per current-carrying conductor, 800 V DC moves {:.0f} W/A x {:.0f} A = {:.0f} kW, 415 V "
        "AC {:.0f} W/A x {:.0f} A = {:.0f} kW. The voltage per conductor gives {:.2f}x (400 V "
        "against 240 V x pf {:g}); the higher table ampacity of two loaded conductors against "
        "three gives {:.2f}x.",
        400.0, p800.ampacity_a, p800.power_per_current_carrying_conductor_w / 1e3,
        volts_per_conductor_ac, p415.ampacity_a, p415.power_per_current_carrying_conductor_w / 1e3,
        400.0 / volts_per_conductor_ac, psu_power_factor, p800.ampacity_a / p415.ampacity_a);
    auto row = [&](std::string assumption, std::string value, double ratio_value) {
      claim.sensitivity.push_back({std::move(assumption), std::move(value), times(ratio_value),
                                   ratio_value, judge(ratio_value - 1.0, 1.0)});
    };
    using A = sizing::Architecture;
    row("AC power factor", "1.0",
        ratio(A::dc_800v, A::ac_415v, 1.0, false, reference_conductor_m2));
    row("AC voltage", "480 V",
        ratio(A::dc_800v, A::ac_480v, psu_power_factor, false, reference_conductor_m2));
    row("counted per kg of copper", "incl. neutral and PE",
        ratio(A::dc_800v, A::ac_415v, psu_power_factor, true, reference_conductor_m2));
    row("DC system", "+/-400 V with mid-point, per kg",
        ratio(A::dc_pm400v, A::ac_415v, psu_power_factor, true, reference_conductor_m2));
    for (const double size : {35e-6, 630e-6}) {
      try {
        row("conductor size", fmt::format("{:g} mm2", size * 1e6),
            ratio(A::dc_800v, A::ac_415v, psu_power_factor, false, size));
      } catch (const std::invalid_argument&) {
        // Not in the table for this method: no row.
      }
    }
    summarise_sensitivity(claim, times);
    return claim;
  }

  Claim copper_claim() const {
    Claim claim;
    claim.id = "b";
    claim.claim = "About 45 % less copper with 800 V DC";
    claim.source = "NVIDIA, official figure -45 % (800vdc-facts.md §1.2, vendor claim)";
    claim.published = "45 %";
    auto reduction = [](const ArchitectureResult& b, const ArchitectureResult& d) {
      return b.copper_kg > 0.0 ? 1.0 - d.copper_kg / b.copper_kg : 0.0;
    };
    const double r = reduction(base(), dc());
    claim.computed_value = r;
    claim.computed = pct(r);
    claim.verdict = judge(r, 0.45);
    const auto& so = c_.options.sizing;
    claim.assumptions = {
        fmt::format("{}: {:.0f} kg copper; {}: {:.0f} kg", base().id, base().copper_kg, dc().id,
                    dc().copper_kg),
        c_.options.size_conductors
            ? fmt::format("every LV cable and busbar sized for its solved current: method {}, "
                          "{:g} °C, voltage drop <= {:g} %, AC neutral {}, PE {}",
                          sizing::name(so.method), so.ambient_c, so.max_voltage_drop_pct,
                          sizing::name(so.ac_neutral), sizing::name(so.ac_pe))
            : std::string("conductors as modelled (not sized)"),
        "MV cables are not sized (IEC 60364 covers LV only) and count as modelled",
        "the same geometry (lengths) in both architectures"};
    const double facility = facility_copper_kg(base()) > 0.0
                                ? 1.0 - facility_copper_kg(dc()) / facility_copper_kg(base())
                                : 0.0;
    claim.explanation = fmt::format(
        "Copper is what the sized conductors weigh. Above the rack (conductors above {:g} V) "
        "{} needs {} less than {}; inside the rack the 54 V busbars are the same in both and "
        "dilute the difference.",
        rack_voltage_limit_v, dc().id, pct(facility), base().id);
    claim.sensitivity.push_back(
        {"copper counted", "above the rack only", pct(facility), facility, judge(facility, 0.45)});
    sensitivity(claim, reduction, 0.45, pct, copper);
    return claim;
  }

  Claim conversion_loss_claim() const {
    Claim claim;
    claim.id = "c";
    claim.claim = "About 30 % lower conversion losses with 800 V DC";
    claim.source =
        "issue 4 (public claim); cf. SiC/GaN SSTs \"25-40 % lower conversion losses\" "
        "(800vdc-facts.md §5, analyst estimate)";
    claim.published = "30 %";
    auto reduction = [](const ArchitectureResult& b, const ArchitectureResult& d) {
      return b.conversion_loss_w > 0.0 ? 1.0 - d.conversion_loss_w / b.conversion_loss_w : 0.0;
    };
    const double r = reduction(base(), dc());
    claim.computed_value = r;
    claim.computed = pct(r);
    claim.verdict = judge(r, 0.30);
    claim.assumptions = stage_assumptions();
    claim.explanation = fmt::format(
        "Conversion losses (transformers and converters{}): {} {:.2f} MW in {} stages, {} "
        "{:.2f} MW in {} stages. The UPS and the AC rack PSU carry most of the difference.",
        c_.options.include_point_of_load ? "" : ", GPU regulators excluded", base().id,
        base().conversion_loss_w / 1e6, base().conversion_stages, dc().id,
        dc().conversion_loss_w / 1e6, dc().conversion_stages);
    sensitivity(claim, reduction, 0.30, pct, losses);
    return claim;
  }

  Claim end_to_end_claim() const {
    Claim claim;
    claim.id = "d";
    claim.claim = "Up to 5 % better end-to-end efficiency with 800 V DC";
    claim.source = "NVIDIA technical blog, as quoted (800vdc-facts.md §1.2, vendor claim)";
    claim.published = "up to 5 points";
    auto gain = [](const ArchitectureResult& b, const ArchitectureResult& d) {
      return d.efficiency - b.efficiency;
    };
    const double g = gain(base(), dc());
    claim.computed_value = g;
    claim.computed = points(g);
    claim.verdict = judge(g, 0.05);
    claim.assumptions = stage_assumptions();
    claim.explanation = fmt::format(
        "End to end ({}): {} {:.2f} %, {} {:.2f} %. Measured independently, 380 V DC saved 5-7 % "
        "against best-practice AC (LBNL 2006, §3.2); Schneider found high-efficiency AC and DC "
        "virtually equal (§3.2).",
        c_.options.include_point_of_load ? "grid to GPU core" : "grid to GPU regulator input",
        base().id, 100.0 * base().efficiency, dc().id, 100.0 * dc().efficiency);
    sensitivity(claim, gain, 0.05, points, losses);
    return claim;
  }

  std::vector<std::string> stage_assumptions() const {
    std::vector<std::string> out;
    auto describe = [&](const ArchitectureResult& a) {
      std::string s = fmt::format("{}:", a.id);
      for (const auto& st : a.stages)
        if (st.kind == StageKind::conversion && st.p_in_w > 0.0)
          s += fmt::format(" {} {:.2f} %;", st.name, 100.0 * st.p_out_w / st.p_in_w);
      if (!s.empty() && s.back() == ';') s.pop_back();
      return s;
    };
    out.push_back(describe(base()));
    out.push_back(describe(dc()));
    out.push_back(
        "stage efficiencies as cited in the example models (vendor claims and "
        "standards' minimums; see their comments)");
    return out;
  }

  Claim rack_claim() const {
    Claim claim;
    claim.id = "e";
    claim.claim = "A 1 MW rack: 54 V against 800 V inside the rack";
    claim.source =
        "about 15x less current at 800 V (800vdc-facts.md §1.3, analyst estimate); 1 MW racks "
        "from 2027 (§1.2, vendor claim)";
    claim.published = "about 15x less current";
    const double length_m = 2.0;  // one rack height of busbar (assumption, as in the examples)
    const int max_runs = 16;
    sizing::SizingOptions so = c_.options.sizing;
    const RackBusbar low = rack_busbar(54.0, 1e6, length_m, so, max_runs);
    const RackBusbar high = rack_busbar(800.0, 1e6, length_m, so, max_runs);
    const double ratio = low.current_a / high.current_a;
    claim.computed_value = ratio;
    claim.computed = times(ratio);
    claim.verdict = judge(ratio - 1.0, 15.0 - 1.0);
    claim.assumptions = {
        fmt::format(
            "{:g} m two-pole copper busbar, DIN 43671 {} bars, 65 °C, up to {} runs", length_m,
            so.busbar_finish == sizing::BusbarFinish::painted ? "painted" : "bare", max_runs),
        "a constant-power 1 MW load at the end of the busbar"};
    // At equal copper the loss scales with the square of the current.
    const double equal_copper_loss_w = low.loss_w * std::pow(high.current_a / low.current_a, 2);
    claim.explanation = fmt::format(
        "54 V: {:.1f} kA, busbar {}, {:.1f} kg copper, {:.2f} kW I2R loss. 800 V: {:.2f} kA, "
        "busbar {}, {:.1f} kg copper, {:.2f} kW. With the 54 V bar's copper, 800 V would lose "
        "{:.1f} W: (54/800)^2 = 1/{:.0f} of it.",
        low.current_a / 1e3, low.fits ? low.size : std::string("none in the table fits"),
        low.copper_kg, low.loss_w / 1e3, high.current_a / 1e3,
        high.fits ? high.size : std::string("none in the table fits"), high.copper_kg,
        high.loss_w / 1e3, equal_copper_loss_w, std::pow(800.0 / 54.0, 2));
    auto row = [&](std::string what, std::string value, double v, std::string (*f)(double)) {
      claim.sensitivity.push_back(
          {std::move(what), std::move(value), f(v), v, Verdict::not_applicable});
    };
    auto kg = [](double v) { return fmt::format("{:.1f} kg", v); };
    auto kw = [](double v) {
      return v >= 1e3 ? fmt::format("{:.2f} kW", v / 1e3) : fmt::format("{:.1f} W", v);
    };
    auto amps = [](double v) { return fmt::format("{:.0f} A", v); };
    row("busbar current", "54 V", low.current_a, amps);
    row("busbar current", "800 V", high.current_a, amps);
    row("busbar copper", "54 V", low.copper_kg, kg);
    row("busbar copper", "800 V", high.copper_kg, kg);
    row("I2R loss", "54 V, sized bar", low.loss_w, kw);
    row("I2R loss", "800 V, sized bar", high.loss_w, kw);
    row("I2R loss", "800 V, the 54 V bar's copper", equal_copper_loss_w, kw);
    return claim;
  }

  const ClaimContext& c_;
  const std::vector<ArchitectureResult>& all_;
  std::size_t dc_;
  std::vector<Variant> variants_;
};

}  // namespace

std::string_view verdict_name(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::holds:
      return "holds";
    case Verdict::partly:
      return "partly";
    case Verdict::does_not_hold:
      return "does not hold";
    case Verdict::not_applicable:
      break;
  }
  return "n/a";
}

Verdict judge(double computed_improvement, double published_improvement) noexcept {
  if (!(published_improvement > 0.0) || !std::isfinite(computed_improvement))
    return Verdict::not_applicable;
  if (computed_improvement >= holds_share * published_improvement) return Verdict::holds;
  if (computed_improvement > 0.0) return Verdict::partly;
  return Verdict::does_not_hold;
}

std::optional<std::size_t> find_800vdc(const std::vector<ArchitectureResult>& architectures) {
  for (std::size_t i = 1; i < architectures.size(); ++i)
    for (const auto& b : architectures[i].model.buses)
      if (b.kind == model::BusKind::dc && std::fabs(b.nominal_voltage_v - 800.0) < 1e-9) return i;
  return std::nullopt;
}

std::vector<Claim> check_claims(const ClaimContext& context) {
  if (context.architectures == nullptr) return {};
  const auto dc = find_800vdc(*context.architectures);
  if (!dc) return {};
  return Checker(context, *dc).run();
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
  out.size = line.size_label;
  out.cross_section_m2 = line.cross_section_m2 * line.conductors_per_pole * line.parallel_runs;
  out.copper_kg = line.mass_kg;
  for (const auto& r : solution.elements)
    if (r.type == steady::ElementType::line) {
      out.current_a = r.current_a;
      out.loss_w = r.loss_w;
    }
  return out;
}

nlohmann::json claims_json(const std::vector<Claim>& claims) {
  Json out = Json::array();
  for (const auto& c : claims) {
    Json rows = Json::array();
    for (const auto& r : c.sensitivity)
      rows.push_back(Json{{"assumption", r.assumption},
                          {"value", r.value},
                          {"computed", r.computed},
                          {"computed_value", r.computed_value},
                          {"verdict", verdict_name(r.verdict)}});
    out.push_back(Json{{"id", c.id},
                       {"claim", c.claim},
                       {"source", c.source},
                       {"published", c.published},
                       {"computed", c.computed},
                       {"computed_value", c.computed_value},
                       {"verdict", verdict_name(c.verdict)},
                       {"assumptions", c.assumptions},
                       {"explanation", c.explanation},
                       {"sensitivity", rows}});
  }
  return out;
}

}  // namespace g2g::study

#include "g2g/study/comparison.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <thread>

#include "g2g/core/units.hpp"

namespace g2g::study {
namespace {

using Json = nlohmann::json;

double nominal_it_load_w(const model::ModelSpec& m) {
  double w = 0.0;
  for (const auto& load : m.loads)
    if (load.in_service) w += model::nominal_load_power_w(load);
  return w;
}

// Runs `task(i)` for i in [0, count) on up to `threads` threads; the first exception is
// rethrown after all have finished.
void parallel_for(std::size_t count, unsigned threads,
                  const std::function<void(std::size_t)>& task) {
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto worker = [&] {
    for (std::size_t i = next++; i < count; i = next++) {
      try {
        task(i);
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next = count;  // stop handing out work
      }
    }
  };
  const unsigned n = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(count)));
  std::vector<std::thread> pool;
  pool.reserve(n - 1);
  for (unsigned t = 1; t < n; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

std::string percent(double fraction) {
  return fmt::format("{:g} %", 100.0 * fraction);
}

std::string curve_text(const std::vector<model::EfficiencyPoint>& curve) {
  std::string out;
  for (const auto& p : curve)
    out += fmt::format("{}{:g} % at {:g} %", out.empty() ? "" : ", ", 100.0 * p.efficiency,
                       100.0 * p.load_fraction);
  return out;
}

Json provenance_json(const Provenance& p) {
  return Json{{"source", p.source}, {"kind", name(p.kind)}};
}

// Every value an assumption set sets, with its source.
Json assumption_set_json(const AssumptionSet& s) {
  Json values = Json::array();
  for (const auto& r : s.converters) {
    std::string value;
    if (!r.efficiency.empty()) value = curve_text(r.efficiency);
    if (r.peak) value = fmt::format("peak {}", percent(*r.peak));
    if (r.loss_factor)
      value += fmt::format("{}losses x {:.3g}", value.empty() ? "" : ", ", *r.loss_factor);
    if ((r.peak || r.loss_factor) && !r.shape.empty())
      value += fmt::format(" (shape: {})", curve_text(r.shape));
    else if (r.peak || r.loss_factor)
      value += " (shape: the model's own curve)";
    if (r.as_modelled) value = "as modelled";
    if (r.power_factor) value += fmt::format("; power factor {:g}", *r.power_factor);
    if (r.standby_loss_fraction)
      value += fmt::format("; standby loss {} of the rating", percent(*r.standby_loss_fraction));
    Json v{{"role", r.role},
           {"what", fmt::format("{} efficiency", r.role)},
           {"value", value},
           {"source", r.provenance.source},
           {"kind", name(r.provenance.kind)}};
    if (!r.shape_source.empty()) v["shape_source"] = r.shape_source;
    values.push_back(v);
  }
  if (s.transformer)
    values.push_back(Json{{"role", "transformer"},
                          {"what", "transformer losses"},
                          {"value", fmt::format("no-load {}, load {} of the rating",
                                                percent(s.transformer->no_load_loss_fraction),
                                                percent(s.transformer->load_loss_fraction))},
                          {"source", s.transformer->provenance.source},
                          {"kind", name(s.transformer->provenance.kind)}});
  for (const auto& p : s.parameters)
    values.push_back(Json{{"role", "parameter"},
                          {"what", p.name},
                          {"value", p.value},
                          {"source", p.provenance.source},
                          {"kind", name(p.provenance.kind)}});
  return Json{{"name", s.name},       {"title", s.title},
              {"side", name(s.side)}, {"description", s.description},
              {"file", s.file},       {"values", values}};
}

struct Metric {
  const char* name;
  const char* unit;
  double (*value)(const ArchitectureResult&);
};

constexpr Metric metrics[] = {
    {"efficiency", "", [](const ArchitectureResult& a) { return a.design.efficiency; }},
    {"efficiency_to_core", "",
     [](const ArchitectureResult& a) { return a.design.efficiency_to_core; }},
    {"load_w", "W", [](const ArchitectureResult& a) { return a.design.delivered_w; }},
    {"it_load_w", "W", [](const ArchitectureResult& a) { return a.design.it_load_w; }},
    {"point_of_load_loss_w", "W",
     [](const ArchitectureResult& a) { return a.design.point_of_load_loss_w; }},
    {"cooling_w", "W", [](const ArchitectureResult& a) { return a.design.cooling_w; }},
    {"aluminium_kg", "kg", [](const ArchitectureResult& a) { return a.aluminium_kg; }},
    {"annual_efficiency", "", [](const ArchitectureResult& a) { return a.annual.efficiency; }},
    {"source_w", "W", [](const ArchitectureResult& a) { return a.design.source_w; }},
    {"loss_w", "W", [](const ArchitectureResult& a) { return a.design.loss_w; }},
    {"conversion_loss_w", "W",
     [](const ArchitectureResult& a) { return a.design.conversion_loss_w; }},
    {"distribution_loss_w", "W",
     [](const ArchitectureResult& a) { return a.design.distribution_loss_w; }},
    {"annual_input_mwh", "MWh", [](const ArchitectureResult& a) { return a.annual.input_mwh; }},
    {"annual_loss_mwh", "MWh", [](const ArchitectureResult& a) { return a.annual.loss_mwh; }},
    {"annual_loss_cost", "currency",
     [](const ArchitectureResult& a) { return a.annual.loss_cost; }},
    {"annual_cooling_mwh", "MWh", [](const ArchitectureResult& a) { return a.annual.cooling_mwh; }},
    {"copper_kg", "kg", [](const ArchitectureResult& a) { return a.copper_kg; }},
    {"boxes_in_series", "",
     [](const ArchitectureResult& a) { return static_cast<double>(a.boxes_in_series); }},
    {"power_conversions", "",
     [](const ArchitectureResult& a) { return static_cast<double>(a.power_conversions); }},
};

Json run_summary(const ArchitectureResult& a) {
  return Json{{"id", a.id},
              {"efficiency", a.design.efficiency},
              {"annual_efficiency", a.annual.efficiency},
              {"source_w", a.design.source_w},
              {"load_w", a.design.delivered_w},
              {"loss_w", a.design.loss_w},
              {"conversion_loss_w", a.design.conversion_loss_w},
              {"distribution_loss_w", a.design.distribution_loss_w},
              {"annual_input_mwh", a.annual.input_mwh},
              {"annual_loss_mwh", a.annual.loss_mwh},
              {"annual_loss_cost", a.annual.loss_cost},
              {"annual_cooling_mwh", a.annual.cooling_mwh},
              {"copper_kg", a.copper_kg}};
}

}  // namespace

ItLoadMismatch::ItLoadMismatch(std::string baseline, double base_w, std::string other,
                               double other_w, double tol)
    : Error(
          ErrorKind::invalid_input,
          fmt::format("{} serves {} of IT load and {} serves {} ({:+.1f} %), more than the {:g} % "
                      "tolerance: the architectures do not do the same job",
                      other, core::format_quantity(other_w, core::Dimension::active_power),
                      baseline, core::format_quantity(base_w, core::Dimension::active_power),
                      base_w > 0.0 ? 100.0 * (other_w / base_w - 1.0) : 0.0, 100.0 * tol)),
      baseline_id(std::move(baseline)),
      baseline_w(base_w),
      id(std::move(other)),
      it_w(other_w),
      tolerance(tol) {}

Comparison run_comparison(const ComparisonInput& in) {
  Comparison out;
  out.sets = in.sets;
  const std::vector<Scenario> scenarios = cross_scenarios(in.sets);
  const std::size_t n = in.ids.size();
  std::mutex progress_mutex;
  auto say = [&](const std::string& line) {
    if (!in.progress) return;
    const std::lock_guard lock(progress_mutex);
    in.progress(line);
  };

  // Which parameters each model declares (assumption sets set only those), and its IT load.
  std::vector<std::vector<std::string>> declared(n);
  out.it_load_w.assign(n, 0.0);
  out.it_scale.assign(n, 1.0);
  for (std::size_t i = 0; i < n; ++i) {
    const model::ModelSpec m = in.read(i, {});
    for (const auto& p : m.parameters) declared[i].push_back(p.name);
    out.it_load_w[i] = nominal_it_load_w(m);
  }
  for (std::size_t i = 1; i < n; ++i) {
    const double base = out.it_load_w[0];
    const double it = out.it_load_w[i];
    if (base > 0.0 && std::fabs(it / base - 1.0) > in.options.it_load_tolerance) {
      if (!in.options.normalise_it_load)
        throw ItLoadMismatch(in.ids[0], base, in.ids[i], it, in.options.it_load_tolerance);
      out.it_scale[i] = it > 0.0 ? base / it : 1.0;
    }
  }

  out.default_run = 0;
  for (std::size_t s = 0; s < scenarios.size(); ++s) {
    const bool all =
        std::all_of(in.default_sets.begin(), in.default_sets.end(), [&](const auto& name) {
          return std::any_of(scenarios[s].sets.begin(), scenarios[s].sets.end(),
                             [&](const AssumptionSet* set) { return set->name == name; });
        });
    if (all) {
      out.default_run = s;
      break;
    }
  }

  out.runs.resize(scenarios.size());
  for (std::size_t s = 0; s < scenarios.size(); ++s) {
    out.runs[s].scenario = scenarios[s].name;
    out.runs[s].sets = scenarios[s].sets;
    out.runs[s].architectures.resize(n);
  }
  const std::size_t tasks = scenarios.size() * n;
  parallel_for(
      tasks, in.threads == 0 ? std::thread::hardware_concurrency() : in.threads,
      [&](std::size_t task) {
        const std::size_t s = task / n;
        const std::size_t i = task % n;
        const Scenario& scenario = scenarios[s];
        model::ModelSpec m = in.read(i, parameter_overrides(scenario.sets, declared[i]));
        for (const auto* set : scenario.sets) apply(*set, m);
        if (out.it_scale[i] != 1.0) scale_loads(m, out.it_scale[i]);
        say(fmt::format("compare: {} under {} ({} buses): solving{}", in.ids[i], scenario.name,
                        m.buses.size(), in.options.size_conductors ? " and sizing" : ""));
        ArchitectureResult a = analyse(in.ids[i], m, in.options);
        a.scenario = scenario.name;
        out.runs[s].architectures[i] = std::move(a);
      });

  out.dc = find_800vdc(out.runs[out.default_run].architectures);
  if (out.dc && !in.claims.empty()) {
    ClaimContext context;
    context.runs = &out.runs;
    context.default_run = out.default_run;
    context.baseline = 0;
    context.dc = *out.dc;
    context.options = in.options;
    context.all_sets = in.sets;
    const auto& default_sets = scenarios[out.default_run].sets;
    context.reload = [&](std::size_t i, const std::vector<model::ParameterOverride>& extra) {
      auto overrides = parameter_overrides(default_sets, declared[i]);
      for (const auto& e : extra) {
        std::erase_if(overrides, [&](const auto& o) { return o.name == e.name; });
        overrides.push_back(e);
      }
      model::ModelSpec m = in.read(i, overrides);
      for (const auto* set : default_sets) apply(*set, m);
      if (out.it_scale[i] != 1.0) scale_loads(m, out.it_scale[i]);
      return m;
    };
    context.threads = in.threads == 0 ? std::thread::hardware_concurrency() : in.threads;
    context.on_claim = [&](const ClaimSpec& c) {
      say(fmt::format("compare: claim {} ({})", c.id, name(c.metric)));
    };
    out.claims = check_claims(in.claims, context);
  }
  return out;
}

Json comparison_json(const Comparison& c, const CompareOptions& options, const Json& provenance) {
  Json doc;
  doc["grid2gpu_compare"] = 2;
  doc["provenance"] = provenance;
  const auto& runs = c.runs;
  const auto& base_run = runs.at(c.default_run).architectures;
  Json assumptions{
      {"tariff_per_mwh", options.tariff_per_mwh},
      {"currency", options.currency},
      {"tariff_source", provenance_json(options.tariff_provenance)},
      {"hours_per_year", options.hours_per_year},
      {"include_point_of_load", options.include_point_of_load},
      {"boundary", options.include_point_of_load ? "grid to GPU core (VRMs included)"
                                                 : "grid to GPU regulator (VRM) input"},
      {"conductors_sized", options.size_conductors},
      {"baseline", base_run.empty() ? std::string() : base_run[0].id},
      {"it_load_tolerance", options.it_load_tolerance},
      {"normalised", options.normalise_it_load}};
  if (options.size_conductors) {
    assumptions["sizing"] =
        Json{{"method", sizing::name(options.sizing.method)},
             {"ambient_c", options.sizing.ambient_c},
             {"grouped_circuits", options.sizing.grouped_circuits},
             {"max_voltage_drop_pct", options.sizing.max_voltage_drop_pct},
             {"max_parallel_runs", options.sizing.max_parallel_runs},
             {"ac_neutral", sizing::name(options.sizing.ac_neutral)},
             {"ac_pe", sizing::name(options.sizing.ac_pe)},
             {"dc_pe", sizing::name(options.sizing.dc_pe)},
             {"arrangement", sizing::name(sizing::arrangement_for(options.sizing))},
             {"dc_busbar_rating", sizing::name(options.sizing.dc_busbar_rating)}};
  }
  Json profile = Json::array();
  for (const auto& p : options.profile.points)
    profile.push_back(Json{{"label", p.label}, {"utilisation", p.utilisation}, {"hours", p.hours}});
  assumptions["utilisation_profile"] =
      Json{{"points", profile},
           {"hours", options.profile.total_hours()},
           {"source", provenance_json(options.profile.provenance)}};
  assumptions["cooling"] = Json{{"overhead_kw_per_kw", options.cooling.overhead_kw_per_kw},
                                {"source", provenance_json(options.cooling.provenance)}};
  doc["assumptions"] = assumptions;

  Json sets = Json::array();
  for (const auto* s : c.sets) sets.push_back(assumption_set_json(*s));
  doc["assumption_sets"] = sets;

  Json scenarios = Json::array();
  for (std::size_t s = 0; s < runs.size(); ++s) {
    Json names = Json::array();
    for (const auto* set : runs[s].sets) names.push_back(set->name);
    Json archs = Json::array();
    for (const auto& a : runs[s].architectures) archs.push_back(run_summary(a));
    scenarios.push_back(Json{{"name", runs[s].scenario},
                             {"sets", names},
                             {"default", s == c.default_run},
                             {"architectures", archs}});
  }
  doc["scenarios"] = scenarios;
  doc["default_scenario"] = runs.empty() ? std::string() : runs[c.default_run].scenario;

  Json list = Json::array();
  for (std::size_t i = 0; i < base_run.size(); ++i) {
    Json a = architecture_json(base_run[i], options);
    a["it_load_as_read_w"] = c.it_load_w.at(i);
    a["it_scale"] = c.it_scale.at(i);
    // The range of the headline figures over every scenario.
    Json ranges = Json::object();
    for (const auto& metric : metrics) {
      double lo = std::numeric_limits<double>::infinity(), hi = -lo;
      for (const auto& run : runs) {
        const double v = metric.value(run.architectures[i]);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      ranges[metric.name] = Json{{"low", lo}, {"high", hi}};
    }
    a["ranges"] = ranges;
    list.push_back(a);
  }
  doc["architectures"] = list;

  // Differences against the baseline: in the default scenario, and their range over scenarios.
  Json differences = Json::array();
  if (base_run.size() > 1) {
    for (const auto& metric : metrics) {
      const double b = metric.value(base_run[0]);
      Json values = Json::object(), abs = Json::object(), rel = Json::object(),
           range = Json::object(), rel_range = Json::object();
      for (std::size_t i = 1; i < base_run.size(); ++i) {
        const double v = metric.value(base_run[i]);
        values[base_run[i].id] = v;
        abs[base_run[i].id] = v - b;
        rel[base_run[i].id] = b != 0.0 ? Json((v - b) / b) : Json(nullptr);
        double lo = std::numeric_limits<double>::infinity(), hi = -lo;
        double rel_lo = lo, rel_hi = -lo;
        bool relative = true;
        for (const auto& run : runs) {
          const double base_value = metric.value(run.architectures[0]);
          const double d = metric.value(run.architectures[i]) - base_value;
          lo = std::min(lo, d);
          hi = std::max(hi, d);
          if (base_value == 0.0) {
            relative = false;
          } else {
            rel_lo = std::min(rel_lo, d / base_value);
            rel_hi = std::max(rel_hi, d / base_value);
          }
        }
        range[base_run[i].id] = Json{{"abs_low", lo}, {"abs_high", hi}};
        rel_range[base_run[i].id] =
            relative ? Json{{"rel_low", rel_lo}, {"rel_high", rel_hi}} : Json(nullptr);
      }
      differences.push_back(Json{{"metric", metric.name},
                                 {"unit", metric.unit},
                                 {"baseline", b},
                                 {"values", values},
                                 {"abs", abs},
                                 {"rel", rel},
                                 {"abs_range", range},
                                 {"rel_range", rel_range}});
    }
  }
  doc["differences"] = differences;
  doc["conductor_power"] = conductor_power_json(options);
  doc["conductor_power_factor"] = conductor_power_factor;
  doc["claims_pair"] = c.dc && !base_run.empty()
                           ? Json{{"baseline", base_run[0].id}, {"dc", base_run[*c.dc].id}}
                           : Json(nullptr);
  doc["claims"] = claims_json(c.claims);
  return doc;
}

}  // namespace g2g::study

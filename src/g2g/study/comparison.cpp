#include "g2g/study/comparison.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

#include "g2g/core/units.hpp"
#include "g2g/reliability/failure_rates.hpp"
#include "g2g/study/availability.hpp"

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

Json provenance_json(const Provenance& p) {
  return Json{{"source", p.source}, {"kind", name(p.kind)}};
}

// {low, high} under the document's names, or null; a NaN end is written as null.
Json range_json(const std::optional<Range>& r, const char* low, const char* high) {
  return r ? Json{{low, r->low}, {high, r->high}} : Json(nullptr);
}

Json assumption_set_json(const AssumptionSetSummary& s) {
  Json values = Json::array();
  for (const auto& v : s.values) {
    Json j{{"role", v.role},
           {"what", v.what},
           {"value", v.value},
           {"source", v.provenance.source},
           {"kind", name(v.provenance.kind)}};
    if (!v.shape_source.empty()) j["shape_source"] = v.shape_source;
    values.push_back(j);
  }
  return Json{{"name", s.name},       {"title", s.title},
              {"side", name(s.side)}, {"description", s.description},
              {"file", s.file},       {"values", values}};
}

Json figures_json(const ScenarioFigures& f) {
  return Json{{"id", f.id},
              {"efficiency", f.efficiency},
              {"annual_efficiency", f.annual_efficiency},
              {"source_w", f.source_w},
              {"load_w", f.load_w},
              {"loss_w", f.loss_w},
              {"conversion_loss_w", f.conversion_loss_w},
              {"distribution_loss_w", f.distribution_loss_w},
              {"annual_input_mwh", f.annual_input_mwh},
              {"annual_loss_mwh", f.annual_loss_mwh},
              {"annual_loss_cost", f.annual_loss_cost},
              {"annual_cooling_mwh", f.annual_cooling_mwh},
              {"copper_kg", f.copper_kg}};
}

// Each member only when stated, so that a document read back is written back the same.
Json assumptions_json(const StatedAssumptions& a) {
  Json out = Json::object();
  if (a.tariff_per_mwh) out["tariff_per_mwh"] = *a.tariff_per_mwh;
  out["currency"] = a.currency;
  if (a.tariff_source) out["tariff_source"] = provenance_json(*a.tariff_source);
  if (a.hours_per_year) out["hours_per_year"] = *a.hours_per_year;
  if (a.include_point_of_load) out["include_point_of_load"] = *a.include_point_of_load;
  out["boundary"] = a.boundary;
  if (a.conductors_sized) out["conductors_sized"] = *a.conductors_sized;
  out["baseline"] = a.baseline;
  if (a.it_load_tolerance) out["it_load_tolerance"] = *a.it_load_tolerance;
  if (a.normalised) out["normalised"] = *a.normalised;
  if (a.sizing) {
    const SizingConditions& z = *a.sizing;
    Json sizing{{"method", z.method},
                {"ambient_c", z.ambient_c},
                {"max_voltage_drop_pct", z.max_voltage_drop_pct},
                {"ac_neutral", z.ac_neutral},
                {"ac_pe", z.ac_pe},
                {"dc_pe", z.dc_pe}};
    if (z.grouped_circuits) sizing["grouped_circuits"] = *z.grouped_circuits;
    if (z.max_parallel_runs) sizing["max_parallel_runs"] = *z.max_parallel_runs;
    if (!z.arrangement.empty()) sizing["arrangement"] = z.arrangement;
    if (!z.dc_busbar_rating.empty()) sizing["dc_busbar_rating"] = z.dc_busbar_rating;
    out["sizing"] = sizing;
  }
  if (a.utilisation_profile) {
    Json points = Json::array();
    for (const auto& p : a.utilisation_profile->points)
      points.push_back(
          Json{{"label", p.label}, {"utilisation", p.utilisation}, {"hours", p.hours}});
    out["utilisation_profile"] =
        Json{{"points", points},
             {"hours", a.utilisation_profile->total_hours()},
             {"source", provenance_json(a.utilisation_profile->provenance)}};
  }
  if (a.cooling)
    out["cooling"] = Json{{"overhead_kw_per_kw", a.cooling->overhead_kw_per_kw},
                          {"source", provenance_json(a.cooling->provenance)}};
  for (const auto& [key, text] : a.other) out[key] = text;
  return out;
}

StatedAssumptions stated(const CompareOptions& options, const std::string& baseline) {
  StatedAssumptions a;
  a.tariff_per_mwh = options.tariff_per_mwh;
  a.currency = options.currency;
  a.tariff_source = options.tariff_provenance;
  a.hours_per_year = options.hours_per_year;
  a.include_point_of_load = options.include_point_of_load;
  a.boundary = options.include_point_of_load ? "grid to GPU core (VRMs included)"
                                             : "grid to GPU regulator (VRM) input";
  a.conductors_sized = options.size_conductors;
  a.baseline = baseline;
  a.it_load_tolerance = options.it_load_tolerance;
  a.normalised = options.normalise_it_load;
  if (options.size_conductors) {
    const sizing::SizingOptions& z = options.sizing;
    a.sizing = SizingConditions{std::string(sizing::name(z.method)),
                                z.ambient_c,
                                z.grouped_circuits,
                                z.max_voltage_drop_pct,
                                z.max_parallel_runs,
                                std::string(sizing::name(z.ac_neutral)),
                                std::string(sizing::name(z.ac_pe)),
                                std::string(sizing::name(z.dc_pe)),
                                std::string(sizing::name(sizing::arrangement_for(z))),
                                std::string(sizing::name(z.dc_busbar_rating))};
  }
  a.utilisation_profile = options.profile;
  a.cooling = options.cooling;
  return a;
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
        // The same data file and rule for every architecture (docs/reliability.md).
        a.availability = architecture_availability(a.model, a.result, a.annual.it_mwh,
                                                   in.options.include_point_of_load,
                                                   reliability::failure_rates());
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
    if (in.storage_peak)
      context.storage_peak = [&, dc = *out.dc](double target, unsigned threads) {
        StoragePeakFigures f = in.storage_peak(in.read(dc, {}), target, threads);
        f.assumptions.push_back(fmt::format(
            "{} as written: no assumption set applied{}", in.ids[dc],
            out.it_scale[dc] != 1.0
                ? fmt::format(", its IT load not normalised (x {:.4g} in the steady runs)",
                              out.it_scale[dc])
                : std::string()));
        return f;
      };
    context.threads = in.threads == 0 ? std::thread::hardware_concurrency() : in.threads;
    context.on_claim = [&](const ClaimSpec& c) {
      say(fmt::format("compare: claim {} ({})", c.id, name(c.metric)));
    };
    out.claims = check_claims(in.claims, context);
  }
  return out;
}

ComparisonSummary summarise(const Comparison& c, const CompareOptions& options,
                            const RunProvenance& provenance) {
  if (c.runs.empty() || c.default_run >= c.runs.size())
    throw InvalidInput("comparison", "has no run of its default scenario");
  ComparisonSummary out;
  out.format = 2;
  out.provenance = provenance;
  const auto& runs = c.runs;
  const auto& base_run = runs[c.default_run].architectures;
  out.assumptions = stated(options, base_run.empty() ? std::string() : base_run[0].id);
  for (const auto* s : c.sets) out.assumption_sets.push_back(summarise(*s));
  for (std::size_t s = 0; s < runs.size(); ++s) {
    ScenarioSummary scenario{runs[s].scenario, {}, s == c.default_run, {}};
    for (const auto* set : runs[s].sets) scenario.sets.push_back(set->name);
    for (const auto& a : runs[s].architectures)
      scenario.architectures.push_back(scenario_figures(a));
    out.scenarios.push_back(std::move(scenario));
  }
  out.default_scenario = runs[c.default_run].scenario;

  // The range of the headline figures over every scenario.
  for (std::size_t i = 0; i < base_run.size(); ++i) {
    ArchitectureSummary a;
    a.it_load_as_read_w = c.it_load_w.at(i);
    a.it_scale = c.it_scale.at(i);
    for (const FigureMetric metric : all_figure_metrics) {
      double lo = std::numeric_limits<double>::infinity(), hi = -lo;
      for (const auto& run : runs) {
        const double v = figure_value(metric, run.architectures[i]);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      a.ranges[static_cast<std::size_t>(metric)] = Range{lo, hi};
    }
    out.architectures.push_back(a);
  }

  // Differences against the baseline: in the default scenario, and their range over scenarios.
  if (base_run.size() > 1) {
    for (const FigureMetric metric : all_figure_metrics) {
      Difference d;
      d.metric = metric;
      const double b = figure_value(metric, base_run[0]);
      d.baseline = b;
      for (std::size_t i = 1; i < base_run.size(); ++i) {
        DifferenceEntry e;
        e.id = base_run[i].id;
        e.value = figure_value(metric, base_run[i]);
        e.abs = e.value - b;
        e.rel = b != 0.0 ? (e.value - b) / b : not_stated;
        double lo = std::numeric_limits<double>::infinity(), hi = -lo;
        double rel_lo = lo, rel_hi = -lo;
        bool relative = true;
        for (const auto& run : runs) {
          const double base_value = figure_value(metric, run.architectures[0]);
          const double delta = figure_value(metric, run.architectures[i]) - base_value;
          lo = std::min(lo, delta);
          hi = std::max(hi, delta);
          if (base_value == 0.0) {
            relative = false;
          } else {
            rel_lo = std::min(rel_lo, delta / base_value);
            rel_hi = std::max(rel_hi, delta / base_value);
          }
        }
        e.abs_range = Range{lo, hi};
        if (relative) e.rel_range = Range{rel_lo, rel_hi};
        d.architectures.push_back(std::move(e));
      }
      out.differences.push_back(std::move(d));
    }
  }
  if (c.dc && !base_run.empty()) out.claims_pair = ClaimsPair{base_run[0].id, base_run[*c.dc].id};
  out.claims = c.claims;
  return out;
}

Json run_provenance_json(const RunProvenance& p) {
  return Json{{"program", p.program}, {"version", p.version}, {"commit", p.commit},
              {"date", p.date},       {"command", p.command}, {"study", p.study}};
}

Json comparison_json(const ComparisonSummary& summary,
                     const std::vector<ArchitectureResult>& architectures,
                     const CompareOptions& options) {
  if (summary.architectures.size() != architectures.size())
    throw InvalidInput("comparison", "the summary does not match the architectures");
  Json doc;
  doc["grid2gpu_compare"] = summary.format ? Json(*summary.format) : Json(nullptr);
  doc["provenance"] =
      summary.provenance ? run_provenance_json(*summary.provenance) : Json::object();
  doc["assumptions"] = assumptions_json(summary.assumptions);

  Json sets = Json::array();
  for (const auto& s : summary.assumption_sets) sets.push_back(assumption_set_json(s));
  doc["assumption_sets"] = sets;

  Json scenarios = Json::array();
  for (const auto& s : summary.scenarios) {
    Json archs = Json::array();
    for (const auto& a : s.architectures) archs.push_back(figures_json(a));
    scenarios.push_back(Json{
        {"name", s.name}, {"sets", s.sets}, {"default", s.is_default}, {"architectures", archs}});
  }
  doc["scenarios"] = scenarios;
  doc["default_scenario"] = summary.default_scenario;

  Json list = Json::array();
  for (std::size_t i = 0; i < architectures.size(); ++i) {
    const ArchitectureSummary& s = summary.architectures[i];
    Json a = architecture_json(architectures[i], options);
    a["it_load_as_read_w"] = s.it_load_as_read_w;
    a["it_scale"] = s.it_scale;
    Json ranges = Json::object();
    for (const FigureMetric metric : all_figure_metrics)
      if (const auto& r = s.range(metric))
        ranges[std::string(name(metric))] = range_json(r, "low", "high");
    a["ranges"] = ranges;
    list.push_back(a);
  }
  doc["architectures"] = list;

  Json differences = Json::array();
  for (const auto& d : summary.differences) {
    Json values = Json::object(), abs = Json::object(), rel = Json::object(),
         range = Json::object(), rel_range = Json::object();
    for (const auto& e : d.architectures) {
      values[e.id] = e.value;
      abs[e.id] = e.abs;
      rel[e.id] = std::isnan(e.rel) ? Json(nullptr) : Json(e.rel);
      range[e.id] = range_json(e.abs_range, "abs_low", "abs_high");
      rel_range[e.id] = range_json(e.rel_range, "rel_low", "rel_high");
    }
    differences.push_back(Json{{"metric", name(d.metric)},
                               {"unit", figure_unit(d.metric)},
                               {"baseline", d.baseline},
                               {"values", values},
                               {"abs", abs},
                               {"rel", rel},
                               {"abs_range", range},
                               {"rel_range", rel_range}});
  }
  doc["differences"] = differences;
  doc["conductor_power"] = conductor_power_json(options);
  doc["conductor_power_factor"] = conductor_power_factor;
  doc["claims_pair"] = summary.claims_pair ? Json{{"baseline", summary.claims_pair->baseline},
                                                  {"dc", summary.claims_pair->dc}}
                                           : Json(nullptr);
  doc["claims"] = claims_json(summary.claims);
  return doc;
}

Json comparison_json(const Comparison& c, const CompareOptions& options,
                     const RunProvenance& provenance) {
  return comparison_json(summarise(c, options, provenance), c.runs.at(c.default_run).architectures,
                         options);
}

}  // namespace g2g::study

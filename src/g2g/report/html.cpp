// The comparison report as one self-contained HTML document. Everything shown comes from the
// study's typed results (study::ComparisonSummary and each architecture's ArchitectureResult,
// as run or read back from a document by study::comparison_from_json) or the diagrams passed
// in; every number is in an HTML table, and the charts drawn by the inlined JavaScript repeat
// them graphically from the comparison JSON embedded in the page. The claims, the assumption
// sets and the provenance are built in html_claims.cpp and html_assumptions.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "g2g/report/assets.hpp"
#include "g2g/report/format.hpp"
#include "g2g/report/html_common.hpp"
#include "g2g/report/report.hpp"

namespace g2g::report {

namespace {

using detail::format_grouped;
using detail::format_percent;
using detail::format_power;
using detail::format_significant;
using detail::format_voltage;
using page::Architecture;
using page::dash;
using page::esc;
using page::grouped;
using page::humanise;
using page::if_finite;
using page::percent;
using page::power;
using page::Span;
using page::span_of;
using study::FigureMetric;
using Json = nlohmann::json;

// ---- Formatting ------------------------------------------------------------------------------

// What a difference metric is called in the report.
std::string_view metric_label(FigureMetric metric) {
  switch (metric) {
    case FigureMetric::efficiency:
      return "Efficiency (grid to the boundary)";
    case FigureMetric::annual_efficiency:
      return "Year efficiency";
    case FigureMetric::source_w:
      return "Grid input";
    case FigureMetric::load_w:
      return "Delivered at the boundary";
    case FigureMetric::loss_w:
      return "Losses";
    case FigureMetric::conversion_loss_w:
      return "Conversion losses";
    case FigureMetric::distribution_loss_w:
      return "Distribution losses";
    case FigureMetric::annual_input_mwh:
      return "Grid energy per year";
    case FigureMetric::annual_loss_mwh:
      return "Loss energy per year";
    case FigureMetric::annual_loss_cost:
      return "Loss cost per year";
    case FigureMetric::annual_cooling_mwh:
      return "Cooling energy for the losses per year";
    case FigureMetric::copper_kg:
      return "Copper mass";
    case FigureMetric::aluminium_kg:
      return "Aluminium mass";
    case FigureMetric::it_load_w:
      return "IT load (GPUs)";
    case FigureMetric::boxes_in_series:
      return "Boxes in series";
    case FigureMetric::power_conversions:
      return "Power conversions";
    case FigureMetric::efficiency_to_core:
      return "Efficiency to core";
    case FigureMetric::point_of_load_loss_w:
      return "Point of load loss w";
    case FigureMetric::cooling_w:
      return "Cooling w";
  }
  return "";
}

bool is_fraction_metric(FigureMetric metric) {
  return metric == FigureMetric::efficiency || metric == FigureMetric::annual_efficiency ||
         metric == FigureMetric::efficiency_to_core;
}

// A difference metric's value in its unit; `difference`: a signed change (efficiencies in
// percentage points).
std::string metric_value(double v, FigureMetric metric, std::string_view currency,
                         bool difference) {
  const std::string_view unit = study::figure_unit(metric);
  const std::string sign = difference && v > 0 ? "+" : "";
  if (is_fraction_metric(metric))
    return difference ? fmt::format("{:+.2f} points", v * 100.0) : format_percent(v, 2);
  if (unit == "W") return sign + format_power(v, 4);
  if (unit == "V") return sign + format_voltage(v, 4);
  if (unit == "%") return fmt::format("{}{} %", sign, format_significant(v, 4));
  if (unit == "currency" || (!currency.empty() && unit == currency))
    return fmt::format("{}{} {}", sign, format_grouped(v, 0),
                       currency.empty() ? std::string_view(unit) : currency);
  if (unit == "kg" || unit == "MWh" || unit == "kWh" || unit == "A")
    return fmt::format("{}{} {}", sign,
                       std::fabs(v) >= 100 ? format_grouped(v, 0) : format_significant(v, 4), unit);
  if (unit.empty() && std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e15)
    return fmt::format("{}{}", sign, static_cast<long long>(std::llround(v)));
  if (unit.empty()) return sign + format_significant(v, 4);
  return fmt::format("{}{} {}", sign, format_significant(v, 4), unit);
}

// A figure's range over the scenarios, as a small line under it: "84.12 % … 89.43 %", or that it
// is the same in every scenario.
std::string range_html(const std::optional<Span>& range, auto&& format) {
  if (!range) return {};
  if (range->flat()) return "<span class=\"range\">every scenario</span>";
  std::string low = format(range->low);
  const std::string high = format(range->high);
  // "124.2 … 132.1 MW": a unit both ends share is written once.
  const auto unit = high.rfind(' ');
  if (unit != std::string::npos && low.size() > high.size() - unit &&
      low.ends_with(std::string_view(high).substr(unit)))
    low.resize(low.size() - (high.size() - unit));
  return fmt::format("<span class=\"range\">{} … {}</span>", esc(low), esc(high));
}

// "3.5 % less grid input": a reduction (a fraction; negative for an increase) in words.
std::string reduction_text(double reduction, std::string_view what) {
  return fmt::format("{:.1f} % {} {}", std::fabs(reduction) * 100.0,
                     reduction >= 0 ? "less" : "more", what);
}

std::string reduction_range(const Span& r) {
  auto pct = [](double x) { return fmt::format("{:.1f} %", std::fabs(x) * 100.0); };
  if (r.flat()) return "every scenario";
  if (r.low >= 0) return fmt::format("{} … {} less", pct(r.low), pct(r.high));
  if (r.high <= 0) return fmt::format("{} … {} more", pct(r.high), pct(r.low));
  return fmt::format("{} more … {} less", pct(r.low), pct(r.high));
}

// ---- The page --------------------------------------------------------------------------------

class Page {
 public:
  // `results`: the architectures of the default scenario, in the order of `c.architectures`;
  // `data`: the comparison document, for the scripts.
  Page(const study::ComparisonSummary& c, const std::vector<study::ArchitectureResult>& results,
       const Json& data, const std::vector<ArchitectureDiagram>& d)
      : c_(c), data_(data), diagrams_(d) {
    if (results.size() != c.architectures.size())
      throw ReportError("comparison: the results do not match the document's architectures");
    currency_ = c.assumptions.currency;
    baseline_ = c.assumptions.baseline;
    boundary_ = c.assumptions.boundary;
    for (std::size_t i = 0; i < results.size(); ++i) {
      Architecture arch;
      arch.r = &results[i];
      arch.s = &c.architectures[i];
      arch.id = results[i].id;
      arch.name = page::or_else(results[i].name,
                                arch.id.empty() ? std::string_view("architecture") : arch.id);
      arch.baseline = !baseline_.empty() && arch.id == baseline_;
      archs_.push_back(std::move(arch));
    }
    if (baseline_.empty() && !archs_.empty()) {
      archs_.front().baseline = true;
      baseline_ = archs_.front().id;
    }
  }

  std::string render() {
    head();
    header();
    summary();
    differences();
    page::append_claims(out_, c_, archs_);
    page::append_assumption_sets(out_, c_, archs_);
    page::append_flows(out_, archs_);
    page::append_losses(out_, archs_);
    page::append_conductors(out_, archs_);
    page::append_availability(out_, archs_);
    single_line();
    page::append_violations(out_, archs_);
    page::append_assumptions(out_, c_, archs_);
    page::append_provenance(out_, c_);
    footer();
    return std::move(out_);
  }

 private:
  void head() {
    std::string names;
    for (const auto& a : archs_) {
      if (!names.empty()) names += " vs ";
      names += a.name;
    }
    title_ = names.empty() ? std::string("Power delivery comparison")
                           : fmt::format("Power delivery comparison: {}", names);
    page::append_page_head(out_, title_);
  }

  std::size_t scenario_count() const { return c_.scenarios.size(); }

  void header() {
    out_ += "<header class=\"page-header\">\n";
    out_ += fmt::format("<h1>{}</h1>\n", esc(title_));
    std::vector<std::string> parts;
    if (const auto* b = base()) parts.push_back(fmt::format("Baseline: <b>{}</b>", esc(b->name)));
    if (!boundary_.empty()) parts.push_back(fmt::format("boundary: {}", esc(boundary_)));
    if (const std::string& scenario = c_.default_scenario; !scenario.empty())
      parts.push_back(
          fmt::format("default scenario <b>{}</b> of {}", esc(scenario), scenario_count()));
    if (const auto t = c_.assumptions.tariff_per_mwh; t && std::isfinite(*t))
      parts.push_back(
          fmt::format("energy tariff {} {}/MWh", detail::format_trimmed(*t, 6), esc(currency_)));
    std::string sub;
    for (const auto& p : parts) sub += (sub.empty() ? "" : " · ") + p;
    out_ += fmt::format("<p class=\"subtitle\">{}</p>\n", sub);
    if (const auto& p = c_.provenance)
      out_ += fmt::format(
          "<p class=\"subtitle small\"><a href=\"#provenance\">{} {}</a>, commit <code>{}</code>, "
          "{}</p>\n",
          esc(page::or_else(p->program, "grid2gpu")), esc(p->version),
          esc(page::or_else(p->commit, dash)), esc(page::or_else(p->date, dash)));
    out_ +=
        "<noscript><p class=\"note\">The charts need JavaScript; every number is also in the "
        "tables.</p></noscript>\n";
    out_ +=
        "<nav class=\"toc\"><a href=\"#summary\">Summary</a><a href=\"#differences\">"
        "Differences</a><a href=\"#claims\">Claims</a><a href=\"#assumption-sets\">Assumption "
        "sets</a><a href=\"#flows\">Power flow</a><a href=\"#losses\">Losses by stage</a>"
        "<a href=\"#conductors\">Conductors</a><a href=\"#single-line\">Single-line diagrams</a>"
        "<a href=\"#violations\">Violations</a><a href=\"#assumptions\">Assumptions</a>"
        "<a href=\"#provenance\">Provenance</a></nav>\n";
    out_ += "</header>\n<main>\n";
  }

  const Architecture* base() const {
    for (const auto& a : archs_)
      if (a.baseline) return &a;
    return nullptr;
  }

  static const study::Figures& totals(const Architecture& a) { return a.r->design; }
  static const study::AnnualFigures& annual(const Architecture& a) { return a.r->annual; }

  // The range of `metric` over every scenario.
  static std::optional<Span> range(const Architecture& a, FigureMetric metric) {
    return span_of(a.s->range(metric));
  }

  static std::optional<Span> span(const std::optional<study::Range>& r) { return span_of(r); }

  // Delivered power at the boundary over every scenario.
  std::optional<Span> delivered(const Architecture& a) const {
    return span(study::delivered_range(c_, a.id, baseline_));
  }

  // The difference entry of `metric` for `a`, or nullptr.
  const study::DifferenceEntry* difference(FigureMetric metric, const Architecture& a) const {
    for (const auto& d : c_.differences)
      if (d.metric == metric) return d.find(a.id);
    return nullptr;
  }

  // The changes against the baseline on a card: efficiency gain in points, grid input and loss
  // reductions in %, each with its range over the scenarios.
  std::string card_deltas(const Architecture& a) const {
    std::string items;
    const study::DifferenceEntry* efficiency = difference(FigureMetric::efficiency, a);
    if (const auto gain = if_finite(efficiency != nullptr ? efficiency->abs : study::not_stated)) {
      const auto r = span(efficiency->abs_range);
      items += fmt::format(
          "<li class=\"{}\">{} efficiency{}</li>", *gain > 0 ? "better" : "worse",
          esc(fmt::format("{:+.2f} points", *gain * 100.0)),
          range_html(r, [](double x) { return fmt::format("{:+.2f} points", x * 100.0); }));
    }
    auto reduction = [&](FigureMetric metric, std::string_view what) {
      const study::DifferenceEntry* d = difference(metric, a);
      const auto rel = if_finite(d != nullptr ? d->rel : study::not_stated);
      if (!rel) return;
      const double cut = -*rel;
      const auto r = span(study::reduction_range(c_, a.id, baseline_, metric));
      items +=
          fmt::format("<li class=\"{}\">{}{}</li>", cut > 0 ? "better" : "worse",
                      esc(reduction_text(cut, what)),
                      r ? fmt::format("<span class=\"range\">{}</span>", esc(reduction_range(*r)))
                        : std::string());
    };
    reduction(FigureMetric::source_w, "grid input");
    reduction(FigureMetric::loss_w, "loss");
    if (items.empty()) return {};
    const Architecture* b = base();
    return fmt::format("<ul class=\"deltas\">{}</ul><div class=\"small\">against {}</div>\n", items,
                       esc(b ? b->name : std::string("the baseline")));
  }

  void card(const Architecture& a) {
    const study::Figures& t = totals(a);
    const study::AnnualFigures& year = annual(a);
    out_ += fmt::format("<div class=\"card{}\">\n<div class=\"card-title\">{}{}</div>\n",
                        a.baseline ? " baseline" : "", esc(a.name),
                        a.baseline ? " <span class=\"tag\">baseline</span>" : "");
    out_ += fmt::format(
        "<div class=\"big\">{}</div><div class=\"big-label\">grid-to-GPU efficiency{}</div>\n",
        esc(percent(if_finite(t.efficiency))),
        range_html(range(a, FigureMetric::efficiency),
                   [](double x) { return format_percent(x, 2); }));
    if (!boundary_.empty())
      out_ += fmt::format("<div class=\"boundary\">Boundary: {}</div>\n", esc(boundary_));
    if (!a.baseline) out_ += card_deltas(a);
    out_ += "<dl>";
    auto row = [&](std::string_view label, const std::string& value, const std::string& range) {
      out_ += fmt::format("<dt>{}</dt><dd>{}{}</dd>", label, esc(value), range);
    };
    auto power_range = [](double w) { return format_power(w, 4); };
    row("Grid input", power(if_finite(t.source_w)),
        range_html(range(a, FigureMetric::source_w), power_range));
    row("Delivered at the boundary", power(if_finite(t.delivered_w)),
        range_html(delivered(a), power_range));
    row("Losses", power(if_finite(t.loss_w)),
        range_html(range(a, FigureMetric::loss_w), power_range));
    auto mwh = [](double x) { return fmt::format("{} MWh", format_grouped(x, 0)); };
    row("Grid energy per year", grouped(if_finite(year.input_mwh), "MWh"),
        range_html(range(a, FigureMetric::annual_input_mwh), mwh));
    row("Loss energy per year", grouped(if_finite(year.loss_mwh), "MWh"),
        range_html(range(a, FigureMetric::annual_loss_mwh), mwh));
    row("Loss cost per year", grouped(if_finite(year.loss_cost), currency_),
        range_html(range(a, FigureMetric::annual_loss_cost), [&](double x) {
          return fmt::format("{} {}", format_grouped(x, 0), currency_);
        }));
    // Both counts' ranges on one line: "every scenario" only when neither moves.
    const auto boxes = range(a, FigureMetric::boxes_in_series);
    const auto conversions = range(a, FigureMetric::power_conversions);
    std::string counts_range;
    if (boxes && conversions)
      counts_range = boxes->flat() && conversions->flat()
                         ? "<span class=\"range\">every scenario</span>"
                         : fmt::format(
                               "<span class=\"range\">{} … {} boxes, {} … {} "
                               "conversions</span>",
                               boxes->low, boxes->high, conversions->low, conversions->high);
    row("In series",
        fmt::format("{} boxes, {} power conversions", a.r->boxes_in_series, a.r->power_conversions),
        counts_range);
    row("Copper", grouped(if_finite(a.r->copper_kg), "kg"),
        range_html(range(a, FigureMetric::copper_kg),
                   [](double x) { return fmt::format("{} kg", format_grouped(x, 0)); }));
    out_ += "</dl>\n";
    const auto& v = a.r->result.violations;
    if (!v.empty())
      out_ += fmt::format("<div class=\"warn\">⚠ {} violation{}</div>\n", v.size(),
                          v.size() == 1 ? "" : "s");
    if (!a.r->result.converged) out_ += "<div class=\"warn\">⚠ power flow did not converge</div>\n";
    out_ += "</div>\n";
  }

  void summary() {
    out_ += "<section id=\"summary\">\n<h2>Summary</h2>\n";
    const std::size_t scenarios = scenario_count();
    const std::string& chosen = c_.default_scenario;
    if (scenarios > 0)
      out_ += fmt::format(
          "<p class=\"note\">Figures of the default scenario{}; the small line under each is its "
          "range over all {} scenarios (<a href=\"#assumption-sets\">assumption sets</a>).</p>\n",
          chosen.empty() ? std::string() : fmt::format(" ({})", esc(chosen)), scenarios);
    out_ += "<div class=\"cards\">\n";
    for (const auto& a : archs_) card(a);
    out_ += "</div>\n";
    std::string profile = "the design load held all year";
    if (const auto& p = c_.assumptions.utilisation_profile; p && !p->points.empty())
      profile = "the utilisation profile (Assumptions)";
    out_ += fmt::format(
        "<p class=\"note\">Grid input − losses = delivered, and efficiency = delivered / grid "
        "input, all at the boundary on each card{}. Year figures: {}. Boxes in series: the "
        "converters and transformers power passes through between the grid and the boundary; "
        "power conversions: the conversions inside them (a double-conversion UPS or a rack PSU "
        "does two).</p>\n",
        boundary_.empty() ? std::string() : fmt::format(" ({})", esc(boundary_)), esc(profile));
    summary_table();
    out_ += "</section>\n";
  }

  void summary_table() {
    out_ += "<div class=\"scroll\"><table class=\"data summary\">\n<thead><tr><th></th>";
    for (const auto& a : archs_) out_ += fmt::format("<th class=\"num\">{}</th>", esc(a.name));
    out_ += "</tr></thead>\n<tbody>\n";
    // `cell` returns the cell's HTML (escaped by the caller).
    auto row_html = [&](std::string_view label, auto&& cell) {
      out_ += fmt::format("<tr><th>{}</th>", label);
      for (const auto& a : archs_) out_ += fmt::format("<td class=\"num\">{}</td>", cell(a));
      out_ += "</tr>\n";
    };
    auto row = [&](std::string_view label, auto&& value) {
      row_html(label, [&](const Architecture& a) { return esc(value(a)); });
    };
    // A figure of the default scenario with its range over every scenario under it.
    auto ranged = [&](std::string_view label, FigureMetric metric, auto&& value) {
      row_html(label, [&](const Architecture& a) {
        return esc(value(a)) + range_html(range(a, metric), [&](double x) {
                 return metric_value(x, metric, currency_, false);
               });
      });
    };
    row("Model file", [&](const Architecture& a) { return a.r->file; });
    row("Power flow", [&](const Architecture& a) {
      return a.r->result.converged
                 ? fmt::format("converged in {} iterations", a.r->result.stats.iterations)
                 : std::string("did not converge");
    });
    ranged("Grid input", FigureMetric::source_w,
           [&](const Architecture& a) { return power(if_finite(totals(a).source_w)); });
    row_html("Delivered at the boundary", [&](const Architecture& a) {
      return esc(power(if_finite(totals(a).delivered_w))) +
             range_html(delivered(a), [](double w) { return format_power(w, 4); });
    });
    ranged("Losses", FigureMetric::loss_w,
           [&](const Architecture& a) { return power(if_finite(totals(a).loss_w)); });
    ranged("of which in conversion", FigureMetric::conversion_loss_w,
           [&](const Architecture& a) { return power(if_finite(totals(a).conversion_loss_w)); });
    ranged("of which in distribution", FigureMetric::distribution_loss_w,
           [&](const Architecture& a) { return power(if_finite(totals(a).distribution_loss_w)); });
    ranged("Efficiency (grid to the boundary)", FigureMetric::efficiency,
           [&](const Architecture& a) { return percent(if_finite(totals(a).efficiency)); });
    row("Beyond the boundary: GPU point-of-load loss",
        [&](const Architecture& a) { return power(if_finite(totals(a).point_of_load_loss_w)); });
    row("IT load (GPU cores)",
        [&](const Architecture& a) { return power(if_finite(totals(a).it_load_w)); });
    row("Efficiency to the GPU cores",
        [&](const Architecture& a) { return percent(if_finite(totals(a).efficiency_to_core)); });
    row("Cooling power for the losses",
        [&](const Architecture& a) { return power(if_finite(totals(a).cooling_w)); });
    ranged("Year efficiency", FigureMetric::annual_efficiency,
           [&](const Architecture& a) { return percent(if_finite(annual(a).efficiency)); });
    ranged("Grid energy per year", FigureMetric::annual_input_mwh,
           [&](const Architecture& a) { return grouped(if_finite(annual(a).input_mwh), "MWh"); });
    ranged("Loss energy per year", FigureMetric::annual_loss_mwh,
           [&](const Architecture& a) { return grouped(if_finite(annual(a).loss_mwh), "MWh"); });
    ranged("Loss cost per year", FigureMetric::annual_loss_cost, [&](const Architecture& a) {
      return grouped(if_finite(annual(a).loss_cost), currency_);
    });
    ranged("Cooling energy for the losses per year", FigureMetric::annual_cooling_mwh,
           [&](const Architecture& a) { return grouped(if_finite(annual(a).cooling_mwh), "MWh"); });
    ranged("Boxes in series", FigureMetric::boxes_in_series,
           [&](const Architecture& a) { return std::to_string(a.r->boxes_in_series); });
    ranged("Power conversions", FigureMetric::power_conversions,
           [&](const Architecture& a) { return std::to_string(a.r->power_conversions); });
    ranged("Copper mass", FigureMetric::copper_kg,
           [&](const Architecture& a) { return grouped(if_finite(a.r->copper_kg), "kg"); });
    row("Aluminium mass",
        [&](const Architecture& a) { return grouped(if_finite(a.r->aluminium_kg), "kg"); });
    row("Violations",
        [&](const Architecture& a) { return std::to_string(a.r->result.violations.size()); });
    row("IT load as read (scaled to the baseline's)", [&](const Architecture& a) {
      const auto read = if_finite(a.s->it_load_as_read_w);
      const auto scale = if_finite(a.s->it_scale);
      if (!read) return std::string(dash);
      return scale && *scale != 1.0
                 ? fmt::format("{} (×{})", format_power(*read, 4), format_significant(*scale, 4))
                 : format_power(*read, 4);
    });
    if (std::any_of(archs_.begin(), archs_.end(),
                    [&](const Architecture& a) { return a.r->sizing.has_value(); }))
      row("Conductor sizing", [&](const Architecture& a) {
        if (!a.r->sizing) return std::string("as in the model");
        const sizing::SizingTotals& sized = a.r->sizing->totals;
        std::string out = fmt::format("{} sized, {} no fit, {} not sized", sized.sized,
                                      sized.no_fit, sized.not_sized);
        out += fmt::format(" ({} pass{})", a.r->sizing_passes, a.r->sizing_passes == 1 ? "" : "es");
        if (!a.r->sizing_stable) out += ", not stable";
        return out;
      });
    out_ += "</tbody>\n</table></div>\n";
  }

  void differences() {
    out_ += "<section id=\"differences\">\n<h2>Differences from the baseline</h2>\n";
    const auto& diffs = c_.differences;
    if (diffs.empty()) {
      out_ += "<p class=\"note\">The comparison lists no differences.</p>\n</section>\n";
      return;
    }
    const Architecture* b = base();
    std::vector<const Architecture*> others;
    for (const auto& a : archs_)
      if (!a.baseline) others.push_back(&a);
    out_ += "<div class=\"scroll\"><table class=\"data differences\">\n<thead><tr><th>Metric</th>";
    out_ += fmt::format("<th class=\"num\">{}<br><span class=\"small\">baseline</span></th>",
                        esc(b ? b->name : std::string("baseline")));
    for (const auto* a : others) out_ += fmt::format("<th class=\"num\">{}</th>", esc(a->name));
    out_ += "</tr></thead>\n<tbody>\n";
    for (const auto& d : diffs) {
      auto value = [&](const std::optional<double>& v, bool change) {
        return v ? metric_value(*v, d.metric, currency_, change) : std::string(dash);
      };
      out_ += fmt::format("<tr><th>{}</th><td class=\"num\">{}</td>", esc(metric_label(d.metric)),
                          esc(value(if_finite(d.baseline), false)));
      // Value, then its change against the baseline (Δ, Δ %), then the change's range.
      for (const auto* a : others) {
        const study::DifferenceEntry none;
        const study::DifferenceEntry* e = d.find(a->id);
        if (e == nullptr) e = &none;
        const auto rel = if_finite(e->rel);
        std::string delta = value(if_finite(e->abs), true);
        if (rel) delta += fmt::format(" ({:+.1f} %)", *rel * 100.0);
        out_ +=
            fmt::format("<td class=\"num\">{}<span class=\"delta-line\">{}</span>{}</td>",
                        esc(value(if_finite(e->value), false)), esc(delta),
                        range_html(span(e->abs_range), [&](double x) { return value(x, true); }));
      }
      out_ += "</tr>\n";
    }
    out_ +=
        "</tbody>\n</table></div>\n<p class=\"note\">Under each value: its change against the "
        "baseline in the default scenario (an efficiency's in percentage points; in brackets, "
        "relative to the baseline), and the range of that change over every scenario.</p>\n"
        "</section>\n";
  }

  void single_line() {
    out_ += "<section id=\"single-line\">\n<h2>Single-line diagrams</h2>\n";
    out_ +=
        "<div class=\"legend\"><span class=\"swatch ac\"></span>AC bus "
        "<span class=\"swatch dc\"></span>DC bus <span class=\"swatch bad\"></span>bus or "
        "element with a violation · bus bars show nominal voltage and the solved voltage "
        "(pu of nominal) · boxes show the power entering each element and its loss · line "
        "width grows with power · <b>×N</b>: a template instantiated N times, drawn once "
        "inside a dashed frame; <i>each</i> is the mean per instance, <i>all N</i> the "
        "group total.</div>\n";
    std::vector<bool> used(diagrams_.size(), false);
    auto emit = [&](const std::string& name, const std::string& svg) {
      out_ += fmt::format(
          "<figure class=\"sld-figure\"><figcaption>{}</figcaption>\n"
          "<div class=\"sld-box\">{}</div></figure>\n",
          esc(name), svg);
    };
    for (const auto& a : archs_) {
      for (std::size_t d = 0; d < diagrams_.size(); ++d) {
        if (used[d]) continue;
        if (diagrams_[d].name == a.id || diagrams_[d].name == a.name) {
          used[d] = true;
          emit(a.name, diagrams_[d].svg);
          break;
        }
      }
    }
    for (std::size_t d = 0; d < diagrams_.size(); ++d)
      if (!used[d]) emit(diagrams_[d].name, diagrams_[d].svg);
    if (diagrams_.empty()) out_ += "<p class=\"note\">No diagrams were given.</p>\n";
    out_ += "</section>\n";
  }

  void footer() {
    out_ += "</main>\n<footer>\n";
    out_ += fmt::format(
        "<p>Generated by grid2gpu from a comparison of format version {}. "
        "Self-contained: no network access is needed to read this file.</p>\n",
        c_.format ? std::to_string(*c_.format) : std::string("?"));
    page::append_page_tail(out_, "g2g-data", data_, assets::report_js());
  }

  const study::ComparisonSummary& c_;
  const Json& data_;
  const std::vector<ArchitectureDiagram>& diagrams_;
  std::vector<Architecture> archs_;
  std::string currency_;
  std::string baseline_;
  std::string boundary_;
  std::string title_;
  std::string out_;
};

}  // namespace

std::string render_html(const nlohmann::json& comparison,
                        const std::vector<ArchitectureDiagram>& diagrams) {
  study::ComparisonDocument document;
  try {
    document = study::comparison_from_json(comparison);
  } catch (const InvalidInput& e) {
    throw ReportError(fmt::format("comparison: {}: {}", e.subject(), e.what()));
  } catch (const std::exception& e) {  // a JSON library error in an architecture
    throw ReportError(fmt::format("comparison: {}", e.what()));
  }
  return Page(document.summary, document.architectures, comparison, diagrams).render();
}

std::string render_html(const study::Comparison& comparison, const study::CompareOptions& options,
                        const study::RunProvenance& provenance, const SingleLineOptions& diagrams) {
  if (comparison.runs.empty() || comparison.default_run >= comparison.runs.size())
    throw ReportError("comparison: it has no run of its default scenario");
  const auto& results = comparison.runs[comparison.default_run].architectures;
  std::vector<ArchitectureDiagram> drawn;
  drawn.reserve(results.size());
  for (const auto& a : results)
    drawn.push_back({a.id, single_line_svg(a.model, a.result, diagrams)});
  const study::ComparisonSummary summary = study::summarise(comparison, options, provenance);
  const Json document = study::comparison_json(summary, results, options);
  return Page(summary, results, document, drawn).render();
}

}  // namespace g2g::report

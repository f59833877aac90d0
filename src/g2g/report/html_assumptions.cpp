// What the figures rest on: the assumption sets with every value and its source, the scenarios
// they make and every architecture's headline figures under each, the comparison's own
// assumptions, and where the document came from (provenance).
#include <fmt/format.h>

#include <map>
#include <string>
#include <string_view>

#include "g2g/report/format.hpp"
#include "g2g/report/html_common.hpp"

namespace g2g::report::page {

namespace {

std::string name_of(const std::vector<Architecture>& architectures, const std::string& id) {
  for (const auto& a : architectures)
    if (a.id == id) return a.name;
  return id;
}

std::string_view side_text(study::Side side) {
  switch (side) {
    case study::Side::ac:
      return "AC side";
    case study::Side::dc:
      return "DC side";
    case study::Side::common:
      break;
  }
  return "both sides";
}

std::string kind_badge(std::string_view kind) {
  return kind.empty() ? std::string(dash)
                      : fmt::format("<span class=\"source-kind\">{}</span>", esc(kind));
}

// "80 USD/MWh (assumption: ...)": a value with its source, when it has one.
std::string sourced(const std::string& value, const std::optional<study::Provenance>& source) {
  if (!source) return esc(value);
  const std::string& where = source->source;
  return fmt::format("{} <span class=\"small\">{} {}</span>", esc(value),
                     kind_badge(study::name(source->kind)),
                     where.empty() ? std::string() : source_html(where));
}

void append_scenarios(std::string& out, const study::ComparisonSummary& comparison,
                      const std::vector<Architecture>& architectures) {
  const auto& scenarios = comparison.scenarios;
  if (scenarios.empty()) return;
  out += "<h3>Every scenario, every architecture</h3>\n";
  out +=
      "<div class=\"scroll\"><table class=\"data scenarios\">\n<thead><tr><th>Scenario</th>"
      "<th>Architecture</th><th class=\"num\">Efficiency</th><th class=\"num\">Year efficiency"
      "</th><th class=\"num\">Grid input</th><th class=\"num\">Copper</th></tr></thead>\n";
  for (const auto& s : scenarios) {
    const auto& archs = s.architectures;
    const bool highlighted = s.is_default;
    // One tbody per scenario, so that print keeps a scenario's rows together.
    out += fmt::format("<tbody class=\"scenario{}\">\n", highlighted ? " default-scenario" : "");
    bool first = true;
    for (const auto& a : archs) {
      out += "<tr>";
      if (first) {
        std::string sets;
        for (const auto& set : s.sets)
          sets += fmt::format("{}<code>{}</code>", sets.empty() ? "" : " ", esc(set));
        out += fmt::format(
            "<th rowspan=\"{}\" class=\"scenario-name\">{}{}<div class=\"small\">{}</div></th>",
            archs.size(), esc(s.name), highlighted ? " <span class=\"tag\">default</span>" : "",
            sets);
        first = false;
      }
      auto pct = [&](double fraction) {
        const auto v = if_finite(fraction);
        return v ? detail::format_percent(*v, 2) : std::string(dash);
      };
      const auto source = if_finite(a.source_w);
      const auto copper = if_finite(a.copper_kg);
      out += fmt::format(
          "<td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td></tr>\n",
          esc(name_of(architectures, a.id)), esc(pct(a.efficiency)), esc(pct(a.annual_efficiency)),
          esc(source ? detail::format_power(*source, 4) : std::string(dash)),
          esc(copper ? fmt::format("{} kg", detail::format_grouped(*copper, 0))
                     : std::string(dash)));
    }
    if (archs.empty())
      out += fmt::format("<tr><th>{}</th><td colspan=\"5\">{}</td></tr>\n", esc(s.name), dash);
    out += "</tbody>\n";
  }
  out +=
      "</table></div>\n<p class=\"note\">Efficiency at the design load and over the year, "
      "grid input at the design load; copper changes with a scenario only when its assumptions "
      "change the currents.</p>\n";
}

void append_set(std::string& out, const study::AssumptionSetSummary& set) {
  const std::string& name = set.name;
  out += fmt::format(
      "<article class=\"assumption-set\" id=\"set-{}\">\n<h3>{} <code>{}</code> <span "
      "class=\"tag side-{}\">{}</span></h3>\n",
      esc(name), esc(or_else(set.title, name)), esc(name), esc(study::name(set.side)),
      esc(side_text(set.side)));
  if (const std::string& description = set.description; !description.empty())
    out += fmt::format("<p>{}</p>\n", esc(description));
  if (const std::string& file = set.file; !file.empty())
    out += fmt::format("<p class=\"small\">File: <code>{}</code></p>\n", esc(file));
  const auto& values = set.values;
  if (values.empty()) {
    out += "<p class=\"note\">This set changes no value.</p>\n</article>\n";
    return;
  }
  out +=
      "<div class=\"scroll\"><table class=\"data set-values stack\">\n<thead><tr><th>What</th>"
      "<th>Value</th><th>Source</th><th>Kind</th></tr></thead>\n<tbody>\n";
  for (const auto& v : values) {
    std::string source = source_html(v.provenance.source);
    if (const std::string& shape = v.shape_source; !shape.empty())
      source += fmt::format("<div class=\"small\">Curve shape: {}</div>", source_html(shape));
    out += fmt::format(
        "<tr><td><b>{}</b></td><td data-label=\"Value\">{}</td><td class=\"source\" "
        "data-label=\"Source\">{}</td><td data-label=\"Kind\">{}</td></tr>\n",
        esc(or_else(v.what, v.role)), esc(or_else(v.value, dash)), source,
        kind_badge(study::name(v.provenance.kind)));
  }
  out += "</tbody>\n</table></div>\n</article>\n";
}

std::string profile_text(const study::UtilisationProfile& profile) {
  const auto& points = profile.points;
  if (points.empty()) return "the design load held all year";
  std::string out;
  for (const auto& p : points) {
    const auto u = if_finite(p.utilisation);
    const auto h = if_finite(p.hours);
    out += fmt::format("{}{} {} for {} h", out.empty() ? "" : "; ", p.label,
                       u ? detail::format_percent(*u, 0) : std::string(dash),
                       h ? detail::format_grouped(*h, 0) : std::string(dash));
  }
  return out;
}

std::string assumption_label(std::string_view key) {
  static constexpr std::pair<std::string_view, std::string_view> known[] = {
      {"tariff_per_mwh", "Energy tariff"},
      {"currency", "Currency"},
      {"hours_per_year", "Hours per year"},
      {"boundary", "End-to-end boundary (efficiency and delivered power)"},
      {"include_point_of_load", "GPU point-of-load converters (VRMs) inside the boundary"},
      {"conductors_sized", "Conductors sized by grid2gpu"},
      {"baseline", "Baseline architecture"},
      {"it_load_tolerance", "IT load may differ from the baseline's by"},
      {"normalised", "IT loads scaled to the baseline's"},
      {"utilisation_profile", "Utilisation over the year"},
      {"cooling", "Cooling power per kW of loss"},
  };
  for (const auto& [k, label] : known)
    if (key == k) return std::string(label);
  return humanise(key);
}

}  // namespace

std::string default_scenario(const study::ComparisonSummary& comparison) {
  if (!comparison.default_scenario.empty()) return comparison.default_scenario;
  for (const auto& s : comparison.scenarios)
    if (s.is_default) return s.name;
  return {};
}

void append_assumption_sets(std::string& out, const study::ComparisonSummary& comparison,
                            const std::vector<Architecture>& architectures) {
  out += "<section id=\"assumption-sets\">\n<h2>Assumption sets</h2>\n";
  const auto& sets = comparison.assumption_sets;
  const auto& scenarios = comparison.scenarios;
  const std::string chosen = default_scenario(comparison);
  out += fmt::format(
      "<p>Every architecture is computed under {} scenario{}: each combines one assumption set "
      "per side with the common ones. The page's figures are those of the default scenario{}; "
      "the ranges beside them span all scenarios.</p>\n",
      scenarios.size(), scenarios.size() == 1 ? "" : "s",
      chosen.empty() ? std::string() : fmt::format(", <b>{}</b>", esc(chosen)));
  if (sets.empty()) out += "<p class=\"note\">The comparison lists no assumption sets.</p>\n";
  for (const auto& set : sets) append_set(out, set);
  append_scenarios(out, comparison, architectures);
  out += "</section>\n";
}

namespace {

// The rows of the comparison's own assumptions, each as {key, HTML}: every one the document
// states, with the members this version does not know.
std::vector<std::pair<std::string, std::string>> assumption_rows(
    const study::StatedAssumptions& a, const std::vector<Architecture>& architectures) {
  std::vector<std::pair<std::string, std::string>> rows;
  auto row = [&](std::string_view key, std::string html) {
    rows.emplace_back(key, std::move(html));
  };
  if (!a.baseline.empty()) {
    const std::string name = name_of(architectures, a.baseline);
    row("baseline",
        esc(name == a.baseline ? a.baseline : fmt::format("{} ({})", name, a.baseline)));
  }
  if (!a.boundary.empty()) row("boundary", esc(a.boundary));
  if (a.conductors_sized) row("conductors_sized", esc(yes_no(*a.conductors_sized)));
  if (a.cooling)
    row("cooling", sourced(fmt::format("{} kW", number_text(a.cooling->overhead_kw_per_kw)),
                           a.cooling->provenance));
  if (a.hours_per_year) row("hours_per_year", esc(number_text(*a.hours_per_year)));
  if (a.include_point_of_load) row("include_point_of_load", esc(yes_no(*a.include_point_of_load)));
  if (a.it_load_tolerance)
    row("it_load_tolerance", esc(detail::format_percent(*a.it_load_tolerance, 1)));
  if (a.normalised) row("normalised", esc(yes_no(*a.normalised)));
  if (a.tariff_per_mwh)
    row("tariff_per_mwh",
        sourced(fmt::format("{} {}/MWh", number_text(*a.tariff_per_mwh), a.currency),
                a.tariff_source));
  if (a.utilisation_profile)
    row("utilisation_profile",
        sourced(profile_text(*a.utilisation_profile), a.utilisation_profile->provenance));
  for (const auto& [key, text] : a.other) row(key, esc(text));
  // In the order of their keys, as the page has always listed them.
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  return rows;
}

// The sizing conditions as {label, text} rows, in the order of their keys.
std::vector<std::pair<std::string_view, std::string>> sizing_rows(
    const study::SizingConditions& z) {
  std::vector<std::pair<std::string_view, std::string>> rows;
  auto word = [&](std::string_view key, const std::string& value) {
    if (!value.empty()) rows.emplace_back(key, value);
  };
  auto amount = [&](std::string_view key, double value) {
    if (!std::isnan(value)) rows.emplace_back(key, number_text(value));
  };
  auto count = [&](std::string_view key, const std::optional<int>& value) {
    if (value) rows.emplace_back(key, std::to_string(*value));
  };
  word("ac_neutral", z.ac_neutral);
  word("ac_pe", z.ac_pe);
  amount("ambient_c", z.ambient_c);
  word("arrangement", z.arrangement);
  word("dc_busbar_rating", z.dc_busbar_rating);
  word("dc_pe", z.dc_pe);
  count("grouped_circuits", z.grouped_circuits);
  count("max_parallel_runs", z.max_parallel_runs);
  amount("max_voltage_drop_pct", z.max_voltage_drop_pct);
  word("method", z.method);
  return rows;
}

}  // namespace

void append_assumptions(std::string& out, const study::ComparisonSummary& comparison,
                        const std::vector<Architecture>& architectures) {
  out += "<section id=\"assumptions\">\n<h2>Assumptions of the comparison</h2>\n";
  const study::StatedAssumptions& a = comparison.assumptions;
  const auto rows = assumption_rows(a, architectures);
  if (rows.empty() && a.currency.empty() && !a.tariff_source && !a.sizing)
    out += "<p class=\"note\">None listed.</p>\n";
  out += "<div class=\"scroll\"><table class=\"data narrow\">\n<tbody>\n";
  for (const auto& [key, html] : rows)
    out += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", esc(assumption_label(key)), html);
  out += "</tbody>\n</table></div>\n";
  if (a.sizing) {
    out +=
        "<h3>Conductor sizing</h3>\n<div class=\"scroll\"><table class=\"data narrow\">\n"
        "<tbody>\n";
    for (const auto& [key, value] : sizing_rows(*a.sizing))
      out += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", esc(humanise(key)), esc(value));
    out += "</tbody>\n</table></div>\n";
  }
  for (const auto& arch : architectures) {
    // By name, as the document lists them; a name declared twice shows its last value.
    std::map<std::string, std::string_view> params;
    for (const auto& p : arch.r->model.parameters) params[p.name] = p.text;
    if (params.empty()) continue;
    out += fmt::format(
        "<h3>Model parameters: {}</h3>\n<div class=\"scroll\"><table class=\"data narrow\">\n"
        "<tbody>\n",
        esc(arch.r->name));
    for (const auto& [name, value] : params)
      out += fmt::format("<tr><th><code>{}</code></th><td>{}</td></tr>\n", esc(name), esc(value));
    out += "</tbody>\n</table></div>\n";
  }
  out += "</section>\n";
}

void append_provenance(std::string& out, const study::ComparisonSummary& comparison) {
  out += "<section id=\"provenance\">\n<h2>Provenance</h2>\n";
  const study::RunProvenance p = comparison.provenance.value_or(study::RunProvenance{});
  auto row = [&](std::string_view label, const std::string& html) {
    out += fmt::format("<dt>{}</dt><dd>{}</dd>", label, html);
  };
  out += "<dl class=\"provenance\">";
  const std::string program = or_else(p.program, "grid2gpu");
  const std::string& version = p.version;
  row("Program", esc(version.empty() ? program : fmt::format("{} {}", program, version)));
  row("Commit", fmt::format("<code>{}</code>", esc(or_else(p.commit, dash))));
  row("Date", esc(or_else(p.date, dash)));
  const std::string& command = p.command;
  row("Command line", command.empty()
                          ? std::string(dash)
                          : fmt::format("<code class=\"command\">{}</code>", esc(command)));
  const std::string& study = p.study;
  row("Study file", study.empty() ? std::string("none (models and assumption sets named on the "
                                                "command line)")
                                  : fmt::format("<code>{}</code>", esc(study)));
  std::string sets;
  for (const auto& set : comparison.assumption_sets)
    sets += fmt::format("{}<a href=\"#set-{}\"><code>{}</code></a>", sets.empty() ? "" : ", ",
                        esc(set.name), esc(set.name));
  row("Assumption sets used", sets.empty() ? std::string(dash) : sets);
  const std::string chosen = default_scenario(comparison);
  row("Default scenario", chosen.empty() ? std::string(dash) : esc(chosen));
  row("Document", esc(fmt::format("comparison format {}",
                                  comparison.format ? std::to_string(*comparison.format) : "?")));
  out += "</dl>\n</section>\n";
}

}  // namespace g2g::report::page

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

std::string side_text(std::string_view side) {
  if (side == "ac") return "AC side";
  if (side == "dc") return "DC side";
  if (side == "common") return "both sides";
  return std::string(side);
}

std::string kind_badge(std::string_view kind) {
  return kind.empty() ? std::string(dash)
                      : fmt::format("<span class=\"source-kind\">{}</span>", esc(kind));
}

// "80 USD/MWh (assumption: ...)": a value with its source object {source, kind}.
std::string sourced(const std::string& value, const Json& source) {
  const std::string kind = text(source, "kind");
  const std::string where = text(source, "source");
  if (kind.empty() && where.empty()) return esc(value);
  return fmt::format("{} <span class=\"small\">{} {}</span>", esc(value), kind_badge(kind),
                     where.empty() ? std::string() : source_html(where));
}

std::string default_scenario(const Json& comparison) {
  std::string name = text(comparison, "default_scenario");
  if (name.empty())
    for (const auto& s : array(comparison, "scenarios"))
      if (const Json* d = member(s, "default"); d && d->is_boolean() && d->get<bool>())
        name = text(s, "name");
  return name;
}

void append_scenarios(std::string& out, const Json& comparison,
                      const std::vector<Architecture>& architectures) {
  const auto& scenarios = array(comparison, "scenarios");
  if (scenarios.empty()) return;
  out += "<h3>Every scenario, every architecture</h3>\n";
  out +=
      "<div class=\"scroll\"><table class=\"data scenarios\">\n<thead><tr><th>Scenario</th>"
      "<th>Architecture</th><th class=\"num\">Efficiency</th><th class=\"num\">Year efficiency"
      "</th><th class=\"num\">Grid input</th><th class=\"num\">Copper</th></tr></thead>\n";
  for (const auto& s : scenarios) {
    const auto& archs = array(s, "architectures");
    const Json* is_default = member(s, "default");
    const bool highlighted = is_default && is_default->is_boolean() && is_default->get<bool>();
    // One tbody per scenario, so that print keeps a scenario's rows together.
    out += fmt::format("<tbody class=\"scenario{}\">\n", highlighted ? " default-scenario" : "");
    bool first = true;
    for (const auto& a : archs) {
      out += "<tr>";
      if (first) {
        std::string sets;
        for (const auto& set : array(s, "sets"))
          sets += fmt::format("{}<code>{}</code>", sets.empty() ? "" : " ", esc(text_of(set)));
        out += fmt::format(
            "<th rowspan=\"{}\" class=\"scenario-name\">{}{}<div class=\"small\">{}</div></th>",
            archs.size(), esc(text(s, "name")),
            highlighted ? " <span class=\"tag\">default</span>" : "", sets);
        first = false;
      }
      auto pct = [&](std::string_view key) {
        const auto v = number(a, key);
        return v ? detail::format_percent(*v, 2) : std::string(dash);
      };
      const auto source = number(a, "source_w");
      const auto copper = number(a, "copper_kg");
      out += fmt::format(
          "<td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td></tr>\n",
          esc(name_of(architectures, text(a, "id"))), esc(pct("efficiency")),
          esc(pct("annual_efficiency")),
          esc(source ? detail::format_power(*source, 4) : std::string(dash)),
          esc(copper ? fmt::format("{} kg", detail::format_grouped(*copper, 0))
                     : std::string(dash)));
    }
    if (archs.empty())
      out += fmt::format("<tr><th>{}</th><td colspan=\"5\">{}</td></tr>\n", esc(text(s, "name")),
                         dash);
    out += "</tbody>\n";
  }
  out +=
      "</table></div>\n<p class=\"note\">Efficiency at the design load and over the year, "
      "grid input at the design load; copper changes with a scenario only when its assumptions "
      "change the currents.</p>\n";
}

void append_set(std::string& out, const Json& set) {
  const std::string name = text(set, "name");
  out += fmt::format(
      "<article class=\"assumption-set\" id=\"set-{}\">\n<h3>{} <code>{}</code> <span "
      "class=\"tag side-{}\">{}</span></h3>\n",
      esc(name), esc(text(set, "title", name)), esc(name), esc(text(set, "side")),
      esc(side_text(text(set, "side"))));
  if (const std::string description = text(set, "description"); !description.empty())
    out += fmt::format("<p>{}</p>\n", esc(description));
  if (const std::string file = text(set, "file"); !file.empty())
    out += fmt::format("<p class=\"small\">File: <code>{}</code></p>\n", esc(file));
  const auto& values = array(set, "values");
  if (values.empty()) {
    out += "<p class=\"note\">This set changes no value.</p>\n</article>\n";
    return;
  }
  out +=
      "<div class=\"scroll\"><table class=\"data set-values stack\">\n<thead><tr><th>What</th>"
      "<th>Value</th><th>Source</th><th>Kind</th></tr></thead>\n<tbody>\n";
  for (const auto& v : values) {
    std::string source = source_html(text(v, "source"));
    if (const std::string shape = text(v, "shape_source"); !shape.empty())
      source += fmt::format("<div class=\"small\">Curve shape: {}</div>", source_html(shape));
    out += fmt::format(
        "<tr><td><b>{}</b></td><td data-label=\"Value\">{}</td><td class=\"source\" "
        "data-label=\"Source\">{}</td><td data-label=\"Kind\">{}</td></tr>\n",
        esc(text(v, "what", text(v, "role"))), esc(text(v, "value", dash)), source,
        kind_badge(text(v, "kind")));
  }
  out += "</tbody>\n</table></div>\n</article>\n";
}

std::string profile_text(const Json& profile) {
  const auto& points = array(profile, "points");
  if (points.empty()) return "the design load held all year";
  std::string out;
  for (const auto& p : points) {
    const auto u = number(p, "utilisation");
    const auto h = number(p, "hours");
    out += fmt::format("{}{} {} for {} h", out.empty() ? "" : "; ", text(p, "label"),
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

void append_assumption_sets(std::string& out, const Json& comparison,
                            const std::vector<Architecture>& architectures) {
  out += "<section id=\"assumption-sets\">\n<h2>Assumption sets</h2>\n";
  const auto& sets = array(comparison, "assumption_sets");
  const auto& scenarios = array(comparison, "scenarios");
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

void append_assumptions(std::string& out, const Json& comparison,
                        const std::vector<Architecture>& architectures) {
  out += "<section id=\"assumptions\">\n<h2>Assumptions of the comparison</h2>\n";
  const Json& a = object(comparison, "assumptions");
  if (a.empty()) out += "<p class=\"note\">None listed.</p>\n";
  out += "<div class=\"scroll\"><table class=\"data narrow\">\n<tbody>\n";
  const std::string currency = text(a, "currency");
  for (const auto& [key, value] : a.items()) {
    std::string shown;
    if (key == "sizing" || key == "tariff_source" || key == "currency") continue;
    if (key == "tariff_per_mwh") {
      shown =
          sourced(fmt::format("{} {}/MWh", text_of(value), currency), object(a, "tariff_source"));
    } else if (key == "utilisation_profile") {
      shown = sourced(profile_text(value), object(value, "source"));
    } else if (key == "cooling") {
      shown = sourced(fmt::format("{} kW", text(value, "overhead_kw_per_kw", std::string(dash))),
                      object(value, "source"));
    } else if (key == "it_load_tolerance" && value.is_number()) {
      shown = esc(detail::format_percent(value.get<double>(), 1));
    } else if (key == "baseline") {
      const std::string id = text_of(value);
      const std::string name = name_of(architectures, id);
      shown = esc(name == id ? id : fmt::format("{} ({})", name, id));
    } else {
      shown = esc(text_of(value));
    }
    out += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", esc(assumption_label(key)), shown);
  }
  out += "</tbody>\n</table></div>\n";
  if (const Json& sizing = object(a, "sizing"); !sizing.empty()) {
    out +=
        "<h3>Conductor sizing</h3>\n<div class=\"scroll\"><table class=\"data narrow\">\n"
        "<tbody>\n";
    for (const auto& [key, value] : sizing.items())
      out +=
          fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", esc(humanise(key)), esc(text_of(value)));
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

void append_provenance(std::string& out, const Json& comparison) {
  out += "<section id=\"provenance\">\n<h2>Provenance</h2>\n";
  const Json& p = object(comparison, "provenance");
  auto row = [&](std::string_view label, const std::string& html) {
    out += fmt::format("<dt>{}</dt><dd>{}</dd>", label, html);
  };
  out += "<dl class=\"provenance\">";
  const std::string program = text(p, "program", "grid2gpu");
  const std::string version = text(p, "version");
  row("Program", esc(version.empty() ? program : fmt::format("{} {}", program, version)));
  row("Commit", fmt::format("<code>{}</code>", esc(text(p, "commit", dash))));
  row("Date", esc(text(p, "date", dash)));
  const std::string command = text(p, "command");
  row("Command line", command.empty()
                          ? std::string(dash)
                          : fmt::format("<code class=\"command\">{}</code>", esc(command)));
  const std::string study = text(p, "study");
  row("Study file", study.empty() ? std::string("none (models and assumption sets named on the "
                                                "command line)")
                                  : fmt::format("<code>{}</code>", esc(study)));
  std::string sets;
  for (const auto& set : array(comparison, "assumption_sets"))
    sets += fmt::format("{}<a href=\"#set-{}\"><code>{}</code></a>", sets.empty() ? "" : ", ",
                        esc(text(set, "name")), esc(text(set, "name")));
  row("Assumption sets used", sets.empty() ? std::string(dash) : sets);
  const std::string chosen = default_scenario(comparison);
  row("Default scenario", chosen.empty() ? std::string(dash) : esc(chosen));
  row("Document",
      esc(fmt::format("comparison format {}", text(comparison, "grid2gpu_compare", "?"))));
  out += "</dl>\n</section>\n";
}

}  // namespace g2g::report::page

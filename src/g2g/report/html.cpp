// The comparison report as one self-contained HTML document. Everything shown comes from the
// comparison JSON (or the diagrams passed in); every number is in an HTML table, and the charts
// drawn by the inlined JavaScript repeat them graphically.
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
#include "g2g/report/report.hpp"

namespace g2g::report {

namespace {

using detail::format_grouped;
using detail::format_percent;
using detail::format_power;
using detail::format_significant;
using detail::format_voltage;
using nlohmann::json;

constexpr std::string_view dash = "—";

std::string esc(std::string_view text) {
  return html_escape(text);
}

// ---- Reading the comparison, tolerating missing fields -----------------------------------

const json* member(const json& j, std::string_view key) {
  if (!j.is_object()) return nullptr;
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<double> number(const json& j, std::string_view key) {
  const json* v = member(j, key);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  const double d = v->get<double>();
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

std::string humanise(std::string_view key);

// A field as text: strings as they are, numbers and booleans spelt out, anything else as JSON.
std::string text_of(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number()) return detail::format_trimmed(v.get<double>(), 6);
  if (v.is_null()) return std::string(dash);
  std::string out;
  if (v.is_array()) {
    for (const auto& item : v) {
      if (!out.empty()) out += "; ";
      out += text_of(item);
    }
    return out;
  }
  for (const auto& [key, item] : v.items()) {
    if (!out.empty()) out += "; ";
    out += fmt::format("{} {}", humanise(key), text_of(item));
  }
  return out;
}

std::string text(const json& j, std::string_view key, std::string_view fallback = {}) {
  const json* v = member(j, key);
  return v == nullptr ? std::string(fallback) : text_of(*v);
}

const json& array(const json& j, std::string_view key) {
  static const json empty = json::array();
  const json* v = member(j, key);
  return v != nullptr && v->is_array() ? *v : empty;
}

// ---- Formatting ------------------------------------------------------------------------------

std::string or_dash(const std::optional<double>& v, auto&& format) {
  return v ? format(*v) : std::string(dash);
}

std::string power(const std::optional<double>& w) {
  return or_dash(w, [](double x) { return format_power(x, 4); });
}
std::string percent(const std::optional<double>& fraction, int decimals = 2) {
  return or_dash(fraction, [&](double x) { return format_percent(x, decimals); });
}
std::string voltage(const std::optional<double>& v) {
  return or_dash(v, [](double x) { return detail::format_nominal_voltage(x); });
}
std::string grouped(const std::optional<double>& v, std::string_view unit, int decimals = 0) {
  return or_dash(v, [&](double x) {
    return unit.empty() ? format_grouped(x, decimals)
                        : fmt::format("{} {}", format_grouped(x, decimals), unit);
  });
}

// What a difference metric is called in the report; unknown metrics are spelt out.
std::string metric_label(std::string_view metric) {
  static constexpr std::pair<std::string_view, std::string_view> known[] = {
      {"efficiency", "Efficiency"},
      {"loss_w", "Losses"},
      {"source_w", "Power from the grid"},
      {"load_w", "Power delivered"},
      {"conversion_stages", "Conversion stages"},
      {"annual_loss_mwh", "Annual loss energy"},
      {"annual_loss_cost", "Annual loss cost"},
      {"copper_kg", "Copper mass"},
      {"it_load_w", "IT load (GPUs)"},
      {"conversion_loss_w", "Conversion losses"},
      {"distribution_loss_w", "Distribution losses"},
      {"aluminium_kg", "Aluminium mass"},
  };
  for (const auto& [key, label] : known)
    if (metric == key) return std::string(label);
  std::string out(metric);
  std::replace(out.begin(), out.end(), '_', ' ');
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z')
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::string assumption_label(std::string_view key) {
  static constexpr std::pair<std::string_view, std::string_view> known[] = {
      {"tariff_per_mwh", "Energy tariff per MWh"},
      {"currency", "Currency"},
      {"hours_per_year", "Operating hours per year"},
      {"include_point_of_load", "Point-of-load conversion (on the GPU board) included"},
      {"baseline", "Baseline architecture"},
  };
  for (const auto& [k, label] : known)
    if (key == k) return std::string(label);
  return humanise(key);
}

// Unit of a violation's value and limit, by kind (as in the results of `grid2gpu solve`).
std::string_view violation_unit(std::string_view kind) {
  if (kind == "under_voltage" || kind == "over_voltage") return "pu";
  if (kind == "overload" || kind == "ampacity") return "%";
  if (kind == "reactive_limit") return "var";
  return "";
}

std::string humanise(std::string_view key) {
  std::string out(key);
  std::replace(out.begin(), out.end(), '_', ' ');
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z')
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

// A difference metric's value in its unit. Efficiencies without a unit are fractions.
struct Units {
  std::string currency;
};

bool is_fraction_metric(std::string_view metric, std::string_view unit) {
  return unit.empty() && metric.find("efficiency") != std::string_view::npos;
}

std::string metric_value(double v, std::string_view metric, std::string_view unit,
                         const Units& units, bool difference) {
  const std::string sign = difference && v > 0 ? "+" : "";
  if (is_fraction_metric(metric, unit))
    return difference ? fmt::format("{}{:.2f} pp", sign, v * 100.0) : format_percent(v, 2);
  if (unit == "W") return sign + format_power(v, 4);
  if (unit == "V") return sign + format_voltage(v, 4);
  if (unit == "%") return fmt::format("{}{} %", sign, format_significant(v, 4));
  if (unit == "currency" || (!units.currency.empty() && unit == units.currency))
    return fmt::format(
        "{}{} {}", sign, format_grouped(v, 0),
        units.currency.empty() ? std::string_view(unit) : std::string_view(units.currency));
  if (unit == "kg" || unit == "MWh" || unit == "kWh" || unit == "A")
    return fmt::format("{}{} {}", sign,
                       std::fabs(v) >= 100 ? format_grouped(v, 0) : format_significant(v, 4), unit);
  if (unit.empty() && std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e15)
    return fmt::format("{}{}", sign, static_cast<long long>(std::llround(v)));
  if (unit.empty()) return sign + format_significant(v, 4);
  return fmt::format("{}{} {}", sign, format_significant(v, 4), unit);
}

std::string upper_ascii(std::string text) {
  for (char& c : text)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return text;
}

std::string verdict_class(std::string_view verdict) {
  if (verdict == "holds") return "verdict-holds";
  if (verdict == "partly") return "verdict-partly";
  if (verdict == "does not hold") return "verdict-fails";
  return "verdict-other";
}

// ---- The page --------------------------------------------------------------------------------

struct Architecture {
  const json* j = nullptr;
  std::string id;
  std::string name;
  bool baseline = false;
};

// Inlined JavaScript must not contain "</script" (it would end the element).
void append_script_text(std::string& out, std::string_view js) {
  std::size_t from = 0;
  for (auto at = js.find("</"); at != std::string_view::npos; at = js.find("</", from)) {
    out.append(js.substr(from, at - from));
    out += "<\\/";
    from = at + 2;
  }
  out.append(js.substr(from));
}

// The comparison JSON for the scripts, safe inside <script type="application/json">.
void append_json_data(std::string& out, const json& comparison) {
  const std::string text = comparison.dump(-1, ' ', false, json::error_handler_t::replace);
  for (const char c : text) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out.push_back(c);
    }
  }
}

class Page {
 public:
  Page(const json& c, const std::vector<ArchitectureDiagram>& d) : c_(c), diagrams_(d) {
    if (!c.is_object() || member(c, "architectures") == nullptr || !c["architectures"].is_array())
      throw ReportError("comparison: expected an object with an \"architectures\" array");
    const json& assumptions = member(c, "assumptions") ? c["assumptions"] : json::object();
    units_.currency = text(assumptions, "currency");
    baseline_ = text(assumptions, "baseline");
    for (const auto& a : c["architectures"]) {
      Architecture arch;
      arch.j = &a;
      arch.id = text(a, "id");
      arch.name = text(a, "name", arch.id.empty() ? std::string("architecture") : arch.id);
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
    claims();
    flows();
    losses();
    conductors();
    single_line();
    violations();
    assumptions();
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
    out_ += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out_ += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out_ += "<meta name=\"generator\" content=\"grid2gpu\">\n";
    out_ += fmt::format("<title>{}</title>\n<style>\n", esc(title_));
    out_ += assets::report_css();
    out_ += "</style>\n</head>\n<body>\n";
    // Errors from any script below (the libraries included) land here; empty when all is well.
    out_ += "<pre id=\"render-errors\" class=\"render-errors\" role=\"alert\"></pre>\n";
    out_ +=
        "<script>window.onerror=function(m,s,l,c,e){var r=document.getElementById("
        "'render-errors');if(r){r.textContent+='JavaScript error: '+m+(l?' (line '+l+')':'')"
        "+'\\n';}};</script>\n";
  }

  void header() {
    out_ += "<header class=\"page-header\">\n";
    out_ += fmt::format("<h1>{}</h1>\n", esc(title_));
    std::string sub;
    const json assumptions = member(c_, "assumptions") ? c_["assumptions"] : json::object();
    if (const auto* b = base()) sub += fmt::format("Baseline: <b>{}</b>", esc(b->name));
    if (auto t = number(assumptions, "tariff_per_mwh"))
      sub += fmt::format(" · energy tariff {} {}/MWh", detail::format_trimmed(*t, 6),
                         esc(units_.currency));
    if (auto h = number(assumptions, "hours_per_year"))
      sub += fmt::format(" · {} h/year", format_grouped(*h, 0));
    if (const json* p = member(assumptions, "include_point_of_load"); p && p->is_boolean())
      sub += p->get<bool>() ? " · point-of-load conversion included"
                            : " · point-of-load conversion (on the GPU board) excluded";
    out_ += fmt::format("<p class=\"subtitle\">{}</p>\n", sub);
    out_ +=
        "<noscript><p class=\"note\">The charts need JavaScript; every number is also in the "
        "tables.</p></noscript>\n";
    out_ +=
        "<nav class=\"toc\"><a href=\"#summary\">Summary</a><a href=\"#differences\">"
        "Differences</a><a href=\"#claims\">Claims</a><a href=\"#flows\">Power flow</a>"
        "<a href=\"#losses\">Losses by stage</a><a href=\"#conductors\">Conductors</a>"
        "<a href=\"#single-line\">Single-line diagrams</a><a href=\"#violations\">"
        "Violations</a><a href=\"#assumptions\">Assumptions</a></nav>\n";
    out_ += "</header>\n<main>\n";
  }

  const Architecture* base() const {
    for (const auto& a : archs_)
      if (a.baseline) return &a;
    return nullptr;
  }

  static const json& totals(const Architecture& a) {
    static const json empty = json::object();
    const json* t = member(*a.j, "totals");
    return t != nullptr ? *t : empty;
  }

  void summary() {
    out_ += "<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">\n";
    for (const auto& a : archs_) {
      const json& t = totals(a);
      out_ += fmt::format("<div class=\"card{}\">\n<div class=\"card-title\">{}{}</div>\n",
                          a.baseline ? " baseline" : "", esc(a.name),
                          a.baseline ? " <span class=\"tag\">baseline</span>" : "");
      out_ += fmt::format(
          "<div class=\"big\">{}</div><div class=\"big-label\">grid-to-GPU efficiency</div>\n",
          percent(number(t, "efficiency")));
      if (!a.baseline) {
        // The change against the baseline, as the comparison computed it.
        std::string deltas;
        for (const auto& d : array(c_, "differences")) {
          const std::string metric = text(d, "metric");
          if (metric != "efficiency" && metric != "loss_w") continue;
          const json* abs = member(d, "abs");
          const json* v = abs != nullptr ? member(*abs, a.id) : nullptr;
          if (v == nullptr || !v->is_number()) continue;
          const double x = v->get<double>();
          const bool better = metric == "efficiency" ? x > 0 : x < 0;
          deltas +=
              fmt::format("<span class=\"delta {}\">{} {}</span>", better ? "better" : "worse",
                          esc(metric_value(x, metric, text(d, "unit"), units_, true)),
                          metric == "efficiency" ? "efficiency" : "losses");
        }
        if (!deltas.empty())
          out_ += fmt::format("<div class=\"deltas\">{} vs baseline</div>\n", deltas);
      }
      out_ += "<dl>";
      auto row = [&](std::string_view label, const std::string& value) {
        out_ += fmt::format("<dt>{}</dt><dd>{}</dd>", label, esc(value));
      };
      row("Losses", power(number(t, "loss_w")));
      if (auto it = number(t, "it_load_w"))
        row("Delivered to GPUs", power(it));
      else
        row("Delivered to loads", power(number(t, "load_w")));
      row("Conversion stages", text(*a.j, "conversion_stages", dash));
      row("Annual loss", grouped(number(*a.j, "annual_loss_mwh"), "MWh"));
      row("Annual loss cost", grouped(number(*a.j, "annual_loss_cost"), units_.currency));
      row("Copper", grouped(number(*a.j, "copper_kg"), "kg"));
      out_ += "</dl>\n";
      const auto& v = array(*a.j, "violations");
      if (!v.empty())
        out_ += fmt::format("<div class=\"warn\">⚠ {} violation{}</div>\n", v.size(),
                            v.size() == 1 ? "" : "s");
      if (const json* conv = member(*a.j, "converged");
          conv && conv->is_boolean() && !conv->get<bool>())
        out_ += "<div class=\"warn\">⚠ power flow did not converge</div>\n";
      out_ += "</div>\n";
    }
    out_ += "</div>\n";

    // The same figures, and a few more, as a table.
    out_ += "<div class=\"scroll\"><table class=\"data summary\">\n<thead><tr><th></th>";
    for (const auto& a : archs_) out_ += fmt::format("<th class=\"num\">{}</th>", esc(a.name));
    out_ += "</tr></thead>\n<tbody>\n";
    auto row = [&](std::string_view label, auto&& value) {
      out_ += fmt::format("<tr><th>{}</th>", label);
      for (const auto& a : archs_) out_ += fmt::format("<td class=\"num\">{}</td>", esc(value(a)));
      out_ += "</tr>\n";
    };
    row("Model file", [&](const Architecture& a) { return text(*a.j, "file", dash); });
    row("Power flow", [&](const Architecture& a) {
      const json* conv = member(*a.j, "converged");
      if (conv == nullptr || !conv->is_boolean()) return std::string(dash);
      const std::string it = text(*a.j, "iterations");
      return conv->get<bool>() ? (it.empty() ? std::string("converged")
                                             : fmt::format("converged in {} iterations", it))
                               : std::string("did not converge");
    });
    row("Power from the grid",
        [&](const Architecture& a) { return power(number(totals(a), "source_w")); });
    row("Power delivered (end-to-end boundary)",
        [&](const Architecture& a) { return power(number(totals(a), "load_w")); });
    auto any = [&](auto&& has) {
      return std::any_of(archs_.begin(), archs_.end(),
                         [&](const Architecture& a) { return has(a); });
    };
    if (any([&](const Architecture& a) { return number(totals(a), "it_load_w").has_value(); }))
      row("of which IT load (GPUs)",
          [&](const Architecture& a) { return power(number(totals(a), "it_load_w")); });
    row("Losses", [&](const Architecture& a) { return power(number(totals(a), "loss_w")); });
    if (any([&](const Architecture& a) {
          return number(totals(a), "conversion_loss_w").has_value();
        })) {
      row("of which in conversion",
          [&](const Architecture& a) { return power(number(totals(a), "conversion_loss_w")); });
      row("of which in distribution",
          [&](const Architecture& a) { return power(number(totals(a), "distribution_loss_w")); });
    }
    row("Efficiency",
        [&](const Architecture& a) { return percent(number(totals(a), "efficiency")); });
    row("Conversion stages",
        [&](const Architecture& a) { return text(*a.j, "conversion_stages", dash); });
    row("Annual loss energy",
        [&](const Architecture& a) { return grouped(number(*a.j, "annual_loss_mwh"), "MWh"); });
    row("Annual loss cost", [&](const Architecture& a) {
      return grouped(number(*a.j, "annual_loss_cost"), units_.currency);
    });
    row("Copper mass",
        [&](const Architecture& a) { return grouped(number(*a.j, "copper_kg"), "kg"); });
    row("Aluminium mass",
        [&](const Architecture& a) { return grouped(number(*a.j, "aluminium_kg"), "kg"); });
    row("Violations",
        [&](const Architecture& a) { return std::to_string(array(*a.j, "violations").size()); });
    if (any([&](const Architecture& a) { return member(*a.j, "sizing") != nullptr; }))
      row("Conductor sizing", [&](const Architecture& a) {
        const json* sz = member(*a.j, "sizing");
        if (sz == nullptr) return std::string("as in the model");
        std::string out = fmt::format("{} sized, {} no fit, {} not sized", text(*sz, "sized", "?"),
                                      text(*sz, "no_fit", "?"), text(*sz, "not_sized", "?"));
        if (auto passes = number(*sz, "passes"))
          out += fmt::format(" ({} pass{})", detail::format_trimmed(*passes, 3),
                             *passes == 1 ? "" : "es");
        if (const json* stable = member(*sz, "stable");
            stable && stable->is_boolean() && !stable->get<bool>())
          out += ", not stable";
        return out;
      });
    out_ += "</tbody>\n</table></div>\n</section>\n";
  }

  void differences() {
    out_ += "<section id=\"differences\">\n<h2>Differences from the baseline</h2>\n";
    const auto& diffs = array(c_, "differences");
    if (diffs.empty()) {
      out_ += "<p class=\"note\">The comparison lists no differences.</p>\n</section>\n";
      return;
    }
    const Architecture* b = base();
    std::vector<const Architecture*> others;
    for (const auto& a : archs_)
      if (!a.baseline) others.push_back(&a);
    out_ +=
        "<div class=\"scroll\"><table class=\"data\">\n<thead><tr><th rowspan=\"2\">Metric</th>";
    out_ += fmt::format(
        "<th rowspan=\"2\" class=\"num\">{}<br><span class=\"small\">baseline</span></th>",
        esc(b ? b->name : std::string("baseline")));
    for (const auto* a : others)
      out_ += fmt::format("<th colspan=\"3\" class=\"group\">{}</th>", esc(a->name));
    out_ += "</tr><tr>";
    for (std::size_t i = 0; i < others.size(); ++i)
      out_ += "<th class=\"num\">value</th><th class=\"num\">Δ</th><th class=\"num\">Δ %</th>";
    out_ += "</tr></thead>\n<tbody>\n";
    for (const auto& d : diffs) {
      const std::string metric = text(d, "metric");
      const std::string unit = text(d, "unit");
      auto value = [&](const json* v, bool difference) {
        if (v == nullptr || !v->is_number()) return std::string(dash);
        return metric_value(v->get<double>(), metric, unit, units_, difference);
      };
      out_ += fmt::format("<tr><th>{}</th><td class=\"num\">{}</td>", esc(metric_label(metric)),
                          esc(value(member(d, "baseline"), false)));
      for (const auto* a : others) {
        auto pick = [&](std::string_view key) -> const json* {
          const json* m = member(d, key);
          return m != nullptr ? member(*m, a->id) : nullptr;
        };
        const json* rel = pick("rel");
        out_ += fmt::format(
            "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
            esc(value(pick("values"), false)), esc(value(pick("abs"), true)),
            rel && rel->is_number()
                ? esc(fmt::format("{}{:.1f} %", rel->get<double>() > 0 ? "+" : "",
                                  rel->get<double>() * 100.0))
                : std::string(dash));
      }
      out_ += "</tr>\n";
    }
    out_ +=
        "</tbody>\n</table></div>\n<p class=\"note\">Δ is the value minus the baseline's (pp: "
        "percentage points); Δ % is Δ relative to the baseline.</p>\n</section>\n";
  }

  void claims() {
    out_ += "<section id=\"claims\">\n<h2>Published claims, checked against the models</h2>\n";
    const auto& list = array(c_, "claims");
    if (list.empty()) {
      out_ += "<p class=\"note\">The comparison checks no claims.</p>\n</section>\n";
      return;
    }
    out_ +=
        "<table class=\"data claims\">\n<thead><tr><th>#</th><th>Claim</th><th class=\"num\">"
        "Published</th><th class=\"num\">Computed</th><th>Verdict</th><th>Why</th></tr>"
        "</thead>\n<tbody>\n";
    for (const auto& cl : list) {
      const std::string verdict = text(cl, "verdict", dash);
      out_ += fmt::format("<tr><td>{}</td><td>{}", esc(text(cl, "id")), esc(text(cl, "claim")));
      if (const std::string src = text(cl, "source"); !src.empty())
        out_ += fmt::format("<div class=\"small\">Source: {}</div>", esc(src));
      out_ += fmt::format(
          "</td><td class=\"num\">{}</td><td class=\"num\"><b>{}</b></td><td><span class=\"verdict "
          "{}\">{}</span></td><td>{}",
          esc(text(cl, "published", dash)), esc(text(cl, "computed", dash)), verdict_class(verdict),
          esc(verdict), esc(text(cl, "explanation")));
      const auto& assumed = array(cl, "assumptions");
      if (!assumed.empty()) {
        out_ += "<div class=\"small\">Assumptions: ";
        for (std::size_t i = 0; i < assumed.size(); ++i)
          out_ += fmt::format("{}{}", i ? "; " : "", esc(text_of(assumed[i])));
        out_ += "</div>";
      }
      const auto& sens = array(cl, "sensitivity");
      if (!sens.empty()) {
        out_ +=
            "<table class=\"sensitivity\"><thead><tr><th>If</th><th>were</th><th class=\"num\">"
            "computed</th><th>verdict</th></tr></thead><tbody>";
        for (const auto& s : sens) {
          const std::string v = text(s, "verdict", dash);
          out_ += fmt::format(
              "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td><span class=\"verdict {}\">{}"
              "</span></td></tr>",
              esc(text(s, "assumption")), esc(text(s, "value")), esc(text(s, "computed", dash)),
              verdict_class(v), esc(v));
        }
        out_ += "</tbody></table>";
      }
      out_ += "</td></tr>\n";
    }
    out_ += "</tbody>\n</table>\n</section>\n";
  }

  void flows() {
    out_ += "<section id=\"flows\">\n<h2>Power flow from the grid to the GPUs</h2>\n";
    out_ +=
        "<p class=\"note\">Sankey diagrams: band widths are proportional to power; at every "
        "stage the loss branches off downwards (red). Figures are in the stage tables below.</p>\n";
    for (std::size_t i = 0; i < archs_.size(); ++i) {
      out_ += fmt::format(
          "<figure class=\"chart sankey-figure\"><figcaption>{}</figcaption>"
          "<svg class=\"sankey\" id=\"sankey-{}\" data-arch=\"{}\" role=\"img\" "
          "aria-label=\"Sankey diagram of {}\"></svg></figure>\n",
          esc(archs_[i].name), i, i, esc(archs_[i].name));
    }
    out_ += "</section>\n";
  }

  void stage_table(const Architecture& a) {
    const auto& stages = array(*a.j, "stages");
    if (stages.empty()) {
      out_ += "<p class=\"note\">No stages listed.</p>\n";
      return;
    }
    out_ +=
        "<table class=\"data stages\">\n<thead><tr><th>#</th><th>Stage</th><th>Kind</th>"
        "<th class=\"num\">Voltage in → out</th><th class=\"num\">Units</th>"
        "<th class=\"num\">P in</th><th class=\"num\">P out</th><th class=\"num\">Loss</th>"
        "<th class=\"num\">Loss % of stage input</th><th class=\"num\">Efficiency</th></tr>"
        "</thead>\n<tbody>\n";
    double loss_sum = 0.0;
    bool have_loss = false;
    for (std::size_t k = 0; k < stages.size(); ++k) {
      const json& s = stages[k];
      const auto p_in = number(s, "p_in_w");
      const auto loss = number(s, "loss_w");
      const auto vin = number(s, "voltage_in_v");
      const auto vout = number(s, "voltage_out_v");
      const std::string kin = upper_ascii(text(s, "bus_kind_in"));
      const std::string kout = upper_ascii(text(s, "bus_kind_out"));
      auto level = [](double v, const std::string& kind) {
        return kind.empty() ? detail::format_nominal_voltage(v)
                            : fmt::format("{} {}", detail::format_nominal_voltage(v), kind);
      };
      std::string volts = std::string(dash);
      if (vin && vout && (*vin != *vout || kin != kout))
        volts = fmt::format("{} → {}", level(*vin, kin), level(*vout, kout));
      else if (vin || vout)
        volts = level(vin ? *vin : *vout, vin ? kin : kout);
      std::string loss_pct = std::string(dash);
      if (loss && p_in && *p_in != 0.0)
        loss_pct = format_percent(*loss / *p_in, 2);
      else if (auto lp = number(s, "loss_pct"))
        loss_pct = fmt::format("{:.2f} %", *lp);
      if (loss) {
        loss_sum += *loss;
        have_loss = true;
      }
      const std::string kind = text(s, "kind");
      out_ += fmt::format(
          "<tr><td>{}</td><td>{}</td><td><span class=\"kind kind-{}\">{}</span></td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td></tr>\n",
          k + 1, esc(text(s, "name")), kind == "conversion" ? "conversion" : "distribution",
          esc(kind.empty() ? std::string(dash) : kind), esc(volts), esc(text(s, "count", dash)),
          esc(power(p_in)), esc(power(number(s, "p_out_w"))), esc(power(loss)), esc(loss_pct),
          esc(percent(number(s, "efficiency"))));
    }
    const json& t = totals(a);
    out_ += fmt::format(
        "</tbody>\n<tfoot><tr><th></th><th colspan=\"4\">Whole chain (model totals)</th>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
        esc(power(number(t, "source_w"))), esc(power(number(t, "load_w"))),
        esc(power(number(t, "loss_w"))),
        esc(number(t, "loss_w") && number(t, "source_w") && *number(t, "source_w") != 0.0
                ? format_percent(*number(t, "loss_w") / *number(t, "source_w"), 2)
                : std::string(dash)),
        esc(percent(number(t, "efficiency"))));
    if (have_loss)
      out_ += fmt::format(
          "<tr><th></th><th colspan=\"6\" class=\"small\">Sum of the stage losses above</th>"
          "<td class=\"num small\">{}</td><td colspan=\"2\"></td></tr>\n",
          esc(format_power(loss_sum, 4)));
    out_ += "</tfoot>\n</table>\n";
  }

  void losses() {
    out_ += "<section id=\"losses\">\n<h2>Losses, stage by stage</h2>\n";
    out_ +=
        "<p class=\"note\">Waterfalls: from the power drawn from the grid (left), each stage's "
        "loss (red) down to the power delivered (right). The vertical axis does not start at "
        "zero, so that the losses are visible; its start is given on the axis.</p>\n";
    for (std::size_t i = 0; i < archs_.size(); ++i) {
      out_ += fmt::format("<h3>{}</h3>\n", esc(archs_[i].name));
      out_ += fmt::format(
          "<figure class=\"chart\"><div class=\"canvas-box\"><canvas id=\"waterfall-{}\" "
          "class=\"waterfall\" data-arch=\"{}\" role=\"img\" aria-label=\"Loss waterfall of {}\">"
          "</canvas></div></figure>\n",
          i, i, esc(archs_[i].name));
      stage_table(archs_[i]);
    }
    out_ += "</section>\n";
  }

  void conductors() {
    out_ += "<section id=\"conductors\">\n<h2>Conductors</h2>\n";
    out_ +=
        "<figure class=\"chart\"><figcaption>Copper mass by conductor level</figcaption>"
        "<div class=\"canvas-box short\"><canvas id=\"copper-chart\" class=\"copper\" "
        "role=\"img\" aria-label=\"Copper mass by architecture\"></canvas></div></figure>\n";
    for (const auto& a : archs_) {
      out_ += fmt::format("<h3>{}</h3>\n", esc(a.name));
      const auto& levels = array(*a.j, "conductor_levels");
      out_ +=
          "<table class=\"data\">\n<thead><tr><th>Level</th><th>Kind</th><th class=\"num\">"
          "Voltage</th><th class=\"num\">Lines</th><th class=\"num\">Largest current</th>"
          "<th>Its conductor</th><th class=\"num\">Cross-section</th><th class=\"num\">"
          "Copper</th><th class=\"num\">Aluminium</th><th class=\"num\">Loss</th></tr>"
          "</thead>\n<tbody>\n";
      double loss_sum = 0.0;
      for (const auto& l : levels) {
        const auto section = number(l, "cross_section_mm2");
        const auto runs = number(l, "runs");
        std::string conductor = text(l, "size", dash);
        if (runs && *runs > 1)
          conductor = fmt::format("{} × {}", format_significant(*runs, 3), conductor);
        if (auto loss = number(l, "loss_w")) loss_sum += *loss;
        out_ += fmt::format(
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
            "<td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}"
            "</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            esc(text(l, "name")), esc(upper_ascii(text(l, "kind", dash))),
            esc(voltage(number(l, "voltage_v"))), esc(text(l, "lines", dash)),
            esc(grouped(number(l, "current_a"), "A")), esc(conductor),
            esc(section ? fmt::format("{} mm²", detail::format_trimmed(*section, 4))
                        : std::string(dash)),
            esc(grouped(number(l, "copper_kg"), "kg")),
            esc(grouped(number(l, "aluminium_kg"), "kg")), esc(power(number(l, "loss_w"))));
      }
      if (levels.empty())
        out_ += "<tr><td colspan=\"10\" class=\"note\">No conductor levels listed.</td></tr>\n";
      out_ += fmt::format(
          "</tbody>\n<tfoot><tr><th colspan=\"7\">Total</th><td class=\"num\">{}</td>"
          "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr></tfoot>\n</table>\n",
          esc(grouped(number(*a.j, "copper_kg"), "kg")),
          esc(grouped(number(*a.j, "aluminium_kg"), "kg")),
          levels.empty() ? std::string(dash) : esc(format_power(loss_sum, 4)));
    }
    out_ += "</section>\n";
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

  void violations() {
    out_ += "<section id=\"violations\">\n<h2>Violations</h2>\n";
    for (const auto& a : archs_) {
      const auto& list = array(*a.j, "violations");
      out_ += fmt::format("<h3>{}</h3>\n", esc(a.name));
      if (list.empty()) {
        out_ += "<p class=\"ok\">No voltage, loading or ampacity limit is violated.</p>\n";
        continue;
      }
      out_ +=
          "<table class=\"data\">\n<thead><tr><th>Kind</th><th>Element</th><th class=\"num\">"
          "Value</th><th class=\"num\">Limit</th></tr></thead>\n<tbody>\n";
      for (const auto& v : list) {
        const std::string kind = text(v, "kind");
        const std::string_view unit = violation_unit(kind);
        auto with_unit = [&](std::string_view key) {
          const auto x = number(v, key);
          if (!x) return text(v, key, dash);
          return unit.empty() ? detail::format_trimmed(*x, 4)
                              : fmt::format("{} {}", detail::format_trimmed(*x, 4), unit);
        };
        out_ += fmt::format(
            "<tr><td>{}</td><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}"
            "</td></tr>\n",
            esc(humanise(kind)), esc(text(v, "element")), esc(with_unit("value")),
            esc(with_unit("limit")));
      }
      out_ += "</tbody>\n</table>\n";
    }
    out_ += "</section>\n";
  }

  void assumptions() {
    out_ += "<section id=\"assumptions\">\n<h2>Assumptions</h2>\n";
    static const json none = json::object();
    const json* a = member(c_, "assumptions");
    if (a == nullptr || !a->is_object()) a = &none;
    if (a->empty()) out_ += "<p class=\"note\">None listed.</p>\n";
    out_ += "<table class=\"data narrow\">\n<tbody>\n";
    for (const auto& [key, value] : a->items()) {
      if (key == "sizing" && value.is_object()) continue;  // its own table below
      std::string shown = text_of(value);
      if (key == "baseline")
        for (const auto& arch : archs_)
          if (arch.id == shown && arch.name != shown)
            shown = fmt::format("{} ({})", arch.name, shown);
      out_ +=
          fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", esc(assumption_label(key)), esc(shown));
    }
    out_ += "</tbody>\n</table>\n";
    if (const json* sizing = member(*a, "sizing"); sizing && sizing->is_object()) {
      out_ += "<h3>Conductor sizing</h3>\n<table class=\"data narrow\">\n<tbody>\n";
      for (const auto& [key, value] : sizing->items())
        out_ += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", esc(humanise(key)),
                            esc(text_of(value)));
      out_ += "</tbody>\n</table>\n";
    }
    for (const auto& arch : archs_) {
      const json* params = member(*arch.j, "parameters");
      if (params == nullptr || !params->is_object() || params->empty()) continue;
      out_ += fmt::format("<h3>Model parameters: {}</h3>\n<table class=\"data narrow\">\n<tbody>\n",
                          esc(arch.name));
      for (const auto& [key, value] : params->items())
        out_ += fmt::format("<tr><th><code>{}</code></th><td>{}</td></tr>\n", esc(key),
                            esc(text_of(value)));
      out_ += "</tbody>\n</table>\n";
    }
    out_ += "</section>\n";
  }

  void footer() {
    out_ += "</main>\n<footer>\n";
    out_ += fmt::format(
        "<p>Generated by grid2gpu from a comparison of format version {}. "
        "Self-contained: no network access is needed to read this file.</p>\n",
        esc(text(c_, "grid2gpu_compare", "?")));
    out_ += "<p>Inlined libraries (licence texts in the script comments of this file): ";
    bool first = true;
    for (const auto& lib : assets::libraries()) {
      out_ += fmt::format("{}{} {} ({}, from {})", first ? "" : "; ", esc(lib.name),
                          esc(lib.version), esc(lib.license), esc(lib.origin));
      first = false;
    }
    out_ += ".</p>\n</footer>\n";
    out_ += "<script type=\"application/json\" id=\"g2g-data\">";
    append_json_data(out_, c_);
    out_ += "</script>\n<script>\n";
    append_script_text(out_, assets::vendor_js());
    out_ += "\n</script>\n<script>\n";
    append_script_text(out_, assets::report_js());
    out_ += "\n</script>\n</body>\n</html>\n";
  }

  const json& c_;
  const std::vector<ArchitectureDiagram>& diagrams_;
  std::vector<Architecture> archs_;
  Units units_;
  std::string baseline_;
  std::string title_;
  std::string out_;
};

}  // namespace

std::string render_html(const nlohmann::json& comparison,
                        const std::vector<ArchitectureDiagram>& diagrams) {
  return Page(comparison, diagrams).render();
}

}  // namespace g2g::report

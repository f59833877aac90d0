// The claims section of the page: each published claim with its quote and public source, the
// figure grid2gpu computes for it over every scenario drawn as a range bar against the claim, the
// verdict, the break-even values, the other readings and the sensitivity rows.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "g2g/report/format.hpp"
#include "g2g/report/html_common.hpp"
#include "g2g/study/claims.hpp"

namespace g2g::report::page {

namespace {

// A value of the claim's metric in its unit ("2.09x", "52.1 %", "+3.29 points"), written the way
// the command line writes it.
std::string claim_value(study::Metric metric, double value) {
  return study::format_metric(metric, value);
}

struct VerdictWord {
  study::Verdict verdict;
  std::string_view css;
  std::string_view meaning;
};

// The verdicts of study::judge (verdict.hpp), with what each means for the reader; the words
// are study::verdict_name's.
constexpr VerdictWord verdict_words[] = {
    {study::Verdict::consistent, "verdict-consistent",
     "the claim agrees with the range grid2gpu computes, within its tolerance"},
    {study::Verdict::understated, "verdict-understated",
     "the models give more than the claim says: the claim is conservative"},
    {study::Verdict::overstated, "verdict-overstated", "the models give less than the claim says"},
    {study::Verdict::not_applicable, "verdict-na", "no figure could be computed for the claim"},
};

const VerdictWord& verdict_word(study::Verdict verdict) {
  for (const auto& v : verdict_words)
    if (verdict == v.verdict) return v;
  return verdict_words[3];
}

// A verdict badge: the word study::verdict_name spells, coloured.
std::string verdict_badge(study::Verdict verdict) {
  const VerdictWord& known = verdict_word(verdict);
  return fmt::format(R"(<span class="verdict {}" title="{}">{}</span>)", known.css,
                     esc(known.meaning), esc(study::verdict_name(verdict)));
}

// What "about", "up to" and "at least" compare (study::judge).
std::string_view form_meaning(study::ClaimForm form) {
  switch (form) {
    case study::ClaimForm::up_to:
      return "compared with the best case (the top of the range)";
    case study::ClaimForm::at_least:
      return "compared with the worst case (the bottom of the range)";
    case study::ClaimForm::about:
      return "should lie inside the range";
  }
  return "";
}

// A tolerance in the metric's unit: "5.0 %", "0.50 points", "0.10x".
std::string tolerance_text(study::Metric metric, double tolerance) {
  std::string shown = claim_value(metric, std::fabs(tolerance));
  if (shown.starts_with('+')) shown.erase(0, 1);
  return shown;
}

// ---- The range bar ---------------------------------------------------------------------------

constexpr double bar_width = 320.0;
constexpr double bar_margin = 12.0;

class RangeBar {
 public:
  explicit RangeBar(const study::Claim& claim) : claim_(claim) {
    low_ = if_finite(claim.computed_low);
    high_ = if_finite(claim.computed_high);
    default_ = if_finite(claim.computed_default);
    published_ = if_finite(claim.spec.published);
    tolerance_ = std::fabs(if_finite(claim.spec.tolerance).value_or(0.0));
    std::vector<double> ends;
    for (const auto& v : {low_, high_, default_})
      ends.push_back(v.value_or(std::numeric_limits<double>::quiet_NaN()));
    if (published_) {
      ends.push_back(*published_ - tolerance_);
      ends.push_back(*published_ + tolerance_);
    }
    std::erase_if(ends, [](double v) { return !std::isfinite(v); });
    if (ends.empty()) return;
    lo_ = *std::min_element(ends.begin(), ends.end());
    hi_ = *std::max_element(ends.begin(), ends.end());
    const double pad = hi_ > lo_ ? 0.08 * (hi_ - lo_) : std::max(0.05 * std::fabs(hi_), 1e-9);
    lo_ -= pad;
    hi_ += pad;
    drawable_ = true;
  }

  // The bar as inline SVG, or a dash when the claim has no figures to draw.
  std::string svg() const {
    if (!drawable_) return std::string(dash);
    const study::Metric metric = claim_.spec.metric;
    auto value = [&](double v) { return claim_value(metric, v); };
    std::string description;
    if (low_ && high_)
      description = low_ == high_ ? fmt::format("computed {}", value(*low_))
                                  : fmt::format("computed {} to {}", value(*low_), value(*high_));
    if (default_) description += fmt::format(" (default scenario {})", value(*default_));
    if (published_)
      description +=
          fmt::format("; claim {} ± {}", value(*published_), tolerance_text(metric, tolerance_));
    std::string out = fmt::format(
        R"(<svg class="range-bar" viewBox="0 0 {0} 46" width="{0}" height="46" role="img" )"
        R"(aria-label="{1}"><title>{1}</title>)",
        bar_width, esc(description));
    out += fmt::format(R"(<line class="rb-axis" x1="{}" x2="{}" y1="31" y2="31"/>)", bar_margin,
                       bar_width - bar_margin);
    if (published_) {
      const double a = x(*published_ - tolerance_);
      const double b = x(*published_ + tolerance_);
      out += fmt::format(R"(<rect class="rb-claim" x="{:.1f}" y="6" width="{:.1f}" height="28"/>)"
                         R"(<line class="rb-claim-mark" x1="{:.1f}" x2="{:.1f}" y1="3" y2="37"/>)",
                         a, std::max(b - a, 1.0), x(*published_), x(*published_));
    }
    if (low_ && high_) {
      const double a = x(*low_);
      out += fmt::format(
          R"(<rect class="rb-range" x="{:.1f}" y="15" width="{:.1f}" height="12" rx="2"/>)",
          std::min(a, x(*high_) - 1.5), std::max(x(*high_) - a, 3.0));
    }
    for (const auto& c : claim_.cases)
      if (const auto v = if_finite(c.value))
        out += fmt::format(R"(<line class="rb-case" x1="{0:.1f}" x2="{0:.1f}" y1="17" y2="25"/>)",
                           x(*v));
    if (default_)
      out += fmt::format(R"(<path class="rb-default" d="M{:.1f} 14l-5-8h10z"/>)", x(*default_));
    out += fmt::format(R"(<text class="rb-tick" x="{}" y="44">{}</text>)"
                       R"(<text class="rb-tick" x="{}" y="44" text-anchor="end">{}</text></svg>)",
                       bar_margin, esc(value(lo_)), bar_width - bar_margin, esc(value(hi_)));
    return out;
  }

 private:
  double x(double v) const {
    return bar_margin + (v - lo_) / (hi_ - lo_) * (bar_width - 2.0 * bar_margin);
  }

  const study::Claim& claim_;
  std::optional<double> low_, high_, default_, published_;
  double tolerance_ = 0.0;
  double lo_ = 0.0;
  double hi_ = 1.0;
  bool drawable_ = false;
};

constexpr std::string_view bar_legend =
    R"(<p class="legend range-legend"><span class="swatch rb-range-swatch"></span>computed over )"
    R"(every scenario (white ticks: each scenario) <span class="swatch rb-default-swatch">)"
    R"(</span>default scenario <span class="swatch rb-claim-swatch"></span>the claim ± its )"
    R"(tolerance</p>)";

// "3.29 … 9.54 points; default 3.29 points": the computed figure with its range.
std::optional<Span> computed_range(const study::Claim& claim) {
  return span_of(study::Range{claim.computed_low, claim.computed_high});
}

std::string computed_text(const study::Claim& claim) {
  const study::Metric metric = claim.spec.metric;
  const auto range = computed_range(claim);
  if (!range) return or_else(claim.computed, dash);  // the study's own words
  const auto deflt = if_finite(claim.computed_default);
  if (range->flat()) return fmt::format("{} in every scenario", claim_value(metric, range->low));
  return fmt::format("{} … {}{}", claim_value(metric, range->low), claim_value(metric, range->high),
                     deflt ? fmt::format("; default {}", claim_value(metric, *deflt)) : "");
}

std::string published_text(const study::Claim& claim) {
  std::string shown = claim.published;
  const study::Metric metric = claim.spec.metric;
  if (shown.empty()) {
    const auto published = if_finite(claim.spec.published);
    shown = published ? claim_value(metric, *published) : std::string(dash);
  }
  if (const auto tolerance = if_finite(claim.spec.tolerance); tolerance && *tolerance > 0)
    shown += fmt::format(" ± {}", tolerance_text(metric, *tolerance));
  return shown;
}

void append_overview(std::string& out, const std::vector<study::Claim>& claims) {
  out +=
      "<div class=\"scroll\"><table class=\"data claims-overview stack\">\n<thead><tr><th>#</th>"
      "<th>Claim</th><th>Form</th><th class=\"num\">Published</th><th class=\"num\">Computed"
      "</th><th>Computed range against the claim</th><th>Verdict</th></tr></thead>\n<tbody>\n";
  for (const auto& claim : claims) {
    const std::string& id = claim.spec.id;
    out += fmt::format(
        "<tr><td><a href=\"#claim-{}\">{}</a></td><td>{}</td><td data-label=\"Form\">{}</td>"
        "<td class=\"num\" data-label=\"Published\">{}</td><td class=\"num\" "
        "data-label=\"Computed\">{}</td><td class=\"bar-cell\">{}</td><td>{}</td></tr>\n",
        esc(id), esc(id), esc(claim.spec.text), esc(study::name(claim.spec.form)),
        esc(published_text(claim)), esc(computed_text(claim)), RangeBar(claim).svg(),
        verdict_badge(claim.verdict));
  }
  out += "</tbody>\n</table></div>\n";
}

void append_rows_table(std::string& out, std::string_view css, std::string_view head,
                       const std::vector<std::vector<std::string>>& rows) {
  out += fmt::format(
      "<div class=\"scroll\"><table class=\"data {}\"><thead><tr>{}</tr></thead>"
      "<tbody>",
      css, head);
  for (const auto& row : rows) {
    out += "<tr>";
    for (const auto& cell : row) out += cell;
    out += "</tr>";
  }
  out += "</tbody></table></div>\n";
}

void append_claim(std::string& out, const study::Claim& claim) {
  const std::string& id = claim.spec.id;
  const study::Metric metric = claim.spec.metric;
  out += fmt::format(
      "<article class=\"claim\" id=\"claim-{}\">\n<h3><span class=\"claim-id\">{}</span> {} {}"
      "</h3>\n",
      esc(id), esc(id), esc(claim.spec.text), verdict_badge(claim.verdict));
  if (const std::string& quote = claim.spec.quote; !quote.empty())
    out += fmt::format("<blockquote>“{}”</blockquote>\n", esc(quote));
  out += fmt::format("<p class=\"source\"><b>Source:</b> {}</p>\n", source_html(claim.spec.source));
  const study::ClaimForm form = claim.spec.form;
  out += "<dl class=\"facts\">";
  out += fmt::format("<dt>Kind</dt><dd>{}</dd>", esc(or_else(claim.spec.kind, dash)));
  out += fmt::format("<dt>Form</dt><dd>{}{}</dd>", esc(study::name(form)),
                     form_meaning(form).empty() ? std::string()
                                                : fmt::format(" <span class=\"small\">({})</span>",
                                                              esc(form_meaning(form))));
  out += fmt::format("<dt>Published</dt><dd>{}</dd>", esc(published_text(claim)));
  std::string cases;
  const auto computed = computed_range(claim);
  if (const std::string& low = claim.low_case; !low.empty() && !(computed && computed->flat())) {
    const std::string& high = claim.high_case;
    cases = low == high ? std::string()
                        : fmt::format(
                              " <span class=\"small\">(lowest under {}, highest under "
                              "{})</span>",
                              esc(low), esc(high));
  }
  out += fmt::format("<dt>Computed</dt><dd>{}{}</dd>", esc(computed_text(claim)), cases);
  out += "</dl>\n";
  out += fmt::format("<div class=\"bar-large\">{}</div>\n", RangeBar(claim).svg());
  if (const std::string& why = claim.explanation; !why.empty())
    out += fmt::format("<p>{}</p>\n", esc(why));
  if (const auto& assumed = claim.assumptions; !assumed.empty()) {
    out += "<p class=\"small\"><b>Assumptions:</b> ";
    for (std::size_t i = 0; i < assumed.size(); ++i)
      out += fmt::format("{}{}", i ? "; " : "", esc(assumed[i]));
    out += "</p>\n";
  }
  if (const auto& breaks = claim.break_even; !breaks.empty()) {
    out += "<h4>Break-even</h4>\n<ul class=\"break-even\">";
    for (const auto& b : breaks) {
      std::string said = b.text;
      if (said.empty())
        said = fmt::format("{} at {} {} (now {})", b.assumption, number_text(b.value), b.unit,
                           number_text(b.current));
      out += fmt::format("<li>{}</li>", esc(said));
    }
    out += "</ul>\n";
  }
  auto verdict_cell = [](study::Verdict verdict) {
    return fmt::format("<td>{}</td>", verdict_badge(verdict));
  };
  if (const auto& readings = claim.interpretations; !readings.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : readings)
      rows.push_back({fmt::format("<td>{}</td>", esc(r.name)),
                      fmt::format("<td class=\"num\">{}</td>", esc(or_else(r.computed, dash))),
                      verdict_cell(r.verdict)});
    out += "<h4>Other readings of the claim</h4>\n";
    append_rows_table(out, "readings",
                      "<th>Read as</th><th class=\"num\">computed</th><th>verdict</th>", rows);
  }
  if (const auto& sensitivity = claim.sensitivity; !sensitivity.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : sensitivity)
      rows.push_back({fmt::format("<td>{}</td>", esc(s.assumption)),
                      fmt::format("<td>{}</td>", esc(s.value)),
                      fmt::format("<td class=\"num\">{}</td>", esc(or_else(s.computed, dash))),
                      verdict_cell(s.verdict)});
    out += "<h4>Sensitivity: one assumption changed at a time</h4>\n";
    append_rows_table(out, "sensitivity",
                      "<th>If</th><th>were</th><th class=\"num\">computed</th><th>verdict</th>",
                      rows);
  }
  // The figure in each scenario, unless it is the same in all (the bar says so).
  if (const auto& cases_list = claim.cases;
      cases_list.size() > 1 && !(computed && computed->flat())) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : cases_list) {
      const auto v = if_finite(c.value);
      rows.push_back({fmt::format("<td>{}</td>", esc(c.scenario)),
                      fmt::format("<td class=\"num\">{}</td>",
                                  esc(v ? claim_value(metric, *v) : std::string(dash)))});
    }
    out += "<h4>The figure in every scenario</h4>\n";
    append_rows_table(out, "cases", "<th>Scenario</th><th class=\"num\">computed</th>", rows);
  }
  out += "</article>\n";
}

std::string architecture_name(const std::vector<Architecture>& architectures,
                              const std::string& id) {
  for (const auto& a : architectures)
    if (a.id == id) return a.name;
  return id;
}

}  // namespace

void append_claims(std::string& out, const study::ComparisonSummary& comparison,
                   const std::vector<Architecture>& architectures) {
  out += "<section id=\"claims\">\n<h2>Published claims, checked against the models</h2>\n";
  const auto& claims = comparison.claims;
  if (claims.empty()) {
    out += "<p class=\"note\">The comparison checks no claims.</p>\n</section>\n";
    return;
  }
  if (const auto& pair = comparison.claims_pair) {
    const std::string& dc = pair->dc;
    const std::string& baseline = pair->baseline;
    out += fmt::format(
        "<p>The claims compare <b>{}</b> with the baseline <b>{}</b>. Each is computed under "
        "every scenario (every combination of assumption sets): the range is what the models "
        "give, not a tolerance chosen to fit the claim.</p>\n",
        esc(architecture_name(architectures, dc)), esc(architecture_name(architectures, baseline)));
  }
  out += "<p class=\"legend\">Verdicts: ";
  for (std::size_t i = 0; i < std::size(verdict_words); ++i)
    out += fmt::format("{}{} {}", i ? "; " : "", verdict_badge(verdict_words[i].verdict),
                       esc(verdict_words[i].meaning));
  out += ".</p>\n";
  out += bar_legend;
  append_overview(out, claims);
  for (const auto& claim : claims) append_claim(out, claim);
  out += "</section>\n";
}

}  // namespace g2g::report::page

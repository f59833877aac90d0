// What the sections of the HTML page share: escaping, sources with their links, ranges over
// scenarios, figures as text, and the sections built in their own files. Every section reads the
// study's typed results (study::ComparisonSummary, study::ArchitectureResult), never the JSON.
// Internal to src/g2g/report (html*.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "g2g/study/compare.hpp"
#include "g2g/study/comparison_summary.hpp"

namespace g2g::report::page {

inline constexpr std::string_view dash = "—";

// "max_voltage_drop_pct" -> "Max voltage drop pct".
std::string humanise(std::string_view key);
// `text`, or `fallback` when it is empty (a field the document left out).
std::string or_else(const std::string& text, std::string_view fallback);
// A number as a stated value reads: "80", "0.1", "1,234,567" (six significant digits).
std::string number_text(double value);
std::string yes_no(bool value);

// ---- The page's frame ----------------------------------------------------------------------

// From <!DOCTYPE html> to the opening <body>: the title, the style sheet, and the box that shows
// any script error (empty when every chart was drawn).
void append_page_head(std::string& out, std::string_view title);
// The inlined libraries' colophon, closing the <footer> the caller opened; `data` as JSON for the
// scripts in <script type="application/json" id="`data_id`">; the libraries and `script`; and the
// end of the page.
void append_page_tail(std::string& out, std::string_view data_id, const nlohmann::json& data,
                      std::string_view script);

// ---- Text -----------------------------------------------------------------------------------

std::string esc(std::string_view text);
// `text` escaped, with every http:// or https:// address in it made a link.
std::string linked(std::string_view text);
// True when `text` names an internal work item ("issue 4", "Issue #12") rather than a public
// source.
bool names_internal_item(std::string_view text);
// A source as the page shows it: linked, with parts that name an internal work item left out
// (and said so), and a warning when nothing public is left.
std::string source_html(std::string_view source);

// ---- Ranges over the scenarios --------------------------------------------------------------

struct Span {
  double low = 0.0;
  double high = 0.0;
  [[nodiscard]] bool flat() const;  // low and high equal (to 1e-9 relative)
};
// A range with both ends finite, low first; nullopt otherwise.
std::optional<Span> span_of(const std::optional<study::Range>& range);

// ---- Sections in their own files --------------------------------------------------------------

// One architecture of the comparison as the page refers to it.
struct Architecture {
  // Its results in the default scenario: as run, or read back from a document
  // (study::comparison_from_json).
  const study::ArchitectureResult* r = nullptr;
  const study::ArchitectureSummary* s = nullptr;  // its IT load as read and ranges
  std::string id;
  std::string name;
  bool baseline = false;
};

// ---- Figures as text (a dash when missing) ----------------------------------------------------

// `value`, or nullopt when it is not finite (shown as a dash, as a missing field is).
std::optional<double> if_finite(double value);

std::string power(const std::optional<double>& watts);                         // "4.360 MW"
std::string percent(const std::optional<double>& fraction, int decimals = 2);  // "94.55 %"
std::string voltage(const std::optional<double>& volts);                       // "13.8 kV"
std::string grouped(const std::optional<double>& value, std::string_view unit,
                    int decimals = 0);  // "1,088,361 MWh"
std::string upper_ascii(std::string text);

// html_claims.cpp: the published claims, a range bar each, verdicts, break-even values, other
// readings and sensitivity rows.
void append_claims(std::string& out, const study::ComparisonSummary& comparison,
                   const std::vector<Architecture>& architectures);
// html_assumptions.cpp: the assumption sets with every value and its source, the scenarios and
// every architecture's headline figures under each.
void append_assumption_sets(std::string& out, const study::ComparisonSummary& comparison,
                            const std::vector<Architecture>& architectures);
// html_assumptions.cpp: the comparison's own assumptions (tariff, boundary, profile, cooling,
// sizing) with their sources, and each model's parameters.
void append_assumptions(std::string& out, const study::ComparisonSummary& comparison,
                        const std::vector<Architecture>& architectures);
// html_assumptions.cpp: program, version, commit, date, command line, study file, sets used.
void append_provenance(std::string& out, const study::ComparisonSummary& comparison);
// The default scenario's name: as the comparison states it, else the scenario marked default.
std::string default_scenario(const study::ComparisonSummary& comparison);
// html_flows.cpp: Sankey diagrams (drawn by report.js), loss waterfalls with the stage tables,
// conductors, violations.
void append_flows(std::string& out, const std::vector<Architecture>& architectures);
void append_losses(std::string& out, const std::vector<Architecture>& architectures);
void append_conductors(std::string& out, const std::vector<Architecture>& architectures);
// Availability of one GPU's path and the unserved energy per architecture, with each stage's
// share (docs/reliability.md, "Availability by architecture"): a bar chart and a table; "no
// data" where an element type has none.
void append_availability(std::string& out, const std::vector<Architecture>& architectures);
void append_violations(std::string& out, const std::vector<Architecture>& architectures);

}  // namespace g2g::report::page

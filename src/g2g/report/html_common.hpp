// What the sections of the HTML page share: reading the comparison JSON while tolerating missing
// fields, escaping, sources with their links, ranges over scenarios, and the sections built in
// their own files. Internal to src/g2g/report (html*.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "g2g/study/compare.hpp"

namespace g2g::report::page {

using Json = nlohmann::json;

inline constexpr std::string_view dash = "—";

// ---- Reading the comparison ------------------------------------------------------------------

// The member `key` of an object, or nullptr when `j` is no object, lacks it or holds null.
const Json* member(const Json& j, std::string_view key);
// A finite number, or nullopt.
std::optional<double> number(const Json& j, std::string_view key);
// A field as text: strings as they are, numbers and booleans spelt out, arrays and objects
// joined with "; ".
std::string text_of(const Json& value);
std::string text(const Json& j, std::string_view key, std::string_view fallback = {});
// The array or object `key`, or an empty one.
const Json& array(const Json& j, std::string_view key);
const Json& object(const Json& j, std::string_view key);
// "max_voltage_drop_pct" -> "Max voltage drop pct".
std::string humanise(std::string_view key);

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
// {low, high} from two members of `j`.
std::optional<Span> span_of(const Json& j, std::string_view low_key, std::string_view high_key);

// ---- Sections in their own files --------------------------------------------------------------

// One architecture of the comparison as the page refers to it.
struct Architecture {
  const Json* j = nullptr;  // its object in "architectures"
  // Its results in the default scenario: as run, or read back from `j`
  // (study::architecture_from_json) when the page is given a document.
  const study::ArchitectureResult* r = nullptr;
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
void append_claims(std::string& out, const Json& comparison);
// html_assumptions.cpp: the assumption sets with every value and its source, the scenarios and
// every architecture's headline figures under each.
void append_assumption_sets(std::string& out, const Json& comparison,
                            const std::vector<Architecture>& architectures);
// html_assumptions.cpp: the comparison's own assumptions (tariff, boundary, profile, cooling,
// sizing) with their sources, and each model's parameters.
void append_assumptions(std::string& out, const Json& comparison,
                        const std::vector<Architecture>& architectures);
// html_assumptions.cpp: program, version, commit, date, command line, study file, sets used.
void append_provenance(std::string& out, const Json& comparison);
// html_flows.cpp: Sankey diagrams (drawn by report.js), loss waterfalls with the stage tables,
// conductors, violations.
void append_flows(std::string& out, const std::vector<Architecture>& architectures);
void append_losses(std::string& out, const std::vector<Architecture>& architectures);
void append_conductors(std::string& out, const std::vector<Architecture>& architectures);
void append_violations(std::string& out, const std::vector<Architecture>& architectures);

}  // namespace g2g::report::page

// The comparison report: one self-contained HTML file (inline SVG, CSS and JavaScript, no
// network access) that a power engineer can read at a glance, with every number also in plain
// HTML tables. See docs/report.md.
//
// Two parts:
//  - single-line diagrams, drawn from a solved model with Graphviz (in-process, dot layout);
//    elements stamped from a template are drawn once with "×N";
//  - render_html, which lays out a comparison from the study's typed results (as run, or read
//    back from the JSON of `grid2gpu compare`, contract in docs/compare.md; page in
//    docs/report.md) with those diagrams: summary with ranges over the scenarios, claims with
//    range bars and verdicts, assumption sets, Sankey diagrams, loss waterfalls, copper charts
//    and provenance.
// Like the rest of the library it does no file I/O: callers write the returned text.
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "g2g/core/error.hpp"
#include "g2g/dynamic/envelope.hpp"
#include "g2g/dynamic/simulation_result.hpp"
#include "g2g/fab/wafer_study.hpp"
#include "g2g/model/spec.hpp"
#include "g2g/reliability/qualification.hpp"
#include "g2g/steady/results.hpp"
#include "g2g/study/comparison.hpp"
#include "g2g/study/sweep_summary.hpp"

namespace g2g::report {

// Graphviz could not lay out a diagram, or the input does not fit the report.
class ReportError : public Error {
 public:
  explicit ReportError(std::string message) : Error(ErrorKind::internal, std::move(message)) {}
};

struct SingleLineOptions {
  // Collapse elements stamped from the same template path ("row[3]/rack[12]/psu" and every other
  // "row[*]/rack[*]/psu") into one node labelled "×N". Off: one node per bus and element.
  bool group_templates = true;
  // single_line_svg does not lay out diagrams with more nodes than this (after grouping): it
  // returns a small SVG saying so. Graphviz's dot layout grows much faster than linearly.
  std::size_t max_nodes = 600;
};

// The single-line diagram in the DOT language, top (sources) to bottom (loads): buses are
// bars labelled with nominal and solved voltage, elements are boxes with their power flow and
// loss; a template group is drawn once, inside a dashed frame per template, with "×N", the mean
// per instance ("each") and the group total ("all N"). Every model text is escaped.
// `result` must come from steady::solve(model). Throws ReportError if it does not fit.
std::string single_line_dot(const model::ModelSpec& model, const steady::SolveResult& result,
                            const SingleLineOptions& options = {});

// The same diagram laid out by Graphviz (dot) as an inline <svg> element (no XML prologue,
// scales to the page width). Throws ReportError when Graphviz fails.
std::string single_line_svg(const model::ModelSpec& model, const steady::SolveResult& result,
                            const SingleLineOptions& options = {});

// Lays out any DOT text with Graphviz's dot and returns the inline <svg> element.
std::string layout_svg(std::string_view dot);

// One architecture's single-line diagram for render_html.
struct ArchitectureDiagram {
  std::string name;  // the architecture's "id" in the comparison (or its "name")
  std::string svg;   // from single_line_svg
};

// The report of a comparison as run, laid out from its typed results: study::summarise for the
// comparison-wide figures and each architecture's ArchitectureResult, with a single-line diagram
// of each architecture of the default scenario, drawn from the solved models. The page embeds
// the comparison JSON (study::comparison_json) for its charts. Throws ReportError when the
// comparison has no runs or Graphviz fails.
std::string render_html(const study::Comparison& comparison, const study::CompareOptions& options,
                        const study::RunProvenance& provenance,
                        const SingleLineOptions& diagrams = {});

// The report of a comparison document: `comparison` follows the comparison JSON contract
// ("grid2gpu_compare": 2), is read back with study::comparison_from_json (fields left out are
// shown as "—" or left out, but an architecture's missing figures are 0) and laid out by the same
// renderer; the page embeds `comparison` as given for its charts. Diagrams are matched to
// architectures by id, then by name; unmatched ones are shown after them. Throws ReportError when
// study cannot read `comparison`: not an object with an "architectures" array, a member of the
// wrong type, or a name (stage, bus or violation kind, side, source kind, claim form, metric or
// verdict, figure metric) study does not know.
std::string render_html(const nlohmann::json& comparison,
                        const std::vector<ArchitectureDiagram>& diagrams);

// The page of a design sweep (docs/report.md, "Sweeps"): per architecture, each drawn output
// (efficiency, copper) against each swept parameter, the distributions of a Monte Carlo sweep
// (histograms, ECDFs, percentiles) and the share of scenarios in which each claim holds, drawn
// with the comparison report's style sheet and Chart.js, every figure also in a table.
std::string render_sweep_html(const study::SweepSummary& summary);

// The page of a time-domain run (docs/report.md, "Simulations"): the aggregation label at the top,
// tables of what the grid sees (peak, ramps, range, spectrum against the mask), the grid limits,
// the lowest voltage, dropped loads, storage, energy spent on smoothing, warnings and least-damped
// modes, integrator counters; then one chart per signal group (Envelope::group) drawing each
// signal's min/max envelope as a band against time, with pan and zoom that switch to a finer
// envelope level as the visible span narrows. Every model text is escaped.
std::string render_simulation_html(const dynamic::SimulationSummary& summary,
                                   std::span<const dynamic::Envelope> signals);

// The wafer page of `grid2gpu wafer --html` (docs/fab.md): gross die (formula and exact count),
// yield and cost per good die by model, the inverse D0, the stack's stresses and bow table, the
// CTE claim; one SVG chart of yield against A D0 per model. Every figure is also in a table.
std::string render_wafer_html(const fab::WaferStudy& study);

// The qualification page of `grid2gpu qualify --html` (docs/reliability.md): each stress's
// bounds in a table and its OC curve (P(accept) against the true defect fraction, the whole plan
// and one lot) as an SVG chart with the LTPD and the producer's point marked; the findings.
std::string render_qualify_html(const reliability::QualificationPlan& plan,
                                const reliability::QualificationResult& result);

// Escapes text for HTML/SVG element content and quoted attribute values (& < > " ').
std::string html_escape(std::string_view text);

}  // namespace g2g::report

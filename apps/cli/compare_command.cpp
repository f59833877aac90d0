// `grid2gpu compare`: a thin shell over study::run_comparison, study::comparison_json and
// report::render_html. It reads the study file or the models, the assumption sets and claims,
// prints progress and the summary, and writes the JSON and HTML files atomically.
#include "compare_command.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "g2g/core/units.hpp"
#include "g2g/io/files.hpp"
#include "g2g/io/study_files.hpp"
#include "g2g/report/report.hpp"
#include "g2g/study/comparison.hpp"

#ifndef G2G_VERSION
#define G2G_VERSION "unknown"
#endif
#ifndef G2G_COMMIT
#define G2G_COMMIT "unknown"
#endif

namespace g2g::cli {
namespace {

namespace fs = std::filesystem;

std::string mw(double w) {
  return fmt::format("{:.2f} MW", w / 1e6);
}
std::string pct(double f) {
  return fmt::format("{:.2f} %", 100.0 * f);
}

// Rows of cells as an aligned text table: the first column left, the others right.
std::string text_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()), 0);
    for (std::size_t col = 0; col < row.size(); ++col)
      width[col] = std::max(width[col], row[col].size());
  }
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t col = 0; col < row.size(); ++col)
      out += col == 0 ? fmt::format("  {:<{}}", row[col], width[col])
                      : fmt::format("  {:>{}}", row[col], width[col]);
    out += '\n';
  }
  return out;
}

// The comparison on the terminal: the default scenario's figures, their range over every
// scenario, then the claims.
std::string summary_table(const study::Comparison& c, const study::CompareOptions& options) {
  const auto& all = c.runs.at(c.default_run).architectures;
  std::vector<std::string> header{"quantity"};
  for (const auto& a : all) header.push_back(a.id);
  using Architecture = study::ArchitectureResult;
  std::vector<std::vector<std::string>> rows{header};
  auto add = [&](std::string name, auto cell) {
    std::vector<std::string> row{std::move(name)};
    for (std::size_t i = 0; i < all.size(); ++i) row.push_back(cell(all[i], all[0]));
    rows.push_back(std::move(row));
  };
  const std::string boundary =
      options.include_point_of_load ? "grid to GPU core" : "grid to VRM input";
  auto points = [](double v) { return fmt::format("{:+.2f} pt", 100.0 * v); };
  auto change = [](double v) { return fmt::format("{:+.1f} %", 100.0 * v); };
  auto gain = [](const Architecture& a, const Architecture& b) {
    return a.annual.efficiency - b.annual.efficiency;
  };
  auto input_change = [](const Architecture& a, const Architecture& b) {
    return a.annual.input_mwh / b.annual.input_mwh - 1.0;
  };
  auto loss_change = [](const Architecture& a, const Architecture& b) {
    return a.annual.loss_mwh / b.annual.loss_mwh - 1.0;
  };
  add("IT load", [](const Architecture& a, const Architecture&) { return mw(a.design.it_load_w); });
  add("grid input, design point",
      [](const Architecture& a, const Architecture&) { return mw(a.design.source_w); });
  add(fmt::format("efficiency ({}), design point", boundary),
      [](const Architecture& a, const Architecture&) { return pct(a.design.efficiency); });
  add(fmt::format("efficiency ({}), year", boundary),
      [](const Architecture& a, const Architecture&) { return pct(a.annual.efficiency); });
  add("  vs baseline, year",
      [&](const Architecture& a, const Architecture& b) { return points(gain(a, b)); });
  add("  grid input vs baseline, year",
      [&](const Architecture& a, const Architecture& b) { return change(input_change(a, b)); });
  add("loss, design point",
      [](const Architecture& a, const Architecture&) { return mw(a.design.loss_w); });
  add("  conversion",
      [](const Architecture& a, const Architecture&) { return mw(a.design.conversion_loss_w); });
  add("  distribution",
      [](const Architecture& a, const Architecture&) { return mw(a.design.distribution_loss_w); });
  add("  loss vs baseline, year",
      [&](const Architecture& a, const Architecture& b) { return change(loss_change(a, b)); });
  add("boxes in series / power conversions", [](const Architecture& a, const Architecture&) {
    return fmt::format("{} / {}", a.boxes_in_series, a.power_conversions);
  });
  add("energy lost a year", [](const Architecture& a, const Architecture&) {
    return fmt::format("{:.0f} MWh", a.annual.loss_mwh);
  });
  add(fmt::format("  its cost ({} {:g}/MWh)", options.currency, options.tariff_per_mwh),
      [&](const Architecture& a, const Architecture&) {
        return fmt::format("{:.2f} M{}", a.annual.loss_cost / 1e6, options.currency);
      });
  if (options.cooling.overhead_kw_per_kw > 0.0)
    add(fmt::format("  cooling it ({:g} kW/kW)", options.cooling.overhead_kw_per_kw),
        [](const Architecture& a, const Architecture&) {
          return fmt::format("{:.0f} MWh", a.annual.cooling_mwh);
        });
  add("copper", [](const Architecture& a, const Architecture&) {
    return fmt::format("{:.1f} t", a.copper_kg / 1e3);
  });
  add("  vs baseline", [](const Architecture& a, const Architecture& b) {
    return b.copper_kg > 0.0 ? fmt::format("{:+.1f} %", 100.0 * (a.copper_kg / b.copper_kg - 1.0))
                             : std::string("-");
  });
  add("violations", [](const Architecture& a, const Architecture&) {
    return std::to_string(a.result.violations.size());
  });
  std::string out =
      fmt::format("Under the default assumption sets '{}':\n", c.runs[c.default_run].scenario);
  out += text_table(rows);

  // The same figures as ranges over every scenario.
  std::vector<std::vector<std::string>> ranges{header};
  auto add_range = [&](std::string name, auto value, auto format) {
    std::vector<std::string> row{std::move(name)};
    for (std::size_t i = 0; i < all.size(); ++i) {
      double lo = std::numeric_limits<double>::infinity(), hi = -lo;
      for (const auto& run : c.runs) {
        const double v = value(run.architectures[i], run.architectures[0]);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      row.push_back(std::fabs(hi - lo) <= 1e-12 * std::max(1.0, std::fabs(hi))
                        ? format(lo)
                        : fmt::format("{} to {}", format(lo), format(hi)));
    }
    ranges.push_back(std::move(row));
  };
  add_range(
      fmt::format("efficiency ({}), year", boundary),
      [](const Architecture& a, const Architecture&) { return a.annual.efficiency; }, pct);
  add_range("  vs baseline", gain, points);
  add_range("  grid input vs baseline", input_change, change);
  add_range("  loss vs baseline", loss_change, change);
  add_range(
      "copper vs baseline",
      [](const Architecture& a, const Architecture& b) {
        return b.copper_kg > 0.0 ? a.copper_kg / b.copper_kg - 1.0 : 0.0;
      },
      change);
  out += fmt::format("\nRange over the {} assumption-set combinations:", c.runs.size());
  for (const auto& run : c.runs) out += fmt::format(" [{}]", run.scenario);
  out += "\n" + text_table(ranges);

  if (!c.claims.empty() && c.dc) {
    out += fmt::format("\nClaims ({} against {}), over every assumption set\n", all[*c.dc].id,
                       all[0].id);
    for (const auto& cl : c.claims)
      out += fmt::format("  ({}) {}: published {}, computed {} -> {}\n", cl.spec.id, cl.spec.text,
                         cl.published, cl.computed, study::verdict_name(cl.verdict));
  }
  return out;
}

std::vector<std::string> split_names(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    std::size_t start = 0;
    while (start <= item.size()) {
      const std::size_t comma = item.find(',', start);
      std::string name = item.substr(start, comma == std::string::npos ? comma : comma - start);
      name.erase(0, name.find_first_not_of(' '));
      name.erase(name.find_last_not_of(' ') + 1);
      if (!name.empty()) out.push_back(name);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

// The shipped sets, with the user's directory over them (same name replaces).
std::vector<study::AssumptionSet> available_sets(const CompareCommand& c) {
  std::vector<study::AssumptionSet> sets = study::default_assumption_sets();
  if (!c.assumptions_dir.empty())
    for (auto& s : io::read_assumption_sets(c.assumptions_dir)) {
      std::erase_if(sets, [&](const auto& x) { return x.name == s.name; });
      sets.push_back(std::move(s));
    }
  return sets;
}

std::string list_sets(const std::vector<study::AssumptionSet>& sets) {
  std::string out;
  for (const auto& s : sets) {
    out += fmt::format("{} ({} side): {}\n", s.name, study::name(s.side), s.title);
    if (!s.description.empty()) out += fmt::format("  {}\n", s.description);
    for (const auto& r : s.converters)
      out += fmt::format(
          "  - {}: {} [{}: {}]\n", r.role,
          r.as_modelled ? std::string("as modelled")
          : !r.efficiency.empty()
              ? fmt::format("curve of {} points", r.efficiency.size())
              : fmt::format("{}{}", r.peak ? fmt::format("peak {:g} %", 100 * *r.peak) : "",
                            r.loss_factor ? fmt::format(" losses x {:.3g}", *r.loss_factor) : ""),
          study::name(r.provenance.kind), r.provenance.source);
    if (s.transformer)
      out += fmt::format(
          "  - transformer: no-load {:g} %, load {:g} % [{}: {}]\n",
          100 * s.transformer->no_load_loss_fraction, 100 * s.transformer->load_loss_fraction,
          study::name(s.transformer->provenance.kind), s.transformer->provenance.source);
    for (const auto& p : s.parameters)
      out += fmt::format("  - parameter {} = {} [{}: {}]\n", p.name, p.value,
                         study::name(p.provenance.kind), p.provenance.source);
  }
  return out;
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace

CLI::App* add_compare_command(CLI::App& app, CompareCommand& c) {
  auto* command = app.add_subcommand(
      "compare",
      "Compare architectures serving the same load under every assumption set: losses over a "
      "year, copper, stages, and two-sided verdicts on the 800 V DC claims (docs/compare.md)");
  command
      ->add_option("INPUTS", c.inputs,
                   "A study file, or two or more model files (the first is the baseline)")
      ->expected(0, 64);
  command->add_option("--html", c.html_path, "Write the report (one self-contained HTML file)")
      ->type_name("FILE");
  command->add_option("--json", c.json_path, "Write the comparison as JSON")->type_name("FILE");
  command
      ->add_option("--assumptions", c.assumptions,
                   "Run only these assumption sets (names, comma-separated; default: every "
                   "set, or the study's)")
      ->type_name("NAMES");
  command->add_flag("--list-assumptions", c.list_assumptions,
                    "List the assumption sets with every value and its source, then exit");
  command
      ->add_option("--assumptions-dir", c.assumptions_dir,
                   "Also read the assumption sets in DIR (*.yaml); a set of the same name "
                   "replaces the shipped one")
      ->type_name("DIR");
  command
      ->add_option("--claims", c.claims_file,
                   "Check the claims in FILE instead of the shipped ones (data/claims/)")
      ->type_name("FILE");
  command
      ->add_option("--tariff", c.tariff,
                   "Energy price per MWh for the cost of losses (default: the study's, else 80)")
      ->type_name("PRICE");
  command->add_option("--currency", c.currency, "Currency of --tariff (default USD)");
  command->add_option("--hours", c.hours,
                      "Hours a year at the design point when there is no utilisation profile "
                      "(default 8760)");
  command
      ->add_option("--cooling", c.cooling,
                   "kW of cooling per kW of electrical loss (default: the study's, else 0.1)")
      ->type_name("KW_PER_KW");
  command
      ->add_option("--it-tolerance", c.it_tolerance,
                   "Largest IT-load difference from the baseline (default 1 %)")
      ->type_name("FRACTION");
  command->add_flag("--normalise", c.normalise,
                    "Scale every architecture's loads to the baseline's IT load instead of "
                    "refusing to compare different loads");
  command->add_flag("--include-pol", c.include_point_of_load,
                    "End to end includes the GPU voltage regulators (subtype vrm); default: it "
                    "stops at their input");
  command->add_flag("--no-size", c.no_size, "Keep the modelled conductors instead of sizing them");
  command->add_flag("--no-claims", c.no_claims, "Skip the claims check");
  command->add_option("--threads", c.threads, "Threads for the runs (default: every core)");
  add_sizing_options(command, c.sizing);
  add_set_option(command, c.set);
  return command;
}

int run_compare(const CompareCommand& c) {
  const std::vector<study::AssumptionSet> sets = available_sets(c);
  if (c.list_assumptions) {
    std::fputs(list_sets(sets).c_str(), stdout);
    return exit_ok;
  }
  if (c.inputs.empty())
    throw CLI::ValidationError("compare",
                               "give a study file or two or more model files (fix: "
                               "e.g. grid2gpu compare examples/study-100mw.yaml)");

  // A study file, or models on the command line.
  study::StudySpec study;
  std::vector<std::string> paths = c.inputs;
  if (c.inputs.size() == 1) {
    const std::string text = io::read_text_file(c.inputs[0]);
    if (!study::looks_like_study(text))
      throw CLI::ValidationError("compare",
                                 fmt::format("{} is a single model; compare needs a study file "
                                             "or two or more models (fix: add the models to "
                                             "compare it with)",
                                             c.inputs[0]));
    study = io::read_study(c.inputs[0]);
    paths = study.architectures;
  }

  study::CompareOptions options;
  options.include_point_of_load = c.include_point_of_load;
  options.size_conductors = !c.no_size;
  options.sizing = sizing_options(c.sizing);
  options.currency = !c.currency.empty() ? c.currency : study.currency.value_or("USD");
  // Default tariff: the US industrial average of 2023, 8.06 cents/kWh (EIA).
  options.tariff_per_mwh = study.tariff_per_mwh.value_or(80.0);
  options.tariff_provenance = study.tariff_provenance.value_or(study::Provenance{
      "US industrial average 8.06 cents/kWh in 2023 (EIA, via "
      "https://www.statista.com/statistics/190680/"
      "us-industrial-consumer-price-estimates-for-retail-electricity-since-1970/)",
      study::SourceKind::measurement});
  if (!c.tariff.empty()) {
    options.tariff_per_mwh = quantity_option("--tariff", c.tariff, core::Dimension::dimensionless);
    options.tariff_provenance = {"--tariff on the command line", study::SourceKind::assumption};
  }
  if (!(options.tariff_per_mwh >= 0.0))
    throw CLI::ValidationError("--tariff",
                               "the tariff must not be negative (fix: e.g. --tariff 80)");
  if (!c.hours.empty())
    options.hours_per_year = quantity_option("--hours", c.hours, core::Dimension::dimensionless);
  if (!(options.hours_per_year > 0.0 && options.hours_per_year <= 8784.0))
    throw CLI::ValidationError("--hours",
                               "hours per year must be above 0 and at most 8784 (fix: e.g. 8760)");
  if (study.utilisation) options.profile = *study.utilisation;
  // Default cooling: 0.1 kW per kW of heat, the whole non-IT overhead of a fleet PUE of 1.10
  // (Google 2024 Environmental Report), an upper bound for cooling alone (docs/compare.md).
  options.cooling = study.cooling.value_or(study::CoolingOptions{
      0.1,
      {"fleet PUE 1.10 (Google, 'Our 2024 Environmental Report', "
       "https://blog.google/outreach-initiatives/sustainability/2024-environmental-report): all "
       "non-IT overhead, an upper bound for cooling alone",
       study::SourceKind::vendor_claim}});
  if (!c.cooling.empty()) {
    options.cooling.overhead_kw_per_kw =
        quantity_option("--cooling", c.cooling, core::Dimension::dimensionless);
    options.cooling.provenance = {"--cooling on the command line", study::SourceKind::assumption};
    if (!(options.cooling.overhead_kw_per_kw >= 0.0 && options.cooling.overhead_kw_per_kw < 5.0))
      throw CLI::ValidationError("--cooling", "give kW of cooling per kW of heat, e.g. 0.1");
  }
  options.it_load_tolerance = study.it_load_tolerance.value_or(0.01);
  if (!c.it_tolerance.empty())
    options.it_load_tolerance =
        quantity_option("--it-tolerance", c.it_tolerance, core::Dimension::dimensionless);
  options.normalise_it_load = c.normalise;

  // Assumption sets: the command line's, else the study's, else every set.
  std::vector<std::string> wanted = split_names(c.assumptions);
  if (wanted.empty()) wanted = study.assumptions;
  std::vector<const study::AssumptionSet*> selected;
  // Common sets apply to every run, named or not.
  for (const auto& s : sets)
    if (wanted.empty() || s.side == study::Side::common ||
        std::find(wanted.begin(), wanted.end(), s.name) != wanted.end())
      selected.push_back(&s);
  for (const auto& name : wanted)
    if (std::none_of(sets.begin(), sets.end(), [&](const auto& s) { return s.name == name; })) {
      std::string known;
      for (const auto& s : sets) known += fmt::format("{}{}", known.empty() ? "" : ", ", s.name);
      throw CLI::ValidationError(
          "--assumptions", fmt::format("no assumption set '{}' (fix: use one of {})", name, known));
    }

  // Parameters: the study's, under the assumption sets', under --set.
  const api::ModelOptions user_set = load_options(c.set);
  api::ModelOptions base_load = user_set;
  base_load.parameters = study::layered_parameters(study.parameters, {}, user_set.parameters);

  study::ComparisonInput input;
  for (const auto& p : paths) input.ids.push_back(fs::path(p).stem().string());
  input.read = [&](std::size_t i, const std::vector<model::ParameterOverride>& overrides) {
    api::ModelOptions load = base_load;
    load.parameters = study::layered_parameters(study.parameters, overrides, user_set.parameters);
    return api::load_model(paths[i], load).take_spec();
  };
  input.sets = selected;
  input.default_sets = study.default_assumptions;
  if (!c.no_claims)
    input.claims = c.claims_file.empty() ? study::default_claims() : io::read_claims(c.claims_file);
  input.options = options;
  input.threads = c.threads;
  input.progress = [](const std::string& line) { fmt::print(stderr, "{}\n", line); };

  // Warnings of each model, once.
  for (const auto& p : paths) {
    print_diagnostics(api::load_model(p, base_load).warnings());
  }

  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  study::Comparison comparison;
  try {
    comparison = study::run_comparison(input);
  } catch (const study::ItLoadMismatch& error) {
    fmt::print(stderr,
               "grid2gpu: error: {} (fix: model the same IT load, raise --it-tolerance, or pass "
               "--normalise to scale the loads to the baseline's)\n",
               error.what());
    return exit_bad_input;
  }
  fmt::print(stderr, "compare: {} runs and {} claims in {:.1f} s\n", comparison.runs.size(),
             comparison.claims.size(), std::chrono::duration<double>(Clock::now() - start).count());

  const nlohmann::json provenance{{"program", "grid2gpu"},     {"version", G2G_VERSION},
                                  {"commit", G2G_COMMIT},      {"date", utc_now()},
                                  {"command", c.command_line}, {"study", study.file}};
  const nlohmann::json doc = study::comparison_json(comparison, options, provenance);
  if (!c.json_path.empty()) io::write_file_atomic(c.json_path, doc.dump(2) + "\n");
  if (!c.html_path.empty()) {
    const auto& all = comparison.runs[comparison.default_run].architectures;
    std::vector<report::ArchitectureDiagram> diagrams;
    diagrams.reserve(all.size());
    for (const auto& a : all)
      diagrams.push_back({a.id, report::single_line_svg(a.model, a.result)});
    io::write_file_atomic(c.html_path, report::render_html(doc, diagrams));
  }

  std::fputs(summary_table(comparison, options).c_str(), stdout);
  if (!c.html_path.empty()) fmt::print("\nReport: {}\n", c.html_path);
  if (!c.json_path.empty()) fmt::print("JSON: {}\n", c.json_path);
  return exit_ok;
}

}  // namespace g2g::cli

// `grid2gpu compare A.yaml B.yaml [...]`: a thin shell over study::analyse, study::check_claims,
// study::comparison_json and report::render_html. It reads the models, prints progress and the
// summary table, and writes the JSON and HTML files atomically.
#include "compare_command.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "g2g/core/units.hpp"
#include "g2g/io/files.hpp"
#include "g2g/report/report.hpp"
#include "g2g/study/claims.hpp"
#include "g2g/study/compare.hpp"

namespace g2g::cli {
namespace {

namespace fs = std::filesystem;

std::string mw(double w) {
  return fmt::format("{:.2f} MW", w / 1e6);
}

// The comparison as a terminal table: one column per architecture, then the claims.
std::string summary_table(const std::vector<study::ArchitectureResult>& all,
                          const std::vector<study::Claim>& claims,
                          const study::CompareOptions& options) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header{"quantity"};
  for (const auto& a : all) header.push_back(a.id);
  rows.push_back(header);
  auto add = [&](std::string name, auto cell) {
    std::vector<std::string> row{std::move(name)};
    for (const auto& a : all) row.push_back(cell(a));
    rows.push_back(std::move(row));
  };
  add("IT load", [](const auto& a) { return mw(a.it_load_w); });
  add("grid input", [](const auto& a) { return mw(a.source_w); });
  add(options.include_point_of_load ? "end to end (to GPU core)" : "end to end (to GPU VRM in)",
      [](const auto& a) { return fmt::format("{:.2f} %", 100.0 * a.efficiency); });
  add("  vs baseline", [&](const auto& a) {
    return fmt::format("{:+.2f} pt", 100.0 * (a.efficiency - all[0].efficiency));
  });
  add("loss", [](const auto& a) { return mw(a.loss_w); });
  add("  conversion", [](const auto& a) { return mw(a.conversion_loss_w); });
  add("  distribution", [](const auto& a) { return mw(a.distribution_loss_w); });
  add("  vs baseline", [&](const auto& a) {
    return all[0].loss_w > 0.0 ? fmt::format("{:+.1f} %", 100.0 * (a.loss_w / all[0].loss_w - 1.0))
                               : std::string("-");
  });
  add("conversion stages", [](const auto& a) { return std::to_string(a.conversion_stages); });
  add("annual loss", [](const auto& a) { return fmt::format("{:.0f} MWh", a.annual_loss_mwh); });
  add(fmt::format("annual cost ({}/MWh {:g})", options.currency, options.tariff_per_mwh),
      [&](const auto& a) {
        return fmt::format("{:.2f} M{}", a.annual_loss_cost / 1e6, options.currency);
      });
  add("copper", [](const auto& a) { return fmt::format("{:.1f} t", a.copper_kg / 1e3); });
  add("  vs baseline", [&](const auto& a) {
    return all[0].copper_kg > 0.0
               ? fmt::format("{:+.1f} %", 100.0 * (a.copper_kg / all[0].copper_kg - 1.0))
               : std::string("-");
  });
  add("violations", [](const auto& a) { return std::to_string(a.result.violations.size()); });

  std::vector<std::size_t> width(header.size(), 0);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c)
      out += c == 0 ? fmt::format("  {:<{}}", row[c], width[c])
                    : fmt::format("  {:>{}}", row[c], width[c]);
    out += '\n';
  }
  if (!claims.empty()) {
    out += fmt::format("\nClaims ({} against {})\n", all[study::find_800vdc(all).value_or(0)].id,
                       all[0].id);
    for (const auto& c : claims)
      out += fmt::format("  ({}) {}: published {}, computed {} -> {}\n", c.id, c.claim, c.published,
                         c.computed, study::verdict_name(c.verdict));
  }
  return out;
}

struct CompareArgs {
  std::vector<std::string> model_paths;
  std::string json_path;
  std::string html_path;
  bool claims = true;
};

int compare(const CompareArgs& args, const study::CompareOptions& options,
            const model::LoadOptions& load) {
  using Clock = std::chrono::steady_clock;
  std::vector<study::ArchitectureResult> all;
  for (const auto& path : args.model_paths) {
    const auto start = Clock::now();
    core::DiagnosticList warnings;
    const model::ModelSpec m = io::read_model(path, &warnings, load);
    print_diagnostics(warnings);
    const std::string id = fs::path(path).stem().string();
    fmt::print(stderr, "compare: {} ({} buses): solving{}...", id, m.buses.size(),
               options.size_conductors ? " and sizing" : "");
    std::fflush(stderr);
    all.push_back(study::analyse(id, m, options));
    fmt::print(stderr, " {:.2f} s\n", std::chrono::duration<double>(Clock::now() - start).count());
  }

  std::vector<study::Claim> claims;
  if (args.claims) {
    const auto start = Clock::now();
    fmt::print(stderr, "compare: checking claims (re-solving sensitivity variants)...");
    std::fflush(stderr);
    study::ClaimContext context;
    context.architectures = &all;
    context.options = options;
    context.reload = [&](std::size_t i, const model::LoadOptions& variant) {
      model::LoadOptions merged = load;
      for (const auto& p : variant.parameters) {
        std::erase_if(merged.parameters, [&](const auto& q) { return q.name == p.name; });
        merged.parameters.push_back(p);
      }
      return io::read_model(args.model_paths[i], nullptr, merged);
    };
    claims = study::check_claims(context);
    fmt::print(stderr, " {:.2f} s\n", std::chrono::duration<double>(Clock::now() - start).count());
  }

  const nlohmann::json doc = study::comparison_json(all, claims, options);
  if (!args.json_path.empty()) io::write_file_atomic(args.json_path, doc.dump(2) + "\n");
  if (!args.html_path.empty()) {
    std::vector<report::ArchitectureDiagram> diagrams;
    diagrams.reserve(all.size());
    for (const auto& a : all)
      diagrams.push_back({a.id, report::single_line_svg(a.model, a.result)});
    io::write_file_atomic(args.html_path, report::render_html(doc, diagrams));
  }

  std::fputs(summary_table(all, claims, options).c_str(), stdout);
  if (!args.html_path.empty()) fmt::print("\nReport: {}\n", args.html_path);
  if (!args.json_path.empty()) fmt::print("JSON: {}\n", args.json_path);
  return exit_ok;
}

}  // namespace

CLI::App* add_compare_command(CLI::App& app, CompareCommand& c) {
  auto* command = app.add_subcommand(
      "compare",
      "Compare architectures serving the same load: losses, copper, stages, the 800 V DC "
      "claims (docs/compare.md)");
  command->add_option("MODELS", c.model_paths, "Two or more model files; the first is the baseline")
      ->required()
      ->expected(2, 64);
  command->add_option("--html", c.html_path, "Write the report (one self-contained HTML file)")
      ->type_name("FILE");
  command->add_option("--json", c.json_path, "Write the comparison as JSON")->type_name("FILE");
  command
      ->add_option("--tariff", c.tariff, "Energy price per MWh for the cost of losses (default 80)")
      ->type_name("PRICE");
  command->add_option("--currency", c.currency, "Currency of --tariff (default USD)");
  command->add_option("--hours", c.hours, "Hours per year at the modelled load (default 8760)");
  command->add_flag("--include-pol", c.include_point_of_load,
                    "End to end includes the GPU voltage regulators (subtype vrm); default: it "
                    "stops at their input");
  command->add_flag("--no-size", c.no_size, "Keep the modelled conductors instead of sizing them");
  command->add_flag("--no-claims", c.no_claims, "Skip the claims check");
  add_sizing_options(command, c.sizing);
  add_set_option(command, c.set);
  return command;
}

int run_compare(const CompareCommand& c) {
  study::CompareOptions options;
  options.include_point_of_load = c.include_point_of_load;
  options.size_conductors = !c.no_size;
  options.sizing = sizing_options(c.sizing);
  options.currency = c.currency;
  options.tariff_per_mwh = quantity_option("--tariff", c.tariff, core::Dimension::dimensionless);
  options.hours_per_year = quantity_option("--hours", c.hours, core::Dimension::dimensionless);
  if (!(options.tariff_per_mwh >= 0.0))
    throw CLI::ValidationError("--tariff",
                               "the tariff must not be negative (fix: e.g. --tariff 80)");
  if (!(options.hours_per_year > 0.0 && options.hours_per_year <= 8784.0))
    throw CLI::ValidationError("--hours",
                               "hours per year must be above 0 and at most 8784 (fix: e.g. 8760)");
  const model::LoadOptions load = load_options(c.set);
  CompareArgs args{c.model_paths, c.json_path, c.html_path, !c.no_claims};
  return compare(args, options, load);
}

}  // namespace g2g::cli

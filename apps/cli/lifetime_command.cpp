// `grid2gpu lifetime`: a thin shell over lifetime::parse_study and run_study. It reads the
// converter SPEC and the scenario files named by the study (relative to the study file, and under
// the referenced-file rule of docs/security.md: inside the study's folder or an --allow-path
// directory), prints per case the largest junction swing, the damage relative to the reference
// case (or years, for an absolute law) and the energy the floor burns, per heatsink assumption
// set, and the range over the sets; --json writes the same with the cycle histograms, --html the
// report with its charts.
#include "lifetime_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/api/converter.hpp"
#include "g2g/core/error.hpp"
#include "g2g/io/files.hpp"
#include "g2g/lifetime/result_json.hpp"
#include "g2g/lifetime/study.hpp"
#include "g2g/report/html_lifetime.hpp"

namespace g2g::cli {
namespace {

void print_header(const lifetime::LifetimeResult& result) {
  if (result.cases.empty()) return;
  const auto& positions = result.cases.front().positions;
  print_out(fmt::format("  {:<26} {:>10} {:>10}", "case", "P_rack kW", "floor MWh/y"));
  for (const auto& p : positions)
    print_out(fmt::format("  | {:<28}", fmt::format("{} ({})", p.position, p.device)));
  print_out("\n");
  print_out(fmt::format("  {:<26} {:>10} {:>10}", "", "mean", "burnt"));
  for (const auto& p : positions)
    print_out(fmt::format("  | {:>8} {:>8} {:>10}", "dTj K", "Tjmax C",
                          p.absolute ? "years" : "rel. dmg"));
  print_out("\n");
}

// `folder / written` (`written` as the study gives it, relative to the study's folder) when the
// referenced-file rule lets it be read. When not, InvalidInput with the problem and the fix,
// `where` ("FILE:LINE:COL: ") in front when known; the scenario reader locates its own.
std::filesystem::path referenced(const std::filesystem::path& folder, std::string_view written,
                                 std::span<const std::filesystem::path> allowed,
                                 const std::string& where) {
  const std::filesystem::path relative{std::string(written)};
  if (const std::string problem = io::reference_problem(folder, relative, allowed);
      !problem.empty())
    throw InvalidInput("study", fmt::format("{}'{}' {}", where, std::string(written), problem),
                       "put the file beside the study or below it, or pass --allow-path DIR for "
                       "the directory it is in (docs/security.md)");
  return folder / relative;
}

double figure(const lifetime::PositionLife& p) {
  return p.absolute ? p.lifetime_years : p.relative_damage;
}

// Per load (case name), each position's figure from the lowest to the highest over the heatsink
// sets: the result as a range over named assumptions.
void print_ranges(const lifetime::LifetimeResult& result) {
  if (result.heatsinks.size() < 2 || result.cases.empty()) return;
  const std::size_t per_set = result.cases.size() / result.heatsinks.size();
  print_out(fmt::format("  range over the {} heatsink sets (lowest .. highest):\n",
                        result.heatsinks.size()));
  for (std::size_t k = 0; k < per_set; ++k) {
    print_out(fmt::format("  {:<26} {:>21}", result.cases[k].name, ""));
    for (std::size_t i = 0; i < result.cases[k].positions.size(); ++i) {
      double low = figure(result.cases[k].positions[i]);
      double high = low;
      for (std::size_t s = 1; s < result.heatsinks.size(); ++s) {
        const double v = figure(result.cases[s * per_set + k].positions[i]);
        low = std::min(low, v);
        high = std::max(high, v);
      }
      print_out(fmt::format("  | {:>28}", fmt::format("{:.4g} .. {:.4g}", low, high)));
    }
    print_out("\n");
  }
}

}  // namespace

CLI::App* add_lifetime_command(CLI::App& app, LifetimeCommand& c) {
  auto* command = app.add_subcommand(
      "lifetime",
      "Converter switch wear-out under GPU training swings, with and without the power floor: "
      "rainflow, damage, Miner (docs/reliability.md)");
  command->add_option("STUDY", c.study_path, "Lifetime study (.yaml)")->required();
  command->add_option("--json", c.json_path, "Write the result, with cycle histograms, as JSON")
      ->type_name("FILE");
  command
      ->add_option("--html", c.html_path,
                   "Write the report: cycle histograms, damage shares, damage and floor "
                   "energy against period")
      ->type_name("FILE");
  command
      ->add_option("--allow-path", c.allow_paths,
                   "A directory outside the study file's own whose converter SPECs and scenario "
                   "files may be read; repeatable")
      ->type_name("DIR");
  return command;
}

int run_lifetime(const LifetimeCommand& c) {
  refuse_outputs_over_inputs({c.json_path, c.html_path}, {c.study_path});
  const std::filesystem::path parent = std::filesystem::path(c.study_path).parent_path();
  const std::filesystem::path folder = parent.empty() ? "." : parent;
  const std::vector<std::filesystem::path> allowed(c.allow_paths.begin(), c.allow_paths.end());
  // Scenario files and their traces, relative to the study.
  const lifetime::FileReader read_file = [&](std::string_view relative) {
    return io::read_text_file(referenced(folder, relative, allowed, {}));
  };
  const auto study =
      lifetime::parse_study(io::read_text_file(c.study_path), c.study_path, read_file);
  for (const auto& w : study.warnings) {
    std::fputs(core::format_diagnostic(w).c_str(), stderr);
    std::fputc('\n', stderr);
  }
  const auto& at = study.converter_where;
  const auto spec = io::load_converter_spec(
      referenced(folder, study.converter, allowed,
                 fmt::format("{}:{}:{}: converter: ", at.file, at.line, at.column)));
  const auto library = api::converter_library(spec);
  const auto result = lifetime::run_study(study, spec.assembly, library);

  print_out(fmt::format("lifetime: {} ({} cases, {:g} s each at {:g} ms steps)\n",
                        study.name.empty() ? c.study_path : study.name, result.cases.size(),
                        study.duration_s, 1e3 * study.time_step_s));
  const std::string* heatsink = nullptr;
  for (const auto& r : result.cases) {
    if (heatsink == nullptr || *heatsink != r.heatsink) {
      heatsink = &r.heatsink;
      print_out(fmt::format("heatsink: {}\n", r.heatsink));
      print_header(result);
    }
    print_out(fmt::format("  {:<26} {:>10.1f} {:>10.2f}", r.name, 1e-3 * r.rack_mean_power_w,
                          r.floor_burn_mwh_per_year));
    for (const auto& p : r.positions)
      print_out(fmt::format("  | {:>8.2f} {:>8.1f} {:>10.4g}", p.largest_swing_k, p.t_j_max_c,
                            figure(p)));
    print_out("\n");
  }
  print_ranges(result);
  print_out(fmt::format("  relative damage: Miner's damage per year over case '{}''s\n",
                        result.reference));
  for (const auto& n : result.notes) print_out(fmt::format("  note: {}\n", n));
  for (const auto& r : result.cases)
    for (const auto& w : r.warnings)
      print_out(fmt::format("  warning ({}, {}): {}\n", r.name, r.heatsink, w));
  // Both outputs are made before either is written: a failure writes nothing.
  std::string json_text;
  std::string html_text;
  if (!c.json_path.empty()) json_text = lifetime::result_json(study, result).dump(2) + "\n";
  if (!c.html_path.empty()) html_text = report::render_lifetime_html(study, result);
  if (!c.json_path.empty()) io::write_file_atomic(c.json_path, json_text);
  if (!c.html_path.empty()) io::write_file_atomic(c.html_path, html_text);
  return exit_ok;
}

}  // namespace g2g::cli

// `grid2gpu lifetime`: a thin shell over lifetime::parse_study and run_study. It reads the
// converter SPEC named by the study (relative to the study file), prints per case the largest
// junction swing, the damage relative to the reference case (or years, for an absolute law) and
// the energy the floor burns; --json writes the same with the cycle histograms.
#include "lifetime_command.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "g2g/api/converter.hpp"
#include "g2g/io/files.hpp"
#include "g2g/lifetime/study.hpp"

namespace g2g::cli {
namespace {

nlohmann::json result_json(const lifetime::LifetimeStudy& study,
                           const lifetime::LifetimeResult& result) {
  nlohmann::json cases = nlohmann::json::array();
  for (const auto& c : result.cases) {
    nlohmann::json positions = nlohmann::json::array();
    for (const auto& p : c.positions) {
      nlohmann::json bins = nlohmann::json::array();
      for (const auto& b : p.histogram)
        bins.push_back({{"from_k", b.from_k},
                        {"to_k", b.to_k},
                        {"cycles", b.cycles},
                        {"damage_share", b.damage_share}});
      nlohmann::json item = {{"position", p.position},
                             {"device", p.device},
                             {"family", p.family},
                             {"absolute", p.absolute},
                             {"t_j_min_c", p.t_j_min_c},
                             {"t_j_max_c", p.t_j_max_c},
                             {"largest_swing_k", p.largest_swing_k},
                             {"cycles_per_year", p.cycles_per_year},
                             {"damage_per_year", p.damage_per_year},
                             {"relative_damage", p.relative_damage},
                             {"histogram", bins}};
      if (p.absolute) item["lifetime_years"] = p.lifetime_years;
      positions.push_back(std::move(item));
    }
    cases.push_back({{"name", c.name},
                     {"period_s", c.period_s},
                     {"floor", c.floor},
                     {"rack_mean_power_w", c.rack_mean_power_w},
                     {"floor_burn_mwh_per_year_per_rack", c.floor_burn_mwh_per_year},
                     {"deferred_mwh_per_year_per_rack", c.deferred_mwh_per_year},
                     {"converter_peak_w", c.converter_peak_w},
                     {"converter_min_w", c.converter_min_w},
                     {"evaluations", c.evaluations},
                     {"warnings", c.warnings},
                     {"positions", positions}});
  }
  return {{"grid2gpu_lifetime", 1},
          {"name", study.name},
          {"converter", study.converter},
          {"rack_power_w", study.rack_power_w},
          {"converters_per_rack", study.converters_per_rack},
          {"duration_s", study.duration_s},
          {"time_step_s", study.time_step_s},
          {"reference", result.reference},
          {"notes", result.notes},
          {"cases", cases}};
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
  return command;
}

int run_lifetime(const LifetimeCommand& c) {
  refuse_outputs_over_inputs({c.json_path}, {c.study_path});
  const auto study = lifetime::parse_study(io::read_text_file(c.study_path), c.study_path);
  for (const auto& w : study.warnings) {
    std::fputs(core::format_diagnostic(w).c_str(), stderr);
    std::fputc('\n', stderr);
  }
  const std::filesystem::path spec_path =
      std::filesystem::path(c.study_path).parent_path() / study.converter;
  const auto spec = io::load_converter_spec(spec_path);
  const auto library = api::converter_library(spec);
  const auto result = lifetime::run_study(study, spec.assembly, library);

  print_out(fmt::format("lifetime: {} ({} cases, {:g} s each at {:g} ms steps)\n",
                        study.name.empty() ? c.study_path : study.name, result.cases.size(),
                        study.duration_s, 1e3 * study.time_step_s));
  print_out(fmt::format("  {:<14} {:>10} {:>10}", "case", "P_rack kW", "floor MWh/y"));
  if (!result.cases.empty())
    for (const auto& p : result.cases.front().positions)
      print_out(fmt::format("  | {:<28}", fmt::format("{} ({})", p.position, p.device)));
  print_out("\n");
  print_out(fmt::format("  {:<14} {:>10} {:>10}", "", "mean", "burnt"));
  if (!result.cases.empty())
    for (std::size_t i = 0; i < result.cases.front().positions.size(); ++i)
      print_out(fmt::format("  | {:>8} {:>8} {:>10}", "dTj K", "Tjmax C",
                            result.cases.front().positions[i].absolute ? "years" : "rel. dmg"));
  print_out("\n");
  for (const auto& r : result.cases) {
    print_out(fmt::format("  {:<14} {:>10.1f} {:>10.2f}", r.name, 1e-3 * r.rack_mean_power_w,
                          r.floor_burn_mwh_per_year));
    for (const auto& p : r.positions)
      print_out(fmt::format("  | {:>8.2f} {:>8.1f} {:>10.4g}", p.largest_swing_k, p.t_j_max_c,
                            p.absolute ? p.lifetime_years : p.relative_damage));
    print_out("\n");
  }
  print_out(fmt::format("  relative damage: Miner's damage per year over case '{}''s\n",
                        result.reference));
  for (const auto& n : result.notes) print_out(fmt::format("  note: {}\n", n));
  for (const auto& r : result.cases)
    for (const auto& w : r.warnings) print_out(fmt::format("  warning ({}): {}\n", r.name, w));
  if (!c.json_path.empty())
    io::write_file_atomic(c.json_path, result_json(study, result).dump(2) + "\n");
  return exit_ok;
}

}  // namespace g2g::cli

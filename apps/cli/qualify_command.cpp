// `grid2gpu qualify`: a thin shell over reliability::parse_plan and evaluate_plan. It prints each
// stress's acceleration, equivalent field time, FIT and MTTF bounds, LTPD and producer's point,
// and what passing shows; --json writes the same with the OC curves, --html a page with the OC
// curves drawn (report::render_qualify_html).
#include "qualify_command.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "g2g/io/files.hpp"
#include "g2g/reliability/qualification.hpp"
#include "g2g/report/report.hpp"

namespace g2g::cli {
namespace {

using reliability::hours_per_year;

nlohmann::json sourced_json(const reliability::SourcedValue& v) {
  return {{"value", v.value}, {"tag", v.tag}, {"source", v.source}};
}

nlohmann::json plan_json(const reliability::QualificationPlan& plan,
                         const reliability::QualificationResult& result) {
  nlohmann::json stresses = nlohmann::json::array();
  for (std::size_t i = 0; i < result.stresses.size(); ++i) {
    const auto& s = plan.stresses[i];
    const auto& r = result.stresses[i];
    nlohmann::json oc = nlohmann::json::array();
    for (const auto& p : r.oc_curve)
      oc.push_back({{"defect_fraction", p.defect_fraction},
                    {"accept_lot", p.accept_lot},
                    {"accept_all", p.accept_all}});
    nlohmann::json model;
    switch (s.kind) {
      case reliability::StressKind::life:
        model = {{"name", "arrhenius"},
                 {"activation_energy_ev", sourced_json(s.activation_energy_ev)}};
        break;
      case reliability::StressKind::humidity:
        model = {{"name", "peck"},
                 {"activation_energy_ev", sourced_json(s.activation_energy_ev)},
                 {"humidity_exponent", sourced_json(s.humidity_exponent)}};
        break;
      case reliability::StressKind::cycling:
        model = {{"name", "coffin_manson"}, {"exponent", sourced_json(s.coffin_manson_exponent)}};
        break;
    }
    nlohmann::json item = {{"name", r.name},
                           {"test", reliability::stress_kind_name(r.kind)},
                           {"samples_per_lot", s.samples},
                           {"lots", s.lots},
                           {"accept_per_lot", s.accept},
                           {"units", r.units},
                           {"failures", r.failures},
                           {"failures_observed", r.failures_observed},
                           {"acceleration_model", model},
                           {"acceleration_factor", r.acceleration_factor},
                           {"field_hours_per_unit", r.field_hours_per_unit},
                           {"field_years_per_unit", r.field_hours_per_unit / hours_per_year},
                           {"equivalent_device_hours", r.equivalent_device_hours},
                           {"failure_rate_upper_per_h", r.failure_rate_upper_per_h},
                           {"fit_upper", r.fit_upper},
                           {"mttf_lower_h", r.mttf_lower_h},
                           {"failure_probability_upper", r.failure_probability_upper},
                           {"oc_model", r.oc_model},
                           {"ltpd", r.ltpd},
                           {"producer_point", r.producer_point},
                           {"oc_curve", oc},
                           {"findings", r.findings}};
    if (s.lot_size) item["lot_size"] = *s.lot_size;
    if (r.producer_risk_at_aql) item["producer_risk_at_aql"] = *r.producer_risk_at_aql;
    stresses.push_back(std::move(item));
  }
  nlohmann::json use = {{"temperature_c", plan.use.temperature_c}};
  if (plan.use.humidity) use["humidity"] = *plan.use.humidity;
  if (plan.use.temperature_swing_k) use["temperature_swing_k"] = *plan.use.temperature_swing_k;
  if (plan.use.cycles_per_year) use["cycles_per_year"] = *plan.use.cycles_per_year;
  nlohmann::json out = {{"grid2gpu_qualify", 1},
                        {"plan", plan.file},
                        {"name", plan.name},
                        {"confidence", plan.confidence},
                        {"consumer_risk", plan.consumer_risk},
                        {"producer_risk", plan.producer_risk},
                        {"use", use},
                        {"stresses", stresses}};
  if (plan.aql) out["aql"] = *plan.aql;
  return out;
}

}  // namespace

CLI::App* add_qualify_command(CLI::App& app, QualifyCommand& c) {
  auto* command = app.add_subcommand(
      "qualify",
      "What a qualification plan demonstrates: FIT, MTTF, field time, OC curve, LTPD "
      "(docs/reliability.md)");
  command->add_option("PLAN", c.plan_path, "Qualification plan (.yaml)")->required();
  command->add_option("--json", c.json_path, "Write the result, with OC curves, as JSON")
      ->type_name("FILE");
  command->add_option("--html", c.html_path, "Write the result, with OC curve charts, as HTML")
      ->type_name("FILE");
  return command;
}

int run_qualify(const QualifyCommand& c) {
  refuse_outputs_over_inputs({c.json_path, c.html_path}, {c.plan_path});
  const auto plan = reliability::parse_plan(io::read_text_file(c.plan_path), c.plan_path);
  for (const auto& w : plan.warnings) {
    std::fputs(core::format_diagnostic(w).c_str(), stderr);
    std::fputc('\n', stderr);
  }
  const auto result = reliability::evaluate_plan(plan);
  print_out(fmt::format(
      "qualify: {} ({} stress{}), bounds at {:g} % confidence, LTPD at {:g} % "
      "consumer's risk\n",
      plan.name.empty() ? c.plan_path : plan.name, plan.stresses.size(),
      plan.stresses.size() == 1 ? "" : "es", 100.0 * plan.confidence, 100.0 * plan.consumer_risk));
  print_out(fmt::format("  {:<16} {:<9} {:>9} {:>6} {:>10} {:>11} {:>11} {:>12} {:>9} {:>9}\n",
                        "stress", "test", "units(c)", "fails", "AF", "field y/u",
                        "FIT <=", "MTTF >= (y)", "LTPD %", "p95 %"));
  for (std::size_t i = 0; i < result.stresses.size(); ++i) {
    const auto& s = plan.stresses[i];
    const auto& r = result.stresses[i];
    print_out(fmt::format(
        "  {:<16} {:<9} {:>9} {:>6} {:>10.4g} {:>11.4g} {:>11.4g} {:>12.4g} {:>9.3g} {:>9.3g}\n",
        r.name, reliability::stress_kind_name(r.kind),
        fmt::format("{}x{}({})", s.lots, s.samples, s.accept), r.failures, r.acceleration_factor,
        r.field_hours_per_unit / hours_per_year, r.fit_upper, r.mttf_lower_h / hours_per_year,
        100.0 * r.ltpd, 100.0 * r.producer_point));
  }
  for (const auto& r : result.stresses) {
    print_out(fmt::format("  {}:\n", r.name));
    for (const auto& f : r.findings) print_out(fmt::format("    {}\n", f));
  }
  if (!c.json_path.empty())
    io::write_file_atomic(c.json_path, plan_json(plan, result).dump(2) + "\n");
  if (!c.html_path.empty())
    io::write_file_atomic(c.html_path, report::render_qualify_html(plan, result));
  return exit_ok;
}

}  // namespace g2g::cli

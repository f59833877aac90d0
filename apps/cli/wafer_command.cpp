// `grid2gpu wafer SPEC.yaml`: a thin shell over fab::parse_wafer_spec / fab::evaluate_wafer,
// io::format_wafer_study, io::write_wafer_json and report::render_wafer_html.
#include "wafer_command.hpp"

#include "common.hpp"
#include "g2g/fab/materials.hpp"
#include "g2g/fab/wafer_spec.hpp"
#include "g2g/fab/wafer_study.hpp"
#include "g2g/io/files.hpp"
#include "g2g/io/wafer_json.hpp"
#include "g2g/io/wafer_table.hpp"
#include "g2g/report/report.hpp"

namespace g2g::cli {

CLI::App* add_wafer_command(CLI::App& app, WaferCommand& c) {
  auto* command = app.add_subcommand(
      "wafer", "Gross die, yield, cost per good die and thermal-mismatch bow of a wafer SPEC");
  command->add_option("SPEC", c.spec_path, "Wafer SPEC file (.yaml, docs/fab.md)")->required();
  command->add_option("--json", c.json_path, "Write the results as JSON")->type_name("FILE");
  command->add_option("--html", c.html_path, "Write the results as an HTML report")
      ->type_name("FILE");
  return command;
}

int run_wafer(const WaferCommand& c) {
  refuse_outputs_over_inputs({c.json_path, c.html_path}, {c.spec_path});
  const std::string text = io::read_text_file(c.spec_path);
  const auto& materials = fab::default_materials();
  const fab::WaferSpec spec = fab::parse_wafer_spec(text, c.spec_path, materials);
  const fab::WaferStudy study = fab::evaluate_wafer(spec, materials);
  print_out(io::format_wafer_study(study));
  if (!c.json_path.empty()) io::write_wafer_json(c.json_path, study);
  if (!c.html_path.empty()) io::write_file_atomic(c.html_path, report::render_wafer_html(study));
  return exit_ok;
}

}  // namespace g2g::cli

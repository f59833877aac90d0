// The grid2gpu CLI end to end: exit codes, diagnostics, output files and their guarantees
// (complete or absent, documented fields, energy balance) on every model in examples/.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace g2g::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<std::string> directory_names(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  return names;
}

// Smallest useful model: an 800 V DC source feeding a 100 kW load over 50 m of 240 mm2 cable.
constexpr const char* tiny_dc_yaml = R"(grid2gpu: 1
name: tiny dc
buses:
  - {id: src, kind: dc, voltage: 800 V}
  - {id: rack, kind: dc, voltage: 800 V}
components:
  - {id: s, type: dc_source, bus: src}
  - {id: c1, type: cable, from: src, to: rack, cross_section: 240 mm2, length: 50 m}
  - {id: l1, type: load, bus: rack, power: 100 kW}
)";

// Four independent mistakes on lines 5, 9, 10 and 11: all must be reported, not only the first.
constexpr const char* several_errors_yaml = R"(grid2gpu: 1
name: several errors
buses:
  - {id: src, kind: dc, voltage: 800 V}
  - {id: rack, kind: dc, voltage: 800 Q}
components:
  - {id: s, type: dc_source, bus: src}
  - {id: c1, type: cable, from: src, to: rack, cross_section: 240 mm2, length: 50 m}
  - {id: c2, type: cable, from: src, to: nowhere, cross_section: 240 mm2, length: 50 m}
  - {id: l1, type: load, bus: rack, power: 100 kW, colour: red}
  - {id: l2, type: lode, bus: rack, power: 5 kW}
)";

// 10 MW at 800 V through 200 m of 1.5 mm2 cable: the cable can deliver at most V^2 / 4R, about
// 0.03 MW, so no operating point exists.
constexpr const char* infeasible_yaml = R"(grid2gpu: 1
name: infeasible
buses:
  - {id: src, kind: dc, voltage: 800 V}
  - {id: far_rack, kind: dc, voltage: 800 V}
components:
  - {id: s, type: dc_source, bus: src}
  - {id: thin_cable, type: cable, from: src, to: far_rack, cross_section: 1.5 mm2, length: 200 m}
  - {id: gpu_hall, type: load, bus: far_rack, power: 10 MW}
)";

// A 3-bus MATPOWER case written for this test: slack, one PV generator, one PQ load.
constexpr const char* three_bus_m = R"(function mpc = three_bus
mpc.version = '2';
mpc.baseMVA = 100;
%	bus_i	type	Pd	Qd	Gs	Bs	area	Vm	Va	baseKV	zone	Vmax	Vmin
mpc.bus = [
	1	3	0	0	0	0	1	1.02	0	138	1	1.1	0.9;
	2	2	20	5	0	0	1	1.01	0	138	1	1.1	0.9;
	3	1	60	20	0	0	1	1	0	138	1	1.1	0.9;
];
%	bus	Pg	Qg	Qmax	Qmin	Vg	mBase	status	Pmax	Pmin
mpc.gen = [
	1	0	0	100	-100	1.02	100	1	200	0;
	2	40	0	50	-50	1.01	100	1	100	0;
];
%	fbus	tbus	r	x	b	rateA	rateB	rateC	ratio	angle	status	angmin	angmax
mpc.branch = [
	1	2	0.01	0.06	0.02	0	0	0	0	0	1	-360	360;
	1	3	0.02	0.09	0.03	0	0	0	0	0	1	-360	360;
	2	3	0.015	0.07	0.02	0	0	0	0	0	1	-360	360;
];
)";

// A radial 800 V DC feeder with `count` buses and a 2 kW load on each but the first.
std::string chain_yaml(int count) {
  std::string text = "grid2gpu: 1\nname: chain\nbuses:\n";
  for (int i = 0; i < count; ++i)
    text += "  - {id: b" + std::to_string(i) + ", kind: dc, voltage: 800 V}\n";
  text += "components:\n  - {id: s, type: dc_source, bus: b0}\n";
  for (int i = 1; i < count; ++i)
    text += fmt::format(
        "  - {{id: c{0}, type: cable, from: b{1}, to: b{0}, cross_section: 240 mm2, length: 5 m}}\n"
        "  - {{id: d{0}, type: load, bus: b{0}, power: 2 kW}}\n",
        i, i - 1);
  return text;
}

// Lines of the "FILE:LINE:COL: error: " diagnostics for `file_name` in `output`. Written out by
// hand: std::regex trips a false -Wmaybe-uninitialized in GCC 12's <regex> under ASan.
std::set<int> error_lines(const std::string& output, const std::string& file_name) {
  std::set<int> lines;
  const std::string head = file_name + ":";
  for (std::size_t at = output.find(head); at != std::string::npos;
       at = output.find(head, at + 1)) {
    std::size_t pos = at + head.size();
    auto number = [&]() {
      const std::size_t start = pos;
      while (pos < output.size() && std::isdigit(static_cast<unsigned char>(output[pos]))) ++pos;
      return pos > start ? std::stoi(output.substr(start, pos - start)) : -1;
    };
    const int line = number();
    if (line < 0 || pos >= output.size() || output[pos] != ':') continue;
    ++pos;
    if (number() < 0) continue;
    if (output.compare(pos, 9, ": error: ") == 0) lines.insert(line);
  }
  return lines;
}

// Every model file in examples/: the list is read from the directory so a new example is covered
// without touching this test.
std::vector<fs::path> example_models() {
  std::vector<fs::path> models;
  const fs::path dir = source_dir() / "examples";
  if (!fs::is_directory(dir)) return models;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string ext = entry.path().extension().string();
    // Study files (study-*.yaml), sweep files (sweep-*.yaml) and lifetime studies
    // (lifetime-*.yaml) are not models; test_compare_cli.cpp, test_sweep_cli.cpp and
    // test_lifetime_cli.cpp run them.
    const std::string name = entry.path().filename().string();
    if (name.starts_with("study-") || name.starts_with("sweep-") || name.starts_with("lifetime-"))
      continue;
    if (ext == ".yaml" || ext == ".yml" || ext == ".json" || ext == ".m")
      models.push_back(entry.path());
  }
  std::sort(models.begin(), models.end());
  return models;
}

// The fields docs/results-format.md promises.
void expect_documented_fields(const json& doc, const std::string& context) {
  SCOPED_TRACE(context);
  for (const char* key : {"format", "format_version", "model", "converged", "iterations", "solver",
                          "totals", "violations", "buses", "elements"})
    ASSERT_TRUE(doc.contains(key)) << key;
  EXPECT_TRUE(doc["model"].contains("name"));
  EXPECT_TRUE(doc["model"].contains("file"));
  for (const char* key : {"iterations", "max_mismatch_pu", "unknowns", "solve_seconds"})
    EXPECT_TRUE(doc["solver"].contains(key)) << key;
  for (const char* key :
       {"source_w", "load_w", "loss_w", "efficiency", "loss_by_type", "loss_by_stage"})
    EXPECT_TRUE(doc["totals"].contains(key)) << key;
  for (const auto& bus : doc["buses"]) {
    for (const char* key : {"id", "kind", "voltage_v", "v_pu", "angle_deg"})
      ASSERT_TRUE(bus.contains(key)) << key;
    EXPECT_TRUE(bus["kind"] == "ac" || bus["kind"] == "dc");
  }
  for (const auto& element : doc["elements"]) {
    for (const char* key : {"id", "type", "p_in_w", "p_out_w", "q_in_var", "q_out_var", "loss_w",
                            "current_a", "loading_pct"})
      ASSERT_TRUE(element.contains(key)) << key;
  }
  for (const auto& violation : doc["violations"]) {
    for (const char* key : {"kind", "element_id", "value", "limit"})
      ASSERT_TRUE(violation.contains(key)) << key;
  }
}

TEST(Cli, VersionAndHelp) {
  const auto version = grid2gpu("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.output.find("grid2gpu"), std::string::npos);
  const auto help = grid2gpu("--help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* text : {"check", "solve", "import", "Examples", "Exit codes"})
    EXPECT_NE(help.output.find(text), std::string::npos) << text;
}

TEST(Cli, ArgumentErrorsAreBadInput) {
  EXPECT_EQ(grid2gpu("").exit_code, 2);
  const auto unknown = grid2gpu("solv model.yaml");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("solv"), std::string::npos) << unknown.output;
  EXPECT_EQ(grid2gpu("solve").exit_code, 2);
  EXPECT_EQ(grid2gpu("solve a.yaml --no-such-option").exit_code, 2);
}

TEST(Cli, ExamplesDirectoryHasModels) {
  EXPECT_FALSE(example_models().empty()) << "no model files in " << source_dir() / "examples";
}

// Every example solves, its JSON has the documented fields, and energy balances:
// |source - load - loss| <= 1e-9 * source, and the element losses add up to the total.
TEST(Cli, EveryExampleSolvesAndBalancesEnergy) {
  const fs::path out = scratch_dir("cli-examples");
  for (const fs::path& model : example_models()) {
    SCOPED_TRACE(model.string());
    const fs::path json_path = out / (model.stem().string() + ".json");
    const auto run = grid2gpu("solve " + quoted(model) + " --quiet --json " + quoted(json_path));
    ASSERT_EQ(run.exit_code, 0) << run.output;
    const json doc = json::parse(read_text(json_path));
    expect_documented_fields(doc, model.string());
    EXPECT_EQ(doc["converged"], true);
    EXPECT_FALSE(doc["buses"].empty());

    const double source_w = doc["totals"]["source_w"].get<double>();
    const double load_w = doc["totals"]["load_w"].get<double>();
    const double loss_w = doc["totals"]["loss_w"].get<double>();
    EXPECT_GT(source_w, 0.0);
    EXPECT_LE(std::fabs(source_w - load_w - loss_w), 1e-9 * source_w)
        << "source " << source_w << " W, load " << load_w << " W, loss " << loss_w << " W";

    double element_loss_w = 0.0;
    for (const auto& element : doc["elements"]) element_loss_w += element["loss_w"].get<double>();
    EXPECT_NEAR(element_loss_w, loss_w, 1e-9 * source_w);
    double by_type_w = 0.0;
    for (const auto& [name, value] : doc["totals"]["loss_by_type"].items())
      by_type_w += value.get<double>();
    EXPECT_NEAR(by_type_w, loss_w, 1e-9 * source_w);
  }
}

TEST(Cli, EveryExamplePassesCheck) {
  for (const fs::path& model : example_models()) {
    const auto run = grid2gpu("check " + quoted(model));
    EXPECT_EQ(run.exit_code, 0) << model << "\n" << run.output;
  }
}

TEST(Cli, SolvePrintsTablesForASmallModel) {
  const fs::path dir = scratch_dir("cli-table");
  write_text(dir / "tiny.yaml", tiny_dc_yaml);
  const auto run = grid2gpu("solve " + quoted(dir / "tiny.yaml"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  for (const char* text :
       {"Buses", "Elements", "Totals", "efficiency", "rack", "c1", "l1", "Violations"})
    EXPECT_NE(run.output.find(text), std::string::npos) << text << "\n" << run.output;
}

TEST(Cli, QuietPrintsNothingOnSuccess) {
  const fs::path dir = scratch_dir("cli-quiet");
  write_text(dir / "tiny.yaml", tiny_dc_yaml);
  const auto run = grid2gpu("solve -q " + quoted(dir / "tiny.yaml"));
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.output, "");
}

TEST(Cli, LargeModelGetsASummary) {
  const fs::path dir = scratch_dir("cli-summary");
  write_text(dir / "chain.yaml", chain_yaml(120));
  const auto summary = grid2gpu("solve " + quoted(dir / "chain.yaml"));
  ASSERT_EQ(summary.exit_code, 0) << summary.output;
  EXPECT_NE(summary.output.find("Lowest voltages"), std::string::npos) << summary.output;
  EXPECT_NE(summary.output.find("b119"), std::string::npos) << "the far end has the lowest V";
  EXPECT_NE(summary.output.find("--json"), std::string::npos) << "says where the rest is";
  EXPECT_EQ(summary.output.find("b60 "), std::string::npos) << "no full bus table";

  const auto full = grid2gpu("solve --full " + quoted(dir / "chain.yaml"));
  ASSERT_EQ(full.exit_code, 0);
  EXPECT_NE(full.output.find("b60 "), std::string::npos);
}

TEST(Cli, JsonModelSolvesLikeYaml) {
  const fs::path dir = scratch_dir("cli-json-model");
  write_text(dir / "tiny.yaml", tiny_dc_yaml);
  write_text(dir / "tiny.json", R"({"grid2gpu": 1, "name": "tiny dc",
    "buses": [{"id": "src", "kind": "dc", "voltage": "800 V"},
              {"id": "rack", "kind": "dc", "voltage": "800 V"}],
    "components": [
      {"id": "s", "type": "dc_source", "bus": "src"},
      {"id": "c1", "type": "cable", "from": "src", "to": "rack", "cross_section": "240 mm2",
       "length": "50 m"},
      {"id": "l1", "type": "load", "bus": "rack", "power": "100 kW"}]})");
  ASSERT_EQ(grid2gpu("solve -q " + quoted(dir / "tiny.yaml") + " --json " + quoted(dir / "y.json"))
                .exit_code,
            0);
  const auto run =
      grid2gpu("solve -q " + quoted(dir / "tiny.json") + " --json " + quoted(dir / "j.json"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const json from_yaml = json::parse(read_text(dir / "y.json"));
  const json from_json = json::parse(read_text(dir / "j.json"));
  EXPECT_EQ(from_yaml["buses"], from_json["buses"]);
  EXPECT_EQ(from_yaml["totals"], from_json["totals"]);
}

TEST(Cli, CsvFilesHaveOneRowPerBusAndElement) {
  const fs::path dir = scratch_dir("cli-csv");
  write_text(dir / "tiny.yaml", tiny_dc_yaml);
  const auto run = grid2gpu("solve -q " + quoted(dir / "tiny.yaml") + " --csv " +
                            quoted(dir / "out" / "csv") + " --json " + quoted(dir / "r.json"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const json doc = json::parse(read_text(dir / "r.json"));
  auto lines = [](const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  };
  const std::string buses = read_text(dir / "out" / "csv" / "buses.csv");
  const std::string elements = read_text(dir / "out" / "csv" / "elements.csv");
  const std::string totals = read_text(dir / "out" / "csv" / "totals.csv");
  EXPECT_EQ(buses.substr(0, buses.find('\n')),
            "id,kind,voltage_v,v_pu,angle_deg,nominal_voltage_v,energised");
  EXPECT_EQ(lines(buses), doc["buses"].size() + 1);
  EXPECT_EQ(lines(elements), doc["elements"].size() + 1);
  EXPECT_NE(totals.find("total,source_w,"), std::string::npos) << totals;
  EXPECT_TRUE(fs::exists(dir / "out" / "csv" / "violations.csv"));
}

TEST(Cli, CheckPrintsEveryErrorWithFileLineColumn) {
  const fs::path dir = scratch_dir("cli-check-errors");
  const fs::path model = dir / "several-errors.yaml";
  write_text(model, several_errors_yaml);
  const auto run = grid2gpu("check " + quoted(model));
  EXPECT_EQ(run.exit_code, 2) << run.output;

  EXPECT_EQ(error_lines(run.output, "several-errors.yaml"), (std::set<int>{5, 9, 10, 11}))
      << run.output;
}

TEST(Cli, CheckAcceptsAGoodModel) {
  const fs::path dir = scratch_dir("cli-check-ok");
  write_text(dir / "tiny.yaml", tiny_dc_yaml);
  const auto run = grid2gpu("check " + quoted(dir / "tiny.yaml"));
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("ok"), std::string::npos);
}

TEST(Cli, TopologyErrorsAreReportedByCheck) {
  const fs::path dir = scratch_dir("cli-check-island");
  write_text(
      dir / "island.yaml",
      std::string(tiny_dc_yaml) + "  - {id: orphan_load, type: load, bus: orphan, power: 1 kW}\n");
  // The orphan bus goes into the bus list; nothing feeds it.
  std::string text = read_text(dir / "island.yaml");
  text.insert(text.find("components:"), "  - {id: orphan, kind: dc, voltage: 48 V}\n");
  write_text(dir / "island.yaml", text);
  const auto run = grid2gpu("check " + quoted(dir / "island.yaml"));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("island.yaml:"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("orphan"), std::string::npos) << run.output;
}

TEST(Cli, SolveBadModelExitsTwoWithLocations) {
  const fs::path dir = scratch_dir("cli-solve-errors");
  write_text(dir / "several-errors.yaml", several_errors_yaml);
  const auto run = grid2gpu("solve " + quoted(dir / "several-errors.yaml") + " --json " +
                            quoted(dir / "r.json"));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_FALSE(error_lines(run.output, "several-errors.yaml").empty()) << run.output;
  EXPECT_FALSE(fs::exists(dir / "r.json")) << "no results for a model that did not load";
}

TEST(Cli, MissingOrUnknownModelFileExitsTwoNamingIt) {
  const fs::path dir = scratch_dir("cli-missing");
  const auto missing = grid2gpu("solve " + quoted(dir / "no-such-hall.yaml"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("no-such-hall.yaml"), std::string::npos) << missing.output;

  write_text(dir / "hall.txt", tiny_dc_yaml);
  const auto unknown = grid2gpu("check " + quoted(dir / "hall.txt"));
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find(".yaml"), std::string::npos) << "the fix names the extensions";
}

TEST(Cli, InfeasibleCaseExitsThreeNamingTheCollapsedPart) {
  const fs::path dir = scratch_dir("cli-infeasible");
  write_text(dir / "infeasible.yaml", infeasible_yaml);
  write_text(dir / "old.json", "previous results");
  const auto run = grid2gpu("solve " + quoted(dir / "infeasible.yaml") + " --json " +
                            quoted(dir / "old.json") + " --csv " + quoted(dir / "csv"));
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_NE(run.output.find("far_rack"), std::string::npos) << run.output;
  EXPECT_EQ(read_text(dir / "old.json"), "previous results") << "no answer, no overwrite";
  EXPECT_FALSE(fs::exists(dir / "csv"));
}

// Output that cannot be written: exit 2, the path in the message, and nothing partial left.
TEST(Cli, UnwritableOutputLeavesNoPartialFile) {
  const fs::path dir = scratch_dir("cli-unwritable");
  write_text(dir / "tiny.yaml", tiny_dc_yaml);
  write_text(dir / "blocker", "a file where a directory should be");

  const auto under_file = grid2gpu("solve -q " + quoted(dir / "tiny.yaml") + " --json " +
                                   quoted(dir / "blocker" / "r.json"));
  EXPECT_EQ(under_file.exit_code, 2) << under_file.output;
  EXPECT_NE(under_file.output.find("blocker"), std::string::npos) << under_file.output;

  fs::create_directories(dir / "taken.json");
  const auto onto_dir =
      grid2gpu("solve -q " + quoted(dir / "tiny.yaml") + " --json " + quoted(dir / "taken.json"));
  EXPECT_EQ(onto_dir.exit_code, 2) << onto_dir.output;
  EXPECT_TRUE(fs::is_directory(dir / "taken.json"));

  const auto csv_under_file = grid2gpu("solve -q " + quoted(dir / "tiny.yaml") + " --csv " +
                                       quoted(dir / "blocker" / "csv"));
  EXPECT_EQ(csv_under_file.exit_code, 2) << csv_under_file.output;

  std::vector<std::string> names = directory_names(dir);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"blocker", "taken.json", "tiny.yaml"}))
      << "a temporary file was left behind";
  EXPECT_EQ(read_text(dir / "blocker"), "a file where a directory should be");
}

TEST(Cli, ReadOnlyDirectoryKeepsOldResults) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  const fs::path dir = scratch_dir("cli-readonly");
  write_text(dir / "tiny.yaml", tiny_dc_yaml);
  write_text(dir / "out" / "r.json", "old");
  fs::permissions(dir / "out", fs::perms::owner_read | fs::perms::owner_exec);
  const auto run = grid2gpu("solve -q " + quoted(dir / "tiny.yaml") + " --json " +
                            quoted(dir / "out" / "r.json"));
  fs::permissions(dir / "out", fs::perms::owner_all);
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_EQ(read_text(dir / "out" / "r.json"), "old");
  EXPECT_EQ(directory_names(dir / "out").size(), 1u);
}

TEST(Cli, SuccessfulWriteLeavesOnlyTheTarget) {
  const fs::path dir = scratch_dir("cli-clean-write");
  write_text(dir / "tiny.yaml", tiny_dc_yaml);
  ASSERT_EQ(grid2gpu("solve -q " + quoted(dir / "tiny.yaml") + " --json " +
                     quoted(dir / "out" / "r.json"))
                .exit_code,
            0);
  ASSERT_EQ(grid2gpu("solve -q " + quoted(dir / "tiny.yaml") + " --json " +
                     quoted(dir / "out" / "r.json"))
                .exit_code,
            0);
  EXPECT_EQ(directory_names(dir / "out"), std::vector<std::string>{"r.json"});
  EXPECT_TRUE(json::accept(read_text(dir / "out" / "r.json")));
}

TEST(Cli, ImportMatpowerThenSolveGivesTheSameAnswer) {
  const fs::path dir = scratch_dir("cli-import");
  write_text(dir / "three_bus.m", three_bus_m);
  const auto imported =
      grid2gpu("import " + quoted(dir / "three_bus.m") + " -o " + quoted(dir / "three_bus.yaml"));
  ASSERT_EQ(imported.exit_code, 0) << imported.output;

  const auto direct = grid2gpu("solve -q " + quoted(dir / "three_bus.m") + " --json " +
                               quoted(dir / "direct.json"));
  ASSERT_EQ(direct.exit_code, 0) << direct.output;
  const auto via_yaml = grid2gpu("solve -q " + quoted(dir / "three_bus.yaml") + " --json " +
                                 quoted(dir / "via_yaml.json"));
  ASSERT_EQ(via_yaml.exit_code, 0) << via_yaml.output;

  const json a = json::parse(read_text(dir / "direct.json"));
  const json b = json::parse(read_text(dir / "via_yaml.json"));
  ASSERT_EQ(a["buses"].size(), 3u);
  ASSERT_EQ(b["buses"].size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(a["buses"][i]["v_pu"].get<double>(), b["buses"][i]["v_pu"].get<double>(), 1e-9);
    EXPECT_NEAR(a["buses"][i]["angle_deg"].get<double>(), b["buses"][i]["angle_deg"].get<double>(),
                1e-7);
  }
  const double source_w = a["totals"]["source_w"].get<double>();
  EXPECT_NEAR(source_w, b["totals"]["source_w"].get<double>(), 1e-9 * source_w);
}

TEST(Cli, ImportRefusesANonYamlOutputAndMissingCase) {
  const fs::path dir = scratch_dir("cli-import-errors");
  write_text(dir / "three_bus.m", three_bus_m);
  const auto wrong_ext =
      grid2gpu("import " + quoted(dir / "three_bus.m") + " -o " + quoted(dir / "three_bus.json"));
  EXPECT_EQ(wrong_ext.exit_code, 2);
  EXPECT_FALSE(fs::exists(dir / "three_bus.json"));
  const auto missing =
      grid2gpu("import " + quoted(dir / "nothing.m") + " -o " + quoted(dir / "nothing.yaml"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("nothing.m"), std::string::npos) << missing.output;
  EXPECT_FALSE(fs::exists(dir / "nothing.yaml"));
}

}  // namespace
}  // namespace g2g::test

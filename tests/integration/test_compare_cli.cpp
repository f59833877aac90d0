// `grid2gpu compare` end to end on the four reference architectures: the JSON document's
// arithmetic, equal IT load, energy balance at 125 kW and 1 MW racks, and exit codes.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "support/test_support.hpp"

namespace g2g::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string models(std::initializer_list<const char*> names) {
  std::string out;
  for (const char* name : names) out += fmt::format(" {}", quoted_example(name));
  return out;
}

// Checks the figures of one comparison against each other and the documented definitions.
void check_comparison(const json& doc, double it_load_w, std::size_t architectures) {
  ASSERT_EQ(doc["grid2gpu_compare"], 2);
  const auto& archs = doc["architectures"];
  ASSERT_EQ(archs.size(), architectures);
  const double hours = doc["assumptions"]["utilisation_profile"]["hours"].get<double>();
  for (const auto& a : archs) {
    SCOPED_TRACE(a["id"].get<std::string>());
    const auto& t = a["totals"];
    EXPECT_TRUE(a["converged"].get<bool>());
    // The same IT load in every architecture.
    EXPECT_NEAR(t["it_load_w"].get<double>(), it_load_w, 1e-6 * it_load_w);
    // loss = input - delivered = conversion + distribution; efficiency = delivered / input.
    const double source = t["source_w"], delivered = t["load_w"], loss = t["loss_w"];
    EXPECT_NEAR(loss, source - delivered, 1e-9 * source);
    EXPECT_NEAR(loss, t["conversion_loss_w"].get<double>() + t["distribution_loss_w"].get<double>(),
                1e-6 * source);
    EXPECT_NEAR(t["efficiency"].get<double>(), delivered / source, 1e-12);
    // Stages chain: the losses of the stages add up to the total.
    double stage_loss = 0.0;
    for (const auto& s : a["stages"]) stage_loss += s["loss_w"].get<double>();
    EXPECT_NEAR(stage_loss, loss, 1e-6 * source);
    // The year is the hours-weighted sum of the profile's points (or the design point).
    double loss_mwh = 0.0;
    for (const auto& p : a["profile"])
      loss_mwh += p["totals"]["loss_w"].get<double>() * p["hours"].get<double>() / 1e6;
    if (a["profile"].empty()) loss_mwh = loss * hours / 1e6;
    EXPECT_NEAR(a["annual"]["loss_mwh"].get<double>(), loss_mwh, 1e-9 * loss_mwh);
    EXPECT_GT(a["copper_kg"].get<double>(), 0.0);
    // The default scenario's figure lies inside its range over every scenario.
    const auto& e = a["ranges"]["efficiency"];
    EXPECT_LE(e["low"].get<double>(), t["efficiency"].get<double>() + 1e-12);
    EXPECT_GE(e["high"].get<double>(), t["efficiency"].get<double>() - 1e-12);
  }
  // Differences are taken against the first architecture.
  for (const auto& d : doc["differences"]) {
    if (d["metric"] != "copper_kg") continue;
    const double base = archs[0]["copper_kg"];
    const double other = archs[1]["copper_kg"];
    const std::string id = archs[1]["id"];
    EXPECT_NEAR(d["abs"][id].get<double>(), other - base, 1e-6);
    EXPECT_NEAR(d["rel"][id].get<double>(), (other - base) / base, 1e-12);
  }
  // Every assumption set lists its values with a source.
  for (const auto& set : doc["assumption_sets"])
    for (const auto& v : set["values"]) {
      EXPECT_FALSE(v["source"].get<std::string>().empty()) << set["name"] << " " << v["what"];
      EXPECT_FALSE(v["kind"].get<std::string>().empty());
    }
}

// Every claim carries the documented fields, a range that holds its default, and the verdict
// of its form over that range.
void check_claims(const json& doc) {
  ASSERT_FALSE(doc["claims"].empty());
  for (const auto& c : doc["claims"]) {
    SCOPED_TRACE(c["id"].get<std::string>());
    for (const char* key : {"id", "text", "form", "published", "computed_low", "computed_high",
                            "computed_default", "verdict", "break_even", "sensitivity", "source"})
      EXPECT_TRUE(c.contains(key)) << key;
    const std::string verdict = c["verdict"];
    EXPECT_TRUE(verdict == "consistent" || verdict == "understated" || verdict == "overstated" ||
                verdict == "n/a")
        << verdict;
    if (verdict == "n/a") continue;
    const double low = c["computed_low"], high = c["computed_high"], def = c["computed_default"];
    EXPECT_LE(low, def + 1e-12);
    EXPECT_GE(high, def - 1e-12);
    // The verdict, recomputed here from its definition (docs/compare.md, "Verdicts").
    const double x = c["published"], tol = c["tolerance"];
    const std::string form = c["form"];
    const double below = form == "at least" ? low : high;
    const double above = form == "up to" ? high : low;
    const std::string expected = below < x - tol   ? "overstated"
                                 : above > x + tol ? "understated"
                                                   : "consistent";
    EXPECT_EQ(verdict, expected);
    for (const auto& row : c["sensitivity"]) {
      EXPECT_TRUE(row.contains("assumption") && row.contains("value") && row.contains("computed") &&
                  row.contains("verdict"));
    }
  }
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The report of `make run`, rendered by headless Chromium: scripts ran to their end with no
// error, and each of the `architectures` has its single-line diagram, Sankey and waterfall.
void check_rendered_report(const fs::path& page, const fs::path& dir, std::size_t architectures) {
  if (!fs::exists("/usr/bin/chromium")) {
    GTEST_SKIP() << "chromium is not installed (scripts/setup installs it)";
  }
  const auto run = run_command(fmt::format(
      "timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "
      "--no-first-run --user-data-dir={} --dump-dom file://{} > {} 2> {}",
      quoted(dir / "profile"), page.string(), quoted(dir / "dom.html"), quoted(dir / "log.txt")));
  ASSERT_EQ(run.exit_code, 0) << read_text(dir / "log.txt");
  const std::string dom = read_text(dir / "dom.html");
  EXPECT_NE(dom.find("data-render-ok=\"1\""), std::string::npos) << read_text(dir / "log.txt");
  EXPECT_NE(dom.find("class=\"render-errors\" role=\"alert\"></pre>"), std::string::npos)
      << "script errors in the page";
  EXPECT_EQ(count(dom, "class=\"sld\""), architectures);
  EXPECT_EQ(count(dom, "class=\"sankey\" id=\"sankey-"), architectures);
  EXPECT_EQ(count(dom, "height=\"420\" data-rendered=\"1\""), architectures);
  EXPECT_NE(dom.find("×800"), std::string::npos);  // 800 racks drawn once
}

// The study of `make run`: every assumption set, the year, the claims and the rendered report.
TEST(CompareCli, DefaultStudy) {
  const fs::path dir = scratch_dir("compare-study");
  const auto r =
      grid2gpu(fmt::format("compare {} --json {} --html {}", quoted_example("study-100mw.yaml"),
                           quoted(dir / "c.json"), quoted(dir / "r.html")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Claims"), std::string::npos) << r.output;
  const json doc = read_json(dir / "c.json");
  check_comparison(doc, 100e6, 5);
  // Every AC set crossed with every DC set.
  EXPECT_EQ(doc["scenarios"].size(), 9u);
  EXPECT_EQ(doc["default_scenario"], "ac-modern + dc-physics");
  check_claims(doc);
  // Provenance names the program and the command.
  EXPECT_NE(doc["provenance"]["command"].get<std::string>().find("study-100mw.yaml"),
            std::string::npos);
  // Nothing says a claim "holds": the verdicts are two-sided.
  const std::string html = read_text(dir / "r.html");
  EXPECT_EQ(html.find(">holds<"), std::string::npos);
  check_rendered_report(dir / "r.html", dir, 5);
}

// Availability per architecture (docs/reliability.md): every architecture of the shipped study
// has data for every element type of its chain, a path availability in (0, 1], a positive
// unserved energy no larger than the year's IT energy, and a largest stage among its stages; the
// terminal and the report show the same.
TEST(CompareCli, AvailabilityPerArchitecture) {
  const fs::path dir = scratch_dir("compare-availability");
  const auto r = grid2gpu(fmt::format("compare {} --no-claims --json {} --html {}",
                                      quoted_example("study-100mw.yaml"), quoted(dir / "c.json"),
                                      quoted(dir / "r.html")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("availability, one GPU's path"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("no data"), std::string::npos) << r.output;
  const json doc = read_json(dir / "c.json");
  ASSERT_EQ(doc["architectures"].size(), 5u);
  for (const auto& a : doc["architectures"]) {
    SCOPED_TRACE(a["id"].get<std::string>());
    const json& av = a.at("availability");
    EXPECT_TRUE(av.at("no_data").empty());
    const double path = av.at("path_availability").get<double>();
    EXPECT_GT(path, 0.0);
    EXPECT_LE(path, 1.0);
    const double unserved = av.at("unserved_mwh_per_year").get<double>();
    EXPECT_GT(unserved, 0.0);
    EXPECT_LT(unserved, av.at("it_mwh_per_year").get<double>());
    EXPECT_NEAR(av.at("it_mwh_per_year").get<double>(), a["annual"]["it_mwh"].get<double>(), 1e-6);
    bool found = false;
    double sum = 0.0;
    for (const auto& s : av.at("stages")) {
      EXPECT_TRUE(s.at("data").get<bool>());
      const double u = s.at("unavailability").get<double>();
      EXPECT_GE(u, 0.0);
      EXPECT_LT(u, 1.0);
      sum += s.at("unserved_mwh_per_year").get<double>();
      found = found || s.at("stage") == av.at("largest_stage");
    }
    EXPECT_TRUE(found);
    EXPECT_NEAR(sum, unserved, 1e-9 * unserved);
  }
  const std::string html = read_text(dir / "r.html");
  EXPECT_NE(html.find("id=\"availability-chart\""), std::string::npos);
  EXPECT_NE(html.find("One GPU's path"), std::string::npos);
}

// 1 MW racks, one assumption pair: the same arithmetic, and the 800 V-to-tray variant.
TEST(CompareCli, OneMegawattRacks) {
  const fs::path dir = scratch_dir("compare-1m");
  const auto r =
      grid2gpu(fmt::format("compare {} --assumptions ac-modern,dc-physics --no-claims --json {}",
                           quoted_example("study-1mw-racks.yaml"), quoted(dir / "c.json")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json doc = read_json(dir / "c.json");
  ASSERT_EQ(doc["architectures"][0]["parameters"]["rack_power"], "1 MW");
  EXPECT_EQ(doc["scenarios"].size(), 1u);
  check_comparison(doc, 100e6, 3);
}

TEST(CompareCli, PointOfLoadBoundaryIsReported) {
  const fs::path dir = scratch_dir("compare-pol");
  const auto r = grid2gpu(fmt::format(
      "compare {} --include-pol --no-claims --assumptions ac-legacy,dc-vendor-peak --json {}",
      models({"legacy-415vac.yaml", "800vdc-sst.yaml"}), quoted(dir / "c.json")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json doc = read_json(dir / "c.json");
  EXPECT_TRUE(doc["assumptions"]["include_point_of_load"].get<bool>());
  // With the VRM inside, delivered power is the GPU load itself.
  for (const auto& a : doc["architectures"])
    EXPECT_NEAR(a["totals"]["load_w"].get<double>(), a["totals"]["it_load_w"].get<double>(), 1e-3);
}

TEST(CompareCli, ListAssumptionsNamesEverySetAndSource) {
  const auto r = grid2gpu("compare --list-assumptions");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* name : {"ac-legacy", "ac-modern", "ac-eco", "dc-vendor-peak", "dc-conservative",
                           "dc-physics", "common"})
    EXPECT_NE(r.output.find(name), std::string::npos) << name;
  EXPECT_NE(r.output.find("vendor claim"), std::string::npos);
}

TEST(CompareCli, DifferentItLoadsAreRefused) {
  const fs::path dir = scratch_dir("compare-it");
  const std::string two = models({"legacy-415vac.yaml", "800vdc-sst.yaml"});
  auto r =
      grid2gpu(fmt::format("compare {} --no-claims --assumptions ac-modern,dc-physics "
                           "--set hall_power=90MW --json {}",
                           models({"legacy-415vac.yaml"}) + " " + quoted_example("800vdc-sst.yaml"),
                           quoted(dir / "c.json")));
  EXPECT_EQ(r.exit_code, 0) << r.output;  // the same parameter for both: equal loads
  // One model with less IT load than the baseline: refused, then normalised on request.
  const fs::path smaller = dir / "800vdc-small.yaml";
  {
    std::string text = read_text(example_path("800vdc-sst.yaml"));
    const auto at = text.find("hall_power: 100 MW");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 18, "hall_power: 80 MW");
    std::ofstream(smaller) << text;
    fs::create_directories(dir / "converters");
    for (const auto& e : fs::directory_iterator(source_dir() / "examples" / "converters"))
      fs::copy_file(e.path(), dir / "converters" / e.path().filename(),
                    fs::copy_options::overwrite_existing);
  }
  const std::string pair = models({"legacy-415vac.yaml"}) + " " + quoted(smaller);
  r = grid2gpu(fmt::format("compare {} --no-claims --assumptions ac-modern,dc-physics --json {}",
                           pair, quoted(dir / "refused.json")));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--normalise"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "refused.json"));
  r = grid2gpu(
      fmt::format("compare {} --no-claims --assumptions ac-modern,dc-physics --normalise --json {}",
                  pair, quoted(dir / "n.json")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json doc = read_json(dir / "n.json");
  EXPECT_NEAR(doc["architectures"][1]["totals"]["it_load_w"].get<double>(), 100e6, 1e-3);
  EXPECT_NEAR(doc["architectures"][1]["it_scale"].get<double>(), 1.25, 1e-9);
}

TEST(CompareCli, BadInputExitsTwoAndWritesNothing) {
  const fs::path dir = scratch_dir("compare-bad");
  const std::string one = quoted_example("800vdc-sst.yaml");
  // One model is not a comparison.
  auto r = grid2gpu(fmt::format("compare {} --json {}", one, quoted(dir / "c.json")));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  // A parameter no model declares.
  r = grid2gpu(fmt::format("compare {} --set rack_pwr=1MW --json {}",
                           models({"legacy-415vac.yaml", "800vdc-sst.yaml"}),
                           quoted(dir / "c.json")));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("did you mean 'rack_power'"), std::string::npos) << r.output;
  // An unknown assumption set.
  r = grid2gpu(fmt::format("compare {} --assumptions ac-modrn --json {}",
                           quoted_example("study-100mw.yaml"), quoted(dir / "c.json")));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("ac-modern"), std::string::npos) << r.output;
  // A missing file.
  r = grid2gpu(fmt::format("compare {} {} --json {}", one, quoted(dir / "missing.yaml"),
                           quoted(dir / "c.json")));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = grid2gpu(fmt::format("compare {} {} --tariff -3", one, one));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--tariff: the tariff must not be negative"), std::string::npos)
      << r.output;
  // A study file is not a model.
  r = grid2gpu(fmt::format("solve {}", quoted_example("study-100mw.yaml")));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("grid2gpu compare"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "c.json"));
}

// Sizing options outside the ampacity tables are the user's to fix, in every command that sizes:
// exit 2 with the table named, never "internal error".
TEST(CompareCli, SizingOptionsOutsideTheTablesAreBadInput) {
  const fs::path dir = scratch_dir("compare-sizing-options");
  for (const char* command : {"size", "compare"}) {
    SCOPED_TRACE(command);
    const std::string inputs = std::string(command) == "size"
                                   ? quoted_example("800vdc-sst.yaml")
                                   : models({"legacy-415vac.yaml", "800vdc-sst.yaml"});
    const auto r = grid2gpu(fmt::format("{} {} --method F --insulation pvc --json {}", command,
                                        inputs, quoted(dir / "out.json")));
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("no copper ampacity table for method F, pvc insulation"),
              std::string::npos)
        << r.output;
    EXPECT_EQ(r.output.find("internal error"), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(dir / "out.json"));
  }
}

// The rack-storage claim (f) from a time-domain scenario: the example's storage study shortened
// (60 s, a 10 s start ramp, a 5 s grid reference, so that the run's second half is clear of the
// start). Its cases are the 1 s and 10 s periods; the break-even storage per rack at 1 s is the
// figure `simulate --size-storage` reports for the same model, scenario and period (both from
// the engine: the cross-check is that compare passes them through unchanged); the averaged
// demand is about the same with the storage as without (it is energy-neutral over a cycle: within
// 2 % here, the recharge and the storage's losses); the row is in the text and the HTML too.
TEST(CompareCli, ScenarioGivesTheRackStorageClaim) {
  const fs::path dir = scratch_dir("compare-storage");
  std::string scenario = read_text(example_path("scenarios/storage-sizing.yaml"));
  scenario = replaced(scenario, "duration: 300 s", "duration: 60 s");
  scenario = replaced(scenario, "start_ramp: 60 s", "start_ramp: 10 s");
  scenario = replaced(scenario, "grid_time_constant: 20 s", "grid_time_constant: 5 s");
  { std::ofstream(dir / "storage.yaml", std::ios::binary) << scenario; }
  const std::string hall = quoted_example("800vdc-gpu-hall.yaml");
  const auto r = grid2gpu(fmt::format(
      "compare {} {} --normalise --assumptions ac-modern,dc-physics --scenario {} --json {} "
      "--html {}",
      quoted_example("legacy-415vac-small.yaml"), hall, quoted(dir / "storage.yaml"),
      quoted(dir / "c.json"), quoted(dir / "r.html")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json doc = read_json(dir / "c.json");
  check_claims(doc);
  const json* f = nullptr;
  for (const auto& c : doc["claims"])
    if (c["metric"] == "storage_peak_reduction") f = &c;
  ASSERT_NE(f, nullptr);
  SCOPED_TRACE((*f)["explanation"].get<std::string>());
  ASSERT_NE((*f)["verdict"], "n/a");
  ASSERT_EQ((*f)["cases"].size(), 2u);
  EXPECT_EQ((*f)["cases"][0]["scenario"], "1 s period");
  EXPECT_EQ((*f)["cases"][1]["scenario"], "10 s period");
  for (const auto& c : (*f)["cases"]) {
    EXPECT_GT(c["value"].get<double>(), 0.0);  // the storage cuts the instantaneous peak
    EXPECT_LT(c["value"].get<double>(), 1.0);
  }
  ASSERT_EQ((*f)["interpretations"].size(), 2u);
  for (const auto& i : (*f)["interpretations"]) {
    EXPECT_NE(i["name"].get<std::string>().find("averaged demand"), std::string::npos);
    EXPECT_LT(std::fabs(i["computed_value"].get<double>()), 0.02) << i;
  }
  const json* energy = nullptr;
  for (const auto& b : (*f)["break_even"])
    if (b["assumption"] == "storage energy per rack, 1 s period") energy = &b;
  ASSERT_NE(energy, nullptr);
  EXPECT_EQ((*energy)["unit"], "kWh");
  EXPECT_GT((*energy)["value"].get<double>(), 0.0);
  EXPECT_GT((*energy)["current"].get<double>(), 0.0);

  const auto sized =
      grid2gpu(fmt::format("simulate {} --scenario {} --size-storage --periods 1s --json {} -q",
                           hall, quoted(dir / "storage.yaml"), quoted(dir / "s.json")));
  ASSERT_EQ(sized.exit_code, 0) << sized.output;
  const json point = read_json(dir / "s.json")["points"][0];
  ASSERT_TRUE(point["feasible"].get<bool>()) << point;
  EXPECT_NEAR((*energy)["value"].get<double>(),
              point["usable_energy_per_rack_j"].get<double>() / 3.6e6, 1e-12);

  EXPECT_NE(r.output.find("Rack energy storage"), std::string::npos) << r.output;
  EXPECT_NE(read_text(dir / "r.html").find("claim-f"), std::string::npos);
}

}  // namespace
}  // namespace g2g::test

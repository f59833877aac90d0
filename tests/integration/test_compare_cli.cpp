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

std::string quoted(const fs::path& path) {
  return fmt::format("'{}'", path.string());
}

CommandResult grid2gpu(const std::string& arguments) {
  return run_command(fmt::format("{} {}", quoted(cli_path()), arguments));
}

std::string reference_models() {
  std::string out;
  for (const char* name :
       {"legacy-415vac.yaml", "800vdc-sst.yaml", "pm400vdc.yaml", "54vdc-busway.yaml"})
    out += fmt::format(" {}", quoted(source_dir() / "examples" / name));
  return out;
}

json read_json(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

// Checks the figures of one comparison against each other and the documented definitions.
void check_comparison(const json& doc, double it_load_w, bool with_claims) {
  ASSERT_EQ(doc["grid2gpu_compare"], 1);
  const auto& archs = doc["architectures"];
  ASSERT_EQ(archs.size(), 4u);
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
    EXPECT_NEAR(a["annual_loss_mwh"].get<double>(), loss * 8760.0 / 1e6, 1e-6);
    EXPECT_GT(a["copper_kg"].get<double>(), 0.0);
  }
  // Differences are taken against the first architecture.
  for (const auto& d : doc["differences"]) {
    if (d["metric"] != "copper_kg") continue;
    const double base = archs[0]["copper_kg"];
    const double dc = archs[1]["copper_kg"];
    EXPECT_NEAR(d["abs"]["800vdc-sst"].get<double>(), dc - base, 1e-6);
    EXPECT_NEAR(d["rel"]["800vdc-sst"].get<double>(), (dc - base) / base, 1e-12);
  }
  if (!with_claims) {
    EXPECT_TRUE(doc["claims"].empty());
    return;
  }
  ASSERT_EQ(doc["claims"].size(), 5u);
  // Claim (b) is the copper reduction of the 800 V DC architecture against the baseline.
  const auto& b = doc["claims"][1];
  EXPECT_EQ(b["id"], "b");
  EXPECT_NEAR(b["computed_value"].get<double>(),
              1.0 - archs[1]["copper_kg"].get<double>() / archs[0]["copper_kg"].get<double>(),
              1e-12);
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The report of `make run`, rendered by headless Chromium: scripts ran to their end with no
// error, and every architecture has its single-line diagram, Sankey diagram and waterfall.
void check_rendered_report(const fs::path& page, const fs::path& dir) {
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
  EXPECT_EQ(count(dom, "class=\"sld\""), 4u);
  EXPECT_EQ(count(dom, "class=\"sankey\" id=\"sankey-"), 4u);
  EXPECT_EQ(count(dom, "height=\"420\" data-rendered=\"1\""), 4u);
  EXPECT_NE(dom.find("×800"), std::string::npos);  // 800 racks drawn once
}

TEST(CompareCli, ReferenceArchitecturesAt125kWRacks) {
  const fs::path dir = scratch_dir("compare-125k");
  const auto r = grid2gpu(fmt::format("compare {} --json {} --html {}", reference_models(),
                                      quoted(dir / "c.json"), quoted(dir / "r.html")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Claims"), std::string::npos) << r.output;
  check_comparison(read_json(dir / "c.json"), 100e6, true);
  check_rendered_report(dir / "r.html", dir);
}

TEST(CompareCli, ReferenceArchitecturesAt1MWRacks) {
  const fs::path dir = scratch_dir("compare-1m");
  const auto r = grid2gpu(fmt::format("compare {} --set rack_power=1MW --no-claims --json {}",
                                      reference_models(), quoted(dir / "c.json")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json doc = read_json(dir / "c.json");
  ASSERT_EQ(doc["architectures"][0]["parameters"]["rack_power"], "1MW");
  // 100 MW of 1 MW racks: the same IT load, the same arithmetic.
  check_comparison(doc, 100e6, false);
}

TEST(CompareCli, PointOfLoadBoundaryIsReported) {
  const fs::path dir = scratch_dir("compare-pol");
  const auto r = grid2gpu(fmt::format("compare {} --include-pol --no-claims --json {}",
                                      reference_models(), quoted(dir / "c.json")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json doc = read_json(dir / "c.json");
  EXPECT_TRUE(doc["assumptions"]["include_point_of_load"].get<bool>());
  // With the VRM inside, delivered power is the GPU load itself.
  for (const auto& a : doc["architectures"])
    EXPECT_NEAR(a["totals"]["load_w"].get<double>(), a["totals"]["it_load_w"].get<double>(), 1e-3);
}

TEST(CompareCli, BadInputExitsTwoAndWritesNothing) {
  const fs::path dir = scratch_dir("compare-bad");
  const std::string one = quoted(source_dir() / "examples" / "800vdc-sst.yaml");
  // One model is not a comparison.
  auto r = grid2gpu(fmt::format("compare {} --json {}", one, quoted(dir / "c.json")));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  // A parameter no model declares.
  r = grid2gpu(fmt::format("compare {} --set rack_pwr=1MW --json {}", reference_models(),
                           quoted(dir / "c.json")));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("did you mean 'rack_power'"), std::string::npos) << r.output;
  // A missing file.
  r = grid2gpu(fmt::format("compare {} {} --json {}", one, quoted(dir / "missing.yaml"),
                           quoted(dir / "c.json")));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = grid2gpu(fmt::format("compare {} {} --tariff -3", one, one));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_FALSE(fs::exists(dir / "c.json"));
}

}  // namespace
}  // namespace g2g::test

// api::compare is what `grid2gpu compare` runs: on a shipped study its document equals the CLI's
// JSON (all but the provenance's date and command line), and what the CLI used to decide itself
// (sets, overrides, option ranges) is refused by the API with the same messages.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "g2g/api/compare.hpp"
#include "g2g/core/error.hpp"
#include "g2g/io/compare_tables.hpp"
#include "support/test_support.hpp"

namespace g2g::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// What differs between two runs of the same comparison: when and how it was asked for.
json without_run_identity(json doc) {
  for (const char* key : {"date", "command", "version", "commit"}) doc["provenance"].erase(key);
  return doc;
}

TEST(ApiCompare, ShippedStudyEqualsTheCliJson) {
  const fs::path dir = scratch_dir("api-compare");
  const fs::path study = example_path("study-100mw.yaml");
  const auto cli =
      run_command(fmt::format("{} compare {} --assumptions ac-modern,dc-physics --json {}",
                              quoted(cli_path()), quoted(study), quoted(dir / "cli.json")));
  ASSERT_EQ(cli.exit_code, 0) << cli.output;

  api::CompareRequest request;
  request.inputs = {study};
  request.assumptions = {"ac-modern,dc-physics"};
  const api::CompareResult result = api::compare(request);
  const json doc = result.document();
  const json from_cli = read_json(dir / "cli.json");
  EXPECT_EQ(doc["provenance"]["study"], from_cli["provenance"]["study"]);
  // Byte for byte, as the CLI writes it.
  EXPECT_EQ(without_run_identity(doc).dump(2), without_run_identity(from_cli).dump(2));
  ASSERT_EQ(doc["architectures"].size(), 5u);
  EXPECT_NE(doc["default_scenario"].get<std::string>().find("ac-modern"), std::string::npos);
  // The terminal summary is the library's too, and names every architecture.
  const std::string summary = io::compare_summary_table(result.comparison, result.options);
  for (const auto& a : doc["architectures"])
    EXPECT_NE(summary.find(a["id"].get<std::string>()), std::string::npos) << summary;
  EXPECT_NE(cli.output.find(summary.substr(0, summary.find('\n'))), std::string::npos);
}

TEST(ApiCompare, RefusesWhatCannotBeCompared) {
  const fs::path model = example_path("800vdc-sst.yaml");
  const fs::path other = example_path("legacy-415vac.yaml");
  auto message = [](const api::CompareRequest& r) -> std::string {
    try {
      (void)api::compare(r);
    } catch (const InvalidInput& error) {
      EXPECT_EQ(error.kind(), ErrorKind::invalid_input);
      return error.what();
    }
    ADD_FAILURE() << "accepted";
    return {};
  };
  api::CompareRequest r;
  EXPECT_NE(message(r).find("give a study file or two or more model files"), std::string::npos);
  r.inputs = {model};
  EXPECT_NE(message(r).find("is a single model"), std::string::npos);
  r.inputs = {other, model};
  r.tariff_per_mwh = -3.0;
  const std::string tariff = message(r);
  EXPECT_NE(tariff.find("the tariff must not be negative"), std::string::npos);
  // The library names the request's field; only the CLI speaks of its options.
  EXPECT_NE(tariff.find("tariff_per_mwh:"), std::string::npos) << tariff;
  EXPECT_EQ(tariff.find("--"), std::string::npos) << tariff;
  r.tariff_per_mwh.reset();
  r.hours_per_year = 9000.0;
  EXPECT_NE(message(r).find("at most 8784"), std::string::npos);
  r.hours_per_year.reset();
  r.assumptions = {"ac-modrn"};
  const std::string unknown = message(r);
  EXPECT_NE(unknown.find("no assumption set 'ac-modrn'"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("ac-modern"), std::string::npos) << unknown;
}

TEST(ApiCompare, UserSetsReplaceShippedOnes) {
  const fs::path dir = scratch_dir("api-compare-sets");
  std::ofstream(dir / "mine.yaml") << R"(grid2gpu_assumptions: 1
name: ac-modern
title: My AC
side: ac
converters:
  - {role: ups, as_modelled: true, source: "test", kind: assumption}
)";
  const auto sets = api::assumption_sets(dir);
  int named = 0;
  for (const auto& s : sets)
    if (s.name == "ac-modern") {
      ++named;
      EXPECT_EQ(s.title, "My AC");
    }
  EXPECT_EQ(named, 1);
  EXPECT_EQ(sets.size(), api::assumption_sets().size());
  EXPECT_NE(io::assumption_sets_text(sets).find("ac-modern (ac side): My AC"), std::string::npos);
}

}  // namespace
}  // namespace g2g::test

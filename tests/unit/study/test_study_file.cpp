// Study files and claims files: parsing, defaults and diagnostics.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "g2g/core/diagnostics.hpp"
#include "g2g/io/files.hpp"
#include "g2g/io/study_files.hpp"
#include "g2g/study/claims.hpp"
#include "g2g/study/study_file.hpp"
#include "support/test_support.hpp"

namespace g2g::study {
namespace {

TEST(StudyFile, TheShippedStudyParses) {
  const StudySpec s = io::read_study(test::example_path("study-100mw.yaml"));
  ASSERT_EQ(s.architectures.size(), 5u);
  EXPECT_TRUE(s.architectures[0].ends_with("legacy-415vac.yaml"));
  ASSERT_TRUE(s.utilisation.has_value());
  EXPECT_NEAR(s.utilisation->total_hours(), 8760.0, 1e-9);
  ASSERT_TRUE(s.cooling.has_value());
  EXPECT_FALSE(s.cooling->provenance.source.empty());
  EXPECT_EQ(s.default_assumptions.size(), 2u);
  EXPECT_TRUE(looks_like_study("# c\ngrid2gpu_study: 1\n"));
  EXPECT_FALSE(looks_like_study("grid2gpu: 1\nname: grid2gpu_study\n"));
}

TEST(StudyFile, ProblemsAreReportedAtTheirPlace) {
  try {
    (void)parse_study(R"(grid2gpu_study: 1
architectures: [a.yaml]
utilisation:
  source: s
  points:
    - {utilisation: 120 %, hours: 9000}
cooling: {overhead: 0.1}
tarif: {price: 80}
)",
                      "s.yaml");
    FAIL() << "expected errors";
  } catch (const core::ModelError& e) {
    const std::string all = e.diagnostics().to_string();
    EXPECT_NE(all.find("at least two architectures"), std::string::npos) << all;
    EXPECT_NE(all.find("between 0 % (idle) and 100 %"), std::string::npos) << all;
    EXPECT_NE(all.find("more than a year"), std::string::npos) << all;
    EXPECT_NE(all.find("cooling has no 'source'"), std::string::npos) << all;
    EXPECT_NE(all.find("did you mean 'tariff'"), std::string::npos) << all;
    EXPECT_NE(all.find("s.yaml:6:"), std::string::npos) << all;
  }
}

TEST(StudyFile, ModelsOutsideTheStudyDirectoryAreRefused) {
  const auto dir = test::scratch_dir("study_confined");
  for (const char* path : {"../secret.yaml", "/etc/passwd"}) {
    const auto file = dir / "s.yaml";
    {
      std::ofstream out(file);
      out << "grid2gpu_study: 1\narchitectures: [a.yaml, " << path << "]\n";
    }
    try {
      (void)io::read_study(file);
      FAIL() << path;
    } catch (const core::ModelError& e) {
      const std::string all = e.diagnostics().to_string();
      EXPECT_NE(all.find("may only name models in its own directory"), std::string::npos) << all;
    }
  }
}

// `scenario:` (the rack-storage claim's time-domain case) resolves against the study file, and
// is confined to its directory like the models.
TEST(StudyFile, ScenarioResolvesAgainstTheStudyAndStaysInItsDirectory) {
  const auto dir = test::scratch_dir("study_scenario");
  const auto file = dir / "s.yaml";
  {
    std::ofstream out(file);
    out << "grid2gpu_study: 1\narchitectures: [a.yaml, b.yaml]\nscenario: runs/storage.yaml\n";
  }
  const StudySpec s = io::read_study(file);
  ASSERT_TRUE(s.scenario.has_value());
  EXPECT_EQ(*s.scenario, (dir / "runs" / "storage.yaml").string());
  EXPECT_FALSE(parse_study("grid2gpu_study: 1\narchitectures: [a.yaml, b.yaml]\n", "t.yaml")
                   .scenario.has_value());
  {
    std::ofstream out(file);
    out << "grid2gpu_study: 1\narchitectures: [a.yaml, b.yaml]\nscenario: ../storage.yaml\n";
  }
  try {
    (void)io::read_study(file);
    FAIL() << "a scenario outside the study's directory";
  } catch (const core::ModelError& e) {
    const std::string all = e.diagnostics().to_string();
    EXPECT_NE(all.find("may only name a scenario in its own directory"), std::string::npos) << all;
  }
}

TEST(StudyFile, NormaliseItLoadIsTrueOrFalse) {
  const std::string two = "grid2gpu_study: 1\narchitectures: [a.yaml, b.yaml]\n";
  EXPECT_FALSE(parse_study(two, "s.yaml").normalise_it_load);
  EXPECT_TRUE(parse_study(two + "normalise_it_load: true\n", "s.yaml").normalise_it_load);
  EXPECT_FALSE(parse_study(two + "normalise_it_load: false\n", "s.yaml").normalise_it_load);
  try {
    (void)parse_study(two + "normalise_it_load: yes please\n", "s.yaml");
    FAIL() << "expected an error";
  } catch (const core::ModelError& e) {
    const std::string all = e.diagnostics().to_string();
    EXPECT_NE(all.find("s.yaml:3:20: error: normalise_it_load is true or false"), std::string::npos)
        << all;
  }
}

// The shipped study with a time-domain case: two architectures of unequal IT load compared
// normalised, and the rack-storage claim's scenario beside it.
TEST(StudyFile, TheStorageStudyParses) {
  const StudySpec s = io::read_study(test::example_path("study-storage.yaml"));
  ASSERT_EQ(s.architectures.size(), 2u);
  EXPECT_TRUE(s.architectures[1].ends_with("800vdc-gpu-hall.yaml"));
  EXPECT_TRUE(s.normalise_it_load);
  ASSERT_TRUE(s.scenario.has_value());
  EXPECT_TRUE(s.scenario->ends_with("storage-sizing.yaml"));
}

TEST(AssumptionDirectory, EverySetIsReadAndEveryProblemReported) {
  const auto dir = test::scratch_dir("assumption_dir");
  std::ofstream(dir / "a-mine.yaml") << R"(grid2gpu_assumptions: 1
name: ac-mine
side: ac
converters:
  - {role: ups, efficiency: [[0.5, 96 %], [1.0, 97 %]], source: "my measurement", kind: measurement}
)";
  std::ofstream(dir / "notes.txt") << "not a set";
  const auto sets = io::read_assumption_sets(dir);
  ASSERT_EQ(sets.size(), 1u);
  EXPECT_EQ(sets[0].name, "ac-mine");
  EXPECT_EQ(sets[0].converters.at(0).provenance.kind, SourceKind::measurement);
  std::ofstream(dir / "b-bad.yaml") << "grid2gpu_assumptions: 1\nname: x\nside: up\n";
  try {
    (void)io::read_assumption_sets(dir);
    FAIL();
  } catch (const core::ModelError& e) {
    const std::string all = e.diagnostics().to_string();
    EXPECT_NE(all.find("b-bad.yaml:3:"), std::string::npos) << all;
    EXPECT_NE(all.find("side 'up'"), std::string::npos) << all;
  }
  EXPECT_THROW((void)io::read_assumption_sets(dir / "missing"), io::FileError);
}

TEST(ClaimsFile, UserClaimsFileIsRead) {
  const auto file = test::scratch_dir("claims_file") / "mine.yaml";
  std::ofstream(file) << R"(grid2gpu_claims: 1
claims:
  - {id: x, text: t, source: "https://example.org", kind: vendor claim, form: at least,
     published: 3 %, tolerance: 1 %, metric: grid_input_reduction}
)";
  const auto claims = io::read_claims(file);
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(claims[0].form, ClaimForm::at_least);
  EXPECT_DOUBLE_EQ(claims[0].published, 0.03);
  EXPECT_DOUBLE_EQ(claims[0].tolerance, 0.01);
}

TEST(ClaimsFile, ShippedClaimsParseWithPublicSources) {
  const auto& claims = default_claims();
  ASSERT_GE(claims.size(), 6u);
  for (const auto& c : claims) {
    EXPECT_FALSE(c.source.empty()) << c.id;
    EXPECT_NE(c.source.find("http"), std::string::npos) << c.id << ": a public source has a URL";
    // An internal work item is not a source.
    EXPECT_EQ(c.source.find("issue"), std::string::npos) << c.id;
    EXPECT_GT(c.tolerance, 0.0) << c.id;
  }
}

TEST(ClaimsFile, UnknownMetricAndFormAreDiagnosed) {
  try {
    (void)parse_claims(R"(grid2gpu_claims: 1
claims:
  - {id: x, text: t, source: s, kind: k, form: roughly, published: 1, metric: magic}
)",
                       "c.yaml");
    FAIL();
  } catch (const core::ModelError& e) {
    const std::string all = e.diagnostics().to_string();
    EXPECT_NE(all.find("form 'roughly' is not known"), std::string::npos) << all;
    EXPECT_NE(all.find("metric 'magic' is not known"), std::string::npos) << all;
  }
}

}  // namespace
}  // namespace g2g::study

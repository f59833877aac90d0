// The protection part files (data/protection/*.csv, model/protection_parts.hpp) and
// `trip: {part: ...}`: every embedded file reads without a problem, a part fills its trip, and
// an unknown part, a value the part fixes given inline, a kind other than the part's and a
// malformed part file are each a located error.
#include <gtest/gtest.h>

#include <string>

#include "g2g/model/loader.hpp"
#include "g2g/model/protection_parts.hpp"
#include "g2g/model/spec.hpp"
#include "support/diagnostic_checks.hpp"

namespace g2g::model {
namespace {

using test::find;
using test::yaml_errors;

std::string with_fuse(const std::string& trip) {
  return R"(grid2gpu: 1
buses:
  - {id: a, kind: dc, voltage: 600 V}
  - {id: b, kind: dc, voltage: 600 V}
components:
  - {id: src, type: dc_source, bus: a}
  - {id: f, type: breaker, from: a, to: b, on_resistance: 1 mohm, trip: )" +
         trip + "}\n";
}

TEST(ProtectionParts, EmbeddedFilesReadWithoutProblemsAndCiteASource) {
  ASSERT_FALSE(embedded_protection_files().empty());
  std::size_t rows = 0;
  for (const auto& f : embedded_protection_files()) {
    core::DiagnosticList problems;
    const auto parts = parse_protection_parts(f.text, f.name, problems);
    EXPECT_FALSE(problems.has_errors()) << f.name << "\n" << problems.to_string();
    rows += parts.size();
    for (const auto& p : parts) {
      EXPECT_NE(p.source.find("http"), std::string::npos) << p.part;
      EXPECT_GE(p.clearing_i2t_a2s, p.pre_arcing_i2t_a2s) << p.part;
    }
  }
  EXPECT_EQ(protection_parts().size(), rows);
  // One row as the catalogue prints it (Bussmann FWP 660V/700V ferrule datasheet).
  const ProtectionPart* p = find_protection_part("FWP-30A14F");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->kind, TripKind::fuse);
  EXPECT_EQ(p->rated_current_a, 30.0);
  EXPECT_EQ(p->rated_voltage_dc_v, 700.0);
  EXPECT_EQ(p->pre_arcing_i2t_a2s, 58.0);
  EXPECT_EQ(p->clearing_i2t_a2s, 450.0);
  EXPECT_FALSE(p->breaking_capacity_dc_a);
  EXPECT_EQ(p->file, "data/protection/fuses.csv");
  EXPECT_GT(p->line, 1);
  const ProtectionPart* x = find_protection_part("FWX-30A14F");
  ASSERT_NE(x, nullptr);
  ASSERT_TRUE(x->breaking_capacity_dc_a);
  EXPECT_EQ(*x->breaking_capacity_dc_a, 50000.0);
  EXPECT_EQ(find_protection_part("fwp-30a14f"), nullptr) << "catalogue numbers are exact";
}

TEST(ProtectionParts, MalformedPartFilesAreLocatedErrors) {
  const std::string header =
      "part,kind,manufacturer,rated_current_a,rated_voltage_dc_v,pre_arcing_i2t_a2s,"
      "clearing_i2t_a2s,clearing_i2t_voltage_v,breaking_capacity_dc_a,time_constant_max_s,"
      "source\n";
  const struct {
    std::string text;
    const char* needle;
    int line;
  } cases[] = {
      {"# no part column\nkind,source\n", "part file has no column 'part'", 2},
      {header +
           "P1,fuse,M,30,700,58,450,660,,,http://a, b\nP1,fuse,M,30,700,58,450,660,,,http://a\n",
       "part 'P1' is listed twice", 3},
      {header + "P2,fuse,M,30,7OO,58,450,660,,,http://a\n",
       "rated_voltage_dc_v '7OO' is not a positive number", 2},
      {header + "P3,fuse,M,30,700,58,40,660,,,http://a\n",
       "clearing I2t 40 A2s is below its pre-arcing I2t 58 A2s", 2},
      {header + "P4,fuse,M,30,700,,450,660,,,http://a\n", "part 'P4' has no pre_arcing_i2t_a2s", 2},
      {header + "P5,fuse,M,30,700,58,450,660,,,\n", "part 'P5' has no source", 2},
      {header + "P6,breaker,M,30,700,58,450,660,,,http://a\n", "kind 'breaker' is not read", 2},
      {header + "P7,fuse,M,30\n", "part row has 4 cells, the header 11", 2},
  };
  for (const auto& c : cases) {
    core::DiagnosticList problems;
    (void)parse_protection_parts(c.text, "parts.csv", problems);
    const auto* d = find(problems, c.needle);
    ASSERT_NE(d, nullptr) << c.needle << "\n" << problems.to_string();
    EXPECT_EQ(d->where.file, "parts.csv");
    EXPECT_EQ(d->where.line, c.line) << c.needle;
  }
  // The source column takes the rest of the row, commas and all.
  core::DiagnosticList problems;
  const auto parts = parse_protection_parts(
      header + "P8,fuse,M,30,700,58,450,660,50000,0.015,Catalogue, p. 16, http://a\n", "parts.csv",
      problems);
  ASSERT_EQ(parts.size(), 1u) << problems.to_string();
  EXPECT_EQ(parts[0].source, "Catalogue, p. 16, http://a");
  EXPECT_EQ(parts[0].time_constant_max_s.value_or(0.0), 0.015);
  // A column of its own (a note) is allowed before `source`, and read past.
  core::DiagnosticList more;
  const auto noted = parse_protection_parts(
      "note," + header + "old,P9,fuse,M,30,700,58,450,660,,,http://a\n", "parts.csv", more);
  ASSERT_EQ(noted.size(), 1u) << more.to_string();
  EXPECT_EQ(noted[0].part, "P9");
  EXPECT_EQ(noted[0].source, "http://a");
}

TEST(ProtectionParts, APartFillsItsTripAndIsWrittenBackAsThePart) {
  const ModelSpec m =
      load_yaml(with_fuse("{part: FWP-30A14F, clamp_voltage: 1 kV, inductance: 10 uH}"), "m.yaml");
  ASSERT_EQ(m.lines.size(), 1u);
  const Trip* t = trip_of(m, m.lines[0]);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->kind, TripKind::fuse);
  EXPECT_EQ(t->part, "FWP-30A14F");
  EXPECT_EQ(t->rated_current_a, 30.0);
  EXPECT_EQ(t->rated_voltage_v, 700.0);
  EXPECT_EQ(t->pre_arcing_i2t_a2s, 58.0);
  EXPECT_EQ(t->clearing_i2t_a2s, 450.0);
  EXPECT_EQ(t->clamp_voltage_v, 1000.0);
  EXPECT_DOUBLE_EQ(t->inductance_h, 10e-6);
  // `kind: fuse` beside the part is allowed (it agrees).
  EXPECT_NO_THROW((void)load_yaml(
      with_fuse("{kind: fuse, part: FWP-30A14F, clamp_voltage: 1 kV, clamp_resistance: 10 mohm}"),
      "m.yaml"));
  const std::string written = write_yaml(m);
  EXPECT_NE(written.find("part: \"FWP-30A14F\""), std::string::npos) << written;
  EXPECT_EQ(written.find("pre_arcing_i2t"), std::string::npos) << written;
  const ModelSpec again = load_yaml(written, "again.yaml");
  const Trip* t2 = trip_of(again, again.lines[0]);
  ASSERT_NE(t2, nullptr);
  EXPECT_EQ(t2->part, "FWP-30A14F");
  EXPECT_EQ(t2->pre_arcing_i2t_a2s, 58.0);
  EXPECT_DOUBLE_EQ(t2->inductance_h, 10e-6);
}

TEST(ProtectionParts, BadPartUseIsALocatedError) {
  const struct {
    std::string trip;
    const char* needle;
    const char* fix;
  } cases[] = {
      {"{part: FWP-30A14G, clamp_voltage: 1 kV, inductance: 1 uH}",
       "unknown protection part 'FWP-30A14G'", "did you mean 'FWP-30A14F'?"},
      {"{part: FWJ-400A, clamp_voltage: 1 kV, inductance: 1 uH}",
       "unknown protection part 'FWJ-400A'", "the parts in data/protection are: FWP-5A14F"},
      {"{part: FWP-30A14F, rated_current: 40 A, clamp_voltage: 1 kV, inductance: 1 uH}",
       "'rated_current' comes from part 'FWP-30A14F' (data/protection/fuses.csv:",
       "remove 'rated_current', or remove 'part'"},
      {"{part: FWP-30A14F, clearing_i2t: 500 A2s, clamp_voltage: 1 kV, inductance: 1 uH}",
       "'clearing_i2t' comes from part 'FWP-30A14F'", "remove 'clearing_i2t'"},
      {"{kind: solid_state, part: FWP-30A14F, clamp_voltage: 1 kV, inductance: 1 uH}",
       "part 'FWP-30A14F' is a fuse, not a solid_state", "remove 'kind'"},
      {"{part: FWP-30A14F, inductance: 1 uH}", "a fuse trip has no 'clamp_voltage'",
       "add 'clamp_voltage'"},
  };
  for (const auto& c : cases) {
    const auto errors = yaml_errors(with_fuse(c.trip));
    const auto* d = find(errors, c.needle);
    ASSERT_NE(d, nullptr) << c.needle << "\n" << errors.to_string();
    EXPECT_EQ(d->where.file, "model.yaml");
    EXPECT_EQ(d->where.line, 7) << c.needle;  // the breaker's line
    EXPECT_GT(d->where.column, 0) << c.needle;
    EXPECT_NE(d->fix.find(c.fix), std::string::npos) << d->fix;
  }
}

}  // namespace
}  // namespace g2g::model

// The `grid2gpu size` terminal table: lines stamped from one template element that print alike
// share a row ("x N"); every line gets its own row when grouping is off (--full).
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "g2g/sizing/report.hpp"

namespace g2g::sizing {
namespace {

// A model of `racks` template instances "row[1]/rack[i]" (template "rack"), each with a "feeder",
// plus one line outside any template; and its sizing, every feeder alike except the last.
struct Fixture {
  model::ModelSpec model;
  IterativeSizing result;
};

Fixture fixture(int racks) {
  Fixture f;
  f.model.name = "grouping";
  auto add = [&](const std::string& id, std::int32_t origin, double current_a) {
    model::Line line;
    line.id = id;
    line.origin = origin;
    f.model.lines.push_back(line);
    LineSizing l;
    l.line = static_cast<std::int32_t>(f.model.lines.size() - 1);
    l.status = LineStatus::sized;
    l.kind = model::BusKind::ac;
    l.nominal_voltage_v = 415.0;
    l.current_a = current_a;
    l.cross_section_m2 = 120e-6;
    l.ampacity_a = 252.6;
    l.ampacity_ac_bound_a = 252.6;
    l.mass_kg = 148.0;
    f.result.sizing.lines.push_back(l);
  };
  for (int i = 1; i <= racks; ++i) {
    const std::string path = "row[1]/rack[" + std::to_string(i) + "]";
    f.model.origins.push_back({"rack", path});
    add(path + "/feeder", static_cast<std::int32_t>(f.model.origins.size() - 1),
        i == racks ? 230.0 : 221.6);
  }
  add("main", model::no_origin, 221.6);
  f.result.passes = 1;
  f.result.stable = true;
  return f;
}

// The rows of `text` that start (after indentation) with `element`.
std::vector<std::string> rows_of(const std::string& text, const std::string& element) {
  std::vector<std::string> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("  " + element + " ", 0) == 0) rows.push_back(line);
  return rows;
}

TEST(SizingReport, TemplateInstancesThatPrintAlikeShareARow) {
  const Fixture f = fixture(12);
  const std::string text = format_sizing_table(f.model, f.result, SizingOptions{});
  EXPECT_NE(text.find("Lines (13 in 3 rows"), std::string::npos) << text;
  // 11 feeders alike; the last differs (230 A) and has a row of its own.
  const auto feeders = rows_of(text, "row[*]/rack[*]/feeder");
  ASSERT_EQ(feeders.size(), 2u) << text;
  EXPECT_NE(feeders[0].find(" x 11 "), std::string::npos) << feeders[0];
  EXPECT_NE(feeders[0].find("221.6 A"), std::string::npos) << feeders[0];
  EXPECT_NE(feeders[1].find(" x 1 "), std::string::npos) << feeders[1];
  EXPECT_NE(feeders[1].find("230 A"), std::string::npos) << feeders[1];
  // "main" comes from no template: its own row, under its own id.
  ASSERT_EQ(rows_of(text, "main").size(), 1u) << text;
  EXPECT_EQ(text.find("rack[3]"), std::string::npos) << text;
}

TEST(SizingReport, GroupingOffListsEveryLine) {
  const Fixture f = fixture(12);
  ReportOptions every;
  every.group_instances = false;
  const std::string text = format_sizing_table(f.model, f.result, SizingOptions{}, every);
  EXPECT_NE(text.find("Lines (13)"), std::string::npos) << text;
  for (int i = 1; i <= 12; ++i)
    EXPECT_NE(text.find("row[1]/rack[" + std::to_string(i) + "]/feeder"), std::string::npos) << i;
  EXPECT_EQ(text.find("x 11"), std::string::npos) << text;
  EXPECT_EQ(text.find("[*]"), std::string::npos) << text;
}

TEST(SizingReport, RowLimitCountsRowsAndTheLinesLeftOut) {
  const Fixture f = fixture(12);
  ReportOptions two;
  two.max_rows = 2;
  const std::string text = format_sizing_table(f.model, f.result, SizingOptions{}, two);
  EXPECT_NE(text.find("... 1 more row (1 line;"), std::string::npos) << text;
}

}  // namespace
}  // namespace g2g::sizing

// The converter map's CSV and tables (io/converter_tables.hpp).
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "g2g/io/converter_tables.hpp"

namespace g2g::io {
namespace {

std::vector<std::vector<std::string>> rows_of(const std::string& csv) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(csv);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> cells;
    std::istringstream fields(line);
    std::string cell;
    while (std::getline(fields, cell, ',')) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

converters::EfficiencyMap small_map() {
  converters::EfficiencyMap map;
  map.load_fractions = {0.25, 0.5, 1.0};
  map.v_in_v = {760.0, 800.0};
  for (const double v_in : map.v_in_v)
    for (const double fraction : map.load_fractions) {
      converters::ConverterResult r;
      r.point = {v_in, 50.0, fraction * 4000.0};
      r.p_in_w = r.point.p_out_w / 0.97;
      r.efficiency = 0.97;
      map.points.push_back(r);
    }
  return map;
}

// The load_fraction column holds the fraction of the rating, the p_out_w column the power: a
// regression guard for a CSV that once wrote the power into load_fraction.
TEST(ConverterTables, CsvColumnsHoldWhatTheirNamesSay) {
  const auto rows = rows_of(efficiency_map_csv(small_map()));
  ASSERT_EQ(rows.size(), 7U);  // header and 2 x 3 points
  EXPECT_EQ(rows[0][0], "v_in_v");
  EXPECT_EQ(rows[0][1], "load_fraction");
  EXPECT_EQ(rows[0][2], "p_out_w");
  const double expected_fraction[] = {0.25, 0.5, 1.0};
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const double fraction = expected_fraction[(r - 1) % 3];
    EXPECT_DOUBLE_EQ(std::stod(rows[r][0]), r <= 3 ? 760.0 : 800.0) << r;
    EXPECT_DOUBLE_EQ(std::stod(rows[r][1]), fraction) << r;
    EXPECT_DOUBLE_EQ(std::stod(rows[r][2]), fraction * 4000.0) << r;
    EXPECT_DOUBLE_EQ(std::stod(rows[r][4]), 0.97) << r;
  }
}

TEST(ConverterTables, MapTableHasARowPerInputVoltage) {
  const std::string table = format_efficiency_map(small_map());
  EXPECT_NE(table.find("97.00"), std::string::npos) << table;
  EXPECT_NE(table.find("760 V"), std::string::npos) << table;
  EXPECT_NE(table.find("800 V"), std::string::npos) << table;
}

}  // namespace
}  // namespace g2g::io

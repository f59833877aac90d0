// io::results_csv and io::results_table: CSV quoting and exact numbers, the terminal table's
// full/summary switch and its engineering notation.
#include <fmt/format.h>

#include <gtest/gtest.h>

#include <string>

#include "g2g/io/results_csv.hpp"
#include "g2g/io/results_table.hpp"

namespace g2g::io {
namespace {

// `count` DC buses in a chain, a source on the first and a load on each bus.
struct Case {
  model::ModelSpec model;
  steady::SolveResult result;
};

Case chain(int count) {
  Case c;
  c.model.name = "chain";
  model::Source source;
  source.id = "src";
  source.type = model::SourceType::dc_source;
  source.bus = 0;
  c.model.sources.push_back(source);
  steady::ElementResult s;
  s.type = steady::ElementType::source;
  s.p_out_w = 1000.0 * count;
  c.result.elements.push_back(s);
  for (int i = 0; i < count; ++i) {
    model::Bus bus;
    bus.id = fmt::format("b{}", i);
    bus.nominal_voltage_v = 800.0;
    c.model.buses.push_back(bus);
    c.result.buses.push_back({i, 1.0 - 0.001 * i, 800.0 * (1.0 - 0.001 * i), 0.0, true});
    model::Load load;
    load.id = fmt::format("d{}", i);
    load.bus = i;
    c.model.loads.push_back(load);
    steady::ElementResult l;
    l.type = steady::ElementType::load;
    l.index = i;
    l.p_in_w = 1000.0;
    l.current_a = 1000.0 / 800.0;
    c.result.elements.push_back(l);
  }
  c.result.converged = true;
  c.result.totals.source_w = 1000.0 * count;
  c.result.totals.load_w = 1000.0 * count;
  c.result.totals.efficiency = 1.0;
  return c;
}

TEST(ResultsCsv, QuotesFieldsThatNeedItAndKeepsNumbersExact) {
  Case c = chain(2);
  c.model.buses[0].id = "a,b";
  c.model.buses[1].id = "say \"hi\"";
  c.result.buses[1].v_pu = 0.1 + 0.2;
  const std::string csv = format_buses_csv(c.model, c.result);
  EXPECT_NE(csv.find("\"a,b\",dc,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\"say \"\"hi\"\"\",dc,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",0.30000000000000004,"), std::string::npos) << csv;
}

TEST(ResultsCsv, OnePortElementsUseFromBusOnly) {
  const Case c = chain(1);
  const std::string csv = format_elements_csv(c.model, c.result);
  EXPECT_NE(csv.find("\nd0,load,constant_power,,b0,,1000,0,"), std::string::npos) << csv;
}

TEST(ResultsCsv, TotalsInLongFormat) {
  Case c = chain(3);
  c.result.totals.loss_by_type = {{"cable", 12.5}};
  const std::string csv = format_totals_csv(c.result);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "category,name,value");
  EXPECT_NE(csv.find("total,source_w,3000\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("loss_by_type,cable,12.5\n"), std::string::npos) << csv;
}

TEST(ResultsTable, SmallModelListsEveryBusAndElement) {
  const Case c = chain(4);
  const std::string table = format_results_table(c.model, c.result);
  for (const char* id : {"b0", "b3", "d0", "d3", "src"})
    EXPECT_NE(table.find(id), std::string::npos) << id << "\n" << table;
  EXPECT_NE(table.find("Totals"), std::string::npos);
  EXPECT_EQ(table.find("Summary only"), std::string::npos);
}

TEST(ResultsTable, LargeModelIsSummarised) {
  const Case c = chain(200);
  TableOptions options;
  options.full_results_hint = "See the JSON.";
  const std::string table = format_results_table(c.model, c.result, options);
  EXPECT_NE(table.find("Summary only: the model has 200 buses"), std::string::npos) << table;
  EXPECT_NE(table.find("See the JSON."), std::string::npos);
  EXPECT_NE(table.find("Lowest voltages"), std::string::npos);
  EXPECT_NE(table.find("b199 "), std::string::npos) << "lowest voltage is the far end";
  EXPECT_EQ(table.find("b100 "), std::string::npos) << "middle buses are not listed";
  EXPECT_LT(std::count(table.begin(), table.end(), '\n'), 60) << table;
}

TEST(ResultsTable, EngineeringNotation) {
  EXPECT_EQ(format_engineering(0.0, "W"), "0 W");
  EXPECT_EQ(format_engineering(800.0, "V"), "800 V");
  EXPECT_EQ(format_engineering(13800.0, "V"), "13.8 kV");
  EXPECT_EQ(format_engineering(1.2345e6, "W"), "1.234 MW");
  EXPECT_EQ(format_engineering(999.96, "W"), "1 kW");
  EXPECT_EQ(format_engineering(-2500.0, "W"), "-2.5 kW");
  EXPECT_EQ(format_engineering(0.0125, "A"), "12.5 mA");
  EXPECT_EQ(format_engineering(1e-12, "W"), "0 W");
}

}  // namespace
}  // namespace g2g::io

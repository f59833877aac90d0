// core::parse_quantity and core::format_quantity: every dimension, prefixes, percentages, and
// the error messages and fixes the model loader passes on to users.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "g2g/core/units.hpp"
#include "support/test_support.hpp"

namespace g2g::core {
namespace {

double parse(std::string_view text, Dimension dimension) {
  const ParsedQuantity q = parse_quantity(text, dimension);
  EXPECT_TRUE(q.ok) << text << ": " << q.error.message;
  return q.value;
}

UnitError failure(std::string_view text, Dimension dimension) {
  const ParsedQuantity q = parse_quantity(text, dimension);
  EXPECT_FALSE(q.ok) << text << " parsed as " << q.value;
  EXPECT_FALSE(q.error.message.empty()) << text;
  EXPECT_FALSE(q.error.fix.empty()) << text;
  return q.error;
}

TEST(UnitsParse, EveryDimensionInSi) {
  EXPECT_DOUBLE_EQ(parse("800 V", Dimension::voltage), 800.0);
  EXPECT_DOUBLE_EQ(parse("13.8 kV", Dimension::voltage), 13800.0);
  EXPECT_DOUBLE_EQ(parse("2.5 kA", Dimension::current), 2500.0);
  EXPECT_DOUBLE_EQ(parse("1.2 MW", Dimension::active_power), 1.2e6);
  EXPECT_DOUBLE_EQ(parse("2.5 MVA", Dimension::apparent_power), 2.5e6);
  EXPECT_DOUBLE_EQ(parse("300 kvar", Dimension::reactive_power), 3e5);
  EXPECT_DOUBLE_EQ(parse("300 kVAr", Dimension::reactive_power), 3e5);
  EXPECT_DOUBLE_EQ(parse("2 MWh", Dimension::energy), 7.2e9);
  EXPECT_DOUBLE_EQ(parse("5 kJ", Dimension::energy), 5e3);
  EXPECT_DOUBLE_EQ(parse("35 m", Dimension::length), 35.0);
  EXPECT_DOUBLE_EQ(parse("1.5 km", Dimension::length), 1500.0);
  EXPECT_DOUBLE_EQ(parse("10 ft", Dimension::length), 3.048);
  EXPECT_DOUBLE_EQ(parse("240 mm2", Dimension::area), 240e-6);
  EXPECT_DOUBLE_EQ(parse("240 mm²", Dimension::area), 240e-6);
  EXPECT_DOUBLE_EQ(parse("500 kcmil", Dimension::area), 500 * 0.506707479e-6);
  EXPECT_DOUBLE_EQ(parse("12 mohm", Dimension::resistance), 12e-3);
  EXPECT_DOUBLE_EQ(parse("3 Ω", Dimension::resistance), 3.0);
  EXPECT_DOUBLE_EQ(parse("0.08 mohm/m", Dimension::resistance_per_length), 0.08e-3);
  EXPECT_DOUBLE_EQ(parse("0.1 ohm/km", Dimension::resistance_per_length), 1e-4);
  EXPECT_DOUBLE_EQ(parse("1 uS", Dimension::conductance), 1e-6);
  EXPECT_DOUBLE_EQ(parse("2 mS", Dimension::conductance), 2e-3);
  EXPECT_DOUBLE_EQ(parse("90 °C", Dimension::temperature), 90.0);
  EXPECT_DOUBLE_EQ(parse("90 C", Dimension::temperature), 90.0);
  EXPECT_DOUBLE_EQ(parse("90 degC", Dimension::temperature), 90.0);
  EXPECT_NEAR(parse("343.15 K", Dimension::temperature), 70.0, 1e-12);
  EXPECT_DOUBLE_EQ(parse("10 ms", Dimension::time), 0.01);
  EXPECT_DOUBLE_EQ(parse("2 h", Dimension::time), 7200.0);
  EXPECT_DOUBLE_EQ(parse("60 Hz", Dimension::frequency), 60.0);
  EXPECT_DOUBLE_EQ(parse("30 deg", Dimension::angle), 30.0);
  EXPECT_DOUBLE_EQ(parse("-30 °", Dimension::angle), -30.0);
  EXPECT_NEAR(parse("1 rad", Dimension::angle), 57.29577951308232, 1e-12);
}

TEST(UnitsParse, PrefixesOnEveryPrefixableUnit) {
  EXPECT_DOUBLE_EQ(parse("1 GW", Dimension::active_power), 1e9);
  EXPECT_DOUBLE_EQ(parse("1 MW", Dimension::active_power), 1e6);
  EXPECT_DOUBLE_EQ(parse("1 kW", Dimension::active_power), 1e3);
  EXPECT_DOUBLE_EQ(parse("1 mW", Dimension::active_power), 1e-3);
  EXPECT_DOUBLE_EQ(parse("1 uW", Dimension::active_power), 1e-6);
  EXPECT_DOUBLE_EQ(parse("1 µW", Dimension::active_power), 1e-6);
  EXPECT_DOUBLE_EQ(parse("1 nW", Dimension::active_power), 1e-9);
  EXPECT_DOUBLE_EQ(parse("1 mV", Dimension::voltage), 1e-3);
  EXPECT_DOUBLE_EQ(parse("1 kohm", Dimension::resistance), 1e3);
  EXPECT_DOUBLE_EQ(parse("1 kHz", Dimension::frequency), 1e3);
  EXPECT_DOUBLE_EQ(parse("0.1 /s", Dimension::frequency), 0.1);  // events per unit of time
  EXPECT_DOUBLE_EQ(parse("6 /min", Dimension::frequency), 0.1);
  EXPECT_DOUBLE_EQ(parse("36 /h", Dimension::frequency), 0.01);
  EXPECT_DOUBLE_EQ(parse("1 Mvar", Dimension::reactive_power), 1e6);
}

TEST(UnitsParse, NumbersAndRatios) {
  EXPECT_DOUBLE_EQ(parse("97 %", Dimension::dimensionless), 0.97);
  EXPECT_DOUBLE_EQ(parse("97%", Dimension::dimensionless), 0.97);
  EXPECT_DOUBLE_EQ(parse("0.97", Dimension::dimensionless), 0.97);
  EXPECT_DOUBLE_EQ(parse("1.02 pu", Dimension::dimensionless), 1.02);
  EXPECT_DOUBLE_EQ(parse("1e-10", Dimension::dimensionless), 1e-10);
  // A bare number is SI for every dimension but temperature.
  EXPECT_DOUBLE_EQ(parse("800", Dimension::voltage), 800.0);
  EXPECT_DOUBLE_EQ(parse("2.4e-4", Dimension::area), 2.4e-4);
  EXPECT_DOUBLE_EQ(parse("+5", Dimension::length), 5.0);
  EXPECT_DOUBLE_EQ(parse("  35 m  ", Dimension::length), 35.0);
  EXPECT_DOUBLE_EQ(parse("-500 kW", Dimension::active_power), -5e5);
  EXPECT_DOUBLE_EQ(parse("800V", Dimension::voltage), 800.0);
}

TEST(UnitsParse, TemperatureNeedsAUnit) {
  const UnitError e = failure("70", Dimension::temperature);
  EXPECT_NE(e.message.find("has no unit"), std::string::npos) << e.message;
  EXPECT_NE(e.fix.find("70 °C"), std::string::npos) << e.fix;
  EXPECT_NE(e.fix.find("70 K"), std::string::npos) << e.fix;
}

TEST(UnitsParse, NanAndInfinityAreRejected) {
  for (const char* text : {"nan", "NaN V", "inf", "-inf W", "infinity"}) {
    const UnitError e = failure(text, Dimension::voltage);
    EXPECT_NE(e.message.find("not a finite number"), std::string::npos) << text << e.message;
  }
}

TEST(UnitsParse, ErrorsSayHowToWriteTheValue) {
  // Wrong case of a known unit: suggested with the right case.
  UnitError e = failure("13.8 kv", Dimension::voltage);
  EXPECT_NE(e.message.find("unknown unit \"kv\""), std::string::npos) << e.message;
  EXPECT_NE(e.fix.find("did you mean \"kV\"?"), std::string::npos) << e.fix;
  e = failure("240 MM2", Dimension::area);
  EXPECT_NE(e.fix.find("\"mm2\""), std::string::npos) << e.fix;
  // A unit of another dimension.
  e = failure("800 A", Dimension::voltage);
  EXPECT_NE(e.message.find("is a current, but a voltage is expected"), std::string::npos)
      << e.message;
  EXPECT_NE(e.fix.find("800 V"), std::string::npos) << e.fix;
  e = failure("35 mm2", Dimension::length);
  EXPECT_NE(e.message.find("is an area, but a length is expected"), std::string::npos) << e.message;
  // Unknown units and non-numbers.
  e = failure("35 metres", Dimension::length);
  EXPECT_NE(e.message.find("unknown unit \"metres\""), std::string::npos) << e.message;
  EXPECT_NE(e.fix.find("35 m"), std::string::npos) << e.fix;
  e = failure("abc", Dimension::voltage);
  EXPECT_NE(e.message.find("is not a number with a unit"), std::string::npos) << e.message;
  e = failure("", Dimension::voltage);
  EXPECT_NE(e.message.find("empty"), std::string::npos) << e.message;
  e = failure("   ", Dimension::area);
  EXPECT_NE(e.fix.find("240 mm2"), std::string::npos) << e.fix;
}

TEST(UnitsParse, NeverThrowsOnOddInput) {
  for (const std::string& text :
       {std::string("\0\x01\xff", 3), std::string(10000, '9'), std::string("1e999999 V"),
        std::string("--5 V"), std::string("5 V V"), std::string("°"), std::string("0x10 V")}) {
    const ParsedQuantity q = parse_quantity(text, Dimension::voltage);
    if (q.ok) {
      EXPECT_TRUE(std::isfinite(q.value)) << text;
    } else {
      EXPECT_FALSE(q.error.message.empty());
    }
  }
}

TEST(UnitsFormat, EngineeringPrefixes) {
  EXPECT_EQ(format_quantity(1.2e6, Dimension::active_power), "1.2 MW");
  EXPECT_EQ(format_quantity(800.0, Dimension::voltage), "800 V");
  EXPECT_EQ(format_quantity(13800.0, Dimension::voltage), "13.8 kV");
  EXPECT_EQ(format_quantity(0.012, Dimension::resistance), "12 mohm");
  EXPECT_EQ(format_quantity(240e-6, Dimension::area), "240 mm2");
  EXPECT_EQ(format_quantity(0.975, Dimension::dimensionless), "97.5 %");
  EXPECT_EQ(format_quantity(70.0, Dimension::temperature), "70 °C");
  // What format_quantity writes, parse_quantity reads back.
  for (const double v : {1.2e6, 415.0, 3.3e-3})
    EXPECT_NEAR(parse(format_quantity(v, Dimension::active_power, 17), Dimension::active_power), v,
                1e-9 * v);
}

// Device data sheets give gate, output and recovery charges in nC and uC (docs/devices.md).
TEST(UnitsParse, Charge) {
  EXPECT_NEAR(parse("5.8 nC", Dimension::charge), 5.8e-9, 1e-21);
  EXPECT_NEAR(parse("7.3 uC", Dimension::charge), 7.3e-6, 1e-18);
  EXPECT_NEAR(parse("7.3 µC", Dimension::charge), 7.3e-6, 1e-18);
  EXPECT_NEAR(parse("2 mC", Dimension::charge), 2e-3, 1e-15);
  EXPECT_DOUBLE_EQ(parse("1e-9", Dimension::charge), 1e-9);  // bare number: SI
  // A bare "C" stays a temperature, so a charge must carry a prefix or be written in SI.
  EXPECT_NE(failure("5 C", Dimension::charge).message.find("temperature"), std::string::npos);
  EXPECT_DOUBLE_EQ(parse("5 C", Dimension::temperature), 5.0);
  EXPECT_NE(failure("5 nc", Dimension::charge).fix.find("nC"), std::string::npos);
  EXPECT_NE(failure("5 nC", Dimension::energy).message.find("charge"), std::string::npos);
  EXPECT_EQ(format_quantity(5.8e-9, Dimension::charge), "5.8 nC");
  for (const double q : {5.8e-9, 7.3e-6, 125e-9})
    EXPECT_NEAR(parse(format_quantity(q, Dimension::charge, 17), Dimension::charge), q, 1e-9 * q);
}

// The units of converter and magnetics files, in core since the readers share one toolkit.
TEST(UnitsParse, InductanceCapacitanceFluxDensityWithPrefixes) {
  EXPECT_DOUBLE_EQ(parse("1 H", Dimension::inductance), 1.0);
  EXPECT_DOUBLE_EQ(parse("4.7 mH", Dimension::inductance), 4.7e-3);
  EXPECT_DOUBLE_EQ(parse("2.2 uH", Dimension::inductance), 2.2e-6);
  EXPECT_DOUBLE_EQ(parse("2.2 µH", Dimension::inductance), 2.2e-6);
  EXPECT_DOUBLE_EQ(parse("15 nH", Dimension::inductance), 15e-9);
  EXPECT_DOUBLE_EQ(parse("50 pH", Dimension::inductance), 50e-12);
  EXPECT_DOUBLE_EQ(parse("1e-6", Dimension::inductance), 1e-6);  // bare: SI
  EXPECT_DOUBLE_EQ(parse("10 mF", Dimension::capacitance), 10e-3);
  EXPECT_DOUBLE_EQ(parse("22 uF", Dimension::capacitance), 22e-6);
  EXPECT_DOUBLE_EQ(parse("47 nF", Dimension::capacitance), 47e-9);
  EXPECT_DOUBLE_EQ(parse("470 pF", Dimension::capacitance), 470e-12);
  EXPECT_DOUBLE_EQ(parse("0.39 T", Dimension::flux_density), 0.39);
  EXPECT_DOUBLE_EQ(parse("390 mT", Dimension::flux_density), 0.39);
  EXPECT_DOUBLE_EQ(parse("50 uT", Dimension::flux_density), 50e-6);
  // Henry is not hour, farad is not a temperature, and "pu" stays per unit.
  EXPECT_DOUBLE_EQ(parse("2 h", Dimension::time), 7200.0);
  EXPECT_DOUBLE_EQ(parse("1.02 pu", Dimension::dimensionless), 1.02);
  EXPECT_NE(failure("22 uF", Dimension::inductance).message.find("is a capacitance"),
            std::string::npos);
  EXPECT_NE(failure("2 uh", Dimension::inductance).fix.find("did you mean \"uH\"?"),
            std::string::npos);
}

TEST(UnitsParse, VolumeThermalResistanceAndCooling) {
  EXPECT_DOUBLE_EQ(parse("1 m3", Dimension::volume), 1.0);
  EXPECT_DOUBLE_EQ(parse("2 L", Dimension::volume), 2e-3);
  EXPECT_DOUBLE_EQ(parse("2 dm3", Dimension::volume), 2e-3);
  EXPECT_DOUBLE_EQ(parse("12 cm3", Dimension::volume), 12e-6);
  EXPECT_DOUBLE_EQ(parse("12 cm³", Dimension::volume), 12e-6);
  EXPECT_DOUBLE_EQ(parse("500 mm3", Dimension::volume), 500e-9);
  EXPECT_DOUBLE_EQ(parse("0.5 K/W", Dimension::thermal_resistance), 0.5);
  EXPECT_DOUBLE_EQ(parse("0.5 °C/W", Dimension::thermal_resistance), 0.5);
  EXPECT_DOUBLE_EQ(parse("0.5 C/W", Dimension::thermal_resistance), 0.5);
  EXPECT_DOUBLE_EQ(parse("20 W/(K L)", Dimension::cooling_per_volume), 2e4);
  EXPECT_DOUBLE_EQ(parse("20 W/(K dm3)", Dimension::cooling_per_volume), 2e4);
  EXPECT_DOUBLE_EQ(parse("2e4 W/(K m3)", Dimension::cooling_per_volume), 2e4);
  EXPECT_NE(failure("0.5 %", Dimension::thermal_resistance).message.find("is a ratio"),
            std::string::npos);
  EXPECT_NE(failure("12 mm2", Dimension::volume).message.find("is an area"), std::string::npos);
}

TEST(UnitsFormat, NewDimensionsReadBack) {
  EXPECT_EQ(format_quantity(2.2e-6, Dimension::inductance), "2.2 uH");
  EXPECT_EQ(format_quantity(470e-12, Dimension::capacitance), "470 pF");
  EXPECT_EQ(format_quantity(0.39, Dimension::flux_density), "390 mT");
  EXPECT_EQ(format_quantity(12e-6, Dimension::volume), "12 cm3");
  EXPECT_EQ(format_quantity(0.5, Dimension::thermal_resistance), "0.5 K/W");
  EXPECT_EQ(format_quantity(0.0, Dimension::inductance), "0 H");
  for (const Dimension d :
       {Dimension::inductance, Dimension::capacitance, Dimension::flux_density, Dimension::volume,
        Dimension::thermal_resistance, Dimension::cooling_per_volume})
    EXPECT_NEAR(parse(format_quantity(3.3e-5, d, 17), d), 3.3e-5, 1e-18) << dimension_name(d);
}

}  // namespace
}  // namespace g2g::core

namespace g2g::core {
namespace {

TEST(PlausibleRanges, EdgesInsideAndZeroAlwaysPlausible) {
  for (const Dimension d : every_dimension) {
    const PlausibleRange r = plausible_range(d);
    ASSERT_LT(r.min, r.max) << dimension_name(d);
    EXPECT_TRUE(plausible(r.min, d)) << dimension_name(d);
    EXPECT_TRUE(plausible(r.max, d)) << dimension_name(d);
    EXPECT_FALSE(plausible(r.max * 1.01 + 1e-300, d)) << dimension_name(d);
    if (!r.signed_range) {
      EXPECT_TRUE(plausible(0.0, d)) << dimension_name(d);
      EXPECT_TRUE(plausible(-r.min, d)) << dimension_name(d);
      EXPECT_FALSE(plausible(r.min * 0.99, d)) << dimension_name(d);
    }
  }
  EXPECT_FALSE(plausible(5e-324, Dimension::length));
  EXPECT_FALSE(plausible(1e300, Dimension::voltage));
  EXPECT_TRUE(plausible(0.8, Dimension::voltage));  // a GPU core rail
}

// docs/model-format.md lists every range as the code has it.
TEST(PlausibleRanges, DocumentedAsImplemented) {
  std::ifstream in(test::source_dir() / "docs" / "model-format.md");
  std::stringstream text;
  text << in.rdbuf();
  for (const Dimension d : every_dimension) {
    const std::string row = fmt::format("| {} | {} |", dimension_name(d), plausible_range_text(d));
    EXPECT_NE(text.str().find(row), std::string::npos) << "missing row: " << row;
  }
}

}  // namespace
}  // namespace g2g::core

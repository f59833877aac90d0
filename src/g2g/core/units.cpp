#include "g2g/core/units.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>

namespace g2g::core {
namespace {

struct UnitSymbol {
  std::string_view symbol;
  Dimension dimension;
  double factor;  // SI value = number * factor + offset
  double offset = 0.0;
};

// Base symbols that take SI prefixes (G, M, k, m, u/µ).
struct PrefixableBase {
  std::string_view symbol;
  Dimension dimension;
};

constexpr std::array prefixable_bases{
    PrefixableBase{"V", Dimension::voltage},
    PrefixableBase{"A", Dimension::current},
    PrefixableBase{"W", Dimension::active_power},
    PrefixableBase{"VA", Dimension::apparent_power},
    PrefixableBase{"var", Dimension::reactive_power},
    PrefixableBase{"VAr", Dimension::reactive_power},
    PrefixableBase{"J", Dimension::energy},
    PrefixableBase{"Hz", Dimension::frequency},
    PrefixableBase{"s", Dimension::time},
    PrefixableBase{"ohm", Dimension::resistance},
    PrefixableBase{"Ω", Dimension::resistance},
    PrefixableBase{"S", Dimension::conductance},
    // Charge: special_units is searched first, so "C" alone stays degrees Celsius; "nC", "uC",
    // "µC", "mC" are coulombs.
    PrefixableBase{"C", Dimension::charge},
    PrefixableBase{"H", Dimension::inductance},
    PrefixableBase{"F", Dimension::capacitance},
    PrefixableBase{"T", Dimension::flux_density},
    PrefixableBase{"H/m", Dimension::inductance_per_length},
    PrefixableBase{"W/s", Dimension::power_rate},
    PrefixableBase{"A/s", Dimension::current_rate},
};

struct Prefix {
  std::string_view symbol;
  double factor;
};
constexpr std::array
    prefixes{
        Prefix{"", 1.0},    Prefix{"G", 1e9},  Prefix{"M", 1e6},  Prefix{"k", 1e3},
        Prefix{"m", 1e-3},  Prefix{"u", 1e-6}, Prefix{"µ", 1e-6}, Prefix{"n", 1e-9},
        Prefix{"p", 1e-12},  // resonant capacitors and stray inductances ("470 pF", "50 pH")
    };

// Symbols that are not a prefix plus a base.
constexpr std::array special_units{
    UnitSymbol{"%", Dimension::dimensionless, 0.01},
    UnitSymbol{"pu", Dimension::dimensionless, 1.0},
    UnitSymbol{"m", Dimension::length, 1.0},
    UnitSymbol{"km", Dimension::length, 1e3},
    UnitSymbol{"cm", Dimension::length, 1e-2},
    UnitSymbol{"mm", Dimension::length, 1e-3},
    // Layer thicknesses and scribe widths of wafers (docs/fab.md).
    UnitSymbol{"um", Dimension::length, 1e-6},
    UnitSymbol{"µm", Dimension::length, 1e-6},
    UnitSymbol{"nm", Dimension::length, 1e-9},
    UnitSymbol{"ft", Dimension::length, 0.3048},
    UnitSymbol{"m2", Dimension::area, 1.0},
    UnitSymbol{"m²", Dimension::area, 1.0},
    UnitSymbol{"cm2", Dimension::area, 1e-4},
    UnitSymbol{"cm²", Dimension::area, 1e-4},
    UnitSymbol{"mm2", Dimension::area, 1e-6},
    UnitSymbol{"mm²", Dimension::area, 1e-6},
    UnitSymbol{"kcmil", Dimension::area, 0.506707479e-6},  // 1000 circular mils
    UnitSymbol{"ohm/m", Dimension::resistance_per_length, 1.0},
    UnitSymbol{"Ω/m", Dimension::resistance_per_length, 1.0},
    UnitSymbol{"ohm/km", Dimension::resistance_per_length, 1e-3},
    UnitSymbol{"Ω/km", Dimension::resistance_per_length, 1e-3},
    UnitSymbol{"mohm/m", Dimension::resistance_per_length, 1e-3},
    UnitSymbol{"mΩ/m", Dimension::resistance_per_length, 1e-3},
    UnitSymbol{"uohm/m", Dimension::resistance_per_length, 1e-6},
    UnitSymbol{"µΩ/m", Dimension::resistance_per_length, 1e-6},
    UnitSymbol{"Wh", Dimension::energy, 3600.0},
    UnitSymbol{"kWh", Dimension::energy, 3.6e6},
    UnitSymbol{"MWh", Dimension::energy, 3.6e9},
    UnitSymbol{"GWh", Dimension::energy, 3.6e12},
    UnitSymbol{"min", Dimension::time, 60.0},
    // di/dt per microsecond and millisecond, as protection datasheets give it.
    UnitSymbol{"A/us", Dimension::current_rate, 1e6},
    UnitSymbol{"A/µs", Dimension::current_rate, 1e6},
    UnitSymbol{"kA/us", Dimension::current_rate, 1e9},
    UnitSymbol{"kA/µs", Dimension::current_rate, 1e9},
    UnitSymbol{"A/ms", Dimension::current_rate, 1e3},
    UnitSymbol{"kA/ms", Dimension::current_rate, 1e6},
    UnitSymbol{"A2s", Dimension::current_squared_time, 1.0},
    UnitSymbol{"A²s", Dimension::current_squared_time, 1.0},
    // Events per unit of time (a rate of random dips): "0.1 /s", "6 /min", "2 /h".
    UnitSymbol{"/s", Dimension::frequency, 1.0},
    UnitSymbol{"/min", Dimension::frequency, 1.0 / 60.0},
    UnitSymbol{"/h", Dimension::frequency, 1.0 / 3600.0},
    UnitSymbol{"h", Dimension::time, 3600.0},
    UnitSymbol{"C", Dimension::temperature, 1.0},
    UnitSymbol{"°C", Dimension::temperature, 1.0},
    UnitSymbol{"degC", Dimension::temperature, 1.0},
    UnitSymbol{"K", Dimension::temperature, 1.0, -273.15},
    UnitSymbol{"deg", Dimension::angle, 1.0},
    UnitSymbol{"°", Dimension::angle, 1.0},
    UnitSymbol{"rad", Dimension::angle, 57.29577951308232},
    UnitSymbol{"m3", Dimension::volume, 1.0},
    UnitSymbol{"m³", Dimension::volume, 1.0},
    UnitSymbol{"dm3", Dimension::volume, 1e-3},
    UnitSymbol{"dm³", Dimension::volume, 1e-3},
    UnitSymbol{"L", Dimension::volume, 1e-3},
    UnitSymbol{"cm3", Dimension::volume, 1e-6},
    UnitSymbol{"cm³", Dimension::volume, 1e-6},
    UnitSymbol{"mm3", Dimension::volume, 1e-9},
    UnitSymbol{"mm³", Dimension::volume, 1e-9},
    // A thermal resistance is per kelvin of difference, so °C/W and K/W are the same unit.
    UnitSymbol{"K/W", Dimension::thermal_resistance, 1.0},
    UnitSymbol{"°C/W", Dimension::thermal_resistance, 1.0},
    UnitSymbol{"C/W", Dimension::thermal_resistance, 1.0},
    UnitSymbol{"W/(K m3)", Dimension::cooling_per_volume, 1.0},
    UnitSymbol{"W/(K dm3)", Dimension::cooling_per_volume, 1e3},
    UnitSymbol{"W/(K L)", Dimension::cooling_per_volume, 1e3},
    // Battery capacity: an ampere-hour is 3600 C.
    UnitSymbol{"Ah", Dimension::charge, 3600.0},
    UnitSymbol{"mAh", Dimension::charge, 3.6},
    UnitSymbol{"kAh", Dimension::charge, 3.6e6},
};

std::optional<UnitSymbol> find_unit(std::string_view symbol) {
  for (const auto& unit : special_units)
    if (unit.symbol == symbol) return unit;
  for (const auto& base : prefixable_bases) {
    if (symbol.size() < base.symbol.size() || !symbol.ends_with(base.symbol)) continue;
    const std::string_view prefix = symbol.substr(0, symbol.size() - base.symbol.size());
    for (const auto& p : prefixes)
      if (p.symbol == prefix) return UnitSymbol{symbol, base.dimension, p.factor};
  }
  return std::nullopt;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A unit of the right dimension that differs only in case, e.g. "kv" -> "kV".
std::string case_suggestion(std::string_view symbol, Dimension expected) {
  const std::string wanted = lower(symbol);
  for (const auto& unit : special_units)
    if (unit.dimension == expected && lower(unit.symbol) == wanted) return std::string(unit.symbol);
  for (const auto& base : prefixable_bases) {
    if (base.dimension != expected) continue;
    for (const auto& p : prefixes) {
      std::string candidate = std::string(p.symbol) + std::string(base.symbol);
      if (lower(candidate) == wanted) return candidate;
    }
  }
  return {};
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

// "a voltage", "an energy".
std::string with_article(Dimension dimension) {
  const std::string_view name = dimension_name(dimension);
  const bool vowel =
      !name.empty() && std::string_view("aeiou").find(name.front()) != std::string_view::npos;
  return fmt::format("{} {}", vowel ? "an" : "a", name);
}

ParsedQuantity failure(std::string message, std::string fix) {
  ParsedQuantity result;
  result.error = {std::move(message), std::move(fix)};
  return result;
}

}  // namespace

std::string_view dimension_name(Dimension dimension) {
  switch (dimension) {
    case Dimension::dimensionless:
      return "ratio";
    case Dimension::voltage:
      return "voltage";
    case Dimension::current:
      return "current";
    case Dimension::active_power:
      return "active power";
    case Dimension::apparent_power:
      return "apparent power";
    case Dimension::reactive_power:
      return "reactive power";
    case Dimension::energy:
      return "energy";
    case Dimension::length:
      return "length";
    case Dimension::area:
      return "area";
    case Dimension::resistance:
      return "resistance";
    case Dimension::resistance_per_length:
      return "resistance per length";
    case Dimension::conductance:
      return "conductance";
    case Dimension::temperature:
      return "temperature";
    case Dimension::time:
      return "time";
    case Dimension::frequency:
      return "frequency";
    case Dimension::angle:
      return "angle";
    case Dimension::charge:
      return "charge";
    case Dimension::inductance:
      return "inductance";
    case Dimension::capacitance:
      return "capacitance";
    case Dimension::volume:
      return "volume";
    case Dimension::thermal_resistance:
      return "thermal resistance";
    case Dimension::flux_density:
      return "flux density";
    case Dimension::cooling_per_volume:
      return "cooling per volume";
    case Dimension::inductance_per_length:
      return "inductance per length";
    case Dimension::power_rate:
      return "power ramp rate";
    case Dimension::current_rate:
      return "current rate of rise";
    case Dimension::current_squared_time:
      return "I2t";
  }
  return "quantity";
}

std::string_view dimension_example(Dimension dimension) {
  switch (dimension) {
    case Dimension::dimensionless:
      return "0.97 or 97 %";
    case Dimension::voltage:
      return "800 V or 13.8 kV";
    case Dimension::current:
      return "2.5 kA";
    case Dimension::active_power:
      return "1.2 MW";
    case Dimension::apparent_power:
      return "2.5 MVA";
    case Dimension::reactive_power:
      return "300 kvar";
    case Dimension::energy:
      return "4 MWh";
    case Dimension::length:
      return "35 m";
    case Dimension::area:
      return "240 mm2";
    case Dimension::resistance:
      return "12 mohm";
    case Dimension::resistance_per_length:
      return "0.08 mohm/m";
    case Dimension::conductance:
      return "2 mS";
    case Dimension::temperature:
      return "90 °C";
    case Dimension::time:
      return "10 ms";
    case Dimension::frequency:
      return "60 Hz";
    case Dimension::angle:
      return "30 deg";
    case Dimension::charge:
      return "5.8 nC";
    case Dimension::inductance:
      return "2.2 uH";
    case Dimension::capacitance:
      return "47 nF";
    case Dimension::volume:
      return "12 cm3";
    case Dimension::thermal_resistance:
      return "0.5 K/W";
    case Dimension::flux_density:
      return "390 mT";
    case Dimension::cooling_per_volume:
      return "20 W/(K L)";
    case Dimension::inductance_per_length:
      return "0.3 uH/m";
    case Dimension::power_rate:
      return "50 kW/s";
    case Dimension::current_rate:
      return "1 kA/us";
    case Dimension::current_squared_time:
      return "3500 A2s";
  }
  return "";
}

ParsedQuantity parse_quantity(std::string_view text, Dimension expected) noexcept {
  try {
    const std::string_view body = trim(text);
    if (body.empty())
      return failure("empty value", fmt::format("write {} such as \"{}\"", with_article(expected),
                                                dimension_example(expected)));
    double number = 0.0;
    const char* first = body.data();
    const char* last = body.data() + body.size();
    if (*first == '+') ++first;  // from_chars does not accept a leading '+'
    const auto [end, ec] = std::from_chars(first, last, number);
    if (ec == std::errc::result_out_of_range)
      // "1e400 kV": the number itself is beyond a double, whatever its unit.
      return failure(fmt::format("the number in \"{}\" is out of range (beyond about 1.8e308, or a "
                                 "non-zero value below 4.9e-324)",
                                 body),
                     fmt::format("write {} such as \"{}\"", with_article(expected),
                                 dimension_example(expected)));
    if (ec != std::errc() || end == first)
      return failure(fmt::format("\"{}\" is not a number with a unit", body),
                     fmt::format("write {} such as \"{}\"", with_article(expected),
                                 dimension_example(expected)));
    if (!std::isfinite(number))
      return failure(fmt::format("\"{}\" is not a finite number", body),
                     "give a finite value; NaN and infinity are not physical");
    const std::string_view symbol =
        trim(std::string_view(end, static_cast<std::size_t>(last - end)));

    ParsedQuantity result;
    if (symbol.empty()) {
      if (expected == Dimension::temperature)
        return failure(fmt::format("temperature \"{}\" has no unit", body),
                       fmt::format("write \"{} °C\" or \"{} K\"", body, body));
      result.value = number;
      result.ok = true;
      return result;
    }
    const auto unit = find_unit(symbol);
    if (!unit) {
      const std::string suggestion = case_suggestion(symbol, expected);
      return failure(
          fmt::format("unknown unit \"{}\" in \"{}\"", symbol, body),
          suggestion.empty()
              ? fmt::format("write {} such as \"{}\"", with_article(expected),
                            dimension_example(expected))
              : fmt::format("did you mean \"{}\"? Units are case-sensitive", suggestion));
    }
    if (unit->dimension != expected)
      return failure(fmt::format("\"{}\" is {}, but {} is expected here", body,
                                 with_article(unit->dimension), with_article(expected)),
                     fmt::format("write {} such as \"{}\"", with_article(expected),
                                 dimension_example(expected)));
    result.value = number * unit->factor + unit->offset;
    result.ok = true;
    return result;
  } catch (...) {
    return failure("could not read the value", "write it as a number followed by a unit");
  }
}

PlausibleRange plausible_range(Dimension dimension) noexcept {
  switch (dimension) {
    case Dimension::dimensionless:
      return {1e-15, 1e15};  // ratios, per-unit values, tolerances
    case Dimension::voltage:
      return {0.1, 1e6};  // 100 mV (below a GPU core's 0.7-1 V) to 1 MV
    case Dimension::current:
      return {1e-6, 1e6};  // 1 µA to 1 MA
    case Dimension::active_power:
    case Dimension::apparent_power:
    case Dimension::reactive_power:
      return {1e-3, 1e10};  // 1 mW to 10 GW
    case Dimension::energy:
      return {1e-3, 1e15};  // 1 mJ to about 280 GWh
    case Dimension::length:
      return {1e-3, 1e6};  // 1 mm to 1000 km
    case Dimension::area:
      return {1e-8, 1.0};  // 0.01 mm2 to 1 m2
    case Dimension::resistance:
      return {1e-9, 1e9};  // 1 nΩ to 1 GΩ
    case Dimension::resistance_per_length:
      return {1e-9, 1e3};
    case Dimension::conductance:
      return {1e-12, 1e9};
    case Dimension::temperature:
      return {-100.0, 1000.0, true};  // °C
    case Dimension::time:
      return {1e-12, 1e10};  // 1 ps to about 300 years
    case Dimension::frequency:
      return {1e-3, 1e10};
    case Dimension::angle:
      return {-360.0, 360.0, true};  // degrees
    case Dimension::charge:
      return {1e-15, 1e10};  // 1 fC (gate charge) to about 2.8 MAh (a facility battery)
    case Dimension::inductance:
      return {1e-12, 1e3};
    case Dimension::capacitance:
      return {1e-15, 1e5};  // 1 fF to 100 kF: a supercapacitor cell is up to about 3.4 kF
    case Dimension::volume:
      return {1e-12, 1e6};
    case Dimension::thermal_resistance:
      return {1e-6, 1e6};
    case Dimension::flux_density:
      return {1e-6, 10.0};
    case Dimension::cooling_per_volume:
      return {1e-3, 1e9};
    case Dimension::inductance_per_length:
      return {1e-10, 1e-3};  // 0.1 nH/m to 1 mH/m; DC cables and busbars are 0.1-1 uH/m
    case Dimension::power_rate:
      return {1e-3, 1e12};  // 1 mW/s to 1 TW/s
    case Dimension::current_rate:
      return {1e-3, 1e13};  // 1 mA/s to 10 kA/ns
    case Dimension::current_squared_time:
      return {1e-6, 1e12};  // a miniature fuse's mA2s to a large fuse's TA2s
  }
  return {0.0, 0.0};
}

bool plausible(double value_si, Dimension dimension) noexcept {
  const PlausibleRange range = plausible_range(dimension);
  if (range.signed_range) return value_si >= range.min && value_si <= range.max;
  const double magnitude = std::fabs(value_si);
  return value_si == 0.0 || (magnitude >= range.min && magnitude <= range.max);
}

std::string_view si_symbol(Dimension dimension) noexcept {
  switch (dimension) {
    case Dimension::dimensionless:
      return "";
    case Dimension::voltage:
      return "V";
    case Dimension::current:
      return "A";
    case Dimension::active_power:
      return "W";
    case Dimension::apparent_power:
      return "VA";
    case Dimension::reactive_power:
      return "var";
    case Dimension::energy:
      return "J";
    case Dimension::length:
      return "m";
    case Dimension::area:
      return "m2";
    case Dimension::resistance:
      return "ohm";
    case Dimension::resistance_per_length:
      return "ohm/m";
    case Dimension::conductance:
      return "S";
    case Dimension::temperature:
      return "°C";
    case Dimension::time:
      return "s";
    case Dimension::frequency:
      return "Hz";
    case Dimension::angle:
      return "deg";
    case Dimension::charge:
      return "C";
    case Dimension::inductance:
      return "H";
    case Dimension::capacitance:
      return "F";
    case Dimension::volume:
      return "m3";
    case Dimension::thermal_resistance:
      return "K/W";
    case Dimension::flux_density:
      return "T";
    case Dimension::cooling_per_volume:
      return "W/(K m3)";
    case Dimension::inductance_per_length:
      return "H/m";
    case Dimension::power_rate:
      return "W/s";
    case Dimension::current_rate:
      return "A/s";
    case Dimension::current_squared_time:
      return "A2s";
  }
  return "";
}

std::string si_text(double value_si, Dimension dimension) {
  const std::string_view unit = si_symbol(dimension);
  return unit.empty() ? fmt::format("{:g}", value_si) : fmt::format("{:g} {}", value_si, unit);
}

std::string plausible_range_text(Dimension dimension) {
  const PlausibleRange range = plausible_range(dimension);
  return fmt::format("between {} and {}", si_text(range.min, dimension),
                     si_text(range.max, dimension));
}

std::string format_quantity(double value_si, Dimension dimension, int significant_digits) {
  std::string_view base;
  switch (dimension) {
    case Dimension::voltage:
      base = "V";
      break;
    case Dimension::current:
      base = "A";
      break;
    case Dimension::active_power:
      base = "W";
      break;
    case Dimension::apparent_power:
      base = "VA";
      break;
    case Dimension::reactive_power:
      base = "var";
      break;
    case Dimension::energy:
      base = "J";
      break;
    case Dimension::resistance:
      base = "ohm";
      break;
    case Dimension::frequency:
      base = "Hz";
      break;
    case Dimension::time:
      base = "s";
      break;
    case Dimension::length:
      base = "m";
      break;
    case Dimension::charge:
      if (std::fabs(value_si) < 1e-6 && value_si != 0.0)
        return fmt::format("{:.{}g} nC", value_si * 1e9, significant_digits);
      base = "C";
      break;
    case Dimension::area:
      return fmt::format("{:.{}g} mm2", value_si * 1e6, significant_digits);
    case Dimension::volume:
      return fmt::format("{:.{}g} cm3", value_si * 1e6, significant_digits);
    case Dimension::thermal_resistance:
      return fmt::format("{:.{}g} K/W", value_si, significant_digits);
    case Dimension::cooling_per_volume:
      return fmt::format("{:.{}g} W/(K L)", value_si * 1e-3, significant_digits);
    case Dimension::power_rate:
      base = "W/s";
      break;
    case Dimension::current_rate:
      base = "A/s";
      break;
    case Dimension::current_squared_time:
      return fmt::format("{:.{}g} A2s", value_si, significant_digits);
    case Dimension::inductance:
    case Dimension::capacitance:
    case Dimension::flux_density:
    case Dimension::inductance_per_length: {
      // Down to pico: resonant parts are nH and pF.
      constexpr std::array<Prefix, 5> small{Prefix{"", 1.0}, Prefix{"m", 1e-3}, Prefix{"u", 1e-6},
                                            Prefix{"n", 1e-9}, Prefix{"p", 1e-12}};
      const std::string_view symbol = dimension == Dimension::inductance     ? "H"
                                      : dimension == Dimension::capacitance  ? "F"
                                      : dimension == Dimension::flux_density ? "T"
                                                                             : "H/m";
      for (const auto& p : small)
        if (value_si == 0.0 || std::fabs(value_si) >= p.factor || p.factor == 1e-12)
          return fmt::format("{:.{}g} {}{}", value_si / p.factor, significant_digits, p.symbol,
                             symbol);
      return fmt::format("{:.{}g} {}", value_si, significant_digits, symbol);
    }
    case Dimension::temperature:
      return fmt::format("{:.{}g} °C", value_si, significant_digits);
    case Dimension::dimensionless:
      return fmt::format("{:.{}g} %", value_si * 100, significant_digits);
    default:
      return fmt::format("{:.{}g}", value_si, significant_digits);
  }
  const double magnitude = std::fabs(value_si);
  constexpr std::array<Prefix, 6> scale{Prefix{"G", 1e9}, Prefix{"M", 1e6},  Prefix{"k", 1e3},
                                        Prefix{"", 1.0},  Prefix{"m", 1e-3}, Prefix{"u", 1e-6}};
  for (const auto& p : scale) {
    if (magnitude >= p.factor || p.factor == 1e-6) {
      if (dimension == Dimension::length && p.symbol == "M") continue;
      return fmt::format("{:.{}g} {}{}", value_si / p.factor, significant_digits, p.symbol, base);
    }
  }
  return fmt::format("{:.{}g} {}", value_si, significant_digits, base);
}

}  // namespace g2g::core

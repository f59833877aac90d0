// Parsing of unit-bearing quantities such as "800 V", "13.8 kV", "240 mm2" or "97 %".
// Every value leaves this module in SI (temperatures in degrees Celsius, see docs/core.md).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace g2g::core {

enum class Dimension {
  dimensionless,          // ratios, per-unit values; "%" divides by 100
  voltage,                // V
  current,                // A
  active_power,           // W
  apparent_power,         // VA
  reactive_power,         // var
  energy,                 // J (Wh accepted)
  length,                 // m
  area,                   // m^2 (mm2 accepted)
  resistance,             // ohm
  resistance_per_length,  // ohm/m
  conductance,            // S (siemens)
  temperature,            // degrees Celsius; a unit is required ("90 C", "363.15 K")
  time,                   // s
  frequency,              // Hz
  angle,                  // degrees
  charge,                 // C, with a prefix ("5.8 nC", "7.3 uC"); a bare "C" is a temperature;
                          // Ah, mAh, kAh (3600 C per Ah) for battery capacities
  inductance,             // H
  capacitance,            // F
  volume,                 // m^3 (L, dm3, cm3, mm3 accepted)
  thermal_resistance,     // K/W (°C/W accepted: a temperature difference)
  flux_density,           // T
  cooling_per_volume,     // W/(K m^3): a heatsink's CSPI (W/(K L) accepted)
  inductance_per_length,  // H/m ("0.3 uH/m"): a DC line's loop inductance per metre
  power_rate,             // W/s ("50 kW/s", "2 MW/s"): a ramp rate
  current_rate,           // A/s ("1 kA/us", "50 A/ms"): a protection device's di/dt pickup
  current_squared_time,   // A2s ("3500 A2s"): a fuse's I2t (no prefixes: "kA2s" is ambiguous)
};

// Every dimension, in declaration order.
inline constexpr Dimension every_dimension[] = {Dimension::dimensionless,
                                                Dimension::voltage,
                                                Dimension::current,
                                                Dimension::active_power,
                                                Dimension::apparent_power,
                                                Dimension::reactive_power,
                                                Dimension::energy,
                                                Dimension::length,
                                                Dimension::area,
                                                Dimension::resistance,
                                                Dimension::resistance_per_length,
                                                Dimension::conductance,
                                                Dimension::temperature,
                                                Dimension::time,
                                                Dimension::frequency,
                                                Dimension::angle,
                                                Dimension::charge,
                                                Dimension::inductance,
                                                Dimension::capacitance,
                                                Dimension::volume,
                                                Dimension::thermal_resistance,
                                                Dimension::flux_density,
                                                Dimension::cooling_per_volume,
                                                Dimension::inductance_per_length,
                                                Dimension::power_rate,
                                                Dimension::current_rate,
                                                Dimension::current_squared_time};
static_assert(sizeof every_dimension / sizeof every_dimension[0] ==
                  static_cast<std::size_t>(Dimension::current_squared_time) + 1,
              "every_dimension lists every Dimension");

// Name used in messages ("voltage", "active power", ...).
std::string_view dimension_name(Dimension dimension);
// Example with a unit, used in error messages ("800 V").
std::string_view dimension_example(Dimension dimension);

// Why a quantity could not be read, and how to write it instead.
struct UnitError {
  std::string message;
  std::string fix;
};

struct ParsedQuantity {
  double value = 0.0;  // SI (Celsius for temperature, degrees for angles)
  bool ok = false;
  UnitError error;  // set when !ok
};

// Parses `text` as a quantity of `expected` dimension. A bare number is taken as SI, except
// for temperature, which needs a unit. Never throws.
ParsedQuantity parse_quantity(std::string_view text, Dimension expected) noexcept;

// Formats an SI value with an engineering prefix: format_quantity(1.2e6, Dimension::active_power)
// gives "1.2 MW".
std::string format_quantity(double value_si, Dimension dimension, int significant_digits = 4);

// The magnitudes a physical quantity of a power-delivery model can plausibly have, in SI
// (docs/model-format.md, "Plausible ranges"). A value outside is a typo or a wrong unit far
// more often than a design, and per-unit scaling of it could underflow or overflow. Zero is
// left to each key's own check (a length must be positive, a loss may be zero); temperature
// and angle are signed ranges.
struct PlausibleRange {
  double min = 0.0;
  double max = 0.0;
  bool signed_range = false;  // [min, max] of the value itself, zero included
};
PlausibleRange plausible_range(Dimension dimension) noexcept;
// Whether `value_si` is within plausible_range(dimension) (zero always is).
bool plausible(double value_si, Dimension dimension) noexcept;
// "between 0.001 m and 1e+06 m": SI, as plain as a range of many decades reads best.
std::string plausible_range_text(Dimension dimension);

// The SI unit of a dimension ("V", "m2", "ohm/m"; empty for a ratio), and a value in it
// ("1e-12 m").
std::string_view si_symbol(Dimension dimension) noexcept;
std::string si_text(double value_si, Dimension dimension);

}  // namespace g2g::core

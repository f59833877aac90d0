// Number and text formatting shared by the single-line diagram and the HTML page. Internal.
#pragma once

#include <string>
#include <string_view>

namespace g2g::report::detail {

// `value` with an SI prefix (k, M, G) chosen by magnitude and `digits` significant digits:
// format_si(1.2e6, "VA", 3) -> "1.20 MVA".
std::string format_si(double value, std::string_view unit, int digits = 4);
// "4.40 MW", "132.7 kW", "870 W": SI prefix chosen by magnitude, `digits` significant digits.
std::string format_power(double watts, int digits = 4);
// "13.8 kV", "800 V", "53.12 V".
std::string format_voltage(double volts, int digits = 4);
// Values as written in a model (ratings, nominal voltages, lengths): at most `digits` significant
// digits, trailing zeros dropped: 13800 -> "13.8 kV", 415 -> "415 V", 25 -> "25".
std::string format_nominal_voltage(double volts);
std::string format_rating(double value, std::string_view unit);  // 5e6, "W" -> "5 MW"
std::string format_trimmed(double value, int digits = 4);
// `fraction` as a percentage: 0.9812 -> "98.12 %".
std::string format_percent(double fraction, int decimals = 2);
// Grouped thousands: 1234567.8 -> "1,234,568" (decimals = 0).
std::string format_grouped(double value, int decimals = 0);
// `digits` significant digits, no exponent for ordinary magnitudes: 1.5734 -> "1.573".
std::string format_significant(double value, int digits = 4);

// Appends `text` escaped for HTML content and quoted attributes.
void append_escaped(std::string& out, std::string_view text);

}  // namespace g2g::report::detail

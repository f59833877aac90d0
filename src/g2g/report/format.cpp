#include "g2g/report/format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "g2g/report/report.hpp"

namespace g2g::report {

namespace detail {

namespace {

// Decimals that give `digits` significant digits for a value of this magnitude (at most 6: a
// residue of 1e-11 W shows as "0.000000", never as 17 digits).
int decimals_for(double magnitude, int digits) {
  if (magnitude <= 0.0 || !std::isfinite(magnitude)) return 0;
  const int order = static_cast<int>(std::floor(std::log10(magnitude)));
  return std::clamp(digits - 1 - order, 0, 6);
}

// "13.80" -> "13.8", "415.0" -> "415", "0.000000" -> "0".
std::string trim_zeros(std::string number) {
  if (number.find('.') == std::string::npos) return number;
  while (!number.empty() && number.back() == '0') number.pop_back();
  if (!number.empty() && number.back() == '.') number.pop_back();
  if (number == "-0") number.erase(0, 1);  // (not `= "0"`: a false -Wrestrict in GCC 12)
  return number;
}

std::string with_prefix(double value, int digits, std::string_view unit, bool trim = false) {
  if (!std::isfinite(value)) return "—";
  // Numerical residues (a lossless transformer's 3e-11 W) are zero to a reader.
  if (std::fabs(value) < 1e-6) value = 0.0;
  const double a = std::fabs(value);
  struct Prefix {
    double scale;
    const char* name;
  };
  static constexpr Prefix prefixes[] = {{1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
  for (const auto& p : prefixes) {
    // Round first so that 999.96 kW shows as "1.000 MW", not "1000 kW".
    const double scaled = a / p.scale;
    if (scaled >= 1.0 - 0.5 * std::pow(10.0, -(digits - 1))) {
      const double v = value / p.scale;
      std::string number = fmt::format("{:.{}f}", v, decimals_for(std::fabs(v), digits));
      return fmt::format("{} {}{}", trim ? trim_zeros(std::move(number)) : number, p.name, unit);
    }
  }
  std::string number = fmt::format("{:.{}f}", value, decimals_for(a, digits));
  return fmt::format("{} {}", trim ? trim_zeros(std::move(number)) : number, unit);
}

}  // namespace

std::string format_si(double value, std::string_view unit, int digits) {
  return with_prefix(value, digits, unit);
}

std::string format_power(double watts, int digits) {
  return with_prefix(watts, digits, "W");
}

std::string format_voltage(double volts, int digits) {
  return with_prefix(volts, digits, "V");
}

std::string format_nominal_voltage(double volts) {
  return with_prefix(volts, 4, "V", true);
}

std::string format_rating(double value, std::string_view unit) {
  return with_prefix(value, 4, unit, true);
}

std::string format_trimmed(double value, int digits) {
  if (!std::isfinite(value)) return "—";
  if (std::fabs(value) >= std::pow(10.0, digits)) return format_grouped(value, 0);
  return trim_zeros(format_significant(value, digits));
}

std::string format_percent(double fraction, int decimals) {
  if (!std::isfinite(fraction)) return "—";
  return fmt::format("{:.{}f} %", fraction * 100.0, decimals);
}

std::string format_grouped(double value, int decimals) {
  if (!std::isfinite(value)) return "—";
  std::string digits = fmt::format("{:.{}f}", std::fabs(value), decimals);
  const auto point = digits.find('.');
  const std::size_t integer_end = point == std::string::npos ? digits.size() : point;
  std::string out;
  if (value < 0 && std::stod(digits) != 0.0) out.push_back('-');
  for (std::size_t i = 0; i < integer_end; ++i) {
    if (i > 0 && (integer_end - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  out.append(digits, integer_end);
  return out;
}

std::string format_significant(double value, int digits) {
  if (!std::isfinite(value)) return "—";
  const double a = std::fabs(value);
  if (a != 0.0 && (a >= 1e9 || a < 1e-4)) return fmt::format("{:.{}g}", value, digits);
  if (a < 1e-12) return "0";
  if (a >= std::pow(10.0, digits)) return format_grouped(value, 0);
  return fmt::format("{:.{}f}", value, decimals_for(a, digits));
}

void append_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
}

}  // namespace detail

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  detail::append_escaped(out, text);
  return out;
}

}  // namespace g2g::report

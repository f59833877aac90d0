// core::OptionalDouble: an optional double in the space of a double, a quiet NaN meaning "not
// set".
//
// std::optional<double> takes 16 bytes (the value, a flag and padding). model::Bus and
// model::Line hold optional values, and the largest benchmark holds a million of each
// (docs/benchmarks.md, the 1 GiB target at 1e6 buses), so their optional doubles use this type.
// The price: NaN cannot be stored as a value. Assigning NaN empties it. Model values are finite
// (the YAML, JSON and MATPOWER loaders reject NaN and infinity), so nothing representable is lost.
//
// The interface is the part of std::optional<double> the model's users call. It converts to
// std::optional<double> for functions written for that type.
#pragma once

#include <limits>
#include <optional>

namespace g2g::core {

class OptionalDouble {
 public:
  // Implicit conversions, as std::optional<double> has: `line.r_ohm = 0.1`, `= std::nullopt`.
  constexpr OptionalDouble() noexcept = default;
  constexpr OptionalDouble(std::nullopt_t) noexcept {}
  constexpr OptionalDouble(double value) noexcept : value_(value) {}  // NaN: empty

  constexpr operator std::optional<double>() const noexcept {
    return has_value() ? std::optional<double>(value_) : std::nullopt;
  }

  // NaN is the only value not equal to itself (the project is built without -ffast-math).
  [[nodiscard]] constexpr bool has_value() const noexcept { return value_ == value_; }
  constexpr explicit operator bool() const noexcept { return has_value(); }

  // The value; as for std::optional, only when has_value() (else NaN).
  [[nodiscard]] constexpr double operator*() const noexcept { return value_; }
  // The value, or std::bad_optional_access when empty.
  [[nodiscard]] constexpr double value() const {
    if (!has_value()) throw std::bad_optional_access();
    return value_;
  }
  [[nodiscard]] constexpr double value_or(double fallback) const noexcept {
    return has_value() ? value_ : fallback;
  }

  constexpr void reset() noexcept { value_ = empty; }

  // Equal when both are empty, or both hold the same value (as std::optional compares).
  friend constexpr bool operator==(OptionalDouble a, OptionalDouble b) noexcept {
    return a.has_value() ? a.value_ == b.value_ : !b.has_value();
  }
  friend constexpr bool operator==(OptionalDouble a, std::nullopt_t) noexcept {
    return !a.has_value();
  }

 private:
  static constexpr double empty = std::numeric_limits<double>::quiet_NaN();
  double value_ = empty;
};

static_assert(sizeof(OptionalDouble) == sizeof(double));

}  // namespace g2g::core

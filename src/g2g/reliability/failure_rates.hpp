// Failure rates (FIT) and repair times per element type, from data/reliability/failure_rates.yaml
// (compiled in), each with its source and tag (README.md there). docs/reliability.md,
// "Availability by architecture".
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace g2g::reliability {

inline constexpr double hours_per_fit = 1e9;  // FIT: failures per 1e9 device-hours

struct ElementFailureRate {
  std::string type;              // element type as the stages label it: "ups", "cable", ...
  double fit = 0.0;              // per unit (one module of a converter, one transformer)
  double fit_per_km = 0.0;       // conductors (cable, busbar, line): per km of route ...
  double termination_fit = 0.0;  // ... plus one termination at each end
  double mttr_h = 0.0;           // mean time to repair (or replace) one unit
  std::string tag;               // standard | measurement | vendor claim | assumption
  std::string source;
};

// Every entry of data/reliability/failure_rates.yaml, in file order. Read once; the file is ours
// and checked by tests, so a problem in it is an internal error.
[[nodiscard]] std::span<const ElementFailureRate> failure_rates();

// The entry of `type` in `table`, or nullptr when it has none ("no data").
[[nodiscard]] const ElementFailureRate* find_failure_rate(std::span<const ElementFailureRate> table,
                                                          std::string_view type) noexcept;

}  // namespace g2g::reliability

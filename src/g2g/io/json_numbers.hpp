// Numbers for the JSON documents of io/: JSON has no NaN or infinity, so a value that is not
// finite (a figure with no value) is written as null.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>

namespace g2g::io {

// `value` as a JSON number, or null when it is NaN or infinite.
nlohmann::json finite_or_null(double value);
// An absent value is null too.
nlohmann::json finite_or_null(const std::optional<double>& value);

}  // namespace g2g::io

#include "g2g/io/json_numbers.hpp"

#include <cmath>

namespace g2g::io {

nlohmann::json finite_or_null(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

nlohmann::json finite_or_null(const std::optional<double>& value) {
  return value ? finite_or_null(*value) : nlohmann::json(nullptr);
}

}  // namespace g2g::io

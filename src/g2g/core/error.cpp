#include "g2g/core/error.hpp"

#include <utility>

namespace g2g {

std::string_view to_string(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::invalid_input:
      return "invalid input";
    case ErrorKind::file:
      return "file";
    case ErrorKind::no_solution:
      return "no solution";
    case ErrorKind::integration:
      return "integration failed";
    case ErrorKind::internal:
      return "internal";
  }
  return "internal";
}

namespace {

std::string with_fix(const std::string& message, const std::string& fix) {
  return fix.empty() ? message : message + " (fix: " + fix + ")";
}

}  // namespace

Error::Error(ErrorKind kind, std::string message, std::string fix)
    : std::runtime_error(with_fix(message, fix)),
      kind_(kind),
      message_(std::move(message)),
      fix_(std::move(fix)) {}

InvalidInput::InvalidInput(std::string subject, std::string message, std::string fix)
    : Error(ErrorKind::invalid_input, std::move(message), std::move(fix)),
      subject_(std::move(subject)) {}

}  // namespace g2g

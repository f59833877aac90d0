// One base for every error grid2gpu reports, so that each shell maps an error to its own way of
// saying it one-to-one: the CLI to an exit code (apps/cli/common.hpp), the Python module to an
// exception type. A user mistake is never an internal error: throw a kind that says whose it is.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace g2g {

enum class ErrorKind {
  invalid_input,  // a model, data file, design or option the user can fix
  file,           // a file that cannot be read or written (path and the system's reason)
  no_solution,    // the physics has no answer: beyond maximum loadability, or diverging
  integration,    // the time-domain integration failed (dynamic::IntegrationError, with the
                  // residual and Jacobian diagnostics at the failing point)
  internal,       // a broken invariant inside grid2gpu: a bug to report
};

// "invalid input", "file", "no solution", "integration failed", "internal".
std::string_view to_string(ErrorKind kind) noexcept;

class Error : public std::runtime_error {
 public:
  // what() is the message, followed by " (fix: ...)" when a fix is given.
  Error(ErrorKind kind, std::string message, std::string fix = {});

  [[nodiscard]] ErrorKind kind() const noexcept { return kind_; }
  [[nodiscard]] const std::string& message() const noexcept { return message_; }
  [[nodiscard]] const std::string& fix() const noexcept { return fix_; }

 private:
  ErrorKind kind_;
  std::string message_;
  std::string fix_;
};

// A value outside what is accepted, named by `subject` (an option such as "--insulation", a
// field such as "voltage_drop_limit", or a function's argument).
class InvalidInput : public Error {
 public:
  InvalidInput(std::string subject, std::string message, std::string fix = {});
  [[nodiscard]] const std::string& subject() const noexcept { return subject_; }

 private:
  std::string subject_;
};

}  // namespace g2g

// Diagnostics: every problem found in an input names where it is and how to fix it.
#pragma once

#include <string>
#include <vector>

#include "g2g/core/error.hpp"

namespace g2g::core {

// A place in an input file. line and column are 1-based; 0 means unknown.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
  // Where in the document tree, for input without useful lines (a JSON model made from a Python
  // dict): "components[12].length". Empty when unknown; format_diagnostic does not print it.
  std::string path = {};
};

enum class Severity { error, warning };

struct Diagnostic {
  Severity severity = Severity::error;
  SourceLocation where;
  std::string message;  // what is wrong
  std::string fix;      // what to do about it (may be empty)
};

// "file:line:col: error: message (fix: ...)", the format compilers use, so editors can jump to it.
std::string format_diagnostic(const Diagnostic& diagnostic);

// Collects every problem rather than stopping at the first.
class DiagnosticList {
 public:
  void error(SourceLocation where, std::string message, std::string fix = {});
  void warning(SourceLocation where, std::string message, std::string fix = {});
  void add(Diagnostic diagnostic);
  void append(const DiagnosticList& other);

  [[nodiscard]] bool has_errors() const noexcept { return error_count_ > 0; }
  [[nodiscard]] std::size_t error_count() const noexcept { return error_count_; }
  [[nodiscard]] const std::vector<Diagnostic>& items() const noexcept { return items_; }
  [[nodiscard]] std::string to_string() const;  // one formatted diagnostic per line

 private:
  std::vector<Diagnostic> items_;
  std::size_t error_count_ = 0;
};

// Thrown when an input cannot be turned into a valid model; carries every diagnostic found
// (kind invalid_input; what() is the first diagnostic).
class ModelError : public Error {
 public:
  explicit ModelError(DiagnosticList diagnostics);
  [[nodiscard]] const DiagnosticList& diagnostics() const noexcept { return diagnostics_; }

 private:
  DiagnosticList diagnostics_;
};

}  // namespace g2g::core

#include "g2g/core/diagnostics.hpp"

#include <fmt/format.h>

#include "g2g/core/printable.hpp"

namespace g2g::core {

std::string format_diagnostic(const Diagnostic& diagnostic) {
  std::string place =
      diagnostic.where.file.empty() ? std::string("<input>") : diagnostic.where.file;
  if (diagnostic.where.line > 0) {
    place += fmt::format(":{}", diagnostic.where.line);
    if (diagnostic.where.column > 0) place += fmt::format(":{}", diagnostic.where.column);
  }
  const char* severity = diagnostic.severity == Severity::error ? "error" : "warning";
  // Messages quote the model's own text (ids, keys, values): printable, and bounded, here.
  std::string text =
      fmt::format("{}: {}: {}", printable(place), severity, printable(diagnostic.message));
  if (!diagnostic.fix.empty()) text += fmt::format(" (fix: {})", printable(diagnostic.fix));
  return text;
}

void DiagnosticList::error(SourceLocation where, std::string message, std::string fix) {
  add({Severity::error, std::move(where), std::move(message), std::move(fix)});
}

void DiagnosticList::warning(SourceLocation where, std::string message, std::string fix) {
  add({Severity::warning, std::move(where), std::move(message), std::move(fix)});
}

void DiagnosticList::add(Diagnostic diagnostic) {
  if (diagnostic.severity == Severity::error) ++error_count_;
  items_.push_back(std::move(diagnostic));
}

void DiagnosticList::append(const DiagnosticList& other) {
  for (const auto& item : other.items()) add(item);
}

std::string DiagnosticList::to_string() const {
  std::string text;
  for (const auto& item : items_) {
    text += format_diagnostic(item);
    text += '\n';
  }
  return text;
}

namespace {
std::string summary(const DiagnosticList& diagnostics) {
  if (diagnostics.items().empty()) return "invalid model";
  std::string text = format_diagnostic(diagnostics.items().front());
  if (diagnostics.error_count() > 1)
    text += fmt::format(" (and {} more errors)", diagnostics.error_count() - 1);
  return text;
}
}  // namespace

ModelError::ModelError(DiagnosticList diagnostics)
    : Error(ErrorKind::invalid_input, summary(diagnostics)), diagnostics_(std::move(diagnostics)) {}

}  // namespace g2g::core

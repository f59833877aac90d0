// Checks of a loader's diagnostics, shared by the model tests: the errors a text is rejected
// with, the diagnostic that mentions something, and where it points.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "g2g/core/diagnostics.hpp"
#include "g2g/model/loader.hpp"

namespace g2g::test {

// A model file read as YAML; throws core::ModelError as the loader does.
inline model::ModelSpec load_yaml_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return model::load_yaml(buffer.str(), path.string());
}

// The diagnostics `text` is rejected with, read as YAML (or JSON) named `file`; a test failure
// (and an empty list) when it loads.
inline core::DiagnosticList yaml_errors(const std::string& text,
                                        const std::string& file = "model.yaml") {
  try {
    (void)model::load_yaml(text, file);
  } catch (const core::ModelError& error) {
    return error.diagnostics();
  }
  ADD_FAILURE() << "expected the model to be rejected:\n" << text;
  return {};
}

inline core::DiagnosticList json_errors(const std::string& text,
                                        const std::string& file = "model.json") {
  try {
    (void)model::load_json(text, file);
  } catch (const core::ModelError& error) {
    return error.diagnostics();
  }
  ADD_FAILURE() << "expected the model to be rejected:\n" << text;
  return {};
}

// The first diagnostic whose message contains `needle`, or null.
inline const core::Diagnostic* find(const core::DiagnosticList& list, std::string_view needle) {
  for (const auto& d : list.items())
    if (d.message.find(needle) != std::string::npos) return &d;
  return nullptr;
}

// 1-based column of `needle` on line `line` (1-based) of `text`; -1 when it is not there.
inline int column_of(const std::string& text, int line, std::string_view needle) {
  std::istringstream in(text);
  std::string row;
  for (int i = 0; i < line; ++i) std::getline(in, row);
  const auto at = row.find(needle);
  return at == std::string::npos ? -1 : static_cast<int>(at) + 1;
}

// One diagnostic containing `needle`, in model.yaml at `line` and the column where `at` is
// written, whose fix contains `fix` (when given).
inline void expect_at(const std::string& text, const core::DiagnosticList& list,
                      std::string_view needle, int line, std::string_view at,
                      std::string_view fix = {}) {
  const core::Diagnostic* d = find(list, needle);
  ASSERT_NE(d, nullptr) << "no diagnostic containing '" << needle << "' in:\n" << list.to_string();
  EXPECT_EQ(d->where.file, "model.yaml");
  EXPECT_EQ(d->where.line, line) << d->message;
  EXPECT_EQ(d->where.column, column_of(text, line, at)) << d->message;
  if (!fix.empty()) {
    EXPECT_NE(d->fix.find(fix), std::string::npos) << d->fix;
  }
}

}  // namespace g2g::test

// The guard every ngspice test starts with. Header-only because it reports through GoogleTest,
// and test_support.cpp is also linked into bench/g2g_synth, which has no GoogleTest.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <string>

#include "support/test_support.hpp"

namespace g2g::test {

// The ngspice executable on PATH. ngspice is a required dependency of the validation tests
// (scripts/setup installs it), so when it is missing the calling test fails rather than skips:
// this records "ngspice not found: run scripts/setup" and returns an empty path. A test begins
//   if (test::require_ngspice().empty()) return;
inline std::filesystem::path require_ngspice() {
  CommandResult found = run_command("command -v ngspice");
  while (!found.output.empty() && std::isspace(static_cast<unsigned char>(found.output.back())))
    found.output.pop_back();
  if (found.exit_code != 0 || found.output.empty()) {
    ADD_FAILURE() << "ngspice not found: run scripts/setup (it installs ngspice)";
    return {};
  }
  return found.output;
}

}  // namespace g2g::test

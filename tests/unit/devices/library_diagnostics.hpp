// What the device-library parser says of a part file's text, shared by the library tests.
#pragma once

#include <string>

#include "g2g/core/diagnostics.hpp"
#include "g2g/devices/library.hpp"

namespace g2g::devices::fixtures {

// Every diagnostic of parsing `text` as "parts.yaml", one per line; "" when it parses.
inline std::string diagnostics_of(const std::string& text) {
  try {
    parse_device_library(text, "parts.yaml");
  } catch (const core::ModelError& e) {
    return e.diagnostics().to_string();
  }
  return {};
}

}  // namespace g2g::devices::fixtures

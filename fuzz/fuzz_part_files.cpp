// libFuzzer target for part files (data/devices/, a SPEC's device_library) and core-material
// files (data/materials/): any byte string fed to devices::parse_device_files and
// magnetics::parse_material_library must give parts or materials or throw core::ModelError.
// Anything else (another exception, a crash, a sanitizer report, a hang) is a bug. Corpus:
// fuzz/corpus-parts (the shipped part and material files).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/core/diagnostics.hpp"
#include "g2g/devices/library.hpp"
#include "g2g/magnetics/library.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    // With the shipped files beside it, as a device_library is read: duplicates across files too.
    std::vector<g2g::devices::DeviceFile> files = g2g::devices::default_device_files();
    files.push_back({"fuzz-parts.yaml", text});
    (void)g2g::devices::parse_device_files(files);
  } catch (const g2g::core::ModelError&) {
  }
  try {
    (void)g2g::magnetics::parse_material_library(text, "fuzz-materials.yaml");
  } catch (const g2g::core::ModelError&) {
  }
  return 0;
}

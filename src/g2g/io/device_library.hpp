// Reads a user directory of device part files (*.yaml, the format of data/devices/README.md) for
// models and the CLI. The library's built-in parts are devices::default_devices().
#pragma once

#include <filesystem>
#include <vector>

#include "g2g/devices/device.hpp"

namespace g2g::io {

// Every *.yaml / *.yml file of `dir` (in name order), parsed into one library. Throws FileError
// for an unreadable directory or file and core::ModelError (file:line:column) for a malformed
// part or a part name defined twice.
std::vector<devices::Device> read_device_library(const std::filesystem::path& dir);

// The built-in parts followed by those of `dir`; a part of `dir` with a built-in part's name
// replaces it, so users can correct a library value without editing data/devices/.
std::vector<devices::Device> read_device_library_over_defaults(const std::filesystem::path& dir);

}  // namespace g2g::io

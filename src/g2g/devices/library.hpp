// The device library: YAML part files (data/devices/*.yaml, format in data/devices/README.md)
// parsed into devices::Device, the copies of data/devices/ compiled into the library, and look-up
// by part name. No I/O here: io::read_device_library reads a user directory.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "g2g/devices/device.hpp"

namespace g2g::devices {

// Parses one part file (`parts:` list). Throws core::ModelError with every problem found, each
// at file:line:column (unknown keys with a "did you mean", wrong units, missing fields,
// unphysical values such as E_OSS > V Q_OSS).
std::vector<Device> parse_device_library(std::string_view yaml_text, const std::string& file_name);

// One part file's name and text.
struct DeviceFile {
  std::string name;
  std::string text;
};
// Parses several files into one library; a part name defined twice is an error naming both
// places. Throws core::ModelError with the diagnostics of every file.
std::vector<Device> parse_device_files(const std::vector<DeviceFile>& files);

// data/devices/*.yaml as compiled into the library (generated at build time).
std::vector<DeviceFile> default_device_files();
// The parsed default library (parsed once, on first use).
const std::vector<Device>& default_devices();

// The part called `name` (exact match), or nullptr.
const Device* find_device(const std::vector<Device>& library, std::string_view name);
// The closest part name for a "did you mean" (empty when nothing is close).
std::string closest_device_name(const std::vector<Device>& library, std::string_view name);

// The YAML text of `parts` in the library format (values with units), which
// parse_device_library reads back to the same values.
std::string format_device_library(const std::vector<Device>& parts);

// R_DS(on) temperature exponent from a datasheet ratio R(t_hot)/R(25 °C):
// x = ln(ratio) / ln((t_hot + 273.15) / 298.15).
double r_ds_on_exponent_from_ratio(double ratio, double t_hot_c) noexcept;

}  // namespace g2g::devices

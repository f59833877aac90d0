#include "g2g/io/device_library.hpp"

#include <algorithm>
#include <string>
#include <system_error>

#include "g2g/devices/library.hpp"
#include "g2g/io/files.hpp"

namespace g2g::io {

std::vector<devices::Device> read_device_library(const std::filesystem::path& dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> paths;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::filesystem::path& path = it->path();
    if (path.extension() == ".yaml" || path.extension() == ".yml") paths.push_back(path);
  }
  if (ec) throw FileError(dir, "read directory", ec.message());
  std::sort(paths.begin(), paths.end());
  std::vector<devices::DeviceFile> files;
  files.reserve(paths.size());
  for (const auto& path : paths) {
    // A part file is echoed in diagnostics: one that links out of the directory is not read.
    if (!resolves_inside(dir, path))
      throw FileError(path, "read",
                      "resolves outside the parts directory (a symbolic link?); copy the part "
                      "file into it");
    files.push_back({path.string(), read_text_file(path)});
  }
  return devices::parse_device_files(files);
}

std::vector<devices::Device> read_device_library_over_defaults(const std::filesystem::path& dir) {
  std::vector<devices::Device> library = devices::default_devices();
  for (devices::Device& part : read_device_library(dir)) {
    const auto same = std::find_if(library.begin(), library.end(),
                                   [&](const devices::Device& d) { return d.name == part.name; });
    if (same != library.end())
      *same = std::move(part);
    else
      library.push_back(std::move(part));
  }
  return library;
}

}  // namespace g2g::io

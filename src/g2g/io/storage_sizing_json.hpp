// The storage sizing study as JSON: the machine-readable output of `grid2gpu simulate
// --size-storage --json`. Every field is documented in docs/results-format.md, "Storage
// sizing"; change both together.
#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

#include "g2g/dynamic/storage_sizing.hpp"

namespace g2g::io {

// The value of the document's "grid2gpu_storage_sizing" key.
inline constexpr int storage_sizing_format_version = 1;

// SI units in the key names; per-rack figures divide the facility's by the gpu_rack loads.
[[nodiscard]] nlohmann::json storage_sizing_json(const dynamic::SizingResult& result);

// Written completely or not at all (write_file_atomic). Throws FileError.
void write_storage_sizing_json(const std::filesystem::path& path,
                               const dynamic::SizingResult& result);

}  // namespace g2g::io

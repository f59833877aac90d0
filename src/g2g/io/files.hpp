// File access for the CLI and the Python module. The library proper (model/, steady/) never
// touches files; this module is where paths become text and text becomes files.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "g2g/model/spec.hpp"

namespace g2g::io {

// Reads a whole file; throws std::runtime_error naming the path and the OS reason.
std::string read_text_file(const std::filesystem::path& path);

// Writes `content` to `path` completely or not at all: a temporary file in the same directory is
// written, flushed and renamed over the target. Creates missing parent directories.
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

// Reads a model file of any supported kind (.yaml/.yml, .json, .m), then validates it
// (model::validate_model and topology::check_topology). Throws core::ModelError with every
// problem found; warnings are returned in `warnings` when given.
model::ModelSpec read_model(const std::filesystem::path& path,
                            core::DiagnosticList* warnings = nullptr);

}  // namespace g2g::io

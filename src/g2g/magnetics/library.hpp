// The ferrite materials library: data/materials/*.yaml parsed into CoreMaterial, with every
// problem reported as file:line:col. The default library is compiled in at build time, so the
// engine needs no data directory at run time; users add their own files in the same format
// (data/materials/README.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "g2g/magnetics/magnetics.hpp"

namespace g2g::magnetics {

// A library file's name and text.
struct MaterialFile {
  std::string name;
  std::string text;
};

// Parses one library file. Throws core::ModelError carrying every problem found (YAML syntax,
// unknown keys with a "did you mean", wrong units, missing or out-of-range fields, duplicate
// names), each with file:line:column.
std::vector<CoreMaterial> parse_material_library(std::string_view yaml_text,
                                                 const std::string& file_name);

// The files of data/materials/ as compiled into the library (generated at build time).
std::vector<MaterialFile> default_material_files();

// All materials of data/materials/, parsed once.
const std::vector<CoreMaterial>& default_materials();

// The material called `name` (exact match first, then case-insensitive), or nullptr.
const CoreMaterial* find_material(const std::vector<CoreMaterial>& materials,
                                  std::string_view name) noexcept;
// The same in default_materials().
const CoreMaterial* find_material(std::string_view name) noexcept;

}  // namespace g2g::magnetics

// Reads the conductor-sizing tables (data/*.csv, docs/sizing.md) from a directory, for
// `grid2gpu size --tables DIR`. The library's built-in copies are sizing::default_tables().
#pragma once

#include <filesystem>

#include "g2g/sizing/tables.hpp"

namespace g2g::io {

// Reads every file of sizing::table_file_names from `dir` and parses them. Throws FileError for
// an unreadable file and core::ModelError (file:line:column) for a malformed table.
sizing::Tables read_sizing_tables(const std::filesystem::path& dir);

}  // namespace g2g::io

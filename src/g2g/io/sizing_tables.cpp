#include "g2g/io/sizing_tables.hpp"

#include <string>
#include <vector>

#include "g2g/io/files.hpp"

namespace g2g::io {

sizing::Tables read_sizing_tables(const std::filesystem::path& dir) {
  std::vector<sizing::TableFile> files;
  for (const std::string_view name : sizing::table_file_names) {
    const std::filesystem::path path = dir / name;
    files.push_back({path.string(), read_text_file(path)});
  }
  // Diagnostics name the full path; parse_tables matches files by their base name.
  return sizing::parse_tables(files);
}

}  // namespace g2g::io

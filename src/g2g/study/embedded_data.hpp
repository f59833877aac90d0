// The study's data files compiled into the library (src/g2g/CMakeLists.txt generates the
// definitions from data/assumptions/*.yaml and data/claims/*.yaml), so the default comparison
// needs no file beside the program. Edit the YAML files, not the generated source.
#pragma once

#include <span>
#include <string_view>

namespace g2g::study {

struct EmbeddedFile {
  std::string_view name;  // "data/assumptions/ac-modern.yaml"
  std::string_view text;
};

std::span<const EmbeddedFile> embedded_assumption_files();
std::span<const EmbeddedFile> embedded_claim_files();

}  // namespace g2g::study

// The reliability data of data/reliability/ (compiled in): acceleration-model defaults and the
// failure rates and repair times per element type, each with its source and tag (README.md
// there).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "g2g/reliability/qualification.hpp"

namespace g2g::reliability {

struct EmbeddedFile {
  std::string_view name;
  std::string_view text;
};
std::span<const EmbeddedFile> embedded_data_files();

// The default of an acceleration parameter ("arrhenius.activation_energy_ev",
// "peck.activation_energy_ev", "peck.humidity_exponent", "coffin_manson.exponent") from
// data/reliability/acceleration.yaml, with its source and tag. Throws an internal error for a
// key the file lacks.
[[nodiscard]] SourcedValue default_parameter(std::string_view key);

}  // namespace g2g::reliability

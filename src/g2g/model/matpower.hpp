// MATPOWER case files (.m, format version 2) -> ModelSpec: baseMVA, bus, gen, branch, with loads,
// shunts, PV/PQ/slack buses, line charging, transformer taps and phase shift.
#pragma once

#include <string>
#include <string_view>

#include "g2g/model/spec.hpp"

namespace g2g::model {

// Throws core::ModelError (with line and column) on anything it cannot read.
ModelSpec import_matpower(std::string_view text, const std::string& file_name);

}  // namespace g2g::model

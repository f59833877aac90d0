// Converters given by a physics design in a model (`design: FILE`, `modules: N`): reads each SPEC
// file (relative to the model file), evaluates the design over load at the converter's nominal
// voltages and fills Converter::efficiency, so the power flow uses the physics losses
// (docs/converters.md, "In a model").
#pragma once

#include <filesystem>

#include "g2g/model/spec.hpp"

namespace g2g::io {

// Fills the efficiency of every converter with a design_file. Throws core::ModelError naming the
// converter (file:line:col) and the problem: an unreadable SPEC, a SPEC error (with the SPEC's
// own file:line:col), an unknown part, or an operating point the design cannot reach.
void resolve_converter_designs(model::ModelSpec& model, const std::filesystem::path& model_dir);

}  // namespace g2g::io

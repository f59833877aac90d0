// Converters given by a physics design in a model (`design: FILE`, `modules: N`): reads each SPEC
// file (relative to the model file), evaluates the design over load at the converter's nominal
// voltages and fills Converter::efficiency, so the power flow uses the physics losses
// (docs/converters.md, "In a model").
#pragma once

#include <filesystem>
#include <map>
#include <span>
#include <tuple>
#include <vector>

#include "g2g/converters/chain.hpp"
#include "g2g/converters/spec_loader.hpp"
#include "g2g/model/spec.hpp"

namespace g2g::io {

// A SPEC file with everything it names read in: a design (with its own parts, when it names a
// device_library), or a chain with its stages' SPEC files, recursively.
struct LoadedConverterSpec {
  converters::Assembly assembly;
  std::vector<converters::PublishedPoint> published;
};

// Reads a SPEC file. Every path a SPEC names (stage designs, device_library) is relative to that
// SPEC and must stay inside its directory: converters::check_spec_path, then the resolved path
// (after symbolic links) is checked again. `devices_override`, when not empty, is a directory of
// parts used by every design instead of the SPECs' own device_library. Throws core::ModelError
// with file:line:col (a stage's problem at the stage, then the stage SPEC's own diagnostics) and
// FileError when the top SPEC cannot be read.
LoadedConverterSpec load_converter_spec(const std::filesystem::path& path,
                                        const std::filesystem::path& devices_override = {});

// Fills the efficiency of every converter with a design_file, a path relative to `model_dir`
// that must resolve inside it or inside one of `allowed` (reference_problem). Throws
// core::ModelError naming the converter (file:line:col) and the problem: a SPEC outside those
// directories, an unreadable SPEC, a SPEC error (with the SPEC's own file:line:col), an unknown
// part, or an operating point the design cannot reach.
void resolve_converter_designs(model::ModelSpec& model, const std::filesystem::path& model_dir,
                               std::span<const std::filesystem::path> allowed = {});

// The SPEC files resolve_converter_designs has read and the curves it has evaluated, kept from
// one call to the next by a caller that resolves the designs of many models from one directory
// (api::CachingDesignFiles, for a sweep's scenarios): each SPEC is read once, and each curve
// (design, installed units and rating, voltages) evaluated once. A file changed after it was
// read is not read again. Not for use by two threads at once.
struct ConverterDesignCache {
  std::map<std::filesystem::path, converters::Assembly> designs;
  using CurveKey = std::tuple<std::filesystem::path, int, double, double, double>;
  std::map<CurveKey, std::vector<model::EfficiencyPoint>> curves;
};
void resolve_converter_designs(model::ModelSpec& model, const std::filesystem::path& model_dir,
                               std::span<const std::filesystem::path> allowed,
                               ConverterDesignCache& cache);

}  // namespace g2g::io

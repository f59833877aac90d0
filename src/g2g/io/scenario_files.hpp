// The scenario of `grid2gpu simulate` from disk: the scenario file and the measured traces it
// names, each resolved against the scenario's folder and refused when it resolves outside it
// (or the user's --allow-path folders) through '..' or a symbolic link (docs/security.md).
// Parsing lives in dynamic/scenario; this is the file access at the edge.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "g2g/dynamic/scenario.hpp"

namespace g2g::io {

// Throws FileError when a file cannot be read and core::ModelError with every problem of the
// scenario (a trace outside the allowed folders at its `file:` key).
[[nodiscard]] dynamic::Scenario read_scenario(const std::filesystem::path& path,
                                              std::span<const std::filesystem::path> allowed = {});

// A scenario given as text (the Python module's): `name` names it in messages; its traces
// resolve in `trace_dir` under the same rules, and with no trace_dir a trace is an error at its
// `file:` key (text has no folder of its own).
[[nodiscard]] dynamic::Scenario read_scenario_text(
    std::string_view text, const std::string& name,
    const std::optional<std::filesystem::path>& trace_dir,
    std::span<const std::filesystem::path> allowed = {});

}  // namespace g2g::io

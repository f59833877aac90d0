// The study's files from disk: a study file with the models it names (paths relative to it and
// confined to its directory), assumption-set directories and claims files. Parsing lives in
// study/; this is the file access at the edge.
#pragma once

#include <filesystem>
#include <vector>

#include "g2g/study/assumptions.hpp"
#include "g2g/study/claims.hpp"
#include "g2g/study/study_file.hpp"

namespace g2g::io {

// Reads and parses a study file; its `architectures` become paths resolved against the study
// file's directory. A path that is absolute, leaves that directory ('..') or resolves outside
// it through a link is refused (core::ModelError at the path). Throws FileError when the file
// cannot be read.
study::StudySpec read_study(const std::filesystem::path& path);

// Every *.yaml assumption set in `dir` (sorted by file name). Throws FileError or
// core::ModelError with every problem.
std::vector<study::AssumptionSet> read_assumption_sets(const std::filesystem::path& dir);

// A claims file (`grid2gpu_claims: 1`).
std::vector<study::ClaimSpec> read_claims(const std::filesystem::path& path);

}  // namespace g2g::io

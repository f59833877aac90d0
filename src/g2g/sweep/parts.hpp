// A sweep's files (docs/sweep.md, "Output"): each batch's rows as DIR/parts/part-NNNNNN.csv,
// written atomically; the parts merged into DIR/results.csv (one row per scenario in index
// order) and DIR/timing.csv. Numbers are written round-trip exact in their shortest form, so the
// same rows give the same bytes whichever back-end, batch partition or thread wrote them.
#pragma once

#include <cstddef>
#include <filesystem>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "g2g/sweep/evaluate.hpp"
#include "g2g/sweep/plan.hpp"

namespace g2g::sweep {

// results.csv's header: index, id, architecture, the parameter columns, the outputs,
// error_kind, error_message, error_location.
std::vector<std::string> result_columns(const Plan& plan);

// A number as results.csv writes it: the shortest text that reads back to the same double
// ("0.1", "1.5e+06"); NaN as an empty field.
std::string format_number(double value);

// Writes DIR/parts/part-NNNNNN.csv (`part_number` with six digits or more) atomically: the
// result columns, then `seconds` and `thread`. Throws io::FileError.
void write_part(const std::filesystem::path& dir, std::size_t part_number, const Plan& plan,
                std::span<const Row> rows, std::size_t thread = 0);

// The largest part number in DIR/parts, or nothing when there is no part.
std::optional<std::size_t> last_part_number(const std::filesystem::path& dir);

// The ids of the scenarios that have a row in DIR/parts (for --resume). Throws io::FileError
// for a part that cannot be read, InvalidInput for one that is not a part of this sweep.
std::set<std::string> completed_ids(const std::filesystem::path& dir, const Plan& plan);

// Gets DIR ready for a run of `plan`, for every back-end: results.csv and timing.csv may not be
// one of the plan's inputs (io::check_output_is_not_input), and DIR/parts must hold no part
// unless `resume`. Returns the ids DIR/parts holds rows of (none without `resume`). Throws
// io::FileError, and InvalidInput for parts without `resume` or parts of another sweep.
std::set<std::string> prepare_output(const std::filesystem::path& dir, const Plan& plan,
                                     bool resume);

// Merges DIR/parts into DIR/results.csv and DIR/timing.csv (index, id, part, thread, seconds),
// both atomically. A scenario whose id has a row under another index (the same model and
// values twice) takes that row. Throws InvalidInput when a scenario has no row yet (resume the
// sweep) or a part belongs to another sweep, io::FileError when a file cannot be read or written.
void merge(const std::filesystem::path& dir, const Plan& plan);

// The fields of one CSV text (RFC 4180: quoted fields may hold commas, quotes and line breaks).
// Throws InvalidInput naming `file` for an unterminated quote.
std::vector<std::vector<std::string>> read_csv(std::string_view text, const std::string& file);

}  // namespace g2g::sweep

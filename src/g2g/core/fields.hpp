// The configuration toolkit, independent of any parser: typo suggestions, typed key tables, range
// checks, and every message a configuration reader gives (unknown or repeated key, missing key,
// unreadable value, value out of range), worded once. Each reader pairs it with its tree: the
// model builder with its own Document (model/builder.hpp), the device, material, SPEC and study
// readers with yaml-cpp (core/yaml_fields.hpp). docs/core.md, "Configuration files".
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "g2g/core/units.hpp"

namespace g2g::core {

// ---- Typo suggestions ---------------------------------------------------------------------

// The candidate closest to `word` by edit distance (with transpositions), or empty when none is
// close enough to be a plausible typo (about one edit in three letters). `word` itself is skipped.
std::string closest_match(std::string_view word, std::span<const std::string_view> candidates);
std::string closest_match(std::string_view word, std::span<const std::string> candidates);
// "did you mean 'x'?", or `otherwise` when nothing is close.
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates,
                         std::string_view otherwise);
// "a, b, c".
std::string join_names(std::span<const std::string_view> names);

// ---- Typed keys ---------------------------------------------------------------------------

// A range a number must be in; checked after the unit.
enum class Check : std::uint8_t {
  none,
  positive,       // > 0
  non_negative,   // >= 0
  fraction,       // (0, 1]
  unit_interval,  // [0, 1]
};

// One key of a map in a configuration file. A quantity's unit comes from `dimension`; a bare
// number is SI (core::parse_quantity).
struct Field {
  std::string_view key;
  Dimension dimension = Dimension::dimensionless;
  bool required = false;
  Check check = Check::none;
  std::string_view help;     // what it is, for "has no" messages
  std::string_view example;  // a value, for "add 'key: example'"; empty: the dimension's example
};

// A key with no unit (text, a flag, a list or a map): read by kind, not by dimension.
constexpr Field key(std::string_view name, bool required = false, std::string_view help = {},
                    std::string_view example = {}) {
  return {name, Dimension::dimensionless, required, Check::none, help, example};
}
constexpr Field quantity_key(std::string_view name, Dimension dimension, bool required = false,
                             Check check = Check::none, std::string_view help = {},
                             std::string_view example = {}) {
  return {name, dimension, required, check, help, example};
}

// ---- Messages -----------------------------------------------------------------------------

// What a reader reports, and how to fix it. `what` names the map ("cable 'c1'", "part
// 'EPC2218'", "converter"); empty at the top of a file.
struct Problem {
  std::string message;
  std::string fix;
};

// "{what}: {text}", or `text` when `what` is empty.
std::string qualify(std::string_view what, std::string_view text);

// "{what}: unknown key 'lenght'" with "did you mean 'length'?", else the keys of `map_name`.
Problem unknown_key(std::string_view what, std::string_view key,
                    std::span<const std::string_view> known, std::string_view map_name = {});
// "{what}: key 'x' is given twice".
Problem duplicate_key(std::string_view what, std::string_view key);
// "{what} has no 'x' (help)" with "add 'x: example'".
Problem missing_key(std::string_view what, std::string_view key, std::string_view example,
                    std::string_view help = {});
Problem missing_key(std::string_view what, const Field& field);
// "{what}: {key}: <why the unit parser refused it>".
Problem bad_quantity(std::string_view what, std::string_view key, const UnitError& error);
// "{what}: {key} must be greater than zero, got -1 V", or nothing when `value` passes `check`.
std::optional<Problem> check_range(std::string_view what, std::string_view key, double value,
                                   std::string_view written, Check check);
// "{what}: '{key}' is a list, but a value is expected here" (`found`: "a list", "empty", ...).
Problem not_a_value(std::string_view what, std::string_view key, std::string_view found,
                    std::string_view example);
// "{what}: {key} must be a whole number, got 'x'" / "must be at least 1, got 0".
Problem bad_integer(std::string_view what, std::string_view key, std::string_view written,
                    std::int64_t min);
// "{what}: {key} must be true or false, got 'x'".
Problem bad_boolean(std::string_view what, std::string_view key, std::string_view written);
// "{what}: {key} 'x' is not one of: a, b" with a "did you mean".
Problem bad_choice(std::string_view what, std::string_view key, std::string_view written,
                   std::span<const std::string_view> choices);

// A field's example value: its own, or its dimension's ("800 V").
std::string example_of(const Field& field);

// Reads `written` as a quantity of `dimension` within `check`; nullopt and `problem` set when it
// cannot be. The value reading of every reader but the model builder, which adds a unit cache.
std::optional<double> read_quantity(std::string_view written, Dimension dimension, Check check,
                                    std::string_view what, std::string_view key, Problem& problem);
// A whole number >= `min`.
std::optional<std::int64_t> read_integer(std::string_view written, std::int64_t min,
                                         std::string_view what, std::string_view key,
                                         Problem& problem);

}  // namespace g2g::core

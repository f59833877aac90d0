#include "g2g/core/fields.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <vector>

namespace g2g::core {
namespace {

// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), giving up once
// it exceeds `limit`: the model builder asks this for every dangling bus id of a large file.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  const std::size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > limit) return limit + 1;
  std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
  for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    current[0] = i;
    std::size_t row_min = current[0];
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        current[j] = std::min(current[j], before[j - 2] + 1);
      row_min = std::min(row_min, current[j]);
    }
    if (row_min > limit) return limit + 1;
    before.swap(previous);
    previous.swap(current);
  }
  return previous[m];
}

template <typename Range>
std::string closest_in(std::string_view word, const Range& candidates) {
  // About one edit in three characters, at least one: "lenght" -> "length".
  const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  std::size_t best = limit + 1;
  std::string_view best_name;
  for (const auto& candidate : candidates) {
    const std::string_view name(candidate);
    if (name == word) continue;
    const std::size_t distance = edit_distance(word, name, std::min(limit, best));
    if (distance < best) {
      best = distance;
      best_name = name;
    }
  }
  return std::string(best_name);
}

}  // namespace

std::string closest_match(std::string_view word, std::span<const std::string_view> candidates) {
  return closest_in(word, candidates);
}

std::string closest_match(std::string_view word, std::span<const std::string> candidates) {
  return closest_in(word, candidates);
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates,
                         std::string_view otherwise) {
  const std::string match = closest_match(word, candidates);
  if (match.empty()) return std::string(otherwise);
  return fmt::format("did you mean '{}'?", match);
}

std::string join_names(std::span<const std::string_view> names) {
  std::string all;
  for (const std::string_view name : names) {
    if (!all.empty()) all += ", ";
    all += name;
  }
  return all;
}

std::string qualify(std::string_view what, std::string_view text) {
  if (what.empty()) return std::string(text);
  return fmt::format("{}: {}", what, text);
}

Problem unknown_key(std::string_view what, std::string_view key,
                    std::span<const std::string_view> known, std::string_view map_name) {
  const std::string all = join_names(known);
  return {qualify(what, fmt::format("unknown key '{}'", key)),
          did_you_mean(key, known,
                       map_name.empty() ? fmt::format("the keys are: {}", all)
                                        : fmt::format("the keys of {} are: {}", map_name, all))};
}

Problem duplicate_key(std::string_view what, std::string_view key) {
  return {qualify(what, fmt::format("key '{}' is given twice", key)), "keep one of them"};
}

Problem missing_key(std::string_view what, std::string_view key, std::string_view example,
                    std::string_view help) {
  std::string message =
      what.empty() ? fmt::format("missing '{}'", key) : fmt::format("{} has no '{}'", what, key);
  std::string fix = fmt::format("add '{}: {}'", key, example.empty() ? "..." : example);
  if (!help.empty()) fix += fmt::format(" ({})", help);
  return {std::move(message), std::move(fix)};
}

Problem missing_key(std::string_view what, const Field& field) {
  return missing_key(what, field.key, example_of(field), field.help);
}

Problem bad_quantity(std::string_view what, std::string_view key, const UnitError& error) {
  return {qualify(what, fmt::format("{}: {}", key, error.message)), error.fix};
}

std::optional<Problem> check_range(std::string_view what, std::string_view key, double value,
                                   std::string_view written, Check check) {
  std::string_view problem, wanted;
  switch (check) {
    case Check::none:
      return std::nullopt;
    case Check::positive:
      if (value > 0.0) return std::nullopt;
      problem = "must be greater than zero";
      wanted = "greater than zero";
      break;
    case Check::non_negative:
      if (value >= 0.0) return std::nullopt;
      problem = "must not be negative";
      wanted = "of zero or more";
      break;
    case Check::fraction:
      if (value > 0.0 && value <= 1.0) return std::nullopt;
      problem = value > 1.0 ? "must not exceed 1 (100 %)" : "must be greater than zero";
      wanted = "above 0 and at most 1 (100 %)";
      break;
    case Check::unit_interval:
      if (value >= 0.0 && value <= 1.0) return std::nullopt;
      problem = "must be between 0 and 1";
      wanted = "between 0 and 1";
      break;
  }
  return Problem{qualify(what, fmt::format("{} {}, got {}", key, problem, written)),
                 fmt::format("give {} a value {}", key, wanted)};
}

Problem not_a_value(std::string_view what, std::string_view key, std::string_view found,
                    std::string_view example) {
  return {qualify(what, fmt::format("'{}' is {}, but a value is expected here", key, found)),
          fmt::format("write e.g. '{}: {}'", key, example.empty() ? "..." : example)};
}

Problem bad_integer(std::string_view what, std::string_view key, std::string_view written,
                    std::int64_t min) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(written.data(), written.data() + written.size(), value);
  if (ec == std::errc() && end == written.data() + written.size() && value < min)
    return {qualify(what, fmt::format("{} must be at least {}, got {}", key, min, value)),
            fmt::format("give {} a value of {} or more", key, min)};
  return {qualify(what, fmt::format("{} must be a whole number, got '{}'", key, written)),
          fmt::format("write e.g. '{}: {}'", key, std::max<std::int64_t>(min, 1))};
}

Problem bad_boolean(std::string_view what, std::string_view key, std::string_view written) {
  return {qualify(what, fmt::format("{} must be true or false, got '{}'", key, written)),
          fmt::format("write '{}: true' or '{}: false'", key, key)};
}

Problem bad_choice(std::string_view what, std::string_view key, std::string_view written,
                   std::span<const std::string_view> choices) {
  const std::string all = join_names(choices);
  return {qualify(what, fmt::format("{} '{}' is not one of: {}", key, written, all)),
          did_you_mean(written, choices, fmt::format("write one of: {}", all))};
}

std::string example_of(const Field& field) {
  if (!field.example.empty()) return std::string(field.example);
  const std::string example(dimension_example(field.dimension));
  return example.substr(0, example.find(" or "));
}

std::optional<double> read_quantity(std::string_view written, Dimension dimension, Check check,
                                    std::string_view what, std::string_view key, Problem& problem) {
  const ParsedQuantity parsed = parse_quantity(written, dimension);
  if (!parsed.ok) {
    problem = bad_quantity(what, key, parsed.error);
    return std::nullopt;
  }
  if (auto out_of_range = check_range(what, key, parsed.value, written, check)) {
    problem = std::move(*out_of_range);
    return std::nullopt;
  }
  return parsed.value;
}

std::optional<std::int64_t> read_integer(std::string_view written, std::int64_t min,
                                         std::string_view what, std::string_view key,
                                         Problem& problem) {
  std::string_view digits = written;
  while (!digits.empty() && digits.front() == ' ') digits.remove_prefix(1);
  while (!digits.empty() && digits.back() == ' ') digits.remove_suffix(1);
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec == std::errc() && end == digits.data() + digits.size() && !digits.empty() && value >= min)
    return value;
  problem = bad_integer(what, key, digits, min);
  return std::nullopt;
}

}  // namespace g2g::core

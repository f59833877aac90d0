// The document tree shared by the loaders, and the typo suggestions used in diagnostics.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "g2g/model/builder.hpp"

namespace g2g::model::detail {

Document::Document(std::string file, std::string_view source, Positions positions)
    : file_(std::move(file)), source_(source), positions_(positions) {}

const char* Document::keep(std::string_view text) {
  constexpr std::size_t chunk = 64 * 1024;
  if (storage_.empty() || text.size() > storage_size_ - storage_used_) {
    storage_size_ = std::max(chunk, text.size());
    storage_.push_back(std::make_unique<char[]>(storage_size_));
    storage_used_ = 0;
  }
  char* at = storage_.back().get() + storage_used_;
  std::copy(text.begin(), text.end(), at);
  storage_used_ += text.size();
  return at;
}

core::SourceLocation Document::offset_location(std::size_t offset) const {
  if (line_starts_.empty()) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < source_.size(); ++i)
      if (source_[i] == '\n') line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
  }
  offset = std::min(offset, source_.size());
  const auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<std::size_t>(next - line_starts_.begin());  // 1-based
  const std::size_t column = offset - line_starts_[line - 1] + 1;
  return {file_, static_cast<int>(line), static_cast<int>(column)};
}

// Records where each value (and its key) starts, in document order, which is the order of
// `nodes`. The text is known to be valid JSON by now, so the scan only skips tokens.
void Document::scan_json_positions() const {
  constexpr auto none = std::numeric_limits<std::uint32_t>::max();
  value_offsets_.reserve(nodes.size());
  key_offsets_.reserve(nodes.size());
  const std::string_view s = source_;
  std::size_t at = 0;
  auto space = [&] {
    while (at < s.size() && (s[at] == ' ' || s[at] == '\t' || s[at] == '\n' || s[at] == '\r')) ++at;
  };
  auto skip_string = [&] {
    const std::size_t start = ++at;
    while (true) {
      const void* quote = std::memchr(s.data() + at, '"', s.size() - at);
      if (quote == nullptr) {
        at = s.size();
        return;
      }
      const auto end = static_cast<std::size_t>(static_cast<const char*>(quote) - s.data());
      std::size_t backslashes = 0;
      while (end - backslashes > start && s[end - backslashes - 1] == '\\') ++backslashes;
      at = end + 1;
      if (backslashes % 2 == 0) return;  // not an escaped quote
    }
  };
  std::uint32_t pending_key = none;
  // Containers still open: true for an object.
  std::vector<bool> open;
  space();
  while (at < s.size()) {
    // At a value.
    value_offsets_.push_back(static_cast<std::uint32_t>(at));
    key_offsets_.push_back(pending_key);
    pending_key = none;
    const char c = s[at];
    if (c == '{' || c == '[') {
      open.push_back(c == '{');
      ++at;
      space();
      if (at < s.size() && (s[at] == '}' || s[at] == ']')) {
        open.pop_back();
        ++at;
      } else if (open.back()) {
        pending_key = static_cast<std::uint32_t>(at);
        skip_string();
        space();
        ++at;  // ':'
        space();
        continue;
      } else {
        continue;
      }
    } else if (c == '"') {
      skip_string();
    } else {
      while (at < s.size() && s[at] != ',' && s[at] != '}' && s[at] != ']' && s[at] != ' ' &&
             s[at] != '\n' && s[at] != '\r' && s[at] != '\t')
        ++at;
    }
    // After a value: close containers, or move to the next member or item.
    while (true) {
      space();
      if (open.empty() || at >= s.size()) return;
      if (s[at] == ',') {
        ++at;
        space();
        if (open.back()) {
          pending_key = static_cast<std::uint32_t>(at);
          skip_string();
          space();
          ++at;  // ':'
          space();
        }
        break;
      }
      ++at;  // '}' or ']'
      open.pop_back();
    }
  }
}

core::SourceLocation Document::location(const Node& node) const {
  const auto index = static_cast<std::size_t>(&node - nodes.data());
  if (positions_ == Positions::lines) {
    if (index >= positions.size()) return {file_, 0, 0};
    return {file_, static_cast<int>(positions[index].line), positions[index].column};
  }
  if (value_offsets_.empty()) scan_json_positions();
  if (index >= value_offsets_.size()) return {file_, 0, 0};
  return offset_location(value_offsets_[index]);
}

core::SourceLocation Document::key_location(const Node& node) const {
  if (node.key == nullptr) return location(node);
  const auto index = static_cast<std::size_t>(&node - nodes.data());
  if (positions_ == Positions::lines) {
    if (index >= positions.size()) return {file_, 0, 0};
    return {file_, static_cast<int>(positions[index].key_line), positions[index].key_column};
  }
  if (value_offsets_.empty()) scan_json_positions();
  if (index >= key_offsets_.size() ||
      key_offsets_[index] == std::numeric_limits<std::uint32_t>::max())
    return location(node);
  return offset_location(key_offsets_[index]);
}

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// YAML 1.2 core schema float/int (decimal only): [-+]? ( \.[0-9]+ | [0-9]+ ( \. [0-9]* )? )
// ( [eE] [-+]? [0-9]+ )?, plus .inf and .nan, which are numbers the builder then rejects.
bool looks_like_number(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  const std::string_view rest = s.substr(i);
  if (rest == ".inf" || rest == ".Inf" || rest == ".INF") return true;
  if (i == 0 && (s == ".nan" || s == ".NaN" || s == ".NAN")) return true;
  std::size_t digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t exponent_digits = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  return i == s.size();
}

// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), giving up once
// it exceeds `limit`.
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
  // Allow about one edit in three characters, at least one: "lenght" -> "length".
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

NodeType classify_plain_scalar(std::string_view text) noexcept {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
    return NodeType::null;
  if (text == "true" || text == "True" || text == "TRUE" || text == "false" || text == "False" ||
      text == "FALSE")
    return NodeType::boolean;
  if (looks_like_number(text)) return NodeType::number;
  return NodeType::string;
}

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

}  // namespace g2g::model::detail

// The document tree shared by the loaders.

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "g2g/model/builder.hpp"

namespace g2g::model::detail {

Document::Document(std::string file, std::string_view source, Positions positions)
    : file_(std::move(file)), source_(source), positions_(positions) {
  // Offsets become lines and columns for every element read, so the line index is made now,
  // once (and is then only read, also by several threads).
  if (positions_ != Positions::offsets) return;
  line_starts_.push_back(0);
  for (const char *at = source_.data(), *end = at + source_.size();;) {
    at = static_cast<const char*>(std::memchr(at, '\n', static_cast<std::size_t>(end - at)));
    if (at == nullptr) break;
    ++at;
    line_starts_.push_back(static_cast<std::uint32_t>(at - source_.data()));
  }
}

const char* Document::keep(std::string_view text) {
  constexpr std::size_t chunk = std::size_t{64} * 1024;
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

Where Document::offset_where(std::size_t offset, std::size_t& cursor) const {
  if (line_starts_.empty()) return {1, static_cast<std::int32_t>(offset + 1)};
  offset = std::min(offset, source_.size());
  auto holds = [&](std::size_t line) {
    return line_starts_[line] <= offset &&
           (line + 1 == line_starts_.size() || offset < line_starts_[line + 1]);
  };
  // Try the cursor's line and the few after it before searching.
  constexpr std::size_t nearby = 8;
  std::size_t line = std::min(cursor, line_starts_.size() - 1);
  const std::size_t last_tried = std::min(line + nearby, line_starts_.size() - 1);
  while (line < last_tried && !holds(line)) ++line;
  if (!holds(line)) {
    const auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    line = static_cast<std::size_t>(next - line_starts_.begin()) - 1;
  }
  cursor = line;
  return {static_cast<std::int32_t>(line + 1),
          static_cast<std::int32_t>(offset - line_starts_[line] + 1)};
}

core::SourceLocation Document::offset_location(std::size_t offset) const {
  std::size_t cursor = 0;
  const Where at = offset_where(offset, cursor);
  return {file_, at.line, at.column};
}

// A key is written just before its value: `"key" : value`. The text is valid JSON here, so
// stepping back over spaces, the colon and the closing quote leads into the key, whose opening
// quote is the first one not escaped by an odd run of backslashes.
std::size_t Document::key_offset(std::size_t value_offset) const {
  const std::string_view s = source_;
  std::size_t at = std::min(value_offset, s.size());
  auto back_over_space = [&] {
    while (at > 0 &&
           (s[at - 1] == ' ' || s[at - 1] == '\t' || s[at - 1] == '\n' || s[at - 1] == '\r'))
      --at;
  };
  back_over_space();
  if (at == 0 || s[at - 1] != ':') return value_offset;
  --at;
  back_over_space();
  if (at == 0 || s[at - 1] != '"') return value_offset;
  --at;  // at the closing quote
  while (at > 0) {
    --at;
    if (s[at] != '"') continue;
    std::size_t backslashes = 0;
    while (at > backslashes && s[at - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return at;
  }
  return value_offset;
}

Where Document::where(const Node& node, std::size_t& cursor) const {
  const auto index = static_cast<std::size_t>(&node - nodes.data());
  if (positions_ == Positions::lines) {
    if (index >= positions.size()) return {};
    return {static_cast<std::int32_t>(positions[index].line), positions[index].column};
  }
  if (index >= offsets.size()) return {};
  return offset_where(offsets[index], cursor);
}

core::SourceLocation Document::location(const Node& node) const {
  std::size_t cursor = 0;
  const Where at = where(node, cursor);
  if (positions_ == Positions::lines) return {file_, at.line, at.column};
  return {file_, at.line, at.column, path_of(static_cast<std::size_t>(&node - nodes.data()))};
}

std::string Document::path_of(std::size_t index) const {
  std::string path;
  std::uint32_t at = 0;
  // Children partition (container, end): step down into the one that holds `index`.
  while (at != index && at < nodes.size() && nodes[at].is_container() && index < nodes[at].end) {
    const bool in_map = nodes[at].type == NodeType::map;
    std::size_t position = 0;
    std::uint32_t next = at;
    for (const std::uint32_t child : Children(*this, at)) {
      if (child <= index && index < nodes[child].end) {
        next = child;
        break;
      }
      ++position;
    }
    if (next == at) break;
    if (in_map)
      path.append(path.empty() ? "" : ".").append(nodes[next].key_str());
    else
      path.append(fmt::format("[{}]", position));
    at = next;
  }
  return path;
}

core::SourceLocation Document::key_location(const Node& node) const {
  if (node.key == nullptr) return location(node);
  const auto index = static_cast<std::size_t>(&node - nodes.data());
  if (positions_ == Positions::lines) {
    if (index >= positions.size()) return {file_, 0, 0};
    return {file_, static_cast<int>(positions[index].key_line), positions[index].key_column};
  }
  if (index >= offsets.size()) return {file_, 0, 0};
  core::SourceLocation where = offset_location(key_offset(offsets[index]));
  where.path = path_of(index);
  return where;
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

}  // namespace g2g::model::detail

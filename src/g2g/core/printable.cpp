#include "g2g/core/printable.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace g2g::core {

namespace {
bool is_c1_lead(std::string_view text, std::size_t i) noexcept {
  return static_cast<unsigned char>(text[i]) == 0xc2 && i + 1 < text.size() &&
         static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
         static_cast<unsigned char>(text[i + 1]) <= 0x9f;
}
}  // namespace

std::string terminal_text(std::string_view text) {
  if (!has_control_characters(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 16);
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n' || text[i] == '\t') {
      out += printable(text.substr(start, i - start), text.size());
      if (i < text.size()) out += text[i];
      start = i + 1;
    }
  }
  return out;
}

bool has_control_characters(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7f || is_c1_lead(text, i)) return true;
  }
  return false;
}

std::string printable(std::string_view text, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes) + 16);
  std::size_t i = 0;
  for (; i < text.size() && out.size() < max_bytes; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      out += "\\n";
    } else if (byte == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else if (is_c1_lead(text, i)) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(text[i + 1]));
      ++i;
    } else {
      out += static_cast<char>(byte);
    }
  }
  // Never cut a multi-byte character in two: back up to its first byte.
  while (i < text.size() && i > 0 && (static_cast<unsigned char>(text[i]) & 0xc0) == 0x80) {
    --i;
    out.pop_back();
  }
  if (i < text.size()) out += fmt::format("… ({} more bytes)", text.size() - i);
  return out;
}

}  // namespace g2g::core

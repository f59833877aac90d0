// Text from a model file on its way to a terminal or a log: control characters escaped, so that
// an id cannot recolour or rewrite the user's terminal, and the length capped, so that a 100 MB
// name is not echoed whole (docs/security.md).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace g2g::core {

// The most of one message that reaches a terminal.
inline constexpr std::size_t max_printed_bytes = 2000;

// `text` with every C0 control character, DEL and C1 control character (U+0080 to U+009F, which
// some terminals obey as escapes) written as a visible escape ("\x1b", "\n", "\u009b"), and cut
// at a character boundary after `max_bytes` with "…" and the number of bytes left out. Other
// text, valid UTF-8 or not, is kept byte for byte.
std::string printable(std::string_view text, std::size_t max_bytes = max_printed_bytes);

// Multi-line text (a table) for a terminal: the same escapes as printable() except for line
// breaks and tabs, and no length cap.
std::string terminal_text(std::string_view text);

// True when `text` holds a character printable() would escape.
bool has_control_characters(std::string_view text) noexcept;

}  // namespace g2g::core

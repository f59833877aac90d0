// JSON model files -> document tree -> the shared builder (builder.hpp).
//
// JSON is the format for large machine-made models, so this path is built for speed: simdjson's
// DOM parser reads the text, strings stay in its buffer, and no positions are recorded at all.
// The tree lists values in document order, so when a diagnostic needs a line and column the
// document scans the text once and matches values by their order (builder.hpp). When simdjson
// reports malformed JSON, a small recursive-descent scanner finds the exact place and says what
// was expected there, which simdjson's error codes do not.
#include <fmt/format.h>
#include <simdjson.h>

#include <array>
#include <charconv>
#include <limits>
#include <new>
#include <optional>
#include <string>

#include "g2g/model/builder.hpp"
#include "g2g/model/loader.hpp"
#include "g2g/model/parameters.hpp"

namespace g2g::model {
namespace {

using detail::Node;
using detail::NodeType;

// ---- Locating syntax errors ---------------------------------------------------------------

struct SyntaxError {
  std::size_t offset = 0;
  std::string message;
};

// Finds the first syntax error in `text`, following RFC 8259.
class SyntaxScanner {
 public:
  explicit SyntaxScanner(std::string_view text) : s_(text) {}

  std::optional<SyntaxError> scan() {
    skip_space();
    if (!value(0)) return error_;
    skip_space();
    if (at_ < s_.size()) return SyntaxError{at_, "unexpected text after the end of the JSON value"};
    return std::nullopt;
  }

 private:
  bool fail(std::string message) {
    error_ = SyntaxError{at_, std::move(message)};
    return false;
  }
  void skip_space() {
    while (at_ < s_.size() &&
           (s_[at_] == ' ' || s_[at_] == '\t' || s_[at_] == '\n' || s_[at_] == '\r'))
      ++at_;
  }
  bool literal(std::string_view word) {
    if (s_.substr(at_, word.size()) != word) return fail("expected a value");
    at_ += word.size();
    return true;
  }
  bool value(int depth) {
    if (depth > detail::max_document_depth)
      return fail(
          fmt::format("the document nests deeper than {} levels", detail::max_document_depth));
    if (at_ >= s_.size()) return fail("the file ends where a value is expected");
    switch (s_[at_]) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }
  bool object(int depth) {
    ++at_;
    skip_space();
    if (at_ < s_.size() && s_[at_] == '}') return ++at_, true;
    while (true) {
      skip_space();
      if (at_ >= s_.size() || s_[at_] != '"') return fail("expected a key in double quotes");
      if (!string()) return false;
      skip_space();
      if (at_ >= s_.size() || s_[at_] != ':') return fail("expected ':' after the key");
      ++at_;
      skip_space();
      if (!value(depth + 1)) return false;
      skip_space();
      if (at_ < s_.size() && s_[at_] == ',') {
        ++at_;
        continue;
      }
      if (at_ < s_.size() && s_[at_] == '}') return ++at_, true;
      return fail("expected ',' or '}' after an object member");
    }
  }
  bool array(int depth) {
    ++at_;
    skip_space();
    if (at_ < s_.size() && s_[at_] == ']') return ++at_, true;
    while (true) {
      skip_space();
      if (!value(depth + 1)) return false;
      skip_space();
      if (at_ < s_.size() && s_[at_] == ',') {
        ++at_;
        continue;
      }
      if (at_ < s_.size() && s_[at_] == ']') return ++at_, true;
      return fail("expected ',' or ']' after a list item");
    }
  }
  bool string() {
    ++at_;
    while (at_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[at_]);
      if (c == '"') return ++at_, true;
      if (c < 0x20) return fail("control character inside a string (write it as an escape)");
      if (c == '\\') {
        ++at_;
        if (at_ >= s_.size()) break;
        const char e = s_[at_];
        if (e == 'u') {
          for (int i = 1; i <= 4; ++i)
            if (at_ + i >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[at_ + i])))
              return fail("\\u must be followed by four hex digits");
          at_ += 5;
          continue;
        }
        if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos)
          return fail(fmt::format("invalid escape '\\{}' in a string", e));
        ++at_;
        continue;
      }
      const std::size_t length = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
      if (length == 0 || at_ + length > s_.size()) return fail("invalid UTF-8 in a string");
      for (std::size_t i = 1; i < length; ++i)
        if ((static_cast<unsigned char>(s_[at_ + i]) & 0xC0) != 0x80)
          return fail("invalid UTF-8 in a string");
      at_ += length;
    }
    return fail("the string is not closed with '\"'");
  }
  bool number() {
    const std::size_t start = at_;
    if (at_ < s_.size() && s_[at_] == '-') ++at_;
    auto digits = [&] {
      const std::size_t from = at_;
      while (at_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[at_]))) ++at_;
      return at_ - from;
    };
    const std::size_t int_start = at_;
    const std::size_t n = digits();
    if (n == 0) {
      at_ = start;
      return fail("expected a value (a number, a \"string\", true, false, null, { or [)");
    }
    if (n > 1 && s_[int_start] == '0') {
      at_ = int_start;
      return fail("numbers cannot start with 0");
    }
    if (at_ < s_.size() && s_[at_] == '.') {
      ++at_;
      if (digits() == 0) return fail("expected digits after the decimal point");
    }
    if (at_ < s_.size() && (s_[at_] == 'e' || s_[at_] == 'E')) {
      ++at_;
      if (at_ < s_.size() && (s_[at_] == '+' || s_[at_] == '-')) ++at_;
      if (digits() == 0) return fail("expected digits in the exponent");
    }
    return true;
  }

  std::string_view s_;
  std::size_t at_ = 0;
  SyntaxError error_;
};

// ---- Tree building ------------------------------------------------------------------------

class TreeBuilder {
 public:
  explicit TreeBuilder(detail::Document& document) : doc_(document) {}

  // Appends the element and its subtree; false when it nests too deep (the offending node is
  // then the last one appended).
  bool add(simdjson::dom::element e, std::string_view key, int depth) {
    const auto index = static_cast<std::uint32_t>(doc_.nodes.size());
    doc_.nodes.emplace_back();
    if (key.data() != nullptr) {
      doc_.nodes[index].key = key.data();
      doc_.nodes[index].key_size = Node::key_length(key.size());
    }
    if (depth > detail::max_document_depth) return false;
    using simdjson::dom::element_type;
    switch (e.type()) {
      case element_type::OBJECT: {
        doc_.nodes[index].type = NodeType::map;
        std::uint32_t count = 0;
        for (const auto member : simdjson::dom::object(e)) {
          if (!add(member.value, member.key, depth + 1)) return false;
          ++count;
        }
        doc_.nodes[index].count = count;
        break;
      }
      case element_type::ARRAY: {
        doc_.nodes[index].type = NodeType::seq;
        std::uint32_t count = 0;
        for (const auto item : simdjson::dom::array(e)) {
          if (!add(item, {}, depth + 1)) return false;
          ++count;
        }
        doc_.nodes[index].count = count;
        break;
      }
      case element_type::STRING: {
        const std::string_view text(e);  // in the parser's string buffer
        set_text(index, NodeType::string, text);
        break;
      }
      case element_type::INT64:
        number(index, std::int64_t(e));
        break;
      case element_type::UINT64:
        number(index, std::uint64_t(e));
        break;
      case element_type::DOUBLE:
        number(index, double(e));
        break;
      case element_type::BOOL:
        doc_.nodes[index].boolean = bool(e);
        set_text(index, NodeType::boolean, doc_.nodes[index].boolean ? "true" : "false");
        break;
      case element_type::NULL_VALUE:
        set_text(index, NodeType::null, "null");
        break;
    }
    doc_.nodes[index].end = static_cast<std::uint32_t>(doc_.nodes.size());
    return true;
  }

 private:
  void set_text(std::uint32_t index, NodeType type, std::string_view text) {
    Node& n = doc_.nodes[index];
    n.type = type;
    n.text = text.data();
    n.text_size = static_cast<std::uint32_t>(text.size());
  }
  // The parser has converted the number; the builder reads numbers as text (like YAML's), so
  // write back the shortest text that converts to the same value.
  template <typename T>
  void number(std::uint32_t index, T value) {
    std::array<char, 40> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    const std::string_view text(buffer.data(),
                                static_cast<std::size_t>(result.ptr - buffer.data()));
    set_text(index, NodeType::number, std::string_view(doc_.keep(text), text.size()));
  }

  detail::Document& doc_;
};

[[noreturn]] void throw_at(const detail::Document& document, core::SourceLocation where,
                           std::string message, std::string fix) {
  core::DiagnosticList diagnostics;
  diagnostics.error(std::move(where), std::move(message), std::move(fix));
  throw core::ModelError(std::move(diagnostics));
  (void)document;
}

[[noreturn]] void throw_syntax(const detail::Document& document, std::string_view text,
                               simdjson::error_code error) {
  if (const auto found = SyntaxScanner(text).scan())
    throw_at(document, document.offset_location(found->offset),
             fmt::format("JSON syntax error: {}", found->message),
             "check the brackets, commas and quotes near here");
  throw_at(document, document.offset_location(0),
           fmt::format("JSON error: {}", simdjson::error_message(error)),
           "check that the file is complete, valid UTF-8 JSON");
}

}  // namespace

ModelSpec load_json(std::string_view text, const std::string& file_name) {
  return load_json(text, file_name, LoadOptions{});
}

ModelSpec load_json(std::string_view text, const std::string& file_name,
                    const LoadOptions& options) {
  detail::Document document(file_name, text, detail::Document::Positions::json_order);
  if (text.size() >= std::numeric_limits<std::uint32_t>::max())
    throw_at(document, {file_name, 0, 0}, "the JSON file is larger than 4 GB", "split the model");
  core::DiagnosticList diagnostics;
  try {
    // The DOM parser picks the fastest kernel this CPU has at run time (the on-demand one is
    // fixed when compiling, to the portable fallback on a generic build).
    const simdjson::padded_string padded(text);
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (auto error = parser.parse(padded).get(root)) throw_syntax(document, text, error);
    if (root.type() != simdjson::dom::element_type::OBJECT)
      throw_at(document, document.offset_location(0),
               "a JSON model file must be an object: { \"grid2gpu\": 1, ... }",
               "see docs/model-format.md");
    // Every value but the first in a container follows a comma: an upper bound on the node
    // count (commas in strings only add to it), so the tree is never copied while it grows.
    std::size_t values = 1;
    for (const char c : text) values += (c == ',') + (c == '[') + (c == '{');
    document.nodes.reserve(values);
    if (!TreeBuilder(document).add(root, {}, 0))
      throw_at(document, document.location(document.nodes.back()),
               fmt::format("the document nests deeper than {} levels", detail::max_document_depth),
               "a model file needs only a few levels of nesting");
    auto parameters = detail::resolve_parameters(document, options.parameters, diagnostics);
    ModelSpec model = detail::build_model(document, diagnostics);
    model.parameters = std::move(parameters);
    return detail::finish_model(std::move(model), std::move(diagnostics));
  } catch (const std::bad_alloc&) {
    throw_at(document, {file_name, 0, 0}, "out of memory while reading the JSON file",
             "split the model");
  }
}

}  // namespace g2g::model

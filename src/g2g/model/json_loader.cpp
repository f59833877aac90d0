// JSON model files -> document tree -> the shared builder (builder.hpp).
//
// JSON is the format for large machine-made models, so this path is built for speed: simdjson's
// On-Demand parser walks the text once, the tree points into the text, and each value keeps only
// its offset; lines and columns are worked out when the builder asks for them. When simdjson
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
#include "g2g/model/edits.hpp"
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
          const std::size_t escape = at_ - 1;     // the backslash, where a message points
          const auto unit = [&](std::size_t u) {  // the code unit of "\uXXXX" at u, or -1
            if (u + 6 > s_.size()) return -1L;
            if (s_[u] != '\\' || s_[u + 1] != 'u') return -1L;
            long value = 0;
            for (std::size_t i = 2; i < 6; ++i) {
              const auto h = static_cast<unsigned char>(s_[u + i]);
              if (!std::isxdigit(h)) return -1L;
              value = value * 16 + (std::isdigit(h) ? h - '0' : (std::tolower(h) - 'a' + 10));
            }
            return value;
          };
          const long first = unit(escape);
          if (first < 0) return fail("\\u must be followed by four hex digits");
          at_ = escape + 6;
          // UTF-16 surrogates come in pairs: a high one, then a low one.
          if (first >= 0xDC00 && first <= 0xDFFF) {
            at_ = escape;
            return fail(
                fmt::format("lone low surrogate '\\u{:04x}' in a string (not a character)", first));
          }
          if (first >= 0xD800 && first <= 0xDBFF) {
            const long second = unit(at_);
            if (!(second >= 0xDC00 && second <= 0xDFFF)) {
              at_ = escape;
              return fail(fmt::format(
                  "lone high surrogate '\\u{:04x}' in a string: it must be followed by a low "
                  "one (\\udc00 to \\udfff)",
                  first));
            }
            at_ += 6;
          }
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

// Walks simdjson's On-Demand iterator over the whole document once and appends every value to
// the document tree in document order, with its offset in the text. On-Demand builds no DOM:
// scalars are not converted (the builder reads their text, as it does YAML's), and keys and
// strings without escapes point into the text itself; only escaped ones are unescaped, and kept
// by the document. On-Demand checks only what is read, so numbers and literals are checked here.
class TreeBuilder {
 public:
  TreeBuilder(detail::Document& document, std::string_view text) : doc_(document), text_(text) {}

  // Appends `value` and its subtree. Returns simdjson's error for malformed JSON, or DEPTH_ERROR
  // when the document nests deeper than detail::max_document_depth (the offending value is then
  // the last one appended).
  simdjson::error_code add(simdjson::ondemand::value value, std::string_view key, int depth) {
    const auto index = static_cast<std::uint32_t>(doc_.nodes.size());
    doc_.nodes.emplace_back();
    if (key.data() != nullptr) {
      doc_.nodes[index].key = key.data();
      doc_.nodes[index].key_size = Node::key_length(key.size());
    }
    // The token runs to the next one, spaces included.
    std::string_view token = value.raw_json_token();
    doc_.offsets.push_back(static_cast<std::uint32_t>(token.data() - text_.data()));
    if (depth > detail::max_document_depth) return simdjson::DEPTH_ERROR;
    while (!token.empty() && is_space(token.back())) token.remove_suffix(1);
    if (token.empty()) return simdjson::TAPE_ERROR;
    switch (token.front()) {
      case '{': {
        doc_.nodes[index].type = NodeType::map;
        simdjson::ondemand::object object;
        if (const auto error = value.get_object().get(object)) return error;
        std::uint32_t count = 0;
        for (auto member : object) {
          simdjson::ondemand::field field;
          if (const auto error = std::move(member).get(field)) return error;
          std::string_view name;
          if (const auto error = key_of(field, name)) return error;
          if (const auto error = add(field.value(), name, depth + 1)) return error;
          ++count;
        }
        doc_.nodes[index].count = count;
        break;
      }
      case '[': {
        doc_.nodes[index].type = NodeType::seq;
        simdjson::ondemand::array array;
        if (const auto error = value.get_array().get(array)) return error;
        std::uint32_t count = 0;
        for (auto item : array) {
          simdjson::ondemand::value element;
          if (const auto error = item.get(element)) return error;
          if (const auto error = add(element, {}, depth + 1)) return error;
          ++count;
        }
        doc_.nodes[index].count = count;
        break;
      }
      case '"': {
        if (token.size() < 2 || token.back() != '"') return simdjson::STRING_ERROR;
        std::string_view content = token.substr(1, token.size() - 2);
        if (content.find('\\') != std::string_view::npos) {
          if (const auto error = value.get_string().get(content)) return error;
          content = std::string_view(doc_.keep(content), content.size());  // outlives the parser
        }
        set_text(index, NodeType::string, content);
        break;
      }
      case 't':
      case 'f':
        if (token != "true" && token != "false") return simdjson::T_ATOM_ERROR;
        doc_.nodes[index].boolean = token.front() == 't';
        set_text(index, NodeType::boolean, token);
        break;
      case 'n':
        if (token != "null") return simdjson::N_ATOM_ERROR;
        set_text(index, NodeType::null, token);
        break;
      default:
        // The builder converts numbers from their text; the grammar is checked here.
        if (SyntaxScanner(token).scan()) return simdjson::NUMBER_ERROR;
        set_text(index, NodeType::number, token);
        break;
    }
    doc_.nodes[index].end = static_cast<std::uint32_t>(doc_.nodes.size());
    return simdjson::SUCCESS;
  }

 private:
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

  void set_text(std::uint32_t index, NodeType type, std::string_view text) {
    Node& n = doc_.nodes[index];
    n.type = type;
    n.text = text.data();
    n.text_size = static_cast<std::uint32_t>(text.size());
  }

  // The member's key: in the text when it has no escapes (stage 1 has matched the quotes, so
  // the closing one is there), else unescaped and kept by the document.
  simdjson::error_code key_of(simdjson::ondemand::field& field, std::string_view& key) {
    const char* const start = field.key().raw();
    const char* at = start;
    bool escaped = false;
    for (; *at != '"'; ++at) {
      if (*at == '\\') {
        escaped = true;
        ++at;
      }
    }
    if (!escaped) {
      key = std::string_view(start, static_cast<std::size_t>(at - start));
      return simdjson::SUCCESS;
    }
    if (const auto error = field.unescaped_key().get(key)) return error;
    key = std::string_view(doc_.keep(key), key.size());  // outlives the parser
    return simdjson::SUCCESS;
  }

  detail::Document& doc_;
  std::string_view text_;
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

// Builds the document tree of `text` (the same bytes as `padded`, which has simdjson's padding
// after it). The parser and its index are freed on return, before the model is built, so that
// the builder reuses their memory.
void read_tree(detail::Document& document, std::string_view text,
               simdjson::padded_string_view padded) {
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document json;
  if (const auto error = parser.iterate(padded).get(json)) throw_syntax(document, text, error);
  simdjson::ondemand::json_type root_type{};
  if (const auto error = json.type().get(root_type)) throw_syntax(document, text, error);
  if (root_type != simdjson::ondemand::json_type::object) {
    if (SyntaxScanner(text).scan()) throw_syntax(document, text, simdjson::TAPE_ERROR);
    throw_at(document, document.offset_location(0),
             "a JSON model file must be an object: { \"grid2gpu\": 1, ... }",
             "see docs/model-format.md");
  }
  simdjson::ondemand::value root;
  if (const auto error = json.get_value().get(root)) throw_syntax(document, text, error);
  // Every value but the first in a container follows a comma: an upper bound on the node
  // count (commas in strings only add to it), so the tree is never copied while it grows.
  std::size_t values = 1;
  for (const char c : text) values += (c == ',') + (c == '[') + (c == '{');
  document.nodes.reserve(values);
  document.offsets.reserve(values);
  const simdjson::error_code error = TreeBuilder(document, padded).add(root, {}, 0);
  if (error == simdjson::DEPTH_ERROR)
    throw_at(document, document.location(document.nodes.back()),
             fmt::format("the document nests deeper than {} levels", detail::max_document_depth),
             "a model file needs only a few levels of nesting");
  if (error != simdjson::SUCCESS) throw_syntax(document, text, error);
  // Anything left after the root value is an error (the iterator is then still in bounds).
  if (!json.current_location().error()) throw_syntax(document, text, simdjson::TRAILING_CONTENT);
}

}  // namespace

ModelSpec load_json(std::string_view text, const std::string& file_name) {
  return load_json(text, file_name, LoadOptions{});
}

ModelSpec load_json(std::string_view text, const std::string& file_name,
                    const LoadOptions& options) {
  return validated(parse_json(text, file_name, options));
}

namespace detail {

void read_json_tree(std::string_view text, Document& document) {
  if (text.size() >= std::numeric_limits<std::uint32_t>::max())
    throw_at(document, {document.file(), 0, 0}, "the JSON file is larger than 4 GB",
             "split the model");
  try {
    read_tree(document, text,
              simdjson::padded_string_view(text.data(), text.size(), text.size() + json_padding));
  } catch (const std::bad_alloc&) {
    throw_at(document, {document.file(), 0, 0}, "out of memory while reading the JSON file",
             "split the model");
  }
}

}  // namespace detail

ParsedModel parse_json(std::string_view text, const std::string& file_name,
                       const LoadOptions& options) {
  detail::Document document(file_name, text, detail::Document::Positions::offsets);
  if (text.size() >= std::numeric_limits<std::uint32_t>::max())
    throw_at(document, {file_name, 0, 0}, "the JSON file is larger than 4 GB", "split the model");
  core::DiagnosticList diagnostics;
  try {
    // On-Demand reads a little past the end: it needs the text followed by padding, which the
    // caller may have left (else the text is copied). The structural index (stage 1) runs with
    // the fastest kernel this CPU has, chosen at run time.
    static_assert(json_padding >= simdjson::SIMDJSON_PADDING);
    std::optional<simdjson::padded_string> copy;
    simdjson::padded_string_view padded(text.data(), text.size(),
                                        text.size() + options.readable_after_text);
    if (options.readable_after_text < json_padding) {
      copy.emplace(text);
      padded = simdjson::padded_string_view(*copy);
    }
    read_tree(document, text, padded);
    auto parameters = detail::resolve_parameters(document, options.parameters, diagnostics);
    detail::apply_element_edits(document, options.edits, diagnostics);
    ModelSpec model = detail::build_model(document, diagnostics, options.memory_limit_bytes);
    model.parameters = std::move(parameters);
    return ParsedModel{std::move(model), std::move(diagnostics)};
  } catch (const std::bad_alloc&) {
    throw_at(document, {file_name, 0, 0}, "out of memory while reading the JSON file",
             "split the model");
  }
}

}  // namespace g2g::model

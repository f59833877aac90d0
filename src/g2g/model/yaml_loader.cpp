// YAML model files -> document tree -> the shared builder (builder.hpp).
//
// The tree is built from yaml-cpp's parser events rather than its node graph: every event carries
// its mark, so each key and value gets its line and column, and scalars are copied once into the
// document's storage. Parsing stops after the first document plus one look for a second:
// yaml-cpp 0.7 can report an endless run of empty documents after some malformed input ("{},"),
// so it is never asked for documents in a loop.
//
// Typing: a plain (unquoted) scalar is typed the way JSON types its tokens (number, true/false,
// null, text), a quoted one is always text, so `id: "1"` and `voltage: 800` mean the same in both
// formats. Aliases are copied; a document whose aliases expand it many times over (a "billion
// laughs") is refused. Merge keys (`<<: *defaults`), which yaml-cpp leaves to the application,
// are expanded here: the map's own entries win, then the merged maps' in order.
#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <limits>
#include <new>
#include <sstream>
#include <string>
#include <tuple>
#include <unordered_set>
#include <utility>
#include <vector>

#include "g2g/model/builder.hpp"
#include "g2g/model/edits.hpp"
#include "g2g/model/loader.hpp"
#include "g2g/model/parameters.hpp"

namespace g2g::model {
namespace {

using detail::Document;
using detail::Node;
using detail::NodeType;
using Position = Document::Position;

// Raised from the event handler to stop parsing; the diagnostic is already recorded.
struct Stop {};

// yaml-cpp marks are 0-based and -1 when unknown; ours are 1-based, 0 unknown.
std::pair<std::uint32_t, std::uint16_t> line_column(const YAML::Mark& mark) {
  if (mark.line < 0 || mark.column < 0) return {0, 0};
  return {static_cast<std::uint32_t>(mark.line) + 1,
          static_cast<std::uint16_t>(std::min(mark.column + 1, 65535))};
}

class TreeHandler : public YAML::EventHandler {
 public:
  TreeHandler(Document& document, std::size_t max_nodes, core::DiagnosticList& diagnostics)
      : doc_(document), max_nodes_(max_nodes), diagnostics_(diagnostics) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (skipped(0)) return;
    if (taking_key()) return take_key(mark, "", true);
    finish(open(mark, anchor, NodeType::null));
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (skipped(0)) return;
    if (taking_key()) return bad_key(mark, false);
    if (anchor >= anchors_.size() || anchors_[anchor] == unset ||
        doc_.nodes[anchors_[anchor]].end == 0) {
      later(mark, "an alias refers to an anchor that is not complete here",
            "define the anchor (&name) before the alias (*name), outside its own value");
      finish(open(mark, YAML::NullAnchor, NodeType::null));
      return;
    }
    const std::uint32_t source = anchors_[anchor];
    const auto [key, key_size, key_position] = pending_value_key();
    const auto index = static_cast<std::uint32_t>(doc_.nodes.size());
    note_merge(index);
    copy_subtree(source, doc_.nodes, doc_.positions, index);
    Node& root = doc_.nodes[index];
    root.key = key;
    root.key_size = key_size;
    Position& p = doc_.positions[index];
    std::tie(p.line, p.column) = line_column(mark);
    p.key_line = key_position.first;
    p.key_column = key_position.second;
    added_child();
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    if (skipped(0)) return;
    // "!" is yaml-cpp's tag for quoted scalars; "?" (or an explicit tag) for plain ones.
    const bool quoted = tag == "!" || tag == "tag:yaml.org,2002:str";
    if (taking_key()) return take_key(mark, value, !quoted);
    const NodeType type = quoted ? NodeType::string : detail::classify_plain_scalar(value);
    const std::uint32_t index = open(mark, anchor, type);
    Node& n = doc_.nodes[index];
    n.text = doc_.keep(value);
    n.text_size = static_cast<std::uint32_t>(value.size());
    n.boolean = type == NodeType::boolean && (value[0] == 't' || value[0] == 'T');
    finish(index);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    if (skipped(1)) return;
    if (taking_key()) return bad_key(mark, true);
    push(open(mark, anchor, NodeType::seq), false);
  }
  void OnSequenceEnd() override {
    if (skipped(-1)) return;
    pop();
  }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    if (skipped(1)) return;
    if (taking_key()) return bad_key(mark, true);
    push(open(mark, anchor, NodeType::map), true);
  }
  void OnMapEnd() override {
    if (skipped(-1)) return;
    if (!stack_.empty() && !stack_.back().merges.empty()) merge();
    pop();
  }

  // Problems found while building the tree. They are reported only when the parser finds no
  // syntax error, which would explain them better.
  [[nodiscard]] const core::DiagnosticList& problems() const { return problems_; }

 private:
  static constexpr std::uint32_t unset = std::numeric_limits<std::uint32_t>::max();

  struct Frame {
    std::uint32_t index = 0;
    bool map = false;
    bool key_next = true;  // map: the next event is a key
    std::uint32_t count = 0;
    std::uint32_t skip = 0;  // > 0 while skipping the value of a key that was not a name
    const char* key = nullptr;
    std::uint16_t key_size = 0;
    std::pair<std::uint32_t, std::uint16_t> key_position{0, 0};
    std::vector<std::uint32_t> merges;  // children that are `<<` entries
    bool merge_key = false;             // the pending key is a plain `<<`
  };

  // The value being opened belongs to a `<<` key: remember it for merge().
  void note_merge(std::uint32_t index) {
    if (stack_.empty() || !stack_.back().map || !stack_.back().merge_key) return;
    stack_.back().merges.push_back(index);
    stack_.back().merge_key = false;
  }

  [[nodiscard]] bool taking_key() const {
    return !stack_.empty() && stack_.back().map && stack_.back().key_next;
  }

  void take_key(const YAML::Mark& mark, const std::string& text, bool plain) {
    Frame& f = stack_.back();
    f.key = doc_.keep(text);
    f.key_size = Node::key_length(text.size());
    f.key_position = line_column(mark);
    f.merge_key = plain && text == "<<";
    f.key_next = false;
  }

  // A map, list or alias used as a key: reported, and the whole entry is skipped.
  void bad_key(const YAML::Mark& mark, bool container) {
    later(mark, "a key must be a plain name, not a map, a list or an alias",
          "write keys as simple words such as 'voltage'");
    skip_ = container ? Skip::key : Skip::value;
    skip_depth_ = container ? 1 : 0;
  }

  // While an entry is skipped, consumes events: +1 opens a map or list, -1 closes one, 0 is a
  // scalar. Returns false when not skipping.
  bool skipped(int delta) {
    if (skip_ == Skip::none) return false;
    skip_depth_ += delta;
    if (skip_depth_ > 0) return true;
    if (skip_ == Skip::key) {
      skip_ = Skip::value;  // the key is over; its value goes too
    } else {
      skip_ = Skip::none;
      stack_.back().key_next = true;
    }
    return true;
  }

  void later(const YAML::Mark& mark, std::string message, std::string fix) {
    const auto [line, column] = line_column(mark);
    problems_.error({doc_.file(), static_cast<int>(line), column}, std::move(message),
                    std::move(fix));
  }

  std::tuple<const char*, std::uint32_t, std::pair<std::uint32_t, std::uint16_t>>
  pending_value_key() {
    if (stack_.empty() || !stack_.back().map) return {nullptr, 0, {0, 0}};
    const Frame& f = stack_.back();
    return {f.key, f.key_size, f.key_position};
  }

  // Appends a node (its key, if in a map, taken from the frame) and returns its index.
  std::uint32_t open(const YAML::Mark& mark, YAML::anchor_t anchor, NodeType type) {
    if (doc_.nodes.size() >= max_nodes_)
      fail(mark, "the document's aliases expand it to too many values",
           "use fewer nested aliases (*name), or write the repeated parts as a template");
    const auto index = static_cast<std::uint32_t>(doc_.nodes.size());
    const auto [key, key_size, key_position] = pending_value_key();
    note_merge(index);
    Node& n = doc_.nodes.emplace_back();
    n.type = type;
    n.key = key;
    n.key_size = key_size;
    Position& p = doc_.positions.emplace_back();
    std::tie(p.line, p.column) = line_column(mark);
    p.key_line = key_position.first;
    p.key_column = key_position.second;
    if (p.line == 0) p.line = p.key_line, p.column = p.key_column;  // an implicit null
    if (anchor != YAML::NullAnchor) {
      if (anchors_.size() <= anchor) anchors_.resize(anchor + 1, unset);
      anchors_[anchor] = index;
    }
    return index;
  }

  void push(std::uint32_t index, bool map) {
    if (stack_.size() >= static_cast<std::size_t>(detail::max_document_depth))
      fail({}, fmt::format("the document nests deeper than {} levels", detail::max_document_depth),
           "a model file needs only a few levels of nesting", index);
    Frame& f = stack_.emplace_back();
    f.index = index;
    f.map = map;
  }

  void pop() {
    if (stack_.empty()) return;
    const Frame f = std::move(stack_.back());
    stack_.pop_back();
    doc_.nodes[f.index].count = f.count;
    finish(f.index);
  }

  // A value is complete: close its subtree and count it in its parent.
  void finish(std::uint32_t index) {
    doc_.nodes[index].end = static_cast<std::uint32_t>(doc_.nodes.size());
    added_child();
  }

  void added_child() {
    if (stack_.empty()) return;
    Frame& f = stack_.back();
    f.key_next = true;
    f.merge_key = false;
    ++f.count;
  }

  // Appends a copy of the subtree at `from` to `nodes`/`positions`; the copy's first node will
  // sit at index `dest` of the document, and its subtree links are shifted to match.
  void copy_subtree(std::uint32_t from, std::vector<Node>& nodes, std::vector<Position>& positions,
                    std::uint32_t dest) {
    const std::uint32_t to = doc_.nodes[from].end;
    if (doc_.nodes.size() + (to - from) > max_nodes_)
      fail({}, "the document's aliases expand it to too many values",
           "use fewer nested aliases (*name), or write the repeated parts as a template", from);
    const std::int64_t shift = static_cast<std::int64_t>(dest) - from;
    for (std::uint32_t i = from; i < to; ++i) {
      Node copy = doc_.nodes[i];  // by value: `nodes` may be doc_.nodes and reallocate
      copy.end = static_cast<std::uint32_t>(copy.end + shift);
      const Position position = doc_.positions[i];
      nodes.push_back(copy);
      positions.push_back(position);
    }
  }

  // Rebuilds the map on top of the stack with its `<<` entries replaced by the entries of the
  // maps they name that the map does not set itself.
  void merge() {
    Frame& f = stack_.back();
    std::unordered_set<std::string_view> keys;
    std::vector<std::uint32_t> kept, merged;
    for (std::uint32_t c = f.index + 1; c < doc_.nodes.size(); c = doc_.nodes[c].end) {
      if (std::find(f.merges.begin(), f.merges.end(), c) != f.merges.end()) continue;
      kept.push_back(c);
      keys.insert(doc_.nodes[c].key_str());
    }
    for (const std::uint32_t m : f.merges) {
      std::vector<std::uint32_t> sources;
      if (doc_.nodes[m].type == NodeType::map) {
        sources.push_back(m);
      } else if (doc_.nodes[m].type == NodeType::seq) {
        for (std::uint32_t i = m + 1; i < doc_.nodes[m].end; i = doc_.nodes[i].end)
          sources.push_back(i);
      }
      if (sources.empty()) report(m, "'<<' must merge a map or a list of maps");
      for (const std::uint32_t source : sources) {
        if (doc_.nodes[source].type != NodeType::map) {
          report(source, "'<<' must merge a map or a list of maps");
          continue;
        }
        for (std::uint32_t e = source + 1; e < doc_.nodes[source].end; e = doc_.nodes[e].end)
          if (keys.insert(doc_.nodes[e].key_str()).second) merged.push_back(e);
      }
    }
    std::vector<Node> nodes;
    std::vector<Position> positions;
    for (const auto* list : {&kept, &merged})
      for (const std::uint32_t c : *list)
        copy_subtree(c, nodes, positions, static_cast<std::uint32_t>(f.index + 1 + nodes.size()));
    doc_.nodes.resize(f.index + 1);
    doc_.positions.resize(f.index + 1);
    doc_.nodes.insert(doc_.nodes.end(), nodes.begin(), nodes.end());
    doc_.positions.insert(doc_.positions.end(), positions.begin(), positions.end());
    f.count = static_cast<std::uint32_t>(kept.size() + merged.size());
    f.merges.clear();
  }

  void report(std::uint32_t index, std::string message) {
    problems_.error(doc_.location(doc_.nodes[index]), std::move(message),
                    "write '<<: *defaults' where '&defaults' names a map");
  }

  [[noreturn]] void fail(const YAML::Mark& mark, std::string message, std::string fix,
                         std::uint32_t at = unset) {
    core::SourceLocation where{doc_.file(), 0, 0};
    if (at != unset && at < doc_.nodes.size()) {
      where = doc_.location(doc_.nodes[at]);
    } else {
      const auto [line, column] = line_column(mark);
      where.line = static_cast<int>(line);
      where.column = column;
    }
    diagnostics_.error(std::move(where), std::move(message), std::move(fix));
    throw Stop{};
  }

  Document& doc_;
  std::size_t max_nodes_;
  core::DiagnosticList& diagnostics_;
  std::vector<Frame> stack_;
  std::vector<std::uint32_t> anchors_;  // anchor id -> node
  core::DiagnosticList problems_;
  enum class Skip : std::uint8_t { none, key, value };
  Skip skip_ = Skip::none;
  int skip_depth_ = 0;
};

// Records where a second document (or text after the first) starts.
class FirstEvent : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { note(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { note(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { note(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    note(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    note(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    note(mark);
  }
  void OnMapEnd() override {}

  YAML::Mark mark = YAML::Mark::null_mark();

 private:
  void note(const YAML::Mark& at) {
    if (mark.line < 0 && at.line >= 0) mark = at;
  }
};

[[noreturn]] void throw_one(const std::string& file, std::pair<std::uint32_t, std::uint16_t> at,
                            std::string message, std::string fix) {
  core::DiagnosticList diagnostics;
  diagnostics.error({file, static_cast<int>(at.first), at.second}, std::move(message),
                    std::move(fix));
  throw core::ModelError(std::move(diagnostics));
}

}  // namespace

ModelSpec load_yaml(std::string_view text, const std::string& file_name) {
  return load_yaml(text, file_name, LoadOptions{});
}

ModelSpec load_yaml(std::string_view text, const std::string& file_name,
                    const LoadOptions& options) {
  return validated(parse_yaml(text, file_name, options));
}

namespace detail {

void read_yaml_tree(std::string_view text, Document& document, core::DiagnosticList& diagnostics) {
  const std::string& file_name = document.file();
  // Each value takes at least a couple of characters, so a plain document stays far below this;
  // only alias expansion reaches it.
  const std::size_t max_nodes = 16 * text.size() + 1024;
  try {
    std::istringstream stream{std::string(text)};
    YAML::Parser parser(stream);
    TreeHandler handler(document, max_nodes, diagnostics);
    try {
      if (parser.HandleNextDocument(handler)) {
        FirstEvent next;
        if (parser.HandleNextDocument(next))
          throw_one(file_name, line_column(next.mark),
                    "unexpected text after the end of the YAML document; a model file holds "
                    "one document",
                    "remove it, or a '---' separator and what follows, or split the documents "
                    "into files");
      }
      diagnostics.append(handler.problems());
    } catch (const Stop&) {
      throw core::ModelError(std::move(diagnostics));
    }
  } catch (const YAML::Exception& error) {
    throw_one(file_name, line_column(error.mark), fmt::format("YAML syntax error: {}", error.msg),
              "check the indentation, the ':' after each key and the quoting near here");
  } catch (const std::bad_alloc&) {
    throw_one(file_name, {0, 0}, "out of memory while reading the YAML file",
              "split the model, or write large machine-made models as JSON");
  }
}

}  // namespace detail

ParsedModel parse_yaml(std::string_view text, const std::string& file_name,
                       const LoadOptions& options) {
  core::DiagnosticList diagnostics;
  Document document(file_name, text, Document::Positions::lines);
  detail::read_yaml_tree(text, document, diagnostics);
  auto parameters = detail::resolve_parameters(document, options.parameters, diagnostics);
  detail::apply_element_edits(document, options.edits, diagnostics);
  ModelSpec model = detail::build_model(document, diagnostics, options.memory_limit_bytes);
  model.parameters = std::move(parameters);
  return {std::move(model), std::move(diagnostics)};
}

}  // namespace g2g::model
